package concern_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/trygg-est/trygg/concern"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/tryggtest"
)

// published is what a test expects of one count on the statistics page.
type published struct {
	n          int
	suppressed bool
	change     int
	hasChange  bool
}

func (p published) check(t *testing.T, what string, got disclose.PeriodCount) {
	t.Helper()
	if got.Count.Count != p.n || got.Suppressed != p.suppressed || got.Change != p.change || got.HasChange != p.hasChange {
		t.Errorf("%s = %+v, want %+v", what, got, p)
	}
}

// reports are the report totals of months, "2025-03": n.
func reports(months map[string]int) []concern.CountRow {
	var rows []concern.CountRow
	for month, n := range months {
		var y, m int
		fmt.Sscanf(month, "%d-%d", &y, &m)
		rows = append(rows, concern.CountRow{Month: y*100 + m, CountKey: concern.CountKey{Measure: concern.MeasureReports}, N: n})
	}
	return rows
}

// everyMonth gives every month from January 2023 to March 2025 n reports,
// and those of 2025 n2.
func everyMonth(n, n2 int) map[string]int {
	months := map[string]int{}
	for y := 2023; y <= 2025; y++ {
		for m := 1; m <= 12 && (y < 2025 || m <= 3); m++ {
			months[fmt.Sprintf("%d-%02d", y, m)] = n
			if y == 2025 {
				months[fmt.Sprintf("%d-%02d", y, m)] = n2
			}
		}
	}
	return months
}

// TestComputeStatsMonths: the months and years of the page on 14 March
// 2025, with small counts withheld, a second count withheld where a small
// one could be worked out from its year, and changes only between counts
// that are both shown and from months the register covered.
func TestComputeStatsMonths(t *testing.T) {
	today := tryggtest.Day(t, "2025-03-14")
	tests := []struct {
		name   string
		months map[string]int
		want   map[string]published // by month or year
	}{{
		name:   "a small month takes a second of its year with it",
		months: map[string]int{"2024-01": 6, "2024-02": 7, "2024-03": 1, "2025-03": 8},
		want: map[string]published{
			"2024-01": {suppressed: true},
			"2024-02": {n: 7},
			"2024-03": {suppressed: true},
			"2024-04": {n: 0},
			"2025-02": {n: 0, change: -7, hasChange: true},
			"2025-03": {n: 8}, // no change from a withheld month
			"2024":    {n: 14},
			"2025":    {n: 8}, // would give away January–March 2024
		},
	}, {
		name:   "no change from before the register's first month",
		months: map[string]int{"2024-02": 7, "2025-02": 12},
		want: map[string]published{
			"2024-02": {n: 7},
			"2024-01": {n: 0},
			"2025-01": {n: 0}, // January 2024 was before the first month
			"2025-02": {n: 12, change: 5, hasChange: true},
			"2024":    {n: 7},
			"2025":    {n: 12},
		},
	}, {
		name:   "every month shown: changes of months and years",
		months: everyMonth(10, 12),
		want: map[string]published{
			"2023-01": {n: 10},
			"2024-01": {n: 10, change: 0, hasChange: true},
			"2025-03": {n: 12, change: 2, hasChange: true},
			"2023":    {n: 120},
			"2024":    {n: 120, change: 0, hasChange: true},
			"2025":    {n: 36, change: 6, hasChange: true},
		},
	}, {
		name:   "the year before those shown only hides its small months",
		months: map[string]int{"2022-03": 2, "2022-04": 9, "2023-03": 10, "2023-04": 10},
		want: map[string]published{
			"2023-03": {n: 10},
			"2023-04": {n: 10, change: 1, hasChange: true},
			"2023":    {n: 20},
		},
	}, {
		name:   "no reports at all",
		months: nil,
		want: map[string]published{
			"2023-01": {n: 0},
			"2025-03": {n: 0},
			"2025":    {n: 0},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := concern.ComputeStats(reports(tt.months), today)
			if len(st.Months) != 27 || st.Months[0].Key != "2023-01" || st.Months[26].Key != "2025-03" || st.Months[26].Label != "mars 2025" {
				t.Fatalf("months %+v, want January 2023 to mars 2025", st.Months)
			}
			if len(st.Years) != 3 || st.Years[0].Key != "2023" {
				t.Fatalf("years %+v, want 2023 to 2025", st.Years)
			}
			got := map[string]disclose.PeriodCount{}
			for _, p := range append(st.Months, st.Years...) {
				got[p.Key] = p
			}
			for key, want := range tt.want {
				want.check(t, key, got[key])
			}
		})
	}
}

