package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
	"github.com/trygg-est/trygg/leverantor"
	"github.com/trygg-est/trygg/sealed"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sspf"
)

// TestRekeyRegisters: every register is filled under one key; after the
// key is rotated and RekeyRegisters has run (stopped after its first batch
// and run again, then once more to no effect), the old key is dropped and
// every record reads back as it was (and during the rotation too), the
// searches by blind index find it,
// and no value anywhere in the database is left under the old key.
func TestRekeyRegisters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		register string // the label RekeyProgress gives
		// fill writes records to the register and returns a reader of
		// all of them, searches by identifier included.
		fill func(t *testing.T, db *testDB) func(t *testing.T) any
	}{
		{"orosanmälningsregistret", func(t *testing.T, db *testDB) func(t *testing.T) any {
			f := newRegisterFixture(t, db)
			c := mustCreateConcern(t, f, f.worker, concernInput())
			if _, err := f.concerns.RecordStep(as(f.worker), c.Ref, concern.StepInput{Kind: concern.StepProtection, Reason: "Skyddsbehov saknas."}); err != nil {
				t.Fatal(err)
			}
			mustCreateConcern(t, f, f.worker, concernInput())
			return func(t *testing.T) any {
				got, err := f.concerns.FindReport(as(f.worker), c.Ref, "")
				if err != nil {
					t.Fatal(err)
				}
				list, err := f.concerns.FindReports(as(f.worker), concern.Filter{ChildID: testChildPnr})
				if err != nil || len(list) != 2 {
					t.Fatalf("search by the child's number: %d, %v", len(list), err)
				}
				return got
			}
		}},
		{"SSPF-registret", func(t *testing.T, db *testDB) func(t *testing.T) any {
			f := newSSPFFixture(t, db)
			ctx := as(f.coordinator)
			c, err := f.sspf.CreateCase(ctx, sspfInput(f))
			if err != nil {
				t.Fatal(err)
			}
			if c, err = f.sspf.AddConsent(ctx, c.Ref, consentInput(), "s.pdf", pdf()); err != nil {
				t.Fatal(err)
			}
			if _, err := f.sspf.ShareInfo(as(f.school), c.Ref, sspf.ShareInput{Info: sspf.InfoAttendance, Text: "Frånvaro."}); err != nil {
				t.Fatal(err)
			}
			m, err := f.sspf.CreateMeeting(ctx, f.team.ID, trygg.DayOf(testNow)+7)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.sspf.AddAction(ctx, m.ID, sspf.ActionInput{CaseRef: c.Ref, Title: "Plats i fotbollslaget",
				OwnerPart: sspf.PartLeisure, Deadline: trygg.DayOf(testNow) + 30}); err != nil {
				t.Fatal(err)
			}
			return func(t *testing.T) any {
				got, err := f.sspf.FindCase(ctx, c.Ref, "")
				if err != nil {
					t.Fatal(err)
				}
				_, _, doc, err := f.sspf.ConsentDocument(ctx, c.Ref, got.Consents[0].ID)
				if err != nil {
					t.Fatal(err)
				}
				meeting, err := f.sspf.FindMeeting(ctx, m.ID)
				if err != nil {
					t.Fatal(err)
				}
				list, err := f.sspf.FindCases(ctx, sspf.Filter{YouthID: sspf.ExampleNumber(sspfBirth, 238)})
				if err != nil || len(list) != 1 {
					t.Fatalf("search by the young person's number: %v, %v", list, err)
				}
				return []any{got, string(doc), meeting.Actions}
			}
		}},
		{"leverantörsregistret", func(t *testing.T, db *testDB) func(t *testing.T) any {
			f := newReviewFixture(t, db)
			mustImport(t, f, f.unitA)
			norr := providerID(t, f, f.unitA, "Omsorgen i Norr AB")
			if err := f.lev.RecordCheck(as(f.unitA), norr, leverantor.CheckInput{Type: "platsbesok", Day: trygg.DayOf(testNow), Result: "ok",
				Source: "Platsbesök", DocumentName: "protokoll.pdf", Document: []byte("%PDF-1.4 test")}); err != nil {
				t.Fatal(err)
			}
			return func(t *testing.T) any {
				var all []any
				for _, name := range []string{"Omsorgen i Norr AB", "Assistans Direkt AB", "Kalles Daglig Verksamhet"} {
					p, err := f.lev.FindProvider(as(f.unitA), providerID(t, f, f.unitA, name))
					if err != nil {
						t.Fatal(err)
					}
					all = append(all, p)
				}
				p := all[0].(*leverantor.Provider)
				_, doc, err := f.lev.CheckDocument(as(f.unitA), norr, p.Checks[0].ID)
				if err != nil {
					t.Fatal(err)
				}
				// The enskild firma is found by its number's blind index.
				res, err := f.lev.Import(as(f.unitA), testProviders()[2:], nil)
				if err != nil || res.Created != 0 || res.Updated != 1 {
					t.Fatalf("import of the enskild firma again: %+v, %v", res, err)
				}
				return append(all, string(doc))
			}
		}},
		{"nattvandrarregistret", func(t *testing.T, db *testDB) func(t *testing.T) any {
			f := newNightFixture(t, db)
			f.volunteer(t, f.group, "Anna", trygg.DayOf(testNow))
			f.volunteer(t, f.group, "Bo", 0)
			return func(t *testing.T) any {
				vs, err := f.s.FindVolunteers(as(f.leader), f.group.ID)
				if err != nil || len(vs) != 2 {
					t.Fatalf("volunteers %v, %v", vs, err)
				}
				return vs
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.register, func(t *testing.T) {
			t.Parallel()
			forEachDialect(t, func(t *testing.T, db *testDB) {
				oldKey, newKey := sealed.NewKey(), sealed.NewKey()
				if err := db.SetRegisterKey(oldKey); err != nil {
					t.Fatal(err)
				}
				read := tt.fill(t, db)
				want := read(t)

				if err := db.SetRegisterKey(newKey, oldKey); err != nil {
					t.Fatal(err)
				}
				if got := read(t); !reflect.DeepEqual(got, want) {
					t.Errorf("during the rotation:\n%+v\nwant\n%+v", got, want)
				}
				if err := db.RekeyRegisters(context.Background(), 1, nil); trygg.ErrorCode(err) != trygg.EUNAUTHORIZED {
					t.Fatalf("an anonymous caller rekeyed: %v", err)
				}
				// The first run stops after its first batch of one value.
				ctx, cancel := context.WithCancel(operator())
				first := 0
				err := db.RekeyRegisters(ctx, 1, func(p sqldb.RekeyProgress) {
					if p.Register == tt.register && !p.Done && first == 0 {
						first = p.Values
						cancel()
					}
				})
				if !errors.Is(err, context.Canceled) || first != 1 {
					t.Fatalf("the stopped run: %d values, %v", first, err)
				}
				total := func(batch int) int {
					n := 0
					if err := db.RekeyRegisters(operator(), batch, func(p sqldb.RekeyProgress) {
						if p.Register == tt.register && p.Done {
							n = p.Values
						}
					}); err != nil {
						t.Fatal(err)
					}
					return n
				}
				if n := total(2); n < 1 {
					t.Fatalf("the second run resealed %d values", n)
				}
				if n := total(0); n != 0 {
					t.Errorf("a third run resealed %d values", n)
				}

				if err := db.SetRegisterKey(newKey); err != nil {
					t.Fatal(err)
				}
				if got := read(t); !reflect.DeepEqual(got, want) {
					t.Errorf("after the rotation:\n%+v\nwant\n%+v", got, want)
				}
				if left := underKey(t, db, oldKey); len(left) > 0 {
					t.Errorf("values still sealed with the old key: %v", left)
				}
			})
		})
	}
}

// underKey lists the text columns of the database, as "table.column: n",
// that hold values sealed with key by any register.
func underKey(t *testing.T, db *testDB, key []byte) []string {
	t.Helper()
	var prefixes []string
	for _, name := range sqldb.RegisterNames() {
		k, err := sealed.NewKeyring(name, key)
		if err != nil {
			t.Fatal(err)
		}
		prefixes = append(prefixes, k.CurrentPrefix())
	}
	raw := rawDB(t, db)
	query := `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')`
	if strings.HasPrefix(db.url, "sqlite:") {
		query = `SELECT m.name, p.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND upper(p.type) = 'TEXT'`
	}
	rows, err := raw.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	var cols [][2]string
	for rows.Next() {
		var c [2]string
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	if len(cols) < 10 {
		t.Fatalf("only %d text columns", len(cols))
	}
	var out []string
	for _, c := range cols {
		for _, p := range prefixes {
			var n int
			if err := raw.QueryRow(fmt.Sprintf(`SELECT count(*) FROM %q WHERE %q LIKE $1`, c[0], c[1]), p+"%").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				out = append(out, fmt.Sprintf("%s.%s: %d", c[0], c[1], n))
			}
		}
	}
	return out
}
