package indikator

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
)

// The yearly lägesbild and åtgärdsplan that lag (2023:196) om kommuners
// ansvar för brottsförebyggande arbete requires: a picture of crime and
// its causes, a plan of actions decided on it, and the follow-up of the
// previous plan. One document a year, in versions: a draft that the
// samordnare edits, then decided (never changed again), then published on
// the public front door. A change after the decision is a new version.

// YearlyStatus is where a version is in its life.
type YearlyStatus string

const (
	YearlyDraft     YearlyStatus = "utkast"
	YearlyDecided   YearlyStatus = "beslutad"
	YearlyPublished YearlyStatus = "publicerad"
)

// Label is the Swedish name of the status.
func (s YearlyStatus) Label() string {
	switch s {
	case YearlyDraft:
		return "Utkast"
	case YearlyDecided:
		return "Beslutad"
	case YearlyPublished:
		return "Beslutad och publicerad"
	}
	return string(s)
}

// Yearly is one version of a year's document.
type Yearly struct {
	ID          int64         `json:"id"`
	Year        int           `json:"year"`
	Version     int           `json:"version"`
	Status      YearlyStatus  `json:"status"`
	Content     YearlyContent `json:"content"`
	UpdatedAt   time.Time     `json:"updated_at"`
	DecidedAt   *time.Time    `json:"decided_at,omitempty"`
	DecidedBy   string        `json:"decided_by,omitempty"`
	PublishedAt *time.Time    `json:"published_at,omitempty"`
	SHA256      string        `json:"sha256,omitempty"` // of the content, set when decided
}

// Editable reports whether the version may still change.
func (y *Yearly) Editable() bool { return y.Status == YearlyDraft }

// YearlyContent is the document: drafted from the data, with the
// samordnare's texts.
type YearlyContent struct {
	Year int `json:"year"`
	// Drafted is the day the data parts were drafted.
	Drafted trygg.Day `json:"drafted"`
	// The samordnare's texts.
	Summary  string `json:"summary"`   // the picture in brief
	Causes   string `json:"causes"`    // the causes as judged
	Priority string `json:"priority"`  // what the plan gives priority to
	FollowUp string `json:"follow_up"` // the follow-up in words
	// The data parts.
	PeerGroup  string            `json:"peer_group,omitempty"` // the group compared with
	Indicators []YearlyIndicator `json:"indicators"`
	// LeftOut names the series the samordnare left out of the document
	// (Series.InYearly), so that the document says what it does not show.
	LeftOut   []string         `json:"left_out,omitempty"`
	Districts []YearlyDistrict `json:"districts"`
	Actions   []YearlyAction   `json:"actions"`
	// Previous is last year's plan followed up: each action with its
	// status now and its measured effect.
	Previous     []YearlyAction `json:"previous"`
	PreviousFrom string         `json:"previous_from,omitempty"` // which document it came from
}

// YearlyIndicator is one indicator in the document with its comparison.
type YearlyIndicator struct {
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Source   Source  `json:"source"`
	Unit     string  `json:"unit"`
	Licence  string  `json:"licence"`
	Year     int     `json:"year"` // the latest year with a value, at most the document's
	Value    float64 `json:"value"`
	Decimals int     `json:"decimals"`
	// Own counts are withheld from the public when small (disclose).
	Own     bool    `json:"own"`
	Peers   int     `json:"peers"`
	Median  float64 `json:"median"`
	Q1      float64 `json:"q1"`
	Q3      float64 `json:"q3"`
	Rank    int     `json:"rank"`
	RankOf  int     `json:"rank_of"`
	Change5 *Change `json:"change5,omitempty"`
	// Withheld: the public version hides a small own count.
	Withheld bool `json:"withheld,omitempty"`
}

// YearlyDistrict is a district with the year's indicator counts and the
// flags of the lägesbild.
type YearlyDistrict struct {
	Code   string       `json:"code"`
	Name   string       `json:"name"`
	Counts []NamedCount `json:"counts"`
	Flags  []string     `json:"flags"`
}

// NamedCount is a count with its label.
type NamedCount struct {
	Label    string `json:"label"`
	Count    int    `json:"count"`
	Withheld bool   `json:"withheld,omitempty"`
}

// YearlyAction is an action of the plan, from samverkan.
type YearlyAction struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Owner      string    `json:"owner"`
	Deadline   trygg.Day `json:"deadline"`
	Status     string    `json:"status"` // its label
	Commitment string    `json:"commitment,omitempty"`
	Districts  string    `json:"districts,omitempty"`
	Effect     string    `json:"effect,omitempty"` // the measured effect, in words (follow-up)
}

// YearlyTexts are the parts the samordnare writes. Fields: summary,
// causes, priority, follow_up.
type YearlyTexts struct {
	Summary, Causes, Priority, FollowUp string
}

// MaxYearlyText caps each text.
const MaxYearlyText = 20000

// Validate trims and checks the texts: the document is published, so no
// text may hold personal data.
func (t *YearlyTexts) Validate() error {
	var v trygg.Validation
	for _, f := range []struct {
		name string
		s    *string
	}{{"summary", &t.Summary}, {"causes", &t.Causes}, {"priority", &t.Priority}, {"follow_up", &t.FollowUp}} {
		*f.s = strings.TrimSpace(*f.s)
		trygg.CheckText(&v, f.name, *f.s, MaxYearlyText, "")
		trygg.CheckPersonalData(&v, f.name, *f.s, "Dokumentet publiceras och får inte innehålla personuppgifter")
	}
	return v.Err()
}

