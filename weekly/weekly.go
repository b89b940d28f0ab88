// Package weekly is the weekly report (veckorapport): the texts the
// samordnare writes for an ISO week (Draft), the published versions that
// freeze them (Report) and the service that keeps both (Service), and the
// content the report shows besides its texts: the lägesbild of the whole
// municipality for the week, the actions open that week and the meetings
// held in it, with the JSON snapshot of it that publishing freezes. The
// web pages and the demo data publish through it, so a snapshot has one
// form.
package weekly

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/lagesbild"
	"github.com/trygg-est/trygg/samverkan"
)

// Content is what a weekly report shows besides its texts. As JSON the
// picture's fields are at the top level, so a snapshot also reads as a
// lagesbild.Picture.
type Content struct {
	lagesbild.Picture
	OpenActions []OpenAction  `json:"open_actions,omitempty"`
	Meetings    []WeekMeeting `json:"meetings,omitempty"`
}

// Sources are the services a weekly report is made from. Build reads
// through all but Reports; Publish also stores through Reports.
type Sources struct {
	Counts     trygg.CountService
	Areas      trygg.AreaService
	Categories trygg.CategoryService
	Meetings   samverkan.MeetingService
	Actions    samverkan.ActionService
	Reports    Service
}

// Build computes the content of week as of today, with the caller's
// rights: the picture of every district, all categories and all partners.
func Build(ctx context.Context, s Sources, week trygg.ISOWeek, today trygg.Day) (*Content, error) {
	period, err := lagesbild.NewPeriod(lagesbild.PeriodWeek, week.Monday(), 0)
	if err != nil {
		return nil, err
	}
	areas, err := s.Areas.FindAreas(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := s.Categories.FindCategories(ctx, true)
	if err != nil {
		return nil, err
	}
	p, err := lagesbild.Build(ctx, s.Counts, lagesbild.Input{Filter: lagesbild.Filter{Period: period},
		Today: today, Areas: areas, Categories: cats})
	if err != nil {
		return nil, err
	}
	actions, err := openActions(ctx, s, week, areas)
	if err != nil {
		return nil, err
	}
	meetings, err := weekMeetings(ctx, s, week)
	if err != nil {
		return nil, err
	}
	return &Content{Picture: *p, OpenActions: actions, Meetings: meetings}, nil
}

// weekMeetings lists the coordination meetings held during week, first
// first. A caller who may read the report but not the meetings gets a
// report without them.
func weekMeetings(ctx context.Context, s Sources, week trygg.ISOWeek) ([]WeekMeeting, error) {
	all, err := s.Meetings.FindMeetings(ctx)
	if trygg.ErrorCode(err) == trygg.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var out []WeekMeeting
	for _, listed := range all {
		if listed.Day < week.Monday() || listed.Day > week.Sunday() {
			continue
		}
		// The list leaves out attendance and decisions.
		m, err := s.Meetings.FindMeetingByID(ctx, listed.ID)
		if err != nil {
			return nil, err
		}
		wm := WeekMeeting{Day: m.Day, Closed: m.Closed()}
		for _, a := range m.Attendees {
			wm.Attendees = append(wm.Attendees, cmp.Or(a.OrgName, a.OrgCode))
		}
		for _, d := range m.Decisions {
			wm.Decisions = append(wm.Decisions, d.Text)
		}
		out = append(out, wm)
	}
	slices.SortStableFunc(out, func(x, y WeekMeeting) int { return cmp.Compare(x.Day, y.Day) })
	return out, nil
}

// openActions lists the collaboration's actions that are open and had
// started by the end of week, soonest deadline first. A caller who may
// read the report but not the actions (an admin) gets a report without
// them rather than none.
func openActions(ctx context.Context, s Sources, week trygg.ISOWeek, areas []*trygg.Area) ([]OpenAction, error) {
	actions, err := s.Actions.FindActions(ctx, samverkan.ActionFilter{OpenOnly: true})
	if trygg.ErrorCode(err) == trygg.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(areas))
	for _, a := range areas {
		names[a.Code] = a.Name
	}
	var out []OpenAction
	for _, a := range actions {
		if !a.Open() || a.Start > week.Sunday() {
			continue
		}
		var districts []string
		for _, code := range a.Areas {
			districts = append(districts, cmp.Or(names[code], code))
		}
		due := a.Deadline
		out = append(out, OpenAction{Title: a.Title, Area: strings.Join(districts, ", "),
			Owner: cmp.Or(a.OwnerOrgName, a.OwnerOrgCode), Due: &due})
	}
	slices.SortStableFunc(out, func(x, y OpenAction) int { return cmp.Compare(*x.Due, *y.Due) })
	return out, nil
}

// Publish builds the content of week as of today and publishes it with the
// week's saved draft texts as the next version.
func Publish(ctx context.Context, s Sources, week trygg.ISOWeek, today trygg.Day) (*Report, error) {
	c, err := Build(ctx, s, week, today)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	return s.Reports.PublishWeeklyReport(ctx, week, raw)
}

// Decode reads the content frozen in a published version.
func Decode(rep *Report) (*Content, error) {
	var c Content
	if err := json.Unmarshal(rep.Picture, &c); err != nil {
		return nil, fmt.Errorf("weekly report %s v%d: %w", rep.Week.Code(), rep.Version, err)
	}
	return &c, nil
}
