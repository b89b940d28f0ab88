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
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/operativ"
	"github.com/trygg-est/trygg/samverkan"
)

// operativSetup gives the test server a routine version, makes
// socialtjänst's organisation (ifo) the receiver of KAST referrals, and
// returns an operation by the police with two contacts, one of them a
// suspected minor.
func operativSetup(env *testEnv) (*operativ.Operation, error) {
	op := trygg.NewOperatorContext(context.Background())
	police := trygg.NewContextWithUser(context.Background(), env.Users["polis"])
	if err := env.Config.Routines.SetServiceOrganisation(op, "kast", "ifo"); err != nil {
		return nil, err
	}
	routines, err := env.Config.Routines.FindRoutines(police)
	if err != nil {
		return nil, err
	}
	if len(routines) == 0 {
		if _, err := env.Config.Routines.CreateRoutine(police, operativ.RoutineInput{Title: "Rutin för operativ samverkan", ValidFrom: trygg.DateDay(2018, 1, 1)}); err != nil {
			return nil, err
		}
	}
	if err := env.Config.Ads.SaveAdCounts(police, []operativ.AdWeek{{Week: trygg.DayOf(testNow).Monday() - 7, Ads: 31, SugarMinor: 2}}); err != nil {
		return nil, err
	}
	return newOperation(env, true)
}

// newOperation stores an operation by the police with two contacts; minor
// makes the second a suspected minor.
func newOperation(env *testEnv, minor bool) (*operativ.Operation, error) {
	police := trygg.NewContextWithUser(context.Background(), env.Users["polis"])
	routines, err := env.Config.Routines.FindRoutines(police)
	if err != nil {
		return nil, err
	}
	age := "25-34"
	if minor {
		age = "under18"
	}
	return env.Config.Operations.CreateOperation(police, operativ.OperationInput{
		At: testNow.Add(-48 * time.Hour), AreaCode: "alidhem", PlaceType: "lagenhet", Type: "sexkop",
		Participants: []operativ.Participant{{OrgCode: "polisen", Staff: 3}}, RoutineID: routines[0].ID,
		Contacts: []operativ.ContactInput{{Role: "kopare", AgeBand: "35-49"}, {Role: "saljare", AgeBand: age}},
	})
}

