package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/nattvandring"
)

// The night walks (issue 15, docs/nattvandring.md): the group leaders'
// pages, the samordnare's numbers, and the public page of published walks
// with its calendars. The service decides who sees names; these pages
// show what it returns.

// nightRoles may open the night walks' pages: the leaders, and the
// samordnare and admins, who see numbers.
var nightRoles = []trygg.Role{trygg.RoleNattvandrare, trygg.RoleSamordnare, trygg.RoleAdmin}

// CanNattvandring shows the menu entry.
func (v view) CanNattvandring() bool { return v.User.Has(nightRoles...) }

// nattvandringRoutes are the night walks' rows of the route table.
func (s *Server) nattvandringRoutes() []route {
	return []route{
		{pattern: "GET /nattvandring", name: "nattvandring", roles: nightRoles, handler: s.nightIndex},
		{pattern: "POST /nattvandring/grupper", name: "nattvandring_group_create", roles: nightRoles, handler: s.nightCreateGroup},
		{pattern: "GET /nattvandring/grupp/{id}", name: "nattvandring_group", roles: nightRoles, handler: s.nightGroup},
		{pattern: "POST /nattvandring/grupp/{id}", name: "nattvandring_group_update", roles: nightRoles, handler: s.nightUpdateGroup},
		{pattern: "POST /nattvandring/grupp/{id}/vandringar", name: "nattvandring_walk_create", roles: nightRoles, handler: s.nightScheduleWalk},
		{pattern: "GET /nattvandring/grupp/{id}/frivilliga", name: "nattvandring_volunteers", roles: nightRoles, handler: s.nightVolunteers},
		{pattern: "POST /nattvandring/grupp/{id}/frivilliga", name: "nattvandring_volunteer_create", roles: nightRoles, handler: s.nightCreateVolunteer},
		{pattern: "POST /nattvandring/frivillig/{id}/utbildning", name: "nattvandring_training_create", roles: nightRoles, handler: s.nightAddTraining},
		{pattern: "POST /nattvandring/frivillig/{id}/ta-bort", name: "nattvandring_volunteer_remove", roles: nightRoles, handler: s.nightRemoveVolunteer},
		{pattern: "GET /nattvandring/grupp/{id}/utrustning", name: "nattvandring_items", roles: nightRoles, handler: s.nightItems},
		{pattern: "POST /nattvandring/grupp/{id}/utrustning", name: "nattvandring_item_create", roles: nightRoles, handler: s.nightAddItem},
		{pattern: "POST /nattvandring/utrustning/{id}/lana-ut", name: "nattvandring_item_lend", roles: nightRoles, handler: s.nightLend},
		{pattern: "POST /nattvandring/utrustning/{id}/aterlamna", name: "nattvandring_item_return", roles: nightRoles, handler: s.nightReturn},
		{pattern: "POST /nattvandring/utrustning/{id}/skriv-av", name: "nattvandring_item_write_off", roles: nightRoles, handler: s.nightWriteOff},
		{pattern: "GET /nattvandring/vandring/{id}", name: "nattvandring_walk", roles: nightRoles, handler: s.nightWalk},
		{pattern: "POST /nattvandring/vandring/{id}/anmalan", name: "nattvandring_signup", roles: nightRoles, handler: s.nightSignUp},
		{pattern: "POST /nattvandring/vandring/{id}/avanmalan/{volunteer}", name: "nattvandring_signup_cancel", roles: nightRoles, handler: s.nightCancelSignUp},
		{pattern: "POST /nattvandring/vandring/{id}/bekrafta", name: "nattvandring_walk_confirm", roles: nightRoles, handler: s.nightConfirm},
		{pattern: "POST /nattvandring/vandring/{id}/stall-in", name: "nattvandring_walk_cancel", roles: nightRoles, handler: s.nightCancel},
		{pattern: "POST /nattvandring/vandring/{id}/logg", name: "nattvandring_log", roles: nightRoles, handler: s.nightFileLog},

		// Public: published walks, districts and times only.
		{pattern: "GET /nattvandring/ute", name: "nattvandring_public", access: publicPage, handler: s.nightPublic},
		{pattern: "GET /nattvandring/ute/grupp/{file}", name: "nattvandring_ical_group", access: public, handler: s.nightCalendar("grupp")},
		{pattern: "GET /nattvandring/ute/omrade/{file}", name: "nattvandring_ical_district", access: public, handler: s.nightCalendar("omrade")},
	}
}

