// Package weekly makes the content of a weekly report (veckorapport): the
// lägesbild of the whole municipality for an ISO week and the actions open
// that week, and the JSON snapshot of it that publishing freezes. The web
// pages and the demo data publish through it, so a snapshot has one form.
package weekly

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/draw"
	"github.com/trygg-est/trygg/lagesbild"
)

// Content is what a weekly report shows besides its texts. As JSON the
// picture's fields are at the top level, so a snapshot also reads as a
// lagesbild.Picture.
type Content struct {
	lagesbild.Picture
	OpenActions []trygg.OpenAction `json:"open_actions,omitempty"`
}

// Build computes the content of week as of today, with the caller's
// rights: the picture of every district, all categories and all partners.
func Build(ctx context.Context, s trygg.Services, week trygg.ISOWeek, today trygg.Day) (*Content, error) {
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
	actions, err := openActions(ctx, s, week)
	if err != nil {
		return nil, err
	}
	return &Content{Picture: *p, OpenActions: actions}, nil
}

// openActions is the hook where the collaboration's actions that were open
// during week come into its report. Until actions are kept there are none,
// and the report leaves the section out.
func openActions(context.Context, trygg.Services, trygg.ISOWeek) ([]trygg.OpenAction, error) {
	return nil, nil
}

// Publish builds the content of week as of today and publishes it with the
// week's saved draft texts as the next version.
func Publish(ctx context.Context, s trygg.Services, week trygg.ISOWeek, today trygg.Day) (*trygg.WeeklyReport, error) {
	c, err := Build(ctx, s, week, today)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	return s.WeeklyReports.PublishWeeklyReport(ctx, week, raw)
}

// Decode reads the content frozen in a published version.
func Decode(rep *trygg.WeeklyReport) (*Content, error) {
	var c Content
	if err := json.Unmarshal(rep.Picture, &c); err != nil {
		return nil, fmt.Errorf("weekly report %s v%d: %w", rep.Week.Code(), rep.Version, err)
	}
	return &c, nil
}

// Figures are the map and the chart of a report, the same drawings on the
// page and in the PDF. The map's districts link nowhere: the report is a
// document.
func (c *Content) Figures() (mapCanvas, chart *draw.Canvas) {
	return c.Map(false, "veckokarta", nil), c.WeeklyChart("veckoserie")
}
