package leverantor

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trygg-est/trygg"
)

// Rule codes.
const (
	RuleBoardChanges = "styrelsebyten"
	RuleSharedPerson = "delad_nyckelperson"
	RuleSharedAddr   = "delad_adress"
	RuleYoungLarge   = "ungt_bolag_stort_avtal"
	RulePermit       = "tillstand"
	RuleOverdue      = "forsenad_kontroll"
	RuleManual       = "manuell"
)

// Rule is one risk rule as configured: its weight (the points a flag of
// it adds to the score, 0 turns it off) and its threshold, whose meaning
// depends on the rule.
type Rule struct {
	Code      string
	Label     string
	Weight    int
	Threshold int64
	// Unit names the threshold; "" when the rule has none.
	Unit string
}

// Rules are the configured rules, in the order of DefaultRules.
type Rules []Rule

// DefaultRules are the rules of a new register.
var DefaultRules = Rules{
	{Code: RuleBoardChanges, Label: "Styrelsen har ändrats fler än N gånger på 12 månader", Weight: 20, Threshold: 2, Unit: "ändringar"},
	{Code: RuleSharedPerson, Label: "En person i nyckelroll finns i en annan leverantör som hävts eller fått allvarlig anmärkning", Weight: 40},
	{Code: RuleSharedAddr, Label: "Många leverantörer på samma adress", Weight: 15, Threshold: 3, Unit: "leverantörer"},
	{Code: RuleYoungLarge, Label: "Bolaget är yngre än 12 månader och har ett stort avtal", Weight: 25, Threshold: 5_000_000, Unit: "kronor"},
	{Code: RulePermit, Label: "Tillståndet har upphört eller saknas", Weight: 40},
	{Code: RuleOverdue, Label: "En kontroll är försenad", Weight: 10},
	{Code: RuleManual, Label: "Manuell flagga från en enhet", Weight: 25},
}

// Get returns the rule of a code, or the zero rule.
func (rs Rules) Get(code string) Rule {
	for _, r := range rs {
		if r.Code == code {
			return r
		}
	}
	return Rule{}
}

// Validate checks configured weights and thresholds.
func (rs Rules) Validate() error {
	var v trygg.Validation
	for _, r := range rs {
		if DefaultRules.Get(r.Code).Code == "" {
			v.Add("rules", "Okänd regel: %s.", r.Code)
			continue
		}
		if r.Weight < 0 || r.Weight > 1000 {
			v.Add("weight_"+r.Code, "Vikten ska vara ett heltal från 0 till 1000.")
		}
		if DefaultRules.Get(r.Code).Unit != "" && (r.Threshold < 1 || r.Threshold > MaxContractKronor) {
			v.Add("threshold_"+r.Code, "Gränsen ska vara ett positivt heltal.")
		}
	}
	return v.Err()
}

// Flag is a warning sign that a rule raised, with the rule's explanation
// in words (never personal data) and the points it adds.
type Flag struct {
	Rule        string `json:"rule"`
	Explanation string `json:"explanation"`
	Weight      int    `json:"weight"`
}

// Score is the sum of the flags' weights.
func Score(flags []Flag) int {
	s := 0
	for _, f := range flags {
		s += f.Weight
	}
	return s
}

// Risk bands of a score.
const (
	BandLow    = "lag"
	BandMedium = "medel"
	BandHigh   = "hog"
)

// Bands are the risk bands in order.
var Bands = []trygg.Code{{Code: BandLow, Label: "Låg (under 20)"}, {Code: BandMedium, Label: "Medel (20–49)"}, {Code: BandHigh, Label: "Hög (50 eller mer)"}}

// Band is the risk band of a score.
func Band(score int) string {
	switch {
	case score >= 50:
		return BandHigh
	case score >= 20:
		return BandMedium
	}
	return BandLow
}

// Facts are what the rules read of one provider: plain values, no
// personal data but the persons' blind indexes.
type Facts struct {
	ID          int64
	Name        string
	Address     string // normalised (NormalAddress)
	ServiceArea string
	Registered  trygg.Day
	Value       int64
	PermitUntil trygg.Day
	Terminated  bool
	Serious     bool // a check with a serious remark in the last 12 months
	Persons     []PersonFact
	Overdue     []string // labels of the overdue check types
	Manual      []string // reasons of manual flags
	PermitLapse bool     // the last permit check found a serious remark
}

// PersonFact is a key person of a provider as the rules see it.
type PersonFact struct {
	Index string // blind index of the personnummer
	Role  string
	From  trygg.Day
	To    trygg.Day
}

// needsPermit are the service areas that need a permit from IVO or
// Skolinspektionen.
var needsPermit = []string{"personlig_assistans", "hvb", "skola"}

// Evaluate runs every rule over every provider on day today and returns
// the flags of each, in the order of the providers. It builds its indexes
// once, so that it runs in time linear in the providers and persons.
func Evaluate(rules Rules, providers []Facts, today trygg.Day) [][]Flag {
	byPerson := make(map[string][]int32, len(providers)*5)
	byAddr := make(map[string]int, len(providers))
	for i := range providers {
		p := &providers[i]
		seen := map[string]bool{}
		for _, k := range p.Persons {
			if k.Index != "" && !seen[k.Index] {
				seen[k.Index] = true
				byPerson[k.Index] = append(byPerson[k.Index], int32(i))
			}
		}
		if p.Address != "" {
			byAddr[p.Address]++
		}
	}
	out := make([][]Flag, len(providers))
	for i := range providers {
		out[i] = evaluateOne(rules, providers, i, byPerson, byAddr, today)
	}
	return out
}

