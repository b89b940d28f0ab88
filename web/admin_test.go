package web

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAdminUsers(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "admin")
	wantContains(t, c.get("/admin/anvandare").Body, "rapportor@example.se", "Ny användare")

	bad := c.post("/admin/anvandare", url.Values{"email": {"inte-en-adress"}, "name": {"Ny"}, "org": {"skolan"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad.Body, `<a href="#email">`, `<a href="#roles">`, `value="inte-en-adress"`)

	resp := c.post("/admin/anvandare", url.Values{"email": {"ny@example.se"}, "name": {"Nina Ny"}, "org": {"skolan"},
		"roles": {"rapportor"}, "password": {testPassword}})
	wantStatus(t, resp, http.StatusSeeOther)
	wantContains(t, c.follow(resp).Body, "Användaren är sparad.", "ny@example.se")
	nina := env.signIn(t, "ny") // can sign in with that password
	wantStatus(t, nina.get("/rapporter/ny"), http.StatusOK)

	dup := c.post("/admin/anvandare", url.Values{"email": {"ny@example.se"}, "name": {"Nina Igen"}, "org": {"skolan"},
		"roles": {"rapportor"}})
	wantStatus(t, dup, http.StatusConflict)

	id := env.Users["rapportor"].ID
	resp = c.post(fmt.Sprintf("/admin/anvandare/%d", id), url.Values{"name": {"Rut Rapportör"}, "org": {"skolan"},
		"roles": {"rapportor", "lasare"}})
	wantStatus(t, resp, http.StatusSeeOther)
	edit := c.get(fmt.Sprintf("/admin/anvandare/%d", id))
	wantContains(t, edit.Body, `value="Rut Rapportör"`, `id="roll-lasare" name="roles" value="lasare" checked`)

	resp = c.post(fmt.Sprintf("/admin/anvandare/%d", id), url.Values{"name": {"Rut"}, "org": {"skolan"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `<a href="#roles">`)

	victim := env.signIn(t, "rapportor")
	resp = c.post(fmt.Sprintf("/admin/anvandare/%d/inaktivera", id), url.Values{})
	wantStatus(t, resp, http.StatusSeeOther)
	wantStatus(t, victim.get("/rapporter/ny"), http.StatusSeeOther) // signed out
	wantContains(t, c.get("/admin/anvandare").Body, "Inaktiverad")
}

func TestAdminOrganisationsAndCategories(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "admin")
	resp := c.post("/admin/organisationer", url.Values{"code": {"bostaden"}, "name": {"AB Bostaden"}, "type": {"fastighetsbolag"}})
	wantStatus(t, resp, http.StatusSeeOther)
	wantContains(t, c.follow(resp).Body, "AB Bostaden", "Fastighetsbolag")
	bad := c.post("/admin/organisationer", url.Values{"code": {""}, "name": {""}, "type": {"okänd"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad.Body, `<a href="#code">`, `<a href="#type">`)
	resp = c.post("/admin/organisationer/skolan", url.Values{"name": {"Ålidhemsskolan F–9"}, "type": {"skola"}})
	wantStatus(t, resp, http.StatusSeeOther)
	wantContains(t, c.follow(resp).Body, "Ålidhemsskolan F–9")
	wantStatus(t, c.get("/admin/organisationer/finns-inte"), http.StatusNotFound)

	resp = c.post("/admin/kategorier", url.Values{"code": {"eldning"}, "name": {"Eldning"}, "group": {"Ordning och stök"}, "sort_order": {"95"}})
	wantStatus(t, resp, http.StatusSeeOther)
	bad = c.post("/admin/kategorier", url.Values{"code": {"x2"}, "name": {"X"}, "group": {"G"}, "sort_order": {"tio"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad.Body, `<a href="#sort_order">`)
	resp = c.post("/admin/kategorier/eldning", url.Values{"name": {"Eldning"}, "group": {"Ordning och stök"}, "sort_order": {"95"}, "archived": {"1"}})
	wantStatus(t, resp, http.StatusSeeOther)
	wantContains(t, c.get("/admin/kategorier").Body, "Arkiverad")

	r := env.signIn(t, "rapportor")
	if strings.Contains(r.get("/rapporter/ny").Body, `value="eldning"`) {
		t.Error("an archived category can be chosen for a new report")
	}
}

func uploadAreas(t *testing.T, c *testClient, geojson string) response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField(csrfField, c.csrf); err != nil {
		t.Fatal(err)
	}
	fw, err := mw.CreateFormFile("file", "omraden.geojson")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(geojson))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.env.HTTP.URL+"/admin/omraden/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestAdminAreas(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "admin")
	resp := c.post("/admin/omraden/haga", url.Values{"name": {"Haga"}, "population": {"många"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `<a href="#population">`)
	resp = c.post("/admin/omraden/haga", url.Values{"name": {"Haga"}, "population": {"5400"}})
	wantStatus(t, resp, http.StatusSeeOther)
	wantContains(t, c.follow(resp).Body, "5400")

	good := fmt.Sprintf(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"teg","name":"Teg","population":9000},"geometry":%s}]}`,
		square(20.25, 63.80, 20.27, 63.81))
	resp = uploadAreas(t, c, good)
	wantStatus(t, resp, http.StatusSeeOther)
	wantContains(t, c.follow(resp).Body, "Områdena är importerade.", "Teg", "9000")

	bad := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Utan kod"},"geometry":null}]}`
	resp = uploadAreas(t, c, bad)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `<a href="#file">Område 1`, `id="file-fel"`)

	resp = uploadAreas(t, c, "inte json")
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `<a href="#file">`)
}

// TestAdminServices: the admin names the organisation that receives a
// support service's referrals, or none; its users then have the reception
// page.
func TestAdminServices(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "admin")
	page := c.get("/admin/stodverksamheter")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, `<a href="/admin/stodverksamheter" aria-current="page">Stödverksamheter</a>`,
		`<th scope="row">KAST – köpare av sexuell tjänst</th>`, `action="/admin/stodverksamheter/kast"`, `<label for="org-kast">`)
	social := env.signIn(t, "socialtjanst")

	tests := []struct {
		name, service, org string
		status             int
		want               []string // on the answer, or after the redirect
		reception          int      // socialtjänst's reception page afterwards
	}{
		{"an unknown organisation", "kast", "okand", http.StatusUnprocessableEntity,
			[]string{`<a href="#org-kast">`, `id="org-kast-fel"`, `aria-invalid="true"`}, http.StatusNotFound},
		{"an unknown service", "okand", "ifo", http.StatusNotFound, nil, http.StatusNotFound},
		{"a receiver", "kast", "ifo", http.StatusSeeOther,
			[]string{"Mottagaren är sparad.", "<td>Individ- och familjeomsorgen</td>", `<option value="ifo" selected>`}, http.StatusOK},
		{"none", "kast", "", http.StatusSeeOther, []string{"Mottagaren är sparad.", "<td>Ingen</td>"}, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := c.post("/admin/stodverksamheter/"+tt.service, url.Values{"org": {tt.org}})
			wantStatus(t, resp, tt.status)
			if resp.StatusCode == http.StatusSeeOther {
				resp = c.follow(resp)
			}
			wantContains(t, resp.Body, tt.want...)
			wantStatus(t, social.get("/operativ/mottagning"), tt.reception)
		})
	}
	wantStatus(t, social.post("/admin/stodverksamheter/kast", url.Values{"org": {"ifo"}}), http.StatusNotFound)
}
