// Package arsplan drafts the yearly lägesbild and åtgärdsplan of lag
// (2023:196) from the data: the indicators compared with the first peer
// group, each district's counts and flags from the lägesbild, the actions
// of samverkan, and the follow-up of last year's plan with each action's
// measured effect. It reads through the services it is given, with the
// caller's rights, and stores through indikator.YearlyService; the pages
// (web) and the demo both draft through it. The document's types and
// rules are in package indikator; docs/indikatorer.md describes it.
package arsplan

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/effect"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/lagesbild"
	"github.com/trygg-est/trygg/operativ"
	"github.com/trygg-est/trygg/samverkan"
)

// Sources are the services a yearly document is drafted from; Yearly
// also stores it.
type Sources struct {
	Indicators  indikator.Service
	Yearly      indikator.YearlyService
	Counts      trygg.CountService
	Areas       trygg.AreaService
	Categories  trygg.CategoryService
	Actions     samverkan.ActionService
	Commitments samverkan.CommitmentService
	Ads         operativ.AdService
}

// CheckYear says whether a document may be drafted for year on today:
// from 2023, when the law came into force, to next year. EINVALID with
// the field "year" otherwise.
func CheckYear(year int, today trygg.Day) error {
	if !indikator.ValidYear(year) || year > today.Year()+1 {
		var v trygg.Validation
		v.Add("year", "Ange ett år från 2023 till och med nästa år.")
		return v.Err()
	}
	return nil
}

// SaveDraft drafts the year's document from the data as of today and
// stores it as the year's draft (a new version when the newest is
// decided), keeping the texts of the newest version. Who may call is
// SaveYearlyDraft's rule (the samordnare); the draft reads counts,
// actions and indicators with the caller's rights. EINVALID for a bad
// year (CheckYear), and the services' errors.
func SaveDraft(ctx context.Context, s Sources, year int, today trygg.Day) (*indikator.Yearly, error) {
	if err := CheckYear(year, today); err != nil {
		return nil, err
	}
	content, err := Draft(ctx, s, year, today)
	if err != nil {
		return nil, err
	}
	switch prev, err := s.Yearly.FindYearly(ctx, year, 0); {
	case err == nil:
		indikator.YearlyTexts{Summary: prev.Content.Summary, Causes: prev.Content.Causes, Priority: prev.Content.Priority,
			FollowUp: prev.Content.FollowUp}.Apply(&content)
	case trygg.ErrorCode(err) != trygg.ENOTFOUND:
		return nil, err
	}
	return s.Yearly.SaveYearlyDraft(ctx, year, content)
}

// Draft builds the data parts of the year's document as of today, with
// the caller's rights; the texts are left empty.
func Draft(ctx context.Context, s Sources, year int, today trygg.Day) (indikator.YearlyContent, error) {
	c := indikator.YearlyContent{Year: year, Drafted: today}
	var err error
	if c.PeerGroup, c.Indicators, c.LeftOut, err = indicators(ctx, s, year); err != nil {
		return c, err
	}
	areas, err := s.Areas.FindAreas(ctx)
	if err != nil {
		return c, err
	}
	if c.Districts, err = districts(ctx, s, areas, year, today); err != nil {
		return c, err
	}
	areaNames := make(map[string]string, len(areas))
	for _, a := range areas {
		areaNames[a.Code] = a.Name
	}
	// The plan: the actions under way and those due this year or the next.
	actions, err := s.Actions.FindActions(ctx, samverkan.ActionFilter{})
	if err != nil {
		return c, err
	}
	for _, a := range actions {
		dy := a.Deadline.Year()
		if a.Open() || dy == year || dy == year+1 {
			c.Actions = append(c.Actions, yearlyAction(a, areaNames))
		}
	}
	// The follow-up of last year's plan: its actions as they stand now,
	// with their measured effect.
	prev, err := s.Yearly.FindYearly(ctx, year-1, 0)
	switch {
	case err == nil:
		c.PreviousFrom = fmt.Sprintf("%d, version %d (%s)", prev.Year, prev.Version, strings.ToLower(prev.Status.Label()))
		byID := map[int64]*samverkan.Action{}
		for _, a := range actions {
			byID[a.ID] = a
		}
		for _, pa := range prev.Content.Actions {
			if a, ok := byID[pa.ID]; ok {
				ya := yearlyAction(a, areaNames)
				if ya.Effect, err = actionVerdict(ctx, s, a, today); err != nil {
					return c, err
				}
				c.Previous = append(c.Previous, ya)
			} else {
				pa.Status, pa.Effect = "Finns inte längre", ""
				c.Previous = append(c.Previous, pa)
			}
		}
	case trygg.ErrorCode(err) != trygg.ENOTFOUND:
		return c, err
	}
	return c, nil
}