// TestComputeStatsGroups: the reporter categories, concern categories and
// shares of the years shown.
func TestComputeStatsGroups(t *testing.T) {
	today := tryggtest.Day(t, "2025-03-14")
	row := func(month int, measure, code string, n int) concern.CountRow {
		return concern.CountRow{Month: month, CountKey: concern.CountKey{Measure: measure, Code: code}, N: n}
	}
	tests := []struct {
		name                               string
		rows                               []concern.CountRow
		reporters                          map[string]disclose.Count
		categories                         map[string]disclose.Count
		investigated, preInTime, invInTime disclose.Share
	}{{
		name: "a small reporter category takes a second with it",
		rows: []concern.CountRow{
			row(202503, concern.MeasureReporter, "skola", 6), row(202503, concern.MeasureReporter, "polis", 2),
			row(202401, concern.MeasureReporter, "skola", 23),
			row(202503, concern.MeasureCategory, concern.CategoryViolence, 31),
		},
		reporters: map[string]disclose.Count{
			"skola":  {Key: "skola", Label: "Skola", Suppressed: true},
			"polis":  {Key: "polis", Label: "Polis", Suppressed: true},
			"anonym": {Key: "anonym", Label: "Anonym"},
		},
		categories: map[string]disclose.Count{
			concern.CategoryViolence: {Key: concern.CategoryViolence, Label: "Våld mot barnet", Count: 31},
			"heder":                  {Key: "heder", Label: "Hedersrelaterat våld eller förtryck"},
		},
	}, {
		name: "counts of the year before those shown are left out",
		rows: []concern.CountRow{
			row(202212, concern.MeasureReporter, "skola", 40), row(202301, concern.MeasureReporter, "skola", 9),
			row(202212, concern.MeasureCategory, "heder", 3),
		},
		reporters:  map[string]disclose.Count{"skola": {Key: "skola", Label: "Skola", Count: 9}},
		categories: map[string]disclose.Count{"heder": {Key: "heder", Label: "Hedersrelaterat våld eller förtryck"}},
	}, {
		name: "shares: withheld when the part, the whole or the rest is small",
		rows: []concern.CountRow{
			row(202503, concern.MeasureDecided, "", 8), row(202503, concern.MeasureInvestigated, "", 3),
			row(202503, concern.MeasurePreInTime, "", 8),
			row(202410, concern.MeasureCompleted, "", 12), row(202410, concern.MeasureInvInTime, "", 7),
		},
		investigated: disclose.Share{Suppressed: true},
		preInTime:    disclose.Share{Part: 8, Whole: 8},
		invInTime:    disclose.Share{Part: 7, Whole: 12},
	}, {
		name: "shares: months of the years shown add up",
		rows: []concern.CountRow{
			row(202301, concern.MeasureCompleted, "", 5), row(202503, concern.MeasureCompleted, "", 5),
			row(202301, concern.MeasureInvInTime, "", 5),
			row(202212, concern.MeasureCompleted, "", 50),
		},
		invInTime: disclose.Share{Part: 5, Whole: 10},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := concern.ComputeStats(tt.rows, today)
			if len(st.ByReporter) != len(concern.ReporterCategories) || len(st.ByCategory) != len(concern.Categories) {
				t.Fatalf("%d reporter and %d concern categories, want every one", len(st.ByReporter), len(st.ByCategory))
			}
			for _, c := range st.ByReporter {
				if want, ok := tt.reporters[c.Key]; ok && c != want {
					t.Errorf("reporter %s = %+v, want %+v", c.Key, c, want)
				}
			}
			for _, c := range st.ByCategory {
				if want, ok := tt.categories[c.Key]; ok && c != want {
					t.Errorf("category %s = %+v, want %+v", c.Key, c, want)
				}
			}
			if st.Investigated != tt.investigated || st.PreInTime != tt.preInTime || st.InvInTime != tt.invInTime {
				t.Errorf("shares %+v %+v %+v, want %+v %+v %+v", st.Investigated, st.PreInTime, st.InvInTime,
					tt.investigated, tt.preInTime, tt.invInTime)
			}
		})
	}
}

