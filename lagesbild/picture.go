package lagesbild

import (
	"encoding/json"

	"github.com/trygg-est/trygg"
)

// PictureVersion is the version of the Picture's JSON form. Published
// weekly reports keep Pictures as snapshots: a change that old snapshots
// cannot be read with raises it.
const PictureVersion = 1

// Picture is the lägesbild for one filter: everything the page, the weekly
// report and its PDF show, computed once. It is plain data, serialisable
// as JSON without loss, so that a published week can be kept as it was.
// Numbers that may be missing come with a Has flag, never as NaN.
type Picture struct {
	Version int    `json:"version"`
	Filter  Filter `json:"filter"`
	// Today is the day the picture was computed for: the period's weeks
	// after it are not counted.
	Today trygg.Day `json:"today"`
	// Total is the number of reports in the selection over the period.
	Total int `json:"total"`
	// Summary is a few plain Swedish sentences on the picture, for the
	// top of the page and of the weekly report.
	Summary []string `json:"summary"`
	// Areas holds every district's value over the period, for the map and
	// its table: the category and organisation filter applies, the area
	// filter does not (chosen districts have Selected set). In name order.
	Areas []AreaValue `json:"areas"`
	// Categories holds the selection's count per category over the period,
	// largest first; categories without reports are left out.
	Categories []CategoryValue `json:"categories"`
	// Series is the selection's weekly series with detection.
	Series Series `json:"series"`
	// Changes are the largest changes per area × category, largest first.
	Changes []Change `json:"changes"`
	// Flags are the increases flagged in the last week of the period, per
	// area × category, largest excess first; an area × category with fewer
	// than 5 reports in the last 4 weeks is never flagged.
	Flags []Flag `json:"flags"`
	// IndicatorYears are the ISO years of the indicators, oldest first;
	// the last may be the current, partial year (IndicatorPartial).
	IndicatorYears   []int             `json:"indicator_years"`
	IndicatorPartial bool              `json:"indicator_partial"`
	Districts        []DistrictProfile `json:"districts"`
}

// Filter is what the user chose. Empty lists mean all.
type Filter struct {
	Period     Period          `json:"period"`
	Areas      []string        `json:"areas,omitempty"`
	Categories []string        `json:"categories,omitempty"`
	Groups     []string        `json:"groups,omitempty"` // category groups, by name
	OrgTypes   []trygg.OrgType `json:"org_types,omitempty"`
}

// PeriodKind is the kind of period a picture covers.
type PeriodKind string

const (
	PeriodWeek    PeriodKind = "vecka"
	PeriodMonth   PeriodKind = "manad"
	PeriodTertial PeriodKind = "tertial"
	PeriodYear    PeriodKind = "ar"
	PeriodCustom  PeriodKind = "egen"
)

// Period is a span of Stockholm days, both ends included.
type Period struct {
	Kind PeriodKind `json:"kind"`
	From trygg.Day  `json:"from"`
	To   trygg.Day  `json:"to"`
	// Label names the period in Swedish: "vecka 47 2026", "november 2026",
	// "tertial 3 2026", "2026" or "2026-01-01 – 2026-02-15".
	Label string `json:"label"`
}

// AreaValue is one district's count over the period.
type AreaValue struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Population int    `json:"population"`
	Count      int    `json:"count"`
	// Per1000 is Count per 1,000 residents; HasRate is false when the
	// population is unknown.
	Per1000  float64 `json:"per_1000"`
	HasRate  bool    `json:"has_rate"`
	Selected bool    `json:"selected"`
	// Geometry is the district's outline (GeoJSON, WGS 84), kept so that a
	// snapshot draws its map as it was.
	Geometry json.RawMessage `json:"geometry,omitempty"`
}

// CategoryValue is one category's count over the period.
type CategoryValue struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Group string `json:"group"`
	Count int    `json:"count"`
}

// Series is a weekly count series with the detection's outcome.
type Series struct {
	// Method is the detection method's name as detect writes it
	// ("noufaily", "ears-c2"); MethodLabel its Swedish display name.
	Method      string `json:"method"`
	MethodLabel string `json:"method_label"`
	// Reason says, in Swedish, which method was chosen and why.
	Reason string `json:"reason"`
	Weeks  []Week `json:"weeks"`
}

// Week is one ISO week of a series.
type Week struct {
	Monday trygg.Day `json:"monday"`
	Year   int       `json:"year"` // ISO year
	Week   int       `json:"week"` // ISO week number
	Count  int       `json:"count"`
	// Evaluated is false when the series had too little history before
	// the week. HasBound is false when there is no upper bound (not
	// evaluated, or too few cases to judge).
	Evaluated bool `json:"evaluated"`
	HasBound  bool `json:"has_bound"`
	// UpperBound is the largest count that is not unusual.
	UpperBound float64 `json:"upper_bound"`
	Alarm      bool    `json:"alarm"`
}

// Change compares one area × category's last 4 weeks (of the period)
// with the 12 weeks before them and with the same 4 weeks a year earlier.
// All arithmetic is on whole numbers.
type Change struct {
	Area         string `json:"area"`
	AreaName     string `json:"area_name"`
	Category     string `json:"category"`
	CategoryName string `json:"category_name"`
	Last4        int    `json:"last_4"`     // reports in the last 4 weeks
	Prev12       int    `json:"prev_12"`    // reports in the 12 weeks before them
	YearAgo4     int    `json:"year_ago_4"` // reports in the same 4 weeks a year earlier
	// VsPrevThirds is the change against the 12 weeks before, per 4
	// weeks, in thirds of a report: 3·Last4 − Prev12.
	VsPrevThirds int `json:"vs_prev_thirds"`
	// VsYearAgo is Last4 − YearAgo4.
	VsYearAgo int `json:"vs_year_ago"`
}

// Flag is an increase that detection flagged.
type Flag struct {
	Area         string    `json:"area"`
	AreaName     string    `json:"area_name"`
	Category     string    `json:"category"`
	CategoryName string    `json:"category_name"`
	Monday       trygg.Day `json:"monday"`
	Year         int       `json:"year"`
	Week         int       `json:"week"`
	Count        int       `json:"count"`
	UpperBound   float64   `json:"upper_bound"`
	Method       string    `json:"method"`
	MethodLabel  string    `json:"method_label"`
	// Sentence says it in plain Swedish: "Ålidhem — skadegörelse: 14
	// rapporter vecka 47, förväntat högst 6 (EARS C2)".
	Sentence string `json:"sentence"`
}

// DistrictProfile is one district's indicators over the years.
type DistrictProfile struct {
	Code       string           `json:"code"`
	Name       string           `json:"name"`
	Population int              `json:"population"`
	Indicators []IndicatorValue `json:"indicators"`
}

// IndicatorValue is one indicator of one district, per year of
// Picture.IndicatorYears.
type IndicatorValue struct {
	Code   string `json:"code"`
	Label  string `json:"label"`
	Counts []int  `json:"counts"`
	// Rates are per 1,000 residents a year; empty when the population is
	// unknown.
	Rates []float64 `json:"rates,omitempty"`
	// Trend is "upp", "ned" or "oförändrad": the last full year against
	// the one before. TrendText says it in a sentence.
	Trend     string `json:"trend"`
	TrendText string `json:"trend_text"`
}
