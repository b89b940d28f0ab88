package sqldb_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/tips"
)

// fromAddress is an anonymous caller from one address.
func fromAddress(ip string) context.Context {
	return trygg.NewContextWithClient(context.Background(), trygg.Client{IP: ip})
}

func tipInput(area string) tips.Input {
	return tips.Input{Category: "klotter", AreaCode: area, OccurredAt: testNow.Add(-3 * time.Hour),
		Text: "Nytt klotter på busskuren vid torget.", Source: tips.SourceWeb}
}

func TestTipsSubmitAndModerate(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := sqldb.NewTipService(db.DB)
		sam := as(f.samordnare)
		anon := fromAddress("192.0.2.7")

		// Nothing is public until the samordnare picks categories.
		_, err := s.SubmitTip(anon, tipInput("alidhem"))
		wantField(t, err, "category")
		wantCode(t, s.SetPublicCategories(as(f.rapportor), []string{"klotter"}), trygg.ENOTFOUND)
		wantField(t, s.SetPublicCategories(sam, []string{"finns-inte"}), "categories")
		if err := s.SetPublicCategories(sam, []string{"klotter", "vald"}); err != nil {
			t.Fatal(err)
		}
		if cats, err := s.PublicCategories(context.Background()); err != nil || len(cats) != 2 {
			t.Fatalf("public categories %v, %v", cats, err)
		}

		bad := tipInput("alidhem")
		bad.Text = "Ring mig på 070-123 45 67."
		_, err = s.SubmitTip(anon, bad)
		wantField(t, err, "text")
		bad = tipInput("finns-inte")
		_, err = s.SubmitTip(anon, bad)
		wantField(t, err, "area")
		bad = tipInput("")
		_, err = s.SubmitTip(anon, bad)
		wantField(t, err, "area")

		tip, err := s.SubmitTip(anon, tipInput("alidhem"))
		if err != nil {
			t.Fatal(err)
		}
		if len(tip.Ref) != 9 || tip.Status != tips.StatusReceived {
			t.Fatalf("tip %+v", tip)
		}
		pub, err := s.FindTipStatus(context.Background(), tip.Ref)
		if err != nil || pub.Status != tips.StatusReceived || pub.AreaName != "Ålidhem" {
			t.Fatalf("status %+v, %v", pub, err)
		}
		_, err = s.FindTipStatus(context.Background(), "ZZZZ-ZZZZ")
		wantCode(t, err, trygg.ENOTFOUND)

		// The queue is the samordnare's.
		_, err = s.FindTips(context.Background(), tips.Filter{})
		wantCode(t, err, trygg.EUNAUTHORIZED)
		_, err = s.FindTips(as(f.rapportor), tips.Filter{})
		wantCode(t, err, trygg.ENOTFOUND)
		queue, err := s.FindTips(sam, tips.Filter{})
		if err != nil || len(queue) != 1 || queue[0].Text != "Nytt klotter på busskuren vid torget." {
			t.Fatalf("queue %v, %v", queue, err)
		}

		// Accepted, it is a report of the citizens' organisation, which
		// the counts by organisation type find.
		_, err = s.AcceptTip(as(f.rapportor), tip.ID, tips.Accept{})
		wantCode(t, err, trygg.ENOTFOUND)
		_, err = s.AcceptTip(sam, tip.ID, tips.Accept{Category: "klotter", PlaceType: "gata", Severity: 1})
		wantField(t, err, "description")
		rep, err := s.AcceptTip(sam, tip.ID, tips.Accept{Category: "klotter", PlaceType: "gata", Severity: 1,
			Description: "Klotter på busskur, Ålidhems torg.", PublicReply: "Tack! Vi har bett fastighetsägaren sanera."})
		if err != nil {
			t.Fatal(err)
		}
		if rep.OrgCode != "medborgare" {
			t.Errorf("report of %q", rep.OrgCode)
		}
		cells, err := sqldb.NewCountService(db.DB).CountCells(sam, trygg.CountFilter{From: trygg.DayOf(testNow) - 1, To: trygg.DayOf(testNow),
			OrgTypes: []trygg.OrgType{trygg.OrgCitizens}})
		if err != nil || len(cells) != 1 || cells[0].Count != 1 {
			t.Fatalf("citizens' counts %v, %v", cells, err)
		}
		_, err = s.AcceptTip(sam, tip.ID, tips.Accept{Category: "klotter", PlaceType: "gata", Severity: 1, Description: "Igen."})
		wantCode(t, err, trygg.ECONFLICT)
		// The report's history keeps the resident's text as version 1.
		if rep.Version != 2 {
			t.Errorf("report version %d, want 2", rep.Version)
		}
		history, err := f.reports.FindReportHistory(sam, rep.ID)
		if err != nil || len(history) == 0 || history[0].Report.Description != "Nytt klotter på busskuren vid torget." {
			t.Fatalf("history %+v, %v", history, err)
		}
		got, err := s.FindTipByID(sam, tip.ID)
		if err != nil || got.Text != "Nytt klotter på busskuren vid torget." || got.ReportID == nil || *got.ReportID != rep.ID {
			t.Fatalf("accepted tip %+v, %v", got, err)
		}

		// A duplicate is merged; another is rejected; a reply closes.
		dup, err := s.SubmitTip(fromAddress("192.0.2.8"), tipInput("alidhem"))
		if err != nil {
			t.Fatal(err)
		}
		wantField(t, s.MergeTip(sam, dup.ID, dup.ID, ""), "into")
		if err := s.MergeTip(sam, dup.ID, tip.ID, "Det här är redan känt."); err != nil {
			t.Fatal(err)
		}
		junk, err := s.SubmitTip(fromAddress("192.0.2.9"), tipInput("haga"))
		if err != nil {
			t.Fatal(err)
		}
		wantField(t, s.RejectTip(sam, junk.ID, "", ""), "reason")
		if err := s.RejectTip(sam, junk.ID, "Inte ett trygghetsproblem.", ""); err != nil {
			t.Fatal(err)
		}
		wantField(t, s.ReplyTip(sam, tip.ID, "", tips.StatusResolved), "reply")
		if err := s.ReplyTip(sam, tip.ID, "Klottret är borta.", tips.StatusResolved); err != nil {
			t.Fatal(err)
		}
		pub, err = s.FindTipStatus(context.Background(), tip.Ref)
		if err != nil || pub.Status != tips.StatusResolved || pub.PublicReply != "Klottret är borta." {
			t.Fatalf("status %+v, %v", pub, err)
		}
		list, err := s.FindPublicTips(context.Background(), tips.PublicFilter{Status: []tips.Status{tips.StatusClosed}})
		if err != nil || len(list) != 1 || list[0].Ref != junk.Ref {
			t.Fatalf("closed tips %v, %v", list, err)
		}
		mustVerify(t, f)
	})
}

