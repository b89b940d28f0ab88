// Package tryggtest holds the helpers that tests of several packages need
// for the core's types, so that each test package does not write its own.
package tryggtest

import (
	"testing"

	"github.com/trygg-est/trygg"
)

// Day reads a day written YYYY-MM-DD and fails the test when it is not one.
func Day(t testing.TB, s string) trygg.Day {
	t.Helper()
	d, err := trygg.ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
