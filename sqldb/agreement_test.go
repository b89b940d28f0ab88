package sqldb_test

import (
	"bytes"
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
	"github.com/trygg-est/trygg/reportio"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/sqldb"
)

func day(s string) trygg.Day {
	d, err := trygg.ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

func dayp(s string) *trygg.Day {
	d := day(s)
	return &d
}

// agreementInput is a signed trygghetsavtal for Ålidhem between the school
// and the police.
func agreementInput() samverkan.AgreementInput {
	return samverkan.AgreementInput{
		Type: samverkan.AgreementTrygghetsavtal, Title: "Trygghetsavtal Ålidhem centrum", Summary: "Samverkan kring centrum.",
		From: day("2025-01-01"), To: day("2025-12-31"), Areas: []string{"alidhem"},
		Status: samverkan.AgreementSigned, SignedOn: dayp("2024-12-15"),
		Parties: []samverkan.Party{{OrgCode: "polisen", Signatory: "Lokalpolisområdeschef"}, {OrgCode: "alidhemsskolan", Signatory: "Rektor"}},
	}
}

func commitmentInput() samverkan.CommitmentInput {
	return samverkan.CommitmentInput{
		Text: "Minska skadegörelsen kring centrum.", OwnerOrgCode: "polisen",
		Target: samverkan.Target{Text: "20 % färre rapporter om klotter jämfört med 2024", Kind: samverkan.TargetReduce, Value: 20,
			BaselineFrom: day("2024-01-01"), BaselineTo: day("2024-12-31")},
		Indicator: samverkan.Indicator{Source: samverkan.IndicatorReports, Name: "Rapporter om klotter i Ålidhem",
			Areas: []string{"alidhem"}, Categories: []string{"klotter"}},
	}
}

func newAgreementService(db *testDB) *sqldb.AgreementService {
	return sqldb.NewAgreementService(db.DB, sqldb.NewCountService(db.DB))
}

func mustAgreement(t *testing.T, s *sqldb.AgreementService, f *fixture) (*samverkan.Agreement, *samverkan.Commitment) {
	t.Helper()
	a, err := s.CreateAgreement(as(f.samordnare), agreementInput())
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateCommitment(as(f.samordnare), a.ID, commitmentInput())
	if err != nil {
		t.Fatal(err)
	}
	return a, c
}

func TestAgreementCreateAndValidate(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := newAgreementService(db)
		a, err := s.CreateAgreement(as(f.samordnare), agreementInput())
		if err != nil {
			t.Fatal(err)
		}
		if a.Title != "Trygghetsavtal Ålidhem centrum" || len(a.Parties) != 2 || a.Parties[0].OrgName != "Polisen lokalpolisområde Umeå" ||
			a.Parties[1].Signatory != "Rektor" || *a.SignedOn != day("2024-12-15") || !slices.Equal(a.Areas, []string{"alidhem"}) {
			t.Fatalf("created %+v", a)
		}
		in := agreementInput()
		in.Status, in.SignedOn, in.Parties = samverkan.AgreementDraft, nil, in.Parties[:1]
		in.Title = "Nytt namn"
		up, err := s.UpdateAgreement(as(f.samordnare), a.ID, in)
		if err != nil || up.Title != "Nytt namn" || len(up.Parties) != 1 || up.Status != samverkan.AgreementDraft {
			t.Fatalf("updated %+v, %v", up, err)
		}

		tests := []struct {
			name  string
			edit  func(*samverkan.AgreementInput)
			field string
		}{
			{"type", func(in *samverkan.AgreementInput) { in.Type = "kontrakt" }, "type"},
			{"title", func(in *samverkan.AgreementInput) { in.Title = " " }, "title"},
			{"period", func(in *samverkan.AgreementInput) { in.To = in.From - 1 }, "to"},
			{"no from", func(in *samverkan.AgreementInput) { in.From = 0 }, "from"},
			{"status", func(in *samverkan.AgreementInput) { in.Status = "x" }, "status"},
			{"signed without day", func(in *samverkan.AgreementInput) { in.SignedOn = nil }, "signed_on"},
			{"no parties", func(in *samverkan.AgreementInput) { in.Parties = nil }, "parties"},
			{"party twice", func(in *samverkan.AgreementInput) { in.Parties[1].OrgCode = "polisen" }, "party_org_2"},
			{"unknown org", func(in *samverkan.AgreementInput) { in.Parties[1].OrgCode = "okand" }, "party_org_2"},
			{"no signatory", func(in *samverkan.AgreementInput) { in.Parties[0].Signatory = "" }, "party_signatory_1"},
			{"unknown area", func(in *samverkan.AgreementInput) { in.Areas = []string{"mars"} }, "areas"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := agreementInput()
				tt.edit(&in)
				_, err := s.CreateAgreement(as(f.samordnare), in)
				wantField(t, err, tt.field)
			})
		}
		list, err := s.FindAgreements(as(f.lasare), samverkan.AgreementFilter{Area: "haga"})
		if err != nil || len(list) != 0 {
			t.Fatalf("agreements in Haga: %d, %v", len(list), err)
		}
		list, err = s.FindAgreements(as(f.lasare), samverkan.AgreementFilter{Area: "alidhem", Status: samverkan.AgreementDraft})
		if err != nil || len(list) != 1 {
			t.Fatalf("draft agreements in Ålidhem: %d, %v", len(list), err)
		}
		list, err = s.FindAgreements(as(f.rapportor), samverkan.AgreementFilter{Type: samverkan.AgreementTrygghetsavtal})
		if err != nil || len(list) != 1 {
			t.Fatalf("rapportör lists %d, %v", len(list), err)
		}
		mustVerify(t, f)
	})
}

