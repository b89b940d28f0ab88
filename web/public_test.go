package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
)

// importCategory adds n reports of category in area, occurring one day
// apart backwards from at.
func importCategory(t *testing.T, env *testEnv, area, category string, at time.Time, n int) {
	t.Helper()
	rows := make([]trygg.ImportRow, n)
	for i := range rows {
		rows[i] = trygg.ImportRow{Line: i + 2, Input: trygg.ReportInput{
			OccurredAt: at.Add(-time.Duration(i) * 24 * time.Hour), AreaCode: area, Category: category,
			PlaceType: "gata", Severity: 1, Description: fmt.Sprintf("Händelse nummer %d.", i)}}
	}
	if _, err := env.Config.Reports.ImportReports(trygg.NewOperatorContext(context.Background()), "polisen", rows); err != nil {
		t.Fatal(err)
	}
}

func TestPublicPages(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	summer := time.Date(2026, 7, 10, 12, 0, 0, 0, time.UTC) // tertial 2 2026
	importCategory(t, env, "alidhem", "klotter", summer, 3)
	importCategory(t, env, "alidhem", "vald", summer, 7)
	importCategory(t, env, "haga", "inbrott", summer, 2)
	// Six of Ordning och stök, every day of week 24 (Sunday 14 June back).
	importCategory(t, env, "alidhem", "alkohol", time.Date(2026, 6, 14, 12, 0, 0, 0, time.UTC), 6)
	c := env.anonymous(t)

	resp := c.get("/offentlig")
	wantStatus(t, resp, http.StatusOK)
	checkPage(t, resp.Body)
	wantContains(t, resp.Body, `<option value="alidhem">Ålidhem</option>`, `<option value="2026/2" selected>tertial 2 2026 (maj–augusti)</option>`)
	resp = c.get("/offentlig?omrade=alidhem&tertial=2026%2F2")
	wantStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/offentlig/alidhem/2026/2" {
		t.Errorf("the form sends the browser to %q", loc)
	}
	resp = c.get("/offentlig?omrade=&tertial=2026%2F3")
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	checkPage(t, resp.Body)
	wantContains(t, resp.Body, `href="#omrade"`, `href="#tertial"`, `id="omrade-fel"`)

	resp = c.get("/offentlig/alidhem/2026/2")
	wantStatus(t, resp, http.StatusOK)
	checkPage(t, resp.Body)
	wantContains(t, resp.Body,
		`<th scope="row">Skadegörelse och brand</th><td class="num suppressed">färre än 5</td>`,
		// The 7 of Hot och våld is withheld by the plan against the weeks:
		// 2 of them fall in week 27, whose count of the group is withheld,
		// and week 28's 5 is shown, so 7 less 5 would give the 2 back.
		`<th scope="row">Hot och våld</th><td class="num suppressed">färre än 5</td>`,
		`<th scope="row">Ordning och stök</th><td class="num">6</td>`,
		`<th scope="row">Egendomsbrott</th><td class="num">0</td>`, // haga's break-ins are not alidhem's
		"Skadegörelse och brand: färre än 5",                       // the chart's text alternative
		`aria-current="page">tertial 2 2026`)
	for _, leak := range []string{">10<", ">3<", ">7<", "Summa", "Totalt", "Händelse nummer", "Klotter"} {
		if strings.Contains(resp.Body, leak) {
			t.Errorf("public page shows %q", leak)
		}
	}

	for _, path := range []string{
		"/offentlig/alidhem/2026/3",   // the current tertial has not ended
		"/offentlig/alidhem/2026/4",   // no such tertial
		"/offentlig/alidhem/2023/2",   // older than shown
		"/offentlig/finnsinte/2026/2", // no such area
		"/offentlig/alidhem/tjugo/2",
	} {
		wantStatus(t, c.get(path), http.StatusNotFound)
	}
}
