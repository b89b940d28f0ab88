package demo

import (
	"testing"

	"github.com/trygg-est/trygg"
)

// TestLoadConcerns loads the demo register alone and checks that it has
// what the demo promises: a rise from year to year, reports in every
// stage, and some that are late.
func TestLoadConcerns(t *testing.T) {
	t.Parallel()
	s := loadAlone(t, "the demo register", loadConcerns)
	worker := loginAs(t, s, "socialtjanst")
	stages := map[trygg.Stage]int{}
	for _, q := range []trygg.ConcernQueue{trygg.QueueOpen, trygg.QueueClosed} {
		list, err := s.Concerns.FindConcerns(worker, trygg.ConcernFilter{Queue: q, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			stages[c.Stage]++
		}
	}
	for _, st := range []trygg.Stage{trygg.StagePre, trygg.StageInvestigation, trygg.StageClosing, trygg.StageClosed} {
		if stages[st] == 0 {
			t.Errorf("no demo report in stage %s: %v", st.Label(), stages)
		}
	}
	unassigned, err := s.Concerns.FindConcerns(worker, trygg.ConcernFilter{Queue: trygg.QueueUnassign})
	if err != nil || len(unassigned) == 0 {
		t.Errorf("no unassigned demo reports for the manager (%v)", err)
	}
	overdue, err := s.Concerns.FindConcerns(worker, trygg.ConcernFilter{Queue: trygg.QueueOverdue})
	if err != nil || len(overdue) == 0 {
		t.Errorf("no overdue demo reports (%v)", err)
	}
	st, err := s.Concerns.ConcernStats(worker, trygg.DayOf(testNow))
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
