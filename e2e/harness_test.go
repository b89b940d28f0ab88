// Package e2e tests Trygg from the outside: it builds the real trygg binary,
// runs it as a child process on port 0 with a temporary database, and drives
// it with headless Chromium and plain HTTP. The helpers in this file are
// shared by the browser tests, the durability test and the two-instance test.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for scratch PostgreSQL databases
	"github.com/trygg-est/trygg"
)

// tryggBin is the trygg binary, built once for the package by buildTrygg.
var tryggBin string

var (
	buildOnce sync.Once
	buildErr  error
	binDir    string
)

func TestMain(m *testing.M) {
	flag.Parse()
	// A test here spends much of its time waiting: for its server to
	// start, for the demo database that one test fills for all, for
	// PostgreSQL. With go test's default of one test per processor a
	// processor sits idle meanwhile. Chromium, the part that computes, stays
	// bounded by browsers, one per processor; an explicit -parallel wins.
	parallelSet := false
	flag.Visit(func(f *flag.Flag) { parallelSet = parallelSet || f.Name == "test.parallel" })
	if !parallelSet {
		if err := flag.Set("test.parallel", strconv.Itoa(2*runtime.GOMAXPROCS(0))); err != nil {
			panic(err)
		}
	}
	code := m.Run()
	stopChromium()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// buildTrygg builds ./cmd/trygg the first time a test needs it; tests that
// need no server do not pay for the build.
func buildTrygg(t testing.TB) {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "trygg-e2e-bin-")
		if buildErr != nil {
			return
		}
		tryggBin = filepath.Join(binDir, "trygg")
		build := exec.Command("go", "build", "-o", tryggBin, "./cmd/trygg")
		build.Dir = ".." // the module root
		if out, err := build.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/trygg: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
}

// Startup and shutdown limits. They are deadlines for conditions, not
// sleeps: the harness waits for the URL line or the process exit.
const (
	startTimeout     = 60 * time.Second
	demoStartTimeout = 5 * time.Minute // the demo data set is about 50,000 reports
	stopTimeout      = 30 * time.Second
)

// urlLinePrefix starts the line that trygg serve prints when it listens.
const urlLinePrefix = "Trygg körs på "

// serverOptions says how to start a server.
type serverOptions struct {
	// DB is the --db URL. Empty: a fresh SQLite file in a temporary directory.
	DB string
	// Demo passes --demo, which fills an empty database with the demo data.
	// Without DB the server starts on a copy of a database filled once.
	Demo bool
	// Env adds TRYGG_* variables (KEY=VALUE) to the child's environment.
	Env []string
}

// server is one running `trygg serve` child process.
type server struct {
	URL string // base URL without the trailing slash, e.g. http://127.0.0.1:40123
	DB  string // the --db URL, to restart on the same database or run the CLI

	cmd    *exec.Cmd
	exited chan struct{} // closed when the process has exited
	err    error         // cmd.Wait's result, set before exited is closed

	mu      sync.Mutex
	newLine chan struct{} // closed and replaced at every stdout line
	stdout  []string      // every stdout line so far
	stderr  bytes.Buffer  // every stderr byte so far
	done    bool          // stopped or killed on purpose
}

// sqliteURL returns a --db URL for a fresh SQLite file owned by the test.
func sqliteURL(t testing.TB) string {
	t.Helper()
	return "sqlite:" + filepath.Join(t.TempDir(), "trygg.db")
}

