package e2e

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/pii"
	"github.com/trygg-est/trygg/sspf"
)

// TestSSPF is early intervention's way through Trygg in Chromium on a
// phone: the coordinator makes a team and opens a case, records both
// guardians' consent and uploads the signed document; the school shares
// attendance within the scope; the police try to share police contacts
// outside it and are told why; a young person who has turned 15 since the
// consent was given can share nothing until their own signature is added;
// a withdrawal hides the shares from the school; a team meeting's decision
// becomes an action; the case is closed with an outcome and the retention
// job deletes its personal data. Everyone outside the team gets "not
// found", and the server's output holds no name or number. axe-core
// checks every page. SQLite only: the storage tests cover PostgreSQL.
func TestSSPF(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverOptions{})
	geojson := filepath.Join(t.TempDir(), "omraden.geojson")
	if err := os.WriteFile(geojson, []byte(twoDistricts), 0o600); err != nil {
		t.Fatal(err)
	}
	cli(t, srv.DB, "", "import", "areas", geojson)
	for _, o := range [][3]string{{"ifo", "Individ- och familjeomsorgen", "socialtjanst"}, {"skolan", "Norrbyskolan", "skola"},
		{"polisen", "Polisen", "polis"}, {"fritid", "Fritidsförvaltningen", "kommun"}} {
		cli(t, srv.DB, "", "org", "add", "--code", o[0], "--name", o[1], "--type", o[2])
	}
	coord := addUser(t, srv.DB, "sspf@ifo.example", "Sara Samordnare", "ifo", trygg.RoleSSPF)
	school := addUser(t, srv.DB, "kurator@skolan.example", "Kim Kurator", "skolan", trygg.RoleSSPFMember)
	police := addUser(t, srv.DB, "kvp@polisen.example", "Pelle Kommunpolis", "polisen", trygg.RoleSSPFMember)
	addUser(t, srv.DB, "fritid@fritid.example", "Fia Fritidsledare", "fritid", trygg.RoleSSPFMember)
	outsider := addUser(t, srv.DB, "annan@polisen.example", "Olle Utanför", "polisen", trygg.RoleSSPFMember)
	samordnare := addUser(t, srv.DB, "samordnare@fritid.example", "Sam Samordnare", "fritid", trygg.RoleSamordnare)
	admin := addUser(t, srv.DB, "admin@fritid.example", "Ada Admin", "fritid", trygg.RoleAdmin)

	browser := newBrowser(t)
	tab := signedInTab(t, browser, phone, srv.URL, coord)

	// The team.
	navigate(t, tab, srv.URL+"/tidiga-insatser/team")
	do(t, tab, chromedp.SendKeys(chromedp.ID("name"), "SSPF Norrby"), chromedp.SetValue(chromedp.ID("area"), "norr"))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action="/tidiga-insatser/team"] button[type=submit]`))); st != 200 {
		t.Fatalf("new team: status %d:\n%s", st, bodyText(t, tab))
	}
	for _, email := range []string{school.Email, police.Email, "fritid@fritid.example"} {
		do(t, tab, chromedp.SendKeys(chromedp.CSS(`form[action$="/medlemmar"] input[type=email]`), email))
		if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/medlemmar"]:has(input[type=email]) button[type=submit]`))); st != 200 {
			t.Fatalf("add member %s: status %d:\n%s", email, st, bodyText(t, tab))
		}
	}
	checkAxe(t, tab, "SSPF-team")
	checkNoSideScroll(t, tab, "SSPF-team")

	today := trygg.DayOf(time.Now())
	// Case 1: a young person of 13.
	young := sspf.ExampleNumber(today.AddYears(-13)-40, 317)
	case1 := newSSPFCaseByForm(t, tab, srv.URL, young, "Nora Påhittad", today-30)
	// Both guardians' consent with the signed document.
	consent(t, tab, srv.URL+case1, today-10, []string{"socialtjanst:narvaro", "polis:narvaro", "fritid:narvaro", "skola:handlingsplan"})
	if body := bodyText(t, tab); !strings.Contains(body, "Samtycke "+(today-10).String()+": Giltigt") {
		t.Errorf("the consent is not valid:\n%s", body)
	}
	docLink := attrOf(t, tab, `a[href$="/dokument"]`, "href")

	// The school shares attendance within the scope.
	schoolTab := signedInTab(t, browser, phone, srv.URL, school)
	share(t, schoolTab, srv.URL+case1, sspf.InfoAttendance, "Frånvaro 35 % de senaste fyra veckorna.", 200)
	if !strings.Contains(bodyText(t, schoolTab), "Frånvaro 35 %") {
		t.Error("the school's share is not shown")
	}
	checkAxe(t, schoolTab, "SSPF-ärende, skolan")
	// The police try police contacts, outside the scope.
	policeTab := signedInTab(t, browser, phone, srv.URL, police)
	share(t, policeTab, srv.URL+case1, sspf.InfoPolice, "Omhändertagen en gång i oktober.", 422)
	if msg := textOf(t, policeTab, "#felsammanfattning"); !strings.Contains(msg, "Samtycket omfattar inte kontakter med polisen till skola, fritid") {
		t.Errorf("the refusal says %q", msg)
	}
	checkAxe(t, policeTab, "SSPF-ärende, nekad delning")

	// Case 2: turned 15 five days ago, after the guardians' consent.
	fifteen := sspf.ExampleNumber(today.AddYears(-15)-5, 512)
	case2 := newSSPFCaseByForm(t, tab, srv.URL, fifteen, "Elias Låtsasson", today-60)
	consent(t, tab, srv.URL+case2, today-20, []string{"skola:narvaro", "polis:narvaro", "fritid:narvaro"})
	if body := bodyText(t, tab); !strings.Contains(body, "Underskrift saknas: Den unga själv (fyllde 15 år "+(today-5).String()+")") ||
		!strings.Contains(body, "Den unga fyllde 15 år") {
		t.Errorf("the page does not ask for the young person's own consent:\n%s", body)
	}
	share(t, schoolTab, srv.URL+case2, sspf.InfoAttendance, "Frånvaro 20 %.", 422)
	if msg := textOf(t, schoolTab, "#felsammanfattning"); !strings.Contains(msg, "underskrift saknas från den unga själv") {
		t.Errorf("sharing after the 15th birthday: %q", msg)
	}
	navigate(t, tab, srv.URL+case2)
	do(t, tab, chromedp.SetValue(chromedp.CSS(`form[action$="/underskrift"] select`), sspf.SignerYouth))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/underskrift"] button[type=submit]`))); st != 200 {
		t.Fatalf("the young person's signature: status %d", st)
	}
	share(t, schoolTab, srv.URL+case2, sspf.InfoAttendance, "Frånvaro 20 %.", 200)

	// A withdrawal hides case 1's shares from the school, at once.
	navigate(t, tab, srv.URL+case1)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/aterkalla"] button[type=submit]`))); st != 200 {
		t.Fatalf("withdrawal: status %d", st)
	}
	if !strings.Contains(bodyText(t, tab), "Frånvaro 35 %") {
		t.Error("social services no longer see the share")
	}
	navigate(t, schoolTab, srv.URL+case1)
	if body := bodyText(t, schoolTab); strings.Contains(body, "Frånvaro 35 %") || !strings.Contains(body, "Dold: samtycket") {
		t.Errorf("after the withdrawal the school sees:\n%s", body)
	}
	checkAxe(t, schoolTab, "SSPF-ärende, återkallat")

	// Case 2 becomes active; a team meeting decides an action on it.
	for _, st := range []string{sspf.StateConsent, sspf.StateActive} {
		navigate(t, tab, srv.URL+case2)
		do(t, tab, chromedp.SetValue(chromedp.ID("state"), st))
		if code := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/lage"] button[type=submit]`))); code != 200 {
			t.Fatalf("state %s: status %d", st, code)
		}
	}
	if body := bodyText(t, tab); !strings.Contains(body, "Uppföljning") || !strings.Contains(body, today.AddMonths(3).String()) {
		t.Errorf("no follow-up days:\n%s", body)
	}
	navigate(t, tab, srv.URL+"/tidiga-insatser/moten")
	do(t, tab, chromedp.SetValue(chromedp.ID("day"), today.String()))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action="/tidiga-insatser/moten"] button[type=submit]`))); st != 200 {
		t.Fatalf("new meeting: status %d", st)
	}
	if body := bodyText(t, tab); !strings.Contains(body, "Elias Låtsasson") {
		t.Errorf("the agenda lacks the active case:\n%s", body)
	}
	checkAxe(t, tab, "SSPF-teammöte")
	do(t, tab, chromedp.SendKeys(chromedp.ID("title"), "Erbjud plats i fotbollslagets träningsgrupp"),
		chromedp.SetValue(chromedp.ID("owner"), sspf.PartLeisure), chromedp.SetValue(chromedp.ID("deadline"), (today+14).String()))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/beslut"] button[type=submit]`))); st != 200 {
		t.Fatalf("decision: status %d:\n%s", st, bodyText(t, tab))
	}
	navigate(t, tab, srv.URL+case2)
	if body := bodyText(t, tab); !strings.Contains(body, "Erbjud plats i fotbollslagets träningsgrupp: Fritid, klar senast "+(today+14).String()) {
		t.Errorf("the case lacks the action:\n%s", body)
	}

	// Vem har sett vad.
	navigate(t, tab, srv.URL+case1+"/atkomst")
	log := bodyText(t, tab)
	for _, want := range []string{"Kim Kurator", "Delade närvaro i skolan med stöd av samtycke", "Nekades att dela kontakter med polisen",
		"Registrerade att samtycket återkallats", "Pelle Kommunpolis"} {
		if !strings.Contains(log, want) {
			t.Errorf("the access log lacks %q:\n%s", want, log)
		}
	}
	checkAxe(t, tab, "vem har sett vad")

	// Outsiders: not found on every URL of the case.
	for _, acc := range []account{outsider, samordnare, admin} {
		other := signedInTab(t, browser, phone, srv.URL, acc)
		for _, p := range []string{case1, case1 + "/atkomst", docLink, case2} {
			if st := navigate(t, other, srv.URL+p); st != 404 {
				t.Errorf("%s opens %s: status %d, want 404", acc.Email, p, st)
			}
		}
	}
	statsTab := signedInTab(t, browser, phone, srv.URL, samordnare)
	if st := navigate(t, statsTab, srv.URL+"/statistik/tidiga-insatser"); st != 200 {
		t.Fatalf("statistics: status %d", st)
	}
	checkAxe(t, statsTab, "statistik tidiga insatser")

	// Closing with an outcome, and retention: the closing is backdated in
	// the database, as if the retention period had passed.
	navigate(t, tab, srv.URL+case1)
	do(t, tab, chromedp.SetValue(chromedp.ID("state"), sspf.StateClosed), chromedp.SetValue(chromedp.ID("outcome"), "samtycke_aterkallat"))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/lage"] button[type=submit]`))); st != 200 {
		t.Fatalf("closing: status %d:\n%s", st, bodyText(t, tab))
	}
	if body := bodyText(t, tab); !strings.Contains(body, "Avslutad: Samtycket återkallat") {
		t.Errorf("the closed case:\n%s", body)
	}
	backdateClosing(t, srv.DB, 400)
	if out := cli(t, srv.DB, "", "sspf", "purge", "--months", "12"); !strings.Contains(out, "1 SSPF-ärenden gallrades") {
		t.Errorf("purge said %q", out)
	}
	if st := navigate(t, tab, srv.URL+case1); st != 404 {
		t.Errorf("the purged case: status %d, want 404", st)
	}
	if st := navigate(t, tab, srv.URL+case2); st != 200 {
		t.Errorf("the open case after retention: status %d", st)
	}

	// Nothing personal in the server's output.
	out := srv.output()
	if f := pii.Find(out); f != nil && (f.Kind == pii.Personnummer || f.Kind == pii.Samordningsnummer) {
		t.Errorf("the server's output holds a personnummer: %q", out[f.Start:f.End])
	}
	for _, secret := range []string{young, fifteen, young[2:8], "Nora", "Påhittad", "Elias", "Låtsasson", "Frånvaro"} {
		if strings.Contains(out, secret) {
			t.Errorf("the server's output holds %q", secret)
		}
	}
}

