package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/nattvandring"
)

// nightWorld is two night-walking groups in the test server: Ålidhem's,
// led by "ledare", with volunteers whose names the tests look for, and
// Haga's, led by "ledare2".
type nightWorld struct {
	group, group2 *nattvandring.Group
	walk, past    *nattvandring.Walk
	item          *nattvandring.Item
	volunteers    []*nattvandring.Volunteer
	names         []string // the Ålidhem group's volunteers' names
	names2        []string // Haga's
	reportID      int64    // an observation's report
	token         string   // volunteers[0]'s sign-up link
}

func newNightWorld(t *testing.T, env *testEnv) *nightWorld {
	t.Helper()
	op := trygg.NewOperatorContext(context.Background())
	svc := env.Config.Nattvandring
	for _, o := range []*trygg.Organisation{
		{Code: "nv-alidhem", Name: "Nattvandrarna Ålidhem", Type: trygg.OrgNightwalk},
		{Code: "nv-haga", Name: "Föräldrar i Haga", Type: trygg.OrgNightwalk},
	} {
		if err := env.Config.Organisations.CreateOrganisation(op, o); err != nil {
			t.Fatal(err)
		}
	}
	leaders := map[string]*trygg.User{}
	for key, org := range map[string]string{"ledare": "nv-alidhem", "ledare2": "nv-haga"} {
		u, err := env.Config.Users.CreateUser(op, trygg.NewUser{Email: key + "@example.se", Name: "Test " + key, OrgCode: org,
			Roles: []trygg.Role{trygg.RoleNattvandrare}, Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		leaders[key] = u
	}
	insurance := nattvandring.Insurance{Insurer: "Försäkringsbolaget", Policy: "OLY-7", ValidFrom: trygg.DateDay(2026, 1, 1), ValidTo: trygg.DateDay(2026, 12, 31)}
	w := &nightWorld{names: []string{"Wilhelmina Zetterqvist", "Ragnvald Österlind", "Gunborg Ylvasdotter"},
		names2: []string{"Torbjörn Hagelqvist"}}
	var err error
	lead := trygg.NewContextWithUser(context.Background(), leaders["ledare"])
	if w.group, err = svc.CreateGroup(lead, nattvandring.GroupInput{Name: "Nattvandrarna Ålidhem", Contact: "info@nv.example",
		Districts: []string{"alidhem", "haga"}, Insurance: insurance}); err != nil {
		t.Fatal(err)
	}
	lead2 := trygg.NewContextWithUser(context.Background(), leaders["ledare2"])
	if w.group2, err = svc.CreateGroup(lead2, nattvandring.GroupInput{Name: "Föräldrar i Haga", Contact: "haga@nv.example",
		Districts: []string{"haga"}, Insurance: insurance}); err != nil {
		t.Fatal(err)
	}
	add := func(ctx context.Context, g *nattvandring.Group, name string) *nattvandring.Volunteer {
		v, err := svc.CreateVolunteer(ctx, g.ID, nattvandring.VolunteerInput{Name: name, Phone: "070-555 01 01"})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.AddTraining(ctx, v.ID, nattvandring.TrainingInput{Kind: nattvandring.TrainingIntroduction, On: trygg.DateDay(2026, 2, 1)}); err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, n := range w.names {
		w.volunteers = append(w.volunteers, add(lead, w.group, n))
	}
	for _, n := range w.names2 {
		add(lead2, w.group2, n)
	}
	// testNow is Friday 20 November 2026: tonight's walk, and next week's.
	today := trygg.DayOf(testNow)
	schedule := func(d trygg.Day) *nattvandring.Walk {
		wk, err := svc.ScheduleWalk(lead, w.group.ID, nattvandring.WalkInput{Date: d, Start: 21 * 60, End: 60,
			Districts: []string{"alidhem"}, MeetingPoint: "Ålidhems centrum", Published: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range w.volunteers {
			if err := svc.SignUp(lead, wk.ID, v.ID); err != nil {
				t.Fatal(err)
			}
		}
		return wk
	}
	w.past, w.walk = schedule(today), schedule(today+7)
	log, err := svc.FileLog(lead, w.past.ID, nattvandring.WalkLog{Districts: []string{"alidhem"}, YouthContacts: 4,
		Walkers: []nattvandring.Walker{{VolunteerID: w.volunteers[0].ID, Minutes: 60}, {VolunteerID: w.volunteers[1].ID, Minutes: 60}},
		Observations: []nattvandring.Observation{{OccurredAt: testNow.Add(-time.Hour), AreaCode: "alidhem", PlaceType: "skola",
			Category: "klotter", Severity: 1, Description: "Nytt klotter på skolans gavel."}}})
	if err != nil {
		t.Fatal(err)
	}
	w.reportID = log.ReportIDs[0]
	if w.token, err = svc.CreateSignUpLink(lead, w.volunteers[0].ID); err != nil {
		t.Fatal(err)
	}
	if w.item, err = svc.AddItem(lead, w.group.ID, nattvandring.ItemInput{Kind: nattvandring.ItemJacket, Size: "M", Label: "Väst 1"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.LendItem(lead, w.item.ID, w.volunteers[0].ID, today+3); err != nil {
		t.Fatal(err)
	}
	return w
}

const (
	nightPages  = "anonymous=303 samordnare=200 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=200 disabled=303"
	leaderPages = "anonymous=303 samordnare=404 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=303"
	leaderPosts = "anonymous=401 samordnare=404 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=401"
)

// nattvandringRows are the night walks' rows of the access matrix. The
// matrix's roles hold no leader; TestNattvandringNames tries the leaders.
func nattvandringRows(env *testEnv) []accessRow {
	var world *nightWorld
	w := func(t *testing.T) *nightWorld {
		t.Helper()
		if world == nil {
			world = newNightWorld(t, env)
		}
		return world
	}
	get := func(path func(*nightWorld) string) func(*testing.T, *testEnv, *caller, int) response {
		return func(t *testing.T, env *testEnv, c *caller, _ int) response { return c.client.get(path(w(t))) }
	}
	post := func(path func(*nightWorld) string, form func(*nightWorld, int) url.Values) func(*testing.T, *testEnv, *caller, int) response {
		return func(t *testing.T, env *testEnv, c *caller, n int) response {
			return c.client.post(path(w(t)), form(w(t), n))
		}
	}
	group := func(suffix string) func(*nightWorld) string {
		return func(w *nightWorld) string { return fmt.Sprintf("/nattvandring/grupp/%d%s", w.group.ID, suffix) }
	}
	walk := func(suffix string) func(*nightWorld) string {
		return func(w *nightWorld) string { return fmt.Sprintf("/nattvandring/vandring/%d%s", w.walk.ID, suffix) }
	}
	groupField := func(w *nightWorld, _ int) url.Values { return url.Values{"group": {fmt.Sprint(w.group.ID)}} }
	return []accessRow{
		{"GET /nattvandring", get(func(*nightWorld) string { return "/nattvandring" }), nightPages},
		{"POST /nattvandring/grupper", post(func(*nightWorld) string { return "/nattvandring/grupper" }, func(_ *nightWorld, n int) url.Values {
			return url.Values{"org": {"nv-haga"}, "name": {fmt.Sprintf("Grupp %d", n)}, "contact": {"x@nv.example"}, "districts": {"haga"}, "min_adults": {"3"}}
		}), "anonymous=401 samordnare=303 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=303 disabled=401"},
		{"GET /nattvandring/grupp/{id}", get(group("")), nightPages},
		{"POST /nattvandring/grupp/{id}", post(group(""), func(w *nightWorld, _ int) url.Values {
			return url.Values{"name": {"Nattvandrarna Ålidhem"}, "contact": {"info@nv.example"}, "districts": {"alidhem", "haga"},
				"min_adults": {"3"}, "insurer": {"Försäkringsbolaget"}, "policy": {"OLY-7"}, "insurance_from": {"2026-01-01"}, "insurance_to": {"2026-12-31"}}
		}), "anonymous=401 samordnare=303 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=401"},
		{"POST /nattvandring/grupp/{id}/vandringar", post(group("/vandringar"), func(*nightWorld, int) url.Values {
			return url.Values{"date": {"2026-12-04"}, "start": {"21:00"}, "end": {"01:00"}, "districts": {"alidhem"}, "meeting_point": {"Torget"}}
		}), leaderPosts},
		{"GET /nattvandring/grupp/{id}/frivilliga", get(group("/frivilliga")), leaderPages},
		{"POST /nattvandring/grupp/{id}/frivilliga", post(group("/frivilliga"), func(*nightWorld, int) url.Values {
			return url.Values{"name": {"Ny Frivillig"}, "phone": {"070-000 00 00"}}
		}), leaderPosts},
		{"POST /nattvandring/frivillig/{id}/utbildning", post(func(w *nightWorld) string {
			return fmt.Sprintf("/nattvandring/frivillig/%d/utbildning", w.volunteers[2].ID)
		}, func(w *nightWorld, _ int) url.Values {
			return url.Values{"group": {fmt.Sprint(w.group.ID)}, "kind": {"forsta_hjalpen"}, "on": {"2026-03-01"}}
		}), leaderPosts},
		{"POST /nattvandring/frivillig/{id}/ta-bort", post(func(w *nightWorld) string {
			return fmt.Sprintf("/nattvandring/frivillig/%d/ta-bort", w.volunteers[2].ID)
		}, groupField), leaderPosts},
		{"GET /nattvandring/grupp/{id}/utrustning", get(group("/utrustning")), leaderPages},
		{"POST /nattvandring/grupp/{id}/utrustning", post(group("/utrustning"), func(*nightWorld, int) url.Values {
			return url.Values{"kind": {"ficklampa"}, "label": {"Lampa"}}
		}), leaderPosts},
		{"POST /nattvandring/utrustning/{id}/lana-ut", post(func(w *nightWorld) string { return fmt.Sprintf("/nattvandring/utrustning/%d/lana-ut", w.item.ID) },
			func(w *nightWorld, _ int) url.Values {
				return url.Values{"group": {fmt.Sprint(w.group.ID)}, "volunteer": {fmt.Sprint(w.volunteers[1].ID)}, "due": {"2026-12-01"}}
			}), leaderPosts},
		{"POST /nattvandring/utrustning/{id}/aterlamna", post(func(w *nightWorld) string { return fmt.Sprintf("/nattvandring/utrustning/%d/aterlamna", w.item.ID) },
			groupField), leaderPosts},
		{"POST /nattvandring/utrustning/{id}/skriv-av", post(func(w *nightWorld) string { return fmt.Sprintf("/nattvandring/utrustning/%d/skriv-av", w.item.ID) },
			func(w *nightWorld, _ int) url.Values {
				return url.Values{"group": {fmt.Sprint(w.group.ID)}, "reason": {"Borttappad"}}
			}), leaderPosts},
		{"GET /nattvandring/vandring/{id}", get(walk("")), nightPages},
		{"POST /nattvandring/vandring/{id}/anmalan", post(walk("/anmalan"), func(w *nightWorld, _ int) url.Values {
			return url.Values{"volunteer": {fmt.Sprint(w.volunteers[0].ID)}}
		}), leaderPosts},
		{"POST /nattvandring/vandring/{id}/avanmalan/{volunteer}", post(func(w *nightWorld) string {
			return fmt.Sprintf("/nattvandring/vandring/%d/avanmalan/%d", w.walk.ID, w.volunteers[0].ID)
		}, func(*nightWorld, int) url.Values { return url.Values{} }), leaderPosts},
		{"POST /nattvandring/vandring/{id}/bekrafta", post(walk("/bekrafta"), func(*nightWorld, int) url.Values { return url.Values{} }), leaderPosts},
		{"POST /nattvandring/vandring/{id}/stall-in", post(walk("/stall-in"), func(*nightWorld, int) url.Values { return url.Values{} }), leaderPosts},
		{"POST /nattvandring/vandring/{id}/logg", post(walk("/logg"), func(*nightWorld, int) url.Values { return url.Values{"districts": {"alidhem"}} }), leaderPosts},
		{"POST /nattvandring/frivillig/{id}/lank", post(func(w *nightWorld) string {
			return fmt.Sprintf("/nattvandring/frivillig/%d/lank", w.volunteers[1].ID)
		}, groupField), leaderPosts},
		{"POST /nattvandring/frivillig/{id}/lank/aterkalla", post(func(w *nightWorld) string {
			return fmt.Sprintf("/nattvandring/frivillig/%d/lank/aterkalla", w.volunteers[1].ID)
		}, groupField), leaderPosts},
		{"GET /nattvandring/anmalan/{token}", get(func(w *nightWorld) string { return "/nattvandring/anmalan/" + w.token }), everyone},
		{"POST /nattvandring/anmalan/{token}", post(func(w *nightWorld) string { return "/nattvandring/anmalan/" + w.token },
			// No action chosen: the page again, with the message (the form
			// itself is TestNattvandringSelfSignUp's).
			func(w *nightWorld, _ int) url.Values { return url.Values{"walk": {fmt.Sprint(w.walk.ID)}} }),
			"anonymous=422 samordnare=422 rapportor=422 polis=422 socialtjanst=422 lasare=422 admin=422 disabled=422"},
		{"GET /nattvandring/ute", get(func(*nightWorld) string { return "/nattvandring/ute?omrade=alidhem" }), everyone},
		{"GET /nattvandring/ute/grupp/{file}", get(func(w *nightWorld) string { return fmt.Sprintf("/nattvandring/ute/grupp/%d.ics", w.group.ID) }), everyone},
		{"GET /nattvandring/ute/omrade/{file}", get(func(*nightWorld) string { return "/nattvandring/ute/omrade/alidhem.ics" }), everyone},
	}
}

// TestNattvandringNames is the role × route test of the volunteers' names:
// every page of the module, the report an observation became and the
// public calendars, as every role and as the other group's leader. Only
// the group's own leader may see its volunteers' names.
func TestNattvandringNames(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	w := newNightWorld(t, env)
	paths := []string{
		"/nattvandring", fmt.Sprintf("/nattvandring/grupp/%d", w.group.ID), fmt.Sprintf("/nattvandring/grupp/%d/frivilliga", w.group.ID),
		fmt.Sprintf("/nattvandring/grupp/%d/utrustning", w.group.ID), fmt.Sprintf("/nattvandring/vandring/%d", w.walk.ID),
		fmt.Sprintf("/nattvandring/vandring/%d", w.past.ID), fmt.Sprintf("/nattvandring/grupp/%d", w.group2.ID),
		fmt.Sprintf("/nattvandring/grupp/%d/frivilliga", w.group2.ID), fmt.Sprintf("/rapporter/%d", w.reportID),
		"/nattvandring/ute", "/nattvandring/ute?omrade=alidhem", fmt.Sprintf("/nattvandring/ute/grupp/%d.ics", w.group.ID),
		"/nattvandring/ute/omrade/alidhem.ics", "/rapporter", "/lagesbild", "/oversikt",
		"/lagesbild?nattvandring=visa&period=vecka&datum=2026-11-20",
	}
	roles := []string{"anonymous", "samordnare", "rapportor", "polis", "socialtjanst", "lasare", "admin", "ledare", "ledare2"}
	leaks, seen := 0, 0
	for _, role := range roles {
		c := env.anonymous(t)
		if role != "anonymous" {
			c = env.signIn(t, role)
		}
		for _, p := range paths {
			resp := c.get(p)
			for _, name := range w.names {
				own := role == "ledare"
				if strings.Contains(resp.Body, name) {
					if own {
						seen++
					} else {
						leaks++
						t.Errorf("%s sees %q on %s", role, name, p)
					}
				}
			}
			for _, name := range w.names2 {
				if strings.Contains(resp.Body, name) && role != "ledare2" {
					leaks++
					t.Errorf("%s sees %q on %s", role, name, p)
				}
			}
		}
	}
	if leaks != 0 || seen == 0 {
		t.Errorf("%d leaks; the leader saw names %d times", leaks, seen)
	}
}

// TestNattvandringForms posts bad input to every form of the module: each
// answers 422 with a message naming the field, and writes nothing.
func TestNattvandringForms(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	w := newNightWorld(t, env)
	c := env.signIn(t, "ledare")
	g, wk, item := w.group.ID, w.walk.ID, w.item.ID
	cases := []struct {
		name, path string
		form       url.Values
		field      string
	}{
		{"group without name", fmt.Sprintf("/nattvandring/grupp/%d", g), url.Values{"contact": {"x"}, "districts": {"haga"}}, "name"},
		{"group with a bad date", fmt.Sprintf("/nattvandring/grupp/%d", g), url.Values{"name": {"X"}, "contact": {"x"}, "districts": {"haga"}, "insurance_to": {"igår"}}, "insurance_to"},
		{"new group in no district", "/nattvandring/grupper", url.Values{"name": {"X"}, "contact": {"x"}}, "districts"},
		{"walk without date", fmt.Sprintf("/nattvandring/grupp/%d/vandringar", g), url.Values{"start": {"21:00"}, "end": {"01:00"}, "districts": {"alidhem"}, "meeting_point": {"Torget"}}, "date"},
		{"walk at a bad time", fmt.Sprintf("/nattvandring/grupp/%d/vandringar", g), url.Values{"date": {"2026-12-04"}, "start": {"kväll"}, "end": {"01:00"}, "districts": {"alidhem"}, "meeting_point": {"Torget"}}, "start"},
		{"walk with a phone number", fmt.Sprintf("/nattvandring/grupp/%d/vandringar", g), url.Values{"date": {"2026-12-04"}, "start": {"21:00"}, "end": {"01:00"}, "districts": {"alidhem"}, "meeting_point": {"Ring 070-123 45 67"}}, "meeting_point"},
		{"volunteer without phone", fmt.Sprintf("/nattvandring/grupp/%d/frivilliga", g), url.Values{"name": {"Ny"}}, "phone"},
		{"training in the future", fmt.Sprintf("/nattvandring/frivillig/%d/utbildning", w.volunteers[0].ID), url.Values{"group": {fmt.Sprint(g)}, "kind": {"introduktion"}, "on": {"2027-01-01"}}, fmt.Sprintf("training_%d_on", w.volunteers[0].ID)},
		{"item without label", fmt.Sprintf("/nattvandring/grupp/%d/utrustning", g), url.Values{"kind": {"ficklampa"}}, "label"},
		{"jacket without size", fmt.Sprintf("/nattvandring/grupp/%d/utrustning", g), url.Values{"kind": {"vast"}, "label": {"Väst 9"}}, "size"},
		{"lend what is out", fmt.Sprintf("/nattvandring/utrustning/%d/lana-ut", item), url.Values{"group": {fmt.Sprint(g)}, "volunteer": {fmt.Sprint(w.volunteers[1].ID)}, "due": {"2026-12-01"}}, fmt.Sprintf("item_%d_item", item)},
		{"write off without reason", fmt.Sprintf("/nattvandring/utrustning/%d/skriv-av", item), url.Values{"group": {fmt.Sprint(g)}}, fmt.Sprintf("item_%d_reason", item)},
		{"sign up nobody", fmt.Sprintf("/nattvandring/vandring/%d/anmalan", wk), url.Values{"volunteer": {"x"}}, "volunteer"},
		{"log before the walk", fmt.Sprintf("/nattvandring/vandring/%d/logg", wk), url.Values{"districts": {"alidhem"}}, ""},
	}
	for _, cs := range cases {
		before := changeCount(t, env)
		resp := c.post(cs.path, cs.form)
		want := http.StatusUnprocessableEntity
		if resp.StatusCode != want {
			t.Errorf("%s: status %d, want %d\n%.400s", cs.name, resp.StatusCode, want, resp.Body)
			continue
		}
		if cs.field != "" && !strings.Contains(resp.Body, `id="`+cs.field+`-fel"`) && !strings.Contains(resp.Body, "error-message") {
			t.Errorf("%s: no message for %s", cs.name, cs.field)
		}
		if after := changeCount(t, env); after != before {
			t.Errorf("%s: %d changes written", cs.name, after-before)
		}
	}
}

// TestNattvandringLogForm files a log through the form: two observations
// in slots 1 and 3, one with a phone number first (refused, named on the
// right slot), then clean.
func TestNattvandringLogForm(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	w := newNightWorld(t, env)
	lead := trygg.NewContextWithUser(context.Background(), mustUser(t, env, "ledare@example.se"))
	today := trygg.DayOf(testNow)
	wk, err := env.Config.Nattvandring.ScheduleWalk(lead, w.group.ID, nattvandring.WalkInput{Date: today, Start: 18 * 60, End: 19*60 + 30,
		Districts: []string{"alidhem"}, MeetingPoint: "Torget"})
	if err != nil {
		t.Fatal(err)
	}
	c := env.signIn(t, "ledare")
	form := url.Values{"districts": {"alidhem", "haga"}, "youth_contacts": {"7"},
		fmt.Sprintf("hours_%d", w.volunteers[0].ID): {"1,5"}, fmt.Sprintf("hours_%d", w.volunteers[1].ID): {"1"}}
	obs := func(slot int, desc, category string) {
		p := fmt.Sprintf("observations[%d].", slot)
		form.Set(p+"occurred_at", "2026-11-20T19:00")
		form.Set(p+"area", "alidhem")
		form.Set(p+"place_type", "skola")
		form.Set(p+"category", category)
		form.Set(p+"severity", "2")
		form.Set(p+"description", desc)
	}
	obs(0, "Krossad ruta vid skolans entré.", "skadegorelse")
	obs(2, "Ring 070-123 45 67 om det", "klotter")
	resp := c.post(fmt.Sprintf("/nattvandring/vandring/%d/logg", wk.ID), form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.Body, `id="observations[2].description-fel"`) {
		t.Fatalf("status %d\n%.2000s", resp.StatusCode, resp.Body)
	}
	obs(2, "Nytt klotter på busskuren.", "klotter")
	if resp := c.post(fmt.Sprintf("/nattvandring/vandring/%d/logg", wk.ID), form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d\n%.2000s", resp.StatusCode, resp.Body)
	}
	got, err := env.Config.Nattvandring.FindWalkByID(lead, wk.ID)
	if err != nil || got.Log == nil || got.Log.Minutes() != 150 || len(got.ReportIDs) != 2 || got.Log.YouthContacts != 7 {
		t.Fatalf("walk = %+v, %v", got, err)
	}
}

// changeCount counts the audit entries that record a change rather than
// a read (reads of names are audited too).
func changeCount(t *testing.T, env *testEnv) int {
	t.Helper()
	evs, err := env.Config.Audit.FindAuditEvents(trygg.NewOperatorContext(context.Background()), trygg.AuditFilter{Limit: 1000000})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Action != trygg.AuditRead {
			n++
		}
	}
	return n
}

// TestNattvandringOverlay: the lägesbild shows, on request, the week's walk
// hours in Ålidhem next to its reports.
func TestNattvandringOverlay(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	newNightWorld(t, env)
	c := env.signIn(t, "lasare")
	off := c.get("/lagesbild?period=vecka&datum=2026-11-20")
	if off.StatusCode != http.StatusOK || strings.Contains(off.Body, "night-overlay") || !strings.Contains(off.Body, "nattvandring=visa") {
		t.Fatalf("without the overlay: %d", off.StatusCode)
	}
	on := c.get("/lagesbild?period=vecka&datum=2026-11-20&nattvandring=visa")
	if on.StatusCode != http.StatusOK || !strings.Contains(on.Body, "night-overlay") {
		t.Fatalf("with the overlay: %d\n%.500s", on.StatusCode, on.Body)
	}
	// Two walkers, an hour each, on Friday 20 November in Ålidhem.
	if !strings.Contains(on.Body, `<tr><th scope="row">Ålidhem</th><td class="num">1</td><td class="num">2</td><td>v. 47: 2 h</td>`) {
		i := strings.Index(on.Body, "night-overlay")
		t.Errorf("overlay:\n%s", on.Body[i:min(len(on.Body), i+800)])
	}
	checkPage(t, on.Body)
}

// FuzzNightLogForm: whatever is typed into the log form, reading it gives
// a log or field errors, never a panic, and every error names a field.
func FuzzNightLogForm(f *testing.F) {
	f.Add("3,5", "7", "2026-11-20T19:00", "alidhem", "skola", "klotter", "2", "Klotter på väggen.", "", "")
	f.Add("tre", "-1", "igår", "", "", "", "x", "", "63,8", "")
	f.Fuzz(func(t *testing.T, hours, contacts, at, area, place, category, severity, desc, lat, lon string) {
		form := logForm{Hours: map[int64]string{1: hours}, Districts: []string{area}, YouthContacts: contacts}
		form.Obs[1] = obsForm{OccurredAt: at, Area: area, PlaceType: place, Category: category, Severity: severity, Description: desc, Lat: lat, Lon: lon}
		log, rename, err := form.Validate(trygg.Stockholm)
		if err == nil {
			err = log.Validate(testNow)
		}
		err = rename(err)
		if err != nil && len(trygg.ErrorFields(err)) == 0 {
			t.Errorf("an error without a field: %v", err)
		}
	})
}
