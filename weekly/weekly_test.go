package weekly_test

import (
	"context"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
	"github.com/trygg-est/trygg/weekly"
)

// TestPublishDecode publishes a week through the real services and reads
// the frozen content back.
func TestPublishDecode(t *testing.T) {
	db := sqldbtest.Open(t)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	s := sqldb.NewServices(db)
	ctx := trygg.NewOperatorContext(context.Background())
	if err := s.Areas.UpsertAreas(ctx, []*trygg.Area{{Code: "alidhem", Name: "Ålidhem", Population: 7000}}); err != nil {
		t.Fatal(err)
	}
	week := trygg.ISOWeek{Year: 2026, Week: 46}
	if err := s.WeeklyReports.SaveWeeklyDraft(ctx, &trygg.WeeklyDraft{Week: week, Analysis: "Lugnt."}); err != nil {
		t.Fatal(err)
	}
	rep, err := weekly.Publish(ctx, s, week, trygg.DayOf(now))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.WeeklyReports.FindWeeklyReport(ctx, week, rep.Version)
	if err != nil {
		t.Fatal(err)
	}
	c, err := weekly.Decode(got)
	if err != nil {
		t.Fatal(err)
	}
	if got.Analysis != "Lugnt." || c.Filter.Period.Label != "vecka 46 2026" || len(c.Areas) != 1 || c.Areas[0].Name != "Ålidhem" || c.OpenActions != nil {
		t.Errorf("published %q with content %+v", got.Analysis, c.Filter)
	}
	if m, chart := c.Figures(); m == nil || chart == nil || m.Title == "" {
		t.Error("the content draws no map or chart")
	}
	if _, err := weekly.Decode(&trygg.WeeklyReport{Week: week, Picture: []byte("[1]")}); err == nil {
		t.Error("Decode accepted an array")
	}
}
