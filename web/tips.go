package web

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/svgmap"
	"github.com/trygg-est/trygg/tips"
)

// Residents' anonymous tips: the public form and status page, the
// samordnare's moderation queue, and the admin's Open311 client keys.

var tipModerators = []trygg.Role{trygg.RoleSamordnare}

// CanModerateTips shows the tip queue in the menu.
func (v view) CanModerateTips() bool { return v.User.Has(tipModerators...) }

func (s *Server) tipRoutes() []route {
	return []route{
		{pattern: "GET /tipsa", name: "tip_form", access: publicPage, handler: s.publicCache(s.tipForm)},
		{pattern: "POST /tipsa", name: "tip_submit", access: publicPage, handler: s.tipSubmit},
		{pattern: "GET /tipsa/status", name: "tip_lookup", access: publicPage, handler: s.tipLookup},
		{pattern: "GET /tipsa/{ref}", name: "tip_status", access: publicPage, handler: s.tipStatus},

		{pattern: "GET /tips", name: "tips_queue", roles: tipModerators, handler: s.tipQueue},
		{pattern: "GET /tips/kategorier", name: "tips_categories", roles: tipModerators, handler: s.tipCategoriesForm},
		{pattern: "POST /tips/kategorier", name: "tips_categories_save", roles: tipModerators, handler: s.tipCategoriesSave},
		{pattern: "GET /tips/{id}", name: "tip", roles: tipModerators, handler: s.tipPage},
		{pattern: "POST /tips/{id}/godkann", name: "tip_accept", roles: tipModerators, handler: s.tipAccept},
		{pattern: "POST /tips/{id}/sammanfoga", name: "tip_merge", roles: tipModerators, handler: s.tipMerge},
		{pattern: "POST /tips/{id}/avvisa", name: "tip_reject", roles: tipModerators, handler: s.tipReject},
		{pattern: "POST /tips/{id}/svara", name: "tip_reply", roles: tipModerators, handler: s.tipReply},

		{pattern: "GET /admin/open311", name: "admin_open311", roles: adminRoles, handler: s.adminOpen311},
		{pattern: "POST /admin/open311", name: "admin_open311_create", roles: adminRoles, handler: s.adminOpen311Create},
		{pattern: "POST /admin/open311/{id}/aterkalla", name: "admin_open311_revoke", roles: adminRoles, handler: s.adminOpen311Revoke},
	}
}

// honeypotField is a form field that people never see or fill in (it is
// off-screen and out of the tab order); a tip with it filled in came from
// a robot and is thrown away.
const honeypotField = "hemsida"

type tipForm struct {
	Category, Area, Address, OccurredAt, Text string
}

type tipFormData struct {
	Form       tipForm
	Categories []*trygg.Category
	Areas      []*trygg.Area
	Map        template.HTML
	MaxText    int
}

func (s *Server) tipFormView(r *http.Request, f tipForm) (view, error) {
	ctx := r.Context()
	d := &tipFormData{Form: f, MaxText: tips.MaxTextLength}
	var err error
	if d.Categories, err = s.cfg.Tips.PublicCategories(ctx); err != nil {
		return view{}, err
	}
	if d.Areas, err = s.cfg.Areas.FindAreas(ctx); err != nil {
		return view{}, err
	}
	regions := make([]svgmap.Region, 0, len(d.Areas))
	for _, a := range d.Areas {
		regions = append(regions, svgmap.Region{Code: a.Code, Name: a.Name, Geometry: a.Geometry, Href: "/tipsa?omrade=" + url.QueryEscape(a.Code) + "#area"})
	}
	var buf bytes.Buffer
	if err := svgmap.Render(&buf, regions, svgmap.Options{Title: "Karta: välj område", Selected: f.Area, ID: "tipskarta", Fit: mapFit(d.Areas),
		LabelSize: svgmap.PhoneLabelSize, Desc: "Varje område är en länk som väljer området i formuläret. Alla områden finns också i listan."}); err != nil {
		return view{}, err
	}
	d.Map = template.HTML(buf.String()) // svgmap escapes every text and attribute it writes
	return view{Title: "Tipsa oss", Nav: "tips", Data: d}, nil
}

