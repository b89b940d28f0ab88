// Command trygg-bench measures the lägesbild's performance goals against
// one database in one run, and prints the figures as a Markdown table for
// docs/benchmarks.md:
//
//   - the weekly situational-picture query (counts per area × category ×
//     ISO week over two years) on the count tables, against the plain
//     GROUP BY over the reports table;
//   - detection for the current week over every series, with noufaily and
//     with EARS C2, on series read from the database;
//   - filing reports, with the counts kept up to date, from concurrent
//     callers.
//
// The first run fills the database with a synthetic municipality (40
// districts, 25 categories, 5 years, --reports reports); later runs reuse
// it.
//
//	go run ./cmd/trygg-bench --db sqlite:/var/tmp/trygg-bench.db --reports 10000000
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/detect"
	"github.com/trygg-est/trygg/sqldb"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "trygg-bench:", err)
		os.Exit(1)
	}
}

// benchEnd is the last day of the synthetic data: fixed, so that every
// run measures the same weeks.
var benchEnd = trygg.DateDay(2026, time.November, 22)

func run(ctx context.Context, args []string, stdout, log io.Writer) error {
	fs := flag.NewFlagSet("trygg-bench", flag.ContinueOnError)
	dbURL := fs.String("db", "sqlite:/var/tmp/trygg-bench.db", "database: sqlite:PATH or postgres://…")
	total := fs.Int("reports", 10_000_000, "how many reports the database should hold")
	runs := fs.Int("runs", 50, "repetitions of the weekly query")
	baselineRuns := fs.Int("baseline-runs", 3, "repetitions of the plain GROUP BY (slow)")
	filing := fs.Duration("filing", 5*time.Second, "how long to file reports")
	writers := fs.Int("writers", 32, "concurrent callers filing reports")
	pageRuns := fs.Int("page-runs", 100, "renders of each lägesbild page on the demo data (0: skip)")
	// The public front page under load (issue 13): only this, when set.
	frontClients := fs.Int("front-clients", 0, "load the public front page with this many concurrent anonymous clients instead (0: skip)")
	frontFor := fs.Duration("front-duration", 10*time.Second, "how long to load the front page")
	onlyPages := fs.Bool("only-pages", false, "time only the lägesbild pages on the demo data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *frontClients > 0 {
		res, err := benchFront(ctx, *frontClients, *frontFor, log)
		if err != nil {
			return err
		}
		res.report(stdout, *frontClients)
		return nil
	}
	if *onlyPages {
		fmt.Fprintf(stdout, "Demo data; %d CPUs, %s, load average %s.\n\n| measurement | p50 | p95 | runs | goal |\n|---|---|---|---|---|\n",
			runtime.NumCPU(), runtime.Version(), loadAverage())
		return pageRows(ctx, stdout, log, *pageRuns)
	}
	db, err := sqldb.Open(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	services := sqldb.NewServices(db)
	op := trygg.NewOperatorContext(ctx)
	w, err := setUpWorld(op, services, benchEnd)
	if err != nil {
		return err
	}
	have, err := countReports(ctx, *dbURL)
	if err != nil {
		return err
	}
	if have < *total*9/10 {
		fmt.Fprintf(log, "the database holds %d reports; generating about %d more\n", have, *total-have)
		if err := w.generate(op, services, *total-have, log); err != nil {
			return err
		}
		if have, err = countReports(ctx, *dbURL); err != nil {
			return err
		}
	}

	fmt.Fprintf(stdout, "Database %s, dialect %s, %d reports; %d CPUs, %s, load average %s.\n\n",
		redact(*dbURL), db.Dialect(), have, runtime.NumCPU(), runtime.Version(), loadAverage())
	fmt.Fprintln(stdout, "| measurement | p50 | p95 | runs | goal |")
	fmt.Fprintln(stdout, "|---|---|---|---|---|")

	twoYears := trygg.CountFilter{From: benchEnd - 2*364, To: benchEnd}
	weekly, err := timeRuns(*runs, func() error {
		_, err := services.Counts.CountWeeks(op, twoYears)
		return err
	})
	if err != nil {
		return err
	}
	row(stdout, "weekly counts per area × category × week, 2 years (count tables)", weekly, "p50 ≤ 20 ms")
	baseline, err := timeRuns(*baselineRuns, func() error { return plainGroupBy(ctx, *dbURL, twoYears) })
	if err != nil {
		return err
	}
	row(stdout, "the same from the reports table (plain GROUP BY)", baseline, "")
	fmt.Fprintf(stdout, "| speed-up, p50 against p50 | %.0f× | | | ≥ 100× |\n", float64(percentile(baseline, 50))/float64(percentile(weekly, 50)))

	history := trygg.CountFilter{From: benchEnd.Monday() - trygg.Day(7*(w.weeks()-1)), To: benchEnd}
	var cube *trygg.WeekCube
	read, err := timeRuns(*runs/5+1, func() error {
		cube, err = services.Counts.CountWeeks(op, history)
		return err
	})
	if err != nil {
		return err
	}
	row(stdout, fmt.Sprintf("read every series, %d weeks (count tables)", cube.Weeks), read, "")
	for _, m := range []struct {
		method detect.Method
		goal   string
	}{{detect.Noufaily, "< 250 ms"}, {detect.EARSC2, "< 5 ms"}} {
		d, err := timeRuns(*runs/5+1, func() error { return detectCurrentWeek(cube, len(w.areas)*len(w.categories), m.method) })
		if err != nil {
			return err
		}
		row(stdout, fmt.Sprintf("detection for the current week, %d series, %s", len(w.areas)*len(w.categories), m.method), d, m.goal)
	}

	rate, p50, p99, err := fileReports(ctx, services, w, *filing, *writers)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "| filing reports, %d callers for %s, counts kept | %s (p99 %s) | | %.0f reports/s | ≥ 1,000/s |\n",
		*writers, *filing, p50.Round(10*time.Microsecond), p99.Round(10*time.Microsecond), rate)
	if *pageRuns == 0 {
		return nil
	}
	return pageRows(ctx, stdout, log, *pageRuns)
}

