package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sspf"
)

// defineSSPFPurge is the SSPF register's retention job: the personal data
// of cases closed longer ago than --months is deleted; the statistics
// columns stay. It prints case IDs and closing days only.
func defineSSPFPurge(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	dryRun := fs.Bool("dry-run", false, "lista vad som skulle gallras utan att radera något")
	months := fs.String("months", strconv.Itoa(sspf.DefaultRetentionMonths), "månader efter avslut som personuppgifterna sparas")
	return func(ctx context.Context, c *cli, _ []string) error {
		n, err := sspf.ParseRetentionMonths(*months)
		if err != nil {
			return usageErrorf("%s", trygg.ErrorMessage(err))
		}
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			items, err := db.PurgeSSPF(ctx, n, *dryRun)
			if err != nil {
				return err
			}
			rows := make([]string, len(items))
			for i, it := range items {
				rows[i] = fmt.Sprintf("%d\tavslutat %s", it.ID, it.ClosedOn)
			}
			printPurged(c.Stdout, rows, "SSPF-ärenden", *dryRun)
			return nil
		})
	}
}
