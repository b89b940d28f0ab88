package concern_test

import (
	"slices"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
	"github.com/trygg-est/trygg/tryggtest"
)

func TestParseRetentionRules(t *testing.T) {
	rules, err := concern.ParseRetentionRules("utredning=undantag, anmalan=3")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]concern.RetentionRule{
		concern.DocReport:        {DocType: concern.DocReport, Years: 3},
		concern.DocInvestigation: {DocType: concern.DocInvestigation, Exempt: true},
	}
	for _, r := range rules {
		if r != want[r.DocType] {
			t.Errorf("rule %+v, want %+v", r, want[r.DocType])
		}
	}
	if rules, err := concern.ParseRetentionRules(""); err != nil || len(rules) != 2 || rules[0].Years != 5 {
		t.Errorf("empty: %+v %v", rules, err)
	}
	for _, bad := range []string{"journal=5", "anmalan=0", "anmalan", "anmalan=5,anmalan=6", "anmalan=fem"} {
		if _, err := concern.ParseRetentionRules(bad); trygg.ErrorCode(err) != trygg.EINVALID {
			t.Errorf("%q: %v, want EINVALID", bad, err)
		}
	}
}

func TestRetentionDue(t *testing.T) {
	last := tryggtest.Day(t, "2020-02-29")
	rule := concern.RetentionRule{DocType: concern.DocReport, Years: 5}
	for _, tt := range []struct {
		today string
		due   bool
	}{{"2025-02-28", false}, {"2025-03-01", true}} {
		if got := concern.RetentionDue(rule, last, tryggtest.Day(t, tt.today)); got != tt.due {
			t.Errorf("on %s due=%v, want %v", tt.today, got, tt.due)
		}
	}
	if concern.RetentionDue(concern.RetentionRule{DocType: concern.DocReport, Exempt: true}, last, tryggtest.Day(t, "2099-01-01")) {
		t.Error("an exempt type is due")
	}
}

// FuzzParseRetentionRules: the parser never panics, and what it accepts
// names each document type once with a sensible rule.
func FuzzParseRetentionRules(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		rules, err := concern.ParseRetentionRules(s)
		if err != nil {
			if trygg.ErrorCode(err) != trygg.EINVALID {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if len(rules) != len(concern.RetentionDocTypes) {
			t.Fatalf("%q: %d rules", s, len(rules))
		}
		for _, r := range rules {
			if !r.Exempt && (r.Years < 1 || r.Years > 100) {
				t.Fatalf("%q: rule %+v", s, r)
			}
		}
	})
}

// TestDueForDeletion: closed reports are deleted five years after their
// last entry unless their type is exempt, oldest last entry first.
func TestDueForDeletion(t *testing.T) {
	today := tryggtest.Day(t, "2026-03-01")
	items := []concern.RetentionItem{
		{ID: 1, DocType: concern.DocTypeOf(false), LastEntry: tryggtest.Day(t, "2021-02-28")},
		{ID: 2, DocType: concern.DocTypeOf(true), LastEntry: tryggtest.Day(t, "2020-01-10")},
		{ID: 3, DocType: concern.DocTypeOf(false), LastEntry: tryggtest.Day(t, "2021-03-01")}, // five years to the day: kept
		{ID: 4, DocType: concern.DocTypeOf(false), LastEntry: tryggtest.Day(t, "2019-06-30")},
	}
	tests := []struct {
		name  string
		rules string
		want  []int64
	}{
		{"default: five years", "", []int64{4, 2, 1}},
		{"investigations exempt", "utredning=undantag", []int64{4, 1}},
		{"reports kept ten years", "anmalan=10", []int64{2}},
		{"everything exempt", "anmalan=undantag,utredning=undantag", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := concern.ParseRetentionRules(tt.rules)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, it := range concern.DueForDeletion(rules, items, today) {
				got = append(got, it.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("deleted %v, want %v", got, tt.want)
			}
		})
	}
	if concern.DocTypeOf(true) != concern.DocInvestigation || concern.DocTypeOf(false) != concern.DocReport {
		t.Error("document types")
	}
}
