package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/opendata"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/svgchart"
	"github.com/trygg-est/trygg/svgmap"
)

// The public front door: what a resident who is not signed in finds at /,
// and the public pages it links to. Every public page shares the header
// with the public menu and the footer with the operator's contact
// (_layout.html).

func (s *Server) frontRoutes() []route {
	return []route{
		{pattern: "GET /offentlig/veckorapporter", name: "public_weekly_list", access: publicPage, handler: s.publicCache(s.publicWeeklyList)},
		{pattern: "GET /offentlig/veckorapporter/{year}/{week}", name: "public_weekly", access: publicPage, handler: s.publicCache(s.publicWeeklyReport)},
	}
}

// frontReports is how many weekly reports the front page lists.
const frontReports = 5

type frontDistrict struct {
	Count disclose.Count
	Href  string // its public page
}

type frontData struct {
	Week       *opendata.Week
	Districts  []frontDistrict
	Map        template.HTML
	Trend      template.HTML
	Tertial    opendata.Tertial
	Agreements []*samverkan.Agreement
	Reports    []*opendata.Report
}

// front is the public front door: the public lägesbild of the last ended
// week (map, table, trend), the way to every district's page, the
// promises, the weekly reports, the tip form and the feed.
func (s *Server) front(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	today := trygg.DayOf(s.now())
	week, err := s.cfg.OpenData.PublicWeek(ctx, opendata.LastEndedWeek(today))
	if err != nil {
		s.error(w, r, err)
		return
	}
	areas, err := s.cfg.Areas.FindAreas(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := &frontData{Week: week, Tertial: opendata.EndedTertials(today, 1)[0]}
	if d.Agreements, err = s.cfg.Public.FindPublicAgreements(ctx); err != nil {
		s.error(w, r, err)
		return
	}
	if d.Reports, err = s.cfg.OpenData.PublicWeeklyReports(ctx, frontReports); err != nil {
		s.error(w, r, err)
		return
	}
	geometry := make(map[string]*trygg.Area, len(areas))
	for _, a := range areas {
		geometry[a.Code] = a
	}
	top := 0
	for _, c := range week.Districts {
		top = max(top, c.Count)
	}
	var regions []svgmap.Region
	for _, c := range week.Districts {
		fd := frontDistrict{Count: c, Href: "/offentlig/" + c.Key + "/" + d.Tertial.Path()}
		d.Districts = append(d.Districts, fd)
		a := geometry[c.Key]
		if a == nil || len(a.Geometry) == 0 {
			continue
		}
		fill := "level-" + strconv.Itoa(level(c.Count, top))
		if c.Suppressed {
			fill = "level-1"
		}
		regions = append(regions, svgmap.Region{Code: c.Key, Name: c.Label, Geometry: a.Geometry, Href: fd.Href, Fill: fill,
			Label: c.Label + ", " + c.Text() + " rapporter"})
	}
	var buf bytes.Buffer
	if err := svgmap.Render(&buf, regions, svgmap.Options{ID: "offentlig-karta", Title: "Karta: rapporter per område, " + week.Week.String(),
		Fit: mapFit(areas), LabelSize: svgmap.PhoneLabelSize,
		Desc: "Mörkare område betyder fler rapporter. Antalen för alla områden står i tabellen under kartan."}); err != nil {
		s.error(w, r, err)
		return
	}
	d.Map = template.HTML(buf.String()) // svgmap escapes every text and attribute it writes
	bars := make([]svgchart.Bar, len(week.Trend))
	for i, t := range week.Trend {
		bars[i] = svgchart.Bar{Label: t.Week.String(), Text: t.Count.Text(), Value: float64(t.Count.Count)}
	}
	if d.Trend, err = svgHTML(svgchart.Bars(bars, svgchart.Options{ID: "offentlig-trend", Title: "Rapporter i hela kommunen per vecka"})); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "front", view{Title: "Trygghet i kommunen", Nav: "front", Data: d})
}

type publicWeeklyListData struct {
	Reports []*opendata.Report
}

