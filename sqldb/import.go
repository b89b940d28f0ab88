package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/trygg-est/trygg"
)

// maxImportErrors bounds how many bad rows one error lists.
const maxImportErrors = 100

const importColumns = `(occurred_at, occurred_end, reported_at, area_code, lat, lon, place_type, category,
	severity, description, org_id, reporter_id, version, updated_at, updated_by, org_type)`

// ImportReports stores rows for the organisation with orgCode in one
// transaction, with one audit entry for the whole import, and returns how
// many it wrote. The operator and the samordnare may import for any
// organisation, polis for their own; others get ENOTFOUND. Each row is
// checked again (fields, and that its area and category exist and the
// category is in use); any bad row fails the import with EINVALID naming
// the lines. Only the operator may set ReporterID.
func (s *ReportService) ImportReports(ctx context.Context, orgCode string, rows []trygg.ImportRow) (int, error) {
	c := caller(ctx)
	if !c.operator && !c.user.Has(trygg.RoleSamordnare, trygg.RolePolis) {
		return 0, c.denied()
	}
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		var orgID int64
		var orgType trygg.OrgType
		err := tx.QueryRowContext(ctx, "SELECT id, type FROM organisations WHERE code = $1", strings.TrimSpace(orgCode)).Scan(&orgID, &orgType)
		if errors.Is(err, sql.ErrNoRows) {
			var v trygg.Validation
			v.Add("org", "Organisationen %q finns inte.", orgCode)
			return v.Err()
		} else if err != nil {
			return err
		}
		if !c.operator && !c.user.Has(trygg.RoleSamordnare) && c.user.OrgID != orgID {
			return trygg.NotFound()
		}
		if err := checkImportRows(ctx, tx, c, rows); err != nil {
			return err
		}
		// In time order, every index takes its new keys at or near its
		// right edge, where SQLite splits pages least.
		slices.SortStableFunc(rows, func(a, b trygg.ImportRow) int { return a.Input.OccurredAt.Compare(b.Input.OccurredAt) })
		rebuild, err := setAsideReportIndexes(ctx, tx, len(rows))
		if err != nil {
			return err
		}
		if err := insertImportRows(ctx, tx, orgID, orgType, rows); err != nil {
			return err
		}
		if err := rebuild(); err != nil {
			return err
		}
		counts := countDeltas{}
		for _, row := range rows {
			counts.add(row.Input.OccurredAt, row.Input.AreaCode, row.Input.Category, orgType, 1)
		}
		if err := counts.apply(ctx, tx); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditImport, objectType: "report",
			detail: fmt.Sprintf("%d rapporter, organisation %s", len(rows), strings.TrimSpace(orgCode))})
	})
	if err != nil {
		return 0, err
	}
	return len(rows), nil
}

// checkImportRows validates every row, in place, against tx.now and the
// areas and categories in use, as a new report is checked.
func checkImportRows(ctx context.Context, tx *Tx, c identity, rows []trygg.ImportRow) error {
	codes, err := loadReportCodes(ctx, tx)
	if err != nil {
		return err
	}
	// Rows are independent, so the check runs on every core; each part
	// keeps its own errors, merged below in row order.
	parts := runtime.GOMAXPROCS(0)
	size := (len(rows) + parts - 1) / max(parts, 1)
	found := make([][]trygg.FieldError, parts)
	var wg sync.WaitGroup
	for p := range parts {
		part := rows[min(p*size, len(rows)):min((p+1)*size, len(rows))]
		wg.Go(func() {
			for i := range part {
				row := &part[i]
				if row.ReporterID != nil && !c.operator {
					row.ReporterID = nil
				}
				err := row.Input.Validate(tx.now)
				if err == nil {
					err = codes.check(&row.Input)
				}
				for _, f := range trygg.ErrorFields(err) {
					if len(found[p]) < maxImportErrors {
						found[p] = append(found[p], trygg.FieldError{Field: f.Field, Message: fmt.Sprintf("Rad %d: %s", row.Line, f.Message)})
					}
				}
			}
		})
	}
	wg.Wait()
	var bad trygg.Validation
	for _, fields := range found {
		bad.Fields = append(bad.Fields, fields...)
	}
	bad.Fields = bad.Fields[:min(len(bad.Fields), maxImportErrors)]
	return bad.Err()
}

// importValues is how many values one imported row binds.
const importValues = 16

// insertImportRows writes rows with multi-row INSERTs.
func insertImportRows(ctx context.Context, tx *Tx, orgID int64, orgType trygg.OrgType, rows []trygg.ImportRow) error {
	return writeRows(ctx, tx, "INSERT INTO reports "+importColumns, "", importValues, len(rows), func(dst []any, from, to int) []any {
		return importArgs(dst, tx, orgID, orgType, rows[from:to])
	})
}

// importArgs appends the values of rows to args, in importColumns order.
func importArgs(args []any, tx *Tx, orgID int64, orgType trygg.OrgType, rows []trygg.ImportRow) []any {
	for _, row := range rows {
		in := row.Input
		reported := row.ReportedAt
		if reported.IsZero() {
			reported = tx.now
		}
		lat, lon := locationArgs(in.Location)
		var reporter sql.NullInt64
		if row.ReporterID != nil {
			reporter = sql.NullInt64{Int64: *row.ReporterID, Valid: true}
		}
		args = append(args, millis(in.OccurredAt), nullMillis(in.OccurredEnd), millis(reported), in.AreaCode, lat, lon,
			in.PlaceType, in.Category, in.Severity, in.Description, orgID, reporter, 1, millis(reported), reporter, string(orgType))
	}
	return args
}
