package trygg

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/pii"
)

// This file is the social-services register of reports of concern about
// children (orosanmälningar): the report, its statutory clock and the
// service. Unlike every other part of Trygg it holds personal data, so
// only users with role socialtjänst in an organisation of type
// socialtjänst may read or write it (see ConcernService).

// ConcernChannels are the ways a report of concern arrives.
var ConcernChannels = []Code{
	{"telefon", "Telefon"},
	{"brev", "Brev"},
	{"epost", "E-post"},
	{"etjanst", "E-tjänst"},
	{"besok", "Personligt besök"},
}

// ReporterCategories are who reports. Those with Mandatory set are
// authorities and professionals who are obliged to report.
var ReporterCategories = []Code{
	{"skola", "Skola"},
	{"forskola", "Förskola"},
	{"halso_sjukvard", "Hälso- och sjukvård"},
	{"tandvard", "Tandvård"},
	{"polis", "Polis"},
	{"socialtjanst", "Socialtjänst"},
	{"kriminalvard", "Kriminalvård"},
	{"annan_myndighet", "Annan myndighet"},
	{"anhorig", "Anhörig"},
	{"privatperson", "Privatperson"},
	{"anonym", "Anonym"},
}

// ReporterAnonymous is the reporter category of an anonymous report.
const ReporterAnonymous = "anonym"

// Concern categories. CategoryViolence is the one that sends a report
// straight to investigation.
const (
	CategoryViolence = "vald_mot_barnet"
)

// ConcernCategories are what a report is about; a report has one or more.
var ConcernCategories = []Code{
	{CategoryViolence, "Våld mot barnet"},
	{"bevittnat_vald", "Barnet har bevittnat våld"},
	{"forsummelse", "Försummelse"},
	{"foralder_missbruk_psykisk", "Förälders missbruk eller psykiska ohälsa"},
	{"eget_beteende", "Barnets eget beteende: brott, missbruk"},
	{"heder", "Hedersrelaterat våld eller förtryck"},
	{"sexuell_exploatering", "Sexuell exploatering"},
}

// How the child is identified.
const (
	ChildPersonnummer      = "personnummer"
	ChildSamordningsnummer = "samordningsnummer"
	ChildReserve           = "reservnummer"
)

// Limits on the free texts, in characters.
const (
	MaxConcernText = 4000 // description
	MaxConcernLine = 200  // names, contact details, reasons' one-liners
	MaxReasonText  = 2000 // recorded reasons and decisions
)

// Concern is a report of concern about a child. Ref is the opaque handle
// used in URLs; the numeric ID appears only in the audit log.
type Concern struct {
	ID    int64  `json:"-"`
	Ref   string `json:"ref"`
	OrgID int64  `json:"-"`

	ReceivedAt        time.Time `json:"received_at"`
	Channel           string    `json:"channel"`
	ReporterCategory  string    `json:"reporter_category"`
	ReporterMandatory bool      `json:"reporter_mandatory"`
	ReporterName      string    `json:"reporter_name,omitempty"`
	ReporterContact   string    `json:"reporter_contact,omitempty"`
	ReporterProtected bool      `json:"reporter_protected"` // the reporter's identity is kept from the family
	ChildIDKind       string    `json:"child_id_kind"`
	ChildID           string    `json:"child_id"` // 12 digits, or a reserve number
	ChildName         string    `json:"child_name"`
	Guardians         string    `json:"guardians,omitempty"`
	Categories        []string  `json:"categories"`
	Description       string    `json:"description"`

	AssigneeID   *int64        `json:"assignee_id,omitempty"`
	AssigneeName string        `json:"assignee_name,omitempty"`
	Steps        []ConcernStep `json:"steps"`
	CreatedAt    time.Time     `json:"created_at"`

	// Earlier holds the other reports about the same child, newest first,
	// when the concern was read by ref.
	Earlier []*ConcernSummary `json:"-"`
	// Chained is the earlier report whose investigation ended shortly
	// before this one's opened (see ChainedInvestigation), or nil.
	Chained *ConcernSummary `json:"-"`
}

// Urgent reports whether the report is about violence against the child,
// which goes straight to investigation.
func (c *Concern) Urgent() bool { return slices.Contains(c.Categories, CategoryViolence) }

