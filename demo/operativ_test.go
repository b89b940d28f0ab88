package demo

import (
	"context"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

// TestLoadOperativ loads the demo of operativ samverkan alone and checks
// what it promises: operations from January 2018, referrals that reached a
// first contact confirmed by the KAST reception, a KAST log with people who
// come back, and advertising that fell after the operations began.
func TestLoadOperativ(t *testing.T) {
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
	var areas []*trygg.Area
	for _, d := range districts {
		areas = append(areas, &trygg.Area{Code: d.code, Name: d.name})
	}
	if err := s.Areas.UpsertAreas(ctx, areas); err != nil {
		t.Fatal(err)
	}
	for _, u := range users[:6] {
		if _, err := s.Users.CreateUser(ctx, trygg.NewUser{Email: u.local + emailDomain, Name: u.name, OrgCode: u.org, Roles: u.roles}); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	if err := loadOperativ(ctx, s, ds); err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded operativ samverkan in %v", time.Since(start).Round(time.Millisecond))

	email := "lasare" + emailDomain
	found, err := s.Users.FindUsers(ctx, trygg.UserFilter{Email: &email})
	if err != nil || len(found) != 1 {
		t.Fatal(found, err)
	}
	reader := trygg.NewContextWithUser(context.Background(), found[0])
	st, err := s.Operativ.Stats(reader)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Months) == 0 || st.Months[0].Key != "2018-01" || st.Contacts.Count < 100 {
		t.Fatalf("operations: %d months from %+v, %+v contacts", len(st.Months), st.Months[0], st.Contacts)
	}
	var kast *trygg.ServiceStats
	for i := range st.Services {
		if st.Services[i].Name == "KAST – köpare av sexuell tjänst" {
			kast = &st.Services[i]
		}
	}
	if kast == nil || kast.Reached[2].Count < trygg.SuppressBelow || st.FirstContactN < trygg.SuppressBelow {
		t.Fatalf("KAST referrals %+v, %d first contacts", kast, st.FirstContactN)
	}
	ks, err := s.Operativ.KastStats(reader)
	if err != nil || ks.Contacts.Count < 100 || ks.Returning.Suppressed || ks.Returning.Part == 0 {
		t.Fatalf("KAST log %+v %v", ks, err)
	}
	weeks, err := s.Operativ.AdCounts(reader)
	if err != nil {
		t.Fatal(err)
	}
	mean := func(from, to trygg.Day) float64 {
		sum, n := 0, 0
		for _, w := range weeks {
			if w.Week >= from && w.Week < to {
				sum += w.Ads
				n++
			}
		}
		return float64(sum) / float64(n)
	}
	before, after := mean(trygg.DateDay(2017, 1, 1), trygg.DateDay(2018, 1, 1)), mean(trygg.DateDay(2025, 1, 1), trygg.DateDay(2026, 1, 1))
	if after > before*0.6 {
		t.Fatalf("ads per week %v in 2017, %v in 2025: no fall", before, after)
	}
}
