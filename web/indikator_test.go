package web

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/samverkan"
)

const (
	// Every signed-in role reads the indicators; only the samordnare
	// imports and keeps the peer groups.
	signedInPages   = "anonymous=303 samordnare=200 rapportor=200 polis=200 socialtjanst=200 lasare=200 admin=200 disabled=303"
	indicatorPage   = "anonymous=303 samordnare=200 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=303"
	indicatorPost   = "anonymous=401 samordnare=303 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=401"
	indicatorUpload = "anonymous=401 samordnare=200 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=401"
)

func indicatorRows(env *testEnv) []accessRow {
	return []accessRow{
		{"GET /indikatorer", matrixGet("/indikatorer"), signedInPages},
		{"GET /indikatorer/serie/{code}", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			// Importing the same value again changes nothing.
			b := &indikator.Batch{Source: indikator.SourceKolada, Series: []indikator.Series{{Code: "kolada_n99901", Name: "Test", Source: indikator.SourceKolada,
				Kind: indikator.KindMeasure, Polarity: indikator.Neutral, Retrieved: trygg.DateDay(2026, 3, 1)}},
				Values: []indikator.Value{{Series: "kolada_n99901", Area: "2480", Year: 2024, Value: 1}}}
			if _, err := env.Config.Indicators.Import(trygg.NewOperatorContext(context.Background()), b, "test"); err != nil {
				t.Fatal(err)
			}
			return c.client.get("/indikatorer/serie/kolada_n99901")
		}, signedInPages},
		{"POST /indikatorer/serie/{code}", matrixPost("/indikatorer/serie/kolada_n99901", func(int) url.Values {
			return url.Values{"name": {"Test"}, "polarity": {"lagre"}, "in_yearly": {"1"}}
		}), indicatorPost},
		{"GET /api/v1/indicators", matrixAPI("GET", "/api/v1/indicators", ""), apiLookups},
		{"GET /api/v1/indicators/{code}", matrixAPI("GET", "/api/v1/indicators/kolada_n99901", ""), apiLookups},
		{"GET /indikatorer/import", matrixGet("/indikatorer/import"), indicatorPage},
		{"POST /indikatorer/import", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			return postIndicatorFile(t, c.client, "befolkning", "befolkning.csv")
		}, indicatorUpload},
		{"GET /indikatorer/grupper", matrixGet("/indikatorer/grupper"), indicatorPage},
		{"POST /indikatorer/grupper", matrixPost("/indikatorer/grupper", func(int) url.Values {
			return url.Values{"name": {"Norrland"}, "municipality": {"2480"}, "members": {"2580 2281"}}
		}), indicatorPost},
	}
}

// seedIndicators imports the Kolada fixture and a peer group as the
// operator, so that the pages have a series to show.
func seedIndicators(t *testing.T, env *testEnv) {
	t.Helper()
	ctx := trygg.NewOperatorContext(context.Background())
	if _, err := env.Config.Indicators.SavePeerGroup(ctx, &indikator.PeerGroup{Name: "Norrlandsstäder", Municipality: "2480",
		Members: []string{"2580", "2482", "2281", "2380", "2284"}}); err != nil {
		t.Fatal(err)
	}
	c := env.signIn(t, "samordnare")
	if resp := postIndicatorFile(t, c, "kolada", "kolada_data.json"); resp.StatusCode != http.StatusOK {
		t.Fatalf("import: %d %s", resp.StatusCode, resp.Body)
	}
}

