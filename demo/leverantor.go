package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/leverantor"
)

// The demo register of welfare providers: about 150 providers under
// contract with three units, 400 persons in their key roles, three years
// of checks, and a few of the patterns the reviews look for: a front man
// on the boards of several companies at one address, one of them
// terminated; a company a few months old with a large contract; a board
// that keeps changing; a lapsed permit; and checks left undone. Every
// name and number is made up; the numbers have valid check digits, and
// the organisation numbers are in a series (559000…) no real company has
// been given in this data.

// demoProviderCount is the number of providers, with the front man's
// network and the other patterns among them.
const demoProviderCount = 150

var (
	levPrefixes = []string{"Norrsken", "Björkdungen", "Älvdalen", "Tallmon", "Fjällsippan", "Solgården", "Blåbärsskogen", "Granlunden",
		"Strandängen", "Vinterljuset", "Lärkan", "Rönnbäret", "Myrstigen", "Sälgen", "Forsen", "Videdalen", "Kronoparken", "Hagmarken"}
	levKinds = map[string][]string{
		"hemtjanst":           {"Hemtjänst AB", "Omsorg AB", "Hemservice AB", "Vård och omsorg AB"},
		"personlig_assistans": {"Assistans AB", "Personlig assistans AB", "Assistansbolag AB"},
		"hvb":                 {"HVB AB", "Behandlingshem AB", "Ungdomshem AB"},
		"daglig_verksamhet":   {"Daglig verksamhet AB", "Aktivitetshus AB", "Arbetsgemenskap AB"},
		"skola":               {"Friskola AB", "Skolor AB", "Montessoriskola AB"},
		"ovrigt":              {"Bemanning AB", "Städ och service AB", "Transport AB"},
	}
	levStreets = []string{"Storgatan", "Kungsgatan", "Rådhusesplanaden", "Nygatan", "Skolgatan", "Västra Esplanaden", "Järnvägsallén",
		"Ålidhemsvägen", "Mariehemsvägen", "Tvistevägen", "Backenvägen", "Holmsundsvägen", "Ersbodavägen", "Kronoparksvägen"}
	levAreaWeights = []concernWeight{{"hemtjanst", 30}, {"personlig_assistans", 22}, {"hvb", 12}, {"daglig_verksamhet", 14}, {"skola", 12}, {"ovrigt", 10}}
)

// The demo's units: the responsible unit of each service area.
const (
	levUnitCare   = "vof"
	levUnitSocial = "ifo"
	levUnitSchool = "fsf"
	// levFrontAddress is where the front man's companies are registered.
	levFrontAddress = "Industrivägen 12, Umeå"
)

// demoOrgNumber is the i-th demo organisation number.
func demoOrgNumber(i int) string {
	nine := fmt.Sprintf("5590%05d", 1000+i*7)
	return nine + string(leverantor.LuhnDigit(nine))
}

// demoPersonNumber is a fictional adult's personnummer.
func demoPersonNumber(r *rand.Rand) string {
	year := 1950 + r.IntN(50)
	nine := fmt.Sprintf("%02d%02d%02d%03d", year%100, 1+r.IntN(12), 1+r.IntN(28), r.IntN(1000))
	return strconv.Itoa(year/100) + nine[:6] + "-" + nine[6:] + string(leverantor.LuhnDigit(nine))
}

type demoPerson struct{ name, number string }

func newDemoPerson(r *rand.Rand) demoPerson {
	return demoPerson{name: demoFirstNames[r.IntN(len(demoFirstNames))] + " " + demoLastNames[r.IntN(len(demoLastNames))], number: demoPersonNumber(r)}
}

// uniqueName makes a company name not used before in this load.
func uniqueName(r *rand.Rand, kinds []string, usedNames map[string]bool) string {
	for n := 0; ; n++ {
		name := levPrefixes[r.IntN(len(levPrefixes))] + "s " + kinds[r.IntN(len(kinds))]
		if n > 20 {
			name = levPrefixes[r.IntN(len(levPrefixes))] + " " + levPrefixes[r.IntN(len(levPrefixes))] + " " + kinds[r.IntN(len(kinds))]
		}
		if !usedNames[name] {
			usedNames[name] = true
			return name
		}
	}
}

