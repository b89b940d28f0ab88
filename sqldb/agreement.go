package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
)

var (
	_ samverkan.AgreementService  = (*AgreementService)(nil)
	_ samverkan.CommitmentService = (*AgreementService)(nil)
	_ samverkan.PublicService     = (*AgreementService)(nil)
)

// Who may do what in samverkan (DOMAIN.md): the samordnare manages,
// partners (rapportör, polis) act for their own organisation, läsare read.

// readsSamverkan reports whether the caller may read agreements and actions.
func readsSamverkan(c identity) bool {
	return c.operator || c.user.Has(trygg.RoleSamordnare, trygg.RoleRapportor, trygg.RolePolis, trygg.RoleLasare)
}

// managesSamverkan reports whether the caller may create and edit
// agreements, commitments and actions.
func managesSamverkan(c identity) bool { return c.operator || c.user.Has(trygg.RoleSamordnare) }

// actsFor reports whether the caller may update what the organisation owns.
func actsFor(c identity, orgID int64) bool {
	return managesSamverkan(c) || (c.user.Has(trygg.RoleRapportor, trygg.RolePolis) && c.user.OrgID == orgID)
}

// writeAudited is the common end of a samverkan write in tx: write stores
// one object and returns its ID, the change is audited as entry (whose
// objectID it fills in) for caller c, and find reads the object back in the
// same transaction, so that the answer is what was stored (times, names of
// owners). The audit entry commits or rolls back with the write.
func writeAudited[T any](ctx context.Context, tx *Tx, c identity, entry auditEntry,
	write func() (int64, error), find func(context.Context, queryer, int64) (T, error)) (T, error) {
	id, err := write()
	if err != nil {
		var none T
		return none, err
	}
	entry.objectID = objectID(id)
	if err := tx.audit(ctx, actorOf(c), entry); err != nil {
		var none T
		return none, err
	}
	return find(ctx, tx, id)
}

// manageWrite runs writeAudited in one write transaction for the methods
// that only the samordnare and the operator may call (creating and editing
// agreements, commitments and actions); any other caller gets c.denied()
// before anything is read or written.
func manageWrite[T any](ctx context.Context, db *DB, entry auditEntry,
	write func(tx *Tx) (int64, error), find func(context.Context, queryer, int64) (T, error)) (T, error) {
	var out T
	c := caller(ctx)
	if !managesSamverkan(c) {
		return out, c.denied()
	}
	err := db.inWrite(ctx, func(tx *Tx) error {
		var err error
		out, err = writeAudited(ctx, tx, c, entry, func() (int64, error) { return write(tx) }, find)
		return err
	})
	return out, err
}

// joinCodes and splitCodes store a list of codes as one TEXT column.
func joinCodes(codes []string) string { return strings.Join(codes, ",") }

func splitCodes(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// checkCodeList adds a field error unless every code is in table's code column
// (areas or categories).
func checkCodeList(ctx context.Context, q queryer, v *trygg.Validation, table, field string, codes []string) error {
	if len(codes) == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, "SELECT code FROM "+table+" WHERE code IN ("+placeholders(1, len(codes))+")", anySlice(codes)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	found := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return err
		}
		found[c] = true
	}
	for _, c := range codes {
		if !found[c] {
			v.Add(field, "Det finns ingen %s med koden %q.", map[string]string{"areas": "stadsdel", "categories": "kategori"}[table], c)
			break
		}
	}
	return rows.Err()
}

// orgIDs returns the IDs of organisations by code; a missing code is a
// field error.
func orgIDs(ctx context.Context, q queryer, v *trygg.Validation, fields []string, codes []string) ([]int64, error) {
	ids := make([]int64, len(codes))
	for i, code := range codes {
		err := q.QueryRowContext(ctx, "SELECT id FROM organisations WHERE code = $1", code).Scan(&ids[i])
		if errors.Is(err, sql.ErrNoRows) {
			v.Add(fields[i], "Det finns ingen organisation med koden %q.", code)
		} else if err != nil {
			return nil, err
		}
	}
	return ids, nil
}

func nullDay(d *trygg.Day) sql.NullInt64 {
	if d == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*d), Valid: true}
}

func dayPtr(n sql.NullInt64) *trygg.Day {
	if !n.Valid {
		return nil
	}
	d := trygg.Day(n.Int64)
	return &d
}

