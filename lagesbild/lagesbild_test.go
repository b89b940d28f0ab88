package lagesbild

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
)

// event is one report as the counts see it.
type event struct {
	day      trygg.Day
	area     string
	category string
	org      trygg.OrgType
}

// fakeCounts answers CountService from a list of reports, counting by the
// definition in trygg.CountFilter.
type fakeCounts struct {
	events []event
	calls  int
}

func (f *fakeCounts) match(e event, c trygg.CountFilter) bool {
	return e.day >= c.From && e.day <= c.To &&
		(len(c.Areas) == 0 || slices.Contains(c.Areas, e.area)) &&
		(len(c.Categories) == 0 || slices.Contains(c.Categories, e.category)) &&
		(len(c.OrgTypes) == 0 || slices.Contains(c.OrgTypes, e.org))
}

func (f *fakeCounts) CountCells(_ context.Context, c trygg.CountFilter) ([]trygg.CellCount, error) {
	f.calls++
	if err := c.Validate(); err != nil {
		return nil, err
	}
	per := map[[2]string]int{}
	for _, e := range f.events {
		if f.match(e, c) {
			per[[2]string{e.area, e.category}]++
		}
	}
	var out []trygg.CellCount
	for k, n := range per {
		out = append(out, trygg.CellCount{Area: k[0], Category: k[1], Count: n})
	}
	return out, nil
}

func (f *fakeCounts) CountWeeks(_ context.Context, c trygg.CountFilter) (*trygg.WeekCube, error) {
	f.calls++
	if err := c.Validate(); err != nil {
		return nil, err
	}
	first := c.From.Monday()
	cube := &trygg.WeekCube{FirstMonday: first, Weeks: int(c.To-first)/7 + 1}
	idx := map[[2]string]int{}
	c.From = first
	for _, e := range f.events {
		if !f.match(e, c) {
			continue
		}
		k := [2]string{e.area, e.category}
		i, ok := idx[k]
		if !ok {
			i = len(cube.Series)
			idx[k] = i
			cube.Series = append(cube.Series, trygg.WeekSeries{Area: e.area, Category: e.category, Counts: make([]int, cube.Weeks)})
		}
		cube.Series[i].Counts[int(e.day-first)/7]++
	}
	slices.SortFunc(cube.Series, func(a, b trygg.WeekSeries) int {
		return cmp.Or(cmp.Compare(a.Area, b.Area), cmp.Compare(a.Category, b.Category))
	})
	return cube, nil
}

// add files n reports in the week of monday (on its Wednesday).
func (f *fakeCounts) add(monday trygg.Day, area, category string, n int, org trygg.OrgType) {
	for range n {
		f.events = append(f.events, event{monday + 2, area, category, org})
	}
}

var (
	testAreas = []*trygg.Area{
		{Code: "ALI", Name: "Ålidhem", Population: 8000, Geometry: json.RawMessage(`{"type":"Polygon","coordinates":[[[20.30,63.81],[20.32,63.81],[20.32,63.82],[20.30,63.82],[20.30,63.81]]]}`)},
		{Code: "ERS", Name: "Ersboda", Population: 0, Geometry: json.RawMessage(`{"type":"Polygon","coordinates":[[[20.31,63.84],[20.33,63.84],[20.33,63.85],[20.31,63.85],[20.31,63.84]]]}`)},
		{Code: "HAG", Name: "Haga", Population: 4000, Geometry: json.RawMessage(`{"type":"Polygon","coordinates":[[[20.24,63.83],[20.26,63.83],[20.26,63.84],[20.24,63.84],[20.24,63.83]]]}`)},
	}
	testCategories = []*trygg.Category{
		{Code: "skadegorelse", Name: "Skadegörelse", Group: "Skadegörelse och brand"},
		{Code: "anlagd_brand", Name: "Anlagd brand", Group: "Skadegörelse och brand"},
		{Code: "social_oro", Name: "Social oro", Group: "Ordning och stök"},
		{Code: "vald", Name: "Våld", Group: "Hot och våld"},
	}
	// today is Wednesday of week 47, 2026.
	today   = trygg.DateDay(2026, time.November, 18)
	week47  = trygg.ISOWeekMonday(2026, 47)
	weekDay = trygg.Day(7)
)

// scenario: 60 weeks of 2 social-unrest reports a week in Ålidhem, then
// 14 in week 47; vandalism in Haga steady at 1 a week from the school.
func scenario() *fakeCounts {
	f := &fakeCounts{}
	for k := 1; k <= 60; k++ {
		f.add(week47-weekDay*trygg.Day(k), "ALI", "social_oro", 2, trygg.OrgMunicipal)
		f.add(week47-weekDay*trygg.Day(k), "HAG", "skadegorelse", 1, trygg.OrgSchool)
	}
	f.add(week47, "ALI", "social_oro", 14, trygg.OrgMunicipal)
	f.add(week47, "HAG", "skadegorelse", 1, trygg.OrgSchool)
	return f
}