// newTipFixture is the fixture with the tip service, "klotter" public.
func newTipFixture(t *testing.T, db *testDB) (*fixture, *sqldb.TipService) {
	t.Helper()
	f, s := newFixture(t, db), sqldb.NewTipService(db.DB)
	if err := s.SetPublicCategories(as(f.samordnare), []string{"klotter"}); err != nil {
		t.Fatal(err)
	}
	return f, s
}

// acceptAsIs accepts tip as a report with the resident's text.
func acceptAsIs(t *testing.T, s *sqldb.TipService, ctx context.Context, tip *tips.Tip) *trygg.Report {
	t.Helper()
	rep, err := s.AcceptTip(ctx, tip.ID, tips.Accept{Category: "klotter", PlaceType: "gata", Severity: 1, Description: tip.Text})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestTipsRateLimitAndHashLifetime(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f, s := newTipFixture(t, db)
		anon := fromAddress("198.51.100.1")
		for range tips.MaxPerClient {
			if _, err := s.SubmitTip(anon, tipInput("alidhem")); err != nil {
				t.Fatal(err)
			}
		}
		_, err := s.SubmitTip(anon, tipInput("haga"))
		wantCode(t, err, trygg.ERATELIMIT)
		if _, err := s.SubmitTip(fromAddress("198.51.100.2"), tipInput("haga")); err != nil {
			t.Fatalf("another sender: %v", err)
		}
		queue, err := s.FindTips(as(f.samordnare), tips.Filter{})
		if err != nil || queue[0].SameSender != tips.MaxPerClient-1 {
			t.Fatalf("same sender %v, %v", queue, err)
		}
		// A day later no hash and no old key is left.
		db.clock.Advance(25 * time.Hour)
		if _, err := s.SubmitTip(anon, tipInput("alidhem")); err != nil {
			t.Fatal(err)
		}
		raw := rawDB(t, db)
		var hashes, keys int
		if err := raw.QueryRow("SELECT COUNT(*) FROM tips WHERE client_hash IS NOT NULL").Scan(&hashes); err != nil {
			t.Fatal(err)
		}
		if err := raw.QueryRow("SELECT COUNT(*) FROM tip_hash_keys").Scan(&keys); err != nil {
			t.Fatal(err)
		}
		if hashes != 1 || keys != 1 {
			t.Errorf("%d hashes and %d keys left after a day, want the new tip's and today's", hashes, keys)
		}
	})
}

