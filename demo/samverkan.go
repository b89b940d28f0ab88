package demo

import (
	"context"
	"fmt"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/samverkan"
)

// The agreements of the seeds: a medborgarlöfte for Umeå (night-walkers and
// field workers at youth hot-spots, prostitution and human trafficking,
// drugs), the trygghetsavtal for Ålidhem centrum and the samverkansavtal
// between the police and the municipality, each with commitments, status
// updates and actions, some done, some overdue and some due this week; and
// half a year of weekly meetings with decisions and the actions they made.

type demoCommitment struct {
	in      samverkan.CommitmentInput
	series  []float64 // monthly values ending last month, for series indicators
	updates []demoUpdate
	actions []demoAction
}

type demoUpdate struct {
	daysAgo   int
	comment   string
	published bool
}

type demoAction struct {
	title, owner, description string
	areas                     []string
	start, deadline           int // days from the data set's end
	status                    samverkan.ActionStatus
	outcome                   string
}

type demoAgreement struct {
	in          samverkan.AgreementInput
	commitments []demoCommitment
}

// samverkanAgreements builds the agreements around the data set's end day.
func samverkanAgreements(end trygg.Day) []demoAgreement {
	year, _, _ := end.Date()
	jan1 := trygg.DateDay(year, 1, 1)
	lastYear := samverkan.Target{BaselineFrom: trygg.DateDay(year-1, 1, 1), BaselineTo: trygg.DateDay(year-1, 12, 31)}
	reduce := func(text string, pct float64) samverkan.Target {
		t := lastYear
		t.Text, t.Kind, t.Value = text, samverkan.TargetReduce, pct
		return t
	}
	signed := func(d trygg.Day) *trygg.Day { return &d }
	return []demoAgreement{
		{in: samverkan.AgreementInput{Type: samverkan.AgreementMedborgarlofte, Title: fmt.Sprintf("Medborgarlöfte Umeå %d", year),
			Summary: "Polisen och Umeå kommun lovar invånarna att arbeta tillsammans med det som oroar mest: unga som samlas där vuxna saknas, sexhandeln och narkotikan.",
			From:    jan1, To: trygg.DateDay(year, 12, 31), Status: samverkan.AgreementSigned, SignedOn: signed(jan1 - 20),
			Parties: []samverkan.Party{{OrgCode: "polisen-umea", Signatory: "Lokalpolisområdeschef"}, {OrgCode: "umea-kommun", Signatory: "Kommunstyrelsens ordförande"}}},
			commitments: []demoCommitment{
				{in: samverkan.CommitmentInput{Text: "Fältarbetare och vuxna nattvandrare finns på ungdomarnas samlingsplatser fredag och lördag kväll.",
					OwnerOrgCode: "faltgruppen",
					Target:       samverkan.Target{Text: "Minst 8 nattvandringar per månad", Kind: samverkan.TargetAtLeast, Value: 8},
					Indicator:    samverkan.Indicator{Source: samverkan.IndicatorSeries, Name: "Nattvandringar per månad"}},
					series: []float64{9, 8, 10, 7, 9, 11, 8, 6, 7, 9},
					updates: []demoUpdate{{40, "Nattvandrarna har utbildat tolv nya vuxna och har nu pass varje helg.", true},
						{9, "Två pass ställdes in på grund av kyla; fältgruppen täckte Ålidhem.", false}},
					actions: []demoAction{
						{title: "Utbilda nya nattvandrare inför hösten", owner: "nattvandrarna", start: -120, deadline: -60, status: samverkan.ActionDone,
							outcome: "Tolv nya nattvandrare utbildade och försäkrade."},
						{title: "Låna ut västar och ficklampor vid Ålidhem centrum", owner: "faltgruppen", areas: []string{"alidhem"}, start: -20, deadline: 4,
							status: samverkan.ActionOngoing},
					}},
				{in: samverkan.CommitmentInput{Text: "Polisen och socialtjänsten gör gemensamma insatser mot sexköp, koppleri och människohandel, och socialtjänsten erbjuder stöd på plats till både den som säljer och den som köper.",
					OwnerOrgCode: "polisen-umea",
					Target:       samverkan.Target{Text: "Minskad annonsering: högst 120 annonser om sex mot ersättning per månad", Kind: samverkan.TargetAtMost, Value: 120},
					Indicator:    samverkan.Indicator{Source: samverkan.IndicatorAds, Name: "Annonser om sex mot ersättning i Umeå per månad"}},
					updates: []demoUpdate{{30, "Tre insatser genomförda tillsammans med socialtjänsten; alla kontaktade erbjöds stöd och KAST.", true}},
					actions: []demoAction{
						{title: "Gemensam insats mot sexköp med socialtjänsten", owner: "polisen-umea", start: -45, deadline: -10, status: samverkan.ActionOngoing,
							description: "Rutinen för stöd på plats följs; kontakter loggas anonymt."},
					}},
				{in: samverkan.CommitmentInput{Text: "Polis och kommun förebygger narkotika: fler kontroller vid skolor och fritidsgårdar och information till föräldrar.",
					OwnerOrgCode: "polisen-umea", Target: reduce("20 % färre rapporter om misstänkt narkotikaförsäljning än förra året", 20),
					Indicator: samverkan.Indicator{Source: samverkan.IndicatorReports, Name: "Rapporter om misstänkt narkotikaförsäljning", Categories: []string{"narkotika_forsaljning"}}},
					actions: []demoAction{
						{title: "Föräldramöte om narkotika på Dragonskolan", owner: "dragonskolan", start: -30, deadline: 6, status: samverkan.ActionPlanned},
					}},
			}},
		{in: samverkan.AgreementInput{Type: samverkan.AgreementTrygghetsavtal, Title: "Trygghetsavtal Ålidhem centrum",
			Summary: "Nära samverkan mellan polis, skola, kommun, handlare och fastighetsägare mot kriminalitet och otrygghet i anslutning till Ålidhem centrum.",
			From:    jan1, To: trygg.DateDay(year+1, 12, 31), Areas: []string{"alidhem"}, Status: samverkan.AgreementSigned, SignedOn: signed(jan1 - 35),
			Parties: []samverkan.Party{{OrgCode: "polisen-umea", Signatory: "Lokalpolisområdeschef"}, {OrgCode: "umea-kommun", Signatory: "Kommunalråd"},
				{OrgCode: "alidhemsskolan", Signatory: "Rektor"}, {OrgCode: "alidhem-centrum", Signatory: "Ordförande i handlarföreningen"},
				{OrgCode: "bostaden", Signatory: "Vd"}}},
			commitments: []demoCommitment{
				{in: samverkan.CommitmentInput{Text: "Minska skadegörelsen och klottret kring centrum.", OwnerOrgCode: "bostaden",
					Target: reduce("20 % färre rapporter om skadegörelse och klotter i Ålidhem än förra året", 20),
					Indicator: samverkan.Indicator{Source: samverkan.IndicatorReports, Name: "Rapporter om skadegörelse och klotter i Ålidhem",
						Areas: []string{"alidhem"}, Categories: []string{"skadegorelse", "klotter"}}},
					updates: []demoUpdate{{14, "Klotter sanerat inom ett dygn sedan mars; kameror vid tunneln är beställda.", true}},
					actions: []demoAction{
						{title: "Sanera klotter inom 24 timmar", owner: "bostaden", areas: []string{"alidhem"}, start: -200, deadline: -100, status: samverkan.ActionDone,
							outcome: "Rutinen är införd och följs."},
						{title: "Extra belysning vid gångtunneln", owner: "umea-kommun", areas: []string{"alidhem"}, start: -60, deadline: -5, status: samverkan.ActionOngoing},
						{title: "Kvällspatrull vid centrum fredagar", owner: "polisen-umea", areas: []string{"alidhem"}, start: -14, deadline: 3, status: samverkan.ActionOngoing},
					}},
				{in: samverkan.CommitmentInput{Text: "Skolan och fältgruppen möter unga som samlas vid centrum efter skoltid.", OwnerOrgCode: "alidhemsskolan",
					Target: samverkan.Target{Text: "Högst 10 rapporter om ungdomar som samlas per månad", Kind: samverkan.TargetAtMost, Value: 10},
					Indicator: samverkan.Indicator{Source: samverkan.IndicatorReports, Name: "Rapporter om ungdomar som samlas i Ålidhem",
						Areas: []string{"alidhem"}, Categories: []string{"ungdomar_stok"}}},
					actions: []demoAction{
						{title: "Öppen fritidsgård i centrum onsdagar", owner: "alidhemsskolan", areas: []string{"alidhem"}, start: -90, deadline: 30, status: samverkan.ActionOngoing},
						{title: "Ny trafikvakt vid busshållplatsen", owner: "alidhem-centrum", areas: []string{"alidhem"}, start: -40, deadline: -20, status: samverkan.ActionCancelled,
							outcome: "Ersattes av kvällspatrullen."},
					}},
				{in: samverkan.CommitmentInput{Text: "Fler känner sig trygga vid Ålidhem centrum på kvällen.", OwnerOrgCode: "faltgruppen",
					Target: samverkan.Target{Text: "Minst 70 % svarar att de känner sig trygga", Kind: samverkan.TargetAtLeast, Value: 70},
					Indicator: samverkan.Indicator{Source: samverkan.IndicatorSeries, Kind: samverkan.IndicatorMeasure,
						Name: "Andel trygga i fältgruppens kvällsenkät vid centrum, procent"}},
					series:  surveySeries(end),
					updates: []demoUpdate{{20, "Kvällsenkäten visar fler trygga sedan belysningen och kvällspatrullen kom.", true}}},
			}},
		{in: samverkan.AgreementInput{Type: samverkan.AgreementSamverkansavtal, Title: "Samverkansavtal polisen och Umeå kommun",
			Summary: "Hur polisen och kommunen tar fram en gemensam lägesbild och följer upp åtgärderna.",
			From:    jan1, To: trygg.DateDay(year+2, 12, 31), Status: samverkan.AgreementSigned, SignedOn: signed(jan1 - 10),
			Parties: []samverkan.Party{{OrgCode: "polisen-umea", Signatory: "Lokalpolisområdeschef"}, {OrgCode: "umea-kommun", Signatory: "Kommundirektör"}}},
			commitments: []demoCommitment{
				{in: samverkan.CommitmentInput{Text: "En gemensam lägesbild tas fram varje vecka och gås igenom på samordningsmötet.", OwnerOrgCode: "umebra",
					Target:    samverkan.Target{Text: "Minst 4 samordningsmöten per månad", Kind: samverkan.TargetAtLeast, Value: 4},
					Indicator: samverkan.Indicator{Source: samverkan.IndicatorSeries, Name: "Samordningsmöten per månad"}},
					series: []float64{4, 4, 5, 4, 3, 4, 4, 5, 4, 4}},
			}},
	}
}

