package sqldb_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/trygg-est/trygg"
)

func TestOrganisations(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		if empty, err := db.IsEmpty(context.Background()); err != nil || empty {
			t.Fatalf("IsEmpty = %v, %v; want false", empty, err)
		}
		orgs, err := f.orgs.FindOrganisations(as(f.lasare))
		// "Medborgare (tips)" comes with the migrations (issue 13).
		if err != nil || len(orgs) != 3 || orgs[0].Code != "medborgare" || orgs[1].Code != "polisen" || orgs[2].Code != "alidhemsskolan" {
			t.Fatalf("orgs by name = %+v, %v", orgs, err)
		}
		o, err := f.orgs.FindOrganisationByCode(as(f.rapportor), "polisen")
		if err != nil || o.ID != f.police.ID || o.Type != trygg.OrgPolice || !o.CreatedAt.Equal(testNow) {
			t.Fatalf("by code = %+v, %v", o, err)
		}
		_, err = f.orgs.FindOrganisationByCode(as(f.rapportor), "okand")
		wantCode(t, err, trygg.ENOTFOUND)
		_, err = f.orgs.FindOrganisations(context.Background())
		wantCode(t, err, trygg.EUNAUTHORIZED)

		wantCode(t, f.orgs.CreateOrganisation(as(f.samordnare), &trygg.Organisation{Code: "ny", Name: "Ny", Type: trygg.OrgRetailer}), trygg.ENOTFOUND)
		wantCode(t, f.orgs.CreateOrganisation(as(f.admin), &trygg.Organisation{Code: "polisen", Name: "Igen", Type: trygg.OrgPolice}), trygg.ECONFLICT)
		wantField(t, f.orgs.CreateOrganisation(as(f.admin), &trygg.Organisation{Code: "Stora Bokstäver", Name: "X", Type: trygg.OrgPolice}), "code")
		wantField(t, f.orgs.CreateOrganisation(as(f.admin), &trygg.Organisation{Code: "x", Name: "X", Type: "bank"}), "type")
		wantField(t, f.orgs.CreateOrganisation(as(f.admin), &trygg.Organisation{Code: "x", Name: " ", Type: trygg.OrgPolice}), "name")

		upd := &trygg.Organisation{ID: f.school.ID, Name: "Ålidhemsskolan F–9", Type: trygg.OrgSchool}
		if err := f.orgs.UpdateOrganisation(as(f.admin), upd); err != nil {
			t.Fatal(err)
		}
		if upd.Code != "alidhemsskolan" || upd.Name != "Ålidhemsskolan F–9" {
			t.Fatalf("updated = %+v", upd)
		}
		wantCode(t, f.orgs.UpdateOrganisation(as(f.rapportor), upd), trygg.ENOTFOUND)
		wantCode(t, f.orgs.UpdateOrganisation(operator(), &trygg.Organisation{ID: 999999, Name: "X", Type: trygg.OrgPolice}), trygg.ENOTFOUND)
		mustVerify(t, f)
	})
}

