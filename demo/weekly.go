package demo

import (
	"context"
	"fmt"
	"slices"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	weeklyreport "github.com/trygg-est/trygg/weekly"
)

// Texts of the demo's published weekly report, about the surge of social
// unrest in Ålidhem.
const (
	demoAnalysis = "Ålidhem sticker ut för sjätte veckan i rad. Rapporterna om social oro, ungdomar som samlas " +
		"och anlagda bränder ökar, mest fredag och lördag kväll kring centrum och skolan.\n\n" +
		"Ökningen syns hos flera partner samtidigt – fältgruppen, polisen, AB Bostaden, skolan och " +
		"nattvandrarna – så den beror inte på att en enskild aktör rapporterar mer. Övriga områden ligger " +
		"inom det förväntade."
	demoConclusions = "Fältgruppen och nattvandrarna förstärker närvaron i Ålidhem fredag och lördag kväll. " +
		"AB Bostaden ser över belysningen vid centrumhuset. Polisen återkopplar läget på nästa veckomöte."
)

// publishDemoWeek writes the samordnare's texts for the last whole week
// before the data set ends and publishes it as that samordnare, so that
// the weekly reports have a first version to show.
func publishDemoWeek(ctx context.Context, s app.Services, ds *Dataset, ids map[string]int64) error {
	i := slices.IndexFunc(ds.Users, func(u trygg.NewUser) bool { return slices.Contains(u.Roles, trygg.RoleSamordnare) })
	if i < 0 {
		return fmt.Errorf("demo weekly report: no samordnare")
	}
	u, err := s.Users.FindUserByID(ctx, ids[ds.Users[i].Email])
	if err != nil {
		return fmt.Errorf("demo weekly report: %w", err)
	}
	ctx = trygg.NewContextWithUser(ctx, u)
	today := trygg.DayOf(ds.End)
	week := trygg.WeekOf(today - 7)
	draft := &weeklyreport.Draft{Week: week, Analysis: demoAnalysis, Conclusions: demoConclusions}
	if err := s.WeeklyReports.SaveWeeklyDraft(ctx, draft); err != nil {
		return fmt.Errorf("demo weekly report: %w", err)
	}
	if _, err := weeklyreport.Publish(ctx, s.Weekly(), week, today); err != nil {
		return fmt.Errorf("demo weekly report: %w", err)
	}
	return nil
}
