package e2e

import (
	"context"
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
	ts := pageServer(t, pages, "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'")

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

// TestPageShapeSeesWhatAxeReads guards checkAxe's memory of passed pages:
// two renderings of one page state that differ only in text, numbers and
// form values have one shape, and a change that axe-core's rules read (an
// attribute, an element, text appearing where there was none, another
// width or scripts off) gives another.
func TestPageShapeSeesWhatAxeReads(t *testing.T) {
	t.Parallel()
	page := func(body string) string {
		return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Sida</title></head><body><main>` + body + `</main></body></html>`
	}
	pages := map[string]string{
		"/a":        page(`<h1>Rapport 12</h1><a href="/rapporter/12">Visa</a><input type="hidden" name="csrf" value="x1"><p class="n">4 rapporter</p>`),
		"/sametext": page(`<h1>Rapport 987</h1><a href="/rapporter/987">Öppna</a><input type="hidden" name="csrf" value="y2"><p class="n">11 rapporter</p>`),
		"/noalt":    page(`<h1>Rapport 12</h1><a href="/rapporter/12">Visa</a><input type="hidden" name="csrf" value="x1"><p class="n">4 rapporter</p><img src="/x.png">`),
		"/attr":     page(`<h1>Rapport 12</h1><a href="/rapporter/12" aria-hidden="true">Visa</a><input type="hidden" name="csrf" value="x1"><p class="n">4 rapporter</p>`),
		"/emptylnk": page(`<h1>Rapport 12</h1><a href="/rapporter/12"> </a><input type="hidden" name="csrf" value="x1"><p class="n">4 rapporter</p>`),
		"/colour":   page(`<h1>Rapport 12</h1><a href="/rapporter/12">Visa</a><input type="hidden" name="csrf" value="x1"><p class="n" style="color:#999">4 rapporter</p>`),
	}
	ts := pageServer(t, pages, "")

	browser := newBrowser(t)
	shapeOf := func(tab context.Context, path string) string {
		t.Helper()
		navigate(t, tab, ts.URL+path)
		return pageShape(t, tab)
	}
	tab := newTab(t, browser, phone)
	base := shapeOf(tab, "/a")
	if got := shapeOf(tab, "/sametext"); got != base {
		t.Error("a page that differs only in text, numbers and a form value has another shape")
	}
	for _, p := range []string{"/noalt", "/attr", "/emptylnk", "/colour"} {
		if shapeOf(tab, p) == base {
			t.Errorf("%s has the shape of /a, although axe-core reads the difference", p)
		}
	}
	if shapeOf(newTab(t, browser, desktop), "/a") == base {
		t.Error("the page on a desktop has the shape it has on a phone")
	}
	off := newTab(t, browser, phone)
	disableScripts(t, off)
	if shapeOf(off, "/a") == base {
		t.Error("the page without scripts has the shape it has with them")
	}
}

// pageServer serves the HTML pages by path, with the Content-Security-Policy
// csp when it is not empty, until the test ends.
func pageServer(t *testing.T, pages map[string]string, csp string) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if csp != "" {
			w.Header().Set("Content-Security-Policy", csp)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(body))
	}))
	t.Cleanup(ts.Close)
	return ts
}
