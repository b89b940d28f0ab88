package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver, to check files the server wrote

	"github.com/trygg-est/trygg"
)

// This file holds what the durability test, the two-instance test and the
// benchmarks share: an API client that files reports, latency statistics,
// and probes of how fast the disk and SQLite can commit.

// apiClient files and reads reports through the JSON API with a bearer
// token, keeping enough idle connections for every concurrent caller.
type apiClient struct {
	baseURL string
	token   string
	http    *http.Client
}

func newAPIClient(baseURL, token string, concurrency int) *apiClient {
	tr := &http.Transport{
		MaxIdleConns:        concurrency,
		MaxIdleConnsPerHost: concurrency,
		IdleConnTimeout:     time.Minute,
	}
	return &apiClient{
		baseURL: strings.TrimSuffix(baseURL, "/"),
		token:   token,
		http:    &http.Client{Transport: tr, Timeout: 30 * time.Second},
	}
}

// close drops the idle connections, so a killed server's sockets are not
// reused after a restart.
func (c *apiClient) close() { c.http.CloseIdleConnections() }

// createReport posts body to /api/v1/reports. It returns the new ID when
// the server answered 201, the status otherwise, and an error only when no
// answer came (the server is gone) or a 201 carried no usable ID.
func (c *apiClient) createReport(ctx context.Context, body []byte) (id int64, status int, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+"/api/v1/reports", bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, resp.StatusCode, err
	}
	if resp.StatusCode != http.StatusCreated {
		return 0, resp.StatusCode, nil
	}
	var r trygg.Report
	if err := json.Unmarshal(data, &r); err != nil || r.ID <= 0 {
		return 0, resp.StatusCode, fmt.Errorf("201 without a report id: %.200s", data)
	}
	return r.ID, resp.StatusCode, nil
}

// getReport reads /api/v1/reports/{id}; the report is nil unless the status
// is 200.
func (c *apiClient) getReport(ctx context.Context, id int64) (*trygg.Report, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/api/v1/reports/%d", c.baseURL, id), nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, resp.StatusCode, err
	}
	var r trygg.Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, resp.StatusCode, fmt.Errorf("decode report %d: %w", id, err)
	}
	return &r, resp.StatusCode, nil
}

// reportJSON is a valid POST /api/v1/reports body. The description names
// the writer and its sequence number so that a stored report can be matched
// to the request that made it; the numbers are short and never start with
// 0, so the personal-data check cannot take them for a phone number.
func reportJSON(area, category string, writer, seq int, occurredAt time.Time) []byte {
	body, err := json.Marshal(map[string]any{
		"occurred_at": occurredAt.UTC().Format(time.RFC3339),
		"area":        area,
		"category":    category,
		"severity":    1 + (writer+seq)%3,
		"place_type":  trygg.PlaceTypes[(writer+seq)%len(trygg.PlaceTypes)].Code,
		"description": reportDescription(writer, seq),
	})
	if err != nil {
		panic(err) // a map of strings and ints always marshals
	}
	return body
}

func reportDescription(writer, seq int) string {
	return fmt.Sprintf("Klotter på busskuren, skrivare %d, rapport %d.", writer+1, seq+1)
}

// percentile returns the p-th percentile (0 < p ≤ 100) of sorted
// durations by the nearest-rank method.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

func sortedDurations(parts [][]time.Duration) []time.Duration {
	var all []time.Duration
	for _, p := range parts {
		all = append(all, p...)
	}
	slices.Sort(all)
	return all
}

