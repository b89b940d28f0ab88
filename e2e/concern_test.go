package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
	"github.com/trygg-est/trygg/pii"
)

// The register's e2e test uses a fictional child.
const (
	e2eChildName = "Kalle Påhittad"
	e2eChildPnr  = "20121212-1212"
)

// stepButton is the submit button of the form on a report's page that
// records the step kind.
func stepButton(kind string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(fmt.Sprintf(`form:has(input[name="kind"][value=%q]) button[type=submit]`, kind)))
}

// TestConcernRegister is a report of concern's way through the register
// in Chromium on a phone: intake (first with a wrong personnummer), the
// protection assessment, a pre-assessment that opens an investigation, an
// extension with its reasons, and completion. Then a colleague opens the
// report and must give a purpose, the manager sees that in the access log,
// and a police officer and an admin get "not found" on the same URLs.
// axe-core checks every page; at the end the server's output is searched
// for personnummer and the child's name. It runs on SQLite, and also on
// PostgreSQL when TRYGG_TEST_POSTGRES is set (there without axe-core).
func TestConcernRegister(t *testing.T) {
	t.Parallel()
	t.Run("SQLite", func(t *testing.T) {
		t.Parallel()
		testConcernRegister(t, "")
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		t.Parallel()
		testConcernRegister(t, postgresDB(t))
	})
}

