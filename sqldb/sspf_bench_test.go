package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sspf"
)

// benchSSPFCases is how many sealed cases the SSPF benchmarks hold:
// TRYGG_BENCH_SSPF, or 10,000 for a quick run. The figure is
// 200,000.
func benchSSPFCases(b *testing.B) int {
	if s := os.Getenv("TRYGG_BENCH_SSPF"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("TRYGG_BENCH_SSPF=%q", s)
		}
		return n
	}
	return 10000
}

// openSSPFBenchDB opens the benchmark's database: a new SQLite file, or
// with TRYGG_BENCH_POSTGRES the PostgreSQL database it names, which must
// be empty (this package's own tests cannot use sqldbtest).
func openSSPFBenchDB(b *testing.B) *DB {
	b.Helper()
	url := os.Getenv("TRYGG_BENCH_POSTGRES")
	if url == "" {
		return openBenchDB(b)
	}
	ctx := context.Background()
	db, err := Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return db
}

// seedSSPF makes a coordinator and a team and stores n sealed cases about
// n young people, each with a complete consent, as CreateCase and
// AddConsent store them, in one transaction; three of the cases get five
// shares and two actions each, as a busy case has. It returns the
// coordinator and the number and ref of the last case.
func seedSSPF(b *testing.B, db *DB, n int) (context.Context, string, string) {
	b.Helper()
	ctx := context.Background()
	op := trygg.NewOperatorContext(ctx)
	if err := NewOrganisationService(db).CreateOrganisation(op, &trygg.Organisation{Code: "ifo", Name: "IFO", Type: trygg.OrgSocialServices}); err != nil {
		b.Fatal(err)
	}
	if err := NewAreaService(db).UpsertAreas(op, []*trygg.Area{{Code: "alidhem", Name: "Ålidhem", Population: 7000}}); err != nil {
		b.Fatal(err)
	}
	u, err := NewUserService(db).CreateUser(op, trygg.NewUser{Email: "sspf@bench.example", Name: "Samordnare", OrgCode: "ifo", Roles: []trygg.Role{trygg.RoleSSPF}})
	if err != nil {
		b.Fatal(err)
	}
	coord := trygg.NewContextWithUser(ctx, u)
	s := NewSSPFService(db)
	team, err := s.CreateTeam(coord, "SSPF Ålidhem", "alidhem")
	if err != nil {
		b.Fatal(err)
	}
	keys, err := db.sspfKeyring()
	if err != nil {
		b.Fatal(err)
	}
	today := trygg.DayOf(time.Now())
	youth, ref := "", ""
	meta, _ := json.Marshal(sealedDocument{Name: "samtycke.pdf", Type: trygg.ContentPDF, Size: 1000, SHA256: "00"})
	doc := make([]byte, 1000)
	err = db.inWrite(ctx, func(tx *Tx) error {
		for i := range n {
			youth = fmt.Sprintf("20%010d", i) // unique 12-digit keys; the index does not check Luhn
			ref = newRef()
			plain, err := json.Marshal(sealedYouth{Kind: sspf.IDPersonnummer, ID: youth, Name: "Ungdom " + youth})
			if err != nil {
				return err
			}
			var id, consent int64
			err = tx.QueryRowContext(ctx, `INSERT INTO sspf_cases (ref, team_id, coordinator_id, state, reason, referring_part, guardians,
				sealed, youth_index, referred_on, created_at) VALUES ($1, $2, $3, 'aktiv', 'skolfranvaro', 'skola', 2, $4, $5, $6, $7) RETURNING id`,
				ref, team.ID, u.ID, keys.Seal(plain, ref), keys.BlindIndex(youth), int64(today)-int64(i%700), millis(tx.now)).Scan(&id)
			if err != nil {
				return err
			}
			err = tx.QueryRowContext(ctx, `INSERT INTO sspf_consents (case_id, purpose, scope, given_on, expires_on, document_meta, document,
				created_at, created_by) VALUES ($1, 'samordnad_insats', 'polis:narvaro,skola:handlingsplan', $2, $3, $4, $5, $6, $7) RETURNING id`,
				id, int64(today-10), int64(today+300), keys.Seal(meta, ref), keys.Seal(doc, ref), millis(tx.now), u.ID).Scan(&consent)
			if err != nil {
				return err
			}
			for _, signer := range []string{sspf.SignerGuardian1, sspf.SignerGuardian2} {
				if _, err := tx.ExecContext(ctx, "INSERT INTO sspf_signatures (consent_id, signer, signed_on) VALUES ($1, $2, $3)", consent, signer, int64(today-10)); err != nil {
					return err
				}
			}
			if i < n-3 {
				continue
			}
			for j := range 5 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO sspf_shares (case_id, info, from_part, by_id, at, consent_id, sealed)
					VALUES ($1, 'narvaro', 'skola', $2, $3, $4, $5)`, id, u.ID, millis(tx.now), consent,
					keys.Seal([]byte(fmt.Sprintf("Frånvaro %d %% vecka %d, mest ogiltig frånvaro på förmiddagarna.", 10+j, j)), ref)); err != nil {
					return err
				}
			}
			for j := range 2 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO sspf_actions (case_id, title, owner_part, deadline, created_at) VALUES ($1, $2, 'fritid', $3, $4)`,
					id, keys.Seal([]byte(fmt.Sprintf("Åtgärd %d", j)), ref), int64(today+14), millis(tx.now)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return coord, youth, ref
}

// p95 runs op b.N times (at least 100) and reports the 95th percentile
// and the median of its durations in milliseconds.
func p95(b *testing.B, op func() error) {
	b.Helper()
	var d []time.Duration
	for b.Loop() {
		start := time.Now()
		if err := op(); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(start))
	}
	slices.Sort(d)
	if len(d) == 0 {
		return
	}
	b.ReportMetric(float64(d[len(d)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, "p50-ms")
}

// BenchmarkSSPF is the register's two goals: the blind-index search for a
// young person among benchSSPFCases sealed cases (the keyed hash, the
// indexed look-up, unsealing what it finds, its consent, and the audit
// entry's commit), and opening the case page's data (the case, its
// consents, five shares and two actions, unsealed, and the audited read
// committed). SQLite, or PostgreSQL with TRYGG_BENCH_POSTGRES.
func BenchmarkSSPF(b *testing.B) {
	db := openSSPFBenchDB(b)
	n := benchSSPFCases(b)
	start := time.Now()
	coord, youth, ref := seedSSPF(b, db, n)
	b.Logf("%s: %d sealed cases seeded in %v", db.dialect, n, time.Since(start).Round(time.Millisecond))
	s := NewSSPFService(db)
	b.Run("search", func(b *testing.B) {
		p95(b, func() error {
			list, err := s.FindCases(coord, sspf.Filter{YouthID: youth})
			if err == nil && len(list) != 1 {
				err = fmt.Errorf("found %d", len(list))
			}
			return err
		})
	})
	b.Run("case-page", func(b *testing.B) {
		p95(b, func() error {
			c, err := s.FindCase(coord, ref, "")
			if err == nil && (len(c.Shares) != 5 || len(c.Actions) != 2 || len(c.Consents) != 1) {
				err = fmt.Errorf("case %+v", c)
			}
			return err
		})
	})
}
