package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
)

// matrixRoles are the callers the access matrix tries: nobody, a user per
// role, and a user who signed in and got an API token before being
// disabled.
var matrixRoles = []string{"anonymous", "samordnare", "rapportor", "polis", "socialtjanst", "lasare", "admin", "disabled"}

// caller is one column of the matrix: a browser with a session (none for
// anonymous) and a bearer token ("" for anonymous).
type caller struct {
	role   string
	client *testClient
	token  string
}

// accessRow is one route of the matrix. send makes the request; n is unique
// per cell, for objects that a request uses up (a report to delete, a code
// to create). want holds "role=status" for every role in matrixRoles.
type accessRow struct {
	pattern string
	send    func(t *testing.T, env *testEnv, c *caller, n int) response
	want    string
}

// matrixGet, matrixPost and matrixAPI build the usual kinds of request.
func matrixGet(path string) func(*testing.T, *testEnv, *caller, int) response {
	return func(t *testing.T, env *testEnv, c *caller, _ int) response { return c.client.get(path) }
}

func matrixPost(path string, form func(n int) url.Values) func(*testing.T, *testEnv, *caller, int) response {
	return func(t *testing.T, env *testEnv, c *caller, n int) response { return c.client.post(path, form(n)) }
}

func matrixAPI(method, path, body string) func(*testing.T, *testEnv, *caller, int) response {
	return func(t *testing.T, env *testEnv, c *caller, _ int) response {
		return env.api(t, c.token, method, path, body)
	}
}

// Sign-in statuses in the matrix: a signed-out caller of a signed-in page is
// sent to the sign-in page (303) or, for a form post, refused (401); a
// signed-in caller without the role gets "not found" (404).
const (
	everyone      = "anonymous=200 samordnare=200 rapportor=200 polis=200 socialtjanst=200 lasare=200 admin=200 disabled=200"
	reporterPages = "anonymous=303 samordnare=200 rapportor=200 polis=200 socialtjanst=404 lasare=404 admin=404 disabled=303"
	adminPages    = "anonymous=303 samordnare=404 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=200 disabled=303"
	adminPosts    = "anonymous=401 samordnare=404 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=303 disabled=401"
	weeklyPages   = "anonymous=303 samordnare=200 rapportor=404 polis=200 socialtjanst=404 lasare=200 admin=200 disabled=303"
	apiLookups    = "anonymous=401 samordnare=200 rapportor=200 polis=200 socialtjanst=200 lasare=200 admin=200 disabled=401"
	// The target report belongs to polisen: the rapportör (skolan) may not see it.
	otherOrgReport = "anonymous=401 samordnare=200 rapportor=404 polis=200 socialtjanst=404 lasare=404 admin=404 disabled=401"
	otherOrgPage   = "anonymous=303 samordnare=200 rapportor=404 polis=200 socialtjanst=404 lasare=404 admin=404 disabled=303"
	otherOrgPost   = "anonymous=401 samordnare=303 rapportor=404 polis=303 socialtjanst=404 lasare=404 admin=404 disabled=401"
)

