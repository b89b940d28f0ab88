package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/ical"
	"github.com/trygg-est/trygg/nattvandring"
)

func (s *Server) nightScheduleWalk(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := walkFormFromRequest(r)
	in, err := f.Validate()
	var walk *nattvandring.Walk
	if err == nil {
		walk, err = s.cfg.Nattvandring.ScheduleWalk(r.Context(), id, in)
	}
	if err != nil {
		if trygg.ErrorCode(err) != trygg.EINVALID {
			s.error(w, r, err)
			return
		}
		v, verr := s.nightGroupView(r, id, nil, &f)
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		s.renderForm(w, r, "nattvandring_group", v, err)
		return
	}
	s.redirectWithFlash(w, r, fmt.Sprintf("/nattvandring/vandring/%d", walk.ID), "night_walk_saved")
}

// --- volunteers ---

type nightVolunteersData struct {
	nightCodes
	Group        *nattvandring.Group
	Volunteers   []*nattvandring.Volunteer
	Form         nattvandring.VolunteerInput
	TrainingFor  int64
	TrainingKind string
	TrainingOn   string
	LinkFor      int64  // the volunteer whose new sign-up link is shown, once
	Link         string // the link, with its token
}

func (s *Server) nightVolunteersView(r *http.Request, id int64, d nightVolunteersData) (view, error) {
	codes, err := s.nightCodes(r)
	if err != nil {
		return view{}, err
	}
	g, err := s.cfg.Nattvandring.FindGroupByID(r.Context(), id)
	if err != nil {
		return view{}, err
	}
	vs, err := s.cfg.Nattvandring.FindVolunteers(r.Context(), id)
	if err != nil {
		return view{}, err
	}
	d.nightCodes, d.Group, d.Volunteers = codes, g, vs
	return view{Title: "Frivilliga – " + g.Name, Nav: "nattvandring", Data: d}, nil
}

func (s *Server) nightVolunteers(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	v, err := s.nightVolunteersView(r, id, nightVolunteersData{})
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "nattvandring_volunteers", v)
}

func (s *Server) nightCreateVolunteer(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	in := nattvandring.VolunteerInput{Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"), Email: r.PostFormValue("email")}
	_, err := s.cfg.Nattvandring.CreateVolunteer(r.Context(), id, in)
	s.answerPageForm(w, r, err, func(err error) {
		v, verr := s.nightVolunteersView(r, id, nightVolunteersData{Form: in})
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		s.renderForm(w, r, "nattvandring_volunteers", v, err)
	}, fmt.Sprintf("/nattvandring/grupp/%d/frivilliga", id), "night_volunteer_saved")
}

// nightGroupOfForm reads the group a small form on a group's page came
// from, to go back to; the service checks the caller's right to the
// object itself.
func (s *Server) nightGroupOfForm(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PostFormValue("group"), 10, 64)
	return id, err == nil && id > 0
}

func (s *Server) nightAddTraining(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	groupID, gok := s.nightGroupOfForm(r)
	if !ok || !gok {
		s.notFound(w, r)
		return
	}
	kind, on := r.PostFormValue("kind"), r.PostFormValue("on")
	var v trygg.Validation
	day := optionalDay(&v, "on", on)
	err := v.Err()
	if err == nil {
		err = s.cfg.Nattvandring.AddTraining(r.Context(), id, nattvandring.TrainingInput{Kind: kind, On: day})
	}
	if fields := trygg.ErrorFields(err); len(fields) > 0 {
		var renamed trygg.Validation
		for _, f := range fields {
			renamed.Add(fmt.Sprintf("training_%d_%s", id, f.Field), "%s", f.Message)
		}
		err = renamed.Err()
	}
	s.answerPageForm(w, r, err, func(err error) {
		vw, verr := s.nightVolunteersView(r, groupID, nightVolunteersData{TrainingFor: id, TrainingKind: kind, TrainingOn: on})
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		s.renderForm(w, r, "nattvandring_volunteers", vw, err)
	}, fmt.Sprintf("/nattvandring/grupp/%d/frivilliga", groupID), "night_training_saved")
}

func (s *Server) nightRemoveVolunteer(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	groupID, gok := s.nightGroupOfForm(r)
	if !ok || !gok {
		s.notFound(w, r)
		return
	}
	if err := s.cfg.Nattvandring.RemoveVolunteer(r.Context(), id); err != nil {
		s.error(w, r, err)
		return
	}
	s.redirectWithFlash(w, r, fmt.Sprintf("/nattvandring/grupp/%d/frivilliga", groupID), "night_volunteer_removed")
}

// --- equipment ---

type nightItemsData struct {
	nightCodes
	Group      *nattvandring.Group
	Items      []*nattvandring.Item
	Loans      []*nattvandring.Loan
	Overdue    []*nattvandring.Loan
	Volunteers []*nattvandring.Volunteer
	Form       nattvandring.ItemInput
	DefaultDue trygg.Day
}

