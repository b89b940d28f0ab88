package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
)

// TestNoticesPage: the police's "Att göra" lists the action due in five
// days and the action a meeting decision gave them; marked read, the
// decision leaves the list of new ones. The school has nothing to do.
func TestNoticesPage(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	w, err := newSamverkanWorld(env)
	if err != nil {
		t.Fatal(err)
	}
	decided := actionInput(w.Commitment.ID, "polisen", 30)
	decided.Title = "Kvällspatrull efter mötet"
	op := trygg.NewOperatorContext(context.Background())
	if _, err := env.Config.Meetings.AddDecision(op, w.Meeting.ID, samverkan.DecisionInput{Text: "Polisen patrullerar.", Action: &decided}); err != nil {
		t.Fatal(err)
	}

	polis := env.signIn(t, "polis")
	page := polis.get("/att-gora")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, `href="/att-gora" aria-current="page"`, "0 försenade", "1 inom 7 dagar", "1 nya beslut",
		w.Action.Title, "Inom 7 dagar", decided.Title, "Markera besluten som lästa")
	checkPage(t, page.Body)

	resp := polis.post("/att-gora/last", url.Values{})
	wantStatus(t, resp, http.StatusSeeOther)
	page = polis.follow(resp)
	wantContains(t, page.Body, "Besluten är markerade som lästa.", "0 nya beslut", "Inga nya beslut.", w.Action.Title)
	if strings.Contains(page.Body, decided.Title) {
		t.Error("a decision marked read is still listed")
	}

	page = env.signIn(t, "rapportor").get("/att-gora")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, "Inget att göra just nu.")
	checkPage(t, page.Body)
}
