package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// view is what every page template gets: the common frame (user, menu,
// flash, errors) and the page's own Data.
type view struct {
	Title   string
	User    *trygg.User
	CSRF    string
	Flash   string
	Nav     string // the menu entry to mark as current
	Message string // the error shown at the top of the page or form
	Errors  []trygg.FieldError
	Contact string
	Demo    bool // a demo installation: every page says the data is fictional
	// Reception: the user's organisation receives a support service, so
	// the menu has its reception page (see receivesServices).
	Reception bool
	Operator  operator // who runs the site, in every page's footer
	Data      any
}

// operator is who runs the site and how the public reaches them.
type operator struct {
	Name, Contact string
	Href          string // mailto: for an e-mail address
}

// contactHref is the link to a contact: a web address as it is, anything
// else as an e-mail address.
func contactHref(contact string) string {
	if strings.HasPrefix(contact, "https://") || strings.HasPrefix(contact, "http://") {
		return contact
	}
	return "mailto:" + contact
}

// operator returns the configured operator, with its defaults.
func (s *Server) operator() operator {
	o := operator{Name: s.cfg.Operator, Contact: s.cfg.OperatorContact}
	if o.Name == "" {
		o.Name = "kommunen"
	}
	if o.Contact == "" {
		o.Contact = s.cfg.AccessibilityContact
	}
	if o.Contact != "" {
		o.Href = contactHref(o.Contact)
	}
	return o
}

// Menu entries by role; templates only test these flags.
func (v view) CanReport() bool   { return v.User.Has(reporterRoles...) }
func (v view) CanOverview() bool { return v.User.Has(overviewRoles...) }
func (v view) IsAdmin() bool     { return v.User.Has(adminRoles...) }
func (v view) CanWeekly() bool   { return v.User.Has(weeklyReaders...) }

// FieldError returns the message for one field, or "".
func (v view) FieldError(field string) string {
	for _, f := range v.Errors {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"localTime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(trygg.Stockholm).Format("2006-01-02 15:04")
		},
		"isoTime":       func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"severityLabel": trygg.SeverityLabel,
		"placeTypeName": func(code string) string {
			if p, ok := trygg.FindPlaceType(code); ok {
				return p.Name
			}
			return code
		},
		"placeTypes": func() []trygg.PlaceType { return trygg.PlaceTypes },
		"severities": func() []int { return []int{trygg.SeverityLow, trygg.SeverityMedium, trygg.SeverityHigh} },
		"roles":      func() []trygg.Role { return trygg.Roles },
		"orgTypes":   func() []trygg.OrgType { return trygg.OrgTypes },
		"hasRole":    func(u *trygg.User, r trygg.Role) bool { return u != nil && containsRole(u.Roles, r) },
		"dict":       dict,
		// The rule for publishing counts, for the texts that explain it.
		"withheldText":    disclose.WithheldText,
		"largestWithheld": disclose.LargestWithheld,
		"tooFew":          disclose.TooFew,
		// A time that may be missing (issue 13).
		"localTimeOf": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.In(trygg.Stockholm).Format("2006-01-02 15:04")
		},
	}
}

