package web

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
	"github.com/trygg-est/trygg/samverkan"
)

// samverkanWorld is what the samverkan tests start from: a signed
// trygghetsavtal for Ålidhem between polisen and skolan, with its PDF, a
// commitment of polisen measured by a manual series, one status update, an
// action of polisen and a live calendar feed for polisen.
type samverkanWorld struct {
	Agreement  *samverkan.Agreement
	Commitment *samverkan.Commitment
	Update     *samverkan.CommitmentUpdate
	Action     *samverkan.Action
	Secret     string
	Meeting    *samverkan.Meeting
}

// testPDF is the smallest file that passes the PDF check.
var testPDF = []byte("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n")

func signedAgreement(n int) samverkan.AgreementInput {
	signed := trygg.DateDay(2026, 1, 10)
	return samverkan.AgreementInput{Type: samverkan.AgreementTrygghetsavtal, Title: fmt.Sprintf("Trygghetsavtal Ålidhem centrum %d", n),
		From: trygg.DateDay(2026, 1, 1), To: trygg.DateDay(2026, 12, 31), Areas: []string{"alidhem"},
		Status: samverkan.AgreementSigned, SignedOn: &signed,
		Parties: []samverkan.Party{{OrgCode: "polisen", Signatory: "Lokalpolisområdeschef"}, {OrgCode: "skolan", Signatory: "Rektor"}}}
}

func seriesCommitment() samverkan.CommitmentInput {
	return samverkan.CommitmentInput{Text: "Polisen patrullerar vid centrum på kvällstid.", OwnerOrgCode: "polisen",
		Target:    samverkan.Target{Text: "Minst 8 kvällspatruller per månad", Kind: samverkan.TargetAtLeast, Value: 8},
		Indicator: samverkan.Indicator{Source: samverkan.IndicatorSeries, Name: "Kvällspatruller per månad"}}
}

func newSamverkanWorld(env *testEnv) (*samverkanWorld, error) {
	op := trygg.NewOperatorContext(context.Background())
	w := &samverkanWorld{}
	var err error
	if w.Agreement, err = env.Config.Agreements.CreateAgreement(op, signedAgreement(0)); err != nil {
		return nil, err
	}
	if err := env.Config.Agreements.AttachDocument(op, w.Agreement.ID, "avtal.pdf", testPDF); err != nil {
		return nil, err
	}
	if w.Commitment, err = env.Config.Commitments.CreateCommitment(op, w.Agreement.ID, seriesCommitment()); err != nil {
		return nil, err
	}
	if w.Update, err = env.Config.Commitments.AddCommitmentUpdate(op, w.Commitment.ID,
		samverkan.CommitmentUpdateInput{Day: trygg.DayOf(testNow), Comment: "Tio patruller i oktober."}); err != nil {
		return nil, err
	}
	if w.Action, err = env.Config.Actions.CreateAction(op, actionInput(w.Commitment.ID, "polisen", 5)); err != nil {
		return nil, err
	}
	if w.Meeting, err = env.Config.Meetings.CreateMeeting(op, trygg.DayOf(testNow)); err != nil {
		return nil, err
	}
	_, w.Secret, err = env.Config.Actions.CreateCalendarFeed(op, "polisen")
	return w, err
}

// actionInput is an action for org with its deadline days from testNow.
func actionInput(commitment int64, org string, days int) samverkan.ActionInput {
	today := trygg.DayOf(testNow)
	return samverkan.ActionInput{Title: "Extra belysning vid gångtunneln", OwnerOrgCode: org, Areas: []string{"alidhem"},
		Start: today - 30, Deadline: today + trygg.Day(days), CommitmentID: &commitment}
}

// reportsCommitment is a commitment of polisen measured by klotter reports
// in Ålidhem, from 2025.
func reportsCommitment() samverkan.CommitmentInput {
	return samverkan.CommitmentInput{Text: "Färre klotter vid centrum.", OwnerOrgCode: "polisen",
		Target: samverkan.Target{Text: "20 % färre", Kind: samverkan.TargetReduce, Value: 20,
			BaselineFrom: trygg.DateDay(2025, 1, 1), BaselineTo: trygg.DateDay(2025, 12, 31)},
		Indicator: samverkan.Indicator{Source: samverkan.IndicatorReports, Name: "Klotter i Ålidhem", Areas: []string{"alidhem"}, Categories: []string{"klotter"}}}
}

func agreementValues(n int) url.Values {
	return url.Values{"type": {"trygghetsavtal"}, "title": {fmt.Sprintf("Avtal %d", n)}, "from": {"2026-01-01"}, "to": {"2026-12-31"},
		"status": {"draft"}, "areas": {"alidhem"}, "party_org_1": {"polisen"}, "party_signatory_1": {"Lokalpolisområdeschef"}}
}

func commitmentValues() url.Values {
	return url.Values{"text": {"Färre klotter vid skolan."}, "owner": {"skolan"}, "target_text": {"20 % färre rapporter om klotter"},
		"target_kind": {"minska"}, "target_value": {"20"}, "baseline_from": {"2025-01-01"}, "baseline_to": {"2025-12-31"},
		"indicator_source": {"rapporter"}, "indicator_name": {"Rapporter om klotter"}, "indicator_areas": {"alidhem"}, "indicator_categories": {"klotter"}}
}

