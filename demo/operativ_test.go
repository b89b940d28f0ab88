package demo

import (
	"math/rand/v2"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/operativ"
)

// TestLoadOperativ loads the demo of operativ samverkan alone and checks
// what it promises: operations from January 2018, referrals that reached a
// first contact confirmed by the KAST reception, open tasks only from the
// last two weeks (a trafficking routine among them), a KAST log with people
// who come back, and advertising that fell after the operations began.
func TestLoadOperativ(t *testing.T) {
	t.Parallel()
	s := loadAlone(t, "operativ samverkan", loadOperativ)
	reader := loginAs(t, s, "lasare")
	st, err := s.Operations.Stats(reader)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Months) == 0 || st.Months[0].Key != "2018-01" || st.Contacts.Count < 100 {
		t.Fatalf("operations: %d months from %+v, %+v contacts", len(st.Months), st.Months[0], st.Contacts)
	}
	var kast *operativ.ServiceStats
	for i := range st.Services {
		if st.Services[i].Name == "KAST – köpare av sexuell tjänst" {
			kast = &st.Services[i]
		}
	}
	if kast == nil || kast.Reached[2].Count < disclose.Threshold || st.FirstContactN < disclose.Threshold {
		t.Fatalf("KAST referrals %+v, %d first contacts", kast, st.FirstContactN)
	}
	// The open tasks are the last two weeks'; among them the recent
	// operation with signs of human trafficking.
	police := loginAs(t, s, "polis")
	tasks, err := s.Operations.FindOpenTasks(police)
	if err != nil {
		t.Fatal(err)
	}
	trafficking := 0
	for _, task := range tasks {
		if task.OperationAt.Before(testNow.AddDate(0, 0, -15)) {
			t.Errorf("task %+v of an operation more than two weeks ago is open", task)
		}
		if task.Kind == operativ.TaskTrafficking {
			trafficking++
		}
	}
	if trafficking == 0 {
		t.Fatalf("no open trafficking task among %d", len(tasks))
	}
	ks, err := s.Kast.KastStats(reader)
	if err != nil || ks.Contacts.Count < 100 || ks.Returning.Suppressed || ks.Returning.Part == 0 {
		t.Fatalf("KAST log %+v %v", ks, err)
	}
	weeks, err := s.Ads.AdCounts(reader)
	if err != nil {
		t.Fatal(err)
	}
	mean := func(from, to trygg.Day) float64 {
		sum, n := 0, 0
		for _, w := range weeks {
			if w.Week >= from && w.Week < to {
				sum += w.Ads
				n++
			}
		}
		return float64(sum) / float64(n)
	}
	before, after := mean(trygg.DateDay(2017, 1, 1), trygg.DateDay(2018, 1, 1)), mean(trygg.DateDay(2025, 1, 1), trygg.DateDay(2026, 1, 1))
	if after > before*0.6 {
		t.Fatalf("ads per week %v in 2017, %v in 2025: no fall", before, after)
	}
}

// TestFirstMonthHasOperation: whatever the seed, the operations begin in
// January 2018, as the issue says.
func TestFirstMonthHasOperation(t *testing.T) {
	t.Parallel()
	for seed := range uint64(300) {
		d := &demoOperativ{r: rand.New(rand.NewPCG(seed, pcgStream+2))}
		if n := d.monthOperations(operativStart); n < 1 || n > 2 {
			t.Fatalf("seed %d: %d operations in January 2018", seed, n)
		}
		if n := d.monthOperations(operativStart.AddDate(0, 1, 0)); n < 0 || n > 2 {
			t.Fatalf("seed %d: %d operations in February 2018", seed, n)
		}
	}
}