func build(t *testing.T, f *fakeCounts, filter Filter) *Picture {
	t.Helper()
	if filter.Period.Kind == "" {
		p, err := NewPeriod(PeriodWeek, today, 0)
		if err != nil {
			t.Fatal(err)
		}
		filter.Period = p
	}
	p, err := Build(context.Background(), f, Input{Filter: filter, Today: today, Areas: testAreas, Categories: testCategories})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBuildFlagsTheSurge(t *testing.T) {
	f := scenario()
	// A first report of violence in Ersboda alarms EARS C2 (its baseline is
	// all zeros) but is too few to flag.
	f.add(week47, "ERS", "vald", 1, trygg.OrgPolice)
	p := build(t, f, Filter{})
	if len(p.Flags) != 1 {
		t.Fatalf("flags = %+v, want the Ålidhem surge only", p.Flags)
	}
	fl := p.Flags[0]
	want := "Ålidhem — social oro: 14 rapporter vecka 47, förväntat högst 2 (EARS C2)"
	if fl.Sentence != want {
		t.Errorf("sentence = %q, want %q", fl.Sentence, want)
	}
	if fl.Monday != week47 || fl.Area != "ALI" || fl.Category != "social_oro" {
		t.Errorf("flag's week, area and category = %v %q %q, want the list of its reports to be findable", fl.Monday, fl.Area, fl.Category)
	}
	if p.Total != 16 || p.Filter.Period.Label != "vecka 47 2026" {
		t.Errorf("total = %d, label %q", p.Total, p.Filter.Period.Label)
	}
	last := p.Series.Weeks[len(p.Series.Weeks)-1]
	if !last.Alarm || last.Count != 16 || last.Week != 47 || p.Series.Method != "ears-c2" {
		t.Errorf("last week = %+v, method %q", last, p.Series.Method)
	}
	if len(p.Series.Weeks) != shownWeeks {
		t.Errorf("chart has %d weeks, want %d", len(p.Series.Weeks), shownWeeks)
	}
	if !strings.HasPrefix(p.Series.Reason, "EARS C2: serien har 60 veckors historik") {
		t.Errorf("reason = %q", p.Series.Reason)
	}
	if p.Summary[0] != "Vecka 47 2026: 16 rapporter i urvalet." {
		t.Errorf("summary = %q", p.Summary)
	}
}

func TestBuildAreaValuesAndRates(t *testing.T) {
	p := build(t, scenario(), Filter{Areas: []string{"HAG"}})
	got := map[string]AreaValue{}
	for _, a := range p.Areas {
		got[a.Code] = a
	}
	if a := got["ALI"]; a.Count != 14 || a.Per1000 != 1.75 || !a.HasRate || a.Selected {
		t.Errorf("Ålidhem = %+v", a)
	}
	if a := got["ERS"]; a.Count != 0 || a.HasRate {
		t.Errorf("Ersboda (no population) = %+v", a)
	}
	if a := got["HAG"]; a.Count != 1 || a.Per1000 != 0.25 || !a.Selected {
		t.Errorf("Haga = %+v", a)
	}
	if p.Total != 1 || len(p.Flags) != 0 || len(p.Categories) != 1 || p.Categories[0].Code != "skadegorelse" {
		t.Errorf("selection of Haga: total %d, flags %v, categories %+v", p.Total, p.Flags, p.Categories)
	}
	if names := []string{p.Areas[0].Name, p.Areas[1].Name, p.Areas[2].Name}; fmt.Sprint(names) != "[Ersboda Haga Ålidhem]" {
		t.Errorf("areas not in name order: %v", names)
	}
}

func TestBuildFilters(t *testing.T) {
	tests := []struct {
		name   string
		filter Filter
		total  int
	}{
		{"all", Filter{}, 15},
		{"category", Filter{Categories: []string{"skadegorelse"}}, 1},
		{"group", Filter{Groups: []string{"Ordning och stök"}}, 14},
		{"group and category", Filter{Groups: []string{"Ordning och stök"}, Categories: []string{"skadegorelse"}}, 15},
		{"organisation type", Filter{OrgTypes: []trygg.OrgType{trygg.OrgSchool}}, 1},
		{"area", Filter{Areas: []string{"ALI"}}, 14},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if p := build(t, scenario(), tt.filter); p.Total != tt.total {
				t.Errorf("total = %d, want %d", p.Total, tt.total)
			}
		})
	}
}

