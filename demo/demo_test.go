package demo

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/geo"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

// testNow is a Wednesday afternoon; the data set ends here.
var testNow = time.Date(2026, 3, 18, 14, 30, 0, 0, time.UTC)

var (
	cachedOnce sync.Once
	cached     *Dataset
)

// dataset returns the data set for seed 1 at testNow, generated once for
// all tests that only read it.
func dataset(t *testing.T) *Dataset {
	t.Helper()
	cachedOnce.Do(func() { cached = Generate(1, testNow) })
	return cached
}

// loadAlone loads one part of the demo, what, with load into an empty
// database whose clock stands just after testNow and that holds only the
// demo's organisations, districts and first six users, and returns its
// services.
func loadAlone(t *testing.T, what string, load func(context.Context, app.Services, *Dataset) error) app.Services {
	t.Helper()
	db := sqldbtest.Open(t)
	db.Now = func() time.Time { return testNow.Add(time.Minute) }
	s := sqldb.NewServices(db)
	ctx := trygg.NewOperatorContext(context.Background())
	for _, o := range organisations {
		if err := s.Organisations.CreateOrganisation(ctx, &trygg.Organisation{Code: o.Code, Name: o.Name, Type: o.Type}); err != nil {
			t.Fatal(err)
		}
	}
	var areas []*trygg.Area
	for _, d := range districts {
		areas = append(areas, &trygg.Area{Code: d.code, Name: d.name})
	}
	if err := s.Areas.UpsertAreas(ctx, areas); err != nil {
		t.Fatal(err)
	}
	for _, u := range users[:6] {
		if _, err := s.Users.CreateUser(ctx, trygg.NewUser{Email: u.local + emailDomain, Name: u.name, OrgCode: u.org, Roles: u.roles}); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	if err := load(ctx, s, &Dataset{End: testNow}); err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %s in %v", what, time.Since(start).Round(time.Millisecond))
	return s
}

// loginAs returns the context of the demo user with that local part.
func loginAs(t *testing.T, s app.Services, local string) context.Context {
	t.Helper()
	u, err := demoUserNamed(trygg.NewOperatorContext(context.Background()), s, local)
	if err != nil {
		t.Fatal(err)
	}
	return trygg.NewContextWithUser(context.Background(), u)
}

func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	a := dataset(t)
	b := Generate(1, testNow)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two data sets from the same seed and time differ")
	}
	c := Generate(2, testNow)
	if reflect.DeepEqual(a.Reports, c.Reports) {
		t.Error("data sets from different seeds have the same reports")
	}
	if !reflect.DeepEqual(a.Areas, c.Areas) {
		t.Error("the districts depend on the seed; they should be fixed")
	}
}

func TestGenerateSpansThreeYears(t *testing.T) {
	t.Parallel()
	ds := dataset(t)
	if n := len(ds.Reports); n < 45000 || n > 56000 {
		t.Errorf("got %d reports, want about 50,000", n)
	}
	first, last := ds.Reports[0].Input.OccurredAt, ds.Reports[len(ds.Reports)-1].Input.OccurredAt
	start := testNow.AddDate(-3, 0, 0)
	if first.Before(start.Add(-3*24*time.Hour)) || first.After(start.Add(7*24*time.Hour)) {
		t.Errorf("first report at %v, want near %v", first, start)
	}
	if last.After(testNow) || last.Before(testNow.Add(-24*time.Hour)) {
		t.Errorf("last report at %v, want just before %v", last, testNow)
	}
	if !slices.IsSortedFunc(ds.Reports, func(a, b Report) int { return a.Input.OccurredAt.Compare(b.Input.OccurredAt) }) {
		t.Error("reports are not ordered by OccurredAt")
	}
}

// defaultCategories reads the category codes from the migration, so that
// the generator cannot drift from the real taxonomy.
func defaultCategories(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("../sqldb/migrations/00002_default_categories.sql")
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, m := range regexp.MustCompile(`\('([a-z_]+)',`).FindAllStringSubmatch(string(b), -1) {
		codes[m[1]] = true
	}
	if len(codes) < 20 {
		t.Fatalf("found only %d categories in the migration", len(codes))
	}
	return codes
}