func (s *Server) nightItemsView(r *http.Request, id int64, f nattvandring.ItemInput) (view, error) {
	codes, err := s.nightCodes(r)
	if err != nil {
		return view{}, err
	}
	g, err := s.cfg.Nattvandring.FindGroupByID(r.Context(), id)
	if err != nil {
		return view{}, err
	}
	items, err := s.cfg.Nattvandring.FindItems(r.Context(), id)
	if err != nil {
		return view{}, err
	}
	loans, err := s.cfg.Nattvandring.FindLoans(r.Context(), id)
	if err != nil {
		return view{}, err
	}
	vs, err := s.cfg.Nattvandring.FindVolunteers(r.Context(), id)
	if err != nil {
		return view{}, err
	}
	active := vs[:0:0]
	for _, v := range vs {
		if v.RemovedAt == nil {
			active = append(active, v)
		}
	}
	d := nightItemsData{nightCodes: codes, Group: g, Items: items, Loans: loans, Overdue: nattvandring.OverdueLoans(loans, codes.Today),
		Volunteers: active, Form: f, DefaultDue: codes.Today + 7}
	return view{Title: "Utrustning – " + g.Name, Nav: "nattvandring", Data: d}, nil
}

func (s *Server) nightItems(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	v, err := s.nightItemsView(r, id, nattvandring.ItemInput{})
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "nattvandring_items", v)
}

func (s *Server) nightAddItem(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	in := nattvandring.ItemInput{Kind: r.PostFormValue("kind"), Size: r.PostFormValue("size"), Label: r.PostFormValue("label")}
	_, err := s.cfg.Nattvandring.AddItem(r.Context(), id, in)
	s.answerPageForm(w, r, err, func(err error) {
		v, verr := s.nightItemsView(r, id, in)
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		s.renderForm(w, r, "nattvandring_items", v, err)
	}, fmt.Sprintf("/nattvandring/grupp/%d/utrustning", id), "night_item_saved")
}

// nightItemAction answers the small forms on an item's row, whose errors
// are shown at the top of the equipment page.
func (s *Server) nightItemAction(w http.ResponseWriter, r *http.Request, act func(itemID int64) error, flash string) {
	id, ok := pathID(r, "id")
	groupID, gok := s.nightGroupOfForm(r)
	if !ok || !gok {
		s.notFound(w, r)
		return
	}
	err := act(id)
	if fields := trygg.ErrorFields(err); len(fields) > 0 {
		var renamed trygg.Validation
		for _, f := range fields {
			renamed.Add(fmt.Sprintf("item_%d_%s", id, f.Field), "%s", f.Message)
		}
		err = renamed.Err()
	}
	s.answerPageForm(w, r, err, func(err error) {
		v, verr := s.nightItemsView(r, groupID, nattvandring.ItemInput{})
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		s.renderForm(w, r, "nattvandring_items", v, err)
	}, fmt.Sprintf("/nattvandring/grupp/%d/utrustning", groupID), flash)
}

func (s *Server) nightLend(w http.ResponseWriter, r *http.Request) {
	s.nightItemAction(w, r, func(itemID int64) error {
		var v trygg.Validation
		vid, err := strconv.ParseInt(r.PostFormValue("volunteer"), 10, 64)
		if err != nil {
			v.Add("volunteer", "Välj vem som lånar.")
		}
		due := optionalDay(&v, "due", r.PostFormValue("due"))
		if err := v.Err(); err != nil {
			return err
		}
		return s.cfg.Nattvandring.LendItem(r.Context(), itemID, vid, due)
	}, "night_item_lent")
}

func (s *Server) nightReturn(w http.ResponseWriter, r *http.Request) {
	s.nightItemAction(w, r, func(itemID int64) error { return s.cfg.Nattvandring.ReturnItem(r.Context(), itemID) }, "night_item_returned")
}

func (s *Server) nightWriteOff(w http.ResponseWriter, r *http.Request) {
	s.nightItemAction(w, r, func(itemID int64) error {
		return s.cfg.Nattvandring.WriteOffItem(r.Context(), itemID, r.PostFormValue("reason"))
	}, "night_item_written_off")
}

// --- a walk ---

type nightWalkData struct {
	nightCodes
	Group       *nattvandring.Group
	Walk        *nattvandring.Walk
	IsLeader    bool
	Volunteers  []*nattvandring.Volunteer // the group's active volunteers, leaders only
	Volunteer   string                    // the sign-up form's choice
	CanLog      bool
	Log         logForm
	ObsSlots    []int
	ReportLinks bool
}

