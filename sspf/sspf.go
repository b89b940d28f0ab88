// Package sspf is early intervention ("tidiga insatser"): school, social
// services, police and leisure services (SSPF) working together around one
// young person at risk. It holds the case and its states, consent as data
// (who must sign, its scope, expiry and withdrawal), the rule that decides
// whether a piece of information may be shared with the team, follow-ups,
// retention, the statistics that may leave the register, and the service.
//
// Like the register of reports of concern it holds personal data: the
// young person's identity is sealed with package sealed, found by blind
// index, and every read is audited. Only the coordinator (RoleSSPF) and the
// members of the case's team see a case; everyone else gets "not found".
package sspf

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/pii"
)

// Case states, in order.
const (
	StateReferred = "anmald"            // anmäld/uppmärksammad
	StateConsent  = "samtycke_inhamtas" // consent is being obtained
	StateActive   = "aktiv"
	StateClosed   = "avslutad"
)

// States are the case states in order.
var States = []trygg.Code{
	{Code: StateReferred, Label: "Anmäld/uppmärksammad"},
	{Code: StateConsent, Label: "Samtycke inhämtas"},
	{Code: StateActive, Label: "Aktiv"},
	{Code: StateClosed, Label: "Avslutad"},
}

// Reasons are why a young person is referred to SSPF: the signals of risk
// that SSPF practice works from. There is deliberately no free-text
// diagnosis.
var Reasons = []trygg.Code{
	{Code: "skolfranvaro", Label: "Skolfrånvaro"},
	{Code: "tidig_brottslighet", Label: "Tidig brottslighet"},
	{Code: "missbruk", Label: "Alkohol, narkotika eller annat missbruk"},
	{Code: "normbrytande", Label: "Normbrytande beteende"},
	{Code: "riskumgange", Label: "Riskfyllt umgänge eller kriminell miljö"},
	{Code: "utsatthet", Label: "Utsatt för brott eller rekrytering"},
	{Code: "oro_hemmet", Label: "Oro kring hemsituationen"},
}

// Outcomes are what closing a case records.
var Outcomes = []trygg.Code{
	{Code: "mal_uppnatt", Label: "Målen i handlingsplanen uppnådda"},
	{Code: "delvis_uppnatt", Label: "Målen delvis uppnådda"},
	{Code: "ej_uppnatt", Label: "Målen inte uppnådda"},
	{Code: "insats_socialtjanst", Label: "Överlämnat till insats från socialtjänsten"},
	{Code: "samtycke_aterkallat", Label: "Samtycket återkallat"},
	{Code: "flyttat", Label: "Den unga har flyttat"},
	{Code: "ej_samtycke", Label: "Samtycke lämnades inte"},
}

// Parts are the four kinds of organisation in an SSPF team. They are the
// receivers a consent's scope names.
const (
	PartSchool  = "skola"
	PartSocial  = "socialtjanst"
	PartPolice  = "polis"
	PartLeisure = "fritid"
)

// Parts lists the parts in the order SSPF names them.
var Parts = []trygg.Code{
	{Code: PartSchool, Label: "Skola"},
	{Code: PartSocial, Label: "Socialtjänst"},
	{Code: PartPolice, Label: "Polis"},
	{Code: PartLeisure, Label: "Fritid"},
}

// PartOf is the part an organisation of type t plays in a team: leisure
// services are a municipal administration. ok is false for every other
// type, whose users cannot be members.
func PartOf(t trygg.OrgType) (part string, ok bool) {
	switch t {
	case trygg.OrgSchool:
		return PartSchool, true
	case trygg.OrgSocialServices:
		return PartSocial, true
	case trygg.OrgPolice:
		return PartPolice, true
	case trygg.OrgMunicipal:
		return PartLeisure, true
	}
	return "", false
}

// Information types: what a member may share, and what a consent's scope
// lets each part receive.
const (
	InfoAttendance = "narvaro"
	InfoPolice     = "poliskontakter"
	InfoSocial     = "socialtjanstkontakter"
	InfoLeisure    = "fritidsdeltagande"
	InfoPlan       = "handlingsplan"
)