// AgreementService keeps agreements and their commitments, and is the
// samverkan.AgreementService, CommitmentService and PublicService at
// once. Indicators computed from reports are read through counts.
type AgreementService struct {
	db     *DB
	counts trygg.CountService
}

// NewAgreementService returns the agreement service of db; counts gives
// the report counts of commitments whose indicator is computed from
// reports.
func NewAgreementService(db *DB, counts trygg.CountService) *AgreementService {
	return &AgreementService{db: db, counts: counts}
}

const agreementColumns = "id, type, title, summary, from_day, to_day, areas, status, signed_on, created_at, updated_at"

func scanAgreement(s interface{ Scan(...any) error }) (*samverkan.Agreement, error) {
	var a samverkan.Agreement
	var areas string
	var signed sql.NullInt64
	var created, updated int64
	if err := s.Scan(&a.ID, &a.Type, &a.Title, &a.Summary, &a.From, &a.To, &areas, &a.Status, &signed, &created, &updated); err != nil {
		return nil, err
	}
	a.Areas, a.SignedOn, a.CreatedAt, a.UpdatedAt = splitCodes(areas), dayPtr(signed), fromMillis(created), fromMillis(updated)
	a.Parties, a.Commitments = []samverkan.Party{}, []*samverkan.Commitment{}
	return &a, nil
}

const commitmentColumns = `c.id, c.agreement_id, c.text, o.code, o.name, c.target_text, c.target_kind, c.target_value,
	c.baseline_from, c.baseline_to, c.indicator_source, c.indicator_kind, c.indicator_name, c.indicator_areas, c.indicator_categories,
	c.override_light, c.override_reason, COALESCE(u.name, ''), c.override_at, c.override_published_at, c.created_at, c.updated_at, c.owner_org_id,
	c.indicator_series, c.indicator_series_area`

const commitmentFrom = ` FROM commitments c JOIN organisations o ON o.id = c.owner_org_id
	LEFT JOIN users u ON u.id = c.override_by`

// storedCommitment is a commitment with the owner's ID.
type storedCommitment struct {
	*samverkan.Commitment
	ownerID int64
}

func scanCommitment(s interface{ Scan(...any) error }) (storedCommitment, error) {
	var c samverkan.Commitment
	var bFrom, bTo, overrideAt, overridePublished sql.NullInt64
	var light, reason sql.NullString
	var areas, cats, byName string
	var created, updated, owner int64
	err := s.Scan(&c.ID, &c.AgreementID, &c.Text, &c.OwnerOrgCode, &c.OwnerOrgName, &c.Target.Text, &c.Target.Kind, &c.Target.Value,
		&bFrom, &bTo, &c.Indicator.Source, &c.Indicator.Kind, &c.Indicator.Name, &areas, &cats,
		&light, &reason, &byName, &overrideAt, &overridePublished, &created, &updated, &owner,
		&c.Indicator.Series, &c.Indicator.SeriesArea)
	if err != nil {
		return storedCommitment{}, err
	}
	c.Target.BaselineFrom, c.Target.BaselineTo = trygg.Day(bFrom.Int64), trygg.Day(bTo.Int64)
	c.Indicator.Areas, c.Indicator.Categories = splitCodes(areas), splitCodes(cats)
	if light.Valid {
		c.Override = &samverkan.LightOverride{Light: samverkan.Light(light.String), Reason: reason.String, ByName: byName, At: fromMillis(overrideAt.Int64)}
		if overridePublished.Valid {
			at := fromMillis(overridePublished.Int64)
			c.Override.PublishedAt = &at
		}
	}
	c.CreatedAt, c.UpdatedAt = fromMillis(created), fromMillis(updated)
	return storedCommitment{Commitment: &c, ownerID: owner}, nil
}

