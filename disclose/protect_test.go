package disclose_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/disclose/disclosetest"
)

// sumsOf makes sums over cells with the values of cells: each spec is
// its cells, and whether it is free.
type spec struct {
	cells []int
	free  bool
}

func sumsOf(values []int, specs []spec) ([]disclose.Sum, []disclose.Count) {
	counts := make([]disclose.Count, len(specs))
	sums := make([]disclose.Sum, len(specs))
	for i, sp := range specs {
		n := 0
		for _, c := range sp.cells {
			n += values[c]
		}
		counts[i] = disclose.NewCount("", "", n)
		sums[i] = disclose.Sum{C: &counts[i], N: n, Cells: sp.cells, Free: sp.free}
	}
	return sums, counts
}

func shown(counts []disclose.Count) string {
	out := make([]byte, len(counts))
	for i, c := range counts {
		out[i] = '.'
		if c.Suppressed {
			out[i] = 'x'
		}
	}
	return string(out)
}

func TestProtect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		values []int
		specs  []spec
		want   string
		open   []int
	}{
		// A fixed total of two cells; the free 3 is withheld, and so its
		// free neighbour, which with the total would give it away.
		{"complement", []int{3, 7}, []spec{{[]int{0, 1}, false}, {[]int{0}, true}, {[]int{1}, true}}, ".xx", nil},
		// The same, with the total withheld: nothing more is needed.
		{"no total", []int{3, 7}, []spec{{[]int{0}, true}, {[]int{1}, true}}, "x.", nil},
		// A fixed total over a withheld count: the free counts are shown
		// 0 first, then the largest, so that the one that would complete
		// the sum, and is withheld, is the smallest.
		{"smallest goes", []int{2, 0, 9, 6}, []spec{{[]int{0, 1, 2, 3}, false},
			{[]int{0}, true}, {[]int{1}, true}, {[]int{2}, true}, {[]int{3}, true}}, ".x..x", nil},
		// A fixed publication that gives its own withheld count away
		// cannot be helped.
		{"fixed gives away", []int{3, 7}, []spec{{[]int{0, 1}, false}, {[]int{1}, false}, {[]int{0}, false}}, "..x", []int{2}},
		// Across three shown sums, the withheld one is a combination of
		// all of them: the free one of the three is withheld.
		{"combination", []int{1, 5, 5, 2}, []spec{{[]int{0, 1}, false}, {[]int{1, 2}, false}, {[]int{2, 3}, true}, {[]int{0, 3}, false}},
			"..xx", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sums, counts := sumsOf(tt.values, tt.specs)
			open := disclose.Protect(sums)
			if got := shown(counts); got != tt.want {
				t.Errorf("withheld %s, want %s", got, tt.want)
			}
			if !slices.Equal(open, tt.open) {
				t.Errorf("open %v, want %v", open, tt.open)
			}
			if det := disclosetest.Determined(sums); !slices.Equal(det, tt.open) {
				t.Errorf("determined %v, want %v", det, tt.open)
			}
		})
	}
}

// TestProtectProperty checks Protect on random sums over random cells
// against exact rational elimination: the withheld sums that can be
// solved for afterwards are exactly those that the fixed sums gave away
// on their own, every small count stays withheld, and every shown count
// is exact.
func TestProtectProperty(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2026, 61))
	for i := range 2000 {
		cells := 1 + rng.IntN(10)
		values := make([]int, cells)
		for c := range values {
			switch rng.IntN(3) {
			case 0:
				values[c] = rng.IntN(3)
			default:
				values[c] = rng.IntN(12)
			}
		}
		var specs []spec
		for range 1 + rng.IntN(14) {
			var sp spec
			for c := range cells {
				if rng.IntN(3) == 0 {
					sp.cells = append(sp.cells, c)
				}
			}
			if len(sp.cells) == 0 {
				sp.cells = []int{rng.IntN(cells)}
			}
			sp.free = rng.IntN(2) == 0
			specs = append(specs, sp)
		}
		sums, counts := sumsOf(values, specs)
		before := slices.Clone(counts)
		open := disclose.Protect(sums)
		desc := fmt.Sprintf("case %d: values %v, sums %v", i, values, specs)
		if det := disclosetest.Determined(sums); !slices.Equal(det, open) {
			t.Fatalf("%s: determined %v, Protect says %v", desc, det, open)
		}
		for k, s := range sums {
			switch {
			case !s.Free && counts[k] != before[k]:
				t.Fatalf("%s: fixed sum %d changed", desc, k)
			case disclose.Withheld(s.N) && !counts[k].Suppressed:
				t.Fatalf("%s: small sum %d shown", desc, k)
			case !counts[k].Suppressed && counts[k].Count != s.N:
				t.Fatalf("%s: sum %d shown as %d", desc, k, counts[k].Count)
			}
		}
		// What the fixed sums give away on their own is found alike.
		for k := range sums {
			sums[k].C = &before[k]
		}
		var fixed []disclose.Sum
		for _, s := range sums {
			if !s.Free || s.C.Suppressed {
				fixed = append(fixed, s)
			}
		}
		if got, want := disclose.Protect(slices.Clone(fixed)), disclosetest.Determined(fixed); !slices.Equal(got, want) {
			t.Fatalf("%s: without the free sums Protect finds %v, exact %v", desc, got, want)
		}
	}
}

// BenchmarkProtect protects a tertial's table of districts × groups
// against the weeks in it: 12 districts, 8 groups, 19 weeks, each week's
// districts, groups and total fixed with WithholdSums.
func BenchmarkProtect(b *testing.B) {
	const districts, groups, weeks = 12, 8, 19
	rng := rand.New(rand.NewPCG(1, 2))
	values := make([]int, districts*groups*weeks)
	for i := range values {
		values[i] = rng.IntN(4)
	}
	cell := func(d, g, w int) int { return (w*districts+d)*groups + g }
	var specs []spec
	var weekly [][]int // per week: the districts, the groups, the total
	for w := range weeks {
		first := len(specs)
		var total []int
		for d := range districts {
			var sp spec
			for g := range groups {
				sp.cells = append(sp.cells, cell(d, g, w))
			}
			total = append(total, sp.cells...)
			specs = append(specs, sp)
		}
		for g := range groups {
			var sp spec
			for d := range districts {
				sp.cells = append(sp.cells, cell(d, g, w))
			}
			specs = append(specs, sp)
		}
		specs = append(specs, spec{cells: total})
		weekly = append(weekly, []int{first, len(specs)})
	}
	for d := range districts {
		for g := range groups {
			sp := spec{free: true}
			for w := range weeks {
				sp.cells = append(sp.cells, cell(d, g, w))
			}
			specs = append(specs, sp)
		}
	}
	for b.Loop() {
		sums, _ := sumsOf(values, specs)
		for _, wk := range weekly {
			lines := [2][]disclose.Cell{}
			for k := wk[0]; k < wk[1]; k++ {
				c := disclose.Cell{C: sums[k].C, N: sums[k].N}
				switch {
				case k < wk[0]+districts:
					lines[0] = append(lines[0], c)
				case k < wk[1]-1:
					lines[1] = append(lines[1], c)
				default:
					lines[0], lines[1] = append(lines[0], c), append(lines[1], c)
				}
			}
			disclose.WithholdSums(lines[:]...)
		}
		if open := disclose.Protect(sums); len(open) > 0 {
			b.Fatalf("open %v", open)
		}
	}
}