// surveySeries is the monthly share who feel safe in the field workers'
// evening survey at Ålidhem centrum, for the 22 months that end with the
// last whole month: about 60 % last year, about 68 % this year.
func surveySeries(end trygg.Day) []float64 {
	year, _, _ := end.Date()
	months := trygg.MonthStarts(end-800, end)
	months = months[len(months)-23 : len(months)-1]
	out := make([]float64, len(months))
	for i, m := range months {
		y, _, _ := m.Date()
		level := 60.0
		if y == year {
			level = 68
		}
		out[i] = level + float64(i%4) - 1.5
	}
	return out
}

// loadSamverkan writes the agreements, their commitments, updates, series
// and actions as the operator.
func loadSamverkan(ctx context.Context, s app.Services, ds *Dataset) error {
	end := trygg.DayOf(ds.End)
	areas := map[string]bool{}
	for _, a := range ds.Areas {
		areas[a.Code] = true
	}
	for _, da := range samverkanAgreements(end) {
		a, err := s.Agreements.CreateAgreement(ctx, da.in)
		if err != nil {
			return fmt.Errorf("demo agreement %s: %w", da.in.Title, err)
		}
		for _, dc := range da.commitments {
			if err := loadCommitment(ctx, s, a, dc, end); err != nil {
				return fmt.Errorf("demo commitment %q: %w", dc.in.Text, err)
			}
		}
	}
	if err := loadMeetings(ctx, s, end, areas); err != nil {
		return fmt.Errorf("demo meetings: %w", err)
	}
	return nil
}