// tipForm is the tip form; ?omrade= (from the map) chooses a district.
func (s *Server) tipForm(w http.ResponseWriter, r *http.Request) {
	f := tipForm{Area: r.URL.Query().Get("omrade"), OccurredAt: s.now().In(trygg.Stockholm).Format(datetimeLocal)}
	v, err := s.tipFormView(r, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "tip_form", v)
}

// tipSubmit files a tip and sends the resident to its status page.
func (s *Server) tipSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.renderStatus(w, r, http.StatusRequestEntityTooLarge, "Tipset är för stort",
				"Ett tips får vara högst 1 MB och texten högst "+strconv.Itoa(tips.MaxTextLength)+" tecken. Gå tillbaka och korta texten.")
			return
		}
		s.renderStatus(w, r, http.StatusBadRequest, "Felaktig uppgift", "Formuläret kunde inte läsas. Gå tillbaka och försök igen.")
		return
	}
	f := tipForm{Category: r.PostFormValue("category"), Area: r.PostFormValue("area"), Address: r.PostFormValue("address"),
		OccurredAt: r.PostFormValue("occurred_at"), Text: r.PostFormValue("text")}
	if r.PostFormValue(honeypotField) != "" {
		// Answer as for a tip, so that the robot learns nothing.
		s.render(w, r, http.StatusOK, "tip_status", view{Title: "Tack för ditt tips", Nav: "tips", Data: tipStatusData{}})
		return
	}
	in := tips.Input{Category: f.Category, AreaCode: f.Area, Address: f.Address, Text: f.Text, Source: tips.SourceWeb}
	var v trygg.Validation
	if t, ok := parseLocalTime(strings.TrimSpace(f.OccurredAt), trygg.Stockholm); ok {
		in.OccurredAt = t
	} else if strings.TrimSpace(f.OccurredAt) != "" {
		v.Add("occurred_at", "Tidpunkten ska skrivas som ÅÅÅÅ-MM-DD TT:MM, till exempel 2026-03-14T21:30.")
	}
	err := v.Err()
	var tip *tips.Tip
	if err == nil {
		tip, err = s.cfg.Tips.SubmitTip(r.Context(), in)
	}
	if err != nil {
		fv, verr := s.tipFormView(r, f)
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		s.renderForm(w, r, "tip_form", fv, err)
		return
	}
	http.Redirect(w, r, "/tipsa/"+tip.Ref+"?ny=1", http.StatusSeeOther)
}

type tipStatusData struct {
	Tip *tips.PublicTip
	New bool
}

// tipLookup answers the "follow your tip" form with the tip's status.
func (s *Server) tipLookup(w http.ResponseWriter, r *http.Request) {
	s.showTipStatus(w, r, r.URL.Query().Get("kod"))
}

// tipStatus shows a tip's status and public reply to anyone with its code.
func (s *Server) tipStatus(w http.ResponseWriter, r *http.Request) {
	s.showTipStatus(w, r, r.PathValue("ref"))
}

func (s *Server) showTipStatus(w http.ResponseWriter, r *http.Request, ref string) {
	t, err := s.cfg.Tips.FindTipStatus(r.Context(), ref)
	if err != nil {
		s.error(w, r, err)
		return
	}
	title := "Ditt tips " + t.Ref
	if r.URL.Query().Has("ny") {
		title = "Tack för ditt tips"
	}
	s.render(w, r, http.StatusOK, "tip_status", view{Title: title, Nav: "tips", Data: tipStatusData{Tip: t, New: r.URL.Query().Has("ny")}})
}

type tipQueueData struct {
	Tips   []*tips.Tip
	Status string
	Names  names
}