// pageRows times the lägesbild pages on the demo data and prints a row
// for each.
func pageRows(ctx context.Context, stdout, log io.Writer, runs int) error {
	fmt.Fprintln(log, "loading the demo data set for the page timings")
	pages, err := timePages(ctx, runs, []string{"/lagesbild", "/lagesbild?period=ar", "/lagesbild/omrade/alidhem",
		"/lagesbild?nattvandring=visa", "/lagesbild?period=ar&nattvandring=visa"}) // the last two: issue 15's overlay
	if err != nil {
		return err
	}
	for _, p := range pages {
		if strings.HasPrefix(p.path, "(") {
			row(stdout, "demo data, samordnare: "+strings.Trim(p.path, "()"), p.times, "")
			continue
		}
		row(stdout, "demo data, samordnare: GET "+p.path, p.times, "p95 < 100 ms")
	}
	return nil
}

// timeRuns times n calls of fn, after one warm-up call.
func timeRuns(n int, fn func() error) ([]time.Duration, error) {
	if err := fn(); err != nil {
		return nil, err
	}
	out := make([]time.Duration, n)
	for i := range out {
		start := time.Now()
		if err := fn(); err != nil {
			return nil, err
		}
		out[i] = time.Since(start)
	}
	slices.Sort(out)
	return out, nil
}

func percentile(sorted []time.Duration, p int) time.Duration {
	return sorted[min(len(sorted)-1, (len(sorted)*p)/100)]
}

func row(w io.Writer, what string, d []time.Duration, goal string) {
	fmt.Fprintf(w, "| %s | %s | %s | %d | %s |\n", what, round(percentile(d, 50)), round(percentile(d, 95)), len(d), goal)
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(10 * time.Millisecond)
	case d > time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// openRaw opens the database behind the store's back, for the baseline
// and for counting rows.
func openRaw(dbURL string) (*sql.DB, error) {
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		return sql.Open("sqlite", "file:"+path+"?mode=ro")
	}
	return sql.Open("pgx", dbURL)
}

