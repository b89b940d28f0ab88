package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
)

// concretePath fills a route pattern's wildcards with fixture values.
func concretePath(env *testEnv, pattern string) string {
	_, path, _ := strings.Cut(pattern, " ")
	path = strings.TrimSuffix(path, "{$}")
	r := strings.NewReplacer(
		"/rapporter/{id}", fmt.Sprintf("/rapporter/%d", env.Reports[0].ID),
		"/admin/anvandare/{id}", fmt.Sprintf("/admin/anvandare/%d", env.Users["lasare"].ID),
		"/admin/organisationer/{code}", "/admin/organisationer/skolan",
		"/admin/omraden/{code}", "/admin/omraden/haga",
		"/admin/kategorier/{code}", "/admin/kategorier/klotter",
	)
	path = r.Replace(path)
	if path == "/static/" {
		path = "/static/style.css"
	}
	return path
}

// TestAccessMatrix tries every page route as every role and as an
// anonymous visitor. A route limited to some roles answers "not found" to
// everyone else; GET pages answer 200 to the roles they are for.
func TestAccessMatrix(t *testing.T) {
	env := newTestServer(t)
	who := []string{"", "samordnare", "rapportor", "rapportor2", "polis", "lasare", "socialtjanst", "admin"}
	clients := map[string]*testClient{"": env.anonymous(t)}
	for _, w := range who[1:] {
		clients[w] = env.signIn(t, w)
	}
	for _, rt := range env.Server.routes() {
		if rt.access == apiToken {
			continue
		}
		method, _, _ := strings.Cut(rt.pattern, " ")
		path := concretePath(env, rt.pattern)
		for _, w := range who {
			c := clients[w]
			var u *trygg.User
			if w != "" {
				u = env.Users[w]
			}
			allowed := rt.access == public || rt.access == publicPage || (u != nil && (len(rt.roles) == 0 || u.Has(rt.roles...)))
			t.Run(rt.name+"/"+w, func(t *testing.T) {
				if method == http.MethodPost && allowed && rt.access == signedIn {
					return // changes data; each is tested on its own
				}
				var resp response
				if method == http.MethodGet {
					resp = c.get(path)
				} else {
					resp = c.post(path, url.Values{})
				}
				switch {
				case !allowed && u == nil && method == http.MethodGet:
					wantStatus(t, resp, http.StatusSeeOther)
					if !strings.HasPrefix(resp.Header.Get("Location"), "/logga-in?next=") {
						t.Errorf("redirect to %q", resp.Header.Get("Location"))
					}
				case !allowed && u == nil:
					wantStatus(t, resp, http.StatusUnauthorized)
				case !allowed:
					wantStatus(t, resp, http.StatusNotFound)
				case method == http.MethodPost: // the sign-in form, empty
					wantStatus(t, resp, http.StatusUnprocessableEntity)
				default:
					want := http.StatusOK
					switch {
					case rt.name == "home" && w == "socialtjanst":
						want = http.StatusForbidden
					case rt.name == "home", rt.name == "signin_form" && u != nil:
						want = http.StatusSeeOther
					case strings.HasPrefix(rt.name, "report") && rt.name != "reports" && rt.name != "reports_mine" &&
						!strings.HasPrefix(rt.name, "reports_") && rt.name != "report_new" && u.OrgID != env.Users["rapportor"].OrgID &&
						!u.Has(trygg.RoleSamordnare):
						want = http.StatusNotFound // report 0 is skolan's
					}
					wantStatus(t, resp, want)
					if want == http.StatusOK && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
						checkPage(t, resp.Body)
					}
				}
			})
		}
	}
}

var (
	idAttr     = regexp.MustCompile(`\sid="([^"]+)"`)
	forAttr    = regexp.MustCompile(`\sfor="([^"]+)"`)
	controlTag = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	typeAttr   = regexp.MustCompile(`\stype="([^"]+)"`)
	inlineJS   = regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]|\son[a-z]+="`)
)

// checkPage checks what a browser-free test can of the accessibility and
// CSP rules: Swedish, a title, one h1, no inline style or script, unique
// ids, and a label for every control. axe-core in the end-to-end tests
// checks the rest.
func checkPage(t *testing.T, body string) {
	t.Helper()
	for _, want := range []string{`<html lang="sv">`, "<title>", `href="#innehall"`, `<main id="innehall"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(body, "<h1"); n != 1 {
		t.Errorf("page has %d h1", n)
	}
	if strings.Contains(body, " style=") || strings.Contains(body, "<style") {
		t.Error("page has inline style")
	}
	if inlineJS.MatchString(body) {
		t.Error("page has inline script")
	}
	ids := map[string]bool{}
	for _, m := range idAttr.FindAllStringSubmatch(body, -1) {
		if ids[m[1]] {
			t.Errorf("duplicate id %q", m[1])
		}
		ids[m[1]] = true
	}
	labelled := map[string]bool{}
	for _, m := range forAttr.FindAllStringSubmatch(body, -1) {
		labelled[m[1]] = true
	}
	for _, tag := range controlTag.FindAllString(body, -1) {
		typ := ""
		if m := typeAttr.FindStringSubmatch(tag); m != nil {
			typ = m[1]
		}
		if typ == "hidden" || typ == "radio" { // radios sit inside their label
			continue
		}
		m := idAttr.FindStringSubmatch(tag)
		if m == nil || !labelled[m[1]] {
			t.Errorf("control without a label: %s", tag)
		}
	}
	if slices.Contains([]string{"", "Trygg"}, between(body, "<title>", "</title>")) {
		t.Error("page has no title of its own")
	}
}

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	before, _, _ := strings.Cut(after, to)
	return before
}
