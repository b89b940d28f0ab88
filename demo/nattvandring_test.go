package demo

import (
	"context"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/nattvandring"
)

// TestLoadNattvandring loads the night walks and checks what the demo
// promises: three groups and about 40 volunteers, a year of walks with
// hours and observations as reports, Ålidhem walked most weekend nights,
// a red walk ahead, an overdue loan, and the samordnare seeing numbers.
func TestLoadNattvandring(t *testing.T) {
	t.Parallel()
	s := loadAlone(t, "nattvandring", func(ctx context.Context, s app.Services, ds *Dataset) error {
		for _, o := range nightOrganisations() {
			if err := s.Organisations.CreateOrganisation(ctx, &o); err != nil {
				return err
			}
		}
		for _, u := range nightUsers() {
			if _, err := s.Users.CreateUser(ctx, trygg.NewUser{Email: u.local + emailDomain, Name: u.name, OrgCode: u.org, Roles: u.roles}); err != nil {
				return err
			}
		}
		return loadNattvandring(ctx, s, ds)
	})
	samordnare := loginAs(t, s, "samordnare")
	groups, err := s.Nattvandring.FindGroups(samordnare)
	if err != nil || len(groups) != 3 {
		t.Fatalf("groups %v, %v", groups, err)
	}
	volunteers := 0
	for _, g := range groups {
		volunteers += g.Volunteers
	}
	if volunteers < 35 || volunteers > 45 {
		t.Errorf("%d volunteers", volunteers)
	}
	today := trygg.DayOf(testNow)
	stats, err := s.Nattvandring.Statistics(samordnare, today.AddYears(-1), today)
	if err != nil {
		t.Fatal(err)
	}
	walks, obs := 0, 0
	for _, m := range stats.Months {
		walks += m.Walks
		for _, n := range m.Observations {
			obs += n
		}
	}
	if walks < 150 || obs < 50 {
		t.Errorf("%d walk-districts, %d observations in a year", walks, obs)
	}
	for _, w := range stats.Weekend {
		if w.District == "alidhem" && (w.Percent() < 70 || w.Percent() > 95) {
			t.Errorf("Ålidhem walked %d %% of weekend nights", w.Percent())
		}
	}
	page, err := s.Reports.FindReports(samordnare, trygg.ReportFilter{OrgTypes: []trygg.OrgType{trygg.OrgNightwalk}, Limit: 1})
	if err != nil || page.Total != obs {
		t.Errorf("reports from night walks: %d, observations %d (%v)", page.Total, obs, err)
	}

	leader := loginAs(t, s, "nattvandrare")
	mine, err := s.Nattvandring.FindGroups(leader)
	if err != nil || len(mine) != 1 {
		t.Fatalf("the leader's groups: %v, %v", mine, err)
	}
	coming, err := s.Nattvandring.FindWalks(leader, nattvandring.WalkFilter{GroupID: mine[0].ID, From: today, To: today + 21})
	if err != nil || len(coming) < 4 {
		t.Fatalf("coming walks %d, %v", len(coming), err)
	}
	red := 0
	for _, w := range coming {
		if w.Check.Red {
			red++
		}
	}
	if red != 1 {
		t.Errorf("%d red walks ahead, want 1", red)
	}
	loans, err := s.Nattvandring.FindLoans(leader, mine[0].ID)
	if err != nil || len(nattvandring.OverdueLoans(loans, today)) != 1 {
		t.Errorf("loans %v, %v", loans, err)
	}
	if _, err := s.Nattvandring.FindVolunteers(samordnare, mine[0].ID); trygg.ErrorCode(err) != trygg.ENOTFOUND {
		t.Errorf("the samordnare read the volunteers: %v", err)
	}
}
