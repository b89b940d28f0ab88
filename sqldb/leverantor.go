package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/leverantor"
	"github.com/trygg-est/trygg/sealed"
)

var _ leverantor.Service = (*LeverantorService)(nil)

// LeverantorService is the review of welfare providers. An enskild
// firma's number and the key persons are sealed with package sealed under
// the register "leverantor" (register.go) and every read of them is
// audited; who may do what is in the doc comment of leverantor.Service.
type LeverantorService struct{ db *DB }

// NewLeverantorService returns the register on db.
func NewLeverantorService(db *DB) *LeverantorService { return &LeverantorService{db: db} }

// leverantorRegister is the register's sealed columns: an enskild firma's
// number (with its blind index in the provider's unique key), the key
// persons (with the blind index of their numbers) and the checks'
// documents, each bound to its own row.
var leverantorRegister = declareRegister(sealedRegister{name: "leverantor", label: "leverantörsregistret", object: objectProvider,
	columns: []sealedColumn{
		{table: "leverantor_providers", column: "org_sealed", record: func(id int64, _ string) string { return providerRecord(id) }, index: "org_key",
			indexOf: func(keys *sealed.Keyring, plain []byte) (string, error) {
				return orgKey(keys, leverantor.OrgNumber{Digits: string(plain), Personal: true}), nil
			}},
		{table: "leverantor_persons", column: "sealed", record: func(id int64, _ string) string { return personRecord(id) }, index: "person_index",
			indexOf: jsonIndex(func(p sealedPerson) string { return p.Number })},
		{table: "leverantor_checks", column: "doc_sealed", record: func(id int64, _ string) string { return checkRecord(id) }},
	}})

const (
	objectProvider = "leverantor"
	// leverantorPurpose is the reason of every read: the review itself.
	leverantorPurpose = "leverantorskontroll"
)

// reviewCaller is a caller allowed into the register, with its unit.
type reviewCaller struct {
	identity
	orgID int64
}

// reviewAccess returns the caller if it has role kontroll; nobody else
// learns that the register holds anything.
func reviewAccess(ctx context.Context) (reviewCaller, error) {
	c := caller(ctx)
	if c.user == nil || !c.user.Has(trygg.RoleKontroll) {
		return reviewCaller{}, c.denied()
	}
	return reviewCaller{identity: c, orgID: c.user.OrgID}, nil
}

// visibleProvider answers ENOTFOUND unless the caller's unit has a
// contract with the provider.
func visibleProvider(ctx context.Context, q queryer, rc reviewCaller, id int64) error {
	var one int
	err := q.QueryRowContext(ctx, "SELECT 1 FROM leverantor_units WHERE provider_id = $1 AND org_id = $2", id, rc.orgID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return trygg.NotFound()
	}
	return err
}

// sealedPerson is what leverantor_persons.sealed holds.
type sealedPerson struct {
	Name   string `json:"name"`
	Number string `json:"number"`
}

func personRecord(id int64) string   { return "leverantor-person-" + objectID(id) }
func providerRecord(id int64) string { return "leverantor-" + objectID(id) }
func checkRecord(id int64) string    { return "leverantor-check-" + objectID(id) }

// orgKey is the unique key of a provider's number: the number itself, or
// for a personnummer its blind index.
func orgKey(keys *sealed.Keyring, n leverantor.OrgNumber) string {
	if n.Personal {
		return "p" + keys.BlindIndex(n.Digits)
	}
	return n.Digits
}

// providerByNumber finds the provider with number n: for a personnummer by
// its blind index under any key of the keyring, so that a provider
// indexed before a rotation is found during it. ENOTFOUND when none.
func providerByNumber(ctx context.Context, tx *Tx, keys *sealed.Keyring, n leverantor.OrgNumber) (int64, error) {
	candidates := []any{n.Digits}
	if n.Personal {
		candidates = candidates[:0]
		for _, index := range keys.BlindIndexes(n.Digits) {
			candidates = append(candidates, "p"+index)
		}
	}
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM leverantor_providers WHERE org_key IN ("+placeholders(1, len(candidates))+")", candidates...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, trygg.NotFound()
	}
	return id, err
}

