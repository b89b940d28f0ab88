package leverantor_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/leverantor"
)

// num completes nine digits with their check digit.
func num(nine string) string { return nine + string(leverantor.LuhnDigit(nine)) }

func TestParseOrgNumber(t *testing.T) {
	t.Parallel()
	org := num("559900123")  // a legal entity: third digit 9
	pnr := num("121212121")  // 121212-1212, the Skatteverket test number
	samo := num("850172123") // a samordningsnummer: day 72
	tests := []struct {
		in       string
		want     string
		personal bool
		err      error
	}{
		{org, org[:6] + "-" + org[6:], false, nil},
		{org[:6] + "-" + org[6:], org[:6] + "-" + org[6:], false, nil},
		{"16" + org, org[:6] + "-" + org[6:], false, nil},
		{" " + org + " ", org[:6] + "-" + org[6:], false, nil},
		{pnr, "121212-1212", true, nil},
		{"19" + pnr, "121212-1212", true, nil},
		{"121212+1212", "121212-1212", true, nil},
		{samo, samo[:6] + "-" + samo[6:], true, nil},
		{org[:9] + string('0'+(org[9]-'0'+1)%10), "", false, leverantor.ErrOrgNumberCheck},
		{"12345", "", false, leverantor.ErrOrgNumberFormat},
		{"", "", false, leverantor.ErrOrgNumberFormat},
		{"55990a1234", "", false, leverantor.ErrOrgNumberFormat},
		{"-" + org, "", false, leverantor.ErrOrgNumberFormat},
		{"20" + org, "", false, leverantor.ErrOrgNumberKind},
		{"16" + pnr, "", false, leverantor.ErrOrgNumberKind},
		{num("121312121"), "", false, leverantor.ErrOrgNumberKind}, // month 13
		{num("120230121"), "", false, leverantor.ErrOrgNumberKind}, // 30 February
		{num("000101121"), "000101-" + num("000101121")[6:], true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, err := leverantor.ParseOrgNumber(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err %v, want %v", err, tt.err)
			}
			if n.String() != tt.want || n.Personal != tt.personal {
				t.Errorf("got %q personal %v, want %q personal %v", n.String(), n.Personal, tt.want, tt.personal)
			}
			if tt.personal && !strings.HasSuffix(n.Masked(), "-****") {
				t.Errorf("masked %q shows the last four digits", n.Masked())
			}
		})
	}
}

func FuzzParseOrgNumber(f *testing.F) {
	for _, s := range []string{"5599001234", "559900-1234", "165599001234", "121212-1212", "19121212+1212", "", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := leverantor.ParseOrgNumber(s)
		if err != nil {
			if n != (leverantor.OrgNumber{}) {
				t.Fatalf("error %v with number %+v", err, n)
			}
			return
		}
		if len(n.Digits) != 10 || leverantor.LuhnDigit(n.Digits[:9]) != n.Digits[9] {
			t.Fatalf("accepted %q as %q", s, n.Digits)
		}
		again, err := leverantor.ParseOrgNumber(n.String())
		if err != nil || again != n {
			t.Fatalf("%q does not read back: %+v, %v", n.String(), again, err)
		}
	})
}

