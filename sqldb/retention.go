package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
)

// PurgeConcerns is the register's retention job ("gallring"): it deletes
// the closed reports whose document type's rule says they are due, with
// their steps and categories, and returns them, oldest last entry first.
// The last entry is the newest of the report's registration and its
// recorded steps. Each deletion is written to the audit log with the
// report's ID, document type and last entry, and no personal data. With
// dryRun nothing is deleted and the audit log records only that a dry run
// was made. Only the operator (the CLI, run by a scheduler) may call it.
func (db *DB) PurgeConcerns(ctx context.Context, rules []concern.RetentionRule, dryRun bool) ([]concern.RetentionItem, error) {
	c := caller(ctx)
	if !c.operator {
		return nil, c.denied()
	}
	var items []concern.RetentionItem
	err := db.inWrite(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT c.id, c.investigated, c.created_at,
			(SELECT max(s.recorded_at) FROM concern_steps s WHERE s.concern_id = c.id)
			FROM concerns c WHERE c.closed_at IS NOT NULL ORDER BY c.id`)
		if err != nil {
			return err
		}
		var closed []concern.RetentionItem
		for rows.Next() {
			var id, created int64
			var investigated int
			var lastStep sql.NullInt64
			if err := rows.Scan(&id, &investigated, &created, &lastStep); err != nil {
				rows.Close()
				return err
			}
			closed = append(closed, concern.RetentionItem{ID: id, DocType: concern.DocTypeOf(investigated == 1),
				LastEntry: trygg.DayOf(fromMillis(max(created, lastStep.Int64)))})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		items = concern.DueForDeletion(rules, closed, trygg.DayOf(tx.now))
		if dryRun {
			return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditRead, objectType: objectConcern,
				detail: fmt.Sprintf("gallring, provkörning: %d skulle gallras", len(items))})
		}
		for _, it := range items {
			// An operativ task the report completed stays done; it only
			// stops pointing at the report.
			for _, q := range []string{"UPDATE operativ_tasks SET concern_id = NULL WHERE concern_id = $1",
				"DELETE FROM concern_steps WHERE concern_id = $1", "DELETE FROM concern_categories WHERE concern_id = $1",
				"DELETE FROM concerns WHERE id = $1"} {
				if _, err := tx.ExecContext(ctx, q, it.ID); err != nil {
					return err
				}
			}
			err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditDelete, objectType: objectConcern, objectID: objectID(it.ID),
				detail: fmt.Sprintf("gallring: %s, senaste anteckning %s", it.DocType, it.LastEntry)})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return items, err
}
