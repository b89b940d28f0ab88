package web

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
)

// feed GETs the Atom feed with token as the password of HTTP Basic ("" for
// none).
func (e *testEnv) feed(t *testing.T, token string) response {
	t.Helper()
	c := e.anonymous(t)
	req, err := http.NewRequest(http.MethodGet, e.HTTP.URL+"/veckorapporter.atom", nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.SetBasicAuth("flodeslasare", token)
	}
	return c.do(req)
}

// publishedWeek makes sure week 46 2026 has a published version, through
// the samordnare's form.
func publishedWeek(t *testing.T, env *testEnv) {
	t.Helper()
	op := trygg.NewOperatorContext(context.Background())
	if _, err := env.Config.WeeklyReports.FindWeeklyReport(op, trygg.ISOWeek{Year: 2026, Week: 46}, 0); err == nil {
		return
	}
	c := env.signIn(t, "samordnare")
	resp := c.post("/veckorapporter/2026/46", url.Values{"analysis": {"Första analysen."}, "action": {"publicera"}})
	wantStatus(t, resp, http.StatusSeeOther)
}

// A weekly report links its flagged increases to their reports for those
// who may open reports, in the draft and in a published version alike; a
// läsare reads the sentences only.
func TestWeeklyFlagLinks(t *testing.T) {
	env := newTestServer(t)
	addSurge(t, env)
	link := `href="/rapporter?fran=2026-11-16&amp;kategori=klotter&amp;omrade=haga&amp;till=2026-11-22"`
	sentence := "Haga — klotter: 9 rapporter vecka 47, förväntat högst 1 (EARS C2)"

	sam := env.signIn(t, "samordnare")
	draft := sam.get("/veckorapporter/2026/47")
	wantStatus(t, draft, http.StatusOK)
	wantContains(t, draft.Body, sentence, link)
	resp := sam.post("/veckorapporter/2026/47", url.Values{"analysis": {"Klotter i Haga."}, "action": {"publicera"}})
	wantStatus(t, resp, http.StatusSeeOther)
	wantContains(t, sam.get("/veckorapporter/2026/47/v1").Body, sentence, link)

	published := env.signIn(t, "lasare").get("/veckorapporter/2026/47/v1")
	wantStatus(t, published, http.StatusOK)
	wantContains(t, published.Body, sentence)
	if strings.Contains(published.Body, `href="/rapporter?`) {
		t.Error("the läsare gets links to reports")
	}
}

