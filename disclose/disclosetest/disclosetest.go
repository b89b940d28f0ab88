// Package disclosetest checks published counts the slow and certain way,
// for the tests of disclose and of the packages that publish through it:
// exact Gaussian elimination over the rationals.
package disclosetest

import (
	"math/big"

	"github.com/trygg-est/trygg/disclose"
)

// Determined returns, in the order of sums, the withheld sums that the
// shown ones determine: those whose 0/1 vector of cells is a rational
// linear combination of the shown sums' vectors, so that the same
// combination of the shown counts is their number.
func Determined(sums []disclose.Sum) []int {
	cells := 0
	for _, s := range sums {
		for _, c := range s.Cells {
			cells = max(cells, c+1)
		}
	}
	b := basis{rows: make([][]*big.Rat, cells)}
	for _, s := range sums {
		if s.C.Suppressed {
			continue
		}
		if r, first := b.reduce(s.Cells); first >= 0 {
			inv := new(big.Rat).Inv(r[first])
			for c := first; c < cells; c++ {
				if r[c] != nil {
					r[c].Mul(r[c], inv)
				}
			}
			b.rows[first] = r
		}
	}
	var found []int
	for i, s := range sums {
		if _, first := b.reduce(s.Cells); s.C.Suppressed && first < 0 {
			found = append(found, i)
		}
	}
	return found
}

// basis holds rows in echelon form: rows[c], when set, is dense with 1 at
// c and nothing before it.
type basis struct{ rows [][]*big.Rat }

// reduce subtracts rows from the sum of cells until no row's first cell
// is left in it, and returns what is left and its first cell, or −1 when
// nothing is.
func (b *basis) reduce(cells []int) ([]*big.Rat, int) {
	v := make([]*big.Rat, len(b.rows))
	for _, c := range cells {
		v[c] = big.NewRat(1, 1)
	}
	first := -1
	for c := range v {
		if v[c] == nil || v[c].Sign() == 0 {
			continue
		}
		row := b.rows[c]
		if row == nil {
			if first < 0 {
				first = c
			}
			continue
		}
		x := new(big.Rat).Set(v[c])
		for k := c; k < len(row); k++ {
			if row[k] == nil {
				continue
			}
			if v[k] == nil {
				v[k] = new(big.Rat)
			}
			v[k].Sub(v[k], new(big.Rat).Mul(x, row[k]))
		}
	}
	return v, first
}