// nightCodes are the lists the night walks' pages choose from.
type nightCodes struct {
	Areas      []*trygg.Area
	Categories []*trygg.Category
	PlaceTypes []trygg.PlaceType
	Trainings  []trygg.Code
	ItemKinds  []trygg.Code
	Sizes      []string
	Statuses   []trygg.Code
	Today      trygg.Day
	Validity   nattvandring.Validity // of trainings, as the service applies it
}

func (s *Server) nightCodes(r *http.Request) (nightCodes, error) {
	areas, err := s.cfg.Areas.FindAreas(r.Context())
	if err != nil {
		return nightCodes{}, err
	}
	cats, err := s.cfg.Categories.FindCategories(r.Context(), false)
	if err != nil {
		return nightCodes{}, err
	}
	return nightCodes{Areas: areas, Categories: cats, PlaceTypes: trygg.PlaceTypes, Trainings: nattvandring.TrainingKinds,
		ItemKinds: nattvandring.ItemKinds, Sizes: nattvandring.JacketSizes, Statuses: nattvandring.WalkStatuses,
		Today: trygg.DayOf(s.now()), Validity: s.cfg.Nattvandring.TrainingValidity()}, nil
}

// AreaName returns the name of a district code.
func (c nightCodes) AreaName(code string) string {
	for _, a := range c.Areas {
		if a.Code == code {
			return a.Name
		}
	}
	return code
}

// AreaNames joins the names of district codes.
func (c nightCodes) AreaNames(codes []string) string {
	names := make([]string, len(codes))
	for i, code := range codes {
		names[i] = c.AreaName(code)
	}
	return strings.Join(names, ", ")
}

// Label returns the label of a code in one of the lists.
func (c nightCodes) Label(list []trygg.Code, code string) string { return trygg.CodeLabel(list, code) }

// Clock writes minutes after midnight as "21:00".
func (nightCodes) Clock(m int) string { return nattvandring.FormatClock(m) }

// Hours writes minutes as hours: "2,5".
func (nightCodes) Hours(m int) string { return nattvandring.Hours(m) }

// TrainingUntil is the last valid day of a training.
func (c nightCodes) TrainingUntil(t nattvandring.Training) trygg.Day {
	return nattvandring.ValidUntil(c.Validity, t.Kind, t.On)
}

// Refusal says why a volunteer may not sign up for a walk on day.
func (c nightCodes) Refusal(v *nattvandring.Volunteer, day trygg.Day) string {
	return nattvandring.SignUpRefusal(c.Validity, v, day)
}

// IsOverdue reports whether a loan is overdue today.
func (c nightCodes) IsOverdue(l *nattvandring.Loan) bool { return l != nil && l.Overdue(c.Today) }

// --- forms ---

// groupForm is the form of a group, as typed.
type groupForm struct {
	Org, Name, Contact, Insurer, Policy, From, To, MinAdults string
	CoversAll                                                bool
	Districts                                                []string
}

func groupFormFromRequest(r *http.Request) groupForm {
	return groupForm{Org: r.PostFormValue("org"), Name: r.PostFormValue("name"), Contact: r.PostFormValue("contact"),
		Insurer: r.PostFormValue("insurer"), Policy: r.PostFormValue("policy"), From: r.PostFormValue("insurance_from"),
		To: r.PostFormValue("insurance_to"), MinAdults: r.PostFormValue("min_adults"), CoversAll: r.PostFormValue("insurance_all") == "1",
		Districts: r.PostForm["districts"]}
}

func groupFormOf(g *nattvandring.Group) groupForm {
	f := groupForm{Org: g.OrgCode, Name: g.Name, Contact: g.Contact, Insurer: g.Insurance.Insurer, Policy: g.Insurance.Policy,
		MinAdults: strconv.Itoa(g.MinAdults), CoversAll: g.Insurance.CoversAll, Districts: g.Districts}
	if g.Insurance.ValidFrom != 0 {
		f.From = g.Insurance.ValidFrom.String()
	}
	if g.Insurance.ValidTo != 0 {
		f.To = g.Insurance.ValidTo.String()
	}
	return f
}

// HasDistrict reports whether the form has code checked.
func (f groupForm) HasDistrict(code string) bool { return slices.Contains(f.Districts, code) }

// optionalDay reads an optional date field into v.
func optionalDay(v *trygg.Validation, field, s string) trygg.Day {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	d, err := trygg.ParseDay(s)
	if err != nil {
		v.Add(field, "Skriv datumet som ÅÅÅÅ-MM-DD.")
		return 0
	}
	return d
}

