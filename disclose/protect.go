package disclose

import (
	"cmp"
	"math/bits"
	"slices"
)

// Sum is a count published as the sum of cells that are never published
// themselves, such as the reports of one district in one week and one
// category group. Publications that cross, like a week's counts per
// district and a tertial's counts per district and group, are sums over
// the same cells; Protect sees them together.
type Sum struct {
	C *Count
	// N is the number C stands for.
	N int
	// Cells are the cells the count adds up, each once, numbered from 0.
	Cells []int
	// Free marks a count that Protect may still withhold. The others are
	// published already and stay as they are.
	Free bool
}

// Protect withholds free sums until no withheld sum, whether withheld for
// being small or to protect another, can be computed from the shown sums
// by any linear combination of them. A withheld sum is given away exactly
// when the 0/1 vector of its cells lies in the span of the shown sums'
// vectors: then some combination of shown counts is its number.
//
// The free sums are published one by one in the order in which a reader
// loses most by their withholding: 0 first (it points out nobody and reads
// oddly withheld), then the largest, the first of equals first. Each is
// published unless that would give a withheld sum away, and is then
// withheld and protected in its turn, so that what is withheld in addition
// is the smallest counts that would complete a disclosure. Each free sum
// is decided once, so Protect always ends; withholding every free sum is
// what it comes to at worst.
//
// Protect returns the withheld sums that the shown fixed sums give away
// on their own, which no choice among the free ones can help (none when
// each fixed publication protects itself), in the order of sums.
//
// The linear algebra is done modulo the prime 2⁶¹−1, exactly, with no
// rounding. It can differ from the rationals' only where the prime
// divides a determinant of the 0/1 vectors (where rank drops modulo the
// prime): a dependence that holds modulo the prime but not over the
// rationals makes Protect withhold more than it needs (it errs on the
// safe side), while a rational combination whose denominators are a
// multiple of the prime would be missed. Sums of cells give determinants
// far below 2⁶¹ in practice; the property tests check Protect against
// exact rational elimination (package disclosetest).
func Protect(sums []Sum) []int {
	cells := 0
	for _, s := range sums {
		for _, c := range s.Cells {
			cells = max(cells, c+1)
		}
	}
	b := newBasis(cells)
	for _, s := range sums {
		if !s.Free && !s.C.Suppressed {
			b.add(b.reduce(s.Cells))
		}
	}
	type target struct {
		sum int
		r   vector // what is left of the sum's vector after the shown ones
	}
	var targets []target
	var open []int
	for i, s := range sums {
		if !s.C.Suppressed {
			continue
		}
		if r := b.reduce(s.Cells); len(r) > 0 {
			targets = append(targets, target{i, r})
		} else {
			open = append(open, i)
		}
	}
	var order []int
	for i, s := range sums {
		if s.Free && !s.C.Suppressed {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(i, j int) int {
		return cmp.Or(cmp.Compare(boolInt(sums[i].N != 0), boolInt(sums[j].N != 0)), cmp.Compare(sums[j].N, sums[i].N))
	})
	for _, i := range order {
		r := b.reduce(sums[i].Cells)
		if len(r) == 0 {
			continue // already given by what is shown: showing it tells nothing
		}
		// Shown, r joins the span: a withheld sum is then given away when
		// what is left of it is a multiple of r.
		if slices.ContainsFunc(targets, func(t target) bool { return proportional(t.r, r) }) {
			*sums[i].C = sums[i].C.Withhold()
			targets = append(targets, target{i, r})
			continue
		}
		row := b.add(r)
		for k := range targets {
			targets[k].r = eliminate(targets[k].r, row)
		}
	}
	return open
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// prime is the modulus of the linear algebra, a Mersenne prime, so that a
// product reduces with shifts.
const prime = 1<<61 - 1

func mulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	// a·b = hi·2⁶⁴ + lo, and 2⁶¹ ≡ 1.
	x := (hi<<3 | lo>>61) + lo&prime
	for x >= prime {
		x -= prime
	}
	return x
}

func subMod(a, b uint64) uint64 {
	if a >= b {
		return a - b
	}
	return a + prime - b
}

func invMod(a uint64) uint64 {
	// Fermat: a^(p−2) is a's inverse.
	r, e := uint64(1), uint64(prime-2)
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = mulMod(r, a)
		}
		a = mulMod(a, a)
	}
	return r
}

// vector is a sparse vector over the cells, its entries in the order of
// their cells, none zero.
type vector []entry

type entry struct {
	cell int
	v    uint64
}

// basis is the span of the shown sums in echelon form: rows[c], when set,
// is the row whose first cell is c, with 1 there.
type basis struct {
	rows []vector
	acc  []uint64 // scratch for reduce, all zero between calls
}

func newBasis(cells int) *basis {
	return &basis{rows: make([]vector, cells), acc: make([]uint64, cells)}
}

// reduce returns what is left of the sum of cells after subtracting the
// rows: zero at every row's first cell, and so the same for any two
// vectors that differ by a combination of the rows. It is empty exactly
// when the sum is in the span.
func (b *basis) reduce(cells []int) vector {
	if len(cells) == 0 {
		return nil
	}
	lo, hi := cells[0], cells[0]
	for _, c := range cells {
		b.acc[c] = 1
		lo, hi = min(lo, c), max(hi, c)
	}
	var out vector
	for c := lo; c <= hi; c++ {
		x := b.acc[c]
		if x == 0 {
			continue
		}
		b.acc[c] = 0
		row := b.rows[c]
		if row == nil {
			out = append(out, entry{c, x})
			continue
		}
		for _, e := range row[1:] {
			b.acc[e.cell] = subMod(b.acc[e.cell], mulMod(x, e.v))
		}
		hi = max(hi, row[len(row)-1].cell)
	}
	return out
}

// add puts r, reduced, into the basis, scaled to 1 at its first cell, and
// returns the row. An empty r adds nothing.
func (b *basis) add(r vector) vector {
	if len(r) == 0 {
		return nil
	}
	inv := invMod(r[0].v)
	row := make(vector, len(r))
	for i, e := range r {
		row[i] = entry{e.cell, mulMod(e.v, inv)}
	}
	b.rows[row[0].cell] = row
	return row
}

// eliminate returns t without row's first cell: t minus the multiple of
// row that makes it zero there. t stays zero at the other rows' first
// cells, since row is.
func eliminate(t, row vector) vector {
	k, found := slices.BinarySearchFunc(t, row[0].cell, func(e entry, c int) int { return cmp.Compare(e.cell, c) })
	if !found {
		return t
	}
	x := t[k].v
	out := make(vector, 0, len(t)+len(row))
	i, j := 0, 0
	for i < len(t) || j < len(row) {
		switch {
		case j == len(row) || i < len(t) && t[i].cell < row[j].cell:
			out = append(out, t[i])
			i++
		case i == len(t) || row[j].cell < t[i].cell:
			out = append(out, entry{row[j].cell, subMod(0, mulMod(x, row[j].v))})
			j++
		default:
			if v := subMod(t[i].v, mulMod(x, row[j].v)); v != 0 {
				out = append(out, entry{t[i].cell, v})
			}
			i, j = i+1, j+1
		}
	}
	return out
}

// proportional reports whether a is a multiple of b, both not empty.
func proportional(a, b vector) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if a[k].cell != b[k].cell || mulMod(a[k].v, b[0].v) != mulMod(b[k].v, a[0].v) {
			return false
		}
	}
	return true
}