func TestOpen311Keys(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := sqldb.NewTipService(db.DB)
		_, _, err := s.CreateClient(as(f.samordnare), "App")
		wantCode(t, err, trygg.ENOTFOUND)
		cl, key, err := s.CreateClient(as(f.admin), "Felanmälan-appen")
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.AuthenticateClient(context.Background(), key)
		if err != nil || got.ID != cl.ID {
			t.Fatalf("authenticate %v, %v", got, err)
		}
		_, err = s.AuthenticateClient(context.Background(), key+"x")
		wantCode(t, err, trygg.EUNAUTHORIZED)
		if err := s.RevokeClient(as(f.admin), cl.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.AuthenticateClient(context.Background(), key)
		wantCode(t, err, trygg.EUNAUTHORIZED)
		mustVerify(t, f)
	})
}

// TestTipsRetention: retention erases a rejected or merged tip's text,
// place and reason RejectedDays after the decision, and an accepted tip's
// ClosedDays after it was closed; the status page, the public reply and
// the accepted report's own text stay, and open or undecided tips are
// left alone.
func TestTipsRetention(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f, s := newTipFixture(t, db)
		sam := as(f.samordnare)
		submit := func(ip string) *tips.Tip {
			t.Helper()
			in := tipInput("alidhem")
			in.Address = "Busskuren vid torget"
			tip, err := s.SubmitTip(fromAddress(ip), in)
			if err != nil {
				t.Fatal(err)
			}
			return tip
		}
		closed, open, rejected, merged, waiting := submit("192.0.2.1"), submit("192.0.2.2"), submit("192.0.2.3"), submit("192.0.2.4"), submit("192.0.2.5")
		rep := acceptAsIs(t, s, sam, closed)
		acceptAsIs(t, s, sam, open)
		if err := s.RejectTip(sam, rejected.ID, "Inte ett trygghetsproblem.", "Tack, men det här hanterar vi inte."); err != nil {
			t.Fatal(err)
		}
		if err := s.MergeTip(sam, merged.ID, open.ID, ""); err != nil {
			t.Fatal(err)
		}
		retention := tips.Retention{RejectedDays: 30, ClosedDays: 90}
		purge := func(dryRun bool) []int64 {
			t.Helper()
			items, err := db.PurgeTips(operator(), retention, dryRun)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, it := range items {
				ids = append(ids, it.ID)
			}
			return ids
		}
		_, err := db.PurgeTips(sam, retention, false)
		wantCode(t, err, trygg.ENOTFOUND)

		// Closed 10 days after its acceptance.
		db.clock.Advance(10 * 24 * time.Hour)
		if err := s.ReplyTip(sam, closed.ID, "Klottret är borta.", tips.StatusResolved); err != nil {
			t.Fatal(err)
		}
		if ids := purge(false); len(ids) != 0 {
			t.Fatalf("erased %v on day 10", ids)
		}
		// 31 days after the decisions: the rejected and merged tips.
		db.clock.Advance(21 * 24 * time.Hour)
		if ids := purge(true); !slices.Equal(ids, []int64{rejected.ID, merged.ID}) {
			t.Fatalf("the dry run lists %v", ids)
		}
		if got, err := s.FindTipByID(sam, rejected.ID); err != nil || got.Text == "" {
			t.Fatalf("the dry run erased: %+v, %v", got, err)
		}
		if ids := purge(false); !slices.Equal(ids, []int64{rejected.ID, merged.ID}) {
			t.Fatalf("erased %v on day 31", ids)
		}
		got, err := s.FindTipByID(sam, rejected.ID)
		if err != nil || got.Text != "" || got.Address != "" || got.Reason != "" || got.ErasedAt == nil ||
			got.Status != tips.StatusClosed || got.Category != "klotter" || got.AreaCode != "alidhem" {
			t.Fatalf("the rejected tip after retention: %+v, %v", got, err)
		}
		pub, err := s.FindTipStatus(context.Background(), rejected.Ref)
		if err != nil || pub.Status != tips.StatusClosed || pub.PublicReply != "Tack, men det här hanterar vi inte." {
			t.Fatalf("the status page after retention: %+v, %v", pub, err)
		}
		// 91 days after closing: the closed accepted tip, whose report
		// keeps its text; the open accepted tip and the waiting one stay.
		db.clock.Advance(70 * 24 * time.Hour)
		if ids := purge(false); !slices.Equal(ids, []int64{closed.ID}) {
			t.Fatalf("erased %v on day 101", ids)
		}
		if ids := purge(false); len(ids) != 0 {
			t.Fatalf("a second run erased %v", ids)
		}
		for _, tip := range []*tips.Tip{open, waiting} {
			if got, err := s.FindTipByID(sam, tip.ID); err != nil || got.Text == "" || got.ErasedAt != nil {
				t.Errorf("tip %d: %+v, %v", tip.ID, got, err)
			}
		}
		if got, err := f.reports.FindReportByID(sam, rep.ID); err != nil || got.Description != closed.Text {
			t.Fatalf("the report after retention: %+v, %v", got, err)
		}
		mustVerify(t, f)
	})
}

