package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
)

// The demo's Ålidhem group: the volunteers the test signs up, and one
// without the introduction.
var (
	nightTrained   = []string{"Anna Lindqvist", "Bertil Sjögren", "Cecilia Forsberg"}
	nightUntrained = "Petra Sundqvist"
)

// chooseOption selects, in the select matching css, the option whose text
// is text.
func chooseOption(css, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(s => { s.value = [...s.options].find(o => o.text === %s).value })(document.querySelector(%s))`,
		strconv.Quote(text), strconv.Quote(css)))
}

// markInItem gives the element matching css inside the equipment row
// labelled label the id "e2e-mal", so that the next step can use it.
func markInItem(label, css string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		document.querySelectorAll("#e2e-mal").forEach(e => e.removeAttribute("id"));
		const li = [...document.querySelectorAll("li.party-row")].find(l => l.querySelector("strong") && l.querySelector("strong").textContent === %s);
		li.querySelector(%s).id = "e2e-mal";
	})()`, strconv.Quote(label), strconv.Quote(css)))
}

// byID selects by an id that may hold brackets and dots.
func byID(id string) chromedp.CSS { return chromedp.CSS(fmt.Sprintf(`[id=%q]`, id)) }

// TestNattvandring is a night walk from plan to log, on a phone, in the
// demo: the Ålidhem group's leader schedules a walk for tonight, is refused
// a volunteer without the introduction (with the reason), sees the walk red
// below the minimum of three and cannot confirm it until a third trained
// adult signs up; lends a jacket and takes it back, with the demo's overdue
// loan listed; and files the log with two observations. The samordnare
// then finds both as incident reports, sees them counted in the lägesbild
// with the walk's hours beside them, and sees no names; the public page
// and the district's calendar show the walk, without names. axe-core
// checks every page.
func TestNattvandring(t *testing.T) {
	t.Parallel()
	srv, logins, browser := startDemo(t)
	leader := roleAccount(t, logins, trygg.RoleNattvandrare)
	samordnare := roleAccount(t, logins, trygg.RoleSamordnare)
	now := time.Now().In(trygg.Stockholm)
	today := trygg.DayOf(now)

	// The samordnare's count of Ålidhem's reports from night walks this
	// week, before the log.
	coord := signedInTab(t, browser, phone, srv.URL, samordnare)
	lagesbildURL := fmt.Sprintf("%s/lagesbild?period=vecka&datum=%s&orgtyp=nattvandring&nattvandring=visa", srv.URL, today)
	if st := navigate(t, coord, lagesbildURL); st != 200 {
		t.Fatalf("lägesbild: status %d", st)
	}
	before := areaCount(t, coord, "Ålidhem")

	tab := signedInTab(t, browser, phone, srv.URL, leader)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`nav a[href="/nattvandring"]`))); st != 200 {
		t.Fatalf("Nattvandring: status %d", st)
	}
	checkAxe(t, tab, "Nattvandring")
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`table tbody a[href^="/nattvandring/grupp/"]`))); st != 200 {
		t.Fatalf("the group: status %d", st)
	}
	groupPath := pagePath(t, tab)
	checkAxe(t, tab, "Grupp")

	// Schedule tonight's walk, first without a meeting point.
	do(t, tab,
		chromedp.SetValue(chromedp.ID("date"), today.String()),
		chromedp.SetValue(chromedp.ID("start"), "17:00"),
		chromedp.SetValue(chromedp.ID("end"), "21:00"),
		tick(`#districts-alidhem`),
	)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/vandringar"] button[type=submit]`))); st != 422 {
		t.Fatalf("a walk without a meeting point: status %d", st)
	}
	if msg := textOf(t, tab, `[id="meeting_point-fel"]`); !strings.Contains(msg, "mötesplatsen") {
		t.Errorf("message %q", msg)
	}
	checkAxe(t, tab, "Planera vandring med fel")
	do(t, tab, chromedp.SendKeys(chromedp.ID("meeting_point"), "Ålidhems centrum, vid fontänen"))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/vandringar"] button[type=submit]`))); st != 200 {
		t.Fatalf("scheduling the walk: status %d: %s", st, bodyText(t, tab))
	}
	walkPath := pagePath(t, tab)
	if !regexp.MustCompile(`^/nattvandring/vandring/\d+$`).MatchString(walkPath) {
		t.Fatalf("after scheduling at %s", walkPath)
	}
	checkAxe(t, tab, "Vandring")

	signUp := func(name string) int64 {
		t.Helper()
		do(t, tab, chooseOption("#volunteer", name))
		return submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/anmalan"] button[type=submit]`)))
	}
	// A volunteer without the introduction is refused, with the reason.
	if st := signUp(nightUntrained); st != 422 {
		t.Fatalf("signing up %s: status %d", nightUntrained, st)
	}
	if msg := textOf(t, tab, `#volunteer-fel`); !strings.Contains(msg, "Introduktionsutbildningen saknas") {
		t.Errorf("refusal %q", msg)
	}
	checkAxe(t, tab, "Anmälan nekad")
	// Two trained adults: the walk is red and cannot be confirmed.
	for _, name := range nightTrained[:2] {
		if st := signUp(name); st != 200 {
			t.Fatalf("signing up %s: status %d", name, st)
		}
	}
	if state := textOf(t, tab, `#walk`); !strings.Contains(state, "Röd") || !strings.Contains(state, "2 av minst 3") {
		t.Errorf("below the minimum: %q", state)
	}
	if n := count(t, tab, `#walk.walk-red`); n != 1 {
		t.Error("the walk is not shown red")
	}
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/bekrafta"] button`))); st != 422 {
		t.Fatalf("confirming a red walk: status %d", st)
	}
	if state := textOf(t, tab, `#walk`); !strings.Contains(state, "kan inte bekräftas") {
		t.Errorf("confirmation refused: %q", state)
	}
	if st := signUp(nightTrained[2]); st != 200 {
		t.Fatalf("signing up the third: status %d", st)
	}
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/bekrafta"] button`))); st != 200 {
		t.Fatalf("confirming: status %d", st)
	}
	if state := textOf(t, tab, `#walk`); !strings.Contains(state, "Bekräftad") {
		t.Errorf("after confirming: %q", state)
	}

	if st := navigate(t, tab, srv.URL+groupPath+"/frivilliga"); st != 200 {
		t.Fatalf("volunteers: status %d", st)
	}
	if text := bodyText(t, tab); !strings.Contains(text, nightUntrained) || !strings.Contains(text, "Kan inte anmälas") {
		t.Errorf("the volunteers page does not say who cannot sign up:\n%.600s", text)
	}
	checkAxe(t, tab, "Frivilliga")

	// Jackets: the demo's overdue loan is listed; lend one and take it back.
	if st := navigate(t, tab, srv.URL+groupPath+"/utrustning"); st != 200 {
		t.Fatalf("equipment: status %d", st)
	}
	if overdue := textOf(t, tab, `.overdue-list`); !strings.Contains(overdue, "Väst 1") {
		t.Errorf("overdue loans: %q", overdue)
	}
	checkAxe(t, tab, "Utrustning")
	do(t, tab, markInItem("Väst 3", `select[name="volunteer"]`))
	do(t, tab, chooseOption("#e2e-mal", nightTrained[0]), markInItem("Väst 3", `form[action$="/lana-ut"] button`))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.ID("e2e-mal"))); st != 200 {
		t.Fatalf("lending: status %d", st)
	}
	if row := textOfItem(t, tab, "Väst 3"); !strings.Contains(row, "Utlånad till "+nightTrained[0]) {
		t.Errorf("lent: %q", row)
	}
	do(t, tab, markInItem("Väst 3", `form[action$="/aterlamna"] button`))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.ID("e2e-mal"))); st != 200 {
		t.Fatalf("returning: status %d", st)
	}
	if row := textOfItem(t, tab, "Väst 3"); !strings.Contains(row, "Inne") {
		t.Errorf("returned: %q", row)
	}

	// The log, with two observations.
	if st := navigate(t, tab, srv.URL+walkPath); st != 200 {
		t.Fatalf("walk: status %d", st)
	}
	at := now.Add(-5 * time.Minute)
	if trygg.DayOf(at) != today {
		at = today.Start()
	}
	observations := []struct{ category, text string }{
		{"skadegorelse", "Krossad ruta i busskuren vid Ålidhems centrum."},
		{"klotter", "Nytt klotter på skolans gavel mot parken."},
	}
	for i, o := range observations {
		p := fmt.Sprintf("observations[%d].", i)
		do(t, tab,
			chromedp.SetValue(byID(p+"occurred_at"), at.Format("2006-01-02T15:04")),
			chromedp.SetValue(byID(p+"area"), "alidhem"),
			chromedp.SetValue(byID(p+"place_type"), "skola"),
			chromedp.SetValue(byID(p+"category"), o.category),
			chromedp.SetValue(byID(p+"severity"), "2"),
			chromedp.SetValue(byID(p+"description"), o.text),
		)
	}
	do(t, tab, chromedp.SetValue(chromedp.ID("youth_contacts"), "9"))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/logg"] button[type=submit]`))); st != 200 {
		t.Fatalf("filing the log: status %d: %s", st, bodyText(t, tab))
	}
	logText := textOf(t, tab, `#logg + dl`)
	if !strings.Contains(logText, "2 rapporterade som händelser") || !strings.Contains(logText, "12") {
		t.Errorf("the filed log: %q", logText)
	}
	checkAxe(t, tab, "Vandring med logg")

	// The samordnare: the walk with numbers and no names, both reports,
	// and the lägesbild with the walk's hours.
	if st := navigate(t, coord, srv.URL+walkPath); st != 200 {
		t.Fatalf("the samordnare's walk page: status %d", st)
	}
	page := bodyText(t, coord)
	for _, name := range append(nightTrained, nightUntrained) {
		if strings.Contains(page, name) {
			t.Errorf("the samordnare sees %q", name)
		}
	}
	links := run(t, coord, chromedp.Evaluate[[]string](`[...document.querySelectorAll('main dl a[href^="/rapporter/"]')].map(a => a.getAttribute("href"))`))
	if len(links) != 2 {
		t.Fatalf("report links %v", links)
	}
	for i, link := range links {
		if st := navigate(t, coord, srv.URL+link); st != 200 {
			t.Fatalf("report %s: status %d", link, st)
		}
		if text := bodyText(t, coord); !strings.Contains(text, observations[i].text) || !strings.Contains(text, "Nattvandrarna Ålidhem") {
			t.Errorf("report %s:\n%s", link, text)
		}
	}
	checkAxe(t, coord, "Rapport från nattvandring")
	if st := navigate(t, coord, lagesbildURL); st != 200 {
		t.Fatalf("lägesbild: status %d", st)
	}
	if after := areaCount(t, coord, "Ålidhem"); after != before+2 {
		t.Errorf("Ålidhem's reports from night walks: %d before, %d after the log", before, after)
	}
	overlay := run(t, coord, chromedp.Evaluate[string](`[...document.querySelectorAll("table.night-overlay tbody tr")].map(tr => tr.innerText).join("\n")`))
	if !strings.Contains(overlay, "Ålidhem") || !strings.Contains(overlay, "v. ") {
		t.Errorf("the overlay: %q", overlay)
	}
	checkAxe(t, coord, "Lägesbild med nattvandring")

	// The public page and the district's calendar: the walk, no names.
	public := newTab(t, browser, phone)
	if st := navigate(t, public, srv.URL+"/nattvandring/ute?omrade=alidhem"); st != 200 {
		t.Fatalf("public page: status %d", st)
	}
	text := bodyText(t, public)
	if !strings.Contains(text, today.String()) || !strings.Contains(text, "17:00–21:00") {
		t.Errorf("the public page lacks tonight's walk:\n%s", text)
	}
	checkAxe(t, public, "Nattvandrare ute")
	resp, err := http.Get(srv.URL + "/nattvandring/ute/omrade/alidhem.ics")
	if err != nil {
		t.Fatal(err)
	}
	ics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	start := time.Date(now.Year(), now.Month(), now.Day(), 17, 0, 0, 0, trygg.Stockholm).UTC().Format("20060102T150405Z")
	if resp.StatusCode != 200 || !strings.Contains(string(ics), "DTSTART:"+start) {
		t.Errorf("calendar (%d) lacks DTSTART:%s:\n%s", resp.StatusCode, start, ics)
	}
	for _, body := range []string{text, string(ics)} {
		for _, name := range append(nightTrained, nightUntrained) {
			if strings.Contains(body, name) {
				t.Errorf("a name in public: %q", name)
			}
		}
	}
}

// textOfItem returns the text of the equipment row labelled label.
func textOfItem(t *testing.T, tab context.Context, label string) string {
	t.Helper()
	return run(t, tab, chromedp.Evaluate[string](fmt.Sprintf(`(li => li ? li.innerText : "")([...document.querySelectorAll("li.party-row")].find(l => l.querySelector("strong") && l.querySelector("strong").textContent === %s))`,
		strconv.Quote(label))))
}
