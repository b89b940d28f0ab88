package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
)

// twoDistricts is a GeoJSON FeatureCollection of two small made-up
// districts, the kind of file an admin imports.
const twoDistricts = `{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"code": "norr", "name": "Norrby", "population": 4200},
  "geometry": {"type": "Polygon", "coordinates": [[[20.20, 63.83], [20.24, 63.83], [20.24, 63.85], [20.20, 63.85], [20.20, 63.83]]]}},
 {"type": "Feature", "properties": {"code": "soder", "name": "Söderby", "population": 3100},
  "geometry": {"type": "Polygon", "coordinates": [[[20.20, 63.80], [20.24, 63.80], [20.24, 63.82], [20.20, 63.82], [20.20, 63.80]]]}}
]}`

// TestSetUpFromScratchWithoutJavaScript starts from an empty database, as
// a new municipality does: the operator adds the first admin with the CLI,
// and the admin, in a browser without JavaScript, imports the districts,
// adds an organisation and a reporter. The reporter signs in and files a
// report in an imported district. When the admin disables the reporter,
// the reporter's open session ends.
func TestSetUpFromScratchWithoutJavaScript(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverOptions{})
	cli(t, srv.DB, "", "org", "add", "--code", "kommunen", "--name", "Testkommunen", "--type", string(trygg.OrgMunicipal))
	admin := addUser(t, srv.DB, "admin@test.example", "Admin Adminsson", "kommunen", trygg.RoleAdmin)

	browser := newBrowser(t)
	adminTab := newTab(t, browser, desktop)
	disableScripts(t, adminTab)
	signIn(t, adminTab, srv.URL, admin)

	// Districts from a GeoJSON file.
	geojson := filepath.Join(t.TempDir(), "omraden.geojson")
	if err := os.WriteFile(geojson, []byte(twoDistricts), 0o600); err != nil {
		t.Fatal(err)
	}
	navigate(t, adminTab, srv.URL+"/admin/omraden")
	do(t, adminTab, chromedp.SetUploadFiles(chromedp.ID("file"), []string{geojson}))
	if st := submitAndWait(t, adminTab, chromedp.Click(chromedp.CSS(`form[action="/admin/omraden/import"] button[type=submit]`))); st != 200 {
		t.Fatalf("importing districts: status %d:\n%s", st, bodyText(t, adminTab))
	}
	navigate(t, adminTab, srv.URL+"/admin/omraden")
	if body := bodyText(t, adminTab); !strings.Contains(body, "Norrby") || !strings.Contains(body, "Söderby") {
		t.Fatalf("the imported districts are not listed:\n%s", body)
	}

	// An organisation and a reporter in it.
	navigate(t, adminTab, srv.URL+"/admin/organisationer")
	do(t, adminTab,
		chromedp.SendKeys(chromedp.ID("code"), "nattvandrarna"),
		chromedp.SendKeys(chromedp.ID("name"), "Nattvandrarna i Testkommunen"),
		chromedp.SetValue(chromedp.ID("type"), string(trygg.OrgAssociation)),
	)
	if st := submitAndWait(t, adminTab, chromedp.Click(chromedp.CSS(`form[action="/admin/organisationer"] button[type=submit]`))); st != 200 {
		t.Fatalf("creating the organisation: status %d:\n%s", st, bodyText(t, adminTab))
	}
	reporter := account{Email: "vandrare@test.example", Password: "e2e-" + randomWord(16)}
	navigate(t, adminTab, srv.URL+"/admin/anvandare")
	do(t, adminTab,
		chromedp.SendKeys(chromedp.ID("email"), reporter.Email),
		chromedp.SendKeys(chromedp.ID("name"), "Nattvandrare Nilsson"),
		chromedp.SetValue(chromedp.ID("org"), "nattvandrarna"),
		chromedp.Click(chromedp.ID("roll-"+string(trygg.RoleRapportor))),
		chromedp.SendKeys(chromedp.ID("password"), reporter.Password),
	)
	if st := submitAndWait(t, adminTab, chromedp.Click(chromedp.CSS(`form[action="/admin/anvandare"] button[type=submit]`))); st != 200 {
		t.Fatalf("creating the user: status %d:\n%s", st, bodyText(t, adminTab))
	}
	users := cli(t, srv.DB, "", "user", "list")
	if !strings.Contains(users, reporter.Email) || !strings.Contains(users, "nattvandrarna") {
		t.Fatalf("trygg user list does not show the new reporter in nattvandrarna:\n%s", users)
	}

	// The reporter files a report in an imported district, on a phone
	// without JavaScript.
	reporterTab := newTab(t, browser, phone)
	disableScripts(t, reporterTab)
	signIn(t, reporterTab, srv.URL, reporter)
	navigate(t, reporterTab, srv.URL+"/rapporter/ny")
	fillReport(t, reporterTab, reportInput{
		Area: "soder", Category: "nedskrapning", PlaceType: "park", Severity: 1,
		Description: "Mycket skräp vid grillplatsen i parken efter helgen.",
	}, true, true)
	if st := saveReport(t, reporterTab); st != 200 {
		t.Fatalf("filing the report: status %d:\n%s", st, bodyText(t, reporterTab))
	}
	id := currentReportID(t, reporterTab)
	navigate(t, reporterTab, srv.URL+"/rapporter/mina")
	if ids := listedReportIDs(t, reporterTab); !slices.Equal(ids, []int64{id}) {
		t.Errorf("Mina rapporter lists %v, want only the new report %d", ids, id)
	}

	// Disabling the reporter ends the reporter's session at once.
	navigate(t, adminTab, srv.URL+"/admin/anvandare")
	submitAndWait(t, adminTab, chromedp.Click(chromedp.JSPath(
		`Array.from(document.querySelectorAll("table tbody a")).find(a => a.textContent.includes("Nattvandrare Nilsson"))`)))
	if st := submitAndWait(t, adminTab, chromedp.Click(chromedp.CSS(`form[action$="/inaktivera"] button[type=submit]`))); st != 200 {
		t.Fatalf("disabling the user: status %d:\n%s", st, bodyText(t, adminTab))
	}
	navigate(t, reporterTab, srv.URL+"/rapporter/mina")
	if p := pagePath(t, reporterTab); !strings.HasPrefix(p, "/logga-in") {
		t.Errorf("a disabled user's session still shows %s, want the sign-in page", p)
	}
}

