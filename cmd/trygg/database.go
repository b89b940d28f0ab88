package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
)

// defaultDB is where Trygg keeps its data when --db is not given.
const defaultDB = "sqlite:./trygg-data/trygg.db"

func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", defaultDB, "databas: sqlite:SÖKVÄG eller postgres://…")
}

// openDB opens the database and brings its schema up to date, so that
// every command works on a new or an older database alike.
func (c *cli) openDB(ctx context.Context, url string) (*sqldb.DB, error) {
	db, err := sqldb.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	db.Now = c.Now
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// withDB runs fn with the open database and an operator context, and
// closes the database afterwards.
func (c *cli) withDB(ctx context.Context, url string, fn func(ctx context.Context, db *sqldb.DB) error) error {
	db, err := c.openDB(ctx, url)
	if err != nil {
		return err
	}
	err = fn(trygg.NewOperatorContext(ctx), db)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

func defineMigrate(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	return func(ctx context.Context, c *cli, _ []string) error {
		return c.withDB(ctx, *dbURL, func(context.Context, *sqldb.DB) error {
			fmt.Fprintln(c.Stdout, "Databasens schema är uppdaterat.")
			return nil
		})
	}
}

func defineBackup(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	return func(ctx context.Context, c *cli, args []string) error {
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			err := db.Backup(ctx, args[0])
			if err != nil && db.Dialect() == "postgres" {
				// Not a failure of Trygg but a job for another tool: the
				// message says how, and status 2 keeps scripts from
				// mistaking it for a backup made.
				return &statusError{status: 2, msg: describe(err)}
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(c.Stdout, "Säkerhetskopian är sparad i %s.\n", args[0])
			return nil
		})
	}
}

func defineRestore(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	return func(ctx context.Context, c *cli, args []string) error {
		// The database is not opened here: restore replaces its file, which
		// must not be in use by this process or a server.
		if err := sqldb.Restore(ctx, *dbURL, args[0]); err != nil {
			return err
		}
		fmt.Fprintf(c.Stdout, "Databasen är återställd från %s.\n", args[0])
		return nil
	}
}

func defineAuditVerify(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	return func(ctx context.Context, c *cli, _ []string) error {
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			brokenAt, checked, err := sqldb.NewAuditService(db).VerifyAudit(ctx)
			if err != nil {
				return err
			}
			if brokenAt != 0 {
				return &statusError{status: 1, msg: fmt.Sprintf(
					"granskningsloggens kedja är bruten: första brutna länken är händelse %d (%d händelser kontrollerade). Händelsen har ändrats, eller så har en händelse före den ändrats eller tagits bort.", brokenAt, checked)}
			}
			fmt.Fprintf(c.Stdout, "Granskningsloggen är hel: %d händelser kontrollerade.\n", checked)
			return nil
		})
	}
}