func TestReportsAreValid(t *testing.T) {
	t.Parallel()
	ds := dataset(t)
	cats := defaultCategories(t)
	for _, c := range categories {
		if !cats[c] {
			t.Errorf("category %s is not in the default taxonomy", c)
		}
	}
	shapes := map[string]areaShape{}
	for i, d := range districts {
		shapes[d.code] = buildShape(i)
	}
	orgOf := map[string]string{}
	for _, u := range ds.Users {
		orgOf[u.Email] = u.OrgCode
	}
	withPoint, withPeriod := 0, 0
	for i, rep := range ds.Reports {
		in := rep.Input
		if err := in.Validate(testNow); err != nil {
			t.Fatalf("report %d (%s) is invalid: %v\n%q", i, in.Category, err, in.Description)
		}
		if !reflect.DeepEqual(in, rep.Input) {
			t.Fatalf("report %d changes when validated: %+v -> %+v", i, rep.Input, in)
		}
		if !cats[in.Category] {
			t.Fatalf("report %d: unknown category %q", i, in.Category)
		}
		s, ok := shapes[in.AreaCode]
		if !ok {
			t.Fatalf("report %d: unknown area %q", i, in.AreaCode)
		}
		if orgOf[rep.ReporterEmail] != rep.OrgCode {
			t.Fatalf("report %d: reporter %s is not in organisation %s", i, rep.ReporterEmail, rep.OrgCode)
		}
		end := in.OccurredAt
		if in.OccurredEnd != nil {
			end = *in.OccurredEnd
			withPeriod++
		}
		if rep.ReportedAt.Before(end) || rep.ReportedAt.After(testNow) {
			t.Fatalf("report %d: reported at %v, occurred until %v", i, rep.ReportedAt, end)
		}
		if p := in.Location; p != nil {
			withPoint++
			if !s.box.Intersects(geo.Bounds{}.Extend(geo.Point{Lon: p.Lon, Lat: p.Lat})) || !s.contains(*p) {
				t.Fatalf("report %d: point %v outside %s", i, *p, in.AreaCode)
			}
		}
	}
	if share := float64(withPoint) / float64(len(ds.Reports)); share < 0.5 || share > 0.7 {
		t.Errorf("%.0f%% of reports have a point, want about 60%%", share*100)
	}
	if withPeriod == 0 {
		t.Error("no report gives a period (damage found afterwards)")
	}
}

func TestAreas(t *testing.T) {
	t.Parallel()
	ds := dataset(t)
	if n := len(ds.Areas); n < 25 || n > 32 {
		t.Errorf("got %d areas, want about 27", n)
	}
	total := 0
	slug := regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	var rings []geo.Ring
	for _, a := range ds.Areas {
		total += a.Population
		if !slug.MatchString(a.Code) || !a.Approximate || a.Population <= 0 {
			t.Errorf("area %+v", a)
		}
		var g struct {
			Type        string
			Coordinates [][][2]float64
		}
		if err := json.Unmarshal(a.Geometry, &g); err != nil || g.Type != "Polygon" || len(g.Coordinates) != 1 {
			t.Fatalf("area %s: geometry %s (%v)", a.Code, a.Geometry, err)
		}
		r := g.Coordinates[0]
		if len(r) < 5 || r[0] != r[len(r)-1] {
			t.Errorf("area %s: ring of %d positions, closed=%v", a.Code, len(r), r[0] == r[len(r)-1])
		}
		ring := make(geo.Ring, len(r))
		for i, pos := range r {
			ring[i] = geo.Point{Lon: pos[0], Lat: pos[1]}
		}
		rings = append(rings, ring)
	}
	if total < 110000 || total > 140000 {
		t.Errorf("population %d, want about 130,000", total)
	}
	// Every district's centre and every report point lies in exactly one
	// outline: the outlines do not overlap.
	inside := func(lat, lon float64) int {
		n := 0
		for _, r := range rings {
			if r.Contains(geo.Point{Lon: lon, Lat: lat}) {
				n++
			}
		}
		return n
	}
	for _, d := range districts {
		if n := inside(d.lat, d.lon); n != 1 {
			t.Errorf("the centre of %s lies in %d outlines", d.code, n)
		}
	}
	for i, rep := range ds.Reports {
		if p := rep.Input.Location; p != nil && i%10 == 0 {
			if n := inside(p.Lat, p.Lon); n != 1 {
				t.Fatalf("point %v of report %d lies in %d outlines", *p, i, n)
			}
		}
	}
}