// Validate turns the form into a GroupInput.
func (f groupForm) Validate() (nattvandring.GroupInput, error) {
	var v trygg.Validation
	in := nattvandring.GroupInput{OrgCode: f.Org, Name: f.Name, Contact: f.Contact, Districts: f.Districts,
		Insurance: nattvandring.Insurance{Insurer: f.Insurer, Policy: f.Policy, CoversAll: f.CoversAll}}
	in.Insurance.ValidFrom = optionalDay(&v, "insurance_from", f.From)
	in.Insurance.ValidTo = optionalDay(&v, "insurance_to", f.To)
	if m := strings.TrimSpace(f.MinAdults); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil {
			v.Add("min_adults", "Ange ett heltal.")
		}
		in.MinAdults = n
	}
	if err := in.Validate(); err != nil {
		for _, fe := range trygg.ErrorFields(err) {
			v.Add(fe.Field, "%s", fe.Message)
		}
	}
	return in, v.Err()
}

// walkForm is the form of a new walk.
type walkForm struct {
	Date, Start, End, MeetingPoint string
	Districts                      []string
	Published                      bool
}

// HasDistrict reports whether the form has code checked.
func (f walkForm) HasDistrict(code string) bool { return slices.Contains(f.Districts, code) }

func walkFormFromRequest(r *http.Request) walkForm {
	return walkForm{Date: r.PostFormValue("date"), Start: r.PostFormValue("start"), End: r.PostFormValue("end"),
		MeetingPoint: r.PostFormValue("meeting_point"), Districts: r.PostForm["districts"], Published: r.PostFormValue("published") == "1"}
}

// Validate reads the form; the service checks the rest.
func (f walkForm) Validate() (nattvandring.WalkInput, error) {
	var v trygg.Validation
	in := nattvandring.WalkInput{Start: -1, End: -1, Districts: f.Districts, MeetingPoint: f.MeetingPoint, Published: f.Published}
	if d := strings.TrimSpace(f.Date); d == "" {
		v.Add("date", "Ange datum.")
	} else if day, err := trygg.ParseDay(d); err != nil {
		v.Add("date", "Skriv datumet som ÅÅÅÅ-MM-DD.")
	} else {
		in.Date = day
	}
	if m, ok := nattvandring.ParseClock(f.Start); ok {
		in.Start = m
	} else {
		v.Add("start", "Ange starttid som TT:MM, till exempel 21:00.")
	}
	if m, ok := nattvandring.ParseClock(f.End); ok {
		in.End = m
	} else {
		v.Add("end", "Ange sluttid som TT:MM, till exempel 01:00.")
	}
	return in, v.Err()
}

// obsSlots is how many observations the log form offers.
const obsSlots = 3

// obsForm is one observation on the log form, as typed.
type obsForm struct {
	OccurredAt, Area, PlaceType, Category, Severity, Description, Lat, Lon string
}

func (o obsForm) empty() bool {
	return strings.TrimSpace(o.Description) == "" && o.Category == "" && o.PlaceType == ""
}

// logForm is the walk log as typed: hours per volunteer of the group.
type logForm struct {
	Hours         map[int64]string
	Districts     []string
	YouthContacts string
	Obs           [obsSlots]obsForm
}

// HasDistrict reports whether the form has code checked.
func (f logForm) HasDistrict(code string) bool { return slices.Contains(f.Districts, code) }

// HoursOf returns what was typed for a volunteer.
func (f logForm) HoursOf(id int64) string { return f.Hours[id] }

func logFormFromRequest(r *http.Request, volunteers []*nattvandring.Volunteer) logForm {
	f := logForm{Hours: map[int64]string{}, Districts: r.PostForm["districts"], YouthContacts: r.PostFormValue("youth_contacts")}
	for _, v := range volunteers {
		if h := r.PostFormValue(fmt.Sprintf("hours_%d", v.ID)); h != "" {
			f.Hours[v.ID] = h
		}
	}
	for i := range obsSlots {
		p := fmt.Sprintf("observations[%d].", i)
		f.Obs[i] = obsForm{OccurredAt: r.PostFormValue(p + "occurred_at"), Area: r.PostFormValue(p + "area"),
			PlaceType: r.PostFormValue(p + "place_type"), Category: r.PostFormValue(p + "category"),
			Severity: r.PostFormValue(p + "severity"), Description: r.PostFormValue(p + "description"),
			Lat: r.PostFormValue(p + "lat"), Lon: r.PostFormValue(p + "lon")}
	}
	return f
}

