package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/demo"
)

// tick checks the checkbox matching css, whatever its state was.
func tick(css string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%s).checked = true`, strconv.Quote(css)))
}

// kastRow is the KAST row of the statistics page's referrals table: how
// many referrals were offered, and how many reached a first contact (-1
// when the page withholds it).
type kastRow struct{ offered, firstContact int }

// kastReferrals reads the KAST row of the statistics page.
func kastReferrals(t *testing.T, tab context.Context, base string) kastRow {
	t.Helper()
	if st := navigate(t, tab, base+"/statistik/operativ"); st != 200 {
		t.Fatalf("statistik: status %d", st)
	}
	cells := run(t, tab, chromedp.Evaluate[[]string](`(() => {
		const row = [...document.querySelectorAll("#remisser ~ div tbody tr")].find(r => r.querySelector("th").innerText.startsWith("KAST"));
		return row ? [...row.querySelectorAll("td")].map(td => td.innerText.trim()) : [];
	})()`))
	if len(cells) < 3 {
		t.Fatalf("no KAST row on the statistics page: %q", cells)
	}
	offered, err := strconv.Atoi(cells[0])
	if err != nil {
		t.Fatalf("KAST referrals offered on the statistics page: %q", cells[0])
	}
	row := kastRow{offered: offered, firstContact: -1}
	if n, err := strconv.Atoi(cells[2]); err == nil {
		row.firstContact = n
	}
	return row
}

// TestOperativFlow: a police officer registers an operation with two
// contacts and signs of human trafficking, and finds the routine's task on
// the task list; a social worker on a 360 px phone records the support the
// buyer accepted and refers him to KAST; the KAST counsellor, who starts
// from the reception page, confirms the first contact by the referral code
// from the menu; the statistics page counts it. axe-core checks every page
// on the way.
func TestOperativFlow(t *testing.T) {
	srv, logins, browser := startDemo(t)

	stats := signedInTab(t, browser, desktop, srv.URL, roleAccount(t, logins, trygg.RoleSamordnare))
	before := kastReferrals(t, stats, srv.URL)
	checkAxe(t, stats, "Statistik operativ samverkan")
	if st := navigate(t, stats, srv.URL+"/operativ/annonser"); st != 200 {
		t.Fatalf("annonser: status %d", st)
	}
	checkAxe(t, stats, "Annonsering")
	if st := navigate(t, stats, srv.URL+"/operativ"); st != 404 {
		t.Fatalf("samordnare on /operativ: status %d, want 404", st)
	}

	// The police officer registers the operation.
	police := signedInTab(t, browser, desktop, srv.URL, roleAccount(t, logins, trygg.RolePolis))
	for _, page := range []string{"/operativ", "/operativ/rutiner"} {
		if st := navigate(t, police, srv.URL+page); st != 200 {
			t.Fatalf("%s: status %d", page, st)
		}
		checkAxe(t, police, page)
	}
	if st := navigate(t, police, srv.URL+"/operativ/ny"); st != 200 {
		t.Fatalf("Ny insats: status %d", st)
	}
	checkAxe(t, police, "Ny insats")
	do(t, police,
		setField("#area", "centrum"), setField("#place_type", "hotell"), setField("#type", "sexkop"),
		tick("#participants-polisen-umea"), setField("#staff_polisen-umea", "4"),
		tick("#participants-ifo"), setField("#staff_ifo", "2"),
		tick("#social_services"), tick("#informed_in_advance"), tick("#trafficking_signs"),
		setField(`[id="contacts[0].role"]`, "saljare"), setField(`[id="contacts[0].age_band"]`, "25-34"),
		setField(`[id="contacts[1].role"]`, "kopare"), setField(`[id="contacts[1].age_band"]`, "35-49"),
	)
	if st := submitAndWait(t, police, chromedp.Click(chromedp.CSS(`form[action="/operativ/ny"] button[type=submit]`))); st != 200 {
		t.Fatalf("register the operation: status %d at %s", st, location(police))
	}
	opPath := pagePath(t, police)
	if n := run(t, police, chromedp.Evaluate[int](`document.querySelectorAll("main section.contact").length`)); n != 2 {
		t.Fatalf("the operation at %s has %d contacts, want 2", opPath, n)
	}
	checkAxe(t, police, "Insats")

	// The signs of human trafficking gave the operation a task, on the
	// task list with what the routine requires; the police follow it.
	if st := navigate(t, police, srv.URL+"/operativ/uppgifter"); st != 200 {
		t.Fatalf("uppgifter: status %d", st)
	}
	task := `main li:has(> a[href="` + opPath + `"])`
	if text := textOf(t, police, task); !strings.HasPrefix(text, "Rutinen för människohandel") || !strings.Contains(text, "regionkoordinatorn") {
		t.Fatalf("the operation's task on the task list: %q", text)
	}
	checkAxe(t, police, "Uppgifter med människohandel")
	if st := submitAndWait(t, police, chromedp.Click(chromedp.CSS(task+` form button[type=submit]`))); st != 200 {
		t.Fatalf("the routine is followed: status %d", st)
	}
	if n := count(t, police, task); n != 0 {
		t.Fatalf("the followed routine's task is still on the list (%d)", n)
	}

	// The social worker, on a phone, records the buyer's support and
	// refers him to KAST.
	social := signedInTab(t, browser, phone, srv.URL, roleAccount(t, logins, trygg.RoleSocialtjanst))
	if st := navigate(t, social, srv.URL+opPath); st != 200 {
		t.Fatalf("the operation for socialtjänst: status %d", st)
	}
	checkAxe(t, social, "Insats på telefon")
	buyer := "main section.contact:nth-of-type(2) "
	do(t, social,
		tick(buyer+`input[name="support_offered"]`),
		tick(buyer+`input[name="support_accepted"]`),
		chromedp.SendKeys(chromedp.CSS(buyer+`input[name="support"]`), "Stödsamtal och information om KAST"),
	)
	if st := submitAndWait(t, social, chromedp.Click(chromedp.CSS(buyer+`form[action$="/stod"] button[type=submit]`))); st != 200 {
		t.Fatalf("save support: status %d", st)
	}
	do(t, social, setField(buyer+`select[name="service"]`, "kast"), tick(buyer+`input[name="accepted"]`))
	if st := submitAndWait(t, social, chromedp.Click(chromedp.CSS(buyer+`form[action$="/remiss"] button[type=submit]`))); st != 200 {
		t.Fatalf("refer to KAST: status %d", st)
	}
	code := textOf(t, social, buyer+".indicator strong.nowrap")
	if len(code) != 9 || !run(t, social, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q).checked`, buyer+`input[name="support_accepted"]`))) {
		t.Fatalf("referral code %q, or the support was not saved", code)
	}
	checkAxe(t, social, "Insats med remiss")

	// The KAST counsellor starts from the reception page, and after a
	// look elsewhere comes back to it by the menu to confirm the first
	// contact by the code, as the person said it on the phone.
	kast := signedInTab(t, browser, phone, srv.URL, account{Email: demo.KastEmail, Password: demo.Password})
	if p := pagePath(t, kast); p != "/operativ/mottagning" {
		t.Fatalf("the KAST counsellor starts from %s, want the reception page", p)
	}
	checkAxe(t, kast, "Mottagning")
	if st := navigate(t, kast, srv.URL+opPath); st != 404 {
		t.Fatalf("the KAST counsellor reads the operation: status %d, want 404", st)
	}
	if st := submitAndWait(t, kast, chromedp.Click(chromedp.CSS(`nav.main-nav a[href="/operativ/mottagning"]`))); st != 200 {
		t.Fatalf("Mottagning from the menu: status %d", st)
	}
	do(t, kast, chromedp.SendKeys(chromedp.ID("code"), strings.ToLower(strings.ReplaceAll(code, "-", " "))))
	if st := submitAndWait(t, kast, chromedp.Click(chromedp.CSS(`form[action="/operativ/bekrafta"] button[type=submit]`))); st != 200 {
		t.Fatalf("confirm: status %d", st)
	}
	if msg := textOf(t, kast, ".notice"); !strings.Contains(msg, "Första kontakt") {
		t.Fatalf("after confirming: %q", msg)
	}
	checkAxe(t, kast, "Bekräftad")
	if st := submitAndWait(t, kast, chromedp.Click(chromedp.CSS(`main a[href="/operativ/kast"]`))); st != 200 {
		t.Fatalf("KAST log: status %d", st)
	}
	checkAxe(t, kast, "KAST-logg")

	// The new referral went through every step, so every count of the
	// row grows by one. A first-contact count that the page withholds
	// (its gap to the step before is from 1 to 4) stays withheld, as that
	// gap does not change.
	after := kastReferrals(t, stats, srv.URL)
	want := kastRow{offered: before.offered + 1, firstContact: before.firstContact + 1}
	if before.firstContact < 0 {
		want.firstContact = -1
	}
	if after != want {
		t.Fatalf("KAST referrals on the statistics page: %+v before, %+v after, want %+v", before, after, want)
	}
	if st := navigate(t, social, srv.URL+"/operativ/uppgifter"); st != 200 {
		t.Fatalf("uppgifter: status %d", st)
	}
	checkAxe(t, social, "Uppgifter")
}
