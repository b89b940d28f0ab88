package leverantor

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
)

// Stats are the register's statistics for the committee: every count
// goes through the disclosure rule, so that the page may leave the
// review unit.
type Stats struct {
	Areas     []AreaBands      // providers by service area and risk band
	OnTime    disclose.Share   // checks done by their due day, of those due, in the last 12 months
	Quarters  []disclose.Count // decisions per quarter, oldest first
	Providers disclose.Count
}

// AreaBands is a service area's providers per risk band, in the order of
// Bands.
type AreaBands struct {
	Area  string
	Label string
	Bands []disclose.Count
}

// StatProvider is what the statistics read of a provider.
type StatProvider struct {
	ServiceArea string
	Score       int
}

// StatCheck is what the statistics read of a check.
type StatCheck struct {
	ProviderID int64
	Type       string
	Day        trygg.Day
}

// ComputeStats builds the statistics on day today from plain rows:
// decisions are given by day.
func ComputeStats(providers []StatProvider, checks []StatCheck, types []CheckType, decisions []trygg.Day, today trygg.Day) *Stats {
	s := &Stats{Providers: disclose.NewCount("providers", "Leverantörer", len(providers))}
	for _, a := range ServiceAreas {
		ab := AreaBands{Area: a.Code, Label: a.Label}
		for _, b := range Bands {
			n := 0
			for _, p := range providers {
				if p.ServiceArea == a.Code && Band(p.Score) == b.Code {
					n++
				}
			}
			ab.Bands = append(ab.Bands, disclose.NewCount(a.Code+"_"+b.Code, b.Label, n))
		}
		s.Areas = append(s.Areas, ab)
	}
	onTime, due := 0, 0
	from := today.AddMonths(-12)
	for _, c := range TimeChecks(checks, types) {
		if c.Due && c.Day > from {
			due++
			if c.OnTime {
				onTime++
			}
		}
	}
	s.OnTime = disclose.ShareOf(onTime, due)
	for q := 7; q >= 0; q-- {
		start := QuarterStart(today).AddMonths(-3 * q)
		end := start.AddMonths(3)
		n := 0
		for _, d := range decisions {
			if d >= start && d < end {
				n++
			}
		}
		s.Quarters = append(s.Quarters, disclose.NewCount(start.String(), QuarterLabel(start), n))
	}
	return s
}

// TimedCheck is a check with whether it had a due day and met it.
type TimedCheck struct {
	StatCheck
	Due    bool // an earlier check of the same type and provider set a due day
	OnTime bool // done by that due day
}

// TimeChecks says of every check whether it was due and done on time, the
// one rule of the statistics and the indicators: a check is due when the
// provider had an earlier check of the same type, by that check's day plus
// the type's interval. The first check of a type, and a check of a type no
// longer configured, has no due day. The result is ordered by provider,
// type and day.
func TimeChecks(checks []StatCheck, types []CheckType) []TimedCheck {
	months := map[string]int{}
	for _, t := range types {
		months[t.Code] = t.Months
	}
	sorted := slices.Clone(checks)
	slices.SortFunc(sorted, func(a, b StatCheck) int {
		return cmp.Or(cmp.Compare(a.ProviderID, b.ProviderID), cmp.Compare(a.Type, b.Type), cmp.Compare(a.Day, b.Day))
	})
	out := make([]TimedCheck, len(sorted))
	for i, c := range sorted {
		out[i].StatCheck = c
		if i == 0 || months[c.Type] == 0 {
			continue
		}
		if prev := sorted[i-1]; prev.ProviderID == c.ProviderID && prev.Type == c.Type {
			out[i].Due = true
			out[i].OnTime = c.Day <= prev.Day.AddMonths(months[c.Type])
		}
	}
	return out
}

// QuarterStart is the first day of d's quarter.
func QuarterStart(d trygg.Day) trygg.Day {
	y, m, _ := d.Date()
	return trygg.DateDay(y, m-(m-1)%3, 1)
}

// QuarterLabel names the quarter starting on d: "2026 kvartal 2".
func QuarterLabel(start trygg.Day) string {
	y, m, _ := start.Date()
	return strconv.Itoa(y) + " kvartal " + strconv.Itoa(int(m-1)/3+1)
}
