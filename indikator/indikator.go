// Package indikator is the one model of an indicator in Trygg: a yearly
// series of values per municipality or district, imported from a national
// source (Kolada, BRÅ, Polisen, SCB) or computed from Trygg's own data
// (reports, operations, the ads indicator, the provider checks, and later
// nattvandring and SSPF). It holds the types, their validation, the pure
// comparisons with a peer group (median, interquartile band, rank, change
// over five years, rates per resident) and the service interfaces. It
// neither stores nor draws; see docs/indikatorer.md.
package indikator

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
)

// Source is where a series comes from. Stored as its slug.
type Source string

const (
	SourceKolada     Source = "kolada"     // Kolada (RKA), the v2 data format
	SourceBra        Source = "bra"        // BRÅ, reported crimes per municipality and year
	SourcePolisen    Source = "polisen"    // the police's list of utsatta områden
	SourceBefolkning Source = "befolkning" // a population series (SCB or Kolada)
	SourceTrygg      Source = "trygg"      // computed from Trygg's own data
)

// Sources lists every source in display order.
var Sources = []Source{SourceKolada, SourceBra, SourcePolisen, SourceBefolkning, SourceTrygg}

// Label is the Swedish name of the source.
func (s Source) Label() string {
	switch s {
	case SourceKolada:
		return "Kolada"
	case SourceBra:
		return "Brå, anmälda brott"
	case SourcePolisen:
		return "Polisen, utsatta områden"
	case SourceBefolkning:
		return "Befolkning"
	case SourceTrygg:
		return "Tryggs egna uppgifter"
	}
	return string(s)
}

// Imported reports whether the series is read from a file rather than
// computed from Trygg's own data.
func (s Source) Imported() bool { return s != SourceTrygg && slices.Contains(Sources, s) }

// Kind says what a value is, as for a commitment's series indicator:
// counts of events ("antal") or measurements ("matvarde"). The stored
// slugs are the same as samverkan.IndicatorKind.
type Kind string

const (
	KindCount   Kind = "antal"
	KindMeasure Kind = "matvarde"
)

// Polarity says which direction is better, which decides the rank.
type Polarity string

const (
	// LowerIsBetter: rank 1 is the lowest value (crimes, costs).
	LowerIsBetter Polarity = "lagre"
	// HigherIsBetter: rank 1 is the highest value (share who feel safe).
	HigherIsBetter Polarity = "hogre"
	// Neutral: rank 1 is the highest value, without a judgement.
	Neutral Polarity = "neutral"
)

// Label says the polarity in words, for the page.
func (p Polarity) Label() string {
	switch p {
	case LowerIsBetter:
		return "lägre värde är bättre"
	case HigherIsBetter:
		return "högre värde är bättre"
	}
	return "högst värde först, utan värdering"
}