// fsyncRate measures how many small write+fdatasync rounds per second the
// disk under dir completes, one after another, for about d. That is the
// ceiling for a server that makes each commit durable on its own.
func fsyncRate(dir string, d time.Duration) (float64, error) {
	f, err := os.CreateTemp(dir, "fsync-probe-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	block := bytes.Repeat([]byte{'x'}, 512)
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		if _, err := f.WriteAt(block, int64(n%64)*4096); err != nil {
			return 0, err
		}
		if err := syscall.Fdatasync(int(f.Fd())); err != nil {
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// sqliteCommitRate measures how many one-row transactions per second SQLite
// commits in WAL mode with synchronous=FULL, one after another, for about d:
// what a server without group commit could reach on this disk.
func sqliteCommitRate(dir string, d time.Duration) (float64, error) {
	path := filepath.Join(dir, "commit-probe.db")
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
	}()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_journal_mode=WAL&_synchronous=FULL")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"); err != nil {
		return 0, err
	}
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		if _, err := db.Exec("INSERT INTO t (body) VALUES ($1)", reportDescription(0, n)); err != nil {
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// loadAverage returns the one-minute load average from /proc/loadavg, or
// -1 where there is none. The benchmarks report it beside their figures:
// on a shared 2-core machine it says how much of the CPU they really had.
func loadAverage() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	var load float64
	if _, err := fmt.Sscan(string(data), &load); err != nil {
		return -1
	}
	return load
}

// copyFile copies an SQLite database file and its WAL, if any, but not
// its shared-memory index, which whoever opens the copy rebuilds.
func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		in, err := os.Open(src + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		out, err := os.Create(dst + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, in); err != nil {
			t.Fatal(err)
		}
		in.Close()
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// sqliteIntegrity runs PRAGMA integrity_check on the SQLite file at path
// and returns its answer, "ok" when the file is sound.
func sqliteIntegrity(t testing.TB, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer db.Close()
	var lines []string
	rows, err := db.Query("PRAGMA integrity_check")
	if err != nil {
		t.Fatalf("integrity_check %s: %v", path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatalf("integrity_check %s: %v", path, err)
		}
		lines = append(lines, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("integrity_check %s: %v", path, err)
	}
	return strings.Join(lines, "; ")
}

// writerFixture is what the load tests need in a fresh database: an
// organisation, a few areas, and a rapportör with an API token.
type writerFixture struct {
	org      string
	areas    []string
	area     string // the area the API writers file under
	category string
	user     account
	token    string
}

// fixtureAreas are small squares in Umeå, enough to file reports under.
var fixtureAreas = []struct {
	code, name string
	population int
}{
	{"last-alidhem", "Ålidhem (lasttest)", 7000},
	{"last-haga", "Haga (lasttest)", 6000},
	{"last-teg", "Teg (lasttest)", 8000},
	{"last-mariehem", "Mariehem (lasttest)", 7500},
	{"last-ersboda", "Ersboda (lasttest)", 6500},
}

// seedWriterFixture fills the database at db through the CLI, as an
// operator would: migrations, an organisation, the fixture areas, a
// rapportör and an API token.
func seedWriterFixture(t testing.TB, db string) writerFixture {
	t.Helper()
	fx := writerFixture{org: "lasttest", category: "klotter"}
	cli(t, db, "", "migrate")
	cli(t, db, "", "org", "add", "--code", fx.org, "--name", "Lasttestets fastighetsbolag", "--type", "fastighetsbolag")
	var features []string
	for i, a := range fixtureAreas {
		// A 0.01° square per area, side by side along latitude 63.82.
		lon := 20.20 + 0.02*float64(i)
		features = append(features, fmt.Sprintf(
			`{"type":"Feature","properties":{"code":%q,"name":%q,"population":%d},`+
				`"geometry":{"type":"Polygon","coordinates":[[[%.2f,63.82],[%.2f,63.82],[%.2f,63.83],[%.2f,63.83],[%.2f,63.82]]]}}`,
			a.code, a.name, a.population, lon, lon+0.01, lon+0.01, lon, lon))
		fx.areas = append(fx.areas, a.code)
	}
	fx.area = fx.areas[0]
	geojson := filepath.Join(t.TempDir(), "areas.geojson")
	collection := `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
	if err := os.WriteFile(geojson, []byte(collection), 0o600); err != nil {
		t.Fatal(err)
	}
	cli(t, db, "", "import", "areas", geojson)
	fx.user = addUser(t, db, "skrivare@lasttest.example", "Lasttestets rapportör", fx.org, trygg.RoleRapportor)
	fx.token = createToken(t, db, fx.user.Email)
	return fx
}
