package samverkan_test

import (
	"slices"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/tryggtest"
)

func TestNotices(t *testing.T) {
	now := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	today := trygg.DayOf(now)
	since := now.AddDate(0, 0, -3)
	decision := int64(1)
	mk := func(id int64, deadline trygg.Day, status samverkan.ActionStatus, fromDecision bool, created time.Time) *samverkan.Action {
		a := &samverkan.Action{ID: id, Deadline: deadline, Status: status, CreatedAt: created}
		if fromDecision {
			a.DecisionID = &decision
		}
		return a
	}
	old, fresh := since.Add(-time.Hour), since.Add(time.Hour)
	actions := []*samverkan.Action{
		mk(1, today+30, samverkan.ActionPlanned, false, old),                  // nothing to do yet
		mk(2, today+7, samverkan.ActionOngoing, false, old),                   // due on the last day of the window
		mk(3, today-1, samverkan.ActionPlanned, false, old),                   // overdue
		mk(4, today+30, samverkan.ActionPlanned, true, fresh),                 // a new decision
		mk(5, today+30, samverkan.ActionPlanned, true, old),                   // a decision already read
		mk(6, today-5, samverkan.ActionDone, true, fresh),                     // done: never a notice
		mk(7, today, samverkan.ActionPlanned, true, fresh),                    // due today and new
		mk(8, today+8, samverkan.ActionPlanned, false, old),                   // one day outside the window
		mk(9, today-2, samverkan.ActionCancelled, false, old),                 // cancelled
		mk(10, today-3, samverkan.ActionOngoing, false, old),                  // overdue, earlier deadline
		mk(11, today+20, samverkan.ActionPlanned, true, since),                // created exactly at since: not new
		mk(12, today+10, samverkan.ActionPlanned, true, fresh.Add(time.Hour)), // a new decision, earlier deadline
	}
	type want struct {
		id   int64
		kind samverkan.NoticeKind
		new  bool
	}
	var got []want
	for _, n := range samverkan.Notices(actions, today, since) {
		got = append(got, want{n.Action.ID, n.Kind, n.New})
	}
	expected := []want{
		{10, samverkan.NoticeOverdue, false}, {3, samverkan.NoticeOverdue, false},
		{7, samverkan.NoticeDueSoon, true}, {2, samverkan.NoticeDueSoon, false},
		{12, samverkan.NoticeDecided, true}, {4, samverkan.NoticeDecided, true},
	}
	if !slices.Equal(got, expected) {
		t.Errorf("notices\n got %v\nwant %v", got, expected)
	}
	list := samverkan.NoticeList{Notices: samverkan.Notices(actions, today, since)}
	if n := list.NewCount(); n != 3 {
		t.Errorf("NewCount = %d, want 3", n)
	}
}

func TestNoticeSince(t *testing.T) {
	now := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	earliest := now.AddDate(0, 0, -samverkan.NewDecisionDays)
	recent := now.Add(-48 * time.Hour)
	long := now.AddDate(0, -2, 0)
	tests := []struct {
		name   string
		readAt *time.Time
		want   time.Time
	}{
		{"never read", nil, earliest},
		{"read two days ago", &recent, recent},
		{"read two months ago", &long, earliest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := samverkan.NoticeSince(tt.readAt, now); !got.Equal(tt.want) {
				t.Errorf("NoticeSince = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestReminderKind(t *testing.T) {
	day := tryggtest.Day(t, "2025-03-14")
	tests := []struct {
		name     string
		deadline string
		status   samverkan.ActionStatus
		want     samverkan.NoticeKind
		ok       bool
	}{
		{"due in a week", "2025-03-21", samverkan.ActionPlanned, samverkan.NoticeDueSoon, true},
		{"deadline yesterday", "2025-03-13", samverkan.ActionOngoing, samverkan.NoticeOverdue, true},
		{"due in six days", "2025-03-20", samverkan.ActionPlanned, "", false},
		{"deadline today", "2025-03-14", samverkan.ActionPlanned, "", false},
		{"overdue for two days", "2025-03-12", samverkan.ActionOngoing, "", false},
		{"done", "2025-03-13", samverkan.ActionDone, "", false},
		{"cancelled", "2025-03-21", samverkan.ActionCancelled, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &samverkan.Action{Deadline: tryggtest.Day(t, tt.deadline), Status: tt.status}
			if got, ok := samverkan.ReminderKind(a, day); got != tt.want || ok != tt.ok {
				t.Errorf("ReminderKind = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
	if dueSoon, overdue := samverkan.ReminderDeadlines(day); dueSoon != tryggtest.Day(t, "2025-03-21") || overdue != tryggtest.Day(t, "2025-03-13") {
		t.Errorf("ReminderDeadlines = %s, %s", dueSoon, overdue)
	}
}

func TestDigestSince(t *testing.T) {
	now := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	if got := samverkan.DigestSince(now); !got.Equal(time.Date(2025, 3, 7, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("DigestSince = %v", got)
	}
}