// ReceivedDay is the Stockholm calendar day the report arrived.
func (c *Concern) ReceivedDay() Day { return DayOf(c.ReceivedAt) }

// ConcernSummary is one row of a work queue or list.
type ConcernSummary struct {
	ID           int64     `json:"-"`
	Ref          string    `json:"ref"`
	ReceivedAt   time.Time `json:"received_at"`
	ChildName    string    `json:"child_name"`
	Categories   []string  `json:"categories"`
	AssigneeID   *int64    `json:"assignee_id,omitempty"`
	AssigneeName string    `json:"assignee_name,omitempty"`
	Stage        Stage     `json:"stage"`
	Due          Day       `json:"due"` // the open stage's due day; 0 when it has none
	Investigated bool      `json:"investigated"`
	ClosedAt     *time.Time
}

// Step kinds: the things a case worker records on a report, in the order
// of the clock.
const (
	StepProtection = "skyddsbedomning"
	StepPre        = "forhandsbedomning"
	StepExtension  = "forlangning"
	StepCompletion = "utredning_klar"
	StepClose      = "avslut"
	StepAssign     = "tilldelning"
)

// ConcernStep is one recorded decision on a report. Which fields are set
// depends on Kind.
type ConcernStep struct {
	Kind   string    `json:"kind"`
	At     time.Time `json:"at"` // when it was done, as recorded
	ByID   int64     `json:"by_id"`
	ByName string    `json:"by_name,omitempty"`

	Open          bool   `json:"open,omitempty"`           // pre-assessment: open an investigation
	ProtectNeeded bool   `json:"protect_needed,omitempty"` // protection: immediate protection needed
	Reason        string `json:"reason,omitempty"`         // why: the decision's reasons, the extension's special reasons
	Exceptional   string `json:"exceptional,omitempty"`    // pre-assessment after day 14: the exceptional reasons
	NewDue        Day    `json:"new_due,omitempty"`        // extension: the new end date
	Decision      string `json:"decision,omitempty"`       // completion: the decision
	Interventions string `json:"interventions,omitempty"`  // completion: interventions granted
	AssigneeID    int64  `json:"assignee_id,omitempty"`    // assignment
}

// StepInput is what a case worker records; see ConcernStep. At zero means
// now.
type StepInput struct {
	Kind          string
	At            time.Time
	Open          bool
	ProtectNeeded bool
	Reason        string
	Exceptional   string
	NewDue        Day
	Decision      string
	Interventions string
	AssigneeID    int64
}

// Stage is where a report stands on the clock.
type Stage int

const (
	StageProtection    Stage = iota + 1 // awaiting the protection assessment
	StagePre                            // awaiting the pre-assessment decision
	StageInvestigation                  // investigation open
	StageClosing                        // decided or completed; awaiting closing
	StageClosed
)

// Label is the Swedish name of the stage.
func (s Stage) Label() string {
	switch s {
	case StageProtection:
		return "Skyddsbedömning"
	case StagePre:
		return "Förhandsbedömning"
	case StageInvestigation:
		return "Utredning"
	case StageClosing:
		return "Att avsluta"
	case StageClosed:
		return "Avslutad"
	}
	return ""
}

// Deadlines of the statutory clock.
const (
	PreAssessmentDays   = 14 // the pre-assessment is due this many days after the day of receipt
	InvestigationMonths = 4  // the investigation is due this many months after it was opened
)

// AddMonths returns the day n calendar months after d. A day that the
// target month lacks becomes its last day: 31 October plus four months is
// the last day of February.
func (d Day) AddMonths(n int) Day {
	y, m, dd := d.Date()
	last := DateDay(y, m+time.Month(n)+1, 0)
	_, _, lastDay := last.Date()
	return DateDay(y, m+time.Month(n), min(dd, lastDay))
}

// ProtectionDue is the last day for the protection assessment: the day of
// receipt itself.
func ProtectionDue(received Day) Day { return received }

// PreAssessmentDue is the last day for the pre-assessment decision: day 14
// counted from the day of receipt.
func PreAssessmentDue(received Day) Day { return received + PreAssessmentDays }

// InvestigationDue is the last day of an investigation opened on day
// opened, unless an extension decision set another.
func InvestigationDue(opened Day) Day { return opened.AddMonths(InvestigationMonths) }

