package demo

import (
	"context"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

func TestLoadSamverkan(t *testing.T) {
	t.Parallel()
	db := sqldbtest.Open(t)
	end := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return end.Add(time.Minute) }
	s := sqldb.NewServices(db)
	ctx := trygg.NewOperatorContext(context.Background())
	for _, o := range organisations {
		if err := s.Organisations.CreateOrganisation(ctx, &o); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Areas.UpsertAreas(ctx, []*trygg.Area{{Code: "alidhem", Name: "Ålidhem", Population: 7000}}); err != nil {
		t.Fatal(err)
	}
	if err := loadSamverkan(ctx, s, &Dataset{End: end, Areas: []*trygg.Area{{Code: "alidhem"}}}); err != nil {
		t.Fatal(err)
	}
	agreements, err := s.Agreements.FindAgreements(ctx, samverkan.AgreementFilter{})
	if err != nil || len(agreements) != 3 {
		t.Fatalf("%d agreements, %v", len(agreements), err)
	}
	public, err := s.Public.FindPublicAgreements(context.Background())
	if err != nil || len(public) != 2 {
		t.Fatalf("%d public agreements, %v", len(public), err)
	}
	actions, err := s.Actions.FindActions(ctx, samverkan.ActionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	today := trygg.DayOf(end)
	var overdue, dueSoon, done int
	for _, a := range actions {
		switch {
		case a.Overdue(today):
			overdue++
		case a.DueSoon(today):
			dueSoon++
		case a.Status == samverkan.ActionDone:
			done++
		}
	}
	if overdue < 2 || dueSoon < 2 || done < 2 {
		t.Fatalf("actions: %d overdue, %d due soon, %d done; the demo should show each", overdue, dueSoon, done)
	}
	meetings, err := s.Meetings.FindMeetings(ctx)
	if err != nil || len(meetings) != demoMeetingWeeks || meetings[0].Closed() || !meetings[1].Closed() {
		t.Fatalf("%d meetings, %v", len(meetings), err)
	}
	m, err := s.Meetings.FindMeetingByID(ctx, meetings[5].ID)
	if err != nil || len(m.Decisions) != 2 || len(m.Decisions[0].Actions) != 1 || len(m.Attendees) < 4 {
		t.Fatalf("meeting %+v, %v", m, err)
	}
	// The night-walking series ends last month and meets its target.
	var walks *samverkan.Commitment
	for _, c := range agreements[len(agreements)-1].Commitments {
		if c.Indicator.Source == samverkan.IndicatorSeries {
			walks = c
		}
	}
	points, err := s.Commitments.IndicatorPoints(ctx, walks.ID)
	if err != nil || len(points) != 10 || points[9].Day != trygg.DateDay(2026, 10, 1) {
		t.Fatalf("series %v, %v", points, err)
	}
}
