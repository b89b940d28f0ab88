package nattvandring

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
)

// fieldsOf returns the fields err names, in order.
func fieldsOf(err error) []string {
	var out []string
	for _, f := range trygg.ErrorFields(err) {
		out = append(out, f.Field)
	}
	return out
}

func checkFields(t *testing.T, name string, err error, want []string) {
	t.Helper()
	got := fieldsOf(err)
	if !slices.Equal(got, want) {
		t.Errorf("%s: fields %v, want %v (%v)", name, got, want, err)
	}
	for _, f := range trygg.ErrorFields(err) {
		if f.Message == "" || strings.Contains(f.Message, "%!") {
			t.Errorf("%s: bad message %q", name, f.Message)
		}
	}
}

func TestGroupInputValidate(t *testing.T) {
	t.Parallel()
	ok := GroupInput{Name: "Nattvandrarna Ålidhem", Contact: "kontakt@example.org", Districts: []string{"alidhem"}}
	cases := []struct {
		name string
		edit func(*GroupInput)
		want []string
	}{
		{"ok", func(*GroupInput) {}, nil},
		{"no name", func(g *GroupInput) { g.Name = "  " }, []string{"name"}},
		{"no districts", func(g *GroupInput) { g.Districts = []string{" "} }, []string{"districts"}},
		{"insurance backwards", func(g *GroupInput) {
			g.Insurance.ValidFrom, g.Insurance.ValidTo = day(2026, 2, 1), day(2026, 1, 1)
		}, []string{"insurance_to"}},
		{"minimum too low", func(g *GroupInput) { g.MinAdults = 1 }, []string{"min_adults"}},
		{"long name", func(g *GroupInput) { g.Name = strings.Repeat("å", 121) }, []string{"name"}},
	}
	for _, c := range cases {
		in := ok
		c.edit(&in)
		checkFields(t, c.name, in.Validate(), c.want)
		if c.want == nil && in.MinAdults != DefaultMinAdults {
			t.Errorf("%s: MinAdults = %d", c.name, in.MinAdults)
		}
	}
}

func TestVolunteerInputValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   VolunteerInput
		want []string
	}{
		{VolunteerInput{Name: "Anna  Berg", Phone: "070-123 45 67", Email: "Anna@Example.org"}, nil},
		{VolunteerInput{Name: "Anna", Phone: "+46701234567"}, nil},
		{VolunteerInput{Phone: "0701234567"}, []string{"name"}},
		{VolunteerInput{Name: "Anna"}, []string{"phone"}},
		{VolunteerInput{Name: "Anna", Phone: "ring mig"}, []string{"phone"}},
		{VolunteerInput{Name: "Anna", Phone: "123"}, []string{"phone"}},
		{VolunteerInput{Name: "Anna", Phone: "0701234567", Email: "inte en adress"}, []string{"email"}},
	}
	for _, c := range cases {
		in := c.in
		checkFields(t, c.in.Name+"/"+c.in.Phone, in.Validate(), c.want)
	}
}

func TestTrainingInputValidate(t *testing.T) {
	t.Parallel()
	today := day(2026, 12, 7)
	cases := []struct {
		in   TrainingInput
		want []string
	}{
		{TrainingInput{TrainingIntroduction, day(2026, 1, 1)}, nil},
		{TrainingInput{"simning", day(2026, 1, 1)}, []string{"kind"}},
		{TrainingInput{TrainingFirstAid, 0}, []string{"on"}},
		{TrainingInput{TrainingFirstAid, today + 1}, []string{"on"}},
		{TrainingInput{TrainingFirstAid, day(1999, 1, 1)}, []string{"on"}},
	}
	for _, c := range cases {
		checkFields(t, c.in.Kind, c.in.Validate(today), c.want)
	}
}

func TestWalkInputValidate(t *testing.T) {
	t.Parallel()
	today := day(2026, 12, 7)
	ok := WalkInput{Date: today + 4, Start: 21 * 60, End: 60, Districts: []string{"alidhem"}, MeetingPoint: "Ålidhems centrum"}
	cases := []struct {
		name string
		edit func(*WalkInput)
		want []string
	}{
		{"ok", func(*WalkInput) {}, nil},
		{"past", func(w *WalkInput) { w.Date = today - 1 }, []string{"date"}},
		{"no date", func(w *WalkInput) { w.Date = 0 }, []string{"date"}},
		{"no start", func(w *WalkInput) { w.Start = -1 }, []string{"start"}},
		{"too long", func(w *WalkInput) { w.Start, w.End = 12*60, 23*60 }, []string{"end"}},
		{"other district", func(w *WalkInput) { w.Districts = []string{"teg"} }, []string{"districts"}},
		{"no meeting point", func(w *WalkInput) { w.MeetingPoint = "" }, []string{"meeting_point"}},
		{"phone in meeting point", func(w *WalkInput) { w.MeetingPoint = "Ring 070-123 45 67" }, []string{"meeting_point"}},
	}
	for _, c := range cases {
		in := ok
		in.Districts = slices.Clone(ok.Districts)
		c.edit(&in)
		checkFields(t, c.name, in.Validate(today, []string{"alidhem", "haga"}), c.want)
	}
}

