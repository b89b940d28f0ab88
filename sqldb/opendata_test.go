package sqldb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/opendata"
	"github.com/trygg-est/trygg/sqldb"
)

// TestPublicTertial reads the raw cells of a tertial's weeks for
// opendata: a tertial shown on the test's day, a row withheld by the plan
// against the weeks, and the tertials not shown refused.
func TestPublicTertial(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		// Wednesday 11 December 2024, in tertial 3 2024, shown on the
		// test's day (14 March 2025).
		at := time.Date(2024, 12, 11, 12, 0, 0, 0, time.UTC)
		in := func(area, category string) trygg.ReportInput {
			r := input(area, category)
			r.OccurredAt = at
			return r
		}
		// klotter and skadegorelse share a group; vald is alone in its own.
		for range 3 {
			mustCreate(t, f, f.rapportor, in("alidhem", "klotter"))
		}
		for range 2 {
			mustCreate(t, f, f.rapportor, in("alidhem", "skadegorelse"))
		}
		mustCreate(t, f, f.rapportor, in("haga", "vald"))
		groups := map[string]string{}
		for _, c := range catalog(t, f) {
			groups[c.Code] = c.Group
		}
		od := sqldb.NewOpenDataService(db.DB)
		tab, err := od.PublicTertial(context.Background(), opendata.Tertial{Year: 2024, N: 3})
		if err != nil {
			t.Fatal(err)
		}
		// The week shows its total, 6, so alidhem's 5 is withheld with
		// haga's 1; alidhem's 5 in the table, with its 0s and its other
		// weeks' 0s, would give it back: the plan withholds it too.
		for _, tc := range []struct{ area, category, want string }{
			{"alidhem", "klotter", "färre än 5"},
			{"haga", "vald", "färre än 5"},
			{"haga", "klotter", "0"},
		} {
			var got []string
			for _, c := range tab.District(tc.area) {
				if c.Key == groups[tc.category] {
					got = append(got, c.Text())
				}
			}
			if fmt.Sprint(got) != fmt.Sprint([]string{tc.want}) {
				t.Errorf("%s, %s: %v, want %s", tc.area, groups[tc.category], got, tc.want)
			}
		}
		for _, tt := range []opendata.Tertial{{Year: 2025, N: 1}, {Year: 2021, N: 3}, {Year: 2024, N: 4}} {
			_, err := od.PublicTertial(context.Background(), tt)
			wantField(t, err, "tertial")
		}
	})
}
