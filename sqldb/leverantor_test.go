package sqldb_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/leverantor"
	"github.com/trygg-est/trygg/sqldb"
)

// reviewFixture adds two units with a reviewer each, and a third unit's
// reviewer that has no contract with the test providers.
type reviewFixture struct {
	*fixture
	lev                    *sqldb.LeverantorService
	unitA, unitB, outsider *trygg.User
}

func newReviewFixture(t *testing.T, db *testDB) *reviewFixture {
	t.Helper()
	f := &reviewFixture{fixture: newFixture(t, db), lev: sqldb.NewLeverantorService(db.DB)}
	ctx := operator()
	for _, o := range []*trygg.Organisation{
		{Code: "vof", Name: "Vård- och omsorgsförvaltningen", Type: trygg.OrgMunicipal},
		{Code: "ifo", Name: "Individ- och familjeomsorgen", Type: trygg.OrgSocialServices},
		{Code: "fsf", Name: "Förskole- och skolförvaltningen", Type: trygg.OrgMunicipal},
	} {
		if err := f.orgs.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(email, org string) *trygg.User {
		u, err := f.users.CreateUser(ctx, trygg.NewUser{Email: email, Name: "Granskare " + email, OrgCode: org, Roles: []trygg.Role{trygg.RoleKontroll}})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.unitA, f.unitB, f.outsider = mk("a@vof.example", "vof"), mk("b@ifo.example", "ifo"), mk("c@fsf.example", "fsf")
	return f
}

// orgNum completes nine digits with their Luhn check digit.
func orgNum(nine string) string { return nine + string(leverantor.LuhnDigit(nine)) }

const testOwnerPnr = "121212-1212"

func testProviders() []leverantor.ProviderInput {
	return []leverantor.ProviderInput{
		{Org: orgNum("559900001"), Name: "Omsorgen i Norr AB", Form: "aktiebolag", Address: "Storgatan 1, Umeå", Sites: []string{"Nygatan 2, Umeå"},
			ContractType: "lov", ServiceArea: "hemtjanst", ContractFrom: day("2024-01-01"), Value: 2_000_000, Registered: day("2010-05-01")},
		{Org: orgNum("559900002"), Name: "Assistans Direkt AB", Form: "aktiebolag", Address: "Kungsgatan 5, Umeå",
			ContractType: "lov", ServiceArea: "personlig_assistans", ContractFrom: day("2023-01-01"), Value: 4_000_000, Registered: day("2015-01-01"),
			PermitUntil: day("2027-01-01")},
		{Org: testOwnerPnr, Name: "Kalles Daglig Verksamhet", Form: "enskild_firma", Address: "Rådhusesplanaden 3, Umeå",
			ContractType: "lou", ServiceArea: "daglig_verksamhet", ContractFrom: day("2024-06-01"), Value: 300_000},
	}
}

const testKeyPnr = "850709-9805" // synthetic, valid check digit

func testPersons() []leverantor.KeyPersonInput {
	return []leverantor.KeyPersonInput{
		{Org: orgNum("559900001"), Name: "Testa Testsson", Number: testKeyPnr, Role: "vd", From: day("2020-01-01")},
		{Org: orgNum("559900002"), Name: "Testa Testsson", Number: "19" + testKeyPnr, Role: "styrelseledamot", From: day("2019-01-01")},
		{Org: orgNum("559900002"), Name: "Provan Provsson", Number: "121212-1212", Role: "vd", From: day("2019-01-01")},
	}
}

func mustImport(t *testing.T, f *reviewFixture, u *trygg.User) {
	t.Helper()
	if _, err := f.lev.Import(as(u), testProviders(), testPersons()); err != nil {
		t.Fatalf("import: %v", err)
	}
}

func providerID(t *testing.T, f *reviewFixture, u *trygg.User, name string) int64 {
	t.Helper()
	list, err := f.lev.FindProviders(as(u), leverantor.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.Name == name {
			return p.ID
		}
	}
	t.Fatalf("no provider %q in %d", name, len(list))
	return 0
}

func TestLeverantorImport(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newReviewFixture(t, db)
		res, err := f.lev.Import(as(f.unitA), testProviders(), testPersons())
		if err != nil || res.Created != 3 || res.Updated != 0 || res.KeyPersons != 3 {
			t.Fatalf("import: %+v, %v", res, err)
		}
		// Idempotent on the organisation number, a personnummer included.
		res, err = f.lev.Import(as(f.unitA), testProviders(), testPersons())
		if err != nil || res.Created != 0 || res.Updated != 3 {
			t.Fatalf("second import: %+v, %v", res, err)
		}
		list, err := f.lev.FindProviders(as(f.unitA), leverantor.Filter{})
		if err != nil || len(list) != 3 {
			t.Fatalf("list %d, %v", len(list), err)
		}
		for _, p := range list {
			if strings.Contains(p.Org, "1212") {
				t.Errorf("the list shows the enskild firma's number %q", p.Org)
			}
		}
		p, err := f.lev.FindProvider(as(f.unitA), providerID(t, f, f.unitA, "Assistans Direkt AB"))
		if err != nil || len(p.KeyPersons) != 2 || p.KeyPersons[0].Name == "" {
			t.Fatalf("provider %+v, %v", p, err)
		}
		sole, err := f.lev.FindProvider(as(f.unitA), providerID(t, f, f.unitA, "Kalles Daglig Verksamhet"))
		if err != nil || !sole.Org.Personal || sole.Org.String() != testOwnerPnr {
			t.Fatalf("enskild firma %+v, %v", sole.Org, err)
		}

		// A bad row anywhere writes nothing.
		bad := testProviders()
		bad = append(bad, leverantor.ProviderInput{Org: "5599000010", Name: "Fel AB"})
		bad[0].Name = "Nytt namn AB"
		_, err = f.lev.Import(as(f.unitA), bad, nil)
		wantField(t, err, "providers")
		if !strings.Contains(trygg.ErrorFields(err)[0].Message, "rad 5") {
			t.Errorf("error does not name the row: %v", trygg.ErrorFields(err))
		}
		if providerID(t, f, f.unitA, "Omsorgen i Norr AB") == 0 {
			t.Fatal("renamed")
		}
		// A key person of a provider in neither the file nor the register.
		_, err = f.lev.Import(as(f.unitA), nil, []leverantor.KeyPersonInput{{Org: orgNum("559900099"), Name: "X", Number: testKeyPnr, Role: "vd", From: day("2020-01-01")}})
		wantCode(t, err, trygg.EINVALID)
		// Another unit cannot take over a provider by importing it.
		_, err = f.lev.Import(as(f.unitB), testProviders()[:1], nil)
		wantCode(t, err, trygg.EINVALID)

		// Sealed at rest: neither the names nor the numbers are stored.
		raw := rawDB(t, db)
		for _, q := range []string{"SELECT sealed || person_index FROM leverantor_persons", "SELECT org_key || org_number || org_sealed || name FROM leverantor_providers"} {
			rows, err := raw.Query(q)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var s string
				rows.Scan(&s)
				for _, secret := range []string{"Testsson", "8507099805", "1212121212", "Provsson"} {
					if strings.Contains(s, secret) {
						t.Errorf("%q stored in clear: %s", secret, q)
					}
				}
			}
			rows.Close()
		}
	})
}

