package weekly

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/pii"
)

// MaxTextLength caps the analysis and the conclusions of a weekly
// report, in characters.
const MaxTextLength = 20000

// MaxPictureBytes caps a published picture. A municipality's week is a few
// tens of kilobytes.
const MaxPictureBytes = 4 << 20

// CheckWeek returns EINVALID, on the field "week", unless w exists.
func CheckWeek(w trygg.ISOWeek) error {
	var v trygg.Validation
	checkWeek(&v, w)
	return v.Err()
}

func checkWeek(v *trygg.Validation, w trygg.ISOWeek) {
	if !w.Valid() {
		v.Add("week", "Veckan finns inte. Ange ett år 2000–2999 och en vecka 1–53 som finns det året.")
	}
}

// CheckPicture returns EINVALID, on the field "picture", unless picture is
// a JSON object of at most MaxPictureBytes, as a published version freezes
// it.
func CheckPicture(picture json.RawMessage) error {
	var v trygg.Validation
	if p := bytes.TrimSpace(picture); len(p) == 0 || p[0] != '{' || len(p) > MaxPictureBytes || !json.Valid(p) {
		v.Add("picture", "Lägesbilden kunde inte sparas: den är inte ett giltigt JSON-objekt av högst 4 MB.")
	}
	return v.Err()
}

// Draft is the part of a weekly report that the samordnare writes:
// the analysis and the conclusions of the weekly meeting. The rest of the
// report, the situational picture, is computed for the week when the draft
// is shown and frozen when it is published.
type Draft struct {
	Week        trygg.ISOWeek
	Analysis    string
	Conclusions string
	UpdatedAt   *time.Time // nil: nothing written yet
}

// Validate trims the texts and checks the week, their length and that they
// hold no personal data.
func (d *Draft) Validate() error {
	var v trygg.Validation
	checkWeek(&v, d.Week)
	d.Analysis = strings.TrimSpace(d.Analysis)
	d.Conclusions = strings.TrimSpace(d.Conclusions)
	checkText(&v, "analysis", "Analysen", d.Analysis)
	checkText(&v, "conclusions", "Slutsatserna", d.Conclusions)
	return v.Err()
}

func checkText(v *trygg.Validation, field, label, text string) {
	switch {
	case !utf8.ValidString(text):
		v.Add(field, "%s innehåller ogiltiga tecken.", label)
	case utf8.RuneCountInString(text) > MaxTextLength:
		v.Add(field, "%s får vara högst %d tecken.", label, MaxTextLength)
	default:
		if f := pii.Find(text); f != nil {
			v.Add(field, "%s verkar innehålla %s. En veckorapport får inte innehålla personuppgifter; ta bort uppgiften.", label, f.Kind.Label())
		}
	}
}

// Report is one published version of a weekly report: a frozen
// snapshot that nothing changes afterwards. Picture is the situational
// picture of the week as it was computed at publishing, as JSON (package
// lagesbild encodes and decodes it).
type Report struct {
	Week          trygg.ISOWeek
	Version       int // 1, 2, … per week
	Analysis      string
	Conclusions   string
	Picture       json.RawMessage // nil in lists
	PublishedAt   time.Time
	PublishedBy   *int64 // nil when the operator published it
	PublisherName string // the publisher's name at the time
}

// OpenAction is an action of the collaboration that was open during a
// week, as the weekly report lists it. This is the hook for the
// collaboration issue, which will produce them; until it lands no week has
// any, and reports leave the section out.
type OpenAction struct {
	Title string     `json:"title"`
	Area  string     `json:"area,omitempty"`  // the district's name
	Owner string     `json:"owner,omitempty"` // the responsible organisation
	Due   *trygg.Day `json:"due,omitempty"`
}

// WeekMeeting is a coordination meeting held in a report's week, as the
// report shows it: who attended and what was decided.
type WeekMeeting struct {
	Day       trygg.Day `json:"day"`
	Attendees []string  `json:"attendees,omitempty"` // organisation names
	Decisions []string  `json:"decisions,omitempty"`
	Closed    bool      `json:"closed"` // the minutes are locked
}

// Service keeps the drafts and the published versions of the weekly
// reports. Samordnare write drafts and publish; samordnare, polis, läsare
// and admin read what is published; the operator may do everything. Any
// other signed-in caller gets ENOTFOUND, an anonymous caller
// EUNAUTHORIZED. sqldb implements it; web, demo and Publish call it.
type Service interface {
	// FindWeeklyDraft returns the draft texts of a week, empty when none
	// has been saved. Samordnare and the operator; EINVALID for a week
	// that does not exist.
	FindWeeklyDraft(ctx context.Context, w trygg.ISOWeek) (*Draft, error)

	// SaveWeeklyDraft stores the texts of d.Week and sets d.UpdatedAt.
	// Samordnare and the operator; EINVALID names the bad field. Published
	// versions never change.
	SaveWeeklyDraft(ctx context.Context, d *Draft) error

	// PublishWeeklyReport freezes the saved draft texts of w together with
	// picture (the week's situational picture, JSON) as the next version
	// of the week, and records it in the audit log. Samordnare and the
	// operator; EINVALID for a bad week or a picture that is not a JSON
	// object.
	PublishWeeklyReport(ctx context.Context, w trygg.ISOWeek, picture json.RawMessage) (*Report, error)

	// FindWeeklyReport returns one published version of w, with its
	// picture; version 0 means the newest. Readers of published reports;
	// ENOTFOUND when there is none, and an internal error when the stored
	// version no longer matches the seal the audit log holds for it.
	FindWeeklyReport(ctx context.Context, w trygg.ISOWeek, version int) (*Report, error)

	// FindWeeklyReports lists every published version, newest week first
	// and within a week newest version first, without pictures. Readers
	// of published reports; limit 0 means 500.
	FindWeeklyReports(ctx context.Context, limit int) ([]*Report, error)
}
