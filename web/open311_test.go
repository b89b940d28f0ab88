package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/tips"
)

// open311Key issues an Open311 key as the operator.
func open311Key(t *testing.T, env *testEnv) string {
	t.Helper()
	_, key, err := env.Config.Open311Keys.CreateClient(trygg.NewOperatorContext(context.Background()), "Testappen")
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func open311Rows(env *testEnv) []accessRow {
	return []accessRow{
		{"GET /open311/v2/{resource}", matrixGet("/open311/v2/services.json"), everyone},
		{"POST /open311/v2/{resource}", matrixPost("/open311/v2/requests.json", func(int) url.Values { return url.Values{"api_key": {"fel"}} }),
			strings.ReplaceAll(everyone, "200", "403")},
		{"GET /open311/v2/services/{code}", matrixGet("/open311/v2/services/klotter.json"), everyone},
		{"GET /open311/v2/requests/{id}", matrixGet("/open311/v2/requests/ZZZZ-ZZZZ.json"), strings.ReplaceAll(everyone, "200", "404")},
	}
}

// postOpen311 sends form to POST requests.{format} without a session.
func postOpen311(t *testing.T, env *testEnv, format string, form url.Values) response {
	t.Helper()
	c := env.anonymous(t)
	req, err := http.NewRequest(http.MethodPost, env.HTTP.URL+"/open311/v2/requests."+format, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// TestOpen311Examples checks the answers against the shapes of the
// GeoReport v2 specification's examples (written from its text): the
// services list, a service definition, the answer to a new request, a
// request list and the error list, each in JSON and XML.
func TestOpen311Examples(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	withTips(t, env)
	key := open311Key(t, env)
	c := env.anonymous(t)

	// GET services.json: [{"service_code", "service_name", "description",
	// "metadata", "type", "keywords", "group"}].
	resp := c.get("/open311/v2/services.json")
	wantStatus(t, resp, http.StatusOK)
	var services []map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &services); err != nil || len(services) != 2 {
		t.Fatalf("services: %s", resp.Body)
	}
	for _, k := range []string{"service_code", "service_name", "description", "metadata", "type", "keywords", "group"} {
		if _, ok := services[0][k]; !ok {
			t.Errorf("services.json lacks %q: %s", k, resp.Body)
		}
	}
	if services[0]["type"] != "batch" || services[0]["metadata"] != true {
		t.Errorf("service %v", services[0])
	}
	// <services><service><service_code>…</service_code>…</service></services>
	resp = c.get("/open311/v2/services.xml")
	var sx struct {
		XMLName  xml.Name `xml:"services"`
		Services []struct {
			Code string `xml:"service_code"`
			Name string `xml:"service_name"`
			Meta bool   `xml:"metadata"`
		} `xml:"service"`
	}
	if err := xml.Unmarshal([]byte(resp.Body), &sx); err != nil || len(sx.Services) != 2 || sx.Services[0].Code == "" || !sx.Services[0].Meta {
		t.Fatalf("services.xml: %v %s", err, resp.Body)
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") {
		t.Errorf("XML as %q", resp.Header.Get("Content-Type"))
	}

	// GET services/{code}: {"service_code", "attributes": [{"variable",
	// "code", "datatype", "required", "datatype_description", "order",
	// "description"}]}.
	resp = c.get("/open311/v2/services/klotter.json")
	var def map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &def); err != nil || def["service_code"] != "klotter" {
		t.Fatalf("definition: %s", resp.Body)
	}
	attrs, _ := def["attributes"].([]any)
	if len(attrs) != 1 {
		t.Fatalf("attributes: %s", resp.Body)
	}
	for _, k := range []string{"variable", "code", "datatype", "required", "datatype_description", "order", "description"} {
		if _, ok := attrs[0].(map[string]any)[k]; !ok {
			t.Errorf("attribute lacks %q", k)
		}
	}
	resp = c.get("/open311/v2/services/klotter.xml")
	wantContains(t, resp.Body, "<service_definition><service_code>klotter</service_code><attributes><attribute><variable>true</variable><code>occurred_at</code><datatype>datetime</datatype>")
	wantStatus(t, c.get("/open311/v2/services/inbrott.json"), http.StatusNotFound)

	// POST requests.json: [{"service_request_id", "service_notice",
	// "account_id"}]; the personal fields are read past.
	form := url.Values{"api_key": {key}, "service_code": {"klotter"}, "lat": {"63.815"}, "long": {"20.31"},
		"description": {"Klotter på skolans gavel."}, "email": {"hanna@example.se"}, "first_name": {"Hanna"}, "phone": {"0701234567"},
		"attribute[occurred_at]": {"2026-11-20T17:00:00+01:00"}}
	resp = postOpen311(t, env, "json", form)
	wantStatus(t, resp, http.StatusCreated)
	var created []map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &created); err != nil || len(created) != 1 {
		t.Fatalf("created: %s", resp.Body)
	}
	for _, k := range []string{"service_request_id", "service_notice", "account_id"} {
		if _, ok := created[0][k]; !ok {
			t.Errorf("the answer lacks %q", k)
		}
	}
	jsonRef := created[0]["service_request_id"].(string)

	// <service_requests><request><service_request_id>…
	form.Set("lat", "63.825")
	form.Set("long", "20.27")
	form.Del("attribute[occurred_at]")
	resp = postOpen311(t, env, "xml", form)
	wantStatus(t, resp, http.StatusCreated)
	var cx struct {
		XMLName  xml.Name `xml:"service_requests"`
		Requests []struct {
			ID string `xml:"service_request_id"`
		} `xml:"request"`
	}
	if err := xml.Unmarshal([]byte(resp.Body), &cx); err != nil || len(cx.Requests) != 1 || cx.Requests[0].ID == "" {
		t.Fatalf("created.xml: %v %s", err, resp.Body)
	}
	xmlRef := cx.Requests[0].ID

	// Both reach the samordnare's queue, in their districts, with no
	// personal field kept.
	queue, err := env.Config.Tips.FindTips(trygg.NewOperatorContext(context.Background()), tips.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	areas := map[string]string{}
	for _, tp := range queue {
		if tp.Source == tips.SourceOpen311 {
			areas[tp.Ref] = tp.AreaCode
			if tp.ClientName != "Testappen" || strings.Contains(tp.Text+tp.Address, "Hanna") {
				t.Errorf("tip %+v", tp)
			}
		}
	}
	if areas[jsonRef] != "alidhem" || areas[xmlRef] != "haga" {
		t.Fatalf("Open311 tips in the queue: %v", areas)
	}

	// GET requests/{id}: a list of one; no text before or after
	// moderation; the public reply as status_notes.
	var id int64
	for _, tp := range queue {
		if tp.Ref == jsonRef {
			id = tp.ID
		}
	}
	ctx := trygg.NewContextWithUser(context.Background(), env.Users["samordnare"])
	if _, err := env.Config.Tips.AcceptTip(ctx, id, tips.Accept{Category: "klotter", PlaceType: "skola", Severity: 1, Description: "Klotter på gavel."}); err != nil {
		t.Fatal(err)
	}
	if err := env.Config.Tips.ReplyTip(ctx, id, "Saneras i veckan.", tips.StatusResolved); err != nil {
		t.Fatal(err)
	}
	resp = c.get("/open311/v2/requests/" + jsonRef + ".json")
	var reqs []map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &reqs); err != nil || len(reqs) != 1 {
		t.Fatalf("request: %s", resp.Body)
	}
	for _, k := range []string{"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
		"agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address",
		"address_id", "zipcode", "lat", "long", "media_url"} {
		if _, ok := reqs[0][k]; !ok {
			t.Errorf("request lacks %q", k)
		}
	}
	if reqs[0]["status"] != "closed" || reqs[0]["status_notes"] != "Saneras i veckan." || reqs[0]["description"] != "" {
		t.Errorf("request %v", reqs[0])
	}
	resp = c.get("/open311/v2/requests/" + xmlRef + ".xml")
	wantContains(t, resp.Body, "<service_requests><request><service_request_id>"+xmlRef+"</service_request_id><status>open</status>")

	// GET requests with the standard filters.
	resp = c.get("/open311/v2/requests.json?status=open&service_code=klotter")
	if err := json.Unmarshal([]byte(resp.Body), &reqs); err != nil || len(reqs) != 2 { // the XML one and withTips' tip
		t.Fatalf("open requests: %s", resp.Body)
	}
	resp = c.get("/open311/v2/requests.json?service_request_id=" + jsonRef + "," + xmlRef + "&start_date=2026-11-01T00:00:00Z&end_date=2026-12-01T00:00:00Z")
	if err := json.Unmarshal([]byte(resp.Body), &reqs); err != nil || len(reqs) != 2 {
		t.Fatalf("requests by id: %s", resp.Body)
	}
}

