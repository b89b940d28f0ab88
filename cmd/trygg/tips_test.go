package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/tips"
)

// TestTipsPurge: a tip rejected 40 days ago loses its text to `trygg tips
// purge`, after a dry run that erased nothing; a period outside 1–3650
// days is refused with the flag's name.
func TestTipsPurge(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	mustRun(t, e, "", "migrate")
	db := openTestDB(t, e)
	db.Now = func() time.Time { return testNow.AddDate(0, 0, -40) }
	op := trygg.NewOperatorContext(t.Context())
	if err := sqldb.NewAreaService(db).UpsertAreas(op, []*trygg.Area{{Code: "alidhem", Name: "Ålidhem", Population: 7000}}); err != nil {
		t.Fatal(err)
	}
	s := sqldb.NewTipService(db)
	if err := s.SetPublicCategories(op, []string{"klotter"}); err != nil {
		t.Fatal(err)
	}
	tip, err := s.SubmitTip(t.Context(), tips.Input{Category: "klotter", AreaCode: "alidhem", OccurredAt: testNow.AddDate(0, 0, -41),
		Text: "Klotter på busskuren.", Source: tips.SourceWeb})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RejectTip(op, tip.ID, "Dubblett av ett samtal.", ""); err != nil {
		t.Fatal(err)
	}

	var ue *usageError
	for _, bad := range [][]string{{"--rejected-days", "0"}, {"--closed-days", "3651"}} {
		r := runCLI(t, e, "", append([]string{"tips", "purge"}, bad...)...)
		if !errors.As(r.err, &ue) || !strings.Contains(r.err.Error(), bad[0]) {
			t.Errorf("%v: %v", bad, r.err)
		}
	}
	if r := mustRun(t, e, "", "tips", "purge", "--dry-run"); !strings.Contains(r.stdout, "1 tips skulle gallras") {
		t.Fatalf("dry run said %q", r.stdout)
	}
	if r := mustRun(t, e, "", "tips", "purge", "--rejected-days", "50"); !strings.Contains(r.stdout, "0 tips gallrades") {
		t.Fatalf("with 50 days it said %q", r.stdout)
	}
	if r := mustRun(t, e, "", "tips", "purge"); !strings.Contains(r.stdout, "1 tips gallrades") {
		t.Fatalf("purge said %q", r.stdout)
	}
	got, err := s.FindTipByID(op, tip.ID)
	if err != nil || got.Text != "" || got.ErasedAt == nil {
		t.Fatalf("the tip after purge: %+v, %v", got, err)
	}
}
