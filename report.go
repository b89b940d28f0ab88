package trygg

import (
	"context"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/trygg-est/trygg/pii"
)

// Report is an incident report (händelserapport): something a partner saw
// at a place. It is about places and situations, never named people, so its
// free text is checked for personal data.
type Report struct {
	ID          int64      `json:"id"`
	OccurredAt  time.Time  `json:"occurred_at"`
	OccurredEnd *time.Time `json:"occurred_end,omitempty"`
	ReportedAt  time.Time  `json:"reported_at"`
	AreaCode    string     `json:"area"`
	Location    *Point     `json:"location,omitempty"`
	PlaceType   string     `json:"place_type"`
	Category    string     `json:"category"`
	Severity    int        `json:"severity"`
	Description string     `json:"description"`
	OrgCode     string     `json:"organisation"`
	ReporterID  *int64     `json:"reporter_id,omitempty"` // nil for imported reports
	Version     int        `json:"version"`
	UpdatedAt   time.Time  `json:"updated_at"`

	DeletedAt    *time.Time `json:"deleted_at,omitempty"`
	DeleteReason string     `json:"delete_reason,omitempty"`
}

// Point is a WGS 84 position. Stored points are rounded with RoundPoint.
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// pointGrid is the grid step in degrees of latitude: about 50 m.
const pointGrid = 0.00045

// RoundPoint snaps p to a grid of about 50 m × 50 m so that a stored point
// cannot single out a front door.
func RoundPoint(p Point) Point {
	lat := math.Round(p.Lat/pointGrid) * pointGrid
	lonStep := pointGrid / math.Max(math.Cos(lat*math.Pi/180), 0.01)
	lon := math.Round(p.Lon/lonStep) * lonStep
	return Point{Lat: math.Round(lat*1e6) / 1e6, Lon: math.Round(lon*1e6) / 1e6}
}

// Severity levels.
const (
	SeverityLow    = 1
	SeverityMedium = 2
	SeverityHigh   = 3
)

// SeverityLabel returns the Swedish name of a severity level.
func SeverityLabel(s int) string {
	switch s {
	case SeverityLow:
		return "Låg"
	case SeverityMedium:
		return "Medel"
	case SeverityHigh:
		return "Hög"
	}
	return ""
}

// MaxDescriptionLength is the longest free text, in characters.
const MaxDescriptionLength = 2000

// ReportInput is what a reporter fills in, for a new report or an edit. Field
// names in validation errors are the JSON names.
type ReportInput struct {
	OccurredAt  time.Time
	OccurredEnd *time.Time
	AreaCode    string
	Location    *Point
	PlaceType   string
	Category    string
	Severity    int
	Description string
	// BaseVersion is, for an edit, the version of the report the edit was
	// made from; the edit fails with ECONFLICT if someone has changed the
	// report since. 0 skips the check.
	BaseVersion int
}

// Validate checks everything that does not need the database (the area and
// category codes are checked by the store). now is the time of the call.
func (in *ReportInput) Validate(now time.Time) error {
	var v Validation
	in.AreaCode = strings.TrimSpace(in.AreaCode)
	in.Category = strings.TrimSpace(in.Category)
	in.PlaceType = strings.TrimSpace(in.PlaceType)
	in.Description = strings.TrimSpace(in.Description)
	CheckPastTime(&v, "occurred_at", in.OccurredAt, now,
		"Ange när det hände.", "Tiden när det hände kan inte ligga i framtiden.", "Tiden när det hände är orimligt tidig.")
	if in.OccurredEnd != nil {
		switch {
		case in.OccurredEnd.Before(in.OccurredAt):
			v.Add("occurred_end", "Sluttiden måste vara efter starttiden.")
		case in.OccurredEnd.Sub(in.OccurredAt) > 31*24*time.Hour:
			v.Add("occurred_end", "En händelse kan pågå högst 31 dagar.")
		case in.OccurredEnd.After(now.Add(5 * time.Minute)):
			v.Add("occurred_end", "Sluttiden kan inte ligga i framtiden.")
		}
	}
	if in.AreaCode == "" {
		v.Add("area", "Välj ett område.")
	}
	if in.Category == "" {
		v.Add("category", "Välj en kategori.")
	}
	if in.Severity < SeverityLow || in.Severity > SeverityHigh {
		v.Add("severity", "Allvarlighetsgraden måste vara 1, 2 eller 3.")
	}
	if _, ok := FindPlaceType(in.PlaceType); !ok {
		v.Add("place_type", "Välj en typ av plats.")
	}
	if in.Location != nil {
		p := *in.Location
		if math.IsNaN(p.Lat) || math.IsNaN(p.Lon) || p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180 {
			v.Add("location", "Positionen är ogiltig: latitud ska vara −90–90 och longitud −180–180.")
		} else {
			r := RoundPoint(p)
			in.Location = &r
		}
	}
	switch {
	case in.Description == "":
		v.Add("description", "Beskriv vad som hände.")
	case utf8.RuneCountInString(in.Description) > MaxDescriptionLength:
		v.Add("description", "Beskrivningen får vara högst %d tecken.", MaxDescriptionLength)
	case !utf8.ValidString(in.Description):
		v.Add("description", "Beskrivningen innehåller ogiltiga tecken.")
	default:
		if f := pii.Find(in.Description); f != nil {
			v.Add("description", "Beskrivningen verkar innehålla %s. Rapporter får inte innehålla personuppgifter; ta bort uppgiften och beskriv platsen och situationen i stället.", f.Kind.Label())
		}
	}
	return v.Err()
}