// tipQueue is the samordnare's queue: undecided tips first come, first
// served, or every tip with one status.
func (s *Server) tipQueue(w http.ResponseWriter, r *http.Request) {
	f := tips.Filter{Status: tips.Status(r.URL.Query().Get("status"))}
	if f.Status == "alla" {
		f = tips.Filter{All: true}
	} else if f.Status != "" && !slices.Contains(tips.Statuses, f.Status) {
		s.notFound(w, r)
		return
	}
	list, err := s.cfg.Tips.FindTips(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	l, err := s.lookups(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "tips_queue", view{Title: "Tips från invånare", Nav: "tips_queue",
		Data: tipQueueData{Tips: list, Status: r.URL.Query().Get("status"), Names: l.Names}})
}

type tipPageData struct {
	Tip        *tips.Tip
	Names      names
	Categories []*trygg.Category
	Accept     tips.Accept
	Into       string
	Reason     string
	Reply      string
}

func (s *Server) tipView(r *http.Request, d *tipPageData) (view, error) {
	id, err := reportID(r)
	if err != nil {
		return view{}, err
	}
	if d.Tip, err = s.cfg.Tips.FindTipByID(r.Context(), id); err != nil {
		return view{}, err
	}
	l, err := s.lookups(r)
	if err != nil {
		return view{}, err
	}
	d.Names = l.Names
	for _, c := range l.Categories {
		if c.ArchivedAt == nil {
			d.Categories = append(d.Categories, c)
		}
	}
	if d.Accept.Category == "" {
		d.Accept = tips.Accept{Category: d.Tip.Category, Severity: trygg.SeverityLow, PlaceType: "gata", Description: d.Tip.Text}
	}
	return view{Title: "Tips " + d.Tip.Ref, Nav: "tips_queue", Data: d}, nil
}

func (s *Server) tipPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.tipView(r, &tipPageData{})
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "tip", v)
}

// tipDecided answers a decision's post: to the tip's page with flash, or
// the page again with the error.
func (s *Server) tipDecided(w http.ResponseWriter, r *http.Request, d *tipPageData, err error, flash string) {
	if err == nil {
		s.redirectWithFlash(w, r, "/tips/"+r.PathValue("id"), flash)
		return
	}
	v, verr := s.tipView(r, d)
	if verr != nil {
		s.error(w, r, verr)
		return
	}
	s.renderForm(w, r, "tip", v, err)
}

func (s *Server) tipAccept(w http.ResponseWriter, r *http.Request) {
	id, err := reportID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	a := tips.Accept{Category: r.PostFormValue("category"), PlaceType: r.PostFormValue("place_type"),
		Description: r.PostFormValue("description"), PublicReply: r.PostFormValue("reply")}
	a.Severity, _ = strconv.Atoi(r.PostFormValue("severity"))
	_, err = s.cfg.Tips.AcceptTip(r.Context(), id, a)
	if err == nil {
		s.reportFiled()
	}
	s.tipDecided(w, r, &tipPageData{Accept: a, Reply: a.PublicReply}, err, "tip_accepted")
}

func (s *Server) tipMerge(w http.ResponseWriter, r *http.Request) {
	id, err := reportID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	into := strings.TrimSpace(r.PostFormValue("into"))
	n, perr := strconv.ParseInt(into, 10, 64)
	if perr != nil || n <= 0 {
		var v trygg.Validation
		v.Add("into", "Ange numret på tipset som det här är en dubblett av.")
		err = v.Err()
	} else {
		err = s.cfg.Tips.MergeTip(r.Context(), id, n, r.PostFormValue("reply"))
	}
	s.tipDecided(w, r, &tipPageData{Into: into, Reply: r.PostFormValue("reply")}, err, "tip_merged")
}

func (s *Server) tipReject(w http.ResponseWriter, r *http.Request) {
	id, err := reportID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	err = s.cfg.Tips.RejectTip(r.Context(), id, r.PostFormValue("reason"), r.PostFormValue("reply"))
	s.tipDecided(w, r, &tipPageData{Reason: r.PostFormValue("reason"), Reply: r.PostFormValue("reply")}, err, "tip_rejected")
}

