package e2e

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/demo"
)

// opener brings the tab to a page, or to one state of a page, on the server
// at base, and returns the page's HTTP status.
type opener func(t *testing.T, tab context.Context, base string) int64

// pageCheck is one page, or one state of a page, that axe-core checks.
type pageCheck struct {
	name string
	open opener
	// status is the HTTP status the page must answer with.
	status int64
}

// path opens a page by its URL path.
func path(p string) opener {
	return func(t *testing.T, tab context.Context, base string) int64 {
		t.Helper()
		return navigate(t, tab, base+p)
	}
}

// firstLink opens a list page and follows the first link in its table: a
// detail page whose ID or code the test does not need to know.
func firstLink(list, linkCSS string) opener {
	return func(t *testing.T, tab context.Context, base string) int64 {
		t.Helper()
		navigate(t, tab, base+list)
		return follow(t, tab, linkCSS)
	}
}

// then opens a page with open and from there follows the link linkCSS.
func then(open opener, linkCSS string) opener {
	return func(t *testing.T, tab context.Context, base string) int64 {
		t.Helper()
		open(t, tab, base)
		return follow(t, tab, linkCSS)
	}
}

// follow clicks the first link matching linkCSS and returns the status of
// the page it leads to.
func follow(t *testing.T, tab context.Context, linkCSS string) int64 {
	t.Helper()
	if count(t, tab, linkCSS) == 0 {
		t.Fatalf("%s has no link %s to follow", location(tab), linkCSS)
	}
	return submitAndWait(t, tab, chromedp.Click(chromedp.CSS(linkCSS)))
}

// submitEmpty opens a page and sends its form (the one with action) as it
// is, to reach the page's error state.
func submitEmpty(p, action string) opener {
	return sendForm(path(p), `form[action="`+action+`"]`)
}

// sendForm opens a page with open, runs steps (typing, clearing fields)
// and sends the form matching formCSS, to reach one of the page's error
// states.
func sendForm(open opener, formCSS string, steps ...chromedp.Action[chromedp.Void]) opener {
	return func(t *testing.T, tab context.Context, base string) int64 {
		t.Helper()
		open(t, tab, base)
		do(t, tab, steps...)
		return submitAndWait(t, tab, chromedp.Click(chromedp.CSS(formCSS+` button[type=submit]`)))
	}
}

