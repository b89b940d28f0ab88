package effect_test

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/effect"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/tryggtest"
)

// readRecords reads a reference file written by
// testdata/make-refs.R, without its header.
func readRecords(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[1:]
}

// readCSV reads a reference file of numbers.
func readCSV(t *testing.T, path string) [][]float64 {
	t.Helper()
	var out [][]float64
	for _, rec := range readRecords(t, path) {
		row := make([]float64, len(rec))
		for i, s := range rec {
			var err error
			if row[i], err = strconv.ParseFloat(s, 64); err != nil { // ParseFloat reads "Inf"
				t.Fatalf("%s: %q: %v", path, s, err)
			}
		}
		out = append(out, row)
	}
	return out
}

// near compares with R to a relative tolerance: 1e-7 for poisson.test's
// closed forms, 1e-6 for the GLM, whose fit stops at R's convergence
// tolerance.
func near(got, want, tol float64) bool {
	if math.IsInf(want, 1) {
		return math.IsInf(got, 1)
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// TestPoissonRateRatioMatchesR checks the rate ratio, its exact interval
// and p-value against R's poisson.test.
func TestPoissonRateRatioMatchesR(t *testing.T) {
	for _, r := range readCSV(t, "testdata/poisson_test.csv") {
		got := effect.PoissonRateRatio(int(r[0]), int(r[1]), r[2], r[3])
		if !got.Defined || !near(got.Estimate, r[4], 1e-7) || !near(got.Lower, r[5], 1e-7) || !near(got.Upper, r[6], 1e-7) || !near(got.P, r[7], 1e-7) {
			t.Errorf("poisson.test(c(%g, %g), c(%g, %g)): got %g [%g, %g] p=%g, R says %g [%g, %g] p=%g",
				r[0], r[1], r[2], r[3], got.Estimate, got.Lower, got.Upper, got.P, r[4], r[5], r[6], r[7])
		}
	}
	if effect.PoissonRateRatio(0, 0, 4, 4).Defined {
		t.Error("no reports at all gives a defined ratio")
	}
}

func TestCompareSeasonsMatchesR(t *testing.T) {
	for _, r := range readCSV(t, "testdata/seasonal.csv") {
		now := effect.PoissonRateRatio(int(r[0]), int(r[1]), 4, 4)
		ago := effect.PoissonRateRatio(int(r[2]), int(r[3]), 4, 4)
		got := effect.CompareSeasons(now, ago)
		if !got.Defined || !near(got.Estimate, r[4], 1e-6) || !near(got.Lower, r[5], 1e-6) || !near(got.Upper, r[6], 1e-6) {
			t.Errorf("%v: got %+v", r, got)
		}
	}
	if effect.CompareSeasons(effect.PoissonRateRatio(0, 3, 4, 4), effect.PoissonRateRatio(2, 3, 4, 4)).Defined {
		t.Error("a zero count gives a defined seasonal ratio")
	}
}

func TestEffectWindows(t *testing.T) {
	today := tryggtest.Day(t, "2026-11-20") // a Friday in week 47
	tests := []struct {
		start             string
		ok                bool
		before, after     string
		beforeYA, afterYA string
	}{
		// Started Wednesday of week 44: weeks 45 and 46 are over.
		{"2026-10-28", true, "2026-10-12 2026-10-25", "2026-11-02 2026-11-15", "2025-10-13 2025-10-26", "2025-11-03 2025-11-16"},
		// Started in week 46: no whole week after it has ended.
		{"2026-11-11", false, "", "", "", ""},
		// Long ago: 12 weeks each side.
		{"2025-01-08", true, "2024-10-14 2025-01-05", "2025-01-13 2025-04-06", "2023-10-16 2024-01-07", "2024-01-15 2024-04-07"},
	}
	for _, tt := range tests {
		before, after, ok := effect.WeekWindows(tryggtest.Day(t, tt.start), today)
		if ok != tt.ok {
			t.Fatalf("%s: ok = %v", tt.start, ok)
		}
		if !ok {
			continue
		}
		str := func(w effect.Window) string { return w.From.String() + " " + w.To.String() }
		if str(before) != tt.before || str(after) != tt.after || str(before.YearEarlier()) != tt.beforeYA || str(after.YearEarlier()) != tt.afterYA ||
			before.Weeks() != after.Weeks() || before.From.Monday() != before.From {
			t.Errorf("%s: before %s, after %s, a year earlier %s and %s", tt.start, str(before), str(after), str(before.YearEarlier()), str(after.YearEarlier()))
		}
	}
	w := effect.Window{From: tryggtest.Day(t, "2025-12-29"), To: tryggtest.Day(t, "2026-01-11"), Weekly: true}
	if w.Label() != "vecka 1–2 2026" {
		t.Errorf("label %q", w.Label())
	}
}

func TestEvaluateEffect(t *testing.T) {
	win := func(from string, weeks, count int) effect.Window {
		d := tryggtest.Day(t, from)
		return effect.Window{From: d, To: d + trygg.Day(7*weeks-1), Count: count, Periods: weeks, Weekly: true}
	}
	tests := []struct {
		name              string
		before, after     int
		beforeYA, afterYA int
		tooFew            bool
		verdict           string
	}{
		{"too few", 4, 3, 5, 5, true, "För få rapporter (7)"},
		{"fewer", 60, 25, 50, 48, false, "Rapporterna minskade efter starten: kvoten är 0,42"},
		{"fewer, as a year earlier", 60, 25, 60, 28, false, "för osäker för att utesluta att förändringen beror på årstiden"},
		{"fewer, and few a year earlier", 60, 30, 4, 4, false, "Jämförelsen med samma tid året innan är för osäker"},
		{"more", 10, 30, 10, 10, false, "Rapporterna ökade efter starten"},
		{"no sure change", 12, 12, 0, 3, false, "Ingen säker förändring: kvoten är 1,00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := effect.EvaluateCounts(effect.Reports, win("2026-08-03", 4, tt.before), win("2026-08-31", 4, tt.after),
				win("2025-08-04", 4, tt.beforeYA), win("2025-09-01", 4, tt.afterYA))
			if e.TooFew != tt.tooFew || !strings.Contains(e.Verdict, tt.verdict) {
				t.Fatalf("%+v", e)
			}
			if tt.name == "fewer" && (!e.Seasonal.Defined || !strings.Contains(e.Verdict, "Samma veckor ett år tidigare var kvoten 0,96") ||
				!strings.Contains(e.Verdict, "säker även jämfört med årstiden")) {
				t.Fatalf("seasonal: %q", e.Verdict)
			}
		})
	}
	// Ads entered by hand lag behind: no stored week after the start is
	// no evidence of a fall.
	none := win("2026-08-31", 4, 0)
	none.Periods = 0
	if e := effect.EvaluateCounts(effect.Ads, win("2026-08-03", 4, 40), none, win("2025-08-04", 4, 40), win("2025-09-01", 4, 40)); !e.TooFew ||
		e.Verdict != "Det finns inga värden efter starten ännu, så effekten kan inte bedömas." {
		t.Errorf("nothing after the start: %+v", e)
	}
	if effect.FormatRatio(math.Inf(1)) != "oändlig" || effect.FormatRatio(0.4166) != "0,42" {
		t.Error("FormatRatio")
	}
}