// StageStatus is one stage of the clock of one report.
type StageStatus struct {
	Stage  Stage
	Name   string
	Due    Day        // 0: no deadline
	DoneAt *time.Time // nil: not done
	ByName string     // who did it
	State  string     // one of the Due* states
	Note   string     // the decision, in words
}

// Stage states.
const (
	DueDone    = "klar"
	DueLate    = "klar_sent" // done after its due day
	DueToday   = "idag"
	DueOverdue = "forsenad"
	DuePending = "vantar"
	DueNotUsed = "ej_aktuell"
)

// StateLabel is the Swedish text of a stage state.
func StateLabel(state string) string {
	switch state {
	case DueDone:
		return "Klar i tid"
	case DueLate:
		return "Klar, men försenad"
	case DueToday:
		return "Ska göras i dag"
	case DueOverdue:
		return "Försenad"
	case DuePending:
		return "Väntar"
	case DueNotUsed:
		return "Inte aktuell"
	}
	return state
}

// clockState is the state of a stage due on due (0: none), done at done
// (nil: not yet), on day today.
func clockState(due Day, done *time.Time, today Day) string {
	switch {
	case done != nil && due != 0 && DayOf(*done) > due:
		return DueLate
	case done != nil:
		return DueDone
	case due == 0 || today < due:
		return DuePending
	case today == due:
		return DueToday
	}
	return DueOverdue
}

// lastStep returns the last step of a kind, or nil.
func (c *Concern) lastStep(kind string) *ConcernStep {
	for i := len(c.Steps) - 1; i >= 0; i-- {
		if c.Steps[i].Kind == kind {
			return &c.Steps[i]
		}
	}
	return nil
}

// Extensions returns the extension decisions, oldest first.
func (c *Concern) Extensions() []ConcernStep {
	var out []ConcernStep
	for _, s := range c.Steps {
		if s.Kind == StepExtension {
			out = append(out, s)
		}
	}
	return out
}

// Investigated reports whether the pre-assessment opened an investigation.
func (c *Concern) Investigated() bool {
	pre := c.lastStep(StepPre)
	return pre != nil && pre.Open
}

// InvestigationOpened returns the day the investigation was opened, or 0.
func (c *Concern) InvestigationOpened() Day {
	if pre := c.lastStep(StepPre); pre != nil && pre.Open {
		return DayOf(pre.At)
	}
	return 0
}

// InvestigationEnd is the investigation's due day: four months after it
// was opened, or the last extension's new end date. 0 when none is open.
func (c *Concern) InvestigationEnd() Day {
	opened := c.InvestigationOpened()
	if opened == 0 {
		return 0
	}
	if ext := c.lastStep(StepExtension); ext != nil {
		return ext.NewDue
	}
	return InvestigationDue(opened)
}

// Stage returns where the report stands.
func (c *Concern) Stage() Stage {
	switch {
	case c.lastStep(StepClose) != nil:
		return StageClosed
	case c.lastStep(StepProtection) == nil:
		return StageProtection
	case c.lastStep(StepPre) == nil:
		return StagePre
	case c.Investigated() && c.lastStep(StepCompletion) == nil:
		return StageInvestigation
	}
	return StageClosing
}

// NextDue returns the due day of the stage the report stands at, or 0
// when that stage has no deadline (closing, closed).
func (c *Concern) NextDue() Day {
	switch c.Stage() {
	case StageProtection:
		return ProtectionDue(c.ReceivedDay())
	case StagePre:
		return PreAssessmentDue(c.ReceivedDay())
	case StageInvestigation:
		return c.InvestigationEnd()
	}
	return 0
}