func (s *Server) tipReply(w http.ResponseWriter, r *http.Request) {
	id, err := reportID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	err = s.cfg.Tips.ReplyTip(r.Context(), id, r.PostFormValue("reply"), tips.Status(r.PostFormValue("status")))
	s.tipDecided(w, r, &tipPageData{Reply: r.PostFormValue("reply")}, err, "tip_replied")
}

type tipCategoriesData struct {
	Categories []*trygg.Category
	Chosen     map[string]bool
}

func (s *Server) tipCategoriesView(r *http.Request, chosen map[string]bool) (view, error) {
	all, err := s.cfg.Categories.FindCategories(r.Context(), false)
	if err != nil {
		return view{}, err
	}
	if chosen == nil {
		pub, err := s.cfg.Tips.PublicCategories(r.Context())
		if err != nil {
			return view{}, err
		}
		chosen = map[string]bool{}
		for _, c := range pub {
			chosen[c.Code] = true
		}
	}
	return view{Title: "Kategorier för tips", Nav: "tips_queue", Data: tipCategoriesData{Categories: all, Chosen: chosen}}, nil
}

func (s *Server) tipCategoriesForm(w http.ResponseWriter, r *http.Request) {
	v, err := s.tipCategoriesView(r, nil)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "tip_categories", v)
}

func (s *Server) tipCategoriesSave(w http.ResponseWriter, r *http.Request) {
	codes := r.PostForm["category"]
	err := s.cfg.Tips.SetPublicCategories(r.Context(), codes)
	if err == nil {
		s.redirectWithFlash(w, r, "/tips/kategorier", "tip_categories_saved")
		return
	}
	chosen := map[string]bool{}
	for _, c := range codes {
		chosen[c] = true
	}
	v, verr := s.tipCategoriesView(r, chosen)
	if verr != nil {
		s.error(w, r, verr)
		return
	}
	s.renderForm(w, r, "tip_categories", v, err)
}

type adminOpen311Data struct {
	Clients []*tips.Client
	NewKey  string // shown once, right after it is made
	NewName string
	Name    string
}

func (s *Server) adminOpen311View(w http.ResponseWriter, r *http.Request, status int, d adminOpen311Data, err error) {
	list, lerr := s.cfg.Open311Keys.FindClients(r.Context())
	if lerr != nil {
		s.error(w, r, lerr)
		return
	}
	d.Clients = list
	v := view{Title: "Open311-nycklar", Nav: "admin_open311", Data: d}
	if err != nil {
		s.renderForm(w, r, "admin_open311", v, err)
		return
	}
	s.render(w, r, status, "admin_open311", v)
}

func (s *Server) adminOpen311(w http.ResponseWriter, r *http.Request) {
	s.adminOpen311View(w, r, http.StatusOK, adminOpen311Data{}, nil)
}

// adminOpen311Create issues a key and shows it once, on the answer to the
// post (not through a redirect: the key must not wait in a cookie).
func (s *Server) adminOpen311Create(w http.ResponseWriter, r *http.Request) {
	name := r.PostFormValue("name")
	cl, key, err := s.cfg.Open311Keys.CreateClient(r.Context(), name)
	if err != nil {
		s.adminOpen311View(w, r, 0, adminOpen311Data{Name: name}, err)
		return
	}
	s.adminOpen311View(w, r, http.StatusCreated, adminOpen311Data{NewKey: key, NewName: cl.Name}, nil)
}

func (s *Server) adminOpen311Revoke(w http.ResponseWriter, r *http.Request) {
	id, err := reportID(r)
	if err == nil {
		err = s.cfg.Open311Keys.RevokeClient(r.Context(), id)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.redirectWithFlash(w, r, "/admin/open311", "open311_revoked")
}
