package sspf

import (
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
)

func day(s string) trygg.Day {
	d, err := trygg.ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

// validID returns a valid 12-digit personnummer for a birth date
// (YYYYMMDD) and a three-digit serial; add 60 to the day for a
// samordningsnummer.
func validID(birth, serial string) string { return withCheck(birth + serial) }

func TestExampleNumber(t *testing.T) {
	t.Parallel()
	if got, want := ExampleNumber(day("2012-03-15"), 123), withCheck("20120315123"); got != want {
		t.Errorf("ExampleNumber = %s, want %s", got, want)
	}
}

// withCheck appends the Luhn check digit to 11 digits YYYYMMDDNNN.
func withCheck(s string) string {
	sum := 0
	for i, c := range s[2:] {
		v := int(c-'0') * (2 - i%2)
		sum += v/10 + v%10
	}
	return s + string(rune('0'+(10-sum%10)%10))
}

func TestBirthDay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id   string
		want string
		ok   bool
	}{
		{validID("20120315", "123"), "2012-03-15", true},
		{validID("20120375", "123"), "2012-03-15", true}, // samordningsnummer: day + 60
		{validID("20120229", "123"), "2012-02-29", true},
		{validID("20110229", "123"), "", false},
		{"2012031512", "", false},
		{"20121315123x", "", false},
	} {
		got, ok := BirthDay(tc.id)
		if ok != tc.ok || (ok && got.String() != tc.want) {
			t.Errorf("BirthDay(%s) = %s, %v; want %s, %v", tc.id, got, ok, tc.want, tc.ok)
		}
	}
}

func TestOwnConsentNeeded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		birth, on string
		want      bool
	}{
		{"2011-06-10", "2026-06-09", false},
		{"2011-06-10", "2026-06-10", true}, // the 15th birthday itself
		{"2011-06-10", "2027-01-01", true},
		{"2012-02-29", "2027-02-28", false}, // born on a leap day: 1 March in a common year
		{"2012-02-29", "2027-03-01", true},
	} {
		if got := OwnConsentNeeded(day(tc.birth), day(tc.on)); got != tc.want {
			t.Errorf("OwnConsentNeeded(%s, %s) = %v, want %v", tc.birth, tc.on, got, tc.want)
		}
	}
}

func TestInputValidate(t *testing.T) {
	t.Parallel()
	today := day("2026-12-07")
	good := func() Input {
		return Input{YouthID: validID("20120315", "123")[2:8] + "-" + validID("20120315", "123")[8:], YouthName: "Alva Ek",
			Guardians: 2, Reason: "skolfranvaro", ReferringPart: PartSchool, TeamID: 1, ReferredOn: today}
	}
	for _, tc := range []struct {
		name   string
		change func(*Input)
		field  string
	}{
		{"good", func(*Input) {}, ""},
		{"bad number", func(in *Input) { in.YouthID = "120315-1230" }, "youth_id"},
		{"too old", func(in *Input) { in.YouthID = validID("19900101", "123") }, "youth_id"},
		{"no name", func(in *Input) { in.YouthName = " " }, "youth_name"},
		{"three guardians", func(in *Input) { in.Guardians = 3 }, "guardians"},
		{"free-text reason", func(in *Input) { in.Reason = "adhd" }, "reason"},
		{"unknown part", func(in *Input) { in.ReferringPart = "kommun" }, "referring_part"},
		{"no team", func(in *Input) { in.TeamID = 0 }, "team"},
		{"future", func(in *Input) { in.ReferredOn = today + 1 }, "referred_on"},
	} {
		in := good()
		tc.change(&in)
		err := in.Validate(today)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			} else if in.YouthID != validID("20120315", "123") || in.Kind() != IDPersonnummer {
				t.Errorf("%s: stored as %s %s", tc.name, in.YouthID, in.Kind())
			}
			continue
		}
		if !hasField(err, tc.field) {
			t.Errorf("%s: error %v, want field %s", tc.name, err, tc.field)
		}
	}
}

