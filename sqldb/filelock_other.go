//go:build !unix

package sqldb

// lockFile does nothing where flock(2) is missing: there, nothing stops a
// restore under a running server, as docs/operations.md says.
func lockFile(string, bool) (func() error, error) { return func() error { return nil }, nil }
