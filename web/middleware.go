package web

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/trygg-est/trygg"
)

// requestState is what the outer middleware and the route guard share about
// one request: the route name for logs and metrics, and the session.
type requestState struct {
	route   string
	session *trygg.Session
}

type stateKey struct{}

func stateOf(r *http.Request) *requestState {
	if st, ok := r.Context().Value(stateKey{}).(*requestState); ok {
		return st
	}
	return &requestState{}
}

// sessionOf returns the browser session of the request, or nil.
func sessionOf(r *http.Request) *trygg.Session { return stateOf(r).session }

// recorder remembers the status so that it can be logged and counted, and
// whether anything was written so that a panic can still become a 500 page.
type recorder struct {
	http.ResponseWriter
	status int
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushing).
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// metrics are the server's Prometheus collectors.
type metrics struct {
	requests     *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	reportsFiled prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trygg_http_requests_total",
			Help: "HTTP requests by route name and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "trygg_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route name and status code.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "code"}),
		reportsFiled: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "trygg_reports_filed_total",
			Help: "Incident reports filed through the web pages or the API.",
		}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.latency, m.reportsFiled} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// reportFiled counts one report created through the pages or the API.
func (s *Server) reportFiled() { s.metrics.reportsFiled.Inc() }

// observe wraps every request: security headers, the client address, panic
// recovery, the request log and the metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		st := &requestState{route: "unknown"}
		ctx := context.WithValue(r.Context(), stateKey{}, st)
		ctx = trygg.NewContextWithClient(ctx, trygg.Client{IP: s.clientIP(r)})
		r = r.WithContext(ctx)
		rec := &recorder{ResponseWriter: w}
		s.securityHeaders(rec.Header(), r)

		defer func() {
			v := recover()
			if v == http.ErrAbortHandler {
				// A deliberately cut-off answer (a failed download):
				// counted and logged below, then passed on to net/http.
				defer panic(v)
			} else if v != nil {
				s.log.LogAttrs(ctx, slog.LevelError, "panic",
					slog.String("route", st.route), slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
				if rec.status == 0 {
					s.renderStatus(rec, r, http.StatusInternalServerError, "Internt fel", "Något gick fel hos oss. Försök igen om en stund.")
				}
			}
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			d := time.Since(start)
			code := strconv.Itoa(status)
			s.metrics.requests.WithLabelValues(st.route, code).Inc()
			s.metrics.latency.WithLabelValues(st.route, code).Observe(d.Seconds())
			// Never the URL's query, the form or anything a user typed.
			s.log.LogAttrs(ctx, slog.LevelInfo, "request",
				slog.String("method", r.Method), slog.String("route", st.route),
				slog.Int("status", status), slog.Float64("duration_ms", float64(d.Microseconds())/1000))
		}()
		next.ServeHTTP(rec, r)
	})
}

// contentSecurityPolicy allows no inline script or style at all: pages use
// only /static/app.js and /static/style.css.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func (s *Server) securityHeaders(h http.Header, r *http.Request) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
	// Every answer but a static file may hold data; static sets its own.
	h.Set("Cache-Control", "no-store")
	if s.overTLS(r) {
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
}

func (s *Server) overTLS(r *http.Request) bool {
	return r.TLS != nil || (s.cfg.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"))
}

// clientIP is the peer's address, or with TrustProxy the last address in
// X-Forwarded-For: the one our own proxy added, which a client cannot forge.
func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(ip) != nil {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// guard enforces a route's access rule before its handler runs: who the
// caller is, which roles may come in, and CSRF for every form post.
func (s *Server) guard(rt route) http.Handler {
	maxBody := rt.maxBody
	if maxBody == 0 {
		maxBody = defaultMaxBody
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := stateOf(r)
		st.route = rt.name
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		unsafe := r.Method != http.MethodGet && r.Method != http.MethodHead

		switch rt.access {
		case public:
		case apiToken:
			token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || token == "" {
				s.apiError(w, r, trygg.Errorf(trygg.EUNAUTHORIZED, "Ange en API-nyckel i Authorization: Bearer."))
				return
			}
			u, err := s.cfg.Auth.Authenticate(r.Context(), token)
			if err != nil {
				s.apiError(w, r, err)
				return
			}
			r = r.WithContext(trygg.NewContextWithUser(r.Context(), u))
		case publicPage:
			// The sign-in form has no session, so no session-bound token:
			// cross-site posts are stopped by CrossOriginProtection
			// (Sec-Fetch-Site / Origin, sent by every current browser) and
			// the SameSite=Lax cookie. A login CSRF could at worst sign a
			// victim into the attacker's account, which needs a cross-site
			// POST that these checks refuse.
			if unsafe && s.cop.Check(r) != nil {
				s.renderStatus(w, r, http.StatusForbidden, "Förbjudet", "Formuläret skickades från en annan webbplats och togs inte emot.")
				return
			}
			if sess := s.findSession(r); sess != nil {
				st.session = sess
				r = r.WithContext(trygg.NewContextWithUser(r.Context(), sess.User))
			}
		case feedToken: // GET only: no form to protect
			u := s.feedUser(r)
			if u == nil {
				s.feedUnauthorized(w, r)
				return
			}
			if len(rt.roles) > 0 && !u.Has(rt.roles...) {
				s.notFound(w, r)
				return
			}
			r = r.WithContext(trygg.NewContextWithUser(r.Context(), u))
		default: // signedIn
			sess := s.findSession(r)
			if sess == nil {
				if unsafe {
					s.renderStatus(w, r, http.StatusUnauthorized, "Inte inloggad", "Din inloggning har gått ut. Logga in igen.")
					return
				}
				http.Redirect(w, r, "/logga-in?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			st.session = sess
			r = r.WithContext(trygg.NewContextWithUser(r.Context(), sess.User))
			if unsafe && !s.validCSRF(r, sess) {
				s.renderStatus(w, r, http.StatusForbidden, "Förbjudet", "Formuläret kunde inte tas emot. Ladda om sidan och försök igen.")
				return
			}
			if len(rt.roles) > 0 && !sess.User.Has(rt.roles...) {
				s.notFound(w, r)
				return
			}
		}
		rt.handler(w, r)
		if unsafe && (rt.access == signedIn || rt.access == apiToken) {
			// A change by staff may change a public page: the next
			// visitor gets it fresh rather than within publicMaxAge.
			s.publicPages.clear()
			s.publicTertials.clear()
		}
	})
}

// validCSRF checks the origin and the form's session-bound token, in
// constant time.
func (s *Server) validCSRF(r *http.Request, sess *trygg.Session) bool {
	if s.cop.Check(r) != nil {
		return false
	}
	got := r.FormValue(csrfField)
	return sess.CSRFToken != "" && subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) == 1
}

// csrfField is the name of the hidden form field with the CSRF token.
const csrfField = "csrf"

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.cfg.Ready(r); err != nil {
		s.log.LogAttrs(r.Context(), slog.LevelWarn, "not ready", slog.String("err", err.Error()))
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("not ready\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	s.metricsHandler.ServeHTTP(w, r)
}