func hasField(err error, field string) bool {
	for _, f := range trygg.ErrorFields(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}

// youth returns a case about someone born on birth with two guardians,
// and one consent.
func caseWith(birth string, consents ...*Consent) *Case {
	return &Case{YouthID: validID(strings.ReplaceAll(birth, "-", ""), "123"), Guardians: 2, Consents: consents}
}

func fullScope() []ScopeItem {
	return []ScopeItem{{PartSchool, InfoPlan}, {PartPolice, InfoAttendance}, {PartLeisure, InfoAttendance}, {PartSocial, InfoAttendance}}
}

func TestConsentStatusAndMissing(t *testing.T) {
	t.Parallel()
	both := []Signature{{SignerGuardian1, day("2026-01-10")}, {SignerGuardian2, day("2026-01-10")}}
	for _, tc := range []struct {
		name    string
		birth   string
		signed  []Signature
		guard   int
		on      string
		status  string
		missing string
	}{
		{"both guardians, child of 12", "2014-05-01", both, 2, "2026-03-01", ConsentValid, ""},
		{"one of two guardians", "2014-05-01", both[:1], 2, "2026-03-01", ConsentIncomplete, "Vårdnadshavare 2"},
		{"one guardian is enough for one", "2014-05-01", both[:1], 1, "2026-03-01", ConsentValid, ""},
		{"15 already, own missing", "2010-05-01", both, 2, "2026-03-01", ConsentIncomplete, "Den unga själv (fyllde 15 år 2025-05-01)"},
		{"turns 15 during the case", "2011-02-15", both, 2, "2026-02-14", ConsentValid, ""},
		{"the day after", "2011-02-15", both, 2, "2026-02-15", ConsentIncomplete, "Den unga själv (fyllde 15 år 2026-02-15)"},
		{"own signature added", "2011-02-15", append(both[:2:2], Signature{SignerYouth, day("2026-02-20")}), 2, "2026-02-20", ConsentValid, ""},
		{"own signature not yet given on day", "2011-02-15", append(both[:2:2], Signature{SignerYouth, day("2026-02-20")}), 2, "2026-02-19", ConsentIncomplete, "Den unga själv (fyllde 15 år 2026-02-15)"},
		{"nothing missing but both", "2014-05-01", nil, 2, "2026-03-01", ConsentIncomplete, "Vårdnadshavare 1 och vårdnadshavare 2"},
		{"expired", "2014-05-01", both, 2, "2027-01-11", ConsentExpired, ""},
		{"not yet", "2014-05-01", both, 2, "2026-01-09", ConsentNotYet, ""},
	} {
		c := &Consent{Signed: tc.signed, GivenOn: day("2026-01-10"), ExpiresOn: day("2027-01-10")}
		birth := day(tc.birth)
		if got := c.Status(tc.guard, birth, day(tc.on)); got != tc.status {
			t.Errorf("%s: status %s, want %s", tc.name, got, tc.status)
		}
		if tc.status == ConsentValid || tc.status == ConsentIncomplete {
			if got := MissingText(c.Missing(tc.guard, birth, day(tc.on)), birth); got != tc.missing {
				t.Errorf("%s: missing %q, want %q", tc.name, got, tc.missing)
			}
		}
	}
}

func TestWithdrawalTakesEffectAtOnce(t *testing.T) {
	t.Parallel()
	k := &Consent{ID: 7, Signed: []Signature{{SignerGuardian1, day("2026-01-10")}, {SignerGuardian2, day("2026-01-10")}},
		Scope: fullScope(), GivenOn: day("2026-01-10"), ExpiresOn: day("2027-01-10"), WithdrawnOn: day("2026-04-01")}
	c := caseWith("2014-05-01", k)
	share := &Share{ConsentID: 7}
	if k.Status(2, c.Birth(), day("2026-03-31")) != ConsentValid || k.Status(2, c.Birth(), day("2026-04-01")) != ConsentWithdrawn {
		t.Error("the withdrawal does not take effect on its day")
	}
	if !Visible(c, share, PartPolice, day("2026-03-31")) || Visible(c, share, PartPolice, day("2026-04-01")) {
		t.Error("a share on a withdrawn consent is still shown to the police")
	}
	if !Visible(c, share, PartSocial, day("2026-04-01")) {
		t.Error("social services no longer see the share")
	}
	if d := Allow(c, []string{PartSocial}, InfoAttendance, "", nil, day("2026-04-01")); d.Allowed || !strings.Contains(d.Reason, "återkallats") {
		t.Errorf("after withdrawal: %+v", d)
	}
	if !Visible(c, &Share{Ground: GroundConcern}, PartPolice, day("2026-04-01")) {
		t.Error("a share on a legal ground was hidden by a withdrawal")
	}
}

func TestAllow(t *testing.T) {
	t.Parallel()
	guardians := []Signature{{SignerGuardian1, day("2026-01-10")}, {SignerGuardian2, day("2026-01-10")}}
	consent := func(signed ...Signature) *Consent {
		return &Consent{ID: 3, Signed: signed, Scope: fullScope(), GivenOn: day("2026-01-10"), ExpiresOn: day("2027-01-10")}
	}
	grounds := GroundCodes(DefaultLegalGrounds)
	for _, tc := range []struct {
		name      string
		c         *Case
		receivers []string
		info      string
		ground    string
		on        string
		allowed   bool
		reason    string
	}{
		{"attendance to police and leisure in scope", caseWith("2014-05-01", consent(guardians...)), []string{PartPolice, PartLeisure, PartSocial}, InfoAttendance, "", "2026-02-01", true, ""},
		{"police contacts outside scope", caseWith("2014-05-01", consent(guardians...)), []string{PartSchool, PartLeisure}, InfoPolice, "", "2026-02-01", false, "omfattar inte kontakter med polisen till skola, fritid"},
		{"no consent", caseWith("2014-05-01"), []string{PartSchool}, InfoAttendance, "", "2026-02-01", false, "inget giltigt samtycke"},
		{"one guardian missing", caseWith("2014-05-01", consent(guardians[0])), []string{PartPolice}, InfoAttendance, "", "2026-02-01", false, "vårdnadshavare 2"},
		{"turns 15: sharing stops", caseWith("2011-03-01", consent(guardians...)), []string{PartPolice}, InfoAttendance, "", "2026-03-01", false, "den unga själv (fyllde 15 år 2026-03-01)"},
		{"turns 15: the day before", caseWith("2011-03-01", consent(guardians...)), []string{PartPolice}, InfoAttendance, "", "2026-02-28", true, ""},
		{"own consent added", caseWith("2011-03-01", consent(append(guardians[:2:2], Signature{SignerYouth, day("2026-03-05")})...)), []string{PartPolice}, InfoAttendance, "", "2026-03-05", true, ""},
		{"expired", caseWith("2014-05-01", consent(guardians...)), []string{PartPolice}, InfoAttendance, "", "2027-01-11", false, "gått ut"},
		{"legal ground", caseWith("2014-05-01"), []string{PartSocial}, InfoPolice, GroundConcern, "2026-02-01", true, ""},
		{"unknown ground", caseWith("2014-05-01"), []string{PartSocial}, InfoPolice, "egen_grund", "2026-02-01", false, "finns inte i listan"},
	} {
		d := Allow(tc.c, tc.receivers, tc.info, tc.ground, grounds, day(tc.on))
		if d.Allowed != tc.allowed || !strings.Contains(strings.ToLower(d.Reason), strings.ToLower(tc.reason)) {
			t.Errorf("%s: %+v, want allowed %v with %q", tc.name, d, tc.allowed, tc.reason)
		}
		if d.Allowed && tc.ground == "" && d.ConsentID != 3 {
			t.Errorf("%s: relied on consent %d", tc.name, d.ConsentID)
		}
	}
}

func TestReceivers(t *testing.T) {
	t.Parallel()
	team := []Member{{Part: PartPolice}, {Part: PartSchool}, {Part: PartSocial}, {Part: PartSchool}}
	if got := strings.Join(Receivers(team, PartSchool), ","); got != "socialtjanst,polis" {
		t.Errorf("Receivers = %s", got)
	}
}

func TestConsentInputValidate(t *testing.T) {
	t.Parallel()
	today := day("2026-12-07")
	good := func() ConsentInput {
		return ConsentInput{Signed: []string{SignerGuardian1, SignerGuardian2}, Scope: []string{"polis:narvaro", "skola:handlingsplan"},
			Purpose: "samordnad_insats", GivenOn: today}
	}
	in := good()
	if err := in.Validate(2, DefaultValidityMonths, today); err != nil {
		t.Fatal(err)
	}
	if in.ExpiresOn != day("2027-12-07") {
		t.Errorf("default expiry %s", in.ExpiresOn)
	}
	if items := in.ScopeItems(); len(items) != 2 || items[0].Part != PartSchool {
		t.Errorf("scope %v", items)
	}
	for _, tc := range []struct {
		name   string
		change func(*ConsentInput)
		months int
		field  string
	}{
		{"beyond 12 months", func(in *ConsentInput) { in.ExpiresOn = day("2027-12-08") }, 12, "expires_on"},
		{"configured 6 months", func(in *ConsentInput) { in.ExpiresOn = day("2027-12-07") }, 6, "expires_on"},
		{"ends before it starts", func(in *ConsentInput) { in.ExpiresOn = today }, 12, "expires_on"},
		{"second guardian of one", func(in *ConsentInput) {}, 12, ""},
		{"unknown scope", func(in *ConsentInput) { in.Scope = []string{"polis:journal"} }, 12, "scope"},
		{"no scope", func(in *ConsentInput) { in.Scope = nil }, 12, "scope"},
		{"no signer", func(in *ConsentInput) { in.Signed = nil }, 12, "signed"},
		{"bad purpose", func(in *ConsentInput) { in.Purpose = "x" }, 12, "purpose"},
		{"future", func(in *ConsentInput) { in.GivenOn = today + 1 }, 12, "given_on"},
	} {
		in := good()
		tc.change(&in)
		err := in.Validate(2, tc.months, today)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if !hasField(err, tc.field) {
			t.Errorf("%s: %v, want field %s", tc.name, err, tc.field)
		}
	}
	one := good()
	if err := one.Validate(1, 12, today); !hasField(err, "signed") {
		t.Errorf("a second guardian for a young person with one: %v", err)
	}
}

func TestNextState(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		from, to string
		ok       bool
	}{
		{StateReferred, StateConsent, true},
		{StateConsent, StateActive, true},
		{StateReferred, StateActive, false},
		{StateActive, StateClosed, true},
		{StateReferred, StateClosed, true},
		{StateClosed, StateActive, false},
		{StateActive, StateConsent, false},
		{StateActive, "x", false},
	} {
		if got := NextState(tc.from, tc.to); got != tc.ok {
			t.Errorf("NextState(%s, %s) = %v", tc.from, tc.to, got)
		}
	}
	in := StateInput{State: StateClosed}
	if err := in.Validate(StateActive); !hasField(err, "outcome") {
		t.Errorf("closing without an outcome: %v", err)
	}
}

