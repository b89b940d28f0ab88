package concern_test

import (
	"slices"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
	"github.com/trygg-est/trygg/sealed"
	"github.com/trygg-est/trygg/tryggtest"
)

func TestDueState(t *testing.T) {
	today := tryggtest.Day(t, "2025-03-14")
	tests := []struct {
		due  trygg.Day
		want string
	}{
		{0, ""},
		{today + 1, concern.DuePending},
		{today, concern.DueToday},
		{today - 1, concern.DueOverdue},
	}
	for _, tt := range tests {
		if got := concern.DueState(tt.due, today); got != tt.want {
			t.Errorf("due %s: %q, want %q", tt.due, got, tt.want)
		}
	}
}

// TestSummary: a queue's row carries the stage and due day of the clock,
// and the time of the last closing.
func TestSummary(t *testing.T) {
	received := sthlm(2025, 3, 3, 10, 0)
	closed := sthlm(2025, 3, 20, 9, 0)
	tests := []struct {
		name         string
		steps        []concern.Step
		stage        concern.Stage
		due          string
		closedAt     *time.Time
		investigated bool
	}{
		{"new", nil, concern.StageProtection, "2025-03-03", nil, false},
		{"protected", []concern.Step{{Kind: concern.StepProtection, At: received}}, concern.StagePre, "2025-03-17", nil, false},
		{"investigating", []concern.Step{{Kind: concern.StepProtection, At: received}, {Kind: concern.StepPre, At: received, Open: true}},
			concern.StageInvestigation, "2025-07-03", nil, true},
		{"closed", []concern.Step{{Kind: concern.StepProtection, At: received}, {Kind: concern.StepPre, At: received},
			{Kind: concern.StepClose, At: closed}}, concern.StageClosed, "", &closed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &concern.Report{Ref: "ref", ReceivedAt: received, ChildName: "Testbarn", Steps: tt.steps}
			s := r.Summary()
			due := ""
			if s.Due != 0 {
				due = s.Due.String()
			}
			if s.Ref != "ref" || s.ChildName != "Testbarn" || s.Stage != tt.stage || due != tt.due || s.Investigated != tt.investigated {
				t.Errorf("summary %+v, want stage %v due %q", s, tt.stage, tt.due)
			}
			if (s.ClosedAt == nil) != (tt.closedAt == nil) || s.ClosedAt != nil && !s.ClosedAt.Equal(*tt.closedAt) {
				t.Errorf("closed at %v, want %v", s.ClosedAt, tt.closedAt)
			}
		})
	}
}

func TestSearchChildID(t *testing.T) {
	now := sthlm(2026, 1, 10, 12, 0)
	tests := []struct{ typed, want string }{
		{"121212-1212", "201212121212"},
		{" 20121212-1212 ", "201212121212"},
		{"res-2026-7", "RES-2026-7"}, // a reserve number, as Validate stores it
		{"121212-1213", "121212-1213"},
	}
	for _, tt := range tests {
		if got := concern.SearchChildID(tt.typed, now); got != tt.want {
			t.Errorf("%q finds %q, want %q", tt.typed, got, tt.want)
		}
	}
	// A reserve number is found the way the intake stores it.
	in := concern.Input{ChildIDKind: concern.ChildReserve, ChildID: " res-2026-7"}
	_ = in.Validate(now) // the other fields are missing: only the number matters here
	if in.ChildID != concern.SearchChildID("res-2026-7", now) {
		t.Errorf("stored %q, searched %q", in.ChildID, concern.SearchChildID("res-2026-7", now))
	}
}

func TestListLimit(t *testing.T) {
	for limit, want := range map[int]int{-1: 100, 0: 100, 1: 1, 500: 500, 1000: 1000, 5000: 1000} {
		if got := (concern.Filter{Limit: limit}).ListLimit(); got != want {
			t.Errorf("limit %d lists %d, want %d", limit, got, want)
		}
	}
}

func TestAccessPurpose(t *testing.T) {
	tests := []struct{ name, object, detail, want string }{
		{"a list", "", "lista idag", "Visad i en arbetskö eller sökning"},
		{"another report's page", "8", sealed.Reason{Assignee: true}.String(), "Visad som tidigare anmälan om barnet"},
		{"its assignee", "7", sealed.Reason{Assignee: true}.String(), "Tilldelad handläggare"},
		{"a purpose", "7", sealed.Reason{Purpose: "akut"}.String(), "Akut ärende utanför kontorstid"},
		{"a change", "7", "steg: avslut", "steg: avslut"},
	}
	for _, tt := range tests {
		if got := concern.AccessPurpose(tt.object, "7", tt.detail); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestRegisterUsers(t *testing.T) {
	social := &trygg.Organisation{Type: trygg.OrgSocialServices}
	school := &trygg.Organisation{Type: trygg.OrgSchool}
	tests := []struct {
		name             string
		user             *trygg.User
		inRegister, gets bool
	}{
		{"case worker", &trygg.User{Roles: []trygg.Role{trygg.RoleSocialtjanst}, Org: social}, true, true},
		{"manager", &trygg.User{Roles: []trygg.Role{trygg.RoleArbetsledare}, Org: social}, true, false},
		{"case worker elsewhere", &trygg.User{Roles: []trygg.Role{trygg.RoleSocialtjanst}, Org: school}, false, true},
		{"coordinator", &trygg.User{Roles: []trygg.Role{trygg.RoleSamordnare}, Org: social}, false, false},
		{"nobody", nil, false, false},
	}
	for _, tt := range tests {
		if got := concern.InRegister(tt.user); got != tt.inRegister {
			t.Errorf("%s in the register: %v", tt.name, got)
		}
		if got := concern.AssignedOnIntake(tt.user); got != tt.gets {
			t.Errorf("%s assigned its intake: %v", tt.name, got)
		}
	}
}

func TestSortCategories(t *testing.T) {
	codes := []string{"heder", "forsummelse", concern.CategoryViolence}
	concern.SortCategories(codes)
	if want := []string{concern.CategoryViolence, "forsummelse", "heder"}; !slices.Equal(codes, want) {
		t.Errorf("sorted %v, want %v", codes, want)
	}
}