func evaluateOne(rules Rules, all []Facts, i int, byPerson map[string][]int32, byAddr map[string]int, today trygg.Day) []Flag {
	p := &all[i]
	var flags []Flag
	for _, r := range rules {
		if r.Weight == 0 {
			continue
		}
		add := func(format string, args ...any) {
			flags = append(flags, Flag{Rule: r.Code, Weight: r.Weight, Explanation: fmt.Sprintf(format, args...)})
		}
		switch r.Code {
		case RuleBoardChanges:
			if n := BoardChanges(p.Persons, today); int64(n) > r.Threshold {
				add("Styrelsen har ändrats %d gånger de senaste 12 månaderna (gränsen är %d).", n, r.Threshold)
			}
		case RuleSharedPerson:
			for _, other := range SharedWithFlagged(all, i, byPerson) {
				o := &all[other.index]
				why := "hävts"
				if !o.Terminated {
					why = "fått en allvarlig anmärkning vid en kontroll"
				}
				add("En person som är %s här har också en nyckelroll i %s, vars avtal har %s.",
					strings.ToLower(trygg.CodeLabel(KeyRoles, other.role)), o.Name, why)
			}
		case RuleSharedAddr:
			if n := byAddr[p.Address]; p.Address != "" && int64(n) >= r.Threshold {
				add("%d leverantörer har samma adress (gränsen är %d).", n, r.Threshold)
			}
		case RuleYoungLarge:
			if p.Registered != 0 && p.Registered > today.AddMonths(-12) && p.Value >= r.Threshold {
				add("Bolaget registrerades %s, för mindre än 12 månader sedan, och avtalet är värt %s (gränsen är %s).",
					p.Registered, FormatKronor(p.Value), FormatKronor(r.Threshold))
			}
		case RulePermit:
			if !slices.Contains(needsPermit, p.ServiceArea) || p.Terminated {
				break
			}
			switch {
			case p.PermitUntil == 0:
				add("Verksamheten kräver tillstånd, och inget tillstånd är registrerat.")
			case p.PermitUntil < today:
				add("Tillståndet upphörde %s.", p.PermitUntil)
			case p.PermitLapse:
				add("Den senaste kontrollen av tillståndet gav en allvarlig anmärkning.")
			}
		case RuleOverdue:
			if len(p.Overdue) > 0 && !p.Terminated {
				add("Försenad kontroll: %s.", strings.Join(p.Overdue, ", "))
			}
		case RuleManual:
			for _, reason := range p.Manual {
				add("Manuell flagga: %s", reason)
			}
		}
	}
	return flags
}

// BoardChanges counts the changes of board in the 12 months up to today:
// each person who joined or left a board seat in that time.
func BoardChanges(persons []PersonFact, today trygg.Day) int {
	from := today.AddMonths(-12)
	n := 0
	for _, k := range persons {
		if !boardRole(k.Role) {
			continue
		}
		if k.From > from && k.From <= today {
			n++
		}
		if k.To != 0 && k.To > from && k.To <= today {
			n++
		}
	}
	return n
}

type sharedPerson struct {
	index int32
	role  string
}

// SharedWithFlagged returns, once per other provider, the other providers
// that share a key person with provider i and were terminated or had a
// serious remark, with the person's role at i.
func SharedWithFlagged(all []Facts, i int, byPerson map[string][]int32) []sharedPerson {
	var out []sharedPerson
	for _, k := range all[i].Persons {
		for _, j := range byPerson[k.Index] {
			if int(j) == i || !(all[j].Terminated || all[j].Serious) {
				continue
			}
			if slices.ContainsFunc(out, func(s sharedPerson) bool { return s.index == j }) {
				continue
			}
			out = append(out, sharedPerson{index: j, role: k.Role})
		}
	}
	return out
}

// Due is the schedule of one check type for a provider.
type Due struct {
	Type    string
	Label   string
	Owner   string
	Last    trygg.Day // 0: never checked
	Result  string    // of the last check
	Due     trygg.Day // the next due day
	Overdue bool
}

// Schedule is when each check type that applies to a provider in area
// is next due on day today: its interval after the last check, or the
// contract's start when it was never checked. A terminated provider or an
// ended contract has nothing due.
func Schedule(types []CheckType, area string, contractFrom, contractTo trygg.Day, terminated bool, checks []Check, today trygg.Day) []Due {
	var out []Due
	for _, t := range types {
		if !t.Applies(area) {
			continue
		}
		d := Due{Type: t.Code, Label: t.Label, Owner: t.Owner}
		for _, c := range checks {
			if c.Type == t.Code && c.Day >= d.Last {
				d.Last, d.Result = c.Day, c.Result
			}
		}
		if terminated || (contractTo != 0 && contractTo < today) {
			out = append(out, d)
			continue
		}
		if d.Last == 0 {
			d.Due = contractFrom
		} else {
			d.Due = d.Last.AddMonths(t.Months)
		}
		d.Overdue = d.Due < today
		out = append(out, d)
	}
	return out
}

// NextDue is the earliest due day of a schedule; 0 when nothing is due.
func NextDue(s []Due) trygg.Day {
	var next trygg.Day
	for _, d := range s {
		if d.Due != 0 && (next == 0 || d.Due < next) {
			next = d.Due
		}
	}
	return next
}

// OverdueLabels are the labels of a schedule's overdue types.
func OverdueLabels(s []Due) []string {
	var out []string
	for _, d := range s {
		if d.Overdue {
			r, n := utf8.DecodeRuneInString(d.Label)
			out = append(out, string(unicode.ToLower(r))+d.Label[n:])
		}
	}
	return out
}
