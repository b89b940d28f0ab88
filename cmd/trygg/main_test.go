package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

// testNow is the fixed clock of every command in these tests.
var testNow = time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

// env is a fake environment for getenv.
type env map[string]string

func (e env) get(name string) string { return e[name] }

// result is what one run of the program produced.
type result struct {
	stdout, stderr string
	err            error
}

// lines returns the non-empty lines of stdout.
func (r result) lines() []string {
	var out []string
	for l := range strings.SplitSeq(r.stdout, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// runCLI runs the program with args, the environment e and stdin.
func runCLI(t *testing.T, e env, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), args, e.get, host{
		Stdin: strings.NewReader(stdin), Stdout: &stdout, Stderr: &stderr, Now: fixedClock,
	})
	return result{stdout: stdout.String(), stderr: stderr.String(), err: err}
}

// mustRun runs the program and fails the test if it returns an error.
func mustRun(t *testing.T, e env, stdin string, args ...string) result {
	t.Helper()
	r := runCLI(t, e, stdin, args...)
	if r.err != nil {
		t.Fatalf("trygg %s: %v\nstderr: %s", strings.Join(args, " "), describe(r.err), r.stderr)
	}
	return r
}

// newEnv returns an environment whose TRYGG_DB is a new SQLite database,
// and the database's file path.
func newEnv(t *testing.T) (env, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "trygg.db")
	return env{"TRYGG_DB": "sqlite:" + path}, path
}

