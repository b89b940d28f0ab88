package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
)

func defineOrgAdd(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	code := fs.String("code", "", "kort, stabil kod, t.ex. umebra")
	name := fs.String("name", "", "organisationens namn")
	var types []string
	for _, t := range trygg.OrgTypes {
		types = append(types, string(t))
	}
	orgType := fs.String("type", "", "typ: "+strings.Join(types, ", "))
	return func(ctx context.Context, c *cli, _ []string) error {
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			o := &trygg.Organisation{Code: *code, Name: *name, Type: trygg.OrgType(*orgType)}
			if err := sqldb.NewOrganisationService(db).CreateOrganisation(ctx, o); err != nil {
				return err
			}
			fmt.Fprintf(c.Stdout, "Organisationen %s är tillagd.\n", o.Code)
			return nil
		})
	}
}

func defineOrgList(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	return func(ctx context.Context, c *cli, _ []string) error {
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			orgs, err := sqldb.NewOrganisationService(db).FindOrganisations(ctx)
			if err != nil {
				return err
			}
			for _, o := range orgs {
				fmt.Fprintf(c.Stdout, "%s\t%s\t%s\n", o.Code, o.Type, o.Name)
			}
			return nil
		})
	}
}

// roleList is a repeatable flag of roles; each value may also be a comma
// list ("--role samordnare,läsare").
type roleList []trygg.Role

func (l *roleList) String() string {
	if l == nil {
		return ""
	}
	var s []string
	for _, r := range *l {
		s = append(s, string(r))
	}
	return strings.Join(s, ",")
}

func (l *roleList) Set(v string) error {
	for part := range strings.SplitSeq(v, ",") {
		r, ok := trygg.ParseRole(part)
		if !ok {
			var known []string
			for _, r := range trygg.Roles {
				known = append(known, string(r))
			}
			return fmt.Errorf("okänd roll %q; välj bland %s", strings.TrimSpace(part), strings.Join(known, ", "))
		}
		*l = append(*l, r)
	}
	return nil
}

// maxPasswordBytes bounds what is read from standard input for a password.
const maxPasswordBytes = 1024

// readPassword reads the first line of r, without its line ending.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, maxPasswordBytes+1)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("läs lösenordet från standard in: %w", err)
	}
	if len(line) > maxPasswordBytes {
		return "", usageErrorf("lösenordet på standard in är längre än %d byte", maxPasswordBytes)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usageErrorf("inget lösenord på standard in")
	}
	return pw, nil
}

func defineUserAdd(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	email := fs.String("email", "", "e-postadress; används för inloggning")
	name := fs.String("name", "", "namn")
	org := fs.String("org", "", "organisationens kod (se trygg org list)")
	var roles roleList
	fs.Var(&roles, "role", "roll; flaggan kan upprepas eller ta en kommaseparerad lista: samordnare, rapportör, polis, socialtjänst, läsare, admin")
	passwordStdin := fs.Bool("password-stdin", false, "läs lösenordet från första raden på standard in; annars kan användaren inte logga in förrän ett lösenord satts")
	return func(ctx context.Context, c *cli, _ []string) error {
		nu := trygg.NewUser{Email: *email, Name: *name, OrgCode: *org, Roles: roles}
		if *passwordStdin {
			pw, err := readPassword(c.Stdin)
			if err != nil {
				return err
			}
			nu.Password = pw
		}
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			u, err := sqldb.NewUserService(db).CreateUser(ctx, nu)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.Stdout, "Användaren %s är tillagd (id %d).\n", u.Email, u.ID)
			return nil
		})
	}
}

func defineUserList(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	return func(ctx context.Context, c *cli, _ []string) error {
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			users, err := sqldb.NewUserService(db).FindUsers(ctx, trygg.UserFilter{})
			if err != nil {
				return err
			}
			orgs, err := sqldb.NewOrganisationService(db).FindOrganisations(ctx)
			if err != nil {
				return err
			}
			orgCodes := make(map[int64]string, len(orgs))
			for _, o := range orgs {
				orgCodes[o.ID] = o.Code
			}
			for _, u := range users {
				roles := make([]string, len(u.Roles))
				for i, r := range u.Roles {
					roles[i] = string(r)
				}
				line := u.Email + "\t" + orgCodes[u.OrgID] + "\t" + strings.Join(roles, ",")
				if u.DisabledAt != nil {
					line += "\tavstängd"
				}
				fmt.Fprintln(c.Stdout, line)
			}
			return nil
		})
	}
}

