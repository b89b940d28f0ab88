package operativ

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/pii"
)

// The KAST reception log: anonymous counselling contacts with people who
// buy sex or risk doing so. A person may choose a code of their own to be
// recognised when they come back; the code is stored only as a hash.

// KastChannels are the ways a counselling contact is made.
var KastChannels = []trygg.Code{
	{Code: "telefon", Label: "Telefon"},
	{Code: "chatt", Label: "Chatt"},
	{Code: "besok", Label: "Besök"},
}

// KastTopics are what a contact is about.
var KastTopics = []trygg.Code{
	{Code: "sexkop", Label: "Köp av sexuell tjänst"},
	{Code: "tvangsmassigt", Label: "Tvångsmässigt sexuellt beteende"},
	{Code: "natet", Label: "Sex via nätet eller pornografi"},
	{Code: "anhorig", Label: "Anhörig eller närstående som söker stöd"},
	{Code: "annat", Label: "Annat"},
}

// KastOutcomes are how a contact ended.
var KastOutcomes = []trygg.Code{
	{Code: "radgivning", Label: "Rådgivning gavs"},
	{Code: "nytt_samtal", Label: "Nytt samtal bokat"},
	{Code: "hanvisad", Label: "Hänvisad vidare"},
	{Code: "avbrutet", Label: "Avbrutet"},
}

// KastContactInput is one counselling contact. Fields: day, channel,
// code, topic, outcome.
type KastContactInput struct {
	Day     trygg.Day
	Channel string
	Code    string // self-chosen, optional
	Topic   string
	Outcome string
}

// Validate checks the contact; today is the caller's day.
func (in *KastContactInput) Validate(today trygg.Day) error {
	var v trygg.Validation
	in.Code = strings.ToLower(strings.TrimSpace(in.Code))
	switch {
	case in.Day == 0:
		v.Add("day", "Ange dagen för kontakten.")
	case in.Day > today:
		v.Add("day", "En kontakt kan inte dateras i framtiden.")
	}
	if !trygg.HasCode(KastChannels, in.Channel) {
		v.Add("channel", "Välj kanal.")
	}
	if !trygg.HasCode(KastTopics, in.Topic) {
		v.Add("topic", "Välj ämne.")
	}
	if !trygg.HasCode(KastOutcomes, in.Outcome) {
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

// KastContactRow is a contact of the reception log as the statistics
// count it.
type KastContactRow struct {
	Day      trygg.Day
	Channel  string
	Topic    string
	CodeHash string // KastCodeHash of the self-chosen code, "" for none
}

// ComputeKastStats returns the aggregates of the reception log, published
// by the rule of package disclose: the months, the channels and the topics
// each add up to the total, and are withheld as groups with it.
func ComputeKastStats(rows []KastContactRow) *KastStats {
	c := counter{}
	var months monthTally
	channels, topics, codes := map[string]int{}, map[string]int{}, map[string]int{}
	for _, r := range rows {
		y, m, _ := r.Day.Date()
		months.add(monthOf(y, m))
		channels[r.Channel]++
		topics[r.Topic]++
		if r.CodeHash != "" {
			codes[r.CodeHash]++
		}
	}
	st := &KastStats{
		Months:    months.counts(c),
		ByChannel: codeCounts(c, KastChannels, channels),
		ByTopic:   codeCounts(c, KastTopics, topics),
		Contacts:  c.count("contacts", "Kontakter", len(rows)),
		Returning: disclose.ShareOf(returning(codes), len(codes)),
	}
	total := disclose.Cell{C: &st.Contacts, N: len(rows)}
	byMonth := []disclose.Cell{total}
	months.each(func(m month, n int) {
		byMonth = append(byMonth, disclose.Cell{C: &st.Months[int(m-months.first)], N: n})
	})
	c.withhold(byMonth, codeCells(total, st.ByChannel, KastChannels, channels), codeCells(total, st.ByTopic, KastTopics, topics))
	return st
}

// codeCounts counts n by the codes of a closed list, in its order.
func codeCounts(c counter, codes []trygg.Code, n map[string]int) []disclose.Count {
	out := make([]disclose.Count, len(codes))
	for i, code := range codes {
		out[i] = c.count(code.Code, code.Label, n[code.Code])
	}
	return out
}

// codeCells is the group of counts made by codeCounts, with their total.
func codeCells(total disclose.Cell, counts []disclose.Count, codes []trygg.Code, n map[string]int) []disclose.Cell {
	out := []disclose.Cell{total}
	for i, code := range codes {
		out = append(out, disclose.Cell{C: &counts[i], N: n[code.Code]})
	}
	return out
}

// returning counts the codes given more than once.
func returning(codes map[string]int) int {
	n := 0
	for _, k := range codes {
		if k > 1 {
			n++
		}
	}
	return n
}
