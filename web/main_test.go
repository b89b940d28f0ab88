package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

// testPassword is every fixture user's password.
const testPassword = "korrekt-häst-batteri"

// testNow is the fixed time of every test server (a Friday evening).
var testNow = time.Date(2026, 11, 20, 18, 30, 0, 0, time.UTC)

// fixture is the data every test server starts with: three organisations,
// a user per role, two districts with outlines, and a few reports.
type fixture struct {
	Orgs  map[string]*trygg.Organisation // "umebra" (kommun), "skolan", "polisen", "ifo" (socialtjänst)
	Users map[string]*trygg.User         // by role code; "rapportor2" is a rapportör at polisen
	// Reports are filed by "rapportor" (skolan) except the last, filed by
	// "rapportor2" (polisen).
	Reports []*trygg.Report
}

// testEnv is a running test server with real services on a fresh SQLite
// database.
type testEnv struct {
	fixture
	Server   *Server
	HTTP     *httptest.Server
	Config   Config
	DB       *sqldb.DB
	Registry *prometheus.Registry
	Logs     *lockedBuffer
	// ReadyErr is what cfg.Ready answers; tests set it.
	ReadyErr error
}

// lockedBuffer collects the server's log lines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// square is a GeoJSON polygon of the box between two corners.
func square(lon0, lat0, lon1, lat1 float64) []byte {
	return fmt.Appendf(nil, `{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}`,
		lon0, lat0, lon1, lat0, lon1, lat1, lon0, lat1, lon0, lat0)
}

// newTestServer starts a server on a new database with the fixture. edit,
// if given, changes the Config before the server is built.
func newTestServer(t *testing.T, edit ...func(*Config)) *testEnv {
	t.Helper()
	db := sqldbtest.Open(t)
	db.Now = func() time.Time { return testNow }
	env := &testEnv{DB: db, Registry: prometheus.NewRegistry(), Logs: &lockedBuffer{}}
	env.Config = Config{
		Services:             sqldb.NewServices(db),
		Ready:                func(*http.Request) error { return env.ReadyErr },
		Logger:               slog.New(slog.NewJSONHandler(env.Logs, nil)),
		Registry:             env.Registry,
		Clock:                func() time.Time { return testNow },
		AccessibilityContact: "tillganglighet@example.se",
	}
	for _, f := range edit {
		f(&env.Config)
	}
	s, err := NewServer(env.Config)
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	env.Server = s
	env.fixture = newFixture(t, env.Config)
	env.HTTP = httptest.NewServer(s)
	t.Cleanup(env.HTTP.Close)
	return env
}

func newFixture(t *testing.T, cfg Config) fixture {
	t.Helper()
	op := trygg.NewOperatorContext(context.Background())
	f := fixture{Orgs: map[string]*trygg.Organisation{}, Users: map[string]*trygg.User{}}
	for _, o := range []*trygg.Organisation{
		{Code: "umebra", Name: "UmeBrå", Type: trygg.OrgMunicipal},
		{Code: "skolan", Name: "Ålidhemsskolan", Type: trygg.OrgSchool},
		{Code: "polisen", Name: "Polisen lokalpolisområde Umeå", Type: trygg.OrgPolice},
		{Code: "ifo", Name: "Individ- och familjeomsorgen", Type: trygg.OrgSocialServices},
	} {
		if err := cfg.Organisations.CreateOrganisation(op, o); err != nil {
			t.Fatalf("create organisation %s: %v", o.Code, err)
		}
		f.Orgs[o.Code] = o
	}
	for _, u := range []struct {
		key, org string
		role     trygg.Role
	}{
		{"samordnare", "umebra", trygg.RoleSamordnare},
		{"rapportor", "skolan", trygg.RoleRapportor},
		{"rapportor2", "polisen", trygg.RoleRapportor},
		{"polis", "polisen", trygg.RolePolis},
		{"lasare", "umebra", trygg.RoleLasare},
		{"socialtjanst", "ifo", trygg.RoleSocialtjanst},
		{"admin", "umebra", trygg.RoleAdmin},
	} {
		user, err := cfg.Users.CreateUser(op, trygg.NewUser{Email: u.key + "@example.se", Name: "Test " + u.key,
			OrgCode: u.org, Roles: []trygg.Role{u.role}, Password: testPassword})
		if err != nil {
			t.Fatalf("create user %s: %v", u.key, err)
		}
		f.Users[u.key] = user
	}
	areas := []*trygg.Area{
		{Code: "alidhem", Name: "Ålidhem", Population: 7000, Geometry: square(20.30, 63.81, 20.32, 63.82)},
		{Code: "haga", Name: "Haga", Population: 5000, Geometry: square(20.26, 63.82, 20.28, 63.83)},
	}
	if err := cfg.Areas.UpsertAreas(op, areas); err != nil {
		t.Fatalf("create areas: %v", err)
	}
	for i, who := range []string{"rapportor", "rapportor", "rapportor2"} {
		ctx := trygg.NewContextWithUser(context.Background(), f.Users[who])
		rep, err := cfg.Reports.CreateReport(ctx, trygg.ReportInput{
			OccurredAt: testNow.Add(-time.Duration(i+1) * 24 * time.Hour), AreaCode: "alidhem", Category: "klotter",
			PlaceType: "skola", Severity: 2, Description: fmt.Sprintf("Klotter på skolans vägg, fall %d.", i+1),
		})
		if err != nil {
			t.Fatalf("create report: %v", err)
		}
		f.Reports = append(f.Reports, rep)
	}
	return f
}