// newReferral refers the first contact of a new operation to KAST.
func newReferral(t *testing.T, env *testEnv) *operativ.Referral {
	t.Helper()
	op, err := newOperation(env, false)
	if err != nil {
		t.Fatal(err)
	}
	ctx := trygg.NewContextWithUser(context.Background(), env.Users["socialtjanst"])
	ref, err := env.Config.Referrals.CreateReferral(ctx, op.Contacts[0].ID, "kast", trygg.DayOf(testNow)-1, false)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func operativRows(env *testEnv) []accessRow {
	const (
		pages     = "anonymous=303 samordnare=404 rapportor=404 polis=200 socialtjanst=200 lasare=404 admin=404 disabled=303"
		posts     = "anonymous=401 samordnare=404 rapportor=404 polis=303 socialtjanst=303 lasare=404 admin=404 disabled=401"
		statsPage = "anonymous=303 samordnare=200 rapportor=404 polis=200 socialtjanst=200 lasare=200 admin=404 disabled=303"
		// ifo receives KAST: its user confirms; every other organisation,
		// the school's rapportör included, gets "not found".
		receiverPage = "anonymous=303 samordnare=404 rapportor=404 polis=404 socialtjanst=200 lasare=404 admin=404 disabled=303"
		adPosts      = "anonymous=401 samordnare=303 rapportor=404 polis=303 socialtjanst=303 lasare=404 admin=404 disabled=401"
		registerPost = "anonymous=401 samordnare=404 rapportor=404 polis=404 socialtjanst=303 lasare=404 admin=404 disabled=401"
	)
	op, err := operativSetup(env)
	if err != nil {
		panic(err) // the fixture is broken: nothing can be tested
	}
	path := fmt.Sprintf("/operativ/%d", op.ID)
	contact := fmt.Sprintf("%s/kontakter/%d", path, op.Contacts[0].ID)
	routine := fmt.Sprintf("/operativ/rutiner/%d/dokument", op.RoutineID)
	if _, err := env.Config.Routines.AttachRoutineDocument(trygg.NewContextWithUser(context.Background(), env.Users["polis"]), op.RoutineID, "rutin.pdf", testPDF); err != nil {
		panic(err)
	}
	return []accessRow{
		{"GET /operativ", matrixGet("/operativ"), pages},
		{"GET /operativ/ny", matrixGet("/operativ/ny"), pages},
		{"POST /operativ/ny", matrixPost("/operativ/ny", func(int) url.Values { return operationValues(env) }), posts},
		{"GET /operativ/{id}", matrixGet(path), pages},
		{"POST /operativ/{id}/kontakter", matrixPost(path+"/kontakter", func(int) url.Values {
			return url.Values{"role": {"annan"}, "age_band": {"okand"}}
		}), posts},
		{"POST /operativ/{id}/kontakter/{contact}/stod", matrixPost(contact+"/stod", func(int) url.Values {
			return url.Values{"support_offered": {"1"}, "support": {"Samtal"}}
		}), posts},
		{"POST /operativ/{id}/kontakter/{contact}/remiss", matrixPost(contact+"/remiss", func(int) url.Values {
			return url.Values{"service": {"kast"}, "day": {"2026-11-19"}}
		}), posts},
		{"POST /operativ/{id}/remisser/{ref}/steg", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			ref := newReferral(t, env)
			return c.client.post(fmt.Sprintf("/operativ/%d/remisser/%d/steg", ref.OperationID, ref.ID),
				url.Values{"status": {operativ.ReferralAccepted}, "day": {"2026-11-20"}})
		}, posts},
		{"GET /operativ/uppgifter", matrixGet("/operativ/uppgifter"), pages},
		{"GET /operativ/uppgifter/{id}/orosanmalan", matrixGet(fmt.Sprintf("/operativ/uppgifter/%d/orosanmalan", op.Tasks[0].ID)),
			"anonymous=303 samordnare=404 rapportor=404 polis=404 socialtjanst=200 lasare=404 admin=404 disabled=303"},
		{"POST /operativ/uppgifter/{id}/klar", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			op, err := newOperation(env, true)
			if err != nil {
				t.Fatal(err)
			}
			return c.client.post(fmt.Sprintf("/operativ/uppgifter/%d/klar", op.Tasks[0].ID), url.Values{})
		}, registerPost},
		{"GET /operativ/mottagning", matrixGet("/operativ/mottagning"), receiverPage},
		{"GET /operativ/bekrafta", matrixGet("/operativ/bekrafta"), receiverPage},
		{"POST /operativ/bekrafta", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			ref := newReferral(t, env)
			return c.client.post("/operativ/bekrafta", url.Values{"code": {ref.Code}, "day": {"2026-11-20"}})
		}, "anonymous=401 samordnare=404 rapportor=404 polis=404 socialtjanst=200 lasare=404 admin=404 disabled=401"},
		{"GET /statistik/operativ", matrixGet("/statistik/operativ"), statsPage},
		{"GET /operativ/annonser", matrixGet("/operativ/annonser"), statsPage},
		{"POST /operativ/annonser", matrixPost("/operativ/annonser", func(n int) url.Values {
			return url.Values{"week": {fmt.Sprintf("2025-W%02d", n%50+1)}, "ads": {"20"}, "sugar_minor": {"1"}}
		}), adPosts},
		{"POST /operativ/annonser/import", func(t *testing.T, env *testEnv, c *caller, n int) response {
			return postMultipart(t, c.client, "/operativ/annonser/import", "file", "annonser.csv",
				fmt.Appendf(nil, "vecka;annonser;sugardejting\n2024-W%02d;12;0\n", n%50+1))
		}, adPosts},
		{"POST /operativ/annonser/{week}/ta-bort", func(t *testing.T, env *testEnv, c *caller, n int) response {
			week := trygg.DateDay(2000, 1, 3) + trygg.Day(7*(n%1000))
			police := trygg.NewContextWithUser(context.Background(), env.Users["polis"])
			if err := env.Config.Ads.SaveAdCounts(police, []operativ.AdWeek{{Week: week, Ads: 5}}); err != nil {
				t.Fatal(err)
			}
			return c.client.post(fmt.Sprintf("/operativ/annonser/%s/ta-bort", week), url.Values{})
		}, adPosts},
		{"GET /operativ/rutiner", matrixGet("/operativ/rutiner"), pages},
		{"POST /operativ/rutiner", matrixPost("/operativ/rutiner", func(n int) url.Values {
			return url.Values{"title": {fmt.Sprintf("Rutin %d", n)}, "valid_from": {"2026-01-01"}}
		}), posts},
		{"POST /operativ/rutiner/{id}/dokument", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			return postMultipart(t, c.client, routine, "document", "rutin.pdf", testPDF)
		}, posts},
		{"GET /operativ/rutiner/{id}/dokument", matrixGet(routine), pages},
		{"GET /operativ/kast", matrixGet("/operativ/kast"), receiverPage},
		{"POST /operativ/kast", matrixPost("/operativ/kast", func(n int) url.Values {
			return url.Values{"day": {"2026-11-20"}, "channel": {"telefon"}, "code": {fmt.Sprintf("kod-%d", n)}, "topic": {"sexkop"}, "outcome": {"radgivning"}}
		}), "anonymous=401 samordnare=404 rapportor=404 polis=404 socialtjanst=303 lasare=404 admin=404 disabled=401"},
	}
}

