// Package concern is the social-services register of reports of concern
// about children (orosanmälningar): the report, its statutory clock,
// retention, the statistics that may leave the register, and the service.
// Unlike every other part of Trygg it holds personal data, so only users
// with role socialtjänst in an organisation of type socialtjänst may read
// or write it (see Service).
package concern

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/pii"
	"github.com/trygg-est/trygg/sealed"
)

// Channels are the ways a report of concern arrives.
var Channels = []trygg.Code{
	{Code: "telefon", Label: "Telefon"},
	{Code: "brev", Label: "Brev"},
	{Code: "epost", Label: "E-post"},
	{Code: "etjanst", Label: "E-tjänst"},
	{Code: "besok", Label: "Personligt besök"},
}

// ReporterCategories are who reports. Those with Mandatory set are
// authorities and professionals who are obliged to report.
var ReporterCategories = []trygg.Code{
	{Code: "skola", Label: "Skola"},
	{Code: "forskola", Label: "Förskola"},
	{Code: "halso_sjukvard", Label: "Hälso- och sjukvård"},
	{Code: "tandvard", Label: "Tandvård"},
	{Code: "polis", Label: "Polis"},
	{Code: "socialtjanst", Label: "Socialtjänst"},
	{Code: "kriminalvard", Label: "Kriminalvård"},
	{Code: "annan_myndighet", Label: "Annan myndighet"},
	{Code: "anhorig", Label: "Anhörig"},
	{Code: "privatperson", Label: "Privatperson"},
	{Code: "anonym", Label: "Anonym"},
}

// ReporterAnonymous is the reporter category of an anonymous report.
const ReporterAnonymous = "anonym"

// Concern categories. CategoryViolence is the one that sends a report
// straight to investigation.
const (
	CategoryViolence = "vald_mot_barnet"
)

// Categories are what a report is about; a report has one or more.
var Categories = []trygg.Code{
	{Code: CategoryViolence, Label: "Våld mot barnet"},
	{Code: "bevittnat_vald", Label: "Barnet har bevittnat våld"},
	{Code: "forsummelse", Label: "Försummelse"},
	{Code: "foralder_missbruk_psykisk", Label: "Förälders missbruk eller psykiska ohälsa"},
	{Code: "eget_beteende", Label: "Barnets eget beteende: brott, missbruk"},
	{Code: "heder", Label: "Hedersrelaterat våld eller förtryck"},
	{Code: "sexuell_exploatering", Label: "Sexuell exploatering"},
}

// How the child is identified.
const (
	ChildPersonnummer      = "personnummer"
	ChildSamordningsnummer = "samordningsnummer"
	ChildReserve           = "reservnummer"
)

// Limits on the free texts, in characters.
const (
	MaxText       = 4000 // description
	MaxLine       = 200  // names, contact details, reasons' one-liners
	MaxReasonText = 2000 // recorded reasons and decisions
)

// Report is a report of concern about a child. Ref is the opaque handle
// used in URLs; the numeric ID appears only in the audit log.
type Report struct {
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

	AssigneeID   *int64    `json:"assignee_id,omitempty"`
	AssigneeName string    `json:"assignee_name,omitempty"`
	Steps        []Step    `json:"steps"`
	CreatedAt    time.Time `json:"created_at"`

	// Earlier holds the other reports about the same child, newest first,
	// when the concern was read by ref.
	Earlier []*Summary `json:"-"`
	// Chained is the earlier report whose investigation ended shortly
	// before this one's opened (see ChainedInvestigation), or nil.
	Chained *Summary `json:"-"`
}

// Urgent reports whether the report is about violence against the child,
// which goes straight to investigation.
func (c *Report) Urgent() bool { return slices.Contains(c.Categories, CategoryViolence) }

// ReceivedDay is the Stockholm calendar day the report arrived.
func (c *Report) ReceivedDay() trygg.Day { return trygg.DayOf(c.ReceivedAt) }

