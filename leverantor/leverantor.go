// Package leverantor is the review of tax-funded welfare providers
// (kontroll av utförare, against välfärdsbrottslighet): the register of
// providers and the persons in their key roles, the scheduled checks, the
// risk rules and their score, the decisions, and the statistics that may
// leave the register.
//
// An enskild firma's number and the key persons are personal data: the
// storage layer seals them with package sealed and audits every read. Only
// users with role kontroll see the register, and each of them only the
// providers that their unit (organisation) has a contract with; everyone
// else gets ENOTFOUND (see Service).
package leverantor

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
)

// CompanyForms are the forms of company a provider may have.
var CompanyForms = []trygg.Code{
	{Code: "aktiebolag", Label: "Aktiebolag"},
	{Code: "enskild_firma", Label: "Enskild firma"},
	{Code: "handelsbolag", Label: "Handelsbolag"},
	{Code: "ekonomisk_forening", Label: "Ekonomisk förening"},
	{Code: "ideell_forening", Label: "Ideell förening"},
	{Code: "stiftelse", Label: "Stiftelse"},
}

// FormSoleTrader is the enskild firma, whose number is a personnummer.
const FormSoleTrader = "enskild_firma"

// ContractTypes are how the provider came to deliver.
var ContractTypes = []trygg.Code{
	{Code: "lov", Label: "LOV (valfrihetssystem)"},
	{Code: "lou", Label: "LOU (upphandling)"},
	{Code: "bidrag", Label: "Bidrag"},
}

// ServiceAreas are what the provider delivers.
var ServiceAreas = []trygg.Code{
	{Code: "hemtjanst", Label: "Hemtjänst"},
	{Code: "personlig_assistans", Label: "Personlig assistans"},
	{Code: "hvb", Label: "HVB"},
	{Code: "daglig_verksamhet", Label: "Daglig verksamhet"},
	{Code: "skola", Label: "Skola"},
	{Code: "ovrigt", Label: "Övrigt"},
}

// KeyRoles are the key roles a person holds, as reported to Bolagsverket.
var KeyRoles = []trygg.Code{
	{Code: "styrelseordforande", Label: "Styrelseordförande"},
	{Code: "styrelseledamot", Label: "Styrelseledamot"},
	{Code: "suppleant", Label: "Styrelsesuppleant"},
	{Code: "vd", Label: "Verkställande direktör"},
	{Code: "verklig_huvudman", Label: "Verklig huvudman"},
}

// boardRole reports whether a key role is a seat on the board.
func boardRole(role string) bool {
	return role == "styrelseordforande" || role == "styrelseledamot" || role == "suppleant"
}

// Check results.
const (
	ResultOK      = "ok"
	ResultRemark  = "anmarkning"
	ResultSerious = "allvarlig"
)

// Results are the results of a check.
var Results = []trygg.Code{
	{Code: ResultOK, Label: "Utan anmärkning"},
	{Code: ResultRemark, Label: "Anmärkning"},
	{Code: ResultSerious, Label: "Allvarlig anmärkning"},
}

// Decision actions.
const (
	ActionContinue    = "fortsatt"
	ActionDeepened    = "fordjupad_granskning"
	ActionRectify     = "begaran_om_rattelse"
	ActionReport      = "anmalan"
	ActionTerminate   = "havning"
	ReportIVO         = "ivo"
	ReportPolice      = "polis"
	ReportTaxAgency   = "skatteverket"
	ReportSchoolInsp  = "skolinspektionen"
	StatusActive      = "aktiv"
	StatusTerminated  = "havd"
	MaxLine           = 200
	MaxText           = 2000
	MaxSites          = 20
	MaxContractKronor = 100_000_000_000
)

// Actions are the decisions on a provider.
var Actions = []trygg.Code{
	{Code: ActionContinue, Label: "Fortsatt avtal"},
	{Code: ActionDeepened, Label: "Fördjupad granskning"},
	{Code: ActionRectify, Label: "Begäran om rättelse"},
	{Code: ActionReport, Label: "Anmälan till myndighet"},
	{Code: ActionTerminate, Label: "Hävning eller uppsägning av avtalet"},
}

