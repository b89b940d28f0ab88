package tips

import (
	"strings"
	"testing"
	"time"

	"unicode/utf8"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/pii"
)

func TestInputValidate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)
	valid := func() Input {
		return Input{Category: "klotter", AreaCode: "alidhem", OccurredAt: now.Add(-time.Hour), Text: " Klotter på busskuren. ", Source: SourceWeb}
	}
	for _, tc := range []struct {
		name  string
		edit  func(*Input)
		field string // "" for valid
	}{
		{"valid", func(*Input) {}, ""},
		{"a point instead of a district", func(in *Input) { in.AreaCode = ""; in.Location = &trygg.Point{Lat: 63.8, Lon: 20.3} }, ""},
		{"no category", func(in *Input) { in.Category = " " }, "category"},
		{"no place", func(in *Input) { in.AreaCode = "" }, "area"},
		{"no time", func(in *Input) { in.OccurredAt = time.Time{} }, "occurred_at"},
		{"future", func(in *Input) { in.OccurredAt = now.Add(time.Hour) }, "occurred_at"},
		{"no text", func(in *Input) { in.Text = "  " }, "text"},
		{"too long", func(in *Input) { in.Text = strings.Repeat("å", MaxTextLength+1) }, "text"},
		{"personnummer", func(in *Input) { in.Text = "Det var 811218-9876." }, "text"},
		{"phone in the address", func(in *Input) { in.Address = "Ring 070-123 45 67" }, "address"},
		{"e-mail", func(in *Input) { in.Text = "Skriv till a.b@example.se" }, "text"},
		{"unknown source", func(in *Input) { in.Source = "fax" }, "source"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.edit(&in)
			err := in.Validate(now)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				if in.Text != strings.TrimSpace(in.Text) {
					t.Errorf("text not trimmed: %q", in.Text)
				}
				return
			}
			fields := trygg.ErrorFields(err)
			if trygg.ErrorCode(err) != trygg.EINVALID || len(fields) == 0 || fields[0].Field != tc.field {
				t.Errorf("Validate = %v, want an error on %s", err, tc.field)
			}
		})
	}
}

func TestStatusOpen(t *testing.T) {
	t.Parallel()
	for s, want := range map[Status]bool{StatusReceived: true, StatusReviewed: true, StatusResolved: false, StatusClosed: false} {
		if s.Open() != want || s.Label() == string(s) {
			t.Errorf("%s: open %v, label %q", s, s.Open(), s.Label())
		}
	}
}

// FuzzTipInput: what the form or Open311 sends never panics the check,
// and a tip it accepts has a text within the limit and no personal data.
func FuzzTipInput(f *testing.F) {
	for _, seed := range []struct{ category, area, address, text string }{
		{"klotter", "alidhem", "", "Klotter på busskuren."},
		{"vald", "", "Storgatan 1", "Bråk utanför 19811218-9876"},
		{"", "haga", "hanna@example.se", ""},
		{"klotter", "alidhem", "\xff", "070-123 45 67"},
	} {
		f.Add(seed.category, seed.area, seed.address, seed.text)
	}
	now := time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, category, area, address, text string) {
		in := Input{Category: category, AreaCode: area, Address: address, Text: text, OccurredAt: now.Add(-time.Hour), Source: SourceWeb}
		err := in.Validate(now)
		if err != nil {
			if trygg.ErrorCode(err) != trygg.EINVALID || len(trygg.ErrorFields(err)) == 0 {
				t.Fatalf("error %v names no field", err)
			}
			return
		}
		if utf8.RuneCountInString(in.Text) > MaxTextLength || in.Text == "" || pii.Find(in.Text) != nil || pii.Find(in.Address) != nil {
			t.Fatalf("accepted %q at %q", in.Text, in.Address)
		}
	})
}

func TestRetentionDue(t *testing.T) {
	t.Parallel()
	r := Retention{RejectedDays: 30, ClosedDays: 90}
	day := trygg.DateDay(2026, time.March, 1)
	for _, tc := range []struct {
		name  string
		it    RetentionItem
		today trygg.Day
		due   bool
	}{
		{"rejected, on the 30th day", RetentionItem{Decision: DecisionRejected, Status: StatusClosed, DecidedOn: day}, day + 30, false},
		{"rejected, on the 31st day", RetentionItem{Decision: DecisionRejected, Status: StatusClosed, DecidedOn: day}, day + 31, true},
		{"merged, on the 31st day", RetentionItem{Decision: DecisionMerged, Status: StatusReviewed, DecidedOn: day}, day + 31, true},
		{"accepted and open a year later", RetentionItem{Decision: DecisionAccepted, Status: StatusReviewed, DecidedOn: day}, day + 365, false},
		{"accepted, closed 90 days ago", RetentionItem{Decision: DecisionAccepted, Status: StatusResolved, DecidedOn: day, ClosedOn: day}, day + 90, false},
		{"accepted, closed 91 days ago", RetentionItem{Decision: DecisionAccepted, Status: StatusResolved, DecidedOn: day, ClosedOn: day}, day + 91, true},
		{"accepted, avslutat 91 days ago", RetentionItem{Decision: DecisionAccepted, Status: StatusClosed, DecidedOn: day - 10, ClosedOn: day}, day + 91, true},
		{"accepted, closed, the day unknown", RetentionItem{Decision: DecisionAccepted, Status: StatusClosed, DecidedOn: day}, day + 1000, false},
		{"undecided", RetentionItem{Status: StatusReceived}, day + 1000, false},
	} {
		if got := r.Due(tc.it, tc.today); got != tc.due {
			t.Errorf("%s: Due = %v, want %v", tc.name, got, tc.due)
		}
	}
}

func TestParseRetentionDays(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want int // 0: refused
	}{
		{"30", 30}, {" 1 ", 1}, {"3650", 3650}, {"0", 0}, {"-5", 0}, {"3651", 0}, {"tre", 0}, {"", 0},
	} {
		got, err := ParseRetentionDays("--rejected-days", tc.in)
		if got != tc.want || (err == nil) != (tc.want != 0) {
			t.Errorf("ParseRetentionDays(%q) = %d, %v", tc.in, got, err)
		}
		if err != nil && !strings.Contains(trygg.ErrorMessage(err), "--rejected-days") {
			t.Errorf("the error %q does not name the setting", trygg.ErrorMessage(err))
		}
	}
}

// FuzzParseRetentionDays checks that any setting either parses into days
// from 1 to MaxRetentionDays or gives an error that names the setting.
func FuzzParseRetentionDays(f *testing.F) {
	for _, s := range []string{"30", "", "0", "3651", "+7", " 90\n", "1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseRetentionDays("--closed-days", s)
		if err != nil {
			if !strings.Contains(trygg.ErrorMessage(err), "--closed-days") {
				t.Fatalf("%q: the error %q does not name the setting", s, trygg.ErrorMessage(err))
			}
			return
		}
		if n < 1 || n > MaxRetentionDays {
			t.Fatalf("%q gave %d days", s, n)
		}
	})
}
