package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/operativ"
)

// The demo of operativ samverkan: joint operations against the sex trade
// from January 2018 (when social services began to take part), anonymous
// contacts, support and referrals through the support chain, the tasks the
// routines give (reports of concern for suspected minors, the routine for
// human trafficking), the KAST reception's log, and a weekly advertising
// series that falls after the operations began. Every figure is made up.

// KastEmail is the demo's KAST counsellor: a rapportör at the KAST
// reception, the organisation that receives KAST referrals.
const KastEmail = "kast" + emailDomain

// operativStart is the first month of the joint operations.
var operativStart = time.Date(2018, 1, 1, 0, 0, 0, 0, trygg.Stockholm)

var (
	demoOpAreas  = []concernWeight{{"centrum", 8}, {"ost-pa-stan", 2}, {"vast-pa-stan", 2}, {"haga", 1}, {"alidhem", 2}}
	demoOpPlaces = []concernWeight{{"hotell", 3}, {"lagenhet", 3}, {"natet", 2}, {"gata", 1}, {"annat", 1}}
	demoOpTypes  = []concernWeight{{"sexkop", 6}, {"koppleri", 1}, {"manniskohandel", 1}, {"kombinerad", 2}}
	demoAges     = []concernWeight{{"18-24", 3}, {"25-34", 4}, {"35-49", 4}, {"50-", 3}, {"okand", 1}}
	demoLangs    = []concernWeight{{"", 6}, {"engelska", 2}, {"rumänska", 1}, {"thailändska", 1}, {"spanska", 1}}
	kastChannels = []concernWeight{{"telefon", 6}, {"besok", 3}, {"chatt", 2}}
	kastTopics   = []concernWeight{{"sexkop", 6}, {"tvangsmassigt", 3}, {"natet", 2}, {"anhorig", 1}, {"annat", 1}}
	kastOutcomes = []concernWeight{{"radgivning", 4}, {"nytt_samtal", 4}, {"hanvisad", 2}, {"avbrutet", 1}}
)

// demoOperativ holds the callers and state of one load.
type demoOperativ struct {
	s                    app.Services
	r                    *rand.Rand
	police, social, kast context.Context
	routines             []*operativ.Routine // oldest first
	end                  time.Time
	today                trygg.Day
}

// loadOperativ writes the demo of operativ samverkan: the KAST reception
// and its counsellor, two versions of the routines, the operations with
// their contacts and referrals, the reception log and the advertising
// series.
func loadOperativ(ctx context.Context, s app.Services, ds *Dataset) error {
	if err := s.Organisations.CreateOrganisation(ctx, &trygg.Organisation{Code: "kast", Name: "KAST-mottagningen, Umeå kommun", Type: trygg.OrgSocialServices}); err != nil {
		return fmt.Errorf("demo KAST: %w", err)
	}
	if _, err := s.Users.CreateUser(ctx, trygg.NewUser{Email: KastEmail, Name: "Rådgivare KAST", OrgCode: "kast",
		Roles: []trygg.Role{trygg.RoleRapportor}, Password: Password}); err != nil {
		return fmt.Errorf("demo KAST counsellor: %w", err)
	}
	if err := s.Routines.SetServiceOrganisation(ctx, "kast", "kast"); err != nil {
		return err
	}
	d := &demoOperativ{s: s, r: rand.New(rand.NewPCG(uint64(ds.End.Unix()), pcgStream+2)), end: ds.End, today: trygg.DayOf(ds.End)}
	for _, who := range []struct {
		email string
		ctx   *context.Context
	}{{"polis" + emailDomain, &d.police}, {"socialtjanst" + emailDomain, &d.social}, {KastEmail, &d.kast}} {
		found, err := s.Users.FindUsers(ctx, trygg.UserFilter{Email: &who.email})
		if err != nil || len(found) != 1 {
			return fmt.Errorf("demo user %s: %d found, %v", who.email, len(found), err)
		}
		*who.ctx = trygg.NewContextWithUser(ctx, found[0])
	}
	for _, in := range []operativ.RoutineInput{
		{Title: "Rutin för operativ samverkan mellan Polisen och socialtjänsten", ValidFrom: trygg.DateDay(2018, 1, 1),
			Summary: "Socialtjänsten informeras före varje insats och erbjuder stöd på plats till den som säljer och den som köper."},
		{Title: "Reviderad rutin: tolk, människohandel och misstänkt minderårig", ValidFrom: trygg.DateDay(2022, 9, 1),
			Summary: "Tolk bokas i förväg vid behov; vid tecken på människohandel följs rutinen för människohandel; misstänkt minderårig anmäls direkt."},
	} {
		rt, err := s.Routines.CreateRoutine(d.police, in)
		if err != nil {
			return fmt.Errorf("demo routine: %w", err)
		}
		d.routines = append(d.routines, rt)
	}
	if err := d.operations(); err != nil {
		return err
	}
	if err := d.traffickingCase(); err != nil {
		return err
	}
	if err := d.kastLog(); err != nil {
		return err
	}
	return s.Ads.SaveAdCounts(d.police, demoAdSeries(d.r, d.end))
}