// Clock returns the five stages of the report as they stand on day today:
// protection assessment, pre-assessment, investigation (with extensions),
// completion, and closing.
func (c *Concern) Clock(today Day) []StageStatus {
	received := c.ReceivedDay()
	status := func(stage Stage, name string, due Day, step *ConcernStep, note string) StageStatus {
		st := StageStatus{Stage: stage, Name: name, Due: due, Note: note}
		if step != nil {
			at := step.At
			st.DoneAt, st.ByName = &at, step.ByName
		}
		st.State = clockState(due, st.DoneAt, today)
		return st
	}
	prot, pre := c.lastStep(StepProtection), c.lastStep(StepPre)
	comp, closed := c.lastStep(StepCompletion), c.lastStep(StepClose)
	protNote, preNote := "", ""
	if prot != nil {
		protNote = "Inget omedelbart skyddsbehov."
		if prot.ProtectNeeded {
			protNote = "Omedelbart skyddsbehov."
		}
	}
	if pre != nil {
		preNote = "Ingen utredning inleds."
		if pre.Open {
			preNote = "Utredning inleds."
		}
	}
	out := []StageStatus{
		status(StageProtection, "Skyddsbedömning", ProtectionDue(received), prot, protNote),
		status(StagePre, "Förhandsbedömning", PreAssessmentDue(received), pre, preNote),
	}
	notUsed := func(stage Stage, name string) StageStatus {
		return StageStatus{Stage: stage, Name: name, State: DueNotUsed}
	}
	switch {
	case c.Investigated():
		inv := status(StageInvestigation, "Utredning", c.InvestigationEnd(), comp, "")
		if n := len(c.Extensions()); n > 0 {
			inv.Note = "Förlängd " + strconv.Itoa(n) + " gång(er)."
		}
		out = append(out, inv)
		compNote := ""
		if comp != nil {
			compNote = comp.Decision
		}
		out = append(out, status(StageClosing, "Beslut efter utredning", c.InvestigationEnd(), comp, compNote))
	case pre != nil:
		out = append(out, notUsed(StageInvestigation, "Utredning"), notUsed(StageClosing, "Beslut efter utredning"))
	default:
		out = append(out, status(StageInvestigation, "Utredning", 0, nil, ""), status(StageClosing, "Beslut efter utredning", 0, nil, ""))
	}
	out = append(out, status(StageClosed, "Avslut", 0, closed, ""))
	return out
}

// ChainedInvestigation returns an earlier report about the same child whose
// investigation was completed, or whose report was closed after an
// investigation, within ChainWindowDays before c's investigation was
// opened: closing one investigation and opening another to get round the
// four months has been criticised by the Parliamentary Ombudsman (JO).
// earlier are the child's other reports. nil when there is none.
func ChainedInvestigation(c *Concern, earlier []*Concern) *Concern {
	opened := c.InvestigationOpened()
	if opened == 0 {
		return nil
	}
	for _, e := range earlier {
		if e.Ref == c.Ref || !e.Investigated() {
			continue
		}
		end := e.lastStep(StepCompletion)
		if end == nil {
			end = e.lastStep(StepClose)
		}
		if end == nil {
			continue
		}
		if d := DayOf(end.At); d <= opened && opened-d <= ChainWindowDays {
			return e
		}
	}
	return nil
}

// ChainWindowDays is how soon after an earlier investigation ended a new
// one for the same child is warned about.
const ChainWindowDays = 30

// ConcernInput is the intake form ("Ny orosanmälan"). Field names in
// validation errors are the snake_case names of the fields.
type ConcernInput struct {
	ReceivedAt        time.Time
	Channel           string
	ReporterCategory  string
	ReporterMandatory bool
	ReporterName      string
	ReporterContact   string
	ReporterProtected bool
	ChildIDKind       string // ChildReserve, or anything else for a personnummer or samordningsnummer
	ChildID           string
	ChildName         string
	Guardians         string
	Categories        []string
	Description       string
	// TaskID is the operativ task, a suspected minor's report of concern
	// (OperativTask), that this report files; 0 for none. The task is
	// completed in the same transaction. Field: task.
	TaskID int64
}

