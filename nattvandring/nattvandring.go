// Package nattvandring is the volunteer night walks: groups of adults who
// walk the districts on weekend nights, their training and insurance, the
// jackets and torches they borrow, the walk schedule, and the walk logs
// whose observations become incident reports (docs/nattvandring.md).
//
// The volunteers' names, phone numbers and e-mail addresses are the only
// personal data here. They rest on the volunteers' consent, are sealed in
// the store, are shown only to the leaders of the volunteer's own group,
// and are deleted on request or 12 months after the volunteer's last walk.
// Everyone else (the samordnare, the public page) sees numbers.
//
// The package holds the types, their validation, the pure rules (is a
// training valid, may a volunteer sign up, is a walk red, which loans are
// overdue), the statistics computed from plain rows, and the service
// interface that sqldb implements.
package nattvandring

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
)

// Stored codes and their labels.
const (
	TrainingIntroduction = "introduktion"
	TrainingFirstAid     = "forsta_hjalpen"
	TrainingConflict     = "konflikthantering"

	ItemJacket   = "vast"
	ItemTorch    = "ficklampa"
	ItemFirstAid = "forsta_hjalpen_vaska"

	WalkPlanned   = "planerad"
	WalkConfirmed = "bekraftad"
	WalkCancelled = "installd"
	WalkDone      = "genomford"
)

// TrainingKinds are the kinds of training, in display order.
var TrainingKinds = []trygg.Code{
	{Code: TrainingIntroduction, Label: "Introduktion"},
	{Code: TrainingFirstAid, Label: "Första hjälpen"},
	{Code: TrainingConflict, Label: "Konflikthantering"},
}

// ItemKinds are the kinds of equipment, in display order.
var ItemKinds = []trygg.Code{
	{Code: ItemJacket, Label: "Väst"},
	{Code: ItemTorch, Label: "Ficklampa"},
	{Code: ItemFirstAid, Label: "Första hjälpen-väska"},
}

// JacketSizes are the sizes a jacket comes in.
var JacketSizes = []string{"XS", "S", "M", "L", "XL", "XXL"}

// WalkStatuses are a walk's statuses, in display order.
var WalkStatuses = []trygg.Code{
	{Code: WalkPlanned, Label: "Planerad"},
	{Code: WalkConfirmed, Label: "Bekräftad"},
	{Code: WalkDone, Label: "Genomförd"},
	{Code: WalkCancelled, Label: "Inställd"},
}

// Validity is how many months each kind of training stays valid.
type Validity map[string]int

// DefaultValidity is the validity a new installation starts with: the
// introduction and conflict management for three years, first aid for
// two, as the associations' own courses recommend.
var DefaultValidity = Validity{TrainingIntroduction: 36, TrainingFirstAid: 24, TrainingConflict: 36}

// Months returns the validity of kind in months; 0 for an unknown kind.
func (v Validity) Months(kind string) int { return v[kind] }

// ParseValidity reads the operator's setting of how long trainings stay
// valid: "kind=months" pairs separated by commas, such as
// "introduktion=24,forsta_hjalpen=12". A kind left out keeps its default;
// months run from 1 to 120. The error names the pair at fault, in Swedish.
func ParseValidity(s string) (Validity, error) {
	v := Validity{}
	for kind, months := range DefaultValidity {
		v[kind] = months
	}
	if strings.TrimSpace(s) == "" {
		return v, nil
	}
	for _, pair := range strings.Split(s, ",") {
		kind, value, ok := strings.Cut(strings.TrimSpace(pair), "=")
		kind = strings.TrimSpace(kind)
		if !ok || !trygg.HasCode(TrainingKinds, kind) {
			return nil, fmt.Errorf("%q: ange utbildning=månader, där utbildningen är introduktion, forsta_hjalpen eller konflikthantering", pair)
		}
		months, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || months < 1 || months > 120 {
			return nil, fmt.Errorf("%q: ange giltighetstiden i hela månader, från 1 till 120", pair)
		}
		v[kind] = months
	}
	return v, nil
}

