package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "samordnare")
	for _, tc := range []struct {
		path   string
		status int
		cache  string
	}{
		{"/logga-in", http.StatusSeeOther, "no-store"},
		{"/rapporter", http.StatusOK, "no-store"},
		{"/tillganglighet", http.StatusOK, "no-store"},
		{"/finns-inte", http.StatusNotFound, "no-store"},
		{"/healthz", http.StatusOK, "no-store"},
		{"/static/style.css", http.StatusOK, "public, max-age=3600"},
		{"/static/app.js", http.StatusOK, "public, max-age=3600"},
		{"/static/", http.StatusNotFound, "no-store"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp := c.get(tc.path)
			wantStatus(t, resp, tc.status)
			h := resp.Header
			for name, want := range map[string]string{
				"Content-Security-Policy": contentSecurityPolicy,
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "same-origin",
				"X-Frame-Options":         "DENY",
				"Cache-Control":           tc.cache,
			} {
				if got := h.Get(name); got != want {
					t.Errorf("%s: %q, want %q", name, got, want)
				}
			}
			if !strings.Contains(h.Get("Permissions-Policy"), "geolocation=(self)") {
				t.Errorf("Permissions-Policy: %q", h.Get("Permissions-Policy"))
			}
			if h.Get("Strict-Transport-Security") != "" {
				t.Error("HSTS without TLS")
			}
		})
	}
	if !strings.Contains(contentSecurityPolicy, "script-src 'self';") || strings.Contains(contentSecurityPolicy, "unsafe-inline") {
		t.Error("the CSP must forbid inline script")
	}
}

func TestNotFoundPage(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	resp := env.anonymous(t).get("/finns-inte")
	wantStatus(t, resp, http.StatusNotFound)
	wantContains(t, resp.Body, "Sidan hittades inte", `<html lang="sv">`)
}

func TestPanicBecomesErrorPage(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	h := env.Server.observe(env.Server.guard(route{name: "boom", access: public, handler: func(http.ResponseWriter, *http.Request) {
		panic("hemlig detalj")
	}}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d", rec.Code)
	}
	body := rec.Body.String()
	wantContains(t, body, "Internt fel")
	for _, leak := range []string{"hemlig detalj", "goroutine", ".go:"} {
		if strings.Contains(body, leak) {
			t.Errorf("the error page shows %q", leak)
		}
	}
	if rec.Header().Get("Content-Security-Policy") == "" {
		t.Error("the error page lacks security headers")
	}
	wantContains(t, env.Logs.String(), `"msg":"panic"`, "hemlig detalj", `"route":"boom"`)
}

func TestInternalErrorIsLoggedNotShown(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/x", nil)
	env.Server.error(rec, req, errors.New("database exploded at row 7"))
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "exploded") {
		t.Fatalf("status %d, body %s", rec.Code, rec.Body)
	}
	wantContains(t, env.Logs.String(), "database exploded at row 7")
}

func TestHealthReadyAndMetrics(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.anonymous(t)
	wantStatus(t, c.get("/healthz"), http.StatusOK)
	wantStatus(t, c.get("/readyz"), http.StatusOK)
	env.ReadyErr = errors.New("database gone")
	wantStatus(t, c.get("/readyz"), http.StatusServiceUnavailable)
	wantStatus(t, c.get("/healthz"), http.StatusOK)

	m := c.get("/metrics")
	wantStatus(t, m, http.StatusOK)
	wantContains(t, m.Body,
		`trygg_http_requests_total{code="200",route="healthz"} 2`,
		`trygg_http_requests_total{code="503",route="readyz"} 1`,
		`trygg_http_request_duration_seconds_bucket{code="200",route="readyz"`,
		"trygg_reports_filed_total 0")
}

func TestClientIP(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		trust bool
		xff   string
		want  string
	}{
		{false, "203.0.113.9", "192.0.2.1"},
		{true, "203.0.113.9", "203.0.113.9"},
		{true, "198.51.100.7, 203.0.113.9", "203.0.113.9"}, // the proxy's own entry, not the client's claim
		{true, "garbage", "192.0.2.1"},
	} {
		s := &Server{cfg: Config{TrustProxy: tc.trust}}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = "192.0.2.1:5555"
		r.Header.Set("X-Forwarded-For", tc.xff)
		if got := s.clientIP(r); got != tc.want {
			t.Errorf("trust=%v xff=%q: %q, want %q", tc.trust, tc.xff, got, tc.want)
		}
	}
}
