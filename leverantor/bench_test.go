package leverantor_test

import (
	"strconv"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/leverantor"
)

// BenchmarkEvaluate recomputes the score of 10,000 providers with 50,000
// key persons (some shared), the size the issue names.
func BenchmarkEvaluate(b *testing.B) {
	today := day("2026-06-01")
	facts := make([]leverantor.Facts, 10000)
	for i := range facts {
		f := leverantor.Facts{ID: int64(i), Name: "Bolag " + strconv.Itoa(i), Address: "gatan " + strconv.Itoa(i%4000),
			ServiceArea: leverantor.ServiceAreas[i%6].Code, Registered: today - trygg.Day(i%900), Value: int64(i) * 1000,
			PermitUntil: today + trygg.Day(i%400) - 100, Terminated: i%97 == 0, Serious: i%51 == 0}
		if i%7 == 0 {
			f.Overdue = []string{"platsbesök"}
		}
		for k := range 5 {
			f.Persons = append(f.Persons, leverantor.PersonFact{Index: strconv.Itoa((i*5 + k) % 45000), Role: leverantor.KeyRoles[k].Code,
				From: today - trygg.Day((i+k)%700)})
		}
		facts[i] = f
	}
	b.ReportAllocs()
	for b.Loop() {
		flags := leverantor.Evaluate(leverantor.DefaultRules, facts, today)
		if len(flags) != len(facts) {
			b.Fatal(len(flags))
		}
	}
}