// postIndicatorFile uploads a fixture of reportio to the import form.
func postIndicatorFile(t *testing.T, c *testClient, source, name string) response {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "reportio", "testdata", "indikator", name))
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fields := map[string]string{"source": source, "retrieved": "2026-03-01"}
	if c.csrf != "" {
		fields[csrfField] = c.csrf
	}
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if source == "kolada" {
		kpi, err := os.ReadFile(filepath.Join("..", "reportio", "testdata", "indikator", "kolada_kpi.json"))
		if err != nil {
			t.Fatal(err)
		}
		fw, err := mw.CreateFormFile("kpi_file", "kolada_kpi.json")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(kpi); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.env.HTTP.URL+"/indikatorer/import", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestIndicatorPages(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	seedIndicators(t, env)
	c := env.signIn(t, "lasare")
	page := c.get("/indikatorer")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("/indikatorer: %d", page.StatusCode)
	}
	wantContains(t, page.Body, "Nettokostnadsavvikelse individ- och familjeomsorg", `class="chart peer-chart"`, "Jämförelsegruppens median",
		"Mittersta hälften av gruppen", "Plats i gruppen", "Förändring på fem år", "<caption>", "Värdena som tabell", "öppna data", "Rapporter: ")
	one := c.get("/indikatorer/serie/kolada_n99901")
	wantContains(t, one.Body, "Jämförs med Norrlandsstäder", "Plats i gruppen")
	if r := c.get("/indikatorer/serie/finns_inte"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown series: %d", r.StatusCode)
	}
	// A rapportör reads the imported series but not Trygg's own.
	rap := env.signIn(t, "rapportor").get("/indikatorer")
	if strings.Contains(rap.Body, "Rapporter: ") || !strings.Contains(rap.Body, "Nettokostnadsavvikelse") {
		t.Error("the rapportör's page shows own series or lacks the imported ones")
	}
}

// TestSeriesSettings: the samordnare renames a series, sets its
// polarity and leaves it out of the yearly document; a bad form is shown
// again with the error on its field.
func TestSeriesSettings(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	seedIndicators(t, env)
	c := env.signIn(t, "samordnare")
	page := c.get("/indikatorer/serie/kolada_n99901")
	wantContains(t, page.Body, "Seriens inställningar", `<option value="lagre">`, `id="in_yearly" name="in_yearly" value="1" checked`)
	bad := c.post("/indikatorer/serie/kolada_n99901", url.Values{"name": {""}, "polarity": {"hogre"}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty name: %d", bad.StatusCode)
	}
	wantContains(t, bad.Body, `href="#name"`, "Ge serien ett namn", `<option value="hogre" selected>`)
	resp := c.follow(c.post("/indikatorer/serie/kolada_n99901", url.Values{"name": {"Kostnad (egen rubrik)"}, "polarity": {"lagre"}}))
	wantContains(t, resp.Body, "Seriens inställningar är sparade.", "Kostnad (egen rubrik)", `<option value="lagre" selected>`)
	if strings.Contains(resp.Body, `value="1" checked`) {
		t.Error("the series is still in the yearly document")
	}
	if lasare := env.signIn(t, "lasare").get("/indikatorer/serie/kolada_n99901"); strings.Contains(lasare.Body, "Seriens inställningar") {
		t.Error("a läsare sees the settings form")
	}
}

// TestOwnSeriesPerThousand: with a population series, an own count series
// is shown per 1,000 residents of the group's home municipality.
func TestOwnSeriesPerThousand(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	seedIndicators(t, env)
	pop := &indikator.Batch{Source: indikator.SourceBefolkning, Series: []indikator.Series{{Code: "befolkning", Name: "Folkmängd",
		Source: indikator.SourceBefolkning, Unit: "invånare", Kind: indikator.KindMeasure, Polarity: indikator.Neutral, Retrieved: trygg.DateDay(2026, 3, 1)}},
		Values: []indikator.Value{{Series: "befolkning", Area: "2480", Year: 2026, Value: 120000}}}
	if _, err := env.Config.Indicators.Import(trygg.NewOperatorContext(context.Background()), pop, "test"); err != nil {
		t.Fatal(err)
	}
	c := env.signIn(t, "samordnare")
	page := c.get("/indikatorer/serie/trygg_rapporter_klotter?per=1000")
	// Three reports of klotter in 2026 among 120,000 residents.
	wantContains(t, page.Body, "Rapporter: Klotter, per 1 000 invånare", `<td class="num">0,03</td>`)
	plain := c.get("/indikatorer/serie/trygg_rapporter_klotter")
	wantContains(t, plain.Body, `<td class="num">3</td>`)
}

func TestIndicatorImportErrors(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "samordnare")
	// A BRÅ file given as Kolada: refused whole, the problem on the file field.
	resp := postIndicatorFile(t, c, "kolada", "bra.csv")
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", resp.StatusCode)
	}
	wantContains(t, resp.Body, "Filen är inte Koladas JSON", `href="#file"`)
	resp = postIndicatorFile(t, c, "", "bra.csv")
	wantContains(t, resp.Body, "Välj vilken källa filen kommer från.")
	// A peer group with a bad code names the field.
	bad := c.post("/indikatorer/grupper", url.Values{"name": {"X"}, "municipality": {"Umeå"}, "members": {"2580"}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad group: %d", bad.StatusCode)
	}
	wantContains(t, bad.Body, "kommunkod, fyra siffror")
}

