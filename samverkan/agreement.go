package samverkan

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
)

// AgreementType is the kind of a written agreement (see DOMAIN.md, 4).
type AgreementType string

const (
	AgreementMedborgarlofte  AgreementType = "medborgarlofte"
	AgreementTrygghetsavtal  AgreementType = "trygghetsavtal"
	AgreementSamverkansavtal AgreementType = "samverkansavtal"
	AgreementHandlingsplan   AgreementType = "handlingsplan"
	AgreementAtgardsplan     AgreementType = "atgardsplan"
)

// AgreementTypes lists every agreement type in display order.
var AgreementTypes = []AgreementType{AgreementMedborgarlofte, AgreementTrygghetsavtal, AgreementSamverkansavtal,
	AgreementHandlingsplan, AgreementAtgardsplan}

// Label returns the Swedish name of the type.
func (t AgreementType) Label() string {
	switch t {
	case AgreementMedborgarlofte:
		return "Medborgarlöfte"
	case AgreementTrygghetsavtal:
		return "Trygghetsavtal"
	case AgreementSamverkansavtal:
		return "Samverkansavtal"
	case AgreementHandlingsplan:
		return "Handlingsplan"
	case AgreementAtgardsplan:
		return "Åtgärdsplan"
	}
	return string(t)
}

// Valid reports whether t is a known type.
func (t AgreementType) Valid() bool { return slices.Contains(AgreementTypes, t) }

// AgreementStatus is where an agreement is in its life.
type AgreementStatus string

const (
	AgreementDraft  AgreementStatus = "utkast"
	AgreementSigned AgreementStatus = "undertecknat"
	AgreementEnded  AgreementStatus = "avslutat"
)

// AgreementStatuses lists every status in order.
var AgreementStatuses = []AgreementStatus{AgreementDraft, AgreementSigned, AgreementEnded}

// Label returns the Swedish name of the status.
func (s AgreementStatus) Label() string {
	switch s {
	case AgreementDraft:
		return "Utkast"
	case AgreementSigned:
		return "Undertecknat"
	case AgreementEnded:
		return "Avslutat"
	}
	return string(s)
}

// Party is an organisation that is party to an agreement, and who signs
// for it (a title, or a name and title: signatories of public agreements
// are officials acting in office).
type Party struct {
	OrgCode   string `json:"org"`
	OrgName   string `json:"org_name,omitempty"`
	Signatory string `json:"signatory"`
}