func TestWalkLogValidate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 5, 2, 0, 0, 0, time.UTC)
	obs := Observation{OccurredAt: now.Add(-2 * time.Hour), AreaCode: "alidhem", PlaceType: "skola",
		Category: "skadegorelse", Severity: 2, Description: "Krossad ruta vid skolans entré."}
	cases := []struct {
		name string
		log  WalkLog
		want []string
	}{
		{"ok", WalkLog{Walkers: []Walker{{VolunteerID: 1, Minutes: 240}}, Districts: []string{"alidhem"}, Observations: []Observation{obs}}, nil},
		{"no walkers", WalkLog{Districts: []string{"alidhem"}}, []string{"walkers"}},
		{"twice", WalkLog{Walkers: []Walker{{1, "", 60}, {1, "", 60}}, Districts: []string{"alidhem"}}, []string{"walkers[1]"}},
		{"no minutes", WalkLog{Walkers: []Walker{{1, "", 0}}, Districts: []string{"alidhem"}}, []string{"walkers[0].minutes"}},
		{"negative contacts", WalkLog{Walkers: []Walker{{1, "", 60}}, Districts: []string{"alidhem"}, YouthContacts: -1}, []string{"youth_contacts"}},
		{"no districts", WalkLog{Walkers: []Walker{{1, "", 60}}}, []string{"districts"}},
		{"observation with a phone number", WalkLog{Walkers: []Walker{{1, "", 60}}, Districts: []string{"alidhem"},
			Observations: []Observation{obs, func() Observation { o := obs; o.Description = "Ring 070-123 45 67"; o.PlaceType = "skola"; return o }()}},
			[]string{"observations[1].description"}},
		{"observation in the future", WalkLog{Walkers: []Walker{{1, "", 60}}, Districts: []string{"alidhem"},
			Observations: []Observation{func() Observation { o := obs; o.OccurredAt = now.Add(time.Hour); return o }()}},
			[]string{"observations[0].occurred_at"}},
	}
	for _, c := range cases {
		l := c.log
		checkFields(t, c.name, l.Validate(now), c.want)
	}
}

func TestItemAndLoanValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   ItemInput
		want []string
	}{
		{ItemInput{Kind: ItemJacket, Size: "l", Label: "Väst 12"}, nil},
		{ItemInput{Kind: ItemTorch, Size: "L", Label: "Lampa 1"}, nil},
		{ItemInput{Kind: ItemJacket, Label: "Väst 12"}, []string{"size"}},
		{ItemInput{Kind: "hjalm", Label: "x"}, []string{"kind"}},
		{ItemInput{Kind: ItemTorch}, []string{"label"}},
	}
	for _, c := range cases {
		in := c.in
		checkFields(t, c.in.Label, in.Validate(), c.want)
	}
	today := day(2026, 12, 7)
	checkFields(t, "due ok", CheckLoan(today+7, today), nil)
	checkFields(t, "due past", CheckLoan(today-1, today), []string{"due"})
	checkFields(t, "due missing", CheckLoan(0, today), []string{"due"})
	checkFields(t, "reason ok", CheckWriteOff("Tappades bort under vandringen"), nil)
	checkFields(t, "reason missing", CheckWriteOff(" "), []string{"reason"})
	checkFields(t, "reason with e-mail", CheckWriteOff("Anna har den, anna@example.org"), []string{"reason"})
}

func TestParseClockAndHours(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]int{"21:00": 1260, "2130": 1290, "01.15": 75, "00:00": 0} {
		if got, ok := ParseClock(s); !ok || got != want {
			t.Errorf("ParseClock(%q) = %d, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "25:00", "kväll", "9"} {
		if _, ok := ParseClock(s); ok {
			t.Errorf("ParseClock(%q) accepted", s)
		}
	}
	for s, want := range map[string]int{"2,5": 150, "3": 180, "0.25": 15} {
		if got, ok := ParseHours(s); !ok || got != want {
			t.Errorf("ParseHours(%q) = %d, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "tre", "1e3", "-1", "1,2,3", "inf", "NaN"} {
		if _, ok := ParseHours(s); ok {
			t.Errorf("ParseHours(%q) accepted", s)
		}
	}
	if Hours(150) != "2,5" || Hours(180) != "3" {
		t.Errorf("Hours = %s, %s", Hours(150), Hours(180))
	}
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"21:00", "2130", "01.15", "", "25:99", "kl 9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if m, ok := ParseClock(s); ok && (m < 0 || m >= 24*60) {
			t.Errorf("ParseClock(%q) = %d", s, m)
		}
	})
}

func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"2,5", "3", "0.25", "", "1e3", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if m, ok := ParseHours(s); ok && (m < 0 || m > 1000000*60) {
			t.Errorf("ParseHours(%q) = %d", s, m)
		}
	})
}

func FuzzVolunteerInput(f *testing.F) {
	f.Add("Anna Berg", "070-123 45 67", "anna@example.org")
	f.Add("", "+46", "x")
	f.Fuzz(func(t *testing.T, name, phone, email string) {
		in := VolunteerInput{Name: name, Phone: phone, Email: email}
		if err := in.Validate(); err != nil && trygg.ErrorCode(err) != trygg.EINVALID {
			t.Errorf("Validate: %v", err)
		}
	})
}