// publicWeeklyList lists the published weekly reports, newest week first.
func (s *Server) publicWeeklyList(w http.ResponseWriter, r *http.Request) {
	reps, err := s.cfg.OpenData.PublicWeeklyReports(r.Context(), 0)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "public_weekly_list", view{Title: "Veckorapporter", Nav: "public_weekly", Data: publicWeeklyListData{Reports: reps}})
}

// publicWeeklyReport shows the newest version of one week's report as the
// public sees it.
func (s *Server) publicWeeklyReport(w http.ResponseWriter, r *http.Request) {
	week, err := weekParam(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	rep, err := s.cfg.OpenData.PublicWeeklyReport(r.Context(), week)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "public_weekly", view{Title: "Veckorapport " + week.String(), Nav: "public_weekly", Data: rep})
}

// publicMaxAge is how long this instance keeps a rendered public page.
const publicMaxAge = time.Minute

// publicCacheControl lets browsers and caches on the way keep a public
// page but not use it unchecked: they ask again with the ETag every time
// and mostly get 304 from this instance's cache. Staff's changes clear
// that cache at once, and a page a browser kept for a minute would hide
// them (a published update, a light) from the very next visit.
const publicCacheControl = "public, no-cache"

// publicStore keeps what anonymous visitors get, for publicMaxAge, so
// that a crowd of visitors costs one rendering a minute: the public pages
// by path, and the tertials' tables that the district pages share. Staff's
// changes clear it.
type publicStore[K comparable, V any] struct {
	mu    sync.Mutex
	items map[K]stored[V]
}

type stored[V any] struct {
	v       V
	expires time.Time
}

type cachedPage struct {
	body     []byte
	header   http.Header
	etag     string
	modified time.Time
}

// maxCachedPages bounds the cache: the public pages are a few per district.
const maxCachedPages = 2000

func newPublicStore[K comparable, V any]() *publicStore[K, V] {
	return &publicStore[K, V]{items: map[K]stored[V]{}}
}

func (c *publicStore[K, V]) get(key K, now time.Time) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if it, ok := c.items[key]; ok && now.Before(it.expires) {
		return it.v, true
	}
	var zero V
	return zero, false
}

func (c *publicStore[K, V]) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.items)
}

// put keeps v until publicMaxAge after now.
func (c *publicStore[K, V]) put(key K, v V, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) >= maxCachedPages {
		clear(c.items)
	}
	c.items[key] = stored[V]{v, now.Add(publicMaxAge)}
}

// bufferedResponse holds an answer until it is known whether it may be
// cached.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// publicCache serves a public page from the cache to visitors who are not
// signed in, with an ETag, Last-Modified and Cache-Control, so that their
// browsers and any cache on the way may keep it and revalidate it. A
// signed-in user's page shows their menu and is never cached (no-store,
// as every other answer). Only a 200 without a query or a cookie set is
// kept, so that the cache holds one entry per public page.
func (s *Server) publicCache(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if sessionOf(r) != nil || r.URL.RawQuery != "" {
			h(w, r)
			return
		}
		key := r.URL.Path
		now := time.Now() // freshness is about the wall clock, not the data's
		if p, ok := s.publicPages.get(key, now); ok {
			servePage(w, r, p)
			return
		}
		buf := &bufferedResponse{header: http.Header{}}
		h(buf, r)
		if buf.status != http.StatusOK || buf.header.Get("Set-Cookie") != "" {
			for k, v := range buf.header {
				w.Header()[k] = v
			}
			w.WriteHeader(buf.status)
			_, _ = buf.body.WriteTo(w)
			return
		}
		sum := sha256.Sum256(buf.body.Bytes())
		p := &cachedPage{body: buf.body.Bytes(), header: buf.header, etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`,
			modified: now.UTC().Truncate(time.Second)}
		s.publicPages.put(key, p, now)
		servePage(w, r, p)
	}
}

// servePage answers with a cached page, or 304 Not Modified when the
// browser's copy is current.
func servePage(w http.ResponseWriter, r *http.Request, p *cachedPage) {
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	h.Set("ETag", p.etag)
	h.Set("Cache-Control", publicCacheControl)
	h.Set("Vary", "Cookie")
	http.ServeContent(w, r, "", p.modified, bytes.NewReader(p.body))
}
