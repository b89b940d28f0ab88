package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
)

// Each form has a struct that keeps what the user typed, as typed, so that
// a form with errors comes back filled in, and a Validate method that turns
// it into domain input or a trygg.Validation error naming each field.

// saveForm answers the POST of a form page of its own ("Ny …", "Redigera
// …"), once the handler has read the form and found what it edits.
// validate is the form's Validate and save the service call. When both
// succeed the user is redirected to the saved object's page, pageOf(saved),
// with flash (303, so that a reload does not save twice). Otherwise show
// renders the form again, filled in as typed, with the error; it goes
// through renderForm, which decides which errors the form can show and
// which get the error page.
func saveForm[In, Out any](s *Server, w http.ResponseWriter, r *http.Request, validate func() (In, error),
	save func(context.Context, In) (Out, error), show func(error), pageOf func(Out) string, flash string) {
	in, err := validate()
	var saved Out
	if err == nil {
		saved, err = save(r.Context(), in)
	}
	if err != nil {
		show(err)
		return
	}
	s.redirectWithFlash(w, r, pageOf(saved), flash)
}

// answerPageForm answers the POST of a small form on an object's own page
// (an update on a commitment, an action's status, a meeting's minutes),
// given the error of saving it: with none the user is redirected to the
// page, to, with flash; a field error (EINVALID) shows the page again
// through show, next to what was typed; any other error gets the error
// page, since the object's page has no place for it.
func (s *Server) answerPageForm(w http.ResponseWriter, r *http.Request, err error, show func(error), to, flash string) {
	switch {
	case err == nil:
		s.redirectWithFlash(w, r, to, flash)
	case trygg.ErrorCode(err) == trygg.EINVALID:
		show(err)
	default:
		s.error(w, r, err)
	}
}

// datetimeLocal is the format of <input type="datetime-local">.
const datetimeLocal = "2006-01-02T15:04"

// parseLocalTime reads a datetime-local value (with or without seconds) as
// Swedish local time.
func parseLocalTime(s string, loc *time.Location) (time.Time, bool) {
	for _, layout := range []string{datetimeLocal, "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// reportForm is "Ny rapport" and "Redigera rapport". Field names are the
// JSON names that trygg.ReportInput.Validate uses, so its errors land on
// the right input.
type reportForm struct {
	OccurredAt  string
	OccurredEnd string
	Area        string
	Category    string
	PlaceType   string
	Severity    string
	Description string
	Lat, Lon    string
	// Version is the report version an edit form was filled from.
	Version string
}

func reportFormFromRequest(r *http.Request) reportForm {
	return reportForm{
		OccurredAt:  r.PostFormValue("occurred_at"),
		OccurredEnd: r.PostFormValue("occurred_end"),
		Area:        r.PostFormValue("area"),
		Category:    r.PostFormValue("category"),
		PlaceType:   r.PostFormValue("place_type"),
		Severity:    r.PostFormValue("severity"),
		Description: r.PostFormValue("description"),
		Lat:         r.PostFormValue("lat"),
		Lon:         r.PostFormValue("lon"),
		Version:     r.PostFormValue("version"),
	}
}

func reportFormFromReport(rep *trygg.Report, loc *time.Location) reportForm {
	f := reportForm{
		OccurredAt:  rep.OccurredAt.In(loc).Format(datetimeLocal),
		Area:        rep.AreaCode,
		Category:    rep.Category,
		PlaceType:   rep.PlaceType,
		Severity:    strconv.Itoa(rep.Severity),
		Description: rep.Description,
		Version:     strconv.Itoa(rep.Version),
	}
	if rep.OccurredEnd != nil {
		f.OccurredEnd = rep.OccurredEnd.In(loc).Format(datetimeLocal)
	}
	if rep.Location != nil {
		f.Lat = strconv.FormatFloat(rep.Location.Lat, 'f', -1, 64)
		f.Lon = strconv.FormatFloat(rep.Location.Lon, 'f', -1, 64)
	}
	return f
}

// Validate parses the form into a ReportInput checked with
// ReportInput.Validate. When no area was chosen but a position was given,
// the area is the one whose outline holds the position.
func (f *reportForm) Validate(now time.Time, loc *time.Location, areas []*trygg.Area) (trygg.ReportInput, error) {
	var v trygg.Validation
	in := trygg.ReportInput{
		AreaCode:    f.Area,
		Category:    f.Category,
		PlaceType:   f.PlaceType,
		Description: f.Description,
	}
	if s := strings.TrimSpace(f.Version); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			v.Add("version", "Formuläret är skadat: versionsnumret saknas. Öppna rapporten och redigera den igen.")
		}
		in.BaseVersion = n
	}
	if s := strings.TrimSpace(f.OccurredAt); s != "" {
		if t, ok := parseLocalTime(s, loc); ok {
			in.OccurredAt = t
		} else {
			v.Add("occurred_at", "Tidpunkten ska skrivas som ÅÅÅÅ-MM-DD TT:MM, till exempel 2025-03-14T21:30.")
		}
	}
	if s := strings.TrimSpace(f.OccurredEnd); s != "" {
		if t, ok := parseLocalTime(s, loc); ok {
			in.OccurredEnd = &t
		} else {
			v.Add("occurred_end", "Sluttiden ska skrivas som ÅÅÅÅ-MM-DD TT:MM, till exempel 2025-03-14T23:00.")
		}
	}
	if s := strings.TrimSpace(f.Severity); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			v.Add("severity", "Välj allvarlighetsgrad 1, 2 eller 3.")
		}
		in.Severity = n
	}
	lat, lon := strings.TrimSpace(f.Lat), strings.TrimSpace(f.Lon)
	if lat != "" || lon != "" {
		la, err1 := strconv.ParseFloat(lat, 64)
		lo, err2 := strconv.ParseFloat(lon, 64)
		if err1 != nil || err2 != nil {
			v.Add("location", "Positionen kunde inte läsas. Välj område i listan i stället.")
		} else {
			in.Location = &trygg.Point{Lat: la, Lon: lo}
			if strings.TrimSpace(in.AreaCode) == "" {
				in.AreaCode = areaAt(areas, *in.Location)
			}
		}
	}
	if err := in.Validate(now); err != nil {
		for _, fe := range trygg.ErrorFields(err) {
			if !slices.ContainsFunc(v.Fields, func(p trygg.FieldError) bool { return p.Field == fe.Field }) {
				v.Fields = append(v.Fields, fe)
			}
		}
	}
	if in.AreaCode == "" && in.Location != nil {
		for i := range v.Fields {
			if v.Fields[i].Field == "area" {
				v.Fields[i].Message = "Din position ligger utanför kommunens områden. Välj ett område i listan."
			}
		}
	}
	return in, v.Err()
}

