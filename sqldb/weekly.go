package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/weekly"
)

var _ weekly.Service = (*WeeklyReportService)(nil)

// WeeklyReportService keeps the weekly reports: a draft per week, and the
// published versions, which are only ever inserted.
type WeeklyReportService struct{ db *DB }

// NewWeeklyReportService returns the weekly report service of db.
func NewWeeklyReportService(db *DB) *WeeklyReportService { return &WeeklyReportService{db: db} }

// mayWriteWeekly reports whether the caller may edit and publish.
func (c identity) mayWriteWeekly() bool { return c.operator || c.user.Has(trygg.RoleSamordnare) }

// mayReadWeekly reports whether the caller may read published reports.
func (c identity) mayReadWeekly() bool {
	return c.operator || c.user.Has(trygg.RoleSamordnare, trygg.RolePolis, trygg.RoleLasare, trygg.RoleAdmin)
}

// FindWeeklyDraft returns the saved texts of w, or an empty draft.
// Samordnare and the operator.
func (s *WeeklyReportService) FindWeeklyDraft(ctx context.Context, w trygg.ISOWeek) (*weekly.Draft, error) {
	c := caller(ctx)
	if !c.mayWriteWeekly() {
		return nil, c.denied()
	}
	if err := weekly.CheckWeek(w); err != nil {
		return nil, err
	}
	d := &weekly.Draft{Week: w}
	var updated int64
	err := s.db.read.QueryRowContext(ctx, "SELECT analysis, conclusions, updated_at FROM weekly_drafts WHERE iso_year = $1 AND iso_week = $2",
		w.Year, w.Week).Scan(&d.Analysis, &d.Conclusions, &updated)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return d, nil
	case err != nil:
		return nil, err
	}
	t := fromMillis(updated)
	d.UpdatedAt = &t
	return d, nil
}

// SaveWeeklyDraft stores the texts of d.Week. Samordnare and the operator.
func (s *WeeklyReportService) SaveWeeklyDraft(ctx context.Context, d *weekly.Draft) error {
	c := caller(ctx)
	if !c.mayWriteWeekly() {
		return c.denied()
	}
	if err := d.Validate(); err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO weekly_drafts (iso_year, iso_week, analysis, conclusions, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (iso_year, iso_week) DO UPDATE SET analysis = excluded.analysis, conclusions = excluded.conclusions,
				updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			d.Week.Year, d.Week.Week, d.Analysis, d.Conclusions, millis(tx.now), actorOf(c).userID)
		if err != nil {
			return err
		}
		d.UpdatedAt = &tx.now
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "weekly_draft", objectID: d.Week.Code()})
	})
}