// TestOpen311Errors: every refusal is the standard's error list, 400,
// 403 or 404 with a description, and leaves no tip behind.
func TestOpen311Errors(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	withTips(t, env)
	key := open311Key(t, env)
	good := func() url.Values {
		return url.Values{"api_key": {key}, "service_code": {"klotter"}, "lat": {"63.815"}, "long": {"20.31"}, "description": {"Klotter."}}
	}
	for _, tc := range []struct {
		name   string
		edit   func(url.Values)
		status int
		want   string
	}{
		{"wrong api_key", func(f url.Values) { f.Set("api_key", "o311_fel") }, 403, "api_key"},
		{"no api_key", func(f url.Values) { f.Del("api_key") }, 403, "api_key"},
		{"unknown service", func(f url.Values) { f.Set("service_code", "inbrott") }, 400, "service_code"},
		{"no location", func(f url.Values) { f.Del("lat"); f.Del("long") }, 400, "lat"},
		{"bad lat", func(f url.Values) { f.Set("lat", "norr") }, 400, "lat"},
		{"outside the municipality", func(f url.Values) { f.Set("lat", "59.33"); f.Set("long", "18.06") }, 400, "lat/long"},
		{"address without district", func(f url.Values) { f.Del("lat"); f.Del("long"); f.Set("address_string", "Storgatan 1") }, 400, "district"},
		{"personal data", func(f url.Values) { f.Set("description", "Maila hanna@example.se") }, 400, "description"},
		{"no description", func(f url.Values) { f.Del("description") }, 400, "description"},
		{"bad date", func(f url.Values) { f.Set("attribute[occurred_at]", "igår") }, 400, "occurred_at"},
	} {
		f := good()
		tc.edit(f)
		for _, format := range []string{"json", "xml"} {
			resp := postOpen311(t, env, format, f)
			if resp.StatusCode != tc.status || !strings.Contains(resp.Body, tc.want) {
				t.Errorf("%s (%s): %d %s", tc.name, format, resp.StatusCode, resp.Body)
				continue
			}
			if format == "json" {
				var errs []open311Error
				if err := json.Unmarshal([]byte(resp.Body), &errs); err != nil || len(errs) != 1 || errs[0].Code != tc.status || errs[0].Description == "" {
					t.Errorf("%s: error list %s", tc.name, resp.Body)
				}
			} else if !strings.Contains(resp.Body, "<errors><error><code>") {
				t.Errorf("%s: XML error list %s", tc.name, resp.Body)
			}
		}
	}
	f := good()
	f.Del("lat")
	f.Del("long")
	f.Set("address_string", "Vid Ålidhems centrum")
	wantStatus(t, postOpen311(t, env, "json", f), http.StatusCreated)

	big := good()
	big.Set("description", strings.Repeat("x", 1<<20))
	resp := postOpen311(t, env, "json", big)
	if resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("1 MB: %d %s", resp.StatusCode, resp.Body)
	}
	c := env.anonymous(t)
	wantStatus(t, c.get("/open311/v2/requests/ZZZZ-ZZZZ.xml"), http.StatusNotFound)
	wantStatus(t, c.get("/open311/v2/requests.json?status=halvt"), http.StatusBadRequest)
	wantStatus(t, c.get("/open311/v2/services.html"), http.StatusNotFound)

	queue, err := env.Config.Tips.FindTips(trygg.NewOperatorContext(context.Background()), tips.Filter{All: true})
	if err != nil || len(queue) != 2 { // withTips' and the address one
		t.Errorf("%d tips stored, want 2 (%v)", len(queue), err)
	}
}

// FuzzOpen311Form: the decoder of POST requests never panics, and what
// it accepts has a point within range or an address.
func FuzzOpen311Form(f *testing.F) {
	for _, seed := range []string{
		"api_key=o311_x&service_code=klotter&lat=63.8&long=20.3&description=Klotter",
		"service_code=vald&address_string=%C3%85lidhem&description=Br%C3%A5k&attribute%5Boccurred_at%5D=2026-11-20T21%3A30%3A00%2B01%3A00",
		"lat=91&long=0", "lat=NaN&long=Inf", "lat=&long=20", "attribute[occurred_at]=x", "%zz", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		p, err := decodeOpen311Post(form)
		if err != nil {
			if trygg.ErrorCode(err) != trygg.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if p.Location == nil && strings.TrimSpace(p.Address) == "" {
			t.Fatalf("accepted without a place: %q", body)
		}
		if p.Location != nil && (!(p.Location.Lat >= -90 && p.Location.Lat <= 90) || !(p.Location.Lon >= -180 && p.Location.Lon <= 180)) {
			t.Fatalf("accepted %v", p.Location)
		}
	})
}