// operationValues is "Ny insats" with two contacts.
func operationValues(env *testEnv) url.Values {
	police := trygg.NewContextWithUser(context.Background(), env.Users["polis"])
	routines, err := env.Config.Routines.FindRoutines(police)
	if err != nil || len(routines) == 0 {
		panic(fmt.Sprint("no routine: ", err))
	}
	return url.Values{
		"at": {"2026-11-19T22:15"}, "area": {"alidhem"}, "place_type": {"hotell"}, "type": {"sexkop"},
		"routine": {fmt.Sprint(routines[0].ID)}, "participants": {"polisen", "ifo"}, "staff_polisen": {"4"}, "staff_ifo": {"2"},
		"social_services": {"1"}, "informed_in_advance": {"1"},
		"contacts[0].role": {"saljare"}, "contacts[0].age_band": {"18-24"}, "contacts[0].language": {"engelska"},
		"contacts[1].role": {"kopare"}, "contacts[1].age_band": {"35-49"},
	}
}

var referralCode = regexp.MustCompile(`kod <strong class="nowrap">([0-9A-Z]{4}-[0-9A-Z]{4})</strong>`)

func TestOperativFlow(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	if _, err := operativSetup(env); err != nil {
		t.Fatal(err)
	}
	police := env.signIn(t, "polis")
	resp := police.post("/operativ/ny", operationValues(env))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", resp.StatusCode, resp.Body)
	}
	path := resp.Header.Get("Location")
	page := police.get(path)
	if page.StatusCode != 200 || strings.Count(page.Body, "<h3 id=\"kontakt-") != 2 || !strings.Contains(page.Body, "Polisen lokalpolisområde Umeå (4 pers.)") {
		t.Fatalf("operation page: %d %s", page.StatusCode, page.Body)
	}
	m := regexp.MustCompile(`/operativ/\d+/kontakter/(\d+)/remiss`).FindAllStringSubmatch(page.Body, -1)
	if len(m) != 2 {
		t.Fatalf("referral forms: %v", m)
	}

	social := env.signIn(t, "socialtjanst")
	contact := path + "/kontakter/" + m[1][1]
	if resp := social.post(contact+"/stod", url.Values{"support_offered": {"1"}, "support_accepted": {"1"}, "support": {"Stödsamtal"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("support: %d %s", resp.StatusCode, resp.Body)
	}
	if resp := social.post(contact+"/remiss", url.Values{"service": {"kast"}, "day": {"2026-11-20"}, "accepted": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("referral: %d %s", resp.StatusCode, resp.Body)
	}
	// A form error on one contact's form leads to that form's control.
	if resp := social.post(contact+"/remiss", url.Values{"service": {"okand"}, "day": {"2026-11-20"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(resp.Body, `href="#service-`+m[1][1]+`"`) {
		t.Fatalf("bad referral: %d %s", resp.StatusCode, resp.Body)
	}
	code := referralCode.FindStringSubmatch(social.get(path).Body)
	if code == nil {
		t.Fatal("no referral code on the page")
	}

	// The receiving organisation confirms by the code; a wrong code is a
	// form error, not a missing page.
	if resp := social.post("/operativ/bekrafta", url.Values{"code": {"0000-0000"}, "day": {"2026-11-20"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(resp.Body, "Ingen remiss") {
		t.Fatalf("wrong code: %d", resp.StatusCode)
	}
	resp = social.post("/operativ/bekrafta", url.Values{"code": {strings.ToLower(code[1])}, "day": {"2026-11-20"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Body, "Första kontakt") || strings.Contains(resp.Body, code[1]) {
		t.Fatalf("confirm: %d %s", resp.StatusCode, resp.Body)
	}
	if list := police.get("/operativ?omrade=alidhem&ar=2026").Body; !strings.Contains(list, "<p>2 insatser.</p>") {
		t.Fatalf("filtered list: %s", list)
	}
	if list := police.get("/operativ?omrade=haga&ar=1999").Body; !strings.Contains(list, "<p>0 insatser.</p>") {
		t.Fatalf("filtered list for Haga: %s", list)
	}
	stats := env.signIn(t, "lasare").get("/statistik/operativ")
	if stats.StatusCode != 200 || !strings.Contains(stats.Body, "KAST") || strings.Contains(stats.Body, code[1]) {
		t.Fatalf("stats: %d %s", stats.StatusCode, stats.Body)
	}
}

func TestOperationFormErrors(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	if _, err := operativSetup(env); err != nil {
		t.Fatal(err)
	}
	police := env.signIn(t, "polis")
	for _, tc := range []struct {
		name, field, value, want string
	}{
		{"personnummer in note", "note", "Mötte 19811218-9876 i trapphuset.", `id="note-fel"`},
		{"phone in support", "contacts[0].support", "Ring 070-123 45 67", `id="contacts[0].support-fel"`},
		{"staff not a number", "staff_polisen", "fyra", `id="staff_polisen-fel"`},
		{"no area", "area", "", `id="area-fel"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := operationValues(env)
			q.Set(tc.field, tc.value)
			resp := police.post("/operativ/ny", q)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.Body, tc.want) {
				t.Fatalf("%d, want %s in %s", resp.StatusCode, tc.want, resp.Body)
			}
		})
	}
}

func TestTaskOpensPrefilledConcern(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	op, err := operativSetup(env)
	if err != nil {
		t.Fatal(err)
	}
	other, err := newOperation(env, true)
	if err != nil {
		t.Fatal(err)
	}
	social := env.signIn(t, "socialtjanst")
	// The tasks name the suspected minors by their number in the
	// operation, as the operation's page does, never by a database ID.
	if body := social.get("/operativ/uppgifter").Body; strings.Count(body, "(kontakt 2)") != 2 ||
		strings.Contains(body, fmt.Sprintf("kontakt %d", other.Contacts[1].ID)) {
		t.Fatalf("task list: %s", body)
	}
	task := fmt.Sprint(op.Tasks[0].ID)
	resp := social.get("/operativ/uppgifter/" + task + "/orosanmalan")
	if resp.StatusCode != 200 || !strings.Contains(resp.Body, `action="/orosanmalningar/ny"`) ||
		!strings.Contains(resp.Body, "Misstänkt minderårig påträffad") || !strings.Contains(resp.Body, `value="sexuell_exploatering" checked`) ||
		!strings.Contains(resp.Body, `<input type="hidden" name="task" value="`+task+`">`) {
		t.Fatalf("prefilled intake: %d %s", resp.StatusCode, resp.Body)
	}
	// Registering the report completes the task, which then links to it.
	q := concernValues()
	q.Set("task", task)
	resp = social.post("/orosanmalningar/ny", q)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/orosanmalningar/") {
		t.Fatalf("intake from the task: %d %s", resp.StatusCode, resp.Body)
	}
	ref := strings.TrimPrefix(strings.SplitN(resp.Header.Get("Location"), "?", 2)[0], "/orosanmalningar/")
	if body := social.get("/operativ/uppgifter").Body; strings.Count(body, "(kontakt 2)") != 1 {
		t.Fatalf("task still open: %s", body)
	}
	path := fmt.Sprintf("/operativ/%d", op.ID)
	if body := social.get(path).Body; !strings.Contains(body, `genom <a href="/orosanmalningar/`+ref+`">orosanmälan i registret</a>`) ||
		!strings.Contains(body, "Orosanmälan till socialtjänsten för kontakt 2: klar") {
		t.Fatalf("operation page for social services: %s", body)
	}
	if body := env.signIn(t, "polis").get(path).Body; !strings.Contains(body, "genom en orosanmälan i socialtjänstens register") ||
		strings.Contains(body, ref) {
		t.Fatalf("operation page for the police: %s", body)
	}
	// The same task cannot be filed twice; a bad task is a field error.
	for _, bad := range []string{task, "tolv"} {
		q.Set("task", bad)
		if resp := social.post("/orosanmalningar/ny", q); resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(resp.Body, `id="task-fel"`) || !strings.Contains(resp.Body, `href="#task"`) {
			t.Fatalf("task %s: %d %s", bad, resp.StatusCode, resp.Body)
		}
	}
	// A report made outside Trygg: the task is marked done by hand.
	if resp := social.post(fmt.Sprintf("/operativ/uppgifter/%d/klar", other.Tasks[0].ID), url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("done: %d", resp.StatusCode)
	}
	if body := social.get(fmt.Sprintf("/operativ/%d", other.ID)).Body; !strings.Contains(body, "kontakt 2: klar") || strings.Contains(body, "genom") {
		t.Fatalf("done by hand: %s", body)
	}
	if body := social.get("/operativ/uppgifter").Body; !strings.Contains(body, "Inga öppna uppgifter") {
		t.Fatalf("tasks still open: %s", body)
	}
}

func TestAdPage(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	if _, err := operativSetup(env); err != nil {
		t.Fatal(err)
	}
	police := env.signIn(t, "polis")
	resp := postMultipart(t, police, "/operativ/annonser/import", "file", "annonser.csv",
		[]byte("vecka;annonser;sugardejting\n2026-W40;tio;0\n2026-W41;12\n"))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.Body, "rad 2, kolumn annonser: &#34;tio&#34; är inget antal") ||
		!strings.Contains(resp.Body, "rad 3, Raden har 2 fält men rubrikraden 3.") {
		t.Fatalf("bad file: %d %s", resp.StatusCode, resp.Body)
	}
	resp = postMultipart(t, police, "/operativ/annonser/import", "file", "annonser.csv", []byte("vecka,annonser\n2026-W40,25\n2026-W41,22\n"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: %d %s", resp.StatusCode, resp.Body)
	}
	if resp := police.post("/operativ/annonser", url.Values{"week": {"2026-W99"}, "ads": {"3"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(resp.Body, `id="week-fel"`) {
		t.Fatalf("bad week: %d", resp.StatusCode)
	}
	// A commitment measured by the ads reads them live, per whole month.
	ctx := trygg.NewOperatorContext(context.Background())
	a, err := env.Config.Agreements.CreateAgreement(ctx, signedAgreement(7))
	if err != nil {
		t.Fatal(err)
	}
	in := seriesCommitment()
	in.Indicator = samverkan.Indicator{Source: samverkan.IndicatorAds, Name: "Annonser per månad"}
	c, err := env.Config.Commitments.CreateCommitment(ctx, a.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	points, err := env.Config.Commitments.IndicatorPoints(ctx, c.ID)
	// Week 40 starts in September, week 41 in October; November has not
	// ended. A month is the mean of its stored weeks times its days / 7:
	// 25 × 30/7 = 107.1 and 22 × 31/7 = 97.4.
	if err != nil || len(points) != 2 || points[0] != (samverkan.IndicatorPoint{Day: trygg.DateDay(2026, 9, 1), Value: 107.1}) ||
		points[1] != (samverkan.IndicatorPoint{Day: trygg.DateDay(2026, 10, 1), Value: 97.4}) {
		t.Fatalf("indicator %+v %v", points, err)
	}
	if resp := police.post("/operativ/annonser", url.Values{"week": {"2026-W42"}, "ads": {"4"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	// October now has two weeks: (22 + 4) / 2 × 31/7 = 57.6.
	if points, err = env.Config.Commitments.IndicatorPoints(ctx, c.ID); err != nil || len(points) != 2 || points[1].Value != 57.6 {
		t.Fatalf("a new week is not read live: %+v %v", points, err)
	}
	// A week that has not begun yet is refused, in the form and the file.
	if resp := police.post("/operativ/annonser", url.Values{"week": {"2026-W48"}, "ads": {"4"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(resp.Body, `id="week-fel"`) || !strings.Contains(resp.Body, "Veckan 2026-W48 har inte börjat än") {
		t.Fatalf("future week: %d %s", resp.StatusCode, resp.Body)
	}
	resp = postMultipart(t, police, "/operativ/annonser/import", "file", "annonser.csv", []byte("vecka,annonser\n2026-W47,3\n2026-11-23,4\n"))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.Body, "rad 3, kolumn vecka: Veckan 2026-W48 har inte börjat än") {
		t.Fatalf("future week in the file: %d %s", resp.StatusCode, resp.Body)
	}
	// A week entered by mistake is removed, and the indicator follows.
	if body := police.get("/operativ/annonser").Body; !strings.Contains(body, `action="/operativ/annonser/2026-10-12/ta-bort"`) ||
		!strings.Contains(body, "Ta bort<span class=\"visually-hidden\"> vecka 2026-W42</span>") {
		t.Fatalf("no remove button for week 42: %s", body)
	}
	if resp := police.post("/operativ/annonser/2026-10-12/ta-bort", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d %s", resp.StatusCode, resp.Body)
	}
	if body := police.get("/operativ/annonser").Body; !strings.Contains(body, "Veckan är borttagen.") || strings.Contains(body, "2026-10-12/ta-bort") {
		t.Fatalf("after removal: %s", body)
	}
	if points, err = env.Config.Commitments.IndicatorPoints(ctx, c.ID); err != nil || len(points) != 2 || points[1].Value != 97.4 {
		t.Fatalf("the removed week still counts: %+v %v", points, err)
	}
	for _, path := range []string{"/operativ/annonser/2026-10-12/ta-bort", "/operativ/annonser/2026-10-13/ta-bort", "/operativ/annonser/vecka/ta-bort"} {
		if resp := police.post(path, url.Values{}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
	page := env.signIn(t, "lasare").get("/operativ/annonser")
	if page.StatusCode != 200 || !strings.Contains(page.Body, "<svg") || !strings.Contains(page.Body, "Månad med insatser") ||
		strings.Contains(page.Body, `action="/operativ/annonser"`) || strings.Contains(page.Body, "ta-bort") ||
		!strings.Contains(page.Body, fmt.Sprintf(`href="/atagande/%d"`, c.ID)) {
		t.Fatalf("page: %d %s", page.StatusCode, page.Body)
	}
}

func TestRoutineVersions(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	if _, err := operativSetup(env); err != nil {
		t.Fatal(err)
	}
	social := env.signIn(t, "socialtjanst")
	if resp := social.post("/operativ/rutiner", url.Values{"title": {"Ring 070-123 45 67"}, "valid_from": {"2026-01-01"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(resp.Body, `id="title-fel"`) {
		t.Fatalf("personal data in the title: %d", resp.StatusCode)
	}
	if resp := social.post("/operativ/rutiner", url.Values{"title": {"Reviderad rutin"}, "valid_from": {"2026-09-01"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new version: %d %s", resp.StatusCode, resp.Body)
	}
	body := social.get("/operativ/ny").Body
	if !strings.Contains(body, "Version 2: Reviderad rutin") || !strings.Contains(body, `value="2" selected`) && !strings.Contains(body, "selected>Version 2") {
		t.Fatalf("the new version is not offered first: %s", body)
	}
}

func TestRoutineDocuments(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	op, err := operativSetup(env)
	if err != nil {
		t.Fatal(err)
	}
	social := env.signIn(t, "socialtjanst")
	page := social.get("/operativ/rutiner")
	field := fmt.Sprintf("document-%d", op.RoutineID)
	path := fmt.Sprintf("/operativ/rutiner/%d/dokument", op.RoutineID)
	wantContains(t, page.Body, "Inget undertecknat dokument uppladdat.", `action="`+path+`" enctype="multipart/form-data"`, `id="`+field+`" name="document" type="file"`)
	checkPage(t, page.Body)
	for _, tc := range []struct {
		name    string
		content []byte
		want    string
	}{
		{"not a PDF", []byte("<html>en webbsida</html>"), "Filen är ingen PDF-fil."},
		{"empty", nil, "Välj en PDF-fil att ladda upp."},
		{"too large", append([]byte("%PDF-1.7\n"), make([]byte, trygg.MaxDocumentSize)...), "Filen är för stor: högst 10 MB."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := postMultipart(t, social, path, "document", "rutin.pdf", tc.content)
			wantStatus(t, resp, http.StatusUnprocessableEntity)
			wantContains(t, resp.Body, tc.want, `href="#`+field+`"`, `id="`+field+`-fel"`)
		})
	}
	resp := postMultipart(t, social, path, "document", "Rutin 2018 undertecknad.pdf", testPDF)
	wantStatus(t, resp, http.StatusSeeOther)
	page = social.follow(resp)
	wantContains(t, page.Body, "Rutinens undertecknade dokument är sparat.", `<a href="`+path+`" download>Rutin 2018 undertecknad.pdf`)
	checkPage(t, page.Body)
	doc := env.signIn(t, "polis").get(path)
	wantStatus(t, doc, http.StatusOK)
	if doc.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(doc.Header.Get("Content-Disposition"), "attachment") || doc.Body != string(testPDF) {
		t.Fatalf("download: %v %q", doc.Header, doc.Body)
	}
	wantStatus(t, social.get("/operativ/rutiner/99999/dokument"), http.StatusNotFound)
	wantStatus(t, postMultipart(t, social, "/operativ/rutiner/99999/dokument", "document", "rutin.pdf", testPDF), http.StatusNotFound)
	// The upload and the download are in the audit log.
	events, err := env.Config.Audit.FindAuditEvents(trygg.NewOperatorContext(context.Background()),
		trygg.AuditFilter{ObjectType: "operativ_routine", ObjectID: fmt.Sprint(op.RoutineID)})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action+" "+e.Detail)
	}
	if got := strings.Join(actions, "; "); !strings.Contains(got, "read dokument") || !strings.Contains(got, "update dokument version 1") {
		t.Fatalf("audit: %s", got)
	}
}

func TestAdChart(t *testing.T) {
	t.Parallel()
	weeks := []operativ.AdWeek{
		{Week: trygg.DateDay(2017, 12, 18), Ads: 60}, {Week: trygg.DateDay(2017, 12, 25), Ads: 58},
		{Week: trygg.DateDay(2018, 1, 1), Ads: 40, SugarMinor: 3}, {Week: trygg.DateDay(2018, 1, 8), Ads: 30},
	}
	months := []disclose.Count{{Key: "2018-01", Label: "januari 2018", Suppressed: true}, {Key: "2018-02", Label: "februari 2018"}}
	c := adChart(weeks, months)
	var buf strings.Builder
	if err := c.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	for _, want := range []string{
		"Före den första insatsen (2018-01) i genomsnitt 59 annonser per vecka. De senaste 4 veckorna i genomsnitt 47.",
		"januari 2018: insatser (antalet visas inte)", ">2018<",
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "februari 2018") {
		t.Error("a month without operations is marked")
	}
	if empty := adChart(nil, nil); !strings.Contains(empty.Desc, "Inga annonsvärden") {
		t.Errorf("empty chart: %q", empty.Desc)
	}
}

// FuzzOperationForm feeds "Ny insats" arbitrary bodies: it must never
// panic, must name only its own fields, and what it accepts must pass the
// domain's validation as it stands.
func FuzzOperationForm(f *testing.F) {
	s := &Server{now: func() time.Time { return testNow }}
	valid := url.Values{"at": {"2026-11-19T22:15"}, "area": {"alidhem"}, "place_type": {"hotell"}, "type": {"sexkop"}, "routine": {"1"},
		"participants": {"polisen"}, "staff_polisen": {"4"}, "contacts[0].role": {"saljare"}, "contacts[0].age_band": {"under18"}}
	f.Add(valid.Encode())
	f.Add("participants=polisen&participants=polisen&staff_polisen=-1&contacts[3].support_accepted=1&note=19811218-9876")
	f.Add("at=2026-13-01T25:61&routine=x&contacts[1].language=%ff&suspected_minor=1&interpreter_available=1")
	known := []string{"at", "area", "place_type", "type", "participants", "routine", "note", "contacts"}
	f.Fuzz(func(t *testing.T, body string) {
		q, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		in, err := s.validateOperation(operationFormFrom(q))
		if err != nil {
			wantFormError(t, err, known, "staff_", "contacts[")
			return
		}
		if err := in.Validate(testNow); err != nil {
			t.Fatalf("accepted input fails the domain's validation: %v", err)
		}
		if len(in.Contacts) > contactSlots {
			t.Fatalf("%d contacts from %d slots", len(in.Contacts), contactSlots)
		}
	})
}

// TestOperativTaskKinds: signs of human trafficking in "Ny insats" give a
// task of their own, which the police may complete; a suspected minor's
// report of concern stays with social services.
func TestOperativTaskKinds(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	minor, err := operativSetup(env)
	if err != nil {
		t.Fatal(err)
	}
	police := env.signIn(t, "polis")
	q := operationValues(env)
	q.Set("trafficking_signs", "1")
	resp := police.post("/operativ/ny", q)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", resp.StatusCode, resp.Body)
	}
	page := police.get(resp.Header.Get("Location")).Body
	if !strings.Contains(page, "Tecken på människohandel: ja") || !strings.Contains(page, `<li>Rutinen för människohandel: <a href="/operativ/uppgifter">öppen</a></li>`) {
		t.Fatalf("operation page: %s", page)
	}
	if page := police.get(fmt.Sprintf("/operativ/%d", minor.ID)).Body; !strings.Contains(page, "Orosanmälan till socialtjänsten för kontakt") {
		t.Fatalf("minor's operation page: %s", page)
	}
	done := regexp.MustCompile(`action="/operativ/uppgifter/(\d+)/klar"`)
	tests := []struct {
		who          string
		want, absent []string
		forms        int // completion forms on the list
	}{
		{"polis", []string{"<strong>Rutinen för människohandel</strong>", "regionkoordinatorn mot prostitution och människohandel",
			"<strong>Orosanmälan till socialtjänsten</strong>", "Rutinen är följd"}, []string{"Anmälan är gjord", "Öppna förifylld orosanmälan"}, 1},
		{"socialtjanst", []string{"Rutinen är följd", "Anmälan är gjord", "Öppna förifylld orosanmälan"}, nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.who, func(t *testing.T) {
			body := env.signIn(t, tt.who).get("/operativ/uppgifter").Body
			wantContains(t, body, tt.want...)
			for _, a := range tt.absent {
				if strings.Contains(body, a) {
					t.Errorf("the task list shows %q", a)
				}
			}
			if n := len(done.FindAllString(body, -1)); n != tt.forms {
				t.Errorf("%d completion forms, want %d", n, tt.forms)
			}
		})
	}

	tasks, err := env.Config.Operations.FindOpenTasks(trygg.NewContextWithUser(context.Background(), env.Users["polis"]))
	if err != nil || len(tasks) != 2 || tasks[1].Kind != operativ.TaskTrafficking {
		t.Fatalf("open tasks %+v %v", tasks, err)
	}
	trafficking := fmt.Sprintf("/operativ/uppgifter/%d", tasks[1].ID)
	social := env.signIn(t, "socialtjanst")
	wantStatus(t, social.get(trafficking+"/orosanmalan"), http.StatusNotFound)
	wantStatus(t, police.post(fmt.Sprintf("/operativ/uppgifter/%d/klar", tasks[0].ID), url.Values{}), http.StatusNotFound)
	wantStatus(t, police.post(trafficking+"/klar", url.Values{}), http.StatusSeeOther)
	if body := police.get("/operativ/uppgifter").Body; strings.Contains(body, "<strong>Rutinen för människohandel</strong>") {
		t.Fatalf("the trafficking task is still open: %s", body)
	}
	wantContains(t, police.get("/operativ").Body, "Öppna uppgifter efter insatser (1)")
}

// TestReception: a user whose organisation receives a service starts from
// the reception page and has it in the menu; the KAST reception's page
// leads to its log. Everyone else keeps their start page.
func TestReception(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	if _, err := operativSetup(env); err != nil {
		t.Fatal(err)
	}
	op := trygg.NewOperatorContext(context.Background())
	if err := env.Config.Organisations.CreateOrganisation(op, &trygg.Organisation{Code: "kast", Name: "KAST-mottagningen", Type: trygg.OrgSocialServices}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Config.Users.CreateUser(op, trygg.NewUser{Email: "kast@example.se", Name: "Test KAST", OrgCode: "kast",
		Roles: []trygg.Role{trygg.RoleRapportor}, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	// KAST moves to its reception; social services receive the
	// specialised support instead.
	for service, org := range map[string]string{"kast": "kast", "prostitution": "ifo"} {
		if err := env.Config.Routines.SetServiceOrganisation(op, service, org); err != nil {
			t.Fatal(err)
		}
	}
	const entry = `<a href="/operativ/mottagning"`
	tests := []struct {
		who, home string
		menu      bool
	}{
		{"kast", "/operativ/mottagning", true},
		{"socialtjanst", "/orosanmalningar", true},
		{"rapportor", "/rapporter/ny", false},
		{"polis", "/rapporter/ny", false},
		{"samordnare", "/lagesbild", false},
		{"admin", "/admin/anvandare", false},
	}
	for _, tt := range tests {
		t.Run(tt.who, func(t *testing.T) {
			c := env.signIn(t, tt.who)
			if loc := c.get("/").Header.Get("Location"); loc != tt.home {
				t.Errorf("home sends %s to %q, want %q", tt.who, loc, tt.home)
			}
			if got := strings.Contains(c.get("/tillganglighet").Body, entry); got != tt.menu {
				t.Errorf("menu entry Mottagning: %v, want %v", got, tt.menu)
			}
		})
	}

	kast := env.signIn(t, "kast").get("/operativ/mottagning")
	wantStatus(t, kast, http.StatusOK)
	wantContains(t, kast.Body, entry+` aria-current="page">Mottagning</a>`, "<li>KAST – köpare av sexuell tjänst</li>",
		`action="/operativ/bekrafta"`, `href="/operativ/kast"`)
	social := env.signIn(t, "socialtjanst").get("/operativ/mottagning")
	wantStatus(t, social, http.StatusOK)
	wantContains(t, social.Body, "<li>Specialiserat stöd för personer i prostitution</li>", `action="/operativ/bekrafta"`)
	if strings.Contains(social.Body, `href="/operativ/kast"`) || strings.Contains(social.Body, "<li>KAST") {
		t.Fatalf("social services' reception shows KAST: %s", social.Body)
	}
	if log := env.signIn(t, "kast").get("/operativ/kast"); !strings.Contains(log.Body, entry+` aria-current="page"`) {
		t.Fatalf("the KAST log does not mark Mottagning: %s", log.Body)
	}
}