// TestServiceReceiver: the admin names, from the menu, the organisation
// that receives KAST referrals; its counsellor then starts from the
// reception page, which the menu lists. With the receiver removed, the
// counsellor is an ordinary rapportör again. The CLI sees the same.
func TestServiceReceiver(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverOptions{})
	cli(t, srv.DB, "", "org", "add", "--code", "kommunen", "--name", "Testkommunen", "--type", string(trygg.OrgMunicipal))
	cli(t, srv.DB, "", "org", "add", "--code", "kast", "--name", "KAST-mottagningen", "--type", string(trygg.OrgSocialServices))
	admin := addUser(t, srv.DB, "admin@test.example", "Admin Adminsson", "kommunen", trygg.RoleAdmin)
	counsellor := addUser(t, srv.DB, "radgivare@test.example", "Rådgivare Rask", "kast", trygg.RoleRapportor)

	browser := newBrowser(t)
	adminTab := signedInTab(t, browser, desktop, srv.URL, admin)
	setReceiver := func(org, shows string) {
		t.Helper()
		if st := submitAndWait(t, adminTab, chromedp.Click(chromedp.CSS(`nav.main-nav a[href="/admin/stodverksamheter"]`))); st != 200 {
			t.Fatalf("Stödverksamheter from the menu: status %d", st)
		}
		do(t, adminTab, chromedp.SetValue(chromedp.ID("org-kast"), org))
		if st := submitAndWait(t, adminTab, chromedp.Click(chromedp.CSS(`form[action="/admin/stodverksamheter/kast"] button[type=submit]`))); st != 200 {
			t.Fatalf("saving the receiver: status %d:\n%s", st, bodyText(t, adminTab))
		}
		if row := textOfRow(t, adminTab, "KAST – köpare av sexuell tjänst"); !strings.Contains(row, shows) || !strings.Contains(textOf(t, adminTab, ".flash"), "Mottagaren är sparad") {
			t.Fatalf("after saving %q, the KAST row reads %q", org, row)
		}
		checkAxe(t, adminTab, "Stödverksamheter, sparad")
	}

	setReceiver("kast", "KAST-mottagningen")
	if list := cli(t, srv.DB, "", "services", "list"); !strings.Contains(list, "kast\tkast\t") {
		t.Fatalf("trygg services list does not show the receiver:\n%s", list)
	}
	counsellorTab := signedInTab(t, browser, phone, srv.URL, counsellor)
	if p := pagePath(t, counsellorTab); p != "/operativ/mottagning" || count(t, counsellorTab, `nav.main-nav a[href="/operativ/mottagning"]`) != 1 {
		t.Fatalf("the counsellor starts from %s, with %d menu entries Mottagning", p, count(t, counsellorTab, `nav.main-nav a[href="/operativ/mottagning"]`))
	}

	setReceiver("", "Ingen")
	navigate(t, counsellorTab, srv.URL+"/")
	if p := pagePath(t, counsellorTab); p != "/rapporter/ny" || count(t, counsellorTab, `nav.main-nav a[href="/operativ/mottagning"]`) != 0 {
		t.Fatalf("without the receiver the counsellor starts from %s", p)
	}
}
