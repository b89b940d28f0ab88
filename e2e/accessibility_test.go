package e2e

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
)

// pageCheck is one page, or one state of a page, that axe-core checks.
type pageCheck struct {
	name string
	// open brings the tab to the page and returns its HTTP status.
	open func(t *testing.T, tab context.Context, base string) int64
	// status is the HTTP status the page must answer with.
	status int64
}

// path opens a page by its URL path.
func path(p string) func(*testing.T, context.Context, string) int64 {
	return func(t *testing.T, tab context.Context, base string) int64 {
		t.Helper()
		return navigate(t, tab, base+p)
	}
}

// firstLink opens a list page and follows the first link in its table: a
// detail page whose ID or code the test does not need to know.
func firstLink(list, linkCSS string) func(*testing.T, context.Context, string) int64 {
	return func(t *testing.T, tab context.Context, base string) int64 {
		t.Helper()
		navigate(t, tab, base+list)
		if count(t, tab, linkCSS) == 0 {
			t.Fatalf("%s has no link %s to follow", list, linkCSS)
		}
		return submitAndWait(t, tab, chromedp.Click(chromedp.CSS(linkCSS)))
	}
}

// submitEmpty opens a page and sends its form (the one with action) as it
// is, to reach the page's error state.
func submitEmpty(p, action string) func(*testing.T, context.Context, string) int64 {
	return func(t *testing.T, tab context.Context, base string) int64 {
		t.Helper()
		navigate(t, tab, base+p)
		sel := `form[action="` + action + `"] button[type=submit]`
		if action == "/rapporter/ny" {
			do(t, tab, clearField("#occurred_at"))
		}
		return submitAndWait(t, tab, chromedp.Click(chromedp.CSS(sel)))
	}
}