func accessMatrix(env *testEnv) []accessRow {
	target := env.Reports[2] // filed by rapportor2 at polisen
	reportPath := "/rapporter/" + strconv.FormatInt(target.ID, 10)
	apiReport := "/api/v1/reports/" + strconv.FormatInt(target.ID, 10)
	userPath := "/admin/anvandare/" + strconv.FormatInt(env.Users["lasare"].ID, 10)
	reportForm := func(int) url.Values { return reportForm1() }

	rows := append(append(append(append(append(append(append(append(concernRows(env), samverkanRows(env)...), operativRows(env)...), leverantorRows(env)...), indicatorRows(env)...), yearlyRows(env)...), sspfRows(env)...), nattvandringRows(env)...),
		append(append(append(tipRows(env), open311Rows(env)...), openDataRows(env)...), samverkanAPIRows(env)...)...)
	return append(rows, []accessRow{
		{"GET /static/", matrixGet("/static/style.css"), everyone},
		{"GET /healthz", matrixGet("/healthz"), everyone},
		{"GET /readyz", matrixGet("/readyz"), everyone},
		{"GET /metrics", matrixGet("/metrics"), everyone},
		{"GET /tillganglighet", matrixGet("/tillganglighet"), everyone},
		{"GET /offentlig", matrixGet("/offentlig"), everyone},
		{"GET /offentlig/{area}/{year}/{tertial}", matrixGet("/offentlig/alidhem/2026/2"), everyone},
		{"GET /logga-in", matrixGet("/logga-in"),
			"anonymous=200 samordnare=303 rapportor=303 polis=303 socialtjanst=303 lasare=303 admin=303 disabled=200"},
		{"POST /logga-in", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			// Each role signs in with its own password in a new browser;
			// anonymous guesses one.
			who, password := c.role, testPassword
			if c.role == "anonymous" {
				who, password = "samordnare", "fel-lösenord"
			}
			return env.anonymous(t).post("/logga-in", url.Values{"email": {who + "@example.se"}, "password": {password}})
		}, "anonymous=401 samordnare=303 rapportor=303 polis=303 socialtjanst=303 lasare=303 admin=303 disabled=401"},
		{"POST /logga-ut", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			// Signing out ends the session, so each role uses a new one.
			if c.role == "anonymous" || c.role == "disabled" {
				return c.client.post("/logga-ut", url.Values{})
			}
			return env.signIn(t, c.role).post("/logga-ut", url.Values{})
		}, "anonymous=401 samordnare=303 rapportor=303 polis=303 socialtjanst=303 lasare=303 admin=303 disabled=401"},
		// Visitors who are not signed in get the public front door.
		{"GET /{$}", matrixGet("/"), "anonymous=200 samordnare=303 rapportor=303 polis=303 socialtjanst=303 lasare=303 admin=303 disabled=200"},
		{"GET /oversikt", matrixGet("/oversikt"),
			"anonymous=303 samordnare=200 rapportor=200 polis=200 socialtjanst=404 lasare=200 admin=404 disabled=303"},
		{"GET /lagesbild", matrixGet("/lagesbild"),
			"anonymous=303 samordnare=200 rapportor=404 polis=200 socialtjanst=404 lasare=200 admin=200 disabled=303"},
		{"GET /lagesbild/omrade/{code}", matrixGet("/lagesbild/omrade/alidhem"),
			"anonymous=303 samordnare=200 rapportor=404 polis=200 socialtjanst=404 lasare=200 admin=200 disabled=303"},

		{"GET /rapporter/ny", matrixGet("/rapporter/ny"), reporterPages},
		{"POST /rapporter/ny", matrixPost("/rapporter/ny", reportForm),
			"anonymous=401 samordnare=303 rapportor=303 polis=303 socialtjanst=404 lasare=404 admin=404 disabled=401"},
		{"GET /rapporter", matrixGet("/rapporter"), reporterPages},
		{"GET /rapporter/mina", matrixGet("/rapporter/mina"), reporterPages},
		{"GET /rapporter/export.csv", matrixGet("/rapporter/export.csv"), reporterPages},
		{"GET /rapporter/export.geojson", matrixGet("/rapporter/export.geojson"), reporterPages},
		{"GET /rapporter/{id}", matrixGet(reportPath), otherOrgPage},
		{"GET /rapporter/{id}/redigera", matrixGet(reportPath + "/redigera"), otherOrgPage},
		{"POST /rapporter/{id}/redigera", matrixPost(reportPath+"/redigera", reportForm), otherOrgPost},
		{"POST /rapporter/{id}/radera", func(t *testing.T, env *testEnv, c *caller, n int) response {
			id := newPoliceReport(t, env, n)
			return c.client.post(fmt.Sprintf("/rapporter/%d/radera", id), url.Values{"reason": {"Dubblett."}})
		}, otherOrgPost},

		{"GET /admin/anvandare", matrixGet("/admin/anvandare"), adminPages},
		{"POST /admin/anvandare", matrixPost("/admin/anvandare", func(n int) url.Values {
			return url.Values{"email": {fmt.Sprintf("ny%d@example.se", n)}, "name": {"Ny Användare"}, "org": {"skolan"},
				"roles": {"rapportor"}, "password": {"ett-långt-lösenord-123"}}
		}), adminPosts},
		{"GET /admin/anvandare/{id}", matrixGet(userPath), adminPages},
		{"POST /admin/anvandare/{id}", func(t *testing.T, env *testEnv, c *caller, n int) response {
			u := newPlainUser(t, env, n)
			return c.client.post(fmt.Sprintf("/admin/anvandare/%d", u.ID),
				url.Values{"name": {"Nytt Namn"}, "org": {"umebra"}, "roles": {"lasare"}})
		}, adminPosts},
		{"POST /admin/anvandare/{id}/inaktivera", func(t *testing.T, env *testEnv, c *caller, n int) response {
			u := newPlainUser(t, env, n)
			return c.client.post(fmt.Sprintf("/admin/anvandare/%d/inaktivera", u.ID), url.Values{})
		}, adminPosts},
		{"GET /admin/organisationer", matrixGet("/admin/organisationer"), adminPages},
		{"POST /admin/organisationer", matrixPost("/admin/organisationer", func(n int) url.Values {
			return url.Values{"code": {fmt.Sprintf("org%d", n)}, "name": {fmt.Sprintf("Förening %d", n)}, "type": {"forening"}}
		}), adminPosts},
		{"GET /admin/organisationer/{code}", matrixGet("/admin/organisationer/skolan"), adminPages},
		{"POST /admin/organisationer/{code}", matrixPost("/admin/organisationer/skolan", func(int) url.Values {
			return url.Values{"name": {"Ålidhemsskolan"}, "type": {"skola"}}
		}), adminPosts},
		{"GET /admin/omraden", matrixGet("/admin/omraden"), adminPages},
		{"POST /admin/omraden/import", func(t *testing.T, env *testEnv, c *caller, n int) response {
			return postAreaFile(t, c.client, fmt.Sprintf(`{"type":"FeatureCollection","features":[{"type":"Feature",
				"properties":{"code":"omr%d","name":"Område %d","population":100},"geometry":%s}]}`,
				n, n, square(20.2, 63.7, 20.21, 63.71)))
		}, adminPosts},
		{"GET /admin/omraden/{code}", matrixGet("/admin/omraden/haga"), adminPages},
		{"POST /admin/omraden/{code}", matrixPost("/admin/omraden/haga", func(int) url.Values {
			return url.Values{"name": {"Haga"}, "population": {"5000"}}
		}), adminPosts},
		{"GET /admin/kategorier", matrixGet("/admin/kategorier"), adminPages},
		{"POST /admin/kategorier", matrixPost("/admin/kategorier", func(n int) url.Values {
			return url.Values{"code": {fmt.Sprintf("kat%d", n)}, "name": {fmt.Sprintf("Kategori %d", n)}, "group": {"Övrigt"}, "sort_order": {"900"}}
		}), adminPosts},
		{"GET /admin/kategorier/{code}", matrixGet("/admin/kategorier/klotter"), adminPages},
		{"POST /admin/kategorier/{code}", matrixPost("/admin/kategorier/klotter", func(int) url.Values {
			return url.Values{"name": {"Klotter"}, "group": {"Skadegörelse och brand"}, "sort_order": {"20"}}
		}), adminPosts},
		{"GET /admin/stodverksamheter", matrixGet("/admin/stodverksamheter"), adminPages},
		// No receiver for addiction care: the other rows' receivers stay.
		{"POST /admin/stodverksamheter/{code}", matrixPost("/admin/stodverksamheter/beroende", func(int) url.Values {
			return url.Values{"org": {""}}
		}), adminPosts},

		{"GET /veckorapporter", matrixGet("/veckorapporter"), weeklyPages},
		{"GET /veckorapporter.atom", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			return env.feed(t, c.token)
		}, "anonymous=401 samordnare=200 rapportor=404 polis=200 socialtjanst=404 lasare=200 admin=200 disabled=401"},
		{"GET /veckorapporter/{year}/{week}", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			publishedWeek(t, env)
			return c.client.get("/veckorapporter/2026/46")
		}, weeklyPages},
		{"POST /veckorapporter/{year}/{week}", matrixPost("/veckorapporter/2026/47", func(int) url.Values {
			return url.Values{"analysis": {"Lugn vecka."}, "action": {"spara"}}
		}), "anonymous=401 samordnare=303 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=401"},
		{"GET /veckorapporter/{year}/{week}/{version}", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			publishedWeek(t, env)
			return c.client.get("/veckorapporter/2026/46/v1")
		}, weeklyPages},

		{"GET /api/v1/openapi.json", matrixAPI(http.MethodGet, "/api/v1/openapi.json", ""), everyone},
		{"GET /api/v1/reports", matrixAPI(http.MethodGet, "/api/v1/reports", ""),
			"anonymous=401 samordnare=200 rapportor=200 polis=200 socialtjanst=404 lasare=404 admin=404 disabled=401"},
		{"POST /api/v1/reports", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			return env.api(t, c.token, http.MethodPost, "/api/v1/reports", reportJSON(t, nil))
		}, "anonymous=401 samordnare=201 rapportor=201 polis=201 socialtjanst=404 lasare=404 admin=404 disabled=401"},
		{"GET /api/v1/reports/{id}", matrixAPI(http.MethodGet, apiReport, ""), otherOrgReport},
		{"PUT /api/v1/reports/{id}", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			return env.api(t, c.token, http.MethodPut, apiReport, reportJSON(t, nil))
		}, otherOrgReport},
		{"DELETE /api/v1/reports/{id}", func(t *testing.T, env *testEnv, c *caller, n int) response {
			id := newPoliceReport(t, env, n)
			return env.api(t, c.token, http.MethodDelete, fmt.Sprintf("/api/v1/reports/%d", id), `{"reason":"Dubblett."}`)
		}, "anonymous=401 samordnare=204 rapportor=404 polis=204 socialtjanst=404 lasare=404 admin=404 disabled=401"},
		{"GET /api/v1/reports/{id}/history", matrixAPI(http.MethodGet, apiReport+"/history", ""), otherOrgReport},
		{"GET /api/v1/areas", matrixAPI(http.MethodGet, "/api/v1/areas", ""), apiLookups},
		{"GET /api/v1/areas.geojson", matrixAPI(http.MethodGet, "/api/v1/areas.geojson", ""), apiLookups},
		{"GET /api/v1/categories", matrixAPI(http.MethodGet, "/api/v1/categories", ""), apiLookups},
		{"GET /api/v1/place-types", matrixAPI(http.MethodGet, "/api/v1/place-types", ""), apiLookups},
		{"GET /api/v1/organisations", matrixAPI(http.MethodGet, "/api/v1/organisations", ""), apiLookups},
		{"/api/", matrixAPI(http.MethodGet, "/api/v1/finns-inte", ""),
			"anonymous=404 samordnare=404 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=404"},
	}...)
}

