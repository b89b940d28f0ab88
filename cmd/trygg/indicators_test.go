package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func fixturePath(name string) string {
	return filepath.Join("..", "..", "reportio", "testdata", "indikator", name)
}

// TestImportIndicators imports each committed fixture from the command
// line, again without a change, and refuses a bad file whole.
func TestImportIndicators(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	mustRun(t, e, "", "migrate")
	for _, tc := range []struct{ source, file, want string }{
		{"kolada", "kolada_data.json", "Importerade 3 serier: 330 nya"},
		{"bra", "bra.csv", "Importerade 6 serier: 660 nya"},
		{"polisen", "polisen.csv", "Importerade 4 serier"},
		{"befolkning", "befolkning.csv", "Importerade 1 serier: 110 nya"},
	} {
		args := []string{"import", "indicators", "--source", tc.source, "--retrieved", "2026-03-01", fixturePath(tc.file)}
		if tc.source == "kolada" {
			args = append(args, "--kpi", fixturePath("kolada_kpi.json"))
		}
		if r := mustRun(t, e, "", args...); !strings.Contains(r.stdout, tc.want) {
			t.Errorf("%s: %q, want %q", tc.source, r.stdout, tc.want)
		}
		if r := mustRun(t, e, "", args...); !strings.Contains(r.stdout, " 0 nya, 0 reviderade") {
			t.Errorf("%s again: %q", tc.source, r.stdout)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("kommunkod;år;brott;antal\n2480;2024;Rån;12\n2480;20x4;Rån;tolv\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, e, "", "import", "indicators", "--source", "bra", bad)
	if r.err == nil || !strings.Contains(r.stderr, "rad 3, kolumn år") || !strings.Contains(r.stderr, "rad 3, kolumn antal") {
		t.Errorf("bad file: %v, stderr %q", r.err, r.stderr)
	}
	// The network fetch is off unless the operator allows it.
	r = runCLI(t, e, "", "fetch", "kolada", "--url", "https://api.kolada.se/v2/data/kpi/N00002/year/2024")
	if r.err == nil || !strings.Contains(describe(r.err), "--allow-network") {
		t.Errorf("fetch without --allow-network: %v", r.err)
	}
	r = runCLI(t, e, "", "fetch", "kolada", "--allow-network", "--url", "https://example.com/x")
	if r.err == nil || !strings.Contains(describe(r.err), "api.kolada.se") {
		t.Errorf("fetch from elsewhere: %v", r.err)
	}
}
