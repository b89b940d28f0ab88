package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
	"github.com/trygg-est/trygg/samverkan"
)

// setField sets a form control's value as a person's typing or choosing
// would end up (date inputs and selects included), without depending on the
// browser's date format.
func setField(css, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(e => { e.value = %s; e.dispatchEvent(new Event("change", {bubbles: true})) })(document.querySelector(%s))`,
		strconv.Quote(value), strconv.Quote(css)))
}

// TestSamverkanFlow is the loop of samverkan from start to end:
//  1. The samordnare creates a signed trygghetsavtal for Ålidhem with three
//     parties and two commitments, one measured by a series of values and
//     one by the reports.
//  2. The samordnare holds a meeting from the generated agenda: records
//     attendance and minutes, records two decisions that each create an
//     action (one for the police, due in three days), and closes the
//     meeting, which locks the minutes: the forms are gone, and a change
//     sent from a page loaded before the closing is refused.
//  3. The kommunpolis, on a 360 px phone, finds the police's decided action
//     in "Min organisations åtgärder" (highlighted as due soon) and in "Att
//     göra", marks it done, and reports how the commitment goes.
//  4. The samordnare publishes that update.
//  5. The public page shows the agreement and the update.
//
// axe-core checks every page on the way, and no page the phone shows may
// scroll sideways.
func TestSamverkanFlow(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverOptions{Demo: true})
	logins := demoLogins(t, srv)
	browser := newBrowser(t)
	tab := newTab(t, browser, desktop)
	signIn(t, tab, srv.URL, roleAccount(t, logins, trygg.RoleSamordnare))

	// An empty form is refused with errors that name the fields.
	if st := navigate(t, tab, srv.URL+"/samverkan/ny"); st != 200 {
		t.Fatalf("GET /samverkan/ny: status %d", st)
	}
	checkAxe(t, tab, "Ny överenskommelse")
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`main form button[type=submit]`))); st != 422 {
		t.Fatalf("an empty agreement answered %d, want 422", st)
	}
	if s := textOf(t, tab, "#felsammanfattning"); !strings.Contains(s, "Ange en rubrik.") || !strings.Contains(s, "Ange minst en part.") {
		t.Errorf("error summary:\n%s", s)
	}
	checkAxe(t, tab, "Ny överenskommelse med fel")

	title := "Trygghetsavtal Ålidhem centrum (test)"
	do(t, tab,
		setField("#type", "trygghetsavtal"),
		setField("#title", title),
		setField("#from", "2026-01-01"),
		setField("#to", "2027-12-31"),
		setField("#status", string(samverkan.AgreementSigned)),
		setField("#signed_on", "2026-01-15"),
		chromedp.Click(chromedp.ID("areas-"+demoArea)),
		setField("#party_org_1", "polisen-umea"),
		setField("#party_signatory_1", "Lokalpolisområdeschef"),
		setField("#party_org_2", "alidhemsskolan"),
		setField("#party_signatory_2", "Rektor"),
		setField("#party_org_3", "bostaden"),
		setField("#party_signatory_3", "Förvaltningschef"),
	)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`main form button[type=submit]`))); st != 200 {
		t.Fatalf("creating the agreement: status %d:\n%s", st, bodyText(t, tab))
	}
	if body := bodyText(t, tab); !strings.Contains(body, title) || !strings.Contains(body, "Rektor") || !strings.Contains(body, "Förvaltningschef") {
		t.Fatalf("the agreement's page:\n%s", body)
	}
	checkAxe(t, tab, "överenskommelsens sida")
	agreementPath := pagePath(t, tab)

	// The second commitment is measured by a series of values.
	submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`a[href$="/atagande/ny"]`)))
	do(t, tab,
		setField("#text", "Bostaden och skolan ordnar nattvandringar vid centrum."),
		setField("#owner", "bostaden"),
		setField("#target_text", "Minst 8 nattvandringar per månad"),
		setField("#target_kind", "minst"),
		setField("#target_value", "8"),
		setField("#indicator_source", "serie"),
		setField("#indicator_name", "Nattvandringar per månad"),
	)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`main form button[type=submit]`))); st != 200 {
		t.Fatalf("creating the second commitment: status %d:\n%s", st, bodyText(t, tab))
	}
	// Its values are entered by hand or read from a CSV file.
	do(t, tab, setField("#point_day", "2026-01-31"), setField("#point_value", "9"))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/matvarden"] button[type=submit]`))); st != 200 {
		t.Fatalf("entering a value: status %d:\n%s", st, bodyText(t, tab))
	}
	if body := bodyText(t, tab); !strings.Contains(body, "Mätvärdet är sparat.") {
		t.Errorf("the series commitment after a value:\n%s", body)
	}
	checkAxe(t, tab, "åtagande med en serie")
	navigate(t, tab, srv.URL+agreementPath)

	submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`a[href$="/atagande/ny"]`)))
	checkAxe(t, tab, "Nytt åtagande")
	do(t, tab,
		setField("#text", "Minska skadegörelsen kring Ålidhem centrum."),
		setField("#owner", "polisen-umea"),
		setField("#target_text", "20 % färre rapporter om klotter jämfört med 2025"),
		setField("#target_kind", "minska"),
		setField("#target_value", "20"),
		setField("#baseline_from", "2025-01-01"),
		setField("#baseline_to", "2025-12-31"),
		setField("#indicator_source", "rapporter"),
		setField("#indicator_name", "Rapporter om klotter i Ålidhem"),
		chromedp.Click(chromedp.ID("indicator_categories-"+demoCategory)),
	)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`main form button[type=submit]`))); st != 200 {
		t.Fatalf("creating the commitment: status %d:\n%s", st, bodyText(t, tab))
	}
	if light := textOf(t, tab, ".light"); light == "" {
		t.Error("the commitment shows no traffic light")
	}
	checkAxe(t, tab, "åtagandets sida")
	commitmentPath := pagePath(t, tab)

	// The meeting, from the agenda the lägesbild and the open actions
	// give it.
	navigate(t, tab, srv.URL+"/moten")
	checkAxe(t, tab, "Samordningsmöten")
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action="/moten"] button[type=submit]`))); st != 200 {
		t.Fatalf("opening a meeting: status %d:\n%s", st, bodyText(t, tab))
	}
	meetingPath := pagePath(t, tab)
	if body := textOf(t, tab, "main"); !strings.Contains(body, "Dagordning") || !strings.Contains(body, "Lägesbilden") {
		t.Errorf("the meeting has no agenda:\n%s", body)
	}
	// The demo's open actions include some due this week.
	if n := count(t, tab, `main tr.due-soon, main tr.overdue`); n == 0 {
		t.Errorf("the meeting's agenda lists no action that is overdue or due within 7 days:\n%s", textOf(t, tab, "main"))
	}
	checkAxe(t, tab, "Samordningsmöte")

	// Attendance and minutes.
	minutes := "Lägesbilden för Ålidhem gicks igenom; klottret vid centrum ökar. (test)"
	do(t, tab,
		chromedp.Click(chromedp.ID("attendees-polisen-umea")),
		chromedp.Click(chromedp.ID("attendees-alidhemsskolan")),
		chromedp.Click(chromedp.ID("attendees-bostaden")),
		setField("#minutes", minutes),
	)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action="`+meetingPath+`"] button[type=submit]`))); st != 200 {
		t.Fatalf("recording attendance and minutes: status %d:\n%s", st, bodyText(t, tab))
	}
	if got := valueOf(t, tab, "#minutes"); got != minutes {
		t.Errorf("the minutes after saving: %q, want %q", got, minutes)
	}
	for _, org := range []string{"polisen-umea", "alidhemsskolan", "bostaden"} {
		if n := count(t, tab, "#attendees-"+org+":checked"); n != 1 {
			t.Errorf("attendance after saving: %s is not marked present", org)
		}
	}

	// Two decisions, each creating an action: one for the police, due in
	// three days, and one for the property owner.
	decisions := []struct {
		text, action, owner string
		days                trygg.Day // from today to the action's deadline
	}{
		{"Polisen förstärker kvällspatrullen vid centrum.", "Förstärkt kvällspatrull vid Ålidhem centrum (beslut)", "polisen-umea", 3},
		{"Bostaden byter belysningen vid gångtunneln.", "Bättre belysning vid gångtunneln (beslut)", "bostaden", 30},
	}
	decided := decisions[0].action
	for _, d := range decisions {
		do(t, tab,
			setField("#decision_text", d.text),
			setField("#title", d.action),
			setField("#owner", d.owner),
			chromedp.Click(chromedp.ID("areas-"+demoArea)),
			setField("#deadline", (trygg.DayOf(time.Now())+d.days).String()),
		)
		if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/beslut"] button[type=submit]`))); st != 200 {
			t.Fatalf("recording decision %q: status %d:\n%s", d.text, st, bodyText(t, tab))
		}
	}
	actionPaths := map[string]string{}
	for _, d := range decisions {
		href := linkHref(t, tab, "ol.decisions", d.action)
		if !strings.HasPrefix(href, "/atgarder/") {
			t.Fatalf("the decision %q does not link to its action %q:\n%s", d.text, d.action, textOf(t, tab, "ol.decisions"))
		}
		actionPaths[d.action] = href
	}
	checkAxe(t, tab, "Samordningsmöte med beslut")

	// A second tab loads the meeting before it is closed, as a colleague
	// with the meeting open would have it.
	stale := signedInTab(t, browser, desktop, srv.URL, roleAccount(t, logins, trygg.RoleSamordnare))
	navigate(t, stale, srv.URL+meetingPath)

	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action="`+meetingPath+`/stang"] button[type=submit]`))); st != 200 {
		t.Fatalf("closing the meeting: status %d:\n%s", st, bodyText(t, tab))
	}
	if body := textOf(t, tab, "main"); !strings.Contains(body, "protokollet är låst") || !strings.Contains(body, minutes) ||
		!strings.Contains(body, "Polisen") {
		t.Errorf("the closed meeting does not show its locked minutes and attendance:\n%s", body)
	}
	for _, form := range []string{meetingPath, meetingPath + "/beslut", meetingPath + "/stang"} {
		if n := count(t, tab, `form[action="`+form+`"]`); n != 0 {
			t.Errorf("the closed meeting still offers the form %s", form)
		}
	}
	checkAxe(t, tab, "stängt samordningsmöte")
	do(t, stale, setField("#minutes", "Ändrat efter att mötet stängdes."))
	if st := submitAndWait(t, stale, chromedp.Click(chromedp.CSS(`form[action="`+meetingPath+`"] button[type=submit]`))); st != 409 {
		t.Errorf("changing the minutes of a closed meeting answered %d, want 409", st)
	}
	if body := bodyText(t, stale); !strings.Contains(body, "Mötet är stängt och protokollet är låst.") {
		t.Errorf("the refused change does not say why:\n%s", body)
	}
	checkAxe(t, stale, "ändring av stängt möte")
	navigate(t, tab, srv.URL+meetingPath)
	if body := textOf(t, tab, "main"); !strings.Contains(body, minutes) || strings.Contains(body, "Ändrat efter") {
		t.Errorf("the closed meeting's minutes changed:\n%s", body)
	}

	signOut(t, tab)

	// The police officer, on a phone, finds the action the meeting decided.
	phoneTab := newTab(t, browser, phone)
	signIn(t, phoneTab, srv.URL, roleAccount(t, logins, trygg.RolePolis))
	checkLoaded(t, phoneTab, phone, "startsidan för polisen")
	if st := navigate(t, phoneTab, srv.URL+"/atgarder/mina"); st != 200 {
		t.Fatalf("GET /atgarder/mina: status %d", st)
	}
	if row := textOfRow(t, phoneTab, decided); !strings.Contains(row, "Inom 7 dagar") {
		t.Errorf("the decided action due in three days is not highlighted in Min organisations åtgärder: %q", row)
	}
	if row := textOfRow(t, phoneTab, decisions[1].action); row != "" {
		t.Errorf("the property owner's action is listed among the police's: %q", row)
	}
	checkLoaded(t, phoneTab, phone, "Min organisations åtgärder")
	// "Att göra" lists the action due soon, under the meeting's new
	// decisions.
	if st := navigate(t, phoneTab, srv.URL+"/att-gora"); st != 200 {
		t.Fatalf("GET /att-gora: status %d", st)
	}
	if body := textOf(t, phoneTab, "main"); !strings.Contains(body, decided) || !strings.Contains(body, "Nya beslut") {
		t.Errorf("Att göra lacks the new decision's action:\n%s", body)
	}
	checkLoaded(t, phoneTab, phone, "Att göra")
	actionPath := actionPaths[decided]
	submitAndWait(t, phoneTab, chromedp.Click(chromedp.CSS(`main a[href="`+actionPath+`"]`)))
	if href := attrOf(t, phoneTab, `a[href^="/moten/"]`, "href"); href != meetingPath {
		t.Errorf("the action's page links to the meeting %q, want %q", href, meetingPath)
	}
	checkLoaded(t, phoneTab, phone, "åtgärden från beslutet")
	do(t, phoneTab,
		setField("#status", string(samverkan.ActionDone)),
		setField("#outcome", "Patrullerna genomförda tre kvällar."),
	)
	if st := submitAndWait(t, phoneTab, chromedp.Click(chromedp.CSS(`form[action="`+actionPath+`/status"] button[type=submit]`))); st != 200 {
		t.Fatalf("marking the action done: status %d:\n%s", st, bodyText(t, phoneTab))
	}
	if body := bodyText(t, phoneTab); !strings.Contains(body, "Patrullerna genomförda") || !strings.Contains(body, "Klar") {
		t.Errorf("the action after the update:\n%s", body)
	}
	checkLoaded(t, phoneTab, phone, "åtgärden klar")
	if st := navigate(t, phoneTab, srv.URL+meetingPath); st != 200 {
		t.Fatalf("GET %s as the police: status %d", meetingPath, st)
	}
	if body := textOf(t, phoneTab, "ol.decisions"); !strings.Contains(body, decided) || !strings.Contains(body, "Klar") {
		t.Errorf("the meeting's decisions do not show the action done:\n%s", body)
	}
	checkLoaded(t, phoneTab, phone, "mötet på telefon")
	if st := navigate(t, phoneTab, srv.URL+"/atgarder/kalender"); st != 200 {
		t.Fatalf("GET /atgarder/kalender: status %d", st)
	}
	checkLoaded(t, phoneTab, phone, "Kalender för åtgärder")

	// The police, who own the commitment, report how it goes. The text is
	// internal until the samordnare publishes it.
	update := "Kvällspatrullen vid centrum är förstärkt sedan veckans möte."
	if st := navigate(t, phoneTab, srv.URL+commitmentPath); st != 200 {
		t.Fatalf("GET %s as the owning partner: status %d", commitmentPath, st)
	}
	do(t, phoneTab, setField("#comment", update))
	if st := submitAndWait(t, phoneTab, chromedp.Click(chromedp.CSS(`form[action$="/uppdatering"] button[type=submit]`))); st != 200 {
		t.Fatalf("saving the partner's update: status %d:\n%s", st, bodyText(t, phoneTab))
	}
	if body := textOf(t, phoneTab, "ol.history"); !strings.Contains(body, update) || !strings.Contains(body, "Polisen") {
		t.Errorf("the partner's update is not listed with its organisation:\n%s", body)
	}
	if n := count(t, phoneTab, `form[action$="/publicera"]`); n != 0 {
		t.Errorf("a partner is offered %d publish buttons; only the samordnare publishes", n)
	}
	checkLoaded(t, phoneTab, phone, "åtagandet med partnerns uppdatering")
	signOut(t, phoneTab)

	// Not public until the samordnare publishes it.
	navigate(t, phoneTab, srv.URL+"/medborgarloften")
	if body := bodyText(t, phoneTab); strings.Contains(body, update) {
		t.Error("the public page shows an update that was not published")
	}
	signIn(t, tab, srv.URL, roleAccount(t, logins, trygg.RoleSamordnare))
	navigate(t, tab, srv.URL+commitmentPath)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/publicera"] button[type=submit]`))); st != 200 {
		t.Fatalf("publishing the update: status %d:\n%s", st, bodyText(t, tab))
	}
	if body := textOf(t, tab, "ol.history"); !strings.Contains(body, "Publicerad för allmänheten") {
		t.Errorf("the update is not marked published:\n%s", body)
	}
	checkAxe(t, tab, "åtagandet med en publicerad uppdatering")

	// The public page needs no sign-in.
	if st := navigate(t, phoneTab, srv.URL+"/medborgarloften"); st != 200 {
		t.Fatalf("GET /medborgarloften: status %d", st)
	}
	if body := bodyText(t, phoneTab); !strings.Contains(body, title) || !strings.Contains(body, update) {
		t.Errorf("the public page lacks the signed agreement or its published update:\n%s", body)
	}
	checkLoaded(t, phoneTab, phone, "Medborgarlöften")
}

