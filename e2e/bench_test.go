package e2e

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
)

// The benchmarks behind docs/benchmarks.md. Each runs the real binary and
// measures its baseline in the same run; see that file for the commands.

// apiBenchClients is the number of concurrent API clients the goal names.
const apiBenchClients = 32

// probeDuration is how long each disk and SQLite probe runs.
const probeDuration = 2 * time.Second

// BenchmarkAPIWrites files b.N reports through POST /api/v1/reports from
// 32 concurrent clients against a server on SQLite (WAL, synchronous=FULL),
// and reports the acknowledged reports per second and the p50 and p99
// latency. Beside them it reports, measured in the same run on the same
// disk, the disk's own rate of small write+fdatasync rounds (the ceiling
// for one durable commit per report) and the rate of one-row SQLite commits
// (what the server would reach without group commit).
//
//	go test ./e2e -run '^$' -bench BenchmarkAPIWrites -benchtime 20000x
func BenchmarkAPIWrites(b *testing.B) {
	dir := b.TempDir()
	fsyncs, err := fsyncRate(dir, probeDuration)
	if err != nil {
		b.Fatalf("fsync probe: %v", err)
	}
	commits, err := sqliteCommitRate(dir, probeDuration)
	if err != nil {
		b.Fatalf("SQLite commit probe: %v", err)
	}
	dbPath := filepath.Join(dir, "trygg.db")
	db := "sqlite:" + dbPath
	fx := seedWriterFixture(b, db)
	srv := startServer(b, serverOptions{DB: db})
	client := newAPIClient(srv.URL, fx.token, apiBenchClients)
	defer client.close()

	// Bodies are made before the clock starts: the clients share the two
	// cores with the server, and their own work should not count against it.
	occurredAt := time.Now().Add(-time.Hour)
	bodies := make([][]byte, apiBenchClients)
	for c := range bodies {
		bodies[c] = reportJSON(fx.areas[c%len(fx.areas)], fx.category, c, 0, occurredAt)
	}
	var (
		next      atomic.Int64
		latencies = make([][]time.Duration, apiBenchClients)
		wg        sync.WaitGroup
		failures  atomic.Int64
	)
	b.ResetTimer()
	clientCPU := selfCPUTime(b)
	start := time.Now()
	for c := range apiBenchClients {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				t0 := time.Now()
				_, status, err := client.createReport(context.Background(), bodies[c])
				d := time.Since(t0)
				if err != nil || status != http.StatusCreated {
					if failures.Add(1) == 1 {
						b.Errorf("POST /api/v1/reports = %d, %v; want 201", status, err)
					}
					continue
				}
				latencies[c] = append(latencies[c], d)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	clientCPU = selfCPUTime(b) - clientCPU
	b.StopTimer()

	load := loadAverage()
	sorted := sortedDurations(latencies)
	srv.Stop()
	// The server's whole life, start and shutdown included, which the
	// thousands of reports dwarf.
	serverCPU := srv.cmd.ProcessState.UserTime() + srv.cmd.ProcessState.SystemTime()
	if stored := countRows(b, dbPath, "reports"); stored != len(sorted) {
		b.Errorf("%d reports acknowledged but %d stored", len(sorted), stored)
	}
	if mode := journalMode(b, dbPath); mode != "wal" {
		b.Errorf("the server left the database in journal mode %q; the goal is for WAL", mode)
	}
	b.ReportMetric(float64(len(sorted))/elapsed.Seconds(), "reports/s")
	b.ReportMetric(millis(percentile(sorted, 50)), "p50-ms")
	b.ReportMetric(millis(percentile(sorted, 99)), "p99-ms")
	b.ReportMetric(millis(percentile(sorted, 100)), "max-ms")
	b.ReportMetric(fsyncs, "disk-fsyncs/s")
	b.ReportMetric(commits, "sqlite-commits/s")
	b.ReportMetric(load, "loadavg")
	if n := len(sorted); n > 0 {
		b.ReportMetric(float64(serverCPU.Microseconds())/float64(n), "server-cpu-µs/report")
		b.ReportMetric(float64(clientCPU.Microseconds())/float64(n), "client-cpu-µs/report")
	}
}

// importBenchRows is the size of the generated CSV file.
const importBenchRows = 200_000

// BenchmarkImportReports imports a generated CSV file of 200,000 valid
// reports with `trygg import reports`, end to end (process start,
// validation of every row, one transaction), into a database holding the
// fixture's organisation and areas. In the same run it times the baseline:
// the sqlite3 command-line tool's .import of the same file into a plain
// table. It reports rows per second for both.
//
//	go test ./e2e -run '^$' -bench BenchmarkImportReports -benchtime 1x
func BenchmarkImportReports(b *testing.B) {
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Fatal("the baseline needs the sqlite3 command-line tool: apt-get install sqlite3")
	}
	dir := b.TempDir()
	template := filepath.Join(dir, "template.db")
	fx := seedWriterFixture(b, "sqlite:"+template)
	csvPath := filepath.Join(dir, "reports.csv")
	writeImportCSV(b, csvPath, fx, importBenchRows)

	var tryggTime, baselineTime, tryggCPU, baselineCPU time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		target := filepath.Join(dir, fmt.Sprintf("import-%d.db", i))
		copyFile(b, template, target)
		b.StartTimer()

		t0 := time.Now()
		importCmd := exec.Command(tryggBin, "import", "reports", csvPath, "--org", fx.org)
		importCmd.Env = tryggEnv("TRYGG_DB=sqlite:" + target)
		tryggCPU += runTimed(b, importCmd)
		tryggTime += time.Since(t0)

		b.StopTimer()
		baseline := filepath.Join(dir, fmt.Sprintf("baseline-%d.db", i))
		t0 = time.Now()
		baselineCPU += runTimed(b, exec.Command(sqlite3, baseline, ".mode csv", ".import "+csvPath+" reports"))
		baselineTime += time.Since(t0)
		if got := countRows(b, target, "reports"); got != importBenchRows {
			b.Fatalf("trygg import stored %d reports, want %d", got, importBenchRows)
		}
		if got := countRows(b, baseline, "reports"); got != importBenchRows {
			b.Fatalf("sqlite3 .import stored %d rows, want %d", got, importBenchRows)
		}
		b.StartTimer()
	}
	b.StopTimer()
	load := loadAverage()
	rows := float64(importBenchRows * b.N)
	b.ReportMetric(rows/tryggTime.Seconds(), "rows/s")
	b.ReportMetric(rows/baselineTime.Seconds(), "sqlite3-rows/s")
	b.ReportMetric(rows/tryggCPU.Seconds(), "rows/cpu-s")
	b.ReportMetric(rows/baselineCPU.Seconds(), "sqlite3-rows/cpu-s")
	b.ReportMetric(load, "loadavg")
}

