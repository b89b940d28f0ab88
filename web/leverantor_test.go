package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/leverantor"
)

// levOrg completes nine digits with their check digit.
func levOrg(nine string) string { return nine + string(leverantor.LuhnDigit(nine)) }

// addReviewer creates a kontroll user of org, who signs in as key.
func addReviewer(t testing.TB, env *testEnv, key, org string) *trygg.User {
	t.Helper()
	op := trygg.NewOperatorContext(context.Background())
	u, err := env.Config.Users.CreateUser(op, trygg.NewUser{Email: key + "@example.se", Name: "Test " + key, OrgCode: org,
		Roles: []trygg.Role{trygg.RoleKontroll}, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// leverantorRows are the register's rows of the access matrix: none of
// the matrix's roles has role kontroll, so every signed-in one gets 404
// (TestLeverantorPages tries the reviewers).
func leverantorRows(env *testEnv) []accessRow {
	const (
		page = "anonymous=303 samordnare=404 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=303"
		post = "anonymous=401 samordnare=404 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=401"
	)
	op := trygg.NewOperatorContext(context.Background())
	u, err := env.Config.Users.CreateUser(op, trygg.NewUser{Email: "matriskontroll@example.se", Name: "Matriskontroll", OrgCode: "umebra",
		Roles: []trygg.Role{trygg.RoleKontroll}, Password: testPassword})
	if err != nil {
		panic(err) // the fixture is broken: nothing can be tested
	}
	ctx := trygg.NewContextWithUser(context.Background(), u)
	if _, err := env.Config.Leverantorer.Import(ctx, []leverantor.ProviderInput{{Org: levOrg("559900771"), Name: "Matrisen AB", Form: "aktiebolag",
		Address: "Storgatan 1, Umeå", ContractType: "lov", ServiceArea: "hemtjanst", ContractFrom: trygg.DateDay(2024, 1, 1)}}, nil); err != nil {
		panic(err)
	}
	list, err := env.Config.Leverantorer.FindProviders(ctx, leverantor.Filter{})
	if err != nil || len(list) != 1 {
		panic(err)
	}
	id := strconv.FormatInt(list[0].ID, 10)
	p := "/leverantorer/" + id
	empty := func(int) url.Values { return url.Values{} }
	return []accessRow{
		{"GET /leverantorer", matrixGet("/leverantorer"), page},
		{"GET /leverantorer/import", matrixGet("/leverantorer/import"), page},
		{"POST /leverantorer/import", matrixPost("/leverantorer/import", empty), post},
		{"GET /leverantorer/regler", matrixGet("/leverantorer/regler"), page},
		{"POST /leverantorer/regler", matrixPost("/leverantorer/regler", empty), post},
		{"POST /leverantorer/kontrolltyper", matrixPost("/leverantorer/kontrolltyper", empty), post},
		{"GET /leverantorer/statistik", matrixGet("/leverantorer/statistik"),
			"anonymous=303 samordnare=200 rapportor=404 polis=404 socialtjanst=404 lasare=200 admin=404 disabled=303"},
		{"GET /leverantorer/{id}", matrixGet(p), page},
		{"POST /leverantorer/{id}/kontroller", matrixPost(p+"/kontroller", empty), post},
		{"GET /leverantorer/{id}/kontroller/{check}/dokument", matrixGet(p + "/kontroller/1/dokument"), page},
		{"POST /leverantorer/{id}/beslut", matrixPost(p+"/beslut", empty), post},
		{"POST /leverantorer/{id}/flaggor", matrixPost(p+"/flaggor", empty), post},
		{"POST /leverantorer/{id}/enheter", matrixPost(p+"/enheter", empty), post},
	}
}

// postLevFiles sends the import form with its files.
func postLevFiles(t *testing.T, c *testClient, fields map[string]string, files map[string]string) response {
	t.Helper()
	return postLevForm(t, c, "/leverantorer/import", fields, files)
}

// postLevForm sends a form with fields and files to path.
func postLevForm(t *testing.T, c *testClient, path string, fields map[string]string, files map[string]string) response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField(csrfField, c.csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for k, v := range files {
		fw, err := mw.CreateFormFile(k, k+".csv")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(v))
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.env.HTTP.URL+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// TestLeverantorPages walks the register as two units' reviewers: import
// with a preview, a check, a decision and a flag, and what the other unit
// sees before and after it has a contract.
func TestLeverantorPages(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	addReviewer(t, env, "kontroll", "umebra")
	addReviewer(t, env, "kontroll2", "ifo")
	a, b := env.signIn(t, "kontroll"), env.signIn(t, "kontroll2")

	if r := a.get("/"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/leverantorer" {
		t.Errorf("home: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	org1, org2 := levOrg("559900001"), levOrg("559900002")
	providers := "organisationsnummer;namn;bolagsform;adress;avtalsform;verksamhet;avtal_fran;avtalsvarde\n" +
		org1 + ";Omsorgen i Norr AB;aktiebolag;Storgatan 1;lov;hemtjanst;2024-01-01;2000000\n" +
		org2 + ";Assistans Direkt AB;aktiebolag;Kungsgatan 5;lov;personlig_assistans;2023-01-01;4000000\n"
	persons := "organisationsnummer,namn,personnummer,roll,fran\n" +
		org1 + ",Testa Testsson,850709-9805,vd,2020-01-01\n" +
		org2 + ",Testa Testsson,850709-9805,styrelseledamot,2019-01-01\n"
	bad := strings.Replace(providers, org2, org2[:9]+string('0'+(org2[9]-'0'+1)%10), 1)
	r := postLevFiles(t, a, map[string]string{"step": "forhandsgranska"}, map[string]string{"providers": bad, "persons": persons})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "kontrollsiffra", "inget har sparats")
	if strings.Contains(r.Body, "Spara importen") {
		t.Error("a preview with errors offers to save")
	}
	r = postLevFiles(t, a, map[string]string{"step": "forhandsgranska"}, map[string]string{"providers": providers, "persons": persons})
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "Spara importen", "Assistans Direkt AB")
	checkPage(t, r.Body)
	r = postLevFiles(t, a, map[string]string{"step": "spara", "providers_text": providers, "persons_text": persons}, nil)
	wantStatus(t, r, http.StatusSeeOther)

	list := a.get("/leverantorer")
	wantStatus(t, list, http.StatusOK)
	wantContains(t, list.Body, "Omsorgen i Norr AB", "Försenade kontroller per enhet")
	checkPage(t, list.Body)
	ids := map[string]int64{}
	all, err := env.Config.Leverantorer.FindProviders(trygg.NewContextWithUser(context.Background(), mustUser(t, env, "kontroll@example.se")), leverantor.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		ids[p.Name] = p.ID
	}
	norr, assist := "/leverantorer/"+strconv.FormatInt(ids["Omsorgen i Norr AB"], 10), "/leverantorer/"+strconv.FormatInt(ids["Assistans Direkt AB"], 10)

	// A decision without reasons is refused on the page, then terminated.
	r = a.post(assist+"/beslut", url.Values{"action": {"havning"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "Ange skälen för beslutet.")
	wantStatus(t, a.post(assist+"/beslut", url.Values{"action": {"havning"}, "reason": {"Fakturerade timmar som inte utförts."}}), http.StatusSeeOther)
	page := a.get(norr)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, "har också en nyckelroll i Assistans Direkt AB, vars avtal har hävts", "Testa Testsson", "850709-9805")
	checkPage(t, page.Body)

	wantStatus(t, a.post(norr+"/kontroller", url.Values{"type": {"platsbesok"}, "day": {"2025-03-01"}, "result": {"ok"}, "source": {"Platsbesök"}}), http.StatusSeeOther)
	r = a.post(norr+"/kontroller", url.Values{"type": {"platsbesok"}, "day": {"imorgon"}, "result": {"ok"}, "source": {"x"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	// A check with a document: a PDF is sealed and downloads again; any
	// other file is refused on the form.
	check := map[string]string{"type": "kronofogden", "day": "2025-03-01", "result": "anmarkning", "source": "Kronofogden"}
	r = postLevForm(t, a, norr+"/kontroller", check, map[string]string{"document": "inte en pdf"})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "Filen är ingen PDF-fil.")
	wantStatus(t, postLevForm(t, a, norr+"/kontroller", check, map[string]string{"document": "%PDF-1.4 protokoll"}), http.StatusSeeOther)
	page = a.get(norr)
	link := regexp.MustCompile(`href="(/leverantorer/[0-9]+/kontroller/[0-9]+/dokument)"`).FindStringSubmatch(page.Body)
	if link == nil {
		t.Fatal("no link to the check's document")
	}
	r = a.get(link[1])
	wantStatus(t, r, http.StatusOK)
	if r.Body != "%PDF-1.4 protokoll" || r.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("document %q %s", r.Body, r.Header.Get("Content-Type"))
	}
	wantStatus(t, b.get(link[1]), http.StatusNotFound)

	// The other unit: 404 until it has a contract, then the flag and the
	// decision's effects.
	wantStatus(t, b.get(norr), http.StatusNotFound)
	wantStatus(t, b.post(norr+"/flaggor", url.Values{"flag_reason": {"x"}}), http.StatusNotFound)
	wantStatus(t, a.post(norr+"/flaggor", url.Values{"flag_reason": {"Många anställda saknar anställningsavtal."}}), http.StatusSeeOther)
	wantStatus(t, a.post(norr+"/enheter", url.Values{"unit": {"ifo"}}), http.StatusSeeOther)
	page = b.get(norr)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, "Många anställda saknar anställningsavtal.", "vars avtal har hävts")
	wantStatus(t, b.get(assist), http.StatusNotFound)

	for _, p := range []string{"/leverantorer/regler", "/leverantorer/statistik", "/leverantorer/import"} {
		r := a.get(p)
		wantStatus(t, r, http.StatusOK)
		checkPage(t, r.Body)
	}
	r = a.post("/leverantorer/regler", url.Values{"weight_manuell": {"-5"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	r = a.post("/leverantorer/kontrolltyper", url.Values{"months_platsbesok": {"0"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "Intervallet ska vara 1–120 månader.")
	form := url.Values{}
	for _, ty := range leverantor.DefaultCheckTypes {
		form.Set("months_"+ty.Code, strconv.Itoa(ty.Months))
		form.Set("owner_"+ty.Code, ty.Owner)
	}
	form.Set("months_platsbesok", "6")
	form.Set("owner_platsbesok", "Kvalitetsenheten")
	wantStatus(t, a.post("/leverantorer/kontrolltyper", form), http.StatusSeeOther)
	wantContains(t, a.get("/leverantorer/regler").Body, "Kvalitetsenheten")
	wantStatus(t, a.get("/leverantorer/0"), http.StatusNotFound)
	wantStatus(t, a.get("/leverantorer/abc"), http.StatusNotFound)
}

func mustUser(t *testing.T, env *testEnv, email string) *trygg.User {
	t.Helper()
	us, err := env.Config.Users.FindUsers(trygg.NewOperatorContext(context.Background()), trygg.UserFilter{Email: &email})
	if err != nil || len(us) != 1 {
		t.Fatalf("user %s: %v", email, err)
	}
	return us[0]
}
