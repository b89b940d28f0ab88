package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/leverantor"
)

// TestLoadLeverantorer loads the demo register of providers alone and
// checks that it has what the demo promises: about 150 providers and 400
// key persons, the front man's network flagged, a young company with a
// large contract, a lapsed permit, overdue checks, and decisions.
func TestLoadLeverantorer(t *testing.T) {
	t.Parallel()
	s := loadAlone(t, "the demo providers", func(ctx context.Context, s app.Services, ds *Dataset) error {
		for _, u := range users {
			if u.roles[0] == trygg.RoleKontroll {
				if _, err := s.Users.CreateUser(ctx, trygg.NewUser{Email: u.local + emailDomain, Name: u.name, OrgCode: u.org, Roles: u.roles}); err != nil {
					return err
				}
			}
		}
		return loadLeverantorer(ctx, s, ds)
	})
	care := loginAs(t, s, "kontroll")
	list, err := s.Leverantorer.FindProviders(care, leverantor.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != demoProviderCount {
		t.Errorf("%d providers, want %d", len(list), demoProviderCount)
	}
	rules := map[string]int{}
	persons, overdue, checks := 0, 0, 0
	for _, sum := range list {
		if sum.Overdue {
			overdue++
		}
		p, err := s.Leverantorer.FindProvider(care, sum.ID)
		if err != nil {
			t.Fatal(err)
		}
		persons += len(p.KeyPersons)
		checks += len(p.Checks)
		for _, f := range p.Flags {
			rules[f.Rule]++
		}
		for _, k := range p.KeyPersons {
			if n, err := leverantor.ParseOrgNumber(k.Number.String()); err != nil || !n.Personal {
				t.Errorf("key person number %v: %v", n, err)
			}
		}
	}
	t.Logf("%d providers, %d key persons, %d checks, %d providers overdue", len(list), persons, checks, overdue)
	if persons < 350 || persons > 450 {
		t.Errorf("%d key persons, want about 400", persons)
	}
	for _, rule := range []string{leverantor.RuleSharedPerson, leverantor.RuleSharedAddr, leverantor.RuleYoungLarge, leverantor.RulePermit,
		leverantor.RuleOverdue, leverantor.RuleBoardChanges, leverantor.RuleManual} {
		if rules[rule] == 0 {
			t.Errorf("no provider flagged by %s: %v", rule, rules)
		}
	}
	if overdue < 5 || overdue > len(list)/2 {
		t.Errorf("%d providers overdue", overdue)
	}
	if list[0].Score < 50 {
		t.Errorf("the top score is %d", list[0].Score)
	}
	// The social services' reviewer sees its own HVB providers only.
	social, err := s.Leverantorer.FindProviders(loginAs(t, s, "kontroll.ifo"), leverantor.Filter{})
	if err != nil || len(social) == 0 || len(social) >= len(list) {
		t.Errorf("IFO sees %d providers (%v)", len(social), err)
	}
	for _, p := range social {
		if p.ServiceArea != "hvb" {
			t.Errorf("IFO sees %s (%s)", p.Name, p.ServiceArea)
		}
		if strings.Contains(p.Org, "-") && p.Org[2] < '2' {
			t.Errorf("a personnummer in the list: %s", p.Org)
		}
	}
}
