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
)

// setField sets a form control's value as a person's typing or choosing
// would end up (date inputs and selects included), without depending on the
// browser's date format.
func setField(css, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(e => { e.value = %s; e.dispatchEvent(new Event("change", {bubbles: true})) })(document.querySelector(%s))`,
		strconv.Quote(value), strconv.Quote(css)))
}

// TestSamverkanFlow: the samordnare creates a signed trygghetsavtal for
// Ålidhem with two parties and a commitment, and an action for the police
// that is due in three days; opens the weekly meeting, whose agenda lists
// the action, and records a decision that creates a second action. The
// kommunpolis, on a 360 px phone, finds both actions in "Min organisations
// åtgärder" and in "Att göra", the first highlighted, marks it done, and
// reports the commitment's status. The samordnare publishes that update,
// and the public page shows the agreement and the update. axe-core checks
// every page on the way.
func TestSamverkanFlow(t *testing.T) {
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
		setField("#status", "signed"),
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

	submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`a[href^="/atgarder/ny?atagande="]`)))
	checkAxe(t, tab, "Ny åtgärd")
	action := "Kvällspatrull vid Ålidhem centrum (test)"
	due := trygg.DayOf(time.Now()) + 3
	do(t, tab,
		setField("#title", action),
		setField("#owner", "polisen-umea"),
		setField("#deadline", due.String()),
		chromedp.Click(chromedp.ID("areas-"+demoArea)),
	)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`main form button[type=submit]`))); st != 200 {
		t.Fatalf("creating the action: status %d:\n%s", st, bodyText(t, tab))
	}
	actionPath := pagePath(t, tab)
	checkAxe(t, tab, "åtgärdens sida")

	// The weekly meeting: its agenda lists the action due this week.
	navigate(t, tab, srv.URL+"/moten")
	checkAxe(t, tab, "Samordningsmöten")
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action="/moten"] button[type=submit]`))); st != 200 {
		t.Fatalf("opening a meeting: status %d:\n%s", st, bodyText(t, tab))
	}
	if row := textOfRow(t, tab, action); !strings.Contains(row, "Inom 7 dagar") {
		t.Errorf("the meeting's agenda lacks the action due this week: %q", row)
	}
	checkAxe(t, tab, "Samordningsmöte")
	// A decision that creates an action for the police.
	decided := "Förstärkt kvällspatrull vid Ålidhem centrum (beslut)"
	do(t, tab,
		setField("#decision_text", "Polisen förstärker kvällspatrullen vid centrum."),
		setField("#title", decided),
		setField("#owner", "polisen-umea"),
		setField("#deadline", (trygg.DayOf(time.Now())+10).String()),
	)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/beslut"] button[type=submit]`))); st != 200 {
		t.Fatalf("recording the decision: status %d:\n%s", st, bodyText(t, tab))
	}
	// A second decision, with an action for the property owner.
	decided2 := "Bättre belysning vid gångtunneln (beslut)"
	do(t, tab,
		setField("#decision_text", "Bostaden byter belysningen vid gångtunneln."),
		setField("#title", decided2),
		setField("#owner", "bostaden"),
		setField("#deadline", (trygg.DayOf(time.Now())+30).String()),
	)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/beslut"] button[type=submit]`))); st != 200 {
		t.Fatalf("recording the second decision: status %d:\n%s", st, bodyText(t, tab))
	}
	if body := textOf(t, tab, "ol.decisions"); !strings.Contains(body, decided) || !strings.Contains(body, decided2) {
		t.Errorf("the decisions' actions are not listed:\n%s", body)
	}
	checkAxe(t, tab, "Samordningsmöte med beslut")

	signOut(t, tab)

	// The police officer, on a phone.
	phoneTab := newTab(t, browser, phone)
	signIn(t, phoneTab, srv.URL, roleAccount(t, logins, trygg.RolePolis))
	if st := navigate(t, phoneTab, srv.URL+"/atgarder/mina"); st != 200 {
		t.Fatalf("GET /atgarder/mina: status %d", st)
	}
	row := textOfRow(t, phoneTab, action)
	if !strings.Contains(row, "Inom 7 dagar") {
		t.Errorf("the action due in three days is not highlighted: %q", row)
	}
	if row := textOfRow(t, phoneTab, decided); row == "" {
		t.Error("the action the meeting decided is not in Min organisations åtgärder")
	}
	checkAxe(t, phoneTab, "Min organisations åtgärder")
	// "Att göra" lists the action due soon and the meeting's new decision.
	if st := navigate(t, phoneTab, srv.URL+"/att-gora"); st != 200 {
		t.Fatalf("GET /att-gora: status %d", st)
	}
	if body := textOf(t, phoneTab, "main"); !strings.Contains(body, action) || !strings.Contains(body, decided) || !strings.Contains(body, "Nya beslut") {
		t.Errorf("Att göra lacks the action due soon or the new decision:\n%s", body)
	}
	checkAxe(t, phoneTab, "Att göra")
	submitAndWait(t, phoneTab, chromedp.Click(chromedp.CSS(`a[href="`+actionPath+`"]`)))
	do(t, phoneTab,
		setField("#status", "done"),
		setField("#outcome", "Patrullerna genomförda tre kvällar."),
	)
	if st := submitAndWait(t, phoneTab, chromedp.Click(chromedp.CSS(`form[action$="/status"] button[type=submit]`))); st != 200 {
		t.Fatalf("marking the action done: status %d:\n%s", st, bodyText(t, phoneTab))
	}
	if body := bodyText(t, phoneTab); !strings.Contains(body, "Patrullerna genomförda") || !strings.Contains(body, "Klar") {
		t.Errorf("the action after the update:\n%s", body)
	}
	checkAxe(t, phoneTab, "åtgärden klar")
	if st := navigate(t, phoneTab, srv.URL+"/atgarder/kalender"); st != 200 {
		t.Fatalf("GET /atgarder/kalender: status %d", st)
	}
	checkAxe(t, phoneTab, "Kalender för åtgärder")

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
	checkAxe(t, phoneTab, "åtagandet med partnerns uppdatering")
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
	checkAxe(t, phoneTab, "Medborgarlöften")
}

// textOfRow returns the text of the table row that holds text.
func textOfRow(t *testing.T, tab context.Context, text string) string {
	t.Helper()
	return run(t, tab, chromedp.Evaluate[string](fmt.Sprintf(
		`(() => { for (const tr of document.querySelectorAll("tbody tr")) { if (tr.innerText.includes(%s)) return tr.innerText } return "" })()`,
		strconv.Quote(text))))
}
