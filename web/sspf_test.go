package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sspf"
)

// sspfWorld is the SSPF part of a test server's fixture: a coordinator,
// members of school, police and leisure on a team for Ålidhem, a police
// member on no team, and one case with a complete consent and a meeting.
type sspfWorld struct {
	team      *sspf.Team
	ref       string
	consentID int64
	meetingID int64
}

var sspfWorlds sync.Map // *testEnv → *sspfWorld

// The young person of the SSPF tests, 13 years old on testNow.
var (
	sspfTestBirth = trygg.DateDay(2013, 5, 5)
	sspfTestPnr   = sspf.ExampleNumber(sspfTestBirth, 482)
)

const sspfTestName = "Nora Testungdom"

// sspfUserKeys are the fixture's SSPF users, signed in as key@example.se.
var sspfUserKeys = []string{"sspf", "sspf.skola", "sspf.polis", "sspf.polis2"}

func sspfSetup(env *testEnv) (*sspfWorld, error) {
	if w, ok := sspfWorlds.Load(env); ok {
		return w.(*sspfWorld), nil
	}
	op := trygg.NewOperatorContext(context.Background())
	if err := env.Config.Organisations.CreateOrganisation(op, &trygg.Organisation{Code: "fritid", Name: "Fritidsförvaltningen", Type: trygg.OrgMunicipal}); err != nil {
		return nil, err
	}
	for _, u := range []struct {
		key, org string
		roles    []trygg.Role
	}{
		{"sspf", "ifo", []trygg.Role{trygg.RoleSSPF}},
		{"sspf.skola", "skolan", []trygg.Role{trygg.RoleSSPFMember}},
		{"sspf.polis", "polisen", []trygg.Role{trygg.RolePolis, trygg.RoleSSPFMember}},
		{"sspf.polis2", "polisen", []trygg.Role{trygg.RolePolis, trygg.RoleSSPFMember}},
		{"sspf.fritid", "fritid", []trygg.Role{trygg.RoleSSPFMember}},
	} {
		user, err := env.Config.Users.CreateUser(op, trygg.NewUser{Email: u.key + "@example.se", Name: "Test " + u.key,
			OrgCode: u.org, Roles: u.roles, Password: testPassword})
		if err != nil {
			return nil, err
		}
		env.Users[u.key] = user
	}
	ctx := trygg.NewContextWithUser(context.Background(), env.Users["sspf"])
	team, err := env.Config.SSPF.CreateTeam(ctx, "SSPF Ålidhem", "alidhem")
	if err != nil {
		return nil, err
	}
	for _, key := range []string{"sspf.skola", "sspf.polis", "sspf.fritid"} {
		if err := env.Config.SSPF.SetMember(ctx, team.ID, key+"@example.se", true); err != nil {
			return nil, err
		}
	}
	w := &sspfWorld{team: team}
	c, err := newSSPFCase(env, team, 0, true)
	if err != nil {
		return nil, err
	}
	w.ref, w.consentID = c.Ref, c.Consents[0].ID
	for _, st := range []string{sspf.StateConsent, sspf.StateActive} {
		if _, err := env.Config.SSPF.SetState(ctx, c.Ref, sspf.StateInput{State: st}); err != nil {
			return nil, err
		}
	}
	m, err := env.Config.SSPF.CreateMeeting(ctx, team.ID, trygg.DayOf(testNow)+3)
	if err != nil {
		return nil, err
	}
	w.meetingID = m.ID
	sspfWorlds.Store(env, w)
	return w, nil
}

// newSSPFCase registers a case as the coordinator, with a consent of one
// of its two guardians, or of both when complete.
func newSSPFCase(env *testEnv, team *sspf.Team, n int, complete bool) (*sspf.Case, error) {
	ctx := trygg.NewContextWithUser(context.Background(), env.Users["sspf"])
	c, err := env.Config.SSPF.CreateCase(ctx, sspf.Input{YouthID: sspfTestPnr, YouthName: sspfTestName, Guardians: 2,
		Reason: "skolfranvaro", ReferringPart: sspf.PartSchool, TeamID: team.ID, ReferredOn: trygg.DayOf(testNow) - trygg.Day(n%30)})
	if err != nil {
		return nil, err
	}
	signed := []string{sspf.SignerGuardian1}
	if complete {
		signed = append(signed, sspf.SignerGuardian2)
	}
	return env.Config.SSPF.AddConsent(ctx, c.Ref, sspf.ConsentInput{Signed: signed, Purpose: "samordnad_insats", GivenOn: trygg.DayOf(testNow),
		Scope: []string{"skola:narvaro", "socialtjanst:narvaro", "polis:narvaro", "fritid:narvaro"}}, "samtycke.pdf", []byte("%PDF-1.4 test"))
}

