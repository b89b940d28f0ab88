package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
)

// TestLagesbild is the samordnare's weekly look at the situation, on a
// phone: open the lägesbild (the last whole week of the demo data, whose
// surge in Ålidhem must be flagged), filter it to Ålidhem, follow the
// flagged increase in social unrest to its reports, and tap through the map
// to the district's profile. A läsare sees the same flagged increases but
// no link to reports. axe-core checks every page on the way.
func TestLagesbild(t *testing.T) {
	t.Parallel()
	srv, logins, browser := startDemo(t)
	tab := signedInTab(t, browser, phone, srv.URL, roleAccount(t, logins, trygg.RoleSamordnare))

	// The menu leads to the lägesbild.
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`nav a[href="/lagesbild"]`))); st != 200 {
		t.Fatalf("Lägesbild: status %d", st)
	}
	flags := textOf(t, tab, ".flag-list")
	if !strings.Contains(flags, "Ålidhem — social oro:") {
		t.Errorf("the Ålidhem surge is not flagged:\n%s", flags)
	}
	if n := count(t, tab, "svg.district-map a"); n == 0 {
		t.Error("the map has no districts to tap")
	}
	if n := count(t, tab, "svg.weekly-chart"); n != 1 {
		t.Errorf("%d weekly charts, want 1", n)
	}
	checkAxe(t, tab, "Lägesbild")

	// Filter to Ålidhem: open the list of districts and tick it.
	do(t, tab,
		chromedp.Click(chromedp.CSS(`#omrade summary`)),
		chromedp.Click(chromedp.ID("omrade-"+demoArea)),
	)
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form.lagesbild-filters button[type=submit]`))); st != 200 {
		t.Fatalf("filtering to Ålidhem: status %d:\n%s", st, bodyText(t, tab))
	}
	if p := pagePath(t, tab); !strings.Contains(p, "omrade="+demoArea) {
		t.Errorf("the filter is not in the address: %s", p)
	}
	flags = textOf(t, tab, ".flag-list")
	if !strings.Contains(flags, "Ålidhem — social oro:") || strings.Contains(flags, "Berghem") {
		t.Errorf("flagged increases filtered to Ålidhem:\n%s", flags)
	}
	checkAxe(t, tab, "Lägesbild, Ålidhem")

	// Follow the flagged increase to its reports.
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`.flag-list a[href*="kategori=social_oro"]`))); st != 200 {
		t.Fatalf("the flagged increase's reports: status %d", st)
	}
	if p := pagePath(t, tab); !strings.HasPrefix(p, "/rapporter?") || !strings.Contains(p, "omrade="+demoArea) || !strings.Contains(p, "kategori=social_oro") {
		t.Errorf("the link leads to %s, want the report list filtered to Ålidhem and social oro", p)
	}
	if ids := listedReportIDs(t, tab); len(ids) == 0 {
		t.Error("the flagged increase's report list is empty")
	}
	checkAxe(t, tab, "rapporterna bakom en flaggad ökning")

	// Back to the lägesbild, and through the map to the district profile.
	navigate(t, tab, srv.URL+"/lagesbild")
	if st := submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`svg.district-map a[href="/lagesbild/omrade/`+demoArea+`"]`))); st != 200 {
		t.Fatalf("the district profile: status %d", st)
	}
	body := bodyText(t, tab)
	for _, want := range []string{"Områdesprofil: Ålidhem", "Våld", "Hot", "Narkotikaförsäljning", "Anlagd brand", "Social oro"} {
		if !strings.Contains(body, want) {
			t.Errorf("the district profile lacks %q", want)
		}
	}
	if n := count(t, tab, "svg.sparkline"); n != 5 {
		t.Errorf("%d trend charts, want 5", n)
	}
	checkAxe(t, tab, "Områdesprofil")

	// The läsare sees the flagged increases, with no way into reports.
	reader := signedInTab(t, browser, desktop, srv.URL, roleAccount(t, logins, trygg.RoleLasare))
	if st := navigate(t, reader, srv.URL+"/lagesbild?visa=takt"); st != 200 {
		t.Fatalf("Lägesbild for the läsare: status %d", st)
	}
	if flags := textOf(t, reader, ".flag-list"); !strings.Contains(flags, "Ålidhem — social oro:") {
		t.Errorf("the läsare does not see the flagged surge:\n%s", flags)
	}
	if n := count(t, reader, `main a[href^="/rapporter"]`); n != 0 {
		t.Errorf("the läsare gets %d links to reports", n)
	}
	checkAxe(t, reader, "Lägesbild för läsare, per 1 000 invånare")
}