func TestFollowUpsAndRetention(t *testing.T) {
	t.Parallel()
	c := &Case{ActiveOn: day("2026-01-31")}
	if f := c.FollowUps(); len(f) != 2 || f[0] != day("2026-04-30") || f[1] != day("2026-07-31") {
		t.Errorf("follow-ups %v", f)
	}
	if (&Case{}).FollowUps() != nil {
		t.Error("a case never active has follow-ups")
	}
	for _, tc := range []struct {
		closed, today string
		months        int
		due           bool
	}{
		{"2023-01-10", "2026-01-10", 36, false},
		{"2023-01-10", "2026-01-11", 36, true},
		{"2026-01-10", "2026-02-11", 1, true},
	} {
		if got := RetentionDue(day(tc.closed), day(tc.today), tc.months); got != tc.due {
			t.Errorf("RetentionDue(%s, %s, %d) = %v", tc.closed, tc.today, tc.months, got)
		}
	}
	if RetentionDue(0, day("2026-01-01"), 1) {
		t.Error("an open case is due")
	}
	for s, want := range map[string]int{"": DefaultRetentionMonths, "12": 12} {
		if got, err := ParseRetentionMonths(s); err != nil || got != want {
			t.Errorf("ParseRetentionMonths(%q) = %d, %v", s, got, err)
		}
	}
	for _, s := range []string{"0", "x", "1201"} {
		if _, err := ParseRetentionMonths(s); err == nil {
			t.Errorf("ParseRetentionMonths(%q) accepted", s)
		}
	}
}

