package web

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"
)

// The Atom feed of published weekly reports (RFC 4287). Feed readers
// cannot use the sign-in form, so the feed also takes an API token (made
// with "trygg token create"): as "Authorization: Bearer TOKEN", or as the
// password of HTTP Basic with any user name, which every feed reader can
// send. Without either it answers 401 with a Basic challenge.

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel   string `xml:"rel,attr"`
	Type  string `xml:"type,attr,omitempty"`
	Href  string `xml:"href,attr"`
	Title string `xml:"title,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Author    atomAuthor `xml:"author"`
	Links     []atomLink `xml:"link"`
	Summary   string     `xml:"summary"`
}

// feedSummaryLength caps an entry's summary, in characters.
const feedSummaryLength = 600

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// siteURL is the scheme and host the request came to, for the absolute
// links a feed needs.
func (s *Server) siteURL(r *http.Request) string {
	scheme := "http"
	if s.overTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// weeklyFeed serves the newest published versions as Atom.
func (s *Server) weeklyFeed(w http.ResponseWriter, r *http.Request) {
	reps, err := s.cfg.WeeklyReports.FindWeeklyReports(r.Context(), 50)
	if err != nil {
		s.error(w, r, err)
		return
	}
	base := s.siteURL(r)
	feed := atomFeed{Lang: "sv", ID: base + "/veckorapporter", Title: "Trygg – veckorapporter",
		Updated: atomTime(time.Unix(0, 0)), Author: atomAuthor{Name: "Trygg"},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + "/veckorapporter.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/veckorapporter"},
		}}
	for i, rep := range reps {
		if i == 0 {
			feed.Updated = atomTime(rep.PublishedAt)
		}
		page := base + versionURL(rep.Week, rep.Version)
		feed.Entries = append(feed.Entries, atomEntry{
			ID:    page,
			Title: fmt.Sprintf("Veckorapport %s, version %d", rep.Week, rep.Version),
			// A version never changes after publishing.
			Updated: atomTime(rep.PublishedAt), Published: atomTime(rep.PublishedAt),
			Author: atomAuthor{Name: rep.PublisherName},
			Links: []atomLink{
				{Rel: "alternate", Type: "text/html", Href: page},
				{Rel: "enclosure", Type: "application/pdf", Href: page + ".pdf", Title: "PDF"},
			},
			Summary: summarise(rep.Analysis, "Ingen analys skrevs för veckan."),
		})
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(feed); err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = buf.WriteTo(w)
}

// summarise returns text cut at feedSummaryLength characters, or none when
// it is empty.
func summarise(text, none string) string {
	if text == "" {
		return none
	}
	if utf8.RuneCountInString(text) <= feedSummaryLength {
		return text
	}
	return string([]rune(text)[:feedSummaryLength-1]) + "…"
}

// feedUnauthorized asks a feed reader for its token.
func (s *Server) feedUnauthorized(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Basic realm="Trygg veckorapporter", charset="UTF-8"`)
	s.renderStatus(w, r, http.StatusUnauthorized, "Inte inloggad",
		"Logga in, eller låt flödesläsaren skicka en API-nyckel som lösenord (HTTP Basic) eller som Authorization: Bearer.")
}
