package sspf

import (
	"fmt"
	"slices"
	"strings"

	"github.com/trygg-est/trygg"
)

// Signers: who may sign a consent.
const (
	SignerGuardian1 = "vardnadshavare_1"
	SignerGuardian2 = "vardnadshavare_2"
	SignerYouth     = "den_unga"
)

// Signers lists the signers in order.
var Signers = []trygg.Code{
	{Code: SignerGuardian1, Label: "Vårdnadshavare 1"},
	{Code: SignerGuardian2, Label: "Vårdnadshavare 2"},
	{Code: SignerYouth, Label: "Den unga själv"},
}

// Purposes are what a consent is given for.
var Purposes = []trygg.Code{
	{Code: "samordnad_insats", Label: "Samordnade insatser i SSPF-teamet"},
	{Code: "kartlaggning", Label: "Gemensam kartläggning av behov"},
	{Code: "uppfoljning", Label: "Uppföljning av handlingsplanen"},
}

// DefaultValidityMonths is how long a consent lasts at most, unless the
// operator configures another maximum.
const DefaultValidityMonths = 12

// ScopeItem lets one part receive one type of information.
type ScopeItem struct {
	Part string
	Info string
}

// Code is the item as a form value and a stored code: "polis:narvaro".
func (s ScopeItem) Code() string { return s.Part + ":" + s.Info }

// ParseScopeItem reads a ScopeItem's Code.
func ParseScopeItem(code string) (ScopeItem, bool) {
	part, info, ok := strings.Cut(code, ":")
	if !ok || !trygg.HasCode(Parts, part) || !trygg.HasCode(InfoTypes, info) {
		return ScopeItem{}, false
	}
	return ScopeItem{Part: part, Info: info}, true
}

// Label is the item in words: "Polis får Närvaro i skolan".
func (s ScopeItem) Label() string {
	return trygg.CodeLabel(Parts, s.Part) + " får " + strings.ToLower(trygg.CodeLabel(InfoTypes, s.Info))
}

// Consent is one written consent to share information in the team.
type Consent struct {
	ID        int64
	Signed    []Signature
	Scope     []ScopeItem
	Purpose   string
	GivenOn   trygg.Day
	ExpiresOn trygg.Day // the last day it holds
	// WithdrawnOn is the day it was withdrawn, 0 if it stands. A
	// withdrawal takes effect at once: from that day on.
	WithdrawnOn trygg.Day
	Document    *trygg.Document // the signed document, sealed in the store
}

// Signature is one signer's signature, with the day it was given.
type Signature struct {
	Signer string
	On     trygg.Day
}

// HasSigned reports whether signer signed c on or before day.
func (c *Consent) HasSigned(signer string, day trygg.Day) bool {
	return slices.ContainsFunc(c.Signed, func(s Signature) bool { return s.Signer == signer && s.On <= day })
}

// Covers reports whether the scope lets part receive info.
func (c *Consent) Covers(part, info string) bool {
	return slices.Contains(c.Scope, ScopeItem{Part: part, Info: info})
}

// Required returns the signers a consent needs on day for a young person
// born on birth with guardians guardians: each guardian, and from the 15th
// birthday the young person.
func Required(guardians int, birth, day trygg.Day) []string {
	req := []string{SignerGuardian1}
	if guardians >= 2 {
		req = append(req, SignerGuardian2)
	}
	if OwnConsentNeeded(birth, day) {
		req = append(req, SignerYouth)
	}
	return req
}

// Missing returns the signers the consent lacks on day, in the order of
// Signers.
func (c *Consent) Missing(guardians int, birth, day trygg.Day) []string {
	var out []string
	for _, s := range Required(guardians, birth, day) {
		if !c.HasSigned(s, day) {
			out = append(out, s)
		}
	}
	return out
}

// Consent statuses on a day.
const (
	ConsentNone       = "saknas"
	ConsentValid      = "giltigt"
	ConsentIncomplete = "ofullstandigt"
	ConsentWithdrawn  = "aterkallat"
	ConsentExpired    = "utganget"
	ConsentNotYet     = "ej_borjat"
)

// ConsentStatuses label the statuses.
var ConsentStatuses = []trygg.Code{
	{Code: ConsentNone, Label: "Samtycke saknas"},
	{Code: ConsentValid, Label: "Giltigt"},
	{Code: ConsentIncomplete, Label: "Ofullständigt"},
	{Code: ConsentWithdrawn, Label: "Återkallat"},
	{Code: ConsentExpired, Label: "Utgånget"},
	{Code: ConsentNotYet, Label: "Gäller ännu inte"},
}

