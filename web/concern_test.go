package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
)

// testChild is the fictional child of the register tests.
const (
	testChildPnr    = "20121212-1212"
	testChildDigits = "201212121212"
	testChildName   = "Kalle Testbarnsson"
)

// concernValues is a valid intake form.
func concernValues() url.Values {
	return url.Values{
		"received_at": {"2026-11-20T17:05"}, "channel": {"telefon"}, "reporter_category": {"skola"},
		"reporter_mandatory": {"1"}, "reporter_name": {"Rektor Rektorsson"}, "child_id_kind": {"personnummer"},
		"child_id": {testChildPnr}, "child_name": {testChildName}, "categories": {concern.CategoryViolence, "forsummelse"},
		"description": {"Eleven har blåmärken på armarna."},
	}
}

// newConcern registers a report as the fixture's socialtjänst user, for
// matrix cells that use one up.
func newConcern(t *testing.T, env *testEnv, n int) *concern.Report {
	t.Helper()
	c, err := registerConcern(env, n)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func registerConcern(env *testEnv, n int) (*concern.Report, error) {
	ctx := trygg.NewContextWithUser(context.Background(), env.Users["socialtjanst"])
	return env.Config.Concerns.CreateReport(ctx, concern.Input{
		ReceivedAt: testNow.Add(-time.Hour), Channel: "brev", ReporterCategory: "privatperson",
		ChildID: testChildPnr, ChildName: fmt.Sprintf("Barn %d", n), Categories: []string{"forsummelse"},
		Description: "Oro för barnets hemsituation.",
	})
}

// concernRows are the register's rows of the access matrix: only the
// socialtjänst user, whose organisation is social services, gets in; the
// statistics are also the samordnare's and läsare's.
func concernRows(env *testEnv) []accessRow {
	const (
		registerPage = "anonymous=303 samordnare=404 rapportor=404 polis=404 socialtjanst=200 lasare=404 admin=404 disabled=303"
		managerPage  = "anonymous=303 samordnare=404 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=303"
	)
	c, err := registerConcern(env, 0)
	if err != nil {
		panic(err) // the fixture is broken: nothing can be tested
	}
	path := "/orosanmalningar/" + c.Ref
	return []accessRow{
		{"GET /orosanmalningar", matrixGet("/orosanmalningar"), registerPage},
		{"GET /orosanmalningar/ny", matrixGet("/orosanmalningar/ny"), registerPage},
		{"POST /orosanmalningar/ny", matrixPost("/orosanmalningar/ny", func(int) url.Values { return concernValues() }),
			"anonymous=401 samordnare=404 rapportor=404 polis=404 socialtjanst=303 lasare=404 admin=404 disabled=401"},
		{"POST /orosanmalningar/sok", matrixPost("/orosanmalningar/sok", func(int) url.Values { return url.Values{"child_id": {testChildPnr}} }),
			"anonymous=401 samordnare=404 rapportor=404 polis=404 socialtjanst=200 lasare=404 admin=404 disabled=401"},
		{"GET /orosanmalningar/{ref}", matrixGet(path), registerPage},
		{"POST /orosanmalningar/{ref}/steg", func(t *testing.T, env *testEnv, cl *caller, n int) response {
			ref := newConcern(t, env, n).Ref
			return cl.client.post("/orosanmalningar/"+ref+"/steg", url.Values{"kind": {concern.StepProtection}})
		}, "anonymous=401 samordnare=404 rapportor=404 polis=404 socialtjanst=303 lasare=404 admin=404 disabled=401"},
		{"GET /orosanmalningar/{ref}/atkomst", matrixGet(path + "/atkomst"), managerPage},
		{"GET /statistik/orosanmalningar", matrixGet("/statistik/orosanmalningar"),
			"anonymous=303 samordnare=200 rapportor=404 polis=404 socialtjanst=200 lasare=200 admin=404 disabled=303"},
	}
}

func TestConcernFormValidate(t *testing.T) {
	t.Parallel()
	loc := stockholm(t)
	for _, tc := range []struct {
		name   string
		edit   func(url.Values)
		fields []string
	}{
		{"valid", func(url.Values) {}, nil},
		{"bad time", func(q url.Values) { q.Set("received_at", "i går") }, []string{"received_at"}},
		{"bad number", func(q url.Values) { q.Set("child_id", "20121212-1213") }, []string{"child_id"}},
		{"reserve number", func(q url.Values) { q.Set("child_id_kind", "reservnummer"); q.Set("child_id", "RES-1") }, nil},
		{"nothing", func(q url.Values) {
			for k := range q {
				delete(q, k)
			}
		}, []string{"received_at", "channel", "reporter_category", "child_id", "child_name", "categories", "description"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q := concernValues()
			tc.edit(q)
			f := concernFormFromValues(q)
			_, err := f.Validate(testNow, loc)
			wantFields(t, err, tc.fields)
		})
	}
}

// FuzzConcernForm feeds the intake form arbitrary bodies: it must never
// panic, must name only its own fields, and what it accepts must pass the
// domain's validation as it stands.
func FuzzConcernForm(f *testing.F) {
	f.Add(concernValues().Encode())
	f.Add("child_id_kind=reservnummer&child_id=RES-1&categories=heder&categories=heder&received_at=2026-11-20T25:00")
	f.Add("child_id=811218%2B9876&reporter_category=anonym&reporter_name=x&description=%ff")
	loc := stockholm(f)
	known := []string{"received_at", "channel", "reporter_category", "reporter_name", "reporter_contact", "child_id_kind",
		"child_id", "child_name", "guardians", "categories", "description"}
	f.Fuzz(func(t *testing.T, body string) {
		q, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		form := concernFormFromValues(q)
		in, err := form.Validate(testNow, loc)
		if err != nil {
			wantFormError(t, err, known)
			return
		}
		if err := in.Validate(testNow); err != nil {
			t.Fatalf("accepted input fails the domain's validation: %v", err)
		}
		if in.ChildIDKind != concern.ChildReserve && len(in.ChildID) != 12 {
			t.Fatalf("accepted number %q is not stored as 12 digits", in.ChildID)
		}
	})
}

// FuzzStepForm: the forms on a report's page never panic and name only
// their own fields.
func FuzzStepForm(f *testing.F) {
	f.Add("kind=forhandsbedomning&open=1&reason=x&at=2026-11-20T10:00")
	f.Add("kind=forlangning&new_due=2027-02-31&reason=x")
	f.Add("kind=tilldelning&assignee=-1")
	loc := stockholm(f)
	known := []string{"at", "open", "new_due", "assignee"}
	f.Fuzz(func(t *testing.T, body string) {
		q, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		form := stepFormFromValues(q)
		in, err := form.Validate(loc)
		if err != nil {
			wantFormError(t, err, known)
		} else if in.Kind != form.Kind {
			t.Fatalf("kind %q became %q", form.Kind, in.Kind)
		}
	})
}

var refPath = regexp.MustCompile(`^/orosanmalningar/([a-z0-9]+)$`)

// TestConcernPages is a case worker's errand over HTTP: intake with an
// error, then saved; the clock's steps; a colleague who must give a
// purpose; a search; and nothing personal in any URL or log line.
func TestConcernPages(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	op := trygg.NewOperatorContext(context.Background())
	if _, err := env.Config.Users.CreateUser(op, trygg.NewUser{Email: "soc2@example.se", Name: "Test soc2", OrgCode: "ifo",
		Roles: []trygg.Role{trygg.RoleSocialtjanst}, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Config.Users.CreateUser(op, trygg.NewUser{Email: "chef@example.se", Name: "Test chef", OrgCode: "ifo",
		Roles: []trygg.Role{trygg.RoleArbetsledare}, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	c := env.signIn(t, "socialtjanst")
	resp := c.get("/")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/orosanmalningar" {
		t.Fatalf("home sends socialtjänst to %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	checkPage(t, c.get("/orosanmalningar/ny").Body)

	bad := concernValues()
	bad.Set("child_id", "20121212-1213")
	resp = c.post("/orosanmalningar/ny", bad)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `id="child_id-fel"`, testChildName, `value="20121212-1213"`)
	checkPage(t, resp.Body)

	resp = c.post("/orosanmalningar/ny", concernValues())
	wantStatus(t, resp, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	m := refPath.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("redirect to %q, want /orosanmalningar/REF", loc)
	}
	ref := m[1]
	page := c.follow(resp)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, testChildName, "20121212-1212", "Våld mot barnet", "Registrera skyddsbedömning", "Ska göras i dag")
	if page.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", page.Header.Get("Cache-Control"))
	}
	checkPage(t, page.Body)

	step := func(v url.Values) response {
		t.Helper()
		return c.post("/orosanmalningar/"+ref+"/steg", v)
	}
	wantStatus(t, step(url.Values{"kind": {concern.StepProtection}, "at": {"2026-11-20T18:00"}}), http.StatusSeeOther)
	resp = step(url.Values{"kind": {concern.StepPre}, "open": {"1"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `id="reason-fel"`)
	checkPage(t, resp.Body)
	wantStatus(t, step(url.Values{"kind": {concern.StepPre}, "open": {"1"}, "reason": {"Våld: utredning inleds."}}), http.StatusSeeOther)
	page = c.get("/orosanmalningar/" + ref)
	wantContains(t, page.Body, "Slutför utredningen", "Förläng utredningen", "2027-03-20")
	checkPage(t, page.Body)
	resp = step(url.Values{"kind": {concern.StepExtension}, "new_due": {"2027-01-01"}, "reason": {"x"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `id="new_due-fel"`)
	wantStatus(t, step(url.Values{"kind": {concern.StepExtension}, "new_due": {"2027-04-30"}, "reason": {"Särskilda skäl."}}), http.StatusSeeOther)

	// The lists show it; a search by number is a POST.
	for _, q := range []string{"?ko=oppna", "?ko=mina"} {
		list := c.get("/orosanmalningar" + q)
		wantContains(t, list.Body, testChildName)
		checkPage(t, list.Body)
	}
	wantStatus(t, c.get("/orosanmalningar?ko=hemlig"), http.StatusNotFound)
	found := c.post("/orosanmalningar/sok", url.Values{"child_id": {"201212121212"}})
	wantStatus(t, found, http.StatusOK)
	wantContains(t, found.Body, testChildName)

	// A colleague must give a purpose; the manager sees it in the log.
	c2 := env.signIn(t, "soc2")
	resp = c2.get("/orosanmalningar/" + ref)
	wantStatus(t, resp, http.StatusForbidden)
	wantContains(t, resp.Body, `name="syfte"`)
	checkPage(t, resp.Body)
	wantStatus(t, c2.get("/orosanmalningar/"+ref+"?syfte=ersattare"), http.StatusOK)
	boss := env.signIn(t, "chef")
	log := boss.get("/orosanmalningar/" + ref + "/atkomst")
	wantStatus(t, log, http.StatusOK)
	wantContains(t, log.Body, "Test soc2", "Ersättare för ordinarie handläggare")
	checkPage(t, log.Body)
	wantStatus(t, c2.get("/orosanmalningar/"+ref+"/atkomst"), http.StatusNotFound)
	page = boss.get("/orosanmalningar/" + ref + "?syfte=arbetsledning")
	wantContains(t, page.Body, "Fördela")
	checkPage(t, page.Body)
	// The manager's own intake is not assigned: it opens for distribution.
	resp = boss.post("/orosanmalningar/ny", concernValues())
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "?syfte=arbetsledning") {
		t.Fatalf("manager's intake: %d to %q", resp.StatusCode, loc)
	}
	wantContains(t, boss.follow(resp).Body, "Ofördelad", "Fördela")
	wantContains(t, boss.get("/orosanmalningar?ko=ofordelade").Body, testChildName)

	stats := env.signIn(t, "lasare").get("/statistik/orosanmalningar")
	wantStatus(t, stats, http.StatusOK)
	checkPage(t, stats.Body)
	if strings.Contains(stats.Body, testChildName) {
		t.Error("the statistics show a name")
	}

	for _, secret := range []string{testChildDigits, "121212-1212", "Kalle", "Testbarnsson"} {
		if strings.Contains(env.Logs.String(), secret) {
			t.Errorf("the server's log holds %q", secret)
		}
	}
}

// TestDemoBanner: a demo installation says on every page, signed in or
// not, that its data is fictional; a real one does not.
func TestDemoBanner(t *testing.T) {
	t.Parallel()
	for _, demo := range []bool{false, true} {
		env := newTestServer(t, func(c *Config) { c.Demo = demo })
		for _, page := range []response{env.anonymous(t).get("/logga-in"), env.signIn(t, "socialtjanst").get("/orosanmalningar"),
			env.signIn(t, "lasare").get("/finns-inte")} {
			if got := strings.Contains(page.Body, "DEMO – fiktiva uppgifter"); got != demo {
				t.Errorf("demo=%v: banner shown=%v on a %d page", demo, got, page.StatusCode)
			}
		}
	}
}

// TestConcernRoutesOtherCallers gives the register's rows of the access
// matrix the columns it lacks: the register's manager, and socialtjänst
// and manager users in an organisation that is not social services, who
// get "not found" on every route of the register (the statistics, being
// counts only, are a socialtjänst user's anywhere).
func TestConcernRoutesOtherCallers(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	op := trygg.NewOperatorContext(context.Background())
	for _, u := range []struct {
		who, org string
		role     trygg.Role
	}{{"chef", "ifo", trygg.RoleArbetsledare}, {"soc-skola", "skolan", trygg.RoleSocialtjanst}, {"chef-skola", "skolan", trygg.RoleArbetsledare}} {
		if _, err := env.Config.Users.CreateUser(op, trygg.NewUser{Email: u.who + "@example.se", Name: "Test " + u.who, OrgCode: u.org,
			Roles: []trygg.Role{u.role}, Password: testPassword}); err != nil {
			t.Fatal(err)
		}
	}
	callers := map[string]*caller{}
	for _, who := range []string{"chef", "soc-skola", "chef-skola"} {
		callers[who] = &caller{role: who, client: env.signIn(t, who)}
	}
	want := map[string]string{
		"POST /orosanmalningar/ny":           "chef=303 soc-skola=404 chef-skola=404",
		"POST /orosanmalningar/{ref}/steg":   "chef=303 soc-skola=404 chef-skola=404",
		"GET /orosanmalningar/{ref}":         "chef=403 soc-skola=404 chef-skola=404", // the manager is asked for a purpose
		"GET /statistik/orosanmalningar":     "chef=200 soc-skola=200 chef-skola=200",
		"GET /orosanmalningar/{ref}/atkomst": "chef=200 soc-skola=404 chef-skola=404",
	}
	n := 0
	for _, row := range concernRows(env) {
		spec, ok := want[row.pattern]
		if !ok {
			spec = "chef=200 soc-skola=404 chef-skola=404"
		}
		for _, f := range strings.Fields(spec) {
			who, status, _ := strings.Cut(f, "=")
			n++
			resp := row.send(t, env, callers[who], n)
			if fmt.Sprint(resp.StatusCode) != status {
				t.Errorf("%s as %s: status %d, want %s\n%.300s", row.pattern, who, resp.StatusCode, status, resp.Body)
			}
		}
	}
	// Neither the start page nor the menu leads the outsiders there.
	for _, who := range []string{"soc-skola", "chef-skola"} {
		if loc := callers[who].client.get("/").Header.Get("Location"); strings.HasPrefix(loc, "/orosanmalningar") {
			t.Errorf("%s starts at %s", who, loc)
		}
		if page := callers[who].client.get("/statistik/orosanmalningar"); strings.Contains(page.Body, `href="/orosanmalningar"`) {
			t.Errorf("%s has the register in the menu", who)
		}
	}
	if page := callers["chef"].client.get("/statistik/orosanmalningar"); !strings.Contains(page.Body, `href="/orosanmalningar"`) {
		t.Error("the manager has no register in the menu")
	}
}
