package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
)

// benchConcerns is how many sealed reports the register benchmarks hold:
// TRYGG_BENCH_CONCERNS, or 10,000 for a quick run. The figure is
// 1,000,000.
func benchConcerns(b *testing.B) int {
	if s := os.Getenv("TRYGG_BENCH_CONCERNS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("TRYGG_BENCH_CONCERNS=%q", s)
		}
		return n
	}
	return 10000
}

// openBenchDB opens a new, migrated SQLite database in the benchmark's
// temporary folder, closed when the benchmark ends. SQLite only: this
// package's own tests cannot use sqldbtest.
func openBenchDB(b *testing.B) *DB {
	b.Helper()
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+b.TempDir()+"/bench.db")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return db
}

// reportMillis reports the milliseconds an operation of the finished
// b.Loop took.
func reportMillis(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}

// seedConcerns fills the register of a new organisation with n sealed
// reports about n different children, received over three years, in one
// transaction, as CreateReport stores them (with their statistics), and
// returns a case worker and the number of the last child.
func seedConcerns(b *testing.B, db *DB, n int) (context.Context, string) {
	b.Helper()
	ctx := context.Background()
	op := trygg.NewOperatorContext(ctx)
	if err := NewOrganisationService(db).CreateOrganisation(op, &trygg.Organisation{Code: "ifo", Name: "IFO", Type: trygg.OrgSocialServices}); err != nil {
		b.Fatal(err)
	}
	u, err := NewUserService(db).CreateUser(op, trygg.NewUser{Email: "soc@bench.example", Name: "Soc", OrgCode: "ifo", Roles: []trygg.Role{trygg.RoleSocialtjanst}})
	if err != nil {
		b.Fatal(err)
	}
	keys, err := db.concernKeyring()
	if err != nil {
		b.Fatal(err)
	}
	first := time.Date(2023, 1, 1, 9, 0, 0, 0, time.UTC)
	child := ""
	months := map[int]int{}
	err = db.inWrite(ctx, func(tx *Tx) error {
		for i := range n {
			received := first.AddDate(0, 0, i%1095)
			y, m, _ := received.Date()
			months[y*100+int(m)]++
			child = fmt.Sprintf("20%010d", i) // unique 12-digit keys; the index does not check Luhn
			ref := newRef()
			plain, err := json.Marshal(sealedIdentity{ChildIDKind: concern.ChildPersonnummer, ChildID: child, ChildName: "Barn " + child,
				Description: "En beskrivning av oron av ungefär den längd som är vanlig i ett register som detta."})
			if err != nil {
				return err
			}
			var id int64
			err = tx.QueryRowContext(ctx, `INSERT INTO concerns (ref, org_id, received_at, received_day, channel, reporter_category,
				reporter_mandatory, sealed, child_index, assignee_id, stage, next_due, created_at, created_by)
				VALUES ($1, $2, $3, $4, 'telefon', 'skola', 1, $5, $6, $7, 1, $4, $3, $7) RETURNING id`,
				ref, u.OrgID, millis(received), int64(trygg.DayOf(received)), keys.Seal(plain, ref), keys.BlindIndex(child), u.ID).Scan(&id)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO concern_categories (concern_id, category) VALUES ($1, 'forsummelse')", id); err != nil {
				return err
			}
		}
		for month, count := range months {
			for _, k := range []concern.CountKey{{Measure: concern.MeasureReports}, {Measure: concern.MeasureReporter, Code: "skola"}, {Measure: concern.MeasureCategory, Code: "forsummelse"}} {
				_, err := tx.ExecContext(ctx, "INSERT INTO concern_counts (month, measure, code, n) VALUES ($1, $2, $3, $4)", month, k.Measure, k.Code, count)
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return trygg.NewContextWithUser(ctx, u), child
}

// BenchmarkConcernSearch looks a child up by personnummer among the sealed
// reports, as the search page does: the keyed hash, the indexed look-up,
// unsealing what it finds and the audit entry (one committed transaction).
// Its baseline, in the same run, is the plain indexed look-up of the same
// row by its stored index value. SQLite only: this package's own tests
// cannot use sqldbtest.
func BenchmarkConcernSearch(b *testing.B) {
	ctx := context.Background()
	db := openBenchDB(b)
	n := benchConcerns(b)
	start := time.Now()
	worker, child := seedConcerns(b, db, n)
	b.Logf("%d sealed reports seeded in %v", n, time.Since(start).Round(time.Millisecond))
	s := NewConcernService(db)
	keys, err := db.concernKeyring()
	if err != nil {
		b.Fatal(err)
	}
	index := keys.BlindIndex(child)
	b.Run("plain-indexed-lookup", func(b *testing.B) {
		for b.Loop() {
			var id int64
			if err := db.read.QueryRowContext(ctx, "SELECT id FROM concerns WHERE child_index = $1", index).Scan(&id); err != nil {
				b.Fatal(err)
			}
		}
		reportMillis(b)
	})
	b.Run("search", func(b *testing.B) {
		for b.Loop() {
			list, err := s.FindReports(worker, concern.Filter{ChildID: child})
			if err != nil || len(list) != 1 {
				b.Fatalf("found %d, %v", len(list), err)
			}
		}
		reportMillis(b)
	})
}

// BenchmarkConcernStats is the statistics page's query over a register of
// benchConcerns reports; its baseline, in the same run, counts the
// reports per month from the reports themselves.
func BenchmarkConcernStats(b *testing.B) {
	ctx := context.Background()
	db := openBenchDB(b)
	n := benchConcerns(b)
	worker, _ := seedConcerns(b, db, n)
	today := trygg.DateDay(2025, 12, 31)
	b.Run("count-the-reports", func(b *testing.B) {
		for b.Loop() {
			var total int
			if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM concerns WHERE received_day >= $1 AND received_day <= $2",
				int64(trygg.DateDay(2023, 1, 1)), int64(today)).Scan(&total); err != nil || total != n {
				b.Fatalf("counted %d, %v", total, err)
			}
		}
		reportMillis(b)
	})
	b.Run("stats", func(b *testing.B) {
		s := NewConcernService(db)
		for b.Loop() {
			st, err := s.Stats(worker, today)
			if err != nil || st.Years[0].Count.Count+st.Years[1].Count.Count+st.Years[2].Count.Count != n {
				b.Fatalf("stats %+v, %v", st.Years, err)
			}
		}
		reportMillis(b)
	})
}
