package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/geo"
)

var _ trygg.AreaService = (*AreaService)(nil)

// AreaService manages districts.
type AreaService struct{ db *DB }

// NewAreaService returns the area service of db.
func NewAreaService(db *DB) *AreaService { return &AreaService{db: db} }

const areaColumns = "id, code, name, population, geometry, approximate, updated_at"

func scanArea(s interface{ Scan(...any) error }) (*trygg.Area, error) {
	var a trygg.Area
	var geometry sql.NullString
	var approximate int
	var updated int64
	if err := s.Scan(&a.ID, &a.Code, &a.Name, &a.Population, &geometry, &approximate, &updated); err != nil {
		return nil, err
	}
	if geometry.Valid {
		a.Geometry = json.RawMessage(geometry.String)
	}
	a.Approximate = approximate != 0
	a.UpdatedAt = fromMillis(updated)
	return &a, nil
}

// FindAreas returns all areas ordered by name. Anyone may call it: the
// districts are public.
func (s *AreaService) FindAreas(ctx context.Context) ([]*trygg.Area, error) {
	rows, err := s.db.read.QueryContext(ctx, "SELECT "+areaColumns+" FROM areas ORDER BY name, code")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var areas []*trygg.Area
	for rows.Next() {
		a, err := scanArea(rows)
		if err != nil {
			return nil, err
		}
		areas = append(areas, a)
	}
	return areas, rows.Err()
}

// FindAreaByCode returns ENOTFOUND if there is none. Any signed-in user or
// the operator.
func (s *AreaService) FindAreaByCode(ctx context.Context, code string) (*trygg.Area, error) {
	if c := caller(ctx); c.anonymous() {
		return nil, c.denied()
	}
	a, err := scanArea(s.db.read.QueryRowContext(ctx, "SELECT "+areaColumns+" FROM areas WHERE code = $1", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trygg.NotFound()
	}
	return a, err
}

// validateArea checks one area; field names carry the area's position so
// that an import can say which one is wrong.
func validateArea(i int, a *trygg.Area) error {
	var v trygg.Validation
	a.Code = strings.TrimSpace(a.Code)
	a.Name = strings.TrimSpace(a.Name)
	prefix := ""
	if i >= 0 {
		prefix = fmt.Sprintf("areas[%d].", i)
	}
	if !codePattern.MatchString(a.Code) {
		v.Add(prefix+"code", codeRule)
	}
	checkName(&v, prefix+"name", a.Name, 200)
	if a.Population < 0 {
		v.Add(prefix+"population", "Befolkningen kan inte vara negativ.")
	}
	if len(a.Geometry) > 0 {
		if _, err := geo.Parse(a.Geometry); err != nil {
			v.Add(prefix+"geometry", "Geometrin måste vara en GeoJSON Polygon eller MultiPolygon.")
		}
	}
	return v.Err()
}

// UpsertAreas creates or updates areas by code in one transaction. Admins
// and the operator; EINVALID naming the first bad area and field.
func (s *AreaService) UpsertAreas(ctx context.Context, areas []*trygg.Area) error {
	c := caller(ctx)
	if !c.isAdmin() {
		return c.denied()
	}
	seen := make(map[string]bool, len(areas))
	for i, a := range areas {
		index := i
		if len(areas) == 1 {
			index = -1
		}
		if err := validateArea(index, a); err != nil {
			return err
		}
		if seen[a.Code] {
			var v trygg.Validation
			v.Add(fmt.Sprintf("areas[%d].code", i), "Koden %s förekommer mer än en gång.", a.Code)
			return v.Err()
		}
		seen[a.Code] = true
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		for _, a := range areas {
			var geometry sql.NullString
			if len(a.Geometry) > 0 {
				geometry = sql.NullString{String: string(a.Geometry), Valid: true}
			}
			approximate := 0
			if a.Approximate {
				approximate = 1
			}
			var existed int
			err := tx.QueryRowContext(ctx, "SELECT count(*) FROM areas WHERE code = $1", a.Code).Scan(&existed)
			if err != nil {
				return err
			}
			err = tx.QueryRowContext(ctx, `INSERT INTO areas (code, name, population, geometry, approximate, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, population = excluded.population,
					geometry = excluded.geometry, approximate = excluded.approximate, updated_at = excluded.updated_at
				RETURNING id`, a.Code, a.Name, a.Population, geometry, approximate, millis(tx.now)).Scan(&a.ID)
			if err != nil {
				return err
			}
			a.UpdatedAt = tx.now
			action := trygg.AuditCreate
			if existed > 0 {
				action = trygg.AuditUpdate
			}
			if err := tx.audit(ctx, actorOf(c), auditEntry{action: action, objectType: "area", objectID: a.Code}); err != nil {
				return err
			}
		}
		return nil
	})
}