// FindProviders lists the providers of the caller's unit by score. The
// list shows no personal data (an enskild firma's number is left out), so
// it is not an audited read.
func (s *LeverantorService) FindProviders(ctx context.Context, f leverantor.Filter) ([]*leverantor.Summary, error) {
	rc, err := reviewAccess(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.refresh(ctx); err != nil {
		return nil, err
	}
	q := `SELECT p.id, p.org_number, p.name, p.service_area, o.name, p.status, p.score, p.flags, p.next_due, p.overdue
		FROM leverantor_providers p JOIN organisations o ON o.id = p.unit_id
		WHERE EXISTS (SELECT 1 FROM leverantor_units u WHERE u.provider_id = p.id AND u.org_id = $1)`
	// EXISTS rather than IN: the planner then walks the score index and
	// stops at the limit, instead of sorting every provider of the unit.
	args := []any{rc.orgID}
	if f.ServiceArea != "" {
		args = append(args, f.ServiceArea)
		q += " AND p.service_area = $2"
	}
	if f.OnlyOverdue {
		q += " AND p.overdue = 1"
	}
	q += " ORDER BY p.score DESC, p.name, p.id"
	if f.Limit > 0 {
		q += " LIMIT " + objectID(int64(f.Limit))
	}
	rows, err := s.db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*leverantor.Summary
	for rows.Next() {
		var p leverantor.Summary
		var org, flags string
		var next int64
		var overdue int
		if err := rows.Scan(&p.ID, &org, &p.Name, &p.ServiceArea, &p.UnitName, &p.Status, &p.Score, &flags, &next, &overdue); err != nil {
			return nil, err
		}
		if org != "" {
			p.Org = leverantor.OrgNumber{Digits: org}.String()
		}
		p.NextDue, p.Overdue = trygg.Day(next), overdue == 1
		p.FlagCount = strings.Count(flags, `"rule"`)
		out = append(out, &p)
	}
	return out, rows.Err()
}

// FindProvider reads a provider with its key persons, checks, decisions,
// flags and schedule, and audits the read.
func (s *LeverantorService) FindProvider(ctx context.Context, id int64) (*leverantor.Provider, error) {
	rc, err := reviewAccess(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.refresh(ctx); err != nil {
		return nil, err
	}
	keys, err := s.db.keyring(leverantorRegister)
	if err != nil {
		return nil, err
	}
	var found *leverantor.Provider
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		if err := visibleProvider(ctx, tx, rc, id); err != nil {
			return err
		}
		p, err := s.loadProvider(ctx, tx, keys, id)
		if err != nil {
			return err
		}
		types, err := s.checkTypes(ctx, tx)
		if err != nil {
			return err
		}
		p.Schedule = leverantor.Schedule(types, p.ServiceArea, p.ContractFrom, p.ContractTo, p.Status == leverantor.StatusTerminated, p.Checks, trygg.DayOf(tx.now))
		found = p
		read := sealed.Access{Record: objectID(id), Reason: sealed.Reason{Purpose: leverantorPurpose}}
		return tx.auditAccess(ctx, rc.identity, objectProvider, read)
	})
	return found, err
}

func (s *LeverantorService) loadProvider(ctx context.Context, q queryer, keys *sealed.Keyring, id int64) (*leverantor.Provider, error) {
	var p leverantor.Provider
	var orgNumber, orgSealed, sites, flags string
	var from, to, registered, permit, next int64
	err := q.QueryRowContext(ctx, `SELECT p.id, p.org_number, p.org_sealed, p.name, p.form, p.address, p.sites, p.contract_type,
		p.service_area, p.contract_from, p.contract_to, p.contract_value, p.registered, p.permit_until, p.unit_id, o.name, p.status,
		p.score, p.flags, p.next_due
		FROM leverantor_providers p JOIN organisations o ON o.id = p.unit_id WHERE p.id = $1`, id).Scan(
		&p.ID, &orgNumber, &orgSealed, &p.Name, &p.Form, &p.Address, &sites, &p.ContractType, &p.ServiceArea, &from, &to, &p.Value,
		&registered, &permit, &p.UnitID, &p.UnitName, &p.Status, &p.Score, &flags, &next)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trygg.NotFound()
	} else if err != nil {
		return nil, err
	}
	p.ContractFrom, p.ContractTo, p.Registered, p.PermitUntil, p.NextDue = trygg.Day(from), trygg.Day(to), trygg.Day(registered), trygg.Day(permit), trygg.Day(next)
	if err := json.Unmarshal([]byte(sites), &p.Sites); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(flags), &p.Flags); err != nil {
		return nil, err
	}
	p.Org = leverantor.OrgNumber{Digits: orgNumber}
	if orgSealed != "" {
		plain, err := keys.Open(orgSealed, providerRecord(p.ID))
		if err != nil {
			return nil, err
		}
		p.Org = leverantor.OrgNumber{Digits: string(plain), Personal: true}
	}
	rows, err := q.QueryContext(ctx, `SELECT o.id, o.name FROM leverantor_units u JOIN organisations o ON o.id = u.org_id
		WHERE u.provider_id = $1 ORDER BY o.name`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var u leverantor.Unit
		if err := rows.Scan(&u.ID, &u.Name); err != nil {
			rows.Close()
			return nil, err
		}
		p.Units = append(p.Units, u)
	}
	rows.Close()
	slices.SortStableFunc(p.Units, func(a, b leverantor.Unit) int { return boolInt(b.ID == p.UnitID) - boolInt(a.ID == p.UnitID) })
	rows, err = q.QueryContext(ctx, `SELECT id, role, from_day, to_day, sealed FROM leverantor_persons WHERE provider_id = $1
		ORDER BY to_day <> 0, role, from_day, id`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var k leverantor.KeyPerson
		var from, to int64
		var seal string
		if err := rows.Scan(&k.ID, &k.Role, &from, &to, &seal); err != nil {
			rows.Close()
			return nil, err
		}
		plain, err := keys.Open(seal, personRecord(k.ID))
		if err != nil {
			rows.Close()
			return nil, err
		}
		var sp sealedPerson
		if err := json.Unmarshal(plain, &sp); err != nil {
			rows.Close()
			return nil, err
		}
		k.Name, k.Number = sp.Name, leverantor.OrgNumber{Digits: sp.Number, Personal: true}
		k.From, k.To = trygg.Day(from), trygg.Day(to)
		p.KeyPersons = append(p.KeyPersons, k)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT c.id, c.type, c.day, c.result, c.source, c.note, o.name, COALESCE(u.name, ''),
		c.doc_name, c.doc_size, c.doc_sha256
		FROM leverantor_checks c JOIN organisations o ON o.id = c.unit_id LEFT JOIN users u ON u.id = c.by_id
		WHERE c.provider_id = $1 ORDER BY c.day DESC, c.id DESC`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c leverantor.Check
		var d int64
		var doc trygg.Document
		if err := rows.Scan(&c.ID, &c.Type, &d, &c.Result, &c.Source, &c.Note, &c.UnitName, &c.ByName, &doc.Name, &doc.Size, &doc.SHA256); err != nil {
			rows.Close()
			return nil, err
		}
		c.Day = trygg.Day(d)
		if doc.Name != "" {
			c.Document = &doc
		}
		p.Checks = append(p.Checks, c)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT d.id, d.action, d.recipient, d.deadline, d.reason, d.at, COALESCE(u.name, ''), o.name
		FROM leverantor_decisions d JOIN organisations o ON o.id = d.unit_id LEFT JOIN users u ON u.id = d.by_id
		WHERE d.provider_id = $1 ORDER BY d.at DESC, d.id DESC`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var d leverantor.Decision
		var deadline, at int64
		if err := rows.Scan(&d.ID, &d.Action, &d.Recipient, &deadline, &d.Reason, &at, &d.ByName, &d.UnitName); err != nil {
			rows.Close()
			return nil, err
		}
		d.Deadline, d.At = trygg.Day(deadline), fromMillis(at)
		p.Decisions = append(p.Decisions, d)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT f.id, f.reason, f.at, COALESCE(u.name, ''), o.name
		FROM leverantor_flags f JOIN organisations o ON o.id = f.unit_id LEFT JOIN users u ON u.id = f.by_id
		WHERE f.provider_id = $1 ORDER BY f.at DESC, f.id DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f leverantor.ManualFlag
		var at int64
		if err := rows.Scan(&f.ID, &f.Reason, &at, &f.ByName, &f.UnitName); err != nil {
			return nil, err
		}
		f.At = fromMillis(at)
		p.Manual = append(p.Manual, f)
	}
	return &p, rows.Err()
}