func countReports(ctx context.Context, dbURL string) (int, error) {
	raw, err := openRaw(dbURL)
	if err != nil {
		return 0, err
	}
	defer raw.Close()
	var n int
	err = raw.QueryRowContext(ctx, "SELECT COUNT(*) FROM reports").Scan(&n)
	return n, err
}

// plainGroupBy is the baseline: the weekly counts straight from the
// reports table. Weeks are Monday-based in UTC+1 (no daylight saving):
// close enough for a baseline, and no slower than the exact rule.
func plainGroupBy(ctx context.Context, dbURL string, f trygg.CountFilter) error {
	raw, err := openRaw(dbURL)
	if err != nil {
		return err
	}
	defer raw.Close()
	const week = "(occurred_at + 3600000 + 3 * 86400000) / 604800000"
	rows, err := raw.QueryContext(ctx, `SELECT area_code, category, `+week+` AS week, COUNT(*) FROM reports
		WHERE deleted_at IS NULL AND occurred_at >= $1 AND occurred_at < $2 GROUP BY area_code, category, week`,
		f.From.Start().UnixMilli(), (f.To + 1).Start().UnixMilli())
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var area, category string
		var week, n int64
		if err := rows.Scan(&area, &category, &week, &n); err != nil {
			return err
		}
	}
	return rows.Err()
}

// detectCurrentWeek runs method on the last week of every area ×
// category series; series with no report at all are all zeros.
func detectCurrentWeek(cube *trygg.WeekCube, series int, method detect.Method) error {
	zeros := make([]int, cube.Weeks)
	for i := range series {
		counts := zeros
		if i < len(cube.Series) {
			counts = cube.Series[i].Counts
		}
		if r := detect.Evaluate(counts, method, len(counts)-1); len(r) != 1 {
			return errors.New("current week not evaluated")
		}
	}
	return nil
}

// fileReports files reports from writers goroutines for d and returns the
// rate of successful filings and their latency.
func fileReports(ctx context.Context, s app.Services, w *world, d time.Duration, writers int) (float64, time.Duration, time.Duration, error) {
	op := trygg.NewOperatorContext(ctx)
	email := "rapportor@bench.example"
	users, err := s.Users.FindUsers(op, trygg.UserFilter{Email: &email})
	if err != nil {
		return 0, 0, 0, err
	}
	var user *trygg.User
	if len(users) > 0 {
		user = users[0]
	} else {
		if user, err = s.Users.CreateUser(op, trygg.NewUser{Email: email, Name: "Benchmark", OrgCode: w.orgs[0], Roles: []trygg.Role{trygg.RoleRapportor}}); err != nil {
			return 0, 0, 0, err
		}
	}
	uctx := trygg.NewContextWithUser(ctx, user)
	var filed atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	var firstErr error
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			var mine []time.Duration
			for i := 0; time.Now().Before(deadline); i++ {
				start := time.Now()
				_, err := s.Reports.CreateReport(uctx, trygg.ReportInput{
					OccurredAt: start.Add(-time.Hour), AreaCode: w.areas[(g+i)%len(w.areas)].Code,
					Category: w.categories[i%len(w.categories)], PlaceType: "centrum", Severity: 2,
					Description: "Syntetisk rapport för prestandamätning.",
				})
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(start))
				filed.Add(1)
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if firstErr != nil {
		return 0, 0, 0, firstErr
	}
	slices.Sort(latencies)
	return float64(filed.Load()) / d.Seconds(), percentile(latencies, 50), percentile(latencies, 99), nil
}

// redact drops a password from a PostgreSQL URL.
func redact(dbURL string) string {
	if i := strings.Index(dbURL, "@"); i > 0 && strings.Contains(dbURL[:i], "://") {
		scheme, _, _ := strings.Cut(dbURL, "://")
		return scheme + "://…" + dbURL[i:]
	}
	return dbURL
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Fields(string(b))[0]
}