// Series is one indicator: what it measures and where it comes from.
type Series struct {
	ID        int64     `json:"-"`
	Code      string    `json:"code"` // unique slug, e.g. "kolada_n07403", "bra_skadegorelse"
	Name      string    `json:"name"`
	Source    Source    `json:"source"`
	Unit      string    `json:"unit"` // "antal", "procent", "kr/inv"
	Kind      Kind      `json:"kind"`
	Polarity  Polarity  `json:"polarity"`
	Licence   string    `json:"licence"`   // the licence note shown with every chart
	Retrieved trygg.Day `json:"retrieved"` // when the values were fetched from the source
	// External is the source's own code (Kolada's KPI id, BRÅ's crime
	// name), kept for the mapping in docs/indikatorer.md.
	External  string    `json:"external,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
	// InYearly: the series is drafted into the yearly document (the
	// samordnare's choice, SeriesSettings; every series is, unless left
	// out).
	InYearly bool `json:"in_yearly"`
}

// Polarities lists the polarities in the order the form offers them.
var Polarities = []Polarity{LowerIsBetter, HigherIsBetter, Neutral}

// SeriesSettings are what the samordnare sets on a series, imported or
// own, over what its source says: the name shown, the polarity that
// decides the rank, and whether the yearly document takes it. A re-import
// never undoes them. Fields: name, polarity.
type SeriesSettings struct {
	Name     string
	Polarity Polarity
	InYearly bool
}

// Validate trims and checks the settings.
func (in *SeriesSettings) Validate() error {
	var v trygg.Validation
	in.Name = strings.TrimSpace(in.Name)
	trygg.CheckText(&v, "name", in.Name, MaxNameLen, "Ge serien ett namn, till exempel ”Anmälda brott: skadegörelse”.")
	if !slices.Contains(Polarities, in.Polarity) {
		v.Add("polarity", "Välj om ett lägre eller högre värde är bättre, eller ingen värdering.")
	}
	return v.Err()
}

// Value is one value of a series: for an area (a municipality code of
// four digits, or a district code for Trygg's own series) and a year.
type Value struct {
	Series string  `json:"series"`
	Area   string  `json:"area"`
	Year   int     `json:"year"`
	Value  float64 `json:"value"`
}

// Revision is an earlier value of a series that a later import replaced.
type Revision struct {
	Area       string    `json:"area"`
	Year       int       `json:"year"`
	Value      float64   `json:"value"`
	ReplacedAt time.Time `json:"replaced_at"`
}

// Limits of one import and of a series.
const (
	MinYear      = 1990
	MaxYear      = 2100
	MaxNameLen   = 300
	MaxImportRow = 5_000_000
)

var (
	codeRE = regexp.MustCompile(`^[a-z0-9_]{1,80}$`)
	// MunicipalityRE is a municipality code (kommunkod): four digits.
	municipalityRE = regexp.MustCompile(`^[0-9]{4}$`)
)

// ValidCode reports whether s may be a series code.
func ValidCode(s string) bool { return codeRE.MatchString(s) }

// ValidMunicipality reports whether s is a kommunkod (four digits).
func ValidMunicipality(s string) bool { return municipalityRE.MatchString(s) }

// Slug makes a series code from an outside name: lower case, å/ä → a,
// ö → o, anything else than a–z and 0–9 becomes one "_".
func Slug(s string) string {
	s = strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "Å", "a", "Ä", "a", "Ö", "o", "é", "e").Replace(strings.ToLower(s))
	var b strings.Builder
	under := false
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			under = false
		} else if !under && b.Len() > 0 {
			b.WriteByte('_')
			under = true
		}
	}
	out := strings.TrimSuffix(b.String(), "_")
	if len(out) > 80 {
		out = strings.TrimSuffix(out[:80], "_")
	}
	return out
}

// Batch is what one import brings: the series it names and their values.
type Batch struct {
	Source Source
	Series []Series
	Values []Value
	// Names are municipalities' names by code, where the file has them.
	Names map[string]string
}

// Check validates a batch from an importer before it is stored: known
// series codes, valid names, areas, years and finite values, no value
// twice. The error is EINVALID and names the field.
func (b *Batch) Check() error {
	if len(b.Series) == 0 || len(b.Values) == 0 {
		return invalid("file", "Filen innehåller inga värden.")
	}
	if len(b.Values) > MaxImportRow {
		return invalid("file", fmt.Sprintf("Filen innehåller fler än %d värden.", MaxImportRow))
	}
	known := make(map[string]bool, len(b.Series))
	for _, s := range b.Series {
		if !ValidCode(s.Code) {
			return invalid("file", fmt.Sprintf("Serien %q har en ogiltig kod.", s.Code))
		}
		if strings.TrimSpace(s.Name) == "" || len(s.Name) > MaxNameLen {
			return invalid("file", fmt.Sprintf("Serien %s saknar namn eller har för långt namn.", s.Code))
		}
		if !s.Source.Imported() || (s.Kind != KindCount && s.Kind != KindMeasure) {
			return invalid("file", fmt.Sprintf("Serien %s har okänd källa eller sort.", s.Code))
		}
		known[s.Code] = true
	}
	for code, name := range b.Names {
		if !ValidMunicipality(code) || strings.TrimSpace(name) == "" || len(name) > 100 {
			return invalid("file", fmt.Sprintf("Kommunen %q har ett ogiltigt namn.", code))
		}
	}
	type key struct {
		series, area string
		year         int
	}
	seen := make(map[key]bool, len(b.Values))
	for _, v := range b.Values {
		switch {
		case !known[v.Series]:
			return invalid("file", fmt.Sprintf("Värdet hör till en okänd serie %q.", v.Series))
		case !ValidMunicipality(v.Area):
			return invalid("file", fmt.Sprintf("Kommunkoden %q är inte fyra siffror.", v.Area))
		case v.Year < MinYear || v.Year > MaxYear:
			return invalid("file", fmt.Sprintf("Året %d ligger utanför %d–%d.", v.Year, MinYear, MaxYear))
		case math.IsNaN(v.Value) || math.IsInf(v.Value, 0) || math.Abs(v.Value) >= 1e12:
			return invalid("file", "Ett värde är inte ett ändligt tal.")
		}
		k := key{v.Series, v.Area, v.Year}
		if seen[k] {
			return invalid("file", fmt.Sprintf("Serien %s har två värden för kommun %s år %d.", v.Series, v.Area, v.Year))
		}
		seen[k] = true
	}
	return nil
}

func invalid(field, msg string) error {
	return &trygg.Error{Code: trygg.EINVALID, Message: msg, Fields: []trygg.FieldError{{Field: field, Message: msg}}}
}

// ImportResult says what an import changed.
type ImportResult struct {
	Series    int `json:"series"`
	Values    int `json:"values"`
	Added     int `json:"added"`
	Revised   int `json:"revised"`
	Unchanged int `json:"unchanged"`
}

// PeerGroup is a list of municipalities to compare one municipality with,
// e.g. Kolada's "liknande kommuner" for an area, the five largest
// Norrland cities, or a list the samordnare makes.
type PeerGroup struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Municipality string    `json:"municipality"` // the home municipality, e.g. "2480"
	Members      []string  `json:"members"`      // the peers, without the home municipality
	UpdatedAt    time.Time `json:"updated_at"`
}

// MaxPeers caps a peer group (Sweden has 290 municipalities).
const MaxPeers = 290

// Validate checks a peer group. Fields: name, municipality, members.
func (g *PeerGroup) Validate() error {
	var v trygg.Validation
	g.Name = strings.TrimSpace(g.Name)
	g.Municipality = strings.TrimSpace(g.Municipality)
	trygg.CheckText(&v, "name", g.Name, 200, "Ge jämförelsegruppen ett namn, till exempel ”Liknande kommuner, individ- och familjeomsorg”.")
	if !ValidMunicipality(g.Municipality) {
		v.Add("municipality", "Ange den egna kommunens kommunkod, fyra siffror, till exempel 2480 för Umeå.")
	}
	var members []string
	for _, m := range g.Members {
		m = strings.TrimSpace(m)
		switch {
		case m == "" || m == g.Municipality || slices.Contains(members, m):
		case !ValidMunicipality(m):
			v.Add("members", "Kommunkoden %q är inte fyra siffror.", m)
		default:
			members = append(members, m)
		}
	}
	switch {
	case len(members) == 0:
		v.Add("members", "Ange minst en kommun att jämföra med.")
	case len(members) > MaxPeers:
		v.Add("members", "Ange högst %d kommuner.", MaxPeers)
	}
	g.Members = members
	return v.Err()
}

// ParseMembers splits a list of municipality codes written by hand,
// separated by commas, spaces or new lines.
func ParseMembers(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// SeriesFilter selects series.
type SeriesFilter struct {
	Source Source // "" for every source
}

// Service reads and imports indicators.
type Service interface {
	// FindSeries lists the series, imported and own. Signed-in readers
	// of indicators (samordnare, polis, rapportör, läsare, admin);
	// anyone else ENOTFOUND or EUNAUTHORIZED.
	FindSeries(ctx context.Context, f SeriesFilter) ([]*Series, error)
	// FindSeriesByCode returns one series. Readers as FindSeries;
	// ENOTFOUND when missing.
	FindSeriesByCode(ctx context.Context, code string) (*Series, error)
	// Values returns the values of a series for the given areas (all
	// when none), ordered by area and year. Own series are computed on
	// the fly. Readers as FindSeries.
	Values(ctx context.Context, code string, areas []string) ([]Value, error)
	// Revisions returns the earlier values of a series in an area, newest
	// first. Readers as FindSeries.
	Revisions(ctx context.Context, code, area string) ([]Revision, error)
	// Import stores a checked batch in one transaction: new series are
	// created, new values added, changed values revised with the old
	// value kept in the history, equal values left alone (so that a
	// re-import changes nothing). Samordnare and the operator; EINVALID
	// for a bad batch.
	Import(ctx context.Context, b *Batch, fileName string) (ImportResult, error)
	// MunicipalityNames returns the names of municipalities by code, as
	// the imported files gave them. Readers as FindSeries.
	MunicipalityNames(ctx context.Context) (map[string]string, error)
	// FindPeerGroups lists the peer groups. Readers as FindSeries.
	FindPeerGroups(ctx context.Context) ([]*PeerGroup, error)
	// FindPeerGroup returns one. Readers; ENOTFOUND.
	FindPeerGroup(ctx context.Context, id int64) (*PeerGroup, error)
	// SavePeerGroup creates (ID 0) or updates a peer group. Samordnare
	// and the operator; EINVALID, ENOTFOUND.
	SavePeerGroup(ctx context.Context, g *PeerGroup) (*PeerGroup, error)
	// UpdateSeries sets a series' settings (its name, polarity and place
	// in the yearly document) over its source's, audited. Samordnare and
	// the operator; EINVALID naming the field, ENOTFOUND for a series the
	// caller may not read or that does not exist.
	UpdateSeries(ctx context.Context, code string, in SeriesSettings) (*Series, error)
}

// OwnPrefix begins the code of every one of Trygg's own series.
const OwnPrefix = "trygg_"

// IsOwn reports whether code names one of Trygg's own series.
func IsOwn(code string) bool { return strings.HasPrefix(code, OwnPrefix) }

// WholeMunicipality is the area of an own series' value for the whole
// municipality; its other values are per district code.
const WholeMunicipality = "kommun"

// OwnYears is how many years back Trygg's own series reach.
const OwnYears = 10
