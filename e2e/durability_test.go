package e2e

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var durabilitySeed = flag.Uint64("durability-seed", 0, "seed for the moments TestDurability kills the server; 0 picks one and logs it")

// Durability: the server promises that a report it acknowledged with 201 is
// never lost. The test holds it to that: 16 writers file reports through
// the API while the server is killed with SIGKILL at a random moment, a few
// times over, and after each restart every acknowledged report must be
// there, unchanged.
const (
	durabilityWriters = 16
	durabilityCycles  = 3
	// The kill comes after this many acknowledged writes in the cycle,
	// chosen at random: early enough to keep the test short, late enough
	// that all writers are in full flow.
	minAcksBeforeKill = 100
	maxAcksBeforeKill = 1000
	// cycleTimeout bounds one cycle of writing, in case the server stops
	// answering; it is a deadline, not a pause.
	cycleTimeout = 40 * time.Second
)

func TestDurability(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("kills and restarts the server several times; skipped with -short")
	}
	seed := *durabilitySeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun with -args -durability-seed=%d)", seed, seed)

	// The two databases run side by side: most of a cycle is waiting on
	// the network and the disk, so together they take little longer than
	// one.
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		db := sqliteURL(t)
		testDurability(t, db, rand.New(rand.NewPCG(seed, 1)))
		path := strings.TrimPrefix(db, "sqlite:")
		if got := sqliteIntegrity(t, path); got != "ok" {
			t.Errorf("PRAGMA integrity_check after the last, graceful stop = %q, want ok", got)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		testDurability(t, postgresDB(t), rand.New(rand.NewPCG(seed, 2)))
	})
}

// testDurability runs the kill cycles on one database and leaves the
// server stopped gracefully.
func testDurability(t *testing.T, db string, rng *rand.Rand) {
	fx := seedWriterFixture(t, db)
	acked := make(map[int64]string) // report ID → description, across all cycles
	srv := startServer(t, serverOptions{DB: db})
	for cycle := range durabilityCycles {
		killAt := minAcksBeforeKill + rng.IntN(maxAcksBeforeKill-minAcksBeforeKill+1)
		got := writeUntilKilled(t, srv, fx, cycle, killAt)
		if t.Failed() {
			return
		}
		t.Logf("cycle %d: killed after %d acknowledged writes (%d acknowledged in all, incl. in-flight)", cycle+1, killAt, len(got))
		for id, desc := range got {
			if prev, dup := acked[id]; dup {
				t.Fatalf("report id %d acknowledged twice: %q and %q", id, prev, desc)
			}
			acked[id] = desc
		}
		if path, ok := strings.CutPrefix(db, "sqlite:"); ok {
			// Check a copy of the files as the crash left them, so that
			// the restarted server still recovers from the crash itself.
			crashCopy := filepath.Join(t.TempDir(), "crash.db")
			copyFile(t, path, crashCopy)
			if got := sqliteIntegrity(t, crashCopy); got != "ok" {
				t.Fatalf("cycle %d: PRAGMA integrity_check after SIGKILL = %q, want ok", cycle+1, got)
			}
		}
		srv = startServer(t, serverOptions{DB: db})
		checkAcknowledged(t, srv, fx.token, acked)
		if t.Failed() {
			return
		}
	}
	srv.Stop()
	if path, ok := strings.CutPrefix(db, "sqlite:"); ok {
		checkAcknowledgedInFile(t, path, acked)
	}
}

// writeUntilKilled runs the writers against srv, kills srv with SIGKILL
// once killAt writes were acknowledged, waits for every writer to notice,
// and returns every report acknowledged in the cycle, including those
// acknowledged while the kill was on its way.
func writeUntilKilled(t *testing.T, srv *server, fx writerFixture, cycle, killAt int) map[int64]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cycleTimeout)
	defer cancel()
	client := newAPIClient(srv.URL, fx.token, durabilityWriters)
	defer client.close()

	var (
		acks    atomic.Int64
		killNow = make(chan struct{})
		trigger sync.Once
		killed  atomic.Bool

		mu    sync.Mutex
		got   = make(map[int64]string)
		wg    sync.WaitGroup
		errMu sync.Mutex
		errs  []error
	)
	fail := func(err error) {
		errMu.Lock()
		defer errMu.Unlock()
		errs = append(errs, err)
	}
	occurredAt := time.Now().Add(-time.Hour)
	for w := range durabilityWriters {
		writer := cycle*durabilityWriters + w
		wg.Go(func() {
			for seq := 0; ; seq++ {
				body := reportJSON(fx.area, fx.category, writer, seq, occurredAt)
				id, status, err := client.createReport(ctx, body)
				switch {
				case err != nil && killed.Load():
					return // the server is gone, as intended
				case err != nil:
					fail(err)
					return
				case status != http.StatusCreated:
					fail(errors.New("POST /api/v1/reports answered " + http.StatusText(status)))
					return
				}
				mu.Lock()
				got[id] = reportDescription(writer, seq)
				mu.Unlock()
				if acks.Add(1) == int64(killAt) {
					trigger.Do(func() { close(killNow) })
				}
			}
		})
	}
	allDone := make(chan struct{})
	go func() { wg.Wait(); close(allDone) }()

	select {
	case <-killNow:
		killed.Store(true)
		srv.Kill()
	case <-allDone:
		// Every writer stopped before the kill: each one failed.
	case <-ctx.Done():
		t.Errorf("cycle %d: only %d of %d writes acknowledged within %v", cycle+1, acks.Load(), killAt, cycleTimeout)
		killed.Store(true)
		srv.Kill()
	}
	<-allDone
	for _, err := range errs {
		t.Errorf("cycle %d: writer failed before the kill: %v", cycle+1, err)
	}
	return got
}

// checkAcknowledged reads every acknowledged report back through the API of
// the restarted server and compares its description.
func checkAcknowledged(t *testing.T, srv *server, token string, acked map[int64]string) {
	t.Helper()
	const readers = 8
	client := newAPIClient(srv.URL, token, readers)
	defer client.close()
	ids := make(chan int64)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		missing []int64
		wrong   []string
	)
	for range readers {
		wg.Go(func() {
			for id := range ids {
				r, status, err := client.getReport(context.Background(), id)
				mu.Lock()
				switch {
				case err != nil:
					wrong = append(wrong, err.Error())
				case status == http.StatusNotFound:
					missing = append(missing, id)
				case status != http.StatusOK:
					wrong = append(wrong, "GET report answered "+http.StatusText(status))
				case r.Description != acked[id]:
					wrong = append(wrong, "report has description "+r.Description+", want "+acked[id])
				}
				mu.Unlock()
			}
		})
	}
	for id := range acked {
		ids <- id
	}
	close(ids)
	wg.Wait()
	if len(missing) > 0 {
		t.Errorf("%d of %d acknowledged reports are lost after the restart, e.g. id %d", len(missing), len(acked), missing[0])
	}
	if len(wrong) > 0 {
		t.Errorf("%d acknowledged reports read back wrong, e.g. %s", len(wrong), wrong[0])
	}
}

// checkAcknowledgedInFile looks for every acknowledged report in the
// stopped server's SQLite file itself.
func checkAcknowledgedInFile(t *testing.T, path string, acked map[int64]string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lost := 0
	for id, desc := range acked {
		var got string
		err := db.QueryRow("SELECT description FROM reports WHERE id = $1", id).Scan(&got)
		if err != nil || got != desc {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged reports are missing or changed in %s", lost, len(acked), path)
	}
}