func TestLeverantorAccess(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newReviewFixture(t, db)
		mustImport(t, f, f.unitA)
		id := providerID(t, f, f.unitA, "Omsorgen i Norr AB")
		tests := []struct {
			name string
			ctx  context.Context
			code string
		}{
			{"responsible unit", as(f.unitA), ""},
			{"unit without a contract", as(f.outsider), trygg.ENOTFOUND},
			{"samordnare", as(f.samordnare), trygg.ENOTFOUND},
			{"rapportör", as(f.rapportor), trygg.ENOTFOUND},
			{"polis", as(f.polis), trygg.ENOTFOUND},
			{"socialtjänst", as(f.socialtjanst), trygg.ENOTFOUND},
			{"läsare", as(f.lasare), trygg.ENOTFOUND},
			{"admin", as(f.admin), trygg.ENOTFOUND},
			{"operator", operator(), trygg.ENOTFOUND},
			{"anonymous", context.Background(), trygg.EUNAUTHORIZED},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.lev.FindProvider(tt.ctx, id)
				wantCode(t, err, tt.code)
				err = f.lev.RaiseFlag(tt.ctx, id, "Tips från medborgare.")
				wantCode(t, err, tt.code)
				err = f.lev.RecordDecision(tt.ctx, id, leverantor.DecisionInput{Action: "fortsatt", Reason: "Inget att anmärka."})
				wantCode(t, err, tt.code)
				_, err = f.lev.Stats(tt.ctx)
				switch tt.name {
				case "samordnare", "läsare", "responsible unit", "unit without a contract":
					if err != nil {
						t.Errorf("stats: %v", err)
					}
				default:
					wantCode(t, err, tt.code)
				}
				if tt.code == trygg.ENOTFOUND && tt.name != "unit without a contract" {
					_, err = f.lev.FindProviders(tt.ctx, leverantor.Filter{})
					if trygg.ErrorCode(err) != trygg.ENOTFOUND {
						t.Errorf("list: %v", err)
					}
				}
			})
		}
		if list, err := f.lev.FindProviders(as(f.outsider), leverantor.Filter{}); err != nil || len(list) != 0 {
			t.Errorf("outsider's list %d, %v", len(list), err)
		}
	})
}

