package main

import (
	"context"
	"flag"
	"fmt"
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
			tw := tabwriter.NewWriter(c.Stdout, 0, 0, 2, ' ', 0)
			for _, it := range items {
				fmt.Fprintf(tw, "%d\t%s\tsenaste anteckning %s\n", it.ID, it.DocType, it.LastEntry)
			}
			tw.Flush()
			verb := "gallrades"
			if *dryRun {
				verb = "skulle gallras (provkörning, inget raderades)"
			}
			fmt.Fprintf(c.Stdout, "%d orosanmälningar %s.\n", len(items), verb)
			return nil
		})
	}
}