// TestWelchMatchesR checks the difference of means, its interval, degrees
// of freedom and p-value against R's t.test, and the difference in
// differences against R's t quantiles (testdata/make-refs.R).
func TestWelchMatchesR(t *testing.T) {
	values := func(s string) []float64 {
		var out []float64
		for _, field := range strings.Fields(s) {
			x, err := strconv.ParseFloat(field, 64)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, x)
		}
		return out
	}
	for _, rec := range readRecords(t, "testdata/welch.csv") {
		var want [5]float64
		for i := range want {
			var err error
			if want[i], err = strconv.ParseFloat(rec[4+i], 64); err != nil {
				t.Fatal(err)
			}
		}
		got := effect.WelchDifference(values(rec[0]), values(rec[1]))
		if rec[2] != "" {
			got = effect.DifferenceInDifferences(values(rec[0]), values(rec[1]), values(rec[2]), values(rec[3]))
		}
		// gonum's t quantile agrees with R's to about 1e-9.
		if !got.Defined || !near(got.Estimate, want[0], 1e-9) || !near(got.Lower, want[1], 1e-8) || !near(got.Upper, want[2], 1e-8) ||
			!near(got.DF, want[3], 1e-9) || !near(got.P, want[4], 1e-8) {
			t.Errorf("%v: got %+v, R says %v", rec[:4], got, want)
		}
	}
	for _, tt := range []struct{ after, before []float64 }{{[]float64{1}, []float64{1, 2}}, {[]float64{3, 3}, []float64{3, 3, 3}}} {
		if effect.WelchDifference(tt.after, tt.before).Defined {
			t.Errorf("%v against %v gives a defined difference", tt.after, tt.before)
		}
	}
}