// Import stores providers and key persons in one transaction, matched on
// the organisation number, and audits each provider created or changed.
func (s *LeverantorService) Import(ctx context.Context, providers []leverantor.ProviderInput, persons []leverantor.KeyPersonInput) (*leverantor.ImportResult, error) {
	rc, err := reviewAccess(ctx)
	if err != nil {
		return nil, err
	}
	keys, err := s.db.keyring(leverantorRegister)
	if err != nil {
		return nil, err
	}
	// Validate everything first: nothing is written if any row is bad.
	var v trygg.Validation
	numbers := make([]leverantor.OrgNumber, len(providers))
	for i := range providers {
		n, err := providers[i].Validate()
		for _, f := range trygg.ErrorFields(err) {
			v.Add("providers", "Leverantör rad %d, %s: %s", i+2, f.Field, f.Message)
		}
		numbers[i] = n
	}
	personNumbers := make([]leverantor.OrgNumber, len(persons))
	for i := range persons {
		n, err := persons[i].Validate()
		for _, f := range trygg.ErrorFields(err) {
			v.Add("persons", "Nyckelperson rad %d, %s: %s", i+2, f.Field, f.Message)
		}
		personNumbers[i] = n
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	res := &leverantor.ImportResult{}
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		byKey := map[string]int64{}
		for i, in := range providers {
			id, created, err := s.upsertProvider(ctx, tx, keys, rc, numbers[i], in)
			if err != nil {
				return err
			}
			byKey[orgKey(keys, numbers[i])] = id
			if created {
				res.Created++
			} else {
				res.Updated++
			}
		}
		// The key persons of each provider named in persons replace the
		// earlier ones, so that importing the same file twice changes
		// nothing.
		replaced := map[int64]bool{}
		for i, in := range persons {
			n, _ := leverantor.ParseOrgNumber(in.Org)
			key := orgKey(keys, n)
			id, ok := byKey[key]
			if !ok {
				id, err = providerByNumber(ctx, tx, keys, n)
				if trygg.ErrorCode(err) == trygg.ENOTFOUND {
					return trygg.Errorf(trygg.EINVALID, "Nyckelperson rad %d: leverantören %s finns inte i registret eller filen.", i+2, n.Masked())
				} else if err != nil {
					return err
				}
				if err := visibleProvider(ctx, tx, rc, id); err != nil {
					return trygg.Errorf(trygg.EINVALID, "Nyckelperson rad %d: leverantören %s finns inte i registret eller filen.", i+2, n.Masked())
				}
				byKey[key] = id
			}
			if !replaced[id] {
				replaced[id] = true
				if _, err := tx.ExecContext(ctx, "DELETE FROM leverantor_persons WHERE provider_id = $1", id); err != nil {
					return err
				}
			}
			if err := insertPerson(ctx, tx, keys, id, personNumbers[i], in); err != nil {
				return err
			}
			res.KeyPersons++
		}
		for id := range replaced {
			if err := tx.audit(ctx, actorOf(rc.identity), auditEntry{action: trygg.AuditUpdate, objectType: objectProvider, objectID: objectID(id), detail: "nyckelpersoner importerade"}); err != nil {
				return err
			}
		}
		return s.recompute(ctx, tx)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func insertPerson(ctx context.Context, tx *Tx, keys *sealed.Keyring, providerID int64, n leverantor.OrgNumber, in leverantor.KeyPersonInput) error {
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO leverantor_persons (provider_id, role, from_day, to_day, sealed, person_index)
		VALUES ($1, $2, $3, $4, '', $5) RETURNING id`, providerID, in.Role, int64(in.From), int64(in.To), keys.BlindIndex(n.Digits)).Scan(&id); err != nil {
		return err
	}
	plain, err := json.Marshal(sealedPerson{Name: strings.TrimSpace(in.Name), Number: n.Digits})
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE leverantor_persons SET sealed = $1 WHERE id = $2", keys.Seal(plain, personRecord(id)), id)
	return err
}

// upsertProvider creates or updates a provider by its number; an existing
// provider outside the caller's unit answers EINVALID without saying more.
func (s *LeverantorService) upsertProvider(ctx context.Context, tx *Tx, keys *sealed.Keyring, rc reviewCaller, n leverantor.OrgNumber, in leverantor.ProviderInput) (int64, bool, error) {
	key := orgKey(keys, n)
	sites := in.Sites
	if sites == nil {
		sites = []string{}
	}
	sitesJSON, err := json.Marshal(sites)
	if err != nil {
		return 0, false, err
	}
	id, err := providerByNumber(ctx, tx, keys, n)
	name, addr := strings.TrimSpace(in.Name), strings.TrimSpace(in.Address)
	switch {
	case trygg.ErrorCode(err) == trygg.ENOTFOUND:
		plainNumber := n.Digits
		if n.Personal {
			plainNumber = ""
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO leverantor_providers (org_key, org_number, org_sealed, name, form, address, address_key,
			sites, contract_type, service_area, contract_from, contract_to, contract_value, registered, permit_until, unit_id, status,
			created_at, updated_at) VALUES ($1, $2, '', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id`,
			key, plainNumber, name, in.Form, addr, leverantor.NormalAddress(addr), string(sitesJSON), in.ContractType, in.ServiceArea,
			int64(in.ContractFrom), int64(in.ContractTo), in.Value, int64(in.Registered), int64(in.PermitUntil), rc.orgID,
			leverantor.StatusActive, millis(tx.now)).Scan(&id)
		if err != nil {
			return 0, false, err
		}
		if n.Personal {
			if _, err := tx.ExecContext(ctx, "UPDATE leverantor_providers SET org_sealed = $1 WHERE id = $2", keys.Seal([]byte(n.Digits), providerRecord(id)), id); err != nil {
				return 0, false, err
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO leverantor_units (provider_id, org_id) VALUES ($1, $2)", id, rc.orgID); err != nil {
			return 0, false, err
		}
		return id, true, tx.audit(ctx, actorOf(rc.identity), auditEntry{action: trygg.AuditCreate, objectType: objectProvider, objectID: objectID(id), detail: "import"})
	case err != nil:
		return 0, false, err
	}
	if err := visibleProvider(ctx, tx, rc, id); err != nil {
		return 0, false, trygg.Errorf(trygg.EINVALID, "Leverantören %s finns redan i registret hos en annan enhet.", n.Masked())
	}
	_, err = tx.ExecContext(ctx, `UPDATE leverantor_providers SET name = $1, form = $2, address = $3, address_key = $4, sites = $5,
		contract_type = $6, service_area = $7, contract_from = $8, contract_to = $9, contract_value = $10, registered = $11,
		permit_until = $12, updated_at = $13 WHERE id = $14`,
		name, in.Form, addr, leverantor.NormalAddress(addr), string(sitesJSON), in.ContractType, in.ServiceArea, int64(in.ContractFrom),
		int64(in.ContractTo), in.Value, int64(in.Registered), int64(in.PermitUntil), millis(tx.now), id)
	if err != nil {
		return 0, false, err
	}
	return id, false, tx.audit(ctx, actorOf(rc.identity), auditEntry{action: trygg.AuditUpdate, objectType: objectProvider, objectID: objectID(id), detail: "import"})
}

// change runs a change of one visible provider, audits it and recomputes
// the scores, in one transaction.
func (s *LeverantorService) change(ctx context.Context, providerID int64, detail string, fn func(tx *Tx, rc reviewCaller) error) error {
	rc, err := reviewAccess(ctx)
	if err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		if err := visibleProvider(ctx, tx, rc, providerID); err != nil {
			return err
		}
		if err := fn(tx, rc); err != nil {
			return err
		}
		if err := tx.audit(ctx, actorOf(rc.identity), auditEntry{action: trygg.AuditUpdate, objectType: objectProvider, objectID: objectID(providerID), detail: detail}); err != nil {
			return err
		}
		return s.recompute(ctx, tx)
	})
}

