// Package drawtest holds test helpers for drawings: golden files, so that a
// change in a chart or map shows in review, and a check that the SVG is
// well-formed.
package drawtest

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/trygg-est/trygg/draw"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.golden.svg files")

// Golden writes c as SVG, checks that it is well-formed XML and compares it
// with testdata/name.golden.svg; with -update it rewrites the file instead.
func Golden(t *testing.T, name string, c *draw.Canvas) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := c.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	WellFormed(t, got)
	path := filepath.Join("testdata", name+".golden.svg")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return got
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; if the change is intended, run the test with -update and review the diff.\ngot:\n%s", path, got)
	}
	return got
}

// WellFormed fails the test unless b is one well-formed XML element.
func WellFormed(t *testing.T, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, b)
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 {
		t.Fatalf("SVG has %d root elements, want 1", roots)
	}
}
