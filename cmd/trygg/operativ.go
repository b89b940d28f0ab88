package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/trygg-est/trygg/sqldb"
)

// defineServicesList lists the support services that operations refer
// people to, with the organisation that receives each one's referrals.
func defineServicesList(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	return func(ctx context.Context, c *cli, _ []string) error {
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			services, err := sqldb.NewOperativService(db).FindSupportServices(ctx)
			if err != nil {
				return err
			}
			for _, sv := range services {
				receiver := sv.OrgCode
				if receiver == "" {
					receiver = "-"
				}
				fmt.Fprintf(c.Stdout, "%s\t%s\t%s\n", sv.Code, receiver, sv.Name)
			}
			return nil
		})
	}
}

// defineServicesReceiver names the organisation whose users receive a
// service's referrals and confirm first contacts by code.
func defineServicesReceiver(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	service := fs.String("service", "", "tjänstens kod, t.ex. kast (se trygg services list)")
	org := fs.String("org", "", "organisationens kod; tomt tar bort mottagaren")
	return func(ctx context.Context, c *cli, _ []string) error {
		if *service == "" {
			return usageErrorf("ange tjänsten med --service")
		}
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			if err := sqldb.NewOperativService(db).SetServiceOrganisation(ctx, *service, *org); err != nil {
				return explainNotFound(err, "Det finns ingen tjänst med koden %q (se trygg services list).", *service)
			}
			if *org == "" {
				fmt.Fprintf(c.Stdout, "Tjänsten %s har ingen mottagare längre.\n", *service)
			} else {
				fmt.Fprintf(c.Stdout, "Organisationen %s tar emot remisser till %s.\n", *org, *service)
			}
			return nil
		})
	}
}
