package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// command is one entry in the command table. define declares the
// command's flags on fs and returns the action that runs with them.
type command struct {
	name    string   // one or two words, e.g. "user add"
	args    []string // names of the positional arguments, e.g. "FIL.csv"
	summary string
	define  func(fs *flag.FlagSet) action
}

type action func(ctx context.Context, c *cli, args []string) error

// commands lists every command in the order the usage shows them.
var commands = []command{
	{"serve", nil, "starta webbservern", defineServe},
	{"migrate", nil, "uppdatera databasens schema (kan köras flera gånger)", defineMigrate},
	{"org add", nil, "lägg till en organisation", defineOrgAdd},
	{"org list", nil, "lista organisationerna", defineOrgList},
	{"user add", nil, "lägg till en användare", defineUserAdd},
	{"user list", nil, "lista användarna: e-post, organisation, roller, avstängd", defineUserList},
	{"user password", nil, "byt en användares lösenord (läses från standard in)", defineUserPassword},
	{"user disable", nil, "stäng av en användare; avslutar också sessioner och API-nycklar", defineUserDisable},
	{"token create", nil, "skapa en API-nyckel; nyckeln skrivs ensam på sista raden", defineTokenCreate},
	{"token list", nil, "lista en användares API-nycklar", defineTokenList},
	{"token revoke", nil, "återkalla en API-nyckel", defineTokenRevoke},
	{"import reports", []string{"FIL.csv"}, "importera händelserapporter från CSV", defineImportReports},
	{"import areas", []string{"FIL.geojson"}, "importera områden från en GeoJSON FeatureCollection", defineImportAreas},
	{"import indicators", []string{"FIL"}, "importera indikatorer: Koladas JSON, Brås CSV, Polisens lista eller befolkning (--source)", defineImportIndicators},
	{"fetch kolada", nil, "hämta och importera från Koladas API (kräver --allow-network)", defineFetchKolada},
	{"export reports", nil, "exportera händelserapporter som CSV eller GeoJSON", defineExportReports},
	{"backup", []string{"FIL"}, "gör en konsistent kopia av SQLite-databasen medan servern kör", defineBackup},
	{"restore", []string{"FIL"}, "återställ SQLite-databasen från en kopia (stoppa servern först)", defineRestore},
	{"signal", nil, "sök ovanligt höga veckor i en serie week_index,count (EARS C1–C3, Farrington, Noufaily)", defineSignal},
	{"audit verify", nil, "kontrollera granskningsloggens hashkedja", defineAuditVerify},
	{"services list", nil, "lista stödtjänsterna som insatser remitterar till, med mottagande organisation", defineServicesList},
	{"services receiver", nil, "ange organisationen som tar emot en stödtjänsts remisser och bekräftar första kontakt", defineServicesReceiver},
	{"registers rekey", nil, "kryptera om alla personregister med en ny registernyckel (i omgångar; kan köras igen och fortsätter då)", defineRegistersRekey},
	{"concerns rekey", nil, "samma som registers rekey (äldre namn)", defineRegistersRekey},
	{"concerns purge", nil, "gallra orosanmälningar enligt gallringsreglerna (körs schemalagt; --dry-run listar bara)", defineConcernsPurge},
	{"tips purge", nil, "gallra texten i avgjorda tips: avvisade och sammanslagna efter 30 dagar, åtgärdade och avslutade efter 90 (körs schemalagt; --dry-run listar bara)", defineTipsPurge},
	{"sspf purge", nil, "gallra personuppgifterna i avslutade SSPF-ärenden (körs schemalagt; --dry-run listar bara)", defineSSPFPurge},
	// Issue 15.
	{"nattvandring purge", nil, "radera nattvandrares personuppgifter 12 månader efter sista vandringen (körs schemalagt, t.ex. varje natt)", defineNattvandringPurge},
}

// findCommand matches the first one or two arguments against the table and
// returns the command and the arguments after its name.
func findCommand(args []string) (command, []string, error) {
	for _, c := range commands {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, args[len(words):], nil
		}
	}
	var group []string
	for _, c := range commands {
		if first, _, ok := strings.Cut(c.name, " "); ok && first == args[0] {
			group = append(group, c.name)
		}
	}
	if len(group) > 0 {
		return command{}, nil, usageErrorf("okänt eller saknat delkommando till %q; välj ett av: %s", args[0], strings.Join(group, ", "))
	}
	return command{}, nil, usageErrorf("okänt kommando %q", args[0])
}

// errHelp is returned by parseFlags when the operator asked for help.
var errHelp = flag.ErrHelp