// TestAccessMatrix tries every route in the route table as every role and
// checks the answer. A route without a row fails the test, so a new route
// cannot skip the matrix.
func TestAccessMatrix(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	callers := matrixCallers(t, env)
	rows := accessMatrix(env)

	inTable := map[string]bool{}
	for _, rt := range env.Server.routes() {
		inTable[rt.pattern] = true
	}
	inMatrix := map[string]bool{}
	for _, row := range rows {
		inMatrix[row.pattern] = true
		if !inTable[row.pattern] {
			t.Errorf("matrix row %q names no route", row.pattern)
		}
	}
	for p := range inTable {
		if !inMatrix[p] {
			t.Errorf("route %q has no row in the access matrix", p)
		}
	}

	n := 0
	for _, row := range rows {
		want := parseWant(t, row.pattern, row.want)
		for _, role := range matrixRoles {
			n++
			resp := row.send(t, env, callers[role], n)
			switch {
			case resp.StatusCode != want[role]:
				t.Errorf("%s as %s: status %d, want %d\n%.300s", row.pattern, role, resp.StatusCode, want[role], resp.Body)
			case resp.StatusCode == http.StatusSeeOther && (role == "anonymous" || role == "disabled") &&
				row.pattern != "POST /logga-in" && !strings.HasPrefix(resp.Header.Get("Location"), "/logga-in?next="):
				t.Errorf("%s as %s: redirect to %q, want the sign-in page", row.pattern, role, resp.Header.Get("Location"))
			case resp.StatusCode == http.StatusOK && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html"):
				checkPage(t, resp.Body)
			}
		}
	}
}

