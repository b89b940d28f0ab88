package operativ

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
)

// Stats are the aggregates of operativ samverkan. For samordnare and
// läsare, with whom they are shared, they are published by the rule of
// package disclose: every count from 1 to disclose.Threshold-1 is
// withheld, with the complements that would give it away; those who work
// the operations see them exact.
type Stats struct {
	Exact       bool             // nothing is withheld
	Months      []disclose.Count // operations per month, Key "2025-03"
	Years       []disclose.Count // operations per year, Key "2025": a month's few operations are withheld, a year's rarely
	ByDistrict  []disclose.Count // operations per district, Key the area code
	ByMonthArea []MonthAreaCount
	ByRole      []disclose.Count // contacts per role
	Contacts    disclose.Count
	Accepted    disclose.Share // support accepted of support offered
	Services    []ServiceStats // referrals per service and how far they got
	// OfferToFirstContact is the median number of days from offer to
	// first contact, over FirstContactN referrals; shown only when
	// FirstContactN is not disclose.TooFew. FirstContactN itself is not
	// shown: it is the total of the services' first contacts.
	OfferToFirstContact float64
	FirstContactN       int
}

// MonthAreaCount is the number of operations in one district one month.
type MonthAreaCount struct {
	Month    string
	AreaName string
	disclose.Count
}

// ServiceStats counts the referrals to one service that reached at least
// each status, in the order of ReferralStatuses.
type ServiceStats struct {
	Name    string
	Reached []disclose.Count
}

// OperationRow is an operation as the statistics count it.
type OperationRow struct {
	At       time.Time // counted in its month in Stockholm
	AreaName string
}

// ContactRow is a contact as the statistics count it.
type ContactRow struct {
	Role            string
	SupportOffered  bool
	SupportAccepted bool
}

// StatsInput is everything the statistics are computed from.
type StatsInput struct {
	Operations []OperationRow
	Contacts   []ContactRow
	Services   []*SupportService // in the order they are listed
	Referrals  []*Referral       // with their steps
}

// ComputeStats returns the aggregates of in. exact is for those who work
// the operations (they read every operation anyway): every count as it
// is. Otherwise, for samordnare and läsare, the counts are published by
// the rule of package disclose, with the complements that would give a
// withheld count away.
func ComputeStats(in StatsInput, exact bool) *Stats {
	c := counter{exact: exact}
	st := &Stats{Exact: exact}
	countOperations(st, c, in.Operations)
	countContacts(st, c, in.Contacts)
	st.Services = countReferrals(c, in.Services, in.Referrals)
	st.OfferToFirstContact, st.FirstContactN = offerToFirstContact(c, in.Referrals)
	return st
}

// month is a calendar month, counted as year*12 + month−1.
type month int

func monthOf(y int, m time.Month) month { return month(y*12 + int(m) - 1) }

func (m month) year() int            { return int(m) / 12 }
func (m month) calendar() time.Month { return time.Month(int(m)%12 + 1) }
func (m month) key() string          { return fmt.Sprintf("%04d-%02d", m.year(), m.calendar()) }
func (m month) label() string        { return trygg.MonthLabel(m.year(), m.calendar()) }

// monthTally counts by month, from the first month counted to the last.
type monthTally struct {
	n           map[month]int
	first, last month
}

func (t *monthTally) add(m month) {
	if t.n == nil {
		t.n, t.first, t.last = map[month]int{}, m, m
	}
	t.first, t.last = min(t.first, m), max(t.last, m)
	t.n[m]++
}

// each calls f for every month from the first to the last, none when
// nothing was counted.
func (t *monthTally) each(f func(m month, n int)) {
	if t.n == nil {
		return
	}
	for m := t.first; m <= t.last; m++ {
		f(m, t.n[m])
	}
}

// counts returns the count of every month from the first to the last.
func (t *monthTally) counts(c counter) []disclose.Count {
	var out []disclose.Count
	t.each(func(m month, n int) { out = append(out, c.count(m.key(), m.label(), n)) })
	return out
}

// operationTally is the operations counted by month, by district and by
// both.
type operationTally struct {
	months    monthTally
	districts map[string]int
	cells     map[monthDistrict]int
}

type monthDistrict struct {
	month    month
	district string
}

func tallyOperations(rows []OperationRow) operationTally {
	t := operationTally{districts: map[string]int{}, cells: map[monthDistrict]int{}}
	for _, r := range rows {
		at := r.At.In(trygg.Stockholm)
		m := monthOf(at.Year(), at.Month())
		t.months.add(m)
		t.districts[r.AreaName]++
		t.cells[monthDistrict{m, r.AreaName}]++
	}
	return t
}

