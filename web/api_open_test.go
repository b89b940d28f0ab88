package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
)

func openDataRows(env *testEnv) []accessRow {
	return []accessRow{
		{"GET /api/v1/open/week", matrixGet("/api/v1/open/week"), everyone},
		{"GET /api/v1/open/week.geojson", matrixGet("/api/v1/open/week.geojson"), everyone},
		{"GET /api/v1/open/weekly-reports", matrixGet("/api/v1/open/weekly-reports"), everyone},
		{"GET /api/v1/open/weekly-reports/{week}", matrixGet("/api/v1/open/weekly-reports/2026-W40"), strings.ReplaceAll(everyone, "200", "404")},
		{"GET /api/v1/open/promises", matrixGet("/api/v1/open/promises"), everyone},
		{"GET /api/v1/open/tips", matrixGet("/api/v1/open/tips"), everyone},
	}
}

// TestOpenData reads every open-data resource without a token: each
// answer matches its schema in openapi.json, may be cached and read from
// any origin, and withholds small counts.
func TestOpenData(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	importCategory(t, env, "alidhem", "vald", time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC), 7)
	importCategory(t, env, "haga", "inbrott", time.Date(2026, 11, 14, 12, 0, 0, 0, time.UTC), 2)
	publishWeek(t, env, trygg.ISOWeek{Year: 2026, Week: 46})
	withTips(t, env)
	doc := loadOpenAPI(t)
	c := env.anonymous(t)
	for _, tc := range []struct {
		path, schema string
		want         []string
	}{
		{"/api/v1/open/week", "OpenWeek", []string{`"week":"2026-W46"`, `{"code":"haga","name":"Haga","count":null,"suppressed":true}`}},
		{"/api/v1/open/week?week=2026-W45", "OpenWeek", []string{`"week":"2026-W45"`}},
		{"/api/v1/open/week.geojson", "OpenWeekFeatureCollection", []string{`"type":"FeatureCollection"`, `"coordinates"`}},
		{"/api/v1/open/weekly-reports", "", []string{`"week":"2026-W46"`, `"version":1,"versions":1`, `"analysis":"Lugn vecka."`}},
		{"/api/v1/open/weekly-reports/2026-W46", "OpenWeeklyReport", []string{`"districts":[`}},
		{"/api/v1/open/promises", "", []string{"["}},
		{"/api/v1/open/tips", "", []string{`"status":"mottaget"`}},
	} {
		resp := c.get(tc.path)
		wantStatus(t, resp, http.StatusOK)
		wantContains(t, resp.Body, tc.want...)
		if tc.schema != "" {
			checkSchema(t, doc, tc.schema, []byte(resp.Body))
		}
		if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: no CORS", tc.path)
		}
		if !strings.Contains(tc.path, "?") && (resp.Header.Get("ETag") == "" || !strings.HasPrefix(resp.Header.Get("Cache-Control"), "public")) {
			t.Errorf("%s: not cacheable: %v", tc.path, resp.Header)
		}
		if strings.Contains(resp.Body, "Klotter på lekplatsen") {
			t.Errorf("%s shows a tip's text", tc.path)
		}
	}
	resp := c.get("/api/v1/open/week?week=2026-W99")
	wantProblem(t, resp, http.StatusUnprocessableEntity, "week")
	resp = c.get("/api/v1/open/week?week=2026-W48") // not ended on testNow
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("error as %q", ct)
	}
}

func samverkanAPIRows(env *testEnv) []accessRow {
	// The API's answer for each role is the page's: samverkanReaders.
	const readers = "anonymous=401 samordnare=200 rapportor=200 polis=200 socialtjanst=404 lasare=200 admin=404 disabled=401"
	w, err := newSamverkanWorld(env)
	if err != nil {
		panic(err)
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	return []accessRow{
		{"GET /api/v1/actions", matrixAPI("GET", "/api/v1/actions", ""), readers},
		// The action is polisen's, which skolan's rapportör may not see,
		// as on its page.
		{"GET /api/v1/actions/{id}", matrixAPI("GET", "/api/v1/actions/"+id(w.Action.ID), ""), strings.Replace(readers, "rapportor=200", "rapportor=404", 1)},
		{"GET /api/v1/agreements", matrixAPI("GET", "/api/v1/agreements", ""), readers},
		{"GET /api/v1/agreements/{id}", matrixAPI("GET", "/api/v1/agreements/"+id(w.Agreement.ID), ""), readers},
		{"GET /api/v1/meetings", matrixAPI("GET", "/api/v1/meetings", ""), readers},
		{"GET /api/v1/meetings/{id}", matrixAPI("GET", "/api/v1/meetings/"+id(w.Meeting.ID), ""), readers},
		{"GET /api/v1/operations/stats", matrixAPI("GET", "/api/v1/operations/stats", ""),
			"anonymous=401 samordnare=200 rapportor=404 polis=200 socialtjanst=200 lasare=200 admin=404 disabled=401"},
	}
}

// TestSamverkanAPI reads actions, agreements and meetings with a token:
// each answer matches its schema, and a missing object is a problem 404.
func TestSamverkanAPI(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	w, err := newSamverkanWorld(env)
	if err != nil {
		t.Fatal(err)
	}
	doc := loadOpenAPI(t)
	token := env.apiToken(t, "samordnare")
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	for _, tc := range []struct{ path, schema string }{
		{"/api/v1/actions/" + id(w.Action.ID), "Action"},
		{"/api/v1/agreements/" + id(w.Agreement.ID), "Agreement"},
		{"/api/v1/meetings/" + id(w.Meeting.ID), "Meeting"},
	} {
		resp := env.api(t, token, "GET", tc.path, "")
		wantStatus(t, resp, http.StatusOK)
		checkSchema(t, doc, tc.schema, []byte(resp.Body))
		list := env.api(t, token, "GET", tc.path[:strings.LastIndex(tc.path, "/")], "")
		wantStatus(t, list, http.StatusOK)
		var items []json.RawMessage
		if err := json.Unmarshal([]byte(list.Body), &items); err != nil || len(items) == 0 {
			t.Fatalf("%s: %s", tc.path, list.Body)
		}
		for _, it := range items {
			checkSchema(t, doc, tc.schema, it)
		}
	}
	wantProblem(t, env.api(t, token, "GET", "/api/v1/actions/999999", ""), http.StatusNotFound)

	// Operations as statistics only: withheld for the samordnare, exact
	// for the police.
	for who, exact := range map[string]bool{"samordnare": false, "polis": true} {
		resp := env.api(t, env.apiToken(t, who), "GET", "/api/v1/operations/stats", "")
		wantStatus(t, resp, http.StatusOK)
		checkSchema(t, doc, "OperationStats", []byte(resp.Body))
		wantContains(t, resp.Body, `"exact":`+strconv.FormatBool(exact))
	}
}