var logFieldIndex = regexp.MustCompile(`^(walkers|observations)\[(\d+)\](.*)$`)

// Validate turns the form into a log, and says how to name the service's
// errors on the form: walkers[N] is the hours field of the Nth walker,
// observations[N] the slot the Nth filled observation came from.
func (f logForm) Validate(loc *time.Location) (nattvandring.WalkLog, func(error) error, error) {
	var v trygg.Validation
	log := nattvandring.WalkLog{Districts: f.Districts}
	var walkerIDs []int64
	ids := make([]int64, 0, len(f.Hours))
	for id := range f.Hours {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		h := strings.TrimSpace(f.Hours[id])
		if h == "" {
			continue
		}
		m, ok := nattvandring.ParseHours(h)
		if !ok {
			v.Add(fmt.Sprintf("hours_%d", id), "Ange timmar som ett tal, till exempel 3,5.")
			continue
		}
		log.Walkers = append(log.Walkers, nattvandring.Walker{VolunteerID: id, Minutes: m})
		walkerIDs = append(walkerIDs, id)
	}
	if c := strings.TrimSpace(f.YouthContacts); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil {
			v.Add("youth_contacts", "Ange antalet som ett heltal.")
		}
		log.YouthContacts = n
	}
	var slots []int
	for i, o := range f.Obs {
		if o.empty() {
			continue
		}
		p := fmt.Sprintf("observations[%d].", i)
		ob := nattvandring.Observation{AreaCode: o.Area, PlaceType: o.PlaceType, Category: o.Category, Description: o.Description}
		if t, ok := parseLocalTime(o.OccurredAt, loc); ok {
			ob.OccurredAt = t
		} else {
			v.Add(p+"occurred_at", "Ange när det hände.")
		}
		if n, err := strconv.Atoi(o.Severity); err == nil {
			ob.Severity = n
		}
		if strings.TrimSpace(o.Lat) != "" || strings.TrimSpace(o.Lon) != "" {
			lat, err1 := strconv.ParseFloat(strings.Replace(strings.TrimSpace(o.Lat), ",", ".", 1), 64)
			lon, err2 := strconv.ParseFloat(strings.Replace(strings.TrimSpace(o.Lon), ",", ".", 1), 64)
			if err1 != nil || err2 != nil {
				v.Add(p+"location", "Ange både latitud och longitud som tal, eller lämna båda tomma.")
			} else {
				ob.Location = &trygg.Point{Lat: lat, Lon: lon}
			}
		}
		log.Observations = append(log.Observations, ob)
		slots = append(slots, i)
	}
	rename := func(err error) error {
		fields := trygg.ErrorFields(err)
		if len(fields) == 0 {
			return err
		}
		var out trygg.Validation
		for _, fe := range fields {
			name := fe.Field
			if m := logFieldIndex.FindStringSubmatch(name); m != nil {
				i, _ := strconv.Atoi(m[2])
				switch {
				case m[1] == "walkers" && i < len(walkerIDs):
					name = fmt.Sprintf("hours_%d", walkerIDs[i])
				case m[1] == "observations" && i < len(slots):
					name = fmt.Sprintf("observations[%d]%s", slots[i], m[3])
				}
			}
			out.Add(name, "%s", fe.Message)
		}
		return out.Err()
	}
	return log, rename, v.Err()
}

// --- pages ---

type nightIndexData struct {
	nightCodes
	Groups     []*nattvandring.Group
	Stats      *nattvandring.Statistics
	Form       groupForm
	Orgs       []*trygg.Organisation
	CanCreate  bool
	IsLeader   bool
	From, To   trygg.Day
	MonthRows  []nightMonthRow
	Categories []string
}

// nightMonthRow is a row of the statistics table.
type nightMonthRow struct {
	Month    string
	Group    string
	District string
	Walks    int
	Hours    string
	Contacts int
	Obs      int
}