// DefaultMinAdults is a group's minimum of trained adults per walk unless
// it sets another.
const DefaultMinAdults = 3

// RetentionMonths is how long a volunteer's personal data is kept after the
// volunteer's last walk (or registration, for one who never walked).
const RetentionMonths = 12

// Insurance is a group's accident insurance.
type Insurance struct {
	Insurer   string
	Policy    string
	ValidFrom trygg.Day
	ValidTo   trygg.Day // inclusive
	CoversAll bool      // covers every member, not only named ones
}

// ValidOn reports whether the insurance covers day.
func (in Insurance) ValidOn(day trygg.Day) bool {
	return in.ValidFrom != 0 && in.ValidTo != 0 && in.ValidFrom <= day && day <= in.ValidTo
}

// Group is a night-walking group: an association or a school's parents'
// group. Its leaders are the users with the role nattvandrare in its
// organisation (of type nattvandring).
type Group struct {
	ID        int64
	OrgID     int64
	OrgCode   string
	Name      string
	Contact   string // a role or a shared address, never a person's own
	Districts []string
	Insurance Insurance
	MinAdults int

	// Numbers for the overview; never names.
	Volunteers int // active volunteers
	Trained    int // of whom with a valid introduction today
}

// GroupInput is the form for a new group or an edit.
type GroupInput struct {
	OrgCode   string // the organisation; ignored on an edit
	Name      string
	Contact   string
	Districts []string
	Insurance Insurance
	MinAdults int
}

// Validate checks the group's fields; the district codes are checked by
// the store.
func (in *GroupInput) Validate() error {
	var v trygg.Validation
	in.Name = strings.TrimSpace(in.Name)
	in.Contact = strings.TrimSpace(in.Contact)
	in.Insurance.Insurer = strings.TrimSpace(in.Insurance.Insurer)
	in.Insurance.Policy = strings.TrimSpace(in.Insurance.Policy)
	in.Districts = trygg.CleanCodes(in.Districts)
	trygg.CheckText(&v, "name", in.Name, 120, "Ange gruppens namn.")
	trygg.CheckText(&v, "contact", in.Contact, 200, "Ange en kontaktväg, till exempel föreningens e-postadress.")
	if len(in.Districts) == 0 {
		v.Add("districts", "Välj minst ett område som gruppen går i.")
	}
	trygg.CheckText(&v, "insurer", in.Insurance.Insurer, 120, "")
	trygg.CheckText(&v, "policy", in.Insurance.Policy, 60, "")
	if in.Insurance.ValidFrom != 0 && in.Insurance.ValidTo != 0 && in.Insurance.ValidTo < in.Insurance.ValidFrom {
		v.Add("insurance_to", "Försäkringen kan inte sluta gälla innan den börjar.")
	}
	if in.MinAdults == 0 {
		in.MinAdults = DefaultMinAdults
	}
	if in.MinAdults < 2 || in.MinAdults > 20 {
		v.Add("min_adults", "Minsta antal vuxna ska vara 2–20.")
	}
	return v.Err()
}

// Training is one course a volunteer took, on a day.
type Training struct {
	Kind string
	On   trygg.Day
}

// Volunteer is an adult in a group. Name, Phone and Email are empty for
// one removed (on request or by the retention job): the volunteer's past
// walks stay, anonymous.
type Volunteer struct {
	ID        int64
	GroupID   int64
	Name      string
	Phone     string
	Email     string
	Trainings []Training
	RemovedAt *time.Time
	CreatedAt time.Time
	// LinkCreatedAt is when the volunteer's sign-up link was made; nil
	// when there is none.
	LinkCreatedAt *time.Time
}

// DisplayName is the name, or "Borttagen frivillig" after removal.
func (v *Volunteer) DisplayName() string {
	if v.RemovedAt != nil || v.Name == "" {
		return "Borttagen frivillig"
	}
	return v.Name
}

// VolunteerInput is the form for a new volunteer or an edit.
type VolunteerInput struct {
	Name  string
	Phone string
	Email string
}