func TestBuildRejectsBadFilter(t *testing.T) {
	week, _ := NewPeriod(PeriodWeek, today, 0)
	future, _ := NewPeriod(PeriodWeek, today+14, 0)
	tests := []struct {
		name   string
		filter Filter
		field  string
	}{
		{"unknown area", Filter{Period: week, Areas: []string{"XYZ"}}, "omrade"},
		{"unknown category", Filter{Period: week, Categories: []string{"x"}}, "kategori"},
		{"unknown group", Filter{Period: week, Groups: []string{"Inget"}}, "grupp"},
		{"unknown organisation type", Filter{Period: week, OrgTypes: []trygg.OrgType{"x"}}, "orgtyp"},
		{"future period", Filter{Period: future}, "datum"},
		{"future custom period", Filter{Period: Period{Kind: PeriodCustom, From: today + 1, To: today + 2}}, "fran"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(context.Background(), scenario(), Input{Filter: tt.filter, Today: today, Areas: testAreas, Categories: testCategories})
			fields := trygg.ErrorFields(err)
			if trygg.ErrorCode(err) != trygg.EINVALID || len(fields) != 1 || fields[0].Field != tt.field {
				t.Errorf("err = %v (%+v), want EINVALID on %s", err, fields, tt.field)
			}
		})
	}
}