// envName is the environment variable that backs a flag: --skip-invalid is
// TRYGG_SKIP_INVALID.
func envName(flagName string) string {
	return "TRYGG_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseFlags parses args with fs, allowing flags after positional
// arguments ("import reports FIL.csv --org X"), and then sets every flag
// not given on the command line from its TRYGG_<NAME> variable, when that
// is set and not empty. It returns the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	// given is by the flag an alias stands for, so that a flag given under
	// either name is not then set from either variable, and the flag's
	// own variable goes before its alias's.
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[flagOf(f)] = true })
	var err error
	fromEnv := func(f *flag.Flag) {
		if given[flagOf(f)] || err != nil {
			return
		}
		name := envName(f.Name)
		v := getenv(name)
		if v == "" {
			return
		}
		given[flagOf(f)] = true
		if e := f.Value.Set(v); e != nil {
			err = usageErrorf("ogiltigt värde %q i %s: %s", v, name, valueProblem(e.Error(), isBoolFlag(f)))
		}
	}
	var aliases []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := f.Value.(aliasValue); ok {
			aliases = append(aliases, f)
			return
		}
		fromEnv(f)
	})
	for _, f := range aliases {
		fromEnv(f)
	}
	return positional, err
}

// aliasValue is a flag kept under an older name: setting it sets the flag
// it stands for.
type aliasValue struct {
	flag.Value
	of string // the name of the flag it stands for
}

// defineAlias defines --alias as another name of the flag --name, with its
// own variable TRYGG_<ALIAS>, which counts only when neither name is on the
// command line and TRYGG_<NAME> is not set.
func defineAlias(fs *flag.FlagSet, alias, name string) {
	fs.Var(aliasValue{Value: fs.Lookup(name).Value, of: name}, alias, "samma som --"+name+" (äldre namn)")
}

// flagOf is the name of the flag that f sets: its own, or for an alias
// that of the flag it stands for.
func flagOf(f *flag.Flag) string {
	if a, ok := f.Value.(aliasValue); ok {
		return a.of
	}
	return f.Name
}

// flagError turns the flag package's English errors into Swedish usage
// errors.
func flagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return usageErrorf("okänd flagga --%s", strings.TrimLeft(name, "-"))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return usageErrorf("flaggan --%s behöver ett värde", strings.TrimLeft(name, "-"))
	}
	for _, prefix := range []string{"invalid value ", "invalid boolean value "} {
		rest, ok := strings.CutPrefix(msg, prefix)
		if !ok {
			continue
		}
		value, after, _ := strings.Cut(rest, " for ")
		name, reason, _ := strings.Cut(strings.TrimPrefix(after, "flag "), ": ")
		return usageErrorf("ogiltigt värde %s för --%s: %s", value, strings.TrimLeft(name, "-"),
			valueProblem(reason, prefix == "invalid boolean value "))
	}
	return usageErrorf("%s", msg)
}

// valueProblem says in Swedish why the flag package refused a value; the
// flag types' own messages are English, those of Trygg's flags Swedish.
func valueProblem(reason string, boolFlag bool) string {
	switch {
	case boolFlag && reason == "parse error":
		return "skriv true eller false"
	case reason == "parse error":
		return "inte ett tal"
	case reason == "value out of range":
		return "talet är för stort"
	}
	return reason
}

// isBoolFlag reports whether a flag stands alone for true, as the flag
// package decides it.
func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `Trygg – samverkan för trygghet

Användning:
  trygg KOMMANDO [ARGUMENT] [flaggor]

Kommandon:
`)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range commands {
		name := c.name
		if len(c.args) > 0 {
			name += " " + strings.Join(c.args, " ")
		}
		fmt.Fprintf(tw, "  %s\t%s\n", name, c.summary)
	}
	fmt.Fprintf(tw, "  help\tvisa den här texten\n")
	tw.Flush()
	fmt.Fprint(w, `
Varje flagga kan också sättas med en miljövariabel TRYGG_<NAMN>, till exempel
--db med TRYGG_DB och --skip-invalid med TRYGG_SKIP_INVALID. En flagga på
kommandoraden går före miljövariabeln.

Databasen anges med --db som sqlite:SÖKVÄG (standard `+defaultDB+`)
eller postgres://användare@värd/databas.

"trygg KOMMANDO -h" visar kommandots flaggor.
`)
}

func printCommandUsage(w io.Writer, c command, fs *flag.FlagSet) {
	line := "trygg " + c.name
	if len(c.args) > 0 {
		line += " " + strings.Join(c.args, " ")
	}
	fmt.Fprintf(w, "Användning: %s [flaggor]\n  %s\n\nFlaggor (och miljövariabler):\n", line, c.summary)
	fs.VisitAll(func(f *flag.Flag) {
		def := ""
		if f.DefValue != "" && f.DefValue != "false" {
			def = " (standard " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "  --%s  [%s]\n      %s%s\n", f.Name, envName(f.Name), f.Usage, def)
	})
}
