package opendata

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/disclose/disclosetest"
)

func TestTertials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		t        Tertial
		from, to string
		weeks    string
	}{
		{Tertial{2026, 1}, "2026-01-01", "2026-04-30", "2026-W01 2026-W18"},
		{Tertial{2024, 1}, "2024-01-01", "2024-04-30", "2024-W01 2024-W18"},
		{Tertial{2026, 2}, "2026-05-01", "2026-08-31", "2026-W18 2026-W36"},
		{Tertial{2026, 3}, "2026-09-01", "2026-12-31", "2026-W36 2026-W53"},
	} {
		if got := tc.t.From().String() + " " + tc.t.To().String(); got != tc.from+" "+tc.to {
			t.Errorf("%v spans %s, want %s %s", tc.t, got, tc.from, tc.to)
		}
		if first, last := tc.t.Weeks(); first.Code()+" "+last.Code() != tc.weeks {
			t.Errorf("%v has the weeks %s to %s, want %s", tc.t, first.Code(), last.Code(), tc.weeks)
		}
	}
	if got := (Tertial{2026, 2}).Label(); got != "tertial 2 2026 (maj–augusti)" {
		t.Errorf("label %q", got)
	}
	for _, tc := range []struct {
		today trygg.Day
		want  []Tertial
	}{
		// Tertial 1 2026 ends on Thursday 30 April, its last week on
		// Sunday 3 May: its table is public from Monday 4 May.
		{trygg.DateDay(2026, time.May, 3), []Tertial{{2025, 3}, {2025, 2}, {2025, 1}, {2024, 3}}},
		{trygg.DateDay(2026, time.May, 4), []Tertial{{2026, 1}, {2025, 3}, {2025, 2}, {2025, 1}}},
		{trygg.DateDay(2027, time.January, 1), []Tertial{{2026, 2}, {2026, 1}, {2025, 3}, {2025, 2}}},
	} {
		if got := EndedTertials(tc.today, 4); !slices.Equal(got, tc.want) {
			t.Errorf("ended tertials on %s = %v, want %v", tc.today, got, tc.want)
		}
	}
}

// publications returns every count published about the days of tt, as
// sums over its cells (a district, a category group and a week piece: the
// part of a week inside tt): each overlapping week's districts, groups and
// total as the week's public picture shows them (BuildWeek), the totals
// of the trends that show those weeks, and table, the tertial's table.
// Days outside tt are taken as known to the reader, so a week's count is
// a sum over its days inside tt; this is the model BuildTertial promises
// to be safe in, which implies safety with less known. Each sum is named,
// "2026-W20 b" or "a g2" (the table's).
func publications(tt Tertial, areas []*trygg.Area, groups []string, cells []Cell, table map[string][]disclose.Count, tableGroups []string) ([]disclose.Sum, []string) {
	first, last := tt.Weeks()
	areaKeys, groupKeys := map[string]int{}, map[string]int{}
	for _, a := range areas {
		areaKeys[a.Code] = len(areaKeys)
	}
	for _, g := range tableGroups {
		groupKeys[g] = len(groupKeys)
	}
	for _, c := range cells {
		if _, ok := areaKeys[c.Area]; !ok {
			areaKeys[c.Area] = len(areaKeys)
		}
		if _, ok := groupKeys[c.Group]; !ok {
			groupKeys[c.Group] = len(groupKeys)
		}
	}
	weeks := int(last.Monday()-first.Monday())/7 + 1
	cell := func(a, g, w int) int { return (w*len(areaKeys)+a)*len(groupKeys) + g }
	sumOf := func(c *disclose.Count, in func(a, g, w int) bool) disclose.Sum {
		s := disclose.Sum{C: c}
		for w := range weeks {
			for a := range len(areaKeys) {
				for g := range len(groupKeys) {
					if in(a, g, w) {
						s.Cells = append(s.Cells, cell(a, g, w))
					}
				}
			}
		}
		return s
	}
	var sums []disclose.Sum
	var names []string
	add := func(name string, s disclose.Sum) { sums, names = append(sums, s), append(names, name) }
	for w := range weeks {
		week := trygg.WeekOf(first.Monday() + trygg.Day(7*w))
		pic := BuildWeek(week, areas, groups, cells)
		for i := range pic.Districts {
			a := areaKeys[pic.Districts[i].Key]
			add(week.Code()+" "+pic.Districts[i].Key, sumOf(&pic.Districts[i], func(a2, _, w2 int) bool { return a2 == a && w2 == w }))
		}
		for i := range pic.Groups {
			g := groupKeys[pic.Groups[i].Key]
			add(week.Code()+" "+pic.Groups[i].Key, sumOf(&pic.Groups[i], func(_, g2, w2 int) bool { return g2 == g && w2 == w }))
		}
		for i := range pic.Trend {
			if wt := int(pic.Trend[i].Week.Monday()-first.Monday()) / 7; wt >= 0 {
				add(pic.Trend[i].Week.Code(), sumOf(&pic.Trend[i].Count, func(_, _, w2 int) bool { return w2 == wt }))
			}
		}
	}
	for _, a := range areas {
		row := table[a.Code]
		for i := range row {
			g := groupKeys[tableGroups[i]]
			add(a.Code+" "+tableGroups[i], sumOf(&row[i], func(a2, g2, _ int) bool { return a2 == areaKeys[a.Code] && g2 == g }))
		}
	}
	return sums, names
}

