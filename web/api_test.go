package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
)

// apiToken returns a new bearer token for the fixture user with that key.
func (e *testEnv) apiToken(t *testing.T, who string) string {
	t.Helper()
	_, secret, err := e.Config.Auth.CreateToken(trygg.NewOperatorContext(context.Background()), who+"@example.se", "test")
	if err != nil {
		t.Fatalf("create token for %s: %v", who, err)
	}
	return secret
}

// api sends a JSON API request with the bearer token ("" for none) and an
// optional body.
func (e *testEnv) api(t *testing.T, token, method, path, body string, headerPairs ...string) response {
	t.Helper()
	var req *http.Request
	var err error
	if body == "" {
		req, err = http.NewRequest(method, e.HTTP.URL+path, nil)
	} else {
		req, err = http.NewRequest(method, e.HTTP.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headerPairs); i += 2 {
		req.Header.Set(headerPairs[i], headerPairs[i+1])
	}
	return e.anonymous(t).do(req)
}

// reportJSON is a valid report body with some fields changed; a nil value
// leaves the field out.
func reportJSON(t *testing.T, changes map[string]any) string {
	t.Helper()
	body := map[string]any{
		"occurred_at": "2026-11-20T19:05:00+01:00", "area": "alidhem", "category": "ungdomar_stok",
		"severity": 2, "place_type": "centrum", "description": "Grupp ungdomar vid torget, kastade flaskor.",
		"location": map[string]any{"lat": 63.81612, "lon": 20.30894},
	}
	for k, v := range changes {
		if v == nil {
			delete(body, k)
		} else {
			body[k] = v
		}
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wantProblem checks that resp is an RFC 9457 problem with that status and
// exactly those invalid fields, and returns it.
func wantProblem(t *testing.T, resp response, status int, fields ...string) problem {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d; body:\n%s", resp.StatusCode, status, resp.Body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	checkSchema(t, loadOpenAPI(t), "Problem", []byte(resp.Body))
	var p problem
	if err := json.Unmarshal([]byte(resp.Body), &p); err != nil {
		t.Fatalf("problem is not JSON: %v", err)
	}
	if p.Status != status || p.Title == "" || p.Detail == "" || !strings.HasPrefix(p.Type, "tag:") || !strings.HasPrefix(p.Instance, "/api/") {
		t.Errorf("incomplete problem: %+v", p)
	}
	var got []string
	for _, f := range p.Errors {
		if f.Message == "" {
			t.Errorf("field %q has no reason", f.Field)
		}
		got = append(got, f.Field)
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(fields))
	if !slices.Equal(got, want) {
		t.Errorf("invalid fields %v, want %v; body:\n%s", got, want, resp.Body)
	}
	return p
}

// decodeReport checks resp against the Report schema and decodes it.
func decodeReport(t *testing.T, resp response) trygg.Report {
	t.Helper()
	checkSchema(t, loadOpenAPI(t), "Report", []byte(resp.Body))
	var rep trygg.Report
	if err := json.Unmarshal([]byte(resp.Body), &rep); err != nil {
		t.Fatalf("decode report: %v", err)
	}
	return rep
}

func TestAPICreateReport(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	token := env.apiToken(t, "rapportor")

	resp := env.api(t, token, http.MethodPost, "/api/v1/reports", reportJSON(t, nil))
	wantStatus(t, resp, http.StatusCreated)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	rep := decodeReport(t, resp)
	if rep.ID == 0 || resp.Header.Get("Location") != "/api/v1/reports/"+strconv.FormatInt(rep.ID, 10) {
		t.Errorf("id %d, Location %q", rep.ID, resp.Header.Get("Location"))
	}
	want := trygg.Report{
		ID: rep.ID, OccurredAt: time.Date(2026, 11, 20, 18, 5, 0, 0, time.UTC), ReportedAt: testNow,
		AreaCode: "alidhem", Location: &trygg.Point{Lat: 63.81612, Lon: 20.30894}, PlaceType: "centrum",
		Category: "ungdomar_stok", Severity: 2, Description: "Grupp ungdomar vid torget, kastade flaskor.",
		OrgCode: "skolan", ReporterID: &env.Users["rapportor"].ID, Version: 1, UpdatedAt: testNow,
	}
	*want.Location = trygg.RoundPoint(*want.Location)
	if got, _ := json.Marshal(rep); string(got) != string(must(json.Marshal(want))) {
		t.Errorf("stored report\n%s\nwant\n%s", got, must(json.Marshal(want)))
	}

	get := env.api(t, token, http.MethodGet, resp.Header.Get("Location"), "")
	wantStatus(t, get, http.StatusOK)
	if get.Body != resp.Body {
		t.Errorf("GET answers\n%s\nPOST answered\n%s", get.Body, resp.Body)
	}
	wantContains(t, env.anonymous(t).get("/metrics").Body, "trygg_reports_filed_total 1")
	if strings.Contains(env.Logs.String(), "Grupp ungdomar") {
		t.Errorf("the free text reached the log")
	}
}

// must returns v, or panics on an error that a test does not expect.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// decodeJSON decodes a response body into v.
func decodeJSON(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, body)
	}
}

func TestAPICreateReportInvalid(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	token := env.apiToken(t, "rapportor")
	for _, tc := range []struct {
		name   string
		body   string
		status int
		fields []string
	}{
		{"severity and personnummer", reportJSON(t, map[string]any{"severity": 7, "description": "Pojken 811218-9876 sprayade på väggen."}),
			http.StatusUnprocessableEntity, []string{"severity", "description"}},
		{"phone number", reportJSON(t, map[string]any{"description": "Ring mig på 070-123 45 67 om det händer igen."}),
			http.StatusUnprocessableEntity, []string{"description"}},
		{"empty object", `{}`, http.StatusUnprocessableEntity,
			[]string{"occurred_at", "area", "category", "severity", "place_type", "description"}},
		{"wrong types", reportJSON(t, map[string]any{"severity": "hög", "occurred_at": "igår", "location": "Ålidhem"}),
			http.StatusUnprocessableEntity, []string{"severity", "occurred_at", "location"}},
		{"unknown field", reportJSON(t, map[string]any{"colour": "red"}), http.StatusUnprocessableEntity, []string{"colour"}},
		{"unknown codes", reportJSON(t, map[string]any{"area": "atlantis", "category": "drakar"}),
			http.StatusUnprocessableEntity, []string{"area", "category"}},
		{"future", reportJSON(t, map[string]any{"occurred_at": "2026-11-21T12:00:00Z"}), http.StatusUnprocessableEntity, []string{"occurred_at"}},
		{"position off the globe", reportJSON(t, map[string]any{"location": map[string]any{"lat": 91, "lon": 20}}),
			http.StatusUnprocessableEntity, []string{"location"}},
		{"not JSON", `{"area": "alidhem",`, http.StatusBadRequest, nil},
		{"not an object", `[1, 2]`, http.StatusBadRequest, nil},
		{"empty body", ``, http.StatusBadRequest, nil},
		{"too large", reportJSON(t, map[string]any{"description": strings.Repeat("a", maxAPIBody)}), http.StatusRequestEntityTooLarge, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := env.api(t, token, http.MethodPost, "/api/v1/reports", tc.body)
			wantProblem(t, resp, tc.status, tc.fields...)
		})
	}
	page := must(env.Config.Reports.FindReports(trygg.NewContextWithUser(context.Background(), env.Users["samordnare"]), trygg.ReportFilter{}))
	if page.Total != len(env.Reports) {
		t.Errorf("%d reports stored, want only the fixture's %d", page.Total, len(env.Reports))
	}
}

