package disclose

// WithholdComplement withholds a second count of a group whose total is
// shown when exactly one of its counts is withheld, since that one could
// otherwise be worked out as the total minus the others: the smallest
// other count above zero (the first of equals). n holds the group's
// counts in the order of group. It reports whether a count was withheld.
func WithholdComplement(group []Count, n []int) bool {
	hidden, pick := 0, -1
	for i, c := range group {
		switch {
		case c.Suppressed:
			hidden++
		case n[i] > 0 && (pick < 0 || n[i] < n[pick]):
			pick = i
		}
	}
	if hidden != 1 || pick < 0 {
		return false
	}
	group[pick] = group[pick].Withhold()
	return true
}

// Cell is a published count in one or more groups, and the number it
// stands for.
type Cell struct {
	C *Count
	N int
}

// WithholdSums withholds counts until no group has a single withheld
// count, which its sum would give away. A group is counts that add up to
// a total, with the total itself among them when it is shown.
// WithholdComplement is applied to every group, again until none changes,
// since a count withheld for one group may leave a single withheld count
// in another it belongs to.
//
// This is the rule line by line. Where the groups cross, as the rows and
// columns of a table do, counts withheld in several lines can still be
// solved together; NewTable protects against that too.
func WithholdSums(groups ...[]Cell) {
	for changed := true; changed; {
		changed = false
		for _, g := range groups {
			counts, n := make([]Count, len(g)), make([]int, len(g))
			for i, c := range g {
				counts[i], n[i] = *c.C, c.N
			}
			if WithholdComplement(counts, n) {
				for i, c := range g {
					*c.C = counts[i]
				}
				changed = true
			}
		}
	}
}
