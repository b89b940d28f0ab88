package sqldb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
)

// TestCountsMatchRecount is the property test of the count tables: after
// any sequence of filings, imports, edits and soft deletes, every count
// query answers what a recount from the raw reports gives.
func TestCountsMatchRecount(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		counts := sqldb.NewCountService(db.DB)
		for seed := range uint64(3) {
			rng := rand.New(rand.NewPCG(seed, 0x636f756e74))
			var live []int64
			for step := range 60 {
				live = randomReportChange(t, f, rng, live)
				if step%15 == 14 {
					checkCounts(t, f, counts, fmt.Sprintf("seed %d step %d", seed, step))
				}
			}
		}
		// Re-typing an organisation leaves the counts of its reports as
		// they were filed.
		f.school.Type = trygg.OrgAssociation
		if err := f.orgs.UpdateOrganisation(operator(), f.school); err != nil {
			t.Fatal(err)
		}
		checkCounts(t, f, counts, "after re-typing an organisation")
	})
}

// edgeTimes are instants where a wrong day or week is easy to compute:
// Swedish midnight around New Year, a 53-week year and the DST changes.
var edgeTimes = []time.Time{
	time.Date(2024, 12, 31, 23, 30, 0, 0, time.UTC), // 2025-01-01 00:30 in Stockholm
	time.Date(2020, 12, 31, 22, 59, 0, 0, time.UTC), // 2020-12-31 23:59, ISO week 53
	time.Date(2021, 1, 3, 23, 0, 0, 0, time.UTC),    // Monday 2021-01-04 00:00, week 1
	time.Date(2024, 3, 31, 0, 59, 0, 0, time.UTC),   // DST starts
	time.Date(2024, 10, 26, 22, 0, 0, 0, time.UTC),  // Sunday 00:00, DST ends that night
}

// randomReportChange makes one random change and returns the reports that
// are still live.
func randomReportChange(t *testing.T, f *fixture, rng *rand.Rand, live []int64) []int64 {
	t.Helper()
	areas := []string{"alidhem", "haga"}
	categories := []string{"klotter", "skadegorelse", "vald", "social_oro"}
	randomInput := func() trygg.ReportInput {
		in := input(areas[rng.IntN(len(areas))], categories[rng.IntN(len(categories))])
		if rng.IntN(4) == 0 {
			in.OccurredAt = edgeTimes[rng.IntN(len(edgeTimes))]
		} else {
			in.OccurredAt = testNow.Add(-time.Duration(rng.Int64N(int64(5 * 365 * 24 * time.Hour))))
		}
		return in
	}
	switch op := rng.IntN(10); {
	case op < 4 || len(live) == 0:
		u := []*trygg.User{f.rapportor, f.polis, f.samordnare}[rng.IntN(3)]
		live = append(live, mustCreate(t, f, u, randomInput()).ID)
	case op < 6:
		rows := make([]trygg.ImportRow, 1+rng.IntN(40))
		for i := range rows {
			rows[i] = trygg.ImportRow{Line: i + 2, Input: randomInput()}
		}
		org := []string{"alidhemsskolan", "polisen"}[rng.IntN(2)]
		if _, err := f.reports.ImportReports(operator(), org, rows); err != nil {
			t.Fatal(err)
		}
		live = liveReports(t, f)
	case op < 8:
		if _, err := f.reports.UpdateReport(as(f.samordnare), live[rng.IntN(len(live))], randomInput()); err != nil {
			t.Fatal(err)
		}
	default:
		i := rng.IntN(len(live))
		if err := f.reports.DeleteReport(as(f.samordnare), live[i], "Dubblett"); err != nil {
			t.Fatal(err)
		}
		live = slices.Delete(live, i, i+1)
	}
	return live
}

