package trygg

import (
	"strconv"
	"time"
	_ "time/tzdata" // Swedish days and weeks must work on hosts without a zone database
)

// Stockholm is the time zone of the partners' days and weeks.
var Stockholm = mustLoadLocation("Europe/Stockholm")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is linked in, so this cannot happen
	}
	return loc
}

// Day is a calendar day in Europe/Stockholm, counted from 1970-01-01. Counts,
// periods and ISO weeks are all kept in Days, so that no code has to reason
// about daylight saving time.
type Day int32

// DayOf returns the Stockholm calendar day that t falls on.
func DayOf(t time.Time) Day {
	y, m, d := t.In(Stockholm).Date()
	return DateDay(y, m, d)
}

// DateDay returns the Day of a calendar date; out-of-range months and days
// are normalised as time.Date does.
func DateDay(year int, month time.Month, day int) Day {
	return Day(time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Date returns the calendar date of d.
func (d Day) Date() (year int, month time.Month, day int) {
	return d.utc().Date()
}

// Year returns the calendar year of d.
func (d Day) Year() int { return d.utc().Year() }

// AddYears returns the same date n years later (earlier for n < 0); 29
// February becomes 1 March in a year without it.
func (d Day) AddYears(n int) Day {
	y, m, dd := d.Date()
	return DateDay(y+n, m, dd)
}

// Start returns midnight at the start of d, Stockholm time.
func (d Day) Start() time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, Stockholm)
}

// String formats d as YYYY-MM-DD.
func (d Day) String() string { return d.utc().Format(time.DateOnly) }

func (d Day) utc() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// Monday returns the first day of d's ISO week. 1970-01-01 was a Thursday.
func (d Day) Monday() Day { return d - Day(mod(int(d)+3, 7)) }

// ISOWeek returns the ISO 8601 year and week number of d.
func (d Day) ISOWeek() (year, week int) { return d.utc().ISOWeek() }

// ParseDay reads a YYYY-MM-DD date.
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, err
	}
	return Day(t.Unix() / 86400), nil
}

// ISOWeekMonday returns the Monday of ISO week w of year y. Week 1 is the
// week that holds 4 January.
func ISOWeekMonday(year, week int) Day {
	return DateDay(year, time.January, 4).Monday() + Day(7*(week-1))
}

func mod(a, b int) int { return ((a % b) + b) % b }

// MonthStarts returns the first day of every calendar month that overlaps
// from..to, in order.
func MonthStarts(from, to Day) []Day {
	var out []Day
	y, m, _ := from.Date()
	for d := DateDay(y, m, 1); d <= to; {
		out = append(out, d)
		y, m, _ = d.Date()
		d = DateDay(y, m+1, 1)
	}
	return out
}

// AddMonths returns the day n calendar months after d. A day that the
// target month lacks becomes its last day: 31 October plus four months is
// the last day of February.
func (d Day) AddMonths(n int) Day {
	y, m, dd := d.Date()
	last := DateDay(y, m+time.Month(n)+1, 0)
	_, _, lastDay := last.Date()
	return DateDay(y, m+time.Month(n), min(dd, lastDay))
}

// swedishMonths are the months' names, January first.
var swedishMonths = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

// MonthLabel is a month as pages and exports name it: "mars 2025".
func MonthLabel(year int, month time.Month) string {
	return swedishMonths[month-1] + " " + strconv.Itoa(year)
}

// MonthEnd returns the last day of d's month.
func MonthEnd(d Day) Day {
	y, m, _ := d.Date()
	return DateDay(y, m+1, 1) - 1
}
