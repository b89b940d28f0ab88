package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writeSeries writes a week_index,count file of the given counts from week 1.
func writeSeries(t *testing.T, counts ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "serie.csv")
	var b strings.Builder
	b.WriteString("week_index,count\n")
	for i, c := range counts {
		b.WriteString(strconv.Itoa(i+1) + "," + c + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSignal(t *testing.T) {
	t.Parallel()
	// A 7-week pattern with mean 4 and sd √(5/3): EARS C1's bound is
	// 4 + 3.0902·1.291 = 7.989, so week 8's 9 alarms.
	in := writeSeries(t, "3", "5", "4", "6", "2", "4", "4", "9")
	r := mustRun(t, env{}, "", "signal", "--method", "ears-c1", "--in", in)
	want := []string{
		"week_index,count,method,upperbound,alarm",
		"1,3,ears-c1,NA,NA",
		"7,4,ears-c1,NA,NA",
		"8,9,ears-c1,7.9894727525666",
	}
	lines := r.lines()
	if len(lines) != 9 || lines[0] != want[0] || lines[1] != want[1] || lines[7] != want[2] ||
		!strings.HasPrefix(lines[8], want[3]) || !strings.HasSuffix(lines[8], ",true") {
		t.Errorf("output:\n%s", r.stdout)
	}

	// The method from the environment, the result to a file.
	out := filepath.Join(t.TempDir(), "ut.csv")
	r = mustRun(t, env{"TRYGG_METHOD": "noufaily"}, "", "signal", "--in", in, "--out", out)
	if r.stdout != "" {
		t.Errorf("stdout with --out: %q", r.stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "8,9,noufaily,NA,NA\n") {
		t.Errorf("--out file:\n%s", data)
	}
}

func TestSignalErrors(t *testing.T) {
	t.Parallel()
	good := writeSeries(t, "1", "2")
	bad := writeSeries(t, "1", "x")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no method", []string{"signal", "--in", good}, "ange metod med --method"},
		{"unknown method", []string{"signal", "--method", "c2", "--in", good}, `okänd metod "c2"`},
		{"no file", []string{"signal", "--method", "ears-c2"}, "ange serien med --in"},
		{"missing file", []string{"signal", "--method", "ears-c2", "--in", filepath.Join(t.TempDir(), "saknas.csv")}, "kan inte öppna filen"},
		{"bad count", []string{"signal", "--method", "ears-c2", "--in", bad}, `Rad 3, kolumn count: "x" är inget antal`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, env{}, "", tt.args...)
			if r.err == nil || !strings.Contains(describe(r.err), tt.want) {
				t.Errorf("error %v, want one containing %q", r.err, tt.want)
			}
		})
	}
}
