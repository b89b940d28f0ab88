package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/weekly"
)

// publishWeek publishes the weekly report of week as the operator.
func publishWeek(t *testing.T, env *testEnv, week trygg.ISOWeek) {
	t.Helper()
	ctx := trygg.NewOperatorContext(context.Background())
	cfg := env.Config
	if err := cfg.WeeklyReports.SaveWeeklyDraft(ctx, &weekly.Draft{Week: week, Analysis: "Lugn vecka.", Conclusions: "Fortsätt som förut."}); err != nil {
		t.Fatal(err)
	}
	src := weekly.Sources{Counts: cfg.Counts, Areas: cfg.Areas, Categories: cfg.Categories, Meetings: cfg.Meetings, Actions: cfg.Actions, Reports: cfg.WeeklyReports}
	if _, err := weekly.Publish(ctx, src, week, trygg.DayOf(testNow)); err != nil {
		t.Fatal(err)
	}
}

func TestFrontDoor(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	// Week 46 2026 (9–15 November) is the last week that ended before
	// testNow: 7 reports in Ålidhem, 2 in Haga.
	importCategory(t, env, "alidhem", "vald", time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC), 7)
	importCategory(t, env, "haga", "inbrott", time.Date(2026, 11, 14, 12, 0, 0, 0, time.UTC), 2)
	publishWeek(t, env, trygg.ISOWeek{Year: 2026, Week: 46})
	c := env.anonymous(t)

	resp := c.get("/")
	wantStatus(t, resp, http.StatusOK)
	checkPage(t, resp.Body)
	wantContains(t, resp.Body,
		"Lägesbild vecka 46 2026",
		// The week's total (9) is the trend's last point: with Haga
		// withheld alone it would give Haga away, so Ålidhem's 7 is
		// withheld too, and so is the group of its 7 reports.
		`<a href="/offentlig/alidhem/2026/2">Ålidhem</a></th><td class="num suppressed">färre än 5</td>`,
		`<a href="/offentlig/haga/2026/2">Haga</a></th><td class="num suppressed">färre än 5</td>`,
		`<th scope="row">Hot och våld</th><td class="num suppressed">färre än 5</td>`,
		`<th scope="row">vecka 46 2026</th><td class="num">9</td>`,
		`href="/medborgarloften"`, `href="/offentlig/veckorapporter/2026/46"`, `href="/tipsa"`,
		`href="/tillganglighet"`, `href="/medborgarloften/nyheter.atom"`,
		`Kontakt: <a href="mailto:tillganglighet@example.se">`)
	if cc := resp.Header.Get("Cache-Control"); cc != "public, no-cache" {
		t.Errorf("Cache-Control %q", cc)
	}
	etag := resp.Header.Get("ETag")
	if etag == "" || resp.Header.Get("Last-Modified") == "" {
		t.Fatalf("no ETag or Last-Modified: %v", resp.Header)
	}
	req, _ := http.NewRequest(http.MethodGet, env.HTTP.URL+"/", nil)
	req.Header.Set("If-None-Match", etag)
	wantStatus(t, c.do(req), http.StatusNotModified)

	// A signed-in user still lands on their own start page, never cached.
	s := env.signIn(t, "samordnare")
	resp = s.get("/")
	wantStatus(t, resp, http.StatusSeeOther)
	resp = s.get("/medborgarloften")
	wantStatus(t, resp, http.StatusOK)
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("signed in: Cache-Control %q", cc)
	}
	if resp.Header.Get("ETag") != "" {
		t.Error("signed in: an ETag")
	}

	resp = c.get("/offentlig/veckorapporter/2026/46")
	wantStatus(t, resp, http.StatusOK)
	checkPage(t, resp.Body)
	wantContains(t, resp.Body, "Lugn vecka.", "Fortsätt som förut.", `<th scope="row">Haga</th><td class="num suppressed">färre än 5</td>`)
	wantStatus(t, c.get("/offentlig/veckorapporter/2026/45"), http.StatusNotFound)
}

var anchorHref = regexp.MustCompile(`<a [^>]*href="(/[^"]*)"`)

// TestPublicPagesReachableFromFront follows every link from / without
// signing in: each public page answers 200 with the shared header and
// footer, and the crawl reaches every district's page, the promises, the
// weekly reports, the tip form and the accessibility statement.
func TestPublicPagesReachableFromFront(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	publishWeek(t, env, trygg.ISOWeek{Year: 2026, Week: 46})
	c := env.anonymous(t)
	seen := map[string]bool{"/": true}
	queue := []string{"/"}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		resp := c.get(p)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", p, resp.StatusCode)
			continue
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		checkPage(t, resp.Body)
		wantContains(t, resp.Body, `aria-label="Huvudmeny"`, `href="/tipsa"`, `<a href="/tillganglighet">Tillgänglighetsredogörelse</a>`, "Kontakt:")
		for _, m := range anchorHref.FindAllStringSubmatch(resp.Body, -1) {
			u, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
			if err != nil || strings.HasPrefix(u.Path, "/static/") || strings.HasSuffix(u.Path, ".atom") || strings.HasSuffix(u.Path, "/dokument") {
				continue
			}
			if next := u.Path; !seen[next] {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	for _, want := range []string{"/offentlig/alidhem/2026/2", "/offentlig/haga/2026/2", "/offentlig", "/medborgarloften",
		"/offentlig/veckorapporter", "/offentlig/veckorapporter/2026/46", "/tipsa", "/tillganglighet", "/logga-in"} {
		if !seen[want] {
			t.Errorf("the crawl from / did not reach %s", want)
		}
	}
}
