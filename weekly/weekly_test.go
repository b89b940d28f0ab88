package weekly_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
	"github.com/trygg-est/trygg/weekly"
)

// TestPublishDecode publishes a week through the real services and reads
// the frozen content back.
func TestPublishDecode(t *testing.T) {
	db := sqldbtest.Open(t)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	s := sqldb.NewServices(db)
	ctx := trygg.NewOperatorContext(context.Background())
	if err := s.Areas.UpsertAreas(ctx, []*trygg.Area{{Code: "alidhem", Name: "Ålidhem", Population: 7000}}); err != nil {
		t.Fatal(err)
	}
	week := trygg.ISOWeek{Year: 2026, Week: 46}
	if err := s.WeeklyReports.SaveWeeklyDraft(ctx, &weekly.Draft{Week: week, Analysis: "Lugnt."}); err != nil {
		t.Fatal(err)
	}
	rep, err := weekly.Publish(ctx, s.Weekly(), week, trygg.DayOf(now))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.WeeklyReports.FindWeeklyReport(ctx, week, rep.Version)
	if err != nil {
		t.Fatal(err)
	}
	c, err := weekly.Decode(got)
	if err != nil {
		t.Fatal(err)
	}
	if got.Analysis != "Lugnt." || c.Filter.Period.Label != "vecka 46 2026" || len(c.Areas) != 1 || c.Areas[0].Name != "Ålidhem" || c.OpenActions != nil {
		t.Errorf("published %q with content %+v", got.Analysis, c.Filter)
	}
	if _, err := weekly.Decode(&weekly.Report{Week: week, Picture: []byte("[1]")}); err == nil {
		t.Error("Decode accepted an array")
	}
}

// samordnareWorld is a database with one organisation, Ålidhem and a
// samordnare, whose context it returns with the services.
func samordnareWorld(t *testing.T, now time.Time) (app.Services, context.Context) {
	t.Helper()
	db := sqldbtest.Open(t)
	db.Now = func() time.Time { return now }
	s := sqldb.NewServices(db)
	op := trygg.NewOperatorContext(context.Background())
	if err := s.Organisations.CreateOrganisation(op, &trygg.Organisation{Code: "kommun", Name: "Umeå kommun", Type: trygg.OrgMunicipal}); err != nil {
		t.Fatal(err)
	}
	if err := s.Areas.UpsertAreas(op, []*trygg.Area{{Code: "alidhem", Name: "Ålidhem", Population: 7000}}); err != nil {
		t.Fatal(err)
	}
	sam, err := s.Users.CreateUser(op, trygg.NewUser{Email: "sam@kommun.example", Name: "Sam", OrgCode: "kommun", Roles: []trygg.Role{trygg.RoleSamordnare}})
	if err != nil {
		t.Fatal(err)
	}
	return s, trygg.NewContextWithUser(context.Background(), sam)
}

// TestOpenActions: the report lists the actions open at publishing that
// had started by the week's end, soonest deadline first.
func TestOpenActions(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	s, ctx := samordnareWorld(t, now)
	week := trygg.ISOWeek{Year: 2026, Week: 46} // 9–15 November
	create := func(title string, start, deadline trygg.Day) *samverkan.Action {
		t.Helper()
		a, err := s.Actions.CreateAction(ctx, samverkan.ActionInput{Title: title, OwnerOrgCode: "kommun", Areas: []string{"alidhem"},
			Start: start, Deadline: deadline})
		if err != nil {
			t.Fatalf("create %q: %v", title, err)
		}
		return a
	}
	create("Belysning vid gångtunneln", trygg.DateDay(2026, 11, 2), trygg.DateDay(2026, 12, 15))
	create("Nattvandring fredagar", trygg.DateDay(2026, 11, 1), trygg.DateDay(2026, 11, 30))
	create("Startar efter veckan", trygg.DateDay(2026, 11, 16), trygg.DateDay(2026, 11, 30))
	done := create("Redan klar", trygg.DateDay(2026, 11, 1), trygg.DateDay(2026, 11, 10))
	if _, err := s.Actions.SetActionStatus(ctx, done.ID, samverkan.ActionStatusInput{Status: samverkan.ActionDone, Outcome: "Klart."}); err != nil {
		t.Fatal(err)
	}
	c, err := weekly.Build(ctx, s.Weekly(), week, trygg.DayOf(now))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range c.OpenActions {
		got = append(got, a.Title+" / "+a.Area+" / "+a.Owner+" / "+a.Due.String())
	}
	want := []string{
		"Nattvandring fredagar / Ålidhem / Umeå kommun / 2026-11-30",
		"Belysning vid gångtunneln / Ålidhem / Umeå kommun / 2026-12-15",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("open actions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestWeekMeetings: the report shows the week's coordination meetings with
// who attended and what was decided, and no meeting of another week.
func TestWeekMeetings(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	s, ctx := samordnareWorld(t, now)
	held := func(day trygg.Day, decisions ...string) *samverkan.Meeting {
		t.Helper()
		m, err := s.Meetings.CreateMeeting(ctx, day)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Meetings.UpdateMeeting(ctx, m.ID, samverkan.MeetingInput{Attendees: []string{"kommun"}, Minutes: "Genomgång av veckan."}); err != nil {
			t.Fatal(err)
		}
		for _, d := range decisions {
			if _, err := s.Meetings.AddDecision(ctx, m.ID, samverkan.DecisionInput{Text: d}); err != nil {
				t.Fatal(err)
			}
		}
		return m
	}
	closed := held(trygg.DateDay(2026, 11, 10), "Fler nattvandringar på Ålidhem.")
	if err := s.Meetings.CloseMeeting(ctx, closed.ID); err != nil {
		t.Fatal(err)
	}
	held(trygg.DateDay(2026, 11, 17), "Nästa veckas beslut.")
	c, err := weekly.Build(ctx, s.Weekly(), trygg.ISOWeek{Year: 2026, Week: 46}, trygg.DayOf(now))
	if err != nil {
		t.Fatal(err)
	}
	want := []weekly.WeekMeeting{{Day: trygg.DateDay(2026, 11, 10), Attendees: []string{"Umeå kommun"},
		Decisions: []string{"Fler nattvandringar på Ålidhem."}, Closed: true}}
	if !reflect.DeepEqual(c.Meetings, want) {
		t.Errorf("meetings = %+v, want %+v", c.Meetings, want)
	}
}
