package sqldbtest

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
)

// TestMigratedURLCopiesTheCurrentSchema checks that a copy of the template
// has the schema that the migrations build on an empty database now (so a
// template left from an edited migration would show), and that two copies
// share no rows.
func TestMigratedURLCopiesTheCurrentSchema(t *testing.T) {
	for _, dialect := range Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			fresh, copied := NewURL(t, dialect), MigratedURL(t, dialect)
			OpenURL(t, fresh)
			if want, got := columns(t, fresh), columns(t, copied); !slices.Equal(got, want) {
				t.Fatalf("the copy's columns differ from a fresh migration's:\ncopy:  %v\nfresh: %v", got, want)
			}

			ctx := trygg.NewOperatorContext(context.Background())
			one := sqldb.NewServices(OpenURL(t, copied))
			other := sqldb.NewServices(OpenURL(t, MigratedURL(t, dialect)))
			if err := one.Organisations.CreateOrganisation(ctx, &trygg.Organisation{Code: "polisen", Name: "Polisen", Type: trygg.OrgPolice}); err != nil {
				t.Fatal(err)
			}
			if _, err := other.Organisations.FindOrganisationByCode(ctx, "polisen"); trygg.ErrorCode(err) != trygg.ENOTFOUND {
				t.Errorf("another copy: find the organisation made in the first: error %v, want not found", err)
			}
		})
	}
}

// columns lists the database's tables and columns as "table.column", sorted.
func columns(t *testing.T, dbURL string) []string {
	t.Helper()
	driver, dsn, query := "pgx", dbURL, `SELECT table_name || '.' || column_name || ' ' || data_type
		FROM information_schema.columns WHERE table_schema = 'public'`
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		driver, dsn, query = "sqlite", path, `SELECT m.name || '.' || p.name || ' ' || p.type
			FROM sqlite_schema m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'`
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cols) == 0 {
		t.Fatalf("%s has no columns", dbURL)
	}
	slices.Sort(cols)
	return cols
}
