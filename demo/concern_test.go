package demo

import (
	"context"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

// TestLoadConcerns loads the demo register alone and checks that it has
// what the demo promises: a rise from year to year, reports in every
// stage, and some that are late.
func TestLoadConcerns(t *testing.T) {
	db := sqldbtest.Open(t)
	db.Now = func() time.Time { return testNow.Add(time.Minute) }
	s := sqldb.NewServices(db)
	ctx := trygg.NewOperatorContext(context.Background())
	ds := &Dataset{End: testNow}
	for _, o := range organisations {
		if err := s.Organisations.CreateOrganisation(ctx, &trygg.Organisation{Code: o.Code, Name: o.Name, Type: o.Type}); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range users[:6] {
		if _, err := s.Users.CreateUser(ctx, trygg.NewUser{Email: u.local + emailDomain, Name: u.name, OrgCode: u.org, Roles: u.roles}); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	if err := loadConcerns(ctx, s, ds); err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded the demo register in %v", time.Since(start).Round(time.Millisecond))

	email := "socialtjanst" + emailDomain
	found, err := s.Users.FindUsers(ctx, trygg.UserFilter{Email: &email})
	if err != nil {
		t.Fatal(err)
	}
	worker := trygg.NewContextWithUser(context.Background(), found[0])
	stages := map[trygg.Stage]int{}
	for _, q := range []trygg.ConcernQueue{trygg.QueueOpen, trygg.QueueClosed} {
		list, err := s.Concerns.FindConcerns(worker, trygg.ConcernFilter{Queue: q, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			stages[c.Stage]++
		}
	}
	for _, st := range []trygg.Stage{trygg.StagePre, trygg.StageInvestigation, trygg.StageClosing, trygg.StageClosed} {
		if stages[st] == 0 {
			t.Errorf("no demo report in stage %s: %v", st.Label(), stages)
		}
	}
	unassigned, err := s.Concerns.FindConcerns(worker, trygg.ConcernFilter{Queue: trygg.QueueUnassign})
	if err != nil || len(unassigned) == 0 {
		t.Errorf("no unassigned demo reports for the manager (%v)", err)
	}
	overdue, err := s.Concerns.FindConcerns(worker, trygg.ConcernFilter{Queue: trygg.QueueOverdue})
	if err != nil || len(overdue) == 0 {
		t.Errorf("no overdue demo reports (%v)", err)
	}
	st, err := s.Concerns.ConcernStats(worker, trygg.DayOf(testNow))
	if err != nil {
		t.Fatal(err)
	}
	if st.Years[1].Count <= st.Years[0].Count {
		t.Errorf("no rise from year to year: %+v", st.Years)
	}
	if st.PreInTime.Suppressed || st.PreInTime.Percent() == 100 || st.PreInTime.Percent() < 80 {
		t.Errorf("pre-assessments in time: %+v, want most but not all", st.PreInTime)
	}
}