func day(s string) trygg.Day {
	d, err := trygg.ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestProviderInputValidate(t *testing.T) {
	t.Parallel()
	valid := func() leverantor.ProviderInput {
		return leverantor.ProviderInput{Org: num("559900123"), Name: "Omsorg AB", Form: "aktiebolag", Address: "Storgatan 1, Umeå",
			ContractType: "lov", ServiceArea: "hemtjanst", ContractFrom: day("2025-01-01"), Value: 100000}
	}
	tests := []struct {
		name  string
		edit  func(*leverantor.ProviderInput)
		field string
	}{
		{"valid", func(*leverantor.ProviderInput) {}, ""},
		{"bad number", func(p *leverantor.ProviderInput) { p.Org = "5599001230" }, "org"},
		{"no name", func(p *leverantor.ProviderInput) { p.Name = " " }, "name"},
		{"person but aktiebolag", func(p *leverantor.ProviderInput) { p.Org = "121212-1212" }, "form"},
		{"enskild firma with org number", func(p *leverantor.ProviderInput) { p.Form = "enskild_firma" }, "form"},
		{"unknown area", func(p *leverantor.ProviderInput) { p.ServiceArea = "bygg" }, "service_area"},
		{"unknown contract", func(p *leverantor.ProviderInput) { p.ContractType = "x" }, "contract_type"},
		{"ends before start", func(p *leverantor.ProviderInput) { p.ContractTo = day("2024-01-01") }, "contract_to"},
		{"no start", func(p *leverantor.ProviderInput) { p.ContractFrom = 0 }, "contract_from"},
		{"negative value", func(p *leverantor.ProviderInput) { p.Value = -1 }, "value"},
		{"two-line site", func(p *leverantor.ProviderInput) { p.Sites = []string{"a\nb"} }, "sites"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid()
			tt.edit(&in)
			_, err := in.Validate()
			wantField(t, err, tt.field)
		})
	}
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	for _, f := range trygg.ErrorFields(err) {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v, want one on field %s", err, field)
}

func TestCheckAndDecisionValidate(t *testing.T) {
	t.Parallel()
	today := day("2026-06-01")
	types := leverantor.DefaultCheckTypes
	ok := leverantor.CheckInput{Type: "kronofogden", Day: today, Result: "ok", Source: "Kronofogden"}
	tests := []struct {
		name  string
		edit  func(*leverantor.CheckInput)
		field string
	}{
		{"valid", func(*leverantor.CheckInput) {}, ""},
		{"unknown type", func(c *leverantor.CheckInput) { c.Type = "x" }, "type"},
		{"future", func(c *leverantor.CheckInput) { c.Day = today + 1 }, "day"},
		{"no result", func(c *leverantor.CheckInput) { c.Result = "" }, "result"},
		{"no source", func(c *leverantor.CheckInput) { c.Source = "" }, "source"},
		{"personnummer in note", func(c *leverantor.CheckInput) { c.Note = "Ägaren 121212-1212 har skulder" }, "note"},
		{"not a pdf", func(c *leverantor.CheckInput) { c.DocumentName, c.Document = "a.pdf", []byte("hej") }, "document"},
		{"a pdf", func(c *leverantor.CheckInput) { c.DocumentName, c.Document = "a.pdf", []byte("%PDF-1.4") }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			tt.edit(&in)
			wantField(t, in.Validate(types, today), tt.field)
		})
	}
	dtests := []struct {
		in    leverantor.DecisionInput
		field string
	}{
		{leverantor.DecisionInput{Action: "fortsatt", Reason: "Inga brister."}, ""},
		{leverantor.DecisionInput{Action: "begaran_om_rattelse", Reason: "Brister."}, "deadline"},
		{leverantor.DecisionInput{Action: "begaran_om_rattelse", Reason: "Brister.", Deadline: today}, "deadline"},
		{leverantor.DecisionInput{Action: "begaran_om_rattelse", Reason: "Brister.", Deadline: today + 30}, ""},
		{leverantor.DecisionInput{Action: "anmalan", Reason: "Misstanke."}, "recipient"},
		{leverantor.DecisionInput{Action: "anmalan", Recipient: "ivo", Reason: "Misstanke."}, ""},
		{leverantor.DecisionInput{Action: "havning"}, "reason"},
		{leverantor.DecisionInput{Action: "avveckla", Reason: "x"}, "action"},
	}
	for _, tt := range dtests {
		t.Run(tt.in.Action, func(t *testing.T) { wantField(t, tt.in.Validate(today), tt.field) })
	}
}