// indicators compares each series the samordnare keeps in the yearly
// document (Series.InYearly) and that has a value up to year with the
// first peer group (own series with the whole municipality); an own count
// series without events that year is left out. It also names the series
// the samordnare left out, which the document says.
func indicators(ctx context.Context, s Sources, year int) (group string, out []indikator.YearlyIndicator, leftOut []string, err error) {
	groups, err := s.Indicators.FindPeerGroups(ctx)
	if err != nil {
		return "", nil, nil, err
	}
	var g *indikator.PeerGroup
	if len(groups) > 0 {
		g, group = groups[0], groups[0].Name
	}
	series, err := s.Indicators.FindSeries(ctx, indikator.SeriesFilter{})
	if err != nil {
		return "", nil, nil, err
	}
	for _, sr := range series {
		if !sr.InYearly {
			leftOut = append(leftOut, sr.Name)
			continue
		}
		home, peers := indikator.WholeMunicipality, []string(nil)
		if sr.Source != indikator.SourceTrygg {
			if g == nil {
				continue
			}
			home, peers = g.Municipality, g.Members
		}
		values, err := s.Indicators.Values(ctx, sr.Code, append([]string{home}, peers...))
		if err != nil {
			return "", nil, nil, err
		}
		values = slices.DeleteFunc(values, func(v indikator.Value) bool { return v.Year > year })
		cmp := indikator.Compare(values, home, peers, sr.Polarity)
		if cmp.Latest == 0 {
			continue
		}
		yi := indikator.YearlyIndicator{Code: sr.Code, Name: sr.Name, Source: sr.Source, Unit: sr.Unit, Licence: sr.Licence, Year: cmp.Latest,
			Decimals: indikator.Decimals(values), Own: sr.Source == indikator.SourceTrygg && sr.Kind == indikator.KindCount,
			Rank: cmp.Rank, RankOf: cmp.RankOf, Change5: cmp.Change5}
		for _, st := range cmp.Years {
			if st.Year == cmp.Latest {
				yi.Value, yi.Peers, yi.Median, yi.Q1, yi.Q3 = st.Home, st.Peers, st.Median, st.Q1, st.Q3
			}
		}
		if yi.Own && yi.Value == 0 {
			continue // an own series without events that year says nothing
		}
		out = append(out, yi)
	}
	return group, out, leftOut, nil
}

// districts gives each district's indicator counts for the year and the
// lägesbild's flags; none for a year that has not begun.
func districts(ctx context.Context, s Sources, areas []*trygg.Area, year int, today trygg.Day) ([]indikator.YearlyDistrict, error) {
	period, err := lagesbild.NewPeriod(lagesbild.PeriodYear, trygg.DateDay(year, 1, 1), 0)
	if err != nil || period.From > today {
		return nil, err
	}
	cats, err := s.Categories.FindCategories(ctx, true)
	if err != nil {
		return nil, err
	}
	p, err := lagesbild.Build(ctx, s.Counts, lagesbild.Input{Filter: lagesbild.Filter{Period: period}, Today: today, Areas: areas, Categories: cats})
	if err != nil {
		return nil, err
	}
	var out []indikator.YearlyDistrict
	k := slices.Index(p.IndicatorYears, year)
	for _, dp := range p.Districts {
		d := indikator.YearlyDistrict{Code: dp.Code, Name: dp.Name}
		for _, iv := range dp.Indicators {
			if k >= 0 && k < len(iv.Counts) {
				d.Counts = append(d.Counts, indikator.NamedCount{Label: iv.Label, Count: iv.Counts[k]})
			}
		}
		for _, f := range p.Flags {
			if f.Area == dp.Code {
				d.Flags = append(d.Flags, fmt.Sprintf("%s: %d rapporter vecka %d %d, förväntat högst %d", f.CategoryName, f.Count, f.Week, f.Year, trygg.ExpectedAtMost(f.UpperBound)))
			}
		}
		out = append(out, d)
	}
	return out, nil
}

func yearlyAction(a *samverkan.Action, areaNames map[string]string) indikator.YearlyAction {
	var districts []string
	for _, code := range a.Areas {
		name := areaNames[code]
		if name == "" {
			name = code
		}
		districts = append(districts, name)
	}
	return indikator.YearlyAction{ID: a.ID, Title: a.Title, Owner: a.OwnerOrgName, Deadline: a.Deadline, Status: a.Status.Label(),
		Commitment: a.CommitmentText, Districts: strings.Join(districts, ", ")}
}

// actionVerdict is an action's measured effect in words, as its effect
// page computes it: the reports (or ads) of its commitment's indicator in
// its districts, the weeks after its start against as many before.
func actionVerdict(ctx context.Context, s Sources, a *samverkan.Action, today trygg.Day) (string, error) {
	if a.Start == 0 {
		return "", nil
	}
	ind := samverkan.Indicator{Source: samverkan.IndicatorReports}
	if a.CommitmentID != nil {
		c, err := s.Commitments.FindCommitmentByID(ctx, *a.CommitmentID)
		if err != nil && trygg.ErrorCode(err) != trygg.ENOTFOUND {
			return "", err
		}
		if c != nil && (c.Indicator.Source == samverkan.IndicatorReports || c.Indicator.Source.FromAds()) {
			ind = c.Indicator
		}
	}
	if ind.Source == samverkan.IndicatorReports {
		ind.Areas = a.Areas
	}
	before, after, ok := effect.WeekWindows(a.Start, today)
	if !ok {
		return "För tidigt att mäta effekten.", nil
	}
	e, err := effect.EvaluateWeeks(ctx, effect.WeekSources{Counts: s.Counts, Ads: s.Ads}, ind, before, after)
	return e.Verdict, err
}