// RecordCheck records a check, its document sealed.
func (s *LeverantorService) RecordCheck(ctx context.Context, providerID int64, in leverantor.CheckInput) error {
	keys, err := s.db.keyring(leverantorRegister)
	if err != nil {
		return err
	}
	return s.change(ctx, providerID, "kontroll "+in.Type, func(tx *Tx, rc reviewCaller) error {
		types, err := s.checkTypes(ctx, tx)
		if err != nil {
			return err
		}
		if err := in.Validate(types, trygg.DayOf(tx.now)); err != nil {
			return err
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO leverantor_checks (provider_id, type, day, result, source, note, unit_id, by_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, providerID, in.Type, int64(in.Day), in.Result,
			strings.TrimSpace(in.Source), strings.TrimSpace(in.Note), rc.orgID, rc.user.ID, millis(tx.now)).Scan(&id)
		if err != nil || len(in.Document) == 0 {
			return err
		}
		sum := sha256.Sum256(in.Document)
		_, err = tx.ExecContext(ctx, "UPDATE leverantor_checks SET doc_name = $1, doc_size = $2, doc_sha256 = $3, doc_sealed = $4 WHERE id = $5",
			in.DocumentName, len(in.Document), hex.EncodeToString(sum[:]), keys.Seal(in.Document, checkRecord(id)), id)
		return err
	})
}

// ImportChecks records many checks in one transaction, auditing each
// provider's once, and recomputes the scores once.
func (s *LeverantorService) ImportChecks(ctx context.Context, checks []leverantor.CheckImport) error {
	rc, err := reviewAccess(ctx)
	if err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		types, err := s.checkTypes(ctx, tx)
		if err != nil {
			return err
		}
		today := trygg.DayOf(tx.now)
		seen := map[int64]bool{}
		for i, c := range checks {
			if !seen[c.ProviderID] {
				if err := visibleProvider(ctx, tx, rc, c.ProviderID); err != nil {
					return err
				}
			}
			in := c.CheckInput
			in.Document, in.DocumentName = nil, ""
			if err := in.Validate(types, today); err != nil {
				return trygg.Errorf(trygg.EINVALID, "Kontroll %d: %s", i+1, trygg.ErrorMessage(err))
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO leverantor_checks (provider_id, type, day, result, source, note, unit_id, by_id, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, c.ProviderID, in.Type, int64(in.Day), in.Result,
				strings.TrimSpace(in.Source), strings.TrimSpace(in.Note), rc.orgID, rc.user.ID, millis(tx.now)); err != nil {
				return err
			}
			if !seen[c.ProviderID] {
				seen[c.ProviderID] = true
				if err := tx.audit(ctx, actorOf(rc.identity), auditEntry{action: trygg.AuditUpdate, objectType: objectProvider, objectID: objectID(c.ProviderID), detail: "kontroller importerade"}); err != nil {
					return err
				}
			}
		}
		return s.recompute(ctx, tx)
	})
}

