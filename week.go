package trygg

import "fmt"

// ISOWeek names an ISO 8601 week: the week of the year that holds its
// Thursday.
type ISOWeek struct {
	Year int `json:"year"`
	Week int `json:"week"`
}

// WeekOf returns the ISO week that d falls in.
func WeekOf(d Day) ISOWeek {
	y, w := d.ISOWeek()
	return ISOWeek{Year: y, Week: w}
}

// Valid reports whether the week exists: years 2000–2999, and week 53
// only in the years that have one.
func (w ISOWeek) Valid() bool {
	return w.Year >= 2000 && w.Year <= 2999 && w.Week >= 1 && w.Week <= 53 && WeekOf(w.Monday()) == w
}

// Monday returns the first day of the week.
func (w ISOWeek) Monday() Day { return ISOWeekMonday(w.Year, w.Week) }

// Sunday returns the last day of the week.
func (w ISOWeek) Sunday() Day { return w.Monday() + 6 }

// String formats the week the Swedish way, "vecka 47 2026".
func (w ISOWeek) String() string { return fmt.Sprintf("vecka %d %d", w.Week, w.Year) }

// Code formats the week as ISO 8601 does, "2026-W47".
func (w ISOWeek) Code() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Week) }