// weekly counts reports in an area and categories per week starting at
// monday, for weeks weeks.
func weekly(ds *Dataset, area string, cats []string, monday time.Time, weeks int) []int {
	counts := make([]int, weeks)
	for _, rep := range ds.Reports {
		in := rep.Input
		if in.AreaCode != area || !slices.Contains(cats, in.Category) || in.OccurredAt.Before(monday) {
			continue
		}
		w := int(in.OccurredAt.Sub(monday) / (7 * 24 * time.Hour))
		if w < weeks {
			counts[w]++
		}
	}
	return counts
}

func TestSurgesStandOut(t *testing.T) {
	t.Parallel()
	ds := dataset(t)
	if len(ds.Surges) != 3 {
		t.Fatalf("got %d surges, want 3", len(ds.Surges))
	}
	loc := trygg.Stockholm
	for _, s := range ds.Surges {
		if s.From.In(loc).Weekday() != time.Monday || s.From.In(loc).Hour() != 0 {
			t.Errorf("%s starts %v, not on a Monday at midnight", s.Name, s.From)
		}
		baseline := weekly(ds, s.AreaCode, s.Categories, s.From.AddDate(0, 0, -7*26), 26)
		sum := 0
		for _, n := range baseline {
			sum += n
		}
		usual := float64(sum) / 26
		fullWeeks := int(s.To.Sub(s.From) / (7 * 24 * time.Hour))
		if fullWeeks < 4 {
			t.Fatalf("%s: only %d full weeks", s.Name, fullWeeks)
		}
		for w, n := range weekly(ds, s.AreaCode, s.Categories, s.From, fullWeeks) {
			if float64(n) < 3*usual || n == 0 {
				t.Errorf("%s, week %d: %d reports, usual %.1f a week; want at least three times as many", s.Name, w+1, n, usual)
			}
		}
		// The week before is ordinary: the surge starts where it says.
		if before := weekly(ds, s.AreaCode, s.Categories, s.From.AddDate(0, 0, -7), 1)[0]; float64(before) > 3*usual+3 {
			t.Errorf("%s: %d reports the week before it starts (usual %.1f)", s.Name, before, usual)
		}
	}
	unrest := ds.Surges[0]
	if unrest.AreaCode != "alidhem" || !unrest.To.Equal(testNow) {
		t.Errorf("the unrest surge should run in Ålidhem until now: %+v", unrest)
	}
}