func TestChangesExactAndStable(t *testing.T) {
	f := &fakeCounts{}
	// ALI vald: last 4 weeks 5, the 12 before 3 → 3·5−3 = +12 thirds; a
	// year earlier 9 → −4.
	f.add(week47, "ALI", "vald", 5, trygg.OrgPolice)
	f.add(week47-weekDay*5, "ALI", "vald", 3, trygg.OrgPolice)
	f.add(week47-weekDay*52, "ALI", "vald", 9, trygg.OrgPolice)
	// HAG and ERS skadegörelse tie at +12 thirds and ±0 on the year: name
	// order decides (Ersboda before Haga).
	f.add(week47-weekDay, "HAG", "skadegorelse", 4, trygg.OrgPolice)
	f.add(week47-weekDay, "ERS", "skadegorelse", 4, trygg.OrgPolice)
	f.add(week47-weekDay*53, "HAG", "skadegorelse", 4, trygg.OrgPolice)
	f.add(week47-weekDay*53, "ERS", "skadegorelse", 4, trygg.OrgPolice)
	// HAG social oro: a decrease of 12 thirds, sorted after the increases
	// of the same size.
	f.add(week47-weekDay*10, "HAG", "social_oro", 12, trygg.OrgPolice)
	// ALI anlagd brand: no change at all, left out.
	f.add(week47-weekDay*104, "ALI", "anlagd_brand", 1, trygg.OrgPolice)

	p := build(t, f, Filter{})
	var got []string
	for _, c := range p.Changes {
		got = append(got, fmt.Sprintf("%s/%s %d %d %d %d %d", c.Area, c.Category, c.Last4, c.Prev12, c.YearAgo4, c.VsPrevThirds, c.VsYearAgo))
	}
	want := []string{
		"ALI/vald 5 3 9 12 -4",
		"ERS/skadegorelse 4 0 4 12 0",
		"HAG/skadegorelse 4 0 4 12 0",
		"HAG/social_oro 0 12 0 -12 0",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestVsPrevTextAndSigned(t *testing.T) {
	for _, tc := range []struct {
		thirds int
		want   string
	}{{0, "±0"}, {1, "+0,3"}, {2, "+0,7"}, {3, "+1,0"}, {-14, "−4,7"}, {12, "+4,0"}} {
		if got := VsPrevText(tc.thirds); got != tc.want {
			t.Errorf("VsPrevText(%d) = %q, want %q", tc.thirds, got, tc.want)
		}
	}
	if Signed(3) != "+3" || Signed(-2) != "−2" || Signed(0) != "±0" {
		t.Error("Signed")
	}
}

func TestNewPeriod(t *testing.T) {
	day := trygg.DateDay(2026, time.June, 10)
	tests := []struct {
		kind     PeriodKind
		to       trygg.Day
		from, by string
		label    string
	}{
		{PeriodWeek, 0, "2026-06-08", "2026-06-14", "vecka 24 2026"},
		{PeriodMonth, 0, "2026-06-01", "2026-06-30", "juni 2026"},
		{PeriodTertial, 0, "2026-05-01", "2026-08-31", "tertial 2 2026"},
		{PeriodYear, 0, "2026-01-01", "2026-12-31", "2026"},
		{PeriodCustom, day + 5, "2026-06-10", "2026-06-15", "2026-06-10 – 2026-06-15"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			p, err := NewPeriod(tt.kind, day, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			if p.From.String() != tt.from || p.To.String() != tt.by || p.Label != tt.label || p.Kind != tt.kind {
				t.Errorf("period = %v–%v %q, want %s–%s %q", p.From, p.To, p.Label, tt.from, tt.by, tt.label)
			}
		})
	}
	// Week 1 of 2027 starts in 2026.
	if p, _ := NewPeriod(PeriodWeek, trygg.DateDay(2027, time.January, 2), 0); p.Label != "vecka 53 2026" {
		t.Errorf("2 January 2027 is in %q", p.Label)
	}
	for _, bad := range []struct {
		kind  PeriodKind
		day   trygg.Day
		to    trygg.Day
		field string
	}{
		{"dag", day, 0, "period"},
		{PeriodCustom, day, day - 1, "till"},
		{PeriodCustom, day, day + 366*11, "till"},
		{PeriodWeek, trygg.DateDay(1999, 1, 1), 0, "datum"},
	} {
		_, err := NewPeriod(bad.kind, bad.day, bad.to)
		if f := trygg.ErrorFields(err); len(f) != 1 || f[0].Field != bad.field {
			t.Errorf("NewPeriod(%s, %v, %v) = %v, want an error on %s", bad.kind, bad.day, bad.to, err, bad.field)
		}
	}
}

func TestIndicators(t *testing.T) {
	f := &fakeCounts{}
	for y, n := range map[int]int{2023: 2, 2024: 8, 2025: 4, 2026: 1} {
		f.add(trygg.DateDay(y, time.March, 2).Monday(), "ALI", "vald", n, trygg.OrgPolice)
	}
	f.add(trygg.DateDay(2025, time.May, 4).Monday(), "ALI", "skadegorelse", 3, trygg.OrgPolice) // no indicator
	f.add(trygg.DateDay(2025, time.May, 4).Monday(), "ERS", "anlagd_brand", 2, trygg.OrgPolice)
	// Data from March 2023 covers 2024 on: years before are no data.
	if p := build(t, f, Filter{}); fmt.Sprint(p.IndicatorYears) != "[2024 2025 2026]" || len(p.Districts[0].Indicators[0].Counts) != 3 {
		t.Errorf("years from data starting in March 2023 = %v", p.IndicatorYears)
	}
	f.add(trygg.DateDay(2022, time.January, 5), "HAG", "vald", 1, trygg.OrgPolice)
	p := build(t, f, Filter{})
	if fmt.Sprint(p.IndicatorYears) != "[2022 2023 2024 2025 2026]" || !p.IndicatorPartial {
		t.Fatalf("years = %v, partial %v", p.IndicatorYears, p.IndicatorPartial)
	}
	byCode := map[string]DistrictProfile{}
	for _, d := range p.Districts {
		byCode[d.Code] = d
	}
	vald := byCode["ALI"].Indicators[0]
	if vald.Code != "vald" || fmt.Sprint(vald.Counts) != "[0 2 8 4 1]" || fmt.Sprint(vald.Rates) != "[0 0.25 1 0.5 0.13]" {
		t.Errorf("Ålidhem våld = %+v", vald)
	}
	if vald.Trend != "ned" || vald.TrendText != "Minskade från 8 till 4 rapporter (2024–2025)." {
		t.Errorf("trend = %q %q", vald.Trend, vald.TrendText)
	}
	brand := byCode["ERS"].Indicators[3]
	if brand.Code != "brand" || fmt.Sprint(brand.Counts) != "[0 0 0 2 0]" || brand.Rates != nil || brand.Trend != "upp" {
		t.Errorf("Ersboda anlagd brand = %+v", brand)
	}
}

func TestChooseNoufailyWithFourYears(t *testing.T) {
	f := &fakeCounts{}
	for k := 0; k < 230; k++ {
		f.add(week47-weekDay*trygg.Day(k), "ALI", "vald", 1+k%3, trygg.OrgPolice)
	}
	p := build(t, f, Filter{})
	if p.Series.Method != "noufaily" || p.Series.MethodLabel != "Noufaily" || !strings.HasPrefix(p.Series.Reason, "Förbättrad Farrington") {
		t.Errorf("method %q %q: %s", p.Series.Method, p.Series.MethodLabel, p.Series.Reason)
	}
}

func TestPictureJSONRoundTrip(t *testing.T) {
	p := build(t, scenario(), Filter{Groups: []string{"Ordning och stök"}, OrgTypes: []trygg.OrgType{trygg.OrgMunicipal}})
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back Picture
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*p, back) {
		t.Errorf("picture changed through JSON:\n%s", b)
	}
}

var update = flag.Bool("update", false, "rewrite testdata/scenario.picture.json")

// TestScenarioPictureGolden keeps the scenario's picture as JSON: the plain
// data that lagesbildchart draws its golden files from, so that a change
// in what Build computes shows in review and reaches the drawings.
func TestScenarioPictureGolden(t *testing.T) {
	got, err := json.MarshalIndent(build(t, scenario(), Filter{}), "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "scenario.picture.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the scenario's picture; if the change is intended, run the test with -update, review the diff and run lagesbildchart's tests.\ngot:\n%s", path, got)
	}
}
