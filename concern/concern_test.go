package concern_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
	"github.com/trygg-est/trygg/tryggtest"
)

// sthlm returns a Stockholm wall-clock time.
func sthlm(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, trygg.Stockholm)
}

// TestStatutoryClock: the due days of each stage for receipts at awkward
// times, in Stockholm calendar days.
func TestStatutoryClock(t *testing.T) {
	tests := []struct {
		name       string
		received   time.Time
		protection string
		pre        string
		inv        string // when the investigation is opened on the day of receipt
	}{
		{"31 October", sthlm(2025, 10, 31, 10, 0), "2025-10-31", "2025-11-14", "2026-02-28"},
		{"31 October before a leap year", sthlm(2023, 10, 31, 10, 0), "2023-10-31", "2023-11-14", "2024-02-29"},
		{"late evening stays on its day", sthlm(2025, 10, 31, 23, 59), "2025-10-31", "2025-11-14", "2026-02-28"},
		{"just after midnight is the next day", time.Date(2025, 10, 31, 23, 30, 0, 0, time.UTC), "2025-11-01", "2025-11-15", "2026-03-01"},
		{"summer evening: UTC+2", time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC), "2026-07-01", "2026-07-15", "2026-11-01"},
		{"day clocks go forward", sthlm(2026, 3, 29, 1, 30), "2026-03-29", "2026-04-12", "2026-07-29"},
		{"pre-assessment spans the change to summer time", sthlm(2026, 3, 20, 23, 45), "2026-03-20", "2026-04-03", "2026-07-20"},
		{"day clocks go back", sthlm(2026, 10, 25, 2, 30), "2026-10-25", "2026-11-08", "2027-02-25"},
		{"29 February", sthlm(2028, 2, 29, 12, 0), "2028-02-29", "2028-03-14", "2028-06-29"},
		{"over New Year", sthlm(2025, 12, 24, 16, 0), "2025-12-24", "2026-01-07", "2026-04-24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &concern.Report{Ref: "a", ReceivedAt: tt.received}
			rd := c.ReceivedDay()
			if got := concern.ProtectionDue(rd).String(); got != tt.protection {
				t.Errorf("protection due %s, want %s", got, tt.protection)
			}
			if got := concern.PreAssessmentDue(rd).String(); got != tt.pre {
				t.Errorf("pre-assessment due %s, want %s", got, tt.pre)
			}
			// Straight to investigation, on the day of receipt.
			c.Steps = []concern.Step{
				{Kind: concern.StepProtection, At: tt.received},
				{Kind: concern.StepPre, At: tt.received, Open: true, Reason: "Våld"},
			}
			if got := c.InvestigationEnd().String(); got != tt.inv {
				t.Errorf("investigation due %s, want %s", got, tt.inv)
			}
			if c.Stage() != concern.StageInvestigation || c.NextDue().String() != tt.inv {
				t.Errorf("stage %v due %s", c.Stage(), c.NextDue())
			}
		})
	}
}

// TestClockStates walks one report through the stages and checks what the
// clock says on given days.
func TestClockStates(t *testing.T) {
	received := sthlm(2025, 10, 31, 16, 0)
	c := &concern.Report{Ref: "a", ReceivedAt: received}
	states := func(today string) []string {
		var out []string
		for _, s := range c.Clock(tryggtest.Day(t, today)) {
			out = append(out, s.State)
		}
		return out
	}
	check := func(today string, want ...string) {
		t.Helper()
		if got := states(today); !slices.Equal(got, want) {
			t.Errorf("on %s: %v, want %v", today, got, want)
		}
	}
	check("2025-10-31", concern.DueToday, concern.DuePending, concern.DuePending, concern.DuePending, concern.DuePending)
	check("2025-11-01", concern.DueOverdue, concern.DuePending, concern.DuePending, concern.DuePending, concern.DuePending)
	if c.Stage() != concern.StageProtection || c.NextDue().String() != "2025-10-31" {
		t.Fatalf("stage %v due %s", c.Stage(), c.NextDue())
	}

	c.Steps = append(c.Steps, concern.Step{Kind: concern.StepProtection, At: received.Add(time.Hour)})
	check("2025-11-14", concern.DueDone, concern.DueToday, concern.DuePending, concern.DuePending, concern.DuePending)
	check("2025-11-15", concern.DueDone, concern.DueOverdue, concern.DuePending, concern.DuePending, concern.DuePending)

	// Opened on day 14 itself: in time; due four months later.
	c.Steps = append(c.Steps, concern.Step{Kind: concern.StepPre, At: sthlm(2025, 11, 14, 23, 0), Open: true})
	if got := c.InvestigationEnd().String(); got != "2026-03-14" {
		t.Fatalf("investigation due %s", got)
	}
	check("2026-03-15", concern.DueDone, concern.DueDone, concern.DueOverdue, concern.DueOverdue, concern.DuePending)

	// An extension moves the end date.
	c.Steps = append(c.Steps, concern.Step{Kind: concern.StepExtension, At: sthlm(2026, 3, 1, 9, 0), Reason: "Särskilda skäl", NewDue: tryggtest.Day(t, "2026-05-31")})
	check("2026-03-15", concern.DueDone, concern.DueDone, concern.DuePending, concern.DuePending, concern.DuePending)
	c.Steps = append(c.Steps, concern.Step{Kind: concern.StepCompletion, At: sthlm(2026, 6, 1, 9, 0), Decision: "Insats"})
	check("2026-06-02", concern.DueDone, concern.DueDone, concern.DueLate, concern.DueLate, concern.DuePending)
	if c.Stage() != concern.StageClosing || c.NextDue() != 0 {
		t.Fatalf("stage %v due %s", c.Stage(), c.NextDue())
	}
	c.Steps = append(c.Steps, concern.Step{Kind: concern.StepClose, At: sthlm(2026, 6, 2, 9, 0)})
	if c.Stage() != concern.StageClosed {
		t.Fatalf("stage %v", c.Stage())
	}
}