func actionValues(commitment int64) url.Values {
	return url.Values{"title": {"Städa bort klotter"}, "owner": {"polisen"}, "areas": {"alidhem"}, "start": {"2026-11-01"},
		"deadline": {"2026-11-30"}, "commitment": {strconv.FormatInt(commitment, 10)}}
}

// postMultipart sends a form with one file, with the session's CSRF token.
func postMultipart(t *testing.T, c *testClient, path, field, filename string, content []byte) response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if c.csrf != "" {
		if err := mw.WriteField(csrfField, c.csrf); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.env.HTTP.URL+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func samverkanRows(env *testEnv) []accessRow {
	const (
		readerPage  = "anonymous=303 samordnare=200 rapportor=200 polis=200 socialtjanst=404 lasare=200 admin=404 disabled=303"
		managerPage = "anonymous=303 samordnare=200 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=303"
		managerPost = "anonymous=401 samordnare=303 rapportor=404 polis=404 socialtjanst=404 lasare=404 admin=404 disabled=401"
		partnerPage = "anonymous=303 samordnare=200 rapportor=200 polis=200 socialtjanst=404 lasare=404 admin=404 disabled=303"
		// The commitment and the action belong to polisen: skolan's
		// rapportör may not update them.
		ownerPost = "anonymous=401 samordnare=303 rapportor=404 polis=303 socialtjanst=404 lasare=404 admin=404 disabled=401"
		// Effect evaluations are made of counts, which rapportörer do not read.
		effectPage = "anonymous=303 samordnare=200 rapportor=404 polis=200 socialtjanst=404 lasare=200 admin=404 disabled=303"
	)
	w, err := newSamverkanWorld(env)
	if err != nil {
		panic(err) // the fixture is broken: nothing can be tested
	}
	ag := "/samverkan/" + strconv.FormatInt(w.Agreement.ID, 10)
	cm := "/atagande/" + strconv.FormatInt(w.Commitment.ID, 10)
	ac := "/atgarder/" + strconv.FormatInt(w.Action.ID, 10)
	mt := "/moten/" + strconv.FormatInt(w.Meeting.ID, 10)
	return []accessRow{
		{"GET /samverkan", matrixGet("/samverkan"), readerPage},
		{"GET /samverkan/ny", matrixGet("/samverkan/ny"), managerPage},
		{"POST /samverkan/ny", matrixPost("/samverkan/ny", agreementValues), managerPost},
		{"GET /samverkan/{id}", matrixGet(ag), readerPage},
		{"GET /samverkan/{id}/redigera", matrixGet(ag + "/redigera"), managerPage},
		{"POST /samverkan/{id}/redigera", matrixPost(ag+"/redigera", func(int) url.Values {
			v := agreementValues(0)
			v.Set("status", "signed")
			v.Set("signed_on", "2026-01-10")
			v.Set("party_org_2", "skolan")
			v.Set("party_signatory_2", "Rektor")
			return v
		}), managerPost},
		{"POST /samverkan/{id}/dokument", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			return postMultipart(t, c.client, ag+"/dokument", "document", "avtal.pdf", testPDF)
		}, managerPost},
		{"GET /samverkan/{id}/dokument", matrixGet(ag + "/dokument"), readerPage},
		{"GET /samverkan/{id}/atagande/ny", matrixGet(ag + "/atagande/ny"), managerPage},
		{"POST /samverkan/{id}/atagande/ny", matrixPost(ag+"/atagande/ny", func(int) url.Values { return commitmentValues() }), managerPost},
		{"GET /atagande/{id}", matrixGet(cm), readerPage},
		{"GET /atagande/{id}/redigera", matrixGet(cm + "/redigera"), managerPage},
		{"POST /atagande/{id}/redigera", matrixPost(cm+"/redigera", func(int) url.Values {
			return url.Values{"text": {"Polisen patrullerar vid centrum."}, "owner": {"polisen"}, "target_text": {"Minst 8 per månad"},
				"target_kind": {"minst"}, "target_value": {"8"}, "indicator_source": {"serie"}, "indicator_name": {"Patruller"}}
		}), managerPost},
		{"POST /atagande/{id}/uppdatering", matrixPost(cm+"/uppdatering", func(n int) url.Values {
			return url.Values{"day": {"2026-11-20"}, "comment": {fmt.Sprintf("Läget %d.", n)}}
		}), ownerPost},
		{"POST /atagande/{id}/trafikljus", matrixPost(cm+"/trafikljus", func(int) url.Values {
			return url.Values{"light": {"gul"}, "reason": {"Två pass ställdes in."}}
		}), ownerPost},
		{"POST /atagande/{id}/matvarden", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			return postMultipart(t, c.client, cm+"/matvarden", "file", "varden.csv", []byte("datum;värde\n2026-10;10\n"))
		}, ownerPost},
		{"POST /atagande/{id}/publicera", matrixPost(cm+"/publicera", func(int) url.Values {
			return url.Values{"update": {strconv.FormatInt(w.Update.ID, 10)}, "publish": {"1"}}
		}), managerPost},
		{"POST /atagande/{id}/trafikljus/publicera", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			t.Helper()
			// There is always an override to publish, whoever posted last.
			if err := env.Config.Commitments.SetLightOverride(trygg.NewOperatorContext(context.Background()), w.Commitment.ID,
				samverkan.LightYellow, "Två pass ställdes in."); err != nil {
				t.Fatal(err)
			}
			return c.client.post(cm+"/trafikljus/publicera", url.Values{"publish": {"1"}})
		}, managerPost},
		{"GET /atgarder", matrixGet("/atgarder"), readerPage},
		{"GET /atgarder/mina", matrixGet("/atgarder/mina"), partnerPage},
		{"GET /att-gora", matrixGet("/att-gora"), partnerPage},
		{"POST /att-gora/last", matrixPost("/att-gora/last", func(int) url.Values { return url.Values{} }),
			"anonymous=401 samordnare=303 rapportor=303 polis=303 socialtjanst=404 lasare=404 admin=404 disabled=401"},
		{"GET /atgarder/ny", matrixGet("/atgarder/ny"), managerPage},
		{"POST /atgarder/ny", matrixPost("/atgarder/ny", func(int) url.Values { return actionValues(w.Commitment.ID) }), managerPost},
		{"GET /atgarder/{id}", matrixGet(ac), "anonymous=303 samordnare=200 rapportor=404 polis=200 socialtjanst=404 lasare=200 admin=404 disabled=303"},
		{"POST /atgarder/{id}/status", matrixPost(ac+"/status", func(int) url.Values {
			return url.Values{"status": {"ongoing"}, "outcome": {"Beställt."}}
		}), ownerPost},
		{"GET /atgarder/{id}/redigera", matrixGet(ac + "/redigera"), managerPage},
		{"POST /atgarder/{id}/redigera", matrixPost(ac+"/redigera", func(int) url.Values { return actionValues(w.Commitment.ID) }), managerPost},
		{"GET /atgarder/kalender", matrixGet("/atgarder/kalender"), partnerPage},
		{"POST /atgarder/kalender", matrixPost("/atgarder/kalender", func(int) url.Values { return url.Values{} }),
			"anonymous=401 samordnare=200 rapportor=200 polis=200 socialtjanst=404 lasare=404 admin=404 disabled=401"},
		{"POST /atgarder/kalender/{id}/aterkalla", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			feed, _, err := env.Config.Actions.CreateCalendarFeed(trygg.NewOperatorContext(context.Background()), "polisen")
			if err != nil {
				t.Fatal(err)
			}
			return c.client.post(fmt.Sprintf("/atgarder/kalender/%d/aterkalla", feed.ID), url.Values{})
		}, ownerPost},
		{"GET /kalender/{file}", matrixGet("/kalender/" + w.Secret + ".ics"), everyone},
		{"GET /medborgarloften", matrixGet("/medborgarloften"), everyone},
		{"GET /medborgarloften/nyheter.atom", matrixGet("/medborgarloften/nyheter.atom"), everyone},
		{"GET /atgarder/{id}/effekt", matrixGet(ac + "/effekt"), effectPage},
		{"GET /atagande/{id}/effekt", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			// The world's commitment counts no reports: make one that does.
			rc, err := env.Config.Commitments.CreateCommitment(trygg.NewOperatorContext(context.Background()), w.Agreement.ID, reportsCommitment())
			if err != nil {
				t.Fatal(err)
			}
			return c.client.get(fmt.Sprintf("/atagande/%d/effekt", rc.ID))
		}, effectPage},
		{"GET /atgardsplan", matrixGet("/atgardsplan"), readerPage},
		{"GET /atgardsplan.pdf", matrixGet("/atgardsplan.pdf"), readerPage},
		{"GET /moten", matrixGet("/moten"), readerPage},
		{"POST /moten", matrixPost("/moten", func(int) url.Values { return url.Values{"day": {"2026-11-23"}} }), managerPost},
		{"GET /moten/{id}", matrixGet(mt), readerPage},
		{"POST /moten/{id}", matrixPost(mt, func(n int) url.Values {
			return url.Values{"attendees": {"polisen", "skolan"}, "minutes": {fmt.Sprintf("Protokoll %d.", n)}}
		}), managerPost},
		{"POST /moten/{id}/beslut", matrixPost(mt+"/beslut", func(n int) url.Values {
			v := actionValues(w.Commitment.ID)
			v.Set("decision_text", fmt.Sprintf("Beslut %d.", n))
			return v
		}), managerPost},
		{"POST /moten/{id}/stang", func(t *testing.T, env *testEnv, c *caller, _ int) response {
			m, err := env.Config.Meetings.CreateMeeting(trygg.NewOperatorContext(context.Background()), trygg.DayOf(testNow))
			if err != nil {
				t.Fatal(err)
			}
			return c.client.post(fmt.Sprintf("/moten/%d/stang", m.ID), url.Values{})
		}, managerPost},
		{"GET /medborgarloften/{id}/dokument", matrixGet("/medborgarloften/" + strconv.FormatInt(w.Agreement.ID, 10) + "/dokument"), everyone},
	}
}