// Validate checks and normalises the input: trims every text, stores a
// personnummer or samordningsnummer as 12 digits and sets ChildIDKind to
// what it is. now is the time of the call.
func (in *ConcernInput) Validate(now time.Time) error {
	var v Validation
	for _, p := range []*string{&in.Channel, &in.ReporterCategory, &in.ReporterName, &in.ReporterContact,
		&in.ChildIDKind, &in.ChildID, &in.ChildName, &in.Guardians, &in.Description} {
		*p = strings.TrimSpace(*p)
	}
	switch {
	case in.ReceivedAt.IsZero():
		v.Add("received_at", "Ange när anmälan kom in.")
	case in.ReceivedAt.After(now.Add(5 * time.Minute)):
		v.Add("received_at", "Tiden när anmälan kom in kan inte ligga i framtiden.")
	case in.ReceivedAt.Before(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)):
		v.Add("received_at", "Tiden när anmälan kom in är orimligt tidig.")
	}
	if !HasCode(ConcernChannels, in.Channel) {
		v.Add("channel", "Välj hur anmälan kom in.")
	}
	if !HasCode(ReporterCategories, in.ReporterCategory) {
		v.Add("reporter_category", "Välj vem som anmäler.")
	} else if in.ReporterCategory == ReporterAnonymous && (in.ReporterName != "" || in.ReporterContact != "") {
		v.Add("reporter_name", "En anonym anmälare har inget namn eller kontaktuppgifter. Välj en annan kategori eller töm fälten.")
	}
	checkConcernLine(&v, "reporter_name", in.ReporterName, "")
	checkConcernLine(&v, "reporter_contact", in.ReporterContact, "")
	switch in.ChildIDKind {
	case ChildReserve:
		in.ChildID = strings.ToUpper(in.ChildID) // found the same however it is typed
		if !validReserve(in.ChildID) {
			v.Add("child_id", "Ett reservnummer är 1–20 tecken: bokstäver, siffror och bindestreck.")
		}
	default:
		if digits, kind, ok := pii.ParseIdentityNumber(in.ChildID, now); !ok {
			v.Add("child_id", "Personnumret eller samordningsnumret är inte giltigt. Skriv ÅÅÅÅMMDD-NNNN; saknas nummer, välj reservnummer.")
		} else {
			in.ChildID, in.ChildIDKind = digits, ChildPersonnummer
			if kind == pii.Samordningsnummer {
				in.ChildIDKind = ChildSamordningsnummer
			}
		}
	}
	checkConcernLine(&v, "child_name", in.ChildName, "Barnets namn saknas.")
	CheckText(&v, "guardians", in.Guardians, MaxConcernLine*2, "")
	if len(in.Categories) == 0 {
		v.Add("categories", "Välj minst en sorts oro.")
	}
	seen := map[string]bool{}
	for _, c := range in.Categories {
		if !HasCode(ConcernCategories, c) || seen[c] {
			v.Add("categories", "Välj sorter av oro i listan, var och en en gång.")
			break
		}
		seen[c] = true
	}
	CheckText(&v, "description", in.Description, MaxConcernText, "Beskrivningen saknas.")
	return v.Err()
}

