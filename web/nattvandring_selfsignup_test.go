package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/nattvandring"
)

// TestNattvandringSelfSignUp is a volunteer's own page: not signed in,
// with the link's token. It shows the first name only and no other
// volunteer, is never stored or sent on as Referer, answers 404 to a bad
// token, shows the refusal of a lapsed introduction, and the token stays
// out of the request log.
func TestNattvandringSelfSignUp(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	logs := env.Logs
	w := newNightWorld(t, env)
	svc := env.Config.Nattvandring
	lead := trygg.NewOperatorContext(context.Background()) // acts as every group's leader
	c := env.anonymous(t)
	path := nattvandring.SignUpLinkPath(w.token)

	resp := c.get(path)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Body, "Hej Wilhelmina!") || !strings.Contains(resp.Body, "Ålidhems centrum") {
		t.Fatalf("page: %d\n%.600s", resp.StatusCode, resp.Body)
	}
	for _, name := range append(append([]string{"Zetterqvist"}, w.names[1:]...), w.names2...) {
		if strings.Contains(resp.Body, name) {
			t.Errorf("the page shows %q", name)
		}
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q", got)
	}
	if got := resp.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy = %q", got)
	}
	if !strings.Contains(resp.Body, "Du är anmäld") {
		t.Errorf("not shown as signed up")
	}

	// Cancel, then sign up again through the form.
	form := func(action string) url.Values {
		return url.Values{"walk": {fmt.Sprint(w.walk.ID)}, "action": {action}}
	}
	for _, action := range []string{"avanmal", "anmal"} {
		if resp := c.post(path, form(action)); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%.400s", action, resp.StatusCode, resp.Body)
		}
	}
	if resp := c.get(path); !strings.Contains(resp.Body, "Du är anmäld") {
		t.Errorf("not signed up again")
	}

	// A bad or revoked token: 404, for GET and POST.
	for _, p := range []string{nattvandring.SignUpLinkPath("inte-en-riktig-nyckel"), nattvandring.SignUpLinkPath(w.token + "x")} {
		if resp := c.get(p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
		}
		if resp := c.post(p, form("anmal")); resp.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s: %d", p, resp.StatusCode)
		}
	}

	// A lapsed introduction: the page says why.
	lapsed, err := svc.CreateVolunteer(lead, w.group.ID, nattvandring.VolunteerInput{Name: "Sigvard Lapsing", Phone: "070-555 02 02"})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.AddTraining(lead, lapsed.ID, nattvandring.TrainingInput{Kind: nattvandring.TrainingIntroduction, On: trygg.DateDay(2020, 1, 1)}); err != nil {
		t.Fatal(err)
	}
	token, err := svc.CreateSignUpLink(lead, lapsed.ID)
	if err != nil {
		t.Fatal(err)
	}
	resp = c.post(nattvandring.SignUpLinkPath(token), form("anmal"))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.Body, "Du kan inte anmäla dig") ||
		!strings.Contains(resp.Body, "gällde till") || !strings.Contains(resp.Body, fmt.Sprintf(`href="#walk-%d"`, w.walk.ID)) {
		t.Errorf("refusal: %d\n%.1500s", resp.StatusCode, resp.Body)
	}
	if strings.Contains(resp.Body, "Wilhelmina") || strings.Contains(resp.Body, "Lapsing") {
		t.Errorf("names on the refused page")
	}

	// Revoked: 404.
	if err := svc.RevokeSignUpLink(lead, lapsed.ID); err != nil {
		t.Fatal(err)
	}
	if resp := c.get(nattvandring.SignUpLinkPath(token)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("revoked link: %d", resp.StatusCode)
	}
	if strings.Contains(logs.String(), w.token) || strings.Contains(logs.String(), token) || !strings.Contains(logs.String(), "nattvandring_self") {
		t.Errorf("request log:\n%s", logs.String())
	}
}

// TestNattvandringLinkForm: the leader makes a link on the volunteers
// page; it is shown once, and then only that one exists.
func TestNattvandringLinkForm(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	w := newNightWorld(t, env)
	c := env.signIn(t, "ledare")
	v := w.volunteers[1]
	resp := c.post(fmt.Sprintf("/nattvandring/frivillig/%d/lank", v.ID), url.Values{"group": {fmt.Sprint(w.group.ID)}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Body, "Den visas bara nu") || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("link form: %d\n%.600s", resp.StatusCode, resp.Body)
	}
	i := strings.Index(resp.Body, "/nattvandring/anmalan/")
	if i < 0 {
		t.Fatal("no link on the page")
	}
	token := resp.Body[i+len("/nattvandring/anmalan/"):]
	token = token[:strings.IndexByte(token, '"')]
	if again := c.get(fmt.Sprintf("/nattvandring/grupp/%d/frivilliga", w.group.ID)); strings.Contains(again.Body, token) ||
		!strings.Contains(again.Body, "Har en länk för anmälan") {
		t.Errorf("the link is shown again, or its existence is not")
	}
	if resp := env.anonymous(t).get(nattvandring.SignUpLinkPath(token)); !strings.Contains(resp.Body, "Hej Ragnvald!") {
		t.Errorf("the new link: %d", resp.StatusCode)
	}
	if resp := c.post(fmt.Sprintf("/nattvandring/frivillig/%d/lank/aterkalla", v.ID), url.Values{"group": {fmt.Sprint(w.group.ID)}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("revoke: %d", resp.StatusCode)
	}
	if resp := env.anonymous(t).get(nattvandring.SignUpLinkPath(token)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("revoked link: %d", resp.StatusCode)
	}
}