// InfoTypes lists the information types.
var InfoTypes = []trygg.Code{
	{Code: InfoAttendance, Label: "Närvaro i skolan"},
	{Code: InfoPolice, Label: "Kontakter med polisen"},
	{Code: InfoSocial, Label: "Kontakter med socialtjänsten"},
	{Code: InfoLeisure, Label: "Deltagande i fritidsverksamhet"},
	{Code: InfoPlan, Label: "Handlingsplanen"},
}

// Limits on texts, in characters.
const (
	MaxName = 200
	MaxText = 2000
)

// Case is one young person's SSPF case. Ref is the opaque handle of URLs;
// the numeric ID appears only in the audit log.
type Case struct {
	ID  int64
	Ref string

	YouthIDKind string // personnummer or samordningsnummer
	YouthID     string // 12 digits
	YouthName   string
	Guardians   int // the number of guardians who must sign: 1 or 2

	State         string
	Reason        string
	ReferringPart string // the part that referred the young person
	AreaCode      string // the district
	AreaName      string
	TeamID        int64
	TeamName      string
	CoordinatorID int64
	Coordinator   string

	ReferredOn trygg.Day // the case date: when the young person was referred
	ActiveOn   trygg.Day // 0 until active
	ClosedOn   trygg.Day // 0 until closed
	Outcome    string

	Consents  []*Consent
	Shares    []*Share
	Actions   []*Action
	CreatedAt time.Time
}

// Birth is the young person's date of birth.
func (c *Case) Birth() trygg.Day {
	d, _ := BirthDay(c.YouthID)
	return d
}

// FollowUps are the follow-up days of an active case: three and six
// months after it became active.
func (c *Case) FollowUps() []trygg.Day {
	if c.ActiveOn == 0 {
		return nil
	}
	return FollowUpDays(c.ActiveOn)
}

// FollowUpMonths are the months after activation at which the team
// follows a case up.
var FollowUpMonths = []int{3, 6}

// FollowUpDays returns the follow-up days of a case that became active on
// day active.
func FollowUpDays(active trygg.Day) []trygg.Day {
	out := make([]trygg.Day, len(FollowUpMonths))
	for i, m := range FollowUpMonths {
		out[i] = active.AddMonths(m)
	}
	return out
}

// Summary is a case as a row of a list.
type Summary struct {
	Ref        string
	YouthName  string
	State      string
	Reason     string
	AreaName   string
	TeamName   string
	ReferredOn trygg.Day
	// ConsentStatus is the status of the newest consent on the day of the
	// list (ConsentNone when there is none).
	ConsentStatus string
}

// Team is an SSPF team in one district.
type Team struct {
	ID       int64
	Name     string
	AreaCode string
	AreaName string
	Members  []Member
}

// Member is one member of a team.
type Member struct {
	UserID  int64
	Name    string
	Email   string
	OrgName string
	Part    string
}

// Input is a new case as the coordinator registers it.
type Input struct {
	YouthID       string // personnummer or samordningsnummer, any accepted spelling
	YouthName     string
	Guardians     int
	Reason        string
	ReferringPart string
	TeamID        int64
	ReferredOn    trygg.Day

	youthKind string
}

// Kind is the kind of identity number Validate found: personnummer or
// samordningsnummer.
func (in *Input) Kind() string { return in.youthKind }

// How the young person is identified.
const (
	IDPersonnummer      = "personnummer"
	IDSamordningsnummer = "samordningsnummer"
)

