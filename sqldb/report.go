package sqldb

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/trygg-est/trygg"
)

var _ trygg.ReportService = (*ReportService)(nil)

// Page sizes for FindReports.
const (
	defaultPageSize = 50
	maxPageSize     = 1000
)

// ReportService files and reads incident reports.
type ReportService struct {
	db *DB
}

// NewReportService returns the report service of db. Its reports are filed
// through the database's one group-commit writer (see committer.go).
func NewReportService(db *DB) *ReportService {
	db.startCommitter()
	return &ReportService{db: db}
}

// reportScope is which reports a caller may see.
type reportScope struct {
	any     bool  // every organisation's reports
	orgID   int64 // only this organisation's, when !any
	deleted bool  // soft-deleted reports too
}

// scopeOf returns the caller's report scope, or false when the caller may
// see no single report (läsare, admin, socialtjänst, anonymous).
func scopeOf(c identity) (reportScope, bool) {
	switch {
	case c.operator || c.user.Has(trygg.RoleSamordnare):
		return reportScope{any: true, deleted: true}, true
	case c.user.Has(trygg.RoleRapportor, trygg.RolePolis):
		return reportScope{orgID: c.user.OrgID}, true
	}
	return reportScope{}, false
}

// canCreate reports whether the user may file reports.
func canCreate(u *trygg.User) bool {
	return u.Has(trygg.RoleRapportor, trygg.RolePolis, trygg.RoleSamordnare)
}

const reportColumns = `r.id, r.occurred_at, r.occurred_end, r.reported_at, r.area_code, r.lat, r.lon,
	r.place_type, r.category, r.severity, r.description, o.code, r.reporter_id, r.version,
	r.updated_at, r.deleted_at, r.delete_reason, r.org_id, r.updated_by`

const reportFrom = " FROM reports r JOIN organisations o ON o.id = r.org_id"

// storedReport is a report with the columns the domain type leaves out.
type storedReport struct {
	*trygg.Report
	orgID     int64
	updatedBy *int64
}

func scanReport(s interface{ Scan(...any) error }) (storedReport, error) {
	var r trygg.Report
	var occurred, reported, updated, orgID int64
	var end, reporter, deleted, updatedBy sql.NullInt64
	var lat, lon sql.NullFloat64
	var reason sql.NullString
	err := s.Scan(&r.ID, &occurred, &end, &reported, &r.AreaCode, &lat, &lon,
		&r.PlaceType, &r.Category, &r.Severity, &r.Description, &r.OrgCode, &reporter, &r.Version,
		&updated, &deleted, &reason, &orgID, &updatedBy)
	if err != nil {
		return storedReport{}, err
	}
	r.OccurredAt, r.OccurredEnd, r.ReportedAt = fromMillis(occurred), timePtr(end), fromMillis(reported)
	if lat.Valid && lon.Valid {
		r.Location = &trygg.Point{Lat: lat.Float64, Lon: lon.Float64}
	}
	r.ReporterID, r.UpdatedAt, r.DeletedAt, r.DeleteReason = int64Ptr(reporter), fromMillis(updated), timePtr(deleted), reason.String
	return storedReport{Report: &r, orgID: orgID, updatedBy: int64Ptr(updatedBy)}, nil
}

// visible reports whether scope may see the stored report.
func (sc reportScope) visible(r storedReport) bool {
	if r.DeletedAt != nil && !sc.deleted {
		return false
	}
	return sc.any || r.orgID == sc.orgID
}