// Validate checks and tidies a volunteer's fields.
func (in *VolunteerInput) Validate() error {
	var v trygg.Validation
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	in.Phone = strings.TrimSpace(in.Phone)
	in.Email = trygg.NormalizeEmail(in.Email)
	trygg.CheckText(&v, "name", in.Name, 100, "Ange namnet.")
	if in.Phone == "" {
		v.Add("phone", "Ange ett telefonnummer.")
	} else if !validPhone(in.Phone) {
		v.Add("phone", "Telefonnumret ska bestå av siffror, till exempel 070-123 45 67.")
	}
	if in.Email != "" && !trygg.ValidEmail(in.Email) {
		v.Add("email", "E-postadressen är ogiltig.")
	}
	return v.Err()
}

// validPhone accepts 7 to 15 digits, with spaces, hyphens and a leading +.
func validPhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}

// TrainingInput is the form for recording a training.
type TrainingInput struct {
	Kind string
	On   trygg.Day
}

// Validate checks a training against today.
func (in TrainingInput) Validate(today trygg.Day) error {
	var v trygg.Validation
	if !trygg.HasCode(TrainingKinds, in.Kind) {
		v.Add("kind", "Välj en typ av utbildning.")
	}
	switch {
	case in.On == 0:
		v.Add("on", "Ange datum för utbildningen.")
	case in.On > today:
		v.Add("on", "Utbildningen kan inte ligga i framtiden.")
	case in.On < trygg.DateDay(2000, 1, 1):
		v.Add("on", "Datumet är orimligt tidigt.")
	}
	return v.Err()
}

// SignUp is a volunteer on a walk. Name is empty for callers who may not
// see names.
type SignUp struct {
	VolunteerID int64
	Name        string
	Trained     bool // a valid introduction on the walk's day
}

// Walk is a scheduled walk. Start and End are the minutes after midnight
// of Date; an End at or before Start is the next morning.
type Walk struct {
	ID           int64
	GroupID      int64
	GroupName    string
	Date         trygg.Day
	Start, End   int
	Districts    []string
	MeetingPoint string
	Status       string
	Published    bool
	SignUps      []SignUp
	Check        WalkCheck // why the walk is red, if it is
	ReportIDs    []int64   // the incident reports its log filed
	Log          *WalkLog
}

// StartTime is when the walk begins, in Stockholm.
func (w *Walk) StartTime() time.Time { return clockTime(w.Date, w.Start) }

// EndTime is when the walk ends, the next morning when End <= Start.
func (w *Walk) EndTime() time.Time {
	if w.End <= w.Start {
		return clockTime(w.Date+1, w.End)
	}
	return clockTime(w.Date, w.End)
}

func clockTime(d trygg.Day, minutes int) time.Time {
	y, m, day := d.Date()
	return time.Date(y, m, day, minutes/60, minutes%60, 0, 0, trygg.Stockholm)
}

