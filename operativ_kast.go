package trygg

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/pii"
)

// The KAST reception log: anonymous counselling contacts with people who
// buy sex or risk doing so. A person may choose a code of their own to be
// recognised when they come back; the code is stored only as a hash.

// KastChannels are the ways a counselling contact is made.
var KastChannels = []Code{
	{"telefon", "Telefon"},
	{"chatt", "Chatt"},
	{"besok", "Besök"},
}

// KastTopics are what a contact is about.
var KastTopics = []Code{
	{"sexkop", "Köp av sexuell tjänst"},
	{"tvangsmassigt", "Tvångsmässigt sexuellt beteende"},
	{"natet", "Sex via nätet eller pornografi"},
	{"anhorig", "Anhörig eller närstående som söker stöd"},
	{"annat", "Annat"},
}

// KastOutcomes are how a contact ended.
var KastOutcomes = []Code{
	{"radgivning", "Rådgivning gavs"},
	{"nytt_samtal", "Nytt samtal bokat"},
	{"hanvisad", "Hänvisad vidare"},
	{"avbrutet", "Avbrutet"},
}

// KastContactInput is one counselling contact. Fields: day, channel,
// code, topic, outcome.
type KastContactInput struct {
	Day     Day
	Channel string
	Code    string // self-chosen, optional
	Topic   string
	Outcome string
}

// Validate checks the contact; today is the caller's day.
func (in *KastContactInput) Validate(today Day) error {
	var v Validation
	in.Code = strings.ToLower(strings.TrimSpace(in.Code))
	switch {
	case in.Day == 0:
		v.Add("day", "Ange dagen för kontakten.")
	case in.Day > today:
		v.Add("day", "En kontakt kan inte dateras i framtiden.")
	}
	if !HasCode(KastChannels, in.Channel) {
		v.Add("channel", "Välj kanal.")
	}
	if !HasCode(KastTopics, in.Topic) {
		v.Add("topic", "Välj ämne.")
	}
	if !HasCode(KastOutcomes, in.Outcome) {
		v.Add("outcome", "Välj utfall.")
	}
	if in.Code != "" {
		if n := utf8.RuneCountInString(in.Code); n < 3 || n > 30 || !utf8.ValidString(in.Code) {
			v.Add("code", "Koden ska vara 3–30 tecken.")
		} else if f := pii.Find(in.Code); f != nil {
			v.Add("code", "Koden verkar vara %s. Be personen välja ett ord eller en kod som inte går att koppla till hen.", f.Kind.Label())
		}
	}
	return v.Err()
}

// KastCodeHash is how a self-chosen code is stored: only whether two
// contacts gave the same code can be told.
func KastCodeHash(code string) string {
	if code == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("kast:" + code))
	return hex.EncodeToString(sum[:])
}

// KastStats are the aggregates of the reception log, published by the rule
// of package disclose.
type KastStats struct {
	Months    []disclose.Count // contacts per month, Key "2025-03"
	ByChannel []disclose.Count
	ByTopic   []disclose.Count
	Contacts  disclose.Count
	// Returning is the share of the people who gave a code that came
	// back at least once (two or more contacts with the same code).
	Returning disclose.Share
}