// loadAgreements returns the agreements matching where, with their
// parties, document and commitments.
func loadAgreements(ctx context.Context, q queryer, where string, args ...any) ([]*samverkan.Agreement, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+agreementColumns+" FROM agreements"+where+" ORDER BY from_day DESC, id DESC", args...)
	if err != nil {
		return nil, err
	}
	var list []*samverkan.Agreement
	byID := map[int64]*samverkan.Agreement{}
	for rows.Next() {
		a, err := scanAgreement(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, a)
		byID[a.ID] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(list) == 0 {
		return list, err
	}
	ids := make([]any, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	in := " IN (" + placeholders(1, len(ids)) + ")"
	err = eachRow(ctx, q, `SELECT p.agreement_id, o.code, o.name, p.signatory FROM agreement_parties p
		JOIN organisations o ON o.id = p.org_id WHERE p.agreement_id`+in+" ORDER BY p.agreement_id, p.position", ids,
		func(s interface{ Scan(...any) error }) error {
			var id int64
			var p samverkan.Party
			if err := s.Scan(&id, &p.OrgCode, &p.OrgName, &p.Signatory); err != nil {
				return err
			}
			byID[id].Parties = append(byID[id].Parties, p)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, q, "SELECT agreement_id, name, size, sha256, uploaded_at FROM agreement_documents WHERE agreement_id"+in, ids,
		func(s interface{ Scan(...any) error }) error {
			var id, at int64
			var d trygg.Document
			if err := s.Scan(&id, &d.Name, &d.Size, &d.SHA256, &at); err != nil {
				return err
			}
			d.UploadedAt = fromMillis(at)
			byID[id].Document = &d
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, q, "SELECT "+commitmentColumns+commitmentFrom+" WHERE c.agreement_id"+in+" ORDER BY c.agreement_id, c.id", ids,
		func(s interface{ Scan(...any) error }) error {
			c, err := scanCommitment(s)
			if err != nil {
				return err
			}
			a := byID[c.AgreementID]
			a.Commitments = append(a.Commitments, c.Commitment)
			return nil
		})
	return list, err
}

// eachRow runs query and calls fn for every row.
func eachRow(ctx context.Context, q queryer, query string, args []any, fn func(interface{ Scan(...any) error }) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FindAgreements returns agreements, newest period first. Readers of
// samverkan (see samverkan.AgreementService).
func (s *AgreementService) FindAgreements(ctx context.Context, f samverkan.AgreementFilter) ([]*samverkan.Agreement, error) {
	c := caller(ctx)
	if !readsSamverkan(c) {
		return nil, c.denied()
	}
	q := &reportQuery{}
	if f.Type != "" {
		q.add("type = %s", string(f.Type))
	}
	if f.Status != "" {
		q.add("status = %s", string(f.Status))
	}
	list, err := loadAgreements(ctx, s.db.read, q.sql(), q.args...)
	if err != nil || f.Area == "" {
		return list, err
	}
	// Areas are one comma-separated column; agreements are few.
	return slices.DeleteFunc(list, func(a *samverkan.Agreement) bool { return !slices.Contains(a.Areas, f.Area) }), nil
}

func findAgreement(ctx context.Context, q queryer, id int64) (*samverkan.Agreement, error) {
	list, err := loadAgreements(ctx, q, " WHERE id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, trygg.NotFound()
	}
	return list[0], nil
}

// FindAgreementByID returns the agreement with its parties and commitments.
func (s *AgreementService) FindAgreementByID(ctx context.Context, id int64) (*samverkan.Agreement, error) {
	c := caller(ctx)
	if !readsSamverkan(c) {
		return nil, c.denied()
	}
	return findAgreement(ctx, s.db.read, id)
}

// checkAgreement validates in against the database and returns the
// parties' organisation IDs.
func checkAgreement(ctx context.Context, tx *Tx, in *samverkan.AgreementInput) ([]int64, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var v trygg.Validation
	codes, fields := make([]string, len(in.Parties)), make([]string, len(in.Parties))
	for i, p := range in.Parties {
		codes[i], fields[i] = p.OrgCode, fmt.Sprintf("party_org_%d", i+1)
	}
	ids, err := orgIDs(ctx, tx, &v, fields, codes)
	if err != nil {
		return nil, err
	}
	if err := checkCodeList(ctx, tx, &v, "areas", "areas", in.Areas); err != nil {
		return nil, err
	}
	return ids, v.Err()
}

func (tx *Tx) writeParties(ctx context.Context, id int64, in *samverkan.AgreementInput, orgIDs []int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM agreement_parties WHERE agreement_id = $1", id); err != nil {
		return err
	}
	for i, p := range in.Parties {
		if _, err := tx.ExecContext(ctx, "INSERT INTO agreement_parties (agreement_id, org_id, position, signatory) VALUES ($1, $2, $3, $4)",
			id, orgIDs[i], i, p.Signatory); err != nil {
			return err
		}
	}
	return nil
}

// CreateAgreement stores a new agreement. Samordnare and the operator.
func (s *AgreementService) CreateAgreement(ctx context.Context, in samverkan.AgreementInput) (*samverkan.Agreement, error) {
	return manageWrite(ctx, s.db, auditEntry{action: trygg.AuditCreate, objectType: "agreement"}, func(tx *Tx) (int64, error) {
		ids, err := checkAgreement(ctx, tx, &in)
		if err != nil {
			return 0, err
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO agreements (type, title, summary, from_day, to_day, areas, status, signed_on, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
			string(in.Type), in.Title, in.Summary, in.From, in.To, joinCodes(in.Areas), string(in.Status), nullDay(in.SignedOn), millis(tx.now)).Scan(&id)
		if err != nil {
			return 0, err
		}
		return id, tx.writeParties(ctx, id, &in, ids)
	}, findAgreement)
}

// UpdateAgreement replaces an agreement's fields and parties. Samordnare
// and the operator.
func (s *AgreementService) UpdateAgreement(ctx context.Context, id int64, in samverkan.AgreementInput) (*samverkan.Agreement, error) {
	return manageWrite(ctx, s.db, auditEntry{action: trygg.AuditUpdate, objectType: "agreement"}, func(tx *Tx) (int64, error) {
		ids, err := checkAgreement(ctx, tx, &in)
		if err != nil {
			return 0, err
		}
		if err := updatedOne(tx.ExecContext(ctx, `UPDATE agreements SET type = $1, title = $2, summary = $3, from_day = $4, to_day = $5,
			areas = $6, status = $7, signed_on = $8, updated_at = $9 WHERE id = $10`,
			string(in.Type), in.Title, in.Summary, in.From, in.To, joinCodes(in.Areas), string(in.Status), nullDay(in.SignedOn), millis(tx.now), id)); err != nil {
			return 0, err
		}
		return id, tx.writeParties(ctx, id, &in, ids)
	}, findAgreement)
}

// AttachDocument stores the signed PDF in the database, replacing any
// earlier one. Samordnare and the operator.
func (s *AgreementService) AttachDocument(ctx context.Context, id int64, name string, content []byte) error {
	c := caller(ctx)
	if !managesSamverkan(c) {
		return c.denied()
	}
	name, err := checkDocument(name, "avtal.pdf", content)
	if err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		if _, err := findAgreement(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.saveDocument(ctx, agreementDocuments, id, name, content, c); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "agreement", objectID: objectID(id), detail: "dokument"})
	})
}

// FindDocument returns the signed PDF. Readers of samverkan; the public
// too for agreements shown on the public pages.
func (s *AgreementService) FindDocument(ctx context.Context, id int64) (*trygg.Document, []byte, error) {
	c := caller(ctx)
	and := ""
	if !readsSamverkan(c) {
		and = "AND agreement_id IN (SELECT id FROM agreements" + publicAgreements + ")"
	}
	return findDocument(ctx, s.db.read, agreementDocuments, id, and)
}

// publicAgreements is the WHERE clause of the agreements the public sees.
const publicAgreements = " WHERE type IN ('medborgarlofte', 'trygghetsavtal') AND status IN ('undertecknat', 'avslutat')"

// checkCommitment validates in against the database and returns the
// owner's ID.
func checkCommitment(ctx context.Context, tx *Tx, in *samverkan.CommitmentInput) (int64, error) {
	if err := in.Validate(); err != nil {
		return 0, err
	}
	var v trygg.Validation
	ids, err := orgIDs(ctx, tx, &v, []string{"owner"}, []string{in.OwnerOrgCode})
	if err != nil {
		return 0, err
	}
	if err := checkCodeList(ctx, tx, &v, "areas", "indicator_areas", in.Indicator.Areas); err != nil {
		return 0, err
	}
	if err := checkCodeList(ctx, tx, &v, "categories", "indicator_categories", in.Indicator.Categories); err != nil {
		return 0, err
	}
	if err := checkIndicatorSeries(ctx, tx, &v, &in.Indicator); err != nil {
		return 0, err
	}
	return ids[0], v.Err()
}

// baseline returns the stored baseline days: NULL unless TargetReduce.
func baseline(t samverkan.Target) (from, to sql.NullInt64) {
	if t.Kind != samverkan.TargetReduce {
		return
	}
	return sql.NullInt64{Int64: int64(t.BaselineFrom), Valid: true}, sql.NullInt64{Int64: int64(t.BaselineTo), Valid: true}
}

func findCommitment(ctx context.Context, q queryer, id int64) (storedCommitment, error) {
	c, err := scanCommitment(q.QueryRowContext(ctx, "SELECT "+commitmentColumns+commitmentFrom+" WHERE c.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, trygg.NotFound()
	}
	return c, err
}

// CreateCommitment adds a commitment to an agreement. Samordnare and the
// operator.
func (s *AgreementService) CreateCommitment(ctx context.Context, agreementID int64, in samverkan.CommitmentInput) (*samverkan.Commitment, error) {
	sc, err := manageWrite(ctx, s.db, auditEntry{action: trygg.AuditCreate, objectType: "commitment"}, func(tx *Tx) (int64, error) {
		if _, err := findAgreement(ctx, tx, agreementID); err != nil {
			return 0, err
		}
		owner, err := checkCommitment(ctx, tx, &in)
		if err != nil {
			return 0, err
		}
		bFrom, bTo := baseline(in.Target)
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO commitments (agreement_id, text, owner_org_id, target_text, target_kind, target_value,
			baseline_from, baseline_to, indicator_source, indicator_kind, indicator_name, indicator_areas, indicator_categories, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`,
			agreementID, in.Text, owner, in.Target.Text, string(in.Target.Kind), in.Target.Value, bFrom, bTo,
			string(in.Indicator.Source), string(in.Indicator.Kind), in.Indicator.Name, joinCodes(in.Indicator.Areas), joinCodes(in.Indicator.Categories), millis(tx.now)).Scan(&id)
		if err != nil {
			return 0, err
		}
		return id, setIndicatorSeries(ctx, tx, id, in.Indicator)
	}, findCommitment)
	return sc.Commitment, err
}

// UpdateCommitment replaces a commitment's fields. Samordnare and the
// operator. Stored indicator values stay, even if the indicator now counts
// reports.
func (s *AgreementService) UpdateCommitment(ctx context.Context, id int64, in samverkan.CommitmentInput) (*samverkan.Commitment, error) {
	sc, err := manageWrite(ctx, s.db, auditEntry{action: trygg.AuditUpdate, objectType: "commitment"}, func(tx *Tx) (int64, error) {
		owner, err := checkCommitment(ctx, tx, &in)
		if err != nil {
			return 0, err
		}
		bFrom, bTo := baseline(in.Target)
		if err := updatedOne(tx.ExecContext(ctx, `UPDATE commitments SET text = $1, owner_org_id = $2, target_text = $3, target_kind = $4,
			target_value = $5, baseline_from = $6, baseline_to = $7, indicator_source = $8, indicator_kind = $9, indicator_name = $10,
			indicator_areas = $11, indicator_categories = $12, updated_at = $13 WHERE id = $14`,
			in.Text, owner, in.Target.Text, string(in.Target.Kind), in.Target.Value, bFrom, bTo,
			string(in.Indicator.Source), string(in.Indicator.Kind), in.Indicator.Name, joinCodes(in.Indicator.Areas), joinCodes(in.Indicator.Categories), millis(tx.now), id)); err != nil {
			return 0, err
		}
		return id, setIndicatorSeries(ctx, tx, id, in.Indicator)
	}, findCommitment)
	return sc.Commitment, err
}

// FindCommitmentByID returns the commitment. Readers of samverkan.
func (s *AgreementService) FindCommitmentByID(ctx context.Context, id int64) (*samverkan.Commitment, error) {
	c := caller(ctx)
	if !readsSamverkan(c) {
		return nil, c.denied()
	}
	sc, err := findCommitment(ctx, s.db.read, id)
	return sc.Commitment, err
}

// ownedCommitment finds a commitment in tx that the caller may update: the
// samordnare's, or the owning organisation's.
func ownedCommitment(ctx context.Context, tx *Tx, c identity, id int64) (storedCommitment, error) {
	sc, err := findCommitment(ctx, tx, id)
	if err != nil {
		return sc, err
	}
	if !actsFor(c, sc.ownerID) {
		return sc, trygg.NotFound()
	}
	return sc, nil
}

// actsForSomeone is the first check of a method that ownedCommitment or
// ownedAction checks in full: anonymous callers are told to sign in, and
// callers who act for no one get ENOTFOUND.
func actsForSomeone(c identity) error {
	if managesSamverkan(c) || c.user.Has(trygg.RoleRapportor, trygg.RolePolis) {
		return nil
	}
	return c.denied()
}

const updateColumns = `cu.id, cu.commitment_id, cu.day, cu.comment, cu.evidence, COALESCE(u.name, ''), COALESCE(o.name, ''),
	cu.created_at, cu.published_at`

const updateFrom = ` FROM commitment_updates cu LEFT JOIN users u ON u.id = cu.created_by
	LEFT JOIN organisations o ON o.id = u.org_id`

// scanUpdate scans updateColumns, then any further columns into extra.
func scanUpdate(s interface{ Scan(...any) error }, extra ...any) (*samverkan.CommitmentUpdate, error) {
	var u samverkan.CommitmentUpdate
	var created int64
	var published sql.NullInt64
	dest := append([]any{&u.ID, &u.CommitmentID, &u.Day, &u.Comment, &u.Evidence, &u.ByName, &u.ByOrgName, &created, &published}, extra...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	u.CreatedAt, u.PublishedAt = fromMillis(created), timePtr(published)
	return &u, nil
}

// AddCommitmentUpdate files a dated status update. Samordnare, the
// operator, or the owning organisation's rapportör or polis.
func (s *AgreementService) AddCommitmentUpdate(ctx context.Context, id int64, in samverkan.CommitmentUpdateInput) (*samverkan.CommitmentUpdate, error) {
	c := caller(ctx)
	if err := actsForSomeone(c); err != nil {
		return nil, err
	}
	var out *samverkan.CommitmentUpdate
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		if _, err := ownedCommitment(ctx, tx, c, id); err != nil {
			return err
		}
		if err := in.Validate(trygg.DayOf(tx.now)); err != nil {
			return err
		}
		var by *int64
		if c.user != nil {
			by = &c.user.ID
		}
		var uid int64
		err := tx.QueryRowContext(ctx, `INSERT INTO commitment_updates (commitment_id, day, comment, evidence, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, id, in.Day, in.Comment, in.Evidence, by, millis(tx.now)).Scan(&uid)
		if err != nil {
			return err
		}
		if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: "commitment_update", objectID: objectID(uid)}); err != nil {
			return err
		}
		out, err = scanUpdate(tx.QueryRowContext(ctx, "SELECT "+updateColumns+updateFrom+" WHERE cu.id = $1", uid))
		return err
	})
	return out, err
}

// FindCommitmentUpdates returns the updates, newest first. Readers of
// samverkan.
func (s *AgreementService) FindCommitmentUpdates(ctx context.Context, id int64) ([]*samverkan.CommitmentUpdate, error) {
	c := caller(ctx)
	if !readsSamverkan(c) {
		return nil, c.denied()
	}
	if _, err := findCommitment(ctx, s.db.read, id); err != nil {
		return nil, err
	}
	var out []*samverkan.CommitmentUpdate
	err := eachRow(ctx, s.db.read, "SELECT "+updateColumns+updateFrom+" WHERE cu.commitment_id = $1 ORDER BY cu.day DESC, cu.id DESC",
		[]any{id}, func(row interface{ Scan(...any) error }) error {
			u, err := scanUpdate(row)
			out = append(out, u)
			return err
		})
	return out, err
}

// PublishCommitmentUpdate approves or withdraws an update for the public
// page. Samordnare and the operator.
func (s *AgreementService) PublishCommitmentUpdate(ctx context.Context, updateID int64, publish bool) error {
	c := caller(ctx)
	if !managesSamverkan(c) {
		return c.denied()
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		at := sql.NullInt64{Int64: millis(tx.now), Valid: publish}
		if err := updatedOne(tx.ExecContext(ctx, "UPDATE commitment_updates SET published_at = $1 WHERE id = $2", at, updateID)); err != nil {
			return err
		}
		detail := "publicerad"
		if !publish {
			detail = "avpublicerad"
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "commitment_update", objectID: objectID(updateID), detail: detail})
	})
}