func TestAgreementAccess(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := newAgreementService(db)
		a, c := mustAgreement(t, s, f)
		for _, u := range []*trygg.User{f.rapportor, f.polis, f.lasare, f.admin, f.socialtjanst} {
			_, err := s.CreateAgreement(as(u), agreementInput())
			wantCode(t, err, trygg.ENOTFOUND)
			_, err = s.UpdateAgreement(as(u), a.ID, agreementInput())
			wantCode(t, err, trygg.ENOTFOUND)
			_, err = s.CreateCommitment(as(u), a.ID, commitmentInput())
			wantCode(t, err, trygg.ENOTFOUND)
			wantCode(t, s.PublishCommitmentUpdate(as(u), 1, true), trygg.ENOTFOUND)
		}
		for _, u := range []*trygg.User{f.admin, f.socialtjanst} {
			_, err := s.FindAgreementByID(as(u), a.ID)
			wantCode(t, err, trygg.ENOTFOUND)
			_, err = s.IndicatorPoints(as(u), c.ID)
			wantCode(t, err, trygg.ENOTFOUND)
		}
		_, err := s.FindAgreements(context.Background(), samverkan.AgreementFilter{})
		wantCode(t, err, trygg.EUNAUTHORIZED)
		_, err = s.FindAgreementByID(as(f.lasare), a.ID+100)
		wantCode(t, err, trygg.ENOTFOUND)

		// The commitment belongs to polisen: its rapportör and polis may
		// update it, the school's rapportör and the läsare may not.
		upd := samverkan.CommitmentUpdateInput{Day: day("2025-03-10"), Comment: "Två extra patrulleringar i veckan."}
		for _, u := range []*trygg.User{f.rapportor, f.lasare} {
			_, err := s.AddCommitmentUpdate(as(u), c.ID, upd)
			wantCode(t, err, trygg.ENOTFOUND)
			wantCode(t, s.SetLightOverride(as(u), c.ID, samverkan.LightGreen, "Bra."), trygg.ENOTFOUND)
		}
		for _, u := range []*trygg.User{f.rapportor2, f.polis, f.samordnare} {
			if _, err := s.AddCommitmentUpdate(as(u), c.ID, upd); err != nil {
				t.Fatalf("%s: %v", u.Email, err)
			}
		}
		got, err := s.FindCommitmentUpdates(as(f.lasare), c.ID)
		if err != nil || len(got) != 3 || got[0].ByName != "Test samordnare@kommun.example" || got[2].ByOrgName != "Polisen lokalpolisområde Umeå" {
			t.Fatalf("updates %+v, %v", got, err)
		}
		mustVerify(t, f)
	})
}

