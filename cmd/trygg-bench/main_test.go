package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun fills a small database and runs every measurement once: the
// command must print a row per goal, and a second run must reuse the data.
func TestRun(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "bench.db")
	args := []string{"--db", db, "--reports", "3000", "--runs", "2", "--baseline-runs", "1",
		"--filing", "200ms", "--writers", "4", "--page-runs", "0"}
	var out, log bytes.Buffer
	if err := run(t.Context(), args, &out, &log); err != nil {
		t.Fatalf("run: %v\n%s", err, log.String())
	}
	for _, want := range []string{
		"weekly counts per area × category × week, 2 years (count tables)",
		"the same from the reports table (plain GROUP BY)",
		"speed-up, p50 against p50",
		"detection for the current week, 1000 series, noufaily",
		"detection for the current week, 1000 series, ears-c2",
		"filing reports, 4 callers",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(log.String(), "generating about 3000 more") {
		t.Errorf("first run did not generate: %s", log.String())
	}
	log.Reset()
	if err := run(t.Context(), args, &out, &log); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(log.String(), "generating") {
		t.Errorf("second run generated again: %s", log.String())
	}
}

// TestFrontLoad loads the front page briefly with a few clients: the
// command prints wrk's figures.
func TestFrontLoad(t *testing.T) {
	t.Parallel()
	var out, log bytes.Buffer
	if err := run(t.Context(), []string{"--front-clients", "4", "--front-duration", "300ms"}, &out, &log); err != nil {
		t.Fatalf("run: %v\n%s", err, log.String())
	}
	for _, want := range []string{"GET / as anonymous visitors, 4 clients", "requests/s", "p95", "Goal p95 < 50 ms at 200 clients"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