// plainTable is the tertial's table with only its small counts withheld,
// as it was published before it was planned against the weeks.
func plainTable(tt Tertial, tab *TertialTable, cells []Cell) map[string][]disclose.Count {
	n := map[[2]string]int{}
	for _, c := range cells {
		if c.Day >= tt.From() && c.Day <= tt.To() {
			n[[2]string{c.Area, c.Group}] += c.N
		}
	}
	out := map[string][]disclose.Count{}
	for area := range tab.Districts {
		for _, g := range tab.Groups {
			out[area] = append(out[area], disclose.NewCount(g, g, n[[2]string{area, g}]))
		}
	}
	return out
}

// TestBuildTertialAttacks is the two ways of combining the weeks with the
// tertial's table of issue 13, each closed by the plan.
func TestBuildTertialAttacks(t *testing.T) {
	t.Parallel()
	tt := Tertial{2026, 2} // 1 May (a Friday) to 31 August (a Monday)
	areas := []*trygg.Area{{Code: "a", Name: "A"}, {Code: "b", Name: "B"}}
	groups := []string{"g1", "g2"}
	first, last := tt.Weeks()
	var steady []Cell // every week: 6 in a of g1
	for mon := first.Monday(); mon <= last.Monday(); mon += 7 {
		steady = append(steady, Cell{mon + 2, "a", "g1", 6})
	}
	mid := first.Monday() + 7*5 + 2 // a Wednesday in the sixth week
	for _, tc := range []struct {
		name     string
		extra    []Cell
		attack   string   // the count the attack recovers
		withheld []string // what the plan's table withholds
	}{
		// a's 3 of g2 fall in a week where a's 9 in all are shown: the
		// sum of a's weeks less a's shown g1 gives the withheld g2.
		{"weeks give a withheld group of the table", []Cell{{mid, "a", "g2", 3}}, "a g2", []string{"a g1", "a g2"}},
		// b has 2 in a week, withheld, and a's 6 with it; b's row of the
		// table is all shown (8 of g2): the row less b's other weeks
		// gives the week's 2. a's row, all shown, would give a's 6 the
		// same way: the plan withholds a count of each row.
		{"table gives a withheld week", []Cell{{mid, "b", "g2", 2}, {mid + 7, "b", "g2", 6}}, trygg.WeekOf(mid).Code() + " b", []string{"a g1", "b g2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cells := append(slices.Clone(steady), tc.extra...)
			tab := BuildTertial(tt, areas, groups, cells)
			plain, names := publications(tt, areas, groups, cells, plainTable(tt, tab, cells), tab.Groups)
			var found []string
			for _, i := range disclosetest.Determined(plain) {
				found = append(found, names[i])
			}
			if !slices.Contains(found, tc.attack) {
				t.Fatalf("the attack on %s does not work on the plain table: %v can be solved for", tc.attack, found)
			}
			planned, names := publications(tt, areas, groups, cells, tab.Districts, tab.Groups)
			if open := disclosetest.Determined(planned); len(open) > 0 {
				t.Errorf("with the plan, %v can be solved for", open)
			}
			var withheld []string
			for i, s := range planned {
				if s.C.Suppressed && !strings.HasPrefix(names[i], "20") {
					withheld = append(withheld, names[i])
				}
			}
			if !slices.Equal(withheld, tc.withheld) {
				t.Errorf("the table withholds %v, want %v", withheld, tc.withheld)
			}
		})
	}
}

