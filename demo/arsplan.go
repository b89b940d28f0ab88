package demo

import (
	"context"
	"fmt"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/arsplan"
	"github.com/trygg-est/trygg/indikator"
)

// The demo's yearly lägesbild and åtgärdsplan (lag 2023:196): last year's
// document drafted from the data, with the samordnare's texts, decided and
// published; this year's as a draft that follows last year's plan up.

// demoLastYear are the texts of last year's document.
var demoLastYear = indikator.YearlyTexts{
	Summary: "Anmälningarna och rapporterna om skadegörelse och klotter ligger kvar på ungefär samma nivå som året före, " +
		"medan rapporterna om ungdomar som samlas och social oro har ökat under hösten. Ålidhem, Ersboda, Holmsund och " +
		"centrum står för en större del av rapporterna än invånarantalet motsvarar; villaområdena ligger lågt. " +
		"Jämfört med de andra Norrlandsstäderna ligger kommunen nära mitten för de flesta indikatorer.",
	Causes: "Partnerna bedömer att en stor del av händelserna hänger ihop med platser där ungdomar samlas kvällstid utan " +
		"vuxna i närheten: centrumanläggningarna, skolgårdarna och gångtunnlarna. Mörka platser och trasig belysning gör " +
		"att fler känner sig otrygga och att skadegörelsen inte upptäcks. I Ersboda har misstänkt narkotikaförsäljning " +
		"under en period dragit till sig ungdomar från andra delar av staden. Fältgruppen och skolorna ser också att " +
		"fler unga saknar sysselsättning på loven.",
	Priority: "Åtgärdsplanen prioriterar tre saker: vuxennärvaro fredag och lördag kväll i Ålidhem och Ersboda " +
		"(fältgruppen, nattvandrarna och polisen), belysning och röjning på de platser som rapporteras som otrygga " +
		"(gator och parker och AB Bostaden), och en sommar med fler aktiviteter för unga (fritidsförvaltningen). " +
		"Medborgarlöftet följs upp varje tertial i samverkansgruppen.",
	FollowUp: "Året är det första med en åtgärdsplan enligt lagen, så det finns ingen tidigare plan att följa upp. " +
		"Åtgärderna ovan följs upp i nästa års dokument med deras status och uppmätta effekt.",
}

// demoThisYear is the summary the samordnare has begun in this year's
// draft.
const demoThisYear = "Utkast. Den sociala oron i Ålidhem under de senaste veckorna tas upp i samverkansgruppen; " +
	"orsakerna och åtgärderna skrivs in efter nästa tertialuppföljning."

// loadYearly drafts, as the samordnare and through the same functions as
// the pages, last year's document, writes its texts, decides and
// publishes it, and drafts this year's. Nothing is made before 2024,
// since the law's first document year is 2023.
func loadYearly(ctx context.Context, s app.Services, ds *Dataset) error {
	u, err := demoUserNamed(ctx, s, "samordnare")
	if err != nil {
		return err
	}
	sam := trygg.NewContextWithUser(ctx, u)
	today := trygg.DayOf(ds.End)
	last := today.Year() - 1
	if !indikator.ValidYear(last) {
		return nil
	}
	y, err := arsplan.SaveDraft(sam, s.Arsplan(), last, today)
	if err != nil {
		return fmt.Errorf("demo yearly document %d: %w", last, err)
	}
	content := y.Content
	demoLastYear.Apply(&content)
	if _, err := s.Yearly.SaveYearlyDraft(sam, last, content); err != nil {
		return fmt.Errorf("demo yearly document %d: %w", last, err)
	}
	if _, err := s.Yearly.DecideYearly(sam, last, y.Version); err != nil {
		return fmt.Errorf("demo yearly document %d: %w", last, err)
	}
	if _, err := s.Yearly.PublishYearly(sam, last, y.Version); err != nil {
		return fmt.Errorf("demo yearly document %d: %w", last, err)
	}
	y, err = arsplan.SaveDraft(sam, s.Arsplan(), last+1, today)
	if err != nil {
		return fmt.Errorf("demo yearly document %d: %w", last+1, err)
	}
	content = y.Content
	content.Summary = demoThisYear
	if _, err := s.Yearly.SaveYearlyDraft(sam, last+1, content); err != nil {
		return fmt.Errorf("demo yearly document %d: %w", last+1, err)
	}
	return nil
}