// Recipients are the authorities a provider is reported to.
var Recipients = []trygg.Code{
	{Code: ReportIVO, Label: "IVO"},
	{Code: ReportSchoolInsp, Label: "Skolinspektionen"},
	{Code: ReportPolice, Label: "Polisen"},
	{Code: ReportTaxAgency, Label: "Skatteverket"},
}

// Provider is a welfare provider with a contract.
type Provider struct {
	ID           int64
	Org          OrgNumber // Digits empty when the caller may not see a sealed number
	Name         string
	Form         string
	Address      string
	Sites        []string // the addresses of its operations
	ContractType string
	ServiceArea  string
	ContractFrom trygg.Day
	ContractTo   trygg.Day // 0: open-ended
	Value        int64     // the contract's value in kronor
	Registered   trygg.Day // when the company was registered; 0 unknown
	PermitUntil  trygg.Day // the permit's last day; 0 none recorded
	UnitID       int64     // the responsible unit
	UnitName     string
	Units        []Unit // every unit with a contract, the responsible one first
	Status       string
	Score        int
	Flags        []Flag
	NextDue      trygg.Day // the earliest due day of a check; 0 none due

	KeyPersons []KeyPerson
	Checks     []Check
	Decisions  []Decision
	Manual     []ManualFlag
	Schedule   []Due
}

// Unit is an organisation with a contract with a provider.
type Unit struct {
	ID   int64
	Name string
}

// KeyPerson is a person in a key role of a provider (personal data).
type KeyPerson struct {
	ID     int64
	Name   string
	Number OrgNumber // the personnummer
	Role   string
	From   trygg.Day
	To     trygg.Day // 0: still in the role
}

// CheckType is a kind of scheduled check.
type CheckType struct {
	Code     string
	Label    string
	Months   int    // interval
	Owner    string // who does it, such as "Upphandlingsenheten"
	Areas    []string
	Position int
}

// Applies reports whether the check type applies to a service area: a
// type with no areas applies to all.
func (t CheckType) Applies(area string) bool {
	if len(t.Areas) == 0 {
		return true
	}
	for _, a := range t.Areas {
		if a == area {
			return true
		}
	}
	return false
}

// MaxCheckMonths is the longest interval of a check type.
const MaxCheckMonths = 120

// ValidateCheckTypes checks configured intervals and owners.
func ValidateCheckTypes(types []CheckType) error {
	var v trygg.Validation
	for _, t := range types {
		if t.Months < 1 || t.Months > MaxCheckMonths {
			v.Add("months_"+t.Code, "Intervallet ska vara 1–%d månader.", MaxCheckMonths)
		}
		checkLine(&v, "owner_"+t.Code, t.Owner, "Ange vem som ansvarar för kontrollen.")
	}
	return v.Err()
}

// TypePermit is the check of the permit from IVO or Skolinspektionen.
const TypePermit = "tillstand"

// DefaultCheckTypes are the check types of a new register.
var DefaultCheckTypes = []CheckType{
	{Code: "fskatt_moms", Label: "F-skatt och momsregistrering", Months: 12, Owner: "Upphandlingsenheten"},
	{Code: "kronofogden", Label: "Skulder hos Kronofogden", Months: 6, Owner: "Upphandlingsenheten"},
	{Code: TypePermit, Label: "Tillstånd från IVO eller Skolinspektionens beslut", Months: 12, Owner: "Avtalsansvarig",
		Areas: []string{"personlig_assistans", "hvb", "skola", "hemtjanst"}},
	{Code: "arsredovisning", Label: "Inlämnad årsredovisning", Months: 12, Owner: "Ekonomienheten"},
	{Code: "styrelse", Label: "Ändringar i styrelsen", Months: 6, Owner: "Avtalsansvarig"},
	{Code: "sanktioner", Label: "Sanktionslistor", Months: 12, Owner: "Upphandlingsenheten"},
	{Code: "platsbesok", Label: "Platsbesök", Months: 12, Owner: "Avtalsansvarig"},
	{Code: "personal", Label: "Personalens identitet och bakgrundskontroll", Months: 24, Owner: "Avtalsansvarig",
		Areas: []string{"personlig_assistans", "hvb", "hemtjanst", "skola"}},
}