// TestEveryPagePassesAxe runs axe-core's WCAG 2.1 A and AA rules on every
// page of the web interface, and on its error states, on a phone and on a
// desktop screen. A violation fails the test with the rule, its impact, the
// elements and the help text.
func TestEveryPagePassesAxe(t *testing.T) {
	srv, logins, browser := startDemo(t)

	anonymous := []pageCheck{
		{"Logga in", path("/logga-in"), 200},
		{"Logga in med fel lösenord", func(t *testing.T, tab context.Context, base string) int64 {
			navigate(t, tab, base+"/logga-in")
			do(t, tab,
				chromedp.SendKeys(chromedp.ID("email"), "ingen@demo.trygg.local"),
				chromedp.SendKeys(chromedp.ID("password"), "fel-lösenord"),
			)
			return submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action="/logga-in"] button[type=submit]`)))
		}, 401},
		{"Tillgänglighetsredogörelse", path("/tillganglighet"), 200},
	}
	byRole := []struct {
		role  trygg.Role
		pages []pageCheck
	}{
		{trygg.RoleRapportor, []pageCheck{
			{"Startsida", path("/"), 200},
			{"Ny rapport", path("/rapporter/ny"), 200},
			{"Ny rapport med fel", submitEmpty("/rapporter/ny", "/rapporter/ny"), 422},
			{"Mina rapporter", path("/rapporter/mina"), 200},
			{"Alla rapporter", path("/rapporter"), 200},
			{"Rapport", firstLink("/rapporter/mina", `table tbody a[href^="/rapporter/"]`), 200},
			{"Redigera rapport", func(t *testing.T, tab context.Context, base string) int64 {
				firstLink("/rapporter/mina", `table tbody a[href^="/rapporter/"]`)(t, tab, base)
				return submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`a[href$="/redigera"]`)))
			}, 200},
			{"Sidan finns inte", path("/finns-inte"), 404},
			{"Rapport som inte finns", path("/rapporter/999999999"), 404},
			{"Tillgänglighetsredogörelse inloggad", path("/tillganglighet"), 200},
		}},
		{trygg.RoleSamordnare, []pageCheck{
			{"Alla rapporter, sida 2", path("/rapporter?omrade=" + demoArea + "&sida=2"), 200},
			{"Alla rapporter, inga träffar", path("/rapporter?fran=2001-01-01&till=2001-01-31"), 200},
			{"Alla rapporter, felaktigt filter", path("/rapporter?allvar=7"), 422},
			{"Raderade rapporter", path("/rapporter?raderade=1"), 200},
		}},
		{trygg.RoleLasare, []pageCheck{
			{"Översikt", path("/oversikt"), 200},
		}},
		{trygg.RoleAdmin, []pageCheck{
			{"Användare", path("/admin/anvandare"), 200},
			{"Ny användare med fel", submitEmpty("/admin/anvandare", "/admin/anvandare"), 422},
			{"Användare, en", firstLink("/admin/anvandare", `table tbody a[href^="/admin/anvandare/"]`), 200},
			{"Organisationer", path("/admin/organisationer"), 200},
			{"Ny organisation med fel", submitEmpty("/admin/organisationer", "/admin/organisationer"), 422},
			{"Organisation", firstLink("/admin/organisationer", `table tbody a[href^="/admin/organisationer/"]`), 200},
			{"Områden", path("/admin/omraden"), 200},
			{"Områdesimport utan fil", submitEmpty("/admin/omraden", "/admin/omraden/import"), 422},
			{"Område", firstLink("/admin/omraden", `table tbody a[href^="/admin/omraden/"]`), 200},
			{"Kategorier", path("/admin/kategorier"), 200},
			{"Ny kategori med fel", submitEmpty("/admin/kategorier", "/admin/kategorier"), 422},
			{"Kategori", firstLink("/admin/kategorier", `table tbody a[href^="/admin/kategorier/"]`), 200},
			{"Stödverksamheter", path("/admin/stodverksamheter"), 200},
		}},
	}

	for _, vp := range []viewport{phone, desktop} {
		t.Run(vp.Name, func(t *testing.T) {
			// Pages of a kind already checked, by pageKind; the crawl
			// below checks the rest.
			checked := map[string]bool{}
			tab := newTab(t, browser, vp)
			for _, pc := range anonymous {
				checkPage(t, tab, srv.URL, pc, checked)
			}
			for _, group := range byRole {
				tab := signedInTab(t, browser, vp, srv.URL, roleAccount(t, logins, group.role))
				for _, pc := range group.pages {
					checkPage(t, tab, srv.URL, pc, checked)
				}
				crawl(t, tab, srv.URL, checked)
			}
		})
	}
}

func checkPage(t *testing.T, tab context.Context, base string, pc pageCheck, checked map[string]bool) {
	t.Helper()
	if st := pc.open(t, tab, base); st != pc.status {
		t.Errorf("%s (%s): status %d, want %d", pc.name, location(tab), st, pc.status)
	}
	checkAxe(t, tab, pc.name)
	if pc.status == 200 {
		checked[pageKind(pagePath(t, tab))] = true
	}
}

// maxCrawl bounds the pages one crawl visits.
const maxCrawl = 100

// crawl follows every link on the site that the signed-in tab can reach
// from the start page, so that a page nobody listed above is checked too:
// each link must answer 200, and each kind of page it finds for the first
// time must pass axe-core.
func crawl(t *testing.T, tab context.Context, base string, checked map[string]bool) {
	t.Helper()
	queue, queued := []string{"/"}, map[string]bool{"/": true}
	visits := 0
	defer func() { t.Logf("the crawl visited %d kinds of page", visits) }()
	for ; len(queue) > 0; visits++ {
		if visits == maxCrawl {
			t.Errorf("the crawl from / reached more than %d kinds of page", maxCrawl)
			return
		}
		p := queue[0]
		queue = queue[1:]
		if st := navigate(t, tab, base+p); st != 200 {
			t.Errorf("link to %s: status %d", p, st)
			continue
		}
		if kind := pageKind(pagePath(t, tab)); !checked[kind] {
			checked[kind] = true
			checkAxe(t, tab, "sidan "+p)
		}
		// getAttribute, not .href: the map's links are SVG elements.
		hrefs := run(t, tab, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("a[href]:not([download])"), a => new URL(a.getAttribute("href"), document.baseURI).href)`))
		for _, h := range hrefs {
			next, ok := sitePath(base, h)
			if !ok || queued[pageKind(next)] {
				continue
			}
			queued[pageKind(next)] = true
			queue = append(queue, next)
		}
	}
}

// sitePath returns the path and query of a link to a page of the site
// under base, and false for other links: other sites, mailto:, fragments
// of the same page, static files and the JSON API.
func sitePath(base, href string) (string, bool) {
	u, err := url.Parse(href)
	if err != nil || !strings.HasPrefix(href, base+"/") {
		return "", false
	}
	if strings.HasPrefix(u.Path, "/static/") || strings.HasPrefix(u.Path, "/api/") || u.Path == "/metrics" {
		return "", false
	}
	p := u.Path
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p, true
}

var (
	numericSegment = regexp.MustCompile(`/[0-9]+(/|$)`)
	adminObject    = regexp.MustCompile(`^(/admin/[^/]+)/[^/]+`)
)

// pageKind names the kind of a page by its path: one report, user or area
// stands for all of them, and a query (a filter, a page number) does not
// make a new kind.
func pageKind(p string) string {
	p, _, _ = strings.Cut(p, "?")
	p = numericSegment.ReplaceAllString(p, "/{id}$1")
	return adminObject.ReplaceAllString(p, "$1/{code}")
}
