package e2e

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
)

// This file drives Trygg's pages the way a person does: helpers for signing
// in and for the report form, shared by the flow and accessibility tests.

// signIn signs in through the sign-in page and fails unless the browser
// leaves it. It fills the fields in one step each rather than key by key:
// nothing on the page listens to keys, and typing cost a second or more of
// the browser's time per sign-in. The accessibility test types into the
// form where it checks the wrong password.
func signIn(t *testing.T, tab context.Context, base string, acct account) {
	t.Helper()
	navigate(t, tab, base+"/logga-in")
	do(t, tab,
		chromedp.SetValue(chromedp.ID("email"), acct.Email),
		chromedp.SetValue(chromedp.ID("password"), acct.Password),
	)
	submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action="/logga-in"] button[type=submit]`)))
	if p := pagePath(t, tab); strings.HasPrefix(p, "/logga-in") {
		t.Fatalf("sign-in as %s failed; still on %s:\n%s", acct.Email, p, bodyText(t, tab))
	}
}

// signOut presses "Logga ut" and checks that the browser lands signed out.
func signOut(t *testing.T, tab context.Context) {
	t.Helper()
	submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form[action="/logga-ut"] button[type=submit]`)))
	if n := count(t, tab, `form[action="/logga-ut"]`); n != 0 {
		t.Fatalf("still signed in after Logga ut, at %s", location(tab))
	}
}

// count returns how many elements match the CSS selector.
func count(t *testing.T, tab context.Context, css string) int {
	t.Helper()
	return run(t, tab, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%s).length`, strconv.Quote(css))))
}

// textOf returns the text of the first element matching css, or "" if none.
func textOf(t *testing.T, tab context.Context, css string) string {
	t.Helper()
	return run(t, tab, chromedp.Evaluate[string](fmt.Sprintf(`(e => e ? e.innerText : "")(document.querySelector(%s))`, strconv.Quote(css))))
}

// valueOf returns the value of the first form control matching css.
func valueOf(t *testing.T, tab context.Context, css string) string {
	t.Helper()
	return run(t, tab, chromedp.Evaluate[string](fmt.Sprintf(`(e => e ? e.value : "<missing>")(document.querySelector(%s))`, strconv.Quote(css))))
}

// checked returns the value of the checked radio button named name, or "".
func checked(t *testing.T, tab context.Context, name string) string {
	t.Helper()
	return valueOf(t, tab, fmt.Sprintf(`input[name=%q]:checked`, name))
}

// attrOf returns an attribute of the first element matching css.
func attrOf(t *testing.T, tab context.Context, css, attr string) string {
	t.Helper()
	return run(t, tab, chromedp.Evaluate[string](fmt.Sprintf(`(e => e ? (e.getAttribute(%s) || "") : "<missing>")(document.querySelector(%s))`,
		strconv.Quote(attr), strconv.Quote(css))))
}

// tile clicks (or, on a touch screen, taps) the large label that holds the
// radio button name=value, as a person picks a category or place type.
func tile(name, value string, touch bool) chromedp.Action[chromedp.Void] {
	sel := chromedp.JSPath(fmt.Sprintf(`document.querySelector('input[name=%q][value=%q]').closest('label')`, name, value))
	if touch {
		return chromedp.Tap(sel)
	}
	return chromedp.Click(sel)
}

// clearField empties a text field, as selecting all and deleting does.
// (chromedp's SetValue cannot set an empty string.)
func clearField(css string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%s).value = ""`, strconv.Quote(css)))
}

// reportInput is what the tests type into the report form.
type reportInput struct {
	Area, Category, PlaceType string
	Severity                  int
	Description               string
}

// fillReport fills the report form on the current page. With useMap it
// picks the area by tapping its district on the SVG map: with JavaScript
// that sets the list; without, the map link loads the form again with the
// area chosen.
func fillReport(t *testing.T, tab context.Context, in reportInput, useMap, touch bool) {
	t.Helper()
	if useMap {
		link := chromedp.CSS(fmt.Sprintf(`a.district-link[href$="omrade=%s"]`, url.QueryEscape(in.Area)))
		if scriptsRun(t, tab) {
			do(t, tab, chromedp.Tap(link))
		} else {
			submitAndWait(t, tab, chromedp.Click(link))
		}
		if got := valueOf(t, tab, "#area"); got != in.Area {
			t.Fatalf("tapping district %q on the map chose %q in the list", in.Area, got)
		}
	} else {
		do(t, tab, chromedp.SetValue(chromedp.ID("area"), in.Area))
	}
	do(t, tab,
		tile("category", in.Category, touch),
		tile("place_type", in.PlaceType, touch),
		tile("severity", strconv.Itoa(in.Severity), touch),
		clearField("#description"),
		chromedp.SendKeys(chromedp.ID("description"), in.Description),
	)
	for name, want := range map[string]string{"category": in.Category, "place_type": in.PlaceType, "severity": strconv.Itoa(in.Severity)} {
		if got := checked(t, tab, name); got != want {
			t.Fatalf("after tapping the %s tile %q, %q is checked", name, want, got)
		}
	}
}

