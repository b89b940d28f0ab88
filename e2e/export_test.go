package e2e

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
)

// TestExportIsTheFilteredList: the samordnare filters "Alla rapporter" by
// period, area and category, and the CSV and GeoJSON export links give
// exactly the reports the list shows across all its pages, no more, no
// fewer; with JavaScript and without.
func TestExportIsTheFilteredList(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverOptions{Demo: true})
	coordinator := roleAccount(t, demoLogins(t, srv), trygg.RoleSamordnare)
	browser := newBrowser(t)
	for _, scripts := range []bool{true, false} {
		name := "med JavaScript"
		if !scripts {
			name = "utan JavaScript"
		}
		t.Run(name, func(t *testing.T) {
			tab := newTab(t, browser, desktop)
			if !scripts {
				disableScripts(t, tab)
			}
			signIn(t, tab, srv.URL, coordinator)
			checkFilteredExport(t, tab, srv.URL)
		})
	}
}

func checkFilteredExport(t *testing.T, tab context.Context, base string) {

	navigate(t, tab, base+"/rapporter")
	unfiltered := listTotal(t, tab)
	// A year of one kind of incident in one district: several pages of the
	// demo data, far from all of it.
	now := time.Now()
	from, to := now.AddDate(-1, 0, 0).Format(time.DateOnly), now.Format(time.DateOnly)
	do(t, tab,
		chromedp.SetValue(chromedp.ID("fran"), from),
		chromedp.SetValue(chromedp.ID("till"), to),
		chromedp.SetValue(chromedp.ID("omrade"), demoArea),
		chromedp.SetValue(chromedp.ID("kategori"), "skadegorelse"),
	)
	submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`)))
	for field, want := range map[string]string{"#fran": from, "#till": to, "#omrade": demoArea, "#kategori": "skadegorelse"} {
		if got := valueOf(t, tab, field); got != want {
			t.Errorf("after filtering, %s shows %q, want %q", field, got, want)
		}
	}
	total := listTotal(t, tab)
	if total <= 50 || total >= unfiltered {
		t.Fatalf("the filter left %d of %d reports; the test wants more than one page (50) and fewer than all", total, unfiltered)
	}
	t.Logf("the filter leaves %d of %d reports", total, unfiltered)
	checkAxe(t, tab, "Alla rapporter, filtrerad")
	csvURL := base + attrOf(t, tab, `p.exports a[href*="csv"]`, "href")
	geoURL := base + attrOf(t, tab, `p.exports a[href*="geojson"]`, "href")

	// Walk every page of the list with its "Nästa" link.
	var listed []int64
	for page := 1; ; page++ {
		listed = append(listed, listedReportIDs(t, tab)...)
		if count(t, tab, `a[rel=next]`) == 0 {
			break
		}
		if page > total/10+1 {
			t.Fatalf("the list has more pages than %d reports fill", total)
		}
		submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`a[rel=next]`)))
		if got := listTotal(t, tab); got != total {
			t.Fatalf("page %d says %d reports, page 1 said %d", page+1, got, total)
		}
	}
	if len(listed) != total {
		t.Errorf("the pages list %d reports, the heading says %d", len(listed), total)
	}
	if dup := duplicates(listed); len(dup) > 0 {
		t.Errorf("reports listed on more than one page: %v", dup)
	}

	csvIDs := exportedCSVIDs(t, fetchExport(t, tab, csvURL, "text/csv"))
	geoIDs := exportedGeoJSONIDs(t, fetchExport(t, tab, geoURL, "application/geo+json"))
	for name, got := range map[string][]int64{"CSV": csvIDs, "GeoJSON": geoIDs} {
		if len(got) != total {
			t.Errorf("the %s export has %d reports, the list %d", name, len(got), total)
		}
		if missing, extra := setDiff(listed, got); len(missing)+len(extra) > 0 {
			t.Errorf("the %s export differs from the list: missing %v, not in the list %v", name, missing, extra)
		}
	}
}

// fetchExport downloads an export link as the signed-in browser would and
// returns the body, checking the status and content type.
func fetchExport(t *testing.T, tab context.Context, url, contentType string) []byte {
	t.Helper()
	resp := fetchAsBrowser(t, tab, url)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d: %.300s", url, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, contentType) {
		t.Errorf("GET %s: Content-Type %q, want %s", url, ct, contentType)
	}
	return body
}

func exportedCSVIDs(t *testing.T, body []byte) []int64 {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatalf("the CSV export does not parse: %v", err)
	}
	if len(rows) == 0 {
		t.Fatal("the CSV export is empty, not even a header")
	}
	col := slices.Index(rows[0], "id")
	if col < 0 {
		t.Fatalf("the CSV export has no id column: %v", rows[0])
	}
	var ids []int64
	for i, row := range rows[1:] {
		id, err := strconv.ParseInt(row[col], 10, 64)
		if err != nil {
			t.Fatalf("CSV row %d: id %q: %v", i+2, row[col], err)
		}
		ids = append(ids, id)
	}
	return ids
}

func exportedGeoJSONIDs(t *testing.T, body []byte) []int64 {
	t.Helper()
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type       string `json:"type"`
			Properties struct {
				ID int64 `json:"id"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatalf("the GeoJSON export does not parse: %v", err)
	}
	if fc.Type != "FeatureCollection" {
		t.Fatalf("the GeoJSON export is a %q, want a FeatureCollection", fc.Type)
	}
	var ids []int64
	for _, f := range fc.Features {
		if f.Type != "Feature" || f.Properties.ID <= 0 {
			t.Fatalf("the GeoJSON export holds a feature without a report id: %+v", f)
		}
		ids = append(ids, f.Properties.ID)
	}
	return ids
}

func duplicates(ids []int64) []int64 {
	seen := map[int64]bool{}
	var dup []int64
	for _, id := range ids {
		if seen[id] {
			dup = append(dup, id)
		}
		seen[id] = true
	}
	return dup
}

// setDiff returns the IDs of want missing from got, and those of got not
// in want.
func setDiff(want, got []int64) (missing, extra []int64) {
	inWant, inGot := map[int64]bool{}, map[int64]bool{}
	for _, id := range want {
		inWant[id] = true
	}
	for _, id := range got {
		inGot[id] = true
		if !inWant[id] {
			extra = append(extra, id)
		}
	}
	for _, id := range want {
		if !inGot[id] {
			missing = append(missing, id)
		}
	}
	return missing, extra
}
