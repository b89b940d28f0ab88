package web

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/tips"
)

// Open311 GeoReport v2 at /open311/v2/: the public categories are its
// services, and its service requests are residents' tips in the same
// moderation queue as the form's (docs/open311.md). Every answer comes as
// JSON or XML after the extension of the last path segment.

func (s *Server) open311Routes() []route {
	return []route{
		{pattern: "GET /open311/v2/{resource}", name: "open311_list", access: public, handler: s.open311List},
		{pattern: "POST /open311/v2/{resource}", name: "open311_post", access: public, handler: s.open311Post},
		{pattern: "GET /open311/v2/services/{code}", name: "open311_service", access: public, handler: s.open311Service},
		{pattern: "GET /open311/v2/requests/{id}", name: "open311_request", access: public, handler: s.open311Request},
	}
}

// open311Format splits "requests.json" into "requests" and "json"; any
// other format is "".
func open311Format(segment string) (string, string) {
	name, ext, ok := strings.Cut(segment, ".")
	if !ok || (ext != "json" && ext != "xml") {
		return segment, ""
	}
	return name, ext
}

type open311Error struct {
	XMLName     xml.Name `json:"-" xml:"error"`
	Code        int      `json:"code" xml:"code"`
	Description string   `json:"description" xml:"description"`
}

type open311Errors struct {
	XMLName xml.Name       `xml:"errors"`
	Errors  []open311Error `xml:"error"`
}

// open311Write answers with v in the format, JSON or XML.
func open311Write(w http.ResponseWriter, format string, status int, v any, xmlv any) {
	var body []byte
	var err error
	if format == "xml" {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		body, err = xml.Marshal(xmlv)
		body = append([]byte(xml.Header), body...)
	} else {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		body, err = json.Marshal(v)
	}
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// open311Fail answers with the standard's error list: 400 for bad input,
// 403 for a missing or wrong api_key, 404 for an unknown service or
// request, 429 when the rate limit is reached, 500 otherwise.
func (s *Server) open311Fail(w http.ResponseWriter, r *http.Request, format string, err error) {
	status, msg := http.StatusInternalServerError, "Internal error."
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		status, msg = http.StatusBadRequest, "The request body is larger than 1 MB."
	case trygg.ErrorCode(err) == trygg.EINVALID:
		status, msg = http.StatusBadRequest, trygg.ErrorMessage(err)
		for _, f := range trygg.ErrorFields(err) {
			msg = open311Field(f.Field) + ": " + f.Message
			break
		}
	case trygg.ErrorCode(err) == trygg.EUNAUTHORIZED:
		status, msg = http.StatusForbidden, "Invalid api_key received -- can't proceed with create_request."
	case trygg.ErrorCode(err) == trygg.ENOTFOUND:
		status, msg = http.StatusNotFound, "Not found."
	case trygg.ErrorCode(err) == trygg.ERATELIMIT:
		status, msg = http.StatusTooManyRequests, trygg.ErrorMessage(err)
	default:
		s.logError(r, "open311", err)
	}
	if format == "" {
		format = "json"
	}
	e := open311Error{Code: status, Description: msg}
	open311Write(w, format, status, []open311Error{e}, open311Errors{Errors: []open311Error{e}})
}

// open311Field names a tip's field as the standard does.
func open311Field(field string) string {
	switch field {
	case "category":
		return "service_code"
	case "area", "location":
		return "lat/long"
	case "address":
		return "address_string"
	case "text":
		return "description"
	case "occurred_at":
		return "attribute[occurred_at]"
	}
	return field
}

var errUnknownFormat = trygg.Errorf(trygg.ENOTFOUND, "Unknown format: use .json or .xml.")

type open311Service struct {
	XMLName     xml.Name `json:"-" xml:"service"`
	ServiceCode string   `json:"service_code" xml:"service_code"`
	ServiceName string   `json:"service_name" xml:"service_name"`
	Description string   `json:"description" xml:"description"`
	Metadata    bool     `json:"metadata" xml:"metadata"`
	Type        string   `json:"type" xml:"type"`
	Keywords    string   `json:"keywords" xml:"keywords"`
	Group       string   `json:"group" xml:"group"`
}

type open311Services struct {
	XMLName  xml.Name         `xml:"services"`
	Services []open311Service `xml:"service"`
}

