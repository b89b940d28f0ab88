package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/nattvandring"
)

// The night walks (issue 15): three groups with about 40 volunteers and a
// year of walks up to the data set's end, the coming weekends planned, and
// equipment with a loan or two overdue. Everything is drawn from the
// data set's end, so the same seed and end give the same walks.

// nightGroup is a demo group: its organisation and leader, where and when
// it walks, and its volunteers.
type nightGroup struct {
	org, orgName, leader, name, contact string
	districts                           []string
	weekdays                            []int // 4 = Friday, 5 = Saturday (days after Monday)
	share                               int   // per cent of those nights walked
	start, end                          int   // minutes after midnight
	minAdults                           int
	insuranceLeft                       int // days the insurance still runs after the end
	volunteers                          []string
	untrained, lapsed                   int // the last volunteers: without an introduction, with a lapsed one
}

var nightGroups = []nightGroup{
	{org: "nv-alidhem", orgName: "Nattvandrarna Ålidhem", leader: "nattvandrare", name: "Nattvandrarna Ålidhem",
		contact: "nattvandrarna.alidhem@example.org", districts: []string{"alidhem", "berghem", "sofiehem"}, weekdays: []int{4, 5},
		share: 85, start: 21 * 60, end: 60, minAdults: 3, insuranceLeft: 200,
		volunteers: []string{"Anna Lindqvist", "Bertil Sjögren", "Cecilia Forsberg", "David Holmström", "Elin Nyberg",
			"Fredrik Lundmark", "Greta Öhman", "Hassan Ali", "Ingrid Wikström", "Johan Burman", "Karin Strand",
			"Leila Ahmadi", "Mats Edlund", "Nora Hedberg", "Oskar Granlund", "Petra Sundqvist"}, untrained: 1, lapsed: 1},
	{org: "nv-ersboda", orgName: "Föräldravandring Ersbodaskolan", leader: "nattvandrare.ersboda", name: "Föräldravandring Ersboda",
		contact: "foraldraforeningen.ersboda@example.org", districts: []string{"ersboda", "mariehem"}, weekdays: []int{4},
		share: 60, start: 20*60 + 30, end: 23*60 + 30, minAdults: 3, insuranceLeft: 10,
		volunteers: []string{"Amina Yusuf", "Björn Eriksson", "Camilla Åberg", "Daniel Olofsson", "Emma Lindgren",
			"Fatima Hussein", "Gustav Norberg", "Hanna Persson", "Ivan Petrov", "Jenny Marklund", "Kalle Bergström", "Linnea Jonsson"}, untrained: 1},
	{org: "nv-centrum", orgName: "Nattvandrarna i centrum", leader: "nattvandrare.centrum", name: "Nattvandrarna i centrum",
		contact: "centrum@nattvandrarna.example.org", districts: []string{"centrum", "haga"}, weekdays: []int{5},
		share: 80, start: 22 * 60, end: 2 * 60, minAdults: 4, insuranceLeft: 120,
		volunteers: []string{"Agnes Holm", "Ali Karimi", "Britt Lund", "Carl Viklund", "Dina Sandberg", "Erik Näslund",
			"Frida Dahl", "Göran Berglund", "Helena Söderberg", "Ismail Osman", "Julia Engström", "Kent Nilsson"}, lapsed: 1},
}

// nightObservations are what the walkers note, by category.
var nightObservations = []struct{ category, placeType, text string }{
	{"ungdomar_stok", "centrum", "Stor grupp unga vid centrumtorget, högljutt men lugnt när vi kom."},
	{"ungdomar_stok", "kollektivtrafik", "Unga samlade vid busshållplatsen, några kastade glasflaskor."},
	{"alkohol", "park", "Ungdomar drack alkohol i parken, flaskor lämnade kvar."},
	{"klotter", "skola", "Nytt klotter på skolans gavel."},
	{"skadegorelse", "kollektivtrafik", "Krossat glas i busskuren."},
	{"skadegorelse", "skola", "Trasig ruta vid skolans entré."},
	{"mopedbuskorning", "gata", "Mopeder körde i hög fart på gång- och cykelvägen."},
	{"fyrverkerier", "bostad", "Smällare kastades mellan husen."},
}

// nightUsers are the leaders' accounts; the first is the demo login.
func nightUsers() []demoUser {
	var out []demoUser
	for _, g := range nightGroups {
		out = append(out, demoUser{g.leader, "Gruppledare " + g.name, g.org, []trygg.Role{trygg.RoleNattvandrare}})
	}
	return out
}

// nightOrganisations are the groups' organisations.
func nightOrganisations() []trygg.Organisation {
	var out []trygg.Organisation
	for _, g := range nightGroups {
		out = append(out, trygg.Organisation{Code: g.org, Name: g.orgName, Type: trygg.OrgNightwalk})
	}
	return out
}

