package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/leverantor"
	_ "modernc.org/sqlite"
)

// e2eOrg completes nine digits with their check digit.
func e2eOrg(nine string) string { return nine + string(leverantor.LuhnDigit(nine)) }

// TestLeverantorReview is the review of welfare providers in Chromium on a
// phone: a reviewer imports two providers and their key persons from CSV
// (first with a wrong check digit, which the preview shows on its row and
// nothing is stored), records a check so that it is overdue, terminates
// one provider, which flags the other through a shared key person with the
// rule's explanation; the termination is in the audit log. A second unit
// gets "not found" until it is given the contract, then sees the flag; a
// police officer gets "not found" throughout. axe-core checks each page.
func TestLeverantorReview(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverOptions{})
	cli(t, srv.DB, "", "org", "add", "--code", "vof", "--name", "Vård- och omsorgsförvaltningen", "--type", "kommun")
	cli(t, srv.DB, "", "org", "add", "--code", "ifo", "--name", "Individ- och familjeomsorgen", "--type", "socialtjanst")
	cli(t, srv.DB, "", "org", "add", "--code", "polisen", "--name", "Polisen", "--type", "polis")
	reviewer := addUser(t, srv.DB, "granskare@vof.example", "Greta Granskare", "vof", trygg.RoleKontroll)
	second := addUser(t, srv.DB, "granskare@ifo.example", "Ivar Granskare", "ifo", trygg.RoleKontroll)
	police := addUser(t, srv.DB, "polis@polisen.example", "Per Polis", "polisen", trygg.RolePolis)

	today := trygg.DayOf(time.Now())
	norr, assist := e2eOrg("559900001"), e2eOrg("559900002")
	wrong := norr[:9] + string('0'+(norr[9]-'0'+1)%10)
	providers := func(first string) string {
		return "organisationsnummer;namn;bolagsform;adress;avtalsform;verksamhet;avtal_fran;avtalsvarde\n" +
			first + ";Omsorgen i Norr AB;aktiebolag;Storgatan 1, Umeå;LOV;hemtjänst;" + today.AddMonths(1).String() + ";2000000\n" +
			assist + ";Assistans Direkt AB;aktiebolag;Kungsgatan 5, Umeå;LOV;daglig verksamhet;" + today.AddMonths(1).String() + ";4000000\n"
	}
	persons := "organisationsnummer,namn,personnummer,roll,fran\n" +
		norr + ",Testa Påhittad,19850709-9805,vd,2020-01-01\n" +
		assist + ",Testa Påhittad,850709-9805,styrelseledamot,2019-01-01\n"
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badFile, goodFile, personFile := write("fel.csv", providers(wrong)), write("leverantorer.csv", providers(norr)), write("personer.csv", persons)

	browser := newBrowser(t)
	tab := signedInTab(t, browser, phone, srv.URL, reviewer)
	if p := pagePath(t, tab); p != "/leverantorer" {
		t.Fatalf("kontroll lands on %s", p)
	}
	checkAxe(t, tab, "leverantörer, tom")

	// The import: a preview with the wrong check digit on its row.
	navigate(t, tab, srv.URL+"/leverantorer/import")
	preview := chromedp.Click(chromedp.CSS(`form:has(input[value="forhandsgranska"]) button[type=submit]`))
	do(t, tab, chromedp.SetUploadFiles(chromedp.ID("providers"), []string{badFile}), chromedp.SetUploadFiles(chromedp.ID("persons"), []string{personFile}))
	if st := submitAndWait(t, tab, preview); st != 422 {
		t.Fatalf("preview with an error: status %d", st)
	}
	if row := textOfRow(t, tab, "Omsorgen i Norr AB"); !strings.Contains(row, "kontrollsiffra") {
		t.Errorf("the bad row says %q", row)
	}
	if count(t, tab, `input[value="spara"]`) != 0 {
		t.Error("a preview with errors offers to save")
	}
	checkAxe(t, tab, "förhandsgranskning med fel")
	do(t, tab, chromedp.SetUploadFiles(chromedp.ID("providers"), []string{goodFile}), chromedp.SetUploadFiles(chromedp.ID("persons"), []string{personFile}))
	if st := submitAndWait(t, tab, preview); st != 200 {
		t.Fatalf("preview: status %d:\n%s", st, bodyText(t, tab))
	}
	checkAxe(t, tab, "förhandsgranskning")
	navigate(t, tab, srv.URL+"/leverantorer")
	if strings.Contains(bodyText(t, tab), "Omsorgen i Norr AB") {
		t.Fatal("the preview stored the providers")
	}
	navigate(t, tab, srv.URL+"/leverantorer/import")
	do(t, tab, chromedp.SetUploadFiles(chromedp.ID("providers"), []string{goodFile}), chromedp.SetUploadFiles(chromedp.ID("persons"), []string{personFile}))
	submitAndWait(t, tab, preview)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form:has(input[value="spara"]) button[type=submit]`))); st != 200 {
		t.Fatalf("saving the import: status %d", st)
	}
	if p := pagePath(t, tab); p != "/leverantorer" {
		t.Fatalf("after the import the browser is at %s", p)
	}
	checkAxe(t, tab, "leverantörer")
	norrPath := linkTo(t, tab, "Omsorgen i Norr AB")
	assistPath := linkTo(t, tab, "Assistans Direkt AB")

	// A check seven months ago of a type due every six months is overdue;
	// the contract starts next month, so nothing else is due yet.
	navigate(t, tab, srv.URL+norrPath)
	checkAxe(t, tab, "leverantör")
	do(t, tab,
		chromedp.SetValue(chromedp.ID("type"), "kronofogden"),
		chromedp.SetValue(chromedp.ID("day"), today.AddMonths(-7).String()),
		chromedp.SetValue(chromedp.ID("result"), leverantor.ResultOK),
		chromedp.SendKeys(chromedp.ID("source"), "Kronofogden"),
	)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/kontroller"] button[type=submit]`))); st != 200 {
		t.Fatalf("recording a check: status %d:\n%s", st, bodyText(t, tab))
	}
	if row := textOfRow(t, tab, "Skulder hos Kronofogden"); !strings.Contains(row, "Försenad") {
		t.Errorf("the check's row says %q, want it overdue", row)
	}
	navigate(t, tab, srv.URL+"/leverantorer")
	if late := textOf(t, tab, "#forsenade-kontroller + div"); !strings.Contains(late, "Skulder hos Kronofogden") || !strings.Contains(late, "Omsorgen i Norr AB") {
		t.Errorf("overdue checks per unit: %q", late)
	}

	// Terminating the other provider flags this one.
	navigate(t, tab, srv.URL+assistPath)
	do(t, tab, chromedp.SetValue(chromedp.ID("action"), leverantor.ActionTerminate))
	decide := chromedp.Click(chromedp.CSS(`form[action$="/beslut"] button[type=submit]`))
	if st := submitAndWait(t, tab, decide); st != 422 {
		t.Fatalf("a termination without reasons: status %d", st)
	}
	checkAxe(t, tab, "beslut med fel")
	do(t, tab, chromedp.SetValue(chromedp.ID("action"), leverantor.ActionTerminate),
		chromedp.SendKeys(chromedp.ID("reason"), "Fakturerade timmar som inte utförts."))
	if st := submitAndWait(t, tab, decide); st != 200 {
		t.Fatalf("termination: status %d", st)
	}
	navigate(t, tab, srv.URL+norrPath)
	want := "En person som är verkställande direktör här har också en nyckelroll i Assistans Direkt AB, vars avtal har hävts."
	if flags := textOf(t, tab, "#poang + div"); !strings.Contains(flags, want) {
		t.Errorf("the score's explanation is %q, want %q", flags, want)
	}
	checkAxe(t, tab, "leverantör med flagga")
	auditCount(t, srv.DB, "beslut havning", 1)

	// The second unit: not found until it has a contract.
	other := signedInTab(t, browser, phone, srv.URL, second)
	if st := navigate(t, other, srv.URL+norrPath); st != 404 {
		t.Errorf("the second unit before its contract: status %d", st)
	}
	navigate(t, tab, srv.URL+norrPath)
	do(t, tab, chromedp.SetValue(chromedp.ID("unit"), "ifo"))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/enheter"] button[type=submit]`))); st != 200 {
		t.Fatalf("adding the unit: status %d", st)
	}
	if st := navigate(t, other, srv.URL+norrPath); st != 200 {
		t.Fatalf("the second unit with a contract: status %d", st)
	}
	if !strings.Contains(bodyText(t, other), want) {
		t.Errorf("the second unit does not see the flag")
	}
	checkAxe(t, other, "leverantör, andra enheten")
	if st := navigate(t, other, srv.URL+assistPath); st != 404 {
		t.Errorf("the second unit on a provider without its contract: status %d", st)
	}

	// Outside the review role: not found.
	pol := signedInTab(t, browser, phone, srv.URL, police)
	for _, p := range []string{"/leverantorer", norrPath, "/leverantorer/import"} {
		if st := navigate(t, pol, srv.URL+p); st != 404 {
			t.Errorf("polis on %s: status %d, want 404", p, st)
		}
	}
	// Neither the personnummer nor the name reached the server's output.
	for _, secret := range []string{"850709", "Påhittad"} {
		if strings.Contains(srv.output(), secret) {
			t.Errorf("the server's output holds %q", secret)
		}
	}
}

// linkTo returns the path of the list's link with that text.
func linkTo(t *testing.T, tab context.Context, text string) string {
	t.Helper()
	p := run(t, tab, chromedp.Evaluate[string](fmt.Sprintf(
		`(() => { for (const a of document.querySelectorAll("tbody a")) { if (a.innerText === %q) return a.getAttribute("href") } return "" })()`, text)))
	if p == "" {
		t.Fatalf("no link %q on %s", text, location(tab))
	}
	return p
}

// auditCount checks that the audit log of the SQLite database db holds
// want entries on providers with that detail.
func auditCount(t *testing.T, db, detail string, want int) {
	t.Helper()
	path, ok := strings.CutPrefix(db, "sqlite:")
	if !ok {
		t.Fatalf("not an SQLite URL: %s", db)
	}
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow("SELECT COUNT(*) FROM audit_log WHERE object_type = 'leverantor' AND action = 'update' AND detail = ? AND user_id IS NOT NULL", detail).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("%d audit entries %q, want %d", n, detail, want)
	}
}
