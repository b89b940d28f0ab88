package e2e

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

// TestAxeCheckerFindsViolations guards the accessibility checks themselves:
// the vendored axe-core must load into a page, also with JavaScript off and
// under a strict CSP like Trygg's, pass a clean page and report a broken one.
func TestAxeCheckerFindsViolations(t *testing.T) {
	t.Parallel()
	pages := map[string]string{
		"/clean": `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Ren sida</title></head>
<body><main><h1>Ren sida</h1><form><label for="b">Beskrivning</label><textarea id="b" name="b"></textarea>
<button type="submit">Skicka</button></form></main></body></html>`,
		"/broken": `<!doctype html><html><head><meta charset="utf-8"><title>Trasig sida</title></head>
<body><main><h1>Trasig sida</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text" name="q"><p style="color:#bbb;background:#fff">Svag kontrast</p></main></body></html>`,
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(body))
	}))
	defer ts.Close()

	browser := newBrowser(t)
	for _, scripts := range []bool{true, false} {
		tab := newTab(t, browser, phone)
		if !scripts {
			disableScripts(t, tab)
		}
		navigate(t, tab, ts.URL+"/clean")
		if vs := axeViolations(t, tab); len(vs) > 0 {
			t.Errorf("scripts=%v: clean page has violations:\n%s", scripts, formatViolations(vs))
		}
		navigate(t, tab, ts.URL+"/broken")
		var ids []string
		for _, v := range axeViolations(t, tab) {
			ids = append(ids, v.ID)
		}
		for _, want := range []string{"html-has-lang", "image-alt", "label", "color-contrast"} {
			if !slices.Contains(ids, want) {
				t.Errorf("scripts=%v: broken page: axe-core did not report %q; got %v", scripts, want, ids)
			}
		}
	}
}