// loadNattvandring creates the groups, volunteers, trainings, a year of
// held walks, the coming weekends and the equipment.
func loadNattvandring(ctx context.Context, s app.Services, ds *Dataset) error {
	r := rand.New(rand.NewPCG(uint64(ds.End.Unix()), pcgStream+15))
	today := trygg.DayOf(ds.End)
	for gi, ng := range nightGroups {
		leader, err := demoUserNamed(ctx, s, ng.leader)
		if err != nil {
			return err
		}
		g, err := s.Nattvandring.CreateGroup(ctx, nattvandring.GroupInput{OrgCode: ng.org, Name: ng.name, Contact: ng.contact,
			Districts: ng.districts, MinAdults: ng.minAdults, Insurance: nattvandring.Insurance{Insurer: "Folksam",
				Policy: fmt.Sprintf("OLY-%06d", 100000+r.IntN(900000)), ValidFrom: today.AddYears(-1) - 30,
				ValidTo: today + trygg.Day(ng.insuranceLeft), CoversAll: gi != 1}})
		if err != nil {
			return fmt.Errorf("demo night group %s: %w", ng.name, err)
		}
		var trained []int64
		var all []int64
		for vi, name := range ng.volunteers {
			v, err := s.Nattvandring.CreateVolunteer(ctx, g.ID, nattvandring.VolunteerInput{Name: name,
				Phone: fmt.Sprintf("070-%03d %02d %02d", 100+r.IntN(900), r.IntN(100), r.IntN(100)), Email: demoVolunteerEmail(name)})
			if err != nil {
				return fmt.Errorf("demo volunteer: %w", err)
			}
			all = append(all, v.ID)
			fromEnd := len(ng.volunteers) - vi
			switch {
			case fromEnd <= ng.untrained:
				continue // registered, introduction not yet taken
			case fromEnd <= ng.untrained+ng.lapsed:
				if err := s.Nattvandring.AddTraining(ctx, v.ID, nattvandring.TrainingInput{Kind: nattvandring.TrainingIntroduction,
					On: today.AddYears(-4) + trygg.Day(r.IntN(60))}); err != nil {
					return err
				}
				continue
			}
			// Trained before the year of walks began, so every walk has them.
			if err := s.Nattvandring.AddTraining(ctx, v.ID, nattvandring.TrainingInput{Kind: nattvandring.TrainingIntroduction,
				On: today.AddYears(-2) + trygg.Day(r.IntN(300))}); err != nil {
				return err
			}
			for _, kind := range []string{nattvandring.TrainingFirstAid, nattvandring.TrainingConflict} {
				if r.IntN(100) < 50 {
					if err := s.Nattvandring.AddTraining(ctx, v.ID, nattvandring.TrainingInput{Kind: kind, On: today - trygg.Day(30+r.IntN(600))}); err != nil {
						return err
					}
				}
			}
			trained = append(trained, v.ID)
		}
		held := nightHistory(r, ng, trained, today)
		if _, err := s.Nattvandring.ImportWalks(ctx, g.ID, leader.ID, held); err != nil {
			return fmt.Errorf("demo walks of %s: %w", ng.name, err)
		}
		if err := nightComing(ctx, s, r, ng, g, trained, all, today); err != nil {
			return err
		}
		if err := nightEquipment(ctx, s, r, g, trained, gi, today); err != nil {
			return err
		}
	}
	return nil
}

