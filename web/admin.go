package web

import (
	"net/http"
	"strconv"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
	"github.com/trygg-est/trygg/reportio"
)

// The admin pages: users, organisations, areas, categories and the
// organisations that receive the support services' referrals. The route
// table lets only admins in (others get "not found"); the services check
// again.

type adminUsersData struct {
	Users []*trygg.User
	Orgs  []*trygg.Organisation
	Form  userForm
}

func (s *Server) adminUsersView(r *http.Request, f userForm) (view, error) {
	users, err := s.cfg.Users.FindUsers(r.Context(), trygg.UserFilter{})
	if err != nil {
		return view{}, err
	}
	orgs, err := s.cfg.Organisations.FindOrganisations(r.Context())
	if err != nil {
		return view{}, err
	}
	return view{Title: "Användare", Nav: "admin_users", Data: &adminUsersData{Users: users, Orgs: orgs, Form: f}}, nil
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) {
	v, err := s.adminUsersView(r, userForm{})
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_users", v)
}

func (s *Server) adminCreateUser(w http.ResponseWriter, r *http.Request) {
	f := userFormFromRequest(r)
	_, err := s.cfg.Users.CreateUser(r.Context(), trygg.NewUser{
		Email: f.Email, Name: f.Name, OrgCode: f.Org, Roles: f.roles(), Password: f.Password})
	if err != nil {
		f.Password = ""
		v, verr := s.adminUsersView(r, f)
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		s.renderForm(w, r, "admin_users", v, err)
		return
	}
	s.redirectWithFlash(w, r, "/admin/anvandare", "user_saved")
}

type adminUserData struct {
	User *trygg.User
	Orgs []*trygg.Organisation
	Form userForm
}

func (s *Server) findUser(r *http.Request) (*trygg.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, trygg.NotFound()
	}
	return s.cfg.Users.FindUserByID(r.Context(), id)
}

func (s *Server) adminUserView(r *http.Request, u *trygg.User, f userForm) (view, error) {
	orgs, err := s.cfg.Organisations.FindOrganisations(r.Context())
	if err != nil {
		return view{}, err
	}
	return view{Title: "Redigera användare", Nav: "admin_users", Data: &adminUserData{User: u, Orgs: orgs, Form: f}}, nil
}

func (s *Server) adminUserForm(w http.ResponseWriter, r *http.Request) {
	u, err := s.findUser(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := userForm{Email: u.Email, Name: u.Name}
	if u.Org != nil {
		f.Org = u.Org.Code
	}
	for _, role := range u.Roles {
		f.Roles = append(f.Roles, string(role))
	}
	v, err := s.adminUserView(r, u, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_user", v)
}

func (s *Server) adminUpdateUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.findUser(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := userFormFromRequest(r)
	upd := trygg.UserUpdate{Name: &f.Name, OrgCode: &f.Org, Roles: f.roles()}
	if upd.Roles == nil {
		upd.Roles = []trygg.Role{} // none ticked: let the service say a role is needed
	}
	if f.Password != "" {
		upd.Password = &f.Password
	}
	if _, err := s.cfg.Users.UpdateUser(r.Context(), u.ID, upd); err != nil {
		f.Email, f.Password = u.Email, ""
		v, verr := s.adminUserView(r, u, f)
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		s.renderForm(w, r, "admin_user", v, err)
		return
	}
	s.redirectWithFlash(w, r, "/admin/anvandare", "user_saved")
}

func (s *Server) adminDisableUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.findUser(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.cfg.Users.DisableUser(r.Context(), u.ID); err != nil {
		s.error(w, r, err)
		return
	}
	s.redirectWithFlash(w, r, "/admin/anvandare", "user_disabled")
}

type adminOrgsData struct {
	Orgs []*trygg.Organisation
	Form orgForm
}

func (s *Server) adminOrgsPage(w http.ResponseWriter, r *http.Request, f orgForm, err error) {
	orgs, ferr := s.cfg.Organisations.FindOrganisations(r.Context())
	if ferr != nil {
		s.error(w, r, ferr)
		return
	}
	v := view{Title: "Organisationer", Nav: "admin_orgs", Data: &adminOrgsData{Orgs: orgs, Form: f}}
	s.renderForm(w, r, "admin_orgs", v, err)
}

func (s *Server) adminOrgs(w http.ResponseWriter, r *http.Request) {
	s.adminOrgsPage(w, r, orgForm{Type: string(trygg.OrgMunicipal)}, nil)
}

func (s *Server) adminCreateOrg(w http.ResponseWriter, r *http.Request) {
	f := orgFormFromRequest(r)
	if err := s.cfg.Organisations.CreateOrganisation(r.Context(), &trygg.Organisation{
		Code: f.Code, Name: f.Name, Type: trygg.OrgType(f.Type)}); err != nil {
		s.adminOrgsPage(w, r, f, err)
		return
	}
	s.redirectWithFlash(w, r, "/admin/organisationer", "org_saved")
}

type adminOrgData struct {
	Org  *trygg.Organisation
	Form orgForm
}

func (s *Server) adminOrgForm(w http.ResponseWriter, r *http.Request) {
	o, err := s.cfg.Organisations.FindOrganisationByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_org", view{Title: "Redigera organisation", Nav: "admin_orgs",
		Data: &adminOrgData{Org: o, Form: orgForm{Code: o.Code, Name: o.Name, Type: string(o.Type)}}})
}

