package web

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/reportio"
)

// openAPIDocument describes every route in apiRoutes; a test keeps the two
// in step.
//
//go:embed openapi.json
var openAPIDocument []byte

// maxAPIBody bounds a request body: a report is at most a few kilobytes.
const maxAPIBody = reportio.MaxReportJSONSize

// Page sizes for GET /api/v1/reports.
const (
	defaultAPIPageSize = 50
	maxAPIPageSize     = 1000
)

// apiRoutes returns the JSON API under /api/v1. Every route needs a bearer
// token except the OpenAPI document, which describes the API to anyone.
// The report routes are for the roles that see single reports; anyone else
// gets "not found", as the report pages answer.
func (s *Server) apiRoutes() []route {
	reports := func(h http.HandlerFunc) http.HandlerFunc { return s.apiRequireRoles(reporterRoles, h) }
	return []route{
		{pattern: "GET /api/v1/openapi.json", name: "api_openapi", access: public, handler: s.apiOpenAPI},
		{pattern: "GET /api/v1/reports", name: "api_reports_list", access: apiToken, handler: reports(s.apiListReports)},
		{pattern: "POST /api/v1/reports", name: "api_reports_create", access: apiToken, handler: reports(s.apiCreateReport), maxBody: maxAPIBody},
		{pattern: "GET /api/v1/reports/{id}", name: "api_report", access: apiToken, handler: reports(s.apiGetReport)},
		{pattern: "PUT /api/v1/reports/{id}", name: "api_report_update", access: apiToken, handler: reports(s.apiUpdateReport), maxBody: maxAPIBody},
		{pattern: "DELETE /api/v1/reports/{id}", name: "api_report_delete", access: apiToken, handler: reports(s.apiDeleteReport), maxBody: maxAPIBody},
		{pattern: "GET /api/v1/reports/{id}/history", name: "api_report_history", access: apiToken, handler: reports(s.apiReportHistory)},
		{pattern: "GET /api/v1/areas", name: "api_areas", access: apiToken, handler: s.apiListAreas},
		{pattern: "GET /api/v1/areas.geojson", name: "api_areas_geojson", access: apiToken, handler: s.apiAreasGeoJSON},
		{pattern: "GET /api/v1/categories", name: "api_categories", access: apiToken, handler: s.apiListCategories},
		{pattern: "GET /api/v1/place-types", name: "api_place_types", access: apiToken, handler: s.apiListPlaceTypes},
		{pattern: "GET /api/v1/organisations", name: "api_organisations", access: apiToken, handler: s.apiListOrganisations},
		// Indicators, imported and own, in one model (issue 17).
		{pattern: "GET /api/v1/indicators", name: "api_indicators", access: apiToken, handler: s.apiListIndicators},
		{pattern: "GET /api/v1/indicators/{code}", name: "api_indicator", access: apiToken, handler: s.apiIndicator},
		// The collaboration, with its pages' roles (issue 13): api_samverkan.go.
		{pattern: "GET /api/v1/actions", name: "api_actions", access: apiToken, handler: s.apiRequireRoles(samverkanReaders, s.apiListActions)},
		{pattern: "GET /api/v1/actions/{id}", name: "api_action", access: apiToken, handler: s.apiRequireRoles(samverkanReaders, s.apiGetAction)},
		{pattern: "GET /api/v1/agreements", name: "api_agreements", access: apiToken, handler: s.apiRequireRoles(samverkanReaders, s.apiListAgreements)},
		{pattern: "GET /api/v1/agreements/{id}", name: "api_agreement", access: apiToken, handler: s.apiRequireRoles(samverkanReaders, s.apiGetAgreement)},
		{pattern: "GET /api/v1/meetings", name: "api_meetings", access: apiToken, handler: s.apiRequireRoles(samverkanReaders, s.apiListMeetings)},
		{pattern: "GET /api/v1/meetings/{id}", name: "api_meeting", access: apiToken, handler: s.apiRequireRoles(samverkanReaders, s.apiGetMeeting)},
		{pattern: "GET /api/v1/operations/stats", name: "api_operation_stats", access: apiToken, handler: s.apiRequireRoles(operativStatsRoles, s.apiOperationStatsGet)},
		// Public, no token (issue 13): api_open.go.
		{pattern: "GET /api/v1/open/week", name: "open_week", access: public, handler: s.openAPI(s.openWeek)},
		{pattern: "GET /api/v1/open/week.geojson", name: "open_week_geojson", access: public, handler: s.openAPI(s.openWeekGeoJSON)},
		{pattern: "GET /api/v1/open/weekly-reports", name: "open_weekly_reports", access: public, handler: s.openAPI(s.openWeeklyReports)},
		{pattern: "GET /api/v1/open/weekly-reports/{week}", name: "open_weekly_report", access: public, handler: s.openAPI(s.openWeeklyReport)},
		{pattern: "GET /api/v1/open/promises", name: "open_promises", access: public, handler: s.openAPI(s.openPromises)},
		{pattern: "GET /api/v1/open/tips", name: "open_tips", access: public, handler: s.openAPI(s.openTips)},
		// Everything else under /api/, so that API clients get problems, not pages.
		{pattern: "/api/", name: "api_unknown", access: public, handler: s.apiUnknown},
	}
}