func TestAPIUpdateReportKeepsHistory(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	token := env.apiToken(t, "rapportor")
	path := fmt.Sprintf("/api/v1/reports/%d", env.Reports[0].ID)

	resp := env.api(t, token, http.MethodPut, path, reportJSON(t, map[string]any{"severity": 3, "location": nil}))
	wantStatus(t, resp, http.StatusOK)
	rep := decodeReport(t, resp)
	if rep.Version != 2 || rep.Severity != 3 || rep.Location != nil || rep.Description != "Grupp ungdomar vid torget, kastade flaskor." {
		t.Errorf("updated report: %+v", rep)
	}

	hist := env.api(t, token, http.MethodGet, path+"/history", "")
	wantStatus(t, hist, http.StatusOK)
	var versions []trygg.ReportVersion
	decodeJSON(t, hist.Body, &versions)
	for _, v := range versions {
		checkSchema(t, loadOpenAPI(t), "ReportVersion", must(json.Marshal(v)))
	}
	if len(versions) != 1 || versions[0].Version != 1 || versions[0].Report.Description != env.Reports[0].Description {
		t.Errorf("history: %s", hist.Body)
	}

	wantProblem(t, env.api(t, token, http.MethodPut, path, reportJSON(t, map[string]any{"place_type": "rymden"})),
		http.StatusUnprocessableEntity, "place_type")
	// Another organisation's report, and one that does not exist, look the same.
	other := fmt.Sprintf("/api/v1/reports/%d", env.Reports[2].ID)
	wantProblem(t, env.api(t, token, http.MethodPut, other, reportJSON(t, nil)), http.StatusNotFound)
	wantProblem(t, env.api(t, token, http.MethodPut, "/api/v1/reports/999999", reportJSON(t, nil)), http.StatusNotFound)
	wantProblem(t, env.api(t, token, http.MethodGet, other+"/history", ""), http.StatusNotFound)
	wantProblem(t, env.api(t, token, http.MethodGet, "/api/v1/reports/abc", ""), http.StatusNotFound)
}

