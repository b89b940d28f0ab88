// Package opendata is what Trygg publishes to everyone, without a sign-in:
// the public lägesbild of an ended ISO week (reports per district and per
// category group, and the municipality's weekly totals as a trend) and the
// public form of the published weekly reports. Every count in it has been
// through package disclose before it leaves the store: the types hold only
// published counts, never the numbers they stand for.
//
// The rules against working back to single incidents, on top of the
// tertial pages' rules (web/public.go):
//
//   - only weeks that have ended, so that a count cannot be watched growing;
//   - counts from 1 to 4 are withheld (disclose.NewCount);
//   - the week's total is shown (it is the trend's last point), so the
//     districts and the category groups of the week are each a group whose
//     sum is shown: when one of them is withheld, a second is
//     (disclose.WithholdComplement);
//   - no categories (only groups), no text, no points, no organisations.
package opendata

import (
	"context"
	"slices"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/lagesbild"
	"github.com/trygg-est/trygg/weekly"
)

// TrendWeeks is how many ended weeks the trend shows, the week itself last.
const TrendWeeks = 12

// LastEndedWeek is the newest ISO week that ended before today: the week
// the front page shows.
func LastEndedWeek(today trygg.Day) trygg.ISOWeek {
	return trygg.WeekOf(today.Monday() - 1)
}

// Week is the public lägesbild of one ended ISO week.
type Week struct {
	Week trygg.ISOWeek
	// Districts has every district in name order: Key is its code, Label
	// its name.
	Districts []disclose.Count
	// Groups has the municipality's count per category group, in the
	// taxonomy's order.
	Groups []disclose.Count
	// Trend is the municipality's total per week, oldest first, the last
	// being Week.
	Trend []WeekTotal
}

// WeekTotal is the municipality's published total of one week.
type WeekTotal struct {
	Week  trygg.ISOWeek
	Count disclose.Count
}

// Cell is a raw count, as the store reads it: reports of one category
// group in one district on one day.
type Cell struct {
	Day   trygg.Day
	Area  string
	Group string
	N     int
}

// TrendFrom is the first day the store must count for week's picture.
func TrendFrom(week trygg.ISOWeek) trygg.Day {
	return week.Monday() - 7*(TrendWeeks-1)
}

// BuildWeek publishes the raw cells of the trend's days (from
// TrendFrom(week) to the week's Sunday) as the public picture of week.
// areas and groups give the rows, in their order; a district or group
// with reports that is not among them is left out.
func BuildWeek(week trygg.ISOWeek, areas []*trygg.Area, groups []string, cells []Cell) *Week {
	first := TrendFrom(week)
	totals := make([]int, TrendWeeks)
	perArea, perGroup := map[string]int{}, map[string]int{}
	for _, c := range cells {
		if c.Day < first || c.Day > week.Sunday() {
			continue
		}
		totals[int(c.Day-first)/7] += c.N
		if c.Day >= week.Monday() {
			perArea[c.Area] += c.N
			perGroup[c.Group] += c.N
		}
	}
	w := &Week{Week: week}
	weekTotal := totals[TrendWeeks-1]
	var areaCells, groupCells []disclose.Cell
	w.Districts = make([]disclose.Count, len(areas))
	for i, a := range areas {
		w.Districts[i] = disclose.NewCount(a.Code, a.Name, perArea[a.Code])
		areaCells = append(areaCells, disclose.Cell{C: &w.Districts[i], N: perArea[a.Code]})
	}
	w.Groups = make([]disclose.Count, len(groups))
	for i, g := range groups {
		w.Groups[i] = disclose.NewCount(g, g, perGroup[g])
		groupCells = append(groupCells, disclose.Cell{C: &w.Groups[i], N: perGroup[g]})
	}
	for i := range TrendWeeks {
		wk := trygg.WeekOf(first + trygg.Day(7*i))
		w.Trend = append(w.Trend, WeekTotal{Week: wk, Count: disclose.NewCount(wk.Code(), wk.String(), totals[i])})
	}
	total := &w.Trend[TrendWeeks-1].Count
	areaCells = append(areaCells, disclose.Cell{C: total, N: weekTotal})
	groupCells = append(groupCells, disclose.Cell{C: total, N: weekTotal})
	disclose.WithholdSums(areaCells, groupCells)
	return w
}

// Groups returns the category groups of cats in the taxonomy's order,
// each once, leaving out groups whose categories are all archived.
func Groups(cats []*trygg.Category) []string {
	var out []string
	for _, c := range cats {
		if c.ArchivedAt == nil && !slices.Contains(out, c.Group) {
			out = append(out, c.Group)
		}
	}
	return out
}

// Report is the public form of one published version of a weekly report:
// the samordnare's texts (checked for personal data when they were
// written) and the week's reports per district, published. The rest of
// the snapshot (the summary sentences, categories, flags, meetings and
// actions) stays with the signed-in readers.
type Report struct {
	Week        trygg.ISOWeek
	Version     int // the newest version's number
	Versions    int // how many versions of the week are published; 0 when not counted
	Analysis    string
	Conclusions string
	PublishedAt trygg.Day
	Districts   []disclose.Count // nil in lists
}

// PublicReport publishes rep: its texts, and from its frozen picture each
// district's count, withheld by the same rules as a week's picture (the
// snapshot's total is not shown, so no complement is needed; it is
// withheld anyway when exactly one district is, so that a total published
// elsewhere cannot give it away).
func PublicReport(rep *weekly.Report) (*Report, error) {
	out := &Report{Week: rep.Week, Version: rep.Version, Analysis: rep.Analysis, Conclusions: rep.Conclusions,
		PublishedAt: trygg.DayOf(rep.PublishedAt)}
	if rep.Picture == nil {
		return out, nil
	}
	c, err := weekly.Decode(rep)
	if err != nil {
		return nil, err
	}
	out.Districts = districtCounts(c.Areas)
	return out, nil
}

func districtCounts(areas []lagesbild.AreaValue) []disclose.Count {
	counts := make([]disclose.Count, len(areas))
	cells := make([]disclose.Cell, len(areas))
	for i, a := range areas {
		counts[i] = disclose.NewCount(a.Code, a.Name, a.Count)
		cells[i] = disclose.Cell{C: &counts[i], N: a.Count}
	}
	disclose.WithholdSums(cells)
	return counts
}

// Service reads what is public. Anyone may call every method, signed in
// or not; nothing is audited, since nothing in it is about anyone.
type Service interface {
	// PublicWeek returns the public picture of week. EINVALID for a week
	// that does not exist or has not ended.
	PublicWeek(ctx context.Context, week trygg.ISOWeek) (*Week, error)

	// PublicWeeklyReports lists the newest version of every published
	// weekly report, newest week first, without district counts; limit
	// 0 means 500.
	PublicWeeklyReports(ctx context.Context, limit int) ([]*Report, error)

	// PublicWeeklyReport returns the newest published version of week.
	// ENOTFOUND when none is published.
	PublicWeeklyReport(ctx context.Context, week trygg.ISOWeek) (*Report, error)
}
