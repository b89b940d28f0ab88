package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/sqldb"
)

// mustMedborgarlofte signs agreementInput as a medborgarlöfte, which the
// public sees.
func mustMedborgarlofte(t *testing.T, s *sqldb.AgreementService, f *fixture) *samverkan.Agreement {
	t.Helper()
	in := agreementInput()
	in.Type = samverkan.AgreementMedborgarlofte
	a, err := s.CreateAgreement(as(f.samordnare), in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestPublicCommitmentWithholds covers what the public and partners do not
// see of a commitment: a manual light the samordnare has not approved,
// personal data in free text, and small counts.
func TestPublicCommitmentWithholds(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := newAgreementService(db)
		a := mustMedborgarlofte(t, s, f)
		c, err := s.CreateCommitment(as(f.samordnare), a.ID, commitmentInput())
		if err != nil {
			t.Fatal(err)
		}
		publicLight := func() *samverkan.LightOverride {
			t.Helper()
			pc, _, _, err := s.PublicCommitment(context.Background(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			list, err := s.FindPublicAgreements(context.Background())
			if err != nil || len(list) != 1 || len(list[0].Commitments) != 1 {
				t.Fatalf("public agreements %+v, %v", list, err)
			}
			if (pc.Override == nil) != (list[0].Commitments[0].Override == nil) {
				t.Fatal("the page of the commitment and the list disagree")
			}
			return pc.Override
		}

		// A partner's light waits for the samordnare.
		if err := s.SetLightOverride(as(f.polis), c.ID, samverkan.LightGreen, "Polisen bedömer att läget har förbättrats."); err != nil {
			t.Fatal(err)
		}
		if o := publicLight(); o != nil {
			t.Fatalf("an unapproved light is public: %+v", o)
		}
		if err := s.PublishLightOverride(as(f.polis), c.ID, true); trygg.ErrorCode(err) != trygg.ENOTFOUND {
			t.Fatalf("a partner publishes: %v", err)
		}
		if err := s.PublishLightOverride(as(f.samordnare), c.ID, true); err != nil {
			t.Fatal(err)
		}
		if o := publicLight(); o == nil || o.Reason != "Polisen bedömer att läget har förbättrats." || o.ByName != "" {
			t.Fatalf("the approved light: %+v", o)
		}
		// A new light by the partner needs a new approval; the samordnare's own does not.
		if err := s.SetLightOverride(as(f.polis), c.ID, samverkan.LightRed, "Nytt läge."); err != nil {
			t.Fatal(err)
		}
		if o := publicLight(); o != nil {
			t.Fatalf("a changed light stayed public: %+v", o)
		}
		if err := s.SetLightOverride(as(f.samordnare), c.ID, samverkan.LightYellow, "Samordnarens bedömning."); err != nil {
			t.Fatal(err)
		}
		if o := publicLight(); o == nil || o.Light != samverkan.LightYellow {
			t.Fatalf("the samordnare's light: %+v", o)
		}
		if err := s.SetLightOverride(as(f.samordnare), c.ID, "", ""); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.PublishLightOverride(as(f.samordnare), c.ID, true), trygg.ENOTFOUND)

		// Free text that may become public names no one.
		wantField(t, s.SetLightOverride(as(f.polis), c.ID, samverkan.LightRed, "Ring Kalle på 070-123 45 67."), "reason")
		_, err = s.AddCommitmentUpdate(as(f.polis), c.ID, samverkan.CommitmentUpdateInput{Day: day("2025-03-01"),
			Comment: "Kontakt: anna.andersson@example.se"})
		wantField(t, err, "comment")

		// Report counts of 1–4 reach a partner's rapportör as the public sees them.
		report := input("alidhem", "klotter")
		report.OccurredAt = day("2025-02-10").Start().Add(12 * time.Hour) // February has ended by testNow
		mustCreate(t, f, f.rapportor, report)
		for _, tt := range []struct {
			who        *trygg.User
			suppressed bool
		}{{f.rapportor, true}, {f.polis, false}, {f.lasare, false}} {
			points, err := s.IndicatorPoints(as(tt.who), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			withheld := false
			for _, p := range points {
				withheld = withheld || p.Suppressed
			}
			if withheld != tt.suppressed {
				t.Errorf("%s: withheld %v, want %v: %+v", tt.who.Email, withheld, tt.suppressed, points)
			}
		}
	})
}

// TestPublicSeriesWithholdsSmallCounts: a series of counts shows 1–4 as
// withheld to the public, a series of measurements shows every value.
func TestPublicSeriesWithholdsSmallCounts(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := newAgreementService(db)
		a := mustMedborgarlofte(t, s, f)
		for _, tt := range []struct {
			kind     samverkan.IndicatorKind
			withheld bool
		}{{samverkan.IndicatorCounts, true}, {samverkan.IndicatorMeasure, false}} {
			ci := samverkan.CommitmentInput{Text: "Orosanmälningar följs upp.", OwnerOrgCode: "polisen",
				Target:    samverkan.Target{Text: "Högst 10 per månad", Kind: samverkan.TargetAtMost, Value: 10},
				Indicator: samverkan.Indicator{Source: samverkan.IndicatorSeries, Kind: tt.kind, Name: "Per månad"}}
			c, err := s.CreateCommitment(as(f.samordnare), a.ID, ci)
			if err != nil {
				t.Fatal(err)
			}
			points := []samverkan.IndicatorPoint{{Day: day("2025-01-01"), Value: 3}, {Day: day("2025-02-01"), Value: 12}}
			if err := s.SaveIndicatorPoints(as(f.samordnare), c.ID, points); err != nil {
				t.Fatal(err)
			}
			_, public, _, err := s.PublicCommitment(context.Background(), c.ID)
			if err != nil || len(public) != 2 || public[0].Suppressed != tt.withheld || public[1].Value != 12 {
				t.Errorf("%s: public %+v, %v", tt.kind, public, err)
			}
			internal, err := s.IndicatorPoints(as(f.rapportor), c.ID)
			if err != nil || internal[0].Suppressed || internal[0].Value != 3 {
				t.Errorf("%s: the partners' own series %+v, %v", tt.kind, internal, err)
			}
		}
	})
}
