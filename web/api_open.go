package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/opendata"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/tips"
)

// The open-data API under /api/v1/open/: what the public pages show, as
// JSON and GeoJSON, without a token, cacheable and open to any origin
// (CORS). Every count has been through disclose: a withheld count is
// null with "suppressed": true.

// openAPI wraps an open-data handler: cached for a minute like the public
// pages, and readable from any origin.
func (s *Server) openAPI(h http.HandlerFunc) http.HandlerFunc { return s.publicCache(withCORS(h)) }

// withCORS lets pages on any site read the answer: it is public and
// carries no credentials.
func withCORS(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		h(w, r)
	}
}

// openCount is a published count: null and suppressed when withheld.
type openCount struct {
	Key        string `json:"code"`
	Label      string `json:"name"`
	Count      *int   `json:"count"`
	Suppressed bool   `json:"suppressed"`
}

func openCounts(cs []disclose.Count) []openCount {
	out := make([]openCount, len(cs))
	for i, c := range cs {
		out[i] = openCount{Key: c.Key, Label: c.Label, Suppressed: c.Suppressed}
		if !c.Suppressed {
			n := c.Count
			out[i].Count = &n
		}
	}
	return out
}

type openWeekJSON struct {
	Week      string      `json:"week"`
	From      string      `json:"from"`
	To        string      `json:"to"`
	Districts []openCount `json:"districts"`
	Groups    []openCount `json:"groups"`
	Trend     []openCount `json:"trend"`
}

// parseOpenWeek reads ?week=2026-W46; none is the last ended week.
func (s *Server) parseOpenWeek(r *http.Request) (trygg.ISOWeek, error) {
	q := r.URL.Query().Get("week")
	if q == "" {
		return opendata.LastEndedWeek(trygg.DayOf(s.now())), nil
	}
	var w trygg.ISOWeek
	y, n, ok := strings.Cut(q, "-W")
	var yerr, nerr error
	w.Year, yerr = strconv.Atoi(y)
	w.Week, nerr = strconv.Atoi(n)
	if !ok || yerr != nil || nerr != nil || !w.Valid() {
		var v trygg.Validation
		v.Add("week", "Ange veckan som ÅÅÅÅ-Wvv, till exempel 2026-W46.")
		return w, v.Err()
	}
	return w, nil
}

func (s *Server) openWeekData(r *http.Request) (*opendata.Week, error) {
	week, err := s.parseOpenWeek(r)
	if err != nil {
		return nil, err
	}
	return s.cfg.OpenData.PublicWeek(r.Context(), week)
}

func weekJSON(p *opendata.Week) openWeekJSON {
	out := openWeekJSON{Week: p.Week.Code(), From: p.Week.Monday().String(), To: p.Week.Sunday().String(),
		Districts: openCounts(p.Districts), Groups: openCounts(p.Groups)}
	for _, t := range p.Trend {
		out.Trend = append(out.Trend, openCounts([]disclose.Count{t.Count})...)
	}
	return out
}