// TestIndicatorCommitment: the samordnare picks an imported indicator for a
// commitment; its page shows the light computed from the yearly values.
func TestIndicatorCommitment(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	seedIndicators(t, env)
	op := trygg.NewOperatorContext(context.Background())
	a, err := env.Config.Agreements.CreateAgreement(op, samverkan.AgreementInput{Type: samverkan.AgreementTrygghetsavtal, Title: "Långsiktigt avtal",
		From: trygg.DateDay(2020, 1, 1), To: trygg.DateDay(2026, 12, 31), Status: samverkan.AgreementDraft,
		Parties: []samverkan.Party{{OrgCode: "polisen", Signatory: "Chef"}}})
	if err != nil {
		t.Fatal(err)
	}
	c := env.signIn(t, "samordnare")
	form := c.get("/samverkan/" + strconv.FormatInt(a.ID, 10) + "/atagande/ny")
	wantContains(t, form.Body, `<option value="kolada_n99903">`)
	v := url.Values{"text": {"Hålla kostnaden nere."}, "owner": {"polisen"}, "target_text": {"Högst 70 kr per invånare"},
		"target_kind": {"hogst"}, "target_value": {"70"}, "indicator_source": {"indikator"}, "indicator_name": {"Kostnad per invånare"},
		"indicator_series": {"kolada_n99903"}}
	resp := c.follow(c.post("/samverkan/"+strconv.FormatInt(a.ID, 10)+"/atagande/ny", v))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("create: %d %s", resp.StatusCode, resp.Body)
	}
	wantContains(t, resp.Body, "Grönt – målet nås", "En indikator under Indikatorer")
	v.Set("indicator_series", "finns_inte")
	bad := c.post("/samverkan/"+strconv.FormatInt(a.ID, 10)+"/atagande/ny", v)
	wantContains(t, bad.Body, "Indikatorn finns inte")
}

func TestIndicatorAPI(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	seedIndicators(t, env)
	doc := loadOpenAPI(t)
	tok := env.apiToken(t, "rapportor")
	list := env.api(t, tok, "GET", "/api/v1/indicators", "")
	if list.StatusCode != http.StatusOK || !strings.Contains(list.Body, `"kolada_n99901"`) || strings.Contains(list.Body, `"trygg_`) {
		t.Fatalf("list for a rapportör: %d %.300s", list.StatusCode, list.Body)
	}
	body := []byte(list.Body)
	checkSchemaArray(t, doc, "IndicatorSeries", body)
	one := env.api(t, tok, "GET", "/api/v1/indicators/kolada_n99903", "")
	if one.StatusCode != http.StatusOK || !strings.Contains(one.Body, `"rank_of":6`) {
		t.Fatalf("one: %d %.500s", one.StatusCode, one.Body)
	}
	checkSchema(t, doc, "Indicator", []byte(one.Body))
	if r := env.api(t, tok, "GET", "/api/v1/indicators/trygg_insatser", ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("an own series for a rapportör: %d", r.StatusCode)
	}
	own := env.api(t, env.apiToken(t, "lasare"), "GET", "/api/v1/indicators/trygg_insatser", "")
	if own.StatusCode != http.StatusOK {
		t.Fatalf("own series for a läsare: %d %s", own.StatusCode, own.Body)
	}
	checkSchema(t, doc, "Indicator", []byte(own.Body))
}

// checkSchemaArray checks each element of a JSON array against a schema.
func checkSchemaArray(t *testing.T, doc *openapi3.T, schema string, body []byte) {
	t.Helper()
	var items []json.RawMessage
	if err := json.Unmarshal(body, &items); err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		checkSchema(t, doc, schema, it)
	}
}