// TestAPIUpdateIfMatch checks optimistic locking: GET names the version
// in ETag, and a PUT with If-Match changes the report only if it is still
// that version.
func TestAPIUpdateIfMatch(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	token := env.apiToken(t, "rapportor")
	path := fmt.Sprintf("/api/v1/reports/%d", env.Reports[0].ID)

	got := env.api(t, token, http.MethodGet, path, "")
	wantStatus(t, got, http.StatusOK)
	if etag := got.Header.Get("ETag"); etag != `"1"` {
		t.Fatalf("ETag %q", etag)
	}
	tests := []struct {
		name, ifMatch string
		status        int
		etag          string // of a successful update
		field         string // of a refused one
	}{
		{"the version read", `"1"`, http.StatusOK, `"2"`, ""},
		{"a version since left", `"1"`, http.StatusPreconditionFailed, "", ""},
		{"any version", "*", http.StatusOK, `"3"`, ""},
		{"no condition", "", http.StatusOK, `"4"`, ""},
		{"a weak tag never matches", `W/"4"`, http.StatusPreconditionFailed, "", ""},
		{"not a tag", "4", http.StatusUnprocessableEntity, "", "If-Match"},
		{"not a list", `"4" "5"`, http.StatusUnprocessableEntity, "", "If-Match"},
		{"a list without the version", `"2", W/"4", "3"`, http.StatusPreconditionFailed, "", ""},
		{"a list with the version", `"2", "4"`, http.StatusOK, `"5"`, ""},
		{"the current version", `"5"`, http.StatusOK, `"6"`, ""},
	}
	for _, tt := range tests {
		resp := env.api(t, token, http.MethodPut, path, reportJSON(t, map[string]any{"description": "Ändrad: " + tt.name}), "If-Match", tt.ifMatch)
		switch {
		case tt.status == http.StatusOK:
			wantStatus(t, resp, http.StatusOK)
			if etag := resp.Header.Get("ETag"); etag != tt.etag {
				t.Errorf("%s: ETag %q, want %q", tt.name, etag, tt.etag)
			}
		case tt.field != "":
			wantProblem(t, resp, tt.status, tt.field)
		default:
			wantProblem(t, resp, tt.status)
		}
	}
	// The refused updates wrote nothing.
	rep := decodeReport(t, env.api(t, token, http.MethodGet, path, ""))
	if rep.Version != 6 || rep.Description != "Ändrad: the current version" {
		t.Errorf("report after the updates: version %d, %q", rep.Version, rep.Description)
	}
}