func (s *Server) nightWalkView(r *http.Request, id int64, lf *logForm, chosen string) (view, error) {
	codes, err := s.nightCodes(r)
	if err != nil {
		return view{}, err
	}
	walk, err := s.cfg.Nattvandring.FindWalkByID(r.Context(), id)
	if err != nil {
		return view{}, err
	}
	g, err := s.cfg.Nattvandring.FindGroupByID(r.Context(), walk.GroupID)
	if err != nil {
		return view{}, err
	}
	u := trygg.UserFromContext(r.Context())
	d := nightWalkData{nightCodes: codes, Group: g, Walk: walk, IsLeader: u.Has(trygg.RoleNattvandrare) && u.OrgID == g.OrgID,
		Volunteer: chosen, ReportLinks: u.Has(reporterRoles...)}
	for i := range obsSlots {
		d.ObsSlots = append(d.ObsSlots, i)
	}
	if d.IsLeader {
		vs, err := s.cfg.Nattvandring.FindVolunteers(r.Context(), g.ID)
		if err != nil {
			return view{}, err
		}
		for _, v := range vs {
			if v.RemovedAt == nil {
				d.Volunteers = append(d.Volunteers, v)
			}
		}
		d.CanLog = walk.Log == nil && walk.Status != nattvandring.WalkCancelled && walk.Date <= codes.Today
		if lf != nil {
			d.Log = *lf
		} else {
			d.Log = logForm{Hours: map[int64]string{}, Districts: walk.Districts}
			length := nattvandring.Hours(int(walk.EndTime().Sub(walk.StartTime()).Minutes()))
			for _, su := range walk.SignUps {
				d.Log.Hours[su.VolunteerID] = length
			}
			start := walk.StartTime().In(trygg.Stockholm).Format(datetimeLocal)
			for i := range obsSlots {
				d.Log.Obs[i] = obsForm{OccurredAt: start, Severity: "1"}
			}
		}
	}
	title := fmt.Sprintf("Nattvandring %s %s–%s", walk.Date, nattvandring.FormatClock(walk.Start), nattvandring.FormatClock(walk.End))
	return view{Title: title, Nav: "nattvandring", Data: d}, nil
}

// Signed reports whether a volunteer is signed up for the walk.
func (d nightWalkData) Signed(id int64) bool {
	for _, su := range d.Walk.SignUps {
		if su.VolunteerID == id {
			return true
		}
	}
	return false
}

// Severities are the report severities for the observation form.
func (nightWalkData) Severities() []trygg.Code {
	return []trygg.Code{{Code: "1", Label: trygg.SeverityLabel(1)}, {Code: "2", Label: trygg.SeverityLabel(2)}, {Code: "3", Label: trygg.SeverityLabel(3)}}
}

// ObsField is the form name of an observation's field.
func (nightWalkData) ObsField(i int, field string) string {
	return fmt.Sprintf("observations[%d].%s", i, field)
}

func (s *Server) nightWalk(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	v, err := s.nightWalkView(r, id, nil, "")
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "nattvandring_walk", v)
}

// nightWalkAction answers a small form on a walk's page.
func (s *Server) nightWalkAction(w http.ResponseWriter, r *http.Request, act func(walkID int64) error, chosen, flash string) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	err := act(id)
	s.answerPageForm(w, r, err, func(err error) {
		v, verr := s.nightWalkView(r, id, nil, chosen)
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		s.renderForm(w, r, "nattvandring_walk", v, err)
	}, fmt.Sprintf("/nattvandring/vandring/%d", id), flash)
}

func (s *Server) nightSignUp(w http.ResponseWriter, r *http.Request) {
	chosen := r.PostFormValue("volunteer")
	s.nightWalkAction(w, r, func(walkID int64) error {
		vid, err := strconv.ParseInt(chosen, 10, 64)
		if err != nil {
			var v trygg.Validation
			v.Add("volunteer", "Välj vem som ska anmälas.")
			return v.Err()
		}
		return s.cfg.Nattvandring.SignUp(r.Context(), walkID, vid)
	}, chosen, "night_signed_up")
}

func (s *Server) nightCancelSignUp(w http.ResponseWriter, r *http.Request) {
	vid, ok := pathID(r, "volunteer")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.nightWalkAction(w, r, func(walkID int64) error { return s.cfg.Nattvandring.CancelSignUp(r.Context(), walkID, vid) }, "", "night_signup_cancelled")
}

func (s *Server) nightConfirm(w http.ResponseWriter, r *http.Request) {
	s.nightWalkAction(w, r, func(walkID int64) error { return s.cfg.Nattvandring.ConfirmWalk(r.Context(), walkID) }, "", "night_walk_confirmed")
}

func (s *Server) nightCancel(w http.ResponseWriter, r *http.Request) {
	s.nightWalkAction(w, r, func(walkID int64) error { return s.cfg.Nattvandring.CancelWalk(r.Context(), walkID) }, "", "night_walk_cancelled")
}