// share returns the fraction of reports matching keep among those matching
// of.
func share(ds *Dataset, of, keep func(Report, time.Time) bool) float64 {
	loc := trygg.Stockholm
	n, k := 0, 0
	for _, rep := range ds.Reports {
		local := rep.Input.OccurredAt.In(loc)
		if of(rep, local) {
			n++
			if keep(rep, local) {
				k++
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(k) / float64(n)
}

func count(ds *Dataset, keep func(Report, time.Time) bool) int {
	loc := trygg.Stockholm
	n := 0
	for _, rep := range ds.Reports {
		if keep(rep, rep.Input.OccurredAt.In(loc)) {
			n++
		}
	}
	return n
}

func TestRhythms(t *testing.T) {
	t.Parallel()
	ds := dataset(t)
	all := func(Report, time.Time) bool { return true }
	org := func(code string) func(Report, time.Time) bool {
		return func(r Report, _ time.Time) bool { return r.OrgCode == code }
	}
	cat := func(code string, months ...time.Month) func(Report, time.Time) bool {
		return func(r Report, l time.Time) bool {
			return r.Input.Category == code && (len(months) == 0 || slices.Contains(months, l.Month()))
		}
	}
	friSatNight := func(_ Report, l time.Time) bool {
		wd, h := l.Weekday(), l.Hour()
		return (wd == time.Friday || wd == time.Saturday) && h >= 18 || (wd == time.Saturday || wd == time.Sunday) && h < 4
	}
	// Damage found afterwards was found in school hours; it may have
	// happened over the weekend.
	weekdaySchoolHours := func(r Report, l time.Time) bool {
		if r.Input.OccurredEnd != nil {
			l = r.Input.OccurredEnd.In(l.Location())
		}
		return isSchoolDay(l) && l.Hour() >= 7 && l.Hour() < 18
	}
	perThousand := func(code string) float64 {
		for _, d := range districts {
			if d.code == code {
				return float64(count(ds, func(r Report, _ time.Time) bool { return r.Input.AreaCode == code })) / float64(d.population) * 1000
			}
		}
		t.Fatalf("no district %s", code)
		return 0
	}
	newYear := count(ds, func(r Report, l time.Time) bool {
		return r.Input.Category == "fyrverkerier" && (l.Month() == time.December && l.Day() == 31 || l.Month() == time.January && l.Day() == 1)
	})
	fireworks := count(ds, cat("fyrverkerier"))

	checks := []struct {
		name string
		got  float64
		min  float64
	}{
		{"Friday and Saturday nights' share of all reports", share(ds, all, friSatNight), 0.25},
		{"night-walkers' reports on Friday and Saturday nights", share(ds, org("nattvandrarna"), friSatNight), 0.99},
		{"school reports in school hours on school days", share(ds, org("alidhemsskolan"), weekdaySchoolHours), 0.999},
		{"mopeds in July over January", float64(count(ds, cat("mopedbuskorning", time.July))) / float64(max(1, count(ds, cat("mopedbuskorning", time.January)))), 10},
		{"unlit places in November over June", float64(count(ds, cat("otrygg_belysning", time.November))) / float64(max(1, count(ds, cat("otrygg_belysning", time.June)))), 10},
		{"fireworks on New Year's Eve and Day, share of the year's", float64(newYear) / float64(max(1, fireworks)), 0.3},
		{"Ålidhem over Tomtebo, reports per resident", perThousand("alidhem") / perThousand("tomtebo"), 2.5},
		{"Ersboda over Västerslätt, reports per resident", perThousand("ersboda") / perThousand("vasterslatt"), 1.5},
		{"alcohol's share in the centre over Teg", share(ds, func(r Report, _ time.Time) bool { return r.Input.AreaCode == "centrum" }, cat("alkohol")) /
			share(ds, func(r Report, _ time.Time) bool { return r.Input.AreaCode == "teg" }, cat("alkohol")), 1.5},
	}
	for _, c := range checks {
		if c.got < c.min {
			t.Errorf("%s: %.3f, want at least %.3f", c.name, c.got, c.min)
		}
	}
	// Valborg is the evening and night of 30 April, so count by the day
	// that starts at 06:00.
	var valborg, ordinaryDays int
	for _, rep := range ds.Reports {
		l := rep.Input.OccurredAt.In(trygg.Stockholm).Add(-6 * time.Hour)
		if rep.Input.Category != "alkohol" || l.Month() != time.April && l.Month() != time.May {
			continue
		}
		switch {
		case l.Month() == time.April && l.Day() == 30:
			valborg++
		case l.Month() == time.May && l.Day() == 1:
		default:
			ordinaryDays++
		}
	}
	if perDay := float64(ordinaryDays) / (3 * 59); float64(valborg)/3 < 3*perDay {
		t.Errorf("Valborg: %d alcohol reports in three years, against %.1f on an ordinary spring day", valborg, perDay)
	}
}

func TestLogins(t *testing.T) {
	t.Parallel()
	ds := dataset(t)
	logins := Logins()
	if len(logins) != len(trygg.Roles) {
		t.Fatalf("got %d logins, want one per role (%d)", len(logins), len(trygg.Roles))
	}
	for i, l := range logins {
		if l.Role != trygg.Roles[i] {
			t.Errorf("login %d has role %s, want %s", i, l.Role, trygg.Roles[i])
		}
		if len(l.Password) < 10 {
			t.Errorf("password %q is shorter than 10 characters", l.Password)
		}
		idx := slices.IndexFunc(ds.Users, func(u trygg.NewUser) bool { return u.Email == l.Email })
		if idx < 0 || !slices.Equal(ds.Users[idx].Roles, []trygg.Role{l.Role}) || ds.Users[idx].Password != l.Password {
			t.Errorf("login %+v has no matching user", l)
		}
	}
	orgs := map[string]bool{}
	for _, o := range ds.Organisations {
		if !o.Type.Valid() {
			t.Errorf("organisation %s has type %q", o.Code, o.Type)
		}
		orgs[o.Code] = true
	}
	for _, u := range ds.Users {
		if !orgs[u.OrgCode] {
			t.Errorf("user %s belongs to unknown organisation %s", u.Email, u.OrgCode)
		}
	}
}
