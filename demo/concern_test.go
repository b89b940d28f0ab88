package demo

import (
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
)

// TestLoadConcerns loads the demo register alone and checks that it has
// what the demo promises: a rise from year to year, reports in every
// stage, and some that are late.
func TestLoadConcerns(t *testing.T) {
	t.Parallel()
	s := loadAlone(t, "the demo register", loadConcerns)
	worker := loginAs(t, s, "socialtjanst")
	stages := map[concern.Stage]int{}
	for _, q := range []concern.Queue{concern.QueueOpen, concern.QueueClosed} {
		list, err := s.Concerns.FindReports(worker, concern.Filter{Queue: q, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			stages[c.Stage]++
		}
	}
	for _, st := range []concern.Stage{concern.StagePre, concern.StageInvestigation, concern.StageClosing, concern.StageClosed} {
		if stages[st] == 0 {
			t.Errorf("no demo report in stage %s: %v", st.Label(), stages)
		}
	}
	unassigned, err := s.Concerns.FindReports(worker, concern.Filter{Queue: concern.QueueUnassign})
	if err != nil || len(unassigned) == 0 {
		t.Errorf("no unassigned demo reports for the manager (%v)", err)
	}
	overdue, err := s.Concerns.FindReports(worker, concern.Filter{Queue: concern.QueueOverdue})
	if err != nil || len(overdue) == 0 {
		t.Errorf("no overdue demo reports (%v)", err)
	}
	st, err := s.Concerns.Stats(worker, trygg.DayOf(testNow))
	if err != nil {
		t.Fatal(err)
	}
	if st.Years[1].Count.Count <= st.Years[0].Count.Count {
		t.Errorf("no rise from year to year: %+v", st.Years)
	}
	if st.PreInTime.Suppressed || st.PreInTime.Percent() == 100 || st.PreInTime.Percent() < 80 {
		t.Errorf("pre-assessments in time: %+v, want most but not all", st.PreInTime)
	}
}
