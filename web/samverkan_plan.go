package web

import (
	"bytes"
	"net/http"
	"slices"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/pdf"
	"github.com/trygg-est/trygg/samverkan"
)

// The åtgärdsplan that lag 2023:196 requires: built from the agreements
// in force, their commitments and the actions, per district and per
// partner, as a page to print and as a PDF for the municipal board.

func (s *Server) planRoutes() []route {
	return []route{
		{pattern: "GET /atgardsplan", name: "action_plan", roles: samverkanReaders, handler: s.actionPlan},
		{pattern: "GET /atgardsplan.pdf", name: "action_plan_pdf", roles: samverkanReaders, handler: s.actionPlanPDF},
	}
}

// planWindow is how far back done and cancelled actions stay in the plan,
// in days: the plan reports the last year's work besides what is under way.
const planWindow = 365

// planLine is one action in the plan.
type planLine struct {
	*samverkan.Action
	Overdue bool
}

// Text says the action in one line, for the PDF.
func (l planLine) Text() string {
	s := l.Title + " – " + l.OwnerOrgName + ", klart senast " + l.Deadline.String() + ", " + l.Status.Label()
	if l.Overdue {
		s += " (försenad)"
	}
	return s
}

type planDistrict struct {
	Name       string
	Agreements []string
	Actions    []planLine
}

type planPartner struct {
	Name        string
	Commitments []*samverkan.Commitment
	Actions     []planLine
}

type planData struct {
	Today      trygg.Day
	Agreements []*samverkan.Agreement
	Districts  []planDistrict
	Partners   []planPartner
}

// buildPlan gathers the plan: the signed agreements in force today, and the
// actions that are open or ended within planWindow days, grouped by
// district (an action without districts concerns the whole municipality)
// and by owning organisation.
func (s *Server) buildPlan(r *http.Request) (*planData, error) {
	ctx := r.Context()
	today := trygg.DayOf(s.now())
	agreements, err := s.cfg.Agreements.FindAgreements(ctx, samverkan.AgreementFilter{Status: samverkan.AgreementSigned})
	if err != nil {
		return nil, err
	}
	actions, err := s.cfg.Actions.FindActions(ctx, samverkan.ActionFilter{})
	if err != nil {
		return nil, err
	}
	l, err := s.lookups(r)
	if err != nil {
		return nil, err
	}
	d := &planData{Today: today}
	for _, a := range agreements {
		if a.From <= today && today <= a.To {
			d.Agreements = append(d.Agreements, a)
		}
	}
	const whole = "Hela kommunen"
	districts := map[string]*planDistrict{}
	district := func(name string) *planDistrict {
		if districts[name] == nil {
			districts[name] = &planDistrict{Name: name}
		}
		return districts[name]
	}
	partners := map[string]*planPartner{}
	partner := func(name string) *planPartner {
		if partners[name] == nil {
			partners[name] = &planPartner{Name: name}
		}
		return partners[name]
	}
	for _, a := range d.Agreements {
		for _, c := range a.Areas {
			district(l.Names.Area(c)).Agreements = append(district(l.Names.Area(c)).Agreements, a.Title)
		}
		if len(a.Areas) == 0 {
			district(whole).Agreements = append(district(whole).Agreements, a.Title)
		}
		for _, c := range a.Commitments {
			partner(c.OwnerOrgName).Commitments = append(partner(c.OwnerOrgName).Commitments, c)
		}
	}
	for _, a := range actions {
		if !a.Open() && a.Deadline < today-planWindow {
			continue
		}
		line := planLine{Action: a, Overdue: a.Overdue(today)}
		for _, c := range a.Areas {
			district(l.Names.Area(c)).Actions = append(district(l.Names.Area(c)).Actions, line)
		}
		if len(a.Areas) == 0 {
			district(whole).Actions = append(district(whole).Actions, line)
		}
		partner(a.OwnerOrgName).Actions = append(partner(a.OwnerOrgName).Actions, line)
	}
	for _, k := range sortedKeys(districts) {
		d.Districts = append(d.Districts, *districts[k])
	}
	for _, k := range sortedKeys(partners) {
		d.Partners = append(d.Partners, *partners[k])
	}
	return d, nil
}

func sortedKeys[T any](m map[string]T) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (s *Server) actionPlan(w http.ResponseWriter, r *http.Request) {
	d, err := s.buildPlan(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "samverkan_plan", view{Title: "Åtgärdsplan " + d.Today.String(), Nav: "samverkan", Data: d})
}

// actionPlanPDF writes the same plan as a PDF.
func (s *Server) actionPlanPDF(w http.ResponseWriter, r *http.Request) {
	d, err := s.buildPlan(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	title := "Åtgärdsplan " + d.Today.String()
	doc := pdf.New(pdf.Meta{Title: title, Subject: "Åtgärdsplan enligt lag (2023:196)", Created: d.Today.Start(), Footer: title})
	doc.Heading(1, title)
	doc.Paragraph("Åtgärdsplan enligt lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete, sammanställd ur de överenskommelser som gäller, deras åtaganden och åtgärderna, per stadsdel och per part.")
	doc.Heading(2, "Överenskommelser som gäller")
	var items []string
	for _, a := range d.Agreements {
		items = append(items, a.Type.Label()+": "+a.Title+" ("+a.From.String()+" – "+a.To.String()+")")
	}
	doc.Bullets(orNoneList(items))
	doc.Heading(2, "Per stadsdel")
	for _, dist := range d.Districts {
		doc.Heading(3, dist.Name)
		if len(dist.Agreements) > 0 {
			doc.Muted("Överenskommelser: " + strings.Join(dist.Agreements, "; "))
		}
		doc.Bullets(orNoneList(lines(dist.Actions)))
	}
	doc.Heading(2, "Per part")
	for _, p := range d.Partners {
		doc.Heading(3, p.Name)
		var cs []string
		for _, c := range p.Commitments {
			cs = append(cs, "Åtagande: "+c.Text+" Mål: "+c.Target.Text+".")
		}
		doc.Bullets(append(cs, orNoneList(lines(p.Actions))...))
	}
	var buf bytes.Buffer
	if err := doc.Write(&buf); err != nil {
		s.error(w, r, err)
		return
	}
	sendPDF(w, "atgardsplan-"+d.Today.String()+".pdf", buf.Bytes())
}

func lines(ls []planLine) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Text()
	}
	return out
}

func orNoneList(items []string) []string {
	if len(items) == 0 {
		return []string{"Inga."}
	}
	return items
}