// TestEveryPagePassesAxe runs axe-core's WCAG 2.1 A and AA rules on every
// page of the web interface, and on its error states, on a phone and on a
// desktop screen, signed out and signed in as each kind of user: the roles
// of samverkan, the police and the social services in operativ samverkan,
// and a receiving service's counsellor (KAST). A violation fails the test
// with the rule, its impact, the elements and the help text. On the phone
// no page may scroll sideways.
func TestEveryPagePassesAxe(t *testing.T) {
	t.Parallel()
	srv, logins, browser := startDemo(t)

	anonymous := []pageCheck{
		{"Logga in", path("/logga-in"), 200},
		{"Logga in med fel lösenord", sendForm(path("/logga-in"), `form[action="/logga-in"]`,
			chromedp.SendKeys(chromedp.ID("email"), "ingen@demo.trygg.local"),
			chromedp.SendKeys(chromedp.ID("password"), "fel-lösenord"),
		), 401},
		{"Tillgänglighetsredogörelse", path("/tillganglighet"), 200},
		// The public front door (issue 13); the crawl below follows its links.
		{"Startsida (offentlig)", path("/"), 200},
		{"Tipsa oss med fel", submitEmpty("/tipsa", "/tipsa"), 422},
		{"Nattvandrare ute", path("/nattvandring/ute?omrade=" + demoArea), 200}, // issue 15
	}
	// The sessions in which the pages are checked: signed out, then signed
	// in as each kind of user.
	sessions := []session{
		{account{}, anonymous},
		{roleAccount(t, logins, trygg.RoleRapportor), []pageCheck{
			{"Startsida", path("/"), 200},
			{"Ny rapport", path("/rapporter/ny"), 200},
			{"Ny rapport med fel", sendForm(path("/rapporter/ny"), `form[action="/rapporter/ny"]`, clearField("#occurred_at")), 422},
			{"Mina rapporter", path("/rapporter/mina"), 200},
			{"Alla rapporter", path("/rapporter"), 200},
			{"Rapport", firstLink("/rapporter/mina", `table tbody a[href^="/rapporter/"]`), 200},
			{"Redigera rapport", then(firstLink("/rapporter/mina", `table tbody a[href^="/rapporter/"]`), `a[href$="/redigera"]`), 200},
			{"Sidan finns inte", path("/finns-inte"), 404},
			{"Rapport som inte finns", path("/rapporter/999999999"), 404},
			{"Tillgänglighetsredogörelse inloggad", path("/tillganglighet"), 200},
		}},
		{roleAccount(t, logins, trygg.RoleSamordnare), []pageCheck{
			{"Alla rapporter, sida 2", path("/rapporter?omrade=" + demoArea + "&sida=2"), 200},
			{"Alla rapporter, inga träffar", path("/rapporter?fran=2001-01-01&till=2001-01-31"), 200},
			{"Alla rapporter, felaktigt filter", path("/rapporter?allvar=7"), 422},
			{"Raderade rapporter", path("/rapporter?raderade=1"), 200},
			// The filters open with choices made: the lists of areas and
			// of category groups.
			{"Lägesbild med filter", path("/lagesbild?omrade=" + demoArea + "&kategori=" + demoCategory), 200},
			{"Nytt åtagande med fel", sendForm(then(firstLink("/samverkan", `table tbody a[href^="/samverkan/"]`), `a[href$="/atagande/ny"]`),
				`form[action$="/atagande/ny"]`), 422},
			{"Ny åtgärd med fel", submitEmpty("/atgarder/ny", "/atgarder/ny"), 422},
			// Indicators and the yearly document (issue 17).
			{"Indikatorer", path("/indikatorer"), 200},
			{"Indikator", path("/indikatorer/serie/kolada_demo_nka_ifo"), 200},
			{"Indikatorer per 1 000 invånare", path("/indikatorer?kalla=bra&per=1000"), 200},
			{"Indikatorimport utan fil", submitEmpty("/indikatorer/import", "/indikatorer/import"), 422},
			{"Jämförelsegrupper", path("/indikatorer/grupper"), 200},
			{"Lägesbild och åtgärdsplan, utkast", sendForm(path("/arsplan"), `form[action="/arsplan"]`), 200},
			{"Lägesbild och åtgärdsplan, offentlig lista", path("/offentlig/arsplan"), 200},
		}},
		{roleAccount(t, logins, trygg.RoleLasare), []pageCheck{
			{"Översikt", path("/oversikt"), 200},
		}},
		{roleAccount(t, logins, trygg.RolePolis), []pageCheck{
			{"Ny insats", path("/operativ/ny"), 200},
			{"Ny insats med fel", submitEmpty("/operativ/ny", "/operativ/ny"), 422},
		}},
		{roleAccount(t, logins, trygg.RoleSocialtjanst), []pageCheck{
			{"Annonsering", path("/operativ/annonser"), 200},
			{"Annonsimport utan fil", submitEmpty("/operativ/annonser", "/operativ/annonser/import"), 422},
		}},
		{account{Email: demo.KastEmail, Password: demo.Password}, []pageCheck{
			{"Mottagning", path("/operativ/mottagning"), 200},
			{"Mottagning med fel kod", sendForm(path("/operativ/mottagning"), `form[action="/operativ/bekrafta"]`,
				chromedp.SendKeys(chromedp.ID("code"), "ZZZZ-ZZZZ")), 422},
		}},
		{roleAccount(t, logins, trygg.RoleKontroll), []pageCheck{
			{"Leverantörer", path("/leverantorer"), 200},
			{"Leverantör", firstLink("/leverantorer", `table tbody a[href^="/leverantorer/"]`), 200},
			{"Leverantör, kontroll med fel", sendForm(firstLink("/leverantorer", `table tbody a[href^="/leverantorer/"]`), `form[action$="/kontroller"]`), 422},
			{"Leverantörsimport utan filer", submitEmpty("/leverantorer/import", "/leverantorer/import"), 422},
			{"Leverantörer, regler", path("/leverantorer/regler"), 200},
			{"Leverantörer, statistik", path("/leverantorer/statistik"), 200},
		}},
		// Early intervention (SSPF): the coordinator and a team member.
		{roleAccount(t, logins, trygg.RoleSSPF), []pageCheck{
			{"Tidiga insatser", path("/tidiga-insatser"), 200},
			{"SSPF-ärende", firstLink("/tidiga-insatser", `.card-list a[href^="/tidiga-insatser/arenden/"]`), 200},
			{"Nytt SSPF-ärende med fel", submitEmpty("/tidiga-insatser/ny", "/tidiga-insatser/ny"), 422},
			{"SSPF-teammöte", firstLink("/tidiga-insatser/moten", `.card-list a[href^="/tidiga-insatser/moten/"]`), 200},
			{"SSPF-team", path("/tidiga-insatser/team"), 200},
			{"Statistik tidiga insatser", path("/statistik/tidiga-insatser"), 200},
		}},
		{roleAccount(t, logins, trygg.RoleSSPFMember), []pageCheck{
			{"Tidiga insatser, teammedlem", path("/tidiga-insatser"), 200},
		}},
		// Issue 15: the night walks' leader.
		{roleAccount(t, logins, trygg.RoleNattvandrare), []pageCheck{
			{"Nattvandring", path("/nattvandring"), 200},
			{"Nattvandringsgrupp", firstLink("/nattvandring", `table tbody a[href^="/nattvandring/grupp/"]`), 200},
			{"Frivilliga", then(firstLink("/nattvandring", `table tbody a[href^="/nattvandring/grupp/"]`), `a[href$="/frivilliga"]`), 200},
			{"Ny frivillig med fel", sendForm(then(firstLink("/nattvandring", `table tbody a[href^="/nattvandring/grupp/"]`), `a[href$="/frivilliga"]`),
				`form[action$="/frivilliga"]`), 422},
			{"Utrustning", then(firstLink("/nattvandring", `table tbody a[href^="/nattvandring/grupp/"]`), `a[href$="/utrustning"]`), 200},
			{"Vandring", then(firstLink("/nattvandring", `table tbody a[href^="/nattvandring/grupp/"]`), `table tbody a[href^="/nattvandring/vandring/"]`), 200},
			{"Planera vandring med fel", sendForm(firstLink("/nattvandring", `table tbody a[href^="/nattvandring/grupp/"]`), `form[action$="/vandringar"]`), 422},
		}},
		{roleAccount(t, logins, trygg.RoleAdmin), []pageCheck{
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

	// Each page is loaded once and checked on the phone, then in the same
	// tab widened to the desktop. Trygg's pages are drawn by the server and
	// its scripts do not read the width, so a widened page is the page a
	// desktop loads, and the crawl loads half as many pages as it would
	// with a tab per width. Two tabs take the sessions in turn, so that the
	// test is not one long line of page loads that the rest of the suite
	// waits for; a kind of page is checked by whichever tab reaches it
	// first.
	checked := &pageKinds{seen: map[string]bool{}}
	queue := make(chan session, len(sessions))
	for _, s := range sessions {
		queue <- s
	}
	close(queue)
	for i := range 2 {
		t.Run(fmt.Sprintf("flik %d", i+1), func(t *testing.T) {
			t.Parallel()
			for s := range queue {
				tab := newTab(t, browser, phone)
				who := "signed out"
				if s.acct != (account{}) {
					signIn(t, tab, srv.URL, s.acct)
					who = "signed in as " + s.acct.Email
				}
				t.Logf("session %s", who)
				for _, pc := range s.pages {
					checkPage(t, tab, srv.URL, pc, checked)
				}
				// Every page the session can reach by following links from /.
				crawl(t, tab, srv.URL, checked)
			}
		})
	}
}

// session is one round of the accessibility check: the pages it opens
// signed in as acct (no one when acct is zero), before it crawls.
type session struct {
	acct  account
	pages []pageCheck
}

// pageKinds is the set of kinds of page (pageKind) that have been checked,
// shared by the tabs of a test.
type pageKinds struct {
	mu   sync.Mutex
	seen map[string]bool
}

// has reports whether kind has been checked.
func (k *pageKinds) has(kind string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.seen[kind]
}

// claim marks kind as checked and reports whether it was not before, in
// which case the caller checks it.
func (k *pageKinds) claim(kind string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.seen[kind] {
		return false
	}
	k.seen[kind] = true
	return true
}

// checkWidths runs the checks of every page (checkLoaded) on the page
// loaded in the tab, on the phone and on the desktop, and leaves the tab
// as a phone.
func checkWidths(t *testing.T, tab context.Context, what string) {
	t.Helper()
	checkLoaded(t, tab, phone, what)
	emulate(t, tab, desktop)
	checkLoaded(t, tab, desktop, what)
	emulate(t, tab, phone)
}

// checkPage opens the page of pc in the tab, a phone, and checks it: its
// status, and at both widths axe-core and on the phone that it does not
// scroll sideways.
func checkPage(t *testing.T, tab context.Context, base string, pc pageCheck, checked *pageKinds) {
	t.Helper()
	if st := pc.open(t, tab, base); st != pc.status {
		t.Errorf("%s (%s): status %d, want %d", pc.name, location(tab), st, pc.status)
	}
	checkWidths(t, tab, pc.name)
	if pc.status == 200 {
		checked.claim(pageKind(pagePath(t, tab)))
	}
}

// maxCrawl bounds the pages one crawl visits.
const maxCrawl = 100

// crawl follows every link on the site that the signed-in tab can reach
// from the start page, so that a page nobody listed above is checked too:
// each link must answer 200, and each kind of page it finds for the first
// time must pass the checks at both widths (checkWidths).
func crawl(t *testing.T, tab context.Context, base string, checked *pageKinds) {
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
		// A page of a kind already checked needs only its status and its
		// links, which the server's HTML holds (scripts add no links), so
		// it is fetched as the signed-in browser would, not rendered:
		// rendering is most of this test's time.
		hrefs, ok := fetchLinks(t, tab, base, p, checked)
		if !ok {
			if st := navigate(t, tab, base+p); st != 200 {
				t.Errorf("link to %s: status %d", p, st)
				continue
			}
			if checked.claim(pageKind(pagePath(t, tab))) {
				checkWidths(t, tab, "sidan "+p)
			}
			// getAttribute, not .href: the map's links are SVG elements.
			hrefs = run(t, tab, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("a[href]:not([download])"), a => new URL(a.getAttribute("href"), document.baseURI).href)`))
		}
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

var (
	anchorTag = regexp.MustCompile(`(?is)<a\s([^>]*)>`)
	hrefAttr  = regexp.MustCompile(`(?is)(?:^|\s)href="([^"]*)"`)
	download  = regexp.MustCompile(`(?is)(?:^|\s)download(?:[\s=]|$)`)
)

// fetchLinks GETs p with the tab's cookies and, when it answers 200 with a
// page of a kind already checked, returns the absolute addresses of its
// links but those that download a file, and true. It returns false for
// anything else (a redirect, an error status, a kind not yet checked), and
// the caller opens the page in the browser instead.
func fetchLinks(t *testing.T, tab context.Context, base, p string, checked *pageKinds) ([]string, bool) {
	t.Helper()
	if !checked.has(pageKind(p)) {
		return nil, false
	}
	resp := fetchAsBrowser(t, tab, base+p)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", p, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, false
	}
	page, err := url.Parse(base + p)
	if err != nil {
		t.Fatal(err)
	}
	var hrefs []string
	for _, tag := range anchorTag.FindAllSubmatch(body, -1) {
		attrs := tag[1]
		m := hrefAttr.FindSubmatch(attrs)
		if m == nil || download.Match(attrs) {
			continue
		}
		ref, err := url.Parse(html.UnescapeString(string(m[1])))
		if err != nil {
			t.Errorf("%s: link %q: %v", p, m[1], err)
			continue
		}
		hrefs = append(hrefs, page.ResolveReference(ref).String())
	}
	return hrefs, true
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
	adminObject = regexp.MustCompile(`^(/admin/[^/]+)/[^/]+`)
	// An indicator's page is one kind whatever the series (issue 17).
	indicatorSeries = regexp.MustCompile(`^/indikatorer/serie/[^/]+`)
	// The sealed registers name a record by an opaque reference: 16
	// characters of lower-case base32.
	registerRecord = regexp.MustCompile(`^/(orosanmalningar|tidiga-insatser/arenden)/[a-z2-7]{16}(/|$)`)
)

// pageKind names the kind of a page by its path: one report, user or area
// stands for all of them, and a query (a filter, a page number) does not
// make a new kind.
func pageKind(p string) string {
	p, _, _ = strings.Cut(p, "?")
	// One district's public page, or one tip's status, stands for all.
	if rest, ok := strings.CutPrefix(p, "/offentlig/"); ok && !strings.HasPrefix(rest, "veckorapporter") {
		return "/offentlig/{area}"
	}
	if strings.HasPrefix(p, "/tipsa/") {
		return "/tipsa/{ref}"
	}
	segments := strings.Split(p, "/")
	for i, seg := range segments {
		if seg != "" && strings.Trim(seg, "0123456789") == "" {
			segments[i] = "{id}"
		}
	}
	p = strings.Join(segments, "/")
	p = indicatorSeries.ReplaceAllString(p, "/indikatorer/serie/{code}")
	p = registerRecord.ReplaceAllString(p, "/$1/{ref}$2")
	return adminObject.ReplaceAllString(p, "$1/{code}")
}

// TestPageKind: the crawl checks one page of each kind, so a record's id
// or reference must not make a kind of its own, and pages that differ must.
func TestPageKind(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ path, want string }{
		{"/rapporter", "/rapporter"},
		{"/rapporter?sida=2", "/rapporter"},
		{"/rapporter/123", "/rapporter/{id}"},
		{"/rapporter/123/redigera", "/rapporter/{id}/redigera"},
		{"/admin/anvandare/anna@example.se", "/admin/anvandare/{code}"},
		{"/indikatorer/serie/N00123", "/indikatorer/serie/{code}"},
		{"/offentlig/backen/2026/2", "/offentlig/{area}"},
		{"/offentlig/veckorapporter/2026/50", "/offentlig/veckorapporter/{id}/{id}"},
		{"/tipsa/NCHK-C8F6", "/tipsa/{ref}"},
		{"/orosanmalningar/23cg7yjniazwos6q", "/orosanmalningar/{ref}"},
		{"/orosanmalningar/23cg7yjniazwos6q/atkomst", "/orosanmalningar/{ref}/atkomst"},
		{"/orosanmalningar/ny", "/orosanmalningar/ny"},
		{"/tidiga-insatser/arenden/xazyd7dmjhi5p3qr", "/tidiga-insatser/arenden/{ref}"},
		{"/tidiga-insatser/arenden/xazyd7dmjhi5p3qr/atkomst", "/tidiga-insatser/arenden/{ref}/atkomst"},
	} {
		if got := pageKind(tc.path); got != tc.want {
			t.Errorf("pageKind(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}
