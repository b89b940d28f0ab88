package disclose

// Table is a table of counts published with its row sums, its column sums
// and its grand total.
type Table struct {
	Cells   [][]Count // Cells[r][c]
	RowSums []Count
	ColSums []Count
	Total   Count
}

// NewTable returns the published form of the counts n[r][c] (every row as
// long as the first) with their sums: every count from 1 to Threshold−1,
// sums included, withheld; then, line by line, the complements that
// WithholdSums withholds; then, where withheld counts of several rows and
// columns could still be solved together from the sums, the cheapest
// further counts that stop it. No withheld count can then be computed
// from what is shown, by any combination of the sums.
//
// Cells and sums have no key or label: the caller names them.
func NewTable(n [][]int) Table {
	rows, cols := len(n), 0
	if rows > 0 {
		cols = len(n[0])
	}
	t := Table{Cells: make([][]Count, rows), RowSums: make([]Count, rows), ColSums: make([]Count, cols)}
	rowSum, colSum, total := make([]int, rows), make([]int, cols), 0
	for r, row := range n {
		if len(row) != cols {
			panic("disclose: NewTable of rows of different lengths")
		}
		t.Cells[r] = make([]Count, cols)
		for c, v := range row {
			t.Cells[r][c] = NewCount("", "", v)
			rowSum[r], colSum[c], total = rowSum[r]+v, colSum[c]+v, total+v
		}
	}
	for r, v := range rowSum {
		t.RowSums[r] = NewCount("", "", v)
	}
	for c, v := range colSum {
		t.ColSums[c] = NewCount("", "", v)
	}
	t.Total = NewCount("", "", total)

	// The table as a graph: a vertex per sum that holds (each row, each
	// column, the row sums adding up to the total, the column sums adding
	// up to it) and an edge per count, between the two sums it is in.
	g := &sumGraph{vertices: rows + cols + 2}
	rowSums, colSums := rows+cols, rows+cols+1
	for r := range rows {
		for c := range cols {
			g.add(&t.Cells[r][c], n[r][c], r, rows+c)
		}
	}
	for r := range rows {
		g.add(&t.RowSums[r], rowSum[r], r, rowSums)
	}
	for c := range cols {
		g.add(&t.ColSums[c], colSum[c], rows+c, colSums)
	}
	g.add(&t.Total, total, rowSums, colSums)

	WithholdSums(g.lines()...)
	g.closeBridges()
	return t
}

// sumGraph is counts that add up, as a graph: each vertex is a sum of the
// counts on its edges, and each count is in exactly two sums. Withheld
// counts are unknowns of a linear system with one equation per vertex.
// The signs of a table's equations make the graph balanced, so the
// unknowns that the system leaves open are exactly those on a cycle of
// withheld edges: a withheld edge that is a bridge of the withheld edges
// can be solved for.
type sumGraph struct {
	vertices int
	edges    []sumEdge
}

type sumEdge struct {
	cell Cell
	u, v int
}

func (g *sumGraph) add(c *Count, n, u, v int) {
	g.edges = append(g.edges, sumEdge{Cell{c, n}, u, v})
}

// lines returns the counts of each sum, for WithholdSums.
func (g *sumGraph) lines() [][]Cell {
	out := make([][]Cell, g.vertices)
	for _, e := range g.edges {
		out[e.u] = append(out[e.u], e.cell)
		out[e.v] = append(out[e.v], e.cell)
	}
	return out
}

// closeBridges withholds, for each withheld count that could be solved
// for, the shown counts of the cheapest other path between its two sums,
// which puts it on a cycle of withheld counts; until none can be.
func (g *sumGraph) closeBridges() {
	for j := g.bridge(); j >= 0; j = g.bridge() {
		for _, i := range g.detour(j) {
			c := g.edges[i].cell.C
			*c = c.Withhold()
		}
	}
}

// bridge returns the first withheld edge whose ends no other path of
// withheld edges joins, or −1 if there is none.
func (g *sumGraph) bridge() int {
	for j, e := range g.edges {
		if e.cell.C.Suppressed && !g.joined(e.u, e.v, j) {
			return j
		}
	}
	return -1
}

// joined reports whether withheld edges other than edge skip lead from u
// to v.
func (g *sumGraph) joined(u, v, skip int) bool {
	seen := make([]bool, g.vertices)
	seen[u] = true
	for stack := []int{u}; len(stack) > 0; {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for i, e := range g.edges {
			if i == skip || !e.cell.C.Suppressed || (e.u != x && e.v != x) {
				continue
			}
			y := e.u + e.v - x
			if !seen[y] {
				seen[y], stack = true, append(stack, y)
			}
		}
	}
	return seen[v]
}

// detour returns the shown edges of the cheapest path between the ends of
// edge skip that does not use it. A withheld edge costs nothing, a shown
// count its number, so that small counts go first; a shown 0 costs more
// than all the rest, since a 0 points out nobody and reads oddly hidden.
func (g *sumGraph) detour(skip int) []int {
	zero := 1
	for _, e := range g.edges {
		zero += e.cell.N
	}
	cost := func(e sumEdge) int {
		switch {
		case e.cell.C.Suppressed:
			return 0
		case e.cell.N == 0:
			return zero
		}
		return e.cell.N
	}
	// Dijkstra's shortest paths, on a graph of a few dozen vertices.
	from, to := g.edges[skip].u, g.edges[skip].v
	dist, via, done := make([]int, g.vertices), make([]int, g.vertices), make([]bool, g.vertices)
	for i := range dist {
		dist[i], via[i] = -1, -1
	}
	dist[from] = 0
	for {
		x := -1
		for i := range dist {
			if !done[i] && dist[i] >= 0 && (x < 0 || dist[i] < dist[x]) {
				x = i
			}
		}
		if x < 0 || x == to {
			break
		}
		done[x] = true
		for i, e := range g.edges {
			if i == skip || (e.u != x && e.v != x) {
				continue
			}
			y := e.u + e.v - x
			if d := dist[x] + cost(e); !done[y] && (dist[y] < 0 || d < dist[y]) {
				dist[y], via[y] = d, i
			}
		}
	}
	if dist[to] < 0 {
		// Every count of a table is between a line and a sum of sums, so
		// another path always exists.
		panic("disclose: no other path between the sums of a count")
	}
	var shown []int
	for x := to; x != from; {
		e := g.edges[via[x]]
		if !e.cell.C.Suppressed {
			shown = append(shown, via[x])
		}
		x = e.u + e.v - x
	}
	return shown
}
