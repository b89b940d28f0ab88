// Package lagesbild computes the situational picture (lägesbild) that lag
// 2023:196 asks of a municipality: how much is reported where, how it
// changes, which increases are unusual and how sure that is, and the
// districts' indicators over the years. It is pure computation over a
// trygg.CountService, the areas and the categories; the result, a Picture,
// is plain data that the page, the weekly report and its PDF show.
package lagesbild

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/detect"
)

// Input is what a picture is computed from.
type Input struct {
	Filter Filter
	// Today is the current Stockholm day: weeks after it are not counted,
	// and the period's last week is the one that holds the earlier of
	// Today and the period's end.
	Today      trygg.Day
	Areas      []*trygg.Area
	Categories []*trygg.Category // archived ones too, for their names
}

const (
	// shownWeeks is the least number of weeks the chart shows.
	shownWeeks = 26
	// maxShownWeeks caps the chart of a long custom period.
	maxShownWeeks = 156
	// changeWeeks and changeBefore are the spans of the changes table:
	// the last 4 weeks against the 12 before them.
	changeWeeks  = 4
	changeBefore = 12
	// yearWeeks is "a year earlier" in weeks, as detection counts it.
	yearWeeks = 52
	// maxChanges is the length of the changes table.
	maxChanges = 10
	// indicatorYears is how many calendar years the indicators cover.
	indicatorYears = 5
)

// Build computes the picture. The caller's rights are checked by the
// CountService (ENOTFOUND for those who may not read counts). A filter
// naming unknown areas, categories, groups or organisation types, or a
// period that starts after Today, gives EINVALID naming the field.
func Build(ctx context.Context, counts trygg.CountService, in Input) (*Picture, error) {
	f := in.Filter
	cats, err := validate(f, in)
	if err != nil {
		return nil, err
	}
	end := min(f.Period.To, in.Today)
	p := &Picture{Version: PictureVersion, Filter: f, Today: in.Today}
	names := newNames(in.Areas, in.Categories)

	// The period's counts per area × category, for every area: the map
	// shows them all.
	cells, err := counts.CountCells(ctx, trygg.CountFilter{From: f.Period.From, To: end, Categories: cats, OrgTypes: f.OrgTypes})
	if err != nil {
		return nil, err
	}
	p.areaValues(cells, in.Areas, f.Areas)
	p.categoryValues(cells, names, f.Areas)

	// Weekly counts of the selection: the weeks shown, and before them
	// the history that detection and the changes need.
	last := end.Monday()
	shownFrom := min(f.Period.From.Monday(), last-7*(shownWeeks-1))
	shownFrom = max(shownFrom, last-7*(maxShownWeeks-1))
	history := max(detect.HistoryNeeded(detect.Noufaily), yearWeeks+changeWeeks)
	cube, err := counts.CountWeeks(ctx, trygg.CountFilter{From: shownFrom - trygg.Day(7*history), To: end,
		Areas: f.Areas, Categories: cats, OrgTypes: f.OrgTypes})
	if err != nil {
		return nil, err
	}
	weeks := int(last-cube.FirstMonday)/7 + 1
	total := make([]int, weeks)
	for _, s := range cube.Series {
		for i, n := range s.Counts[:min(len(s.Counts), weeks)] {
			total[i] += n
		}
	}
	p.Series = series(total, cube.FirstMonday, int(shownFrom-cube.FirstMonday)/7)
	p.Flags = flags(cube, weeks, names)
	p.Changes = changes(cube, weeks, names)

	if p.Districts, p.IndicatorYears, p.IndicatorPartial, err = indicators(ctx, counts, in.Areas, end); err != nil {
		return nil, err
	}
	p.Summary = summary(p)
	return p, nil
}

// validate checks the filter against the known codes and returns the
// categories it selects (nil: all).
func validate(f Filter, in Input) ([]string, error) {
	var v trygg.Validation
	if f.Period.From > in.Today {
		field := "datum"
		if f.Period.Kind == PeriodCustom {
			field = "fran"
		}
		v.Add(field, "Perioden har inte börjat än. Välj en period som börjar i dag eller tidigare.")
	}
	if f.Period.To < f.Period.From {
		v.Add("till", "Slutdatumet får inte vara före startdatumet.")
	}
	areas := map[string]bool{}
	for _, a := range in.Areas {
		areas[a.Code] = true
	}
	for _, a := range f.Areas {
		if !areas[a] {
			v.Add("omrade", "Området %q finns inte.", a)
			break
		}
	}
	known := map[string]bool{}
	groups := map[string][]string{}
	for _, c := range in.Categories {
		known[c.Code] = true
		groups[c.Group] = append(groups[c.Group], c.Code)
	}
	var cats []string
	for _, c := range f.Categories {
		if !known[c] {
			v.Add("kategori", "Kategorin %q finns inte.", c)
			break
		}
		cats = append(cats, c)
	}
	for _, g := range f.Groups {
		if groups[g] == nil {
			v.Add("grupp", "Kategorigruppen %q finns inte.", g)
			break
		}
		cats = append(cats, groups[g]...)
	}
	for _, t := range f.OrgTypes {
		if !t.Valid() {
			v.Add("orgtyp", "Organisationstypen %q finns inte.", string(t))
			break
		}
	}
	slices.Sort(cats)
	return slices.Compact(cats), v.Err()
}

