package sqldb_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

// testNow is the fixed start of every test clock.
var testNow = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

// clock is a settable test clock.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time          { return c.now }
func (c *clock) Advance(d time.Duration) { c.now = c.now.Add(d) }

// testDB is a migrated database with its URL and clock.
type testDB struct {
	*sqldb.DB
	url   string
	clock *clock
}

// mustOpenDB returns a migrated database of dialect with a fixed clock.
func mustOpenDB(t testing.TB, dialect string) *testDB {
	t.Helper()
	url := sqldbtest.MigratedURL(t, dialect)
	db := sqldbtest.OpenURL(t, url)
	c := &clock{now: testNow}
	db.Now = c.Now
	return &testDB{DB: db, url: url, clock: c}
}

// forEachDialect runs fn as a subtest on a fresh database of each dialect.
func forEachDialect(t *testing.T, fn func(t *testing.T, db *testDB)) {
	t.Helper()
	for _, dialect := range sqldbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			fn(t, mustOpenDB(t, dialect))
		})
	}
}

// rawDB opens a second, plain connection to the test database, for
// inspecting and tampering with rows behind the store's back.
func rawDB(t *testing.T, db *testDB) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", db.url
	if path, ok := strings.CutPrefix(db.url, "sqlite:"); ok {
		driver, dsn = "sqlite", path
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func operator() context.Context { return trygg.NewOperatorContext(context.Background()) }

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		ctx := context.Background()
		for range 2 {
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("migrate again: %v", err)
			}
		}
		empty, err := db.IsEmpty(ctx)
		if err != nil || !empty {
			t.Fatalf("IsEmpty = %v, %v; want true", empty, err)
		}
		cats, err := sqldb.NewCategoryService(db.DB).FindCategories(operator(), false)
		if err != nil || len(cats) < 20 {
			t.Fatalf("default categories: %d, %v", len(cats), err)
		}
		if err := db.Ping(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// fixture is a small world: two organisations, two areas, and a user for
// every role (rapportörer in both organisations).
type fixture struct {
	db                                               *testDB
	users                                            *sqldb.UserService
	auth                                             *sqldb.AuthService
	orgs                                             *sqldb.OrganisationService
	areas                                            *sqldb.AreaService
	cats                                             *sqldb.CategoryService
	reports                                          *sqldb.ReportService
	audit                                            *sqldb.AuditService
	school, police                                   *trygg.Organisation
	rapportor, rapportor2, polis, samordnare, lasare *trygg.User
	admin, socialtjanst                              *trygg.User
}

func newFixture(t testing.TB, db *testDB) *fixture {
	t.Helper()
	f := &fixture{
		db:      db,
		users:   sqldb.NewUserService(db.DB),
		auth:    sqldb.NewAuthService(db.DB),
		orgs:    sqldb.NewOrganisationService(db.DB),
		areas:   sqldb.NewAreaService(db.DB),
		cats:    sqldb.NewCategoryService(db.DB),
		reports: sqldb.NewReportService(db.DB),
		audit:   sqldb.NewAuditService(db.DB),
	}
	ctx := operator()
	f.school = &trygg.Organisation{Code: "alidhemsskolan", Name: "Ålidhemsskolan", Type: trygg.OrgSchool}
	f.police = &trygg.Organisation{Code: "polisen", Name: "Polisen lokalpolisområde Umeå", Type: trygg.OrgPolice}
	for _, o := range []*trygg.Organisation{f.school, f.police} {
		if err := f.orgs.CreateOrganisation(ctx, o); err != nil {
			t.Fatalf("create organisation: %v", err)
		}
	}
	err := f.areas.UpsertAreas(ctx, []*trygg.Area{
		{Code: "alidhem", Name: "Ålidhem", Population: 7000},
		{Code: "haga", Name: "Haga", Population: 5000},
	})
	if err != nil {
		t.Fatalf("create areas: %v", err)
	}
	mk := func(email, org string, roles ...trygg.Role) *trygg.User {
		u, err := f.users.CreateUser(ctx, trygg.NewUser{Email: email, Name: "Test " + email, OrgCode: org, Roles: roles})
		if err != nil {
			t.Fatalf("create user %s: %v", email, err)
		}
		return u
	}
	f.rapportor = mk("rapportor@skola.example", "alidhemsskolan", trygg.RoleRapportor)
	f.rapportor2 = mk("rapportor@polis.example", "polisen", trygg.RoleRapportor)
	f.polis = mk("polis@polis.example", "polisen", trygg.RolePolis)
	f.samordnare = mk("samordnare@kommun.example", "alidhemsskolan", trygg.RoleSamordnare)
	f.lasare = mk("lasare@kommun.example", "alidhemsskolan", trygg.RoleLasare)
	f.admin = mk("admin@kommun.example", "alidhemsskolan", trygg.RoleAdmin)
	f.socialtjanst = mk("soc@kommun.example", "alidhemsskolan", trygg.RoleSocialtjanst)
	return f
}

func as(u *trygg.User) context.Context {
	return trygg.NewContextWithUser(context.Background(), u)
}

// input returns a valid report input.
func input(area, category string) trygg.ReportInput {
	return trygg.ReportInput{
		OccurredAt: testNow.Add(-2 * time.Hour), AreaCode: area, Category: category,
		PlaceType: "skola", Severity: 2, Description: "Krossad ruta vid entrén.",
	}
}

// wantCode fails the test unless err has the given trygg error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := trygg.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// wantField fails the test unless err is EINVALID naming field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	wantCode(t, err, trygg.EINVALID)
	for _, f := range trygg.ErrorFields(err) {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v does not name field %q", err, field)
}

func mustCreate(t *testing.T, f *fixture, u *trygg.User, in trygg.ReportInput) *trygg.Report {
	t.Helper()
	r, err := f.reports.CreateReport(as(u), in)
	if err != nil {
		t.Fatalf("create report: %v", err)
	}
	return r
}

func mustVerify(t *testing.T, f *fixture) int {
	t.Helper()
	broken, checked, err := f.audit.VerifyAudit(operator())
	if err != nil || broken != 0 {
		t.Fatalf("audit chain broken at %d (%v)", broken, err)
	}
	return checked
}