// years returns the count of every year from the first month's to the
// last's.
func (t *operationTally) years() (first int, n []int) {
	t.months.each(func(m month, k int) {
		if len(n) == 0 {
			first = m.year()
		}
		for first+len(n) <= m.year() {
			n = append(n, 0)
		}
		n[m.year()-first] += k
	})
	return first, n
}

// publishedCells returns the cells of the table that are listed: those
// with operations, and a 0 that is withheld (rarely, the only way to
// protect another cell; listed so that it does not read as none). Newest
// month first, districts in order within a month.
func (t *operationTally) publishedCells(table disclose.Table, districts []string) []monthDistrict {
	var keys []monthDistrict
	for r := len(table.Cells) - 1; r >= 0; r-- {
		for c, name := range districts {
			k := monthDistrict{t.months.first + month(r), name}
			if t.cells[k] > 0 || table.Cells[r][c].Suppressed {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// table returns the operations by month (rows, from the first month to
// the last) and district (columns, in the order of districts).
func (t *operationTally) table(districts []string) [][]int {
	var n [][]int
	t.months.each(func(m month, _ int) {
		row := make([]int, len(districts))
		for c, name := range districts {
			row[c] = t.cells[monthDistrict{m, name}]
		}
		n = append(n, row)
	})
	return n
}

// monthDistrictTable returns the month × district table n with its month
// and district sums and its total: exact, or published by
// disclose.NewTable, which withholds until no withheld count can be
// worked out from the sums, by any combination of rows and columns.
func monthDistrictTable(c counter, n [][]int) disclose.Table {
	if !c.exact {
		return disclose.NewTable(n)
	}
	var t disclose.Table
	total := 0
	for r, row := range n {
		sum := 0
		t.Cells = append(t.Cells, make([]disclose.Count, len(row)))
		for col, v := range row {
			if r == 0 {
				t.ColSums = append(t.ColSums, disclose.Count{})
			}
			t.Cells[r][col] = disclose.ExactCount("", "", v)
			t.ColSums[col].Count += v
			sum += v
		}
		t.RowSums = append(t.RowSums, disclose.ExactCount("", "", sum))
		total += sum
	}
	t.Total = disclose.ExactCount("", "", total)
	return t
}

// named returns c with a key and a label.
func named(c disclose.Count, key, label string) disclose.Count {
	c.Key, c.Label = key, label
	return c
}

// countOperations fills the operations per month, year, district and
// month and district. The month × district table is published with its
// sums by disclose.NewTable; the years, which its months add up to, by
// the line rule after it.
func countOperations(st *Stats, c counter, rows []OperationRow) {
	t := tallyOperations(rows)
	districts := sortedKeys(t.districts)
	table := monthDistrictTable(c, t.table(districts))
	for r, sum := range table.RowSums {
		m := t.months.first + month(r)
		st.Months = append(st.Months, named(sum, m.key(), m.label()))
	}
	for i, name := range districts {
		st.ByDistrict = append(st.ByDistrict, named(table.ColSums[i], name, name))
	}
	cells := t.publishedCells(table, districts)
	for _, k := range cells {
		cell := table.Cells[k.month-t.months.first][slices.Index(districts, k.district)]
		st.ByMonthArea = append(st.ByMonthArea, MonthAreaCount{Month: k.month.label(), AreaName: k.district, Count: named(cell, "", k.district)})
	}
	firstYear, years := t.years()
	for i, n := range years {
		y := strconv.Itoa(firstYear + i)
		st.Years = append(st.Years, c.count(y, y, n))
	}
	c.withhold(operationGroups(st, &t, firstYear, years, districts, cells)...)
}

// operationGroups returns the groups of published counts that add up: the
// years and the districts add up to the same total, a year's months to
// the year, and the cells to their month and their district.
func operationGroups(st *Stats, t *operationTally, firstYear int, years []int, districts []string, cells []monthDistrict) [][]disclose.Cell {
	allYears := make([]disclose.Cell, len(years))
	byYear := make([][]disclose.Cell, len(years))
	for i, n := range years {
		allYears[i] = disclose.Cell{C: &st.Years[i], N: n}
		byYear[i] = []disclose.Cell{allYears[i]}
	}
	byMonth := make([][]disclose.Cell, len(st.Months))
	t.months.each(func(m month, n int) {
		i := int(m - t.months.first)
		byYear[m.year()-firstYear] = append(byYear[m.year()-firstYear], disclose.Cell{C: &st.Months[i], N: n})
		byMonth[i] = []disclose.Cell{{C: &st.Months[i], N: n}}
	})
	allDistricts := make([]disclose.Cell, len(districts))
	byDistrict := make(map[string][]disclose.Cell, len(districts))
	for i, name := range districts {
		allDistricts[i] = disclose.Cell{C: &st.ByDistrict[i], N: t.districts[name]}
		byDistrict[name] = []disclose.Cell{allDistricts[i]}
	}
	for i, k := range cells {
		cell := disclose.Cell{C: &st.ByMonthArea[i].Count, N: t.cells[k]}
		m := int(k.month - t.months.first)
		byMonth[m], byDistrict[k.district] = append(byMonth[m], cell), append(byDistrict[k.district], cell)
	}
	groups := append([][]disclose.Cell{allYears, allDistricts}, byYear...)
	groups = append(groups, byMonth...)
	for _, name := range districts {
		groups = append(groups, byDistrict[name])
	}
	return groups
}

// countContacts fills the contacts per role, their total and the share
// that accepted the support offered.
func countContacts(st *Stats, c counter, rows []ContactRow) {
	roles := map[string]int{}
	var offered, accepted int
	for _, r := range rows {
		roles[r.Role]++
		if r.SupportOffered {
			offered++
			if r.SupportAccepted {
				accepted++
			}
		}
	}
	st.Contacts = c.count("contacts", "Kontakter", len(rows))
	st.ByRole = codeCounts(c, ContactRoles, roles)
	c.withhold(codeCells(disclose.Cell{C: &st.Contacts, N: len(rows)}, st.ByRole, ContactRoles, roles))
	st.Accepted = c.share(accepted, offered)
}

// countReferrals returns, for each service with referrals, how many
// reached each status.
func countReferrals(c counter, services []*SupportService, refs []*Referral) []ServiceStats {
	reached := map[string][]int{}
	for _, r := range refs {
		counts := reached[r.ServiceCode]
		if counts == nil {
			counts = make([]int, len(ReferralStatuses))
			reached[r.ServiceCode] = counts
		}
		for i := 0; i <= ReferralStage(r.Status); i++ {
			counts[i]++
		}
	}
	var out []ServiceStats
	for _, sv := range services {
		if counts := reached[sv.Code]; counts != nil {
			out = append(out, ServiceStats{Name: sv.Name, Reached: c.steps(counts)})
		}
	}
	return out
}

// steps returns the counts of the referrals that reached each status. The
// referrals that stopped at a step are the difference of two shown
// counts: a step whose count is a withheld number below the last one
// shown is withheld too.
func (c counter) steps(counts []int) []disclose.Count {
	out := make([]disclose.Count, 0, len(counts))
	last := -1
	for i, rs := range ReferralStatuses {
		n := c.count(rs.Code, rs.Label, counts[i])
		if !c.exact && !n.Suppressed && last >= 0 && disclose.Withheld(last-counts[i]) {
			n = n.Withhold()
		}
		if !n.Suppressed {
			last = counts[i]
		}
		out = append(out, n)
	}
	return out
}

// offerToFirstContact returns the median number of days from offer to
// first contact and the number of referrals it is taken over; the median
// is 0 when they are too few to publish it (for the exact reader, when
// there are none).
func offerToFirstContact(c counter, refs []*Referral) (median float64, n int) {
	var waits []int
	for _, r := range refs {
		if fc := r.DayOf(ReferralFirstContact); fc != 0 {
			waits = append(waits, int(fc-r.DayOf(ReferralOffered)))
		}
	}
	if len(waits) == 0 || disclose.TooFew(len(waits)) && !c.exact {
		return 0, len(waits)
	}
	slices.Sort(waits)
	mid := len(waits) / 2
	if len(waits)%2 == 0 {
		return float64(waits[mid-1]+waits[mid]) / 2, len(waits)
	}
	return float64(waits[mid]), len(waits)
}

// counter makes the counts of a statistics page: published by the rule
// of package disclose, unless exact.
type counter struct{ exact bool }

func (c counter) count(key, label string, n int) disclose.Count {
	if c.exact {
		return disclose.ExactCount(key, label, n)
	}
	return disclose.NewCount(key, label, n)
}

func (c counter) share(part, whole int) disclose.Share {
	if c.exact {
		return disclose.Share{Part: part, Whole: whole}
	}
	return disclose.ShareOf(part, whole)
}

func (c counter) withhold(groups ...[]disclose.Cell) {
	if !c.exact {
		disclose.WithholdSums(groups...)
	}
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
