package arsplan_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/arsplan"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

var now = time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC)

// world is a database with an organisation, Ålidhem, a samordnare, a
// rapportör, an imported series with a peer group, vandalism in Ålidhem
// around an action that started in February 2025, and that action; it
// returns the services and the samordnare's and the rapportör's contexts.
func world(t *testing.T, dialect string) (app.Services, context.Context, context.Context, *samverkan.Action) {
	t.Helper()
	db := sqldbtest.OpenURL(t, sqldbtest.MigratedURL(t, dialect))
	db.Now = func() time.Time { return now }
	s := sqldb.NewServices(db)
	op := trygg.NewOperatorContext(context.Background())
	if err := s.Organisations.CreateOrganisation(op, &trygg.Organisation{Code: "kommun", Name: "Umeå kommun", Type: trygg.OrgMunicipal}); err != nil {
		t.Fatal(err)
	}
	if err := s.Areas.UpsertAreas(op, []*trygg.Area{{Code: "alidhem", Name: "Ålidhem", Population: 7000}}); err != nil {
		t.Fatal(err)
	}
	user := func(email string, role trygg.Role) context.Context {
		t.Helper()
		u, err := s.Users.CreateUser(op, trygg.NewUser{Email: email, Name: "Namn", OrgCode: "kommun", Roles: []trygg.Role{role}})
		if err != nil {
			t.Fatal(err)
		}
		return trygg.NewContextWithUser(context.Background(), u)
	}
	sam, rap := user("sam@kommun.example", trygg.RoleSamordnare), user("rap@kommun.example", trygg.RoleRapportor)

	b := &indikator.Batch{Source: indikator.SourceBra, Names: map[string]string{"2480": "Umeå"}}
	b.Series = []indikator.Series{{Code: "bra_skadegorelse", Name: "Skadegörelse", Source: indikator.SourceBra, Unit: "antal",
		Kind: indikator.KindCount, Polarity: indikator.LowerIsBetter, Licence: "Brå", Retrieved: trygg.DayOf(now)}}
	for i, area := range []string{"2480", "2580", "2281", "2380"} {
		for y := 2020; y <= 2025; y++ {
			b.Values = append(b.Values, indikator.Value{Series: "bra_skadegorelse", Area: area, Year: y, Value: float64(1000 + 100*i + y - 2020)})
		}
	}
	if _, err := s.Indicators.Import(op, b, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Indicators.SavePeerGroup(op, &indikator.PeerGroup{Name: "Norrland", Municipality: "2480", Members: []string{"2580", "2281", "2380"}}); err != nil {
		t.Fatal(err)
	}
	// Vandalism in Ålidhem: four a week in the winter of 2024–2025, one
	// a week after the action's start in February 2025.
	start := trygg.DateDay(2025, 2, 3)
	var rows []trygg.ImportRow
	for d := trygg.DateDay(2024, 10, 1); d < trygg.DateDay(2025, 6, 1); d++ {
		if d != d.Monday()+2 {
			continue // Wednesdays only
		}
		n := 4
		if d > start {
			n = 1
		}
		for range n {
			at := d.Start().Add(20 * time.Hour)
			rows = append(rows, trygg.ImportRow{Line: len(rows) + 1, ReportedAt: at, Input: trygg.ReportInput{OccurredAt: at, AreaCode: "alidhem",
				PlaceType: "park", Category: "skadegorelse", Severity: 1, Description: "Sönderslagen parkbänk."}})
		}
	}
	if _, err := s.Reports.ImportReports(op, "kommun", rows); err != nil {
		t.Fatal(err)
	}
	a, err := s.Actions.CreateAction(sam, samverkan.ActionInput{Title: "Belysning i parken", OwnerOrgCode: "kommun", Areas: []string{"alidhem"},
		Start: start, Deadline: trygg.DateDay(2025, 12, 31)})
	if err != nil {
		t.Fatal(err)
	}
	return s, sam, rap, a
}

// TestDraft drafts 2025 and, after deciding it, 2026: the indicators with
// the peer comparison, the district's counts, the plan's action, and in
// 2026 the follow-up of 2025's action with its measured effect; a new draft
// keeps the texts; a bad year and a caller who may not draft are refused;
// a series the samordnare leaves out is named, not drafted. On every
// dialect.
func TestDraft(t *testing.T) {
	t.Parallel()
	for _, dialect := range sqldbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			testDraft(t, dialect)
		})
	}
}