// loadLeverantorer loads the register through the service, as the three
// units' reviewers: one import per unit, the checks in one import, then
// the decisions and flags one by one.
func loadLeverantorer(ctx context.Context, s app.Services, ds *Dataset) error {
	r := rand.New(rand.NewPCG(uint64(ds.End.Unix()), pcgStream+16))
	today := trygg.DayOf(ds.End)
	reviewers := map[string]context.Context{}
	for unit, local := range map[string]string{levUnitCare: "kontroll", levUnitSocial: "kontroll.ifo", levUnitSchool: "kontroll.skola"} {
		u, err := demoUserNamed(ctx, s, local)
		if err != nil {
			return err
		}
		reviewers[unit] = trygg.NewContextWithUser(context.Background(), u)
	}
	unitOf := func(area string) string {
		switch area {
		case "hvb":
			return levUnitSocial
		case "skola":
			return levUnitSchool
		}
		return levUnitCare
	}
	providers := map[string][]leverantor.ProviderInput{}
	persons := map[string][]leverantor.KeyPersonInput{}
	var all []leverantor.ProviderInput
	usedNames := map[string]bool{}
	front := newDemoPerson(r)
	var pool []demoPerson // persons who sit in more than one company
	for i := range demoProviderCount {
		area := pickWeighted(r, levAreaWeights)
		kinds := levKinds[area]
		in := leverantor.ProviderInput{
			Org: demoOrgNumber(i), Form: "aktiebolag",
			Name:         uniqueName(r, kinds, usedNames),
			Address:      fmt.Sprintf("%s %d, Umeå", levStreets[r.IntN(len(levStreets))], 1+r.IntN(60)),
			ContractType: []string{"lov", "lov", "lou", "bidrag"}[r.IntN(4)],
			ServiceArea:  area,
			ContractFrom: today.AddMonths(-6 - r.IntN(60)),
			Value:        int64(200+r.IntN(9000)) * 1000,
			Registered:   today.AddMonths(-24 - r.IntN(240)),
		}
		if area == "skola" {
			in.ContractType = "bidrag"
		}
		if r.IntN(3) == 0 {
			in.Sites = []string{fmt.Sprintf("%s %d, Umeå", levStreets[r.IntN(len(levStreets))], 1+r.IntN(60))}
		}
		if area == "hvb" || area == "personlig_assistans" || area == "skola" {
			in.PermitUntil = today.AddMonths(6 + r.IntN(36))
		}
		if i%29 == 7 { // an enskild firma: the owner's personnummer is its number
			owner := newDemoPerson(r)
			in.Org, in.Form = owner.number, leverantor.FormSoleTrader
			in.Name = strings.TrimSuffix(in.Name, " AB")
			in.Value = int64(100+r.IntN(400)) * 1000
		}
		// The patterns.
		switch i {
		case 3, 41, 77, 112: // the front man's network at one address
			in.Address = levFrontAddress
		case 20: // a few months old, with a large contract
			in.Registered, in.ContractFrom, in.Value, in.ServiceArea, in.ContractType = today.AddMonths(-5), today.AddMonths(-3), 14_500_000, "personlig_assistans", "lov"
			in.PermitUntil = today.AddMonths(20)
		case 55: // the permit has lapsed
			in.ServiceArea, in.PermitUntil = "hvb", today.AddMonths(-2)
		}
		unit := unitOf(in.ServiceArea)
		providers[unit] = append(providers[unit], in)
		all = append(all, in)

		// Key persons: a board of one to three, a CEO, a beneficial owner.
		var ps []leverantor.KeyPersonInput
		add := func(p demoPerson, role string, from, to trygg.Day) {
			ps = append(ps, leverantor.KeyPersonInput{Org: in.Org, Name: p.name, Number: p.number, Role: role, From: from, To: to})
		}
		since := in.Registered
		if in.Form != leverantor.FormSoleTrader {
			owner := newDemoPerson(r)
			if len(pool) > 8 && r.IntN(10) == 0 {
				owner = pool[r.IntN(len(pool))]
			} else if r.IntN(6) == 0 {
				pool = append(pool, owner)
			}
			add(owner, "styrelseordforande", since, 0)
			if r.IntN(2) == 0 {
				add(owner, "verklig_huvudman", since, 0)
			}
			add(newDemoPerson(r), "vd", since.AddMonths(r.IntN(12)), 0)
			if r.IntN(4) == 0 {
				add(newDemoPerson(r), "styrelseledamot", since, 0)
			}
		}
		switch i {
		case 3, 41, 77, 112:
			add(front, "styrelseledamot", today.AddMonths(-30), 0)
		case 90: // a board that keeps changing
			for k := range 4 {
				add(newDemoPerson(r), "styrelseledamot", today.AddMonths(-11+2*k), today.AddMonths(-10+2*k))
			}
		}
		persons[unit] = append(persons[unit], ps...)
	}
	for _, unit := range []string{levUnitCare, levUnitSocial, levUnitSchool} {
		if _, err := s.Leverantorer.Import(reviewers[unit], providers[unit], persons[unit]); err != nil {
			return fmt.Errorf("demo providers of %s: %w", unit, err)
		}
	}
	// The care unit reviews every provider: the other units give it access.
	ids := map[string]int64{}
	for _, unit := range []string{levUnitSocial, levUnitSchool, levUnitCare} {
		list, err := s.Leverantorer.FindProviders(reviewers[unit], leverantor.Filter{})
		if err != nil {
			return err
		}
		for _, p := range list {
			if _, seen := ids[p.Name]; !seen && unit != levUnitCare {
				if err := s.Leverantorer.AddUnit(reviewers[unit], p.ID, levUnitCare); err != nil {
					return err
				}
			}
			ids[p.Name] = p.ID
		}
	}
	types, err := s.Leverantorer.CheckTypes(reviewers[levUnitCare])
	if err != nil {
		return err
	}
	// Three years of checks, by each type's interval, some late and some
	// left undone; the front man's terminated company had serious remarks.
	var checks []leverantor.CheckImport
	sources := map[string]string{"fskatt_moms": "Skatteverket", "kronofogden": "Kronofogden", leverantor.TypePermit: "IVO",
		"arsredovisning": "Bolagsverket", "styrelse": "Bolagsverket", "sanktioner": "EU:s sanktionslista", "platsbesok": "Platsbesök",
		"personal": "Leverantörens personallista"}
	for i, in := range all {
		id := ids[in.Name]
		neglected := r.IntN(100) < 15
		for _, t := range types {
			if !t.Applies(in.ServiceArea) {
				continue
			}
			start := max(in.ContractFrom, today.AddMonths(-36))
			for d := start.AddMonths(r.IntN(2)); d <= today; d = d.AddMonths(t.Months + r.IntN(3) - 1) {
				if neglected && d > today.AddMonths(-t.Months-3) && (t.Code == "platsbesok" || t.Code == "kronofogden") {
					break
				}
				res := leverantor.ResultOK
				switch n := r.IntN(100); {
				case n < 4:
					res = leverantor.ResultSerious
				case n < 15:
					res = leverantor.ResultRemark
				}
				if i == 41 && t.Code == "kronofogden" && d > today.AddMonths(-14) {
					res = leverantor.ResultSerious
				}
				if i != 41 && res == leverantor.ResultSerious && d > today.AddMonths(-13) {
					res = leverantor.ResultRemark // recent serious remarks only where the pattern puts them
				}
				note := ""
				if res != leverantor.ResultOK {
					note = []string{"Brister i dokumentationen.", "Skuld hos Kronofogden.", "Bemanningen stämde inte med schemat.", "Uppgifter saknades."}[r.IntN(4)]
				}
				checks = append(checks, leverantor.CheckImport{ProviderID: id, CheckInput: leverantor.CheckInput{
					Type: t.Code, Day: min(d, today), Result: res, Source: sources[t.Code], Note: note}})
			}
		}
	}
	if err := s.Leverantorer.ImportChecks(reviewers[levUnitCare], checks); err != nil {
		return fmt.Errorf("demo checks: %w", err)
	}
	// Decisions: the front man's company with the serious remarks is
	// terminated after a request for rectification; a few others.
	care := reviewers[levUnitCare]
	decide := func(i int, in leverantor.DecisionInput) error {
		if err := s.Leverantorer.RecordDecision(care, ids[all[i].Name], in); err != nil {
			return fmt.Errorf("demo decision on %d: %w", i, err)
		}
		return nil
	}
	if err := decide(41, leverantor.DecisionInput{Action: leverantor.ActionRectify, Deadline: today + 30,
		Reason: "Skulder hos Kronofogden och brister i bemanningen vid platsbesök."}); err != nil {
		return err
	}
	if err := decide(41, leverantor.DecisionInput{Action: leverantor.ActionReport, Recipient: leverantor.ReportTaxAgency,
		Reason: "Misstanke om oredovisade löner."}); err != nil {
		return err
	}
	if err := decide(41, leverantor.DecisionInput{Action: leverantor.ActionTerminate,
		Reason: "Rättelse uteblev. Avtalet hävs enligt avtalets villkor om väsentligt avtalsbrott."}); err != nil {
		return err
	}
	if err := decide(20, leverantor.DecisionInput{Action: leverantor.ActionDeepened, Reason: "Nystartat bolag med stort avtal; kontrollera bemanning och ekonomi."}); err != nil {
		return err
	}
	for _, i := range []int{5, 12, 33, 60, 101} {
		if err := decide(i, leverantor.DecisionInput{Action: leverantor.ActionContinue, Reason: "Årlig uppföljning utan anmärkning."}); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		i      int
		reason string
	}{{77, "Tips om att personal saknar anställningsavtal."}, {112, "Samma kontaktperson som ett hävt bolag."}} {
		if err := s.Leverantorer.RaiseFlag(care, ids[all[f.i].Name], f.reason); err != nil {
			return err
		}
	}
	if !slices.ContainsFunc(all, func(p leverantor.ProviderInput) bool { return p.Form == leverantor.FormSoleTrader }) {
		return fmt.Errorf("demo: no enskild firma")
	}
	return nil
}