func loadCommitment(ctx context.Context, s app.Services, a *samverkan.Agreement, dc demoCommitment, end trygg.Day) error {
	c, err := s.Commitments.CreateCommitment(ctx, a.ID, dc.in)
	if err != nil {
		return err
	}
	if len(dc.series) > 0 {
		months := trygg.MonthStarts(end-800, end)
		months = months[:len(months)-1] // the current month is not over
		months = months[max(0, len(months)-len(dc.series)):]
		points := make([]samverkan.IndicatorPoint, len(months))
		for i, m := range months {
			points[i] = samverkan.IndicatorPoint{Day: m, Value: dc.series[len(dc.series)-len(months)+i]}
		}
		if err := s.Commitments.SaveIndicatorPoints(ctx, c.ID, points); err != nil {
			return err
		}
	}
	for _, du := range dc.updates {
		u, err := s.Commitments.AddCommitmentUpdate(ctx, c.ID, samverkan.CommitmentUpdateInput{Day: end - trygg.Day(du.daysAgo), Comment: du.comment})
		if err != nil {
			return err
		}
		if du.published {
			if err := s.Commitments.PublishCommitmentUpdate(ctx, u.ID, true); err != nil {
				return err
			}
		}
	}
	for _, da := range dc.actions {
		act, err := s.Actions.CreateAction(ctx, samverkan.ActionInput{Title: da.title, Description: da.description, OwnerOrgCode: da.owner,
			Areas: da.areas, Start: end + trygg.Day(da.start), Deadline: end + trygg.Day(da.deadline), CommitmentID: &c.ID})
		if err != nil {
			return err
		}
		if da.status != samverkan.ActionPlanned {
			st := samverkan.ActionStatusInput{Status: da.status, Outcome: da.outcome}
			if da.status == samverkan.ActionCancelled {
				st.CancelReason, st.Outcome = da.outcome, ""
			}
			if _, err := s.Actions.SetActionStatus(ctx, act.ID, st); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoMeetingWeeks is how many weekly meetings the demo holds: half a year.
const demoMeetingWeeks = 26

// The rotating content of the demo's weekly meetings.
var (
	meetingAttendees = [][]string{
		{"umebra", "polisen-umea", "faltgruppen", "bostaden"},
		{"umebra", "polisen-umea", "alidhemsskolan", "alidhem-centrum"},
		{"umebra", "polisen-umea", "faltgruppen", "nattvandrarna", "centrumvakterna"},
	}
	meetingDecisions = []struct {
		text, action, owner, area string
	}{
		{"Klotter vid Ålidhem centrum ökar; fastighetsägaren sanerar och polisen följer upp.", "Sanera klotter vid Ålidhem centrum", "bostaden", "alidhem"},
		{"Unga samlas vid busstationen på kvällarna; fältgruppen är där fredag och lördag.", "Fältgruppen vid busstationen helgkvällar", "faltgruppen", "centrum"},
		{"Otrygg belysning i gångtunneln anmäld igen; kommunen byter armaturer.", "Byt armaturer i gångtunneln", "umea-kommun", "alidhem"},
		{"Mopedbuskörning på Ersboda; polisen gör riktade kontroller.", "Riktade mopedkontroller på Ersboda", "polisen-umea", "ersboda"},
		{"Lägesbilden gicks igenom utan nya åtgärder; uppföljning nästa vecka.", "", "", ""},
	}
)

// loadMeetings holds a weekly meeting every Monday of the last half year,
// each with attendance, minutes and decisions, most of which created an
// action. All but the newest meeting are closed; older actions are mostly
// done, some are overdue.
func loadMeetings(ctx context.Context, s app.Services, end trygg.Day, areas map[string]bool) error {
	last := end.Monday()
	for i := demoMeetingWeeks - 1; i >= 0; i-- {
		day := last - trygg.Day(7*i)
		m, err := s.Meetings.CreateMeeting(ctx, day)
		if err != nil {
			return err
		}
		if _, err := s.Meetings.UpdateMeeting(ctx, m.ID, samverkan.MeetingInput{Attendees: meetingAttendees[i%len(meetingAttendees)],
			Minutes: fmt.Sprintf("Veckans lägesbild (%s) gicks igenom med partnerna, och åtgärderna följdes upp.", trygg.WeekOf(day-1))}); err != nil {
			return err
		}
		for k := range 2 {
			d := meetingDecisions[(i+k)%len(meetingDecisions)]
			in := samverkan.DecisionInput{Text: d.text}
			if d.action != "" && (k == 0 || i%3 == 0) {
				in.Action = &samverkan.ActionInput{Title: d.action, OwnerOrgCode: d.owner, Start: day, Deadline: day + 21}
				if areas[d.area] {
					in.Action.Areas = []string{d.area}
				}
			}
			dec, err := s.Meetings.AddDecision(ctx, m.ID, in)
			if err != nil {
				return err
			}
			for _, a := range dec.Actions {
				if err := settleDemoAction(ctx, s, a, end, i); err != nil {
					return err
				}
			}
		}
		if i > 0 {
			if err := s.Meetings.CloseMeeting(ctx, m.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// settleDemoAction moves an action from meeting i weeks ago along: actions
// whose deadline has passed are done, except every fourth, which is left
// overdue; newer ones are under way.
func settleDemoAction(ctx context.Context, s app.Services, a *samverkan.Action, end trygg.Day, i int) error {
	st := samverkan.ActionStatusInput{Status: samverkan.ActionOngoing}
	if a.Deadline < end && i%4 != 1 {
		st = samverkan.ActionStatusInput{Status: samverkan.ActionDone, Outcome: "Genomfört enligt beslutet; följdes upp på mötet."}
	}
	_, err := s.Actions.SetActionStatus(ctx, a.ID, st)
	return err
}