// openTestDB opens the database of e directly, for checks the CLI cannot
// make itself.
func openTestDB(t *testing.T, e env) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(t.Context(), e["TRYGG_DB"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// withOrgAndUsers adds an organisation "skola1" and a samordnare with the
// password "ett långt lösenord".
func withOrgAndUsers(t *testing.T, e env) {
	t.Helper()
	mustRun(t, e, "", "org", "add", "--code", "skola1", "--name", "Ålidhemsskolan", "--type", "skola")
	mustRun(t, e, "ett långt lösenord\n", "user", "add", "--email", "Sam@Example.se", "--name", "Sam Samordnare",
		"--org", "skola1", "--role", "samordnare", "--password-stdin")
}

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	e, path := newEnv(t)
	for range 2 {
		r := mustRun(t, e, "", "migrate")
		if !strings.Contains(r.stdout, "uppdaterat") {
			t.Errorf("stdout = %q", r.stdout)
		}
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("TRYGG_DB was not used: %v", err)
	}
}

func TestFlagBeatsEnvironment(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	flagPath := filepath.Join(t.TempDir(), "flag.db")
	mustRun(t, e, "", "migrate", "--db", "sqlite:"+flagPath)
	if _, err := os.Stat(flagPath); err != nil {
		t.Fatalf("--db was not used: %v", err)
	}
	if _, err := os.Stat(strings.TrimPrefix(e["TRYGG_DB"], "sqlite:")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("TRYGG_DB was used although --db was given: %v", err)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	tests := []struct {
		name string
		args []string
		env  env    // added to e
		want string // in the error
	}{
		{"no command", nil, nil, "ange ett kommando"},
		{"unknown command", []string{"frobnicate"}, nil, "okänt kommando"},
		{"unknown subcommand", []string{"user", "frobnicate"}, nil, "user add"},
		{"unknown flag", []string{"migrate", "--nope"}, nil, "okänd flagga --nope"},
		{"missing value", []string{"migrate", "--db"}, nil, "--db behöver ett värde"},
		{"not a number", []string{"token", "revoke", "--id", "x"}, nil, "--id: inte ett tal"},
		{"missing argument", []string{"backup"}, nil, "FIL"},
		{"extra argument", []string{"migrate", "extra"}, nil, "inga argument"},
		{"unknown role", []string{"user", "add", "--role", "kung"}, nil, "okänd roll"},
		{"bad env value", []string{"serve"}, env{"TRYGG_DEMO": "kanske"}, `"kanske" i TRYGG_DEMO`},
		{"bad log level", []string{"serve", "--log-level", "mycket"}, nil, "loggnivå"},
		{"bad training validity", []string{"serve", "--nattvandring-training-months", "introduktion=0"}, nil, "--nattvandring-training-months: \"introduktion=0\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := env{"TRYGG_DB": e["TRYGG_DB"]}
			maps.Copy(env, tt.env)
			r := runCLI(t, env, "", tt.args...)
			if r.err == nil {
				t.Fatal("no error")
			}
			if exitCode(r.err) != 2 {
				t.Errorf("exit code %d, want 2", exitCode(r.err))
			}
			if !strings.Contains(r.err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", r.err, tt.want)
			}
			if !strings.Contains(r.stderr, "Användning:") {
				t.Errorf("no usage on stderr: %q", r.stderr)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		r := runCLI(t, env{}, "", args...)
		if r.err != nil || !strings.Contains(r.stdout, "import reports FIL.csv") {
			t.Errorf("%v: err %v, stdout %q", args, r.err, r.stdout)
		}
	}
	r := runCLI(t, env{}, "", "import", "reports", "-h")
	if r.err != nil || !strings.Contains(r.stdout, "--skip-invalid") || !strings.Contains(r.stdout, "TRYGG_SKIP_INVALID") {
		t.Errorf("command help: err %v, stdout %q", r.err, r.stdout)
	}
}

func TestUsers(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	withOrgAndUsers(t, e)
	mustRun(t, e, "", "user", "add", "--email", "rapp@example.se", "--name", "Rut Rapportör",
		"--org", "skola1", "--role", "rapportör", "--role", "läsare")
	mustRun(t, e, "", "user", "add", "--email", "adm@example.se", "--name", "Ada Admin",
		"--org", "skola1", "--role", "admin,polis")

	r := runCLI(t, e, "", "user", "add", "--email", "sam@example.se", "--name", "Dubblett", "--org", "skola1", "--role", "lasare")
	if trygg.ErrorCode(r.err) != trygg.ECONFLICT {
		t.Errorf("duplicate e-mail: %v, want a conflict", r.err)
	}

	// A session that disable must end.
	db := openTestDB(t, e)
	ctx := trygg.NewContextWithClient(t.Context(), trygg.Client{IP: "192.0.2.1"})
	session, err := sqldb.NewAuthService(db).SignIn(ctx, "sam@example.se", "ett långt lösenord")
	if err != nil {
		t.Fatalf("sign in with the password from stdin: %v", err)
	}

	mustRun(t, e, "", "user", "disable", "--email", "SAM@example.se")
	want := []string{
		"adm@example.se\tskola1\tpolis,admin",
		"rapp@example.se\tskola1\trapportor,lasare",
		"sam@example.se\tskola1\tsamordnare\tavstängd",
	}
	got := mustRun(t, e, "", "user", "list").lines()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("user list:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := sqldb.NewAuthService(db).FindSession(ctx, session.Token); trygg.ErrorCode(err) != trygg.EUNAUTHORIZED {
		t.Errorf("session after disable: %v, want EUNAUTHORIZED", err)
	}

	r = runCLI(t, e, "", "user", "disable", "--email", "ingen@example.se")
	if trygg.ErrorCode(r.err) != trygg.ENOTFOUND {
		t.Errorf("disable unknown user: %v", r.err)
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	withOrgAndUsers(t, e)
	r := mustRun(t, e, "", "token", "create", "--user", "sam@example.se", "--name", "skript")
	lines := r.lines()
	secret := lines[len(lines)-1]
	if strings.ContainsAny(secret, " \t") || len(secret) < 20 {
		t.Fatalf("last line %q is not a token alone", secret)
	}

	db := openTestDB(t, e)
	auth := sqldb.NewAuthService(db)
	if u, err := auth.Authenticate(t.Context(), secret); err != nil || u.Email != "sam@example.se" {
		t.Fatalf("Authenticate(new token) = %v, %v", u, err)
	}

	list := mustRun(t, e, "", "token", "list", "--user", "sam@example.se")
	if !strings.Contains(list.stdout, "skript") || !strings.Contains(list.stdout, "aktiv") {
		t.Errorf("token list:\n%s", list.stdout)
	}
	tokens, err := auth.FindTokens(trygg.NewOperatorContext(t.Context()), "sam@example.se")
	if err != nil || len(tokens) != 1 {
		t.Fatalf("FindTokens = %v, %v", tokens, err)
	}
	mustRun(t, e, "", "token", "revoke", "--id", itoa(tokens[0].ID))
	if _, err := auth.Authenticate(t.Context(), secret); trygg.ErrorCode(err) != trygg.EUNAUTHORIZED {
		t.Errorf("Authenticate(revoked token) = %v, want EUNAUTHORIZED", err)
	}
	if list := mustRun(t, e, "", "token", "list", "--user", "sam@example.se"); !strings.Contains(list.stdout, "återkallad") {
		t.Errorf("token list after revoke:\n%s", list.stdout)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestAuditVerify(t *testing.T) {
	t.Parallel()
	e, path := newEnv(t)
	withOrgAndUsers(t, e)
	r := mustRun(t, e, "", "audit", "verify")
	if !strings.Contains(r.stdout, "hel") {
		t.Errorf("stdout = %q", r.stdout)
	}

	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var first int64
	if err := raw.QueryRow("SELECT min(id) FROM audit_log").Scan(&first); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE audit_log SET detail = 'ändrad' WHERE id = ?", first); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, e, "", "audit", "verify")
	if r.err == nil || exitCode(r.err) != 1 {
		t.Fatalf("tampered chain: err %v", r.err)
	}
	if !strings.Contains(r.err.Error(), "händelse "+itoa(first)) {
		t.Errorf("error %q does not name event %d", r.err, first)
	}
}

func TestBackupAndRestore(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	withOrgAndUsers(t, e)
	backup := filepath.Join(t.TempDir(), "kopia.db")
	mustRun(t, e, "", "backup", backup)

	// A change after the backup, which restore must undo.
	mustRun(t, e, "", "user", "add", "--email", "sen@example.se", "--name", "Sen", "--org", "skola1", "--role", "lasare")
	mustRun(t, e, "", "restore", backup)
	got := mustRun(t, e, "", "user", "list").stdout
	if strings.Contains(got, "sen@example.se") || !strings.Contains(got, "sam@example.se") {
		t.Errorf("user list after restore:\n%s", got)
	}

	r := runCLI(t, e, "", "backup", backup)
	if r.err == nil {
		t.Error("backup over an existing file succeeded")
	}
}

func TestServe(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	_, base, stop := startServer(t, e)
	resp, err := http.Get(base + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz: %s", resp.Status)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve after cancel: %v", err)
	}
	if _, err := http.Get(base + "healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
}

const testAreas = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"alidhem","name":"Ålidhem","population":8000},
 "geometry":{"type":"Polygon","coordinates":[[[20.30,63.81],[20.32,63.81],[20.32,63.82],[20.30,63.82],[20.30,63.81]]]}},
{"type":"Feature","properties":{"code":"haga","name":"Haga","population":6000},
 "geometry":{"type":"Polygon","coordinates":[[[20.25,63.83],[20.27,63.83],[20.27,63.84],[20.25,63.84],[20.25,63.83]]]}}]}`

const validCSV = `occurred_at,area,category,severity,place_type,description
2025-01-10 22:00,alidhem,klotter,1,skola,Klotter på skolans vägg
2025-02-15 23:30,haga,skadegorelse,2,park,Trasig parkbänk
2025-03-20 21:00,alidhem,skadegorelse,3,centrum,Krossad ruta vid torget
`

// badRowsCSV has two good rows and two bad ones, on lines 3 and 5.
const badRowsCSV = `occurred_at,area,category,severity,place_type,description
2025-01-11 22:00,alidhem,klotter,1,skola,Nytt klotter
2025-01-12 22:00,alidhem,klotter,5,skola,Fel allvarlighetsgrad
2025-01-13 22:00,haga,klotter,1,gata,Klotter på bron
2025-01-14 22:00,atlantis,klotter,1,gata,Okänt område
`

// writeFile writes content to a new file in a temporary directory.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// withAreas imports the two test areas, Ålidhem and Haga.
func withAreas(t *testing.T, e env) {
	t.Helper()
	r := mustRun(t, e, "", "import", "areas", writeFile(t, "areas.geojson", testAreas))
	if !strings.Contains(r.stdout, "Importerade 2 områden") {
		t.Errorf("import areas: %q", r.stdout)
	}
}

// reportCount returns how many reports the database holds.
func reportCount(t *testing.T, e env) int {
	t.Helper()
	page, err := sqldb.NewReportService(openTestDB(t, e)).FindReports(trygg.NewOperatorContext(t.Context()), trygg.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

func TestImportReports(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	withOrgAndUsers(t, e)
	withAreas(t, e)

	r := mustRun(t, e, "", "import", "reports", writeFile(t, "ok.csv", validCSV), "--org", "skola1")
	if !strings.Contains(r.stdout, "Importerade 3 rapporter (0 ogiltiga rader)") {
		t.Errorf("stdout = %q", r.stdout)
	}
	if r.stderr != "" {
		t.Errorf("stderr off a terminal = %q, want nothing", r.stderr)
	}
	if n := reportCount(t, e); n != 3 {
		t.Fatalf("%d reports after import, want 3", n)
	}

	bad := writeFile(t, "bad.csv", badRowsCSV)
	r = runCLI(t, e, "", "import", "reports", bad, "--org", "skola1")
	if r.err == nil || !strings.Contains(r.err.Error(), "ingenting importerades") {
		t.Fatalf("bad rows: err %v", r.err)
	}
	for _, want := range []string{"rad 3, kolumn severity: ", "rad 5, kolumn area: "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not name %q:\n%s", want, r.stderr)
		}
	}
	if n := reportCount(t, e); n != 3 {
		t.Fatalf("%d reports after a refused import, want still 3", n)
	}

	rejects := filepath.Join(t.TempDir(), "ogiltiga.csv")
	r = mustRun(t, e, "", "import", "reports", bad, "--org", "skola1", "--skip-invalid", rejects)
	if !strings.Contains(r.stdout, "Importerade 2 rapporter (2 ogiltiga rader)") {
		t.Errorf("stdout = %q", r.stdout)
	}
	if n := reportCount(t, e); n != 5 {
		t.Fatalf("%d reports after --skip-invalid, want 5", n)
	}
	got, err := os.ReadFile(rejects)
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(got)), "\r\n")
	if len(rows) != 3 || !strings.HasSuffix(rows[0], ",line,error") ||
		!strings.Contains(rows[1], ",3,\"severity: ") || !strings.Contains(rows[2], ",5,\"area: ") {
		t.Errorf("rejects file:\n%s", got)
	}
}

func TestImportReportsRefusesUnknownOrganisation(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	withAreas(t, e)
	r := runCLI(t, e, "", "import", "reports", writeFile(t, "ok.csv", validCSV), "--org", "finnsinte")
	if trygg.ErrorCode(r.err) != trygg.ENOTFOUND || !strings.Contains(describe(r.err), "finnsinte") {
		t.Errorf("err = %v", r.err)
	}
}

func TestImportProgressOnTerminal(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	withOrgAndUsers(t, e)
	withAreas(t, e)
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), []string{"import", "reports", writeFile(t, "ok.csv", validCSV), "--org", "skola1"}, e.get,
		host{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, StderrIsTerminal: true, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "] 100 %") || !strings.Contains(stderr.String(), "rader/s") {
		t.Errorf("no progress bar on the terminal: %q", stderr.String())
	}
}

func TestExportReports(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	withOrgAndUsers(t, e)
	withAreas(t, e)
	mustRun(t, e, "", "import", "reports", writeFile(t, "ok.csv", validCSV), "--org", "skola1")

	tests := []struct {
		name string
		args []string
		want []string // descriptions, newest first
	}{
		{"all", nil, []string{"Krossad ruta vid torget", "Trasig parkbänk", "Klotter på skolans vägg"}},
		{"area", []string{"--area", "alidhem"}, []string{"Krossad ruta vid torget", "Klotter på skolans vägg"}},
		{"areas", []string{"--area", "haga,alidhem", "--category", "klotter"}, []string{"Klotter på skolans vägg"}},
		{"period", []string{"--from", "2025-02-01", "--to", "2025-02-28"}, []string{"Trasig parkbänk"}},
		{"to is inclusive", []string{"--to", "2025-01-10"}, []string{"Klotter på skolans vägg"}},
		{"nothing", []string{"--category", "inbrott"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"export", "reports", "--format", "csv"}, tt.args...)
			lines := strings.Split(strings.TrimSpace(mustRun(t, e, "", args...).stdout), "\r\n")
			if !strings.HasPrefix(lines[0], "id,occurred_at,") {
				t.Fatalf("header %q", lines[0])
			}
			var got []string
			for _, l := range lines[1:] {
				got = append(got, strings.Split(l, ",")[8])
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("csv: %q, want %q", got, tt.want)
			}

			args = append([]string{"export", "reports", "--format", "geojson"}, tt.args...)
			var fc struct {
				Type     string
				Features []struct{ Properties struct{ Description string } }
			}
			if err := json.Unmarshal([]byte(mustRun(t, e, "", args...).stdout), &fc); err != nil || fc.Type != "FeatureCollection" {
				t.Fatalf("geojson: %v, type %q", err, fc.Type)
			}
			got = nil
			for _, f := range fc.Features {
				got = append(got, f.Properties.Description)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("geojson: %q, want %q", got, tt.want)
			}
		})
	}

	out := filepath.Join(t.TempDir(), "export.geojson")
	if r := mustRun(t, e, "", "export", "reports", "--format", "geojson", "--out", out); r.stdout != "" {
		t.Errorf("stdout with --out: %q", r.stdout)
	}
	if b, err := os.ReadFile(out); err != nil || !bytes.Contains(b, []byte("Trasig parkbänk")) {
		t.Errorf("--out file: %v\n%s", err, b)
	}

	for _, args := range [][]string{{"--format", "xml"}, {"--from", "igår"}, {"--from", "2025-03-01", "--to", "2025-02-01"}} {
		if r := runCLI(t, e, "", append([]string{"export", "reports"}, args...)...); exitCode(r.err) != 2 {
			t.Errorf("%v: err %v, want a usage error", args, r.err)
		}
	}
}

func TestPostgres(t *testing.T) {
	t.Parallel()
	e := env{"TRYGG_DB": sqldbtest.NewURL(t, "postgres")} // skips unless TRYGG_TEST_POSTGRES is set
	mustRun(t, e, "", "migrate")
	mustRun(t, e, "", "migrate")
	withOrgAndUsers(t, e)
	withAreas(t, e)
	mustRun(t, e, "", "import", "reports", writeFile(t, "ok.csv", validCSV), "--org", "skola1")
	if got := mustRun(t, e, "", "export", "reports", "--area", "haga").stdout; !strings.Contains(got, "Trasig parkbänk") {
		t.Errorf("export:\n%s", got)
	}
	if got := mustRun(t, e, "", "user", "list").stdout; got != "sam@example.se\tskola1\tsamordnare\n" {
		t.Errorf("user list: %q", got)
	}
	mustRun(t, e, "", "audit", "verify")

	r := runCLI(t, e, "", "backup", filepath.Join(t.TempDir(), "kopia"))
	if exitCode(r.err) != 2 || !strings.Contains(r.err.Error(), "pg_dump") {
		t.Errorf("backup on PostgreSQL: %v, want status 2 and a pg_dump explanation", r.err)
	}
}

// startServer runs "trygg serve" with args until the test ends, and returns
// the stdout lines up to and including the URL line, and the base URL.
// stop cancels the server and returns what run returned.
func startServer(t *testing.T, e env, args ...string) (lines <-chan string, base string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	stdoutR, stdoutW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), e.get,
			host{Stdin: strings.NewReader(""), Stdout: stdoutW, Stderr: io.Discard, Now: time.Now})
		stdoutW.Close()
		done <- err
	}()
	ch := make(chan string, 100)
	go func() {
		defer close(ch)
		s := bufio.NewScanner(stdoutR)
		for s.Scan() {
			ch <- s.Text()
		}
	}()
	stop = func() error {
		cancel()
		return <-done
	}
	first, ok := <-ch
	if !ok {
		t.Fatalf("serve ended before printing its URL: %v", stop())
	}
	base, found := strings.CutPrefix(first, "Trygg körs på ")
	if !found || !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/") || strings.HasSuffix(base, ":0/") {
		stop()
		t.Fatalf("URL line %q", first)
	}
	return ch, base, stop
}

func TestServeDemo(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loads the whole demo data set")
	}
	e, _ := newEnv(t)
	for round := range 2 {
		lines, base, stop := startServer(t, e, "--demo")
		var logins []string
		for l := range lines {
			logins = append(logins, l)
			if len(logins) == len(trygg.Roles)+1 {
				break
			}
		}
		for _, r := range trygg.Roles {
			if !strings.Contains(strings.Join(logins, "\n"), r.Label()) {
				t.Errorf("round %d: no demo login for %s in\n%s", round, r.Label(), strings.Join(logins, "\n"))
			}
		}
		resp, err := http.Get(base + "readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if err := stop(); err != nil {
			t.Fatal(err)
		}
	}
	// The second round must not have loaded the data set again.
	if n := reportCount(t, e); n < 40000 || n > 60000 {
		t.Errorf("%d demo reports, want about 50 000", n)
	}
}

func TestSecureCookiesFlag(t *testing.T) {
	t.Parallel()
	loopback := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}
	public := &net.TCPAddr{IP: net.IPv4(192, 0, 2, 10), Port: 8080}
	tests := []struct {
		value string // "" for not given
		addr  net.Addr
		want  bool
	}{
		{"", loopback, false},
		{"", public, true},
		{"auto", public, true},
		{"true", loopback, true},
		{"false", public, false},
	}
	for _, tt := range tests {
		var b autoBool
		if tt.value != "" {
			if err := b.Set(tt.value); err != nil {
				t.Fatal(err)
			}
		}
		if got := b.resolve(!isLoopback(tt.addr)); got != tt.want {
			t.Errorf("--secure-cookies=%q on %v: %v, want %v", tt.value, tt.addr, got, tt.want)
		}
	}
}

func TestBrowseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr *net.TCPAddr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 41000}, "http://127.0.0.1:41000/"},
		{&net.TCPAddr{IP: net.IPv6zero, Port: 8080}, "http://localhost:8080/"},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 8080}, "http://[::1]:8080/"},
	}
	for _, tt := range tests {
		if got := browseURL(tt.addr); got != tt.want {
			t.Errorf("browseURL(%v) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

func TestParseDateFlag(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		upper bool
		want  time.Time
	}{
		{"2025-01-31", false, time.Date(2025, 1, 30, 23, 0, 0, 0, time.UTC)},
		{"2025-01-31", true, time.Date(2025, 1, 31, 23, 0, 0, 0, time.UTC)},
		{"2025-06-30", true, time.Date(2025, 6, 30, 22, 0, 0, 0, time.UTC)}, // summer time
		{"2025-03-01T12:00:00Z", true, time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := parseDateFlag("to", tt.in, tt.upper)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("parseDateFlag(%q, %v) = %v, %v; want %v", tt.in, tt.upper, got, err, tt.want)
		}
	}
	if _, err := parseDateFlag("from", "31/1", false); exitCode(err) != 2 {
		t.Errorf("a bad date: %v", err)
	}
}
