package demo

import (
	"context"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
	"github.com/trygg-est/trygg/tips"
)

func TestLoad(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loads 50,000 reports")
	}
	ds := dataset(t)
	for _, dialect := range sqldbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := sqldbtest.OpenURL(t, sqldbtest.MigratedURL(t, dialect))
			db.Now = func() time.Time { return testNow.Add(time.Minute) }
			ctx := context.Background()
			s := sqldb.NewServices(db)

			start := time.Now()
			if err := Load(ctx, s, ds); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: loaded %d reports in %v", dialect, len(ds.Reports), time.Since(start).Round(time.Millisecond))

			op := trygg.NewOperatorContext(ctx)
			// The night walks' observations are reports too (issue 15),
			// filed by their logs rather than generated here.
			var generated []trygg.OrgType
			for _, ot := range trygg.OrgTypes {
				if ot != trygg.OrgNightwalk {
					generated = append(generated, ot)
				}
			}
			counts, err := s.Reports.CountReports(op, trygg.ReportFilter{OrgTypes: generated})
			if err != nil {
				t.Fatal(err)
			}
			perArea := map[string]int{}
			for _, rep := range ds.Reports {
				perArea[rep.Input.AreaCode]++
			}
			for _, tip := range demoTips { // accepted tips are reports too
				if tip.decision == tips.DecisionAccepted {
					perArea[tip.area]++
				}
			}
			stored := map[string]int{}
			for _, c := range counts {
				stored[c.AreaCode] += c.Count
			}
			for _, a := range ds.Areas {
				if stored[a.Code] != perArea[a.Code] {
					t.Errorf("area %s: %d reports stored, %d generated", a.Code, stored[a.Code], perArea[a.Code])
				}
			}

			// A samordnare sees the newest report as generated, with its
			// reporter and organisation.
			u, err := s.Users.FindUsers(op, trygg.UserFilter{Email: new(Logins()[0].Email)})
			if err != nil || len(u) != 1 {
				t.Fatalf("find samordnare: %v %v", u, err)
			}
			page, err := s.Reports.FindReports(trygg.NewContextWithUser(ctx, u[0]), trygg.ReportFilter{Limit: 1})
			if err != nil || len(page.Reports) != 1 {
				t.Fatalf("find reports: %v %v", page, err)
			}
			got := page.Reports[0]
			found := false
			for i := len(ds.Reports) - 1; i >= 0 && ds.Reports[i].Input.OccurredAt.Equal(got.OccurredAt); i-- {
				want := ds.Reports[i]
				found = found || got.Description == want.Input.Description && got.OrgCode == want.OrgCode &&
					got.ReportedAt.Equal(want.ReportedAt.Truncate(time.Millisecond)) && got.ReporterID != nil
			}
			if !found {
				t.Errorf("newest report stored as %+v, not as generated", got)
			}

			if err := Load(ctx, s, ds); trygg.ErrorCode(err) != trygg.ECONFLICT {
				t.Errorf("loading twice: %v, want a conflict", err)
			}
		})
	}
}