// CheckDocument returns a check's document, and audits the read.
func (s *LeverantorService) CheckDocument(ctx context.Context, providerID, checkID int64) (*trygg.Document, []byte, error) {
	rc, err := reviewAccess(ctx)
	if err != nil {
		return nil, nil, err
	}
	keys, err := s.db.keyring(leverantorRegister)
	if err != nil {
		return nil, nil, err
	}
	var doc trygg.Document
	var content []byte
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		if err := visibleProvider(ctx, tx, rc, providerID); err != nil {
			return err
		}
		var seal string
		var created int64
		err := tx.QueryRowContext(ctx, `SELECT doc_name, doc_size, doc_sha256, doc_sealed, created_at FROM leverantor_checks
			WHERE id = $1 AND provider_id = $2 AND doc_name <> ''`, checkID, providerID).Scan(&doc.Name, &doc.Size, &doc.SHA256, &seal, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return trygg.NotFound()
		} else if err != nil {
			return err
		}
		doc.UploadedAt = fromMillis(created)
		if content, err = keys.Open(seal, checkRecord(checkID)); err != nil {
			return err
		}
		return tx.auditAccess(ctx, rc.identity, objectProvider, sealed.Access{Record: objectID(providerID), Reason: sealed.Reason{Purpose: leverantorPurpose},
			ShownAs: "dokument till kontroll", Shown: []string{objectID(checkID)}})
	})
	if err != nil {
		return nil, nil, err
	}
	return &doc, content, nil
}

// RecordDecision records a decision; a termination sets the provider's
// status and ends its contract today.
func (s *LeverantorService) RecordDecision(ctx context.Context, providerID int64, in leverantor.DecisionInput) error {
	return s.change(ctx, providerID, "beslut "+in.Action, func(tx *Tx, rc reviewCaller) error {
		today := trygg.DayOf(tx.now)
		if err := in.Validate(today); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO leverantor_decisions (provider_id, action, recipient, deadline, reason, unit_id, by_id, at, day)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, providerID, in.Action, in.Recipient, int64(in.Deadline), strings.TrimSpace(in.Reason),
			rc.orgID, rc.user.ID, millis(tx.now), int64(today)); err != nil {
			return err
		}
		if in.Action != leverantor.ActionTerminate {
			return nil
		}
		_, err := tx.ExecContext(ctx, "UPDATE leverantor_providers SET status = $1, contract_to = $2, updated_at = $3 WHERE id = $4",
			leverantor.StatusTerminated, int64(today), millis(tx.now), providerID)
		return err
	})
}