// newSSPFCaseByForm registers a case through the form, first with a wrong
// check digit, and returns the case's path.
func newSSPFCaseByForm(t *testing.T, tab context.Context, base, id, name string, referred trygg.Day) string {
	t.Helper()
	navigate(t, tab, base+"/tidiga-insatser/ny")
	wrong := id[:11] + string(rune('0'+(id[11]-'0'+1)%10))
	do(t, tab,
		chromedp.SendKeys(chromedp.ID("youth_id"), wrong[:8]+"-"+wrong[8:]),
		chromedp.SendKeys(chromedp.ID("youth_name"), name),
		chromedp.SetValue(chromedp.ID("reason"), "skolfranvaro"),
		chromedp.SetValue(chromedp.ID("referring_part"), sspf.PartSchool),
		chromedp.SetValue(chromedp.ID("referred_on"), referred.String()),
		chromedp.SetValue(chromedp.ID("team"), valueOf(t, tab, "#team option:nth-child(2)")),
	)
	save := chromedp.Click(chromedp.CSS(`form[action="/tidiga-insatser/ny"] button[type=submit]`))
	if st := submitAndWait(t, tab, save); st != 422 {
		t.Fatalf("a wrong personnummer: status %d, want 422", st)
	}
	if msg := textOf(t, tab, "#youth_id-fel"); !strings.Contains(msg, "inte giltigt") {
		t.Errorf("the error at the number says %q", msg)
	}
	checkAxe(t, tab, "Nytt SSPF-ärende med fel")
	checkNoSideScroll(t, tab, "Nytt SSPF-ärende med fel")
	do(t, tab, clearField("#youth_id"), chromedp.SendKeys(chromedp.ID("youth_id"), id[:8]+"-"+id[8:]))
	if st := submitAndWait(t, tab, save); st != 200 {
		t.Fatalf("new case: status %d:\n%s", st, bodyText(t, tab))
	}
	p := pagePath(t, tab)
	if !strings.HasPrefix(p, "/tidiga-insatser/arenden/") || strings.Contains(p, id[2:8]) {
		t.Fatalf("after saving the browser is at %s", p)
	}
	checkAxe(t, tab, "SSPF-ärende")
	checkNoSideScroll(t, tab, "SSPF-ärende")
	return p
}