// Apply puts the texts into c.
func (t YearlyTexts) Apply(c *YearlyContent) {
	c.Summary, c.Causes, c.Priority, c.FollowUp = t.Summary, t.Causes, t.Priority, t.FollowUp
}

// ValidYear reports whether a document may be made for year.
func ValidYear(year int) bool { return year >= 2023 && year <= MaxYear }

// ForPublic withholds, in a copy of c, what the public may not see: own
// counts from 1 to 4 (disclose) in the indicators and districts, which
// become Withheld. Imported series are published statistics already.
func (c YearlyContent) ForPublic() YearlyContent {
	out := c
	out.Indicators = make([]YearlyIndicator, len(c.Indicators))
	for i, ind := range c.Indicators {
		if ind.Own && disclose.Withheld(ind.Value) {
			ind.Value, ind.Withheld = 0, true
			ind.Change5 = nil
		}
		out.Indicators[i] = ind
	}
	out.Districts = make([]YearlyDistrict, len(c.Districts))
	for i, d := range c.Districts {
		counts := make([]NamedCount, len(d.Counts))
		for k, n := range d.Counts {
			if disclose.Withheld(float64(n.Count)) {
				n.Count, n.Withheld = 0, true
			}
			counts[k] = n
		}
		d.Counts = counts
		out.Districts[i] = d
	}
	return out
}

// YearlyService keeps the yearly documents.
type YearlyService interface {
	// FindYearlies lists every version of every year, newest first.
	// Samordnare, polis and läsare (they read report counts, which the
	// drafts hold unwithheld); others ENOTFOUND.
	FindYearlies(ctx context.Context) ([]*Yearly, error)
	// FindYearly returns a version of a year; version 0 is the newest.
	// Readers as FindYearlies; ENOTFOUND.
	FindYearly(ctx context.Context, year, version int) (*Yearly, error)
	// SaveYearlyDraft stores content as the year's draft: it replaces the
	// newest version while that is a draft, else it starts a new version.
	// Samordnare and the operator; EINVALID for a bad year or text.
	SaveYearlyDraft(ctx context.Context, year int, content YearlyContent) (*Yearly, error)
	// DecideYearly marks a draft decided; from then on it never changes.
	// Samordnare; ENOTFOUND, ECONFLICT when it is not a draft.
	DecideYearly(ctx context.Context, year, version int) (*Yearly, error)
	// PublishYearly publishes a decided version. Samordnare; ENOTFOUND,
	// ECONFLICT when it is not decided.
	PublishYearly(ctx context.Context, year, version int) (*Yearly, error)
	// PublicYearly returns the newest published version of a year, or,
	// with year 0, the list of published years' newest versions. Anyone.
	PublicYearly(ctx context.Context, year int) ([]*Yearly, error)
}

// decimal writes v with prec decimals and a decimal comma.
func decimal(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return strings.Replace(strings.Replace(s, ".", ",", 1), "-", "−", 1)
}

// ValueText is the indicator's value as shown, "färre än 5" when withheld.
func (y YearlyIndicator) ValueText() string {
	if y.Withheld {
		return disclose.WithheldText()
	}
	return decimal(y.Value, y.Decimals)
}

// PeerText says the peers' median and band, or "–" without peers.
func (y YearlyIndicator) PeerText() string {
	if y.Peers == 0 {
		return "–"
	}
	return decimal(y.Median, y.Decimals) + " (" + decimal(y.Q1, y.Decimals) + "–" + decimal(y.Q3, y.Decimals) + ")"
}

// RankText says the place in the group, or "–".
func (y YearlyIndicator) RankText() string {
	if y.RankOf < 2 {
		return "–"
	}
	return strconv.Itoa(y.Rank) + " av " + strconv.Itoa(y.RankOf)
}

// ChangeText says the change over five years, or "–".
func (y YearlyIndicator) ChangeText() string {
	if y.Change5 == nil {
		return "–"
	}
	s := decimal(y.Change5.Diff, y.Decimals)
	if y.Change5.Diff > 0 {
		s = "+" + s
	}
	if y.Change5.HasPercent {
		p := decimal(y.Change5.Percent, 0)
		if y.Change5.Percent > 0 {
			p = "+" + p
		}
		s += " (" + p + " %)"
	}
	return s + " sedan " + strconv.Itoa(y.Change5.FromYear)
}

// LeftOutText says which series the samordnare left out of the document,
// or "" when none.
func (c YearlyContent) LeftOutText() string {
	switch len(c.LeftOut) {
	case 0:
		return ""
	case 1:
		return "Samordnaren har valt bort en serie ur dokumentet: " + c.LeftOut[0] + "."
	}
	return "Samordnaren har valt bort " + strconv.Itoa(len(c.LeftOut)) + " serier ur dokumentet: " + strings.Join(c.LeftOut, ", ") + "."
}

// CountText is a district's count as shown, "färre än 5" when withheld.
func (n NamedCount) CountText() string {
	if n.Withheld {
		return disclose.WithheldText()
	}
	return strconv.Itoa(n.Count)
}