// open311List answers GET services.{fmt} and GET requests.{fmt}.
func (s *Server) open311List(w http.ResponseWriter, r *http.Request) {
	name, format := open311Format(r.PathValue("resource"))
	if format == "" {
		s.open311Fail(w, r, "json", errUnknownFormat)
		return
	}
	switch name {
	case "services":
		cats, err := s.cfg.Tips.PublicCategories(r.Context())
		if err != nil {
			s.open311Fail(w, r, format, err)
			return
		}
		list := make([]open311Service, 0, len(cats))
		for _, c := range cats {
			list = append(list, open311Service{ServiceCode: c.Code, ServiceName: c.Name, Description: c.Name + " (" + c.Group + ")",
				Metadata: true, Type: "batch", Keywords: strings.ToLower(c.Group), Group: c.Group})
		}
		open311Write(w, format, http.StatusOK, list, open311Services{Services: list})
	case "requests":
		s.open311Requests(w, r, format)
	default:
		s.open311Fail(w, r, format, trygg.NotFound())
	}
}

type open311Value struct {
	XMLName xml.Name `json:"-" xml:"value"`
	Key     string   `json:"key" xml:"key"`
	Name    string   `json:"name" xml:"name"`
}

type open311Attribute struct {
	XMLName             xml.Name       `json:"-" xml:"attribute"`
	Variable            bool           `json:"variable" xml:"variable"`
	Code                string         `json:"code" xml:"code"`
	Datatype            string         `json:"datatype" xml:"datatype"`
	Required            bool           `json:"required" xml:"required"`
	DatatypeDescription string         `json:"datatype_description" xml:"datatype_description"`
	Order               int            `json:"order" xml:"order"`
	Description         string         `json:"description" xml:"description"`
	Values              []open311Value `json:"values,omitempty" xml:"values>value,omitempty"`
}

type open311Definition struct {
	XMLName     xml.Name           `json:"-" xml:"service_definition"`
	ServiceCode string             `json:"service_code" xml:"service_code"`
	Attributes  []open311Attribute `json:"attributes" xml:"attributes>attribute"`
}

// occurredAttribute is the one attribute of every service: when it
// happened (the standard's requests have no such field).
const occurredAttribute = "occurred_at"

// open311Service answers GET services/{code}.{fmt}: the definition.
func (s *Server) open311Service(w http.ResponseWriter, r *http.Request) {
	code, format := open311Format(r.PathValue("code"))
	if format == "" {
		s.open311Fail(w, r, "json", errUnknownFormat)
		return
	}
	cats, err := s.cfg.Tips.PublicCategories(r.Context())
	if err != nil {
		s.open311Fail(w, r, format, err)
		return
	}
	for _, c := range cats {
		if c.Code == code {
			d := open311Definition{ServiceCode: c.Code, Attributes: []open311Attribute{{Variable: true, Code: occurredAttribute,
				Datatype: "datetime", DatatypeDescription: "W3C date and time, e.g. 2026-11-20T21:30:00+01:00; default: when the request is received.",
				Order: 1, Description: "När hände det? (When did it happen?)"}}}
			open311Write(w, format, http.StatusOK, d, d)
			return
		}
	}
	s.open311Fail(w, r, format, trygg.NotFound())
}

// open311Post is a decoded POST requests: only what a tip keeps. The
// standard's personal fields (email, device_id, account_id, first_name,
// last_name, phone) and media_url are read past and never stored.
type open311Post struct {
	APIKey      string
	ServiceCode string
	Location    *trygg.Point
	Address     string
	Description string
	OccurredAt  time.Time // zero: not given
	DeviceID    string    // for the rate limit only, hashed with the day's key
}

