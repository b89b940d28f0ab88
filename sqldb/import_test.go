package sqldb_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
)

// TestBulkImportKeepsIndexes: a bulk load into an empty table builds the
// secondary indexes afterwards instead of row by row; they must all be
// there again, and the counts right, after a load that used that path and
// after one that failed half-way.
func TestBulkImportKeepsIndexes(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		before := reportIndexes(t, db)
		if len(before) < 3 {
			t.Fatalf("indexes on reports: %v", before)
		}
		rows := make([]trygg.ImportRow, 12000)
		for i := range rows {
			in := input([]string{"alidhem", "haga"}[i%2], "klotter")
			in.OccurredAt = testNow.Add(-time.Duration(i) * 17 * time.Minute)
			in.Description = fmt.Sprintf("Klotter nummer %d.", i)
			rows[i] = trygg.ImportRow{Line: i + 2, Input: in}
		}
		// A reporter who does not exist passes every check but the
		// database's own foreign key, so the import fails while inserting.
		bad := slices.Clone(rows)
		ghost := int64(999999)
		bad[len(bad)-1].ReporterID = &ghost
		if _, err := f.reports.ImportReports(operator(), "polisen", bad); err == nil {
			t.Fatal("import with an unknown reporter succeeded")
		}
		if live := liveReports(t, f); len(live) != 0 {
			t.Fatalf("a failed import left %d reports", len(live))
		}
		if got := reportIndexes(t, db); !slices.Equal(got, before) {
			t.Fatalf("indexes after a failed import = %v, want %v", got, before)
		}
		if n, err := f.reports.ImportReports(operator(), "polisen", rows); err != nil || n != len(rows) {
			t.Fatalf("import = %d, %v", n, err)
		}
		if got := reportIndexes(t, db); !slices.Equal(got, before) {
			t.Fatalf("indexes after a bulk import = %v, want %v", got, before)
		}
		checkCounts(t, f, sqldb.NewCountService(db.DB), "after a bulk import")
	})
}

// reportIndexes lists the names of the indexes on the reports table.
func reportIndexes(t *testing.T, db *testDB) []string {
	t.Helper()
	q := "SELECT indexname FROM pg_indexes WHERE tablename = 'reports' ORDER BY indexname"
	if db.Dialect() == "sqlite" {
		q = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reports' ORDER BY name"
	}
	rows, err := rawDB(t, db).Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	return names
}
