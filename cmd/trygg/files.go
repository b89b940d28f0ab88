package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
)

// stockholm is the time zone of dates on the command line and of times
// shown to the operator: Trygg serves Swedish municipalities.
var stockholm = trygg.Stockholm

// parseDateFlag reads a --from or --to value: a date (YYYY-MM-DD, Swedish
// time) or an RFC 3339 time. A date as the upper bound includes the whole
// day, so "--from 2024-01-01 --to 2024-01-31" is all of January.
func parseDateFlag(flagName, s string, upper bool) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, stockholm); err == nil {
		if upper {
			t = t.AddDate(0, 0, 1)
		}
		return &t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return &t, nil
	}
	return nil, usageErrorf("--%s: %q är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2024-03-31", flagName, s)
}

// splitList splits a comma-separated flag value, dropping empty parts.
func splitList(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// pendingFile is a new file that appears complete or not at all: it is
// written to a temporary file beside its path, and Commit flushes it to
// disk and renames it into place. Abort, deferred, removes it unless it was
// committed.
type pendingFile struct {
	*os.File
	path      string
	committed bool
}

func createPending(path string) (*pendingFile, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, fmt.Errorf("skapa %s: %w", path, err)
	}
	return &pendingFile{File: tmp, path: path}, nil
}

func (p *pendingFile) Commit() error {
	err := p.Sync()
	if cerr := p.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(p.Name(), 0o640)
	}
	if err == nil {
		err = os.Rename(p.Name(), p.path)
	}
	if err != nil {
		return fmt.Errorf("skriv %s: %w", p.path, err)
	}
	p.committed = true
	return nil
}

func (p *pendingFile) Abort() {
	if !p.committed {
		p.Close()
		os.Remove(p.Name())
	}
}

// writeOutput runs write on standard output, or, when path is set, on a
// pendingFile that appears at path only if write succeeds.
func (c *cli) writeOutput(path string, write func(io.Writer) error) error {
	if path == "" {
		return write(c.Stdout)
	}
	pending, err := createPending(path)
	if err != nil {
		return err
	}
	defer pending.Abort()
	if err := write(pending); err != nil {
		return err
	}
	return pending.Commit()
}
