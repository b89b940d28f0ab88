package sspf

import (
	"fmt"
	"slices"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
)

// StatsRow is one case as statistics see it: no identity, nothing sealed.
// The store keeps these columns after retention has deleted a case's
// personal data.
type StatsRow struct {
	AreaName        string
	ReferredOn      trygg.Day
	ActiveOn        trygg.Day // 0: never active
	Outcome         string    // "" while open
	CompleteConsent bool      // a valid, complete consent at some time
}

// Stats are the aggregates for the committee, published by the rule of
// package disclose.
type Stats struct {
	Quarters []string // "2026 K1", oldest first
	// ByArea holds, per district, one count per quarter, with the row and
	// column sums protected by disclose.NewTable.
	Areas   []string
	ByArea  [][]disclose.Count
	RowSums []disclose.Count
	ColSums []disclose.Count
	Total   disclose.Count
	// Consent is the share of cases that had a complete consent.
	Consent disclose.Share
	// MedianDaysToActive is the median number of days from referral to
	// active over the cases that became active; withheld (-1) when fewer
	// than disclose.Threshold did.
	MedianDaysToActive int
	Outcomes           []disclose.Count
}

// QuarterOf names the quarter of day: "2026 K1".
func QuarterOf(day trygg.Day) string {
	y, m, _ := day.Date()
	return fmt.Sprintf("%d K%d", y, (int(m)-1)/3+1)
}

// ComputeStats counts the rows referred in the eight quarters that end
// with today's.
func ComputeStats(rows []StatsRow, today trygg.Day) *Stats {
	s := &Stats{MedianDaysToActive: -1}
	y, m, _ := today.Date()
	first := trygg.DateDay(y, m-(m-1)%3, 1).AddMonths(-21)
	for d := first; d <= today; d = d.AddMonths(3) {
		s.Quarters = append(s.Quarters, QuarterOf(d))
	}
	var in []StatsRow
	for _, r := range rows {
		if r.ReferredOn >= first && r.ReferredOn <= today {
			in = append(in, r)
		}
	}
	for _, r := range in {
		if !slices.Contains(s.Areas, r.AreaName) {
			s.Areas = append(s.Areas, r.AreaName)
		}
	}
	slices.Sort(s.Areas)
	n := make([][]int, len(s.Areas))
	for i := range n {
		n[i] = make([]int, len(s.Quarters))
	}
	complete, days := 0, []int{}
	outcomes := map[string]int{}
	for _, r := range in {
		i, j := slices.Index(s.Areas, r.AreaName), slices.Index(s.Quarters, QuarterOf(r.ReferredOn))
		if j >= 0 {
			n[i][j]++
		}
		if r.CompleteConsent {
			complete++
		}
		if r.ActiveOn != 0 {
			days = append(days, int(r.ActiveOn-r.ReferredOn))
		}
		if r.Outcome != "" {
			outcomes[r.Outcome]++
		}
	}
	if len(s.Areas) > 0 {
		t := disclose.NewTable(n)
		s.ByArea, s.RowSums, s.ColSums, s.Total = t.Cells, t.RowSums, t.ColSums, t.Total
	}
	s.Consent = disclose.ShareOf(complete, len(in))
	if !disclose.TooFew(len(days)) {
		slices.Sort(days)
		s.MedianDaysToActive = median(days)
	}
	var group []disclose.Count
	var ns []int
	for _, o := range Outcomes {
		group = append(group, disclose.NewCount(o.Code, o.Label, outcomes[o.Code]))
		ns = append(ns, outcomes[o.Code])
	}
	disclose.WithholdComplement(group, ns)
	s.Outcomes = group
	return s
}

// median of sorted values, halves rounded down.
func median(sorted []int) int {
	k := len(sorted)
	if k%2 == 1 {
		return sorted[k/2]
	}
	return (sorted[k/2-1] + sorted[k/2]) / 2
}