// names looks up display names.
type names struct {
	areas map[string]string
	cats  map[string]*trygg.Category
}

func newNames(areas []*trygg.Area, cats []*trygg.Category) names {
	n := names{areas: map[string]string{}, cats: map[string]*trygg.Category{}}
	for _, a := range areas {
		n.areas[a.Code] = a.Name
	}
	for _, c := range cats {
		n.cats[c.Code] = c
	}
	return n
}

func (n names) area(code string) string { return cmp.Or(n.areas[code], code) }

func (n names) category(code string) string {
	if c := n.cats[code]; c != nil {
		return c.Name
	}
	return code
}

// Rate is n per 1,000 of population, rounded to two decimals so that the
// value is the same wherever it is computed.
func Rate(n, population int) float64 {
	if population <= 0 {
		return 0
	}
	return math.Round(float64(n)*100000/float64(population)) / 100
}

func (p *Picture) areaValues(cells []trygg.CellCount, areas []*trygg.Area, selected []string) {
	per := map[string]int{}
	for _, c := range cells {
		per[c.Area] += c.Count
	}
	for _, a := range areas {
		v := AreaValue{Code: a.Code, Name: a.Name, Population: a.Population, Count: per[a.Code],
			HasRate: a.Population > 0, Per1000: Rate(per[a.Code], a.Population), Geometry: a.Geometry,
			Selected: len(selected) == 0 || slices.Contains(selected, a.Code)}
		if v.Selected {
			p.Total += v.Count
		}
		p.Areas = append(p.Areas, v)
	}
	slices.SortStableFunc(p.Areas, func(a, b AreaValue) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Code, b.Code)) })
}

func (p *Picture) categoryValues(cells []trygg.CellCount, n names, selected []string) {
	per := map[string]int{}
	for _, c := range cells {
		if len(selected) == 0 || slices.Contains(selected, c.Area) {
			per[c.Category] += c.Count
		}
	}
	for code, count := range per {
		if count == 0 {
			continue
		}
		v := CategoryValue{Code: code, Name: n.category(code), Count: count}
		if c := n.cats[code]; c != nil {
			v.Group = c.Group
		}
		p.Categories = append(p.Categories, v)
	}
	slices.SortFunc(p.Categories, func(a, b CategoryValue) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Code, b.Code))
	})
}

// firstReport is the index of the first week with a report, or len(counts).
func firstReport(counts []int) int {
	for i, n := range counts {
		if n > 0 {
			return i
		}
	}
	return len(counts)
}

// choose picks the method for the last week of counts, from the weeks of
// history since its first report.
func choose(counts []int) (detect.Method, string) {
	last := len(counts) - 1
	return detect.Choose(max(0, last-firstReport(counts)))
}

// MethodLabel is a method's short Swedish name, as the flagged sentences
// and the chart's legend show it.
func MethodLabel(m detect.Method) string {
	switch m {
	case detect.EARSC1:
		return "EARS C1"
	case detect.EARSC2:
		return "EARS C2"
	case detect.EARSC3:
		return "EARS C3"
	case detect.Farrington:
		return "Farrington"
	case detect.Noufaily:
		return "Noufaily"
	}
	return m.String()
}

// series evaluates the weeks of counts from index from on.
func series(counts []int, firstMonday trygg.Day, from int) Series {
	m, reason := choose(counts)
	s := Series{Method: m.String(), MethodLabel: MethodLabel(m), Reason: reason}
	for _, r := range detect.Evaluate(counts, m, from) {
		monday := firstMonday + trygg.Day(7*r.Index)
		y, w := monday.ISOWeek()
		wk := Week{Monday: monday, Year: y, Week: w, Count: r.Count, Evaluated: r.Evaluated, Alarm: r.Alarm}
		if r.Evaluated && !math.IsNaN(r.UpperBound) && !math.IsInf(r.UpperBound, 0) {
			wk.HasBound, wk.UpperBound = true, r.UpperBound
		}
		s.Weeks = append(s.Weeks, wk)
	}
	return s
}

// minFlagCases is the fewest reports in the last 4 weeks of an area ×
// category that a flag needs: the rule (limit54) that the Farrington
// methods apply themselves, applied to EARS too, so that a single report in
// a quiet series is not listed as an increase.
const minFlagCases = 5

func sumInts(v []int) int {
	t := 0
	for _, n := range v {
		t += n
	}
	return t
}