// TestLeverantorSharedPerson: a key person of a terminated provider flags
// the other providers the person sits in; the termination is audited; a
// second unit with a contract sees the flag and the decision.
func TestLeverantorSharedPerson(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newReviewFixture(t, db)
		mustImport(t, f, f.unitA)
		norr := providerID(t, f, f.unitA, "Omsorgen i Norr AB")
		assist := providerID(t, f, f.unitA, "Assistans Direkt AB")
		p, err := f.lev.FindProvider(as(f.unitA), norr)
		if err != nil {
			t.Fatal(err)
		}
		for _, fl := range p.Flags {
			if fl.Rule == leverantor.RuleSharedPerson {
				t.Fatalf("flag before termination: %+v", fl)
			}
		}
		wantField(t, f.lev.RecordDecision(as(f.unitA), assist, leverantor.DecisionInput{Action: "havning"}), "reason")
		if err := f.lev.RecordDecision(as(f.unitA), assist, leverantor.DecisionInput{Action: "havning", Reason: "Fakturerade för timmar som inte utförts."}); err != nil {
			t.Fatal(err)
		}
		p, err = f.lev.FindProvider(as(f.unitA), norr)
		if err != nil {
			t.Fatal(err)
		}
		var shared *leverantor.Flag
		for i := range p.Flags {
			if p.Flags[i].Rule == leverantor.RuleSharedPerson {
				shared = &p.Flags[i]
			}
		}
		if shared == nil || !strings.Contains(shared.Explanation, "Assistans Direkt AB") || !strings.Contains(shared.Explanation, "verkställande direktör") {
			t.Fatalf("flags %+v", p.Flags)
		}
		if p.Score != leverantor.Score(p.Flags) || p.Score < 40 {
			t.Errorf("score %d, flags %+v", p.Score, p.Flags)
		}
		if strings.Contains(shared.Explanation, "Testsson") {
			t.Errorf("the explanation names the person: %s", shared.Explanation)
		}
		ev, err := f.audit.FindAuditEvents(as(f.admin), trygg.AuditFilter{ObjectType: "leverantor", ObjectID: objectIDOf(assist)})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range ev {
			found = found || (e.Action == trygg.AuditUpdate && e.Detail == "beslut havning")
		}
		if !found {
			t.Errorf("termination not audited: %+v", ev)
		}
		terminated, err := f.lev.FindProvider(as(f.unitA), assist)
		if err != nil || terminated.Status != leverantor.StatusTerminated || len(terminated.Decisions) != 1 {
			t.Fatalf("terminated %+v, %v", terminated, err)
		}

		// The second unit sees nothing until it has a contract, then the flag.
		_, err = f.lev.FindProvider(as(f.unitB), norr)
		wantCode(t, err, trygg.ENOTFOUND)
		if err := f.lev.AddUnit(as(f.unitA), norr, "ifo"); err != nil {
			t.Fatal(err)
		}
		if err := f.lev.RaiseFlag(as(f.unitA), norr, "Samma telefonnummer som ett hävt bolag."); err != nil {
			t.Fatal(err)
		}
		p, err = f.lev.FindProvider(as(f.unitB), norr)
		if err != nil || len(p.Manual) != 1 || p.Manual[0].UnitName != "Vård- och omsorgsförvaltningen" {
			t.Fatalf("second unit: %+v, %v", p, err)
		}
		if p.Flags[len(p.Flags)-1].Rule != leverantor.RuleManual {
			t.Errorf("flags %+v", p.Flags)
		}
		wantField(t, f.lev.RaiseFlag(as(f.unitB), norr, "Ring 070-123 45 67"), "reason")
	})
}