// saveReport presses the form's submit button and returns the status of
// the page that follows.
func saveReport(t *testing.T, tab context.Context) int64 {
	t.Helper()
	return submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form.report-form button[type=submit]`)))
}

// scriptsRun reports whether the page's own scripts ran: app.js shows the
// "Min position" button, which the HTML leaves hidden.
func scriptsRun(t *testing.T, tab context.Context) bool {
	t.Helper()
	return run(t, tab, chromedp.Evaluate[bool](`(b => !!b && !b.hidden)(document.querySelector(".js-locate"))`))
}

var reportPath = regexp.MustCompile(`^/rapporter/([0-9]+)$`)

// currentReportID returns the ID of the report whose detail page is open.
func currentReportID(t *testing.T, tab context.Context) int64 {
	t.Helper()
	p := pagePath(t, tab)
	m := reportPath.FindStringSubmatch(p)
	if m == nil {
		t.Fatalf("expected a report's page, at %s:\n%s", p, bodyText(t, tab))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// listedReportIDs returns the report IDs linked from the list on the
// current page, in order.
func listedReportIDs(t *testing.T, tab context.Context) []int64 {
	t.Helper()
	hrefs := run(t, tab, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("table tbody a[href^='/rapporter/']"), a => a.getAttribute("href"))`))
	var ids []int64
	for _, h := range hrefs {
		m := reportPath.FindStringSubmatch(h)
		if m == nil {
			continue
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		ids = append(ids, id)
	}
	return ids
}

var totalPattern = regexp.MustCompile(`av ([0-9 \x{a0}]+) rapporter|^Inga rapporter`)

// listTotal reads "Visar 1–50 av N rapporter" (or "Inga rapporter") above
// the list.
func listTotal(t *testing.T, tab context.Context) int {
	t.Helper()
	h := strings.TrimSpace(textOf(t, tab, "#resultat"))
	m := totalPattern.FindStringSubmatch(h)
	if m == nil {
		t.Fatalf("no report count above the list; heading is %q", h)
	}
	if m[1] == "" {
		return 0
	}
	n, err := strconv.Atoi(strings.NewReplacer(" ", "", "\u00a0", "").Replace(m[1]))
	if err != nil {
		t.Fatalf("report count %q: %v", m[1], err)
	}
	return n
}

// luhnPersonnummer returns a personnummer (YYMMDD-NNNC) for the date and
// serial number with its Luhn check digit, so the test text is one the
// detector must catch.
func luhnPersonnummer(yymmdd, nnn string) string {
	digits := yymmdd + nnn
	sum := 0
	for i, c := range digits {
		d := int(c - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return fmt.Sprintf("%s-%s%d", yymmdd, nnn, (10-sum%10)%10)
}

// demoArea and demoCategory are codes from the demo data and the default
// taxonomy that the flows file reports under.
const (
	demoArea     = "alidhem"
	demoCategory = "klotter"
)

// startDemo starts a server with the demo data and a browser, and returns
// them with the demo logins.
func startDemo(t *testing.T) (*server, map[trygg.Role]account, context.Context) {
	t.Helper()
	srv := startServer(t, serverOptions{Demo: true})
	logins := demoLogins(t, srv)
	return srv, logins, newBrowser(t)
}

// signedInTab opens a tab of the browser with viewport vp and signs acct in
// to the server at base.
func signedInTab(t *testing.T, browser context.Context, vp viewport, base string, acct account) context.Context {
	t.Helper()
	tab := newTab(t, browser, vp)
	signIn(t, tab, base, acct)
	return tab
}

// roleAccount returns the demo login for a role.
func roleAccount(t *testing.T, logins map[trygg.Role]account, r trygg.Role) account {
	t.Helper()
	a, ok := logins[r]
	if !ok {
		t.Fatalf("no demo login for role %s", r)
	}
	return a
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
