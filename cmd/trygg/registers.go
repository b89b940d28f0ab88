package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"

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

// applyRegisterKey gives the store its register key, and during a
// rotation the old one too. Without a key, a demo uses the published demo
// key, and anything else a key that lives only as long as the process
// (and says so in the log).
func applyRegisterKey(db *sqldb.DB, current, old *registerKeyOptions, withDemo bool, logger *slog.Logger) error {
	key, err := current.read()
	if err != nil {
		return err
	}
	oldKey, err := old.read()
	if err != nil {
		return err
	}
	switch {
	case key == nil && oldKey != nil:
		return usageErrorf("den gamla registernyckeln (--register-old-key-file) gäller bara tillsammans med den nya (--register-key-file)")
	case key != nil:
	case withDemo:
		key = demo.ConcernKey()
	default:
		logger.Warn("no register key for the registers of personal data (TRYGG_REGISTER_KEY_FILE); a temporary key is used and what is registered cannot be read after a restart")
		return nil
	}
	if oldKey != nil {
		return db.SetRegisterKey(key, oldKey)
	}
	return db.SetRegisterKey(key)
}

// defineRegistersRekey is `trygg registers rekey` (and its older name
// `trygg concerns rekey`): every register of personal data resealed with
// the new register key, a line per register as it goes.
func defineRegistersRekey(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	current := registerKeyFlags(fs, "", "den nya registernyckeln")
	old := registerKeyFlags(fs, "old-", "den gamla registernyckeln")
	batch := fs.Int("batch", sqldb.DefaultRekeyBatch, "hur många värden som krypteras om i varje transaktion")
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
		if *batch < 1 {
			return usageErrorf("--batch ska vara minst 1")
		}
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			if err := db.SetRegisterKey(newKey, oldKey); err != nil {
				return err
			}
			err := db.RekeyRegisters(ctx, *batch, func(p sqldb.RekeyProgress) {
				if p.Done {
					fmt.Fprintf(c.Stdout, "%s: klart, %d värden krypterade med den nya nyckeln\n", p.Register, p.Values)
				} else {
					fmt.Fprintf(c.Stdout, "%s: %d värden hittills\n", p.Register, p.Values)
				}
			})
			if err != nil {
				return fmt.Errorf("omkrypteringen avbröts (kör kommandot igen för att fortsätta där den slutade): %w", err)
			}
			fmt.Fprintln(c.Stdout, "Alla register är krypterade med den nya nyckeln. Starta om servern med bara den nya nyckeln; den gamla behövs inte längre.")
			return nil
		})
	}
}