// apiUnknown answers a request that no API route takes: 405 with the
// allowed methods when the path exists, 404 otherwise.
func (s *Server) apiUnknown(w http.ResponseWriter, r *http.Request) {
	paths := http.NewServeMux()
	methods := map[string][]string{}
	for _, rt := range s.apiRoutes() {
		method, path, ok := strings.Cut(rt.pattern, " ")
		if !ok {
			continue
		}
		if methods[path] == nil {
			paths.HandleFunc(path, http.NotFound)
		}
		methods[path] = append(methods[path], method)
	}
	if _, path := paths.Handler(r); path != "" {
		allowed := methods[path]
		if slices.Contains(allowed, http.MethodGet) {
			allowed = append(allowed, http.MethodHead)
		}
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		s.writeProblem(w, r, problemMethod, trygg.Errorf(trygg.EINVALID, "Metoden %s finns inte för den här adressen. Tillåtna är %s.", r.Method, strings.Join(allowed, ", ")))
		return
	}
	s.apiError(w, r, trygg.Errorf(trygg.ENOTFOUND, "Det finns ingen sådan adress i API:t. Se /api/v1/openapi.json."))
}

// apiRequireRoles lets only callers holding one of roles reach h; the
// services check again.
func (s *Server) apiRequireRoles(roles []trygg.Role, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !trygg.UserFromContext(r.Context()).Has(roles...) {
			s.apiError(w, r, trygg.NotFound())
			return
		}
		h(w, r)
	}
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPIDocument)
}

// reportList is the answer of GET /api/v1/reports. NextCursor is null on the
// last page.
type reportList struct {
	Items      []*trygg.Report `json:"items"`
	NextCursor *string         `json:"next_cursor"`
	Total      int             `json:"total"`
}

