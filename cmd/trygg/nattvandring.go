package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/trygg-est/trygg/nattvandring"
	"github.com/trygg-est/trygg/sqldb"
)

// defineNattvandringPurge is the night walks' retention job: a scheduler
// runs it (nightly is plenty); each removal is in the audit log.
func defineNattvandringPurge(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	return func(ctx context.Context, c *cli, _ []string) error {
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			n, err := sqldb.NewNattvandringService(db).PurgeVolunteers(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.Stdout, "%d nattvandrares personuppgifter raderades (%d månader efter sista vandringen).\n", n, nattvandring.RetentionMonths)
			return nil
		})
	}
}