// textOfRow returns the text of the table row that holds text.
func textOfRow(t *testing.T, tab context.Context, text string) string {
	t.Helper()
	return run(t, tab, chromedp.Evaluate[string](fmt.Sprintf(
		`(() => { for (const tr of document.querySelectorAll("tbody tr")) { if (tr.innerText.includes(%s)) return tr.innerText } return "" })()`,
		strconv.Quote(text))))
}

// linkHref returns the href of the first link under scopeCSS whose text is
// text, or "" if there is none.
func linkHref(t *testing.T, tab context.Context, scopeCSS, text string) string {
	t.Helper()
	return run(t, tab, chromedp.Evaluate[string](fmt.Sprintf(
		`(() => { for (const a of document.querySelectorAll(%s)) { if (a.innerText.trim() === %s) return a.getAttribute("href") } return "" })()`,
		strconv.Quote(scopeCSS+" a[href]"), strconv.Quote(text))))
}

// linkContaining returns the address of the first link in scopeCSS whose
// text contains text, or "".
func linkContaining(t *testing.T, tab context.Context, scopeCSS, text string) string {
	t.Helper()
	return run(t, tab, chromedp.Evaluate[string](fmt.Sprintf(
		`(() => { for (const a of document.querySelectorAll(%s)) { if (a.innerText.includes(%s)) return a.getAttribute("href") } return "" })()`,
		strconv.Quote(scopeCSS+" a[href]"), strconv.Quote(text))))
}

