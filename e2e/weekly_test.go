package e2e

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
)

// TestWeeklyReportAndPublicPage is the weekly report's errand: the
// samordnare opens the current week's draft, writes the analysis, publishes
// the week and downloads its PDF; a läsare opens the published report; and
// anyone, signed out, finds "färre än 5" on the public page where a count is
// small. axe-core checks every page on the way.
func TestWeeklyReportAndPublicPage(t *testing.T) {
	t.Parallel()
	srv, logins, browser := startDemo(t)

	// The samordnare: the list, the week picker, the draft.
	tab := signedInTab(t, browser, phone, srv.URL, roleAccount(t, logins, trygg.RoleSamordnare))
	if st := navigate(t, tab, srv.URL+"/veckorapporter"); st != 200 {
		t.Fatalf("GET /veckorapporter: status %d", st)
	}
	if n := count(t, tab, `.weekly-list a[href$="/v1"]`); n == 0 {
		t.Error("the demo data has no published weekly report")
	}
	checkAxe(t, tab, "Veckorapporter")
	year, week := valueOf(t, tab, "#ar"), valueOf(t, tab, "#vecka")
	do(t, tab, clearField("#vecka"), chromedp.SendKeys(chromedp.ID("vecka"), "54"))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form.week-picker button[type=submit]`))); st != 422 {
		t.Errorf("week 54: status %d, want 422", st)
	}
	if msg := textOf(t, tab, "#vecka-fel"); !strings.Contains(msg, "vecka") {
		t.Errorf("the error at Vecka says %q", msg)
	}
	checkAxe(t, tab, "Veckorapporter med fel")
	do(t, tab, clearField("#vecka"), chromedp.SendKeys(chromedp.ID("vecka"), week))
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form.week-picker button[type=submit]`))); st != 200 {
		t.Fatalf("opening week %s %s: status %d:\n%s", week, year, st, bodyText(t, tab))
	}
	weekPath := "/veckorapporter/" + year + "/" + week
	if p := pagePath(t, tab); p != weekPath {
		t.Fatalf("the week picker led to %s, want %s", p, weekPath)
	}
	if n := count(t, tab, "svg.weekly-chart"); n != 1 {
		t.Errorf("the draft has %d weekly charts, want 1", n)
	}
	checkAxe(t, tab, "Veckorapport, utkast")

	analysis := "Lugnare i Ålidhem efter helgens vandringar; fortsatt bevakning vid centrum."
	do(t, tab,
		clearField("#analysis"),
		chromedp.SendKeys(chromedp.ID("analysis"), analysis),
		clearField("#conclusions"),
		chromedp.SendKeys(chromedp.ID("conclusions"), "Fältgruppen fortsätter fredagskvällarna."),
	)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`button[name=action][value=publicera]`))); st != 200 {
		t.Fatalf("publishing: status %d:\n%s", st, bodyText(t, tab))
	}
	m := regexp.MustCompile(`^` + regexp.QuoteMeta(weekPath) + `/v([0-9]+)$`).FindStringSubmatch(pagePath(t, tab))
	if m == nil {
		t.Fatalf("after publishing the browser is at %s", pagePath(t, tab))
	}
	versionPath := weekPath + "/v" + m[1]
	if got := textOf(t, tab, ".prose-text"); got != analysis {
		t.Errorf("the published analysis reads %q, want %q", got, analysis)
	}
	checkAxe(t, tab, "Publicerad veckorapport")

	resp := fetchAsBrowser(t, tab, srv.URL+versionPath+".pdf")
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	wantTitle := "Veckorapport " + year + "-W" + twoDigits(week) + " version " + m[1]
	if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("%PDF-")) || !bytes.Contains(body, []byte(wantTitle)) {
		t.Errorf("the PDF: status %d, %d bytes starting %q, holds %q: %v", resp.StatusCode, len(body), body[:min(8, len(body))],
			wantTitle, bytes.Contains(body, []byte(wantTitle)))
	}

	// A läsare opens the published report from the list.
	reader := signedInTab(t, browser, desktop, srv.URL, roleAccount(t, logins, trygg.RoleLasare))
	navigate(t, reader, srv.URL+"/veckorapporter")
	if st := submitAndWait(t, reader, chromedp.Click(chromedp.CSS(`.weekly-list a[href="`+weekPath+`"]`))); st != 200 {
		t.Fatalf("the läsare opening %s: status %d", weekPath, st)
	}
	if got := textOf(t, reader, ".prose-text"); got != analysis {
		t.Errorf("the läsare reads the analysis %q, want %q", got, analysis)
	}
	if n := count(t, reader, "form.weekly-form"); n != 0 {
		t.Error("the läsare sees the draft form")
	}
	checkAxe(t, reader, "Veckorapport för läsare")

	// Printed, the report is the document alone: no menu, buttons or
	// forms, and the texts still there.
	if _, err := chromedp.Call(reader, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("emulate print: %v", err)
	}
	for css, want := range map[string]string{".main-nav": "none", ".no-print": "none", "form.signout": "none", ".prose-text": "block"} {
		got := run(t, reader, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(`+strconv.Quote(css)+`)).display`))
		if got != want {
			t.Errorf("printed, %s has display %q, want %q", css, got, want)
		}
	}

	// The public page, signed out: find a district and tertial with a
	// small count, and check that every count is 0, 5 or more, or
	// "färre än 5".
	public := newTab(t, browser, phone)
	if st := navigate(t, public, srv.URL+"/offentlig"); st != 200 {
		t.Fatalf("GET /offentlig: status %d", st)
	}
	checkAxe(t, public, "Offentlig lägesbild")
	if st := submitAndWait(t, public, chromedp.Click(chromedp.CSS(`form.public-picker button[type=submit]`))); st != 422 {
		t.Errorf("the public form without a district: status %d, want 422", st)
	}
	checkAxe(t, public, "Offentlig lägesbild med fel")
	areas := run(t, public, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#omrade option"), o => o.value).filter(v => v)`))
	tertial := valueOf(t, public, "#tertial")
	found := ""
	for _, a := range areas {
		p := "/offentlig/" + a + "/" + tertial
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(page), "färre än 5") {
			found = p
			break
		}
	}
	if found == "" {
		t.Fatalf("no district shows \"färre än 5\" for tertial %s", tertial)
	}
	do(t, public, chromedp.SetValue(chromedp.ID("omrade"), strings.Split(found, "/")[2]))
	if st := submitAndWait(t, public, chromedp.Click(chromedp.CSS(`form.public-picker button[type=submit]`))); st != 200 {
		t.Fatalf("the public form: status %d", st)
	}
	if p := pagePath(t, public); p != found {
		t.Fatalf("the public form led to %s, want %s", p, found)
	}
	cells := run(t, public, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("tbody td.num"), td => td.innerText)`))
	suppressed := 0
	for _, c := range cells {
		if c == "färre än 5" {
			suppressed++
			continue
		}
		if n, err := strconv.Atoi(c); err != nil || disclose.Withheld(n) {
			t.Errorf("the public page shows the count %q", c)
		}
	}
	if suppressed == 0 {
		t.Errorf("the public page %s shows no \"färre än 5\": %v", found, cells)
	}
	checkAxe(t, public, "Offentlig lägesbild för ett område")
}

// twoDigits pads a week number to two digits, as ISO 8601 writes it.
func twoDigits(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