func TestAreas(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		polygon := json.RawMessage(`{"type":"Polygon","coordinates":[[[20.3,63.8],[20.31,63.8],[20.31,63.81],[20.3,63.8]]]}`)
		db.clock.Advance(60e9)
		err := f.areas.UpsertAreas(as(f.admin), []*trygg.Area{
			{Code: "haga", Name: "Haga centrum", Population: 5100, Geometry: polygon, Approximate: true},
			{Code: "teg", Name: "Teg", Population: 9000},
		})
		if err != nil {
			t.Fatal(err)
		}
		areas, err := f.areas.FindAreas(as(f.rapportor))
		if err != nil || len(areas) != 3 || areas[0].Code != "haga" || areas[2].Code != "alidhem" {
			t.Fatalf("areas by name = %+v, %v", areas, err)
		}
		haga := areas[0]
		if haga.Name != "Haga centrum" || haga.Population != 5100 || !haga.Approximate || string(haga.Geometry) != string(polygon) || !haga.UpdatedAt.Equal(db.clock.now) {
			t.Fatalf("haga = %+v", haga)
		}
		if teg, err := f.areas.FindAreaByCode(as(f.lasare), "teg"); err != nil || teg.Geometry != nil || teg.Approximate {
			t.Fatalf("teg = %+v, %v", teg, err)
		}
		_, err = f.areas.FindAreaByCode(as(f.lasare), "okand")
		wantCode(t, err, trygg.ENOTFOUND)
		if public, err := f.areas.FindAreas(context.Background()); err != nil || len(public) == 0 {
			t.Fatalf("anonymous FindAreas = %d areas, %v; districts are public", len(public), err)
		}

		wantCode(t, f.areas.UpsertAreas(as(f.samordnare), []*trygg.Area{{Code: "x", Name: "X"}}), trygg.ENOTFOUND)
		tests := []struct {
			name  string
			areas []*trygg.Area
			field string
		}{
			{"one bad code", []*trygg.Area{{Code: "Å", Name: "X"}}, "code"},
			{"second has bad geometry", []*trygg.Area{{Code: "a", Name: "A"}, {Code: "b", Name: "B", Geometry: json.RawMessage(`{"type":"Point","coordinates":[1,2]}`)}}, "areas[1].geometry"},
			{"not json", []*trygg.Area{{Code: "a", Name: "A", Geometry: json.RawMessage(`{`)}}, "geometry"},
			{"negative population", []*trygg.Area{{Code: "a", Name: "A", Population: -1}}, "population"},
			{"duplicate", []*trygg.Area{{Code: "a", Name: "A"}, {Code: "a", Name: "B"}}, "areas[1].code"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantField(t, f.areas.UpsertAreas(operator(), tt.areas), tt.field)
			})
		}
		if areas, _ := f.areas.FindAreas(operator()); len(areas) != 3 {
			t.Fatalf("a failed upsert wrote areas: %d", len(areas))
		}
		mustVerify(t, f)
	})
}

func TestCategories(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		active, err := f.cats.FindCategories(as(f.rapportor), false)
		if err != nil || len(active) != 25 || active[0].Code != "skadegorelse" {
			t.Fatalf("default categories = %d, %v", len(active), err)
		}
		c := &trygg.Category{Code: "eldning", Name: "Eldning", Group: "Skadegörelse och brand", SortOrder: 35}
		wantCode(t, f.cats.CreateCategory(as(f.samordnare), c), trygg.ENOTFOUND)
		if err := f.cats.CreateCategory(as(f.admin), c); err != nil || c.ID == 0 {
			t.Fatalf("create: %v", err)
		}
		wantCode(t, f.cats.CreateCategory(as(f.admin), &trygg.Category{Code: "eldning", Name: "X", Group: "Y"}), trygg.ECONFLICT)
		wantField(t, f.cats.CreateCategory(as(f.admin), &trygg.Category{Code: "x", Name: "X"}), "group")

		archived := testNow
		c.ArchivedAt = &archived
		c.Name = "Eldning utomhus"
		db.clock.Advance(60e9)
		if err := f.cats.UpdateCategory(as(f.admin), c); err != nil {
			t.Fatal(err)
		}
		if !c.ArchivedAt.Equal(db.clock.now) {
			t.Fatalf("archived at %v, want now", c.ArchivedAt)
		}
		db.clock.Advance(60e9)
		if err := f.cats.UpdateCategory(operator(), c); err != nil || !c.ArchivedAt.Equal(testNow.Add(60e9)) {
			t.Fatalf("re-archiving moved the time: %v, %v", c.ArchivedAt, err)
		}
		active, _ = f.cats.FindCategories(as(f.rapportor), false)
		all, _ := f.cats.FindCategories(as(f.rapportor), true)
		if len(active) != 25 || len(all) != 26 || all[3].Code != "eldning" || all[3].Name != "Eldning utomhus" {
			t.Fatalf("active %d, all %d", len(active), len(all))
		}
		c.ArchivedAt = nil
		if err := f.cats.UpdateCategory(operator(), c); err != nil {
			t.Fatal(err)
		}
		if active, _ = f.cats.FindCategories(as(f.rapportor), false); len(active) != 26 {
			t.Fatalf("restored category missing: %d", len(active))
		}
		wantCode(t, f.cats.UpdateCategory(operator(), &trygg.Category{Code: "okand", Name: "X", Group: "Y"}), trygg.ENOTFOUND)
		wantCode(t, f.cats.UpdateCategory(as(f.lasare), c), trygg.ENOTFOUND)
		if public, err := f.cats.FindCategories(context.Background(), false); err != nil || len(public) == 0 {
			t.Fatalf("anonymous FindCategories = %d, %v; the taxonomy is public", len(public), err)
		}
		mustVerify(t, f)
	})
}
