package disclose_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/disclose/disclosetest"
)

func TestNewTable(t *testing.T) {
	tests := []struct {
		name string
		n    [][]int
		want []string // per row, the cells then the row sum; last the column sums then the total
	}{
		{"nothing small", [][]int{{10, 20}, {30, 40}}, []string{"...", "...", "..."}},
		{"zeros shown", [][]int{{0, 0}, {0, 7}}, []string{"...", "...", "..."}},
		// The 3 alone in its row and its column: the 6 beside it, the 8
		// below it and the 9 across, so that the four form a cycle.
		{"one small", [][]int{{3, 6, 10}, {8, 9, 10}, {10, 10, 10}}, []string{"xx..", "xx..", "....", "...."}},
		// The row's only count is small, and so is its sum: the two are
		// withheld together, and the column's 20 and the other row's sum
		// with them, so that the four form a cycle.
		{"small row", [][]int{{3, 0}, {20, 30}}, []string{"x.x", "x.x", "..."}},
		{"one by one", [][]int{{2}}, []string{"xx", "xx"}},
		// Line by line, no sum has a single withheld count, yet the 12
		// joins two cycles of withheld counts and follows from the sums;
		// more of the first row is withheld to stop it.
		{"two cycles joined", [][]int{{2, 23, 12}, {24, 0, 37}, {0, 3, 34}, {9, 0, 0}, {26, 19, 2}},
			[]string{"xxxx", "....", ".xx.", "x..x", ".xx.", "...."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := disclose.NewTable(tt.n)
			var got []string
			for r, row := range tab.Cells {
				got = append(got, pattern(append(row, tab.RowSums[r]), append(tt.n[r], rowSum(tt.n[r]))))
			}
			cols, sums := colSums(tt.n)
			got = append(got, pattern(append(tab.ColSums, tab.Total), append(cols, sums)))
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if open := solvable(tt.n, tab); len(open) > 0 {
				t.Errorf("%v can be solved for", open)
			}
		})
	}
}

// TestNewTableProtects is the property that matters: for many random
// tables, every small count is withheld, every shown count is exact, and
// no withheld count can be worked out from what is shown, neither by
// filling in one line at a time nor by any combination of the sums.
func TestNewTableProtects(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 12))
	for i := range 3000 {
		rows, cols := 1+rng.IntN(6), 1+rng.IntN(6)
		n := make([][]int, rows)
		for r := range n {
			n[r] = make([]int, cols)
			for c := range n[r] {
				switch rng.IntN(4) {
				case 0:
					n[r][c] = 0
				case 1:
					n[r][c] = 1 + rng.IntN(disclose.Threshold-1)
				default:
					n[r][c] = rng.IntN(40)
				}
			}
		}
		tab := disclose.NewTable(n)
		values, counts := flatten(n, tab)
		for k, c := range counts {
			if disclose.Withheld(values[k]) && !c.Suppressed {
				t.Fatalf("table %d %v: a small count %d is shown", i, n, values[k])
			}
			if c.Suppressed && c.Count != 0 || !c.Suppressed && c.Count != values[k] {
				t.Fatalf("table %d %v: count %d published as %+v", i, n, values[k], c)
			}
		}
		if open := lineByLine(n, tab); len(open) > 0 {
			t.Fatalf("table %d %v: counts %v can be filled in line by line", i, n, open)
		}
		if open := solvable(n, tab); len(open) > 0 {
			t.Fatalf("table %d %v: counts %v can be solved for", i, n, open)
		}
	}
}

func rowSum(row []int) int {
	s := 0
	for _, v := range row {
		s += v
	}
	return s
}

func colSums(n [][]int) ([]int, int) {
	cols := make([]int, len(n[0]))
	total := 0
	for _, row := range n {
		for c, v := range row {
			cols[c] += v
			total += v
		}
	}
	return cols, total
}

// flatten lists the table's numbers and their published counts: the
// cells row by row, the row sums, the column sums, the total.
func flatten(n [][]int, tab disclose.Table) ([]int, []disclose.Count) {
	var values []int
	var counts []disclose.Count
	for r, row := range n {
		values = append(values, row...)
		counts = append(counts, tab.Cells[r]...)
	}
	for r, row := range n {
		values = append(values, rowSum(row))
		counts = append(counts, tab.RowSums[r])
	}
	cols, total := colSums(n)
	values = append(append(values, cols...), total)
	counts = append(append(counts, tab.ColSums...), tab.Total)
	return values, counts
}

// equations returns the sums of the table as lists of +1/−1 terms over
// the indexes of flatten: each row and each column adds up to its sum,
// and the row sums and the column sums to the total.
func equations(n [][]int) [][]term {
	rows, cols := len(n), len(n[0])
	rowAt, colAt, total := rows*cols, rows*cols+rows, rows*cols+rows+cols
	var eqs [][]term
	for r := range rows {
		eq := []term{{rowAt + r, -1}}
		for c := range cols {
			eq = append(eq, term{r*cols + c, 1})
		}
		eqs = append(eqs, eq)
	}
	for c := range cols {
		eq := []term{{colAt + c, -1}}
		for r := range rows {
			eq = append(eq, term{r*cols + c, 1})
		}
		eqs = append(eqs, eq)
	}
	var byRow, byCol []term
	for r := range rows {
		byRow = append(byRow, term{rowAt + r, 1})
	}
	for c := range cols {
		byCol = append(byCol, term{colAt + c, 1})
	}
	return append(eqs, append(byRow, term{total, -1}), append(byCol, term{total, -1}))
}

type term struct{ at, sign int }

// lineByLine fills in, again and again, every sum with a single withheld
// count, and returns the withheld counts so found.
func lineByLine(n [][]int, tab disclose.Table) []int {
	_, counts := flatten(n, tab)
	known := make([]bool, len(counts))
	for k, c := range counts {
		known[k] = !c.Suppressed
	}
	var found []int
	for changed := true; changed; {
		changed = false
		for _, eq := range equations(n) {
			unknown := -1
			for _, tm := range eq {
				if !known[tm.at] {
					if unknown >= 0 {
						unknown = -2
						break
					}
					unknown = tm.at
				}
			}
			if unknown >= 0 {
				known[unknown], found, changed = true, append(found, unknown), true
			}
		}
	}
	return found
}

// solvable returns the withheld counts that the shown ones determine, by
// exact rational elimination (disclosetest.Determined): the table's cells
// are the unknowns, and each count, sum or not, is a sum of them.
func solvable(n [][]int, tab disclose.Table) []int {
	values, counts := flatten(n, tab)
	rows, cols := len(n), len(n[0])
	sums := make([]disclose.Sum, len(counts))
	for k := range counts {
		sums[k] = disclose.Sum{C: &counts[k], N: values[k]}
	}
	for r := range rows {
		for c := range cols {
			cell := r*cols + c
			for _, k := range []int{cell, rows*cols + r, rows*cols + rows + c, len(counts) - 1} {
				sums[k].Cells = append(sums[k].Cells, cell)
			}
		}
	}
	return disclosetest.Determined(sums)
}
