// Package operativ is operativ samverkan: joint police and social-services
// operations against the sex trade ("insatser"), the anonymous contacts
// made in them, the support offered, the referrals to the support chain
// (stödkedjan) and the tasks a suspected minor gives rise to; with them the
// advertising indicator and the KAST reception log. Nothing here names a
// person: contacts are a role, an age band and a language need, and a
// referral is followed by a random code the person can give the service.
// See docs/operativ.md.
package operativ

import (
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
)

// OperationPlaceTypes are the kinds of place an operation targets.
var OperationPlaceTypes = []trygg.Code{
	{Code: "hotell", Label: "Hotell"},
	{Code: "lagenhet", Label: "Lägenhet"},
	{Code: "gata", Label: "Gata"},
	{Code: "natet", Label: "Kontakt via nätet"},
	{Code: "annat", Label: "Annan plats"},
}

// OperationTypes are what an operation is aimed at.
var OperationTypes = []trygg.Code{
	{Code: "sexkop", Label: "Sexköp"},
	{Code: "koppleri", Label: "Koppleri"},
	{Code: "manniskohandel", Label: "Människohandel"},
	{Code: "kombinerad", Label: "Kombinerad kontroll"},
}

// ContactRoles are the roles of a person met in an operation.
var ContactRoles = []trygg.Code{
	{Code: "saljare", Label: "Person som säljer"},
	{Code: "kopare", Label: "Person som köper"},
	{Code: "annan", Label: "Annan"},
}

// AgeBands are the age bands of a contact; "under18" is a suspected minor.
var AgeBands = []trygg.Code{
	{Code: "under18", Label: "Under 18 år"},
	{Code: "18-24", Label: "18–24 år"},
	{Code: "25-34", Label: "25–34 år"},
	{Code: "35-49", Label: "35–49 år"},
	{Code: "50-", Label: "50 år eller äldre"},
	{Code: "okand", Label: "Okänd ålder"},
}

// Referral statuses, in the order a referral goes through them.
const (
	ReferralOffered      = "erbjuden"
	ReferralAccepted     = "accepterad"
	ReferralFirstContact = "forsta_kontakt"
	ReferralOngoing      = "pagaende"
	ReferralEnded        = "avslutad"
)

// ReferralStatuses is the chain offered → accepted → first contact →
// ongoing → ended.
var ReferralStatuses = []trygg.Code{
	{Code: ReferralOffered, Label: "Erbjuden"},
	{Code: ReferralAccepted, Label: "Accepterad"},
	{Code: ReferralFirstContact, Label: "Första kontakt"},
	{Code: ReferralOngoing, Label: "Pågående"},
	{Code: ReferralEnded, Label: "Avslutad"},
}

// ReferralStage returns the position of status in ReferralStatuses, or -1.
func ReferralStage(status string) int {
	for i, s := range ReferralStatuses {
		if s.Code == status {
			return i
		}
	}
	return -1
}

// SupportServiceKinds group the configured services.
var SupportServiceKinds = []trygg.Code{
	{Code: "kast", Label: "KAST – köpare av sexuell tjänst"},
	{Code: "centrum_mot_vald", Label: "Centrum mot våld"},
	{Code: "specialiserat", Label: "Specialiserat stöd"},
	{Code: "beroende", Label: "Beroendevård"},
	{Code: "annat", Label: "Annan verksamhet"},
}

// MaxText is the longest free text in an operation or a contact.
const MaxText = 1000

// Routine is one version of the written routines for operational
// collaboration between the police and social services. Versions are never
// changed; a new text is a new version. Document is the version's signed
// routines (a PDF), once uploaded.
type Routine struct {
	ID        int64           `json:"id"`
	Version   int             `json:"version"`
	Title     string          `json:"title"`
	Summary   string          `json:"summary"`
	ValidFrom trygg.Day       `json:"valid_from"`
	CreatedAt time.Time       `json:"created_at"`
	Document  *trygg.Document `json:"document,omitempty"`
}

// RoutineInput is a new version of the routines. Fields: title, summary,
// valid_from.
type RoutineInput struct {
	Title     string
	Summary   string
	ValidFrom trygg.Day
}