// CheckCodes answers the check of in's codes that needs the database,
// given what the store found: whether the area exists, and whether the
// category exists in use or archived. keptCategory is the category an edit
// may keep although it has been archived since (the report's own); "" for
// a new report.
func (in *ReportInput) CheckCodes(area, activeCategory, archivedCategory bool, keptCategory string) error {
	var v Validation
	if !area {
		v.Add("area", "Området %q finns inte. Välj ett område i listan.", in.AreaCode)
	}
	if !activeCategory && (!archivedCategory || in.Category != keptCategory) {
		if archivedCategory {
			v.Add("category", "Kategorin %q används inte längre. Välj en annan kategori.", in.Category)
		} else {
			v.Add("category", "Kategorin %q finns inte. Välj en kategori i listan.", in.Category)
		}
	}
	return v.Err()
}

// ReportVersion is an earlier state of a report, kept at every edit.
type ReportVersion struct {
	Version    int       `json:"version"`
	Report     Report    `json:"report"`
	EditedBy   *int64    `json:"edited_by,omitempty"`
	EditorName string    `json:"editor_name,omitempty"`
	EditedAt   time.Time `json:"edited_at"`
}

// ReportFilter selects reports. Zero fields do not filter. Results are
// ordered newest first by OccurredAt, then by ID.
type ReportFilter struct {
	From       *time.Time // OccurredAt >= From
	To         *time.Time // OccurredAt < To
	AreaCodes  []string
	Categories []string
	OrgCodes   []string
	OrgTypes   []OrgType // the reporting organisation's type when the report was filed
	Severities []int
	ReporterID *int64 // only reports filed by this user ("Mina rapporter")
	Deleted    bool   // only soft-deleted reports (samordnare only)

	Cursor string // keyset cursor from a previous ReportPage.Next
	Offset int    // for numbered pages; ignored when Cursor is set
	Limit  int    // 0 means 50; at most 1000
}

// ReportPage is one page of reports.
type ReportPage struct {
	Reports []*Report
	Total   int    // all matching reports, across pages
	Next    string // cursor for the next page, "" on the last
}

// ReportCount is the number of reports in one area and category.
type ReportCount struct {
	AreaCode string `json:"area"`
	Category string `json:"category"`
	Count    int    `json:"count"`
}

// ImportRow is one report from a CSV import, with its line in the file.
// ReportedAt and ReporterID are optional (zero: now, and no reporter);
// only the operator may set ReporterID, which the demo data uses.
type ImportRow struct {
	Line       int
	Input      ReportInput
	ReportedAt time.Time
	ReporterID *int64
}

// ReportService files and reads incident reports.
//
// Rapportör and polis see and edit their own organisation's reports; the
// samordnare sees and edits all. Läsare and admin see no single reports.
// Anything the caller may not see answers ENOTFOUND.
type ReportService interface {
	// CreateReport files a report for the caller (rapportör, polis or
	// samordnare). Returns EINVALID naming each bad field.
	CreateReport(ctx context.Context, in ReportInput) (*Report, error)
	// FindReportByID returns ENOTFOUND if missing or not visible.
	FindReportByID(ctx context.Context, id int64) (*Report, error)
	// FindReports returns one page of the reports visible to the caller.
	FindReports(ctx context.Context, f ReportFilter) (*ReportPage, error)
	// EachReport calls fn for every visible report matching f (ignoring
	// Limit, Offset and Cursor), for exports.
	EachReport(ctx context.Context, f ReportFilter, fn func(*Report) error) error
	// UpdateReport edits a report, keeping the earlier version.
	UpdateReport(ctx context.Context, id int64, in ReportInput) (*Report, error)
	// DeleteReport soft-deletes a report with a reason (EINVALID if empty).
	DeleteReport(ctx context.Context, id int64, reason string) error
	// FindReportHistory returns the earlier versions, oldest first.
	FindReportHistory(ctx context.Context, id int64) ([]*ReportVersion, error)
	// CountReports returns how many reports match f, per area and category,
	// ignoring Limit, Offset and Cursor; pairs with no reports are left out.
	// It is the läsare's view (aggregates, never single reports), and also
	// answers the samordnare (all reports) and rapportör and polis (their
	// own organisation's). Admins get ENOTFOUND.
	CountReports(ctx context.Context, f ReportFilter) ([]ReportCount, error)
	// ImportReports stores already validated rows for an organisation in
	// one transaction and returns how many were written. An unknown area
	// or category code fails the whole import with EINVALID naming the
	// line. Called by the operator (the CLI), or a samordnare or polis.
	ImportReports(ctx context.Context, orgCode string, rows []ImportRow) (int, error)
}
