package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/tips"
)

// defineTipsPurge is the tips' retention job: the text, place and reason
// of tips rejected or merged longer ago than --rejected-days, and of
// accepted tips closed longer ago than --closed-days, are erased; the
// reference code, status and public reply stay. It prints tip numbers,
// decisions and statuses only.
func defineTipsPurge(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	dryRun := fs.Bool("dry-run", false, "lista vad som skulle gallras utan att radera något")
	rejected := fs.String("rejected-days", strconv.Itoa(tips.DefaultRetention.RejectedDays), "dagar efter beslutet som ett avvisat eller sammanslaget tips behåller sin text")
	closed := fs.String("closed-days", strconv.Itoa(tips.DefaultRetention.ClosedDays), "dagar efter att ett godkänt tips blev åtgärdat eller avslutat som det behåller sin text")
	return func(ctx context.Context, c *cli, _ []string) error {
		var r tips.Retention
		var err error
		if r.RejectedDays, err = tips.ParseRetentionDays("--rejected-days", *rejected); err != nil {
			return usageErrorf("%s", trygg.ErrorMessage(err))
		}
		if r.ClosedDays, err = tips.ParseRetentionDays("--closed-days", *closed); err != nil {
			return usageErrorf("%s", trygg.ErrorMessage(err))
		}
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			items, err := db.PurgeTips(ctx, r, *dryRun)
			if err != nil {
				return err
			}
			rows := make([]string, len(items))
			for i, it := range items {
				rows[i] = fmt.Sprintf("%d\t%s\t%s", it.ID, it.Decision.Label(), it.Status.Label())
			}
			printPurged(c.Stdout, rows, "tips", *dryRun)
			return nil
		})
	}
}