func testConcernRegister(t *testing.T, db string) {
	// On PostgreSQL the pages come from the same templates as on SQLite:
	// that run is there for the database, so axe-core runs only on SQLite.
	checkPage := func(tab context.Context, what string) {
		t.Helper()
		if db == "" {
			checkAxe(t, tab, what)
		}
	}
	srv := startServer(t, serverOptions{DB: db})
	cli(t, srv.DB, "", "org", "add", "--code", "ifo", "--name", "Individ- och familjeomsorgen", "--type", "socialtjanst")
	cli(t, srv.DB, "", "org", "add", "--code", "polisen", "--name", "Polisen", "--type", "polis")
	cli(t, srv.DB, "", "org", "add", "--code", "kommunen", "--name", "Umeå kommun", "--type", "kommun")
	worker := addUser(t, srv.DB, "handlaggare@ifo.example", "Hanna Handläggare", "ifo", trygg.RoleSocialtjanst)
	colleague := addUser(t, srv.DB, "kollega@ifo.example", "Kim Kollega", "ifo", trygg.RoleSocialtjanst)
	manager := addUser(t, srv.DB, "chef@ifo.example", "Malin Arbetsledare", "ifo", trygg.RoleArbetsledare)
	police := addUser(t, srv.DB, "polis@polisen.example", "Per Polis", "polisen", trygg.RolePolis)
	admin := addUser(t, srv.DB, "admin@kommunen.example", "Ada Admin", "kommunen", trygg.RoleAdmin)

	browser := newBrowser(t)
	tab := signedInTab(t, browser, phone, srv.URL, worker)
	if p := pagePath(t, tab); !strings.HasPrefix(p, "/orosanmalningar") {
		t.Fatalf("socialtjänst lands on %s, want the register", p)
	}
	checkPage(tab, "arbetsköer")

	// Intake, first with a personnummer whose check digit is wrong.
	if st := navigate(t, tab, srv.URL+"/orosanmalningar/ny"); st != 200 {
		t.Fatalf("Ny orosanmälan: status %d", st)
	}
	checkPage(tab, "Ny orosanmälan")
	do(t, tab,
		chromedp.SetValue(chromedp.ID("channel"), "telefon"),
		chromedp.SetValue(chromedp.ID("reporter_category"), "skola"),
		chromedp.Click(chromedp.ID("reporter_mandatory")),
		chromedp.SendKeys(chromedp.ID("reporter_name"), "Rektor Exempel"),
		chromedp.SendKeys(chromedp.ID("child_id"), "20121212-1213"),
		chromedp.SendKeys(chromedp.ID("child_name"), e2eChildName),
		chromedp.Click(chromedp.ID("categories-"+concern.CategoryViolence)),
		chromedp.SendKeys(chromedp.ID("description"), "Eleven har blåmärken på armarna och berättar om slag hemma."),
	)
	save := chromedp.Click(chromedp.CSS(`form[action="/orosanmalningar/ny"] button[type=submit]`))
	if st := submitAndWait(t, tab, save); st != 422 {
		t.Fatalf("intake with a wrong personnummer: status %d, want 422", st)
	}
	if msg := textOf(t, tab, "#child_id-fel"); !strings.Contains(msg, "inte giltigt") {
		t.Errorf("the error at Nummer says %q", msg)
	}
	if got := valueOf(t, tab, "#child_name"); got != e2eChildName {
		t.Errorf("the child's name after the error = %q", got)
	}
	checkPage(tab, "Ny orosanmälan med fel")
	do(t, tab, clearField("#child_id"), chromedp.SendKeys(chromedp.ID("child_id"), e2eChildPnr))
	if st := submitAndWait(t, tab, save); st != 200 {
		t.Fatalf("saving the intake: status %d:\n%s", st, bodyText(t, tab))
	}
	reportPath := pagePath(t, tab)
	if !regexp.MustCompile(`^/orosanmalningar/[a-z0-9]+$`).MatchString(reportPath) {
		t.Fatalf("after saving the browser is at %s", reportPath)
	}
	body := bodyText(t, tab)
	for _, want := range []string{e2eChildName, e2eChildPnr, "Våld mot barnet", "Ska göras i dag"} {
		if !strings.Contains(body, want) {
			t.Errorf("the report's page lacks %q", want)
		}
	}
	checkPage(tab, "orosanmälan, skyddsbedömning")

	// The clock: protection assessment, pre-assessment (already set to
	// open an investigation, since the report is about violence),
	// extension, completion.
	if st := submitAndWait(t, tab, stepButton(concern.StepProtection)); st != 200 {
		t.Fatalf("protection assessment: status %d", st)
	}
	if got := checked(t, tab, "open"); got != "1" {
		t.Errorf("a report about violence has open=%q preselected, want 1", got)
	}
	checkPage(tab, "orosanmälan, förhandsbedömning")
	do(t, tab, chromedp.SendKeys(chromedp.CSS(`form:has(input[value="forhandsbedomning"]) #reason`), "Våld mot barnet: utredning inleds direkt."))
	if st := submitAndWait(t, tab, stepButton(concern.StepPre)); st != 200 {
		t.Fatalf("pre-assessment: status %d:\n%s", st, bodyText(t, tab))
	}
	checkPage(tab, "orosanmälan, utredning")
	// An extension without reasons is refused; with them it moves the date.
	do(t, tab, chromedp.SetValue(chromedp.ID("new_due"), "2099-12-31"))
	if st := submitAndWait(t, tab, stepButton(concern.StepExtension)); st != 422 {
		t.Fatalf("extension without reasons: status %d", st)
	}
	checkPage(tab, "förlängning med fel")
	do(t, tab,
		chromedp.SetValue(chromedp.ID("new_due"), futureDue(t, tab)),
		chromedp.SendKeys(chromedp.CSS(`form:has(input[value="forlangning"]) #reason`), "Särskilda skäl: utlåtande från BUP dröjer."),
	)
	if st := submitAndWait(t, tab, stepButton(concern.StepExtension)); st != 200 {
		t.Fatalf("extension: status %d:\n%s", st, bodyText(t, tab))
	}
	if body := bodyText(t, tab); !strings.Contains(body, "Förlängd 1 gång") || !strings.Contains(body, "BUP dröjer") {
		t.Errorf("the page does not show the extension:\n%s", body)
	}
	do(t, tab,
		chromedp.SendKeys(chromedp.ID("decision"), "Insats beviljas."),
		chromedp.SendKeys(chromedp.ID("interventions"), "Familjebehandling."),
	)
	if st := submitAndWait(t, tab, stepButton(concern.StepCompletion)); st != 200 {
		t.Fatalf("completion: status %d", st)
	}
	if n := count(t, tab, `input[name="kind"][value="avslut"]`); n != 1 {
		t.Errorf("after completion there is no closing form")
	}
	checkPage(tab, "orosanmälan, att avsluta")

	// A colleague must say why.
	tab2 := signedInTab(t, browser, phone, srv.URL, colleague)
	if st := navigate(t, tab2, srv.URL+reportPath); st != 403 {
		t.Fatalf("a colleague opening the report: status %d, want 403 and the purpose form", st)
	}
	checkPage(tab2, "syfte")
	do(t, tab2, chromedp.SetValue(chromedp.ID("syfte"), "ersattare"))
	if st := submitAndWait(t, tab2, chromedp.Click(chromedp.CSS(`main form button[type=submit]`))); st != 200 {
		t.Fatalf("opening with a purpose: status %d", st)
	}
	if !strings.Contains(bodyText(t, tab2), e2eChildName) {
		t.Error("the colleague does not see the report after giving a purpose")
	}

	// The manager sees it in the access log.
	tab3 := signedInTab(t, browser, desktop, srv.URL, manager)
	if st := navigate(t, tab3, srv.URL+reportPath+"/atkomst"); st != 200 {
		t.Fatalf("access log: status %d", st)
	}
	log := bodyText(t, tab3)
	for _, want := range []string{"Kim Kollega", "Ersättare för ordinarie handläggare", "Hanna Handläggare"} {
		if !strings.Contains(log, want) {
			t.Errorf("the access log lacks %q:\n%s", want, log)
		}
	}
	checkPage(tab3, "åtkomstlogg")
	if st := navigate(t, tab3, srv.URL+"/statistik/orosanmalningar"); st != 200 {
		t.Fatalf("statistics: status %d", st)
	}
	checkPage(tab3, "statistik")

	// Police and admin: not found, on every URL of the register.
	for _, acc := range []account{police, admin} {
		tab := signedInTab(t, browser, phone, srv.URL, acc)
		for _, p := range []string{reportPath, reportPath + "?syfte=ersattare", reportPath + "/atkomst", "/orosanmalningar", "/orosanmalningar/ny"} {
			if st := navigate(t, tab, srv.URL+p); st != 404 {
				t.Errorf("%s opens %s: status %d, want 404", acc.Email, p, st)
			}
		}
	}

	// Nothing personal in the server's output.
	out := srv.output()
	if f := pii.Find(out); f != nil && (f.Kind == pii.Personnummer || f.Kind == pii.Samordningsnummer) {
		t.Errorf("the server's output holds a personnummer: %q", out[f.Start:f.End])
	}
	for _, secret := range []string{"201212121212", "121212-1212", "Påhittad", "Kalle"} {
		if strings.Contains(out, secret) {
			t.Errorf("the server's output holds %q", secret)
		}
	}
}

// futureDue is a day after the investigation's current end, read from
// the page: one month later.
func futureDue(t *testing.T, tab context.Context) string {
	t.Helper()
	text := textOf(t, tab, "main")
	m := regexp.MustCompile(`klar senast (\d{4}-\d{2}-\d{2})`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("the page does not say when the investigation is due:\n%s", text)
	}
	d, err := trygg.ParseDay(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return d.AddMonths(1).String()
}
