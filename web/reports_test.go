package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
)

func reportForm1() url.Values {
	return url.Values{
		"area": {"alidhem"}, "category": {"ungdomar_stok"}, "place_type": {"centrum"}, "severity": {"2"},
		"occurred_at": {"2026-11-20T19:05"}, "description": {"Grupp ungdomar vid torget, kastade flaskor."},
	}
}

func TestFileReport(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "rapportor")

	page := c.get("/rapporter/ny?omrade=haga")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, `<option value="haga" selected>`, `value="2026-11-20T19:30"`, // now, in Swedish time
		`class="district-map"`, "aldrig namn, personnummer, telefonnummer eller e-post")

	resp := c.post("/rapporter/ny", reportForm1())
	wantStatus(t, resp, http.StatusSeeOther)
	if !strings.HasPrefix(resp.Header.Get("Location"), "/rapporter/") {
		t.Fatalf("redirect to %q", resp.Header.Get("Location"))
	}
	detail := c.follow(resp)
	wantStatus(t, detail, http.StatusOK)
	wantContains(t, detail.Body, "Rapporten är sparad.", "Grupp ungdomar vid torget", "2026-11-20 19:05", "Ålidhem")

	metrics := env.anonymous(t).get("/metrics").Body
	wantContains(t, metrics, "trygg_reports_filed_total 1")

	// The free text and the e-mail never reach the log.
	logs := env.Logs.String()
	for _, secret := range []string{"Grupp ungdomar", "rapportor@example.se", testPassword, "omrade=haga"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log holds %q", secret)
		}
	}
	wantContains(t, logs, `"route":"report_create"`, `"status":303`)
}

func TestFileReportPersonnummer(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "rapportor")
	form := reportForm1()
	form.Set("description", "Pojken 811218-9876 sprayade på väggen.")
	form.Set("category", "")
	resp := c.post("/rapporter/ny", form)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body,
		`<a href="#description">Beskrivningen verkar innehålla ett personnummer`, // the summary names the field
		`id="description-fel"`, `aria-describedby="description-hint description-fel" aria-invalid="true"`,
		`<a href="#category">`,
		`value="alidhem" selected`, `value="centrum" checked`, "811218-9876 sprayade") // the typed values come back
	page, err := env.Config.Reports.FindReports(trygg.NewContextWithUser(context.Background(), env.Users["rapportor"]), trygg.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 2 {
		t.Errorf("the refused report was stored: %d reports", page.Total)
	}
}

func TestFileReportAreaFromPosition(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "rapportor")
	form := reportForm1()
	form.Set("area", "")
	form.Set("lat", "63.825")
	form.Set("lon", "20.27")
	resp := c.post("/rapporter/ny", form)
	wantStatus(t, resp, http.StatusSeeOther)
	wantContains(t, c.follow(resp).Body, "<dd>Haga</dd>", "Position (avrundad")

	form.Set("lat", "59.33") // Stockholm: outside every district
	form.Set("lon", "18.06")
	resp = c.post("/rapporter/ny", form)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, "Din position ligger utanför kommunens områden")
}

// importReports adds n reports for polisen in area, one hour apart.
func importReports(t *testing.T, env *testEnv, area string, n int) {
	t.Helper()
	rows := make([]trygg.ImportRow, n)
	for i := range rows {
		rows[i] = trygg.ImportRow{Line: i + 2, Input: trygg.ReportInput{
			OccurredAt: testNow.Add(-time.Duration(i+1) * time.Hour), AreaCode: area, Category: "skadegorelse",
			PlaceType: "gata", Severity: 1 + i%3, Description: fmt.Sprintf("Krossad busskur nummer %d.", i)}}
	}
	if _, err := env.Config.Reports.ImportReports(trygg.NewOperatorContext(context.Background()), "polisen", rows); err != nil {
		t.Fatal(err)
	}
}