// TestTipOfReport: the samordnare finds the tip a report came from; a
// reporter who may read no tips, a reader, and a report from no tip get
// ENOTFOUND.
func TestTipOfReport(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f, s := newTipFixture(t, db)
		sam := as(f.samordnare)
		tip, err := s.SubmitTip(fromAddress("192.0.2.1"), tipInput("alidhem"))
		if err != nil {
			t.Fatal(err)
		}
		rep := acceptAsIs(t, s, sam, tip)
		got, err := s.FindTipOfReport(sam, rep.ID)
		if err != nil || got.ID != tip.ID || got.Ref != tip.Ref {
			t.Fatalf("tip of the report: %+v, %v", got, err)
		}
		other := mustCreate(t, f, f.rapportor, input("alidhem", "klotter"))
		for _, tc := range []struct {
			name   string
			ctx    context.Context
			report int64
			code   string
		}{
			{"a report from no tip", sam, other.ID, trygg.ENOTFOUND},
			{"no report", sam, other.ID + 100, trygg.ENOTFOUND},
			{"a reporter", as(f.rapportor), rep.ID, trygg.ENOTFOUND},
			{"a reporter's own report", as(f.rapportor), other.ID, trygg.ENOTFOUND},
			{"a reader", as(f.lasare), rep.ID, trygg.ENOTFOUND},
			{"anonymous", context.Background(), rep.ID, trygg.EUNAUTHORIZED},
		} {
			_, err := s.FindTipOfReport(tc.ctx, tc.report)
			if trygg.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
	})
}