// explainNotFound replaces the services' deliberately vague "not found"
// with what the operator, who may see everything, was looking for.
func explainNotFound(err error, format string, args ...any) error {
	if trygg.ErrorCode(err) == trygg.ENOTFOUND {
		return trygg.Errorf(trygg.ENOTFOUND, format, args...)
	}
	return err
}

// findUserByEmail returns the user with that e-mail, or ENOTFOUND saying so.
func findUserByEmail(ctx context.Context, users trygg.UserService, email string) (*trygg.User, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return nil, usageErrorf("ange användarens e-postadress med --email")
	}
	found, err := users.FindUsers(ctx, trygg.UserFilter{Email: &email})
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, trygg.Errorf(trygg.ENOTFOUND, "Det finns ingen användare med e-postadressen %s.", email)
	}
	return found[0], nil
}

func defineUserPassword(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	email := fs.String("email", "", "användarens e-postadress")
	return func(ctx context.Context, c *cli, _ []string) error {
		pw, err := readPassword(c.Stdin)
		if err != nil {
			return err
		}
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			users := sqldb.NewUserService(db)
			u, err := findUserByEmail(ctx, users, *email)
			if err != nil {
				return err
			}
			if _, err := users.UpdateUser(ctx, u.ID, trygg.UserUpdate{Password: &pw}); err != nil {
				return err
			}
			fmt.Fprintf(c.Stdout, "Lösenordet för %s är bytt.\n", u.Email)
			return nil
		})
	}
}

func defineUserDisable(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	email := fs.String("email", "", "användarens e-postadress")
	return func(ctx context.Context, c *cli, _ []string) error {
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			users := sqldb.NewUserService(db)
			u, err := findUserByEmail(ctx, users, *email)
			if err != nil {
				return err
			}
			if err := users.DisableUser(ctx, u.ID); err != nil {
				return err
			}
			fmt.Fprintf(c.Stdout, "Användaren %s är avstängd; användarens sessioner och API-nycklar gäller inte längre.\n", u.Email)
			return nil
		})
	}
}

func defineTokenCreate(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	email := fs.String("user", "", "e-postadress till användaren som nyckeln ska tillhöra")
	label := fs.String("name", "kommandorad", "etikett som säger vad nyckeln används till")
	return func(ctx context.Context, c *cli, _ []string) error {
		if strings.TrimSpace(*email) == "" {
			return usageErrorf("ange användarens e-postadress med --user")
		}
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			tok, secret, err := sqldb.NewAuthService(db).CreateToken(ctx, *email, *label)
			if err != nil {
				return explainNotFound(err, "Det finns ingen användare med e-postadressen %s.", *email)
			}
			fmt.Fprintf(c.Stdout, "API-nyckel %d (%s) för %s. Den visas bara nu; spara den på ett säkert ställe:\n", tok.ID, tok.Label, strings.TrimSpace(*email))
			fmt.Fprintln(c.Stdout, secret)
			return nil
		})
	}
}

func defineTokenList(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	email := fs.String("user", "", "användarens e-postadress")
	return func(ctx context.Context, c *cli, _ []string) error {
		if strings.TrimSpace(*email) == "" {
			return usageErrorf("ange användarens e-postadress med --user")
		}
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			tokens, err := sqldb.NewAuthService(db).FindTokens(ctx, *email)
			if err != nil {
				return explainNotFound(err, "Det finns ingen användare med e-postadressen %s.", *email)
			}
			tw := tabwriter.NewWriter(c.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tETIKETT\tSKAPAD\tSENAST ANVÄND\tSTATUS")
			for _, t := range tokens {
				status := "aktiv"
				if t.RevokedAt != nil {
					status = "återkallad " + formatTime(*t.RevokedAt)
				}
				lastUsed := "aldrig"
				if t.LastUsed != nil {
					lastUsed = formatTime(*t.LastUsed)
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Label, formatTime(t.CreatedAt), lastUsed, status)
			}
			return tw.Flush()
		})
	}
}

func defineTokenRevoke(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	id := fs.Int64("id", 0, "nyckelns id (se trygg token list)")
	return func(ctx context.Context, c *cli, _ []string) error {
		if *id <= 0 {
			return usageErrorf("ange nyckelns id med --id")
		}
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			if err := sqldb.NewAuthService(db).RevokeToken(ctx, *id); err != nil {
				return explainNotFound(err, "Det finns ingen API-nyckel med id %d.", *id)
			}
			fmt.Fprintf(c.Stdout, "API-nyckel %d är återkallad.\n", *id)
			return nil
		})
	}
}

// formatTime shows a stored time in Swedish local time, to the minute.
func formatTime(t time.Time) string {
	return t.In(stockholm).Format("2006-01-02 15:04")
}
