package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/demo"
	"github.com/trygg-est/trygg/sqldb"
)

// loadDemo fills an empty database with the demo data set and returns the
// demo logins. A database that already holds data is left alone; its demo
// logins are returned all the same, as they still work if it was filled by
// an earlier --demo.
func (c *cli) loadDemo(ctx context.Context, db *sqldb.DB, seed uint64, logger *slog.Logger) ([]demo.Login, error) {
	empty, err := db.IsEmpty(ctx)
	if err != nil {
		return nil, err
	}
	if !empty {
		logger.Info("database not empty; demo data not loaded")
		return demo.Logins(), nil
	}
	start := c.Now()
	ds := demo.Generate(seed, start)
	logger.Info("loading demo data", "reports", len(ds.Reports))
	err = demo.Load(trygg.NewOperatorContext(ctx), sqldb.NewServices(db), ds)
	if err != nil {
		return nil, fmt.Errorf("demodata: %w", err)
	}
	logger.Info("demo data loaded", "reports", len(ds.Reports), "seconds", c.Now().Sub(start).Seconds())
	return demo.Logins(), nil
}

// printDemoLogins lists the demo accounts, one per role. They are public
// demo passwords, so they may be printed.
func printDemoLogins(w io.Writer, logins []demo.Login) {
	if len(logins) == 0 {
		return
	}
	fmt.Fprintln(w, "Demoinloggningar:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, l := range logins {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", l.Role.Label(), l.Email, l.Password)
	}
	// Not a role of its own: a rapportör of the KAST organisation, who
	// confirms referrals by code (docs/operativ.md).
	fmt.Fprintf(tw, "  %s\t%s\t%s\n", "KAST-mottagningen (/operativ/mottagning)", demo.KastEmail, demo.Password)
	tw.Flush()
}