// Summary is one row of a work queue or list.
type Summary struct {
	ID           int64     `json:"-"`
	Ref          string    `json:"ref"`
	ReceivedAt   time.Time `json:"received_at"`
	ChildName    string    `json:"child_name"`
	Categories   []string  `json:"categories"`
	AssigneeID   *int64    `json:"assignee_id,omitempty"`
	AssigneeName string    `json:"assignee_name,omitempty"`
	Stage        Stage     `json:"stage"`
	Due          trygg.Day `json:"due"` // the open stage's due day; 0 when it has none
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

// Step is one recorded decision on a report. Which fields are set
// depends on Kind.
type Step struct {
	Kind   string    `json:"kind"`
	At     time.Time `json:"at"` // when it was done, as recorded
	ByID   int64     `json:"by_id"`
	ByName string    `json:"by_name,omitempty"`

	Open          bool      `json:"open,omitempty"`           // pre-assessment: open an investigation
	ProtectNeeded bool      `json:"protect_needed,omitempty"` // protection: immediate protection needed
	Reason        string    `json:"reason,omitempty"`         // why: the decision's reasons, the extension's special reasons
	Exceptional   string    `json:"exceptional,omitempty"`    // pre-assessment after day 14: the exceptional reasons
	NewDue        trygg.Day `json:"new_due,omitempty"`        // extension: the new end date
	Decision      string    `json:"decision,omitempty"`       // completion: the decision
	Interventions string    `json:"interventions,omitempty"`  // completion: interventions granted
	AssigneeID    int64     `json:"assignee_id,omitempty"`    // assignment
}

// StepInput is what a case worker records; see Step. At zero means
// now.
type StepInput struct {
	Kind          string
	At            time.Time
	Open          bool
	ProtectNeeded bool
	Reason        string
	Exceptional   string
	NewDue        trygg.Day
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

// ProtectionDue is the last day for the protection assessment: the day of
// receipt itself.
func ProtectionDue(received trygg.Day) trygg.Day { return received }

// PreAssessmentDue is the last day for the pre-assessment decision: day 14
// counted from the day of receipt.
func PreAssessmentDue(received trygg.Day) trygg.Day { return received + PreAssessmentDays }

// InvestigationDue is the last day of an investigation opened on day
// opened, unless an extension decision set another.
func InvestigationDue(opened trygg.Day) trygg.Day { return opened.AddMonths(InvestigationMonths) }

// StageStatus is one stage of the clock of one report.
type StageStatus struct {
	Stage  Stage
	Name   string
	Due    trygg.Day  // 0: no deadline
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
func clockState(due trygg.Day, done *time.Time, today trygg.Day) string {
	switch {
	case done != nil && due != 0 && trygg.DayOf(*done) > due:
		return DueLate
	case done != nil:
		return DueDone
	case due == 0:
		return DuePending
	}
	return DueState(due, today)
}

// DueState is the state on day today of a stage not yet done that is due
// on day due: DuePending, DueToday or DueOverdue; "" when due is 0 (no
// deadline).
func DueState(due, today trygg.Day) string {
	switch {
	case due == 0:
		return ""
	case today < due:
		return DuePending
	case today == due:
		return DueToday
	}
	return DueOverdue
}

// lastStep returns the last step of a kind, or nil.
func (c *Report) lastStep(kind string) *Step {
	for i := len(c.Steps) - 1; i >= 0; i-- {
		if c.Steps[i].Kind == kind {
			return &c.Steps[i]
		}
	}
	return nil
}

// ClosedAt returns when the report was closed, or nil while it is open.
func (c *Report) ClosedAt() *time.Time {
	if st := c.lastStep(StepClose); st != nil {
		at := st.At
		return &at
	}
	return nil
}

// Summary is the report as a row of a work queue or list.
func (c *Report) Summary() *Summary {
	return &Summary{ID: c.ID, Ref: c.Ref, ReceivedAt: c.ReceivedAt, ChildName: c.ChildName, Categories: c.Categories,
		AssigneeID: c.AssigneeID, AssigneeName: c.AssigneeName, Stage: c.Stage(), Due: c.NextDue(), Investigated: c.Investigated(),
		ClosedAt: c.ClosedAt()}
}

// SortCategories puts concern category codes in the order of Categories.
func SortCategories(codes []string) {
	slices.SortFunc(codes, func(a, b string) int { return categoryOrder(a) - categoryOrder(b) })
}

func categoryOrder(code string) int {
	return slices.IndexFunc(Categories, func(c trygg.Code) bool { return c.Code == code })
}

// Extensions returns the extension decisions, oldest first.
func (c *Report) Extensions() []Step {
	var out []Step
	for _, s := range c.Steps {
		if s.Kind == StepExtension {
			out = append(out, s)
		}
	}
	return out
}

// Investigated reports whether the pre-assessment opened an investigation.
func (c *Report) Investigated() bool {
	pre := c.lastStep(StepPre)
	return pre != nil && pre.Open
}

// InvestigationOpened returns the day the investigation was opened, or 0.
func (c *Report) InvestigationOpened() trygg.Day {
	if pre := c.lastStep(StepPre); pre != nil && pre.Open {
		return trygg.DayOf(pre.At)
	}
	return 0
}

// InvestigationEnd is the investigation's due day: four months after it
// was opened, or the last extension's new end date. 0 when none is open.
func (c *Report) InvestigationEnd() trygg.Day {
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
func (c *Report) Stage() Stage {
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
func (c *Report) NextDue() trygg.Day {
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
func (c *Report) Clock(today trygg.Day) []StageStatus {
	received := c.ReceivedDay()
	status := func(stage Stage, name string, due trygg.Day, step *Step, note string) StageStatus {
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
func ChainedInvestigation(c *Report, earlier []*Report) *Report {
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
		if d := trygg.DayOf(end.At); d <= opened && opened-d <= ChainWindowDays {
			return e
		}
	}
	return nil
}

// ChainWindowDays is how soon after an earlier investigation ended a new
// one for the same child is warned about.
const ChainWindowDays = 30

// Input is the intake form ("Ny orosanmälan"). Field names in
// validation errors are the snake_case names of the fields.
type Input struct {
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
func (in *Input) Validate(now time.Time) error {
	var v trygg.Validation
	for _, p := range []*string{&in.Channel, &in.ReporterCategory, &in.ReporterName, &in.ReporterContact,
		&in.ChildIDKind, &in.ChildID, &in.ChildName, &in.Guardians, &in.Description} {
		*p = strings.TrimSpace(*p)
	}
	trygg.CheckPastTime(&v, "received_at", in.ReceivedAt, now,
		"Ange när anmälan kom in.", "Tiden när anmälan kom in kan inte ligga i framtiden.", "Tiden när anmälan kom in är orimligt tidig.")
	if !trygg.HasCode(Channels, in.Channel) {
		v.Add("channel", "Välj hur anmälan kom in.")
	}
	if !trygg.HasCode(ReporterCategories, in.ReporterCategory) {
		v.Add("reporter_category", "Välj vem som anmäler.")
	} else if in.ReporterCategory == ReporterAnonymous && (in.ReporterName != "" || in.ReporterContact != "") {
		v.Add("reporter_name", "En anonym anmälare har inget namn eller kontaktuppgifter. Välj en annan kategori eller töm fälten.")
	}
	checkLine(&v, "reporter_name", in.ReporterName, "")
	checkLine(&v, "reporter_contact", in.ReporterContact, "")
	switch in.ChildIDKind {
	case ChildReserve:
		in.ChildID = normalReserve(in.ChildID)
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
	checkLine(&v, "child_name", in.ChildName, "Barnets namn saknas.")
	trygg.CheckText(&v, "guardians", in.Guardians, MaxLine*2, "")
	if len(in.Categories) == 0 {
		v.Add("categories", "Välj minst en sorts oro.")
	}
	seen := map[string]bool{}
	for _, c := range in.Categories {
		if !trygg.HasCode(Categories, c) || seen[c] {
			v.Add("categories", "Välj sorter av oro i listan, var och en en gång.")
			break
		}
		seen[c] = true
	}
	trygg.CheckText(&v, "description", in.Description, MaxText, "Beskrivningen saknas.")
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

// checkLine checks a one-line text of at most MaxLine
// characters; required, when set, is the message for an empty one.
func checkLine(v *trygg.Validation, field, s, required string) {
	trygg.CheckText(v, field, s, MaxLine, required)
	if strings.ContainsAny(s, "\r\n") {
		v.Add(field, "Texten ska stå på en rad.")
	}
}

// ValidateStep checks a step against the report as it stands: the order
// of the clock, and the reasons the law asks for. now is the time of the
// call; a zero At becomes now.
func (c *Report) ValidateStep(in *StepInput, now time.Time) error {
	var v trygg.Validation
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
		case trygg.DayOf(in.At) < c.ReceivedDay():
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
		trygg.CheckText(&v, "reason", in.Reason, MaxReasonText, "")
	case StepPre:
		if stage != StagePre {
			wrongStage()
		}
		trygg.CheckText(&v, "reason", in.Reason, MaxReasonText, "Skälen för beslutet saknas.")
		trygg.CheckText(&v, "exceptional", in.Exceptional, MaxReasonText, "")
		if trygg.DayOf(in.At) > PreAssessmentDue(c.ReceivedDay()) && in.Exceptional == "" {
			v.Add("exceptional", "Beslutet fattas efter dag %d. Ange de synnerliga skälen till att förhandsbedömningen tog längre tid.", PreAssessmentDays)
		}
	case StepExtension:
		if stage != StageInvestigation {
			wrongStage()
		}
		trygg.CheckText(&v, "reason", in.Reason, MaxReasonText, "De särskilda skälen saknas.")
		if in.NewDue <= c.InvestigationEnd() {
			v.Add("new_due", "Det nya slutdatumet måste vara efter det nuvarande, %s.", c.InvestigationEnd())
		} else if in.NewDue > c.InvestigationEnd().AddMonths(12) {
			v.Add("new_due", "Det nya slutdatumet ligger orimligt långt fram.")
		}
	case StepCompletion:
		if stage != StageInvestigation {
			wrongStage()
		}
		trygg.CheckText(&v, "decision", in.Decision, MaxReasonText, "Beslutet saknas.")
		trygg.CheckText(&v, "interventions", in.Interventions, MaxReasonText, "")
	case StepClose:
		if stage != StageClosing {
			wrongStage()
		}
		trygg.CheckText(&v, "reason", in.Reason, MaxReasonText, "")
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

// Queue names a work queue.
type Queue string

const (
	QueueToday    Queue = "idag"       // a stage is due today
	QueueOverdue  Queue = "forsenade"  // a stage is past its due day
	QueueMine     Queue = "mina"       // open and assigned to the caller
	QueueOpen     Queue = "oppna"      // every open report
	QueueUnassign Queue = "ofordelade" // open and assigned to nobody
	QueueClosed   Queue = "avslutade"
)

// Filter selects reports for a list. Only one of Queue and
// ChildID is used; ChildID is a personnummer, samordningsnummer or reserve
// number, looked up through the blind index.
type Filter struct {
	Queue      Queue
	AssigneeID *int64 // a case worker's queue
	ChildID    string
	Limit      int // 0 means DefaultLimit; at most MaxLimit
}

// The number of reports a list shows.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// ListLimit is the number of reports the filter lists: Limit, or
// DefaultLimit when it is 0 or less, and at most MaxLimit.
func (f Filter) ListLimit() int {
	if f.Limit <= 0 {
		return DefaultLimit
	}
	return min(f.Limit, MaxLimit)
}

// SearchChildID is the number that a search for s finds: a personnummer
// or samordningsnummer as the 12 digits Input.Validate stores, anything
// else as a reserve number, in capitals as stored. now is the time of the
// search.
func SearchChildID(s string, now time.Time) string {
	id := normalReserve(s)
	if digits, _, ok := pii.ParseIdentityNumber(id, now); ok {
		return digits
	}
	return id
}

// normalReserve is a reserve number as stored: found the same however it
// is typed.
func normalReserve(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// Access purposes: why someone opens a report that is not assigned to them.
var AccessPurposes = []trygg.Code{
	{Code: "handlaggning", Label: "Handläggning av ärendet"},
	{Code: "ersattare", Label: "Ersättare för ordinarie handläggare"},
	{Code: "arbetsledning", Label: "Arbetsledning och fördelning"},
	{Code: "akut", Label: "Akut ärende utanför kontorstid"},
	{Code: "uppfoljning", Label: "Uppföljning och kvalitetsgranskning"},
}

// ValidPurpose reports whether code is one of AccessPurposes.
func ValidPurpose(code string) bool { return trygg.HasCode(AccessPurposes, code) }

// Access is one entry of a report's access log.
type Access struct {
	At       time.Time
	UserName string
	Role     trygg.Role
	Action   string
	Purpose  string // label
}

// RegisterRoles are the roles that open the register, in an organisation
// of type socialtjänst: the case worker (RoleSocialtjanst) and the manager
// (RoleArbetsledare), who also assigns reports and reads access logs.
var RegisterRoles = []trygg.Role{trygg.RoleSocialtjanst, trygg.RoleArbetsledare}

// StatsRoles are the roles that may read Stats.
var StatsRoles = []trygg.Role{trygg.RoleSocialtjanst, trygg.RoleArbetsledare, trygg.RoleSamordnare, trygg.RoleLasare}

// InRegister reports whether u, with its organisation loaded, may use the
// register.
func InRegister(u *trygg.User) bool {
	return u.Has(RegisterRoles...) && u.Org != nil && u.Org.Type == trygg.OrgSocialServices
}

// AssignedOnIntake reports whether a report that u registers is assigned
// to u: a case worker's is; a manager's (arbetsledare without role
// socialtjänst) waits in QueueUnassign to be assigned.
func AssignedOnIntake(u *trygg.User) bool { return u.Has(trygg.RoleSocialtjanst) }

// AccessPurpose is the purpose an access-log entry shows for report:
// entryObject is the audit entry's object ID ("" for a list or search)
// and detail its detail, where package sealed wrote the reason of a read.
func AccessPurpose(entryObject, report, detail string) string {
	switch r, ok := sealed.ParseReason(detail); {
	case entryObject == "":
		return "Visad i en arbetskö eller sökning"
	case entryObject != report:
		return "Visad som tidigare anmälan om barnet"
	case ok && r.Assignee:
		return "Tilldelad handläggare"
	case ok:
		return trygg.CodeLabel(AccessPurposes, r.Purpose)
	}
	return detail
}

// Service is the register of reports of concern.
//
// Every method but Stats is for users with role socialtjänst whose
// organisation is of type socialtjänst, on their own organisation's
// register; everyone else, the operator (CLI) included, gets ENOTFOUND,
// and an anonymous caller EUNAUTHORIZED. Every read of a report, a list or
// a search is written to the audit log with the IDs it showed; every
// change too.
type Service interface {
	// CreateReport records a new report, assigned to the caller if a case
	// worker and to nobody if a manager. EINVALID names each bad field;
	// with TaskID, field task when that task is unknown, not a report of
	// concern, or done already (nothing is then stored).
	CreateReport(ctx context.Context, in Input) (*Report, error)
	// FindReport returns a report with its steps and the child's earlier
	// reports. Opening a report not assigned to the caller needs one of
	// AccessPurposes: without it the answer is EPURPOSE. ENOTFOUND if
	// missing or not visible.
	FindReport(ctx context.Context, ref, purpose string) (*Report, error)
	// FindReports returns a work queue or a search by child, newest first.
	FindReports(ctx context.Context, f Filter) ([]*Summary, error)
	// RecordStep records a step on the clock, or an assignment, and
	// returns the report as it now stands. EINVALID for a step out of
	// order or without the reasons the law asks for.
	RecordStep(ctx context.Context, ref string, in StepInput) (*Report, error)
	// FindCaseWorkers lists the socialtjänst users of the caller's
	// organisation, for assigning.
	FindCaseWorkers(ctx context.Context) ([]*trygg.User, error)
	// FindAccessLog returns who has read or changed a report, newest
	// first. For managers (RoleArbetsledare) only.
	FindAccessLog(ctx context.Context, ref string) ([]*Access, error)
	// Stats returns the aggregates over every social-services register,
	// for socialtjänst, samordnare and läsare; others get
	// ENOTFOUND. today ends the period: the months of this year and the
	// two before.
	Stats(ctx context.Context, today trygg.Day) (*Stats, error)
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
			return nil, trygg.Errorf(trygg.EINVALID, "Ogiltig gallringsregel %q: skriv dokumenttyp=år eller dokumenttyp=undantag, med typerna %s, var och en en gång.",
				part, strings.Join(RetentionDocTypes, " och "))
		}
		seen[docType] = true
		if value == "undantag" {
			rules[i] = RetentionRule{DocType: docType, Exempt: true}
			continue
		}
		years, err := strconv.Atoi(value)
		if err != nil || years < 1 || years > 100 {
			return nil, trygg.Errorf(trygg.EINVALID, "Ogiltig gallringsregel %q: antalet år ska vara ett heltal från 1 till 100, eller undantag.", part)
		}
		rules[i] = RetentionRule{DocType: docType, Years: years}
	}
	return rules, nil
}

// RetentionDue reports whether a document whose last entry was on day last
// is due for deletion on day today under rule.
func RetentionDue(rule RetentionRule, last, today trygg.Day) bool {
	return !rule.Exempt && today > last.AddMonths(12*rule.Years)
}

// RetentionItem is one closed report as retention sees it, and one that
// retention deletes, or in a dry run would delete. It holds no personal
// data.
type RetentionItem struct {
	ID        int64
	DocType   string    // DocTypeOf the report
	LastEntry trygg.Day // the newest of its registration and its recorded steps
}

// DocTypeOf is the document type of a report: DocInvestigation when its
// pre-assessment opened an investigation, DocReport otherwise.
func DocTypeOf(investigated bool) string {
	if investigated {
		return DocInvestigation
	}
	return DocReport
}

// DueForDeletion returns the items, closed reports, that rules delete on
// day today, oldest last entry first. A type that no rule names is kept.
func DueForDeletion(rules []RetentionRule, items []RetentionItem, today trygg.Day) []RetentionItem {
	var due []RetentionItem
	for _, it := range items {
		i := slices.IndexFunc(rules, func(r RetentionRule) bool { return r.DocType == it.DocType })
		if i >= 0 && RetentionDue(rules[i], it.LastEntry, today) {
			due = append(due, it)
		}
	}
	slices.SortStableFunc(due, func(a, b RetentionItem) int { return int(a.LastEntry - b.LastEntry) })
	return due
}