// decodeOpen311Post reads the form of POST requests. It checks the syntax
// (numbers, ranges, the date); the tip service checks the rest.
func decodeOpen311Post(form url.Values) (open311Post, error) {
	var v trygg.Validation
	p := open311Post{APIKey: form.Get("api_key"), ServiceCode: strings.TrimSpace(form.Get("service_code")),
		Address: form.Get("address_string"), Description: form.Get("description"), DeviceID: form.Get("device_id")}
	lat, long := strings.TrimSpace(form.Get("lat")), strings.TrimSpace(form.Get("long"))
	badPoint := false
	if lat != "" || long != "" {
		badPoint = true
		la, err1 := strconv.ParseFloat(lat, 64)
		lo, err2 := strconv.ParseFloat(long, 64)
		switch {
		case err1 != nil || err2 != nil:
			v.Add("location", "lat and long must both be decimal degrees (WGS 84).")
		case !(la >= -90 && la <= 90 && lo >= -180 && lo <= 180): // NaN too
			v.Add("location", "lat must be within ±90 and long within ±180.")
		default:
			p.Location, badPoint = &trygg.Point{Lat: la, Lon: lo}, false
		}
	}
	if p.Location == nil && strings.TrimSpace(p.Address) == "" && !badPoint {
		v.Add("location", "Give lat and long, or address_string.")
	}
	if at := strings.TrimSpace(form.Get("attribute[" + occurredAttribute + "]")); at != "" {
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			v.Add("occurred_at", "attribute[occurred_at] must be a W3C date and time, e.g. 2026-11-20T21:30:00+01:00.")
		}
		p.OccurredAt = t
	}
	return p, v.Err()
}

type open311Created struct {
	XMLName          xml.Name `json:"-" xml:"request"`
	ServiceRequestID string   `json:"service_request_id" xml:"service_request_id"`
	ServiceNotice    string   `json:"service_notice" xml:"service_notice"`
	AccountID        string   `json:"account_id" xml:"account_id"`
}

type open311Requests struct {
	XMLName  xml.Name `xml:"service_requests"`
	Requests any
}

// open311Post answers POST requests.{fmt}: a new tip.
func (s *Server) open311Post(w http.ResponseWriter, r *http.Request) {
	name, format := open311Format(r.PathValue("resource"))
	if format == "" || name != "requests" {
		s.open311Fail(w, r, format, errUnknownFormat)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.open311Fail(w, r, format, err)
		return
	}
	// The key first: without a valid one nothing else is looked at.
	client, err := s.cfg.Open311Keys.AuthenticateClient(r.Context(), r.PostForm.Get("api_key"))
	if err != nil {
		s.open311Fail(w, r, format, err)
		return
	}
	p, err := decodeOpen311Post(r.PostForm)
	if err != nil {
		s.open311Fail(w, r, format, err)
		return
	}
	in := tips.Input{Category: p.ServiceCode, Location: p.Location, Address: p.Address, Text: p.Description,
		OccurredAt: p.OccurredAt, Source: tips.SourceOpen311, ClientID: client.ID}
	if in.OccurredAt.IsZero() {
		in.OccurredAt = s.now()
	}
	if in.Location == nil {
		// An address alone must name its district.
		areas, err := s.cfg.Areas.FindAreas(r.Context())
		if err != nil {
			s.open311Fail(w, r, format, err)
			return
		}
		if in.AreaCode = areaNamed(areas, p.Address); in.AreaCode == "" {
			var v trygg.Validation
			v.Add("area", "address_string names no district of the municipality; give lat and long, or put the district's name in address_string.")
			s.open311Fail(w, r, format, v.Err())
			return
		}
	}
	// The sender, for the rate limit, is the application's user: its
	// device_id, or else the application's own address.
	sender := trygg.ClientFromContext(r.Context()).IP
	if p.DeviceID != "" {
		sender = "device:" + p.DeviceID
	}
	ctx := trygg.NewContextWithClient(r.Context(), trygg.Client{IP: "open311:" + strconv.FormatInt(client.ID, 10) + ":" + sender})
	tip, err := s.cfg.Tips.SubmitTip(ctx, in)
	if err != nil {
		s.open311Fail(w, r, format, err)
		return
	}
	c := open311Created{ServiceRequestID: tip.Ref, ServiceNotice: "Tipset granskas av kommunens trygghetssamordnare under kontorstid. Vid akut fara, ring 112."}
	list := []open311Created{c}
	open311Write(w, format, http.StatusCreated, list, open311Requests{Requests: list})
}

type open311Request struct {
	XMLName           xml.Name `json:"-" xml:"request"`
	ServiceRequestID  string   `json:"service_request_id" xml:"service_request_id"`
	Status            string   `json:"status" xml:"status"`
	StatusNotes       string   `json:"status_notes" xml:"status_notes"`
	ServiceName       string   `json:"service_name" xml:"service_name"`
	ServiceCode       string   `json:"service_code" xml:"service_code"`
	Description       string   `json:"description" xml:"description"`
	AgencyResponsible string   `json:"agency_responsible" xml:"agency_responsible"`
	ServiceNotice     string   `json:"service_notice" xml:"service_notice"`
	RequestedDatetime string   `json:"requested_datetime" xml:"requested_datetime"`
	UpdatedDatetime   string   `json:"updated_datetime" xml:"updated_datetime"`
	ExpectedDatetime  string   `json:"expected_datetime" xml:"expected_datetime"`
	Address           string   `json:"address" xml:"address"`
	AddressID         string   `json:"address_id" xml:"address_id"`
	Zipcode           string   `json:"zipcode" xml:"zipcode"`
	Lat               *float64 `json:"lat,omitempty" xml:"lat,omitempty"`
	Long              *float64 `json:"long,omitempty" xml:"long,omitempty"`
	MediaURL          string   `json:"media_url" xml:"media_url"`
}