// FormatClock writes minutes after midnight as "21:30".
func FormatClock(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

// ParseClock reads "21:30" (or "2130", "21.30") as minutes after midnight.
func ParseClock(s string) (int, bool) {
	s = strings.NewReplacer(".", ":", " ", "").Replace(strings.TrimSpace(s))
	if len(s) == 4 && !strings.Contains(s, ":") {
		s = s[:2] + ":" + s[2:]
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// WalkInput is the form for scheduling a walk.
type WalkInput struct {
	Date         trygg.Day
	Start, End   int // minutes after midnight; -1 when not given
	Districts    []string
	MeetingPoint string
	Published    bool
}

// Validate checks a walk; the districts must be among the group's (the
// store checks that they exist).
func (in *WalkInput) Validate(today trygg.Day, groupDistricts []string) error {
	var v trygg.Validation
	in.MeetingPoint = strings.TrimSpace(in.MeetingPoint)
	in.Districts = trygg.CleanCodes(in.Districts)
	switch {
	case in.Date == 0:
		v.Add("date", "Ange datum.")
	case in.Date < today:
		v.Add("date", "En ny vandring kan inte ligga bakåt i tiden.")
	case in.Date > today+400:
		v.Add("date", "En vandring kan planeras högst ett år framåt.")
	}
	if in.Start < 0 || in.Start >= 24*60 {
		v.Add("start", "Ange starttid, till exempel 21:00.")
	}
	if in.End < 0 || in.End >= 24*60 {
		v.Add("end", "Ange sluttid, till exempel 01:00.")
	} else if in.Start >= 0 && in.Start < 24*60 && walkMinutes(in.Start, in.End) > 10*60 {
		v.Add("end", "En vandring kan vara högst tio timmar.")
	}
	if len(in.Districts) == 0 {
		v.Add("districts", "Välj minst ett område.")
	}
	for _, d := range in.Districts {
		if !containsString(groupDistricts, d) {
			v.Add("districts", "Gruppen går inte i området %q. Välj bland gruppens områden.", d)
			break
		}
	}
	trygg.CheckText(&v, "meeting_point", in.MeetingPoint, 200, "Ange mötesplatsen.")
	trygg.CheckPersonalData(&v, "meeting_point", in.MeetingPoint, "Mötesplatsen visas offentligt och får inte innehålla personuppgifter")
	return v.Err()
}

// walkMinutes is the length of a walk from start to end, across midnight
// when end <= start.
func walkMinutes(start, end int) int {
	if end <= start {
		return end + 24*60 - start
	}
	return end - start
}

func containsString(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

// WalkFilter selects walks. Zero fields do not filter.
type WalkFilter struct {
	GroupID  int64
	District string
	From, To trygg.Day // inclusive
}

// Walker is one volunteer on a filed log, with the minutes walked.
type Walker struct {
	VolunteerID int64
	Name        string // empty for callers who may not see names
	Minutes     int
}

// Observation is what the walkers saw; each becomes an incident report.
type Observation struct {
	OccurredAt  time.Time
	AreaCode    string
	Location    *trygg.Point
	PlaceType   string
	Category    string
	Severity    int
	Description string
}

// Report is the observation as an incident report's input, for the same
// validation as every other report.
func (o Observation) Report() trygg.ReportInput {
	return trygg.ReportInput{OccurredAt: o.OccurredAt, AreaCode: o.AreaCode, Location: o.Location,
		PlaceType: o.PlaceType, Category: o.Category, Severity: o.Severity, Description: o.Description}
}

// WalkLog is what the leader files after a walk.
type WalkLog struct {
	WalkID        int64
	Walkers       []Walker
	Districts     []string
	YouthContacts int // contacts with young people, a count only
	Observations  []Observation
	ReportIDs     []int64
	FiledAt       time.Time
}

// Minutes is the volunteer time of the log: every walker's minutes.
func (l *WalkLog) Minutes() int {
	n := 0
	for _, w := range l.Walkers {
		n += w.Minutes
	}
	return n
}

// MaxObservations is the most observations one log may file.
const MaxObservations = 20

// Validate checks a log for walk w at now: the walkers (signed up or not,
// but from the group; the store checks that), their minutes, the route's
// districts, the count of contacts, and each observation exactly as an
// incident report is checked, with its fields named
// "observations[N].field".
func (l *WalkLog) Validate(now time.Time) error {
	var v trygg.Validation
	l.Districts = trygg.CleanCodes(l.Districts)
	if len(l.Walkers) == 0 {
		v.Add("walkers", "Ange vilka som gick.")
	}
	seen := map[int64]bool{}
	for i, w := range l.Walkers {
		if seen[w.VolunteerID] {
			v.Add(fmt.Sprintf("walkers[%d]", i), "Samma person finns två gånger.")
		}
		seen[w.VolunteerID] = true
		if w.Minutes <= 0 || w.Minutes > 12*60 {
			v.Add(fmt.Sprintf("walkers[%d].minutes", i), "Ange tiden som 0,5–12 timmar.")
		}
	}
	if len(l.Districts) == 0 {
		v.Add("districts", "Välj minst ett område som ni gick i.")
	}
	if l.YouthContacts < 0 || l.YouthContacts > 1000 {
		v.Add("youth_contacts", "Antalet kontakter ska vara 0–1000.")
	}
	if len(l.Observations) > MaxObservations {
		v.Add("observations", "En logg kan ha högst %d iakttagelser.", MaxObservations)
	}
	for i := range l.Observations {
		in := l.Observations[i].Report()
		if err := in.Validate(now); err != nil {
			for _, f := range trygg.ErrorFields(err) {
				v.Add(fmt.Sprintf("observations[%d].%s", i, f.Field), "%s", f.Message)
			}
			continue
		}
		l.Observations[i] = Observation{OccurredAt: in.OccurredAt, AreaCode: in.AreaCode, Location: in.Location,
			PlaceType: in.PlaceType, Category: in.Category, Severity: in.Severity, Description: in.Description}
	}
	return v.Err()
}

// Item is a piece of equipment: a jacket of a size, a torch, a first-aid
// kit.
type Item struct {
	ID             int64
	GroupID        int64
	Kind           string
	Size           string // jackets only
	Label          string // the group's own marking, "Väst 12"
	WrittenOffOn   trygg.Day
	WriteOffReason string
	Loan           *Loan // the open loan, if lent out
}

// ItemInput is the form for a new item.
type ItemInput struct {
	Kind  string
	Size  string
	Label string
}

// Validate checks an item.
func (in *ItemInput) Validate() error {
	var v trygg.Validation
	in.Label = strings.TrimSpace(in.Label)
	in.Size = strings.ToUpper(strings.TrimSpace(in.Size))
	if !trygg.HasCode(ItemKinds, in.Kind) {
		v.Add("kind", "Välj vad det är.")
	}
	if in.Kind == ItemJacket && !containsString(JacketSizes, in.Size) {
		v.Add("size", "Välj storlek på västen.")
	}
	if in.Kind != ItemJacket {
		in.Size = ""
	}
	trygg.CheckText(&v, "label", in.Label, 60, "Ange märkningen, till exempel Väst 12.")
	trygg.CheckPersonalData(&v, "label", in.Label, "Märkningen får inte innehålla personuppgifter")
	return v.Err()
}

// Loan is an item lent to a volunteer.
type Loan struct {
	ID            int64
	ItemID        int64
	ItemLabel     string
	VolunteerID   int64
	VolunteerName string // empty for callers who may not see names
	LentOn        trygg.Day
	DueOn         trygg.Day
	ReturnedOn    trygg.Day // 0 while out
}

// Overdue reports whether the loan is out past its return date.
func (l *Loan) Overdue(today trygg.Day) bool { return l.ReturnedOn == 0 && l.DueOn < today }

// CheckLoan checks a new loan's return date.
func CheckLoan(due, today trygg.Day) error {
	var v trygg.Validation
	switch {
	case due == 0:
		v.Add("due", "Ange när utrustningen ska lämnas tillbaka.")
	case due < today:
		v.Add("due", "Återlämningsdagen kan inte ligga bakåt i tiden.")
	case due > today+366:
		v.Add("due", "Ett lån kan vara högst ett år.")
	}
	return v.Err()
}

// CheckWriteOff checks the reason for writing an item off.
func CheckWriteOff(reason string) error {
	var v trygg.Validation
	trygg.CheckText(&v, "reason", strings.TrimSpace(reason), 300, "Ange varför utrustningen skrivs av, till exempel att den kommit bort.")
	trygg.CheckPersonalData(&v, "reason", reason, "Skälet får inte innehålla personuppgifter")
	return v.Err()
}

// Hours writes minutes as hours with one decimal, Swedish style: "2,5".
func Hours(minutes int) string {
	h := math.Round(float64(minutes)/6) / 10
	s := fmt.Sprintf("%.1f", h)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", ",", 1)
}

// ParseHours reads "2,5", "2.5" or "2" hours as minutes; false for
// anything else.
func ParseHours(s string) (int, bool) {
	s = strings.Replace(strings.TrimSpace(s), ",", ".", 1)
	if s == "" || len(s) > 6 || strings.Trim(s, "0123456789.") != "" || strings.Count(s, ".") > 1 {
		return 0, false
	}
	h, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return int(math.Round(h * 60)), true
}
