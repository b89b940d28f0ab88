package opendata

import (
	"slices"
	"strconv"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
)

// TertialsShown is how many ended tertials are public: three years.
const TertialsShown = 9

// Tertial is a third of a year: 1 is January–April, 2 May–August, 3
// September–December.
type Tertial struct{ Year, N int }

var tertialMonths = [...]string{"", "januari–april", "maj–augusti", "september–december"}

// From and To are the first and last day of the tertial.
func (t Tertial) From() trygg.Day { return trygg.DateDay(t.Year, time.Month(4*t.N-3), 1) }
func (t Tertial) To() trygg.Day   { return trygg.DateDay(t.Year, time.Month(4*t.N+1), 0) }

// Label names the tertial, "tertial 2 2026 (maj–augusti)".
func (t Tertial) Label() string {
	return "tertial " + strconv.Itoa(t.N) + " " + strconv.Itoa(t.Year) + " (" + tertialMonths[t.N] + ")"
}

// Path is the tertial's part of a public URL, "2026/2".
func (t Tertial) Path() string { return strconv.Itoa(t.Year) + "/" + strconv.Itoa(t.N) }

func (t Tertial) prev() Tertial {
	if t.N == 1 {
		return Tertial{t.Year - 1, 3}
	}
	return Tertial{t.Year, t.N - 1}
}

// Weeks returns the first and the last ISO week with a day in the
// tertial. The two may hold days of the tertials beside it.
func (t Tertial) Weeks() (first, last trygg.ISOWeek) {
	return trygg.WeekOf(t.From()), trygg.WeekOf(t.To())
}

// shownOn reports whether the tertial's table is public on today: when
// every week with a day in it has ended, since its table is planned
// against those weeks' published counts.
func (t Tertial) shownOn(today trygg.Day) bool {
	_, last := t.Weeks()
	return last.Sunday() < today
}

// EndedTertials returns the n latest tertials whose table is public on
// today, newest first: those that have ended, and whose last week has
// too.
func EndedTertials(today trygg.Day, n int) []Tertial {
	y, m, _ := today.Date()
	t := Tertial{y, (int(m)-1)/4 + 1}
	for !t.shownOn(today) {
		t = t.prev()
	}
	out := make([]Tertial, n)
	for i := range out {
		out[i], t = t, t.prev()
	}
	return out
}

// TertialTable is the public table of an ended tertial: the reports per
// district and category group, with no sums.
type TertialTable struct {
	Tertial Tertial
	// Groups are the columns: the current category groups in the
	// taxonomy's order, then any other group with reports in the tertial,
	// by name.
	Groups []string
	// Districts holds each district's counts by its code, in the order
	// of Groups, with the group as Key and Label.
	Districts map[string][]disclose.Count
	current   int // Groups[:current] are the current groups
}

// District returns the counts of the district code per category group:
// every current group, and any other where the district has reports. It
// is nil for a district that is not in the table.
func (t *TertialTable) District(code string) []disclose.Count {
	row, ok := t.Districts[code]
	if !ok {
		return nil
	}
	out := slices.Clone(row[:t.current])
	for _, c := range row[t.current:] {
		if c.Suppressed || c.Count > 0 {
			out = append(out, c)
		}
	}
	return out
}