// operations adds one or two operations in most months, and at least one
// in January 2018, when the joint operations began.
func (d *demoOperativ) operations() error {
	for month := operativStart; month.Before(d.end); month = month.AddDate(0, 1, 0) {
		for range d.monthOperations(month) {
			at := time.Date(month.Year(), month.Month(), 1+d.r.IntN(28), 19+d.r.IntN(4), d.r.IntN(60), 0, 0, trygg.Stockholm)
			if at.After(d.end.Add(-time.Hour)) {
				continue
			}
			if err := d.operation(at); err != nil {
				return err
			}
		}
	}
	return nil
}

// monthOperations is how many operations a month gets: none to two,
// and at least one in the first month.
func (d *demoOperativ) monthOperations(month time.Time) int {
	n := d.r.IntN(3)
	if month.Equal(operativStart) {
		n = max(n, 1)
	}
	return n
}

func (d *demoOperativ) chance(percent int) bool { return d.r.IntN(100) < percent }

func (d *demoOperativ) operation(at time.Time) error { return d.record(d.input(at)) }

// traffickingCase is the operation of four days ago: a flat where the
// police saw signs of human trafficking and an interpreter was needed. Its
// task is open, as the routine for human trafficking is being followed.
func (d *demoOperativ) traffickingCase() error {
	end := d.end.In(trygg.Stockholm)
	in := d.input(time.Date(end.Year(), end.Month(), end.Day()-4, 21, 30, 0, 0, trygg.Stockholm))
	in.Type, in.PlaceType = "manniskohandel", "lagenhet"
	in.Checklist.TraffickingSigns = true
	in.Checklist.InterpreterNeeded, in.Checklist.InterpreterAvailable = true, true
	return d.record(in)
}

// input is an operation at a time, made up: police and mostly social
// services, one to three contacts, signs of human trafficking mostly in
// operations aimed at it.
func (d *demoOperativ) input(at time.Time) operativ.OperationInput {
	routine := d.routines[0]
	if trygg.DayOf(at) >= d.routines[1].ValidFrom {
		routine = d.routines[1]
	}
	in := operativ.OperationInput{
		At: at, AreaCode: pickWeighted(d.r, demoOpAreas), PlaceType: pickWeighted(d.r, demoOpPlaces), Type: pickWeighted(d.r, demoOpTypes),
		Participants:   []operativ.Participant{{OrgCode: "polisen-umea", Staff: 3 + d.r.IntN(4)}},
		SocialServices: d.chance(90), RoutineID: routine.ID,
		Checklist: operativ.Checklist{InformedInAdvance: d.chance(90), SupportOfferedAll: d.chance(85)},
	}
	if in.Type == "manniskohandel" {
		in.Checklist.TraffickingSigns = d.chance(60)
	} else {
		in.Checklist.TraffickingSigns = d.chance(4)
	}
	if in.SocialServices {
		in.Participants = append(in.Participants, operativ.Participant{OrgCode: "ifo", Staff: 1 + d.r.IntN(2)})
	}
	if d.chance(25) {
		in.Checklist.InterpreterNeeded, in.Checklist.InterpreterAvailable = true, d.chance(80)
	}
	for range 1 + d.r.IntN(3) {
		c := operativ.ContactInput{Role: "kopare", AgeBand: pickWeighted(d.r, demoAges), Language: pickWeighted(d.r, demoLangs)}
		if d.chance(45) {
			c.Role = "saljare"
			if d.chance(4) {
				c.AgeBand = "under18"
			}
		} else if d.chance(5) {
			c.Role = "annan"
		}
		c.Offered = in.SocialServices || d.chance(50)
		c.Accepted = c.Offered && d.chance(55)
		if c.Accepted {
			c.What = map[string]string{"kopare": "Stödsamtal och information om KAST", "saljare": "Stödsamtal, hjälp med boende och vård", "annan": "Information om stöd"}[c.Role]
		}
		in.Contacts = append(in.Contacts, c)
	}
	return in
}