func findStoredReport(ctx context.Context, q queryer, id int64) (storedReport, error) {
	r, err := scanReport(q.QueryRowContext(ctx, "SELECT "+reportColumns+reportFrom+" WHERE r.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, trygg.NotFound()
	}
	return r, err
}

// FindReportByID returns the report. Rapportör and polis see their own
// organisation's reports, the samordnare and the operator all, including
// soft-deleted ones (a read that is audited). ENOTFOUND for anything else.
func (s *ReportService) FindReportByID(ctx context.Context, id int64) (*trygg.Report, error) {
	c := caller(ctx)
	scope, ok := scopeOf(c)
	if !ok {
		return nil, c.denied()
	}
	r, err := findStoredReport(ctx, s.db.read, id)
	if err != nil {
		return nil, err
	}
	if !scope.visible(r) {
		return nil, trygg.NotFound()
	}
	if r.DeletedAt != nil {
		err := s.db.inWrite(ctx, func(tx *Tx) error {
			return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditRead, objectType: "report", objectID: objectID(id), detail: "borttagen rapport"})
		})
		if err != nil {
			return nil, err
		}
	}
	return r.Report, nil
}

// reportQuery is the WHERE clause and arguments for a filter and scope.
type reportQuery struct {
	where []string
	args  []any
}

func (q *reportQuery) add(cond string, args ...any) {
	n := len(q.args)
	q.args = append(q.args, args...)
	q.where = append(q.where, fmt.Sprintf(cond, placeholderList(n+1, len(args))...))
}

// placeholderList returns "$from" … for n arguments, as fmt arguments.
func placeholderList(from, n int) []any {
	ps := make([]any, n)
	for i := range n {
		ps[i] = "$" + strconv.Itoa(from+i)
	}
	return ps
}

func (q *reportQuery) in(column string, values []any) {
	if len(values) == 0 {
		return
	}
	n := len(q.args)
	q.args = append(q.args, values...)
	q.where = append(q.where, column+" IN ("+placeholders(n+1, len(values))+")")
}

func (q *reportQuery) sql() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

func anySlice[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// buildReportQuery turns a filter into SQL for the caller's scope. It
// returns ENOTFOUND when the filter asks for deleted reports the caller may
// not see.
func buildReportQuery(c identity, scope reportScope, f trygg.ReportFilter) (*reportQuery, error) {
	q := &reportQuery{}
	if f.Deleted {
		if !scope.deleted {
			return nil, c.denied()
		}
		q.add("r.deleted_at IS NOT NULL")
	} else {
		q.add("r.deleted_at IS NULL")
	}
	if !scope.any {
		q.add("r.org_id = %s", scope.orgID)
	}
	if f.From != nil {
		q.add("r.occurred_at >= %s", millis(*f.From))
	}
	if f.To != nil {
		q.add("r.occurred_at < %s", millis(*f.To))
	}
	q.in("r.area_code", anySlice(f.AreaCodes))
	q.in("r.category", anySlice(f.Categories))
	q.in("o.code", anySlice(f.OrgCodes))
	orgTypes := make([]any, len(f.OrgTypes))
	for i, t := range f.OrgTypes {
		orgTypes[i] = string(t)
	}
	q.in("r.org_type", orgTypes)
	q.in("r.severity", anySlice(f.Severities))
	if f.ReporterID != nil {
		q.add("r.reporter_id = %s", *f.ReporterID)
	}
	return q, nil
}

// encodeCursor makes the opaque cursor that continues after r.
func encodeCursor(r *trygg.Report) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%d:%d", millis(r.OccurredAt), r.ID)))
}

func decodeCursor(cursor string) (occurredMs, id int64, err error) {
	bad := &trygg.Error{Code: trygg.EINVALID, Message: "Ogiltig sidmarkör. Börja om från första sidan.",
		Fields: []trygg.FieldError{{Field: "cursor", Message: "Ogiltig sidmarkör."}}}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return 0, 0, bad
	}
	a, z, ok := strings.Cut(string(b), ":")
	if !ok {
		return 0, 0, bad
	}
	if occurredMs, err = strconv.ParseInt(a, 10, 64); err != nil {
		return 0, 0, bad
	}
	if id, err = strconv.ParseInt(z, 10, 64); err != nil {
		return 0, 0, bad
	}
	return occurredMs, id, nil
}

