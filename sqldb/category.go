package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/trygg-est/trygg"
)

var _ trygg.CategoryService = (*CategoryService)(nil)

// CategoryService manages the incident taxonomy.
type CategoryService struct{ db *DB }

// NewCategoryService returns the category service of db.
func NewCategoryService(db *DB) *CategoryService { return &CategoryService{db: db} }

const categoryColumns = "id, code, name, grp, sort_order, archived_at"

func scanCategory(s interface{ Scan(...any) error }) (*trygg.Category, error) {
	var c trygg.Category
	var archived sql.NullInt64
	if err := s.Scan(&c.ID, &c.Code, &c.Name, &c.Group, &c.SortOrder, &archived); err != nil {
		return nil, err
	}
	c.ArchivedAt = timePtr(archived)
	return &c, nil
}

// FindCategories returns categories in sort order, archived ones only when
// includeArchived is set. Anyone may call it: the taxonomy is public.
func (s *CategoryService) FindCategories(ctx context.Context, includeArchived bool) ([]*trygg.Category, error) {
	q := "SELECT " + categoryColumns + " FROM categories"
	if !includeArchived {
		q += " WHERE archived_at IS NULL"
	}
	rows, err := s.db.read.QueryContext(ctx, q+" ORDER BY sort_order, name, code")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cats []*trygg.Category
	for rows.Next() {
		cat, err := scanCategory(rows)
		if err != nil {
			return nil, err
		}
		cats = append(cats, cat)
	}
	return cats, rows.Err()
}

func validateCategory(cat *trygg.Category) error {
	var v trygg.Validation
	cat.Code = strings.TrimSpace(cat.Code)
	cat.Name = strings.TrimSpace(cat.Name)
	cat.Group = strings.TrimSpace(cat.Group)
	if !codePattern.MatchString(cat.Code) {
		v.Add("code", codeRule)
	}
	checkName(&v, "name", cat.Name, 200)
	if cat.Group == "" {
		v.Add("group", "Ange en grupp.")
	} else if len([]rune(cat.Group)) > 200 {
		v.Add("group", "Gruppen får vara högst 200 tecken.")
	}
	return v.Err()
}

// CreateCategory stores a new category and sets its ID. Admins and the
// operator; EINVALID for bad fields, ECONFLICT for a taken code.
func (s *CategoryService) CreateCategory(ctx context.Context, cat *trygg.Category) error {
	c := caller(ctx)
	if !c.isAdmin() {
		return c.denied()
	}
	if err := validateCategory(cat); err != nil {
		return err
	}
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		if cat.ArchivedAt != nil {
			cat.ArchivedAt = &tx.now
		}
		err := tx.QueryRowContext(ctx, "INSERT INTO categories (code, name, grp, sort_order, archived_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
			cat.Code, cat.Name, cat.Group, cat.SortOrder, nullMillis(cat.ArchivedAt)).Scan(&cat.ID)
		if err != nil {
			return translate(err)
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: "category", objectID: cat.Code})
	})
	return conflictOn(err, "code", "Det finns redan en kategori med den koden.")
}

// UpdateCategory changes the name, group, sort order and archived state of
// the category with code cat.Code. A non-nil ArchivedAt archives it (from
// now, or from when it was first archived); nil brings it back. Admins and
// the operator; EINVALID or ENOTFOUND.
func (s *CategoryService) UpdateCategory(ctx context.Context, cat *trygg.Category) error {
	c := caller(ctx)
	if !c.isAdmin() {
		return c.denied()
	}
	if err := validateCategory(cat); err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		current, err := scanCategory(tx.QueryRowContext(ctx, "SELECT "+categoryColumns+" FROM categories WHERE code = $1", cat.Code))
		if errors.Is(err, sql.ErrNoRows) {
			return trygg.NotFound()
		} else if err != nil {
			return err
		}
		switch {
		case cat.ArchivedAt == nil:
		case current.ArchivedAt != nil:
			cat.ArchivedAt = current.ArchivedAt
		default:
			cat.ArchivedAt = &tx.now
		}
		_, err = tx.ExecContext(ctx, "UPDATE categories SET name = $1, grp = $2, sort_order = $3, archived_at = $4 WHERE id = $5",
			cat.Name, cat.Group, cat.SortOrder, nullMillis(cat.ArchivedAt), current.ID)
		if err != nil {
			return err
		}
		cat.ID = current.ID
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "category", objectID: cat.Code})
	})
}