// parseWant reads "role=status …", which must name every matrix role once.
func parseWant(t *testing.T, pattern, spec string) map[string]int {
	t.Helper()
	want := map[string]int{}
	for _, f := range strings.Fields(spec) {
		role, status, _ := strings.Cut(f, "=")
		n, err := strconv.Atoi(status)
		if err != nil || !slices.Contains(matrixRoles, role) {
			t.Fatalf("%s: bad matrix entry %q", pattern, f)
		}
		want[role] = n
	}
	if len(want) != len(matrixRoles) {
		t.Fatalf("%s: the matrix row must name each of %v", pattern, matrixRoles)
	}
	return want
}

// matrixCallers signs in every fixture role and makes it a token, and makes
// the disabled user: signed in, with a token, then disabled by the admin.
func matrixCallers(t *testing.T, env *testEnv) map[string]*caller {
	t.Helper()
	callers := map[string]*caller{"anonymous": {role: "anonymous", client: env.anonymous(t)}}
	for _, role := range matrixRoles[1 : len(matrixRoles)-1] {
		callers[role] = &caller{role: role, client: env.signIn(t, role), token: env.apiToken(t, role)}
	}
	op := trygg.NewOperatorContext(context.Background())
	u, err := env.Config.Users.CreateUser(op, trygg.NewUser{Email: "disabled@example.se", Name: "Test disabled",
		OrgCode: "skolan", Roles: []trygg.Role{trygg.RoleRapportor}, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	callers["disabled"] = &caller{role: "disabled", client: env.signIn(t, "disabled"), token: env.apiToken(t, "disabled")}
	if err := env.Config.Users.DisableUser(op, u.ID); err != nil {
		t.Fatal(err)
	}
	return callers
}

// newPoliceReport files a report at polisen for a cell that uses one up.
func newPoliceReport(t *testing.T, env *testEnv, n int) int64 {
	t.Helper()
	ctx := trygg.NewContextWithUser(context.Background(), env.Users["rapportor2"])
	rep, err := env.Config.Reports.CreateReport(ctx, trygg.ReportInput{
		OccurredAt: testNow.Add(-time.Hour), AreaCode: "haga", Category: "klotter", PlaceType: "gata",
		Severity: 1, Description: fmt.Sprintf("Klotter på elskåp, matrisfall %d.", n),
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep.ID
}

// newPlainUser makes a läsare without a password for a cell that changes a
// user.
func newPlainUser(t *testing.T, env *testEnv, n int) *trygg.User {
	t.Helper()
	u, err := env.Config.Users.CreateUser(trygg.NewOperatorContext(context.Background()), trygg.NewUser{
		Email: fmt.Sprintf("mal%d@example.se", n), Name: fmt.Sprintf("Mål %d", n), OrgCode: "umebra", Roles: []trygg.Role{trygg.RoleLasare}})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// postAreaFile uploads a GeoJSON file to the area import form, with the
// session's CSRF token.
func postAreaFile(t *testing.T, c *testClient, geojson string) response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if c.csrf != "" {
		if err := mw.WriteField(csrfField, c.csrf); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", "omraden.geojson")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write([]byte(geojson)); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.env.HTTP.URL+"/admin/omraden/import", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

var (
	idAttr     = regexp.MustCompile(`\sid="([^"]+)"`)
	forAttr    = regexp.MustCompile(`\sfor="([^"]+)"`)
	controlTag = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	typeAttr   = regexp.MustCompile(`\stype="([^"]+)"`)
	inlineJS   = regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]|\son[a-z]+="`)
)

// checkPage checks what a browser-free test can of the accessibility and
// CSP rules: Swedish, a title, one h1, no inline style or script, unique
// ids, and a label for every control. axe-core in the end-to-end tests
// checks the rest.
func checkPage(t *testing.T, body string) {
	t.Helper()
	for _, want := range []string{`<html lang="sv">`, "<title>", `href="#innehall"`, `<main id="innehall"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(body, "<h1"); n != 1 {
		t.Errorf("page has %d h1", n)
	}
	if strings.Contains(body, " style=") || strings.Contains(body, "<style") {
		t.Error("page has inline style")
	}
	if inlineJS.MatchString(body) {
		t.Error("page has inline script")
	}
	ids := map[string]bool{}
	for _, m := range idAttr.FindAllStringSubmatch(body, -1) {
		if ids[m[1]] {
			t.Errorf("duplicate id %q", m[1])
		}
		ids[m[1]] = true
	}
	labelled := map[string]bool{}
	for _, m := range forAttr.FindAllStringSubmatch(body, -1) {
		labelled[m[1]] = true
	}
	for _, tag := range controlTag.FindAllString(body, -1) {
		typ := ""
		if m := typeAttr.FindStringSubmatch(tag); m != nil {
			typ = m[1]
		}
		if typ == "hidden" || typ == "radio" { // radios sit inside their label
			continue
		}
		m := idAttr.FindStringSubmatch(tag)
		if m == nil || !labelled[m[1]] {
			t.Errorf("control without a label: %s", tag)
		}
	}
	if slices.Contains([]string{"", "Trygg"}, between(body, "<title>", "</title>")) {
		t.Error("page has no title of its own")
	}
}

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	before, _, _ := strings.Cut(after, to)
	return before
}