// FindReports returns one page of the reports the caller may see, newest
// first. Deleted reports (f.Deleted) are for the samordnare and the
// operator, and reading them is audited. Callers who may see no single
// report get ENOTFOUND; a bad cursor is EINVALID.
func (s *ReportService) FindReports(ctx context.Context, f trygg.ReportFilter) (*trygg.ReportPage, error) {
	c := caller(ctx)
	scope, ok := scopeOf(c)
	if !ok {
		return nil, c.denied()
	}
	q, err := buildReportQuery(c, scope, f)
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultPageSize
	}
	limit = min(limit, maxPageSize)

	page := &trygg.ReportPage{}
	if err := s.db.read.QueryRowContext(ctx, "SELECT count(*)"+reportFrom+q.sql(), q.args...).Scan(&page.Total); err != nil {
		return nil, err
	}
	offset := max(f.Offset, 0)
	if f.Cursor != "" {
		occurred, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, err
		}
		q.add("(r.occurred_at < %s OR (r.occurred_at = %s AND r.id < %s))", occurred, occurred, id)
		offset = 0
	}
	n := len(q.args)
	query := "SELECT " + reportColumns + reportFrom + q.sql() +
		fmt.Sprintf(" ORDER BY r.occurred_at DESC, r.id DESC LIMIT $%d OFFSET $%d", n+1, n+2)
	rows, err := s.db.read.QueryContext(ctx, query, append(q.args, limit+1, offset)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, err
		}
		page.Reports = append(page.Reports, r.Report)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(page.Reports) > limit {
		page.Reports = page.Reports[:limit]
		page.Next = encodeCursor(page.Reports[limit-1])
	}
	if f.Deleted {
		err := s.db.inWrite(ctx, func(tx *Tx) error {
			return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditRead, objectType: "report", detail: fmt.Sprintf("borttagna rapporter: %d", len(page.Reports))})
		})
		if err != nil {
			return nil, err
		}
	}
	return page, nil
}

// EachReport calls fn for every report the caller may see that matches f,
// newest first, ignoring paging. Rows stream from the database, so an
// export of every report does not hold them all in memory. The export is
// audited with its size. Same access as FindReports.
func (s *ReportService) EachReport(ctx context.Context, f trygg.ReportFilter, fn func(*trygg.Report) error) error {
	c := caller(ctx)
	scope, ok := scopeOf(c)
	if !ok {
		return c.denied()
	}
	q, err := buildReportQuery(c, scope, f)
	if err != nil {
		return err
	}
	count, err := s.eachReport(ctx, q, fn)
	if err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditExport, objectType: "report", detail: fmt.Sprintf("%d rapporter", count)})
	})
}

func (s *ReportService) eachReport(ctx context.Context, q *reportQuery, fn func(*trygg.Report) error) (int, error) {
	rows, err := s.db.read.QueryContext(ctx, "SELECT "+reportColumns+reportFrom+q.sql()+" ORDER BY r.occurred_at DESC, r.id DESC", q.args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	count := 0
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return count, err
		}
		if err := fn(r.Report); err != nil {
			return count, err
		}
		count++
	}
	return count, rows.Err()
}