func TestParseLegalGrounds(t *testing.T) {
	t.Parallel()
	g, err := ParseLegalGrounds("")
	if err != nil || len(g) != len(DefaultLegalGrounds) {
		t.Fatalf("default: %v %v", g, err)
	}
	g, err = ParseLegalGrounds("nod=Nödsituation; anmalan=Anmälningsskyldighet|/oro/ny")
	if err != nil || len(g) != 2 || g[1].Link != "/oro/ny" || g[0].Label != "Nödsituation" {
		t.Fatalf("parsed %+v %v", g, err)
	}
	for _, s := range []string{"Nod=x", "nod", "nod=", "a=b;a=c", "a=b|http://x"} {
		if _, err := ParseLegalGrounds(s); err == nil {
			t.Errorf("accepted %q", s)
		}
	}
}

func TestComputeStats(t *testing.T) {
	t.Parallel()
	today := day("2026-12-07")
	var rows []StatsRow
	for i := range 12 {
		r := StatsRow{AreaName: "Ålidhem", ReferredOn: day("2026-10-01") + trygg.Day(i), CompleteConsent: i < 8}
		if i < 6 {
			r.ActiveOn = r.ReferredOn + trygg.Day(10+i)
			r.Outcome = "mal_uppnatt"
		}
		rows = append(rows, r)
	}
	rows = append(rows, StatsRow{AreaName: "Centrum", ReferredOn: day("2026-11-01"), Outcome: "flyttat"},
		StatsRow{AreaName: "Centrum", ReferredOn: day("2020-01-01")})
	s := ComputeStats(rows, today)
	if len(s.Quarters) != 8 || s.Quarters[7] != "2026 K4" || s.Quarters[0] != "2025 K1" {
		t.Errorf("quarters %v", s.Quarters)
	}
	if len(s.Areas) != 2 || s.Areas[0] != "Centrum" {
		t.Fatalf("areas %v", s.Areas)
	}
	// One case in Centrum: withheld, and Ålidhem's 12 with it, since the
	// column sum 13 is shown.
	if !s.ByArea[0][7].Suppressed || !s.ByArea[1][7].Suppressed || s.Total.Count != 13 {
		t.Errorf("by area %+v, total %+v", s.ByArea, s.Total)
	}
	if s.Consent.Suppressed || s.Consent.Part != 8 || s.Consent.Whole != 13 {
		t.Errorf("consent %+v", s.Consent)
	}
	if s.MedianDaysToActive != 12 { // 10..15: (12+13)/2
		t.Errorf("median %d", s.MedianDaysToActive)
	}
	for _, o := range s.Outcomes {
		if (o.Key == "flyttat" || o.Key == "mal_uppnatt") && !o.Suppressed {
			t.Errorf("outcome %+v is shown: one alone, or its complement", o)
		}
	}
	for range 5 {
		rows = append(rows, StatsRow{AreaName: "Centrum", ReferredOn: day("2026-11-02"), Outcome: "flyttat"})
	}
	s = ComputeStats(rows, today)
	if s.ByArea[0][7].Count != 6 || s.ByArea[1][7].Count != 12 {
		t.Errorf("by area %+v", s.ByArea)
	}
	for _, o := range s.Outcomes {
		if (o.Key == "flyttat" || o.Key == "mal_uppnatt") && (o.Suppressed || o.Count != 6) {
			t.Errorf("outcome %+v", o)
		}
	}
	few := ComputeStats(rows[:3], today)
	if few.MedianDaysToActive != -1 {
		t.Error("the median of three cases is shown")
	}
}

// FuzzParseLegalGrounds feeds the operator's list of legal grounds any
// text: it never panics, and what it accepts are slugs with labels and
// local links, each code once.
func FuzzParseLegalGrounds(f *testing.F) {
	f.Add("")
	f.Add("nod=Nödsituation; anmalan=Anmälningsskyldighet|/oro/ny")
	f.Add("a=b\na=c")
	f.Add("x=y|https://example.com")
	f.Fuzz(func(t *testing.T, s string) {
		gs, err := ParseLegalGrounds(s)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, g := range gs {
			if !validSlug(g.Code.Code) || g.Label == "" || seen[g.Code.Code] || (g.Link != "" && !strings.HasPrefix(g.Link, "/")) {
				t.Fatalf("accepted %+v from %q", g, s)
			}
			seen[g.Code.Code] = true
		}
	})
}