func objectIDOf(id int64) string { return strconv.FormatInt(id, 10) }

// TestLeverantorChecks: a check type never done is due from the contract's
// start; recording it moves the due day by its interval.
func TestLeverantorChecks(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newReviewFixture(t, db)
		mustImport(t, f, f.unitA)
		id := providerID(t, f, f.unitA, "Omsorgen i Norr AB")
		over, err := f.lev.Overdue(as(f.unitA))
		if err != nil || len(over) == 0 {
			t.Fatalf("overdue %d, %v", len(over), err)
		}
		today := trygg.DayOf(testNow)
		wantField(t, f.lev.RecordCheck(as(f.unitA), id, leverantor.CheckInput{Type: "platsbesok", Day: today + 1, Result: "ok", Source: "Besök"}), "day")
		wantField(t, f.lev.RecordCheck(as(f.unitA), id, leverantor.CheckInput{Type: "platsbesok", Day: today, Result: "ok", Source: "Besök", DocumentName: "a.pdf", Document: []byte("no")}), "document")
		if err := f.lev.RecordCheck(as(f.unitA), id, leverantor.CheckInput{Type: "platsbesok", Day: today, Result: "anmarkning", Source: "Platsbesök",
			Note: "Bemanningslistan saknades.", DocumentName: "protokoll.pdf", Document: []byte("%PDF-1.4 test")}); err != nil {
			t.Fatal(err)
		}
		p, err := f.lev.FindProvider(as(f.unitA), id)
		if err != nil || len(p.Checks) != 1 || p.Checks[0].Document == nil {
			t.Fatalf("checks %+v, %v", p.Checks, err)
		}
		for _, d := range p.Schedule {
			if d.Type == "platsbesok" && (d.Overdue || d.Due != today.AddMonths(12)) {
				t.Errorf("site visit %+v", d)
			}
		}
		// Check types are configurable: a shorter interval moves the due day.
		types, err := f.lev.CheckTypes(as(f.unitA))
		if err != nil {
			t.Fatal(err)
		}
		for i := range types {
			if types[i].Code == "platsbesok" {
				types[i].Months, types[i].Owner = 3, "Kvalitetsenheten"
			}
		}
		wantField(t, f.lev.SetCheckTypes(as(f.unitA), []leverantor.CheckType{{Code: "platsbesok", Months: 0, Owner: "x"}}), "months_platsbesok")
		if err := f.lev.SetCheckTypes(as(f.unitA), types); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.lev.SetCheckTypes(as(f.polis), types), trygg.ENOTFOUND)
		p, err = f.lev.FindProvider(as(f.unitA), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range p.Schedule {
			if d.Type == "platsbesok" && (d.Due != today.AddMonths(3) || d.Owner != "Kvalitetsenheten") {
				t.Errorf("site visit after the change %+v", d)
			}
		}
		doc, content, err := f.lev.CheckDocument(as(f.unitA), id, p.Checks[0].ID)
		if err != nil || doc.Name != "protokoll.pdf" || string(content) != "%PDF-1.4 test" {
			t.Fatalf("document %+v %q %v", doc, content, err)
		}
		_, _, err = f.lev.CheckDocument(as(f.outsider), id, p.Checks[0].ID)
		wantCode(t, err, trygg.ENOTFOUND)
		st, err := f.lev.Stats(as(f.unitA))
		if err != nil || st.Providers.Suppressed != true {
			t.Errorf("stats %+v, %v", st, err)
		}
		// Rules are configurable: turning the overdue rule off lowers the score.
		rules, err := f.lev.Rules(as(f.unitA))
		if err != nil {
			t.Fatal(err)
		}
		before := p.Score
		for i := range rules {
			if rules[i].Code == leverantor.RuleOverdue {
				rules[i].Weight = 0
			}
		}
		if err := f.lev.SetRules(as(f.unitA), rules); err != nil {
			t.Fatal(err)
		}
		p, _ = f.lev.FindProvider(as(f.unitA), id)
		if p.Score != before-leverantor.DefaultRules.Get(leverantor.RuleOverdue).Weight {
			t.Errorf("score %d after turning overdue off, was %d", p.Score, before)
		}
	})
}