func TestClockWithoutInvestigation(t *testing.T) {
	c := &concern.Report{Ref: "a", ReceivedAt: sthlm(2026, 1, 5, 9, 0), Steps: []concern.Step{
		{Kind: concern.StepProtection, At: sthlm(2026, 1, 5, 10, 0)},
		{Kind: concern.StepPre, At: sthlm(2026, 1, 8, 10, 0), Reason: "Ingen oro kvar"},
	}}
	var got []string
	for _, s := range c.Clock(tryggtest.Day(t, "2026-02-01")) {
		got = append(got, s.State)
	}
	want := []string{concern.DueDone, concern.DueDone, concern.DueNotUsed, concern.DueNotUsed, concern.DuePending}
	if !slices.Equal(got, want) || c.Stage() != concern.StageClosing {
		t.Fatalf("states %v stage %v, want %v", got, c.Stage(), want)
	}
}

func TestValidateStep(t *testing.T) {
	received := sthlm(2025, 10, 31, 16, 0)
	now := sthlm(2025, 11, 20, 12, 0)
	fresh := func() *concern.Report { return &concern.Report{Ref: "a", ReceivedAt: received} }
	protected := func() *concern.Report {
		c := fresh()
		c.Steps = []concern.Step{{Kind: concern.StepProtection, At: received}}
		return c
	}
	investigating := func() *concern.Report {
		c := protected()
		c.Steps = append(c.Steps, concern.Step{Kind: concern.StepPre, At: received, Open: true})
		return c
	}
	tests := []struct {
		name  string
		c     func() *concern.Report
		in    concern.StepInput
		field string // "": valid
	}{
		{"protection", fresh, concern.StepInput{Kind: concern.StepProtection}, ""},
		{"protection twice", protected, concern.StepInput{Kind: concern.StepProtection}, "kind"},
		{"pre before protection", fresh, concern.StepInput{Kind: concern.StepPre, Reason: "x"}, "kind"},
		{"pre without reasons", protected, concern.StepInput{Kind: concern.StepPre, At: received}, "reason"},
		{"pre on day 14", protected, concern.StepInput{Kind: concern.StepPre, At: sthlm(2025, 11, 14, 22, 0), Reason: "x"}, ""},
		{"pre after day 14 needs exceptional reasons", protected, concern.StepInput{Kind: concern.StepPre, At: sthlm(2025, 11, 15, 8, 0), Reason: "x"}, "exceptional"},
		{"pre after day 14 with exceptional reasons", protected, concern.StepInput{Kind: concern.StepPre, At: sthlm(2025, 11, 15, 8, 0), Reason: "x", Exceptional: "Familjen nåddes inte"}, ""},
		{"in the future", protected, concern.StepInput{Kind: concern.StepPre, At: now.Add(time.Hour), Reason: "x"}, "at"},
		{"before receipt", fresh, concern.StepInput{Kind: concern.StepProtection, At: received.Add(-24 * time.Hour)}, "at"},
		{"extension without reasons", investigating, concern.StepInput{Kind: concern.StepExtension, NewDue: tryggtest.Day(t, "2026-04-30")}, "reason"},
		{"extension not later", investigating, concern.StepInput{Kind: concern.StepExtension, Reason: "x", NewDue: tryggtest.Day(t, "2026-02-28")}, "new_due"},
		{"extension", investigating, concern.StepInput{Kind: concern.StepExtension, Reason: "x", NewDue: tryggtest.Day(t, "2026-04-30")}, ""},
		{"extension without investigation", protected, concern.StepInput{Kind: concern.StepExtension, Reason: "x", NewDue: tryggtest.Day(t, "2026-04-30")}, "kind"},
		{"completion needs a decision", investigating, concern.StepInput{Kind: concern.StepCompletion}, "decision"},
		{"close an open investigation", investigating, concern.StepInput{Kind: concern.StepClose}, "kind"},
		{"assign nobody", fresh, concern.StepInput{Kind: concern.StepAssign}, "assignee"},
		{"unknown", fresh, concern.StepInput{Kind: "x"}, "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := tt.c().ValidateStep(&in, now)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if !slices.ContainsFunc(trygg.ErrorFields(err), func(f trygg.FieldError) bool { return f.Field == tt.field }) {
				t.Fatalf("error %v does not name %q", err, tt.field)
			}
		})
	}
}