func TestReportListFiltersPagesAndExports(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	importReports(t, env, "haga", 55)
	c := env.signIn(t, "samordnare")

	all := c.get("/rapporter")
	wantStatus(t, all, http.StatusOK)
	wantContains(t, all.Body, "Visar 1–50 av 58 rapporter")

	q := "fran=2026-11-01&omrade=haga&till=2026-11-20"
	page1 := c.get("/rapporter?" + q)
	wantStatus(t, page1, http.StatusOK)
	wantContains(t, page1.Body, "Visar 1–50 av 55 rapporter", `<option value="haga" selected>`,
		`href="/rapporter/export.csv?`+strings.ReplaceAll(q, "&", "&amp;")+`"`,
		`href="/rapporter?fran=2026-11-01&amp;omrade=haga&amp;sida=2&amp;till=2026-11-20"`)
	if strings.Contains(page1.Body, "Klotter på skolans vägg") {
		t.Error("the area filter let another area's report through")
	}
	page2 := c.get("/rapporter?" + q + "&sida=2")
	wantContains(t, page2.Body, "Visar 51–55 av 55 rapporter", `aria-current="page"><span class="visually-hidden">Sida </span>2<`)

	bad := c.get("/rapporter?fran=igår")
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad.Body, `<a href="#fran">Från-datum ska skrivas som ÅÅÅÅ-MM-DD.</a>`)

	csvResp := c.get("/rapporter/export.csv?" + q)
	wantStatus(t, csvResp, http.StatusOK)
	if ct := csvResp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q", ct)
	}
	if cc := csvResp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("export Cache-Control %q", cc)
	}
	records, err := csv.NewReader(strings.NewReader(csvResp.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 56 {
		t.Errorf("CSV has %d data rows, want 55", len(records)-1)
	}
	areaCol := -1
	for i, h := range records[0] {
		if h == "area" {
			areaCol = i
		}
	}
	for _, rec := range records[1:] {
		if rec[areaCol] != "haga" {
			t.Fatalf("CSV row outside the filter: %v", rec)
		}
	}

	geo := c.get("/rapporter/export.geojson?" + q + "&allvar=3")
	wantStatus(t, geo, http.StatusOK)
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Properties struct {
				Area     string `json:"area"`
				Severity int    `json:"severity"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(geo.Body), &fc); err != nil {
		t.Fatal(err)
	}
	listed := c.get("/rapporter?" + q + "&allvar=3")
	wantContains(t, listed.Body, "av "+strconv.Itoa(len(fc.Features))+" rapporter")
	if fc.Type != "FeatureCollection" || len(fc.Features) != 18 {
		t.Errorf("GeoJSON: type %q with %d features, want 18", fc.Type, len(fc.Features))
	}
	for _, f := range fc.Features {
		if f.Properties.Area != "haga" || f.Properties.Severity != 3 {
			t.Fatalf("GeoJSON feature outside the filter: %+v", f.Properties)
		}
	}
}

// TestReportListByOrganisationType: the lägesbild's links carry its
// organisation-type filter, so the list must count the same reports.
func TestReportListByOrganisationType(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "samordnare")
	police := env.Reports[len(env.Reports)-1]
	byPolice := c.get("/rapporter?orgtyp=polis")
	wantStatus(t, byPolice, http.StatusOK)
	wantContains(t, byPolice.Body, "av 1 rapporter", fmt.Sprintf(`href="/rapporter/%d"`, police.ID), `id="orgtyp-polis" name="orgtyp" value="polis" checked`)
	both := c.get("/rapporter?orgtyp=polis&orgtyp=skola")
	wantContains(t, both.Body, fmt.Sprintf("av %d rapporter", len(env.Reports)))
	wantContains(t, c.get("/rapporter/export.csv?orgtyp=skola").Body, env.Reports[0].Description)

	bad := c.get("/rapporter?orgtyp=okand")
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad.Body, `<a href="#orgtyp">Organisationstypen &#34;okand&#34; finns inte.</a>`)
}

func TestMyReports(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	importReports(t, env, "haga", 3) // polisen's, filed by no one
	c := env.signIn(t, "rapportor2")
	mine := c.get("/rapporter/mina")
	wantStatus(t, mine, http.StatusOK)
	wantContains(t, mine.Body, "Visar 1–1 av 1 rapporter", fmt.Sprintf(`href="/rapporter/%d"`, env.Reports[2].ID))
	all := c.get("/rapporter")
	wantContains(t, all.Body, "Visar 1–4 av 4 rapporter") // the organisation's, not skolan's
}

func TestRapportorCannotSeeOtherOrganisationsReport(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "rapportor")
	other := env.Reports[2].ID // polisen's
	for _, path := range []string{"/rapporter/%d", "/rapporter/%d/redigera"} {
		resp := c.get(fmt.Sprintf(path, other))
		wantStatus(t, resp, http.StatusNotFound)
		wantContains(t, resp.Body, "Sidan hittades inte")
	}
	wantStatus(t, c.post(fmt.Sprintf("/rapporter/%d/redigera", other), reportForm1()), http.StatusNotFound)
	wantStatus(t, c.post(fmt.Sprintf("/rapporter/%d/radera", other), url.Values{"reason": {"fel"}}), http.StatusNotFound)
	wantStatus(t, c.get("/rapporter/999999"), http.StatusNotFound)
	wantStatus(t, c.get("/rapporter/abc"), http.StatusNotFound)
	if strings.Contains(c.get("/rapporter").Body, fmt.Sprintf(`href="/rapporter/%d"`, other)) {
		t.Error("the list shows another organisation's report")
	}
}

func TestEditReportKeepsHistory(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "rapportor")
	id := env.Reports[0].ID
	edit := c.get(fmt.Sprintf("/rapporter/%d/redigera", id))
	wantStatus(t, edit, http.StatusOK)
	wantContains(t, edit.Body, "Klotter på skolans vägg, fall 1.", `value="klotter" checked`, `value="2026-11-19T19:30"`)

	form := url.Values{"area": {"alidhem"}, "category": {"klotter"}, "place_type": {"skola"}, "severity": {"3"},
		"occurred_at": {"2026-11-19T19:30"}, "description": {"Klotter på skolans vägg och dörr."}}
	resp := c.post(fmt.Sprintf("/rapporter/%d/redigera", id), form)
	wantStatus(t, resp, http.StatusSeeOther)
	detail := c.follow(resp)
	wantContains(t, detail.Body, "Ändringen är sparad.", "Klotter på skolans vägg och dörr.", "3 – Hög",
		"<h3>Version 1</h3>", "Klotter på skolans vägg, fall 1.", "av Test rapportor")

	form.Set("description", "Ring 070-123 45 67.")
	resp = c.post(fmt.Sprintf("/rapporter/%d/redigera", id), form)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `<a href="#description">Beskrivningen verkar innehålla`)
}