// Validate checks the input; the texts may hold no personal data.
func (in *RoutineInput) Validate() error {
	var v trygg.Validation
	in.Title, in.Summary = strings.TrimSpace(in.Title), strings.TrimSpace(in.Summary)
	checkFreeText(&v, "title", in.Title, 200, "Ge rutinen en rubrik.")
	checkFreeText(&v, "summary", in.Summary, 4000, "")
	if in.ValidFrom == 0 {
		v.Add("valid_from", "Ange från vilken dag rutinen gäller.")
	}
	return v.Err()
}

// SupportService is a configured service people are referred to. OrgCode,
// when set, is the organisation whose users receive the referrals and may
// confirm a first contact by its code (for KAST, the KAST reception).
type SupportService struct {
	ID      int64  `json:"id"`
	Code    string `json:"code"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	OrgCode string `json:"org_code,omitempty"`
}

// Participant is an organisation taking part in an operation and how many
// of its staff.
type Participant struct {
	OrgCode string `json:"org_code"`
	OrgName string `json:"org_name"`
	Staff   int    `json:"staff"`
}

// Checklist is the routines' checklist for an operation.
type Checklist struct {
	InformedInAdvance    bool `json:"informed_in_advance"`   // social services were told in advance
	SupportOfferedAll    bool `json:"support_offered_all"`   // support was offered to every person met
	InterpreterNeeded    bool `json:"interpreter_needed"`    // an interpreter was needed …
	InterpreterAvailable bool `json:"interpreter_available"` // … and available
	TraffickingSigns     bool `json:"trafficking_signs"`     // the routine for human trafficking applies
	SuspectedMinor       bool `json:"suspected_minor"`       // a report of concern is required at once
}

// ChecklistItems are the checklist's items by form field, in the order of
// Checklist.
var ChecklistItems = []trygg.Code{
	{Code: "informed_in_advance", Label: "Socialtjänsten informerades i förväg"},
	{Code: "support_offered_all", Label: "Stöd erbjöds alla personer som påträffades"},
	{Code: "interpreter_needed", Label: "Tolk behövdes"},
	{Code: "interpreter_available", Label: "Tolk fanns tillgänglig"},
	{Code: "trafficking_signs", Label: "Tecken på människohandel – rutinen för människohandel följs"},
	{Code: "suspected_minor", Label: "Misstänkt minderårig – orosanmälan till socialtjänsten direkt"},
}

// Operation is a joint operation ("insats").
type Operation struct {
	ID             int64         `json:"id"`
	At             time.Time     `json:"at"`
	AreaCode       string        `json:"area"`
	AreaName       string        `json:"area_name"`
	PlaceType      string        `json:"place_type"`
	Type           string        `json:"type"`
	Participants   []Participant `json:"participants"`
	SocialServices bool          `json:"social_services"`
	Checklist      Checklist     `json:"checklist"`
	RoutineID      int64         `json:"routine_id"`
	RoutineVersion int           `json:"routine_version"`
	RoutineTitle   string        `json:"routine_title"`
	Note           string        `json:"note"`
	Contacts       []*Contact    `json:"contacts,omitempty"`
	Tasks          []*Task       `json:"tasks,omitempty"`
	CreatedAt      time.Time     `json:"created_at"`
}

// Contact is an anonymous person met in an operation.
type Contact struct {
	ID              int64       `json:"id"`
	OperationID     int64       `json:"operation_id"`
	Role            string      `json:"role"`
	AgeBand         string      `json:"age_band"`
	SuspectedMinor  bool        `json:"suspected_minor"`
	Language        string      `json:"language"` // the language need, "" for none
	SupportOffered  bool        `json:"support_offered"`
	SupportAccepted bool        `json:"support_accepted"`
	Support         string      `json:"support"` // what was offered
	Referrals       []*Referral `json:"referrals,omitempty"`
}

// ContactInput is a contact as recorded. Fields: role, age_band,
// language, support (with the prefix contacts[N]. when part of an
// operation).
type ContactInput struct {
	Role           string
	AgeBand        string
	SuspectedMinor bool
	Language       string
	SupportInput
}

// SupportInput is the support offered to a contact. Fields:
// support_accepted, support.
type SupportInput struct {
	Offered  bool
	Accepted bool
	What     string
}

// Validate checks the support; prefix goes before every field name.
func (in *SupportInput) Validate(v *trygg.Validation, prefix string) {
	in.What = strings.TrimSpace(in.What)
	if in.Accepted && !in.Offered {
		v.Add(prefix+"support_accepted", "Stöd kan bara tas emot om det har erbjudits.")
	}
	checkFreeText(v, prefix+"support", in.What, MaxText, "")
}

// Validate checks the contact; prefix goes before every field name. An age
// band under 18 always marks a suspected minor.
func (in *ContactInput) Validate(v *trygg.Validation, prefix string) {
	in.Language = strings.TrimSpace(in.Language)
	if !trygg.HasCode(ContactRoles, in.Role) {
		v.Add(prefix+"role", "Välj personens roll.")
	}
	if !trygg.HasCode(AgeBands, in.AgeBand) {
		v.Add(prefix+"age_band", "Välj en åldersgrupp.")
	}
	if in.AgeBand == "under18" {
		in.SuspectedMinor = true
	}
	checkFreeText(v, prefix+"language", in.Language, 100, "")
	in.SupportInput.Validate(v, prefix)
}

// OperationInput is a new operation with the contacts made. Fields: at,
// area, place_type, type, participants, staff, routine, note, and
// contacts[N].… for each contact.
type OperationInput struct {
	At             time.Time
	AreaCode       string
	PlaceType      string
	Type           string
	Participants   []Participant // OrgCode and Staff
	SocialServices bool
	Checklist      Checklist
	RoutineID      int64
	Note           string
	Contacts       []ContactInput
}

// MaxContacts is the most contacts one operation records at once.
const MaxContacts = 50

// Validate checks the operation; now is the time of the call. A contact
// flagged as a suspected minor sets the checklist's flag too.
func (in *OperationInput) Validate(now time.Time) error {
	var v trygg.Validation
	in.AreaCode, in.Note = strings.TrimSpace(in.AreaCode), strings.TrimSpace(in.Note)
	trygg.CheckPastTime(&v, "at", in.At, now,
		"Ange när insatsen gjordes.", "En insats kan inte registreras i förväg.", "Tidpunkten är orimligt tidig.")
	if in.AreaCode == "" {
		v.Add("area", "Välj stadsdel.")
	}
	if !trygg.HasCode(OperationPlaceTypes, in.PlaceType) {
		v.Add("place_type", "Välj typ av plats.")
	}
	if !trygg.HasCode(OperationTypes, in.Type) {
		v.Add("type", "Välj typ av insats.")
	}
	seen := map[string]bool{}
	for _, p := range in.Participants {
		switch {
		case p.OrgCode == "" || seen[p.OrgCode]:
			v.Add("participants", "Välj deltagande organisationer, var och en en gång.")
		case p.Staff < 1 || p.Staff > 500:
			v.Add("staff_"+p.OrgCode, "Ange hur många personer organisationen deltog med (1–500).")
		}
		seen[p.OrgCode] = true
	}
	if len(in.Participants) == 0 {
		v.Add("participants", "Välj minst en deltagande organisation.")
	}
	if in.RoutineID == 0 {
		v.Add("routine", "Välj vilken version av rutinerna som gällde.")
	}
	checkFreeText(&v, "note", in.Note, MaxText, "")
	if len(in.Contacts) > MaxContacts {
		v.Add("contacts", "Högst %d kontakter kan registreras på en gång.", MaxContacts)
	}
	for i := range in.Contacts {
		in.Contacts[i].Validate(&v, ContactPrefix(i))
		if in.Contacts[i].SuspectedMinor {
			in.Checklist.SuspectedMinor = true
		}
	}
	if in.Checklist.InterpreterAvailable && !in.Checklist.InterpreterNeeded {
		in.Checklist.InterpreterAvailable = false
	}
	return v.Err()
}

// ContactPrefix is the field-name prefix of the i-th contact of an
// operation form.
func ContactPrefix(i int) string { return "contacts[" + strconv.Itoa(i) + "]." }

// checkFreeText is checkText plus the personal-data detector: free text in
// operativ samverkan may name no one.
func checkFreeText(v *trygg.Validation, field, s string, max int, required string) {
	trygg.CheckText(v, field, s, max, required)
	trygg.CheckPersonalData(v, field, s, "Uppgifter om insatser får inte innehålla personuppgifter")
}

// Referral is a referral of a contact to a support service.
type Referral struct {
	ID          int64          `json:"id"`
	ContactID   int64          `json:"contact_id"`
	OperationID int64          `json:"operation_id"`
	ServiceCode string         `json:"service"`
	ServiceName string         `json:"service_name"`
	Code        string         `json:"code"` // the referral code, shown only to polis and socialtjänst
	Status      string         `json:"status"`
	Steps       []ReferralStep `json:"steps"`
}

// ReferralStep is the day a referral reached a status.
type ReferralStep struct {
	Status string    `json:"status"`
	Day    trygg.Day `json:"day"`
}

// DayOf returns the day the referral reached status, or 0.
func (r *Referral) DayOf(status string) trygg.Day {
	for _, s := range r.Steps {
		if s.Status == status {
			return s.Day
		}
	}
	return 0
}

// TaskKind is what an operation's task asks for.
type TaskKind string

const (
	// TaskConcern is an immediate report of concern to social services
	// for a suspected minor. Socialtjänst and arbetsledare file it in
	// their register and mark it done.
	TaskConcern TaskKind = "orosanmalan"
	// TaskTrafficking is the routine for human trafficking, when the
	// checklist records signs of it. Polis and social services work it
	// together; either marks it done.
	TaskTrafficking TaskKind = "manniskohandel"
)

// Label returns the Swedish name of the kind.
func (k TaskKind) Label() string {
	switch k {
	case TaskConcern:
		return "Orosanmälan till socialtjänsten"
	case TaskTrafficking:
		return "Rutinen för människohandel"
	}
	return string(k)
}

// Routine says in plain Swedish what the written routines require of a
// task of the kind.
func (k TaskKind) Routine() string {
	switch k {
	case TaskConcern:
		return "En misstänkt minderårig påträffades. Orosanmälan till socialtjänsten ska göras direkt. " +
			"Socialtjänsten öppnar en förifylld anmälan i registret och markerar uppgiften som klar."
	case TaskTrafficking:
		return "Det fanns tecken på människohandel, och rutinen för människohandel ska följas. " +
			"Kontakta polisens specialister på människohandel och regionkoordinatorn mot prostitution och människohandel. " +
			"Erbjud den som kan vara utsatt skydd, stöd och hjälp, med tolk vid behov, och utgå från personens behov: " +
			"socialtjänsten arbetar uppsökande och erbjuder det specialiserade stödet för personer i prostitution. " +
			"Polisen eller socialtjänsten markerar uppgiften som klar när rutinen är följd."
	}
	return ""
}

// Task is a task an operation gives rise to: for a suspected minor,
// an immediate report of concern to social services (TaskConcern); for
// signs of human trafficking, the routine for human trafficking
// (TaskTrafficking). ContactID is 0 when the operation's checklist, not a
// recorded contact, raised it; a trafficking task always comes from the
// checklist. ContactOrdinal is the contact's number within its operation
// (1 for the first recorded), as the operation's page shows it.
//
// A report-of-concern task is done either when a report filed in the
// register from the task completed it (ByConcern), or when social services
// marked it done by hand, for a report filed outside Trygg. ConcernRef is
// that report's reference, set only for the register's users of the
// organisation that holds it.
type Task struct {
	ID             int64      `json:"id"`
	OperationID    int64      `json:"operation_id"`
	Kind           TaskKind   `json:"kind"`
	ContactID      int64      `json:"contact_id,omitempty"`
	ContactOrdinal int        `json:"contact_ordinal,omitempty"`
	OperationAt    time.Time  `json:"operation_at"`
	AreaName       string     `json:"area_name"`
	DoneAt         *time.Time `json:"done_at,omitempty"`
	ByConcern      bool       `json:"by_concern,omitempty"`
	ConcernRef     string     `json:"concern_ref,omitempty"`
}

// OperationFilter selects operations. Zero fields do not filter.
type OperationFilter struct {
	From, To trygg.Day
	AreaCode string
}
