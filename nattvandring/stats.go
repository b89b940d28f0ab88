package nattvandring

import (
	"slices"
	"strings"

	"github.com/trygg-est/trygg"
)

// WalkRow is a walk as the statistics need it: held walks only (a filed
// log), with the log's districts, minutes and observations' categories.
type WalkRow struct {
	GroupID       int64
	Date          trygg.Day
	Districts     []string
	Minutes       int // every walker's minutes together
	YouthContacts int
	Observations  []ObservationRow
}

// ObservationRow is one observation's district and category.
type ObservationRow struct {
	District string
	Category string
}

// MonthStat is one group's walks in one district and month. A walk
// through several districts counts as a walk in each, and its minutes are
// split evenly between them so that the minutes add up.
type MonthStat struct {
	GroupID       int64
	District      string
	Month         trygg.Day // the first of the month
	Walks         int
	Minutes       int
	YouthContacts int
	Observations  map[string]int // by category
}

// MonthStats computes the statistics per group, district and month from
// rows, ordered by month, group and district.
func MonthStats(rows []WalkRow) []MonthStat {
	type key struct {
		group    int64
		district string
		month    trygg.Day
	}
	acc := map[key]*MonthStat{}
	get := func(k key) *MonthStat {
		s := acc[k]
		if s == nil {
			s = &MonthStat{GroupID: k.group, District: k.district, Month: k.month, Observations: map[string]int{}}
			acc[k] = s
		}
		return s
	}
	for _, r := range rows {
		y, m, _ := r.Date.Date()
		month := trygg.DateDay(y, m, 1)
		for i, d := range r.Districts {
			s := get(key{r.GroupID, d, month})
			s.Walks++
			s.Minutes += share(r.Minutes, len(r.Districts), i)
			s.YouthContacts += share(r.YouthContacts, len(r.Districts), i)
		}
		for _, o := range r.Observations {
			get(key{r.GroupID, o.District, month}).Observations[o.Category]++
		}
	}
	out := make([]MonthStat, 0, len(acc))
	for _, s := range acc {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b MonthStat) int {
		switch {
		case a.Month != b.Month:
			return int(a.Month - b.Month)
		case a.GroupID != b.GroupID:
			return int(a.GroupID - b.GroupID)
		case a.District < b.District:
			return -1
		case a.District > b.District:
			return 1
		}
		return 0
	})
	return out
}

// share is part i of n of total, whole units, the remainder going to the
// first parts, so that the parts add up to total.
func share(total, n, i int) int {
	if n <= 0 {
		return 0
	}
	s := total / n
	if i < total%n {
		s++
	}
	return s
}

// WeekendShare is, for one district and period, how many weekend nights
// (Friday and Saturday) had a held walk.
type WeekendShare struct {
	District string
	Nights   int // weekend nights in the period
	Walked   int // of which with at least one walk in the district
}

// Percent is Walked of Nights in whole per cent; 0 for no nights.
func (w WeekendShare) Percent() int {
	if w.Nights == 0 {
		return 0
	}
	return (w.Walked*100 + w.Nights/2) / w.Nights
}

// WeekendShares computes the share of weekend nights from from to to
// (inclusive) with a walk, for each of districts, in that order. A walk on
// another night does not count.
func WeekendShares(rows []WalkRow, districts []string, from, to trygg.Day) []WeekendShare {
	nights := 0
	for d := from; d <= to; d++ {
		if WeekendNight(d) {
			nights++
		}
	}
	walked := map[string]map[trygg.Day]bool{}
	for _, r := range rows {
		if r.Date < from || r.Date > to || !WeekendNight(r.Date) {
			continue
		}
		for _, d := range r.Districts {
			if walked[d] == nil {
				walked[d] = map[trygg.Day]bool{}
			}
			walked[d][r.Date] = true
		}
	}
	out := make([]WeekendShare, len(districts))
	for i, d := range districts {
		out[i] = WeekendShare{District: d, Nights: nights, Walked: len(walked[d])}
	}
	return out
}

// WeekHours is the volunteer minutes walked in one district in one ISO
// week, for the lägesbild's overlay.
type WeekHours struct {
	District string
	Week     trygg.ISOWeek
	Minutes  int
	Walks    int
}

// WeeklyHours sums rows per district and ISO week (minutes split as in
// MonthStats), ordered by week and district.
func WeeklyHours(rows []WalkRow) []WeekHours {
	type key struct {
		district string
		week     trygg.ISOWeek
	}
	acc := map[key]*WeekHours{}
	for _, r := range rows {
		w := trygg.WeekOf(r.Date)
		for i, d := range r.Districts {
			k := key{d, w}
			h := acc[k]
			if h == nil {
				h = &WeekHours{District: d, Week: w}
				acc[k] = h
			}
			h.Minutes += share(r.Minutes, len(r.Districts), i)
			h.Walks++
		}
	}
	out := make([]WeekHours, 0, len(acc))
	for _, h := range acc {
		out = append(out, *h)
	}
	slices.SortFunc(out, func(a, b WeekHours) int {
		if c := int(a.Week.Monday() - b.Week.Monday()); c != 0 {
			return c
		}
		switch {
		case a.District < b.District:
			return -1
		case a.District > b.District:
			return 1
		}
		return 0
	})
	return out
}

// WeekendShareAny is, for a set of districts and a period, how many
// weekend nights had a held walk in any of them: the value of a
// commitment's indicator ("nattvandring varje helg i Ålidhem").
func WeekendShareAny(rows []WalkRow, districts []string, from, to trygg.Day) WeekendShare {
	share := WeekendShare{District: strings.Join(districts, ",")}
	for d := from; d <= to; d++ {
		if WeekendNight(d) {
			share.Nights++
		}
	}
	walked := map[trygg.Day]bool{}
	for _, r := range rows {
		if r.Date < from || r.Date > to || !WeekendNight(r.Date) {
			continue
		}
		for _, d := range r.Districts {
			if slices.Contains(districts, d) {
				walked[r.Date] = true
			}
		}
	}
	share.Walked = len(walked)
	return share
}