func TestWeeklyDraftPublishAndRead(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	sam := env.signIn(t, "samordnare")

	resp := sam.get("/veckorapporter/2026/47")
	wantStatus(t, resp, http.StatusOK)
	checkPage(t, resp.Body)
	wantContains(t, resp.Body, "Veckorapport vecka 47 2026 – utkast", `name="analysis"`, "Publicera veckan",
		`id="veckokarta-title"`, `id="veckoserie-title"`, "Rapporter per område")
	if strings.Contains(resp.Body, "Öppna åtgärder") {
		t.Error("the draft shows an empty section of open actions")
	}

	// A personnummer in the analysis: the form comes back with the text
	// and the error, nothing is stored.
	resp = sam.post("/veckorapporter/2026/47", url.Values{"analysis": {"Gäller 19121212-1212."}, "conclusions": {"Vandring."}, "action": {"publicera"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	checkPage(t, resp.Body)
	wantContains(t, resp.Body, `href="#analysis"`, "personuppgifter", ">Vandring.</textarea>", `aria-invalid="true"`)

	resp = sam.post("/veckorapporter/2026/47", url.Values{"analysis": {"Klotter ökar på Ålidhem."}, "conclusions": {"Vandring på torsdag."}, "action": {"spara"}})
	wantStatus(t, resp, http.StatusSeeOther)
	resp = sam.follow(resp)
	wantContains(t, resp.Body, "Utkastet är sparat.", ">Klotter ökar på Ålidhem.</textarea>")

	resp = sam.post("/veckorapporter/2026/47", url.Values{"analysis": {"Klotter ökar på Ålidhem."}, "conclusions": {"Vandring på torsdag."}, "action": {"publicera"}})
	wantStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/veckorapporter/2026/47/v1" {
		t.Fatalf("published to %q", loc)
	}
	resp = sam.follow(resp)
	wantContains(t, resp.Body, "Veckorapporten är publicerad.", "Version 1, publicerad", "Klotter ökar på Ålidhem.")

	wantContains(t, resp.Body, "Vecka 47 2026: 3 rapporter i urvalet.")

	// New reports in the week, a later edit and a second publishing leave
	// version 1 as it was; version 2 counts the new reports.
	importCategory(t, env, "haga", "vald", testNow.Add(-time.Hour), 4)
	sam.post("/veckorapporter/2026/47", url.Values{"analysis": {"Rättad analys."}, "action": {"publicera"}})
	lasare := env.signIn(t, "lasare")
	v1 := lasare.get("/veckorapporter/2026/47/v1")
	wantStatus(t, v1, http.StatusOK)
	checkPage(t, v1.Body)
	wantContains(t, v1.Body, "Klotter ökar på Ålidhem.", "Vandring på torsdag.", `href="/veckorapporter/2026/47/v1.pdf"`,
		"Vecka 47 2026: 3 rapporter i urvalet.")
	latest := lasare.get("/veckorapporter/2026/47")
	wantContains(t, latest.Body, "version 2", "Rättad analys.", "Vecka 47 2026: 7 rapporter i urvalet.")
	if strings.Contains(latest.Body, "Publicera veckan") || strings.Contains(latest.Body, `href="/rapporter?`) {
		t.Error("the läsare sees the publish button or links to reports")
	}

	pdfResp := lasare.get("/veckorapporter/2026/47/v1.pdf")
	wantStatus(t, pdfResp, http.StatusOK)
	if ct := pdfResp.Header.Get("Content-Type"); ct != "application/pdf" || !strings.HasPrefix(pdfResp.Body, "%PDF-") ||
		!strings.Contains(pdfResp.Body, "Veckorapport 2026-W47 version 1") {
		t.Errorf("PDF: %s, %.20q", ct, pdfResp.Body)
	}

	list := lasare.get("/veckorapporter")
	wantStatus(t, list, http.StatusOK)
	checkPage(t, list.Body)
	if i, j := strings.Index(list.Body, "/2026/47/v2\""), strings.Index(list.Body, "/2026/47/v1\""); i < 0 || j < i {
		t.Error("the list does not show version 2 before version 1")
	}
	if strings.Contains(list.Body, "Öppna veckan") {
		t.Error("the läsare sees the week picker")
	}

	for _, path := range []string{"/veckorapporter/2026/47/v3", "/veckorapporter/2026/47/v0", "/veckorapporter/2026/47/v01",
		"/veckorapporter/2026/47/x1", "/veckorapporter/2026/54", "/veckorapporter/2025/53/v1", "/veckorapporter/2026/48"} {
		wantStatus(t, lasare.get(path), http.StatusNotFound)
	}
}

func TestWeeklyWeekPicker(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	sam := env.signIn(t, "samordnare")
	for _, tc := range []struct {
		query, field string
	}{
		{"ar=1999&vecka=10", "ar"},
		{"ar=2025&vecka=53", "vecka"},
		{"ar=2026&vecka=", "vecka"},
		{"ar=tjugo&vecka=3", "ar"},
	} {
		resp := sam.get("/veckorapporter?" + tc.query)
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		wantContains(t, resp.Body, `href="#`+tc.field+`"`, `id="`+tc.field+`-fel"`)
	}
	resp := sam.get("/veckorapporter?ar=2026&vecka=53")
	wantStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/veckorapporter/2026/53" {
		t.Errorf("redirect to %q", loc)
	}
}

func TestWeeklyFeed(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	publishedWeek(t, env)

	resp := env.feed(t, env.apiToken(t, "lasare"))
	wantStatus(t, resp, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	var feed atomFeed
	if err := xml.Unmarshal([]byte(resp.Body), &feed); err != nil {
		t.Fatalf("feed: %v\n%s", err, resp.Body)
	}
	if len(feed.Entries) != 1 || feed.Entries[0].Title != "Veckorapport vecka 46 2026, version 1" ||
		!strings.HasSuffix(feed.Entries[0].ID, "/veckorapporter/2026/46/v1") || feed.Entries[0].Summary != "Första analysen." {
		t.Errorf("entries = %+v", feed.Entries)
	}

	// A bearer token and a browser session work too; no credentials get
	// a Basic challenge.
	c := env.anonymous(t)
	req, _ := http.NewRequest(http.MethodGet, env.HTTP.URL+"/veckorapporter.atom", nil)
	req.Header.Set("Authorization", "Bearer "+env.apiToken(t, "polis"))
	wantStatus(t, c.do(req), http.StatusOK)
	wantStatus(t, env.signIn(t, "admin").get("/veckorapporter.atom"), http.StatusOK)
	resp = env.feed(t, "")
	wantStatus(t, resp, http.StatusUnauthorized)
	if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic ") {
		t.Errorf("WWW-Authenticate %q", resp.Header.Get("WWW-Authenticate"))
	}
	wantStatus(t, env.feed(t, "trygg_fel"), http.StatusUnauthorized)
}

func TestSummarise(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("å", feedSummaryLength+5)
	for _, tc := range []struct{ in, want string }{
		{"", "inget"},
		{"Kort.", "Kort."},
		{long, strings.Repeat("å", feedSummaryLength-1) + "…"},
	} {
		if got := summarise(tc.in, "inget"); got != tc.want {
			t.Errorf("summarise(%.10q) = %.10q", tc.in, got)
		}
	}
}

// FuzzWeekForm feeds the week picker arbitrary values: it must never
// panic, must name only its own fields, and a week it accepts must exist.
func FuzzWeekForm(f *testing.F) {
	f.Add("2026", "47")
	f.Add(" 2026 ", "53")
	f.Add("2025", "53")
	f.Add("-1", "9999999999999999999")
	f.Fuzz(func(t *testing.T, year, week string) {
		w, err := parseWeekForm(year, week)
		if err != nil {
			for _, fe := range trygg.ErrorFields(err) {
				if (fe.Field != "ar" && fe.Field != "vecka") || fe.Message == "" {
					t.Fatalf("bad field error %+v", fe)
				}
			}
			return
		}
		if !w.Valid() || trygg.WeekOf(w.Monday()) != w {
			t.Fatalf("accepted %q %q as %+v, which does not exist", year, week, w)
		}
	})
}

// FuzzVersionSegment feeds arbitrary last segments of a version's URL: an
// accepted one must spell its version exactly.
func FuzzVersionSegment(f *testing.F) {
	for _, s := range []string{"v1", "v12.pdf", "v01", "v0", "v-1", "1", "v1.pdf.pdf", "V1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seg string) {
		n, isPDF, ok := parseVersion(seg)
		if !ok {
			return
		}
		want := "v" + strconv.Itoa(n)
		if isPDF {
			want += ".pdf"
		}
		if n < 1 || seg != want {
			t.Fatalf("parseVersion(%q) = %d, %v", seg, n, isPDF)
		}
	})
}

// TestWeeklyOpenActions shows the hook for the collaboration's actions: a
// snapshot that holds open actions shows them, in a section that reports
// without any leave out. The snapshot is otherwise empty, as the oldest
// one could be.
func TestWeeklyOpenActions(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	op := trygg.NewOperatorContext(context.Background())
	raw := `{"version":1,"open_actions":[{"title":"Trygghetsvandring vid torget","area":"Ålidhem","owner":"UmeBrå"}]}`
	if _, err := env.Config.WeeklyReports.PublishWeeklyReport(op, trygg.ISOWeek{Year: 2026, Week: 45}, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	resp := env.signIn(t, "polis").get("/veckorapporter/2026/45/v1")
	wantStatus(t, resp, http.StatusOK)
	checkPage(t, resp.Body)
	wantContains(t, resp.Body, "Öppna åtgärder", `<th scope="row">Trygghetsvandring vid torget</th><td>Ålidhem</td><td>UmeBrå</td>`,
		"Ingen analys skrevs för veckan.", "publicerad 2026-11-20 19:30 av Operatören")
	pdfResp := env.signIn(t, "polis").get("/veckorapporter/2026/45/v1.pdf")
	wantStatus(t, pdfResp, http.StatusOK)
}
