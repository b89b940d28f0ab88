package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/reportio"
	"github.com/trygg-est/trygg/sqldb"
)

// defineImportIndicators imports a file of a national indicator source
// (docs/indikatorer.md) in one transaction.
func defineImportIndicators(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	source := fs.String("source", "", "källan: kolada, bra, polisen eller befolkning")
	kpi := fs.String("kpi", "", "Kolada: svaret från /v2/kpi i JSON, för seriernas namn (valfri)")
	retrieved := fs.String("retrieved", "", "dagen filen hämtades, ÅÅÅÅ-MM-DD (i dag om tomt)")
	return func(ctx context.Context, c *cli, args []string) error {
		day, err := retrievedDay(*retrieved)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(args[0])
		if err != nil {
			return fmt.Errorf("kan inte läsa filen: %w", err)
		}
		var kpiData []byte
		if *kpi != "" {
			if kpiData, err = os.ReadFile(*kpi); err != nil {
				return fmt.Errorf("kan inte läsa KPI-filen: %w", err)
			}
		}
		b, err := reportio.ParseIndicatorFile(indikator.Source(*source), data, kpiData, day)
		if err != nil {
			return printProblems(c, err)
		}
		return c.importBatch(ctx, *dbURL, b, args[0])
	}
}

// defineFetchKolada reads Kolada's API over the network, page by page,
// and imports the values. It refuses unless --allow-network says the
// operator allows the server to reach api.kolada.se.
func defineFetchKolada(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	apiURL := fs.String("url", "", "adressen i Koladas API, t.ex. https://api.kolada.se/v2/data/kpi/N07403/year/2020,2021,2022,2023,2024")
	allow := fs.Bool("allow-network", false, "tillåt att Trygg hämtar från Koladas API över nätet")
	return func(ctx context.Context, c *cli, _ []string) error {
		if !*allow {
			return usageErrorf("hämtning över nätet är avstängd; ange --allow-network om driften tillåter att servern når api.kolada.se")
		}
		u, err := url.Parse(*apiURL)
		if err != nil || u.Scheme != "https" || u.Host != "api.kolada.se" {
			return usageErrorf("ange --url med en adress på https://api.kolada.se/")
		}
		today := trygg.DayOf(time.Now())
		client := &http.Client{Timeout: time.Minute}
		all := &indikator.Batch{Source: indikator.SourceKolada}
		seen := map[string]bool{}
		next := u.String()
		for page := 0; next != "" && page < maxKoladaPages; page++ {
			body, err := fetch(ctx, client, next)
			if err != nil {
				return err
			}
			b, err := reportio.ParseKoladaJSON(body, today, nil)
			if err != nil {
				return printProblems(c, err)
			}
			for _, s := range b.Series {
				if !seen[s.Code] {
					seen[s.Code] = true
					all.Series = append(all.Series, s)
				}
			}
			all.Values = append(all.Values, b.Values...)
			var links struct {
				Next string `json:"next_page"`
			}
			_ = json.Unmarshal(body, &links) // the values were read already
			next = links.Next
			if n, err := url.Parse(next); next != "" && (err != nil || n.Host != "api.kolada.se" || n.Scheme != "https") {
				return fmt.Errorf("nästa sida från Kolada pekar till en annan adress: %q", next)
			}
		}
		return c.importBatch(ctx, *dbURL, all, u.String())
	}
}

// maxKoladaPages caps the pages one fetch follows.
const maxKoladaPages = 1000

func fetch(ctx context.Context, client *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("kunde inte hämta från Kolada: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("svaret från Kolada: %s", resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 256<<20))
}

func retrievedDay(s string) (trygg.Day, error) {
	if s == "" {
		return trygg.DayOf(time.Now()), nil
	}
	d, err := trygg.ParseDay(s)
	if err != nil {
		return 0, usageErrorf("--retrieved ska vara ett datum ÅÅÅÅ-MM-DD")
	}
	return d, nil
}

// printProblems writes each problem of a refused file, with its line and
// field, to standard error.
func printProblems(c *cli, err error) error {
	fields := trygg.ErrorFields(err)
	for _, f := range fields {
		fmt.Fprintln(c.Stderr, f.Message)
	}
	if len(fields) > 0 {
		return fmt.Errorf("filen har %d fel; ingenting importerades", len(fields))
	}
	return err
}

func (c *cli) importBatch(ctx context.Context, dbURL string, b *indikator.Batch, name string) error {
	return c.withDB(ctx, dbURL, func(ctx context.Context, db *sqldb.DB) error {
		res, err := sqldb.NewIndicatorService(db, sqldb.NewCountService(db)).Import(ctx, b, name)
		if err != nil {
			return printProblems(c, err)
		}
		fmt.Fprintf(c.Stdout, "Importerade %d serier: %d nya, %d reviderade och %d oförändrade värden.\n", res.Series, res.Added, res.Revised, res.Unchanged)
		return nil
	})
}
