package lagesbild

import (
	"fmt"
	"time"

	"github.com/trygg-est/trygg"
)

// PeriodKinds lists the kinds of period in the order the form offers them.
var PeriodKinds = []PeriodKind{PeriodWeek, PeriodMonth, PeriodTertial, PeriodYear, PeriodCustom}

// Label is the kind's Swedish name.
func (k PeriodKind) Label() string {
	switch k {
	case PeriodWeek:
		return "Vecka"
	case PeriodMonth:
		return "Månad"
	case PeriodTertial:
		return "Tertial"
	case PeriodYear:
		return "År"
	case PeriodCustom:
		return "Egen period"
	}
	return string(k)
}

var monthNames = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli",
	"augusti", "september", "oktober", "november", "december"}

// NewPeriod returns the period of kind that holds day: its ISO week, its
// month, its tertial (January–April, May–August, September–December) or its
// year. For PeriodCustom the period runs from day to to. EINVALID names the
// field ("period", "till") that is wrong.
func NewPeriod(kind PeriodKind, day, to trygg.Day) (Period, error) {
	y, m, _ := day.Date()
	p := Period{Kind: kind}
	switch kind {
	case PeriodWeek:
		w := trygg.WeekOf(day)
		p.From, p.To, p.Label = w.Monday(), w.Sunday(), w.String()
	case PeriodMonth:
		p.From, p.To = trygg.DateDay(y, m, 1), trygg.DateDay(y, m+1, 1)-1
		p.Label = fmt.Sprintf("%s %d", monthNames[m-1], y)
	case PeriodTertial:
		t := (int(m) - 1) / 4
		p.From, p.To = trygg.DateDay(y, time.Month(4*t+1), 1), trygg.DateDay(y, time.Month(4*t+5), 1)-1
		p.Label = fmt.Sprintf("tertial %d %d", t+1, y)
	case PeriodYear:
		p.From, p.To = trygg.DateDay(y, time.January, 1), trygg.DateDay(y, time.December, 31)
		p.Label = fmt.Sprint(y)
	case PeriodCustom:
		p.From, p.To = day, to
		p.Label = day.String() + " – " + to.String()
	default:
		var v trygg.Validation
		v.Add("period", "Välj vecka, månad, tertial, år eller egen period.")
		return Period{}, v.Err()
	}
	var v trygg.Validation
	if y < 2000 || y > 2999 {
		v.Add("datum", "Välj ett datum mellan år 2000 och 2999.")
	}
	if kind == PeriodCustom {
		if ty, _, _ := to.Date(); ty < 2000 || ty > 2999 {
			v.Add("till", "Välj ett slutdatum mellan år 2000 och 2999.")
		} else if to < day {
			v.Add("till", "Slutdatumet får inte vara före startdatumet.")
		} else if to-day > 366*maxYears {
			v.Add("till", "Perioden får vara högst %d år.", maxYears)
		}
	}
	if err := v.Err(); err != nil {
		return Period{}, err
	}
	return p, nil
}

// maxYears is the longest custom period.
const maxYears = 10
