package trygg_test

import (
	"slices"
	"testing"

	"github.com/trygg-est/trygg"
)

func TestEmail(t *testing.T) {
	for _, tc := range []struct {
		in, normal string
		valid      bool
	}{
		{" Anna.Berg@Umea.SE ", "anna.berg@umea.se", true},
		{"anna@umea.se", "anna@umea.se", true},
		{"Anna <anna@umea.se>", "anna <anna@umea.se>", false},
		{"anna@localhost", "anna@localhost", false},
		{"anna", "anna", false},
		{"", "", false},
	} {
		got := trygg.NormalizeEmail(tc.in)
		if got != tc.normal {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", tc.in, got, tc.normal)
		}
		if v := trygg.ValidEmail(got); v != tc.valid {
			t.Errorf("ValidEmail(%q) = %v", got, v)
		}
	}
}

func TestCheckRoles(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    []trygg.Role
		want  []trygg.Role
		error bool
	}{
		{"display order, no repeats", []trygg.Role{"läsare", trygg.RoleSamordnare, "LASARE"}, []trygg.Role{trygg.RoleSamordnare, trygg.RoleLasare}, false},
		{"unknown", []trygg.Role{trygg.RoleAdmin, "chef"}, nil, true},
		{"none", nil, nil, true},
	} {
		var v trygg.Validation
		got := trygg.CheckRoles(&v, tc.in)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: CheckRoles = %v, want %v", tc.name, got, tc.want)
		}
		if fs := trygg.ErrorFields(v.Err()); tc.error != (len(fs) == 1 && fs[0].Field == "roles") {
			t.Errorf("%s: errors %v", tc.name, fs)
		}
	}
}
