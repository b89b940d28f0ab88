package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
)

var tipRef = regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}`)

// areaCount reads a district's count from the lägesbild's table of
// values per district (inside a closed details, hence textContent).
func areaCount(t *testing.T, tab context.Context, name string) int {
	t.Helper()
	js := fmt.Sprintf(`(() => { for (const tr of document.querySelectorAll('[aria-label="Värden per område"] tbody tr')) {
		if (tr.querySelector("th").textContent.trim().replace(/ \(vald\)$/, "") === %s) return tr.querySelector("td").textContent.trim() } return "" })()`, strconv.Quote(name))
	n, err := strconv.Atoi(run(t, tab, chromedp.Evaluate[string](js)))
	if err != nil {
		t.Fatalf("the lägesbild has no count for %s: %v", name, err)
	}
	return n
}

// TestTipFromTheFrontDoor files a tip as a resident on a phone, from the
// front door and without signing in; the samordnare finds it in the
// queue, accepts it and replies; the lägesbild of the citizens' reports
// counts it, and the resident's status page shows the reply.
func TestTipFromTheFrontDoor(t *testing.T) {
	t.Parallel()
	srv, logins, browser := startDemo(t)
	resident := newTab(t, browser, phone)

	if st := navigate(t, resident, srv.URL+"/"); st != 200 {
		t.Fatalf("GET /: status %d", st)
	}
	checkLoaded(t, resident, phone, "Startsida (offentlig)")
	if st := submitAndWait(t, resident, chromedp.Click(chromedp.CSS(`main a.button-primary[href="/tipsa"]`))); st != 200 {
		t.Fatalf("the tip form: status %d", st)
	}
	checkLoaded(t, resident, phone, "Tipsa oss")
	const text = "Tre trasiga gatlampor längs gångvägen mot Ålidhems centrum, helt mörkt efter klockan fyra."
	do(t, resident,
		chromedp.SetValue(chromedp.ID("category"), "otrygg_belysning"),
		chromedp.SetValue(chromedp.ID("area"), demoArea),
		chromedp.SendKeys(chromedp.ID("text"), "Ring mig på 070-123 45 67."),
	)
	if st := submitAndWait(t, resident, chromedp.Click(chromedp.CSS(`form[action="/tipsa"] button[type=submit]`))); st != 422 {
		t.Fatalf("a tip with a phone number: status %d, want 422", st)
	}
	if got := textOf(t, resident, "#text-fel"); !strings.Contains(got, "telefonnummer") {
		t.Errorf("the text's error says %q", got)
	}
	checkLoaded(t, resident, phone, "Tipsa oss med fel")
	do(t, resident, clearField("#text"), chromedp.SendKeys(chromedp.ID("text"), text))
	if st := submitAndWait(t, resident, chromedp.Click(chromedp.CSS(`form[action="/tipsa"] button[type=submit]`))); st != 200 {
		t.Fatalf("filing the tip: status %d", st)
	}
	ref := tipRef.FindString(textOf(t, resident, "main"))
	if ref == "" {
		t.Fatalf("no reference code on %s", bodyText(t, resident))
	}
	checkLoaded(t, resident, phone, "Tack för ditt tips")

	sam := signedInTab(t, browser, desktop, srv.URL, roleAccount(t, logins, trygg.RoleSamordnare))
	// This week's picture of the citizens' reports (the page shows the
	// week before by default); the tip happened now.
	lagesbild := srv.URL + "/lagesbild?orgtyp=medborgare&datum=" + trygg.DayOf(time.Now()).String()
	navigate(t, sam, lagesbild)
	before := areaCount(t, sam, "Ålidhem")
	navigate(t, sam, srv.URL+"/tips")
	if !strings.Contains(bodyText(t, sam), text) {
		t.Fatal("the tip is not in the samordnare's queue")
	}
	row := textOfRow(t, sam, text)
	id := strings.Fields(row)[0]
	if st := navigate(t, sam, srv.URL+"/tips/"+id); st != 200 {
		t.Fatalf("the tip's page: status %d", st)
	}
	do(t, sam, chromedp.SendKeys(chromedp.CSS(`form[action$="/godkann"] #reply`), "Tack! Lamporna byts i veckan."))
	if st := submitAndWait(t, sam, chromedp.Click(chromedp.CSS(`form[action$="/godkann"] button[type=submit]`))); st != 200 {
		t.Fatalf("accepting: status %d", st)
	}
	if got := bodyText(t, sam); !strings.Contains(got, "Godkänt som händelserapport") {
		t.Fatalf("after accepting: %s", got)
	}
	// The tip links to its report, and the report back to the tip.
	if st := submitAndWait(t, sam, chromedp.Click(chromedp.CSS(`main dd a[href^="/rapporter/"]`))); st != 200 {
		t.Fatalf("the tip's report: status %d", st)
	}
	checkLoaded(t, sam, desktop, "Rapport från ett tips")
	reportURL := run(t, sam, chromedp.Evaluate[string](`location.href`))
	if got := bodyText(t, sam); !strings.Contains(got, "Ett tips från en invånare, referenskod "+ref) {
		t.Errorf("the report does not name its tip:\n%s", got)
	}
	if st := submitAndWait(t, sam, chromedp.Click(chromedp.CSS(`main dd a[href="/tips/`+id+`"]`))); st != 200 {
		t.Fatalf("back to the tip: status %d", st)
	}
	navigate(t, sam, lagesbild)
	if after := areaCount(t, sam, "Ålidhem"); after != before+1 {
		t.Errorf("the lägesbild of the citizens' reports counts %d in Ålidhem, %d before accepting", after, before)
	}

	navigate(t, resident, srv.URL+"/tipsa/"+ref)
	if got := bodyText(t, resident); !strings.Contains(got, "Granskat") || !strings.Contains(got, "Lamporna byts i veckan.") || strings.Contains(got, "gatlampor") {
		t.Errorf("the status page says %s", got)
	}

	// Closed, and a quarter later retention erases the tip's text; the
	// status page, the reply and the report's own text stay.
	navigate(t, sam, srv.URL+"/tips/"+id)
	do(t, sam, chromedp.SendKeys(chromedp.CSS(`form[action$="/svara"] #reply`), "Lamporna är bytta."),
		chromedp.SetValue(chromedp.ID("status"), "atgardat"))
	if st := submitAndWait(t, sam, chromedp.Click(chromedp.CSS(`form[action$="/svara"] button[type=submit]`))); st != 200 {
		t.Fatalf("closing the tip: status %d", st)
	}
	execSQL(t, srv.DB, "UPDATE tips SET closed_at = closed_at - ? WHERE id = ?", int64(100*24*time.Hour/time.Millisecond), id)
	if out := cli(t, srv.DB, "", "tips", "purge"); !regexp.MustCompile(`(?m)^` + id + ` `).MatchString(out) {
		t.Errorf("tips purge did not erase tip %s: %q", id, out)
	}
	navigate(t, sam, srv.URL+"/tips/"+id)
	checkLoaded(t, sam, desktop, "Gallrat tips")
	if got := bodyText(t, sam); !strings.Contains(got, "enligt gallringsreglerna") || strings.Contains(got, "gatlampor") {
		t.Errorf("the erased tip's page:\n%s", got)
	}
	navigate(t, sam, reportURL)
	if got := bodyText(t, sam); !strings.Contains(got, "gatlampor") || !strings.Contains(got, ref) {
		t.Errorf("the report after the tip's retention:\n%s", got)
	}
	navigate(t, resident, srv.URL+"/tipsa/"+ref)
	checkLoaded(t, resident, phone, "Status för ett gallrat tips")
	if got := bodyText(t, resident); !strings.Contains(got, "Åtgärdat") || !strings.Contains(got, "Lamporna är bytta.") {
		t.Errorf("the status page after retention says %s", got)
	}
}