func TestRules(t *testing.T) {
	t.Parallel()
	today := day("2026-06-01")
	base := func(id int64) leverantor.Facts {
		return leverantor.Facts{ID: id, Name: fmt.Sprintf("Bolag %d", id), Address: fmt.Sprintf("gatan %d", id), ServiceArea: "hemtjanst",
			Registered: day("2015-01-01"), Value: 1000000}
	}
	board := func(from, to string) leverantor.PersonFact {
		p := leverantor.PersonFact{Index: from + to, Role: "styrelseledamot", From: day(from)}
		if to != "" {
			p.To = day(to)
		}
		return p
	}
	tests := []struct {
		name  string
		edit  func(all []leverantor.Facts)
		rule  string
		match string
	}{
		{"nothing", func([]leverantor.Facts) {}, "", ""},
		{"board changed three times", func(a []leverantor.Facts) {
			a[0].Persons = []leverantor.PersonFact{board("2025-09-01", ""), board("2020-01-01", "2025-09-01"), board("2026-01-01", "")}
		}, leverantor.RuleBoardChanges, "3 gånger"},
		{"board changed twice is within the limit", func(a []leverantor.Facts) {
			a[0].Persons = []leverantor.PersonFact{board("2025-09-01", ""), board("2020-01-01", "2025-09-01")}
		}, "", ""},
		{"changes before 12 months do not count", func(a []leverantor.Facts) {
			a[0].Persons = []leverantor.PersonFact{board("2024-09-01", ""), board("2020-01-01", "2024-09-01"), board("2025-01-01", "")}
		}, "", ""},
		{"key person in a terminated provider", func(a []leverantor.Facts) {
			a[0].Persons = []leverantor.PersonFact{{Index: "p1", Role: "vd", From: day("2020-01-01")}}
			a[1].Persons = []leverantor.PersonFact{{Index: "p1", Role: "styrelseledamot", From: day("2019-01-01")}}
			a[1].Terminated = true
		}, leverantor.RuleSharedPerson, "verkställande direktör här har också en nyckelroll i Bolag 2, vars avtal har hävts"},
		{"key person in a provider with a serious remark", func(a []leverantor.Facts) {
			a[0].Persons = []leverantor.PersonFact{{Index: "p1", Role: "vd", From: day("2020-01-01")}}
			a[1].Persons = []leverantor.PersonFact{{Index: "p1", Role: "vd", From: day("2019-01-01")}}
			a[1].Serious = true
		}, leverantor.RuleSharedPerson, "allvarlig anmärkning"},
		{"key person shared with a clean provider", func(a []leverantor.Facts) {
			a[0].Persons = []leverantor.PersonFact{{Index: "p1", Role: "vd", From: day("2020-01-01")}}
			a[1].Persons = []leverantor.PersonFact{{Index: "p1", Role: "vd", From: day("2019-01-01")}}
		}, "", ""},
		{"three at one address", func(a []leverantor.Facts) {
			for i := range a {
				a[i].Address = "storgatan 1 umeå"
			}
		}, leverantor.RuleSharedAddr, "3 leverantörer"},
		{"young with a large contract", func(a []leverantor.Facts) {
			a[0].Registered, a[0].Value = day("2025-12-01"), 8_000_000
		}, leverantor.RuleYoungLarge, "8\u00a0000\u00a0000\u00a0kr"},
		{"young with a small contract", func(a []leverantor.Facts) { a[0].Registered = day("2025-12-01") }, "", ""},
		{"permit lapsed", func(a []leverantor.Facts) {
			a[0].ServiceArea, a[0].PermitUntil = "hvb", day("2026-05-01")
		}, leverantor.RulePermit, "upphörde 2026-05-01"},
		{"permit missing", func(a []leverantor.Facts) { a[0].ServiceArea = "skola" }, leverantor.RulePermit, "inget tillstånd"},
		{"permit valid", func(a []leverantor.Facts) {
			a[0].ServiceArea, a[0].PermitUntil = "hvb", day("2027-05-01")
		}, "", ""},
		{"permit check serious", func(a []leverantor.Facts) {
			a[0].ServiceArea, a[0].PermitUntil, a[0].PermitLapse = "hvb", day("2027-05-01"), true
		}, leverantor.RulePermit, "senaste kontrollen"},
		{"overdue", func(a []leverantor.Facts) { a[0].Overdue = []string{"platsbesök"} }, leverantor.RuleOverdue, "platsbesök"},
		{"manual", func(a []leverantor.Facts) { a[0].Manual = []string{"Tips om svart arbetskraft."} }, leverantor.RuleManual, "svart arbetskraft"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all := []leverantor.Facts{base(1), base(2), base(3)}
			tt.edit(all)
			flags := leverantor.Evaluate(leverantor.DefaultRules, all, today)[0]
			if tt.rule == "" {
				if len(flags) != 0 {
					t.Fatalf("flags %+v, want none", flags)
				}
				return
			}
			if len(flags) != 1 || flags[0].Rule != tt.rule || !strings.Contains(flags[0].Explanation, tt.match) {
				t.Fatalf("flags %+v, want one of %s saying %q", flags, tt.rule, tt.match)
			}
			if want := leverantor.DefaultRules.Get(tt.rule).Weight; leverantor.Score(flags) != want {
				t.Errorf("score %d, want %d", leverantor.Score(flags), want)
			}
		})
	}
}

