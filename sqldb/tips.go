package sqldb

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/geo"
	"github.com/trygg-est/trygg/tips"
)

var (
	_ tips.Service       = (*TipService)(nil)
	_ tips.ClientService = (*TipService)(nil)
)

// TipService keeps the residents' tips and the Open311 client
// applications.
type TipService struct{ db *DB }

// NewTipService returns the tip service of db.
func NewTipService(db *DB) *TipService { return &TipService{db: db} }

// mayModerate reports whether the caller may see and decide tips.
func (c identity) mayModerate() bool { return c.operator || c.user.Has(trygg.RoleSamordnare) }

// citizensOrg is the code of the organisation that files accepted tips.
const citizensOrg = "medborgare"

// SubmitTip implements tips.Service. Anyone may call it.
func (s *TipService) SubmitTip(ctx context.Context, in tips.Input) (*tips.Tip, error) {
	if err := in.Validate(s.db.Now()); err != nil {
		return nil, err
	}
	var v trygg.Validation
	var pub bool
	err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) > 0 FROM tip_categories t JOIN categories c ON c.code = t.category
		WHERE t.category = $1 AND c.archived_at IS NULL`, in.Category).Scan(&pub)
	if err != nil {
		return nil, err
	}
	if !pub {
		v.Add("category", "Välj en av kategorierna i listan.")
	}
	areas, err := NewAreaService(s.db).FindAreas(ctx)
	if err != nil {
		return nil, err
	}
	if in.Location != nil {
		if code := pointArea(areas, *in.Location); code == "" {
			v.Add("location", "Platsen ligger utanför kommunens områden.")
		} else if in.AreaCode == "" {
			in.AreaCode = code
		}
	}
	if in.AreaCode != "" && !slices.ContainsFunc(areas, func(a *trygg.Area) bool { return a.Code == in.AreaCode }) {
		v.Add("area", "Välj ett av områdena i listan.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	ip := trygg.ClientFromContext(ctx).IP
	t := &tips.Tip{Source: in.Source, Category: in.Category, AreaCode: in.AreaCode, Location: in.Location, Address: in.Address,
		OccurredAt: in.OccurredAt.UTC(), Text: in.Text, Status: tips.StatusReceived}
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		hash, err := clientHash(ctx, tx, ip)
		if err != nil {
			return err
		}
		since := millis(tx.now.Add(-tips.RateWindow))
		var fromClient, inArea int
		if hash != "" {
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM tips WHERE client_hash = $1 AND received_at > $2", hash, since).Scan(&fromClient); err != nil {
				return err
			}
		}
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM tips WHERE area_code = $1 AND received_at > $2", in.AreaCode, since).Scan(&inArea); err != nil {
			return err
		}
		if fromClient >= tips.MaxPerClient || inArea >= tips.MaxPerDistrict {
			return trygg.Errorf(trygg.ERATELIMIT, "Just nu kommer det många tips. Försök igen om en timme, eller ring polisen på 114 14 om det brådskar.")
		}
		lat, lon := locationArgs(in.Location)
		var client sql.NullInt64
		if in.ClientID != 0 {
			client = sql.NullInt64{Int64: in.ClientID, Valid: true}
		}
		var nullHash sql.NullString
		if hash != "" {
			nullHash = sql.NullString{String: hash, Valid: true}
		}
		for range 5 { // a reference code is 40 random bits: a clash is rare
			t.Ref = newReferralCode()
			var taken bool
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) > 0 FROM tips WHERE ref = $1", t.Ref).Scan(&taken); err != nil {
				return err
			}
			if !taken {
				break
			}
		}
		t.ReceivedAt = fromMillis(millis(tx.now))
		err = tx.QueryRowContext(ctx, `INSERT INTO tips (ref, source, client_id, category, area_code, lat, lon, address, occurred_at, text,
			received_at, updated_at, client_hash, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13) RETURNING id`,
			t.Ref, string(t.Source), client, t.Category, t.AreaCode, lat, lon, t.Address, millis(t.OccurredAt), t.Text,
			millis(tx.now), nullHash, string(t.Status)).Scan(&t.ID)
		if err != nil {
			return err
		}
		return tx.audit(ctx, actor{role: "allmanheten"}, auditEntry{action: trygg.AuditCreate, objectType: "tip", objectID: objectID(t.ID),
			detail: string(t.Source)})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// clientHash returns the keyed hash of the sender's address under today's
// key, made on first use. In the same transaction it deletes older keys
// and clears hashes older than tips.ClientHashLifetime, so that no hash
// outlives a day and none can be recomputed after its key is gone. An
// unknown address gives "".
func clientHash(ctx context.Context, tx *Tx, ip string) (string, error) {
	today := int64(trygg.DayOf(tx.now))
	if _, err := tx.ExecContext(ctx, "DELETE FROM tip_hash_keys WHERE day <> $1", today); err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE tips SET client_hash = NULL WHERE client_hash IS NOT NULL AND received_at <= $1",
		millis(tx.now.Add(-tips.ClientHashLifetime))); err != nil {
		return "", err
	}
	if ip == "" {
		return "", nil
	}
	var key []byte
	err := tx.QueryRowContext(ctx, "SELECT hash_key FROM tip_hash_keys WHERE day = $1", today).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return "", err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO tip_hash_keys (day, hash_key) VALUES ($1, $2)", today, key); err != nil {
			return "", err
		}
	} else if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(ip))
	return hex.EncodeToString(m.Sum(nil)), nil
}

// pointArea returns the code of the district whose outline holds p, or "".
func pointArea(areas []*trygg.Area, p trygg.Point) string {
	for _, a := range areas {
		g, err := geo.Parse(a.Geometry)
		if err == nil && g.Polygons.Contains(geo.Point{Lon: p.Lon, Lat: p.Lat}) {
			return a.Code
		}
	}
	return ""
}

const tipColumns = `t.id, t.ref, t.source, COALESCE(o.name, ''), t.category, t.area_code, t.lat, t.lon, t.address, t.occurred_at, t.text,
	t.received_at, t.status, t.decision, t.reason, t.public_reply, t.replied_at, t.report_id, t.duplicate_of, t.decided_at, t.erased_at,
	CASE WHEN t.client_hash IS NULL THEN 0 ELSE (SELECT COUNT(*) FROM tips s WHERE s.client_hash = t.client_hash AND s.id <> t.id) END`

const tipFrom = " FROM tips t LEFT JOIN open311_clients o ON o.id = t.client_id"

func scanTip(row interface{ Scan(...any) error }) (*tips.Tip, error) {
	t := &tips.Tip{}
	var lat, lon sql.NullFloat64
	var occurred, received int64
	var replied, report, dup, decided, erased sql.NullInt64
	var source, status, decision string
	err := row.Scan(&t.ID, &t.Ref, &source, &t.ClientName, &t.Category, &t.AreaCode, &lat, &lon, &t.Address, &occurred, &t.Text,
		&received, &status, &decision, &t.Reason, &t.PublicReply, &replied, &report, &dup, &decided, &erased, &t.SameSender)
	if err != nil {
		return nil, err
	}
	t.Source, t.Status, t.Decision = tips.Source(source), tips.Status(status), tips.Decision(decision)
	if lat.Valid && lon.Valid {
		t.Location = &trygg.Point{Lat: lat.Float64, Lon: lon.Float64}
	}
	t.OccurredAt, t.ReceivedAt = fromMillis(occurred), fromMillis(received)
	t.RepliedAt, t.ReportID, t.DuplicateOf, t.DecidedAt = timePtr(replied), int64Ptr(report), int64Ptr(dup), timePtr(decided)
	t.ErasedAt = timePtr(erased)
	return t, nil
}

// FindTips implements tips.Service. Samordnare and the operator.
func (s *TipService) FindTips(ctx context.Context, f tips.Filter) ([]*tips.Tip, error) {
	c := caller(ctx)
	if !c.mayModerate() {
		return nil, c.denied()
	}
	q := "SELECT " + tipColumns + tipFrom
	var args []any
	switch {
	case f.All:
		q += " ORDER BY t.received_at DESC, t.id DESC LIMIT 500"
	case f.Status != "":
		q += " WHERE t.status = $1 ORDER BY t.received_at DESC, t.id DESC LIMIT 500"
		args = append(args, string(f.Status))
	default:
		q += " WHERE t.decision = '' ORDER BY t.received_at, t.id LIMIT 500"
	}
	rows, err := s.db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tips.Tip
	for rows.Next() {
		t, err := scanTip(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// FindTipByID implements tips.Service. Samordnare and the operator.
func (s *TipService) FindTipByID(ctx context.Context, id int64) (*tips.Tip, error) {
	c := caller(ctx)
	if !c.mayModerate() {
		return nil, c.denied()
	}
	return findTip(ctx, s.db.read, id)
}

func findTip(ctx context.Context, q queryer, id int64) (*tips.Tip, error) {
	t, err := scanTip(q.QueryRowContext(ctx, "SELECT "+tipColumns+tipFrom+" WHERE t.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trygg.NotFound()
	}
	return t, err
}

// decide loads an undecided tip for a decision by the samordnare, in tx.
func decide(ctx context.Context, tx *Tx, id int64) (*tips.Tip, error) {
	t, err := findTip(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if t.Decision != tips.DecisionNone {
		return nil, trygg.Errorf(trygg.ECONFLICT, "Tipset är redan avgjort (%s).", strings.ToLower(t.Decision.Label()))
	}
	return t, nil
}

// AcceptTip implements tips.Service. Samordnare only: the report needs a
// person who filed it.
func (s *TipService) AcceptTip(ctx context.Context, id int64, a tips.Accept) (*trygg.Report, error) {
	c := caller(ctx)
	if c.user == nil || !c.user.Has(trygg.RoleSamordnare) {
		return nil, c.denied()
	}
	var v trygg.Validation
	a.PublicReply = strings.TrimSpace(a.PublicReply)
	tips.CheckReply(&v, "reply", a.PublicReply, "")
	if err := v.Err(); err != nil {
		return nil, err
	}
	var rep *trygg.Report
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		t, err := decide(ctx, tx, id)
		if err != nil {
			return err
		}
		in := trygg.ReportInput{OccurredAt: t.OccurredAt, AreaCode: t.AreaCode, Location: t.Location, PlaceType: a.PlaceType,
			Category: a.Category, Severity: a.Severity, Description: a.Description}
		if err := in.Validate(tx.now); err != nil {
			return err
		}
		org := &trygg.Organisation{Code: citizensOrg, Type: trygg.OrgCitizens}
		if err := tx.QueryRowContext(ctx, "SELECT id, name FROM organisations WHERE code = $1", citizensOrg).Scan(&org.ID, &org.Name); err != nil {
			return err
		}
		codes, err := loadReportCodes(ctx, tx)
		if err != nil {
			return err
		}
		// The report is the citizens' organisation's, filed by the
		// samordnare who accepted it.
		filer := *c.user
		filer.OrgID, filer.Org = org.ID, org
		// Version 1 holds the resident's own text, so that the report's
		// history keeps it; the samordnare's text, when it differs, is
		// version 2.
		first := in
		first.Description = t.Text
		counts := countDeltas{}
		if rep, err = insertReport(ctx, tx, codes, counts, &filer, first); err != nil {
			return err
		}
		if err := counts.apply(ctx, tx); err != nil {
			return err
		}
		if in.Description != t.Text {
			snapshot, err := json.Marshal(rep)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO report_versions (report_id, version, snapshot, edited_by, edited_at) VALUES ($1, 1, $2, $3, $4)",
				rep.ID, string(snapshot), c.user.ID, millis(tx.now)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE reports SET description = $1, version = 2, updated_by = $2 WHERE id = $3",
				in.Description, c.user.ID, rep.ID); err != nil {
				return err
			}
			if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "report", objectID: objectID(rep.ID),
				detail: "version 2"}); err != nil {
				return err
			}
			rep.Description, rep.Version = in.Description, 2
		}
		if err := s.setDecision(ctx, tx, c, t, tips.DecisionAccepted, tips.StatusReviewed, "", a.PublicReply, &rep.ID, nil); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "tip", objectID: objectID(t.ID),
			detail: "godkänt som rapport " + objectID(rep.ID)})
	})
	return rep, err
}

// setDecision stores a decision on t.
func (s *TipService) setDecision(ctx context.Context, tx *Tx, c identity, t *tips.Tip, d tips.Decision, st tips.Status, reason, reply string,
	report, dup *int64) error {
	var replied sql.NullInt64
	if reply != "" {
		replied = sql.NullInt64{Int64: millis(tx.now), Valid: true}
	}
	return updatedOne(tx.ExecContext(ctx, `UPDATE tips SET decision = $1, status = $2, reason = $3, public_reply = $4, replied_at = $5,
		report_id = $6, duplicate_of = $7, decided_at = $8, decided_by = $9, updated_at = $8, closed_at = $11 WHERE id = $10 AND decision = ''`,
		string(d), string(st), reason, reply, replied, report, dup, millis(tx.now), actorOf(c).userID, t.ID, closedAt(tx, st)))
}

// closedAt is the closed_at of a tip moving to status st: now when st is
// closed, NULL when it is open.
func closedAt(tx *Tx, st tips.Status) sql.NullInt64 {
	if st.Open() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: millis(tx.now), Valid: true}
}

// MergeTip implements tips.Service. Samordnare and the operator.
func (s *TipService) MergeTip(ctx context.Context, id, into int64, reply string) error {
	c := caller(ctx)
	if !c.mayModerate() {
		return c.denied()
	}
	var v trygg.Validation
	reply = strings.TrimSpace(reply)
	tips.CheckReply(&v, "reply", reply, "")
	if id == into {
		v.Add("into", "Ett tips kan inte slås samman med sig självt.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		t, err := decide(ctx, tx, id)
		if err != nil {
			return err
		}
		other, err := findTip(ctx, tx, into)
		if trygg.ErrorCode(err) == trygg.ENOTFOUND {
			var v trygg.Validation
			v.Add("into", "Det finns inget tips med det numret.")
			return v.Err()
		} else if err != nil {
			return err
		}
		if other.Decision == tips.DecisionMerged || other.Decision == tips.DecisionRejected {
			return trygg.Errorf(trygg.ECONFLICT, "Tipset %s är självt sammanslaget eller avvisat; välj det tips det gäller.", other.Ref)
		}
		if err := s.setDecision(ctx, tx, c, t, tips.DecisionMerged, other.Status, "", reply, nil, &other.ID); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "tip", objectID: objectID(t.ID),
			detail: "sammanslaget med " + objectID(other.ID)})
	})
}

// RejectTip implements tips.Service. Samordnare and the operator.
func (s *TipService) RejectTip(ctx context.Context, id int64, reason, reply string) error {
	c := caller(ctx)
	if !c.mayModerate() {
		return c.denied()
	}
	var v trygg.Validation
	reason, reply = strings.TrimSpace(reason), strings.TrimSpace(reply)
	tips.CheckReply(&v, "reason", reason, "Skriv varför tipset avvisas.")
	tips.CheckReply(&v, "reply", reply, "")
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		t, err := decide(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.setDecision(ctx, tx, c, t, tips.DecisionRejected, tips.StatusClosed, reason, reply, nil, nil); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "tip", objectID: objectID(t.ID), detail: "avvisat"})
	})
}

// ReplyTip implements tips.Service. Samordnare and the operator.
func (s *TipService) ReplyTip(ctx context.Context, id int64, reply string, status tips.Status) error {
	c := caller(ctx)
	if !c.mayModerate() {
		return c.denied()
	}
	var v trygg.Validation
	reply = strings.TrimSpace(reply)
	tips.CheckReply(&v, "reply", reply, "Skriv ett svar.")
	if status != "" && status != tips.StatusResolved && status != tips.StatusClosed {
		v.Add("status", "Välj åtgärdat eller avslutat.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		t, err := findTip(ctx, tx, id)
		if err != nil {
			return err
		}
		st := t.Status
		if status != "" {
			if t.Decision == tips.DecisionNone {
				return trygg.Errorf(trygg.ECONFLICT, "Godkänn, slå samman eller avvisa tipset innan det kan bli åtgärdat eller avslutat.")
			}
			st = status
		}
		_, err = tx.ExecContext(ctx, `UPDATE tips SET public_reply = $1, replied_at = $2, status = $3, updated_at = $2,
			closed_at = CASE WHEN $5 = 1 THEN COALESCE(closed_at, $2) END WHERE id = $4`,
			reply, millis(tx.now), string(st), t.ID, boolInt(!st.Open()))
		if err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "tip", objectID: objectID(t.ID),
			detail: "svar, " + string(st)})
	})
}

// FindTipOfReport implements tips.Service: the tip an incident report was
// accepted from, for a caller who may see both the tip (samordnare, the
// operator) and the report.
func (s *TipService) FindTipOfReport(ctx context.Context, reportID int64) (*tips.Tip, error) {
	c := caller(ctx)
	scope, ok := scopeOf(c)
	if !c.mayModerate() || !ok {
		return nil, c.denied()
	}
	rep, err := findStoredReport(ctx, s.db.read, reportID)
	if err != nil {
		return nil, err
	}
	if !scope.visible(rep) {
		return nil, trygg.NotFound()
	}
	t, err := scanTip(s.db.read.QueryRowContext(ctx, "SELECT "+tipColumns+tipFrom+" WHERE t.report_id = $1", reportID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trygg.NotFound()
	}
	return t, err
}

// PurgeTips is the tips' retention job ("gallring"): it erases the text,
// the place and the reason of every decided tip that r says is due today,
// and returns them. The reference code, status, category, district,
// point, dates and public reply stay, so that the status page and the
// statistics do. One transaction; each erasure is written to the audit
// log with the tip's ID and no text. With dryRun nothing is erased and
// the audit log records that a dry run was made. Only the operator (the
// CLI, run by a scheduler); anyone else gets ENOTFOUND.
func (db *DB) PurgeTips(ctx context.Context, r tips.Retention, dryRun bool) ([]tips.RetentionItem, error) {
	c := caller(ctx)
	if !c.operator {
		return nil, c.denied()
	}
	var items []tips.RetentionItem
	err := db.inWrite(ctx, func(tx *Tx) error {
		today := trygg.DayOf(tx.now)
		err := eachRow(ctx, tx, `SELECT id, decision, status, decided_at, closed_at FROM tips
			WHERE erased_at IS NULL AND decision <> '' ORDER BY id`, nil,
			func(row interface{ Scan(...any) error }) error {
				var it tips.RetentionItem
				var decision, status string
				var decided, closed sql.NullInt64
				if err := row.Scan(&it.ID, &decision, &status, &decided, &closed); err != nil {
					return err
				}
				it.Decision, it.Status = tips.Decision(decision), tips.Status(status)
				if decided.Valid {
					it.DecidedOn = trygg.DayOf(fromMillis(decided.Int64))
				}
				if closed.Valid {
					it.ClosedOn = trygg.DayOf(fromMillis(closed.Int64))
				}
				if r.Due(it, today) {
					items = append(items, it)
				}
				return nil
			})
		if err != nil {
			return err
		}
		if dryRun {
			return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditRead, objectType: "tip",
				detail: fmt.Sprintf("gallring, provkörning: %d tips skulle gallras", len(items))})
		}
		for _, it := range items {
			if _, err := tx.ExecContext(ctx, "UPDATE tips SET text = '', address = '', reason = '', erased_at = $1 WHERE id = $2",
				millis(tx.now), it.ID); err != nil {
				return err
			}
			if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditDelete, objectType: "tip", objectID: objectID(it.ID),
				detail: fmt.Sprintf("text gallrad: %s, status %s", strings.ToLower(it.Decision.Label()), it.Status)}); err != nil {
				return err
			}
		}
		return nil
	})
	return items, err
}

const publicTipColumns = `t.ref, c.name, c.code, a.name, t.received_at, t.updated_at, t.status, t.public_reply, t.replied_at, t.lat, t.lon, t.address`
const publicTipFrom = " FROM tips t JOIN categories c ON c.code = t.category JOIN areas a ON a.code = t.area_code"

func scanPublicTip(row interface{ Scan(...any) error }) (*tips.PublicTip, error) {
	p := &tips.PublicTip{}
	var received, updated int64
	var replied sql.NullInt64
	var lat, lon sql.NullFloat64
	var status string
	if err := row.Scan(&p.Ref, &p.Category, &p.ServiceCode, &p.AreaName, &received, &updated, &status, &p.PublicReply, &replied,
		&lat, &lon, &p.Address); err != nil {
		return nil, err
	}
	p.ReceivedAt, p.UpdatedAt, p.Status, p.RepliedAt = fromMillis(received), fromMillis(updated), tips.Status(status), timePtr(replied)
	if lat.Valid && lon.Valid {
		p.Location = &trygg.Point{Lat: lat.Float64, Lon: lon.Float64}
	}
	return p, nil
}

// FindTipStatus implements tips.Service. Anyone may call it.
func (s *TipService) FindTipStatus(ctx context.Context, ref string) (*tips.PublicTip, error) {
	ref = NormaliseReferralCode(ref)
	if ref == "" || utf8.RuneCountInString(ref) > 20 {
		return nil, trygg.NotFound()
	}
	p, err := scanPublicTip(s.db.read.QueryRowContext(ctx, "SELECT "+publicTipColumns+publicTipFrom+" WHERE t.ref = $1", ref))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trygg.NotFound()
	}
	return p, err
}

// FindPublicTips implements tips.Service. Anyone may call it.
func (s *TipService) FindPublicTips(ctx context.Context, f tips.PublicFilter) ([]*tips.PublicTip, error) {
	q := "SELECT " + publicTipColumns + publicTipFrom + " WHERE 1 = 1"
	var args []any
	// add appends a condition whose "?" are the placeholders of vals.
	add := func(cond string, vals ...any) {
		for range vals {
			args = append(args, nil)
			cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(args)), 1)
		}
		copy(args[len(args)-len(vals):], vals)
		q += " AND " + cond
	}
	if len(f.Refs) > 0 {
		refs := make([]any, len(f.Refs))
		for i, r := range f.Refs {
			refs[i] = NormaliseReferralCode(r)
		}
		add("t.ref IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(refs)), ", ")+")", refs...)
	}
	if f.Category != "" {
		add("t.category = ?", f.Category)
	}
	if len(f.Status) > 0 {
		st := make([]any, len(f.Status))
		for i, x := range f.Status {
			st[i] = string(x)
		}
		add("t.status IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(st)), ", ")+")", st...)
	}
	if !f.From.IsZero() {
		add("t.received_at >= ?", millis(f.From))
	}
	if !f.To.IsZero() {
		add("t.received_at <= ?", millis(f.To))
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	q += " ORDER BY t.received_at DESC, t.id DESC LIMIT " + strconv.Itoa(limit)
	rows, err := s.db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tips.PublicTip
	for rows.Next() {
		p, err := scanPublicTip(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PublicCategories implements tips.Service. Anyone may call it.
func (s *TipService) PublicCategories(ctx context.Context) ([]*trygg.Category, error) {
	all, err := NewCategoryService(s.db).FindCategories(ctx, false)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.read.QueryContext(ctx, "SELECT category FROM tip_categories")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	chosen := map[string]bool{}
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, err
		}
		chosen[code] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(c *trygg.Category) bool { return !chosen[c.Code] }), nil
}

// SetPublicCategories implements tips.Service. Samordnare and the operator.
func (s *TipService) SetPublicCategories(ctx context.Context, codes []string) error {
	c := caller(ctx)
	if !c.mayModerate() {
		return c.denied()
	}
	codes = trygg.CleanCodes(codes)
	all, err := NewCategoryService(s.db).FindCategories(ctx, false)
	if err != nil {
		return err
	}
	var v trygg.Validation
	for _, code := range codes {
		if !slices.ContainsFunc(all, func(c *trygg.Category) bool { return c.Code == code }) {
			v.Add("categories", "Kategorin %q finns inte eller är arkiverad.", code)
			break
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM tip_categories"); err != nil {
			return err
		}
		for _, code := range codes {
			if _, err := tx.ExecContext(ctx, "INSERT INTO tip_categories (category) VALUES ($1)", code); err != nil {
				return err
			}
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "tip_categories", objectID: "-",
			detail: strings.Join(codes, ",")})
	})
}

// open311KeyPrefix starts every Open311 API key, so that a key pasted in
// the wrong place is recognised.
const open311KeyPrefix = "o311_"

// CreateClient implements tips.ClientService. Admin and the operator.
func (s *TipService) CreateClient(ctx context.Context, name string) (*tips.Client, string, error) {
	c := caller(ctx)
	if !c.isAdmin() {
		return nil, "", c.denied()
	}
	name = strings.TrimSpace(name)
	var v trygg.Validation
	trygg.CheckText(&v, "name", name, 100, "Ange applikationens namn.")
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	secret, err := randomToken(24)
	if err != nil {
		return nil, "", err
	}
	key := open311KeyPrefix + secret
	cl := &tips.Client{Name: name}
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		cl.CreatedAt = fromMillis(millis(tx.now))
		if err := tx.QueryRowContext(ctx, "INSERT INTO open311_clients (name, key_hash, created_at, created_by) VALUES ($1, $2, $3, $4) RETURNING id",
			name, sha256Hex(key), millis(tx.now), actorOf(c).userID).Scan(&cl.ID); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: "open311_client", objectID: objectID(cl.ID)})
	})
	if err != nil {
		return nil, "", err
	}
	return cl, key, nil
}

// FindClients implements tips.ClientService. Admin and the operator.
func (s *TipService) FindClients(ctx context.Context) ([]*tips.Client, error) {
	c := caller(ctx)
	if !c.isAdmin() {
		return nil, c.denied()
	}
	rows, err := s.db.read.QueryContext(ctx, "SELECT id, name, created_at, revoked_at FROM open311_clients ORDER BY name, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tips.Client
	for rows.Next() {
		cl := &tips.Client{}
		var created int64
		var revoked sql.NullInt64
		if err := rows.Scan(&cl.ID, &cl.Name, &created, &revoked); err != nil {
			return nil, err
		}
		cl.CreatedAt, cl.RevokedAt = fromMillis(created), timePtr(revoked)
		out = append(out, cl)
	}
	return out, rows.Err()
}

// RevokeClient implements tips.ClientService. Admin and the operator.
func (s *TipService) RevokeClient(ctx context.Context, id int64) error {
	c := caller(ctx)
	if !c.isAdmin() {
		return c.denied()
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		if err := updatedOne(tx.ExecContext(ctx, "UPDATE open311_clients SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", millis(tx.now), id)); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "open311_client", objectID: objectID(id), detail: "återkallad"})
	})
}

// AuthenticateClient implements tips.ClientService. Anyone may call it.
func (s *TipService) AuthenticateClient(ctx context.Context, key string) (*tips.Client, error) {
	if !strings.HasPrefix(key, open311KeyPrefix) || len(key) > 200 {
		return nil, errUnauthorized
	}
	cl := &tips.Client{}
	var created int64
	var revoked sql.NullInt64
	err := s.db.read.QueryRowContext(ctx, "SELECT id, name, created_at, revoked_at FROM open311_clients WHERE key_hash = $1", sha256Hex(key)).
		Scan(&cl.ID, &cl.Name, &created, &revoked)
	if errors.Is(err, sql.ErrNoRows) || revoked.Valid {
		return nil, errUnauthorized
	} else if err != nil {
		return nil, err
	}
	cl.CreatedAt = fromMillis(created)
	return cl, nil
}