func (s *Server) nightIndexView(r *http.Request, f groupForm) (view, error) {
	codes, err := s.nightCodes(r)
	if err != nil {
		return view{}, err
	}
	groups, err := s.cfg.Nattvandring.FindGroups(r.Context())
	if err != nil {
		return view{}, err
	}
	to := codes.Today
	from := to.AddMonths(-12) + 1
	stats, err := s.cfg.Nattvandring.Statistics(r.Context(), from, to)
	if err != nil {
		return view{}, err
	}
	u := trygg.UserFromContext(r.Context())
	d := nightIndexData{nightCodes: codes, Groups: groups, Stats: stats, Form: f, From: from, To: to,
		CanCreate: u.Has(trygg.RoleSamordnare, trygg.RoleAdmin, trygg.RoleNattvandrare), IsLeader: u.Has(trygg.RoleNattvandrare)}
	if u.Has(trygg.RoleSamordnare, trygg.RoleAdmin) {
		orgs, err := s.cfg.Organisations.FindOrganisations(r.Context())
		if err != nil {
			return view{}, err
		}
		for _, o := range orgs {
			if o.Type == trygg.OrgNightwalk {
				d.Orgs = append(d.Orgs, o)
			}
		}
	}
	names := map[int64]string{}
	for _, g := range groups {
		names[g.ID] = g.Name
	}
	for i := len(stats.Months) - 1; i >= 0; i-- {
		m := stats.Months[i]
		y, mo, _ := m.Month.Date()
		obs := 0
		for _, n := range m.Observations {
			obs += n
		}
		d.MonthRows = append(d.MonthRows, nightMonthRow{Month: trygg.MonthLabel(y, mo), Group: names[m.GroupID],
			District: codes.AreaName(m.District), Walks: m.Walks, Hours: nattvandring.Hours(m.Minutes), Contacts: m.YouthContacts, Obs: obs})
	}
	return view{Title: "Nattvandring", Nav: "nattvandring", Data: d}, nil
}

func (s *Server) nightIndex(w http.ResponseWriter, r *http.Request) {
	v, err := s.nightIndexView(r, groupForm{MinAdults: strconv.Itoa(nattvandring.DefaultMinAdults)})
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "nattvandring", v)
}

func (s *Server) nightCreateGroup(w http.ResponseWriter, r *http.Request) {
	f := groupFormFromRequest(r)
	saveForm(s, w, r, f.Validate, s.cfg.Nattvandring.CreateGroup, func(err error) {
		v, verr := s.nightIndexView(r, f)
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		s.renderForm(w, r, "nattvandring", v, err)
	}, func(g *nattvandring.Group) string { return fmt.Sprintf("/nattvandring/grupp/%d", g.ID) }, "night_group_saved")
}

type nightGroupData struct {
	nightCodes
	Group    *nattvandring.Group
	Walks    []*nattvandring.Walk
	Past     []*nattvandring.Walk
	IsLeader bool
	CanEdit  bool
	Form     groupForm
	WalkForm walkForm
}

func (s *Server) nightGroupView(r *http.Request, id int64, gf *groupForm, wf *walkForm) (view, error) {
	codes, err := s.nightCodes(r)
	if err != nil {
		return view{}, err
	}
	g, err := s.cfg.Nattvandring.FindGroupByID(r.Context(), id)
	if err != nil {
		return view{}, err
	}
	walks, err := s.cfg.Nattvandring.FindWalks(r.Context(), nattvandring.WalkFilter{GroupID: id, From: codes.Today - 30, To: codes.Today + 120})
	if err != nil {
		return view{}, err
	}
	u := trygg.UserFromContext(r.Context())
	d := nightGroupData{nightCodes: codes, Group: g, IsLeader: u.Has(trygg.RoleNattvandrare) && u.OrgID == g.OrgID,
		Form: groupFormOf(g), WalkForm: walkForm{Start: "21:00", End: "01:00", Published: true}}
	d.CanEdit = d.IsLeader || u.Has(trygg.RoleSamordnare)
	for _, w := range walks {
		if w.Date >= codes.Today {
			d.Walks = append(d.Walks, w)
		} else {
			d.Past = append(d.Past, w)
		}
	}
	slices.Reverse(d.Past)
	if gf != nil {
		d.Form = *gf
	}
	if wf != nil {
		d.WalkForm = *wf
	}
	return view{Title: g.Name, Nav: "nattvandring", Data: d}, nil
}

func (s *Server) nightGroup(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	v, err := s.nightGroupView(r, id, nil, nil)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "nattvandring_group", v)
}

func (s *Server) nightUpdateGroup(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := groupFormFromRequest(r)
	saveForm(s, w, r, f.Validate, func(ctx context.Context, in nattvandring.GroupInput) (*nattvandring.Group, error) {
		return s.cfg.Nattvandring.UpdateGroup(ctx, id, in)
	}, func(err error) {
		v, verr := s.nightGroupView(r, id, &f, nil)
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		s.renderForm(w, r, "nattvandring_group", v, err)
	}, func(g *nattvandring.Group) string { return fmt.Sprintf("/nattvandring/grupp/%d", g.ID) }, "night_group_saved")
}