func TestAgreementPages(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	c := env.signIn(t, "samordnare")

	bad := agreementValues(1)
	bad.Del("title")
	bad.Set("to", "2025-01-01")
	bad.Set("party_org_3", "finns-inte")
	resp := c.post("/samverkan/ny", bad)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `href="#title"`, `href="#to"`, "Ange en rubrik.", "Sista dagen får inte vara före första dagen.")
	checkPage(t, resp.Body)

	// The third row moves up to the second, so its error names row 2.
	bad = agreementValues(1)
	bad.Set("party_org_3", "finns-inte")
	resp = c.post("/samverkan/ny", bad)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `href="#party_org_2"`, `Det finns ingen organisation med koden &#34;finns-inte&#34;.`)

	resp = c.post("/samverkan/ny", agreementValues(1))
	wantStatus(t, resp, http.StatusSeeOther)
	path := resp.Header.Get("Location")
	page := c.follow(resp)
	wantContains(t, page.Body, "Överenskommelsen är sparad.", "Avtal 1", "Polisen lokalpolisområde Umeå – undertecknat av Lokalpolisområdeschef", "Ålidhem")
	checkPage(t, page.Body)

	resp = postMultipart(t, c, path+"/dokument", "document", "avtal.pdf", []byte("<html>en webbsida</html>"))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, "Filen är ingen PDF-fil.", `href="#document"`)
	resp = postMultipart(t, c, path+"/dokument", "document", "avtal.pdf", testPDF)
	wantStatus(t, resp, http.StatusSeeOther)
	resp = env.signIn(t, "lasare").get(path + "/dokument")
	wantStatus(t, resp, http.StatusOK)
	if resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || resp.Body != string(testPDF) {
		t.Fatalf("download: %v %q", resp.Header, resp.Body)
	}
	// A draft's document is not public.
	id := strings.TrimPrefix(path, "/samverkan/")
	wantStatus(t, env.anonymous(t).get("/medborgarloften/"+id+"/dokument"), http.StatusNotFound)

	// A bookmark from before ADR 0007, with the English status, filters
	// the same as the Swedish slug.
	var list response
	for _, status := range []string{"utkast", "draft"} {
		list = c.get("/samverkan?typ=trygghetsavtal&status=" + status + "&omrade=alidhem")
		wantContains(t, list.Body, "Avtal 1", `<option value="utkast" selected>`)
	}
	checkPage(t, list.Body)
	if list = c.get("/samverkan?omrade=haga"); strings.Contains(list.Body, "Avtal 1") {
		t.Error("the district filter lets Ålidhem's agreement through")
	}

	resp = c.post(path+"/atagande/ny", commitmentValues())
	wantStatus(t, resp, http.StatusSeeOther)
	page = c.follow(resp)
	wantContains(t, page.Body, "Färre klotter vid skolan.", "Grått – för lite underlag", "Rapporter om klotter")
	checkPage(t, page.Body)
}

