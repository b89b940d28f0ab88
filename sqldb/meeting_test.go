package sqldb_test

import (
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/sqldb"
)

func TestMeetings(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := sqldb.NewMeetingService(db.DB)
		today := trygg.DayOf(testNow)
		for _, u := range []*trygg.User{f.rapportor, f.polis, f.lasare, f.admin} {
			_, err := s.CreateMeeting(as(u), today)
			wantCode(t, err, trygg.ENOTFOUND)
		}
		_, err := s.CreateMeeting(as(f.samordnare), 0)
		wantField(t, err, "day")
		m, err := s.CreateMeeting(as(f.samordnare), today)
		if err != nil || m.Title() != "Samordningsmöte vecka 11 2025" || m.Closed() {
			t.Fatalf("meeting %+v, %v", m, err)
		}
		_, err = s.UpdateMeeting(as(f.samordnare), m.ID, samverkan.MeetingInput{Attendees: []string{"polisen", "okand"}})
		wantField(t, err, "attendees")
		m, err = s.UpdateMeeting(as(f.samordnare), m.ID, samverkan.MeetingInput{Attendees: []string{"polisen", "alidhemsskolan", "polisen"},
			Minutes: "Genomgång av veckans lägesbild."})
		if err != nil || len(m.Attendees) != 2 || m.Minutes != "Genomgång av veckans lägesbild." {
			t.Fatalf("updated %+v, %v", m, err)
		}

		// A decision may create an action, in the same transaction: a bad
		// action stores no decision either.
		action := actionInput("polisen")
		bad := action
		bad.OwnerOrgCode = "okand"
		_, err = s.AddDecision(as(f.samordnare), m.ID, samverkan.DecisionInput{Text: "Kvällspatrull.", Action: &bad})
		wantField(t, err, "owner")
		_, err = s.AddDecision(as(f.samordnare), m.ID, samverkan.DecisionInput{Text: " "})
		wantField(t, err, "decision_text")
		d, err := s.AddDecision(as(f.samordnare), m.ID, samverkan.DecisionInput{Text: "Polisen patrullerar vid centrum.", Action: &action})
		if err != nil || len(d.Actions) != 1 || *d.Actions[0].DecisionID != d.ID || *d.Actions[0].MeetingID != m.ID {
			t.Fatalf("decision %+v, %v", d, err)
		}
		school := actionInput("alidhemsskolan")
		if _, err := s.AddDecision(as(f.samordnare), m.ID, samverkan.DecisionInput{Text: "Skolan bjuder in föräldrar.", Action: &school}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddDecision(as(f.samordnare), m.ID, samverkan.DecisionInput{Text: "Uppföljning nästa vecka."}); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindMeetingByID(as(f.polis), m.ID)
		if err != nil || len(got.Decisions) != 3 || len(got.Decisions[0].Actions) != 1 || len(got.Decisions[1].Actions) != 0 {
			t.Fatalf("the police see %+v, %v", got, err)
		}
		got, err = s.FindMeetingByID(as(f.lasare), m.ID)
		if err != nil || len(got.Decisions[1].Actions) != 1 {
			t.Fatalf("the läsare sees %+v, %v", got, err)
		}
		_, err = s.FindMeetingByID(as(f.admin), m.ID)
		wantCode(t, err, trygg.ENOTFOUND)

		wantCode(t, s.CloseMeeting(as(f.polis), m.ID), trygg.ENOTFOUND)
		if err := s.CloseMeeting(as(f.samordnare), m.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.CloseMeeting(as(f.samordnare), m.ID), trygg.ECONFLICT)
		_, err = s.UpdateMeeting(as(f.samordnare), m.ID, samverkan.MeetingInput{Minutes: "Ändrat i efterhand."})
		wantCode(t, err, trygg.ECONFLICT)
		_, err = s.AddDecision(as(f.samordnare), m.ID, samverkan.DecisionInput{Text: "Sent beslut."})
		wantCode(t, err, trygg.ECONFLICT)
		list, err := s.FindMeetings(as(f.lasare))
		if err != nil || len(list) != 1 || !list[0].Closed() || list[0].ClosedByName != "Test samordnare@kommun.example" {
			t.Fatalf("meetings %+v, %v", list, err)
		}
		mustVerify(t, f)
	})
}