func (s *Server) adminUpdateOrg(w http.ResponseWriter, r *http.Request) {
	o, err := s.cfg.Organisations.FindOrganisationByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := orgFormFromRequest(r)
	f.Code = o.Code
	if err := s.cfg.Organisations.UpdateOrganisation(r.Context(), &trygg.Organisation{
		ID: o.ID, Code: o.Code, Name: f.Name, Type: trygg.OrgType(f.Type)}); err != nil {
		s.renderForm(w, r, "admin_org", view{Title: "Redigera organisation", Nav: "admin_orgs",
			Data: &adminOrgData{Org: o, Form: f}}, err)
		return
	}
	s.redirectWithFlash(w, r, "/admin/organisationer", "org_saved")
}

type adminAreasData struct {
	Areas []*trygg.Area
}

func (s *Server) adminAreasPage(w http.ResponseWriter, r *http.Request, err error) {
	areas, ferr := s.cfg.Areas.FindAreas(r.Context())
	if ferr != nil {
		s.error(w, r, ferr)
		return
	}
	v := view{Title: "Områden", Nav: "admin_areas", Data: &adminAreasData{Areas: areas}}
	s.renderForm(w, r, "admin_areas", v, err)
}

func (s *Server) adminAreas(w http.ResponseWriter, r *http.Request) { s.adminAreasPage(w, r, nil) }

type adminAreaData struct {
	Area *trygg.Area
	Form areaForm
}

func (s *Server) adminAreaForm(w http.ResponseWriter, r *http.Request) {
	a, err := s.cfg.Areas.FindAreaByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_area", view{Title: "Redigera område", Nav: "admin_areas",
		Data: &adminAreaData{Area: a, Form: areaForm{Name: a.Name, Population: strconv.Itoa(a.Population)}}})
}

func (s *Server) adminUpdateArea(w http.ResponseWriter, r *http.Request) {
	a, err := s.cfg.Areas.FindAreaByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := areaForm{Name: r.PostFormValue("name"), Population: r.PostFormValue("population")}
	pop, err := f.Validate()
	if err == nil {
		changed := *a
		changed.Name, changed.Population = f.Name, pop
		err = s.cfg.Areas.UpsertAreas(r.Context(), []*trygg.Area{&changed})
	}
	if err != nil {
		s.renderForm(w, r, "admin_area", view{Title: "Redigera område", Nav: "admin_areas",
			Data: &adminAreaData{Area: a, Form: f}}, err)
		return
	}
	s.redirectWithFlash(w, r, "/admin/omraden", "area_saved")
}

