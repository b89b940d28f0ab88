package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
// contacts, one a suspected minor, and signs of human trafficking, and
// finds the routine's task on the task list; a social worker on a 360 px
// phone records the support the buyer accepted, refers him to KAST, and
// files the report of concern from the minor's task, which completes the
// task and links it to the report; the KAST counsellor, who starts
// from the reception page, confirms the first contact by the referral code
// from the menu; the statistics page counts it. axe-core checks every page
// on the way.
func TestOperativFlow(t *testing.T) {
	t.Parallel()
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
	// The newest routine version gets its signed document: a file that is
	// no PDF is refused at its own control, a PDF is linked for download.
	dir := t.TempDir()
	notPDF, signed := filepath.Join(dir, "rutin.txt"), filepath.Join(dir, "rutin-undertecknad.pdf")
	if err := os.WriteFile(notPDF, []byte("inte en pdf"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(signed, []byte("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	upload := `main form[action$="/dokument"]`
	do(t, police, chromedp.SetUploadFiles(chromedp.CSS(upload+` input[type=file]`), []string{notPDF}))
	if st := submitAndWait(t, police, chromedp.Click(chromedp.CSS(upload+` button[type=submit]`))); st != 422 {
		t.Fatalf("a routine document that is no PDF: status %d, want 422", st)
	}
	if msg := textOf(t, police, upload+" .error-message"); !strings.Contains(msg, "Filen är ingen PDF-fil.") {
		t.Fatalf("the error at the routine's file: %q", msg)
	}
	checkAxe(t, police, "Rutiner med fel")
	do(t, police, chromedp.SetUploadFiles(chromedp.CSS(upload+` input[type=file]`), []string{signed}))
	if st := submitAndWait(t, police, chromedp.Click(chromedp.CSS(upload+` button[type=submit]`))); st != 200 {
		t.Fatalf("the signed routine document: status %d", st)
	}
	if text := textOf(t, police, `main li:first-child a[href$="/dokument"]`); !strings.HasPrefix(text, "rutin-undertecknad.pdf") {
		t.Fatalf("the routine's document link: %q", text)
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
		setField(`[id="contacts[0].role"]`, "saljare"), setField(`[id="contacts[0].age_band"]`, "under18"),
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
	// (The suspected minor's task is social services': the police have
	// no button on it.)
	if st := navigate(t, police, srv.URL+"/operativ/uppgifter"); st != 200 {
		t.Fatalf("uppgifter: status %d", st)
	}
	task := `main li:has(> a[href="` + opPath + `"]):has(form)`
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
	checkLoaded(t, social, phone, "Insats på telefon")
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
	checkLoaded(t, social, phone, "Insats med remiss")

	// The seller is a suspected minor: the social worker files the report
	// of concern from its task, named by the contact's number in the
	// operation; registering it completes the task, which links to it.
	if st := navigate(t, social, srv.URL+"/operativ/uppgifter"); st != 200 {
		t.Fatalf("uppgifter: status %d", st)
	}
	minorTask := `main li:has(> a[href="` + opPath + `"])`
	if text := textOf(t, social, minorTask); !strings.HasPrefix(text, "Orosanmälan till socialtjänsten") || !strings.Contains(text, "(kontakt 1)") {
		t.Fatalf("the minor's task on the task list: %q", text)
	}
	if st := submitAndWait(t, social, chromedp.Click(chromedp.CSS(minorTask+` a[href$="/orosanmalan"]`))); st != 200 {
		t.Fatalf("the prefilled report: status %d", st)
	}
	checkLoaded(t, social, phone, "Förifylld orosanmälan")
	do(t, social,
		chromedp.Click(chromedp.CSS(`input[name="child_id_kind"][value="reservnummer"]`)),
		chromedp.SendKeys(chromedp.ID("child_id"), "INSATS-1"),
		chromedp.SendKeys(chromedp.ID("child_name"), "Okänd ung person"),
	)
	if st := submitAndWait(t, social, chromedp.Click(chromedp.CSS(`form[action="/orosanmalningar/ny"] button[type=submit]`))); st != 200 {
		t.Fatalf("register the report: status %d:\n%s", st, bodyText(t, social))
	}
	reportPath := pagePath(t, social)
	if st := navigate(t, social, srv.URL+opPath); st != 200 {
		t.Fatalf("the operation after the report: status %d", st)
	}
	if n := count(t, social, `main li a[href="`+reportPath+`"]`); n != 1 {
		t.Fatalf("the operation's task links %d times to the report %s:\n%s", n, reportPath, bodyText(t, social))
	}
	checkLoaded(t, social, phone, "Insats med orosanmälan")

	// The KAST counsellor starts from the reception page, and after a
	// look elsewhere comes back to it by the menu to confirm the first
	// contact by the code, as the person said it on the phone.
	kast := signedInTab(t, browser, phone, srv.URL, account{Email: demo.KastEmail, Password: demo.Password})
	if p := pagePath(t, kast); p != "/operativ/mottagning" {
		t.Fatalf("the KAST counsellor starts from %s, want the reception page", p)
	}
	checkLoaded(t, kast, phone, "Mottagning")
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
	checkLoaded(t, kast, phone, "Bekräftad")
	if st := submitAndWait(t, kast, chromedp.Click(chromedp.CSS(`main a[href="/operativ/kast"]`))); st != 200 {
		t.Fatalf("KAST log: status %d", st)
	}
	checkLoaded(t, kast, phone, "KAST-logg")

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
	checkLoaded(t, social, phone, "Uppgifter")
}