func TestAPIDeleteReport(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	token := env.apiToken(t, "rapportor")
	coordinator := env.apiToken(t, "samordnare")
	path := fmt.Sprintf("/api/v1/reports/%d", env.Reports[0].ID)

	wantProblem(t, env.api(t, token, http.MethodDelete, path, `{}`), http.StatusUnprocessableEntity, "reason")
	wantProblem(t, env.api(t, token, http.MethodDelete, path, `{"reason": 3}`), http.StatusUnprocessableEntity, "reason")
	wantProblem(t, env.api(t, token, http.MethodDelete, path, `{"reason": "dubblett", "x": 1}`), http.StatusUnprocessableEntity, "reason")
	wantProblem(t, env.api(t, token, http.MethodDelete, path, ``), http.StatusBadRequest)

	resp := env.api(t, token, http.MethodDelete, path, `{"reason": "Dubblett av en annan rapport."}`)
	wantStatus(t, resp, http.StatusNoContent)
	wantProblem(t, env.api(t, token, http.MethodGet, path, ""), http.StatusNotFound)
	wantProblem(t, env.api(t, token, http.MethodDelete, path, `{"reason": "igen"}`), http.StatusNotFound)

	// The samordnare still sees it, with its reason, and in the list of deleted reports.
	get := env.api(t, coordinator, http.MethodGet, path, "")
	wantStatus(t, get, http.StatusOK)
	if rep := decodeReport(t, get); rep.DeletedAt == nil || rep.DeleteReason != "Dubblett av en annan rapport." {
		t.Errorf("deleted report as the samordnare sees it: %s", get.Body)
	}
	list := env.api(t, coordinator, http.MethodGet, "/api/v1/reports?deleted=true", "")
	wantStatus(t, list, http.StatusOK)
	if ids := listIDs(t, list); !slices.Equal(ids, []int64{env.Reports[0].ID}) {
		t.Errorf("deleted reports %v", ids)
	}
	wantProblem(t, env.api(t, token, http.MethodGet, "/api/v1/reports?deleted=true", ""), http.StatusNotFound)
}