// open311Of writes a tip's public status as a service request. The
// description is always empty: the resident's text is never published.
func (s *Server) open311Of(t *tips.PublicTip) open311Request {
	req := open311Request{ServiceRequestID: t.Ref, Status: "closed", StatusNotes: t.PublicReply, ServiceName: t.Category,
		ServiceCode: t.ServiceCode, AgencyResponsible: s.operator().Name, RequestedDatetime: t.ReceivedAt.In(trygg.Stockholm).Format(time.RFC3339),
		UpdatedDatetime: t.UpdatedAt.In(trygg.Stockholm).Format(time.RFC3339), Address: t.Address}
	if t.Status.Open() {
		req.Status = "open"
	}
	if t.Location != nil {
		lat, lon := t.Location.Lat, t.Location.Lon
		req.Lat, req.Long = &lat, &lon
	}
	return req
}

// open311Requests answers GET requests.{fmt} with the standard filters.
func (s *Server) open311Requests(w http.ResponseWriter, r *http.Request, format string) {
	q := r.URL.Query()
	var f tips.PublicFilter
	var v trygg.Validation
	if ids := strings.TrimSpace(q.Get("service_request_id")); ids != "" {
		f.Refs = strings.Split(ids, ",")
		if len(f.Refs) > 100 {
			v.Add("service_request_id", "At most 100 ids.")
		}
	}
	f.Category = q.Get("service_code")
	for _, st := range strings.Split(q.Get("status"), ",") {
		switch strings.TrimSpace(st) {
		case "":
		case "open":
			f.Status = append(f.Status, tips.StatusReceived, tips.StatusReviewed)
		case "closed":
			f.Status = append(f.Status, tips.StatusResolved, tips.StatusClosed)
		default:
			v.Add("status", "status must be open or closed.")
		}
	}
	for _, d := range []struct {
		name string
		to   *time.Time
	}{{"start_date", &f.From}, {"end_date", &f.To}} {
		if s := q.Get(d.name); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				v.Add(d.name, "%s must be a W3C date and time.", d.name)
			}
			*d.to = t
		}
	}
	if f.Refs == nil && f.From.IsZero() {
		f.From = s.now().AddDate(0, 0, -90) // the standard's default window
	}
	if err := v.Err(); err != nil {
		s.open311Fail(w, r, format, err)
		return
	}
	f.Limit = 1000
	list, err := s.cfg.Tips.FindPublicTips(r.Context(), f)
	if err != nil {
		s.open311Fail(w, r, format, err)
		return
	}
	out := make([]open311Request, 0, len(list))
	for _, t := range list {
		out = append(out, s.open311Of(t))
	}
	open311Write(w, format, http.StatusOK, out, open311Requests{Requests: out})
}

// open311Request answers GET requests/{id}.{fmt}.
func (s *Server) open311Request(w http.ResponseWriter, r *http.Request) {
	id, format := open311Format(r.PathValue("id"))
	if format == "" {
		s.open311Fail(w, r, "json", errUnknownFormat)
		return
	}
	t, err := s.cfg.Tips.FindTipStatus(r.Context(), id)
	if err != nil {
		s.open311Fail(w, r, format, err)
		return
	}
	out := []open311Request{s.open311Of(t)}
	open311Write(w, format, http.StatusOK, out, open311Requests{Requests: out})
}

// areaNamed returns the code of the district whose name address holds
// (case aside), the longest name when several do, or "".
func areaNamed(areas []*trygg.Area, address string) string {
	address = strings.ToLower(address)
	best := ""
	longest := 0
	for _, a := range areas {
		if n := strings.ToLower(a.Name); n != "" && strings.Contains(address, n) && len(n) > longest {
			best, longest = a.Code, len(n)
		}
	}
	return best
}