// Validate checks a new case and normalises it: the identity number becomes
// its 12 digits, with the validation the register of reports of concern
// uses. today is the day of the call.
func (in *Input) Validate(today trygg.Day) error {
	var v trygg.Validation
	in.YouthID, in.YouthName = strings.TrimSpace(in.YouthID), strings.TrimSpace(in.YouthName)
	if digits, kind, ok := pii.ParseIdentityNumber(in.YouthID, today.Start()); !ok {
		v.Add("youth_id", "Personnumret eller samordningsnumret är inte giltigt. Skriv ÅÅÅÅMMDD-NNNN.")
	} else {
		in.YouthID, in.youthKind = digits, IDPersonnummer
		if kind == pii.Samordningsnummer {
			in.youthKind = IDSamordningsnummer
		}
		if birth, _ := BirthDay(digits); birth > today || birth < today.AddYears(-21) {
			v.Add("youth_id", "SSPF gäller unga under 21 år; kontrollera födelsedatumet i numret.")
		}
	}
	trygg.CheckText(&v, "youth_name", in.YouthName, MaxName, "Den ungas namn saknas.")
	if strings.ContainsAny(in.YouthName, "\r\n") {
		v.Add("youth_name", "Namnet ska stå på en rad.")
	}
	if in.Guardians != 1 && in.Guardians != 2 {
		v.Add("guardians", "Ange om den unga har en eller två vårdnadshavare.")
	}
	if !trygg.HasCode(Reasons, in.Reason) {
		v.Add("reason", "Välj ett skäl i listan.")
	}
	if !trygg.HasCode(Parts, in.ReferringPart) {
		v.Add("referring_part", "Välj vem som uppmärksammade den unga.")
	}
	if in.TeamID <= 0 {
		v.Add("team", "Välj ett SSPF-team.")
	}
	switch {
	case in.ReferredOn == 0:
		v.Add("referred_on", "Ange datum då den unga uppmärksammades.")
	case in.ReferredOn > today:
		v.Add("referred_on", "Datumet kan inte ligga i framtiden.")
	case in.ReferredOn < today.AddYears(-5):
		v.Add("referred_on", "Datumet är orimligt tidigt.")
	}
	return v.Err()
}

// BirthDay is the date of birth in a 12-digit personnummer or
// samordningsnummer (whose day is the day of birth plus 60). ok is false
// for anything else.
func BirthDay(id string) (trygg.Day, bool) {
	if len(id) != 12 {
		return 0, false
	}
	n := func(s string) int {
		v := 0
		for _, r := range s {
			if r < '0' || r > '9' {
				return -1
			}
			v = v*10 + int(r-'0')
		}
		return v
	}
	y, m, d := n(id[0:4]), n(id[4:6]), n(id[6:8])
	if d > 60 {
		d -= 60
	}
	if y < 1800 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	day := trygg.DateDay(y, time.Month(m), d)
	if yy, mm, dd := day.Date(); yy != y || int(mm) != m || dd != d {
		return 0, false
	}
	return day, true
}

// OwnConsentAge is the age from which the young person's own consent is
// needed for sharing.
const OwnConsentAge = 15

// FifteenOn is the day the young person born on birth turns OwnConsentAge;
// born on 29 February, that is 1 March in a year without it.
func FifteenOn(birth trygg.Day) trygg.Day { return birth.AddYears(OwnConsentAge) }

// OwnConsentNeeded reports whether, on day, the young person born on birth
// must have signed for information to be shared.
func OwnConsentNeeded(birth, day trygg.Day) bool { return day >= FifteenOn(birth) }

// NextState reports whether a case may move from state from to state to
// by the coordinator's hand: forward one step at a time, and closing from
// any open state.
func NextState(from, to string) bool {
	i, j := stateIndex(from), stateIndex(to)
	if i < 0 || j < 0 || from == StateClosed {
		return false
	}
	return j == i+1 || to == StateClosed
}

func stateIndex(s string) int {
	return slices.IndexFunc(States, func(c trygg.Code) bool { return c.Code == s })
}

// ExampleNumber returns a valid personnummer, as its 12 digits, for
// someone born on birth with serial serial (0–999): for tests and demo
// data, never for a real person.
func ExampleNumber(birth trygg.Day, serial int) string {
	y, m, d := birth.Date()
	digits := fmt.Sprintf("%02d%02d%02d%03d", y%100, int(m), d, serial%1000)
	sum := 0
	for i, c := range digits {
		v := int(c-'0') * (2 - i%2)
		sum += v/10 + v%10
	}
	return fmt.Sprintf("%02d%s%d", y/100, digits, (10-sum%10)%10)
}
