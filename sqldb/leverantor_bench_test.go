package sqldb

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/leverantor"
)

// seedProviders stores n providers with five key persons each (some
// shared between providers, so that the shared-person rule has work) and
// two checks each, for one unit, in one transaction, and returns the
// unit's reviewer.
func seedProviders(b *testing.B, db *DB, n int) context.Context {
	b.Helper()
	ctx := context.Background()
	op := trygg.NewOperatorContext(ctx)
	if err := NewOrganisationService(db).CreateOrganisation(op, &trygg.Organisation{Code: "vof", Name: "VOF", Type: trygg.OrgMunicipal}); err != nil {
		b.Fatal(err)
	}
	u, err := NewUserService(db).CreateUser(op, trygg.NewUser{Email: "k@bench.example", Name: "K", OrgCode: "vof", Roles: []trygg.Role{trygg.RoleKontroll}})
	if err != nil {
		b.Fatal(err)
	}
	today := trygg.DayOf(db.Now())
	err = db.inWrite(ctx, func(tx *Tx) error {
		for i := range n {
			var id int64
			org := fmt.Sprintf("559%07d", i)
			if err := tx.QueryRowContext(ctx, `INSERT INTO leverantor_providers (org_key, org_number, org_sealed, name, form, address, address_key,
				sites, contract_type, service_area, contract_from, contract_to, contract_value, registered, permit_until, unit_id, status,
				created_at, updated_at) VALUES ($1, $1, '', $2, 'aktiebolag', $3, $3, '[]', 'lov', $4, $5, 0, $6, $7, $8, $9, $10, 0, 0) RETURNING id`,
				org, "Bolag "+org, fmt.Sprintf("gatan %d", i%4000), leverantor.ServiceAreas[i%6].Code, int64(today)-400,
				int64(i)*1000, int64(today)-int64(i%900), int64(today)+int64(i%400)-100, u.OrgID, leverantor.StatusActive).Scan(&id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO leverantor_units (provider_id, org_id) VALUES ($1, $2)", id, u.OrgID); err != nil {
				return err
			}
			for k := range 5 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO leverantor_persons (provider_id, role, from_day, to_day, sealed, person_index)
					VALUES ($1, $2, $3, 0, 'x', $4)`, id, leverantor.KeyRoles[k].Code, int64(today)-int64((i+k)%700), fmt.Sprintf("%064d", (i*5+k)%45000)); err != nil {
					return err
				}
			}
			for _, t := range []string{"kronofogden", "platsbesok"} {
				if _, err := tx.ExecContext(ctx, `INSERT INTO leverantor_checks (provider_id, type, day, result, source, note, unit_id, created_at)
					VALUES ($1, $2, $3, $4, 'x', '', $5, 0)`, id, t, int64(today)-int64(i%500), []string{"ok", "anmarkning", "allvarlig"}[i%3], u.OrgID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return trygg.NewContextWithUser(ctx, u)
}

// BenchmarkLeverantorRecompute recomputes the flags and scores of 10,000
// providers with 50,000 key persons and 20,000 checks: the rules and
// reading every fact from the database, and writing the changed rows.
// Every iteration rewrites every row (the day moves on), the worst case.
func BenchmarkLeverantorRecompute(b *testing.B) {
	db := openBenchDB(b)
	seedProviders(b, db, 10000)
	day := 0
	ctx := context.Background()
	for b.Loop() {
		day++
		db.Now = func() time.Time { return time.Now().AddDate(0, 0, day) }
		if err := db.RecomputeLeverantorScores(ctx); err != nil {
			b.Fatal(err)
		}
	}
	reportMillis(b)
}

// BenchmarkLeverantorList is the provider list sorted by score, as the
// page asks for it (the 500 highest), over 10,000 providers: p95 of the
// calls.
func BenchmarkLeverantorList(b *testing.B) {
	db := openBenchDB(b)
	ctx := seedProviders(b, db, 10000)
	s := NewLeverantorService(db)
	if _, err := s.FindProviders(ctx, leverantor.Filter{}); err != nil { // computes the scores once
		b.Fatal(err)
	}
	var took []time.Duration
	for b.Loop() {
		t0 := time.Now()
		list, err := s.FindProviders(ctx, leverantor.Filter{Limit: 500})
		if err != nil || len(list) != 500 {
			b.Fatal(len(list), err)
		}
		took = append(took, time.Since(t0))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
	reportMillis(b)
	// The page also lists the overdue checks per unit: here every
	// provider has six types never checked, 60,000 overdue checks, the
	// worst case.
	t0 := time.Now()
	late, err := s.Overdue(ctx)
	if err != nil || len(late) == 0 {
		b.Fatal(len(late), err)
	}
	b.ReportMetric(float64(time.Since(t0).Microseconds())/1000, "overdue-ms")
}