func (s *Server) apiListReports(w http.ResponseWriter, r *http.Request) {
	f, err := s.parseAPIReportFilter(r.URL.Query())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	page, err := s.cfg.Reports.FindReports(r.Context(), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	list := reportList{Items: page.Reports, Total: page.Total}
	if list.Items == nil {
		list.Items = []*trygg.Report{}
	}
	if page.Next != "" {
		list.NextCursor = &page.Next
		q := r.URL.Query()
		q.Set("cursor", page.Next)
		next := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		w.Header().Set("Link", fmt.Sprintf("<%s>; rel=\"next\"", next.String()))
	}
	s.apiJSON(w, r, http.StatusOK, list)
}

// apiReportParams are the query parameters GET /api/v1/reports accepts; any
// other is refused so that a misspelt filter does not silently match all.
var apiReportParams = []string{"from", "to", "area", "category", "organisation", "organisation_type", "severity", "deleted", "cursor", "limit"}

// parseAPIReportFilter reads the filters of GET /api/v1/reports. List
// parameters may be repeated or comma-separated.
func (s *Server) parseAPIReportFilter(q url.Values) (trygg.ReportFilter, error) {
	var v trygg.Validation
	f := trygg.ReportFilter{Limit: defaultAPIPageSize}
	for _, name := range slices.Sorted(maps.Keys(q)) {
		if !slices.Contains(apiReportParams, name) {
			v.Add(name, "Okänd parameter. Tillåtna är %s.", strings.Join(apiReportParams, ", "))
		}
	}
	if p := q.Get("from"); p != "" {
		if t, ok := s.parseTimeBound(p, false); ok {
			f.From = &t
		} else {
			v.Add("from", "Ange från-tiden som RFC 3339 (2025-03-01T18:00:00+01:00) eller som datum (2025-03-01).")
		}
	}
	if p := q.Get("to"); p != "" {
		if t, ok := s.parseTimeBound(p, true); ok {
			f.To = &t
		} else {
			v.Add("to", "Ange till-tiden som RFC 3339 (2025-03-31T23:59:59+02:00) eller som datum (2025-03-31).")
		}
	}
	if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
		v.Add("to", "Till-tiden måste vara efter från-tiden.")
	}
	f.AreaCodes = listParam(q, "area")
	f.Categories = listParam(q, "category")
	f.OrgCodes = listParam(q, "organisation")
	for _, t := range listParam(q, "organisation_type") {
		if !trygg.OrgType(t).Valid() {
			v.Add("organisation_type", "Organisationstypen %q finns inte.", t)
			continue
		}
		f.OrgTypes = append(f.OrgTypes, trygg.OrgType(t))
	}
	for _, p := range listParam(q, "severity") {
		n, err := strconv.Atoi(p)
		if err != nil || n < trygg.SeverityLow || n > trygg.SeverityHigh {
			v.Add("severity", "Allvarlighetsgraden måste vara 1, 2 eller 3.")
			break
		}
		f.Severities = append(f.Severities, n)
	}
	if p := q.Get("deleted"); p != "" {
		b, err := strconv.ParseBool(p)
		if err != nil {
			v.Add("deleted", "Ange deleted som true eller false.")
		}
		f.Deleted = b
	}
	if p := q.Get("limit"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > maxAPIPageSize {
			v.Add("limit", "Ange limit som ett heltal från 1 till %d.", maxAPIPageSize)
		}
		f.Limit = n
	}
	f.Cursor = q.Get("cursor")
	return f, v.Err()
}

// parseTimeBound reads an RFC 3339 time or a date. A date is a whole day in
// Swedish time: as a lower bound it means the start of the day, as an
// (exclusive) upper bound the start of the next day, so that
// to=2025-03-31 includes the 31st.
func (s *Server) parseTimeBound(p string, upper bool) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, p); err == nil {
		return t.UTC(), true
	}
	d, err := time.ParseInLocation(time.DateOnly, p, trygg.Stockholm)
	if err != nil {
		return time.Time{}, false
	}
	if upper {
		d = d.AddDate(0, 0, 1)
	}
	return d.UTC(), true
}