type adminCategoriesData struct {
	Categories []*trygg.Category
	Form       categoryForm
}

func (s *Server) adminCategoriesPage(w http.ResponseWriter, r *http.Request, f categoryForm, err error) {
	cats, ferr := s.cfg.Categories.FindCategories(r.Context(), true)
	if ferr != nil {
		s.error(w, r, ferr)
		return
	}
	v := view{Title: "Kategorier", Nav: "admin_categories", Data: &adminCategoriesData{Categories: cats, Form: f}}
	s.renderForm(w, r, "admin_categories", v, err)
}

func (s *Server) adminCategories(w http.ResponseWriter, r *http.Request) {
	s.adminCategoriesPage(w, r, categoryForm{}, nil)
}

func (s *Server) adminCreateCategory(w http.ResponseWriter, r *http.Request) {
	f := categoryFormFromRequest(r)
	order, err := f.Validate()
	if err == nil {
		err = s.cfg.Categories.CreateCategory(r.Context(), &trygg.Category{Code: f.Code, Name: f.Name, Group: f.Group, SortOrder: order})
	}
	if err != nil {
		s.adminCategoriesPage(w, r, f, err)
		return
	}
	s.redirectWithFlash(w, r, "/admin/kategorier", "category_saved")
}

type adminCategoryData struct {
	Category *trygg.Category
	Form     categoryForm
}

// findCategory finds a category, archived ones included, by its {code}.
func (s *Server) findCategory(r *http.Request) (*trygg.Category, error) {
	cats, err := s.cfg.Categories.FindCategories(r.Context(), true)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		if c.Code == r.PathValue("code") {
			return c, nil
		}
	}
	return nil, trygg.NotFound()
}

