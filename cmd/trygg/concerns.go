package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
	"github.com/trygg-est/trygg/sqldb"
)

func defineConcernsPurge(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	dryRun := fs.Bool("dry-run", false, "lista vad som skulle gallras utan att radera något")
	rulesFlag := fs.String("rules", "", "gallringsregler per dokumenttyp, t.ex. anmalan=5,utredning=undantag (år efter senaste anteckning; standard 5 år för alla)")
	return func(ctx context.Context, c *cli, _ []string) error {
		rules, err := concern.ParseRetentionRules(*rulesFlag)
		if err != nil {
			return usageErrorf("%s", trygg.ErrorMessage(err))
		}
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			items, err := db.PurgeConcerns(ctx, rules, *dryRun)
			if err != nil {
				return err
			}
			rows := make([]string, len(items))
			for i, it := range items {
				rows[i] = fmt.Sprintf("%d\t%s\tsenaste anteckning %s", it.ID, it.DocType, it.LastEntry)
			}
			printPurged(c.Stdout, rows, "orosanmälningar", *dryRun)
			return nil
		})
	}
}

// printPurged writes what a retention job did: a row per item (its
// columns separated by tabs), then how many of what were purged, or would
// have been in a dry run.
func printPurged(w io.Writer, rows []string, what string, dryRun bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintln(tw, r)
	}
	tw.Flush()
	verb := "gallrades"
	if dryRun {
		verb = "skulle gallras (provkörning, inget raderades)"
	}
	fmt.Fprintf(w, "%d %s %s.\n", len(rows), what, verb)
}
