package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/trygg-est/trygg"
)

// TestReportOnPhone is the reporter's whole errand on a 360×740 touch
// screen, with JavaScript and without: sign in, file a report (first with a
// personnummer in the text, which must be refused with a clear error that
// keeps what was typed), find it in "Mina rapporter" and "Alla rapporter",
// edit it and see the history, and sign out. axe-core checks every page on
// the way, and no page may scroll sideways. It runs on SQLite, and with
// JavaScript also on PostgreSQL when TRYGG_TEST_POSTGRES is set (there
// without the page checks, which the SQLite run already made).
func TestReportOnPhone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		scripts  bool
		postgres bool
	}{
		{"med JavaScript", true, false},
		{"utan JavaScript", false, false},
		{"med JavaScript på PostgreSQL", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := serverOptions{Demo: true}
			if tc.postgres {
				opts.DB = postgresDB(t)
			}
			srv := startServer(t, opts)
			reporter := roleAccount(t, demoLogins(t, srv), trygg.RoleRapportor)
			tab := newTab(t, newBrowser(t), phone)
			if !tc.scripts {
				disableScripts(t, tab)
			}

			// The variant on PostgreSQL renders the same templates as the
			// one on SQLite with scripts: it is there for the database, so
			// the page checks (most of a variant's time) run only on SQLite.
			checkPage := func(what string) {
				t.Helper()
				if !tc.postgres {
					checkLoaded(t, tab, phone, what)
				}
			}

			signIn(t, tab, srv.URL, reporter)
			checkPage("startsidan efter inloggning")

			// Ny rapport: the time is filled in with now; everything else is
			// chosen with the thumb.
			if st := navigate(t, tab, srv.URL+"/rapporter/ny"); st != 200 {
				t.Fatalf("GET /rapporter/ny: status %d", st)
			}
			if got := scriptsRun(t, tab); got != tc.scripts {
				t.Fatalf("page scripts ran = %v, want %v", got, tc.scripts)
			}
			if v := valueOf(t, tab, "#occurred_at"); v == "" {
				t.Error("Ny rapport: the time is not filled in with now")
			}
			checkPage("Ny rapport")

			pnr := luhnPersonnummer("811218", "987")
			in := reportInput{
				Area: demoArea, Category: demoCategory, PlaceType: "kollektivtrafik", Severity: 2,
				Description: "Klotter på väntkuren vid hållplatsen, anmält av " + pnr + ".",
			}
			fillReport(t, tab, in, true, true)
			if st := saveReport(t, tab); st < 400 || st >= 500 {
				t.Errorf("a report with a personnummer answered status %d, want a 4xx error page", st)
			}
			// The error names the field and says why, in Swedish.
			summary := textOf(t, tab, "#felsammanfattning")
			fieldErr := textOf(t, tab, "#description-fel")
			for _, want := range []string{"Beskrivning", "personnummer"} {
				if !strings.Contains(summary, want) {
					t.Errorf("error summary does not say %q:\n%s", want, summary)
				}
				if !strings.Contains(fieldErr, want) {
					t.Errorf("the error at Beskrivning does not say %q: %q", want, fieldErr)
				}
			}
			if got := attrOf(t, tab, "#description", "aria-invalid"); got != "true" {
				t.Errorf("Beskrivning has aria-invalid=%q, want true", got)
			}
			// Nothing typed or chosen is lost.
			if got := valueOf(t, tab, "#description"); got != in.Description {
				t.Errorf("Beskrivning after the error = %q, want the text as typed %q", got, in.Description)
			}
			if got := valueOf(t, tab, "#area"); got != in.Area {
				t.Errorf("Område after the error = %q, want %q", got, in.Area)
			}
			if got := checked(t, tab, "category"); got != in.Category {
				t.Errorf("Kategori after the error = %q, want %q", got, in.Category)
			}
			checkPage("Ny rapport med fel")

			// Correct the text and save.
			in.Description = "Klotter på väntkuren vid hållplatsen, stora taggar i svart färg."
			do(t, tab,
				clearField("#description"),
				chromedp.SendKeys(chromedp.ID("description"), in.Description),
			)
			if st := saveReport(t, tab); st != 200 {
				t.Fatalf("saving the corrected report: status %d:\n%s", st, bodyText(t, tab))
			}
			id := currentReportID(t, tab)
			if got := textOf(t, tab, "dd.description"); got != in.Description {
				t.Errorf("the report's page shows the text %q, want %q", got, in.Description)
			}
			checkPage("rapportens sida")

			// It is in the reporter's own list and in the list of all
			// reports the reporter may see.
			for _, list := range []string{"/rapporter/mina", "/rapporter"} {
				if st := navigate(t, tab, srv.URL+list); st != 200 {
					t.Fatalf("GET %s: status %d", list, st)
				}
				if ids := listedReportIDs(t, tab); !slices.Contains(ids, id) {
					t.Errorf("%s does not list the new report %d on its first page: %v", list, id, ids)
				}
				checkPage(list)
			}

			// Edit it: the page keeps the earlier version as history.
			navigate(t, tab, srv.URL+"/rapporter/"+itoa(id))
			submitAndWait(t, tab, chromedp.Click(chromedp.CSS(`a[href$="/redigera"]`)))
			if got := valueOf(t, tab, "#description"); got != in.Description {
				t.Fatalf("the edit form holds %q, want the saved text %q", got, in.Description)
			}
			checkPage("Redigera rapport")
			first := in.Description
			in.Severity = 3
			in.Description = "Klotter på väntkuren och krossat glas i rutan."
			fillReport(t, tab, in, false, true)
			if st := saveReport(t, tab); st != 200 {
				t.Fatalf("saving the edit: status %d:\n%s", st, bodyText(t, tab))
			}
			if got := currentReportID(t, tab); got != id {
				t.Fatalf("after the edit the browser shows report %d, want %d", got, id)
			}
			if got := textOf(t, tab, "dd.description"); got != in.Description {
				t.Errorf("after the edit the report shows %q, want %q", got, in.Description)
			}
			history := textOf(t, tab, "ol.history")
			if !strings.Contains(history, "Version 1") || !strings.Contains(history, first) {
				t.Errorf("the history does not show version 1 with the first text %q:\n%s", first, history)
			}
			checkPage("rapportens sida med historik")

			// Sign out: the pages need a sign-in again.
			signOut(t, tab)
			navigate(t, tab, srv.URL+"/rapporter/mina")
			if p := pagePath(t, tab); !strings.HasPrefix(p, "/logga-in") {
				t.Errorf("after signing out, /rapporter/mina shows %s, want the sign-in page", p)
			}
		})
	}
}
