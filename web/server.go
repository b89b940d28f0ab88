// Package web serves Trygg over HTTP: the Swedish, server-rendered pages and
// the JSON API under /api/v1. All routes are in one table (routes); login is
// required unless a route is marked public.
package web

import (
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/trygg-est/trygg"
)

// Config holds everything the server needs; main builds it.
type Config struct {
	Users         trygg.UserService
	Auth          trygg.AuthService
	Organisations trygg.OrganisationService
	Areas         trygg.AreaService
	Categories    trygg.CategoryService
	Reports       trygg.ReportService
	Audit         trygg.AuditService
	Ready         func(*http.Request) error // nil when the database answers
	Logger        *slog.Logger
	Registry      prometheus.Registerer
	Clock         trygg.Clock
	// SecureCookies sets the Secure flag; true unless serving plain HTTP on
	// localhost. TLS (or X-Forwarded-Proto: https from a trusted proxy)
	// also adds HSTS.
	SecureCookies bool
}

// access says who may reach a route. Services check again; this is the
// first gate so that a forgotten check in a handler still fails closed.
type access int

const (
	signedIn access = iota // default: any signed-in user
	public                 // explicit list: sign-in page, health, static files, accessibility statement
	apiToken               // bearer token (JSON API)
)

// route is one entry in the route table.
type route struct {
	pattern string // http.ServeMux pattern with method, e.g. "GET /rapporter/{id}"
	name    string // metric label, stable
	access  access
	handler http.HandlerFunc
}
