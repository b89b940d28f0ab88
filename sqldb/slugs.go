package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"
)

// Migration 13 renames the stored values that were English words to
// Swedish ASCII slugs, so that every stored code is in one language (ADR
// 0007). It is written in Go rather than as migrations/00013_….sql because
// two of the columns carry a CHECK listing their values, and a CHECK is
// changed differently on the two databases (replaceCheckList in
// dialect.go). The audit log keeps its English action names: its rows are
// hash-chained and never rewritten.
const slugMigrationVersion = 13

// slugColumn is a column whose stored values migration 13 renames.
type slugColumn struct {
	table, column string
	// checked: the column has CHECK (column IN (…)) listing exactly the
	// renamed values, in this order.
	checked bool
	renames []slugRename
}

// slugRename is one stored value before (English) and after (Swedish).
type slugRename struct{ english, swedish string }

var (
	jobSlugs = []slugRename{{"action-reminders", "atgardspaminnelser"}, {"weekly-digest", "veckosammanfattning"}}

	slugColumns = []slugColumn{
		{"agreements", "status", true, []slugRename{{"draft", "utkast"}, {"signed", "undertecknat"}, {"ended", "avslutat"}}},
		{"actions", "status", true, []slugRename{{"planned", "planerad"}, {"ongoing", "pagaende"}, {"done", "klar"}, {"cancelled", "installd"}}},
		{"operations", "place_type", false, []slugRename{{"online", "natet"}}},
		{"job_runs", "job", false, jobSlugs},
		{"mail_outbox", "job", false, jobSlugs},
		{"pending_tasks", "name", false, []slugRename{{"rebuild_counts", "rakna_om_antal"}}},
	}
)

// slugMigration is migration 13 for dialect; Down restores the English
// values.
func slugMigration(dialect string) *goose.Migration {
	run := func(toSwedish bool) *goose.GoFunc {
		return &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			return renameSlugs(ctx, tx, dialect, toSwedish)
		}}
	}
	return goose.NewGoMigration(slugMigrationVersion, run(true), run(false))
}

// renameSlugs rewrites every slugColumn, and its CHECK, to Swedish or back
// to English.
func renameSlugs(ctx context.Context, tx *sql.Tx, dialect string, toSwedish bool) error {
	for _, c := range slugColumns {
		from, to := make([]string, len(c.renames)), make([]string, len(c.renames))
		for i, r := range c.renames {
			from[i], to[i] = r.english, r.swedish
			if !toSwedish {
				from[i], to[i] = r.swedish, r.english
			}
		}
		rewrite := func() error {
			for i := range from {
				q := fmt.Sprintf("UPDATE %s SET %s = $1 WHERE %s = $2", c.table, c.column, c.column)
				if _, err := tx.ExecContext(ctx, q, to[i], from[i]); err != nil {
					return fmt.Errorf("rename %s.%s %q: %w", c.table, c.column, from[i], err)
				}
			}
			return nil
		}
		if !c.checked {
			if err := rewrite(); err != nil {
				return err
			}
			continue
		}
		if err := replaceCheckList(ctx, tx, dialect, c.table, c.column, from, to, rewrite); err != nil {
			return fmt.Errorf("check of %s.%s: %w", c.table, c.column, err)
		}
	}
	return nil
}