func containsRole(rs []trygg.Role, r trygg.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// pageTemplates returns the pages parsed by parseTemplates, parsing them
// the first time a server of the process asks: they depend on nothing but
// the embedded files, and html/template runs one template for many
// requests at once. Parsing is most of a server's start, and the tests
// start hundreds of servers.
var pageTemplates = sync.OnceValues(parseTemplates)

// parseTemplates parses the layout and partials (files starting with "_")
// together with each page, and renders each page once with empty data so
// that html/template's escaping errors surface now, not on a user's request.
func parseTemplates() (map[string]*template.Template, error) {
	base, err := template.New("").Funcs(templateFuncs()).Funcs(concernTemplateFuncs()).Funcs(leverantorTemplateFuncs()).Funcs(indicatorTemplateFuncs()).Funcs(sspfTemplateFuncs()).ParseFS(templateFS, "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		var te *template.Error
		if err := t.ExecuteTemplate(io.Discard, "layout", view{}); errors.As(err, &te) {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// render writes a page. It renders into a buffer first so that a template
// error becomes a clean 500 page instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	t, ok := s.pages[page]
	if !ok {
		s.error(w, r, fmt.Errorf("web: no template %q", page))
		return
	}
	v.User = trygg.UserFromContext(r.Context())
	if sess := sessionOf(r); sess != nil {
		v.CSRF = sess.CSRFToken
	}
	v.Contact = s.cfg.AccessibilityContact
	v.Demo = s.cfg.Demo
	v.Operator = s.operator()
	v.Reception = s.receivesServices(r)
	if v.Flash == "" {
		v.Flash = s.takeFlash(w, r)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		if page == "error" {
			s.logError(r, "render error page", err)
			http.Error(w, "Internt fel", http.StatusInternalServerError)
			return
		}
		s.error(w, r, fmt.Errorf("web: render %s: %w", page, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// renderForm renders a form page, plainly when err is nil, and otherwise
// again after err: with each field's message for EINVALID (422), the
// service's message for a refused sign-in or conflict, and the error page
// for anything else.
func (s *Server) renderForm(w http.ResponseWriter, r *http.Request, page string, v view, err error) {
	if err == nil {
		s.render(w, r, http.StatusOK, page, v)
		return
	}
	status := http.StatusUnprocessableEntity
	switch trygg.ErrorCode(err) {
	case trygg.EINVALID:
	case trygg.ECONFLICT:
		status = http.StatusConflict
	case trygg.EUNAUTHORIZED:
		status = http.StatusUnauthorized
	case trygg.ERATELIMIT:
		status = http.StatusTooManyRequests
	default:
		s.error(w, r, err)
		return
	}
	v.Message = trygg.ErrorMessage(err)
	v.Errors = trygg.ErrorFields(err)
	s.render(w, r, status, page, v)
}

// error answers with the page for err: its Swedish message and status for
// an application error, "Internt fel" (and a log line) for anything else.
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	switch trygg.ErrorCode(err) {
	case trygg.ENOTFOUND:
		s.notFound(w, r)
	case trygg.EINVALID:
		s.renderStatus(w, r, http.StatusBadRequest, "Felaktig uppgift", trygg.ErrorMessage(err))
	case trygg.ECONFLICT:
		s.renderStatus(w, r, http.StatusConflict, "Konflikt", trygg.ErrorMessage(err))
	case trygg.EUNAUTHORIZED:
		s.renderStatus(w, r, http.StatusUnauthorized, "Inte inloggad", trygg.ErrorMessage(err))
	case trygg.ERATELIMIT:
		s.renderStatus(w, r, http.StatusTooManyRequests, "För många försök", trygg.ErrorMessage(err))
	default:
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.renderStatus(w, r, http.StatusRequestEntityTooLarge, "För stor", "Det du skickade är för stort.")
			return
		}
		s.logError(r, "internal error", err)
		s.renderStatus(w, r, http.StatusInternalServerError, "Internt fel", "Något gick fel hos oss. Försök igen om en stund.")
	}
}

func (s *Server) logError(r *http.Request, msg string, err error) {
	s.log.LogAttrs(r.Context(), slog.LevelError, msg, slog.String("route", stateOf(r).route), slog.String("err", err.Error()))
}

type statusData struct {
	Status  int
	Heading string
}

func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, heading, message string) {
	s.render(w, r, status, "error", view{Title: heading, Message: message, Data: statusData{Status: status, Heading: heading}})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderStatus(w, r, http.StatusNotFound, "Sidan hittades inte", "Sidan finns inte, eller så har du inte behörighet att se den.")
}

// static serves the embedded CSS, script and icons. They hold no data, so
// unlike every other answer they may be cached.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	if fi, err := fs.Stat(staticFS, strings.TrimPrefix(path.Clean(r.URL.Path), "/")); err != nil || !fi.Mode().IsRegular() {
		s.notFound(w, r) // also no directory listings
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.FileServerFS(staticFS).ServeHTTP(w, r)
}

// dict builds the argument map for a partial template from key, value pairs.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
