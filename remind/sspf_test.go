package remind_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sspf"
)

// sspfSource gives one SSPF reminder of each kind on one day.
type sspfSource struct{ day trygg.Day }

func (s sspfSource) SSPFReminders(_ context.Context, day trygg.Day) ([]sspf.Reminder, error) {
	if day != s.day {
		return nil, nil
	}
	return []sspf.Reminder{
		{ToName: "Fia Fritid", ToEmail: "fritid@kommun.test", Kind: sspf.ReminderAction, CaseRef: "abc234", Title: "Nora ska erbjudas plats", Due: day + 7},
		{ToName: "Sam Samordnare", ToEmail: "sspf@kommun.test", Kind: sspf.ReminderFollowUp, CaseRef: "abc234", Due: day + 7},
	}, nil
}

// TestSSPFReminders: the SSPF reminders go out with the day's reminder
// job, once for two instances, naming the day and the case's link but
// neither the young person nor the action.
func TestSSPFReminders(t *testing.T) {
	monday := time.Date(2025, 3, 17, 8, 30, 0, 0, trygg.Stockholm)
	w := newWorld(t, "sqlite", monday)
	w.sspf = sspfSource{day: trygg.DayOf(monday)}
	if n := w.mustRunBoth(t); n != 7 {
		t.Errorf("sent %d mails, want the 5 of samverkan and 2 of SSPF", n)
	}
	var found int
	for _, m := range w.takeOnce(t) {
		if !strings.Contains(m.Body, "/tidiga-insatser/arenden/abc234") {
			continue
		}
		found++
		if strings.Contains(m.Body, "Nora") || strings.Contains(m.Subject, "Nora") || !strings.Contains(m.Subject, "2025-03-24") {
			t.Errorf("mail %q: %s", m.Subject, m.Body)
		}
	}
	if found != 2 {
		t.Errorf("%d SSPF mails", found)
	}
}