// RaiseFlag records a manual flag.
func (s *LeverantorService) RaiseFlag(ctx context.Context, providerID int64, reason string) error {
	return s.change(ctx, providerID, "manuell flagga", func(tx *Tx, rc reviewCaller) error {
		if err := leverantor.ValidateFlagReason(reason); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO leverantor_flags (provider_id, reason, unit_id, by_id, at) VALUES ($1, $2, $3, $4, $5)",
			providerID, strings.TrimSpace(reason), rc.orgID, rc.user.ID, millis(tx.now))
		return err
	})
}

// AddUnit gives another unit a contract with the provider.
func (s *LeverantorService) AddUnit(ctx context.Context, providerID int64, orgCode string) error {
	return s.change(ctx, providerID, "enhet "+orgCode, func(tx *Tx, rc reviewCaller) error {
		var orgID int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM organisations WHERE code = $1", orgCode).Scan(&orgID)
		if errors.Is(err, sql.ErrNoRows) {
			return &trygg.Error{Code: trygg.EINVALID, Message: "Välj en enhet i listan.", Fields: []trygg.FieldError{{Field: "unit", Message: "Välj en enhet i listan."}}}
		} else if err != nil {
			return err
		}
		var one int
		err = tx.QueryRowContext(ctx, "SELECT 1 FROM leverantor_units WHERE provider_id = $1 AND org_id = $2", providerID, orgID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			_, err = tx.ExecContext(ctx, "INSERT INTO leverantor_units (provider_id, org_id) VALUES ($1, $2)", providerID, orgID)
		}
		return err
	})
}

// CheckTypes returns the configured check types.
func (s *LeverantorService) CheckTypes(ctx context.Context) ([]leverantor.CheckType, error) {
	if _, err := reviewAccess(ctx); err != nil {
		return nil, err
	}
	return s.checkTypes(ctx, s.db.read)
}

// checkTypes reads the configured check types; the defaults when none are.
func (s *LeverantorService) checkTypes(ctx context.Context, q queryer) ([]leverantor.CheckType, error) {
	rows, err := q.QueryContext(ctx, "SELECT code, label, months, owner, areas, position FROM leverantor_check_types ORDER BY position, code")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []leverantor.CheckType
	for rows.Next() {
		var t leverantor.CheckType
		var areas string
		if err := rows.Scan(&t.Code, &t.Label, &t.Months, &t.Owner, &areas, &t.Position); err != nil {
			return nil, err
		}
		if areas != "" {
			t.Areas = strings.Split(areas, ",")
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		out = slices.Clone(leverantor.DefaultCheckTypes)
	}
	return out, nil
}

// SetCheckTypes stores the check types' intervals and owners; the codes,
// labels and areas are those of the configured types.
func (s *LeverantorService) SetCheckTypes(ctx context.Context, in []leverantor.CheckType) error {
	rc, err := reviewAccess(ctx)
	if err != nil {
		return err
	}
	if err := leverantor.ValidateCheckTypes(in); err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		types, err := s.checkTypes(ctx, tx)
		if err != nil {
			return err
		}
		for i := range types {
			for _, t := range in {
				if t.Code == types[i].Code {
					types[i].Months, types[i].Owner = t.Months, strings.TrimSpace(t.Owner)
				}
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM leverantor_check_types"); err != nil {
			return err
		}
		for i, t := range types {
			if _, err := tx.ExecContext(ctx, "INSERT INTO leverantor_check_types (code, label, months, owner, areas, position) VALUES ($1, $2, $3, $4, $5, $6)",
				t.Code, t.Label, t.Months, t.Owner, strings.Join(t.Areas, ","), i); err != nil {
				return err
			}
		}
		if err := tx.audit(ctx, actorOf(rc.identity), auditEntry{action: trygg.AuditUpdate, objectType: objectProvider + "_kontrolltyper"}); err != nil {
			return err
		}
		return s.recompute(ctx, tx)
	})
}

// Rules returns the configured rules.
func (s *LeverantorService) Rules(ctx context.Context) (leverantor.Rules, error) {
	if _, err := reviewAccess(ctx); err != nil {
		return nil, err
	}
	return s.rules(ctx, s.db.read)
}

func (s *LeverantorService) rules(ctx context.Context, q queryer) (leverantor.Rules, error) {
	out := slices.Clone(leverantor.DefaultRules)
	rows, err := q.QueryContext(ctx, "SELECT code, weight, threshold FROM leverantor_rules")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var w int
		var th int64
		if err := rows.Scan(&code, &w, &th); err != nil {
			return nil, err
		}
		for i := range out {
			if out[i].Code == code {
				out[i].Weight, out[i].Threshold = w, th
			}
		}
	}
	return out, rows.Err()
}

// SetRules stores the weights and thresholds and recomputes every score.
func (s *LeverantorService) SetRules(ctx context.Context, r leverantor.Rules) error {
	rc, err := reviewAccess(ctx)
	if err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		for _, rule := range r {
			if _, err := tx.ExecContext(ctx, "DELETE FROM leverantor_rules WHERE code = $1", rule.Code); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO leverantor_rules (code, weight, threshold) VALUES ($1, $2, $3)", rule.Code, rule.Weight, rule.Threshold); err != nil {
				return err
			}
		}
		if err := tx.audit(ctx, actorOf(rc.identity), auditEntry{action: trygg.AuditUpdate, objectType: objectProvider + "_regler"}); err != nil {
			return err
		}
		return s.recompute(ctx, tx)
	})
}

