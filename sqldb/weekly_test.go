package sqldb_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/weekly"
)

var week47 = trygg.ISOWeek{Year: 2026, Week: 47}

func mustSaveDraft(t *testing.T, s *sqldb.WeeklyReportService, ctx context.Context, analysis string) {
	t.Helper()
	if err := s.SaveWeeklyDraft(ctx, &weekly.Draft{Week: week47, Analysis: analysis, Conclusions: "Fler vandringar."}); err != nil {
		t.Fatalf("save draft: %v", err)
	}
}

func mustPublish(t *testing.T, s *sqldb.WeeklyReportService, ctx context.Context, picture string) *weekly.Report {
	t.Helper()
	r, err := s.PublishWeeklyReport(ctx, week47, json.RawMessage(picture))
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	return r
}

// TestWeeklyPublishFreezes publishes a week twice with an edit between:
// each version keeps the texts and picture it was published with.
func TestWeeklyPublishFreezes(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := sqldb.NewWeeklyReportService(db.DB)
		sam := as(f.samordnare)

		d, err := s.FindWeeklyDraft(sam, week47)
		if err != nil || d.Analysis != "" || d.UpdatedAt != nil {
			t.Fatalf("empty draft = %+v, %v", d, err)
		}
		mustSaveDraft(t, s, sam, "  Ökning av klotter på Ålidhem.  ")
		v1 := mustPublish(t, s, sam, `{"total":14}`)
		if v1.Version != 1 || v1.Analysis != "Ökning av klotter på Ålidhem." || v1.PublisherName != f.samordnare.Name ||
			v1.PublishedBy == nil || *v1.PublishedBy != f.samordnare.ID || !v1.PublishedAt.Equal(testNow) {
			t.Fatalf("version 1 = %+v", v1)
		}

		db.clock.Advance(time.Hour)
		mustSaveDraft(t, s, sam, "Rättad analys.")
		v2 := mustPublish(t, s, sam, `{"total":15}`)
		if v2.Version != 2 {
			t.Fatalf("second publishing made version %d", v2.Version)
		}
		mustSaveDraft(t, s, sam, "Utkast efter publicering.")

		for _, tc := range []struct {
			version  int
			analysis string
			picture  string
		}{
			{1, "Ökning av klotter på Ålidhem.", `{"total":14}`},
			{2, "Rättad analys.", `{"total":15}`},
			{0, "Rättad analys.", `{"total":15}`},
		} {
			r, err := s.FindWeeklyReport(as(f.lasare), week47, tc.version)
			if err != nil {
				t.Fatalf("find version %d: %v", tc.version, err)
			}
			if r.Analysis != tc.analysis || string(r.Picture) != tc.picture || r.Conclusions != "Fler vandringar." {
				t.Errorf("version %d = %q %s, want %q %s", tc.version, r.Analysis, r.Picture, tc.analysis, tc.picture)
			}
		}
		_, err = s.FindWeeklyReport(as(f.lasare), week47, 3)
		wantCode(t, err, trygg.ENOTFOUND)

		other := trygg.ISOWeek{Year: 2026, Week: 48}
		if err := s.SaveWeeklyDraft(sam, &weekly.Draft{Week: other}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PublishWeeklyReport(operator(), other, json.RawMessage(`{}`)); err != nil {
			t.Fatal(err)
		}
		list, err := s.FindWeeklyReports(as(f.polis), 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range list {
			got = append(got, r.Week.Code()+"/"+string(rune('0'+r.Version)))
			if r.Picture != nil {
				t.Errorf("list entry %s holds its picture", r.Week.Code())
			}
		}
		if strings.Join(got, " ") != "2026-W48/1 2026-W47/2 2026-W47/1" {
			t.Errorf("list = %v", got)
		}
		if list[0].PublishedBy != nil || list[0].PublisherName != "Operatören" {
			t.Errorf("operator's version = %+v", list[0])
		}

		events, err := f.audit.FindAuditEvents(operator(), trygg.AuditFilter{ObjectType: "weekly_report"})
		if err != nil || len(events) != 3 || !strings.HasPrefix(events[0].Detail, "version 1 sha256:") || events[2].ObjectID != "2026-W47" {
			t.Fatalf("audit events = %d, %v", len(events), err)
		}
		mustVerify(t, f)

		// A published version changed behind the service's back no longer
		// matches its seal in the audit log, and is not shown.
		if _, err := rawDB(t, db).Exec("UPDATE weekly_report_versions SET analysis = 'Ändrad i efterhand.' WHERE iso_week = 47 AND version = 1"); err != nil {
			t.Fatal(err)
		}
		_, err = s.FindWeeklyReport(as(f.lasare), week47, 1)
		wantCode(t, err, trygg.EINTERNAL)
		if _, err := s.FindWeeklyReport(as(f.lasare), week47, 2); err != nil {
			t.Fatalf("untouched version 2: %v", err)
		}
	})
}