// listIDs checks a list answer against the schema and returns its IDs.
func listIDs(t *testing.T, resp response) []int64 {
	t.Helper()
	checkSchema(t, loadOpenAPI(t), "ReportList", []byte(resp.Body))
	var list reportList
	if err := json.Unmarshal([]byte(resp.Body), &list); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range list.Items {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestAPIListReportsPagination(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	ctx := trygg.NewContextWithUser(context.Background(), env.Users["samordnare"])
	want := map[int64]bool{}
	for _, r := range env.Reports {
		want[r.ID] = true
	}
	// Pairs of reports share a time, so that pages must break ties by id.
	for i := range 12 {
		rep, err := env.Config.Reports.CreateReport(ctx, trygg.ReportInput{
			OccurredAt: testNow.Add(-time.Duration(i/2) * time.Hour), AreaCode: "haga", Category: "klotter",
			PlaceType: "gata", Severity: 1, Description: fmt.Sprintf("Klotter på elskåp nummer %d.", i),
		})
		if err != nil {
			t.Fatal(err)
		}
		want[rep.ID] = true
	}
	token := env.apiToken(t, "samordnare")

	seen := map[int64]int{}
	var order []*trygg.Report
	path := "/api/v1/reports?limit=4"
	for pages := 0; path != ""; pages++ {
		if pages > len(want) {
			t.Fatalf("pagination does not end")
		}
		resp := env.api(t, token, http.MethodGet, path, "")
		wantStatus(t, resp, http.StatusOK)
		checkSchema(t, loadOpenAPI(t), "ReportList", []byte(resp.Body))
		var list reportList
		if err := json.Unmarshal([]byte(resp.Body), &list); err != nil {
			t.Fatal(err)
		}
		if list.Total != len(want) {
			t.Errorf("total %d, want %d", list.Total, len(want))
		}
		for _, r := range list.Items {
			seen[r.ID]++
			order = append(order, r)
		}
		link := resp.Header.Get("Link")
		if list.NextCursor == nil {
			if link != "" {
				t.Errorf("Link %q on the last page", link)
			}
			path = ""
			continue
		}
		if len(list.Items) != 4 {
			t.Errorf("a page before the last has %d items", len(list.Items))
		}
		next := "/api/v1/reports?" + url.Values{"cursor": {*list.NextCursor}, "limit": {"4"}}.Encode()
		if link != "<"+next+`>; rel="next"` {
			t.Errorf("Link %q, want <%s>; rel=\"next\"", link, next)
		}
		path = next
	}
	for id := range want {
		if seen[id] != 1 {
			t.Errorf("report %d seen %d times", id, seen[id])
		}
	}
	if len(seen) != len(want) {
		t.Errorf("saw %d reports, want %d", len(seen), len(want))
	}
	if !slices.IsSortedFunc(order, func(a, b *trygg.Report) int {
		if c := b.OccurredAt.Compare(a.OccurredAt); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	}) {
		t.Errorf("reports are not newest first")
	}
}

func TestAPIListReportsFilters(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	r0, r1, r2 := env.Reports[0].ID, env.Reports[1].ID, env.Reports[2].ID
	coordinator, reporter := env.apiToken(t, "samordnare"), env.apiToken(t, "rapportor")
	for _, tc := range []struct {
		name, token, query string
		want               []int64
	}{
		{"samordnare sees all", coordinator, "", []int64{r0, r1, r2}},
		{"rapportör sees own organisation", reporter, "", []int64{r0, r1}},
		{"organisation", coordinator, "organisation=polisen", []int64{r2}},
		{"organisations repeated", coordinator, "organisation=polisen&organisation=skolan", []int64{r0, r1, r2}},
		{"organisations comma-separated", coordinator, "organisation=polisen,skolan", []int64{r0, r1, r2}},
		{"organisation type", coordinator, "organisation_type=polis", []int64{r2}},
		{"organisation types", coordinator, "organisation_type=polis,skola", []int64{r0, r1, r2}},
		{"other organisation for rapportör", reporter, "organisation=polisen", nil},
		{"area", coordinator, "area=haga", nil},
		{"category", coordinator, "category=klotter&area=alidhem", []int64{r0, r1, r2}},
		{"severity", coordinator, "severity=1&severity=3", nil},
		{"severity matches", coordinator, "severity=2", []int64{r0, r1, r2}},
		// Fixture reports happened 1, 2 and 3 days before testNow (2026-11-20 18:30 UTC).
		{"from date", coordinator, "from=2026-11-18", []int64{r0, r1}},
		{"to date includes the day", coordinator, "to=2026-11-18", []int64{r1, r2}},
		{"from and to time", coordinator, "from=2026-11-18T00:00:00Z&to=2026-11-19T00:00:00Z", []int64{r1}},
		{"limit", coordinator, "limit=1", []int64{r0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp := env.api(t, tc.token, http.MethodGet, "/api/v1/reports?"+tc.query, "")
			wantStatus(t, resp, http.StatusOK)
			if got := listIDs(t, resp); !slices.Equal(got, tc.want) {
				t.Errorf("ids %v, want %v", got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		query  string
		fields []string
	}{
		{"areas=haga", []string{"areas"}},
		{"limit=1001", []string{"limit"}},
		{"limit=0", []string{"limit"}},
		{"severity=7", []string{"severity"}},
		{"organisation_type=rymden", []string{"organisation_type"}},
		{"from=igår&to=2026-13-01", []string{"from", "to"}},
		{"from=2026-11-20&to=2026-11-01", []string{"to"}},
		{"deleted=kanske", []string{"deleted"}},
		{"cursor=inte-en-markör", []string{"cursor"}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			resp := env.api(t, coordinator, http.MethodGet, "/api/v1/reports?"+tc.query, "")
			wantProblem(t, resp, http.StatusUnprocessableEntity, tc.fields...)
		})
	}
}

func TestAPILookups(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	doc := loadOpenAPI(t)
	token := env.apiToken(t, "lasare")
	get := func(path, schema string) response {
		t.Helper()
		resp := env.api(t, token, http.MethodGet, path, "")
		wantStatus(t, resp, http.StatusOK)
		var items []json.RawMessage
		if err := json.Unmarshal([]byte(resp.Body), &items); err != nil {
			t.Fatalf("%s: not a JSON array: %v", path, err)
		}
		for _, it := range items {
			checkSchema(t, doc, schema, it)
		}
		return resp
	}

	areas := get("/api/v1/areas", "Area")
	var as []map[string]any
	decodeJSON(t, areas.Body, &as)
	if len(as) != 2 || as[0]["code"] != "haga" || as[0]["name"] != "Haga" || as[0]["population"] != 5000.0 {
		t.Errorf("areas: %s", areas.Body)
	}
	if _, ok := as[0]["geometry"]; ok {
		t.Errorf("the plain list of areas carries outlines")
	}

	cats := get("/api/v1/categories", "Category")
	var cs []trygg.Category
	decodeJSON(t, cats.Body, &cs)
	if len(cs) < 20 || cs[0].Code == "" || cs[0].Group == "" || cs[0].Name == "" {
		t.Errorf("categories: %s", cats.Body)
	}
	archived := env.api(t, token, http.MethodGet, "/api/v1/categories?archived=ja", "")
	wantProblem(t, archived, http.StatusUnprocessableEntity, "archived")

	orgs := get("/api/v1/organisations", "Organisation")
	var os []apiOrganisation
	decodeJSON(t, orgs.Body, &os)
	slices.SortFunc(os, func(a, b apiOrganisation) int { return strings.Compare(a.Code, b.Code) })
	if want := []apiOrganisation{{"ifo", "Individ- och familjeomsorgen", trygg.OrgSocialServices},
		{"medborgare", "Medborgare (tips)", trygg.OrgCitizens}, // the residents' accepted tips
		{"polisen", "Polisen lokalpolisområde Umeå", trygg.OrgPolice},
		{"skolan", "Ålidhemsskolan", trygg.OrgSchool}, {"umebra", "UmeBrå", trygg.OrgMunicipal}}; !slices.Equal(os, want) {
		t.Errorf("organisations: %s", orgs.Body)
	}

	places := get("/api/v1/place-types", "PlaceType")
	if strings.TrimSpace(places.Body) != string(must(json.Marshal(trygg.PlaceTypes))) {
		t.Errorf("place types: %s", places.Body)
	}

	geo := env.api(t, token, http.MethodGet, "/api/v1/areas.geojson", "")
	wantStatus(t, geo, http.StatusOK)
	if ct := geo.Header.Get("Content-Type"); ct != "application/geo+json" {
		t.Errorf("Content-Type %q", ct)
	}
	checkSchema(t, doc, "AreaFeatureCollection", []byte(geo.Body))
	var fc struct {
		Type     string
		Features []struct {
			ID       string
			Geometry struct {
				Type        string
				Coordinates [][][2]float64
			}
			Properties map[string]any
		}
	}
	decodeJSON(t, geo.Body, &fc)
	if fc.Type != "FeatureCollection" || len(fc.Features) != 2 {
		t.Fatalf("areas.geojson: %s", geo.Body)
	}
	alidhem := fc.Features[1]
	if alidhem.ID != "alidhem" || alidhem.Properties["code"] != "alidhem" || alidhem.Properties["name"] != "Ålidhem" ||
		alidhem.Properties["population"] != 7000.0 || alidhem.Geometry.Type != "Polygon" ||
		alidhem.Geometry.Coordinates[0][1] != [2]float64{20.32, 63.81} {
		t.Errorf("Ålidhem feature: %+v", alidhem)
	}
}

func TestAPIAuthentication(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	op := trygg.NewOperatorContext(context.Background())
	revoked := env.apiToken(t, "rapportor")
	tokens := must(env.Config.Auth.FindTokens(op, "rapportor@example.se"))
	if err := env.Config.Auth.RevokeToken(op, tokens[0].ID); err != nil {
		t.Fatal(err)
	}
	valid := env.apiToken(t, "rapportor")

	for _, tc := range []struct{ name, header string }{
		{"no header", ""},
		{"not bearer", "Basic " + valid},
		{"unknown token", "Bearer trygg_" + strings.Repeat("x", 40)},
		{"revoked token", "Bearer " + revoked},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, env.HTTP.URL+"/api/v1/reports", nil)
			req.RequestURI = ""
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp := env.anonymous(t).do(req)
			wantProblem(t, resp, http.StatusUnauthorized)
			if got := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
				t.Errorf("WWW-Authenticate %q", got)
			}
		})
	}
	wantStatus(t, env.api(t, valid, http.MethodGet, "/api/v1/reports", ""), http.StatusOK)

	doc := env.api(t, "", http.MethodGet, "/api/v1/openapi.json", "")
	wantStatus(t, doc, http.StatusOK)
	if doc.Body != string(openAPIDocument) {
		t.Errorf("GET /api/v1/openapi.json does not serve the embedded document")
	}
}

func TestAPIUnknownAddress(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	token := env.apiToken(t, "rapportor")
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{http.MethodGet, "/api/v1/finns-inte", http.StatusNotFound, ""},
		{http.MethodGet, "/api/v2/reports", http.StatusNotFound, ""},
		{http.MethodGet, "/api/v1/reports/", http.StatusNotFound, ""},
		{http.MethodPatch, "/api/v1/reports", http.StatusMethodNotAllowed, "GET, POST, HEAD"},
		{http.MethodPost, "/api/v1/reports/7", http.StatusMethodNotAllowed, "GET, PUT, DELETE, HEAD"},
		{http.MethodDelete, "/api/v1/areas", http.StatusMethodNotAllowed, "GET, HEAD"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			t.Parallel()
			for _, tok := range []string{token, ""} {
				resp := env.api(t, tok, tc.method, tc.path, "")
				wantProblem(t, resp, tc.status)
				if got := resp.Header.Get("Allow"); got != tc.allow {
					t.Errorf("Allow %q, want %q", got, tc.allow)
				}
			}
		})
	}
}