// consent records both guardians' consent with scope and a signed PDF,
// first without a file.
func consent(t *testing.T, tab context.Context, casePath string, given trygg.Day, scope []string) {
	t.Helper()
	navigate(t, tab, casePath)
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Click(chromedp.ID("signed-" + sspf.SignerGuardian1)), chromedp.Click(chromedp.ID("signed-" + sspf.SignerGuardian2)),
		chromedp.SetValue(chromedp.ID("given_on"), given.String()),
	}
	for _, s := range scope {
		steps = append(steps, chromedp.Click(chromedp.ID("scope-"+strings.Replace(s, ":", "-", 1))))
	}
	do(t, tab, steps...)
	save := chromedp.Click(chromedp.CSS(`form[action$="/samtycke"] button[type=submit]`))
	if st := submitAndWait(t, tab, save); st != 422 {
		t.Fatalf("a consent without its document: status %d", st)
	}
	if msg := textOf(t, tab, "#document-fel"); !strings.Contains(msg, "PDF, JPEG eller PNG") {
		t.Errorf("the error at the document says %q", msg)
	}
	if n := count(t, tab, `input[name=scope]:checked`); n != len(scope) {
		t.Errorf("after the error %d scope boxes are checked, want %d", n, len(scope))
	}
	checkAxe(t, tab, "samtycke utan dokument")
	pdf := filepath.Join(t.TempDir(), "samtycke.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n% undertecknat samtycke\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, tab, chromedp.SetUploadFiles(chromedp.ID("document"), []string{pdf}))
	if st := submitAndWait(t, tab, save); st != 200 {
		t.Fatalf("consent: status %d:\n%s", st, bodyText(t, tab))
	}
}

// share shares one piece of information and checks the status.
func share(t *testing.T, tab context.Context, casePath, info, text string, want int64) {
	t.Helper()
	navigate(t, tab, casePath)
	do(t, tab, chromedp.SetValue(chromedp.ID("info"), info), chromedp.SendKeys(chromedp.ID("text"), text))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/dela"] button[type=submit]`))); st != want {
		t.Fatalf("sharing %s: status %d, want %d:\n%s", info, st, want, bodyText(t, tab))
	}
}

// backdateClosing moves the closing day of every closed case days back in
// the SQLite database, as if that time had passed.
func backdateClosing(t *testing.T, dbURL string, days int) {
	t.Helper()
	execSQL(t, dbURL, "UPDATE sspf_cases SET closed_on = closed_on - ? WHERE closed_on IS NOT NULL", days)
}

// execSQL runs a statement on the SQLite database behind the server's back,
// for a test that moves time on for the rows it names.
func execSQL(t *testing.T, dbURL, query string, args ...any) {
	t.Helper()
	path := strings.TrimPrefix(dbURL, "sqlite:")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatal(err)
	}
}