// TestWeeklyAccess checks who may write, publish and read.
func TestWeeklyAccess(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := sqldb.NewWeeklyReportService(db.DB)
		mustSaveDraft(t, s, as(f.samordnare), "Analys.")
		mustPublish(t, s, as(f.samordnare), `{}`)

		for _, tc := range []struct {
			name        string
			ctx         context.Context
			write, read string
		}{
			{"anonymous", context.Background(), trygg.EUNAUTHORIZED, trygg.EUNAUTHORIZED},
			{"rapportor", as(f.rapportor), trygg.ENOTFOUND, trygg.ENOTFOUND},
			{"socialtjanst", as(f.socialtjanst), trygg.ENOTFOUND, trygg.ENOTFOUND},
			{"polis", as(f.polis), trygg.ENOTFOUND, ""},
			{"lasare", as(f.lasare), trygg.ENOTFOUND, ""},
			{"admin", as(f.admin), trygg.ENOTFOUND, ""},
			{"samordnare", as(f.samordnare), "", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.FindWeeklyDraft(tc.ctx, week47)
				wantCode(t, err, tc.write)
				wantCode(t, s.SaveWeeklyDraft(tc.ctx, &weekly.Draft{Week: week47, Analysis: "Ny."}), tc.write)
				_, err = s.PublishWeeklyReport(tc.ctx, week47, json.RawMessage(`{}`))
				wantCode(t, err, tc.write)
				_, err = s.FindWeeklyReport(tc.ctx, week47, 1)
				wantCode(t, err, tc.read)
				_, err = s.FindWeeklyReports(tc.ctx, 0)
				wantCode(t, err, tc.read)
			})
		}
	})
}

// TestWeeklyValidation checks the fields of a draft and the picture.
func TestWeeklyValidation(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := sqldb.NewWeeklyReportService(db.DB)
		sam := as(f.samordnare)
		for _, tc := range []struct {
			name  string
			draft weekly.Draft
			field string
		}{
			{"week 0", weekly.Draft{Week: trygg.ISOWeek{Year: 2026, Week: 0}}, "week"},
			{"week 53 of a 52-week year", weekly.Draft{Week: trygg.ISOWeek{Year: 2025, Week: 53}}, "week"},
			{"year 1999", weekly.Draft{Week: trygg.ISOWeek{Year: 1999, Week: 10}}, "week"},
			{"personnummer", weekly.Draft{Week: week47, Analysis: "Gäller 19121212-1212."}, "analysis"},
			{"too long", weekly.Draft{Week: week47, Conclusions: strings.Repeat("å", weekly.MaxTextLength+1)}, "conclusions"},
			{"bad UTF-8", weekly.Draft{Week: week47, Analysis: "a\xffb"}, "analysis"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				d := tc.draft
				wantField(t, s.SaveWeeklyDraft(sam, &d), tc.field)
			})
		}
		if err := s.SaveWeeklyDraft(sam, &weekly.Draft{Week: trygg.ISOWeek{Year: 2026, Week: 53}}); err != nil {
			t.Errorf("week 53 of 2026: %v", err)
		}
		for _, pic := range []string{"", "[]", `{"a":`, "null"} {
			_, err := s.PublishWeeklyReport(sam, week47, json.RawMessage(pic))
			wantField(t, err, "picture")
		}
		_, err := s.FindWeeklyReport(sam, week47, 1)
		wantCode(t, err, trygg.ENOTFOUND)
	})
}
