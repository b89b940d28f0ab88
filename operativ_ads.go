package trygg

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AdWeek is one week of the advertising indicator: the ads offering sex in
// the municipality, and, counted apart, the sugar-dating ads where a minor
// is suspected. Week is the Monday of the ISO week.
type AdWeek struct {
	Week       Day `json:"week"`
	Ads        int `json:"ads"`
	SugarMinor int `json:"sugar_minor"`
}

// MaxAdCount is the largest weekly count accepted.
const MaxAdCount = 100000

// Validate checks one week; prefix goes before the field names (week,
// ads, sugar_minor). today is the caller's day (in Stockholm): a week
// that has not begun yet is refused, since its ads cannot have been
// counted.
func (a *AdWeek) Validate(v *Validation, prefix string, today Day) {
	if a.Week == 0 {
		v.Add(prefix+"week", "Ange veckan.")
	} else {
		a.Week = a.Week.Monday()
		if msg := WeekNotBegun(a.Week, today); msg != "" {
			v.Add(prefix+"week", "%s", msg)
		}
	}
	if a.Ads < 0 || a.Ads > MaxAdCount {
		v.Add(prefix+"ads", "Antalet annonser ska vara 0–%d.", MaxAdCount)
	}
	if a.SugarMinor < 0 || a.SugarMinor > MaxAdCount {
		v.Add(prefix+"sugar_minor", "Antalet sugardejtingannonser ska vara 0–%d.", MaxAdCount)
	}
}

// ParseWeek reads an ISO week, "2024-W05" or "2024W05", or any date in it
// (YYYY-MM-DD), and returns its Monday, between 2000 and 2100.
func ParseWeek(s string) (Day, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if y, w, ok := strings.Cut(s, "W"); ok {
		year, err1 := strconv.Atoi(strings.TrimSuffix(y, "-"))
		week, err2 := strconv.Atoi(w)
		if err1 != nil || err2 != nil || year < 2000 || year > 2100 || week < 1 || week > 53 {
			return 0, fmt.Errorf("%q är ingen vecka; skriv ÅÅÅÅ-Vnn, till exempel 2024-W05", s)
		}
		d := ISOWeekMonday(year, week)
		if gy, gw := d.ISOWeek(); gy != year || gw != week {
			return 0, fmt.Errorf("år %d har ingen vecka %d", year, week)
		}
		return d, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("%q är ingen vecka; skriv ÅÅÅÅ-Vnn eller ett datum ÅÅÅÅ-MM-DD", s)
	}
	if t.Year() < 2000 || t.Year() > 2100 {
		return 0, fmt.Errorf("%s ligger utanför åren 2000–2100", s)
	}
	return DateDay(t.Year(), t.Month(), t.Day()).Monday(), nil
}

// FormatWeek writes the ISO week of d as ÅÅÅÅ-Vnn ("2024-W05"), the way
// ParseWeek reads it.
func FormatWeek(d Day) string {
	y, w := d.ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// WeekNotBegun returns the message for a week (its Monday) that has not
// begun by today, or "": ad weeks are refused until they have begun, typed
// or read from a file (reportio).
func WeekNotBegun(week, today Day) string {
	if week <= today {
		return ""
	}
	return fmt.Sprintf("Veckan %s har inte börjat än. Ange en vecka som har börjat, senast %s.", FormatWeek(week), FormatWeek(today))
}