// Check is one recorded check of a provider.
type Check struct {
	ID       int64
	Type     string
	Day      trygg.Day
	Result   string
	Source   string
	Note     string
	UnitName string
	ByName   string
	Document *trygg.Document
}

// Decision is a decision on a provider.
type Decision struct {
	ID        int64
	Action    string
	Recipient string    // for ActionReport
	Deadline  trygg.Day // for ActionRectify
	Reason    string
	At        time.Time
	ByName    string
	UnitName  string
}

// ManualFlag is a warning sign a unit raised by hand.
type ManualFlag struct {
	ID       int64
	Reason   string
	At       time.Time
	ByName   string
	UnitName string
}

// Summary is a row of the provider list.
type Summary struct {
	ID          int64
	Org         string // masked when personal
	Name        string
	ServiceArea string
	UnitName    string
	Status      string
	Score       int
	FlagCount   int
	NextDue     trygg.Day
	Overdue     bool
}

// ProviderInput is a provider as imported or entered.
type ProviderInput struct {
	Org          string
	Name         string
	Form         string
	Address      string
	Sites        []string
	ContractType string
	ServiceArea  string
	ContractFrom trygg.Day
	ContractTo   trygg.Day
	Value        int64
	Registered   trygg.Day
	PermitUntil  trygg.Day
}

// Validate checks the input and returns its organisation number.
func (in *ProviderInput) Validate() (OrgNumber, error) {
	var v trygg.Validation
	n, err := ParseOrgNumber(in.Org)
	if err != nil {
		v.Add("org", "%s", err.Error())
	}
	checkLine(&v, "name", in.Name, "Ange leverantörens namn.")
	if !trygg.HasCode(CompanyForms, in.Form) {
		v.Add("form", "Välj en bolagsform i listan.")
	} else if err == nil && n.Personal != (in.Form == FormSoleTrader) {
		if n.Personal {
			v.Add("form", "Numret är ett personnummer: bolagsformen ska vara enskild firma.")
		} else {
			v.Add("form", "En enskild firma har ägarens personnummer som nummer.")
		}
	}
	checkLine(&v, "address", in.Address, "Ange adressen.")
	if len(in.Sites) > MaxSites {
		v.Add("sites", "Högst %d verksamhetsadresser.", MaxSites)
	}
	for _, s := range in.Sites {
		checkLine(&v, "sites", s, "En verksamhetsadress är tom.")
	}
	if !trygg.HasCode(ContractTypes, in.ContractType) {
		v.Add("contract_type", "Välj en avtalsform i listan.")
	}
	if !trygg.HasCode(ServiceAreas, in.ServiceArea) {
		v.Add("service_area", "Välj ett verksamhetsområde i listan.")
	}
	if in.ContractFrom == 0 {
		v.Add("contract_from", "Ange avtalets startdag.")
	} else if in.ContractTo != 0 && in.ContractTo < in.ContractFrom {
		v.Add("contract_to", "Avtalet kan inte sluta innan det börjar.")
	}
	if in.Value < 0 || in.Value > MaxContractKronor {
		v.Add("value", "Ange avtalets värde i kronor.")
	}
	return n, v.Err()
}

// KeyPersonInput is a key person as imported.
type KeyPersonInput struct {
	Org    string // the provider's number
	Name   string
	Number string
	Role   string
	From   trygg.Day
	To     trygg.Day
}

// Validate checks the input and returns the person's number.
func (in *KeyPersonInput) Validate() (OrgNumber, error) {
	var v trygg.Validation
	if _, err := ParseOrgNumber(in.Org); err != nil {
		v.Add("org", "%s", err.Error())
	}
	checkLine(&v, "name", in.Name, "Ange personens namn.")
	n, err := ParseOrgNumber(in.Number)
	if err != nil || !n.Personal {
		v.Add("number", "Ange ett giltigt personnummer.")
	}
	if !trygg.HasCode(KeyRoles, in.Role) {
		v.Add("role", "Välj en roll i listan.")
	}
	if in.From == 0 {
		v.Add("from", "Ange när personen tillträdde.")
	} else if in.To != 0 && in.To < in.From {
		v.Add("to", "Personen kan inte lämna rollen innan den tillträdde.")
	}
	return n, v.Err()
}