func (s *Server) nightFileLog(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	walk, err := s.cfg.Nattvandring.FindWalkByID(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	vs, err := s.cfg.Nattvandring.FindVolunteers(r.Context(), walk.GroupID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := logFormFromRequest(r, vs)
	log, rename, err := f.Validate(trygg.Stockholm)
	if err == nil {
		_, err = s.cfg.Nattvandring.FileLog(r.Context(), id, log)
		err = rename(err)
	}
	if err != nil && trygg.ErrorCode(err) == trygg.EINVALID {
		v, verr := s.nightWalkView(r, id, &f, "")
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		s.renderForm(w, r, "nattvandring_walk", v, err)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.redirectWithFlash(w, r, fmt.Sprintf("/nattvandring/vandring/%d", id), "night_log_filed")
}

// --- public ---

type nightPublicData struct {
	nightCodes
	Walks    []*nattvandring.PublicWalk
	District string
	Heading  string
	Groups   []nightPublicGroup
	Areas    []*trygg.Area // districts with a published walk
}

type nightPublicGroup struct {
	ID   int64
	Name string
}

// publicWindow is how far ahead the public page and calendars look, and
// how far back the calendars keep past walks.
const (
	publicAhead  = 60
	calendarBack = 30
)

func (s *Server) nightPublic(w http.ResponseWriter, r *http.Request) {
	codes, err := s.nightCodes(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	district := r.URL.Query().Get("omrade")
	all, err := s.cfg.Nattvandring.PublishedWalks(r.Context(), 0, "", codes.Today, codes.Today+publicAhead)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := nightPublicData{nightCodes: codes, District: district, Heading: "Nattvandrare ute"}
	seenGroup, seenArea := map[int64]bool{}, map[string]bool{}
	for _, p := range all {
		if !seenGroup[p.GroupID] {
			seenGroup[p.GroupID] = true
			d.Groups = append(d.Groups, nightPublicGroup{p.GroupID, p.GroupName})
		}
		for _, a := range p.Districts {
			seenArea[a] = true
		}
		if district == "" || containsCode(p.Districts, district) {
			d.Walks = append(d.Walks, p)
		}
	}
	for _, a := range codes.Areas {
		if seenArea[a.Code] {
			d.Areas = append(d.Areas, a)
		}
	}
	if district != "" {
		d.Heading = "Nattvandrare ute i " + codes.AreaName(district)
	}
	s.render(w, r, http.StatusOK, "nattvandring_public", view{Title: d.Heading, Data: d})
}

func containsCode(codes []string, code string) bool {
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

// nightCalendar serves the published walks of a group ("grupp", file
// "12.ics") or a district ("omrade", file "alidhem.ics") as iCalendar.
func (s *Server) nightCalendar(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
		if !ok || key == "" {
			s.notFound(w, r)
			return
		}
		codes, err := s.nightCodes(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		var groupID int64
		district, name := "", ""
		if kind == "grupp" {
			if groupID, err = strconv.ParseInt(key, 10, 64); err != nil || groupID <= 0 {
				s.notFound(w, r)
				return
			}
		} else {
			district, name = key, codes.AreaName(key)
			if name == key {
				s.notFound(w, r)
				return
			}
		}
		walks, err := s.cfg.Nattvandring.PublishedWalks(r.Context(), groupID, district, codes.Today-calendarBack, codes.Today+publicAhead)
		if err != nil {
			s.error(w, r, err)
			return
		}
		if kind == "grupp" {
			if len(walks) == 0 {
				s.notFound(w, r)
				return
			}
			name = walks[0].GroupName
		}
		cal := ical.Calendar{ProdID: "-//Trygg//Nattvandring//SV", Name: "Nattvandring – " + name}
		for _, p := range walks {
			cal.Events = append(cal.Events, ical.Event{
				UID: "nattvandring-" + strconv.FormatInt(p.ID, 10) + "@trygg", Stamp: p.Start, Start: p.Start, End: p.End,
				Summary: "Nattvandrare ute i " + codes.AreaNames(p.Districts), Description: p.GroupName,
				URL: s.siteURL(r) + "/nattvandring/ute",
			})
		}
		var buf bytes.Buffer
		if err := ical.Write(&buf, cal); err != nil {
			s.error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		w.Header().Set("Content-Disposition", `inline; filename="nattvandring.ics"`)
		_, _ = buf.WriteTo(w)
	}
}

// ObsNumber is an observation slot's number as shown, from 1.
func (nightWalkData) ObsNumber(i int) int { return i + 1 }

// GroupAreas are the districts the group walks, for the walk form.
func (d nightGroupData) GroupAreas() []*trygg.Area {
	var out []*trygg.Area
	for _, a := range d.Areas {
		if containsCode(d.Group.Districts, a.Code) {
			out = append(out, a)
		}
	}
	return out
}