// Status is the consent's status on day for the young person.
func (c *Consent) Status(guardians int, birth, day trygg.Day) string {
	switch {
	case c.WithdrawnOn != 0 && c.WithdrawnOn <= day:
		return ConsentWithdrawn
	case day < c.GivenOn:
		return ConsentNotYet
	case day > c.ExpiresOn:
		return ConsentExpired
	case len(c.Missing(guardians, birth, day)) > 0:
		return ConsentIncomplete
	}
	return ConsentValid
}

// MissingText names the missing signatures in words: "Vårdnadshavare 2 och
// den unga själv (fyllde 15 år 2026-03-01)".
func MissingText(missing []string, birth trygg.Day) string {
	words := make([]string, len(missing))
	for i, s := range missing {
		words[i] = trygg.CodeLabel(Signers, s)
		if s == SignerYouth {
			words[i] = fmt.Sprintf("%s (fyllde %d år %s)", words[i], OwnConsentAge, FifteenOn(birth))
		}
		if i > 0 {
			words[i] = strings.ToLower(words[i][:1]) + words[i][1:]
		}
	}
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " och " + words[len(words)-1]
}

// ConsentInput is a consent as the coordinator records it.
type ConsentInput struct {
	Signed    []string // signer codes
	SignedOn  trygg.Day
	Scope     []string // ScopeItem codes
	Purpose   string
	GivenOn   trygg.Day
	ExpiresOn trygg.Day // 0: GivenOn plus the maximum validity
}

// Validate checks a consent and fills in its default expiry. maxMonths is
// the longest validity allowed (DefaultValidityMonths unless configured);
// today is the day of the call; guardians is the case's number of
// guardians.
func (in *ConsentInput) Validate(guardians int, maxMonths int, today trygg.Day) error {
	var v trygg.Validation
	in.Signed = trygg.CleanCodes(in.Signed)
	in.Scope = trygg.CleanCodes(in.Scope)
	for _, s := range in.Signed {
		if !trygg.HasCode(Signers, s) || (s == SignerGuardian2 && guardians < 2) {
			v.Add("signed", "Välj underskrifter i listan.")
			break
		}
	}
	if len(in.Signed) == 0 {
		v.Add("signed", "Ange vem som har skrivit under.")
	}
	if len(in.Scope) == 0 {
		v.Add("scope", "Ange vilka uppgifter vilka parter får ta emot.")
	}
	for _, s := range in.Scope {
		if _, ok := ParseScopeItem(s); !ok {
			v.Add("scope", "Välj omfattning i listan.")
			break
		}
	}
	if !trygg.HasCode(Purposes, in.Purpose) {
		v.Add("purpose", "Välj ett syfte i listan.")
	}
	switch {
	case in.GivenOn == 0:
		v.Add("given_on", "Ange datum då samtycket lämnades.")
	case in.GivenOn > today:
		v.Add("given_on", "Datumet kan inte ligga i framtiden.")
	case in.GivenOn < today.AddYears(-2):
		v.Add("given_on", "Datumet är orimligt tidigt.")
	}
	if in.SignedOn == 0 {
		in.SignedOn = in.GivenOn
	}
	if in.GivenOn != 0 {
		limit := in.GivenOn.AddMonths(maxMonths)
		switch {
		case in.ExpiresOn == 0:
			in.ExpiresOn = limit
		case in.ExpiresOn <= in.GivenOn:
			v.Add("expires_on", "Samtycket måste gälla efter den dag det lämnades.")
		case in.ExpiresOn > limit:
			v.Add("expires_on", "Ett samtycke gäller högst %d månader, till och med %s.", maxMonths, limit)
		}
		if in.SignedOn < in.GivenOn || in.SignedOn > today {
			v.Add("signed_on", "Underskriften ska vara från samtyckets datum och inte i framtiden.")
		}
	}
	return v.Err()
}

// Scope returns the input's scope as items, in a fixed order.
func (in *ConsentInput) ScopeItems() []ScopeItem {
	var out []ScopeItem
	for _, s := range in.Scope {
		if it, ok := ParseScopeItem(s); ok {
			out = append(out, it)
		}
	}
	SortScope(out)
	return out
}

// SortScope orders items by part and information type as listed.
func SortScope(items []ScopeItem) {
	order := func(codes []trygg.Code, c string) int {
		return slices.IndexFunc(codes, func(x trygg.Code) bool { return x.Code == c })
	}
	slices.SortFunc(items, func(a, b ScopeItem) int {
		if d := order(Parts, a.Part) - order(Parts, b.Part); d != 0 {
			return d
		}
		return order(InfoTypes, a.Info) - order(InfoTypes, b.Info)
	})
}
