package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"text/tabwriter"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
	"github.com/trygg-est/trygg/demo"
	"github.com/trygg-est/trygg/sealed"
	"github.com/trygg-est/trygg/sqldb"
)

// registerKeyOptions are the flags that give the key of the registers of
// personal data (package sealed). The key never enters the database: it is
// a file or an environment variable (TRYGG_REGISTER_KEY_FILE,
// TRYGG_REGISTER_KEY). The register of reports of concern was the first
// register, and its flags (--concern-key-file, …) and variables
// (TRYGG_CONCERN_KEY_FILE, …) still work as other names of these.
type registerKeyOptions struct {
	key, keyFile *string
}

// registerKeyFlags defines --<kind>key and --<kind>key-file, kind "" or
// "old-", with their --concern-<kind>… aliases.
func registerKeyFlags(fs *flag.FlagSet, kind, what string) *registerKeyOptions {
	o := &registerKeyOptions{
		key:     fs.String("register-"+kind+"key", "", what+": 32 byte som 64 hexsiffror eller base64 (sätt hellre miljövariabeln än flaggan)"),
		keyFile: fs.String("register-"+kind+"key-file", "", "fil med "+what),
	}
	defineAlias(fs, "concern-"+kind+"key", "register-"+kind+"key")
	defineAlias(fs, "concern-"+kind+"key-file", "register-"+kind+"key-file")
	return o
}

// read returns the key, or nil when none was given.
func (o *registerKeyOptions) read() ([]byte, error) {
	s := *o.key
	if *o.keyFile != "" {
		if s != "" {
			return nil, usageErrorf("ange nyckeln antingen som fil eller som värde, inte båda")
		}
		b, err := os.ReadFile(*o.keyFile)
		if err != nil {
			return nil, fmt.Errorf("läs nyckelfilen: %w", err)
		}
		s = string(b)
	}
	if s == "" {
		return nil, nil
	}
	k, err := sealed.ParseKey(s)
	if err != nil {
		return nil, usageErrorf("ogiltig registernyckel: den ska vara 32 byte, skrivna som 64 hexsiffror eller i base64")
	}
	return k, nil
}

// applyRegisterKey gives the store its register key. Without one, a demo
// uses the published demo key, and anything else a key that lives only as
// long as the process (and says so in the log).
func applyRegisterKey(db *sqldb.DB, o *registerKeyOptions, withDemo bool, logger *slog.Logger) error {
	key, err := o.read()
	if err != nil {
		return err
	}
	switch {
	case key != nil:
	case withDemo:
		key = demo.ConcernKey()
	default:
		logger.Warn("no register key for the register of reports of concern (TRYGG_REGISTER_KEY_FILE); a temporary key is used and what is registered cannot be read after a restart")
		return nil
	}
	return db.SetRegisterKey(key)
}

func defineConcernsRekey(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	current := registerKeyFlags(fs, "", "den nya registernyckeln (orosanmälningsregistret)")
	old := registerKeyFlags(fs, "old-", "den gamla registernyckeln (orosanmälningsregistret)")
	return func(ctx context.Context, c *cli, _ []string) error {
		newKey, err := current.read()
		if err != nil {
			return err
		}
		oldKey, err := old.read()
		if err != nil {
			return err
		}
		if newKey == nil || oldKey == nil {
			return usageErrorf("ange både den nya nyckeln (--register-key-file) och den gamla (--register-old-key-file)")
		}
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			if err := db.SetRegisterKey(newKey, oldKey); err != nil {
				return err
			}
			n, err := db.RekeyConcerns(ctx)
			if err != nil {
				return err
			}
			// The SSPF register is sealed under the same register key.
			m, err := db.RekeySSPF(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.Stdout, "%d orosanmälningar och %d SSPF-ärenden är krypterade med den nya nyckeln. Starta om servern med den nya nyckeln.\n", n, m)
			return nil
		})
	}
}

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