func validReserve(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// checkConcernLine checks a one-line text of at most MaxConcernLine
// characters; required, when set, is the message for an empty one.
func checkConcernLine(v *Validation, field, s, required string) {
	CheckText(v, field, s, MaxConcernLine, required)
	if strings.ContainsAny(s, "\r\n") {
		v.Add(field, "Texten ska stå på en rad.")
	}
}

// ValidateStep checks a step against the report as it stands: the order
// of the clock, and the reasons the law asks for. now is the time of the
// call; a zero At becomes now.
func (c *Concern) ValidateStep(in *StepInput, now time.Time) error {
	var v Validation
	for _, p := range []*string{&in.Reason, &in.Exceptional, &in.Decision, &in.Interventions} {
		*p = strings.TrimSpace(*p)
	}
	if in.At.IsZero() {
		in.At = now
	}
	if in.Kind != StepAssign {
		switch {
		case in.At.After(now.Add(5 * time.Minute)):
			v.Add("at", "Tidpunkten kan inte ligga i framtiden.")
		case DayOf(in.At) < c.ReceivedDay():
			v.Add("at", "Tidpunkten kan inte vara före dagen då anmälan kom in.")
		}
	}
	stage := c.Stage()
	wrongStage := func() {
		v.Add("kind", "Det steget går inte att registrera nu: anmälan står i steget %s.", stage.Label())
	}
	switch in.Kind {
	case StepProtection:
		if c.lastStep(StepProtection) != nil || stage == StageClosed {
			wrongStage()
		}
		CheckText(&v, "reason", in.Reason, MaxReasonText, "")
	case StepPre:
		if stage != StagePre {
			wrongStage()
		}
		CheckText(&v, "reason", in.Reason, MaxReasonText, "Skälen för beslutet saknas.")
		CheckText(&v, "exceptional", in.Exceptional, MaxReasonText, "")
		if DayOf(in.At) > PreAssessmentDue(c.ReceivedDay()) && in.Exceptional == "" {
			v.Add("exceptional", "Beslutet fattas efter dag %d. Ange de synnerliga skälen till att förhandsbedömningen tog längre tid.", PreAssessmentDays)
		}
	case StepExtension:
		if stage != StageInvestigation {
			wrongStage()
		}
		CheckText(&v, "reason", in.Reason, MaxReasonText, "De särskilda skälen saknas.")
		if in.NewDue <= c.InvestigationEnd() {
			v.Add("new_due", "Det nya slutdatumet måste vara efter det nuvarande, %s.", c.InvestigationEnd())
		} else if in.NewDue > c.InvestigationEnd().AddMonths(12) {
			v.Add("new_due", "Det nya slutdatumet ligger orimligt långt fram.")
		}
	case StepCompletion:
		if stage != StageInvestigation {
			wrongStage()
		}
		CheckText(&v, "decision", in.Decision, MaxReasonText, "Beslutet saknas.")
		CheckText(&v, "interventions", in.Interventions, MaxReasonText, "")
	case StepClose:
		if stage != StageClosing {
			wrongStage()
		}
		CheckText(&v, "reason", in.Reason, MaxReasonText, "")
	case StepAssign:
		if stage == StageClosed {
			wrongStage()
		}
		if in.AssigneeID <= 0 {
			v.Add("assignee", "Välj en handläggare.")
		}
	default:
		v.Add("kind", "Okänt steg.")
	}
	return v.Err()
}

// ConcernQueue names a work queue.
type ConcernQueue string

const (
	QueueToday    ConcernQueue = "idag"       // a stage is due today
	QueueOverdue  ConcernQueue = "forsenade"  // a stage is past its due day
	QueueMine     ConcernQueue = "mina"       // open and assigned to the caller
	QueueOpen     ConcernQueue = "oppna"      // every open report
	QueueUnassign ConcernQueue = "ofordelade" // open and assigned to nobody
	QueueClosed   ConcernQueue = "avslutade"
)

// ConcernFilter selects reports for a list. Only one of Queue and
// ChildID is used; ChildID is a personnummer, samordningsnummer or reserve
// number, looked up through the blind index.
type ConcernFilter struct {
	Queue      ConcernQueue
	AssigneeID *int64 // a case worker's queue
	ChildID    string
	Limit      int // 0 means 100; at most 1000
}

// Access purposes: why someone opens a report that is not assigned to them.
var AccessPurposes = []Code{
	{"handlaggning", "Handläggning av ärendet"},
	{"ersattare", "Ersättare för ordinarie handläggare"},
	{"arbetsledning", "Arbetsledning och fördelning"},
	{"akut", "Akut ärende utanför kontorstid"},
	{"uppfoljning", "Uppföljning och kvalitetsgranskning"},
}

// ValidPurpose reports whether code is one of AccessPurposes.
func ValidPurpose(code string) bool { return HasCode(AccessPurposes, code) }

// ConcernAccess is one entry of a report's access log.
type ConcernAccess struct {
	At       time.Time
	UserName string
	Role     Role
	Action   string
	Purpose  string // label
}

// ConcernStats are the aggregates that may leave the register: counts
// only, published by the rule of package disclose: counts from 1 to
// disclose.Threshold-1 withheld (Suppressed set, value 0), and in a group
// whose total is shown (the months of a year, the reporter categories) a
// second count withheld where one alone would be the total minus the rest
// (disclose.WithholdComplement).
type ConcernStats struct {
	Months       []disclose.PeriodCount // per month ("2025-03"), with the change from the same month a year before
	Years        []disclose.PeriodCount // per year; this year's change is from the same months of the year before
	ByReporter   []disclose.Count       // label = reporter category
	ByCategory   []disclose.Count       // label = concern category
	Investigated disclose.Share         // share of decided pre-assessments that opened an investigation
	PreInTime    disclose.Share         // share of pre-assessments decided within 14 days
	InvInTime    disclose.Share         // share of completed investigations completed by their due day
}

// ConcernService is the register of reports of concern.
//
// Every method but ConcernStats is for users with role socialtjänst whose
// organisation is of type socialtjänst, on their own organisation's
// register; everyone else, the operator (CLI) included, gets ENOTFOUND,
// and an anonymous caller EUNAUTHORIZED. Every read of a report, a list or
// a search is written to the audit log with the IDs it showed; every
// change too.
type ConcernService interface {
	// CreateConcern records a new report, assigned to the caller if a case
	// worker and to nobody if a manager. EINVALID names each bad field;
	// with TaskID, field task when that task is unknown, not a report of
	// concern, or done already (nothing is then stored).
	CreateConcern(ctx context.Context, in ConcernInput) (*Concern, error)
	// FindConcern returns a report with its steps and the child's earlier
	// reports. Opening a report not assigned to the caller needs one of
	// AccessPurposes: without it the answer is EPURPOSE. ENOTFOUND if
	// missing or not visible.
	FindConcern(ctx context.Context, ref, purpose string) (*Concern, error)
	// FindConcerns returns a work queue or a search by child, newest first.
	FindConcerns(ctx context.Context, f ConcernFilter) ([]*ConcernSummary, error)
	// RecordStep records a step on the clock, or an assignment, and
	// returns the report as it now stands. EINVALID for a step out of
	// order or without the reasons the law asks for.
	RecordStep(ctx context.Context, ref string, in StepInput) (*Concern, error)
	// FindCaseWorkers lists the socialtjänst users of the caller's
	// organisation, for assigning.
	FindCaseWorkers(ctx context.Context) ([]*User, error)
	// FindConcernAccess returns who has read or changed a report, newest
	// first. For managers (RoleArbetsledare) only.
	FindConcernAccess(ctx context.Context, ref string) ([]*ConcernAccess, error)
	// ConcernStats returns the aggregates over every social-services
	// register, for socialtjänst, samordnare and läsare; others get
	// ENOTFOUND. today ends the period: the months of this year and the
	// two before.
	ConcernStats(ctx context.Context, today Day) (*ConcernStats, error)
}

// EPURPOSE: opening the record needs a purpose.
const EPURPOSE = "purpose_required"

// Retention ("gallring"). The register's documents are deleted a number of
// years after their last entry, per document type; exempt types are kept.
// Only closed reports are deleted.
const (
	DocReport        = "anmalan"   // a report that led to no investigation
	DocInvestigation = "utredning" // a report with an investigation
)

// RetentionDocTypes are the document types retention rules may name.
var RetentionDocTypes = []string{DocReport, DocInvestigation}

// RetentionRule keeps a document type Years after its last entry, or
// forever when Exempt.
type RetentionRule struct {
	DocType string
	Years   int
	Exempt  bool
}

// DefaultRetention deletes every document type five years after the last
// entry, the rule DOMAIN.md gives for social-services personal files.
var DefaultRetention = []RetentionRule{{DocType: DocReport, Years: 5}, {DocType: DocInvestigation, Years: 5}}

// ParseRetentionRules reads rules written "anmalan=5,utredning=undantag":
// a document type and a number of years (1–100) or "undantag" (exempt).
// Types not named keep their DefaultRetention rule.
func ParseRetentionRules(s string) ([]RetentionRule, error) {
	rules := slices.Clone(DefaultRetention)
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		docType, value, ok := strings.Cut(part, "=")
		docType, value = strings.TrimSpace(docType), strings.TrimSpace(value)
		i := slices.IndexFunc(rules, func(r RetentionRule) bool { return r.DocType == docType })
		if !ok || i < 0 || seen[docType] {
			return nil, Errorf(EINVALID, "Ogiltig gallringsregel %q: skriv dokumenttyp=år eller dokumenttyp=undantag, med typerna %s, var och en en gång.",
				part, strings.Join(RetentionDocTypes, " och "))
		}
		seen[docType] = true
		if value == "undantag" {
			rules[i] = RetentionRule{DocType: docType, Exempt: true}
			continue
		}
		years, err := strconv.Atoi(value)
		if err != nil || years < 1 || years > 100 {
			return nil, Errorf(EINVALID, "Ogiltig gallringsregel %q: antalet år ska vara ett heltal från 1 till 100, eller undantag.", part)
		}
		rules[i] = RetentionRule{DocType: docType, Years: years}
	}
	return rules, nil
}

// RetentionDue reports whether a document whose last entry was on day last
// is due for deletion on day today under rule.
func RetentionDue(rule RetentionRule, last, today Day) bool {
	return !rule.Exempt && today > last.AddMonths(12*rule.Years)
}

// RetentionItem is one report that retention deletes, or in a dry run
// would delete. It holds no personal data.
type RetentionItem struct {
	ID        int64
	DocType   string
	LastEntry Day
}