// openWeek answers the public lägesbild of an ended week.
func (s *Server) openWeek(w http.ResponseWriter, r *http.Request) {
	p, err := s.openWeekData(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.openJSON(w, "application/json", weekJSON(p))
}

// openWeekGeoJSON answers the districts' outlines with the week's counts.
func (s *Server) openWeekGeoJSON(w http.ResponseWriter, r *http.Request) {
	p, err := s.openWeekData(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	areas, err := s.cfg.Areas.FindAreas(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	outline := map[string]json.RawMessage{}
	for _, a := range areas {
		outline[a.Code] = a.Geometry
	}
	type feature struct {
		Type       string          `json:"type"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties any             `json:"properties"`
	}
	type props struct {
		openCount
		Week string `json:"week"`
	}
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection", Features: []feature{}}
	for _, c := range openCounts(p.Districts) {
		g := outline[c.Key]
		if len(g) == 0 {
			g = json.RawMessage("null")
		}
		fc.Features = append(fc.Features, feature{Type: "Feature", Geometry: g, Properties: props{openCount: c, Week: p.Week.Code()}})
	}
	s.openJSON(w, "application/geo+json", fc)
}

type openReportJSON struct {
	Week        string      `json:"week"`
	Version     int         `json:"version"`
	Versions    int         `json:"versions"`
	PublishedOn string      `json:"published_on"`
	Analysis    string      `json:"analysis"`
	Conclusions string      `json:"conclusions"`
	Districts   []openCount `json:"districts,omitempty"`
}

func openReportOf(rep *opendata.Report) openReportJSON {
	out := openReportJSON{Week: rep.Week.Code(), Version: rep.Version, Versions: rep.Versions, PublishedOn: rep.PublishedAt.String(),
		Analysis: rep.Analysis, Conclusions: rep.Conclusions}
	if rep.Districts != nil {
		out.Districts = openCounts(rep.Districts)
	}
	return out
}

// openWeeklyReports lists the published weekly reports, newest first.
func (s *Server) openWeeklyReports(w http.ResponseWriter, r *http.Request) {
	reps, err := s.cfg.OpenData.PublicWeeklyReports(r.Context(), 0)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]openReportJSON, 0, len(reps))
	for _, rep := range reps {
		out = append(out, openReportOf(rep))
	}
	s.openJSON(w, "application/json", out)
}

// openWeeklyReport answers one week's newest published version.
func (s *Server) openWeeklyReport(w http.ResponseWriter, r *http.Request) {
	var week trygg.ISOWeek
	y, n, ok := strings.Cut(r.PathValue("week"), "-W")
	var yerr, nerr error
	week.Year, yerr = strconv.Atoi(y)
	week.Week, nerr = strconv.Atoi(n)
	if !ok || yerr != nil || nerr != nil {
		s.apiError(w, r, trygg.NotFound())
		return
	}
	rep, err := s.cfg.OpenData.PublicWeeklyReport(r.Context(), week)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.openJSON(w, "application/json", openReportOf(rep))
}

type openCommitmentJSON struct {
	ID         int64  `json:"id"`
	Text       string `json:"text"`
	Owner      string `json:"owner"`
	Indicator  string `json:"indicator"`
	Target     string `json:"target"`
	Light      string `json:"light"`
	LightLabel string `json:"light_label"`
	Update     string `json:"update,omitempty"`
	UpdateDay  string `json:"update_day,omitempty"`
}

type openAgreementJSON struct {
	ID          int64                `json:"id"`
	Type        string               `json:"type"`
	TypeLabel   string               `json:"type_label"`
	Title       string               `json:"title"`
	Summary     string               `json:"summary"`
	From        string               `json:"from"`
	To          string               `json:"to"`
	Districts   []string             `json:"districts"`
	Parties     []string             `json:"parties"`
	Commitments []openCommitmentJSON `json:"commitments"`
}

// openPromises answers the signed medborgarlöften and trygghetsavtal with
// their commitments, targets and traffic lights, as /medborgarloften
// shows them.
func (s *Server) openPromises(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	list, err := s.cfg.Public.FindPublicAgreements(ctx)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	today := trygg.DayOf(s.now())
	out := []openAgreementJSON{}
	for _, a := range list {
		oa := openAgreementJSON{ID: a.ID, Type: string(a.Type), TypeLabel: a.Type.Label(), Title: a.Title, Summary: a.Summary,
			From: a.From.String(), To: a.To.String(), Districts: a.Areas, Commitments: []openCommitmentJSON{}}
		if oa.Districts == nil {
			oa.Districts = []string{}
		}
		for _, p := range a.Parties {
			oa.Parties = append(oa.Parties, p.OrgName)
		}
		for _, c := range a.Commitments {
			pc, points, u, err := s.cfg.Public.PublicCommitment(ctx, c.ID)
			if err != nil {
				s.apiError(w, r, err)
				return
			}
			as := samverkan.Assess(pc, points, a.From, today)
			oc := openCommitmentJSON{ID: pc.ID, Text: pc.Text, Owner: pc.OwnerOrgName, Indicator: pc.Indicator.Name, Target: pc.Target.Text,
				Light: string(as.Light), LightLabel: as.Light.Label()}
			if u != nil {
				oc.Update, oc.UpdateDay = u.Comment, u.Day.String()
			}
			oa.Commitments = append(oa.Commitments, oc)
		}
		out = append(out, oa)
	}
	s.openJSON(w, "application/json", out)
}

type openTipJSON struct {
	Ref         string `json:"ref"`
	Category    string `json:"category"`
	District    string `json:"district"`
	Status      string `json:"status"`
	StatusLabel string `json:"status_label"`
	Received    string `json:"received"`
	Updated     string `json:"updated"`
	Reply       string `json:"reply"`
}

// openTips answers the public statuses of the tips of the last 90 days:
// never the text.
func (s *Server) openTips(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Tips.FindPublicTips(r.Context(), tips.PublicFilter{From: s.now().AddDate(0, 0, -90)})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]openTipJSON, 0, len(list))
	for _, t := range list {
		out = append(out, openTipJSON{Ref: t.Ref, Category: t.Category, District: t.AreaName, Status: string(t.Status), StatusLabel: t.Status.Label(),
			Received: t.ReceivedAt.Format(time.RFC3339), Updated: t.UpdatedAt.Format(time.RFC3339), Reply: t.PublicReply})
	}
	s.openJSON(w, "application/json", out)
}

// openJSON writes a public answer; publicCache adds the caching headers.
func (s *Server) openJSON(w http.ResponseWriter, contentType string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append(body, '\n'))
}
