package detect_test

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/trygg-est/trygg/detect"
	"github.com/trygg-est/trygg/reportio"
)

// refRow is one week of a reference file written by testdata/refs/make-refs.R.
type refRow struct {
	count      int
	upperBound float64 // NaN for NA
	alarm      string  // "true", "false" or "NA"
}

func readRefs(t *testing.T, path string) []refRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if strings.Join(recs[0], ",") != "week_index,count,method,upperbound,alarm" {
		t.Fatalf("%s: header %v", path, recs[0])
	}
	rows := make([]refRow, 0, len(recs)-1)
	for i, rec := range recs[1:] {
		if rec[0] != strconv.Itoa(i+1) {
			t.Fatalf("%s: row %d has week %s", path, i+2, rec[0])
		}
		c, err := strconv.Atoi(rec[1])
		if err != nil {
			t.Fatal(err)
		}
		ub := math.NaN()
		if rec[3] != "NA" {
			if ub, err = strconv.ParseFloat(rec[3], 64); err != nil {
				t.Fatal(err)
			}
		}
		rows = append(rows, refRow{count: c, upperBound: ub, alarm: rec[4]})
	}
	return rows
}

// TestAgainstR compares every method R computes the same way with the
// references from R's surveillance package: upper bounds within a relative
// tolerance, alarms identical except where the count lies within that
// tolerance of the bound.
func TestAgainstR(t *testing.T) {
	tolerance := map[detect.Method]float64{detect.EARSC1: 1e-9, detect.EARSC2: 1e-9, detect.Farrington: 1e-4, detect.Noufaily: 1e-4}
	inputs, err := filepath.Glob("testdata/refs/*.csv")
	if err != nil {
		t.Fatal(err)
	}
	series := 0
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".csv")
		if strings.Contains(name, ".") {
			continue // a result, not an input
		}
		series++
		f, err := os.Open(in)
		if err != nil {
			t.Fatal(err)
		}
		s, err := reportio.ReadSeries(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		for method, tol := range tolerance {
			t.Run(name+"/"+method.String(), func(t *testing.T) {
				want := readRefs(t, filepath.Join("testdata/refs", name+"."+method.String()+".csv"))
				got := detect.Evaluate(s.Counts, method, 0)
				if len(got) != len(want) {
					t.Fatalf("%d results, R has %d", len(got), len(want))
				}
				compared := 0
				for i, g := range got {
					w := want[i]
					week := i + 1
					if g.Count != w.count {
						t.Fatalf("week %d: count %d, R has %d", week, g.Count, w.count)
					}
					if w.alarm == "NA" {
						if g.Evaluated {
							t.Errorf("week %d: evaluated (bound %g), R does not evaluate it", week, g.UpperBound)
						}
						continue
					}
					if !g.Evaluated {
						t.Errorf("week %d: not evaluated, R has bound %g", week, w.upperBound)
						continue
					}
					if math.IsNaN(w.upperBound) != math.IsNaN(g.UpperBound) {
						t.Errorf("week %d: bound %g, R has %g", week, g.UpperBound, w.upperBound)
						continue
					}
					compared++
					if math.IsNaN(w.upperBound) {
						if g.Alarm != (w.alarm == "true") {
							t.Errorf("week %d: alarm %v without a bound, R has %s", week, g.Alarm, w.alarm)
						}
						continue
					}
					diff := math.Abs(g.UpperBound - w.upperBound)
					if diff > tol*math.Abs(w.upperBound) {
						t.Errorf("week %d: bound %.12g, R has %.12g (relative difference %.2g)", week, g.UpperBound, w.upperBound, diff/math.Abs(w.upperBound))
					}
					nearBound := math.Abs(float64(g.Count)-w.upperBound) <= tol*math.Abs(w.upperBound)
					if g.Alarm != (w.alarm == "true") && !nearBound {
						t.Errorf("week %d: alarm %v, R has %s (count %d, bound %g)", week, g.Alarm, w.alarm, g.Count, w.upperBound)
					}
				}
				if compared == 0 {
					t.Errorf("no week compared")
				}
			})
		}
	}
	if series < 5 {
		t.Fatalf("found %d reference series, want at least 5", series)
	}
}