// TestStatsMonths: the totals loaded reach a year further back than the
// page, for the changes.
func TestStatsMonths(t *testing.T) {
	if first, last := concern.StatsMonths(tryggtest.Day(t, "2025-03-14")); first != 202201 || last != 202503 {
		t.Errorf("months %d–%d, want 202201–202503", first, last)
	}
}

// TestCounts: what a report and its steps add to the statistics, in the
// month it was received.
func TestCounts(t *testing.T) {
	received := sthlm(2025, 10, 31, 23, 30)
	r := &concern.Report{ReceivedAt: received, ReporterCategory: "skola", Categories: []string{concern.CategoryViolence, "heder"}}
	if m := r.CountMonth(); m != 202510 {
		t.Errorf("count month %d, want 202510: the Stockholm day of receipt", m)
	}
	intake := []concern.CountKey{{Measure: concern.MeasureReports}, {Measure: concern.MeasureReporter, Code: "skola"},
		{Measure: concern.MeasureCategory, Code: concern.CategoryViolence}, {Measure: concern.MeasureCategory, Code: "heder"}}
	if got := r.IntakeCounts(); fmt.Sprint(got) != fmt.Sprint(intake) {
		t.Errorf("intake counts %v, want %v", got, intake)
	}
	opened := sthlm(2025, 11, 14, 16, 0) // day 14
	tests := []struct {
		name  string
		steps []concern.Step // recorded before
		step  concern.Step
		want  []concern.CountKey
	}{
		{"pre-assessment on day 14 opening an investigation", nil,
			concern.Step{Kind: concern.StepPre, At: opened, Open: true},
			[]concern.CountKey{{Measure: concern.MeasureDecided}, {Measure: concern.MeasureInvestigated}, {Measure: concern.MeasurePreInTime}}},
		{"pre-assessment on day 15", nil,
			concern.Step{Kind: concern.StepPre, At: opened.Add(24 * time.Hour)},
			[]concern.CountKey{{Measure: concern.MeasureDecided}}},
		{"completion on the investigation's last day", []concern.Step{{Kind: concern.StepPre, At: opened, Open: true}},
			concern.Step{Kind: concern.StepCompletion, At: sthlm(2026, 3, 14, 12, 0)},
			[]concern.CountKey{{Measure: concern.MeasureCompleted}, {Measure: concern.MeasureInvInTime}}},
		{"completion a day late", []concern.Step{{Kind: concern.StepPre, At: opened, Open: true}},
			concern.Step{Kind: concern.StepCompletion, At: sthlm(2026, 3, 15, 12, 0)},
			[]concern.CountKey{{Measure: concern.MeasureCompleted}}},
		{"protection assessment counts nothing", nil, concern.Step{Kind: concern.StepProtection, At: received}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := *r
			c.Steps = append(tt.steps, tt.step)
			if got := c.StepCounts(tt.step); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("step counts %v, want %v", got, tt.want)
			}
		})
	}
}