func TestCommitmentPages(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	w, err := newSamverkanWorld(env)
	if err != nil {
		t.Fatal(err)
	}
	cm := "/atagande/" + strconv.FormatInt(w.Commitment.ID, 10)
	polis := env.signIn(t, "polis")

	resp := postMultipart(t, polis, cm+"/matvarden", "file", "v.csv", []byte("datum;värde\n2026-09;9\n2026-10;tio\n"))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, "rad 3, kolumn värde: &#34;tio&#34; är inget tal")
	resp = postMultipart(t, polis, cm+"/matvarden", "file", "v.csv", []byte("datum;värde\n2026-09;9\n2026-10;6\n"))
	wantStatus(t, resp, http.StatusSeeOther)
	page := polis.follow(resp)
	wantContains(t, page.Body, "Mätvärdena är inlästa.", "Rött – målet nås inte", "Senaste mätvärdet är 6; målet är minst 8 per månad.")

	resp = polis.post(cm+"/trafikljus", url.Values{"light": {"gul"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `href="#reason"`)
	resp = polis.post(cm+"/trafikljus", url.Values{"light": {"gul"}, "reason": {"Oktober hade två inställda pass."}})
	wantStatus(t, resp, http.StatusSeeOther)
	page = polis.follow(resp)
	wantContains(t, page.Body, "Gult – på väg", "Färgen är satt för hand (beräknad: Rött – målet nås inte). Skäl: Oktober hade två inställda pass.")
	checkPage(t, page.Body)

	// One value entered by hand, with the same rules.
	resp = polis.post(cm+"/matvarden", url.Values{"one": {"1"}, "point_day": {"2026-10-15"}, "point_value": {"sju"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `href="#point_value"`, `value="sju"`, "Ange ett tal, till exempel 12 eller 3,5.")
	for _, day := range []string{"", "1999-12-31"} {
		resp = polis.post(cm+"/matvarden", url.Values{"one": {"1"}, "point_day": {day}, "point_value": {"7"}})
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		wantContains(t, resp.Body, `href="#point_day"`, "Ange ett datum mellan år 2000 och 2100.")
	}
	resp = polis.post(cm+"/matvarden", url.Values{"one": {"1"}, "point_day": {"2026-10-15"}, "point_value": {"7,5"}})
	wantStatus(t, resp, http.StatusSeeOther)
	page = polis.follow(resp)
	wantContains(t, page.Body, "Mätvärdet är sparat.", "Senaste mätvärdet är 7,5; målet är minst 8 per månad.")
	checkPage(t, page.Body)

	resp = polis.post(cm+"/uppdatering", url.Values{"day": {"2026-12-01"}, "comment": {"Framtid."}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, "En uppdatering kan inte dateras i framtiden.", "Framtid.")
	resp = polis.post(cm+"/uppdatering", url.Values{"day": {"2026-11-19"}, "comment": {"Publik text om patrullerna."}})
	wantStatus(t, resp, http.StatusSeeOther)

	// Only what the samordnare publishes reaches the public page.
	pub := env.anonymous(t).get("/medborgarloften")
	wantStatus(t, pub, http.StatusOK)
	wantContains(t, pub.Body, "Trygghetsavtal Ålidhem centrum 0", "Polisen patrullerar vid centrum på kvällstid.")
	if strings.Contains(pub.Body, "Publik text om patrullerna.") || strings.Contains(pub.Body, "Tio patruller i oktober.") {
		t.Fatal("an unpublished update is public")
	}
	if strings.Contains(pub.Body, "Oktober hade två inställda pass.") || strings.Contains(pub.Body, "satt för hand") {
		t.Fatal("a partner's manual light is public before the samordnare approved it")
	}
	checkPage(t, pub.Body)
	updates, err := env.Config.Commitments.FindCommitmentUpdates(trygg.NewOperatorContext(context.Background()), w.Commitment.ID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(updates, func(u *samverkan.CommitmentUpdate) bool { return u.Comment == "Publik text om patrullerna." })
	sam := env.signIn(t, "samordnare")
	resp = sam.post(cm+"/publicera", url.Values{"update": {strconv.FormatInt(updates[i].ID, 10)}, "publish": {"1"}})
	wantStatus(t, resp, http.StatusSeeOther)
	page = sam.follow(sam.post(cm+"/trafikljus/publicera", url.Values{"publish": {"1"}}))
	wantContains(t, page.Body, "Den och skälet visas för allmänheten.")
	pub = env.anonymous(t).get("/medborgarloften")
	wantContains(t, pub.Body, "Senaste nytt (2026-11-19):</strong> Publik text om patrullerna.", "Gult – på väg", "Oktober hade två inställda pass.")
	if strings.Contains(pub.Body, "Test polis") {
		t.Fatal("the public page names a person")
	}
	atom := env.anonymous(t).get("/medborgarloften/nyheter.atom")
	wantStatus(t, atom, http.StatusOK)
	var feed atomFeed
	if err := xml.Unmarshal([]byte(atom.Body), &feed); err != nil {
		t.Fatalf("the feed is not XML: %v\n%s", err, atom.Body)
	}
	if atom.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" || len(feed.Entries) != 1 ||
		feed.Entries[0].Summary != "2026-11-19: Publik text om patrullerna." || feed.Entries[0].Author.Name != "Polisen lokalpolisområde Umeå" ||
		feed.Updated != "2026-11-20T18:30:00Z" || !strings.HasSuffix(feed.Links[0].Href, "/medborgarloften/nyheter.atom") {
		t.Fatalf("feed %+v", feed)
	}
	if strings.Contains(atom.Body, "Test polis") || strings.Contains(atom.Body, "Tio patruller") {
		t.Fatal("the feed holds a name or an unpublished update")
	}
}

func TestMyActions(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	w, err := newSamverkanWorld(env)
	if err != nil {
		t.Fatal(err)
	}
	op := trygg.NewOperatorContext(context.Background())
	for _, tc := range []struct {
		title, org string
		days       int
	}{{"Försenad åtgärd", "polisen", -2}, {"Skolans åtgärd", "skolan", -2}, {"Långt kvar", "polisen", 30}} {
		in := actionInput(w.Commitment.ID, tc.org, tc.days)
		in.Title = tc.title
		if _, err := env.Config.Actions.CreateAction(op, in); err != nil {
			t.Fatal(err)
		}
	}
	page := env.signIn(t, "polis").get("/atgarder/mina")
	wantStatus(t, page, http.StatusOK)
	checkPage(t, page.Body)
	wantContains(t, page.Body, "Min organisations åtgärder", "1 försenade", "1 ska vara klara inom 7 dagar",
		`<tr class="overdue">`, "Försenad åtgärd", `<tr class="due-soon">`, "Extra belysning vid gångtunneln", "Långt kvar")
	if strings.Contains(page.Body, "Skolans åtgärd") {
		t.Fatal("another organisation's action is listed")
	}
	// Overdue first, then due soon, then the rest.
	if i, j, k := strings.Index(page.Body, "Försenad åtgärd"), strings.Index(page.Body, "Extra belysning"), strings.Index(page.Body, "Långt kvar"); !(i < j && j < k) {
		t.Fatalf("order %d %d %d", i, j, k)
	}

	ac := "/atgarder/" + strconv.FormatInt(w.Action.ID, 10)
	rap := env.signIn(t, "rapportor2") // a rapportör at polisen
	resp := rap.post(ac+"/status", url.Values{"status": {"cancelled"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `href="#cancel_reason"`)
	resp = rap.post(ac+"/status", url.Values{"status": {"done"}, "outcome": {"Lamporna sitter uppe."}})
	wantStatus(t, resp, http.StatusSeeOther)
	page = rap.follow(resp)
	wantContains(t, page.Body, "Åtgärdens status är sparad.", "Klar", "Lamporna sitter uppe.")
	checkPage(t, page.Body)
}

var feedURL = regexp.MustCompile(`value="(https?://[^"]+/kalender/([^"]+))"`)

func TestCalendarFeedPages(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	if _, err := newSamverkanWorld(env); err != nil {
		t.Fatal(err)
	}
	polis := env.signIn(t, "polis")
	resp := polis.post("/atgarder/kalender", url.Values{})
	wantStatus(t, resp, http.StatusOK)
	checkPage(t, resp.Body)
	m := feedURL.FindStringSubmatch(resp.Body)
	if m == nil {
		t.Fatalf("no feed address on the page:\n%s", resp.Body)
	}
	ics := env.anonymous(t).get("/kalender/" + m[2])
	wantStatus(t, ics, http.StatusOK)
	if ics.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Fatalf("content type %q", ics.Header.Get("Content-Type"))
	}
	wantContains(t, ics.Body, "BEGIN:VCALENDAR\r\n", "X-WR-CALNAME:Åtgärder – Polisen lokalpolisområde Umeå\r\n",
		"SUMMARY:Klart senast: Extra belysning vid gångtunneln\r\n", "DTSTART;VALUE=DATE:20261125\r\n", "END:VCALENDAR\r\n")

	feeds, err := env.Config.Actions.FindCalendarFeeds(trygg.NewOperatorContext(context.Background()), "polisen")
	if err != nil {
		t.Fatal(err)
	}
	resp = polis.post(fmt.Sprintf("/atgarder/kalender/%d/aterkalla", feeds[0].ID), url.Values{})
	wantStatus(t, resp, http.StatusSeeOther)
	wantContains(t, polis.follow(resp).Body, "återkallad")
	wantStatus(t, env.anonymous(t).get("/kalender/"+m[2]), http.StatusNotFound)
	wantStatus(t, env.anonymous(t).get("/kalender/nagot-gissat.ics"), http.StatusNotFound)
}

func FuzzAgreementForm(f *testing.F) {
	f.Add("trygghetsavtal", "Avtal", "2026-01-01", "2026-12-31", "signed", "2026-01-10", "polisen", "Chef", "alidhem")
	f.Add("x", "", "2026-13-01", "igår", "draft", "2026-01-10", "", "", "")
	f.Fuzz(func(t *testing.T, typ, title, from, to, status, signed, org, signatory, area string) {
		form := agreementForm{Type: typ, Title: title, From: from, To: to, Status: status, SignedOn: signed,
			Areas: []string{area}, Parties: []partyRow{{Org: org, Signatory: signatory}}}
		in, err := form.Validate()
		if err != nil {
			if trygg.ErrorCode(err) != trygg.EINVALID || len(trygg.ErrorFields(err)) == 0 {
				t.Fatalf("err = %v, want EINVALID naming fields", err)
			}
			return
		}
		if in.To < in.From || !in.Type.Valid() || len(in.Parties) != 1 {
			t.Fatalf("accepted %+v", in)
		}
	})
}

func TestMeetingPages(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	w, err := newSamverkanWorld(env)
	if err != nil {
		t.Fatal(err)
	}
	sam := env.signIn(t, "samordnare")
	resp := sam.post("/moten", url.Values{"day": {"igår"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `href="#day"`)
	resp = sam.post("/moten", url.Values{"day": {"2026-11-23"}})
	wantStatus(t, resp, http.StatusSeeOther)
	mt := resp.Header.Get("Location")
	page := sam.follow(resp)
	// The agenda: the week before the meeting, and the action due in 5
	// days (2 days after the meeting).
	wantContains(t, page.Body, "Samordningsmöte vecka 48 2026", "Lägesbilden vecka 47 2026", "Extra belysning vid gångtunneln", "0 försenade, 1 inom 7 dagar")
	checkPage(t, page.Body)

	resp = sam.post(mt, url.Values{"attendees": {"polisen", "skolan"}, "minutes": {"Lägesbilden gicks igenom."}})
	wantStatus(t, resp, http.StatusSeeOther)
	// A decision with half an action is refused and keeps what was typed.
	resp = sam.post(mt+"/beslut", url.Values{"decision_text": {"Kvällspatrull vid centrum."}, "title": {"Kvällspatrull"}, "start": {"2026-11-23"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantContains(t, resp.Body, `href="#owner"`, "Kvällspatrull vid centrum.")
	checkPage(t, resp.Body)
	v := actionValues(w.Commitment.ID)
	v.Del("commitment")
	v.Set("title", "Kvällspatrull")
	v.Set("decision_text", "Kvällspatrull vid centrum.")
	resp = sam.post(mt+"/beslut", v)
	wantStatus(t, resp, http.StatusSeeOther)
	resp = sam.post(mt+"/beslut", url.Values{"decision_text": {"Uppföljning nästa vecka."}})
	wantStatus(t, resp, http.StatusSeeOther)
	page = sam.follow(resp)
	wantContains(t, page.Body, "Beslutet är sparat.", "Kvällspatrull vid centrum.", `Åtgärd: <a href="/atgarder/`, "Uppföljning nästa vecka.")

	// The police see the action the decision created in their list, and
	// it links back to the meeting.
	polis := env.signIn(t, "polis")
	mine := polis.get("/atgarder/mina")
	wantContains(t, mine.Body, "Kvällspatrull")
	m := regexp.MustCompile(`<a href="(/atgarder/\d+)">Kvällspatrull</a>`).FindStringSubmatch(mine.Body)
	if m == nil {
		t.Fatal("no link to the decided action")
	}
	wantContains(t, polis.get(m[1]).Body, `<a href="`+mt+`">på samordningsmötet</a>`)

	resp = sam.post(mt+"/stang", url.Values{})
	wantStatus(t, resp, http.StatusSeeOther)
	page = sam.follow(resp)
	wantContains(t, page.Body, "protokollet är låst", "Lägesbilden gicks igenom.", "Polisen lokalpolisområde Umeå, Ålidhemsskolan")
	if strings.Contains(page.Body, `action="`+mt+`/beslut"`) {
		t.Fatal("a closed meeting still offers the decision form")
	}
	checkPage(t, page.Body)
	wantStatus(t, sam.post(mt, url.Values{"minutes": {"Ändrat."}}), http.StatusConflict)
	page = env.signIn(t, "lasare").get(mt)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, "Lägesbilden gicks igenom.")
}

func TestEffectPages(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	w, err := newSamverkanWorld(env)
	if err != nil {
		t.Fatal(err)
	}
	op := trygg.NewOperatorContext(context.Background())
	rc, err := env.Config.Commitments.CreateCommitment(op, w.Agreement.ID, reportsCommitment())
	if err != nil {
		t.Fatal(err)
	}
	// The action started 30 days ago (week 43): weeks 44–46 are after,
	// weeks 40–42 before. The fixture's three klotter reports fall in week
	// 47 and count in neither.
	page := env.signIn(t, "lasare").get(fmt.Sprintf("/atgarder/%d/effekt", w.Action.ID))
	wantStatus(t, page, http.StatusOK)
	checkPage(t, page.Body)
	wantContains(t, page.Body, "För få rapporter (0)", "vecka 40–42 2026", "vecka 44–46 2026", "Alla rapporter i Ålidhem.", `<svg`)

	page = env.signIn(t, "polis").get(fmt.Sprintf("/atagande/%d/effekt", rc.ID))
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, "Start 2026-01-01. Rapporter om Klotter i Ålidhem.")

	// Series: monthly values through 2025 and 2026 up to October; the
	// agreement started 1 January 2026, so ten values after, ten before.
	monthly := func(value func(i int) float64) []samverkan.IndicatorPoint {
		var out []samverkan.IndicatorPoint
		for i := range 22 {
			out = append(out, samverkan.IndicatorPoint{Day: trygg.DateDay(2025, time.Month(1+i), 1), Value: value(i)})
		}
		return out
	}
	series := func(kind samverkan.IndicatorKind, points []samverkan.IndicatorPoint) int64 {
		t.Helper()
		in := seriesCommitment()
		in.Indicator.Kind = kind
		c, err := env.Config.Commitments.CreateCommitment(op, w.Agreement.ID, in)
		if err == nil {
			err = env.Config.Commitments.SaveIndicatorPoints(op, c.ID, points)
		}
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	walks := series(samverkan.IndicatorCounts, monthly(func(i int) float64 { return float64(4 + 4*(i/12)) }))
	page = env.signIn(t, "samordnare").get(fmt.Sprintf("/atagande/%d/effekt", walks))
	wantStatus(t, page, http.StatusOK)
	checkPage(t, page.Body)
	wantContains(t, page.Body, "Antalet ökade efter starten: kvoten är 2,00", "40 under 10 värden (2025-03-01 – 2025-12-01)",
		"80 under 10 värden (2026-01-01 – 2026-10-01)", "Kvot (95 % konfidensintervall)", "R:s poisson.test")

	share := series(samverkan.IndicatorMeasure, monthly(func(i int) float64 { return 0.6 + 0.1*float64(i/12) + 0.01*float64(i%3) }))
	page = env.signIn(t, "lasare").get(fmt.Sprintf("/atagande/%d/effekt", share))
	wantStatus(t, page, http.StatusOK)
	checkPage(t, page.Body)
	wantContains(t, page.Body, "Mätvärdena steg efter starten: medelvärdet är 0,1 högre", "Skillnad i medelvärde", "Welchs t-test",
		"Mätningar, till exempel andelen trygga i en enkät")

	few := series(samverkan.IndicatorMeasure, []samverkan.IndicatorPoint{{Day: trygg.DateDay(2025, 12, 1), Value: 0.5}, {Day: trygg.DateDay(2026, 2, 1), Value: 0.6}})
	page = env.signIn(t, "polis").get(fmt.Sprintf("/atagande/%d/effekt", few))
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, "För få mätvärden (1 före och 1 efter starten)")

	// The ads: weekly counts read live from the advertising indicator.
	var weeks []operativ.AdWeek
	for d := trygg.DateDay(2025, 10, 6); d < trygg.DateDay(2026, 11, 16); d += 7 {
		n := 30
		if d >= trygg.DateDay(2026, 1, 5) {
			n = 15
		}
		weeks = append(weeks, operativ.AdWeek{Week: d, Ads: n})
	}
	if err := env.Config.Ads.SaveAdCounts(trygg.NewContextWithUser(context.Background(), env.Users["polis"]), weeks); err != nil {
		t.Fatal(err)
	}
	in := seriesCommitment()
	in.Indicator = samverkan.Indicator{Source: samverkan.IndicatorAds, Name: "Annonser"}
	ads, err := env.Config.Commitments.CreateCommitment(op, w.Agreement.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	page = env.signIn(t, "lasare").get(fmt.Sprintf("/atagande/%d/effekt", ads.ID))
	wantStatus(t, page, http.StatusOK)
	checkPage(t, page.Body)
	wantContains(t, page.Body, "Annonserna minskade efter starten: kvoten är 0,50", "Annonser om sex mot ersättning")
	page = env.signIn(t, "polis").get(fmt.Sprintf("/atagande/%d", ads.ID))
	wantStatus(t, page, http.StatusOK)
	checkPage(t, page.Body)
	// Ten months of 2026 are over; the light reads the newest, October's 4 or 5 weeks of 15.
	wantContains(t, page.Body, "läses direkt ur", `href="/operativ/annonser"`, "Senaste mätvärdet är")
	if strings.Contains(page.Body, `action="/atagande/`+fmt.Sprint(ads.ID)+`/matvarden"`) {
		t.Fatal("an indicator read from the ads offers to take values")
	}
}

func TestActionPlan(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	if _, err := newSamverkanWorld(env); err != nil {
		t.Fatal(err)
	}
	c := env.signIn(t, "lasare")
	page := c.get("/atgardsplan")
	wantStatus(t, page, http.StatusOK)
	checkPage(t, page.Body)
	wantContains(t, page.Body, "Trygghetsavtal Ålidhem centrum 0", "<h3>Ålidhem</h3>", "Extra belysning vid gångtunneln",
		"<h3>Polisen lokalpolisområde Umeå</h3>", "Polisen patrullerar vid centrum på kvällstid.")
	doc := c.get("/atgardsplan.pdf")
	wantStatus(t, doc, http.StatusOK)
	if doc.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(doc.Body, "%PDF-") {
		t.Fatalf("not a PDF: %v", doc.Header)
	}
}

func FuzzCommitmentForm(f *testing.F) {
	f.Add("Färre klotter.", "polisen", "20 % färre", "minska", "20", "2025-01-01", "2025-12-31", "rapporter", "antal", "Klotter", "alidhem", "klotter")
	f.Add("Tryggare centrum.", "umebra", "Minst 70 %", "minst", "70,5", "", "", "serie", "matvarde", "Andel trygga", "", "")
	f.Add("", "", "", "mer", "-1", "igår", "2025-13-01", "annonser", "procent", "", "x", "y")
	f.Fuzz(func(t *testing.T, text, owner, targetText, targetKind, targetValue, baseFrom, baseTo, source, kind, name, area, category string) {
		form := commitmentForm{Text: text, Owner: owner, TargetText: targetText, TargetKind: targetKind, TargetValue: targetValue,
			BaselineFrom: baseFrom, BaselineTo: baseTo, Source: source, IndicatorKind: kind, IndicatorName: name,
			Areas: []string{area}, Categories: []string{category}}
		in, err := form.Validate()
		if err != nil {
			if trygg.ErrorCode(err) != trygg.EINVALID || len(trygg.ErrorFields(err)) == 0 {
				t.Fatalf("err = %v, want EINVALID naming fields", err)
			}
			return
		}
		if !slices.Contains(samverkan.IndicatorSources, in.Indicator.Source) || !slices.Contains(samverkan.IndicatorKinds, in.Indicator.Kind) ||
			(in.Indicator.Source != samverkan.IndicatorSeries && in.Indicator.Kind != samverkan.IndicatorCounts) ||
			(in.Target.Kind == samverkan.TargetReduce && in.Target.BaselineTo < in.Target.BaselineFrom) {
			t.Fatalf("accepted %+v", in)
		}
	})
}

func FuzzActionForm(f *testing.F) {
	f.Add("Extra belysning", "Vid tunneln.", "umebra", "", "alidhem", "2026-11-01", "2026-11-30", "")
	f.Add("", "", "", "x", "", "2026-11-30", "2026-11-01", "abc")
	f.Fuzz(func(t *testing.T, title, description, owner, ownerUser, area, start, deadline, commitment string) {
		form := actionForm{Title: title, Description: description, Owner: owner, OwnerUser: ownerUser, Areas: []string{area},
			Start: start, Deadline: deadline, Commitment: commitment}
		in, err := form.Validate()
		if err != nil {
			if trygg.ErrorCode(err) != trygg.EINVALID || len(trygg.ErrorFields(err)) == 0 {
				t.Fatalf("err = %v, want EINVALID naming fields", err)
			}
			return
		}
		if in.Deadline < in.Start || in.Title == "" {
			t.Fatalf("accepted %+v", in)
		}
	})
}
