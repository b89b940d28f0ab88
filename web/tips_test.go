package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/tips"
)

// withTips makes "klotter" and "vald" public for tips and files one tip;
// it returns the tip.
func withTips(t *testing.T, env *testEnv) *tips.Tip {
	t.Helper()
	if err := env.Config.Tips.SetPublicCategories(trygg.NewOperatorContext(context.Background()), []string{"klotter", "vald"}); err != nil {
		t.Fatal(err)
	}
	tip, err := env.Config.Tips.SubmitTip(context.Background(), tips.Input{Category: "klotter", AreaCode: "alidhem",
		OccurredAt: testNow.Add(-time.Hour), Text: "Klotter på lekplatsen.", Source: tips.SourceWeb})
	if err != nil {
		t.Fatal(err)
	}
	return tip
}

// tipForm1 is a valid tip as the form sends it.
func tipForm1() url.Values {
	return url.Values{"category": {"klotter"}, "area": {"alidhem"}, "occurred_at": {"2026-11-20T17:00"},
		"text": {"Sprayfärg på hela busskuren vid Ålidhems centrum."}, "address": {"Hållplats Ålidhems centrum"}}
}

func tipRows(env *testEnv) []accessRow {
	const (
		moderatorPage = "anonymous=303 samordnare=200 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=303"
		// The posts send empty forms: the samordnare gets them back with
		// the fields to fix.
		moderatorPost = "anonymous=401 samordnare=422 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=401"
		adminPost422  = "anonymous=401 samordnare=404 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=422 disabled=401"
	)
	if err := env.Config.Tips.SetPublicCategories(trygg.NewOperatorContext(context.Background()), []string{"klotter"}); err != nil {
		panic(err)
	}
	tip, err := env.Config.Tips.SubmitTip(context.Background(), tips.Input{Category: "klotter", AreaCode: "alidhem",
		OccurredAt: testNow.Add(-time.Hour), Text: "Klotter.", Source: tips.SourceWeb})
	if err != nil {
		panic(err)
	}
	tipPath := "/tips/" + strconv.FormatInt(tip.ID, 10)
	empty := func(int) url.Values { return url.Values{} }
	return []accessRow{
		{"GET /tipsa", matrixGet("/tipsa"), everyone},
		// Everyone may file a tip: an empty one comes back with its errors.
		{"POST /tipsa", matrixPost("/tipsa", empty), strings.ReplaceAll(everyone, "200", "422")},
		{"GET /tipsa/status", matrixGet("/tipsa/status?kod=" + strings.ToLower(tip.Ref)), everyone},
		{"GET /tipsa/{ref}", matrixGet("/tipsa/" + tip.Ref), everyone},
		{"GET /tips", matrixGet("/tips"), moderatorPage},
		{"GET /tips/kategorier", matrixGet("/tips/kategorier"), moderatorPage},
		{"POST /tips/kategorier", matrixPost("/tips/kategorier", func(int) url.Values { return url.Values{"category": {"finns-inte"}} }), moderatorPost},
		{"GET /tips/{id}", matrixGet(tipPath), moderatorPage},
		{"POST /tips/{id}/godkann", matrixPost(tipPath+"/godkann", empty), moderatorPost},
		{"POST /tips/{id}/sammanfoga", matrixPost(tipPath+"/sammanfoga", empty), moderatorPost},
		{"POST /tips/{id}/avvisa", matrixPost(tipPath+"/avvisa", empty), moderatorPost},
		{"POST /tips/{id}/svara", matrixPost(tipPath+"/svara", empty), moderatorPost},
		{"GET /admin/open311", matrixGet("/admin/open311"), adminPages},
		{"POST /admin/open311", matrixPost("/admin/open311", empty), adminPost422},
		{"POST /admin/open311/{id}/aterkalla", matrixPost("/admin/open311/999999/aterkalla", empty),
			"anonymous=401 samordnare=404 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=401"},
		{"GET /offentlig/veckorapporter", matrixGet("/offentlig/veckorapporter"), everyone},
		{"GET /offentlig/veckorapporter/{year}/{week}", matrixGet("/offentlig/veckorapporter/2026/40"), strings.ReplaceAll(everyone, "200", "404")},
	}
}

