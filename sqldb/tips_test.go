package sqldb_test

import (
	"context"
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

func TestTipsRateLimitAndHashLifetime(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := sqldb.NewTipService(db.DB)
		if err := s.SetPublicCategories(as(f.samordnare), []string{"klotter"}); err != nil {
			t.Fatal(err)
		}
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
