package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/trygg-est/trygg"
)

var _ trygg.OrganisationService = (*OrganisationService)(nil)

// codePattern is the form of the short codes of organisations, areas and
// categories: they appear in URLs, CSV files and command lines.
var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

const codeRule = "Koden får bara innehålla små bokstäver a–z, siffror, - och _ (högst 40 tecken)."

// checkName adds a field error unless name is non-empty and at most max
// characters.
func checkName(v *trygg.Validation, field, name string, max int) {
	switch {
	case name == "":
		v.Add(field, "Ange ett namn.")
	case utf8.RuneCountInString(name) > max:
		v.Add(field, "Namnet får vara högst %d tecken.", max)
	}
}

// conflictOn replaces a unique-key error with one that names field.
func conflictOn(err error, field, message string) error {
	if trygg.ErrorCode(err) == trygg.ECONFLICT {
		return &trygg.Error{Code: trygg.ECONFLICT, Message: message, Fields: []trygg.FieldError{{Field: field, Message: message}}}
	}
	return err
}

// OrganisationService manages partner organisations.
type OrganisationService struct{ db *DB }

// NewOrganisationService returns the organisation service of db.
func NewOrganisationService(db *DB) *OrganisationService { return &OrganisationService{db: db} }

const orgColumns = "id, code, name, type, created_at"

func scanOrganisation(s interface{ Scan(...any) error }) (*trygg.Organisation, error) {
	var o trygg.Organisation
	var created int64
	if err := s.Scan(&o.ID, &o.Code, &o.Name, &o.Type, &created); err != nil {
		return nil, err
	}
	o.CreatedAt = fromMillis(created)
	return &o, nil
}

// FindOrganisations returns all organisations ordered by name. Any signed-in
// user or the operator.
func (s *OrganisationService) FindOrganisations(ctx context.Context) ([]*trygg.Organisation, error) {
	if c := caller(ctx); c.anonymous() {
		return nil, c.denied()
	}
	rows, err := s.db.read.QueryContext(ctx, "SELECT "+orgColumns+" FROM organisations ORDER BY name, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var orgs []*trygg.Organisation
	for rows.Next() {
		o, err := scanOrganisation(rows)
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, o)
	}
	return orgs, rows.Err()
}

// FindOrganisationByCode returns ENOTFOUND if there is none. Any signed-in
// user or the operator.
func (s *OrganisationService) FindOrganisationByCode(ctx context.Context, code string) (*trygg.Organisation, error) {
	if c := caller(ctx); c.anonymous() {
		return nil, c.denied()
	}
	o, err := scanOrganisation(s.db.read.QueryRowContext(ctx, "SELECT "+orgColumns+" FROM organisations WHERE code = $1", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trygg.NotFound()
	}
	return o, err
}

func validateOrganisation(o *trygg.Organisation, withCode bool) error {
	var v trygg.Validation
	o.Code = strings.TrimSpace(o.Code)
	o.Name = strings.TrimSpace(o.Name)
	if withCode && !codePattern.MatchString(o.Code) {
		v.Add("code", codeRule)
	}
	checkName(&v, "name", o.Name, 200)
	if !o.Type.Valid() {
		v.Add("type", "Välj en organisationstyp.")
	}
	return v.Err()
}

// CreateOrganisation stores o and sets its ID and CreatedAt. Admins and the
// operator; EINVALID for bad fields, ECONFLICT for a taken code.
func (s *OrganisationService) CreateOrganisation(ctx context.Context, o *trygg.Organisation) error {
	c := caller(ctx)
	if !c.isAdmin() {
		return c.denied()
	}
	if err := validateOrganisation(o, true); err != nil {
		return err
	}
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, "INSERT INTO organisations (code, name, type, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
			o.Code, o.Name, string(o.Type), millis(tx.now)).Scan(&o.ID)
		if err != nil {
			return translate(err)
		}
		o.CreatedAt = tx.now
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: "organisation", objectID: objectID(o.ID)})
	})
	return conflictOn(err, "code", "Det finns redan en organisation med den koden.")
}

// UpdateOrganisation changes the name and type of the organisation o.ID.
// Admins and the operator; EINVALID or ENOTFOUND.
func (s *OrganisationService) UpdateOrganisation(ctx context.Context, o *trygg.Organisation) error {
	c := caller(ctx)
	if !c.isAdmin() {
		return c.denied()
	}
	if err := validateOrganisation(o, false); err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		updated, err := scanOrganisation(tx.QueryRowContext(ctx,
			"UPDATE organisations SET name = $1, type = $2 WHERE id = $3 RETURNING "+orgColumns, o.Name, string(o.Type), o.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return trygg.NotFound()
		} else if err != nil {
			return err
		}
		*o = *updated
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "organisation", objectID: objectID(o.ID)})
	})
}
