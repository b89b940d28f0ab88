package demo

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/indikator"
)

// loadForYearly loads what the yearly documents are drafted from (the
// agreements and actions, the indicators), then the documents.
func loadForYearly(ctx context.Context, s app.Services, ds *Dataset) error {
	for _, load := range []func(context.Context, app.Services, *Dataset) error{loadSamverkan, loadIndicators, loadYearly} {
		if err := load(ctx, s, ds); err != nil {
			return err
		}
	}
	return nil
}

// TestLoadYearly: last year's document is published with the
// samordnare's texts and the data, this year's is a draft that follows
// last year's plan up, and the same end time gives the same documents.
func TestLoadYearly(t *testing.T) {
	t.Parallel()
	s := loadAlone(t, "yearly documents", loadForYearly)
	last := testNow.Year() - 1

	pub, err := s.Yearly.PublicYearly(context.Background(), last)
	if err != nil {
		t.Fatalf("the public document of %d: %v", last, err)
	}
	c := pub[0].Content
	if pub[0].Status != indikator.YearlyPublished || c.Causes != demoLastYear.Causes || c.Priority != demoLastYear.Priority {
		t.Errorf("%d: %s, causes %q", last, pub[0].Status, c.Causes)
	}
	if c.PeerGroup != DemoPeerGroup || len(c.Actions) == 0 || len(c.Districts) == 0 {
		t.Errorf("%d lacks data: group %q, %d actions, %d districts", last, c.PeerGroup, len(c.Actions), len(c.Districts))
	}
	var peerCompared bool
	for _, ind := range c.Indicators {
		peerCompared = peerCompared || ind.Code == "kolada_demo_trygghet" && ind.Year == last && ind.RankOf == len(demoMunicipalities)
	}
	if !peerCompared {
		t.Errorf("%d has no peer comparison of kolada_demo_trygghet: %+v", last, c.Indicators)
	}

	sam := loginAs(t, s, "samordnare")
	draft, err := s.Yearly.FindYearly(sam, last+1, 0)
	if err != nil {
		t.Fatal(err)
	}
	d := draft.Content
	if draft.Status != indikator.YearlyDraft || d.Summary != demoThisYear || d.PreviousFrom != fmt.Sprintf("%d, version 1 (beslutad och publicerad)", last) {
		t.Errorf("%d: %s, summary %q, follows up %q", last+1, draft.Status, d.Summary, d.PreviousFrom)
	}
	if len(d.Previous) != len(c.Actions) {
		t.Errorf("%d follows up %d actions, %d has %d", last+1, len(d.Previous), last, len(c.Actions))
	}

	again := loadAlone(t, "yearly documents again", loadForYearly)
	other, err := again.Yearly.PublicYearly(context.Background(), last)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(other[0].Content, c) {
		t.Error("the same end time gave another document")
	}
}