// Overdue returns the overdue checks of the caller's unit's providers.
func (s *LeverantorService) Overdue(ctx context.Context) ([]leverantor.OverdueCheck, error) {
	rc, err := reviewAccess(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.refresh(ctx); err != nil {
		return nil, err
	}
	types, err := s.checkTypes(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	mine := "p.overdue = 1 AND EXISTS (SELECT 1 FROM leverantor_units u WHERE u.provider_id = p.id AND u.org_id = $1)"
	rows, err := s.db.read.QueryContext(ctx, `SELECT p.id, p.name, o.name, p.service_area, p.contract_from, p.contract_to, p.status
		FROM leverantor_providers p JOIN organisations o ON o.id = p.unit_id WHERE `+mine+` ORDER BY o.name, p.name, p.id`, rc.orgID)
	if err != nil {
		return nil, err
	}
	type prov struct {
		id           int64
		name, unit   string
		area, status string
		from, to     int64
		checks       []leverantor.Check
	}
	var ps []*prov
	byID := map[int64]*prov{}
	for rows.Next() {
		var p prov
		if err := rows.Scan(&p.id, &p.name, &p.unit, &p.area, &p.from, &p.to, &p.status); err != nil {
			rows.Close()
			return nil, err
		}
		ps = append(ps, &p)
		byID[p.id] = &p
	}
	rows.Close()
	// The last check of each type, for all of them in one query.
	rows, err = s.db.read.QueryContext(ctx, `SELECT c.provider_id, c.type, MAX(c.day) FROM leverantor_checks c
		JOIN leverantor_providers p ON p.id = c.provider_id WHERE `+mine+` GROUP BY c.provider_id, c.type`, rc.orgID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, d int64
		var c leverantor.Check
		if err := rows.Scan(&id, &c.Type, &d); err != nil {
			rows.Close()
			return nil, err
		}
		c.Day = trygg.Day(d)
		if p := byID[id]; p != nil {
			p.checks = append(p.checks, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	today := trygg.DayOf(s.db.Now())
	var out []leverantor.OverdueCheck
	for _, p := range ps {
		for _, d := range leverantor.Schedule(types, p.area, trygg.Day(p.from), trygg.Day(p.to), p.status == leverantor.StatusTerminated, p.checks, today) {
			if d.Overdue {
				out = append(out, leverantor.OverdueCheck{UnitName: p.unit, ProviderID: p.id, ProviderName: p.name, Type: d.Type, TypeLabel: d.Label, Due: d.Due})
			}
		}
	}
	return out, nil
}

// Stats returns the statistics over the caller's unit's providers for a
// reviewer, and over every provider for the committee (StatsRoles); every
// count goes through disclose.
func (s *LeverantorService) Stats(ctx context.Context) (*leverantor.Stats, error) {
	c := caller(ctx)
	var orgID int64 // 0: every provider, for the committee
	switch {
	case c.user != nil && c.user.Has(trygg.RoleKontroll):
		orgID = c.user.OrgID
	case c.user != nil && c.user.Has(leverantor.StatsRoles...):
	default:
		return nil, c.denied()
	}
	if err := s.refresh(ctx); err != nil {
		return nil, err
	}
	mine := "SELECT provider_id FROM leverantor_units WHERE org_id = $1 OR $1 = 0"
	var ps []leverantor.StatProvider
	rows, err := s.db.read.QueryContext(ctx, "SELECT service_area, score FROM leverantor_providers WHERE id IN ("+mine+")", orgID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p leverantor.StatProvider
		if err := rows.Scan(&p.ServiceArea, &p.Score); err != nil {
			rows.Close()
			return nil, err
		}
		ps = append(ps, p)
	}
	rows.Close()
	var cs []leverantor.StatCheck
	rows, err = s.db.read.QueryContext(ctx, "SELECT provider_id, type, day FROM leverantor_checks WHERE provider_id IN ("+mine+")", orgID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c leverantor.StatCheck
		var d int64
		if err := rows.Scan(&c.ProviderID, &c.Type, &d); err != nil {
			rows.Close()
			return nil, err
		}
		c.Day = trygg.Day(d)
		cs = append(cs, c)
	}
	rows.Close()
	var ds []trygg.Day
	rows, err = s.db.read.QueryContext(ctx, "SELECT day FROM leverantor_decisions WHERE provider_id IN ("+mine+")", orgID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			rows.Close()
			return nil, err
		}
		ds = append(ds, trygg.Day(d))
	}
	rows.Close()
	types, err := s.checkTypes(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	return leverantor.ComputeStats(ps, cs, types, ds, trygg.DayOf(s.db.Now())), nil
}

// refresh recomputes the scores when they were last computed before
// today, since an overdue check and a young company change with the date.
func (s *LeverantorService) refresh(ctx context.Context) error {
	today := int64(trygg.DayOf(s.db.Now()))
	var computed int64
	if err := s.db.read.QueryRowContext(ctx, "SELECT day FROM leverantor_computed").Scan(&computed); err != nil {
		return err
	}
	if computed >= today {
		return nil
	}
	return s.db.inWrite(ctx, func(tx *Tx) error { return s.recompute(ctx, tx) })
}

// RecomputeLeverantorScores recomputes every provider's flags and score,
// for the operator and the benchmark.
func (db *DB) RecomputeLeverantorScores(ctx context.Context) error {
	s := NewLeverantorService(db)
	return db.inWrite(ctx, func(tx *Tx) error { return s.recompute(ctx, tx) })
}

// recompute runs the rules over every provider in tx and stores the
// flags, score, next due day and overdue mark of each that changed.
func (s *LeverantorService) recompute(ctx context.Context, tx *Tx) error {
	today := trygg.DayOf(tx.now)
	rules, err := s.rules(ctx, tx)
	if err != nil {
		return err
	}
	types, err := s.checkTypes(ctx, tx)
	if err != nil {
		return err
	}
	type row struct {
		flags      string
		score      int
		next       int64
		overdue    int
		area       string
		from, to   int64
		terminated bool
		checks     []leverantor.Check
	}
	var facts []leverantor.Facts
	var rs []*row
	index := map[int64]int{}
	rows, err := tx.QueryContext(ctx, `SELECT id, name, address_key, service_area, registered, contract_value, permit_until, status,
		contract_from, contract_to, flags, score, next_due, overdue FROM leverantor_providers ORDER BY id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var f leverantor.Facts
		var r row
		var registered, permit int64
		var status string
		if err := rows.Scan(&f.ID, &f.Name, &f.Address, &f.ServiceArea, &registered, &f.Value, &permit, &status,
			&r.from, &r.to, &r.flags, &r.score, &r.next, &r.overdue); err != nil {
			rows.Close()
			return err
		}
		f.Registered, f.PermitUntil = trygg.Day(registered), trygg.Day(permit)
		f.Terminated = status == leverantor.StatusTerminated
		r.area, r.terminated = f.ServiceArea, f.Terminated
		index[f.ID] = len(facts)
		facts = append(facts, f)
		rs = append(rs, &r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, "SELECT provider_id, person_index, role, from_day, to_day FROM leverantor_persons")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, from, to int64
		var k leverantor.PersonFact
		if err := rows.Scan(&id, &k.Index, &k.Role, &from, &to); err != nil {
			rows.Close()
			return err
		}
		k.From, k.To = trygg.Day(from), trygg.Day(to)
		if i, ok := index[id]; ok {
			facts[i].Persons = append(facts[i].Persons, k)
		}
	}
	rows.Close()
	// The checks: the last of each type for the schedule, and any serious
	// remark in the last 12 months.
	yearAgo := int64(today.AddMonths(-12))
	rows, err = tx.QueryContext(ctx, "SELECT provider_id, type, day, result FROM leverantor_checks ORDER BY provider_id, type, day, id")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, d int64
		var c leverantor.Check
		if err := rows.Scan(&id, &c.Type, &d, &c.Result); err != nil {
			rows.Close()
			return err
		}
		c.Day = trygg.Day(d)
		i, ok := index[id]
		if !ok {
			continue
		}
		r := rs[i]
		if n := len(r.checks); n > 0 && r.checks[n-1].Type == c.Type {
			r.checks[n-1] = c
		} else {
			r.checks = append(r.checks, c)
		}
		if c.Result == leverantor.ResultSerious && d > yearAgo {
			facts[i].Serious = true
		}
		if c.Type == leverantor.TypePermit {
			facts[i].PermitLapse = c.Result == leverantor.ResultSerious
		}
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, "SELECT provider_id, reason FROM leverantor_flags ORDER BY at, id")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var reason string
		if err := rows.Scan(&id, &reason); err != nil {
			rows.Close()
			return err
		}
		if i, ok := index[id]; ok {
			facts[i].Manual = append(facts[i].Manual, reason)
		}
	}
	rows.Close()
	nexts := make([]trygg.Day, len(facts))
	for i, r := range rs {
		sched := leverantor.Schedule(types, r.area, trygg.Day(r.from), trygg.Day(r.to), r.terminated, r.checks, today)
		facts[i].Overdue = leverantor.OverdueLabels(sched)
		nexts[i] = leverantor.NextDue(sched)
	}
	var update *sql.Stmt
	for i, flags := range leverantor.Evaluate(rules, facts, today) {
		if flags == nil {
			flags = []leverantor.Flag{}
		}
		b, err := json.Marshal(flags)
		if err != nil {
			return err
		}
		r, score, overdue := rs[i], leverantor.Score(flags), boolInt(len(facts[i].Overdue) > 0)
		if r.flags == string(b) && r.score == score && r.next == int64(nexts[i]) && r.overdue == overdue {
			continue
		}
		if update == nil {
			// Prepared once: a day's recompute may change every row.
			if update, err = tx.PrepareContext(ctx, "UPDATE leverantor_providers SET flags = $1, score = $2, next_due = $3, overdue = $4 WHERE id = $5"); err != nil {
				return err
			}
			defer update.Close()
		}
		if _, err := update.ExecContext(ctx, string(b), score, int64(nexts[i]), overdue, facts[i].ID); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, "UPDATE leverantor_computed SET day = $1", int64(today))
	return err
}
