package samverkan

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
)

// Light is a commitment's traffic-light status.
type Light string

const (
	LightGreen  Light = "gron" // the target is met
	LightYellow Light = "gul"  // on the way, not there
	LightRed    Light = "rod"  // not met, not on the way
	LightGrey   Light = "gra"  // too few values to say
)

// Lights lists the lights in display order.
var Lights = []Light{LightGreen, LightYellow, LightRed, LightGrey}

// Label returns the Swedish name of the light, which is always shown next
// to its colour.
func (l Light) Label() string {
	switch l {
	case LightGreen:
		return "Grönt – målet nås"
	case LightYellow:
		return "Gult – på väg"
	case LightRed:
		return "Rött – målet nås inte"
	case LightGrey:
		return "Grått – för lite underlag"
	}
	return string(l)
}

// Valid reports whether l is a known light.
func (l Light) Valid() bool { return slices.Contains(Lights, l) }

// LightOverride is a person's judgement that replaces the computed light,
// with the reason, which is shown beside it.
type LightOverride struct {
	Light       Light      `json:"light"`
	Reason      string     `json:"reason"`
	ByName      string     `json:"by_name"`
	At          time.Time  `json:"at"`
	PublishedAt *time.Time `json:"published_at,omitempty"` // approved for the public page
}

// CheckOverride checks a manual light and its reason, and returns the
// reason trimmed. An empty light removes the override and needs no
// reason. The reason is shown beside the light, on the public page too
// once approved, so it may hold no personal data.
func CheckOverride(light Light, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	var v trygg.Validation
	switch {
	case light == "":
		return "", nil
	case !light.Valid():
		v.Add("light", "Välj en färg.")
	case reason == "":
		v.Add("reason", "Skriv varför den beräknade färgen ska ersättas; skälet visas bredvid färgen.")
	default:
		trygg.CheckText(&v, "reason", reason, 1000, "")
		trygg.CheckPersonalData(&v, "reason", reason, "Skälet kan bli offentligt och får inte innehålla personuppgifter")
	}
	return reason, v.Err()
}

// Assessment is a commitment's traffic light and how it was reached.
type Assessment struct {
	Computed    Light          // by the rule below
	Light       Light          // what is shown: the override, if any, else Computed
	Override    *LightOverride // nil when the computed light stands
	Current     float64        // the value compared with the target
	Baseline    float64        // TargetReduce: the baseline monthly mean
	Change      float64        // TargetReduce: percent change from Baseline
	Explanation string         // in Swedish, for the page
}

// Assess computes a commitment's traffic light from its indicator values,
// as documented in docs/samverkan.md:
//
//   - Only values from the first day of the agreement (from) up to today
//     count as current; with none, the light is grey.
//   - TargetReduce compares the mean of the newest three current values
//     with the mean of the values in the baseline period: green when the
//     fall is at least the target percentage, yellow when there is a fall
//     but a smaller one, red when there is none. No baseline values, or a
//     baseline of zero, give grey.
//   - TargetAtLeast compares the newest current value with the target:
//     green at or above it, yellow at 80 % of it or more, red below.
//   - TargetAtMost: green at or below the target, yellow up to 20 % above
//     it, red above that.
//
// An override replaces the computed light but both are kept.
func Assess(c *Commitment, points []IndicatorPoint, from, today trygg.Day) Assessment {
	a := assess(c.Target, points, from, today)
	a.Light = a.Computed
	if c.Override != nil {
		a.Light, a.Override = c.Override.Light, c.Override
	}
	return a
}

func assess(t Target, points []IndicatorPoint, from, today trygg.Day) Assessment {
	var current []float64
	for _, p := range points {
		if p.Day >= from && p.Day <= today && !p.Suppressed {
			current = append(current, p.Value)
		}
	}
	if len(current) == 0 {
		return Assessment{Computed: LightGrey, Explanation: "Det finns inga mätvärden från överenskommelsens period ännu."}
	}
	switch t.Kind {
	case TargetReduce:
		var base []float64
		for _, p := range points {
			if p.Day >= t.BaselineFrom && p.Day <= t.BaselineTo && !p.Suppressed {
				base = append(base, p.Value)
			}
		}
		cur := mean(current[max(0, len(current)-3):])
		if len(base) == 0 || mean(base) == 0 {
			return Assessment{Computed: LightGrey, Current: cur,
				Explanation: "Det saknas mätvärden från jämförelseperioden, så förändringen kan inte beräknas."}
		}
		b := mean(base)
		change := (cur - b) / b * 100
		a := Assessment{Current: cur, Baseline: b, Change: change}
		switch {
		case change <= -t.Value:
			a.Computed = LightGreen
		case change < 0:
			a.Computed = LightYellow
		default:
			a.Computed = LightRed
		}
		a.Explanation = fmt.Sprintf("Senaste %s: %s per månad mot %s under jämförelseperioden, en förändring med %s %% (målet är −%s %%).",
			valuesWord(min(3, len(current))), trygg.FormatNumber(cur), trygg.FormatNumber(b), trygg.FormatNumber(change), trygg.FormatNumber(t.Value))
		return a
	case TargetAtLeast, TargetAtMost:
		cur := current[len(current)-1]
		a := Assessment{Current: cur}
		ratio := 0.0
		if t.Value > 0 {
			ratio = cur / t.Value
		} else if cur > 0 {
			ratio = math.Inf(1)
		}
		if t.Kind == TargetAtLeast {
			switch {
			case cur >= t.Value:
				a.Computed = LightGreen
			case ratio >= 0.8:
				a.Computed = LightYellow
			default:
				a.Computed = LightRed
			}
			a.Explanation = fmt.Sprintf("Senaste mätvärdet är %s; målet är minst %s per månad.", trygg.FormatNumber(cur), trygg.FormatNumber(t.Value))
		} else {
			switch {
			case cur <= t.Value:
				a.Computed = LightGreen
			case ratio <= 1.2:
				a.Computed = LightYellow
			default:
				a.Computed = LightRed
			}
			a.Explanation = fmt.Sprintf("Senaste mätvärdet är %s; målet är högst %s per månad.", trygg.FormatNumber(cur), trygg.FormatNumber(t.Value))
		}
		return a
	}
	return Assessment{Computed: LightGrey, Explanation: "Målet saknar en regel som kan beräknas."}
}

func valuesWord(n int) string {
	if n == 1 {
		return "mätvärdet"
	}
	return fmt.Sprintf("%d mätvärdenas medelvärde", n)
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// MaxIndicatorRows is the most values one indicator may be given at once,
// in a file or stored in one go.
const MaxIndicatorRows = 10000

// Display writes the value for a page: the number, or that a small count
// is withheld.
func (p IndicatorPoint) Display() string {
	if p.Suppressed {
		return disclose.WithheldText()
	}
	return trygg.FormatNumber(p.Value)
}
