package leverantor

import (
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
	months := map[string]int{}
	for _, t := range types {
		months[t.Code] = t.Months
	}
	sorted := slices.Clone(checks)
	slices.SortFunc(sorted, func(a, b StatCheck) int {
		if a.ProviderID != b.ProviderID {
			return int(a.ProviderID - b.ProviderID)
		}
		if a.Type != b.Type {
			if a.Type < b.Type {
				return -1
			}
			return 1
		}
		return int(a.Day - b.Day)
	})
	onTime, due := 0, 0
	from := today.AddMonths(-12)
	for i := 1; i < len(sorted); i++ {
		prev, c := sorted[i-1], sorted[i]
		if prev.ProviderID != c.ProviderID || prev.Type != c.Type || c.Day <= from || months[c.Type] == 0 {
			continue
		}
		due++
		if c.Day <= prev.Day.AddMonths(months[c.Type]) {
			onTime++
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