func TestAgreementDocument(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := newAgreementService(db)
		a, _ := mustAgreement(t, s, f)
		pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0, 0xff, 'x'}, 1000)...)
		tests := []struct {
			name    string
			content []byte
		}{
			{"empty", nil},
			{"not a pdf", []byte("<html>inte en pdf</html>")},
			{"too large", append([]byte("%PDF-1.4\n"), make([]byte, trygg.MaxDocumentSize)...)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantField(t, s.AttachDocument(as(f.samordnare), a.ID, "avtal.pdf", tt.content), "document")
			})
		}
		wantCode(t, s.AttachDocument(as(f.rapportor), a.ID, "avtal.pdf", pdf), trygg.ENOTFOUND)
		wantCode(t, s.AttachDocument(as(f.samordnare), a.ID+1, "avtal.pdf", pdf), trygg.ENOTFOUND)
		_, _, err := s.FindDocument(as(f.lasare), a.ID)
		wantCode(t, err, trygg.ENOTFOUND)
		for _, name := range []string{"utkast.pdf", "Trygghetsavtal Ålidhem.pdf"} {
			if err := s.AttachDocument(as(f.samordnare), a.ID, name, pdf); err != nil {
				t.Fatal(err)
			}
		}
		d, content, err := s.FindDocument(as(f.lasare), a.ID)
		if err != nil || d.Name != "Trygghetsavtal Ålidhem.pdf" || d.Size != len(pdf) || !bytes.Equal(content, pdf) || len(d.SHA256) != 64 {
			t.Fatalf("document %+v (%d bytes), %v", d, len(content), err)
		}
		// A signed trygghetsavtal is public, and so is its document.
		if _, _, err := s.FindDocument(context.Background(), a.ID); err != nil {
			t.Fatalf("public document: %v", err)
		}
		got, err := s.FindAgreementByID(as(f.lasare), a.ID)
		if err != nil || got.Document == nil || got.Document.Size != len(pdf) {
			t.Fatalf("agreement document %+v, %v", got.Document, err)
		}
	})
}

func TestCommitmentIndicatorFromReports(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := newAgreementService(db)
		a, c := mustAgreement(t, s, f)
		at := func(s string) time.Time {
			d := day(s)
			return d.Start().Add(20 * time.Hour)
		}
		for _, r := range []struct {
			when, area, cat string
		}{
			{"2024-06-10", "alidhem", "klotter"}, {"2024-06-11", "alidhem", "klotter"}, {"2024-06-12", "alidhem", "klotter"},
			{"2024-06-13", "alidhem", "klotter"}, {"2024-06-14", "alidhem", "klotter"}, {"2024-06-15", "alidhem", "klotter"},
			{"2025-01-05", "alidhem", "klotter"}, {"2025-02-05", "alidhem", "klotter"},
			{"2025-02-06", "haga", "klotter"}, {"2025-03-01", "alidhem", "klotter"},
		} {
			in := input(r.area, r.cat)
			in.OccurredAt = at(r.when)
			mustCreate(t, f, f.rapportor, in)
		}
		points, err := s.IndicatorPoints(as(f.lasare), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		// 12 baseline months of 2024, then January and February 2025:
		// March is not over on 14 March.
		if len(points) != 14 || points[5].Day != day("2024-06-01") || points[5].Value != 6 ||
			points[12].Value != 1 || points[13].Day != day("2025-02-01") || points[13].Value != 1 {
			t.Fatalf("points %+v", points)
		}
		asm := samverkan.Assess(c, points, a.From, trygg.DayOf(testNow))
		if asm.Computed != samverkan.LightRed || asm.Baseline != 0.5 || asm.Current != 1 {
			t.Fatalf("assessment %+v", asm)
		}

		_, public, _, err := s.PublicCommitment(context.Background(), c.ID)
		if err != nil || public[5].Suppressed || public[5].Value != 6 || !public[12].Suppressed || public[12].Value != 0 {
			t.Fatalf("public points %+v, %v", public, err)
		}
		err = s.SaveIndicatorPoints(as(f.samordnare), c.ID, []samverkan.IndicatorPoint{{Day: day("2025-01-01"), Value: 3}})
		wantField(t, err, "file")
	})
}

