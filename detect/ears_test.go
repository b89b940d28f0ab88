package detect

import (
	"math"
	"testing"
)

// periodic repeats a 7-week pattern, so every 7-week baseline has mean 4
// and standard deviation √(5/3) = 1.2909944487358056.
func periodic(weeks int, tail ...int) []int {
	pattern := []int{3, 5, 4, 6, 2, 4, 4}
	var c []int
	for i := range weeks {
		c = append(c, pattern[i%7])
	}
	return append(c, tail...)
}

func TestEARSC1C2(t *testing.T) {
	const bound = 7.989472752566693 // 4 + 3.090232306167813·√(5/3)
	counts := periodic(11, 8, 9)
	tests := []struct {
		method    Method
		week      int
		evaluated bool
		bound     float64
		alarm     bool
	}{
		{EARSC1, 6, false, 0, false},
		{EARSC1, 7, true, bound, false},
		{EARSC1, 11, true, bound, true}, // 8 > 7.99
		{EARSC2, 8, false, 0, false},
		{EARSC2, 9, true, bound, false},
		{EARSC2, 12, true, bound, true},
	}
	for _, tt := range tests {
		r := Evaluate(counts, tt.method, tt.week)[0]
		if r.Index != tt.week || r.Count != counts[tt.week] || r.Evaluated != tt.evaluated {
			t.Fatalf("%v week %d: %+v", tt.method, tt.week, r)
		}
		if !tt.evaluated {
			if !math.IsNaN(r.UpperBound) || r.Alarm {
				t.Errorf("%v week %d: not evaluated but %+v", tt.method, tt.week, r)
			}
			continue
		}
		if math.Abs(r.UpperBound-tt.bound) > 1e-12 || r.Alarm != tt.alarm {
			t.Errorf("%v week %d: bound %.15g alarm %v, want %.15g %v", tt.method, tt.week, r.UpperBound, r.Alarm, tt.bound, tt.alarm)
		}
	}
}

// TestEARSC3Published checks C3 against values worked out by hand from the
// published definition C3(t) = Σ_{i=t-2..t} max(0, C2(i) - 1) > 1.96, on
// baselines with mean 4 and sd s = √(5/3).
func TestEARSC3Published(t *testing.T) {
	tests := []struct {
		name   string
		counts []int
		week   int
		bound  float64
		alarm  bool
	}{
		// C2 of weeks 9..11 is 0, 2/s, 3/s: C3 = 0 + 0.549 + 1.324 = 1.873.
		// Bound: 4 + s·(1 + 1.96 - 0.549).
		{"below", periodic(11, 7, 5, 8), 11, 7.112291521234931, false},
		// Weeks 10..12: 0.549 + 1.324 + 0 = 1.873.
		{"below after a peak", periodic(11, 7, 5, 8), 12, 5.403285969970736, false},
		// Weeks 11..13: 1.324 + 0 + 2.098 = 3.422; bound 4 + s·(1 + 1.96 - 1.324).
		{"alarm", periodic(11, 7, 5, 8), 13, 6.112291521234931, true},
		// Week 11 alone contributes 8/s - 1 = 5.2 > 1.96: week 13 alarms
		// with any count.
		{"earlier weeks decide", periodic(11, 12, 0, 0), 13, math.Inf(-1), true},
		// The outbreak week itself: C2 = 8/s = 6.2 alarms at once (R's
		// earsC would not alarm here; see docs/detection.md).
		{"outbreak week", periodic(11, 12, 0, 1), 11, 4 + 1.2909944487358056*(1+1.9599639845400536-0.5491933384829668), true},
		// A flat baseline: any count above it is infinitely unusual.
		{"flat baseline", []int{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 6}, 11, 5, true},
		{"flat baseline, at it", []int{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, 11, 5, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Evaluate(tt.counts, EARSC3, tt.week)[0]
			if !r.Evaluated {
				t.Fatalf("not evaluated")
			}
			if !(r.UpperBound == tt.bound || math.Abs(r.UpperBound-tt.bound) < 1e-12) || r.Alarm != tt.alarm {
				t.Errorf("bound %.15g alarm %v, want %.15g %v", r.UpperBound, r.Alarm, tt.bound, tt.alarm)
			}
		})
	}
	if r := Evaluate(periodic(11), EARSC3, 10)[0]; r.Evaluated {
		t.Errorf("week 10 has no C2 two weeks before it but is evaluated: %+v", r)
	}
}

func TestEvaluateRange(t *testing.T) {
	counts := periodic(20)
	if got := Evaluate(counts, EARSC1, 20); got != nil {
		t.Errorf("from past the end: %v", got)
	}
	got := Evaluate(counts, EARSC1, -3)
	if len(got) != 20 || got[0].Index != 0 || got[19].Index != 19 {
		t.Errorf("from -3: %d results", len(got))
	}
	for _, m := range Methods {
		need := HistoryNeeded(m)
		long := make([]int, need+1)
		rs := Evaluate(long, m, need-1)
		if rs[0].Evaluated || !rs[1].Evaluated {
			t.Errorf("%v: history needed %d, but evaluated %v, %v", m, need, rs[0].Evaluated, rs[1].Evaluated)
		}
	}
}

func TestChoose(t *testing.T) {
	for _, tt := range []struct {
		history int
		want    Method
	}{{0, EARSC2}, {210, EARSC2}, {211, Noufaily}, {600, Noufaily}} {
		m, reason := Choose(tt.history)
		if m != tt.want || reason == "" {
			t.Errorf("Choose(%d) = %v, %q; want %v", tt.history, m, reason, tt.want)
		}
	}
}

func TestParseMethod(t *testing.T) {
	for _, m := range Methods {
		if got, ok := ParseMethod(m.String()); !ok || got != m {
			t.Errorf("ParseMethod(%q) = %v, %v", m.String(), got, ok)
		}
	}
	if _, ok := ParseMethod("C2"); ok {
		t.Error("ParseMethod accepts C2")
	}
}