func testDraft(t *testing.T, dialect string) {
	s, sam, rap, a := world(t, dialect)
	today := trygg.DayOf(now)

	y, err := arsplan.SaveDraft(sam, s.Arsplan(), 2025, today)
	if err != nil {
		t.Fatal(err)
	}
	c := y.Content
	if y.Version != 1 || y.Status != indikator.YearlyDraft || c.Drafted != today || c.PeerGroup != "Norrland" {
		t.Fatalf("draft 2025: version %d, %s, drafted %s, group %q", y.Version, y.Status, c.Drafted, c.PeerGroup)
	}
	var bra *indikator.YearlyIndicator
	for i := range c.Indicators {
		if c.Indicators[i].Code == "bra_skadegorelse" {
			bra = &c.Indicators[i]
		}
	}
	// Umeå has the lowest value of the four, so rank 1 of 4.
	if bra == nil || bra.Year != 2025 || bra.Value != 1005 || bra.Rank != 1 || bra.RankOf != 4 || bra.Peers != 3 || bra.Change5 == nil {
		t.Errorf("the Brå series in the draft: %+v", bra)
	}
	if len(c.Districts) != 1 || c.Districts[0].Name != "Ålidhem" || len(c.Districts[0].Counts) == 0 {
		t.Errorf("districts: %+v", c.Districts)
	}
	if len(c.Actions) != 1 || c.Actions[0].ID != a.ID || c.Actions[0].Owner != "Umeå kommun" || c.Actions[0].Districts != "Ålidhem" {
		t.Errorf("actions: %+v", c.Actions)
	}
	if c.Previous != nil || c.PreviousFrom != "" {
		t.Errorf("2025 follows up a plan that does not exist: %+v", c.Previous)
	}

	// The texts survive a new draft from the data.
	c.Causes = "Mörka platser kvällstid."
	if _, err := s.Yearly.SaveYearlyDraft(sam, 2025, c); err != nil {
		t.Fatal(err)
	}
	if y, err = arsplan.SaveDraft(sam, s.Arsplan(), 2025, today); err != nil || y.Version != 1 || y.Content.Causes != "Mörka platser kvällstid." {
		t.Fatalf("drafted again: %v, version %d, causes %q", err, y.Version, y.Content.Causes)
	}
	if _, err := s.Yearly.DecideYearly(sam, 2025, 1); err != nil {
		t.Fatal(err)
	}

	y, err = arsplan.SaveDraft(sam, s.Arsplan(), 2026, today)
	if err != nil {
		t.Fatal(err)
	}
	c = y.Content
	if c.PreviousFrom != "2025, version 1 (beslutad)" || len(c.Previous) != 1 || c.Previous[0].ID != a.ID {
		t.Fatalf("follow-up: %q %+v", c.PreviousFrom, c.Previous)
	}
	if e := c.Previous[0].Effect; !strings.Contains(e, "minskade") {
		t.Errorf("the action's effect: %q, want a decrease", e)
	}

	for _, year := range []int{2022, 2028} {
		if _, err := arsplan.SaveDraft(sam, s.Arsplan(), year, today); trygg.ErrorCode(err) != trygg.EINVALID || !strings.Contains(trygg.ErrorMessage(err), "2023") {
			t.Errorf("year %d: %v, want EINVALID naming 2023", year, err)
		}
	}
	if _, err := arsplan.SaveDraft(rap, s.Arsplan(), 2026, today); err == nil {
		t.Error("a rapportör drafted the yearly document")
	}

	// A series the samordnare leaves out is not drafted, and the
	// document says so.
	if _, err := s.Indicators.UpdateSeries(sam, "bra_skadegorelse", indikator.SeriesSettings{Name: "Skadegörelse", Polarity: indikator.LowerIsBetter}); err != nil {
		t.Fatal(err)
	}
	c, err = arsplan.Draft(sam, s.Arsplan(), 2025, today)
	if err != nil {
		t.Fatal(err)
	}
	for _, ind := range c.Indicators {
		if ind.Code == "bra_skadegorelse" {
			t.Error("a series left out is in the draft")
		}
	}
	if want := "Samordnaren har valt bort en serie ur dokumentet: Skadegörelse."; c.LeftOutText() != want {
		t.Errorf("left out: %q, want %q", c.LeftOutText(), want)
	}
}
