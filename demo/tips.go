package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/tips"
)

// demoTipCategories are the categories residents may choose in the demo.
var demoTipCategories = []string{"klotter", "skadegorelse", "ungdomar_stok", "mopedbuskorning", "otrygg_belysning",
	"otrygg_skymd_sikt", "nedskrapning", "sprutfynd", "narkotika_forsaljning"}

// demoTip is a resident's tip in the demo, and what the samordnare did.
type demoTip struct {
	category, area, address, text string
	hoursAgo                      int
	decision                      tips.Decision // "" leaves it in the queue
	reply                         string
}

var demoTips = []demoTip{
	{"otrygg_belysning", "alidhem", "Gångtunneln vid Ålidhems centrum", "Belysningen i gångtunneln har varit trasig i över en vecka. Det är helt mörkt på kvällarna och många går hellre över vägen.",
		50, tips.DecisionAccepted, "Tack! Tekniska förvaltningen har fått en felanmälan och byter armaturerna den här veckan."},
	{"mopedbuskorning", "alidhem", "Cykelvägen bakom skolan", "Mopeder kör i hög fart på cykelvägen bakom skolan varje kväll runt nio.",
		30, "", ""},
	{"klotter", "haga", "", "Nytt klotter på elskåpen längs Skolgatan.", 20, tips.DecisionRejected, "Tack för tipset. Elskåpen ägs av elbolaget, som vi har kontaktat."},
	{"nedskrapning", "ersboda", "Lekplatsen vid Gräddvägen", "Mycket glas och skräp på lekplatsen efter helgen.", 8, "", ""},
}

// loadTips makes categories public for tips and files the demo's tips,
// deciding some as the samordnare, so that the queue, the status pages
// and Open311's request list have something to show.
func loadTips(ctx context.Context, s app.Services, ds *Dataset, ids map[string]int64) error {
	i := slices.IndexFunc(ds.Users, func(u trygg.NewUser) bool { return slices.Contains(u.Roles, trygg.RoleSamordnare) })
	if i < 0 {
		return fmt.Errorf("demo tips: no samordnare")
	}
	u, err := s.Users.FindUserByID(ctx, ids[ds.Users[i].Email])
	if err != nil {
		return fmt.Errorf("demo tips: %w", err)
	}
	sam := trygg.NewContextWithUser(ctx, u)
	if err := s.Tips.SetPublicCategories(sam, demoTipCategories); err != nil {
		return fmt.Errorf("demo tip categories: %w", err)
	}
	areas := map[string]bool{}
	for _, a := range ds.Areas {
		areas[a.Code] = true
	}
	for _, d := range demoTips {
		if !areas[d.area] {
			continue
		}
		tip, err := s.Tips.SubmitTip(ctx, tips.Input{Category: d.category, AreaCode: d.area, Address: d.address, Text: d.text,
			OccurredAt: ds.End.Add(-time.Duration(d.hoursAgo) * time.Hour), Source: tips.SourceWeb})
		if err != nil {
			return fmt.Errorf("demo tip: %w", err)
		}
		switch d.decision {
		case tips.DecisionAccepted:
			_, err = s.Tips.AcceptTip(sam, tip.ID, tips.Accept{Category: d.category, PlaceType: "gata", Severity: 1, Description: d.text, PublicReply: d.reply})
		case tips.DecisionRejected:
			err = s.Tips.RejectTip(sam, tip.ID, "Gäller inte kommunens eller partnernas ansvar.", d.reply)
		}
		if err != nil {
			return fmt.Errorf("demo tip decision: %w", err)
		}
	}
	return nil
}
