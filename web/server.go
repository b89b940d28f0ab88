// Package web serves Trygg over HTTP: the Swedish, server-rendered pages and
// the JSON API under /api/v1. All routes are in one table (routes); login is
// required unless a route is marked public.
package web

import (
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"reflect"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/opendata"
	"github.com/trygg-est/trygg/reportio"
)

// Config holds everything the server needs; main builds it.
type Config struct {
	// Services must all be set (sqldb.NewServices builds them): NewServer
	// refuses a Config that lacks one, so that a forgotten service fails
	// at start and not on the first request that needs it. The other
	// fields are optional.
	app.Services
	Ready  func(*http.Request) error // nil when the database answers
	Logger *slog.Logger
	// Registry receives the server's metrics; /metrics serves what it
	// gathers, so it must also be a prometheus.Gatherer (a
	// *prometheus.Registry is both). Nil: a registry of its own.
	Registry prometheus.Registerer
	Clock    trygg.Clock
	// SecureCookies sets the Secure flag; true unless serving plain HTTP on
	// localhost. TLS (or X-Forwarded-Proto: https from a trusted proxy)
	// also adds HSTS.
	SecureCookies bool
	// TrustProxy makes the server believe X-Forwarded-For and
	// X-Forwarded-Proto. Set it only behind a reverse proxy that overwrites
	// them; otherwise any client could pick its own address for rate limits.
	TrustProxy bool
	// AccessibilityContact is the e-mail address on the accessibility
	// statement where people report accessibility problems.
	AccessibilityContact string
	// Demo shows "DEMO – fiktiva uppgifter" on every page.
	Demo bool
	// Operator names who runs this Trygg, for the public ("Umeå kommun");
	// OperatorContact is how the public reaches it, an e-mail or web
	// address. The footer of every page shows both. Empty: "Kommunen",
	// and AccessibilityContact.
	Operator        string
	OperatorContact string
}

// access says who may reach a route. Services check again; this is the
// first gate so that a forgotten check in a handler still fails closed.
type access int

const (
	signedIn   access = iota // default: any signed-in user
	public                   // explicit list: sign-in page, health, static files, accessibility statement
	apiToken                 // bearer token (JSON API)
	publicPage               // public, but shows the signed-in user's menu when there is a session
	feedToken                // a session, or an API token as bearer or Basic password (feed readers)
)

// route is one entry in the route table.
type route struct {
	pattern string // http.ServeMux pattern with method, e.g. "GET /rapporter/{id}"
	name    string // metric label, stable
	access  access
	handler http.HandlerFunc
	// roles, when set, limits a signedIn route to users holding one of
	// them; anyone else gets "not found", as for a forbidden object.
	roles []trygg.Role
	// maxBody caps the request body in bytes; 0 means defaultMaxBody.
	maxBody int64
}

// defaultMaxBody is plenty for any form but a file upload.
const defaultMaxBody = 1 << 20

// Server is the HTTP handler for the whole site.
type Server struct {
	cfg            Config
	log            *slog.Logger
	now            trygg.Clock
	handler        http.Handler
	pages          map[string]*template.Template
	metrics        *metrics
	metricsHandler http.Handler
	cop            *http.CrossOriginProtection
	publicPages    *publicStore[string, *cachedPage] // public pages as anonymous visitors get them
	publicTertials *publicStore[opendata.Tertial, *opendata.TertialTable]
}

// NewServer checks the configuration, parses the templates and builds the
// route table. It fails on a template error, so that a broken page is found
// at start and not by a user.
func NewServer(cfg Config) (*Server, error) {
	if err := checkServices(cfg.Services); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger, now: cfg.Clock, cop: http.NewCrossOriginProtection(), publicPages: newPublicStore[string, *cachedPage](),
		publicTertials: newPublicStore[opendata.Tertial, *opendata.TertialTable]()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.cfg.Ready == nil {
		s.cfg.Ready = func(*http.Request) error { return nil }
	}
	reg := cfg.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	g, ok := reg.(prometheus.Gatherer)
	if !ok {
		return nil, errors.New("web: Config.Registry must also be a prometheus.Gatherer")
	}
	s.metricsHandler = promhttp.HandlerFor(g, promhttp.HandlerOpts{})
	m, err := newMetrics(reg)
	if err != nil {
		return nil, fmt.Errorf("web: metrics: %w", err)
	}
	s.metrics = m
	if s.pages, err = pageTemplates(); err != nil {
		return nil, err
	}

	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern, s.guard(rt))
	}
	mux.Handle("/", s.guard(route{name: "not_found", access: publicPage, handler: s.notFound}))
	s.handler = s.observe(mux)
	return s, nil
}