// PublishWeeklyReport freezes the draft texts and picture as the next
// version of w. Samordnare and the operator.
func (s *WeeklyReportService) PublishWeeklyReport(ctx context.Context, w trygg.ISOWeek, picture json.RawMessage) (*weekly.Report, error) {
	c := caller(ctx)
	if !c.mayWriteWeekly() {
		return nil, c.denied()
	}
	if err := weekly.CheckWeek(w); err != nil {
		return nil, err
	}
	if err := weekly.CheckPicture(picture); err != nil {
		return nil, err
	}
	rep := &weekly.Report{Week: w, Picture: picture, PublisherName: "Operatören"}
	if c.user != nil {
		rep.PublisherName = c.user.Name
	}
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, "SELECT analysis, conclusions FROM weekly_drafts WHERE iso_year = $1 AND iso_week = $2",
			w.Year, w.Week).Scan(&rep.Analysis, &rep.Conclusions)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		// Every writer holds the audit chain lock (beginWrite), so no
		// other publishing can take the same number meanwhile.
		err = tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) + 1 FROM weekly_report_versions WHERE iso_year = $1 AND iso_week = $2",
			w.Year, w.Week).Scan(&rep.Version)
		if err != nil {
			return err
		}
		a := actorOf(c)
		rep.PublishedAt, rep.PublishedBy = tx.now, a.userID
		_, err = tx.ExecContext(ctx, `INSERT INTO weekly_report_versions
			(iso_year, iso_week, version, analysis, conclusions, picture, published_at, published_by, publisher_name)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			w.Year, w.Week, rep.Version, rep.Analysis, rep.Conclusions, string(picture), millis(tx.now), a.userID, rep.PublisherName)
		if err != nil {
			return err
		}
		return tx.audit(ctx, a, auditEntry{action: trygg.AuditCreate, objectType: "weekly_report",
			objectID: w.Code(), detail: weeklySeal(rep)})
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

const weeklyColumns = "iso_year, iso_week, version, analysis, conclusions, published_at, published_by, publisher_name"

func scanWeeklyReport(s interface{ Scan(...any) error }, extra ...any) (*weekly.Report, error) {
	var r weekly.Report
	var at int64
	var by sql.NullInt64
	dest := append([]any{&r.Week.Year, &r.Week.Week, &r.Version, &r.Analysis, &r.Conclusions, &at, &by, &r.PublisherName}, extra...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	r.PublishedAt, r.PublishedBy = fromMillis(at), int64Ptr(by)
	return &r, nil
}

// FindWeeklyReport returns version (0: the newest) of w with its picture.
// Samordnare, polis, läsare, admin and the operator.
func (s *WeeklyReportService) FindWeeklyReport(ctx context.Context, w trygg.ISOWeek, version int) (*weekly.Report, error) {
	c := caller(ctx)
	if !c.mayReadWeekly() {
		return nil, c.denied()
	}
	if !w.Valid() || version < 0 {
		return nil, trygg.NotFound()
	}
	q := "SELECT " + weeklyColumns + ", picture FROM weekly_report_versions WHERE iso_year = $1 AND iso_week = $2"
	args := []any{w.Year, w.Week}
	if version > 0 {
		q += " AND version = $3"
		args = append(args, version)
	} else {
		q += " ORDER BY version DESC LIMIT 1"
	}
	var picture string
	r, err := scanWeeklyReport(s.db.read.QueryRowContext(ctx, q, args...), &picture)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trygg.NotFound()
	} else if err != nil {
		return nil, err
	}
	r.Picture = json.RawMessage(picture)
	// The hash-chained audit log holds each version's seal, so a version
	// changed behind the service's back no longer matches it.
	var sealed int
	err = s.db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'weekly_report' AND object_id = $1 AND detail = $2",
		r.Week.Code(), weeklySeal(r)).Scan(&sealed)
	if err != nil {
		return nil, err
	}
	if sealed == 0 {
		return nil, fmt.Errorf("weekly report %s version %d does not match the seal in the audit log", r.Week.Code(), r.Version)
	}
	return r, nil
}

// weeklySeal is the audit detail of a published version: its number and a
// SHA-256 of everything it shows.
func weeklySeal(r *weekly.Report) string {
	h := sha256.New()
	for _, part := range []string{r.Week.Code(), strconv.Itoa(r.Version), r.Analysis, r.Conclusions, string(r.Picture),
		strconv.FormatInt(millis(r.PublishedAt), 10), r.PublisherName} {
		fmt.Fprintf(h, "%d:%s|", len(part), part)
	}
	return fmt.Sprintf("version %d sha256:%x", r.Version, h.Sum(nil))
}

// FindWeeklyReports lists the published versions, newest first, without
// pictures. Callers as for FindWeeklyReport.
func (s *WeeklyReportService) FindWeeklyReports(ctx context.Context, limit int) ([]*weekly.Report, error) {
	c := caller(ctx)
	if !c.mayReadWeekly() {
		return nil, c.denied()
	}
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := s.db.read.QueryContext(ctx, "SELECT "+weeklyColumns+" FROM weekly_report_versions ORDER BY iso_year DESC, iso_week DESC, version DESC LIMIT $1", limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var reps []*weekly.Report
	for rows.Next() {
		r, err := scanWeeklyReport(rows)
		if err != nil {
			return nil, err
		}
		reps = append(reps, r)
	}
	return reps, rows.Err()
}
