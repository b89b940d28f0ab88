package samverkan

import (
	"fmt"
	"math"
	"slices"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
)

// Audience is whom a commitment's indicator values are shown to, which
// decides which small counts are withheld (docs/samverkan.md).
type Audience int

const (
	// AudienceCountReaders (samordnare, polis, läsare) see every value.
	AudienceCountReaders Audience = iota
	// AudiencePartners (rapportörer, who may not read report counts)
	// get counts of reports and ads from 1 to 4 withheld, as the public
	// does; the series their organisations enter themselves stay whole.
	AudiencePartners
	// AudiencePublic gets counts from 1 to 4 withheld in series of
	// counts too. Series of measurements are never withheld.
	AudiencePublic
)

// Withholds reports whether the audience gets the small values of an
// indicator withheld.
func (a Audience) Withholds(ind Indicator) bool {
	if ind.Source == IndicatorNightwalk {
		return false // a share of nights, not a count of people or events
	}
	if ind.Source == IndicatorSeries {
		return a == AudiencePublic && ind.Kind == IndicatorCounts
	}
	if ind.Source == IndicatorIndikator {
		// Measurements (Kolada's shares and costs) are never withheld;
		// counts (Trygg's own, BRÅ's) as counts of reports are.
		return a != AudienceCountReaders && ind.Kind == IndicatorCounts
	}
	return a != AudienceCountReaders
}

// ForAudience withholds in place, when the audience gets small values of
// ind withheld, every value that disclose.Withheld: its value becomes 0
// and it is marked Suppressed. It returns points.
func ForAudience(points []IndicatorPoint, ind Indicator, a Audience) []IndicatorPoint {
	if !a.Withholds(ind) {
		return points
	}
	for i, p := range points {
		if disclose.Withheld(p.Value) {
			points[i].Value, points[i].Suppressed = 0, true
		}
	}
	return points
}

// MaxIndicatorMonths caps how many months of counts one indicator shows.
const MaxIndicatorMonths = 120

// IndicatorMonths returns the first days of the whole months that an
// indicator counted from reports or ads shows, oldest first: the target's
// baseline period, if it has one, and the agreement's period (from, to),
// each up to the last month that ended before today, at most
// MaxIndicatorMonths of them (the newest).
func IndicatorMonths(t Target, from, to, today trygg.Day) []trygg.Day {
	lastWhole := trygg.MonthStarts(today, today)[0] - 1
	var months []trygg.Day
	if t.Kind == TargetReduce {
		months = trygg.MonthStarts(t.BaselineFrom, min(t.BaselineTo, lastWhole))
	}
	for _, m := range trygg.MonthStarts(from, min(to, lastWhole)) {
		if !slices.Contains(months, m) {
			months = append(months, m)
		}
	}
	slices.Sort(months)
	if len(months) > MaxIndicatorMonths {
		months = months[len(months)-MaxIndicatorMonths:]
	}
	return months
}

// ReportPoint is an indicator counted from reports for the month that
// begins on month: the sum of its cells.
func ReportPoint(month trygg.Day, cells []trygg.CellCount) IndicatorPoint {
	n := 0
	for _, c := range cells {
		n += c.Count
	}
	return IndicatorPoint{Day: month, Value: float64(n)}
}

// CheckPoints checks indicator values that are to be stored: between 1
// and MaxIndicatorRows of them, each dated 2000–2100 with a finite value.
// The error is EINVALID on the field "file".
func CheckPoints(points []IndicatorPoint) error {
	if len(points) == 0 || len(points) > MaxIndicatorRows {
		return fileError(fmt.Sprintf("Ange mellan 1 och %d mätvärden.", MaxIndicatorRows))
	}
	for _, p := range points {
		if p.Day < trygg.DateDay(2000, 1, 1) || p.Day > trygg.DateDay(2100, 12, 31) || math.IsNaN(p.Value) || math.Abs(p.Value) >= 1e12 {
			return fileError(fmt.Sprintf("Mätvärdet för %s är ogiltigt: datum 2000–2100 och ett ändligt tal.", p.Day))
		}
	}
	return nil
}

// CheckEntered checks that an indicator takes values entered by hand:
// only a series does; one counted from reports or ads is EINVALID on the
// field "file".
func CheckEntered(ind Indicator) error {
	if ind.Source != IndicatorSeries {
		return fileError("Indikatorn räknas fram ur rapporterna eller annonsräkningen; den tar inte emot inmatade värden.")
	}
	return nil
}

func fileError(msg string) error {
	return &trygg.Error{Code: trygg.EINVALID, Message: msg, Fields: []trygg.FieldError{{Field: "file", Message: msg}}}
}

// HideForPublic strips from a commitment what the public may not see: a
// manual light the samordnare has not approved, and who set it.
func (c *Commitment) HideForPublic() {
	switch {
	case c.Override == nil:
	case c.Override.PublishedAt == nil:
		c.Override = nil
	default:
		c.Override.ByName = ""
	}
}

// HideForPublic strips from a status update who wrote it, which is
// internal: the public sees the organisation.
func (u *CommitmentUpdate) HideForPublic() { u.ByName = "" }