// TestEditReportConflict: two people open the same report; the second
// to save is told that it has changed, and nothing of theirs is written.
func TestEditReportConflict(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	first, second := env.signIn(t, "rapportor"), env.signIn(t, "samordnare")
	id := env.Reports[0].ID
	for _, c := range []*testClient{first, second} {
		wantContains(t, c.get(fmt.Sprintf("/rapporter/%d/redigera", id)).Body, `name="version" value="1"`)
	}
	form := url.Values{"area": {"alidhem"}, "category": {"klotter"}, "place_type": {"skola"}, "severity": {"3"},
		"occurred_at": {"2026-11-19T19:30"}, "description": {"Första ändringen."}, "version": {"1"}}
	wantStatus(t, first.post(fmt.Sprintf("/rapporter/%d/redigera", id), form), http.StatusSeeOther)

	form.Set("description", "Andra ändringen, från samma version.")
	form.Del(csrfField) // the first client's
	resp := second.post(fmt.Sprintf("/rapporter/%d/redigera", id), form)
	wantStatus(t, resp, http.StatusConflict)
	wantContains(t, resp.Body, "Rapporten har ändrats av någon annan sedan du öppnade den (nu version 2).",
		"Andra ändringen, från samma version.")
	wantContains(t, second.get(fmt.Sprintf("/rapporter/%d", id)).Body, "Första ändringen.")

	form.Set("version", "ett")
	wantContains(t, second.post(fmt.Sprintf("/rapporter/%d/redigera", id), form).Body, `<a href="#version">Formuläret är skadat`)
}

func TestDeleteReport(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "rapportor")
	id := env.Reports[0].ID
	resp := c.post(fmt.Sprintf("/rapporter/%d/radera", id), url.Values{"reason": {"  "}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `<a href="#reason">`, `id="reason-fel"`)

	resp = c.post(fmt.Sprintf("/rapporter/%d/radera", id), url.Values{"reason": {"Dubbelrapporterad."}})
	wantStatus(t, resp, http.StatusSeeOther)
	wantContains(t, c.follow(resp).Body, "Rapporten är raderad.")
	if strings.Contains(c.get("/rapporter").Body, fmt.Sprintf(`href="/rapporter/%d"`, id)) {
		t.Error("a deleted report is still listed")
	}

	s := env.signIn(t, "samordnare")
	deleted := s.get("/rapporter?raderade=1")
	wantContains(t, deleted.Body, fmt.Sprintf(`href="/rapporter/%d"`, id), "(raderad)")
	wantContains(t, s.get(fmt.Sprintf("/rapporter/%d", id)).Body, "Skäl: Dubbelrapporterad.")
}

func TestOverviewForLasare(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "lasare")
	home := c.get("/")
	wantStatus(t, home, http.StatusSeeOther)
	if home.Header.Get("Location") != "/lagesbild" {
		t.Errorf("läsare starts at %q, want the lägesbild", home.Header.Get("Location"))
	}
	o := c.get("/oversikt")
	wantStatus(t, o, http.StatusOK)
	wantContains(t, o.Body, "<strong>3</strong>", `<th scope="row">Ålidhem</th><td class="num">3</td><td class="num">0,4</td>`,
		`<th scope="row">Klotter</th><td class="num">3</td>`)
	if strings.Contains(o.Body, "Klotter på skolans vägg") {
		t.Error("the overview shows a single report's text")
	}
	wantStatus(t, c.get(fmt.Sprintf("/rapporter/%d", env.Reports[0].ID)), http.StatusNotFound)
}
