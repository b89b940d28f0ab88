package nattvandring

import (
	"fmt"
	"slices"

	"github.com/trygg-est/trygg"
)

// ValidUntil is the last day a training of kind taken on day is valid
// under validity; 0 for a kind with no validity.
func ValidUntil(validity Validity, kind string, on trygg.Day) trygg.Day {
	months := validity.Months(kind)
	if months <= 0 || on == 0 {
		return 0
	}
	return on.AddMonths(months) - 1
}

// TrainingValid reports whether trainings hold a valid one of kind on day:
// taken on or before day and not lapsed.
func TrainingValid(validity Validity, trainings []Training, kind string, day trygg.Day) bool {
	for _, t := range trainings {
		if t.Kind == kind && t.On <= day && day <= ValidUntil(validity, kind, t.On) {
			return true
		}
	}
	return false
}

// SignUpRefusal says why a volunteer may not sign up for a walk on day;
// "" when the volunteer may. Only the introduction is required: first aid
// and conflict management are recommended, not a condition.
func SignUpRefusal(validity Validity, v *Volunteer, day trygg.Day) string {
	if v.RemovedAt != nil {
		return "Personen är borttagen ur gruppen."
	}
	latest := trygg.Day(0)
	for _, t := range v.Trainings {
		if t.Kind == TrainingIntroduction && t.On <= day && t.On > latest {
			latest = t.On
		}
	}
	switch {
	case latest == 0:
		return "Introduktionsutbildningen saknas. Den som ska gå med behöver gå introduktionen först."
	case ValidUntil(validity, TrainingIntroduction, latest) < day:
		return fmt.Sprintf("Introduktionsutbildningen (%s) gällde till %s och behöver förnyas innan nästa vandring.",
			latest, ValidUntil(validity, TrainingIntroduction, latest))
	}
	return ""
}

// WalkCheck is whether a walk may be confirmed: Red with the reasons when
// it may not.
type WalkCheck struct {
	Red     bool
	Reasons []string
	Trained int // signed-up adults with a valid introduction on the day
}

// CheckWalk decides whether walk w of group g is red: fewer trained adults
// signed up than the group's minimum, or an insurance that does not cover
// the walk's day.
func CheckWalk(g *Group, w *Walk) WalkCheck {
	var c WalkCheck
	for _, s := range w.SignUps {
		if s.Trained {
			c.Trained++
		}
	}
	minAdults := g.MinAdults
	if minAdults <= 0 {
		minAdults = DefaultMinAdults
	}
	if c.Trained < minAdults {
		c.Red = true
		c.Reasons = append(c.Reasons, fmt.Sprintf("%d av minst %d utbildade vuxna är anmälda.", c.Trained, minAdults))
	}
	if !g.Insurance.ValidOn(w.Date) {
		c.Red = true
		if g.Insurance.ValidTo == 0 {
			c.Reasons = append(c.Reasons, "Gruppen har ingen olycksfallsförsäkring registrerad.")
		} else {
			c.Reasons = append(c.Reasons, fmt.Sprintf("Olycksfallsförsäkringen gäller %s–%s och täcker inte vandringens datum.",
				g.Insurance.ValidFrom, g.Insurance.ValidTo))
		}
	}
	return c
}

// ConfirmRefusal says why walk w may not be confirmed; "" when it may.
func ConfirmRefusal(g *Group, w *Walk) string {
	switch w.Status {
	case WalkCancelled:
		return "Vandringen är inställd."
	case WalkDone:
		return "Vandringen är redan genomförd."
	}
	if c := CheckWalk(g, w); c.Red {
		return "Vandringen kan inte bekräftas: " + joinReasons(c.Reasons)
	}
	return ""
}

func joinReasons(rs []string) string {
	out := ""
	for i, r := range rs {
		if i > 0 {
			out += " "
		}
		out += r
	}
	return out
}

// OverdueLoans returns the loans out past their return date on today,
// the longest overdue first.
func OverdueLoans(loans []*Loan, today trygg.Day) []*Loan {
	var out []*Loan
	for _, l := range loans {
		if l.Overdue(today) {
			out = append(out, l)
		}
	}
	slices.SortStableFunc(out, func(a, b *Loan) int { return int(a.DueOn - b.DueOn) })
	return out
}

// WeekendNight reports whether day's evening is a weekend night: Friday
// or Saturday.
func WeekendNight(day trygg.Day) bool {
	wd := day - day.Monday() // 0 = Monday
	return wd == 4 || wd == 5
}
