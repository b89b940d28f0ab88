// Package opendata is what Trygg publishes to everyone, without a sign-in:
// the public lägesbild of an ended ISO week (reports per district and per
// category group, and the municipality's weekly totals as a trend), the
// table of an ended tertial (reports per district and category group)
// and the public form of the published weekly reports. Every count in it
// has been through package disclose before it leaves the store: the types
// hold only published counts, never the numbers they stand for.
//
// The rules against working back to single incidents:
//
//   - only weeks and tertials that have ended, so that a count cannot be
//     watched growing;
//   - counts from 1 to 4 are withheld (disclose.NewCount);
//   - a week's total is shown (it is the trend's last point), so the
//     districts and the category groups of the week are each a line whose
//     sum is shown: when one of them is withheld, a second is
//     (publishWeek, the one rule for a week, wherever it is shown);
//   - a tertial's table shows no sums, but its weeks add up across it, so
//     it is planned against them: it withholds more until no withheld
//     count of the table or of its weeks can be computed from all that is
//     shown (BuildTertial, disclose.Protect);
//   - no categories (only groups), no text, no points, no organisations.
package opendata

import (
	"context"
	"slices"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
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
// with reports that is not among them is left out, but counts in the
// totals. Each week of the trend is published by the week's own rule
// (publishWeek), so that a week's total reads the same in every trend it
// is in.
func BuildWeek(week trygg.ISOWeek, areas []*trygg.Area, groups []string, cells []Cell) *Week {
	first := TrendFrom(week)
	data := make([]weekData, TrendWeeks)
	for _, c := range cells {
		if c.Day < first || c.Day > week.Sunday() {
			continue
		}
		data[int(c.Day-first)/7].add(c)
	}
	w := &Week{Week: week}
	for i := range TrendWeeks {
		p := publishWeek(trygg.WeekOf(first+trygg.Day(7*i)), areas, groups, data[i])
		w.Trend = append(w.Trend, WeekTotal{Week: p.week, Count: p.total})
		if i == TrendWeeks-1 {
			w.Districts, w.Groups = p.districts, p.groups
		}
	}
	return w
}

// weekData is what a week's published counts are made from: its reports
// per district, per category group and in all.
type weekData struct {
	area, group map[string]int
	total       int
}

func (d *weekData) add(c Cell) {
	if d.area == nil {
		d.area, d.group = map[string]int{}, map[string]int{}
	}
	d.area[c.Area] += c.N
	d.group[c.Group] += c.N
	d.total += c.N
}

// weekCounts are a week's published counts.
type weekCounts struct {
	week      trygg.ISOWeek
	districts []disclose.Count // Key the district's code, Label its name
	groups    []disclose.Count // Key and Label the group
	total     disclose.Count   // Key the week's code, Label its name
}

// publishWeek is the one rule for a week's counts, wherever they are
// published: the public picture of the week and the trends it is in, the
// public weekly report and the plan of the tertials it overlaps. Counts
// from 1 to 4 are withheld, and since the week's total is shown, the
// districts with the total and the category groups with the total are
// each a line whose sum is shown (disclose.WithholdSums). It depends on
// the week's counts alone, so that what a week showed when it ended is
// what it shows later, and a tertial can plan against it.
func publishWeek(week trygg.ISOWeek, areas []*trygg.Area, groups []string, d weekData) weekCounts {
	p := weekCounts{week: week, districts: make([]disclose.Count, len(areas)), groups: make([]disclose.Count, len(groups)),
		total: disclose.NewCount(week.Code(), week.String(), d.total)}
	areaLine, groupLine := make([]disclose.Cell, 0, len(areas)+1), make([]disclose.Cell, 0, len(groups)+1)
	for i, a := range areas {
		p.districts[i] = disclose.NewCount(a.Code, a.Name, d.area[a.Code])
		areaLine = append(areaLine, disclose.Cell{C: &p.districts[i], N: d.area[a.Code]})
	}
	for i, g := range groups {
		p.groups[i] = disclose.NewCount(g, g, d.group[g])
		groupLine = append(groupLine, disclose.Cell{C: &p.groups[i], N: d.group[g]})
	}
	total := disclose.Cell{C: &p.total, N: d.total}
	disclose.WithholdSums(append(areaLine, total), append(groupLine, total))
	return p
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
// district's count, by the same rule as the week's public picture
// (publishWeek), with the snapshot's counts per district, per category
// group (groups are the current ones, as for the picture) and in all.
func PublicReport(rep *weekly.Report, groups []string) (*Report, error) {
	out := &Report{Week: rep.Week, Version: rep.Version, Analysis: rep.Analysis, Conclusions: rep.Conclusions,
		PublishedAt: trygg.DayOf(rep.PublishedAt)}
	if rep.Picture == nil {
		return out, nil
	}
	c, err := weekly.Decode(rep)
	if err != nil {
		return nil, err
	}
	areas := make([]*trygg.Area, len(c.Areas))
	d := weekData{area: map[string]int{}, group: map[string]int{}, total: c.Total}
	for i, a := range c.Areas {
		areas[i] = &trygg.Area{Code: a.Code, Name: a.Name}
		d.area[a.Code] += a.Count
	}
	for _, cat := range c.Categories {
		d.group[cat.Group] += cat.Count
	}
	out.Districts = publishWeek(rep.Week, areas, groups, d).districts
	return out, nil
}

// Service reads what is public. Anyone may call every method, signed in
// or not; nothing is audited, since nothing in it is about anyone.
type Service interface {
	// PublicWeek returns the public picture of week. EINVALID for a week
	// that does not exist or has not ended.
	PublicWeek(ctx context.Context, week trygg.ISOWeek) (*Week, error)

	// PublicTertial returns the public table of t. EINVALID for a
	// tertial that is not among EndedTertials(today, TertialsShown).
	PublicTertial(ctx context.Context, t Tertial) (*TertialTable, error)

	// PublicWeeklyReports lists the newest version of every published
	// weekly report, newest week first, without district counts; limit
	// 0 means 500.
	PublicWeeklyReports(ctx context.Context, limit int) ([]*Report, error)

	// PublicWeeklyReport returns the newest published version of week.
	// ENOTFOUND when none is published.
	PublicWeeklyReport(ctx context.Context, week trygg.ISOWeek) (*Report, error)
}