func liveReports(t *testing.T, f *fixture) []int64 {
	t.Helper()
	rows, err := rawDB(t, f.db).Query("SELECT id FROM reports WHERE deleted_at IS NULL ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// recountKey is one day's cell in a recount.
type recountKey struct {
	day                     trygg.Day
	area, category, orgType string
}

// recount counts the live reports straight from the reports table.
type recount map[recountKey]int

func newRecount(t *testing.T, f *fixture) recount {
	t.Helper()
	rows, err := rawDB(t, f.db).Query("SELECT occurred_at, area_code, category, org_type FROM reports WHERE deleted_at IS NULL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	rc := recount{}
	for rows.Next() {
		var ms int64
		var k recountKey
		if err := rows.Scan(&ms, &k.area, &k.category, &k.orgType); err != nil {
			t.Fatal(err)
		}
		k.day = trygg.DayOf(time.UnixMilli(ms))
		rc[k]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return rc
}

// sum adds up the recount over the days in [from, to] of the given
// organisation types (nil: all), grouped by key.
func (rc recount) sum(from, to trygg.Day, orgTypes []trygg.OrgType, key func(day trygg.Day, area, category string) string) map[string]int {
	out := map[string]int{}
	for k, n := range rc {
		if k.day < from || k.day > to || (len(orgTypes) > 0 && !slices.Contains(orgTypes, trygg.OrgType(k.orgType))) {
			continue
		}
		out[key(k.day, k.area, k.category)] += n
	}
	return out
}

func checkCounts(t *testing.T, f *fixture, counts *sqldb.CountService, when string) {
	t.Helper()
	rc := newRecount(t, f)
	ctx := as(f.lasare)
	to := trygg.DayOf(testNow)
	periods := []struct{ from, to trygg.Day }{
		{trygg.DateDay(2019, 1, 1), to},
		{trygg.DateDay(2020, 12, 28), trygg.DateDay(2021, 1, 10)},
		{trygg.DateDay(2024, 3, 1), trygg.DateDay(2024, 11, 3)},
		{trygg.DateDay(2024, 12, 30), trygg.DateDay(2025, 1, 1)}, // ends on a Wednesday
	}
	for _, p := range periods {
		for _, orgTypes := range [][]trygg.OrgType{nil, {trygg.OrgPolice}, {trygg.OrgSchool, trygg.OrgPolice}} {
			filter := trygg.CountFilter{From: p.from, To: p.to, OrgTypes: orgTypes}
			name := fmt.Sprintf("%s, %s..%s %v", when, p.from, p.to, orgTypes)

			cells, err := counts.CountCells(ctx, filter)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, c := range cells {
				got[c.Area+" "+c.Category] = c.Count
			}
			want := rc.sum(p.from, p.to, orgTypes, func(_ trygg.Day, area, category string) string { return area + " " + category })
			if !mapsEqual(got, want) {
				t.Fatalf("%s: CountCells = %v, recount %v", name, got, want)
			}

			cube, err := counts.CountWeeks(ctx, filter)
			if err != nil {
				t.Fatal(err)
			}
			got = map[string]int{}
			for _, s := range cube.Series {
				for i, n := range s.Counts {
					if n != 0 {
						got[fmt.Sprint(cube.FirstMonday+trygg.Day(7*i), " ", s.Area, " ", s.Category)] = n
					}
				}
			}
			want = rc.sum(p.from.Monday(), p.to.Monday()+6, orgTypes, func(day trygg.Day, area, category string) string {
				return fmt.Sprint(day.Monday(), " ", area, " ", category)
			})
			if !mapsEqual(got, want) {
				t.Fatalf("%s: CountWeeks = %v, recount %v", name, got, want)
			}
		}
	}
}

func mapsEqual(a, b map[string]int) bool {
	for k, v := range b {
		if v == 0 {
			delete(b, k)
		}
	}
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestCountAccess(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		counts := sqldb.NewCountService(db.DB)
		filter := trygg.CountFilter{From: trygg.DateDay(2025, 1, 1), To: trygg.DateDay(2025, 3, 31)}
		tests := []struct {
			name string
			ctx  context.Context
			code string
		}{
			{"samordnare", as(f.samordnare), ""},
			{"polis", as(f.polis), ""},
			{"läsare", as(f.lasare), ""},
			{"admin", as(f.admin), ""},
			{"operator", operator(), ""},
			{"rapportör", as(f.rapportor), trygg.ENOTFOUND},
			{"socialtjänst", as(f.socialtjanst), trygg.ENOTFOUND},
			{"anonymous", context.Background(), trygg.EUNAUTHORIZED},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := counts.CountCells(tt.ctx, filter)
				wantCode(t, err, tt.code)
				_, err = counts.CountWeeks(tt.ctx, filter)
				wantCode(t, err, tt.code)
			})
		}
		_, err := counts.CountCells(as(f.samordnare), trygg.CountFilter{From: filter.To, To: filter.From})
		wantField(t, err, "to")
	})
}

func catalog(t *testing.T, f *fixture) []*trygg.Category {
	t.Helper()
	cats, err := f.cats.FindCategories(operator(), true)
	if err != nil {
		t.Fatal(err)
	}
	return cats
}

// TestMigrateRebuildsCounts: a database whose reports predate the count
// tables gets them filled when it is migrated.
func TestMigrateRebuildsCounts(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		for _, c := range []string{"klotter", "klotter", "vald"} {
			mustCreate(t, f, f.polis, input("haga", c))
		}
		raw := rawDB(t, db)
		for _, q := range []string{"DELETE FROM report_day_counts", "DELETE FROM report_week_counts",
			"INSERT INTO pending_tasks (name) VALUES ('rakna_om_antal')"} {
			if _, err := raw.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		checkCounts(t, f, sqldb.NewCountService(db.DB), "after rebuild")
		cells, err := sqldb.NewCountService(db.DB).CountCells(operator(), trygg.CountFilter{From: trygg.DayOf(testNow) - 1, To: trygg.DayOf(testNow)})
		if err != nil || len(cells) != 2 {
			t.Fatalf("cells = %v, %v; want klotter and vald", cells, err)
		}
	})
}