func TestSeriesWindows(t *testing.T) {
	monthly := func(from string, values ...float64) []samverkan.IndicatorPoint {
		d := tryggtest.Day(t, from)
		var out []samverkan.IndicatorPoint
		for i, v := range values {
			y, m, _ := d.Date()
			out = append(out, samverkan.IndicatorPoint{Day: trygg.DateDay(y, m+time.Month(i), 1), Value: v})
		}
		return out
	}
	today := tryggtest.Day(t, "2026-11-20")
	// 27 monthly values, 5 to 31, from September 2024; the agreement started 1 September 2025.
	two := monthly("2024-09-01", 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31)
	tests := []struct {
		name                             string
		points                           []samverkan.IndicatorPoint
		start                            string
		ok                               bool
		before, after, beforeYA, afterYA string // "first last periods count"
	}{
		{"nothing after start", two, "2027-01-01", false, "", "", "", ""},
		{"after is shorter", two, "2026-09-15", true,
			"2026-08-01 2026-09-01 2 57", "2026-10-01 2026-11-01 2 61", "2025-08-01 2025-09-01 2 33", "2025-10-01 2025-11-01 2 37"},
		{"at most 12 each side", two, "2025-10-01", true,
			"2024-10-01 2025-09-01 12 138", "2025-10-01 2026-09-01 12 282", "2024-09-01 2024-09-01 1 5", "2024-10-01 2025-09-01 12 138"},
		{"nothing before start", two, "2024-01-01", true,
			"0 0 0 0", "2024-09-01 2024-09-01 1 5", "0 0 0 0", "0 0 0 0"},
		{"suppressed and future values left out", append(monthly("2026-06-01", 4, 7, 0, 9, 9, 9, 9),
			samverkan.IndicatorPoint{Day: tryggtest.Day(t, "2026-07-15"), Value: 2, Suppressed: true}), "2026-08-01", true,
			"2026-06-01 2026-07-01 2 11", "2026-08-01 2026-09-01 2 9", "2025-06-01 2025-07-01 0 0", "2025-08-01 2025-09-01 0 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, a, bya, aya, ok := effect.SeriesWindows(tt.points, tryggtest.Day(t, tt.start), today, false)
			if ok != tt.ok {
				t.Fatalf("ok = %v", ok)
			}
			if !ok {
				return
			}
			str := func(w effect.Window) string {
				if w.From == 0 {
					return fmt.Sprintf("0 0 %d %d", w.Periods, w.Count)
				}
				return fmt.Sprintf("%s %s %d %d", w.From, w.To, w.Periods, w.Count)
			}
			if str(b) != tt.before || str(a) != tt.after || str(bya) != tt.beforeYA || str(aya) != tt.afterYA {
				t.Errorf("got\n%s\n%s\n%s\n%s", str(b), str(a), str(bya), str(aya))
			}
		})
	}
	_, a, _, _, _ := effect.SeriesWindows(monthly("2026-01-01", 0.5, 0.25, 0.75, 0.5), tryggtest.Day(t, "2026-03-01"), today, true)
	if !a.Measured || len(a.Values) != 2 || a.Values[0] != 0.75 || a.Summary() != "medel 0,62 av 2 värden (2026-03-01 – 2026-04-01)" {
		t.Errorf("measured window %+v, %q", a, a.Summary())
	}
}

func TestEvaluateMeans(t *testing.T) {
	win := func(values ...float64) effect.Window { return effect.Window{Measured: true, Values: values} }
	tests := []struct {
		name                       string
		before, after, bYA, aYA    effect.Window
		tooFew                     bool
		verdict, seasonal, nowText string
	}{
		{"too few after", win(70, 71, 72), win(75, 76), win(), win(), true, "För få mätvärden (3 före och 2 efter starten)", "", "+4,5 (2,01 till 6,99)"},
		{"no variation", win(5, 5, 5), win(5, 5, 5), win(), win(), true, "varierar inte alls", "", "–"},
		{"rose", win(68, 70, 66, 71), win(72, 75, 78, 74), win(67, 69, 68, 70), win(69, 71, 70, 73), false,
			"Mätvärdena steg efter starten: medelvärdet är 6 högre (95 % konfidensintervall 1,9 till 10,1)", "förändringen 3,75 (−0,67 till 8,17). Jämförelsen med samma tid året innan är för osäker", "+6 (1,9 till 10,1)"},
		{"fell", win(18, 17, 19, 16, 20, 18), win(12, 14, 11, 13, 15, 12), win(), win(), false, "Mätvärdena sjönk efter starten: medelvärdet är 5,17 lägre", "", ""},
		{"no sure change", win(3.1, 3.3, 3.0, 3.4, 2.8), win(3.2, 2.9, 3.5), win(), win(), false, "Ingen säker förändring: medelvärdet ändrades med 0,08", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := effect.EvaluateMeans(tt.before, tt.after, tt.bYA, tt.aYA)
			if e.TooFew != tt.tooFew || !strings.Contains(e.Verdict, tt.verdict) || !strings.Contains(e.Verdict, tt.seasonal) ||
				(tt.nowText != "" && e.NowText() != tt.nowText) {
				t.Fatalf("%+v\n%s", e, e.NowText())
			}
			if tt.seasonal == "" && strings.Contains(e.Verdict, "årstiden") {
				t.Fatalf("a seasonal comparison without the year before: %q", e.Verdict)
			}
		})
	}
}

func TestFormatDecimal(t *testing.T) {
	for x, want := range map[float64]string{0.035: "0,04", -2.5: "−2,5", 6: "6", -0.001: "0", 1234.567: "1234,57"} {
		if got := effect.FormatDecimal(x); got != want {
			t.Errorf("FormatDecimal(%g) = %q, want %q", x, got, want)
		}
	}
}