// TestOpen311PostsReachTheQueue posts one tip as JSON and one as XML
// through Open311 with a key the admin issued, and finds both in the
// samordnare's queue and in GET requests.
func TestOpen311PostsReachTheQueue(t *testing.T) {
	t.Parallel()
	srv, logins, browser := startDemo(t)
	admin := signedInTab(t, browser, desktop, srv.URL, roleAccount(t, logins, trygg.RoleAdmin))
	navigate(t, admin, srv.URL+"/admin/open311")
	do(t, admin, chromedp.SendKeys(chromedp.ID("name"), "Felanmälan-appen"))
	if st := submitAndWait(t, admin, chromedp.Click(chromedp.CSS(`form[action="/admin/open311"] button[type=submit]`))); st != 201 {
		t.Fatalf("issuing a key: status %d", st)
	}
	checkLoaded(t, admin, desktop, "Open311-nyckel")
	key := regexp.MustCompile(`o311_[A-Za-z0-9_-]+`).FindString(bodyText(t, admin))
	if key == "" {
		t.Fatal("no key shown")
	}

	refs := map[string]string{}
	for _, format := range []string{"json", "xml"} {
		form := url.Values{"api_key": {key}, "service_code": {"klotter"}, "address_string": {"Ålidhem, vid tvättstugan"},
			"description": {"Klotter via Open311 som " + format + "."}, "email": {"ska.inte.sparas@example.se"}}
		resp, err := http.PostForm(srv.URL+"/open311/v2/requests."+format, form)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("POST requests.%s: %d %s", format, resp.StatusCode, body)
		}
		refs[format] = tipRef.FindString(string(body))
	}
	resp, err := http.PostForm(srv.URL+"/open311/v2/requests.json", url.Values{"api_key": {"o311_fel"}, "service_code": {"klotter"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a wrong key: status %d", resp.StatusCode)
	}

	sam := signedInTab(t, browser, desktop, srv.URL, roleAccount(t, logins, trygg.RoleSamordnare))
	navigate(t, sam, srv.URL+"/tips")
	queue := bodyText(t, sam)
	for _, format := range []string{"json", "xml"} {
		if !strings.Contains(queue, "Klotter via Open311 som "+format+".") {
			t.Errorf("the %s tip is not in the queue", format)
		}
	}
	if strings.Contains(queue, "ska.inte.sparas") {
		t.Error("the queue shows the e-mail address the app sent")
	}

	resp, err = http.Get(srv.URL + "/open311/v2/requests.json?service_request_id=" + refs["json"] + "," + refs["xml"])
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list []struct {
		ID     string `json:"service_request_id"`
		Status string `json:"status"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || len(list) != 2 || list[0].Status != "open" {
		t.Errorf("GET requests: %v %+v", err, list)
	}
}
