package sealed

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestAccessDetail(t *testing.T) {
	tests := []struct {
		name   string
		access Access
		want   string
	}{
		{"assignee", Access{Record: "7", Reason: Reason{Assignee: true}}, "handläggare"},
		{"purpose", Access{Record: "7", Reason: Reason{Purpose: "ersattare"}}, "syfte: ersattare"},
		{"with related records", Access{Record: "7", Reason: Reason{Purpose: "ersattare"}, Shown: []string{"3", "5"}, ShownAs: "tidigare anmälningar"},
			"syfte: ersattare; tidigare anmälningar: [3,5]"},
		{"list", Access{Listing: "lista mine", Shown: []string{"12", "15"}}, "lista mine: 2 visade: [12,15]"},
		{"empty list", Access{Listing: "lista open"}, "lista open: 0 visade: []"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.access.Detail(); got != tt.want {
				t.Errorf("Detail = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestReasonRoundTrip: the access log reads back the reason written.
func TestReasonRoundTrip(t *testing.T) {
	tests := []struct {
		detail string
		want   Reason
		ok     bool
	}{
		{Access{Record: "1", Reason: Reason{Assignee: true}, Shown: []string{"2"}, ShownAs: "tidigare"}.Detail(), Reason{Assignee: true}, true},
		{Access{Record: "1", Reason: Reason{Purpose: "tillsyn"}, Shown: []string{"2"}, ShownAs: "tidigare"}.Detail(), Reason{Purpose: "tillsyn"}, true},
		{Access{Record: "1", Reason: Reason{Purpose: "tillsyn"}}.Detail(), Reason{Purpose: "tillsyn"}, true},
		{"steg: forhandsbedomning", Reason{}, false},
		{"åtkomstlogg", Reason{}, false},
	}
	for _, tt := range tests {
		if got, ok := ParseReason(tt.detail); got != tt.want || ok != tt.ok {
			t.Errorf("ParseReason(%q) = %+v, %v; want %+v, %v", tt.detail, got, ok, tt.want, tt.ok)
		}
	}
}

func TestReasonFor(t *testing.T) {
	valid := func(p string) bool { return p == "ersattare" }
	tests := []struct {
		name     string
		assignee bool
		purpose  string
		want     Reason
		err      error
	}{
		{"assignee", true, "", Reason{Assignee: true}, nil},
		{"assignee with a purpose", true, "ersattare", Reason{Assignee: true}, nil},
		{"someone else with a purpose", false, "ersattare", Reason{Purpose: "ersattare"}, nil},
		{"someone else without", false, "", Reason{}, ErrPurposeMissing},
		{"someone else with another", false, "nyfiken", Reason{}, ErrPurposeUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReasonFor(tt.assignee, tt.purpose, valid)
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Errorf("ReasonFor = %+v, %v; want %+v, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

// TestShownPatterns: the patterns find an ID wherever it stands in a
// list, and not a longer ID that contains it.
func TestShownPatterns(t *testing.T) {
	like := func(pattern, s string) bool {
		re := "^" + strings.ReplaceAll(regexp.QuoteMeta(pattern), "%", ".*") + "$"
		return regexp.MustCompile(re).MatchString(s)
	}
	matches := func(id, detail string) bool {
		for _, p := range ShownPatterns(id) {
			if like(p, detail) {
				return true
			}
		}
		return false
	}
	tests := []struct {
		shown []string
		want  bool
	}{
		{[]string{"5"}, true},
		{[]string{"5", "6"}, true},
		{[]string{"4", "5", "6"}, true},
		{[]string{"4", "5"}, true},
		{[]string{"15", "51", "155"}, false},
		{nil, false},
	}
	for _, tt := range tests {
		detail := Access{Listing: "lista open", Shown: tt.shown}.Detail()
		if got := matches("5", detail); got != tt.want {
			t.Errorf("ID 5 in %q: %v, want %v", detail, got, tt.want)
		}
	}
}