func demoVolunteerEmail(name string) string {
	out := []rune{}
	for _, c := range name {
		switch c {
		case ' ':
			c = '.'
		case 'å', 'ä', 'Å', 'Ä':
			c = 'a'
		case 'ö', 'Ö':
			c = 'o'
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out = append(out, c)
	}
	return string(out) + "@example.org"
}

// nightHistory draws a year of held walks up to yesterday.
func nightHistory(r *rand.Rand, ng nightGroup, trained []int64, today trygg.Day) []nattvandring.HeldWalk {
	var held []nattvandring.HeldWalk
	for d := today.AddYears(-1); d < today; d++ {
		wd := int(d - d.Monday())
		if !containsInt(ng.weekdays, wd) || r.IntN(100) >= ng.share {
			continue
		}
		districts := []string{ng.districts[0]}
		if len(ng.districts) > 1 && r.IntN(100) < 40 {
			districts = append(districts, ng.districts[1+r.IntN(len(ng.districts)-1)])
		}
		n := ng.minAdults + r.IntN(3)
		perm := r.Perm(len(trained))[:min(n, len(trained))]
		length := ng.end - ng.start
		if length <= 0 {
			length += 24 * 60
		}
		var signUps []int64
		var walkers []nattvandring.Walker
		for _, i := range perm {
			signUps = append(signUps, trained[i])
			walkers = append(walkers, nattvandring.Walker{VolunteerID: trained[i], Minutes: length - 30*r.IntN(2)})
		}
		w := nattvandring.Walk{Date: d, Start: ng.start, End: ng.end}
		var obs []nattvandring.Observation
		for k := range nightObservationCount(r) {
			o := nightObservations[r.IntN(len(nightObservations))]
			if o.category == "fyrverkerier" && !(d.String()[5:7] == "12" || d.String()[5:7] == "01") {
				o = nightObservations[k%2]
			}
			at := w.StartTime().Add(time.Duration(30+r.IntN(max(length-60, 31))) * time.Minute)
			obs = append(obs, nattvandring.Observation{OccurredAt: at, AreaCode: districts[r.IntN(len(districts))],
				PlaceType: o.placeType, Category: o.category, Severity: 1 + r.IntN(2), Description: o.text})
		}
		held = append(held, nattvandring.HeldWalk{
			Walk: nattvandring.WalkInput{Date: d, Start: ng.start, End: ng.end, Districts: districts,
				MeetingPoint: "Vid " + ng.districts[0] + "s centrum", Published: true},
			SignUps: signUps,
			Log:     nattvandring.WalkLog{Walkers: walkers, Districts: districts, YouthContacts: r.IntN(18), Observations: obs},
		})
	}
	return held
}

// nightObservationCount is how many observations a walk's log has: most
// none, some one, a few two.
func nightObservationCount(r *rand.Rand) int {
	switch n := r.IntN(100); {
	case n < 60:
		return 0
	case n < 90:
		return 1
	}
	return 2
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// nightComing plans the next three weeks' walks: most confirmed, one
// short of trained adults (red), and, for a group whose insurance is about
// to lapse, walks after it (red too).
func nightComing(ctx context.Context, s app.Services, r *rand.Rand, ng nightGroup, g *nattvandring.Group, trained, all []int64, today trygg.Day) error {
	count := 0
	for d := today; d < today+21; d++ {
		if !containsInt(ng.weekdays, int(d-d.Monday())) {
			continue
		}
		w, err := s.Nattvandring.ScheduleWalk(ctx, g.ID, nattvandring.WalkInput{Date: d, Start: ng.start, End: ng.end,
			Districts: ng.districts[:1], MeetingPoint: "Vid " + ng.districts[0] + "s centrum", Published: true})
		if err != nil {
			return fmt.Errorf("demo coming walk: %w", err)
		}
		n := ng.minAdults + r.IntN(2)
		if count == 1 {
			n = ng.minAdults - 1 // short: the page shows it red
		}
		for _, i := range r.Perm(len(trained))[:min(n, len(trained))] {
			if err := s.Nattvandring.SignUp(ctx, w.ID, trained[i]); err != nil {
				return err
			}
		}
		if count != 1 && d <= g.Insurance.ValidTo {
			if err := s.Nattvandring.ConfirmWalk(ctx, w.ID); err != nil {
				return err
			}
		}
		count++
	}
	return nil
}

// nightEquipment registers jackets, torches and a first-aid kit, with
// loans out and one overdue.
func nightEquipment(ctx context.Context, s app.Services, r *rand.Rand, g *nattvandring.Group, trained []int64, gi int, today trygg.Day) error {
	var ids []int64
	for i := range 8 {
		it, err := s.Nattvandring.AddItem(ctx, g.ID, nattvandring.ItemInput{Kind: nattvandring.ItemJacket,
			Size: nattvandring.JacketSizes[1+i%4], Label: fmt.Sprintf("Väst %d", i+1)})
		if err != nil {
			return err
		}
		ids = append(ids, it.ID)
	}
	for i := range 3 {
		if _, err := s.Nattvandring.AddItem(ctx, g.ID, nattvandring.ItemInput{Kind: nattvandring.ItemTorch, Label: fmt.Sprintf("Ficklampa %d", i+1)}); err != nil {
			return err
		}
	}
	if _, err := s.Nattvandring.AddItem(ctx, g.ID, nattvandring.ItemInput{Kind: nattvandring.ItemFirstAid, Label: "Första hjälpen-väska"}); err != nil {
		return err
	}
	// Two jackets are out: one was due back three days ago (the operator
	// may record a loan already overdue), one is due in five days.
	for i, due := range []trygg.Day{today - 3, today + 5} {
		if err := s.Nattvandring.LendItem(ctx, ids[i], trained[r.IntN(len(trained))], due); err != nil {
			return err
		}
	}
	if gi == 0 {
		return s.Nattvandring.WriteOffItem(ctx, ids[7], "Kom bort under en vandring i Ålidhem.")
	}
	return nil
}
