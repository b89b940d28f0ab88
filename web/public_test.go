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
		`<th scope="row">Hot och våld</th><td class="num">7</td>`,
		`<th scope="row">Egendomsbrott</th><td class="num">0</td>`, // haga's break-ins are not alidhem's
		"Skadegörelse och brand: färre än 5",                       // the chart's text alternative
		`aria-current="page">tertial 2 2026`)
	for _, leak := range []string{">10<", ">3<", "Summa", "Totalt", "Händelse nummer", "Klotter"} {
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

func TestTertials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		t        tertial
		from, to string
	}{
		{tertial{2026, 1}, "2026-01-01", "2026-04-30"},
		{tertial{2024, 1}, "2024-01-01", "2024-04-30"},
		{tertial{2026, 2}, "2026-05-01", "2026-08-31"},
		{tertial{2026, 3}, "2026-09-01", "2026-12-31"},
	} {
		if got := tc.t.From().String() + " " + tc.t.To().String(); got != tc.from+" "+tc.to {
			t.Errorf("%v spans %s, want %s %s", tc.t, got, tc.from, tc.to)
		}
	}
	got := endedTertials(trygg.DateDay(2026, time.May, 1), 4)
	want := []tertial{{2026, 1}, {2025, 3}, {2025, 2}, {2025, 1}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ended tertials on 1 May 2026 = %v, want %v", got, want)
	}
}