func TestRulesConfigured(t *testing.T) {
	t.Parallel()
	rules := append(leverantor.Rules(nil), leverantor.DefaultRules...)
	for i := range rules {
		if rules[i].Code == leverantor.RuleManual {
			rules[i].Weight = 7
		}
		if rules[i].Code == leverantor.RuleOverdue {
			rules[i].Weight = 0
		}
	}
	f := []leverantor.Facts{{ID: 1, Manual: []string{"a", "b"}, Overdue: []string{"platsbesök"}}}
	if got := leverantor.Score(leverantor.Evaluate(rules, f, day("2026-01-01"))[0]); got != 14 {
		t.Errorf("score %d, want 14 (two manual flags of 7, overdue off)", got)
	}
	bad := append(leverantor.Rules(nil), leverantor.Rule{Code: leverantor.RuleSharedAddr, Weight: -1, Threshold: 0})
	wantField(t, bad.Validate(), "weight_delad_adress")
	wantField(t, bad.Validate(), "threshold_delad_adress")
	wantField(t, leverantor.DefaultRules.Validate(), "")
}

func TestSchedule(t *testing.T) {
	t.Parallel()
	today := day("2026-06-01")
	types := []leverantor.CheckType{
		{Code: "a", Label: "Årlig", Months: 12},
		{Code: "b", Label: "Halvår", Months: 6},
		{Code: "t", Label: "Tillstånd", Months: 12, Areas: []string{"hvb"}},
	}
	checks := []leverantor.Check{{Type: "a", Day: day("2025-07-01"), Result: "ok"}, {Type: "a", Day: day("2024-07-01")},
		{Type: "b", Day: day("2025-11-15"), Result: "anmarkning"}}
	s := leverantor.Schedule(types, "hemtjanst", day("2020-01-01"), 0, false, checks, today)
	if len(s) != 2 || s[0].Due != day("2026-07-01") || s[0].Overdue || s[1].Due != day("2026-05-15") || !s[1].Overdue || s[1].Result != "anmarkning" {
		t.Fatalf("schedule %+v", s)
	}
	if got := leverantor.NextDue(s); got != day("2026-05-15") {
		t.Errorf("next due %s", got)
	}
	if got := leverantor.OverdueLabels(s); len(got) != 1 || got[0] != "halvår" {
		t.Errorf("overdue %q", got)
	}
	s = leverantor.Schedule(types, "hvb", day("2026-03-01"), 0, false, nil, today)
	if len(s) != 3 || s[2].Due != day("2026-03-01") || !s[2].Overdue {
		t.Errorf("never checked: %+v", s)
	}
	for _, s := range [][]leverantor.Due{
		leverantor.Schedule(types, "hvb", day("2020-01-01"), 0, true, checks, today),
		leverantor.Schedule(types, "hvb", day("2020-01-01"), day("2026-01-01"), false, checks, today),
	} {
		if leverantor.NextDue(s) != 0 || len(leverantor.OverdueLabels(s)) != 0 {
			t.Errorf("ended: %+v", s)
		}
	}
}

func TestStats(t *testing.T) {
	t.Parallel()
	today := day("2026-06-01")
	var ps []leverantor.StatProvider
	for i := range 12 {
		ps = append(ps, leverantor.StatProvider{ServiceArea: "hemtjanst", Score: i * 10})
	}
	var cs []leverantor.StatCheck
	for p := range int64(20) {
		cs = append(cs, leverantor.StatCheck{ProviderID: p, Type: "kronofogden", Day: day("2025-06-01")})
		late := day("2025-12-01")
		if p < 6 {
			late = day("2026-01-15")
		}
		cs = append(cs, leverantor.StatCheck{ProviderID: p, Type: "kronofogden", Day: late})
	}
	var ds []trygg.Day
	for range 6 {
		ds = append(ds, day("2026-04-10"))
	}
	ds = append(ds, day("2026-02-01"))
	s := leverantor.ComputeStats(ps, cs, leverantor.DefaultCheckTypes, ds, today)
	// Scores 0,10 low (2: withheld); 20..40 medium (3: withheld); 50..110 high (7).
	if b := s.Areas[0].Bands; !b[0].Suppressed || !b[1].Suppressed || b[2].Count != 7 {
		t.Errorf("bands %+v", b)
	}
	if s.OnTime.Suppressed || s.OnTime.Part != 14 || s.OnTime.Whole != 20 {
		t.Errorf("on time %+v", s.OnTime)
	}
	last := s.Quarters[len(s.Quarters)-1]
	if last.Label != "2026 kvartal 2" || last.Count != 6 || !s.Quarters[len(s.Quarters)-2].Suppressed {
		t.Errorf("quarters %+v", s.Quarters)
	}
}

func TestNormalAddress(t *testing.T) {
	t.Parallel()
	if a, b := leverantor.NormalAddress("Storgatan 1,  UMEÅ"), leverantor.NormalAddress("storgatan 1 umeå."); a != b || a != "storgatan 1 umeå" {
		t.Errorf("%q %q", a, b)
	}
}
