package trygg_test

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
)

// readCSV reads a reference file written by testdata/effect/make-refs.R,
// as numbers, without its header.
func readCSV(t *testing.T, path string) [][]float64 {
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
	var out [][]float64
	for _, rec := range recs[1:] {
		row := make([]float64, len(rec))
		for i, s := range rec {
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
	for _, r := range readCSV(t, "testdata/effect/poisson_test.csv") {
		got := trygg.PoissonRateRatio(int(r[0]), int(r[1]), r[2], r[3])
		if !got.Defined || !near(got.Estimate, r[4], 1e-7) || !near(got.Lower, r[5], 1e-7) || !near(got.Upper, r[6], 1e-7) || !near(got.P, r[7], 1e-7) {
			t.Errorf("poisson.test(c(%g, %g), c(%g, %g)): got %g [%g, %g] p=%g, R says %g [%g, %g] p=%g",
				r[0], r[1], r[2], r[3], got.Estimate, got.Lower, got.Upper, got.P, r[4], r[5], r[6], r[7])
		}
	}
	if trygg.PoissonRateRatio(0, 0, 4, 4).Defined {
		t.Error("no reports at all gives a defined ratio")
	}
}

func TestCompareSeasonsMatchesR(t *testing.T) {
	for _, r := range readCSV(t, "testdata/effect/seasonal.csv") {
		now := trygg.PoissonRateRatio(int(r[0]), int(r[1]), 4, 4)
		ago := trygg.PoissonRateRatio(int(r[2]), int(r[3]), 4, 4)
		got := trygg.CompareSeasons(now, ago)
		if !got.Defined || !near(got.Estimate, r[4], 1e-6) || !near(got.Lower, r[5], 1e-6) || !near(got.Upper, r[6], 1e-6) {
			t.Errorf("%v: got %+v", r, got)
		}
	}
	if trygg.CompareSeasons(trygg.PoissonRateRatio(0, 3, 4, 4), trygg.PoissonRateRatio(2, 3, 4, 4)).Defined {
		t.Error("a zero count gives a defined seasonal ratio")
	}
}

func TestEffectWindows(t *testing.T) {
	today := mustDay(t, "2026-11-20") // a Friday in week 47
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
		before, after, ok := trygg.EffectWindows(mustDay(t, tt.start), today)
		if ok != tt.ok {
			t.Fatalf("%s: ok = %v", tt.start, ok)
		}
		if !ok {
			continue
		}
		str := func(w trygg.Window) string { return w.From.String() + " " + w.To.String() }
		if str(before) != tt.before || str(after) != tt.after || str(before.YearEarlier()) != tt.beforeYA || str(after.YearEarlier()) != tt.afterYA ||
			before.Weeks() != after.Weeks() || before.From.Monday() != before.From {
			t.Errorf("%s: before %s, after %s, a year earlier %s and %s", tt.start, str(before), str(after), str(before.YearEarlier()), str(after.YearEarlier()))
		}
	}
	w := trygg.Window{From: mustDay(t, "2025-12-29"), To: mustDay(t, "2026-01-11")}
	if w.Label() != "vecka 1–2 2026" {
		t.Errorf("label %q", w.Label())
	}
}

func TestEvaluateEffect(t *testing.T) {
	win := func(from string, weeks, count int) trygg.Window {
		d := mustDay(t, from)
		return trygg.Window{From: d, To: d + trygg.Day(7*weeks-1), Count: count}
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
		{"more", 10, 30, 10, 10, false, "Rapporterna ökade efter starten"},
		{"no sure change", 12, 12, 0, 3, false, "Ingen säker förändring: kvoten är 1,00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := trygg.EvaluateEffect(win("2026-08-03", 4, tt.before), win("2026-08-31", 4, tt.after),
				win("2025-08-04", 4, tt.beforeYA), win("2025-09-01", 4, tt.afterYA))
			if e.TooFew != tt.tooFew || !strings.Contains(e.Verdict, tt.verdict) {
				t.Fatalf("%+v", e)
			}
			if tt.name == "fewer" && (!e.Seasonal.Defined || !strings.Contains(e.Verdict, "Samma veckor ett år tidigare var kvoten 0,96")) {
				t.Fatalf("seasonal: %q", e.Verdict)
			}
		})
	}
	if trygg.FormatRatio(math.Inf(1)) != "oändlig" || trygg.FormatRatio(0.4166) != "0,42" {
		t.Error("FormatRatio")
	}
}
