package trygg

import (
	"context"
	"encoding/json"
	"time"
)

// OrganisationService manages partner organisations. Anyone signed in may
// read them; only admins may change them.
type OrganisationService interface {
	FindOrganisations(ctx context.Context) ([]*Organisation, error)
	// FindOrganisationByCode returns ENOTFOUND if there is none.
	FindOrganisationByCode(ctx context.Context, code string) (*Organisation, error)
	// CreateOrganisation returns EINVALID or ECONFLICT (taken code).
	CreateOrganisation(ctx context.Context, o *Organisation) error
	// UpdateOrganisation changes name and type, found by o.ID.
	UpdateOrganisation(ctx context.Context, o *Organisation) error
}

// Area is a district (stadsdel). Geometry is a GeoJSON Polygon or
// MultiPolygon in WGS 84; Approximate marks demo or hand-drawn outlines.
type Area struct {
	ID          int64           `json:"-"`
	Code        string          `json:"code"`
	Name        string          `json:"name"`
	Population  int             `json:"population"`
	Geometry    json.RawMessage `json:"geometry,omitempty"`
	Approximate bool            `json:"approximate"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// AreaService manages districts. Their codes, names, populations and
// outlines are public facts, which the public lägesbild shows: anyone may
// read them, signed in or not. Only admins may change them.
type AreaService interface {
	// FindAreas returns all areas ordered by name.
	FindAreas(ctx context.Context) ([]*Area, error)
	// FindAreaByCode returns ENOTFOUND if there is none.
	FindAreaByCode(ctx context.Context, code string) (*Area, error)
	// UpsertAreas creates or updates areas by code, all in one transaction.
	// It returns EINVALID naming the first bad area and field.
	UpsertAreas(ctx context.Context, areas []*Area) error
}

// Category is one entry in the Swedish incident taxonomy. Group collects
// related categories (e.g. "Narkotika"). Archived categories are kept for old
// reports but cannot be chosen for new ones.
type Category struct {
	ID         int64      `json:"-"`
	Code       string     `json:"code"`
	Name       string     `json:"name"`
	Group      string     `json:"group"`
	SortOrder  int        `json:"sort_order"`
	ArchivedAt *time.Time `json:"archived_at,omitempty"`
}

// CategoryService manages the taxonomy. It is public, like the districts:
// anyone may read it, signed in or not. Only admins may change it.
type CategoryService interface {
	// FindCategories returns categories in sort order; archived ones only
	// when includeArchived is set.
	FindCategories(ctx context.Context, includeArchived bool) ([]*Category, error)
	// CreateCategory returns EINVALID or ECONFLICT (taken code).
	CreateCategory(ctx context.Context, c *Category) error
	// UpdateCategory changes name, group, sort order and archived state,
	// found by c.Code.
	UpdateCategory(ctx context.Context, c *Category) error
}

// PlaceType is the kind of place where something happened. The list is
// fixed in code because reports and statistics depend on stable codes.
type PlaceType struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// PlaceTypes lists every place type in display order.
var PlaceTypes = []PlaceType{
	{"skola", "Skola eller skolgård"},
	{"centrum", "Centrum eller torg"},
	{"butik", "Butik eller köpcentrum"},
	{"bostad", "Bostadsområde, trapphus eller gård"},
	{"park", "Park, lekplats eller grönområde"},
	{"gata", "Gata, gång- eller cykelväg"},
	{"kollektivtrafik", "Hållplats, station eller buss"},
	{"parkering", "Parkering eller garage"},
	{"fritid", "Fritidsgård, idrottsplats eller bad"},
	{"krog", "Restaurang eller krog"},
	{"natur", "Skog, strand eller natur"},
	{"annat", "Annan plats"},
}

// FindPlaceType returns the place type with that code.
func FindPlaceType(code string) (PlaceType, bool) {
	for _, p := range PlaceTypes {
		if p.Code == code {
			return p, true
		}
	}
	return PlaceType{}, false
}
