package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/sspf"
)

// Early intervention (SSPF): one team for Ålidhem and one for Centrum, and
// thirty fictional young people's cases in every state: referred, consent
// being obtained (one guardian has signed), active (some with shares, one
// whose young person has turned 15 without signing, one withdrawn) and
// closed with an outcome. A team meeting for each team with an action.
// The services stamp states with the day of loading, so the referral days
// spread over a year and a half, and the activation days are the day of
// loading.

// sspfDemoCases is the number of demo cases.
const sspfDemoCases = 30

func loadSSPF(ctx context.Context, s app.Services, ds *Dataset) error {
	coordinator, err := demoUserNamed(ctx, s, "sspf")
	if err != nil {
		return err
	}
	cctx := trygg.NewContextWithUser(ctx, coordinator)
	today := trygg.DayOf(ds.End)
	r := rand.New(rand.NewPCG(uint64(ds.End.Unix()), pcgStream+14))
	var teams []*sspf.Team
	for _, t := range []struct {
		name, area string
		members    []string
	}{
		{"SSPF Ålidhem", "alidhem", []string{"sspf.skola", "sspf.polis", "sspf.fritid"}},
		{"SSPF Centrum", "centrum", []string{"sspf.polis", "sspf.fritid"}},
	} {
		team, err := s.SSPF.CreateTeam(cctx, t.name, t.area)
		if err != nil {
			return fmt.Errorf("demo sspf team: %w", err)
		}
		for _, m := range t.members {
			if err := s.SSPF.SetMember(cctx, team.ID, m+emailDomain, true); err != nil {
				return fmt.Errorf("demo sspf member %s: %w", m, err)
			}
		}
		teams = append(teams, team)
	}
	school, err := demoUserNamed(ctx, s, "sspf.skola")
	if err != nil {
		return err
	}
	leisure, err := demoUserNamed(ctx, s, "sspf.fritid")
	if err != nil {
		return err
	}
	fullScope := []string{"skola:handlingsplan", "socialtjanst:narvaro", "polis:narvaro", "fritid:narvaro",
		"skola:fritidsdeltagande", "socialtjanst:fritidsdeltagande", "socialtjanst:poliskontakter", "skola:socialtjanstkontakter"}
	states := []string{sspf.StateReferred, sspf.StateConsent, sspf.StateActive, sspf.StateActive, sspf.StateActive, sspf.StateClosed}
	var active [2][]string
	for i := range sspfDemoCases {
		team := teams[0]
		if i%5 >= 3 {
			team = teams[1]
		}
		state := states[i%len(states)]
		age := 12 + r.IntN(5) // 12 to 16 years old
		if i == 4 {
			age = 15 // turned 15 this year: needs to sign
		}
		birth := today.AddYears(-age) - trygg.Day(30+r.IntN(300))
		guardians := 1 + r.IntN(4)/3 // most have two guardians
		guardians = 3 - guardians
		referred := today - trygg.Day(3+r.IntN(540))
		in := sspf.Input{YouthID: sspf.ExampleNumber(birth, r.IntN(1000)), Guardians: guardians,
			YouthName: demoFirstNames[r.IntN(len(demoFirstNames))] + " " + demoLastNames[r.IntN(len(demoLastNames))],
			Reason:    sspf.Reasons[r.IntN(len(sspf.Reasons))].Code, ReferringPart: sspf.Parts[r.IntN(len(sspf.Parts))].Code,
			TeamID: team.ID, ReferredOn: referred}
		c, err := s.SSPF.CreateCase(cctx, in)
		if err != nil {
			return fmt.Errorf("demo sspf case %d: %w", i, err)
		}
		if state == sspf.StateReferred {
			continue
		}
		given := max(referred, today-300) + trygg.Day(r.IntN(20))
		given = min(given, today)
		signed := []string{sspf.SignerGuardian1, sspf.SignerGuardian2}[:guardians]
		if state == sspf.StateConsent {
			signed = signed[:1]
		}
		if sspf.OwnConsentNeeded(birth, given) {
			signed = append(signed, sspf.SignerYouth)
		}
		c, err = s.SSPF.AddConsent(cctx, c.Ref, sspf.ConsentInput{Signed: signed, Purpose: "samordnad_insats", GivenOn: given,
			Scope: fullScope}, "samtycke.pdf", demoConsentPDF)
		if err != nil {
			return fmt.Errorf("demo sspf consent %d: %w", i, err)
		}
		for _, st := range []string{sspf.StateConsent, sspf.StateActive} {
			if state == sspf.StateConsent && st == sspf.StateActive {
				break
			}
			if c, err = s.SSPF.SetState(cctx, c.Ref, sspf.StateInput{State: st}); err != nil {
				return fmt.Errorf("demo sspf state %d: %w", i, err)
			}
		}
		if state != sspf.StateActive && state != sspf.StateClosed {
			continue
		}
		if team == teams[0] {
			_, err := s.SSPF.ShareInfo(trygg.NewContextWithUser(ctx, school), c.Ref,
				sspf.ShareInput{Info: sspf.InfoAttendance, Text: fmt.Sprintf("Frånvaro %d %% de senaste fyra veckorna, mest ogiltig.", 10+r.IntN(50))})
			if err != nil && trygg.ErrorCode(err) != sspf.ESCOPE {
				return fmt.Errorf("demo sspf share %d: %w", i, err)
			}
		}
		if _, err := s.SSPF.ShareInfo(trygg.NewContextWithUser(ctx, leisure), c.Ref,
			sspf.ShareInput{Info: sspf.InfoLeisure, Text: "Deltar i fritidsgårdens kvällsverksamhet en till två gånger i veckan."}); err != nil &&
			trygg.ErrorCode(err) != sspf.ESCOPE {
			return fmt.Errorf("demo sspf share %d: %w", i, err)
		}
		if state == sspf.StateClosed {
			outcome := sspf.Outcomes[r.IntN(len(sspf.Outcomes))].Code
			if outcome == "samtycke_aterkallat" {
				if _, err := s.SSPF.WithdrawConsent(cctx, c.Ref, c.Consents[0].ID); err != nil {
					return fmt.Errorf("demo sspf withdrawal %d: %w", i, err)
				}
			}
			if _, err := s.SSPF.SetState(cctx, c.Ref, sspf.StateInput{State: sspf.StateClosed, Outcome: outcome}); err != nil {
				return fmt.Errorf("demo sspf closing %d: %w", i, err)
			}
			continue
		}
		if i == 16 {
			// The guardians withdrew their consent: the shares are hidden
			// from everyone but social services.
			if _, err := s.SSPF.WithdrawConsent(cctx, c.Ref, c.Consents[0].ID); err != nil {
				return fmt.Errorf("demo sspf withdrawal %d: %w", i, err)
			}
		}
		ti := 0
		if team == teams[1] {
			ti = 1
		}
		active[ti] = append(active[ti], c.Ref)
	}
	titles := []string{"Erbjud plats i fotbollslagets träningsgrupp", "Möte med vårdnadshavarna om skolgången",
		"Kontakt med fältgruppen för stöd på kvällstid", "Uppföljning av närvaroplanen"}
	for ti, team := range teams {
		m, err := s.SSPF.CreateMeeting(cctx, team.ID, today-trygg.Day(2+ti))
		if err != nil {
			return fmt.Errorf("demo sspf meeting: %w", err)
		}
		for j, ref := range active[ti] {
			if j >= 3 {
				break
			}
			_, err := s.SSPF.AddAction(cctx, m.ID, sspf.ActionInput{CaseRef: ref, Title: titles[(j+ti)%len(titles)],
				OwnerPart: sspf.Parts[(j+ti)%len(sspf.Parts)].Code, Deadline: today + trygg.Day(7+7*j)})
			if err != nil {
				return fmt.Errorf("demo sspf action: %w", err)
			}
		}
	}
	return nil
}

// demoConsentPDF is the demo's signed consent: a placeholder PDF.
var demoConsentPDF = []byte("%PDF-1.4\n% Fiktivt samtycke för demodata\n%%EOF\n")