func TestCommitmentSeriesOverrideAndPublic(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := newAgreementService(db)
		in := agreementInput()
		in.Type = samverkan.AgreementMedborgarlofte
		a, err := s.CreateAgreement(as(f.samordnare), in)
		if err != nil {
			t.Fatal(err)
		}
		ci := samverkan.CommitmentInput{Text: "Nattvandringar vid ungdomarnas samlingsplatser.", OwnerOrgCode: "alidhemsskolan",
			Target:    samverkan.Target{Text: "Minst 8 nattvandringar per månad", Kind: samverkan.TargetAtLeast, Value: 8},
			Indicator: samverkan.Indicator{Source: samverkan.IndicatorSeries, Name: "Nattvandringar per månad"}}
		c, err := s.CreateCommitment(as(f.samordnare), a.ID, ci)
		if err != nil {
			t.Fatal(err)
		}
		points, err := reportio.ParseIndicatorCSV([]byte("datum;värde\n2025-01;9\n2025-02;7,5\n"))
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.SaveIndicatorPoints(as(f.rapportor2), c.ID, points), trygg.ENOTFOUND)
		for _, bad := range [][]samverkan.IndicatorPoint{nil, {{Day: day("1999-12-31"), Value: 1}}, {{Day: day("2025-01-01"), Value: math.NaN()}}} {
			wantField(t, s.SaveIndicatorPoints(as(f.rapportor), c.ID, bad), "file")
		}
		if err := s.SaveIndicatorPoints(as(f.rapportor), c.ID, points); err != nil {
			t.Fatal(err)
		}
		// A second import replaces the value of a day it repeats.
		if err := s.SaveIndicatorPoints(as(f.rapportor), c.ID, []samverkan.IndicatorPoint{{Day: day("2025-02-01"), Value: 6}}); err != nil {
			t.Fatal(err)
		}
		got, err := s.IndicatorPoints(as(f.lasare), c.ID)
		if err != nil || len(got) != 2 || got[1].Value != 6 {
			t.Fatalf("points %+v, %v", got, err)
		}
		if l := samverkan.Assess(c, got, a.From, trygg.DayOf(testNow)).Computed; l != samverkan.LightRed {
			t.Fatalf("light %s, want red (6 of 8)", l)
		}

		wantField(t, s.SetLightOverride(as(f.rapportor), c.ID, samverkan.LightYellow, " "), "reason")
		wantField(t, s.SetLightOverride(as(f.rapportor), c.ID, "lila", "Skäl."), "light")
		if err := s.SetLightOverride(as(f.rapportor), c.ID, samverkan.LightYellow, "Februari hade två inställda pass på grund av kyla."); err != nil {
			t.Fatal(err)
		}
		c, err = s.FindCommitmentByID(as(f.lasare), c.ID)
		if err != nil || c.Override == nil || c.Override.Light != samverkan.LightYellow || c.Override.ByName != "Test rapportor@skola.example" {
			t.Fatalf("override %+v, %v", c.Override, err)
		}
		if asm := samverkan.Assess(c, got, a.From, trygg.DayOf(testNow)); asm.Light != samverkan.LightYellow || asm.Computed != samverkan.LightRed {
			t.Fatalf("assessment %+v", asm)
		}

		// The public sees signed medborgarlöften, and only published updates.
		u1, err := s.AddCommitmentUpdate(as(f.rapportor), c.ID, samverkan.CommitmentUpdateInput{Day: day("2025-03-01"), Comment: "Publicerbar text."})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddCommitmentUpdate(as(f.rapportor), c.ID, samverkan.CommitmentUpdateInput{Day: day("2025-03-02"), Comment: "Intern anteckning."}); err != nil {
			t.Fatal(err)
		}
		_, _, pub, err := s.PublicCommitment(context.Background(), c.ID)
		if err != nil || pub != nil {
			t.Fatalf("unpublished update shown: %+v, %v", pub, err)
		}
		if err := s.PublishCommitmentUpdate(as(f.samordnare), u1.ID, true); err != nil {
			t.Fatal(err)
		}
		_, _, pub, err = s.PublicCommitment(context.Background(), c.ID)
		if err != nil || pub == nil || pub.Comment != "Publicerbar text." || pub.ByName != "" {
			t.Fatalf("published update %+v, %v", pub, err)
		}
		feed, err := s.FindPublishedUpdates(context.Background(), 10)
		if err != nil || len(feed) != 1 || feed[0].Update.Comment != "Publicerbar text." || feed[0].Update.ByName != "" ||
			feed[0].AgreementTitle != in.Title || feed[0].CommitmentText != c.Text {
			t.Fatalf("published updates %+v, %v", feed, err)
		}
		list, err := s.FindPublicAgreements(context.Background())
		if err != nil || len(list) != 1 || list[0].ID != a.ID || len(list[0].Commitments) != 1 {
			t.Fatalf("public agreements %v, %v", list, err)
		}
		// A draft is not public.
		in.Status, in.SignedOn = samverkan.AgreementDraft, nil
		if _, err := s.UpdateAgreement(as(f.samordnare), a.ID, in); err != nil {
			t.Fatal(err)
		}
		_, _, _, err = s.PublicCommitment(context.Background(), c.ID)
		wantCode(t, err, trygg.ENOTFOUND)
		if list, err := s.FindPublicAgreements(context.Background()); err != nil || len(list) != 0 {
			t.Fatalf("draft is public: %v, %v", list, err)
		}
		if feed, err := s.FindPublishedUpdates(context.Background(), 10); err != nil || len(feed) != 0 {
			t.Fatalf("a draft's updates are in the feed: %v, %v", feed, err)
		}
		mustVerify(t, f)
	})
}

