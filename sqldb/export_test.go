package sqldb

import "context"

// MigrateTo moves the schema up or down to version, for tests that start
// from a database an older release left behind.
func (db *DB) MigrateTo(ctx context.Context, version int64) error {
	p, err := db.migrations()
	if err != nil {
		return err
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return err
	}
	if version < current {
		_, err = p.DownTo(ctx, version)
	} else {
		_, err = p.UpTo(ctx, version)
	}
	return err
}

// RegisterNames are the names of the declared registers of personal data,
// for the tests that look for values under a key.
func RegisterNames() []string {
	var names []string
	for _, r := range registers {
		names = append(names, r.name)
	}
	return names
}