// checkServices names the first service in svc that is nil. It looks at
// every field, so a service added to app.Services is required without
// a change here.
func checkServices(svc app.Services) error {
	v := reflect.ValueOf(svc)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			return fmt.Errorf("web: Services.%s is missing", v.Type().Field(i).Name)
		}
	}
	return nil
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Roles that may use the report pages and the overview.
var (
	reporterRoles = []trygg.Role{trygg.RoleSamordnare, trygg.RoleRapportor, trygg.RolePolis}
	overviewRoles = []trygg.Role{trygg.RoleSamordnare, trygg.RoleRapportor, trygg.RolePolis, trygg.RoleLasare}
	adminRoles    = []trygg.Role{trygg.RoleAdmin}
)

// routes is the one route table: every page and, from apiRoutes, the JSON API.
func (s *Server) routes() []route {
	rs := []route{
		{pattern: "GET /static/", name: "static", access: public, handler: s.static},
		{pattern: "GET /healthz", name: "healthz", access: public, handler: s.healthz},
		{pattern: "GET /readyz", name: "readyz", access: public, handler: s.readyz},
		// /metrics is public on purpose: the numbers are counts per route
		// and hold nothing about people or reports beyond a total.
		{pattern: "GET /metrics", name: "metrics", access: public, handler: s.serveMetrics},
		{pattern: "GET /tillganglighet", name: "accessibility", access: publicPage, handler: s.publicCache(s.accessibility)},
		{pattern: "GET /offentlig", name: "public_index", access: publicPage, handler: s.publicCache(s.publicIndex)},
		{pattern: "GET /offentlig/{area}/{year}/{tertial}", name: "public_area", access: publicPage, handler: s.publicCache(s.publicArea)},

		{pattern: "GET /logga-in", name: "signin_form", access: publicPage, handler: s.signInForm},
		{pattern: "POST /logga-in", name: "signin", access: publicPage, handler: s.signIn},
		{pattern: "POST /logga-ut", name: "signout", handler: s.signOut},
		{pattern: "GET /{$}", name: "home", access: publicPage, handler: s.home},
		{pattern: "GET /oversikt", name: "overview", roles: overviewRoles, handler: s.overview},
		{pattern: "GET /lagesbild", name: "lagesbild", roles: lagesbildRoles, handler: s.lagesbildPage},
		{pattern: "GET /lagesbild/omrade/{code}", name: "lagesbild_district", roles: lagesbildRoles, handler: s.districtPage},

		{pattern: "GET /rapporter/ny", name: "report_new", roles: reporterRoles, handler: s.newReportForm},
		{pattern: "POST /rapporter/ny", name: "report_create", roles: reporterRoles, handler: s.createReport},
		{pattern: "GET /rapporter", name: "reports", roles: reporterRoles, handler: s.reportList},
		{pattern: "GET /rapporter/mina", name: "reports_mine", roles: reporterRoles, handler: s.myReports},
		{pattern: "GET /rapporter/export.csv", name: "reports_csv", roles: reporterRoles, handler: s.export(reportio.CSV)},
		{pattern: "GET /rapporter/export.geojson", name: "reports_geojson", roles: reporterRoles, handler: s.export(reportio.GeoJSON)},
		{pattern: "GET /rapporter/{id}", name: "report", roles: reporterRoles, handler: s.reportDetail},
		{pattern: "GET /rapporter/{id}/redigera", name: "report_edit", roles: reporterRoles, handler: s.editReportForm},
		{pattern: "POST /rapporter/{id}/redigera", name: "report_update", roles: reporterRoles, handler: s.updateReport},
		{pattern: "POST /rapporter/{id}/radera", name: "report_delete", roles: reporterRoles, handler: s.deleteReport},

		{pattern: "GET /admin/anvandare", name: "admin_users", roles: adminRoles, handler: s.adminUsers},
		{pattern: "POST /admin/anvandare", name: "admin_user_create", roles: adminRoles, handler: s.adminCreateUser},
		{pattern: "GET /admin/anvandare/{id}", name: "admin_user", roles: adminRoles, handler: s.adminUserForm},
		{pattern: "POST /admin/anvandare/{id}", name: "admin_user_update", roles: adminRoles, handler: s.adminUpdateUser},
		{pattern: "POST /admin/anvandare/{id}/inaktivera", name: "admin_user_disable", roles: adminRoles, handler: s.adminDisableUser},
		{pattern: "GET /admin/organisationer", name: "admin_orgs", roles: adminRoles, handler: s.adminOrgs},
		{pattern: "POST /admin/organisationer", name: "admin_org_create", roles: adminRoles, handler: s.adminCreateOrg},
		{pattern: "GET /admin/organisationer/{code}", name: "admin_org", roles: adminRoles, handler: s.adminOrgForm},
		{pattern: "POST /admin/organisationer/{code}", name: "admin_org_update", roles: adminRoles, handler: s.adminUpdateOrg},
		{pattern: "GET /admin/omraden", name: "admin_areas", roles: adminRoles, handler: s.adminAreas},
		{pattern: "POST /admin/omraden/import", name: "admin_areas_import", roles: adminRoles, handler: s.adminImportAreas, maxBody: maxAreaUpload},
		{pattern: "GET /admin/omraden/{code}", name: "admin_area", roles: adminRoles, handler: s.adminAreaForm},
		{pattern: "POST /admin/omraden/{code}", name: "admin_area_update", roles: adminRoles, handler: s.adminUpdateArea},
		{pattern: "GET /admin/kategorier", name: "admin_categories", roles: adminRoles, handler: s.adminCategories},
		{pattern: "POST /admin/kategorier", name: "admin_category_create", roles: adminRoles, handler: s.adminCreateCategory},
		{pattern: "GET /admin/kategorier/{code}", name: "admin_category", roles: adminRoles, handler: s.adminCategoryForm},
		{pattern: "POST /admin/kategorier/{code}", name: "admin_category_update", roles: adminRoles, handler: s.adminUpdateCategory},
		{pattern: "GET /admin/stodverksamheter", name: "admin_services", roles: adminRoles, handler: s.adminServices},
		{pattern: "POST /admin/stodverksamheter/{code}", name: "admin_service_update", roles: adminRoles, handler: s.adminUpdateService},
	}
	rs = append(rs, s.weeklyRoutes()...)
	rs = append(rs, s.concernRoutes()...)
	rs = append(rs, s.operativRoutes()...)
	rs = append(rs, s.samverkanRoutes()...)
	rs = append(rs, s.actionRoutes()...)
	rs = append(rs, s.meetingRoutes()...)
	rs = append(rs, s.noticeRoutes()...)
	rs = append(rs, s.effectRoutes()...)
	rs = append(rs, s.planRoutes()...)
	rs = append(rs, s.publicSamverkanRoutes()...)
	rs = append(rs, s.leverantorRoutes()...)
	rs = append(rs, s.indicatorRoutes()...) // issue 17
	rs = append(rs, s.yearlyRoutes()...)    // issue 17
	rs = append(rs, s.frontRoutes()...)
	rs = append(rs, s.tipRoutes()...)
	rs = append(rs, s.open311Routes()...)
	rs = append(rs, s.sspfRoutes()...)
	rs = append(rs, s.nattvandringRoutes()...) // issue 15
	rs = append(rs, s.nattvandringSelfRoutes()...)
	return append(rs, s.apiRoutes()...)
}