// SetLightOverride overrides or restores the computed traffic light.
// Samordnare, the operator, or the owning organisation.
func (s *AgreementService) SetLightOverride(ctx context.Context, id int64, light samverkan.Light, reason string) error {
	c := caller(ctx)
	if err := actsForSomeone(c); err != nil {
		return err
	}
	reason, err := samverkan.CheckOverride(light, reason)
	if err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		if _, err := ownedCommitment(ctx, tx, c, id); err != nil {
			return err
		}
		var by *int64
		if c.user != nil {
			by = &c.user.ID
		}
		l := sql.NullString{String: string(light), Valid: light != ""}
		r := sql.NullString{String: reason, Valid: light != ""}
		at := sql.NullInt64{Int64: millis(tx.now), Valid: light != ""}
		// The samordnare decides what the public sees, so their own
		// override needs no second approval.
		published := sql.NullInt64{Int64: millis(tx.now), Valid: light != "" && managesSamverkan(c)}
		if light == "" {
			by = nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE commitments SET override_light = $1, override_reason = $2, override_by = $3,
			override_at = $4, override_published_at = $5, updated_at = $6 WHERE id = $7`, l, r, by, at, published, millis(tx.now), id); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "commitment", objectID: objectID(id), detail: "trafikljus " + string(light)})
	})
}

// PublishLightOverride approves or withdraws a manual light and its reason
// for the public page. Samordnare and the operator.
func (s *AgreementService) PublishLightOverride(ctx context.Context, id int64, publish bool) error {
	c := caller(ctx)
	if !managesSamverkan(c) {
		return c.denied()
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		at := sql.NullInt64{Int64: millis(tx.now), Valid: publish}
		if err := updatedOne(tx.ExecContext(ctx, `UPDATE commitments SET override_published_at = $1
			WHERE id = $2 AND override_light IS NOT NULL`, at, id)); err != nil {
			return err
		}
		detail := "trafikljus publicerat"
		if !publish {
			detail = "trafikljus avpublicerat"
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "commitment", objectID: objectID(id), detail: detail})
	})
}

// SaveIndicatorPoints stores values of a series indicator. Samordnare, the
// operator, or the owning organisation.
func (s *AgreementService) SaveIndicatorPoints(ctx context.Context, id int64, points []samverkan.IndicatorPoint) error {
	c := caller(ctx)
	if err := actsForSomeone(c); err != nil {
		return err
	}
	if err := samverkan.CheckPoints(points); err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		sc, err := ownedCommitment(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := samverkan.CheckEntered(sc.Indicator); err != nil {
			return err
		}
		for _, p := range points {
			if _, err := tx.ExecContext(ctx, `INSERT INTO indicator_points (commitment_id, day, value) VALUES ($1, $2, $3)
				ON CONFLICT (commitment_id, day) DO UPDATE SET value = excluded.value`, id, p.Day, p.Value); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE commitments SET updated_at = $1 WHERE id = $2", millis(tx.now), id); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditImport, objectType: "commitment", objectID: objectID(id),
			detail: fmt.Sprintf("%d mätvärden", len(points))})
	})
}

// IndicatorPoints returns the indicator's values. Readers of samverkan.
func (s *AgreementService) IndicatorPoints(ctx context.Context, id int64) ([]samverkan.IndicatorPoint, error) {
	c := caller(ctx)
	if !readsSamverkan(c) {
		return nil, c.denied()
	}
	audience := samverkan.AudienceCountReaders
	if !mayCount(c) {
		audience = samverkan.AudiencePartners
	}
	return s.indicatorPoints(ctx, id, audience)
}

// indicatorPoints reads a series, or counts reports or ads per month, with
// the operator's rights, and withholds small counts as the audience
// requires (see samverkan.Audience).
func (s *AgreementService) indicatorPoints(ctx context.Context, id int64, audience samverkan.Audience) ([]samverkan.IndicatorPoint, error) {
	sc, err := findCommitment(ctx, s.db.read, id)
	if err != nil {
		return nil, err
	}
	if sc.Indicator.Source == samverkan.IndicatorIndikator {
		return s.seriesPoints(ctx, sc, audience)
	}
	if sc.Indicator.Source == samverkan.IndicatorSeries {
		var out []samverkan.IndicatorPoint
		err := eachRow(ctx, s.db.read, "SELECT day, value FROM indicator_points WHERE commitment_id = $1 ORDER BY day", []any{id},
			func(row interface{ Scan(...any) error }) error {
				var p samverkan.IndicatorPoint
				err := row.Scan(&p.Day, &p.Value)
				out = append(out, p)
				return err
			})
		return samverkan.ForAudience(out, sc.Indicator, audience), err
	}
	months, err := s.indicatorMonths(ctx, sc)
	if err != nil {
		return nil, err
	}
	var out []samverkan.IndicatorPoint
	if sc.Indicator.Source == samverkan.IndicatorNightwalk { // issue 15
		out, err = nightwalkPoints(ctx, s.db.read, sc.Indicator.Areas, months)
		return out, err
	}
	if sc.Indicator.Source.FromAds() {
		weeks, err := adWeeks(ctx, s.db.read)
		if err != nil {
			return nil, err
		}
		out = samverkan.AdIndicatorPoints(weeks, sc.Indicator.Source, months)
	} else {
		op := trygg.NewOperatorContext(ctx)
		for _, m := range months {
			cells, err := s.counts.CountCells(op, trygg.CountFilter{From: m, To: trygg.MonthEnd(m), Areas: sc.Indicator.Areas, Categories: sc.Indicator.Categories})
			if err != nil {
				return nil, err
			}
			out = append(out, samverkan.ReportPoint(m, cells))
		}
	}
	return samverkan.ForAudience(out, sc.Indicator, audience), nil
}

// indicatorMonths returns the whole months a counted indicator shows
// (samverkan.IndicatorMonths).
func (s *AgreementService) indicatorMonths(ctx context.Context, sc storedCommitment) ([]trygg.Day, error) {
	a, err := findAgreement(ctx, s.db.read, sc.AgreementID)
	if err != nil {
		return nil, err
	}
	return samverkan.IndicatorMonths(sc.Target, a.From, a.To, trygg.DayOf(s.db.Now())), nil
}

// FindPublicAgreements returns the signed and ended medborgarlöften and
// trygghetsavtal. Anyone.
func (s *AgreementService) FindPublicAgreements(ctx context.Context) ([]*samverkan.Agreement, error) {
	list, err := loadAgreements(ctx, s.db.read, publicAgreements)
	for _, a := range list {
		for _, c := range a.Commitments {
			c.HideForPublic()
		}
	}
	return list, err
}

// PublicCommitment returns what the public sees of a commitment. Anyone.
func (s *AgreementService) PublicCommitment(ctx context.Context, id int64) (*samverkan.Commitment, []samverkan.IndicatorPoint, *samverkan.CommitmentUpdate, error) {
	sc, err := findCommitment(ctx, s.db.read, id)
	if err != nil {
		return nil, nil, nil, err
	}
	list, err := loadAgreements(ctx, s.db.read, publicAgreements+" AND id = $1", sc.AgreementID)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(list) == 0 {
		return nil, nil, nil, trygg.NotFound()
	}
	points, err := s.indicatorPoints(ctx, id, samverkan.AudiencePublic)
	if err != nil {
		return nil, nil, nil, err
	}
	u, err := scanUpdate(s.db.read.QueryRowContext(ctx, "SELECT "+updateColumns+updateFrom+
		" WHERE cu.commitment_id = $1 AND cu.published_at IS NOT NULL ORDER BY cu.day DESC, cu.id DESC LIMIT 1", id))
	if errors.Is(err, sql.ErrNoRows) {
		u, err = nil, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if u != nil {
		u.HideForPublic()
	}
	sc.Commitment.HideForPublic()
	return sc.Commitment, points, u, nil
}

// FindPublishedUpdates returns the newest published updates on public
// agreements. Anyone.
func (s *AgreementService) FindPublishedUpdates(ctx context.Context, limit int) ([]samverkan.PublishedUpdate, error) {
	limit = min(max(limit, 1), 100)
	var out []samverkan.PublishedUpdate
	err := eachRow(ctx, s.db.read, "SELECT "+updateColumns+`, c.text, a.id, a.title`+updateFrom+`
		JOIN commitments c ON c.id = cu.commitment_id JOIN agreements a ON a.id = c.agreement_id
		WHERE cu.published_at IS NOT NULL AND a.id IN (SELECT id FROM agreements`+publicAgreements+`)
		ORDER BY cu.published_at DESC, cu.id DESC LIMIT $1`, []any{limit},
		func(row interface{ Scan(...any) error }) error {
			var p samverkan.PublishedUpdate
			u, err := scanUpdate(row, &p.CommitmentText, &p.AgreementID, &p.AgreementTitle)
			if err != nil {
				return err
			}
			u.HideForPublic()
			p.Update = u
			out = append(out, p)
			return nil
		})
	return out, err
}
