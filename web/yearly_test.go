package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
)

const (
	yearlyPage   = "anonymous=303 samordnare=200 rapportor=404 polis=200 socialtjanst=404 lasare=200 admin=404 disabled=303"
	yearlyManage = "anonymous=401 samordnare=303 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=401"
)

// yearlyFixture stores a decided and a published version for the matrix.
func yearlyFixture(t *testing.T, env *testEnv, year int, publish bool) {
	t.Helper()
	ctx := trygg.NewOperatorContext(context.Background())
	if _, err := env.Config.Yearly.SaveYearlyDraft(ctx, year, indikator.YearlyContent{Summary: "Lugnt år."}); err != nil {
		t.Fatal(err)
	}
	if !publish {
		return
	}
	if _, err := env.Config.Yearly.DecideYearly(ctx, year, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Config.Yearly.PublishYearly(ctx, year, 1); err != nil {
		t.Fatal(err)
	}
}

func yearlyRows(env *testEnv) []accessRow {
	once := func(t *testing.T, env *testEnv) {
		t.Helper()
		if _, err := env.Config.Yearly.FindYearly(trygg.NewOperatorContext(context.Background()), 2024, 1); err != nil {
			yearlyFixture(t, env, 2024, true)
		}
	}
	get := func(path string) func(*testing.T, *testEnv, *caller, int) response {
		return func(t *testing.T, env *testEnv, c *caller, _ int) response {
			once(t, env)
			return c.client.get(path)
		}
	}
	decided, published := 0, 0 // a fresh year for each caller
	return []accessRow{
		{"GET /arsplan", get("/arsplan"), yearlyPage},
		{"POST /arsplan", matrixPost("/arsplan", func(int) url.Values { return url.Values{"year": {"2025"}} }), yearlyManage},
		{"GET /arsplan/{year}/{version}", get("/arsplan/2024/1"), yearlyPage},
		{"GET /arsplan/{year}/{version}/pdf", get("/arsplan/2024/1/pdf"), yearlyPage},
		{"POST /arsplan/{year}/{version}/text", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			yearlyFixture(t, env, 2030, false) // the draft of 2030, saved again
			return c.client.post("/arsplan/2030/1/text", url.Values{"summary": {"Text."}})
		}, yearlyManage},
		{"POST /arsplan/{year}/{version}/besluta", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			decided++
			year := 2040 + decided
			yearlyFixture(t, env, year, false)
			return c.client.post("/arsplan/"+strconv.Itoa(year)+"/1/besluta", url.Values{})
		}, yearlyManage},
		{"POST /arsplan/{year}/{version}/publicera", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			published++
			year := 2060 + published
			yearlyFixture(t, env, year, false)
			if _, err := env.Config.Yearly.DecideYearly(trygg.NewOperatorContext(context.Background()), year, 1); err != nil {
				t.Fatal(err)
			}
			return c.client.post("/arsplan/"+strconv.Itoa(year)+"/1/publicera", url.Values{})
		}, yearlyManage},
		{"GET /offentlig/arsplan", get("/offentlig/arsplan"), everyone},
		{"GET /offentlig/arsplan/{year}", get("/offentlig/arsplan/2024"), everyone},
		{"GET /offentlig/arsplan/{year}/pdf", get("/offentlig/arsplan/2024/pdf"), everyone},
	}
}

// TestYearlyFlow drafts a year from the data, writes the texts, decides
// and publishes it, and reads the public page and both PDFs.
func TestYearlyFlow(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	seedIndicators(t, env)
	c := env.signIn(t, "samordnare")
	resp := c.follow(c.post("/arsplan", url.Values{"year": {"2026"}}))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("draft: %d %s", resp.StatusCode, resp.Body)
	}
	wantContains(t, resp.Body, "Utkastet är gjort ur uppgifterna.", "Nettokostnadsavvikelse", "Norrlandsstäder", "Stadsdelar", "Åtgärdsplan", "Markera som beslutad")
	bad := c.post("/arsplan/2026/1/text", url.Values{"causes": {"Ring 070-123 45 67."}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("personal data: %d", bad.StatusCode)
	}
	resp = c.follow(c.post("/arsplan/2026/1/text", url.Values{"summary": {"Ett lugnare år."}, "causes": {"Samlingsplatser kvällstid."}}))
	wantContains(t, resp.Body, "Texterna är sparade.", "Samlingsplatser kvällstid.")
	resp = c.follow(c.post("/arsplan/2026/1/besluta", url.Values{}))
	wantContains(t, resp.Body, "Beslutad", "Kontrollsumma (SHA-256)", "Publicera")
	if strings.Contains(resp.Body, "Spara texterna") {
		t.Error("a decided version still has its text form")
	}
	if r := c.post("/arsplan/2026/1/text", url.Values{"summary": {"Ändrat."}}); r.StatusCode != http.StatusConflict {
		t.Errorf("editing a decided version: %d, want 409", r.StatusCode)
	}
	pdfResp := c.get("/arsplan/2026/1/pdf")
	if !strings.HasPrefix(pdfResp.Body, "%PDF") {
		t.Error("the PDF is not a PDF")
	}
	if r := env.anonymous(t).get("/offentlig/arsplan/2026"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unpublished public page: %d", r.StatusCode)
	}
	c.follow(c.post("/arsplan/2026/1/publicera", url.Values{}))
	pub := env.anonymous(t).get("/offentlig/arsplan/2026")
	wantContains(t, pub.Body, "Lägesbild och åtgärdsplan 2026", "Ett lugnare år.", "Samlingsplatser kvällstid.")
	if r := env.anonymous(t).get("/offentlig/arsplan/2026/pdf"); !strings.HasPrefix(r.Body, "%PDF") {
		t.Error("the public PDF is not a PDF")
	}
	list := env.anonymous(t).get("/offentlig/arsplan")
	wantContains(t, list.Body, `href="/offentlig/arsplan/2026"`)
	// A new draft after the decision is version 2; version 1 is unchanged.
	resp = c.follow(c.post("/arsplan", url.Values{"year": {"2026"}}))
	wantContains(t, resp.Body, "version 2", "Ett lugnare år.")
}