// CountReports returns how many reports match f per area and category,
// ignoring paging, ordered by area and category. Läsare, the samordnare
// and the operator count every organisation's reports, rapportör and
// polis their own organisation's; others get ENOTFOUND. Deleted reports
// (f.Deleted) are counted only for the samordnare and the operator.
func (s *ReportService) CountReports(ctx context.Context, f trygg.ReportFilter) ([]trygg.ReportCount, error) {
	c := caller(ctx)
	scope, ok := scopeOf(c)
	if c.user.Has(trygg.RoleLasare) {
		scope.any, ok = true, true
	}
	if !ok {
		return nil, c.denied()
	}
	q, err := buildReportQuery(c, scope, f)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.read.QueryContext(ctx, "SELECT r.area_code, r.category, count(*)"+reportFrom+q.sql()+
		" GROUP BY r.area_code, r.category ORDER BY r.area_code, r.category", q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var counts []trygg.ReportCount
	for rows.Next() {
		var rc trygg.ReportCount
		if err := rows.Scan(&rc.AreaCode, &rc.Category, &rc.Count); err != nil {
			return nil, err
		}
		counts = append(counts, rc)
	}
	return counts, rows.Err()
}

// checkCodes checks that the area exists and that the category exists and,
// unless it may stay as it was, is not archived.
func checkCodes(ctx context.Context, tx *Tx, in *trygg.ReportInput, keptCategory string) error {
	var areas, active, archived int
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM areas WHERE code = $1),
		(SELECT count(*) FROM categories WHERE code = $2 AND archived_at IS NULL),
		(SELECT count(*) FROM categories WHERE code = $2 AND archived_at IS NOT NULL)`,
		in.AreaCode, in.Category).Scan(&areas, &active, &archived)
	if err != nil {
		return err
	}
	return in.CheckCodes(areas > 0, active > 0, archived > 0, keptCategory)
}

// reportCodes are the area and category codes, read once for a batch of
// new reports instead of once per report.
type reportCodes struct {
	areas      map[string]bool
	categories map[string]bool // code → archived
}

func loadReportCodes(ctx context.Context, tx *Tx) (*reportCodes, error) {
	codes := &reportCodes{areas: map[string]bool{}, categories: map[string]bool{}}
	stmt, err := tx.stmt(ctx, tx.db.stmts.areaCodes)
	if err != nil {
		return nil, err
	}
	rows, err := stmt.QueryContext(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, err
		}
		codes.areas[code] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if stmt, err = tx.stmt(ctx, tx.db.stmts.categoryCodes); err != nil {
		return nil, err
	}
	if rows, err = stmt.QueryContext(ctx); err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var archived sql.NullInt64
		if err := rows.Scan(&code, &archived); err != nil {
			return nil, err
		}
		codes.categories[code] = archived.Valid
	}
	return codes, rows.Err()
}

// check is checkCodes for a new report.
func (c *reportCodes) check(in *trygg.ReportInput) error {
	archived, exists := c.categories[in.Category]
	return in.CheckCodes(c.areas[in.AreaCode], exists && !archived, exists && archived, "")
}

func locationArgs(p *trygg.Point) (lat, lon sql.NullFloat64) {
	if p == nil {
		return
	}
	return sql.NullFloat64{Float64: p.Lat, Valid: true}, sql.NullFloat64{Float64: p.Lon, Valid: true}
}

// insertReport stores a new report by user inside tx, with its audit entry,
// and adds it to counts. codes are the area and category codes as of tx.
func insertReport(ctx context.Context, tx *Tx, codes *reportCodes, counts countDeltas, user *trygg.User, in trygg.ReportInput) (*trygg.Report, error) {
	if err := codes.check(&in); err != nil {
		return nil, err
	}
	orgCode, orgType := "", trygg.OrgType("")
	if user.Org != nil && user.Org.ID == user.OrgID {
		orgCode, orgType = user.Org.Code, user.Org.Type
	} else if err := tx.QueryRowContext(ctx, "SELECT code, type FROM organisations WHERE id = $1", user.OrgID).Scan(&orgCode, &orgType); err != nil {
		return nil, err
	}
	lat, lon := locationArgs(in.Location)
	reporter := user.ID
	r := &trygg.Report{
		OccurredAt: in.OccurredAt.UTC(), OccurredEnd: in.OccurredEnd, ReportedAt: tx.now,
		AreaCode: in.AreaCode, Location: in.Location, PlaceType: in.PlaceType, Category: in.Category,
		Severity: in.Severity, Description: in.Description, OrgCode: orgCode, ReporterID: &reporter,
		Version: 1, UpdatedAt: tx.now,
	}
	if r.OccurredEnd != nil {
		end := r.OccurredEnd.UTC()
		r.OccurredEnd = &end
	}
	insert, err := tx.stmt(ctx, tx.db.stmts.insertReport)
	if err != nil {
		return nil, err
	}
	err = insert.QueryRowContext(ctx, millis(r.OccurredAt), nullMillis(r.OccurredEnd), millis(tx.now), r.AreaCode, lat, lon,
		r.PlaceType, r.Category, r.Severity, r.Description, user.OrgID, reporter, string(orgType)).Scan(&r.ID)
	if err != nil {
		return nil, translate(err)
	}
	// Milliseconds are what the database keeps; answer with the same.
	r.OccurredAt = fromMillis(millis(r.OccurredAt))
	if r.OccurredEnd != nil {
		end := fromMillis(millis(*r.OccurredEnd))
		r.OccurredEnd = &end
	}
	r.ReportedAt, r.UpdatedAt = fromMillis(millis(tx.now)), fromMillis(millis(tx.now))
	if err := tx.audit(ctx, userActor(user), auditEntry{action: trygg.AuditCreate, objectType: "report", objectID: objectID(r.ID)}); err != nil {
		return nil, err
	}
	counts.add(r.OccurredAt, r.AreaCode, r.Category, orgType, 1)
	return r, nil
}

// CreateReport files a report for the caller, who must be a rapportör,
// polis or samordnare (others get ENOTFOUND). Returns EINVALID naming each
// bad field. Concurrent calls share one transaction (group commit), so a
// burst of reports costs one disk flush rather than one each; every call
// still gets its own answer.
func (s *ReportService) CreateReport(ctx context.Context, in trygg.ReportInput) (*trygg.Report, error) {
	c := caller(ctx)
	if c.user == nil || !canCreate(c.user) {
		return nil, c.denied()
	}
	// Validating here rather than in the writer spreads the work over the
	// callers' goroutines; the writer only touches the database.
	if err := in.Validate(s.db.Now()); err != nil {
		return nil, err
	}
	return s.db.committer.create(ctx, c.user, in)
}

// editable loads report id for a change by the caller.
func editable(ctx context.Context, tx *Tx, c identity, scope reportScope, id int64) (storedReport, error) {
	r, err := findStoredReport(ctx, tx, id)
	if err != nil {
		return r, err
	}
	if !scope.visible(r) {
		return r, trygg.NotFound()
	}
	if r.DeletedAt != nil {
		return r, trygg.Errorf(trygg.EINVALID, "Rapporten är borttagen och kan inte ändras.")
	}
	return r, nil
}

// UpdateReport edits a report and keeps the earlier version in its history.
// Rapportör and polis may edit their own organisation's reports, the
// samordnare all; ENOTFOUND for others, EINVALID for bad fields or a
// deleted report, ECONFLICT when in.BaseVersion is set and the report has
// moved on. The category may stay archived if it is not changed.
func (s *ReportService) UpdateReport(ctx context.Context, id int64, in trygg.ReportInput) (*trygg.Report, error) {
	c := caller(ctx)
	scope, ok := scopeOf(c)
	if !ok || c.user == nil {
		return nil, c.denied()
	}
	var updated *trygg.Report
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		cur, err := editable(ctx, tx, c, scope, id)
		if err != nil {
			return err
		}
		if in.BaseVersion > 0 && in.BaseVersion != cur.Version {
			return trygg.Errorf(trygg.ECONFLICT, "Rapporten har ändrats av någon annan sedan du öppnade den (nu version %d). "+
				"Läs den nya versionen och gör din ändring igen.", cur.Version)
		}
		if err := in.Validate(tx.now); err != nil {
			return err
		}
		if err := checkCodes(ctx, tx, &in, cur.Category); err != nil {
			return err
		}
		snapshot, err := json.Marshal(cur.Report)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO report_versions (report_id, version, snapshot, edited_by, edited_at) VALUES ($1, $2, $3, $4, $5)",
			id, cur.Version, string(snapshot), cur.updatedBy, millis(cur.UpdatedAt))
		if err != nil {
			return err
		}
		was, err := countOf(ctx, tx, id)
		if err != nil {
			return err
		}
		counts := countDeltas{was: -1}
		counts.add(in.OccurredAt, in.AreaCode, in.Category, was.orgType, 1)
		if err := counts.apply(ctx, tx); err != nil {
			return err
		}
		lat, lon := locationArgs(in.Location)
		_, err = tx.ExecContext(ctx, `UPDATE reports SET occurred_at = $1, occurred_end = $2, area_code = $3, lat = $4, lon = $5,
			place_type = $6, category = $7, severity = $8, description = $9, version = version + 1, updated_at = $10, updated_by = $11
			WHERE id = $12`,
			millis(in.OccurredAt), nullMillis(in.OccurredEnd), in.AreaCode, lat, lon,
			in.PlaceType, in.Category, in.Severity, in.Description, millis(tx.now), c.user.ID, id)
		if err != nil {
			return err
		}
		if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "report", objectID: objectID(id),
			detail: fmt.Sprintf("version %d", cur.Version+1)}); err != nil {
			return err
		}
		r, err := findStoredReport(ctx, tx, id)
		updated = r.Report
		return err
	})
	return updated, err
}

// maxReasonLength bounds a delete reason, in characters.
const maxReasonLength = 500

// DeleteReport soft-deletes a report with a reason; the samordnare can
// still see it. Same access as UpdateReport; EINVALID for an empty reason.
func (s *ReportService) DeleteReport(ctx context.Context, id int64, reason string) error {
	c := caller(ctx)
	scope, ok := scopeOf(c)
	if !ok || c.user == nil {
		return c.denied()
	}
	reason = strings.TrimSpace(reason)
	var v trygg.Validation
	switch {
	case reason == "":
		v.Add("reason", "Ange varför rapporten tas bort.")
	case utf8.RuneCountInString(reason) > maxReasonLength:
		v.Add("reason", "Anledningen får vara högst %d tecken.", maxReasonLength)
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		if _, err := editable(ctx, tx, c, scope, id); err != nil {
			return err
		}
		was, err := countOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := (countDeltas{was: -1}).apply(ctx, tx); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE reports SET deleted_at = $1, deleted_by = $2, delete_reason = $3 WHERE id = $4",
			millis(tx.now), c.user.ID, reason, id)
		if err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditDelete, objectType: "report", objectID: objectID(id)})
	})
}

// FindReportHistory returns the earlier versions of a report, oldest
// first. Whoever may see the report may see its history; the read is
// audited.
func (s *ReportService) FindReportHistory(ctx context.Context, id int64) ([]*trygg.ReportVersion, error) {
	c := caller(ctx)
	scope, ok := scopeOf(c)
	if !ok {
		return nil, c.denied()
	}
	var versions []*trygg.ReportVersion
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		r, err := findStoredReport(ctx, tx, id)
		if err != nil {
			return err
		}
		if !scope.visible(r) {
			return trygg.NotFound()
		}
		rows, err := tx.QueryContext(ctx, `SELECT v.version, v.snapshot, v.edited_by, v.edited_at, COALESCE(u.name, '')
			FROM report_versions v LEFT JOIN users u ON u.id = v.edited_by
			WHERE v.report_id = $1 ORDER BY v.version`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v trygg.ReportVersion
			var snapshot string
			var editedBy sql.NullInt64
			var editedAt int64
			if err := rows.Scan(&v.Version, &snapshot, &editedBy, &editedAt, &v.EditorName); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(snapshot), &v.Report); err != nil {
				return fmt.Errorf("report %d version %d: %w", id, v.Version, err)
			}
			v.EditedBy, v.EditedAt = int64Ptr(editedBy), fromMillis(editedAt)
			versions = append(versions, &v)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditRead, objectType: "report", objectID: objectID(id), detail: "historik"})
	})
	return versions, err
}
