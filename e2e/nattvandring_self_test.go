package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
)

// nightLapsed is the demo's Ålidhem volunteer whose introduction lapsed.
const nightLapsed = "Oskar Granlund"

// TestNattvandringSelfSignUp is a volunteer signing up on a phone without
// an account: the Ålidhem leader makes Anna's personal link on the
// volunteers page; a fresh tab, not signed in, opens it, sees her first
// name and the group's coming walks (no other names), and signs up for
// one. A lapsed volunteer's link shows why the sign-up is refused. axe-core
// and the phone width check each page.
func TestNattvandringSelfSignUp(t *testing.T) {
	t.Parallel()
	srv, logins, browser := startDemo(t)
	leader := roleAccount(t, logins, trygg.RoleNattvandrare)
	tab := signedInTab(t, browser, phone, srv.URL, leader)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`nav a[href="/nattvandring"]`))); st != 200 {
		t.Fatalf("Nattvandring: status %d", st)
	}
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`table tbody a[href^="/nattvandring/grupp/"]`))); st != 200 {
		t.Fatalf("the group: status %d", st)
	}
	volunteers := srv.URL + pagePath(t, tab) + "/frivilliga"

	// makeLink makes name's link on the volunteers page and returns it.
	makeLink := func(name string) string {
		t.Helper()
		if st := navigate(t, tab, volunteers); st != 200 {
			t.Fatalf("volunteers: status %d", st)
		}
		do(t, tab, markInItem(name, `form[action$="/lank"] button`))
		if st := submitAndWait(t, tab, chromedp.Click(chromedp.ID("e2e-mal"))); st != 200 {
			t.Fatalf("a link for %s: status %d", name, st)
		}
		link := run(t, tab, chromedp.Evaluate[string](`(i => i ? i.value : "")(document.querySelector('input[id^="lank-"]'))`))
		if !strings.HasPrefix(link, srv.URL+"/nattvandring/anmalan/") {
			t.Fatalf("link %q", link)
		}
		return link
	}
	link := makeLink(nightTrained[0])
	checkLoaded(t, tab, phone, "Frivilliga med ny länk")

	// A fresh tab, as the volunteer's phone.
	anna := newTab(t, browser, phone)
	if st := navigate(t, anna, link); st != 200 {
		t.Fatalf("Anna's page: status %d", st)
	}
	text := bodyText(t, anna)
	if !strings.Contains(text, "Hej Anna!") || !strings.Contains(text, "Samling:") || strings.Contains(text, "Lindqvist") {
		t.Errorf("Anna's page:\n%s", text)
	}
	for _, name := range append(nightTrained[1:], nightUntrained, nightLapsed) {
		if strings.Contains(text, name) {
			t.Errorf("Anna's page shows %q", name)
		}
	}
	checkLoaded(t, anna, phone, "Anmälan till nattvandring")
	// The first coming walk: off it if the demo put her on, then on.
	button := run(t, anna, chromedp.Evaluate[string](`(b => b ? b.id : "")(document.querySelector('main form button[name="action"]'))`))
	if button == "" {
		t.Fatal("no walk to sign up for")
	}
	if run(t, anna, chromedp.Evaluate[string](`document.getElementById(`+strconv.Quote(button)+`).value`)) == "avanmal" {
		if st := submitAndWait(t, anna, chromedp.Click(chromedp.ID(button))); st != 200 {
			t.Fatalf("cancelling: status %d", st)
		}
	}
	if st := submitAndWait(t, anna, chromedp.Click(chromedp.ID(button))); st != 200 {
		t.Fatalf("signing up: status %d: %s", st, bodyText(t, anna))
	}
	if v := run(t, anna, chromedp.Evaluate[string](`document.getElementById(`+strconv.Quote(button)+`).value`)); v != "avanmal" || !strings.Contains(bodyText(t, anna), "Du är anmäld. Tack!") {
		t.Errorf("after signing up: button %q\n%s", v, bodyText(t, anna))
	}

	// A lapsed introduction: refused, with the reason on the page.
	lapsed := newTab(t, browser, phone)
	if st := navigate(t, lapsed, makeLink(nightLapsed)); st != 200 {
		t.Fatalf("the lapsed volunteer's page: status %d", st)
	}
	if st := submitAndWait(t, lapsed, chromedp.Click(chromedp.CSS(`main form button[value="anmal"]`))); st != 422 {
		t.Fatalf("a lapsed sign-up: status %d", st)
	}
	if msg := textOf(t, lapsed, `.error-summary`); !strings.Contains(msg, "Du kan inte anmäla dig") || !strings.Contains(msg, "förnyas") {
		t.Errorf("refusal %q", msg)
	}
	checkLoaded(t, lapsed, phone, "Anmälan nekad (frivillig)")
}