// The admin forms below only parse; the services check the values (names,
// codes, e-mail, password rules) and name the fields in their errors, which
// use the same names as the inputs.

// userForm creates or edits an account.
type userForm struct {
	Email    string
	Name     string
	Org      string
	Roles    []string
	Password string
}

func userFormFromRequest(r *http.Request) userForm {
	return userForm{
		Email:    strings.TrimSpace(r.PostFormValue("email")),
		Name:     strings.TrimSpace(r.PostFormValue("name")),
		Org:      r.PostFormValue("org"),
		Roles:    r.PostForm["roles"],
		Password: r.PostFormValue("password"),
	}
}

// HasRole is for the role checkboxes.
func (f userForm) HasRole(r trygg.Role) bool { return slices.Contains(f.Roles, string(r)) }

func (f userForm) roles() []trygg.Role {
	rs := make([]trygg.Role, len(f.Roles))
	for i, r := range f.Roles {
		rs[i] = trygg.Role(r)
	}
	return rs
}

// orgForm creates or edits an organisation.
type orgForm struct {
	Code string
	Name string
	Type string
}

func orgFormFromRequest(r *http.Request) orgForm {
	return orgForm{
		Code: strings.TrimSpace(r.PostFormValue("code")),
		Name: strings.TrimSpace(r.PostFormValue("name")),
		Type: r.PostFormValue("type"),
	}
}

// areaForm edits an area's name and population; the outline comes from
// the GeoJSON import.
type areaForm struct {
	Name       string
	Population string
}

// Validate returns the population.
func (f *areaForm) Validate() (int, error) {
	var v trygg.Validation
	pop, err := strconv.Atoi(strings.TrimSpace(f.Population))
	if err != nil || pop < 0 {
		v.Add("population", "Befolkningen ska vara ett heltal, 0 eller större.")
	}
	return pop, v.Err()
}

// categoryForm creates or edits a category.
type categoryForm struct {
	Code      string
	Name      string
	Group     string
	SortOrder string
	Archived  bool
}

func categoryFormFromRequest(r *http.Request) categoryForm {
	return categoryForm{
		Code:      strings.TrimSpace(r.PostFormValue("code")),
		Name:      strings.TrimSpace(r.PostFormValue("name")),
		Group:     strings.TrimSpace(r.PostFormValue("group")),
		SortOrder: strings.TrimSpace(r.PostFormValue("sort_order")),
		Archived:  r.PostFormValue("archived") == "1",
	}
}

// Validate returns the sort order; empty means 0.
func (f *categoryForm) Validate() (int, error) {
	var v trygg.Validation
	if f.SortOrder == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(f.SortOrder)
	if err != nil {
		v.Add("sort_order", "Sorteringen ska vara ett heltal, till exempel 100.")
	}
	return n, v.Err()
}