// TestManualLightEffectAndAdWeeks follows the demo's medborgarlöfte,
// whose commitment on the sex trade is measured live by the advertising
// count:
//  1. The kommunpolis, on a phone, sets the commitment's light by hand with
//     a reason; the public page keeps the computed light.
//  2. The samordnare publishes the light and its reason; the public page
//     shows them.
//  3. The samordnare reads the commitment's effect evaluation (ads, in
//     whole weeks) and that of the trygghetsavtal's survey (measurements,
//     by their means).
//  4. The kommunpolis registers this week's ads, which a wrongly entered
//     week needs, and removes the week again.
func TestManualLightEffectAndAdWeeks(t *testing.T) {
	t.Parallel()
	srv, logins, browser := startDemo(t)
	police := signedInTab(t, browser, phone, srv.URL, roleAccount(t, logins, trygg.RolePolis))
	sam := signedInTab(t, browser, desktop, srv.URL, roleAccount(t, logins, trygg.RoleSamordnare))
	public := newTab(t, browser, phone)

	navigate(t, sam, srv.URL+"/samverkan")
	navigate(t, sam, srv.URL+linkContaining(t, sam, "main", "Medborgarlöfte Umeå"))
	commitment := linkContaining(t, sam, "main", "sexköp, koppleri och människohandel")
	if !strings.HasPrefix(commitment, "/atagande/") {
		t.Fatalf("no link to the commitment on the medborgarlöfte:\n%s", bodyText(t, sam))
	}

	reason := "Annonseringen låg kvar på samma nivå i oktober."
	navigate(t, police, srv.URL+commitment)
	do(t, police, setField("#light", "gul"), setField("#reason", reason))
	if st := submitAndWait(t, police, chromedp.Click(chromedp.CSS(`form[action$="/trafikljus"] button[type=submit]`))); st != 200 {
		t.Fatalf("setting the light: status %d", st)
	}
	if body := bodyText(t, police); !strings.Contains(body, reason) || !strings.Contains(body, "Allmänheten ser den beräknade färgen") {
		t.Fatalf("the commitment after the light was set:\n%s", body)
	}
	checkLoaded(t, police, phone, "åtagande med färg satt för hand")
	navigate(t, public, srv.URL+"/medborgarloften")
	if strings.Contains(bodyText(t, public), reason) {
		t.Fatal("a partner's light is public before the samordnare approved it")
	}

	navigate(t, sam, srv.URL+commitment)
	if st := submitAndWait(t, sam, chromedp.Click(chromedp.CSS(`form[action$="/trafikljus/publicera"] button[type=submit]`))); st != 200 {
		t.Fatalf("publishing the light: status %d", st)
	}
	if body := bodyText(t, sam); !strings.Contains(body, "Den och skälet visas för allmänheten.") {
		t.Fatalf("the commitment after publishing:\n%s", body)
	}
	checkAxe(t, sam, "åtagande med publicerad färg")
	navigate(t, public, srv.URL+"/medborgarloften")
	if body := bodyText(t, public); !strings.Contains(body, reason) {
		t.Fatalf("the published light is not public:\n%s", body)
	}

	if st := submitAndWait(t, sam, chromedp.Click(chromedp.CSS(`a[href$="/effekt"]`))); st != 200 {
		t.Fatalf("the ads' effect: status %d", st)
	}
	if body := bodyText(t, sam); !strings.Contains(body, "Annonser om sex mot ersättning") || !strings.Contains(body, "Kvot (95 % konfidensintervall)") {
		t.Fatalf("the ads' effect evaluation:\n%s", body)
	}
	checkAxe(t, sam, "effekt av annonsindikatorn")
	navigate(t, sam, srv.URL+"/samverkan")
	navigate(t, sam, srv.URL+linkContaining(t, sam, "main", "Trygghetsavtal Ålidhem centrum"))
	navigate(t, sam, srv.URL+linkContaining(t, sam, "main", "Fler känner sig trygga")+"/effekt")
	if body := bodyText(t, sam); !strings.Contains(body, "Skillnad i medelvärde") || !strings.Contains(body, "Welchs t-test") {
		t.Fatalf("the survey's effect evaluation:\n%s", body)
	}
	checkAxe(t, sam, "effekt av mätvärden")

	navigate(t, police, srv.URL+"/operativ/annonser")
	week, err := operativ.ParseWeek(valueOf(t, police, "#week"))
	if err != nil {
		t.Fatal(err)
	}
	do(t, police, setField("#ads", "17"))
	if st := submitAndWait(t, police, chromedp.Click(chromedp.CSS(`form[action="/operativ/annonser"] button[type=submit]`))); st != 200 {
		t.Fatalf("saving this week: status %d", st)
	}
	remove := `form[action="/operativ/annonser/` + week.String() + `/ta-bort"]`
	if count(t, police, remove) != 1 {
		t.Fatalf("no way to remove week %s:\n%s", week, bodyText(t, police))
	}
	checkLoaded(t, police, phone, "annonsveckor")
	if st := submitAndWait(t, police, chromedp.Click(chromedp.CSS(remove+" button"))); st != 200 {
		t.Fatalf("removing the week: status %d", st)
	}
	if body := bodyText(t, police); !strings.Contains(body, "Veckan är borttagen.") || count(t, police, remove) != 0 {
		t.Fatalf("after removing the week:\n%s", body)
	}
}