// record stores an operation as the police, completes its tasks when it is
// more than two weeks old (social services file the reports of concern;
// the police or social services close the routine for human trafficking),
// and refers some of the contacts who accepted support.
func (d *demoOperativ) record(in operativ.OperationInput) error {
	at := in.At
	op, err := d.s.Operations.CreateOperation(d.police, in)
	if err != nil {
		return fmt.Errorf("demo operation %s: %w", at.Format(time.DateOnly), err)
	}
	for _, t := range op.Tasks {
		if trygg.DayOf(at) >= d.today-14 {
			continue
		}
		who := d.social
		if t.Kind == operativ.TaskTrafficking && d.chance(50) {
			who = d.police
		}
		if err := d.s.Operations.CompleteTask(who, t.ID); err != nil {
			return err
		}
	}
	for _, c := range op.Contacts {
		if !c.SupportAccepted || !d.chance(70) {
			continue
		}
		service := "kast"
		if c.Role == "saljare" {
			service = []string{"prostitution", "cmv_kvinnomottagning", "beroende"}[d.r.IntN(3)]
		}
		if err := d.referral(c.ID, service, trygg.DayOf(at)); err != nil {
			return err
		}
	}
	return nil
}

// referral offers a referral and walks it on as far as its age allows.
func (d *demoOperativ) referral(contact int64, service string, offered trygg.Day) error {
	ref, err := d.s.Referrals.CreateReferral(d.social, contact, service, offered, d.chance(60))
	if err != nil {
		return err
	}
	if ref.Status != operativ.ReferralAccepted || !d.chance(75) {
		return nil
	}
	day := offered + trygg.Day(1+d.r.IntN(20))
	if day > d.today {
		return nil
	}
	if service == "kast" {
		_, err = d.s.Referrals.ConfirmFirstContact(d.kast, ref.Code, day)
	} else {
		err = d.s.Referrals.AdvanceReferral(d.social, ref.ID, operativ.ReferralFirstContact, day)
	}
	if err != nil {
		return err
	}
	for _, next := range []string{operativ.ReferralOngoing, operativ.ReferralEnded} {
		day += trygg.Day(7 + d.r.IntN(90))
		if day > d.today || !d.chance(65) {
			return nil
		}
		if err := d.s.Referrals.AdvanceReferral(d.social, ref.ID, next, day); err != nil {
			return err
		}
	}
	return nil
}

// kastLog writes a few counselling contacts a month from the reception's
// opening in March 2018; about half of the people choose a code, and some
// of them come back.
func (d *demoOperativ) kastLog() error {
	var codes []string
	for month := operativStart.AddDate(0, 2, 0); month.Before(d.end); month = month.AddDate(0, 1, 0) {
		for range 2 + d.r.IntN(4) {
			day := trygg.DayOf(month) + trygg.Day(d.r.IntN(28))
			if day > d.today {
				continue
			}
			in := operativ.KastContactInput{Day: day, Channel: pickWeighted(d.r, kastChannels), Topic: pickWeighted(d.r, kastTopics), Outcome: pickWeighted(d.r, kastOutcomes)}
			switch {
			case len(codes) > 0 && d.chance(35):
				in.Code = codes[d.r.IntN(len(codes))]
			case d.chance(50):
				in.Code = fmt.Sprintf("%s-%d", []string{"fjällräv", "älv", "tall", "björk", "måne", "norrsken"}[d.r.IntN(6)], 10+d.r.IntN(90))
				codes = append(codes, in.Code)
			}
			if err := d.s.Kast.LogKastContact(d.kast, in); err != nil {
				return fmt.Errorf("demo KAST contact: %w", err)
			}
		}
	}
	return nil
}

// demoAdSeries is the weekly advertising from January 2017: about sixty
// ads a week before the joint operations, falling over 2018–2019 to about
// twenty-five, with noise; sugar-dating ads with a suspected minor fall
// from about five to one or two.
func demoAdSeries(r *rand.Rand, end time.Time) []operativ.AdWeek {
	var out []operativ.AdWeek
	start := trygg.DateDay(2017, 1, 2)
	opStart := trygg.DayOf(operativStart)
	for w := start; w <= trygg.DayOf(end).Monday(); w += 7 {
		level, sugar := 60.0, 5.0
		if w >= opStart {
			years := float64(w-opStart) / 365
			level = 25 + 35*math.Exp(-years*1.2)
			sugar = 1.5 + 3.5*math.Exp(-years)
		}
		out = append(out, operativ.AdWeek{Week: w, Ads: max(0, int(level+r.NormFloat64()*5)), SugarMinor: max(0, int(sugar+r.NormFloat64()))})
	}
	return out
}