// TestAPIErrorHidesInternalDetail checks that an error from outside the
// domain is logged but never shown.
func TestAPIErrorHidesInternalDetail(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/api/v1/reports/1", nil)
	env.Server.apiError(w, r, fmt.Errorf("query reports: disk I/O error at page 4711"))
	resp := response{StatusCode: w.Code, Header: w.Header(), Body: w.Body.String()}
	p := wantProblem(t, resp, http.StatusInternalServerError)
	if p.Detail != "Internt fel." || strings.Contains(resp.Body, "4711") {
		t.Errorf("internal detail shown: %s", resp.Body)
	}
	wantContains(t, env.Logs.String(), "page 4711")

	// Each application error code has its own status.
	for code, status := range map[string]int{
		trygg.EINVALID: http.StatusBadRequest, trygg.ENOTFOUND: http.StatusNotFound, trygg.ECONFLICT: http.StatusConflict,
		trygg.EUNAUTHORIZED: http.StatusUnauthorized, trygg.ERATELIMIT: http.StatusTooManyRequests, trygg.EINTERNAL: http.StatusInternalServerError,
	} {
		w := httptest.NewRecorder()
		env.Server.apiError(w, r, trygg.Errorf(code, "Något."))
		if w.Code != status {
			t.Errorf("%s: status %d, want %d", code, w.Code, status)
		}
	}
}