// flags evaluates the last week of every area × category series of cube.
func flags(cube *trygg.WeekCube, weeks int, n names) []Flag {
	var out []Flag
	monday := cube.FirstMonday + trygg.Day(7*(weeks-1))
	year, week := monday.ISOWeek()
	for _, s := range cube.Series {
		if len(s.Counts) < weeks || s.Counts[weeks-1] == 0 {
			continue // nothing this week: nothing to flag
		}
		counts := s.Counts[:weeks]
		if recent := counts[max(0, weeks-changeWeeks):]; sumInts(recent) < minFlagCases {
			continue
		}
		m, _ := choose(counts)
		r := detect.Evaluate(counts, m, weeks-1)[0]
		if !r.Alarm {
			continue
		}
		f := Flag{Area: s.Area, AreaName: n.area(s.Area), Category: s.Category, CategoryName: n.category(s.Category),
			Monday: monday, Year: year, Week: week, Count: r.Count, UpperBound: r.UpperBound,
			Method: m.String(), MethodLabel: MethodLabel(m)}
		if math.IsInf(f.UpperBound, 0) || math.IsNaN(f.UpperBound) {
			f.UpperBound = 0
		}
		f.Sentence = fmt.Sprintf("%s — %s: %s vecka %d, förväntat högst %d (%s)",
			f.AreaName, lowerFirst(f.CategoryName), trygg.ReportsText(f.Count), week, trygg.ExpectedAtMost(f.UpperBound), f.MethodLabel)
		out = append(out, f)
	}
	excess := func(f Flag) int { return f.Count - trygg.ExpectedAtMost(f.UpperBound) }
	slices.SortFunc(out, func(a, b Flag) int {
		return cmp.Or(cmp.Compare(excess(b), excess(a)), cmp.Compare(a.AreaName, b.AreaName),
			cmp.Compare(a.CategoryName, b.CategoryName), cmp.Compare(a.Area, b.Area), cmp.Compare(a.Category, b.Category))
	})
	return out
}

// lowerFirst writes a category name inside a sentence: "Skadegörelse"
// becomes "skadegörelse".
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}

// changes compares the last 4 weeks of every series with the 12 before
// them and with the same 4 weeks a year earlier, and keeps the largest.
func changes(cube *trygg.WeekCube, weeks int, n names) []Change {
	sum := func(c []int, from, to int) int { // weeks [from, to)
		return sumInts(c[max(0, min(from, len(c))):max(0, min(to, len(c)))])
	}
	var out []Change
	for _, s := range cube.Series {
		c := s.Counts[:min(len(s.Counts), weeks)]
		ch := Change{Area: s.Area, AreaName: n.area(s.Area), Category: s.Category, CategoryName: n.category(s.Category),
			Last4:    sum(c, weeks-changeWeeks, weeks),
			Prev12:   sum(c, weeks-changeWeeks-changeBefore, weeks-changeWeeks),
			YearAgo4: sum(c, weeks-changeWeeks-yearWeeks, weeks-yearWeeks)}
		ch.VsPrevThirds = 3*ch.Last4 - ch.Prev12
		ch.VsYearAgo = ch.Last4 - ch.YearAgo4
		if ch.VsPrevThirds == 0 && ch.VsYearAgo == 0 {
			continue
		}
		out = append(out, ch)
	}
	abs := func(v int) int { return max(v, -v) }
	slices.SortFunc(out, func(a, b Change) int {
		return cmp.Or(cmp.Compare(abs(b.VsPrevThirds), abs(a.VsPrevThirds)), cmp.Compare(abs(b.VsYearAgo), abs(a.VsYearAgo)),
			cmp.Compare(b.VsPrevThirds, a.VsPrevThirds), cmp.Compare(a.AreaName, b.AreaName),
			cmp.Compare(a.CategoryName, b.CategoryName), cmp.Compare(a.Area, b.Area), cmp.Compare(a.Category, b.Category))
	})
	return out[:min(len(out), maxChanges)]
}

// summary says the picture's main points in a few sentences.
func summary(p *Picture) []string {
	out := []string{fmt.Sprintf("%s: %s i urvalet.", capitalise(p.Filter.Period.Label), trygg.ReportsText(p.Total))}
	switch len(p.Flags) {
	case 0:
		out = append(out, "Ingen ökning är flaggad som ovanlig den senaste veckan.")
	case 1:
		out = append(out, "1 ökning är flaggad som ovanlig den senaste veckan: "+p.Flags[0].Sentence+".")
	default:
		out = append(out, fmt.Sprintf("%d ökningar är flaggade som ovanliga den senaste veckan. Störst: %s.", len(p.Flags), p.Flags[0].Sentence))
	}
	out = append(out, "Metod: "+p.Series.Reason)
	return out
}

func capitalise(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// Words for a signed change, for tables: "+3", "−2", "±0".
func Signed(v int) string {
	switch {
	case v > 0:
		return fmt.Sprintf("+%d", v)
	case v < 0:
		return fmt.Sprintf("−%d", -v)
	}
	return "±0"
}

// VsPrevText writes a change in thirds of a report per 4 weeks with one
// decimal and a sign: "+4,7", "−1,3", "±0".
func VsPrevText(thirds int) string {
	if thirds == 0 {
		return "±0"
	}
	sign := "+"
	if thirds < 0 {
		sign, thirds = "−", -thirds
	}
	// thirds/3 rounded half up to one decimal, in whole numbers: tenths =
	// round(thirds·10/3).
	tenths := (thirds*10 + 1) / 3
	return fmt.Sprintf("%s%d,%d", sign, tenths/10, tenths%10)
}