// BuildTertial publishes the raw cells of the weeks of t (from the Monday
// of its first week to the Sunday of its last, Weeks) as the tertial's
// public table of areas × category groups.
//
// Published alone, the table would be safe with its small counts
// withheld, since it shows no sums. But every week of the tertial is
// published too (publishWeek), with its sums, and the two add up across
// each other: a district's shown weekly counts add up to its row of the
// table, and a row of the table less the district's other weeks gives a
// week. So the table is planned against the weeks: the weeks are fixed,
// as they were published when they ended, and the table withholds, with
// disclose.Protect, as many more counts as it takes that no withheld
// count of the table or of its weeks (their districts, groups and totals,
// which are also the trends' points) can be computed from all that is
// shown.
//
// The cells of the plan are the reports of one district and category
// group in one week piece: the part of a week inside the tertial. A week
// that straddles the border of the tertial also holds days of the
// tertial beside it; the plan counts those as known to the reader, which
// is more than anyone can learn (at worst it withholds more than it
// needs), so that each tertial can be planned on its own, from the
// weeks it overlaps, in any order.
func BuildTertial(t Tertial, areas []*trygg.Area, groups []string, cells []Cell) *TertialTable {
	first, last := t.Weeks()
	weeks := int(last.Monday()-first.Monday())/7 + 1
	// The table's groups and the districts and groups of the cells: the
	// listed ones first, so that their indexes are those of areas and
	// groups.
	tab := &TertialTable{Tertial: t, Groups: slices.Clone(groups), current: len(groups), Districts: map[string][]disclose.Count{}}
	areaIndex, groupIndex := map[string]int{}, map[string]int{}
	for i, a := range areas {
		areaIndex[a.Code] = i
	}
	for i, g := range groups {
		groupIndex[g] = i
	}
	var otherAreas, otherGroups []string
	for _, c := range cells {
		if c.Day < t.From() || c.Day > t.To() {
			continue
		}
		if _, ok := areaIndex[c.Area]; !ok && !slices.Contains(otherAreas, c.Area) {
			otherAreas = append(otherAreas, c.Area)
		}
		if _, ok := groupIndex[c.Group]; !ok && !slices.Contains(otherGroups, c.Group) {
			otherGroups = append(otherGroups, c.Group)
		}
	}
	slices.Sort(otherAreas)
	slices.Sort(otherGroups)
	for _, a := range otherAreas {
		areaIndex[a] = len(areaIndex)
	}
	for _, g := range otherGroups {
		groupIndex[g] = len(groupIndex)
		tab.Groups = append(tab.Groups, g)
	}
	nAreas, nGroups := len(areaIndex), len(groupIndex)
	cell := func(a, g, w int) int { return (w*nAreas+a)*nGroups + g }

	data := make([]weekData, weeks)
	inside := make([]int, weeks*nAreas*nGroups) // the reports of each cell of the plan
	for _, c := range cells {
		if c.Day < first.Monday() || c.Day > last.Sunday() {
			continue
		}
		w := int(c.Day-first.Monday()) / 7
		data[w].add(c)
		if c.Day >= t.From() && c.Day <= t.To() {
			inside[cell(areaIndex[c.Area], groupIndex[c.Group], w)] += c.N
		}
	}

	var sums []disclose.Sum
	for w := range weeks {
		p := publishWeek(trygg.WeekOf(first.Monday()+trygg.Day(7*w)), areas, groups, data[w])
		var all []int
		for a := range nAreas {
			var line []int
			for g := range nGroups {
				line = append(line, cell(a, g, w))
			}
			if a < len(areas) {
				sums = append(sums, disclose.Sum{C: &p.districts[a], N: data[w].area[areas[a].Code], Cells: line})
			}
			all = append(all, line...)
		}
		for g := range groups {
			var line []int
			for a := range nAreas {
				line = append(line, cell(a, g, w))
			}
			sums = append(sums, disclose.Sum{C: &p.groups[g], N: data[w].group[groups[g]], Cells: line})
		}
		sums = append(sums, disclose.Sum{C: &p.total, N: data[w].total, Cells: all})
	}
	for a, area := range areas {
		row := make([]disclose.Count, nGroups)
		for g, group := range tab.Groups {
			s := disclose.Sum{Free: true, C: &row[g]}
			for w := range weeks {
				s.Cells = append(s.Cells, cell(a, g, w))
				s.N += inside[cell(a, g, w)]
			}
			row[g] = disclose.NewCount(group, group, s.N)
			sums = append(sums, s)
		}
		tab.Districts[area.Code] = row
	}
	// What the weeks give away on their own, if anything, no table can
	// help: each week protects its own counts (publishWeek), and the
	// weeks have no cell in common.
	disclose.Protect(sums)
	return tab
}