func mustSSPF(env *testEnv) *sspfWorld {
	w, err := sspfSetup(env)
	if err != nil {
		panic(err) // the fixture is broken: nothing can be tested
	}
	return w
}

// postConsent posts the consent form with a file, as multipart.
func postConsent(t *testing.T, c *testClient, path string, form url.Values, fileName string, content []byte) response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if c.csrf != "" {
		form.Set(csrfField, c.csrf)
	}
	for k, vs := range form {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if content != nil {
		fw, err := mw.CreateFormFile("document", fileName)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(content)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.env.HTTP.URL+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func consentValues() url.Values {
	return url.Values{"signed": {sspf.SignerGuardian1, sspf.SignerGuardian2}, "scope": {"polis:narvaro", "skola:handlingsplan"},
		"purpose": {"samordnad_insats"}, "given_on": {trygg.DayOf(testNow).String()}}
}

// sspfRequests are the SSPF routes as requests: for each route pattern, a
// request made by a caller client for matrix cell n.
func sspfRequests(env *testEnv) map[string]func(t *testing.T, c *testClient, n int) response {
	w := mustSSPF(env)
	casePath := "/tidiga-insatser/arenden/" + w.ref
	freshCase := func(t *testing.T, n int, complete bool) *sspf.Case {
		t.Helper()
		c, err := newSSPFCase(env, w.team, n, complete)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	get := func(path string) func(*testing.T, *testClient, int) response {
		return func(_ *testing.T, c *testClient, _ int) response { return c.get(path) }
	}
	return map[string]func(t *testing.T, c *testClient, n int) response{
		"GET /tidiga-insatser": get("/tidiga-insatser"),
		"POST /tidiga-insatser/sok": func(_ *testing.T, c *testClient, _ int) response {
			return c.post("/tidiga-insatser/sok", url.Values{"youth_id": {sspfTestPnr}})
		},
		"GET /tidiga-insatser/ny": get("/tidiga-insatser/ny"),
		"POST /tidiga-insatser/ny": func(_ *testing.T, c *testClient, n int) response {
			return c.post("/tidiga-insatser/ny", url.Values{"youth_id": {sspfTestPnr}, "youth_name": {sspfTestName}, "guardians": {"2"},
				"reason": {"missbruk"}, "referring_part": {"polis"}, "team": {strconv.FormatInt(w.team.ID, 10)}, "referred_on": {trygg.DayOf(testNow).String()}})
		},
		"GET /tidiga-insatser/arenden/{ref}": get(casePath),
		"POST /tidiga-insatser/arenden/{ref}/dela": func(_ *testing.T, c *testClient, n int) response {
			return c.post(casePath+"/dela", url.Values{"info": {sspf.InfoAttendance}, "text": {fmt.Sprintf("Frånvaro vecka %d.", n)}})
		},
		"POST /tidiga-insatser/arenden/{ref}/lage": func(t *testing.T, c *testClient, n int) response {
			return c.post("/tidiga-insatser/arenden/"+freshCase(t, n, true).Ref+"/lage", url.Values{"state": {sspf.StateConsent}})
		},
		"POST /tidiga-insatser/arenden/{ref}/samtycke": func(t *testing.T, c *testClient, _ int) response {
			return postConsent(t, c, casePath+"/samtycke", consentValues(), "samtycke.pdf", []byte("%PDF-1.4 x"))
		},
		"POST /tidiga-insatser/arenden/{ref}/samtycke/{id}/underskrift": func(t *testing.T, c *testClient, n int) response {
			k := freshCase(t, n, false)
			return c.post(fmt.Sprintf("/tidiga-insatser/arenden/%s/samtycke/%d/underskrift", k.Ref, k.Consents[0].ID), url.Values{"signer": {sspf.SignerGuardian2}})
		},
		"POST /tidiga-insatser/arenden/{ref}/samtycke/{id}/aterkalla": func(t *testing.T, c *testClient, n int) response {
			k := freshCase(t, n, true)
			return c.post(fmt.Sprintf("/tidiga-insatser/arenden/%s/samtycke/%d/aterkalla", k.Ref, k.Consents[0].ID), url.Values{})
		},
		"POST /tidiga-insatser/arenden/{ref}/atgarder/{id}/klar": func(t *testing.T, c *testClient, n int) response {
			k := freshCase(t, n, true)
			ctx := trygg.NewContextWithUser(context.Background(), env.Users["sspf"])
			a, err := env.Config.SSPF.AddAction(ctx, w.meetingID, sspf.ActionInput{CaseRef: k.Ref, Title: "Möte om skolgången",
				OwnerPart: sspf.PartSchool, Deadline: trygg.DayOf(testNow) + 10})
			if err != nil {
				t.Fatal(err)
			}
			return c.post(fmt.Sprintf("/tidiga-insatser/arenden/%s/atgarder/%d/klar", k.Ref, a.ID), url.Values{})
		},
		"GET /tidiga-insatser/arenden/{ref}/samtycke/{id}/dokument": get(fmt.Sprintf("%s/samtycke/%d/dokument", casePath, w.consentID)),
		"GET /tidiga-insatser/arenden/{ref}/atkomst":                get(casePath + "/atkomst"),
		"GET /tidiga-insatser/moten":                                get("/tidiga-insatser/moten"),
		"POST /tidiga-insatser/moten": func(_ *testing.T, c *testClient, _ int) response {
			return c.post("/tidiga-insatser/moten", url.Values{"team": {strconv.FormatInt(w.team.ID, 10)}, "day": {trygg.DayOf(testNow).String()}})
		},
		"GET /tidiga-insatser/moten/{id}": get(fmt.Sprintf("/tidiga-insatser/moten/%d", w.meetingID)),
		"POST /tidiga-insatser/moten/{id}/beslut": func(_ *testing.T, c *testClient, n int) response {
			return c.post(fmt.Sprintf("/tidiga-insatser/moten/%d/beslut", w.meetingID), url.Values{"case": {w.ref},
				"title": {fmt.Sprintf("Erbjud plats i fotbollslaget %d", n)}, "owner": {"fritid"}, "deadline": {(trygg.DayOf(testNow) + 20).String()}})
		},
		"GET /tidiga-insatser/team": get("/tidiga-insatser/team"),
		"POST /tidiga-insatser/team": func(_ *testing.T, c *testClient, n int) response {
			return c.post("/tidiga-insatser/team", url.Values{"name": {fmt.Sprintf("SSPF Haga %d", n)}, "area": {"haga"}})
		},
		"POST /tidiga-insatser/team/{id}/medlemmar": func(_ *testing.T, c *testClient, _ int) response {
			return c.post(fmt.Sprintf("/tidiga-insatser/team/%d/medlemmar", w.team.ID), url.Values{"email": {"sspf.fritid@example.se"}})
		},
		"GET /statistik/tidiga-insatser": get("/statistik/tidiga-insatser"),
	}
}

// sspfRows are the SSPF rows of the access matrix: none of the matrix's
// roles is in a team, so every page is "not found" to them, but the
// statistics, which samordnare and läsare read through the disclosure
// rule.
func sspfRows(env *testEnv) []accessRow {
	const (
		page = "anonymous=303 samordnare=404 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=303"
		post = "anonymous=401 samordnare=404 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=401"
	)
	var rows []accessRow
	for pattern, send := range sspfRequests(env) {
		want := post
		switch {
		case pattern == "GET /statistik/tidiga-insatser":
			want = "anonymous=303 samordnare=200 rapportor=404 polis=404 socialtjanst=404 lasare=200 admin=404 disabled=303"
		case strings.HasPrefix(pattern, "GET "):
			want = page
		}
		rows = append(rows, accessRow{pattern: pattern, want: want,
			send: func(t *testing.T, _ *testEnv, c *caller, n int) response { return send(t, c.client, n) }})
	}
	return rows
}

// TestSSPFRoleRoute tries every SSPF route as the coordinator, a school
// member and a police member of the case's team, and a police member of
// no team: 0 leaks means every cell is as listed, and no answer to the
// outsider holds the young person's name or number.
func TestSSPFRoleRoute(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	reqs := sspfRequests(env)
	const ok, redirect, none = http.StatusOK, http.StatusSeeOther, http.StatusNotFound
	want := map[string][4]int{ // sspf, sspf.skola, sspf.polis, sspf.polis2
		"GET /tidiga-insatser":                                          {ok, ok, ok, ok},
		"POST /tidiga-insatser/sok":                                     {ok, ok, ok, ok},
		"GET /tidiga-insatser/ny":                                       {ok, none, none, none},
		"POST /tidiga-insatser/ny":                                      {redirect, none, none, none},
		"GET /tidiga-insatser/arenden/{ref}":                            {ok, ok, ok, none},
		"POST /tidiga-insatser/arenden/{ref}/dela":                      {redirect, redirect, redirect, none},
		"POST /tidiga-insatser/arenden/{ref}/lage":                      {redirect, none, none, none},
		"POST /tidiga-insatser/arenden/{ref}/samtycke":                  {redirect, none, none, none},
		"POST /tidiga-insatser/arenden/{ref}/samtycke/{id}/underskrift": {redirect, none, none, none},
		"POST /tidiga-insatser/arenden/{ref}/samtycke/{id}/aterkalla":   {redirect, none, none, none},
		"GET /tidiga-insatser/arenden/{ref}/samtycke/{id}/dokument":     {ok, none, none, none},
		"POST /tidiga-insatser/arenden/{ref}/atgarder/{id}/klar":        {redirect, redirect, none, none},
		"GET /tidiga-insatser/arenden/{ref}/atkomst":                    {ok, none, none, none},
		"GET /tidiga-insatser/moten":                                    {ok, ok, ok, ok},
		"POST /tidiga-insatser/moten":                                   {redirect, none, none, none},
		"GET /tidiga-insatser/moten/{id}":                               {ok, ok, ok, none},
		"POST /tidiga-insatser/moten/{id}/beslut":                       {redirect, none, none, none},
		"GET /tidiga-insatser/team":                                     {ok, ok, ok, ok},
		"POST /tidiga-insatser/team":                                    {redirect, none, none, none},
		"POST /tidiga-insatser/team/{id}/medlemmar":                     {redirect, none, none, none},
		"GET /statistik/tidiga-insatser":                                {ok, none, none, none},
	}
	for _, rt := range env.Server.routes() {
		if strings.Contains(rt.pattern, "tidiga-insatser") {
			if _, ok := want[rt.pattern]; !ok {
				t.Errorf("route %s is not in the SSPF matrix", rt.pattern)
			}
		}
	}
	clients := make([]*testClient, len(sspfUserKeys))
	for i, key := range sspfUserKeys {
		clients[i] = env.signIn(t, key)
	}
	n := 1000
	for pattern, statuses := range want {
		send, found := reqs[pattern]
		if !found {
			t.Fatalf("no request for %s", pattern)
		}
		for i, c := range clients {
			n++
			resp := send(t, c, n)
			if resp.StatusCode != statuses[i] {
				t.Errorf("%s as %s: status %d, want %d: %.300s", pattern, sspfUserKeys[i], resp.StatusCode, statuses[i], resp.Body)
			}
			if i == 3 && (strings.Contains(resp.Body, sspfTestName) || strings.Contains(resp.Body, sspfTestPnr[8:])) {
				t.Errorf("%s shows the young person to a police member outside the team", pattern)
			}
		}
	}
	// No name or number in any log line.
	for _, s := range []string{sspfTestName, sspfTestPnr, sspfTestPnr[2:8]} {
		if strings.Contains(env.Logs.String(), s) {
			t.Errorf("the log holds %q", s)
		}
	}
}

func TestSSPFPages(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	w := mustSSPF(env)
	coord := env.signIn(t, "sspf")
	// A new case through the form; a bad number names the field.
	resp := coord.post("/tidiga-insatser/ny", url.Values{"youth_id": {"20130505-1234"}, "youth_name": {"X"}, "guardians": {"2"},
		"reason": {"missbruk"}, "referring_part": {"polis"}, "team": {strconv.FormatInt(w.team.ID, 10)}, "referred_on": {"i går"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.Body, "Personnumret eller samordningsnumret är inte giltigt") ||
		!strings.Contains(resp.Body, "ÅÅÅÅ-MM-DD") {
		t.Fatalf("bad form: %d %.500s", resp.StatusCode, resp.Body)
	}
	resp = coord.post("/tidiga-insatser/ny", url.Values{"youth_id": {sspfTestPnr}, "youth_name": {sspfTestName}, "guardians": {"2"},
		"reason": {"missbruk"}, "referring_part": {"polis"}, "team": {strconv.FormatInt(w.team.ID, 10)}, "referred_on": {"2026-11-19"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %.500s", resp.StatusCode, resp.Body)
	}
	casePath := resp.Header.Get("Location")
	if strings.Contains(casePath, sspfTestPnr[2:8]) {
		t.Fatalf("the number is in the URL %s", casePath)
	}
	// A consent with a bad file: refused, nothing stored.
	resp = postConsent(t, coord, casePath+"/samtycke", consentValues(), "samtycke.gif", []byte("GIF89a"))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.Body, "varken PDF, JPEG eller PNG") {
		t.Fatalf("bad upload: %d %.500s", resp.StatusCode, resp.Body)
	}
	page := coord.get(casePath)
	if !strings.Contains(page.Body, "Inget samtycke är registrerat") {
		t.Fatal("a refused upload stored a consent")
	}
	form := consentValues()
	form["signed"] = []string{sspf.SignerGuardian1}
	resp = postConsent(t, coord, casePath+"/samtycke", form, "samtycke.jpg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 9})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("consent: %d %.500s", resp.StatusCode, resp.Body)
	}
	page = coord.get(casePath)
	if !strings.Contains(page.Body, "Underskrift saknas:") || !strings.Contains(page.Body, "Vårdnadshavare 2") {
		t.Errorf("the page does not name the missing signature: %.2000s", page.Body)
	}
	// The police member may not share outside the scope; the page says why.
	police := env.signIn(t, "sspf.polis")
	resp = police.post(casePath+"/dela", url.Values{"info": {sspf.InfoPolice}, "text": {"Omhändertagen en gång."}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.Body, "Uppgiften delades inte") ||
		!strings.Contains(resp.Body, "underskrift saknas från vårdnadshavare 2") {
		t.Errorf("refusal: %d %.3000s", resp.StatusCode, resp.Body)
	}
	// Stats page for samordnare, through the disclosure rule.
	stats := env.signIn(t, "samordnare").get("/statistik/tidiga-insatser")
	if stats.StatusCode != http.StatusOK || !strings.Contains(stats.Body, "färre än 5") || strings.Contains(stats.Body, sspfTestName) {
		t.Errorf("stats: %d %.1500s", stats.StatusCode, stats.Body)
	}
}

// FuzzSSPFConsentForm feeds the consent form arbitrary bodies: it must
// never panic, must name only its own fields, and what it accepts must
// pass the domain's validation as it stands.
func FuzzSSPFConsentForm(f *testing.F) {
	f.Add(consentValues().Encode(), 2)
	f.Add("signed=den_unga&scope=polis:journal&purpose=x&given_on=2026-13-01&expires_on=i%20morgon", 1)
	f.Add("signed=vardnadshavare_2&scope=skola:narvaro&scope=skola:narvaro&given_on=2026-11-20&expires_on=2030-01-01", 1)
	fields := map[string]bool{"signed": true, "scope": true, "purpose": true, "given_on": true, "expires_on": true, "signed_on": true}
	today := trygg.DayOf(testNow)
	f.Fuzz(func(t *testing.T, body string, guardians int) {
		q, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		form := sspfConsentFormFromValues(q)
		in, err := form.Validate(guardians, sspf.DefaultValidityMonths, today)
		for _, fe := range trygg.ErrorFields(err) {
			if !fields[fe.Field] {
				t.Fatalf("unknown field %q", fe.Field)
			}
		}
		if err == nil {
			again := in
			if err := again.Validate(guardians, sspf.DefaultValidityMonths, today); err != nil {
				t.Fatalf("accepted input fails the domain: %v", err)
			}
			if in.ExpiresOn > in.GivenOn.AddMonths(sspf.DefaultValidityMonths) || in.ExpiresOn <= in.GivenOn {
				t.Fatalf("accepted expiry %s for %s", in.ExpiresOn, in.GivenOn)
			}
		}
	})
}

// TestSSPFTeamMember: the coordinator takes a member off the team, who
// then gets "not found" for the team's case.
func TestSSPFTeamMember(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	w := mustSSPF(env)
	coord := env.signIn(t, "sspf")
	page := coord.get("/tidiga-insatser/team")
	if !strings.Contains(page.Body, "Ta bort Test sspf.polis ur teamet") {
		t.Fatalf("no removal button:\n%.1500s", page.Body)
	}
	police := env.signIn(t, "sspf.polis")
	if st := police.get("/tidiga-insatser/arenden/" + w.ref).StatusCode; st != http.StatusOK {
		t.Fatalf("member: %d", st)
	}
	resp := coord.post(fmt.Sprintf("/tidiga-insatser/team/%d/medlemmar", w.team.ID), url.Values{"email": {"sspf.polis@example.se"}, "remove": {"1"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("removal: %d %.500s", resp.StatusCode, resp.Body)
	}
	if st := police.get("/tidiga-insatser/arenden/" + w.ref).StatusCode; st != http.StatusNotFound {
		t.Errorf("after removal: %d", st)
	}
}