// CheckInput is a check to record.
type CheckInput struct {
	Type         string
	Day          trygg.Day
	Result       string
	Source       string
	Note         string
	DocumentName string
	Document     []byte
}

// Validate checks the input against the known check types, on day today.
func (in *CheckInput) Validate(types []CheckType, today trygg.Day) error {
	var v trygg.Validation
	known := false
	for _, t := range types {
		known = known || t.Code == in.Type
	}
	if !known {
		v.Add("type", "Välj en kontrolltyp i listan.")
	}
	switch {
	case in.Day == 0:
		v.Add("day", "Ange dagen för kontrollen.")
	case in.Day > today:
		v.Add("day", "Kontrollen kan inte vara gjord i framtiden.")
	case in.Day < trygg.DateDay(2000, 1, 1):
		v.Add("day", "Ange en dag efter år 2000.")
	}
	if !trygg.HasCode(Results, in.Result) {
		v.Add("result", "Välj ett resultat.")
	}
	checkLine(&v, "source", in.Source, "Ange källan, till exempel Skatteverket eller platsbesök.")
	trygg.CheckText(&v, "note", in.Note, MaxText, "")
	trygg.CheckPersonalData(&v, "note", in.Note, "Anteckningen får inte innehålla personuppgifter")
	if len(in.Document) > 0 || in.DocumentName != "" {
		if err := trygg.CheckPDF(in.DocumentName, in.Document); err != nil {
			v.Fields = append(v.Fields, trygg.ErrorFields(err)...)
		}
	}
	return v.Err()
}

// DecisionInput is a decision to record.
type DecisionInput struct {
	Action    string
	Recipient string
	Deadline  trygg.Day
	Reason    string
}

// Validate checks the input on day today.
func (in *DecisionInput) Validate(today trygg.Day) error {
	var v trygg.Validation
	if !trygg.HasCode(Actions, in.Action) {
		v.Add("action", "Välj ett beslut i listan.")
	}
	switch {
	case in.Action == ActionRectify && in.Deadline == 0:
		v.Add("deadline", "Ange sista dag för rättelse.")
	case in.Action == ActionRectify && in.Deadline <= today:
		v.Add("deadline", "Sista dag för rättelse ska vara efter i dag.")
	case in.Action != ActionRectify:
		in.Deadline = 0
	}
	if in.Action == ActionReport && !trygg.HasCode(Recipients, in.Recipient) {
		v.Add("recipient", "Välj vart anmälan görs.")
	} else if in.Action != ActionReport {
		in.Recipient = ""
	}
	trygg.CheckText(&v, "reason", in.Reason, MaxText, "Ange skälen för beslutet.")
	trygg.CheckPersonalData(&v, "reason", in.Reason, "Skälen får inte innehålla personuppgifter")
	return v.Err()
}

// ValidateFlagReason checks the reason of a manual flag.
func ValidateFlagReason(reason string) error {
	var v trygg.Validation
	trygg.CheckText(&v, "reason", reason, MaxText, "Ange varför leverantören flaggas.")
	trygg.CheckPersonalData(&v, "reason", reason, "Skälet får inte innehålla personuppgifter")
	return v.Err()
}

func checkLine(v *trygg.Validation, field, s, required string) {
	trygg.CheckText(v, field, strings.TrimSpace(s), MaxLine, required)
	if strings.ContainsAny(s, "\r\n") {
		v.Add(field, "Texten ska stå på en rad.")
	}
}