// testClient is a browser: it keeps cookies and does not follow redirects.
type testClient struct {
	t    *testing.T
	env  *testEnv
	http *http.Client
	csrf string
}

func (e *testEnv) anonymous(t *testing.T) *testClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &testClient{t: t, env: e, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn returns a client signed in as the fixture user with that key,
// through the real sign-in form.
func (e *testEnv) signIn(t *testing.T, who string) *testClient {
	t.Helper()
	c := e.anonymous(t)
	resp := c.post("/logga-in", url.Values{"email": {who + "@example.se"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: status %d: %s", who, resp.StatusCode, resp.Body)
	}
	c.refreshCSRF()
	return c
}

// refreshCSRF reads the session's CSRF token from a page's sign-out form.
func (c *testClient) refreshCSRF() {
	c.t.Helper()
	resp := c.get("/tillganglighet")
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(resp.Body)
	if m == nil {
		c.t.Fatalf("no CSRF token on the page")
	}
	c.csrf = m[1]
}

// response is a read response.
type response struct {
	StatusCode int
	Header     http.Header
	Body       string
}

func (c *testClient) do(req *http.Request) response {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{StatusCode: resp.StatusCode, Header: resp.Header, Body: string(body)}
}

func (c *testClient) get(path string) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.env.HTTP.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post sends a form with the session's CSRF token, unless the form sets
// its own "csrf".
func (c *testClient) post(path string, form url.Values) response {
	c.t.Helper()
	if _, ok := form[csrfField]; !ok && c.csrf != "" {
		form.Set(csrfField, c.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, c.env.HTTP.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// follow GETs the redirect target of resp.
func (c *testClient) follow(resp response) response {
	c.t.Helper()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		c.t.Fatalf("want a redirect, got %d: %s", resp.StatusCode, resp.Body)
	}
	return c.get(resp.Header.Get("Location"))
}

func wantStatus(t *testing.T, resp response, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("status %d, want %d; body:\n%s", resp.StatusCode, want, resp.Body)
	}
}

// wantFields fails unless err's field errors name exactly the fields
// want, in any order.
func wantFields(t *testing.T, err error, want []string) {
	t.Helper()
	var got []string
	for _, fe := range trygg.ErrorFields(err) {
		got = append(got, fe.Field)
	}
	slices.Sort(got)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Fatalf("fields %v, want %v (%v)", got, want, err)
	}
}

// wantFormError fails a form's fuzz target unless err is an EINVALID
// whose field errors all carry a message and name a field in known or one
// beginning with one of prefixes (the fields of repeated rows).
func wantFormError(t *testing.T, err error, known []string, prefixes ...string) {
	t.Helper()
	if trygg.ErrorCode(err) != trygg.EINVALID {
		t.Fatalf("error code %q: %v", trygg.ErrorCode(err), err)
	}
	for _, fe := range trygg.ErrorFields(err) {
		prefixed := slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(fe.Field, p) })
		if !slices.Contains(known, fe.Field) && !prefixed || fe.Message == "" {
			t.Fatalf("unknown field or empty message: %+v", fe)
		}
	}
}

func wantContains(t *testing.T, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("page lacks %q", p)
		}
	}
}