// listParam returns the non-empty values of a repeatable parameter, each of
// which may also hold a comma-separated list.
func listParam(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		for part := range strings.SplitSeq(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

func (s *Server) apiCreateReport(w http.ResponseWriter, r *http.Request) {
	in, err := decodeAPIReport(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rep, err := s.cfg.Reports.CreateReport(r.Context(), in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.reportFiled()
	w.Header().Set("Location", fmt.Sprintf("/api/v1/reports/%d", rep.ID))
	setReportETag(w, rep)
	s.apiJSON(w, r, http.StatusCreated, rep)
}

func (s *Server) apiGetReport(w http.ResponseWriter, r *http.Request) {
	id, err := reportIDParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rep, err := s.cfg.Reports.FindReportByID(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	setReportETag(w, rep)
	s.apiJSON(w, r, http.StatusOK, rep)
}

// setReportETag names the report's version as its entity tag, which a
// client sends back in If-Match to update only what it has read.
func setReportETag(w http.ResponseWriter, rep *trygg.Report) {
	w.Header().Set("ETag", strconv.Quote(strconv.Itoa(rep.Version)))
}

// ifMatchVersions reads the If-Match header of PUT (RFC 9110): absent or
// "*" is no condition; otherwise a list of entity tags, of which the
// strong ones that name a version (exactly as ETag writes it, so "03" is
// not version 3) are returned. Weak tags never match for an update (strong
// comparison), so a list of only those is a condition that cannot hold.
// A header that is no list of entity tags is EINVALID naming it.
func ifMatchVersions(h string) (versions []int, conditional bool, err error) {
	h = strings.TrimSpace(h)
	if h == "" || h == "*" {
		return nil, false, nil
	}
	for h != "" {
		weak := strings.HasPrefix(h, "W/")
		rest := strings.TrimPrefix(h, "W/")
		end := strings.IndexByte(rest[min(1, len(rest)):], '"') + 1
		if !strings.HasPrefix(rest, `"`) || end == 0 {
			var v trygg.Validation
			v.Add("If-Match", "Ange rapportens ETag från GET, till exempel \"3\", eller *.")
			return nil, false, v.Err()
		}
		opaque := rest[1:end]
		if n, err := strconv.Atoi(opaque); !weak && err == nil && n > 0 && strconv.Itoa(n) == opaque {
			versions = append(versions, n)
		}
		h = strings.TrimLeft(rest[end+1:], " \t")
		if h != "" {
			if h[0] != ',' {
				var v trygg.Validation
				v.Add("If-Match", "Skilj flera ETag åt med kommatecken.")
				return nil, false, v.Err()
			}
			h = strings.TrimLeft(h[1:], " \t")
		}
	}
	return versions, true, nil
}

// baseVersion turns If-Match into the version an update must start from:
// 0 for none, the one version it names, or, when it names several, the
// report's current version if it is among them. ok is false when the
// condition cannot hold.
func (s *Server) baseVersion(r *http.Request, id int64) (version int, ok bool, err error) {
	versions, conditional, err := ifMatchVersions(r.Header.Get("If-Match"))
	switch {
	case err != nil || !conditional:
		return 0, true, err
	case len(versions) == 1:
		return versions[0], true, nil
	case len(versions) == 0:
		return 0, false, nil
	}
	rep, err := s.cfg.Reports.FindReportByID(r.Context(), id)
	if err != nil {
		return 0, false, err
	}
	return rep.Version, slices.Contains(versions, rep.Version), nil
}

func (s *Server) apiUpdateReport(w http.ResponseWriter, r *http.Request) {
	id, err := reportIDParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	in, err := decodeAPIReport(r)
	ok := true
	if err == nil {
		in.BaseVersion, ok, err = s.baseVersion(r, id)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var rep *trygg.Report
	if ok {
		rep, err = s.cfg.Reports.UpdateReport(r.Context(), id, in)
	} else {
		err = trygg.Errorf(trygg.ECONFLICT, "Ingen ETag i If-Match kan stämma med rapporten: ange rapportens ETag från GET, till exempel \"3\".")
	}
	switch {
	case err != nil && in.BaseVersion > 0 && trygg.ErrorCode(err) == trygg.ECONFLICT, !ok:
		// If-Match names no version the report has.
		s.writeProblem(w, r, problemPrecondition, err)
		return
	case err != nil:
		s.apiError(w, r, err)
		return
	}
	setReportETag(w, rep)
	s.apiJSON(w, r, http.StatusOK, rep)
}

// deleteRequest is the body of DELETE /api/v1/reports/{id}.
type deleteRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) apiDeleteReport(w http.ResponseWriter, r *http.Request) {
	id, err := reportIDParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	body, err := readAPIBody(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if !json.Valid(body) {
		s.apiError(w, r, trygg.Errorf(trygg.EINVALID, "Förfrågan är inte giltig JSON. Skicka {\"reason\": \"…\"}."))
		return
	}
	var req deleteRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var v trygg.Validation
		v.Add("reason", "Ange skälet till borttagningen som text i fältet reason, och inga andra fält.")
		s.apiError(w, r, v.Err())
		return
	}
	if err := s.cfg.Reports.DeleteReport(r.Context(), id, req.Reason); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiReportHistory(w http.ResponseWriter, r *http.Request) {
	id, err := reportIDParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	versions, err := s.cfg.Reports.FindReportHistory(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if versions == nil {
		versions = []*trygg.ReportVersion{}
	}
	s.apiJSON(w, r, http.StatusOK, versions)
}

// reportIDParam reads {id}. An id that is not a number names no report, so
// it answers "not found" like any other missing report.
func reportIDParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, trygg.NotFound()
	}
	return id, nil
}

// errBodyTooLarge answers a body over the route's maxBody with 413.
var errBodyTooLarge = trygg.Errorf(trygg.EINVALID, "Förfrågan är för stor: högst %d kB.", maxAPIBody>>10)

// readAPIBody reads a request body; the route's maxBody bounds it.
func readAPIBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, errBodyTooLarge
	} else if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	return body, nil
}

// decodeAPIReport reads the report body of POST and PUT.
func decodeAPIReport(r *http.Request) (trygg.ReportInput, error) {
	body, err := readAPIBody(r)
	if err != nil {
		return trygg.ReportInput{}, err
	}
	return reportio.DecodeReportJSON(bytes.NewReader(body))
}

// apiArea is an area in GET /api/v1/areas: the outline is left out, since it
// is large and GET /api/v1/areas.geojson serves it.
type apiArea struct {
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	Population  int       `json:"population"`
	Approximate bool      `json:"approximate"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func (s *Server) apiListAreas(w http.ResponseWriter, r *http.Request) {
	areas, err := s.cfg.Areas.FindAreas(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]apiArea, 0, len(areas))
	for _, a := range areas {
		out = append(out, apiArea{Code: a.Code, Name: a.Name, Population: a.Population, Approximate: a.Approximate, UpdatedAt: a.UpdatedAt})
	}
	s.apiJSON(w, r, http.StatusOK, out)
}

// GeoJSON (RFC 7946) types for GET /api/v1/areas.geojson.
type (
	areaFeatureCollection struct {
		Type     string        `json:"type"`
		Features []areaFeature `json:"features"`
	}
	areaFeature struct {
		Type       string          `json:"type"`
		ID         string          `json:"id"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties areaProperties  `json:"properties"`
	}
	areaProperties struct {
		Code        string `json:"code"`
		Name        string `json:"name"`
		Population  int    `json:"population"`
		Approximate bool   `json:"approximate"`
	}
)

func (s *Server) apiAreasGeoJSON(w http.ResponseWriter, r *http.Request) {
	areas, err := s.cfg.Areas.FindAreas(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	fc := areaFeatureCollection{Type: "FeatureCollection", Features: make([]areaFeature, 0, len(areas))}
	for _, a := range areas {
		geom := a.Geometry
		if len(geom) == 0 {
			geom = json.RawMessage("null") // RFC 7946 §3.2: a feature without a location
		}
		fc.Features = append(fc.Features, areaFeature{
			Type: "Feature", ID: a.Code, Geometry: geom,
			Properties: areaProperties{Code: a.Code, Name: a.Name, Population: a.Population, Approximate: a.Approximate},
		})
	}
	s.writeJSON(w, r, "application/geo+json", http.StatusOK, fc)
}

func (s *Server) apiListCategories(w http.ResponseWriter, r *http.Request) {
	archived := false
	if p := r.URL.Query().Get("archived"); p != "" {
		b, err := strconv.ParseBool(p)
		if err != nil {
			var v trygg.Validation
			v.Add("archived", "Ange archived som true eller false.")
			s.apiError(w, r, v.Err())
			return
		}
		archived = b
	}
	cats, err := s.cfg.Categories.FindCategories(r.Context(), archived)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if cats == nil {
		cats = []*trygg.Category{}
	}
	s.apiJSON(w, r, http.StatusOK, cats)
}

// apiListPlaceTypes lists the place types, which are fixed in code.
func (s *Server) apiListPlaceTypes(w http.ResponseWriter, r *http.Request) {
	s.apiJSON(w, r, http.StatusOK, trygg.PlaceTypes)
}

// apiOrganisation is an organisation in GET /api/v1/organisations; reports
// name organisations by code, so the internal ID is left out.
type apiOrganisation struct {
	Code string        `json:"code"`
	Name string        `json:"name"`
	Type trygg.OrgType `json:"type"`
}

func (s *Server) apiListOrganisations(w http.ResponseWriter, r *http.Request) {
	orgs, err := s.cfg.Organisations.FindOrganisations(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]apiOrganisation, 0, len(orgs))
	for _, o := range orgs {
		out = append(out, apiOrganisation{Code: o.Code, Name: o.Name, Type: o.Type})
	}
	s.apiJSON(w, r, http.StatusOK, out)
}

// apiJSON writes v as the JSON answer.
func (s *Server) apiJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	s.writeJSON(w, r, "application/json", status, v)
}

// writeJSON writes v with the given content type. API answers carry data
// chosen for one caller, so no cache may keep them.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, contentType string, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		s.apiError(w, r, fmt.Errorf("encode %T: %w", v, err))
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// problem is an RFC 9457 problem detail. Errors lists each invalid field.
type problem struct {
	Type     string             `json:"type"`
	Title    string             `json:"title"`
	Status   int                `json:"status"`
	Detail   string             `json:"detail"`
	Instance string             `json:"instance"`
	Errors   []trygg.FieldError `json:"errors,omitempty"`
}

// problemType is how one error code is answered.
type problemType struct {
	uri    string // a tag URI (RFC 4151): it names the kind of problem, it is not an address to fetch
	status int
	title  string
}

var problemTypes = map[string]problemType{
	trygg.EINVALID:      {"tag:trygg-est.github.io,2025:problem/invalid", http.StatusUnprocessableEntity, "Ogiltiga uppgifter"},
	trygg.ENOTFOUND:     {"tag:trygg-est.github.io,2025:problem/not-found", http.StatusNotFound, "Hittades inte"},
	trygg.ECONFLICT:     {"tag:trygg-est.github.io,2025:problem/conflict", http.StatusConflict, "Konflikt"},
	trygg.EUNAUTHORIZED: {"tag:trygg-est.github.io,2025:problem/unauthorized", http.StatusUnauthorized, "Inloggning krävs"},
	trygg.ERATELIMIT:    {"tag:trygg-est.github.io,2025:problem/rate-limited", http.StatusTooManyRequests, "För många anrop"},
	trygg.EINTERNAL:     {"tag:trygg-est.github.io,2025:problem/internal", http.StatusInternalServerError, "Internt fel"},
}

// Problems with the request as a whole. An EINVALID error that names no
// field (a body that is not a JSON object, for one) is a bad request (400);
// 422 is for a well-formed request with invalid fields, each named.
var (
	problemBadRequest = problemType{"tag:trygg-est.github.io,2025:problem/bad-request", http.StatusBadRequest, "Felaktig förfrågan"}
	problemTooLarge   = problemType{"tag:trygg-est.github.io,2025:problem/too-large", http.StatusRequestEntityTooLarge, "För stor förfrågan"}
	// problemPrecondition: If-Match named a version the report has left.
	problemPrecondition = problemType{"tag:trygg-est.github.io,2025:problem/precondition-failed", http.StatusPreconditionFailed, "Rapporten har ändrats"}
	problemMethod       = problemType{"tag:trygg-est.github.io,2025:problem/method-not-allowed", http.StatusMethodNotAllowed, "Metoden stöds inte"}
)

// apiError answers err as application/problem+json. Application errors show
// their Swedish message; any other error is logged and shown only as
// "Internt fel." so that no detail leaks.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	code := trygg.ErrorCode(err)
	pt, ok := problemTypes[code]
	switch {
	case !ok:
		pt = problemTypes[trygg.EINTERNAL]
	case errors.Is(err, errBodyTooLarge):
		pt = problemTooLarge
	case code == trygg.EINVALID && len(trygg.ErrorFields(err)) == 0:
		pt = problemBadRequest
	}
	s.writeProblem(w, r, pt, err)
}

// writeProblem writes err as a problem of type pt.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, pt problemType, err error) {
	p := problem{
		Type:     pt.uri,
		Title:    pt.title,
		Status:   pt.status,
		Detail:   trygg.ErrorMessage(err),
		Instance: r.URL.Path,
		Errors:   trygg.ErrorFields(err),
	}
	switch pt.status {
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="trygg"`)
	case http.StatusInternalServerError:
		p.Detail = "Internt fel."
		s.log.Error("api: internal error", "method", r.Method, "route", r.Pattern, "error", err)
	}
	body, _ := json.Marshal(p)
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_, _ = w.Write(append(body, '\n'))
}