// runTimed runs cmd, which must succeed, and returns the CPU time it used
// (user and system): on a busy machine that says more about the program
// than the wall time does.
func runTimed(t testing.TB, cmd *exec.Cmd) time.Duration {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, tail(out.String(), 4000))
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// selfCPUTime returns the CPU time (user and system) this process has used.
func selfCPUTime(t testing.TB) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// writeImportCSV writes n valid report rows for the fixture's areas,
// spread over three years, with a header line.
func writeImportCSV(t testing.TB, path string, fx writerFixture, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	categories := []string{"skadegorelse", "klotter", "ungdomar_stok", "narkotika_fynd", "otrygg_belysning", "nedskrapning", "inbrott"}
	descriptions := []string{
		"Krossad ruta i busskuren vid hållplatsen.",
		"Nytt klotter på gavelväggen, cirka två meter brett.",
		"Grupp ungdomar som samlades och spelade hög musik, lugnt efter en stund.",
		"Fynd av misstänkt narkotika i rabatten vid lekplatsen.",
		"Trasig belysning längs gångvägen gör platsen mörk och otrygg.",
		"Mycket skräp, \"som vanligt\" enligt personalen, vid återvinningen.",
		"Inbrott i förråd i källaren, dörren uppbruten.",
	}
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	span := 3 * 365 * 24 * time.Hour
	fmt.Fprintln(w, "occurred_at,area,category,severity,place_type,description")
	for i := range n {
		at := start.Add(time.Duration(int64(span) / int64(n) * int64(i)))
		fmt.Fprintf(w, "%s,%s,%s,%d,%s,%s\n",
			at.Format(time.RFC3339),
			fx.areas[i%len(fx.areas)],
			categories[i%len(categories)],
			1+i%3,
			trygg.PlaceTypes[i%len(trygg.PlaceTypes)].Code,
			csvQuote(descriptions[i%len(descriptions)]))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func csvQuote(s string) string {
	if !strings.ContainsAny(s, ",\"\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// countRows counts the rows of table in the SQLite file at path.
func countRows(t testing.TB, path, table string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatalf("count %s in %s: %v", table, path, err)
	}
	return n
}

// journalMode returns the journal mode stored in the SQLite file at path.
func journalMode(t testing.TB, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatalf("journal_mode of %s: %v", path, err)
	}
	return mode
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