var refLocation = regexp.MustCompile(`^/tipsa/([0-9A-Z]{4}-[0-9A-Z]{4})\?ny=1$`)

// TestTipFlow files a tip through the form, accepts it from the queue as
// the samordnare and replies: the report counts as the citizens', and the
// status page shows the reply but never the text.
func TestTipFlow(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	withTips(t, env)
	sam := env.signIn(t, "samordnare")
	anon := env.anonymous(t)

	resp := anon.get("/tipsa")
	wantStatus(t, resp, http.StatusOK)
	checkPage(t, resp.Body)
	wantContains(t, resp.Body, `<option value="klotter">`, `name="hemsida"`, `href="/tipsa?omrade=alidhem#area"`)
	if strings.Contains(resp.Body, `<option value="inbrott">`) {
		t.Error("a category the samordnare did not pick is offered")
	}

	resp = anon.post("/tipsa", tipForm1())
	wantStatus(t, resp, http.StatusSeeOther)
	m := refLocation.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		t.Fatalf("redirect to %q", resp.Header.Get("Location"))
	}
	ref := m[1]
	resp = anon.follow(resp)
	wantStatus(t, resp, http.StatusOK)
	checkPage(t, resp.Body)
	wantContains(t, resp.Body, ref, "Mottaget")

	resp = sam.get("/tips")
	wantContains(t, resp.Body, "Sprayfärg på hela busskuren")
	list, err := env.Config.Tips.FindTips(trygg.NewOperatorContext(context.Background()), tips.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, tp := range list {
		if tp.Ref == ref {
			id = tp.ID
		}
	}
	tipPath := "/tips/" + strconv.FormatInt(id, 10)
	resp = sam.get(tipPath)
	wantStatus(t, resp, http.StatusOK)
	checkPage(t, resp.Body)

	resp = sam.post(tipPath+"/godkann", url.Values{"category": {"klotter"}, "place_type": {"gata"}, "severity": {"1"},
		"description": {"Klotter på busskur vid Ålidhems centrum."}, "reply": {"Tack, vi har bett Tekniska sanera."}})
	wantStatus(t, resp, http.StatusSeeOther)
	resp = sam.follow(resp)
	wantContains(t, resp.Body, "Sprayfärg på hela busskuren")
	accepted, err := env.Config.Tips.FindTipByID(trygg.NewOperatorContext(context.Background()), id)
	if err != nil || accepted.ReportID == nil {
		t.Fatalf("the accepted tip %+v, %v", accepted, err)
	}
	reportPath := "/rapporter/" + strconv.FormatInt(*accepted.ReportID, 10)
	wantContains(t, resp.Body, `<a href="`+reportPath+`">händelserapport`)

	// The report links back to the tip for the samordnare, who may see
	// both; a reporter of the citizens' organisation, who may read the
	// report but no tip, sees nothing of it.
	resp = sam.get(reportPath)
	wantStatus(t, resp, http.StatusOK)
	checkPage(t, resp.Body)
	wantContains(t, resp.Body, "referenskod "+ref, `<a href="`+tipPath+`">`)
	if _, err := env.Config.Users.CreateUser(trygg.NewOperatorContext(context.Background()), trygg.NewUser{Email: "medborgare@example.se",
		Name: "Test medborgare", OrgCode: "medborgare", Roles: []trygg.Role{trygg.RoleRapportor}, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	resp = env.signIn(t, "medborgare").get(reportPath)
	wantStatus(t, resp, http.StatusOK)
	if strings.Contains(resp.Body, ref) || strings.Contains(resp.Body, "/tips/") {
		t.Error("a reader who may not see the tip learns of it on the report's page")
	}

	resp = sam.post(tipPath+"/svara", url.Values{"reply": {"Klottret är sanerat."}, "status": {"atgardat"}})
	wantStatus(t, resp, http.StatusSeeOther)

	resp = anon.get("/tipsa/" + ref)
	wantContains(t, resp.Body, "Åtgärdat", "Klottret är sanerat.")
	if strings.Contains(resp.Body, "Sprayfärg") {
		t.Error("the status page shows the tip's text")
	}

	day := trygg.DayOf(testNow)
	cells, err := env.Config.Counts.CountCells(trygg.NewOperatorContext(context.Background()),
		trygg.CountFilter{From: day - 1, To: day, OrgTypes: []trygg.OrgType{trygg.OrgCitizens}})
	if err != nil || len(cells) != 1 || cells[0].Area != "alidhem" || cells[0].Count != 1 {
		t.Fatalf("the citizens' reports: %v, %v", cells, err)
	}
}

// TestTipFormRejects: personal data, a robot's honeypot and a body over
// 1 MB are refused with their reasons, and none leaves a tip behind.
func TestTipFormRejects(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	withTips(t, env)
	anon := env.anonymous(t)
	count := func() int {
		t.Helper()
		list, err := env.Config.Tips.FindTips(trygg.NewOperatorContext(context.Background()), tips.Filter{All: true})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	before := count()

	for _, tc := range []struct {
		name, field, value, want string
	}{
		{"personnummer", "text", "Det var 19811218-9876 som gjorde det.", "personnummer"},
		{"phone", "text", "Ring 070-123 45 67.", "telefonnummer"},
		{"e-mail", "address", "hanna@example.se", "e-postadress"},
		{"too long", "text", strings.Repeat("a", tips.MaxTextLength+1), "högst 2000 tecken"},
		{"no district", "area", "", "Välj ett område"},
		{"unknown category", "category", "inbrott", "Välj en av kategorierna"},
		{"future", "occurred_at", "2027-01-01T10:00", "framtiden"},
	} {
		f := tipForm1()
		f.Set(tc.field, tc.value)
		resp := anon.post("/tipsa", f)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.Body, tc.want) {
			t.Errorf("%s: status %d, want 422 with %q", tc.name, resp.StatusCode, tc.want)
		}
	}

	f := tipForm1()
	f.Set("hemsida", "https://spam.example")
	resp := anon.post("/tipsa", f)
	wantStatus(t, resp, http.StatusOK)
	wantContains(t, resp.Body, "Tack")

	f = tipForm1()
	f.Set("text", strings.Repeat("x", 1<<20))
	resp = anon.post("/tipsa", f)
	wantStatus(t, resp, http.StatusRequestEntityTooLarge)
	wantContains(t, resp.Body, "högst 1 MB")

	if n := count(); n != before {
		t.Errorf("%d tips were stored", n-before)
	}
}

// TestTipErased: after retention the tip's page and the queue say that the
// text was erased and show none of it; the status page keeps the reply.
func TestTipErased(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	tip := withTips(t, env)
	sam := env.signIn(t, "samordnare")
	resp := sam.post("/tips/"+strconv.FormatInt(tip.ID, 10)+"/avvisa", url.Values{"reason": {"Inte vårt ansvar."}, "reply": {"Tack, vi skickar det vidare."}})
	wantStatus(t, resp, http.StatusSeeOther)
	env.DB.Now = func() time.Time { return testNow.AddDate(0, 0, 31) }
	items, err := env.DB.PurgeTips(trygg.NewOperatorContext(context.Background()), tips.DefaultRetention, false)
	env.DB.Now = func() time.Time { return testNow }
	if err != nil || len(items) != 1 {
		t.Fatalf("purge: %v, %v", items, err)
	}
	resp = sam.get("/tips/" + strconv.FormatInt(tip.ID, 10))
	wantStatus(t, resp, http.StatusOK)
	checkPage(t, resp.Body)
	wantContains(t, resp.Body, "raderades", "enligt gallringsreglerna", "Tack, vi skickar det vidare.")
	resp = sam.get("/tips?status=avslutat")
	wantContains(t, resp.Body, "<em>Gallrad</em>")
	for _, body := range []string{resp.Body, sam.get("/tips/" + strconv.FormatInt(tip.ID, 10)).Body} {
		if strings.Contains(body, "Klotter på lekplatsen.") || strings.Contains(body, "Inte vårt ansvar.") {
			t.Error("an erased tip's text or reason is shown")
		}
	}
	resp = env.anonymous(t).get("/tipsa/" + tip.Ref)
	wantContains(t, resp.Body, "Avslutat", "Tack, vi skickar det vidare.")
}
