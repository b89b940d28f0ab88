package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func sessionCookieOf(t *testing.T, resp response, name string) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: resp.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no %s cookie set", name)
	return nil
}

func TestSignInAndOut(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.anonymous(t)

	resp := c.get("/rapporter/ny")
	wantStatus(t, resp, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/logga-in?next=%2Frapporter%2Fny" {
		t.Errorf("redirect to %q", got)
	}

	resp = c.post("/logga-in", url.Values{"email": {"rapportor@example.se"}, "password": {"fel-lösenord-här"}, "next": {"/rapporter/ny"}})
	wantStatus(t, resp, http.StatusUnauthorized)
	wantContains(t, resp.Body, `class="error-summary"`, `value="rapportor@example.se"`)

	resp = c.post("/logga-in", url.Values{"email": {"rapportor@example.se"}, "password": {testPassword}, "next": {"/rapporter/ny"}})
	wantStatus(t, resp, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/rapporter/ny" {
		t.Errorf("after sign-in, redirect to %q", got)
	}
	cookie := sessionCookieOf(t, resp, "trygg_session")
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" || cookie.Secure {
		t.Errorf("cookie flags: %+v", cookie)
	}
	wantStatus(t, c.get("/rapporter/ny"), http.StatusOK)

	c.refreshCSRF()
	resp = c.post("/logga-ut", url.Values{})
	wantStatus(t, resp, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/logga-in" {
		t.Errorf("after sign-out, redirect to %q", got)
	}
	wantContains(t, c.follow(resp).Body, "Du är utloggad.")

	// The old session token is dead even if a copy of the cookie is replayed.
	replay := env.anonymous(t)
	replay.http.Jar.SetCookies(mustURL(t, env.HTTP.URL), []*http.Cookie{{Name: "trygg_session", Value: cookie.Value}})
	wantStatus(t, replay.get("/rapporter/ny"), http.StatusSeeOther)
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSignInRotatesSession(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "rapportor")
	u := mustURL(t, env.HTTP.URL)
	old := c.http.Jar.Cookies(u)[0].Value

	resp := c.post("/logga-in", url.Values{"email": {"samordnare@example.se"}, "password": {testPassword}})
	wantStatus(t, resp, http.StatusSeeOther)
	fresh := sessionCookieOf(t, resp, "trygg_session").Value
	if fresh == old {
		t.Fatal("sign-in kept the old session token")
	}
	replay := env.anonymous(t)
	replay.http.Jar.SetCookies(u, []*http.Cookie{{Name: "trygg_session", Value: old}})
	wantStatus(t, replay.get("/rapporter/ny"), http.StatusSeeOther)
	wantStatus(t, c.get("/rapporter"), http.StatusOK) // samordnare now
}

func TestSignInOnlyRedirectsLocally(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		c := env.anonymous(t)
		resp := c.post("/logga-in", url.Values{"email": {"rapportor@example.se"}, "password": {testPassword}, "next": {next}})
		wantStatus(t, resp, http.StatusSeeOther)
		if got := resp.Header.Get("Location"); got != "/" {
			t.Errorf("next=%q: redirect to %q", next, got)
		}
	}
}

func TestSecureCookiesAndHSTS(t *testing.T) {
	t.Parallel()
	env := newTestServer(t, func(c *Config) { c.SecureCookies, c.TrustProxy = true, true })
	c := env.anonymous(t)
	resp := c.post("/logga-in", url.Values{"email": {"rapportor@example.se"}, "password": {testPassword}})
	wantStatus(t, resp, http.StatusSeeOther)
	cookie := sessionCookieOf(t, resp, "__Host-trygg_session")
	if !cookie.Secure || !cookie.HttpOnly || cookie.Path != "/" || cookie.Domain != "" {
		t.Errorf("cookie flags: %+v", cookie)
	}
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS over plain HTTP")
	}
	req, _ := http.NewRequest(http.MethodGet, env.HTTP.URL+"/logga-in", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	if got := c.do(req).Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
		t.Errorf("HSTS behind a TLS proxy: %q", got)
	}
}

func TestSignInRateLimited(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.anonymous(t)
	var resp response
	for range 20 {
		resp = c.post("/logga-in", url.Values{"email": {"rapportor@example.se"}, "password": {"fel-lösenord-här"}})
		if resp.StatusCode == http.StatusTooManyRequests {
			break
		}
		wantStatus(t, resp, http.StatusUnauthorized)
	}
	wantStatus(t, resp, http.StatusTooManyRequests)
	wantContains(t, resp.Body, `class="error-summary"`)
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "rapportor")
	form := func() url.Values {
		return url.Values{"area": {"alidhem"}, "category": {"klotter"}, "place_type": {"skola"}, "severity": {"1"},
			"occurred_at": {"2026-11-20T10:00"}, "description": {"Klotter på väggen."}}
	}
	noToken := form()
	noToken.Set(csrfField, "")
	wantStatus(t, c.post("/rapporter/ny", noToken), http.StatusForbidden)
	wrong := form()
	wrong.Set(csrfField, strings.Repeat("A", len(c.csrf)))
	wantStatus(t, c.post("/rapporter/ny", wrong), http.StatusForbidden)

	// The right token from another site is refused too.
	req, _ := http.NewRequest(http.MethodPost, env.HTTP.URL+"/rapporter/ny", strings.NewReader(func() string {
		f := form()
		f.Set(csrfField, c.csrf)
		return f.Encode()
	}()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	wantStatus(t, c.do(req), http.StatusForbidden)

	// So is a cross-site sign-in.
	req, _ = http.NewRequest(http.MethodPost, env.HTTP.URL+"/logga-in",
		strings.NewReader(url.Values{"email": {"rapportor@example.se"}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	wantStatus(t, env.anonymous(t).do(req), http.StatusForbidden)

	wantStatus(t, c.post("/rapporter/ny", form()), http.StatusSeeOther)
}
