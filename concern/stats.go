package concern

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
)

// Stats are the aggregates that may leave the register: counts only,
// published by the rule of package disclose: counts from 1 to
// disclose.Threshold-1 withheld (Suppressed set, value 0), and in a group
// whose total is shown (the months of a year, the reporter categories) a
// second count withheld where one alone would be the total minus the rest
// (disclose.WithholdComplement).
type Stats struct {
	Months       []disclose.PeriodCount // per month ("2025-03"), with the change from the same month a year before
	Years        []disclose.PeriodCount // per year; this year's change is from the same months of the year before
	ByReporter   []disclose.Count       // label = reporter category
	ByCategory   []disclose.Count       // label = concern category
	Investigated disclose.Share         // share of decided pre-assessments that opened an investigation
	PreInTime    disclose.Share         // share of pre-assessments decided within 14 days
	InvInTime    disclose.Share         // share of completed investigations completed by their due day
}

// The measures counted per month of receipt. The store keeps a total for
// each month, measure and code, and never the reports themselves, so the
// statistics need no access to the register.
const (
	MeasureReports      = "anmalningar"   // reports
	MeasureReporter     = "anmalare"      // reports per reporter category (code)
	MeasureCategory     = "oro"           // reports per concern category (code)
	MeasureDecided      = "beslutade"     // pre-assessments decided
	MeasureInvestigated = "utredning"     // … that opened an investigation
	MeasurePreInTime    = "fhb_i_tid"     // … decided by day 14
	MeasureCompleted    = "utredda"       // investigations completed
	MeasureInvInTime    = "utredda_i_tid" // … by their due day
)

// CountKey is one measure, and for the measures per code its code, that a
// report adds one to.
type CountKey struct{ Measure, Code string }

// CountRow is the total of one measure and code in one month, as the store
// loads it for Stats.
type CountRow struct {
	Month int // year*100 + month of receipt
	CountKey
	N int
}

// CountMonth is the month, year*100 + month, whose totals the report
// counts in: the month it was received.
func (r *Report) CountMonth() int {
	y, m, _ := r.ReceivedDay().Date()
	return y*100 + int(m)
}

// IntakeCounts is what a new report adds to the statistics.
func (r *Report) IntakeCounts() []CountKey {
	keys := []CountKey{{MeasureReports, ""}, {MeasureReporter, r.ReporterCategory}}
	for _, cat := range r.Categories {
		keys = append(keys, CountKey{MeasureCategory, cat})
	}
	return keys
}

// StepCounts is what step st, just recorded on r, adds to the statistics.
func (r *Report) StepCounts(st Step) []CountKey {
	var keys []CountKey
	switch st.Kind {
	case StepPre:
		keys = append(keys, CountKey{MeasureDecided, ""})
		if st.Open {
			keys = append(keys, CountKey{MeasureInvestigated, ""})
		}
		if trygg.DayOf(st.At) <= PreAssessmentDue(r.ReceivedDay()) {
			keys = append(keys, CountKey{MeasurePreInTime, ""})
		}
	case StepCompletion:
		keys = append(keys, CountKey{MeasureCompleted, ""})
		if trygg.DayOf(st.At) <= r.InvestigationEnd() {
			keys = append(keys, CountKey{MeasureInvInTime, ""})
		}
	}
	return keys
}

// StatsMonths are the first and last months, year*100 + month, whose
// totals ComputeStats needs on day today: January three years before
// today's year, a year more than is shown for the changes from a year
// before, to today's month.
func StatsMonths(today trygg.Day) (first, last int) {
	y, m, _ := today.Date()
	return (y-3)*100 + 1, y*100 + int(m)
}

// ComputeStats counts over rows, the totals of StatsMonths(today), from
// January two years before today's year to today's month, by month of
// receipt, and publishes the counts by the rule of package disclose.
func ComputeStats(rows []CountRow, today trygg.Day) *Stats {
	y, tm, _ := today.Date()
	perMonth := map[int]int{}
	total := map[CountKey]int{} // over the period shown
	first := math.MaxInt        // the first month with a report: before it, no register to count in
	for _, r := range rows {
		if r.Measure == MeasureReports {
			perMonth[r.Month] += r.N
			if r.N > 0 {
				first = min(first, r.Month)
			}
		}
		if r.Month >= (y-2)*100+1 {
			total[r.CountKey] += r.N
		}
	}

	st := &Stats{}
	// hidden are the months whose count is not shown: small, or withheld
	// so that a small one cannot be worked out from its year. The year
	// before those shown is not shown, only its small months are hidden.
	hidden := map[int]bool{}
	for mm := 1; mm <= 12; mm++ {
		hidden[(y-3)*100+mm] = disclose.Withheld(perMonth[(y-3)*100+mm])
	}
	for yy := y - 2; yy <= y; yy++ {
		var months []disclose.Count
		var counts []int
		year, before, prevShown := 0, 0, true
		for mm := 1; mm <= 12 && (yy < y || mm <= int(tm)); mm++ {
			n := perMonth[yy*100+mm]
			year, before = year+n, before+perMonth[(yy-1)*100+mm]
			months = append(months, disclose.NewCount(fmt.Sprintf("%04d-%02d", yy, mm), trygg.MonthLabel(yy, time.Month(mm)), n))
			counts = append(counts, n)
		}
		disclose.WithholdComplement(months, counts)
		for i, m := range months {
			cur, prev := yy*100+i+1, (yy-1)*100+i+1
			hidden[cur] = m.Suppressed
			p := disclose.PeriodCount{Count: m}
			if !hidden[cur] && !hidden[prev] && prev >= first {
				p.Change, p.HasChange = counts[i]-perMonth[prev], true
			}
			prevShown = prevShown && p.HasChange
			st.Months = append(st.Months, p)
		}
		// The change of a year gives away the total of the same months a
		// year before: shown when that total is shown (a whole year after
		// a year on the page) or every month of it is, and not against a
		// year the register did not cover from January.
		yc := disclose.ChangeFrom(disclose.NewCount(strconv.Itoa(yy), strconv.Itoa(yy), year), before)
		if (yy-1)*100+1 < first || (!prevShown && (yy == y || yy == y-2)) {
			yc.Change, yc.HasChange = 0, false
		}
		st.Years = append(st.Years, yc)
	}
	reporters := make([]int, len(ReporterCategories))
	for i, rc := range ReporterCategories {
		reporters[i] = total[CountKey{MeasureReporter, rc.Code}]
		st.ByReporter = append(st.ByReporter, disclose.NewCount(rc.Code, rc.Label, reporters[i]))
	}
	// The reporter categories add up to the reports of the years shown.
	disclose.WithholdComplement(st.ByReporter, reporters)
	for _, cc := range Categories {
		st.ByCategory = append(st.ByCategory, disclose.NewCount(cc.Code, cc.Label, total[CountKey{MeasureCategory, cc.Code}]))
	}
	n := func(measure string) int { return total[CountKey{measure, ""}] }
	st.Investigated = disclose.ShareOf(n(MeasureInvestigated), n(MeasureDecided))
	st.PreInTime = disclose.ShareOf(n(MeasurePreInTime), n(MeasureDecided))
	st.InvInTime = disclose.ShareOf(n(MeasureInvInTime), n(MeasureCompleted))
	return st
}
