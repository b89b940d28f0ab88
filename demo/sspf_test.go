package demo

import (
	"context"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
	"github.com/trygg-est/trygg/sspf"
)

// TestLoadSSPF loads the demo's organisations, districts and users and
// then the SSPF cases: thirty, in every state, on two teams, seen by the
// team members and by nobody else.
func TestLoadSSPF(t *testing.T) {
	t.Parallel()
	ds := dataset(t)
	db := sqldbtest.Open(t)
	db.Now = func() time.Time { return testNow.Add(time.Minute) }
	s := sqldb.NewServices(db)
	op := trygg.NewOperatorContext(context.Background())
	for _, o := range ds.Organisations {
		o := *o
		if err := s.Organisations.CreateOrganisation(op, &o); err != nil {
			t.Fatal(err)
		}
	}
	// UpsertAreas sets the areas' ids: give it copies, not the data set
	// that the package's tests share.
	areas := make([]*trygg.Area, len(ds.Areas))
	for i, a := range ds.Areas {
		a := *a
		areas[i] = &a
	}
	if err := s.Areas.UpsertAreas(op, areas); err != nil {
		t.Fatal(err)
	}
	for _, u := range ds.Users {
		if _, err := s.Users.CreateUser(op, u); err != nil {
			t.Fatal(err)
		}
	}
	if err := loadSSPF(op, s, ds); err != nil {
		t.Fatal(err)
	}
	as := func(local string) context.Context {
		u, err := demoUserNamed(op, s, local)
		if err != nil {
			t.Fatal(err)
		}
		return trygg.NewContextWithUser(context.Background(), u)
	}
	states := map[string]int{}
	total := 0
	for _, st := range sspf.States {
		list, err := s.SSPF.FindCases(as("sspf"), sspf.Filter{State: st.Code})
		if err != nil {
			t.Fatal(err)
		}
		states[st.Code] = len(list)
		total += len(list)
	}
	if total != sspfDemoCases || states[sspf.StateReferred] == 0 || states[sspf.StateConsent] == 0 ||
		states[sspf.StateActive] == 0 || states[sspf.StateClosed] == 0 {
		t.Errorf("cases per state: %v", states)
	}
	school, err := s.SSPF.FindCases(as("sspf.skola"), sspf.Filter{State: sspf.StateActive})
	if err != nil || len(school) == 0 || len(school) >= states[sspf.StateActive] {
		t.Errorf("the school member sees %d of %d active cases, %v", len(school), states[sspf.StateActive], err)
	}
	if list, err := s.SSPF.FindCases(as("polis"), sspf.Filter{}); trygg.ErrorCode(err) != trygg.ENOTFOUND || len(list) != 0 {
		t.Errorf("the police outside SSPF: %d cases, %v", len(list), err)
	}
	if m, err := s.SSPF.FindMeetings(as("sspf.fritid")); err != nil || len(m) != 2 {
		t.Errorf("meetings: %v %v", m, err)
	}
}
