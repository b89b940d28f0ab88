package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/demo"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/web"
)

// frontLoad is the result of loading the public front page.
type frontLoad struct {
	requests, failed int
	elapsed          time.Duration
	latencies        []time.Duration // sorted
	bytes            int64
	firstRender      time.Duration   // the first request, before the page is cached
	handler          []time.Duration // the server's time per request, sorted
}

// benchFront loads the demo data set into a new SQLite database, starts
// the real server on a loopback port and has clients anonymous visitors
// GET / in a loop for d, each on its own keep-alive connection, as wrk
// does: the public front page under load.
func benchFront(ctx context.Context, clients int, d time.Duration, log io.Writer) (*frontLoad, error) {
	dir, err := os.MkdirTemp("", "trygg-bench-front-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := sqldb.Open(ctx, "sqlite:"+filepath.Join(dir, "demo.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	services := sqldb.NewServices(db)
	fmt.Fprintln(log, "loading the demo data set for the front page")
	if err := demo.Load(trygg.NewOperatorContext(ctx), services, demo.Generate(1, time.Now())); err != nil {
		return nil, err
	}
	h, err := web.NewServer(web.Config{Services: services, Demo: true})
	if err != nil {
		return nil, err
	}
	res := &frontLoad{}
	// The server's own time per request, from the handler's first line
	// to its last write, apart from the time the answer waits for a CPU
	// or the network before and after.
	var hmu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h.ServeHTTP(w, r)
		d := time.Since(start)
		hmu.Lock()
		res.handler = append(res.handler, d)
		hmu.Unlock()
	}))
	defer srv.Close()
	get := func(c *http.Client) (time.Duration, int64, error) {
		start := time.Now()
		resp, err := c.Get(srv.URL + "/")
		if err != nil {
			return 0, 0, err
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET /: %d", resp.StatusCode)
		}
		return time.Since(start), n, err
	}
	first, _, err := get(srv.Client())
	if err != nil {
		return nil, err
	}
	res.firstRender = first

	fmt.Fprintf(log, "%d clients for %s\n", clients, d)
	var mu sync.Mutex
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	start := time.Now()
	for range clients {
		wg.Go(func() {
			c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			defer c.CloseIdleConnections()
			var lat []time.Duration
			var bytes int64
			failed := 0
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t, n, err := get(c)
				if err != nil {
					failed++
					continue
				}
				lat = append(lat, t)
				bytes += n
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			res.bytes += bytes
			res.failed += failed
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.requests = len(res.latencies)
	slices.Sort(res.latencies)
	slices.Sort(res.handler)
	if res.requests == 0 {
		return nil, fmt.Errorf("no request succeeded (%d failed)", res.failed)
	}
	return res, nil
}

// report writes the result in wrk's terms.
func (f *frontLoad) report(w io.Writer, clients int) {
	fmt.Fprintf(w, "GET / as anonymous visitors, %d clients (keep-alive), %s, %d CPUs, %s, load average %s.\n\n",
		clients, f.elapsed.Round(time.Millisecond), runtime.NumCPU(), runtime.Version(), loadAverage())
	fmt.Fprintf(w, "| requests | failed | requests/s | transfer/s | p50 | p75 | p90 | p95 | p99 | max | first (uncached) render |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|---|\n")
	mb := float64(f.bytes) / f.elapsed.Seconds() / (1 << 20)
	fmt.Fprintf(w, "| %d | %d | %.0f | %.1f MB | %s | %s | %s | %s | %s | %s | %s |\n", f.requests, f.failed,
		float64(f.requests)/f.elapsed.Seconds(), mb,
		round(percentile(f.latencies, 50)), round(percentile(f.latencies, 75)), round(percentile(f.latencies, 90)),
		round(percentile(f.latencies, 95)), round(percentile(f.latencies, 99)), round(f.latencies[len(f.latencies)-1]),
		round(f.firstRender))
	fmt.Fprintf(w, "\nThe server's own time per request (in the handler): p50 %s, p95 %s, p99 %s.\n",
		round(percentile(f.handler, 50)), round(percentile(f.handler, 95)), round(percentile(f.handler, 99)))
	goal := "met"
	if percentile(f.latencies, 95) >= 50*time.Millisecond {
		goal = "NOT met"
	}
	fmt.Fprintf(w, "\nGoal p95 < 50 ms at 200 clients: %s.\n", goal)
}
