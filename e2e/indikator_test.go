package e2e

import (
	"bytes"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/demo"
)

// TestIndicatorsAndYearlyPlan is issue 17's errand end to end: the
// committed fixtures of Kolada, BRÅ, Polisen and the population are
// imported with the CLI; the samordnare makes a peer group, sees the peer
// chart with its median, band, rank and text table, measures a commitment
// by an imported indicator, and takes the year's lägesbild and åtgärdsplan
// from draft to decided to published, with its PDF; the public reads it.
func TestIndicatorsAndYearlyPlan(t *testing.T) {
	t.Parallel()
	buildTrygg(t)
	db := sqliteURL(t)
	cli(t, db, "", "migrate")
	cli(t, db, "", "org", "add", "--code", "polisen", "--name", "Polisen lokalpolisområde Umeå", "--type", "polis")
	sam := addUser(t, db, "samordnare@e2e.trygg.local", "Sam Samordnare", "polisen", trygg.RoleSamordnare)
	fixture := func(name string) string { return filepath.Join("..", "reportio", "testdata", "indikator", name) }
	for _, f := range []struct{ source, file string }{{"kolada", "kolada_data.json"}, {"bra", "bra.csv"}, {"polisen", "polisen.csv"}, {"befolkning", "befolkning.csv"}} {
		args := []string{"import", "indicators", "--source", f.source, "--retrieved", "2026-03-01", fixture(f.file)}
		if f.source == "kolada" {
			args = append(args, "--kpi", fixture("kolada_kpi.json"))
		}
		if out := cli(t, db, "", args...); !strings.Contains(out, "Importerade") {
			t.Fatalf("import %s: %q", f.source, out)
		}
	}
	srv := startServer(t, serverOptions{DB: db})
	browser := newBrowser(t)
	tab := signedInTab(t, browser, desktop, srv.URL, sam)

	// The peer group, made in the form.
	navigate(t, tab, srv.URL+"/indikatorer/grupper")
	checkAxe(t, tab, "Jämförelsegrupper")
	do(t, tab, setField("#name", "Norrlandsstäder"), setField("#municipality", "2480"), setField("#members", "2580, 2482, 2281, 2380, 2284"))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action="/indikatorer/grupper"] button[type=submit]`))); st != 200 {
		t.Fatalf("saving the peer group: %d:\n%s", st, bodyText(t, tab))
	}

	// The peer charts.
	if st := navigate(t, tab, srv.URL+"/indikatorer?kalla=kolada"); st != 200 {
		t.Fatalf("/indikatorer: %d", st)
	}
	if n := count(t, tab, "svg.peer-chart"); n != 3 {
		t.Errorf("%d peer charts for Kolada, want 3", n)
	}
	if n := count(t, tab, "svg.peer-chart path.band"); n < 3 {
		t.Errorf("%d interquartile bands, want one a chart", n)
	}
	if n := count(t, tab, "svg.peer-chart path.median"); n < 3 {
		t.Errorf("%d median lines, want one a chart", n)
	}
	if n := count(t, tab, "details table caption"); n != 3 {
		t.Errorf("%d text tables, want 3", n)
	}
	body := bodyText(t, tab)
	for _, want := range []string{"Nettokostnadsavvikelse individ- och familjeomsorg", "Plats i gruppen", "av 6", "Förändring på fem år", "Umeå"} {
		if !strings.Contains(body, want) {
			t.Errorf("/indikatorer lacks %q", want)
		}
	}
	checkAxe(t, tab, "Indikatorer")
	navigate(t, tab, srv.URL+"/indikatorer?kalla=bra&per=1000")
	checkAxe(t, tab, "Indikatorer, Brå per 1 000 invånare")

	// The samordnare's settings of a series: an empty name is shown again
	// with its error; a new name and polarity are kept.
	navigate(t, tab, srv.URL+"/indikatorer/serie/kolada_n99901")
	do(t, tab, clearField("#name"))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action="/indikatorer/serie/kolada_n99901"] button[type=submit]`))); st != 422 {
		t.Fatalf("an empty name: %d", st)
	}
	checkAxe(t, tab, "Seriens inställningar med fel")
	do(t, tab, setField("#name", "Nettokostnadsavvikelse IFO (egen rubrik)"), setField("#polarity", "lagre"))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action="/indikatorer/serie/kolada_n99901"] button[type=submit]`))); st != 200 {
		t.Fatalf("saving the settings: %d:\n%s", st, bodyText(t, tab))
	}
	if body := bodyText(t, tab); !strings.Contains(body, "Seriens inställningar är sparade.") || !strings.Contains(body, "Nettokostnadsavvikelse IFO (egen rubrik)") {
		t.Errorf("the saved settings:\n%.1500s", body)
	}

	// A commitment measured by an imported indicator.
	navigate(t, tab, srv.URL+"/samverkan/ny")
	do(t, tab,
		setField("#type", "trygghetsavtal"),
		setField("#title", "Långsiktigt trygghetsavtal"),
		setField("#from", "2020-01-01"),
		setField("#to", "2027-12-31"),
		setField("#party_org_1", "polisen"),
		setField("#party_signatory_1", "Lokalpolisområdeschef"),
	)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`main form button[type=submit]`))); st != 200 {
		t.Fatalf("creating the agreement: %d:\n%s", st, bodyText(t, tab))
	}
	submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`a[href$="/atagande/ny"]`)))
	do(t, tab,
		setField("#text", "Hålla kostnaden för det brottsförebyggande arbetet i schack."),
		setField("#owner", "polisen"),
		setField("#target_text", "Högst 70 kr per invånare"),
		setField("#target_kind", "hogst"),
		setField("#target_value", "70"),
		setField("#indicator_source", "indikator"),
		setField("#indicator_name", "Kostnad per invånare (Kolada)"),
		setField("#indicator_series", "kolada_n99903"),
	)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`main form button[type=submit]`))); st != 200 {
		t.Fatalf("creating the commitment: %d:\n%s", st, bodyText(t, tab))
	}
	if light := textOf(t, tab, ".light"); !strings.Contains(light, "Grönt") {
		t.Errorf("the commitment's light is %q, want green from Kolada's 62 kr", light)
	}
	checkAxe(t, tab, "Åtagande mätt med en indikator")

	// The yearly document: draft, texts, decided, PDF, published.
	year := strconv.Itoa(time.Now().In(trygg.Stockholm).Year())
	navigate(t, tab, srv.URL+"/arsplan")
	checkAxe(t, tab, "Lägesbild och åtgärdsplan per år")
	do(t, tab, setField("#year", year))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action="/arsplan"] button[type=submit]`))); st != 200 {
		t.Fatalf("drafting: %d:\n%s", st, bodyText(t, tab))
	}
	if p := pagePath(t, tab); p != "/arsplan/"+year+"/1" {
		t.Fatalf("the draft is at %s", p)
	}
	if body := bodyText(t, tab); !strings.Contains(body, "Nettokostnadsavvikelse") || !strings.Contains(body, "Utkast") {
		t.Errorf("the draft lacks the indicators or its status:\n%.2000s", body)
	}
	causes := "Ungdomar samlas vid centrum kvällstid; få vuxna i rörelse."
	do(t, tab, setField("#summary", "Ett lugnare år i de flesta stadsdelar."), setField("#causes", causes))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/text"] button[type=submit]`))); st != 200 {
		t.Fatalf("saving the texts: %d", st)
	}
	checkAxe(t, tab, "Årsdokument, utkast")
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/besluta"] button[type=submit]`))); st != 200 {
		t.Fatalf("deciding: %d", st)
	}
	if n := count(t, tab, `form[action$="/text"]`); n != 0 {
		t.Error("the decided version can still be edited")
	}
	if body := bodyText(t, tab); !strings.Contains(body, "Beslutad") || !strings.Contains(body, "SHA-256") {
		t.Errorf("the decided version:\n%.1500s", body)
	}
	resp := fetchAsBrowser(t, tab, srv.URL+"/arsplan/"+year+"/1/pdf")
	pdf, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("Lagesbild och atgardsplan "+year)) {
		t.Errorf("the PDF: status %d, %d bytes, %v", resp.StatusCode, len(pdf), err)
	}
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action$="/publicera"] button[type=submit]`))); st != 200 {
		t.Fatalf("publishing: %d", st)
	}
	public := newTab(t, browser, phone)
	if st := navigate(t, public, srv.URL+"/offentlig/arsplan"); st != 200 {
		t.Fatalf("the public list: %d", st)
	}
	if st := submitAndWait(t, public, chromedp.Click(chromedp.CSS(`a[href="/offentlig/arsplan/`+year+`"]`))); st != 200 {
		t.Fatalf("the public document: %d", st)
	}
	if body := bodyText(t, public); !strings.Contains(body, causes) || !strings.Contains(body, "Lägesbild och åtgärdsplan "+year) {
		t.Errorf("the public document:\n%.1500s", body)
	}
	checkAxe(t, public, "Publicerad lägesbild och åtgärdsplan")
}

// TestDemoYearlyPlanIsPublic: the demo publishes last year's lägesbild and
// åtgärdsplan, which a resident reaches from the public front door, with
// the samordnare's texts, the peer comparison and the plan, on a phone.
func TestDemoYearlyPlanIsPublic(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverOptions{Demo: true})
	tab := newTab(t, newBrowser(t), phone)
	last := strconv.Itoa(time.Now().In(trygg.Stockholm).Year() - 1)
	navigate(t, tab, srv.URL+"/")
	if st := follow(t, tab, `main a[href="/offentlig"]`); st != 200 {
		t.Fatalf("/offentlig: %d", st)
	}
	if st := follow(t, tab, `main a[href="/offentlig/arsplan"]`); st != 200 {
		t.Fatalf("/offentlig/arsplan: %d", st)
	}
	checkAxe(t, tab, "Publicerade årsdokument i demon")
	if st := follow(t, tab, `main a[href="/offentlig/arsplan/`+last+`"]`); st != 200 {
		t.Fatalf("the demo's published document of %s: %d", last, st)
	}
	body := bodyText(t, tab)
	for _, want := range []string{"Lägesbild och åtgärdsplan " + last, "Orsaker", "vuxna i närheten", demo.DemoPeerGroup, "Åtgärdsplan"} {
		if !strings.Contains(body, want) {
			t.Errorf("the demo's published document lacks %q:\n%.2000s", want, body)
		}
	}
	checkAxe(t, tab, "Demons publicerade lägesbild och åtgärdsplan")
}
