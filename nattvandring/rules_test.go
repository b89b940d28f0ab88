package nattvandring

import (
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
)

var day = trygg.DateDay

func TestTrainingValid(t *testing.T) {
	t.Parallel()
	tr := []Training{{Kind: TrainingIntroduction, On: day(2024, 3, 10)}, {Kind: TrainingFirstAid, On: day(2025, 1, 1)}}
	cases := []struct {
		kind string
		on   trygg.Day
		want bool
	}{
		{TrainingIntroduction, day(2024, 3, 9), false},  // before the course
		{TrainingIntroduction, day(2024, 3, 10), true},  // the day itself
		{TrainingIntroduction, day(2027, 3, 9), true},   // last day of 36 months
		{TrainingIntroduction, day(2027, 3, 10), false}, // lapsed
		{TrainingFirstAid, day(2026, 12, 31), true},
		{TrainingFirstAid, day(2027, 1, 1), false},
		{TrainingConflict, day(2025, 1, 1), false}, // never taken
	}
	for _, c := range cases {
		if got := TrainingValid(DefaultValidity, tr, c.kind, c.on); got != c.want {
			t.Errorf("TrainingValid(%s, %s) = %v, want %v", c.kind, c.on, got, c.want)
		}
	}
}

func TestSignUpRefusal(t *testing.T) {
	t.Parallel()
	removed := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	walk := day(2026, 5, 8)
	yearly := Validity{TrainingIntroduction: 12, TrainingFirstAid: 12, TrainingConflict: 12}
	cases := []struct {
		name     string
		validity Validity // nil: DefaultValidity
		v        Volunteer
		want     string // a part of the reason; "" for allowed
	}{
		{"trained", nil, Volunteer{Trainings: []Training{{TrainingIntroduction, day(2025, 1, 1)}}}, ""},
		{"lapsed under a configured year", yearly, Volunteer{Trainings: []Training{{TrainingIntroduction, day(2025, 1, 1)}}}, "gällde till 2025-12-31"},
		{"no training", nil, Volunteer{}, "saknas"},
		{"only first aid", nil, Volunteer{Trainings: []Training{{TrainingFirstAid, day(2025, 1, 1)}}}, "saknas"},
		{"lapsed", nil, Volunteer{Trainings: []Training{{TrainingIntroduction, day(2022, 1, 1)}}}, "gällde till 2024-12-31"},
		{"renewed", nil, Volunteer{Trainings: []Training{{TrainingIntroduction, day(2022, 1, 1)}, {TrainingIntroduction, day(2025, 6, 1)}}}, ""},
		{"course after the walk", nil, Volunteer{Trainings: []Training{{TrainingIntroduction, day(2026, 6, 1)}}}, "saknas"},
		{"removed", nil, Volunteer{RemovedAt: &removed}, "borttagen"},
	}
	for _, c := range cases {
		validity := c.validity
		if validity == nil {
			validity = DefaultValidity
		}
		got := SignUpRefusal(validity, &c.v, walk)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: SignUpRefusal = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestCheckWalk(t *testing.T) {
	t.Parallel()
	insured := Insurance{Insurer: "Försäkringsbolaget", ValidFrom: day(2026, 1, 1), ValidTo: day(2026, 12, 31)}
	trained := func(n, untrained int) []SignUp {
		var s []SignUp
		for i := range n + untrained {
			s = append(s, SignUp{VolunteerID: int64(i + 1), Trained: i < n})
		}
		return s
	}
	cases := []struct {
		name    string
		g       Group
		w       Walk
		red     bool
		reasons int
	}{
		{"enough", Group{MinAdults: 3, Insurance: insured}, Walk{Date: day(2026, 5, 8), SignUps: trained(3, 0)}, false, 0},
		{"below minimum", Group{MinAdults: 3, Insurance: insured}, Walk{Date: day(2026, 5, 8), SignUps: trained(2, 0)}, true, 1},
		{"untrained do not count", Group{MinAdults: 3, Insurance: insured}, Walk{Date: day(2026, 5, 8), SignUps: trained(2, 4)}, true, 1},
		{"default minimum", Group{Insurance: insured}, Walk{Date: day(2026, 5, 8), SignUps: trained(2, 0)}, true, 1},
		{"insurance lapses", Group{MinAdults: 3, Insurance: insured}, Walk{Date: day(2027, 1, 1), SignUps: trained(4, 0)}, true, 1},
		{"no insurance, too few", Group{MinAdults: 2}, Walk{Date: day(2026, 5, 8), SignUps: trained(1, 0)}, true, 2},
	}
	for _, c := range cases {
		got := CheckWalk(&c.g, &c.w)
		if got.Red != c.red || len(got.Reasons) != c.reasons {
			t.Errorf("%s: CheckWalk = %+v, want red %v with %d reasons", c.name, got, c.red, c.reasons)
		}
		if refusal := ConfirmRefusal(&c.g, &c.w); (refusal != "") != c.red {
			t.Errorf("%s: ConfirmRefusal = %q", c.name, refusal)
		}
	}
	g := Group{MinAdults: 2, Insurance: insured}
	if r := ConfirmRefusal(&g, &Walk{Date: day(2026, 5, 8), Status: WalkCancelled, SignUps: trained(3, 0)}); r == "" {
		t.Error("a cancelled walk could be confirmed")
	}
}

func TestOverdueLoans(t *testing.T) {
	t.Parallel()
	today := day(2026, 5, 10)
	loans := []*Loan{
		{ID: 1, DueOn: day(2026, 5, 9)},
		{ID: 2, DueOn: day(2026, 5, 10)},                             // due today: not yet overdue
		{ID: 3, DueOn: day(2026, 4, 1)},                              // longest overdue
		{ID: 4, DueOn: day(2026, 4, 1), ReturnedOn: day(2026, 5, 1)}, // returned late
	}
	got := OverdueLoans(loans, today)
	if len(got) != 2 || got[0].ID != 3 || got[1].ID != 1 {
		t.Errorf("OverdueLoans = %v", got)
	}
}

func TestWalkTimes(t *testing.T) {
	t.Parallel()
	w := Walk{Date: day(2026, 3, 28), Start: 21 * 60, End: 60} // the night clocks go forward
	if got := w.StartTime().Format("2006-01-02 15:04 MST"); got != "2026-03-28 21:00 CET" {
		t.Errorf("StartTime = %s", got)
	}
	if got := w.EndTime().Format("2006-01-02 15:04 MST"); got != "2026-03-29 01:00 CET" {
		t.Errorf("EndTime = %s", got)
	}
}

func TestWeekendNight(t *testing.T) {
	t.Parallel()
	for d, want := range map[trygg.Day]bool{
		day(2026, 12, 4): true,  // Friday
		day(2026, 12, 5): true,  // Saturday
		day(2026, 12, 6): false, // Sunday
		day(2026, 12, 7): false, // Monday
	} {
		if WeekendNight(d) != want {
			t.Errorf("WeekendNight(%s) = %v", d, !want)
		}
	}
}