// tryggEnv returns the environment for a child trygg process: this
// process's environment without any TRYGG_ variable, so a developer's
// settings cannot leak into a test, plus extra.
func tryggEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TRYGG_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// startServer runs `trygg serve` on 127.0.0.1:0 and returns once it prints
// its URL. At cleanup it stops the server with SIGTERM and fails the test if
// it does not exit cleanly. The server's output goes to the test log when
// the test fails.
func startServer(t testing.TB, opts serverOptions) *server {
	t.Helper()
	buildTrygg(t)
	switch {
	case opts.DB != "":
	case opts.Demo:
		opts.DB = demoCopy(t)
	default:
		opts.DB = sqliteURL(t)
	}
	s, err := launch(opts)
	if s != nil {
		t.Cleanup(func() {
			if err := s.Stop(); err != nil {
				t.Error(err)
			}
			if t.Failed() {
				t.Log(s.output())
			}
		})
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The demo database: `trygg serve --demo` fills it once for the package
// (the data set is about 50,000 reports, most of a demo test's start), and
// each demo test on SQLite starts on a copy of its own. A server on a
// database that holds data loads nothing, as after any restart.
var (
	demoOnce sync.Once
	demoFile string
	demoErr  error
)

// demoCopy returns a --db URL for a copy of the demo database, owned by
// the test.
func demoCopy(t testing.TB) string {
	t.Helper()
	demoOnce.Do(func() {
		demoFile = filepath.Join(binDir, "demo.db")
		s, err := launch(serverOptions{DB: "sqlite:" + demoFile, Demo: true})
		if s != nil {
			if serr := s.Stop(); err == nil {
				err = serr
			}
		}
		if err != nil {
			demoErr = fmt.Errorf("fill the demo database: %w", err)
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	path := filepath.Join(t.TempDir(), "trygg.db")
	// A clean stop checkpoints the write-ahead log into the file; a log
	// left over is copied too, so that the copy is whole either way.
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(demoFile + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path+suffix, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return "sqlite:" + path
}

// launch starts `trygg serve` and waits for its URL line. When the server
// does not come up it returns an error that holds the server's output, and
// the process, if it was started, so that the caller can stop it.
func launch(opts serverOptions) (*server, error) {
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", opts.DB}
	timeout := startTimeout
	if opts.Demo {
		args = append(args, "--demo")
		timeout = demoStartTimeout
	}
	s := &server{DB: opts.DB, exited: make(chan struct{}), newLine: make(chan struct{})}
	s.cmd = exec.Command(tryggBin, args...)
	s.cmd.Env = tryggEnv(opts.Env...)
	// A test binary killed by its -timeout runs no cleanup; the kernel
	// then kills the server so that none is left running.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	s.cmd.Stderr = lockedWriter{&s.mu, &s.stderr}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start trygg serve: %w", err)
	}

	urlc := make(chan string, 1)
	stdoutDone := make(chan struct{})
	go func() {
		defer close(stdoutDone)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			s.stdout = append(s.stdout, line)
			close(s.newLine)
			s.newLine = make(chan struct{})
			s.mu.Unlock()
			if rest, ok := strings.CutPrefix(line, urlLinePrefix); ok {
				select {
				case urlc <- strings.TrimRight(strings.TrimSpace(rest), "/"):
				default:
				}
			}
		}
		// Drain after a scanner error so the child never blocks on a full pipe.
		io.Copy(io.Discard, stdout)
	}()
	go func() {
		<-stdoutDone // Wait closes the pipe, so it must not run before the pipe is read to the end
		s.err = s.cmd.Wait()
		close(s.exited)
	}()

	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	select {
	case u := <-urlc:
		if pu, err := url.Parse(u); err != nil || pu.Scheme != "http" || pu.Port() == "" || pu.Port() == "0" {
			return s, fmt.Errorf("trygg serve printed a bad URL line %q\n%s", u, s.output())
		}
		s.URL = u
		return s, nil
	case <-s.exited:
		return s, fmt.Errorf("trygg serve exited before it printed %q: %v\n%s", urlLinePrefix, s.err, s.output())
	case <-deadline.C:
		return s, fmt.Errorf("trygg serve printed no %q line within %v\n%s", urlLinePrefix, timeout, s.output())
	}
}

// Stdout returns the lines the server has printed so far.
func (s *server) Stdout() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.stdout...)
}

// waitStdout waits until done accepts the lines printed so far, the server
// exits, or the timeout passes; it reports whether done accepted them.
func (s *server) waitStdout(timeout time.Duration, done func(lines []string) bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		lines, next := append([]string(nil), s.stdout...), s.newLine
		s.mu.Unlock()
		if done(lines) {
			return true
		}
		select {
		case <-next:
		case <-s.exited:
			return done(s.Stdout())
		case <-deadline.C:
			return false
		}
	}
}

// demoLogins returns the logins that `serve --demo` prints after its URL,
// one per role: a line with the role's Swedish label, the e-mail and the
// password.
func demoLogins(t testing.TB, s *server) map[trygg.Role]account {
	t.Helper()
	logins := map[trygg.Role]account{}
	parse := func(lines []string) bool {
		for _, line := range lines {
			f := strings.Fields(line)
			if len(f) < 3 || !strings.Contains(f[len(f)-2], "@") {
				continue
			}
			label := strings.Join(f[:len(f)-2], " ") // labels may have spaces
			for _, r := range trygg.Roles {
				if label == r.Label() {
					logins[r] = account{Email: f[len(f)-2], Password: f[len(f)-1]}
				}
			}
		}
		return len(logins) == len(trygg.Roles)
	}
	if !s.waitStdout(startTimeout, parse) {
		t.Fatalf("trygg serve --demo printed logins for %d of %d roles:\n%s", len(logins), len(trygg.Roles), strings.Join(s.Stdout(), "\n"))
	}
	return logins
}

// Stderr returns what the server has written to stderr so far (its logs).
func (s *server) Stderr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

func (s *server) output() string {
	return fmt.Sprintf("trygg serve --db %s\n--- stdout:\n%s\n--- stderr:\n%s", s.DB, strings.Join(s.Stdout(), "\n"), tail(s.Stderr(), 20000))
}

// Stop sends SIGTERM and waits for a graceful exit. It returns an error if
// the server does not exit with status 0 in time. Stopping twice, or after
// Kill, does nothing.
func (s *server) Stop() error {
	if !s.markDone() {
		return nil
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("SIGTERM trygg serve: %w", err)
	}
	timer := time.NewTimer(stopTimeout)
	defer timer.Stop()
	select {
	case <-s.exited:
		if s.err != nil {
			return fmt.Errorf("trygg serve did not exit cleanly after SIGTERM: %w", s.err)
		}
		return nil
	case <-timer.C:
		s.cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("trygg serve did not exit within %v of SIGTERM", stopTimeout)
	}
}

// Kill sends SIGKILL and waits until the process is gone, as a crash would
// leave it. Restart the server on the same database with
// startServer(t, serverOptions{DB: s.DB}).
func (s *server) Kill() {
	if !s.markDone() {
		return
	}
	s.cmd.Process.Kill()
	<-s.exited
}

func (s *server) markDone() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return false
	}
	s.done = true
	return true
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// runTrygg runs a trygg subcommand with TRYGG_DB set to db and the given
// standard input, and returns its stdout and stderr.
func runTrygg(t testing.TB, db, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	buildTrygg(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tryggBin, args...)
	cmd.Env = tryggEnv("TRYGG_DB=" + db)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// cli runs a trygg subcommand that must succeed and returns its stdout.
func cli(t testing.TB, db, stdin string, args ...string) string {
	t.Helper()
	out, errOut, err := runTrygg(t, db, stdin, args...)
	if err != nil {
		t.Fatalf("trygg %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// account is a user the tests sign in as.
type account struct {
	Email, Password string
}

// addUser creates a user with the CLI in an organisation that must exist.
func addUser(t testing.TB, db, email, name, org string, role trygg.Role) account {
	t.Helper()
	pw := "e2e-" + randomWord(16)
	cli(t, db, pw+"\n", "user", "add", "--email", email, "--name", name, "--org", org, "--role", string(role), "--password-stdin")
	return account{Email: email, Password: pw}
}

// createToken makes an API token with the CLI and returns it.
func createToken(t testing.TB, db, email string) string {
	t.Helper()
	out := strings.TrimSpace(cli(t, db, "", "token", "create", "--user", email, "--name", "e2e"))
	lines := strings.Split(out, "\n")
	tok := strings.TrimSpace(lines[len(lines)-1])
	if tok == "" || strings.ContainsAny(tok, " \t") {
		t.Fatalf("trygg token create: last line %q is not a token", tok)
	}
	return tok
}

func randomWord(n int) string {
	const letters = "abcdefghijkmnopqrstuvwxyz23456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[rand.IntN(len(letters))]
	}
	return string(b)
}

// postgresDB creates a fresh PostgreSQL database for the test from the
// server named by TRYGG_TEST_POSTGRES, drops it at cleanup, and returns its
// URL. It skips the test when TRYGG_TEST_POSTGRES is unset.
func postgresDB(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TRYGG_TEST_POSTGRES")
	if base == "" {
		t.Skip("TRYGG_TEST_POSTGRES is not set; skipping the PostgreSQL run")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := "trygg_e2e_" + randomWord(10)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("TRYGG_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}
