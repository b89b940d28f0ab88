package web

import (
	"encoding/xml"
	"html/template"
	"net/http"
	"strconv"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
)

func (s *Server) publicSamverkanRoutes() []route {
	return []route{
		{pattern: "GET /medborgarloften", name: "public_promises", access: publicPage, handler: s.publicCache(s.publicPromises)},
		{pattern: "GET /medborgarloften/{id}/dokument", name: "public_promise_document", access: publicPage, handler: s.publicDocument},
		{pattern: "GET /medborgarloften/nyheter.atom", name: "public_promise_feed", access: public, handler: s.publicFeed},
	}
}

// publicCommitment is what the public sees of one commitment.
type publicCommitment struct {
	*samverkan.Commitment
	Assessment samverkan.Assessment
	Update     *samverkan.CommitmentUpdate // the newest published one, or nil
	Chart      template.HTML
}

type publicAgreement struct {
	*samverkan.Agreement
	Commitments []publicCommitment
}

type publicPromisesData struct {
	Agreements []publicAgreement
	Areas      map[string]string
}

// publicPromises lists every signed medborgarlöfte and trygghetsavtal with
// its commitments' traffic lights and the newest update the samordnare
// published; internal notes never appear. Small report counts are
// suppressed before the lights are computed.
func (s *Server) publicPromises(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	list, err := s.cfg.Public.FindPublicAgreements(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	areas, err := s.publicAreaNames(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	today := trygg.DayOf(s.now())
	d := &publicPromisesData{Areas: areas}
	for _, a := range list {
		pa := publicAgreement{Agreement: a}
		for _, c := range a.Commitments {
			pc, points, u, err := s.cfg.Public.PublicCommitment(ctx, c.ID)
			if err != nil {
				s.error(w, r, err)
				return
			}
			chart, err := indicatorChart("indikator-"+strconv.FormatInt(pc.ID, 10), pc.Indicator.Name, points)
			if err != nil {
				s.error(w, r, err)
				return
			}
			pa.Commitments = append(pa.Commitments, publicCommitment{Commitment: pc, Assessment: samverkan.Assess(pc, points, a.From, today),
				Update: u, Chart: chart})
		}
		d.Agreements = append(d.Agreements, pa)
	}
	s.render(w, r, http.StatusOK, "samverkan_public", view{Title: "Medborgarlöften och trygghetsavtal", Nav: "public_promises", Data: d})
}

// publicAreaNames names the districts for the public page; anyone may
// read them.
func (s *Server) publicAreaNames(r *http.Request) (map[string]string, error) {
	areas, err := s.cfg.Areas.FindAreas(r.Context())
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(areas))
	for _, a := range areas {
		names[a.Code] = a.Name
	}
	return names, nil
}

// publicDocument serves the signed PDF of a public agreement.
func (s *Server) publicDocument(w http.ResponseWriter, r *http.Request) {
	id, err := reportID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.serveDocument(w, r, id)
}

// feedEntries is how many updates the feed holds.
const feedEntries = 50

// publicFeed serves the published updates on medborgarlöften and
// trygghetsavtal as Atom, newest first. Each entry names the organisation,
// never the person who wrote it.
func (s *Server) publicFeed(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Public.FindPublishedUpdates(r.Context(), feedEntries)
	if err != nil {
		s.error(w, r, err)
		return
	}
	base := s.siteURL(r)
	f := atomFeed{Lang: "sv", ID: base + "/medborgarloften", Title: "Medborgarlöften och trygghetsavtal – nyheter", Updated: atomTime(s.now()),
		Author: atomAuthor{Name: "Trygg"},
		Links: []atomLink{{Rel: "self", Href: base + "/medborgarloften/nyheter.atom", Type: "application/atom+xml"},
			{Rel: "alternate", Href: base + "/medborgarloften", Type: "text/html"}}}
	for i, p := range list {
		u := p.Update
		if i == 0 {
			f.Updated = atomTime(*u.PublishedAt)
		}
		author := u.ByOrgName
		if author == "" {
			author = "Trygg"
		}
		f.Entries = append(f.Entries, atomEntry{
			ID: base + "/medborgarloften#uppdatering-" + strconv.FormatInt(u.ID, 10), Title: p.AgreementTitle + ": " + p.CommitmentText,
			Updated: atomTime(*u.PublishedAt), Published: atomTime(*u.PublishedAt), Author: atomAuthor{Name: author},
			Links:   []atomLink{{Rel: "alternate", Href: base + "/medborgarloften", Type: "text/html"}},
			Summary: u.Day.String() + ": " + u.Comment,
		})
	}
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(out)
}