// Agreement is a medborgarlöfte, trygghetsavtal, samverkansavtal,
// handlingsplan or åtgärdsplan: parties, a period, the districts it covers,
// and the commitments it is made of.
type Agreement struct {
	ID          int64           `json:"id"`
	Type        AgreementType   `json:"type"`
	Title       string          `json:"title"`
	Summary     string          `json:"summary"`
	From        trygg.Day       `json:"-"`
	To          trygg.Day       `json:"-"`
	Areas       []string        `json:"areas"`
	Status      AgreementStatus `json:"status"`
	SignedOn    *trygg.Day      `json:"-"`
	Parties     []Party         `json:"parties"`
	Document    *trygg.Document `json:"document,omitempty"`
	Commitments []*Commitment   `json:"commitments"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// AgreementInput is what the samordnare fills in for a new agreement or an
// edit. Field names in its errors are the form's: type, title, summary,
// from, to, areas, status, signed_on, parties, party_org_N and
// party_signatory_N (N counted from 1).
type AgreementInput struct {
	Type     AgreementType
	Title    string
	Summary  string
	From, To trygg.Day
	Areas    []string
	Status   AgreementStatus
	SignedOn *trygg.Day
	Parties  []Party
}

// MaxParties is the most parties one agreement can have.
const MaxParties = 12

// Validate checks everything that needs no database; the store checks that
// the organisations and districts exist.
func (in *AgreementInput) Validate() error {
	var v trygg.Validation
	in.Title = strings.TrimSpace(in.Title)
	in.Summary = strings.TrimSpace(in.Summary)
	if !in.Type.Valid() {
		v.Add("type", "Välj en typ av överenskommelse.")
	}
	trygg.CheckText(&v, "title", in.Title, 200, "Ange en rubrik.")
	trygg.CheckText(&v, "summary", in.Summary, 4000, "")
	trygg.CheckPeriod(&v, in.From, in.To)
	if !slices.Contains(AgreementStatuses, in.Status) {
		v.Add("status", "Välj en status.")
	}
	switch {
	case in.Status == AgreementDraft && in.SignedOn != nil:
		v.Add("signed_on", "Ett utkast har inget datum för undertecknande; välj status Undertecknat.")
	case in.Status != AgreementDraft && in.SignedOn == nil:
		v.Add("signed_on", "Ange när överenskommelsen undertecknades.")
	}
	switch {
	case len(in.Parties) == 0:
		v.Add("parties", "Ange minst en part.")
	case len(in.Parties) > MaxParties:
		v.Add("parties", "En överenskommelse kan ha högst %d parter.", MaxParties)
	}
	seen := map[string]bool{}
	for i := range in.Parties {
		p := &in.Parties[i]
		p.OrgCode, p.Signatory = strings.TrimSpace(p.OrgCode), strings.TrimSpace(p.Signatory)
		switch {
		case p.OrgCode == "":
			v.Add(fmt.Sprintf("party_org_%d", i+1), "Välj organisation för part %d.", i+1)
		case seen[p.OrgCode]:
			v.Add(fmt.Sprintf("party_org_%d", i+1), "Part %d finns redan med; en organisation kan bara vara part en gång.", i+1)
		}
		seen[p.OrgCode] = true
		if p.Signatory == "" && in.Status != AgreementDraft {
			v.Add(fmt.Sprintf("party_signatory_%d", i+1), "Ange vem som undertecknade för part %d.", i+1)
		}
		trygg.CheckText(&v, fmt.Sprintf("party_signatory_%d", i+1), p.Signatory, 200, "")
	}
	in.Areas = trygg.CleanCodes(in.Areas)
	return v.Err()
}

// Commitment is one promise within an agreement: a text, the organisation
// that owns it, a target and an indicator to measure it by.
type Commitment struct {
	ID           int64          `json:"id"`
	AgreementID  int64          `json:"agreement_id"`
	Text         string         `json:"text"`
	OwnerOrgCode string         `json:"owner"`
	OwnerOrgName string         `json:"owner_name,omitempty"`
	Target       Target         `json:"target"`
	Indicator    Indicator      `json:"indicator"`
	Override     *LightOverride `json:"override,omitempty"`
	CreatedAt    time.Time      `json:"created_at"`
	UpdatedAt    time.Time      `json:"updated_at"`
}

// CommitmentInput is what the samordnare fills in for a commitment. Field
// names in its errors: text, owner, target_text, target_kind,
// target_value, baseline_from, baseline_to, indicator_source,
// indicator_name, indicator_areas, indicator_categories.
type CommitmentInput struct {
	Text         string
	OwnerOrgCode string
	Target       Target
	Indicator    Indicator
}

// Validate checks everything that needs no database.
func (in *CommitmentInput) Validate() error {
	var v trygg.Validation
	in.Text = strings.TrimSpace(in.Text)
	in.OwnerOrgCode = strings.TrimSpace(in.OwnerOrgCode)
	in.Target.Text = strings.TrimSpace(in.Target.Text)
	in.Indicator.Name = strings.TrimSpace(in.Indicator.Name)
	trygg.CheckText(&v, "text", in.Text, 2000, "Skriv vad som utlovas.")
	if in.OwnerOrgCode == "" {
		v.Add("owner", "Välj vilken organisation som äger åtagandet.")
	}
	trygg.CheckText(&v, "target_text", in.Target.Text, 300, "Skriv målet i ord, till exempel ”20 % färre rapporter om skadegörelse jämfört med 2024”.")
	t := &in.Target
	switch t.Kind {
	case TargetReduce:
		if !(t.Value > 0 && t.Value <= 100) {
			v.Add("target_value", "Ange hur många procent minskningen ska vara, mellan 0 och 100.")
		}
		switch {
		case t.BaselineFrom == 0:
			v.Add("baseline_from", "Ange första dagen i jämförelseperioden.")
		case t.BaselineTo < t.BaselineFrom:
			v.Add("baseline_to", "Jämförelseperiodens sista dag får inte vara före den första.")
		}
	case TargetAtLeast, TargetAtMost:
		if !(t.Value >= 0 && t.Value < 1e9) {
			v.Add("target_value", "Ange målvärdet per månad som ett tal, 0 eller större.")
		}
		t.BaselineFrom, t.BaselineTo = 0, 0
	default:
		v.Add("target_kind", "Välj vilken sorts mål det är.")
	}
	trygg.CheckText(&v, "indicator_name", in.Indicator.Name, 200, "Ge indikatorn ett namn, till exempel ”Antal nattvandringar per månad”.")
	in.Indicator.Areas = trygg.CleanCodes(in.Indicator.Areas)
	in.Indicator.Categories = trygg.CleanCodes(in.Indicator.Categories)
	switch in.Indicator.Source {
	case IndicatorReports:
		if len(in.Indicator.Categories) == 0 {
			v.Add("indicator_categories", "Välj minst en kategori som indikatorn räknar rapporter i.")
		}
	case IndicatorSeries, IndicatorAds, IndicatorSugarMinor:
		in.Indicator.Areas, in.Indicator.Categories = nil, nil
	case IndicatorIndikator:
		in.Indicator.Areas, in.Indicator.Categories = nil, nil
		in.Indicator.Series, in.Indicator.SeriesArea = strings.TrimSpace(in.Indicator.Series), strings.TrimSpace(in.Indicator.SeriesArea)
		if in.Indicator.Series == "" {
			v.Add("indicator_series", "Välj vilken indikator åtagandet mäts med.")
		}
		if in.Indicator.SeriesArea == "" || len(in.Indicator.SeriesArea) > 80 {
			v.Add("indicator_series_area", "Ange kommunkoden (till exempel 2480), eller för Tryggs egna serier ”kommun” eller en stadsdels kod.")
		}
	case IndicatorNightwalk:
		in.Indicator.Categories = nil
		if len(in.Indicator.Areas) == 0 {
			v.Add("indicator_areas", "Välj minst en stadsdel där nattvandringen följs.")
		}
	default:
		v.Add("indicator_source", "Välj varifrån indikatorns värden kommer: rapporterna, annonsräkningen eller inmatade mätvärden.")
	}
	if in.Indicator.Source != IndicatorIndikator {
		in.Indicator.Series, in.Indicator.SeriesArea = "", ""
	}
	switch {
	case in.Indicator.Source == IndicatorIndikator && in.Indicator.Kind == "":
		in.Indicator.Kind = IndicatorCounts // the store sets the series' own kind
	case in.Indicator.Source == IndicatorNightwalk:
		in.Indicator.Kind = IndicatorMeasure // a per cent, never withheld
	case in.Indicator.Source != IndicatorSeries && in.Indicator.Source != IndicatorIndikator:
		in.Indicator.Kind = IndicatorCounts
	case in.Indicator.Kind == "":
		in.Indicator.Kind = IndicatorCounts
	case !slices.Contains(IndicatorKinds, in.Indicator.Kind):
		v.Add("indicator_kind", "Välj om mätvärdena är antal eller mätningar av något annat slag.")
	}
	return v.Err()
}

// TargetKind says how a commitment's target is measured; see Assess.
type TargetKind string

const (
	// TargetReduce: the indicator falls by Value percent from its
	// monthly mean in the baseline period.
	TargetReduce TargetKind = "minska"
	// TargetAtLeast: at least Value per month.
	TargetAtLeast TargetKind = "minst"
	// TargetAtMost: at most Value per month.
	TargetAtMost TargetKind = "hogst"
)

// TargetKinds lists every target kind in display order.
var TargetKinds = []TargetKind{TargetReduce, TargetAtLeast, TargetAtMost}

// Label returns the Swedish name of the kind.
func (k TargetKind) Label() string {
	switch k {
	case TargetReduce:
		return "Minska med procent jämfört med en period"
	case TargetAtLeast:
		return "Minst ett antal per månad"
	case TargetAtMost:
		return "Högst ett antal per månad"
	}
	return string(k)
}

// Target is what a commitment aims at, in words and as a rule Assess can
// check against the indicator.
type Target struct {
	Text         string     `json:"text"`
	Kind         TargetKind `json:"kind"`
	Value        float64    `json:"value"`
	BaselineFrom trygg.Day  `json:"-"` // TargetReduce only
	BaselineTo   trygg.Day  `json:"-"`
}

// IndicatorSource is where an indicator's values come from.
type IndicatorSource string

const (
	// IndicatorReports counts incident reports per calendar month, in
	// the indicator's districts (all when none) and categories.
	IndicatorReports IndicatorSource = "rapporter"
	// IndicatorSeries is a time series entered or imported by hand.
	IndicatorSeries IndicatorSource = "serie"
	// IndicatorNightwalk reads the night walks live (issue 15): the per
	// cent of a month's weekend nights (Friday and Saturday) on which a
	// walk was held in any of the indicator's districts, a measurement
	// ("nattvandring varje helg i Ålidhem": at least 100 per month).
	IndicatorNightwalk IndicatorSource = "nattvandring"
	// IndicatorAds reads the advertising indicator of operativ samverkan
	// live: the ads offering sex in the municipality, summed per calendar
	// month (see AdIndicatorPoints).
	IndicatorAds IndicatorSource = "annonser"
	// IndicatorSugarMinor is the same for the sugar-dating ads where a
	// minor is suspected.
	IndicatorSugarMinor IndicatorSource = "sockerdejting"
	// IndicatorIndikator reads one of the yearly series under
	// /indikatorer, imported (Kolada, BRÅ, Polisen) or Trygg's own, for
	// one area (Indicator.Series, Indicator.SeriesArea); each year's value
	// is dated the last day of its year (YearPoint).
	IndicatorIndikator IndicatorSource = "indikator"
)

// IndicatorSources lists every source in display order.
var IndicatorSources = []IndicatorSource{IndicatorReports, IndicatorSeries, IndicatorAds, IndicatorSugarMinor, IndicatorIndikator,
	IndicatorNightwalk}

// Label returns the Swedish name of the source, for the form and the
// commitment page.
func (s IndicatorSource) Label() string {
	switch s {
	case IndicatorReports:
		return "Räknas ur rapporterna, per månad"
	case IndicatorSeries:
		return "Mätvärden som förs in eller importeras"
	case IndicatorAds:
		return "Annonser om sex mot ersättning, från annonsräkningen, per månad"
	case IndicatorSugarMinor:
		return "Sugardejtingannonser med misstänkt minderårig, från annonsräkningen, per månad"
	case IndicatorIndikator:
		return "En indikator under Indikatorer (Kolada, Brå, Polisen eller Tryggs egna), per år"
	case IndicatorNightwalk:
		return "Andel helgnätter med nattvandring i stadsdelarna, procent per månad"
	}
	return string(s)
}

// FromAds reports whether the values are read from the advertising
// indicator.
func (s IndicatorSource) FromAds() bool { return s == IndicatorAds || s == IndicatorSugarMinor }

// IndicatorKind says what a series' values are, which decides how an
// effect evaluation compares them (docs/samverkan.md): counts as Poisson
// rates, measurements by their means. Indicators that count reports or
// ads are always IndicatorCounts.
type IndicatorKind string

const (
	// IndicatorCounts: each value is a number of events in its period,
	// such as night walks in a month.
	IndicatorCounts IndicatorKind = "antal"
	// IndicatorMeasure: each value is a measurement, such as the share
	// who feel safe in a survey, or a mean.
	IndicatorMeasure IndicatorKind = "matvarde"
)

// IndicatorKinds lists the kinds in display order.
var IndicatorKinds = []IndicatorKind{IndicatorCounts, IndicatorMeasure}

// Label returns the Swedish name of the kind.
func (k IndicatorKind) Label() string {
	switch k {
	case IndicatorCounts:
		return "Antal händelser per period, till exempel nattvandringar per månad"
	case IndicatorMeasure:
		return "Mätningar, till exempel andelen trygga i en enkät"
	}
	return string(k)
}

// Indicator is how a commitment is measured.
type Indicator struct {
	Source     IndicatorSource `json:"source"`
	Kind       IndicatorKind   `json:"kind"`
	Name       string          `json:"name"`
	Areas      []string        `json:"areas,omitempty"`
	Categories []string        `json:"categories,omitempty"`
	// Series and SeriesArea: IndicatorIndikator only, the indicator's
	// code and the municipality code (or, for Trygg's own series,
	// "kommun" or a district code) whose values count.
	Series     string `json:"series,omitempty"`
	SeriesArea string `json:"series_area,omitempty"`
}

// YearPoint is the value of a yearly indicator as a commitment's value:
// dated the last day of its year, when the year's figure is complete.
func YearPoint(year int, value float64) IndicatorPoint {
	return IndicatorPoint{Day: trygg.DateDay(year, 12, 31), Value: value}
}

// IndicatorPoint is one value of an indicator. For report counts Day is
// the first day of the month counted; for a series, the day the value is
// for. Suppressed marks a small count withheld from the public.
type IndicatorPoint struct {
	Day        trygg.Day `json:"day"`
	Value      float64   `json:"value"`
	Suppressed bool      `json:"suppressed,omitempty"`
}

// CommitmentUpdate is a dated status report on a commitment, with a
// comment and, optionally, a link to evidence. PublishedAt is set when the
// samordnare approved the text for the public page.
type CommitmentUpdate struct {
	ID           int64      `json:"id"`
	CommitmentID int64      `json:"commitment_id"`
	Day          trygg.Day  `json:"day"`
	Comment      string     `json:"comment"`
	Evidence     string     `json:"evidence,omitempty"`
	ByName       string     `json:"by_name"`
	ByOrgName    string     `json:"by_org_name"`
	CreatedAt    time.Time  `json:"created_at"`
	PublishedAt  *time.Time `json:"published_at,omitempty"`
}

// CommitmentUpdateInput is a new status update. Fields: day, comment,
// evidence.
type CommitmentUpdateInput struct {
	Day      trygg.Day
	Comment  string
	Evidence string
}

// Validate checks the update; today is the caller's day, and an update
// cannot be dated in the future.
func (in *CommitmentUpdateInput) Validate(today trygg.Day) error {
	var v trygg.Validation
	in.Comment, in.Evidence = strings.TrimSpace(in.Comment), strings.TrimSpace(in.Evidence)
	switch {
	case in.Day == 0:
		v.Add("day", "Ange vilket datum uppdateringen gäller.")
	case in.Day > today:
		v.Add("day", "En uppdatering kan inte dateras i framtiden.")
	}
	trygg.CheckText(&v, "comment", in.Comment, 4000, "Skriv en kommentar om hur det går.")
	trygg.CheckPersonalData(&v, "comment", in.Comment, "En uppdatering kan bli offentlig och får inte innehålla personuppgifter")
	if in.Evidence != "" {
		u, err := url.Parse(in.Evidence)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(in.Evidence) > 1000 {
			v.Add("evidence", "Underlaget ska vara en webbadress som börjar med https://.")
		}
	}
	return v.Err()
}

// AgreementFilter selects agreements. Zero fields do not filter.
type AgreementFilter struct {
	Type   AgreementType
	Status AgreementStatus
	Area   string
}

// AgreementService keeps agreements and their signed documents.
//
// Samordnare manage them. Samordnare, rapportör, polis and läsare read
// every agreement. Anyone else gets ENOTFOUND (EUNAUTHORIZED when not
// signed in).
type AgreementService interface {
	// FindAgreements returns agreements, newest period first, each with
	// its parties and commitments.
	FindAgreements(ctx context.Context, f AgreementFilter) ([]*Agreement, error)
	// FindAgreementByID returns ENOTFOUND if missing or not visible.
	FindAgreementByID(ctx context.Context, id int64) (*Agreement, error)
	// CreateAgreement returns EINVALID naming each bad field. Samordnare.
	CreateAgreement(ctx context.Context, in AgreementInput) (*Agreement, error)
	// UpdateAgreement replaces the agreement's fields and parties. Samordnare.
	UpdateAgreement(ctx context.Context, id int64, in AgreementInput) (*Agreement, error)
	// AttachDocument stores the signed PDF, replacing any earlier one
	// (checked with trygg.CheckPDF). Samordnare.
	AttachDocument(ctx context.Context, id int64, name string, content []byte) error
	// FindDocument returns the signed PDF; ENOTFOUND when there is none.
	FindDocument(ctx context.Context, id int64) (*trygg.Document, []byte, error)
}

// CommitmentService keeps the commitments of agreements, their status
// updates, indicator values and traffic-light overrides.
//
// Samordnare manage everything. Samordnare, rapportör, polis and läsare
// read every commitment. A rapportör or polis whose organisation owns a
// commitment may add status updates and indicator values to it and
// override its traffic light. Anyone else gets ENOTFOUND (EUNAUTHORIZED
// when not signed in). EINVALID names each bad field.
type CommitmentService interface {
	// CreateCommitment adds a commitment to an agreement. Samordnare.
	CreateCommitment(ctx context.Context, agreementID int64, in CommitmentInput) (*Commitment, error)
	// UpdateCommitment replaces a commitment's fields. Samordnare.
	UpdateCommitment(ctx context.Context, id int64, in CommitmentInput) (*Commitment, error)
	// FindCommitmentByID returns ENOTFOUND if missing or not visible.
	FindCommitmentByID(ctx context.Context, id int64) (*Commitment, error)
	// AddCommitmentUpdate files a dated status update. Samordnare or the
	// owning organisation.
	AddCommitmentUpdate(ctx context.Context, id int64, in CommitmentUpdateInput) (*CommitmentUpdate, error)
	// FindCommitmentUpdates returns the updates, newest first.
	FindCommitmentUpdates(ctx context.Context, id int64) ([]*CommitmentUpdate, error)
	// PublishCommitmentUpdate approves (or withdraws) an update's text
	// for the public page. Samordnare.
	PublishCommitmentUpdate(ctx context.Context, updateID int64, publish bool) error
	// SetLightOverride overrides the computed traffic light; the reason
	// is required (field "reason", checked by CheckOverride) and shown
	// beside the light. An empty light removes the override. Samordnare or
	// the owning organisation. The samordnare's override is published at
	// once; a partner's waits for PublishLightOverride, and until then the
	// public sees the computed light.
	SetLightOverride(ctx context.Context, id int64, light Light, reason string) error
	// PublishLightOverride approves (or withdraws) the override and its
	// reason for the public page; ENOTFOUND when there is no override.
	// Samordnare.
	PublishLightOverride(ctx context.Context, id int64, publish bool) error
	// SaveIndicatorPoints stores values of a series indicator, replacing
	// any on the same day, in one transaction; EINVALID when the
	// indicator is computed from reports. Samordnare or the owning
	// organisation.
	SaveIndicatorPoints(ctx context.Context, id int64, points []IndicatorPoint) error
	// IndicatorPoints returns the commitment's indicator values, oldest
	// first: the stored series, or report counts per calendar month
	// over the baseline period and the agreement's period up to the last
	// whole month before today.
	IndicatorPoints(ctx context.Context, id int64) ([]IndicatorPoint, error)
}

// PublicService is what the public sees of the medborgarlöften and
// trygghetsavtal. Anyone may call it, signed in or not; it never shows
// drafts, other agreement types, unpublished texts or writers' names.
type PublicService interface {
	// FindPublicAgreements returns the signed and ended medborgarlöften
	// and trygghetsavtal, the promises citizens follow, with their
	// commitments. Anyone may call it, signed in or not.
	FindPublicAgreements(ctx context.Context) ([]*Agreement, error)
	// PublicCommitment returns what the public sees of a commitment on a
	// public agreement: the commitment, its indicator with small report
	// counts suppressed, and the newest published update (nil if none).
	// Anyone may call it; ENOTFOUND for anything not public.
	PublicCommitment(ctx context.Context, id int64) (*Commitment, []IndicatorPoint, *CommitmentUpdate, error)
	// FindPublishedUpdates returns the newest published updates on
	// public agreements, newest published first, at most limit (1–100),
	// without the writers' names. Anyone may call it.
	FindPublishedUpdates(ctx context.Context, limit int) ([]PublishedUpdate, error)
}

// PublishedUpdate is a published status update with what it is about.
type PublishedUpdate struct {
	Update         *CommitmentUpdate
	CommitmentText string
	AgreementID    int64
	AgreementTitle string
}