func (s *Server) adminCategoryForm(w http.ResponseWriter, r *http.Request) {
	c, err := s.findCategory(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := categoryForm{Code: c.Code, Name: c.Name, Group: c.Group, SortOrder: strconv.Itoa(c.SortOrder), Archived: c.ArchivedAt != nil}
	s.render(w, r, http.StatusOK, "admin_category", view{Title: "Redigera kategori", Nav: "admin_categories",
		Data: &adminCategoryData{Category: c, Form: f}})
}

func (s *Server) adminUpdateCategory(w http.ResponseWriter, r *http.Request) {
	c, err := s.findCategory(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := categoryFormFromRequest(r)
	f.Code = c.Code
	order, err := f.Validate()
	if err == nil {
		changed := &trygg.Category{Code: c.Code, Name: f.Name, Group: f.Group, SortOrder: order, ArchivedAt: c.ArchivedAt}
		switch {
		case f.Archived && c.ArchivedAt == nil:
			now := s.now()
			changed.ArchivedAt = &now
		case !f.Archived:
			changed.ArchivedAt = nil
		}
		err = s.cfg.Categories.UpdateCategory(r.Context(), changed)
	}
	if err != nil {
		s.renderForm(w, r, "admin_category", view{Title: "Redigera kategori", Nav: "admin_categories",
			Data: &adminCategoryData{Category: c, Form: f}}, err)
		return
	}
	s.redirectWithFlash(w, r, "/admin/kategorier", "category_saved")
}

// adminServicesData is the support services with their receiving
// organisations, each with a form to change it. Service and Org are a
// form sent with an error, shown again as it was sent.
type adminServicesData struct {
	Services     []*operativ.SupportService
	Orgs         []*trygg.Organisation
	Service, Org string
}

// KindLabel is the Swedish name of a service's kind.
func (d *adminServicesData) KindLabel(kind string) string {
	return trygg.CodeLabel(operativ.SupportServiceKinds, kind)
}

// OrgName is the name of the organisation with code.
func (d *adminServicesData) OrgName(code string) string {
	for _, o := range d.Orgs {
		if o.Code == code {
			return o.Name
		}
	}
	return code
}

// Selected is the organisation the form for sv shows chosen.
func (d *adminServicesData) Selected(sv *operativ.SupportService) string {
	if sv.Code == d.Service {
		return d.Org
	}
	return sv.OrgCode
}

func (s *Server) adminServicesPage(w http.ResponseWriter, r *http.Request, d *adminServicesData, err error) {
	var ferr error
	if d.Services, ferr = s.cfg.Routines.FindSupportServices(r.Context()); ferr == nil {
		d.Orgs, ferr = s.cfg.Organisations.FindOrganisations(r.Context())
	}
	if ferr != nil {
		s.error(w, r, ferr)
		return
	}
	s.renderForm(w, r, "admin_services", view{Title: "Stödverksamheter", Nav: "admin_services", Data: d}, err)
}

func (s *Server) adminServices(w http.ResponseWriter, r *http.Request) {
	s.adminServicesPage(w, r, &adminServicesData{}, nil)
}

// adminUpdateService names the organisation that receives a service's
// referrals; none chosen removes it.
func (s *Server) adminUpdateService(w http.ResponseWriter, r *http.Request) {
	d := &adminServicesData{Service: r.PathValue("code"), Org: r.PostFormValue("org")}
	err := s.cfg.Routines.SetServiceOrganisation(r.Context(), d.Service, d.Org)
	switch trygg.ErrorCode(err) {
	case "":
		s.redirectWithFlash(w, r, "/admin/stodverksamheter", "service_saved")
	case trygg.EINVALID:
		s.adminServicesPage(w, r, d, renameFields(err, map[string]string{"org": "org-" + d.Service}))
	default:
		s.error(w, r, err)
	}
}

// maxAreaUpload caps the upload: the largest file reportio reads, plus
// room for the multipart envelope.
const maxAreaUpload = reportio.MaxAreaFileSize + 1<<20

// adminImportAreas reads a GeoJSON FeatureCollection and upserts all its
// areas in one transaction. Any bad feature stops the import, and each
// problem is listed under the file field.
func (s *Server) adminImportAreas(w http.ResponseWriter, r *http.Request) {
	file, _, err := r.FormFile("file")
	if err != nil {
		var v trygg.Validation
		v.Add("file", "Välj en GeoJSON-fil att importera.")
		s.adminAreasPage(w, r, v.Err())
		return
	}
	defer file.Close()
	areas, problems, err := reportio.ReadAreas(file)
	if err == nil && len(problems) > 0 {
		var v trygg.Validation
		for _, p := range problems {
			v.Add("file", "%s", p.Error())
		}
		err = v.Err()
	}
	if err == nil && len(areas) == 0 {
		var v trygg.Validation
		v.Add("file", "Filen innehåller inga områden.")
		err = v.Err()
	}
	if err == nil {
		err = s.cfg.Areas.UpsertAreas(r.Context(), areas)
	}
	if err != nil {
		if trygg.ErrorCode(err) == trygg.EINVALID {
			err = onFileField(err)
		}
		s.adminAreasPage(w, r, err)
		return
	}
	s.redirectWithFlash(w, r, "/admin/omraden", "areas_imported")
}

// onFileField moves every field error of an import onto the file input,
// keeping the service's wording and its field name ("areas[3].code"), so
// that the error summary's links lead somewhere.
func onFileField(err error) error {
	fields := trygg.ErrorFields(err)
	if len(fields) == 0 {
		var v trygg.Validation
		v.Add("file", "%s", trygg.ErrorMessage(err))
		return v.Err()
	}
	var v trygg.Validation
	for _, f := range fields {
		if f.Field == "file" {
			v.Fields = append(v.Fields, f)
			continue
		}
		v.Add("file", "%s: %s", f.Field, f.Message)
	}
	return v.Err()
}