// TestCommitmentIndicatorKindAndAds covers what a series' values are, and
// commitments that read the advertising indicator live.
func TestCommitmentIndicatorKindAndAds(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := newAgreementService(db)
		a, reports := mustAgreement(t, s, f)
		if reports.Indicator.Kind != samverkan.IndicatorCounts {
			t.Fatalf("report counts are %q", reports.Indicator.Kind)
		}
		survey := samverkan.CommitmentInput{Text: "Fler känner sig trygga i centrum.", OwnerOrgCode: "polisen",
			Target:    samverkan.Target{Text: "Minst 70 % trygga", Kind: samverkan.TargetAtLeast, Value: 70},
			Indicator: samverkan.Indicator{Source: samverkan.IndicatorSeries, Kind: samverkan.IndicatorMeasure, Name: "Andel trygga i enkäten"}}
		c, err := s.CreateCommitment(as(f.samordnare), a.ID, survey)
		if err != nil || c.Indicator.Kind != samverkan.IndicatorMeasure {
			t.Fatalf("created %+v, %v", c, err)
		}
		survey.Indicator.Kind = "procent"
		_, err = s.UpdateCommitment(as(f.samordnare), c.ID, survey)
		wantField(t, err, "indicator_kind")
		survey.Indicator.Kind = ""
		if c, err = s.UpdateCommitment(as(f.samordnare), c.ID, survey); err != nil || c.Indicator.Kind != samverkan.IndicatorCounts {
			t.Fatalf("no kind is counts: %+v, %v", c, err)
		}

		weeks := []operativ.AdWeek{
			{Week: day("2025-01-06"), Ads: 10, SugarMinor: 1}, {Week: day("2025-01-13"), Ads: 3},
			{Week: day("2025-02-03"), Ads: 1, SugarMinor: 2}, {Week: day("2025-03-03"), Ads: 7},
		}
		if err := sqldb.NewOperativService(db.DB).SaveAdCounts(as(f.polis), weeks); err != nil {
			t.Fatal(err)
		}
		in := samverkan.CommitmentInput{Text: "Minskad annonsering.", OwnerOrgCode: "polisen",
			Target:    samverkan.Target{Text: "Högst 10 annonser per månad", Kind: samverkan.TargetAtMost, Value: 10},
			Indicator: samverkan.Indicator{Source: samverkan.IndicatorAds, Kind: samverkan.IndicatorMeasure, Name: "Annonser per månad", Categories: []string{"klotter"}}}
		ads, err := s.CreateCommitment(as(f.samordnare), a.ID, in)
		if err != nil || ads.Indicator.Kind != samverkan.IndicatorCounts || len(ads.Indicator.Categories) != 0 {
			t.Fatalf("ads commitment %+v, %v", ads, err)
		}
		in.Indicator.Source = samverkan.IndicatorSugarMinor
		sugar, err := s.CreateCommitment(as(f.samordnare), a.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		// A month's value is the mean of its stored weeks times its days
		// / 7: January's two weeks (of four) 6.5 × 31/7 = 28.8, February's
		// one 1 × 28/7 = 4. March has not ended on 14 March, so it has no
		// value yet.
		tests := []struct {
			id     int64
			public bool
			want   []samverkan.IndicatorPoint
		}{
			{ads.ID, false, []samverkan.IndicatorPoint{{Day: day("2025-01-01"), Value: 28.8}, {Day: day("2025-02-01"), Value: 4}}},
			{ads.ID, true, []samverkan.IndicatorPoint{{Day: day("2025-01-01"), Value: 28.8}, {Day: day("2025-02-01"), Suppressed: true}}},
			{sugar.ID, false, []samverkan.IndicatorPoint{{Day: day("2025-01-01"), Value: 2.2}, {Day: day("2025-02-01"), Value: 8}}},
		}
		for _, tt := range tests {
			var got []samverkan.IndicatorPoint
			if tt.public {
				_, got, _, err = s.PublicCommitment(context.Background(), tt.id)
			} else {
				got, err = s.IndicatorPoints(as(f.lasare), tt.id)
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("commitment %d, public %v: %+v, %v", tt.id, tt.public, got, err)
			}
		}
		err = s.SaveIndicatorPoints(as(f.samordnare), ads.ID, []samverkan.IndicatorPoint{{Day: day("2025-01-01"), Value: 3}})
		wantField(t, err, "file")
	})
}