func TestConcernInputValidate(t *testing.T) {
	now := sthlm(2026, 11, 20, 12, 0)
	valid := func() concern.Input {
		return concern.Input{ReceivedAt: now.Add(-time.Hour), Channel: "telefon", ReporterCategory: "skola",
			ReporterMandatory: true, ReporterName: "Rektor", ChildID: "121212-1212", ChildName: "Testbarn Testsson",
			Categories: []string{concern.CategoryViolence}, Description: "Blåmärken."}
	}
	tests := []struct {
		name  string
		edit  func(*concern.Input)
		field string
	}{
		{"valid", func(*concern.Input) {}, ""},
		{"samordningsnummer", func(in *concern.Input) { in.ChildID = "701063-2391" }, ""},
		{"reserve number", func(in *concern.Input) { in.ChildIDKind, in.ChildID = concern.ChildReserve, "res-2026-7" }, ""},
		{"bad reserve number", func(in *concern.Input) { in.ChildIDKind, in.ChildID = concern.ChildReserve, "RES 7" }, "child_id"},
		{"bad Luhn", func(in *concern.Input) { in.ChildID = "121212-1213" }, "child_id"},
		{"no name", func(in *concern.Input) { in.ChildName = " " }, "child_name"},
		{"future", func(in *concern.Input) { in.ReceivedAt = now.Add(time.Hour) }, "received_at"},
		{"channel", func(in *concern.Input) { in.Channel = "fax" }, "channel"},
		{"reporter", func(in *concern.Input) { in.ReporterCategory = "" }, "reporter_category"},
		{"anonymous with a name", func(in *concern.Input) { in.ReporterCategory = concern.ReporterAnonymous }, "reporter_name"},
		{"no category", func(in *concern.Input) { in.Categories = nil }, "categories"},
		{"unknown category", func(in *concern.Input) { in.Categories = []string{"x"} }, "categories"},
		{"repeated category", func(in *concern.Input) { in.Categories = []string{"heder", "heder"} }, "categories"},
		{"long description", func(in *concern.Input) { in.Description = strings.Repeat("a", concern.MaxText+1) }, "description"},
		{"name on two lines", func(in *concern.Input) { in.ChildName = "A\nB" }, "child_name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid()
			tt.edit(&in)
			err := in.Validate(now)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !slices.ContainsFunc(trygg.ErrorFields(err), func(f trygg.FieldError) bool { return f.Field == tt.field }) {
				t.Fatalf("error %v does not name %q", err, tt.field)
			}
		})
	}
	in := valid()
	if err := in.Validate(now); err != nil || in.ChildID != "201212121212" || in.ChildIDKind != concern.ChildPersonnummer {
		t.Fatalf("normalised to %q %q (%v)", in.ChildID, in.ChildIDKind, err)
	}
}

func TestChainedInvestigation(t *testing.T) {
	earlier := &concern.Report{Ref: "old", ReceivedAt: sthlm(2025, 1, 10, 9, 0), Steps: []concern.Step{
		{Kind: concern.StepProtection, At: sthlm(2025, 1, 10, 9, 0)},
		{Kind: concern.StepPre, At: sthlm(2025, 1, 12, 9, 0), Open: true},
		{Kind: concern.StepCompletion, At: sthlm(2025, 5, 10, 9, 0), Decision: "Ingen insats"},
	}}
	newer := func(opened time.Time) *concern.Report {
		return &concern.Report{Ref: "new", ReceivedAt: opened, Steps: []concern.Step{
			{Kind: concern.StepProtection, At: opened},
			{Kind: concern.StepPre, At: opened, Open: true},
		}}
	}
	if got := concern.ChainedInvestigation(newer(sthlm(2025, 5, 12, 9, 0)), []*concern.Report{earlier}); got != earlier {
		t.Error("a new investigation two days after the last one ended is not flagged")
	}
	if got := concern.ChainedInvestigation(newer(sthlm(2025, 8, 12, 9, 0)), []*concern.Report{earlier}); got != nil {
		t.Error("a new investigation three months later is flagged")
	}
}