// FuzzAPIReportFilter checks that any query string either gives a filter
// within the documented bounds or an EINVALID error naming a parameter.
func FuzzAPIReportFilter(f *testing.F) {
	s := &Server{}
	f.Add("from=2025-03-01&to=2025-03-31&area=alidhem&severity=2,3&limit=100")
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		rf, err := s.parseAPIReportFilter(q)
		if err != nil {
			if trygg.ErrorCode(err) != trygg.EINVALID || len(trygg.ErrorFields(err)) == 0 {
				t.Fatalf("error without a named parameter: %v", err)
			}
			return
		}
		if rf.Limit < 1 || rf.Limit > maxAPIPageSize {
			t.Errorf("limit %d", rf.Limit)
		}
		for _, n := range rf.Severities {
			if n < trygg.SeverityLow || n > trygg.SeverityHigh {
				t.Errorf("severity %d", n)
			}
		}
		if rf.From != nil && rf.To != nil && !rf.From.Before(*rf.To) {
			t.Errorf("from %v not before to %v", rf.From, rf.To)
		}
	})
}

// FuzzIfMatch checks that If-Match is no condition, a list of the
// versions its strong tags name exactly, or a refusal naming the header.
func FuzzIfMatch(f *testing.F) {
	for _, seed := range []string{`"3"`, "*", "", `W/"3"`, "3", `"0"`, `"-1"`, `"3", "4"`, `"3" "4"`, `"3",`, `W/`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		versions, conditional, err := ifMatchVersions(header)
		switch {
		case err != nil:
			if fields := trygg.ErrorFields(err); trygg.ErrorCode(err) != trygg.EINVALID || len(fields) != 1 || fields[0].Field != "If-Match" {
				t.Fatalf("%q: %v", header, err)
			}
		case !conditional && len(versions) > 0:
			t.Fatalf("%q: versions %v without a condition", header, versions)
		}
		for _, n := range versions {
			if tag := strconv.Quote(strconv.Itoa(n)); n <= 0 || !strings.Contains(header, tag) {
				t.Fatalf("%q read as version %d", header, n)
			}
		}
	})
}