// TestBuildTertialProtects is the property: for random cubes of reports
// (many zeros and small counts, weeks across the tertial's borders, a
// district and a group outside the lists), every small count of the
// table is withheld, every shown count is exact, and no withheld count
// of the table, of the weeks or of the trends can be solved for from all
// that is shown, by exact rational elimination.
func TestBuildTertialProtects(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(13, 2026))
	for i := range 60 {
		tt := Tertial{2025 + rng.IntN(3), 1 + rng.IntN(3)}
		var areas []*trygg.Area
		for a := range 2 + rng.IntN(2) {
			areas = append(areas, &trygg.Area{Code: fmt.Sprint("d", a), Name: fmt.Sprint("D", a)})
		}
		groups := []string{"g0", "g1", "g2"}[:2+rng.IntN(2)]
		codes := []string{"utanför"} // a district not listed
		for _, a := range areas {
			codes = append(codes, a.Code)
		}
		grps := append(slices.Clone(groups), "arkiverad")
		rate := 0.02 + 0.3*rng.Float64()
		first, last := tt.Weeks()
		var cells []Cell
		for day := TrendFrom(first); day <= last.Sunday(); day++ {
			for _, a := range codes {
				for _, g := range grps {
					if rng.Float64() < rate {
						cells = append(cells, Cell{day, a, g, 1 + rng.IntN(2)})
					}
				}
			}
		}
		tab := BuildTertial(tt, areas, groups, cells)
		desc := fmt.Sprintf("case %d (%v, %d districts, %d groups, rate %.2f)", i, tt, len(areas), len(groups), rate)
		plain := plainTable(tt, tab, cells)
		for code, row := range tab.Districts {
			for g, c := range row {
				p := plain[code][g]
				if p.Suppressed && !c.Suppressed || !c.Suppressed && c.Count != p.Count {
					t.Fatalf("%s: %s %s published as %+v, plain %+v", desc, code, tab.Groups[g], c, p)
				}
			}
		}
		sums, _ := publications(tt, areas, groups, cells, tab.Districts, tab.Groups)
		if open := disclosetest.Determined(sums); len(open) > 0 {
			t.Fatalf("%s: counts %v can be solved for", desc, open)
		}
	}
}

func BenchmarkBuildTertial(b *testing.B) {
	for _, size := range []struct{ areas, groups int }{{12, 8}, {30, 8}} {
		b.Run(fmt.Sprintf("%dx%d", size.areas, size.groups), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			tt := Tertial{2026, 2}
			var areas []*trygg.Area
			for a := range size.areas {
				areas = append(areas, &trygg.Area{Code: fmt.Sprint("d", a), Name: fmt.Sprint("D", a)})
			}
			var groups []string
			for g := range size.groups {
				groups = append(groups, fmt.Sprint("g", g))
			}
			first, last := tt.Weeks()
			var cells []Cell
			for day := first.Monday(); day <= last.Sunday(); day++ {
				for _, a := range areas {
					for _, g := range groups {
						if rng.IntN(10) == 0 {
							cells = append(cells, Cell{day, a.Code, g, 1})
						}
					}
				}
			}
			for b.Loop() {
				BuildTertial(tt, areas, groups, cells)
			}
		})
	}
}