// NormalAddress is an address as the rule on shared addresses compares
// it: lower case, single spaces, no punctuation.
func NormalAddress(s string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == ',' || r == '.' || r == ' ' || r == '\t':
			space = b.Len() > 0
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FormatKronor writes an amount as "1 250 000 kr".
func FormatKronor(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && r != '-' && s[i-1] != '-' {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(r)
	}
	return b.String() + "\u00a0kr"
}

// Filter selects providers for the list.
type Filter struct {
	ServiceArea string
	OnlyOverdue bool
	Limit       int
}

// ImportResult says what an import did.
type ImportResult struct {
	Created, Updated, KeyPersons int
}

// Service is the register. Every method is for signed-in users with role
// kontroll; each sees only the providers its organisation (unit) is
// responsible for or has a contract with, and a provider it may not see
// answers ENOTFOUND, as does every method to every other caller (the
// operator included); an anonymous caller gets EUNAUTHORIZED. Every read
// of a provider or the list is audited, as is every change.
type Service interface {
	// FindProviders lists the caller's providers by score, highest first.
	FindProviders(ctx context.Context, f Filter) ([]*Summary, error)
	// FindProvider returns a provider with its key persons (unsealed),
	// checks, decisions, flags and schedule; the read is audited.
	FindProvider(ctx context.Context, id int64) (*Provider, error)
	// Import stores providers and key persons in one transaction,
	// matched on the organisation number: a provider already there is
	// updated, and the key persons of a provider in persons replace its
	// earlier ones. A new provider's responsible unit is the caller's.
	// EINVALID when any row is bad; nothing is then written.
	Import(ctx context.Context, providers []ProviderInput, persons []KeyPersonInput) (*ImportResult, error)
	// RecordCheck records a check. EINVALID names each bad field.
	RecordCheck(ctx context.Context, providerID int64, in CheckInput) error
	// ImportChecks records checks of several providers in one transaction
	// (the checks kept in a spreadsheet until now); EINVALID names the first
	// bad one by its index, and nothing is then written.
	ImportChecks(ctx context.Context, checks []CheckImport) error
	// RecordDecision records a decision; a termination ends the contract.
	RecordDecision(ctx context.Context, providerID int64, in DecisionInput) error
	// RaiseFlag records a manual flag with its reason.
	RaiseFlag(ctx context.Context, providerID int64, reason string) error
	// AddUnit gives another unit (by organisation code) a contract with the
	// provider, so that it sees the provider's flags and decisions.
	AddUnit(ctx context.Context, providerID int64, orgCode string) error
	// CheckTypes returns the configured check types.
	CheckTypes(ctx context.Context) ([]CheckType, error)
	// SetCheckTypes stores the intervals and owners of the check types
	// (their codes, labels and areas stay), and recomputes the schedule.
	// EINVALID names a bad field (months_<code>, owner_<code>).
	SetCheckTypes(ctx context.Context, types []CheckType) error
	// Rules returns the configured risk rules.
	Rules(ctx context.Context) (Rules, error)
	// SetRules stores new weights and thresholds; EINVALID for a bad one.
	SetRules(ctx context.Context, r Rules) error
	// Overdue returns, per unit of the caller, the overdue checks.
	Overdue(ctx context.Context) ([]OverdueCheck, error)
	// Stats returns the statistics with small counts withheld: over the
	// providers of a reviewer's unit, or over every provider for the
	// committee (StatsRoles: samordnare and läsare), who see nothing else
	// of the register.
	Stats(ctx context.Context) (*Stats, error)
	// CheckDocument returns a check's attached document.
	CheckDocument(ctx context.Context, providerID, checkID int64) (*trygg.Document, []byte, error)
}

// CheckImport is one check of ImportChecks. Document is not imported.
type CheckImport struct {
	ProviderID int64
	CheckInput
}

// StatsRoles are the roles besides kontroll that may read Stats: the
// committee's members and the coordinator.
var StatsRoles = []trygg.Role{trygg.RoleSamordnare, trygg.RoleLasare}

// OverdueCheck is a check type overdue for a provider.
type OverdueCheck struct {
	UnitName     string
	ProviderID   int64
	ProviderName string
	Type         string
	TypeLabel    string
	Due          trygg.Day
}
