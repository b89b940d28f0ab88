package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/reportio"
	"github.com/trygg-est/trygg/sqldb"
)

func defineImportReports(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	org := fs.String("org", "", "koden för organisationen som rapporterna kommer från")
	rejects := fs.String("skip-invalid", "", "importera de giltiga raderna och skriv de ogiltiga, med orsak, till denna fil")
	return func(ctx context.Context, c *cli, args []string) error {
		if *org == "" {
			return usageErrorf("ange organisationens kod med --org")
		}
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			return c.importReports(ctx, db, args[0], *org, *rejects)
		})
	}
}

func (c *cli) importReports(ctx context.Context, db *sqldb.DB, path, orgCode, rejectsPath string) error {
	// An import holds every parsed row until it commits, so most of what
	// it allocates stays live: collecting garbage at the default pace
	// costs about a sixth of its CPU for little memory back.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	if _, err := sqldb.NewOrganisationService(db).FindOrganisationByCode(ctx, orgCode); err != nil {
		return explainNotFound(err, "Det finns ingen organisation med koden %q (se trygg org list).", orgCode)
	}
	known, err := knownCodes(ctx, db)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("kan inte öppna filen: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}

	var progress func(int64)
	var bar *progressBar
	counter := &lineCounter{r: f}
	if c.StderrIsTerminal {
		bar = newProgressBar(c.Stderr, info.Size(), c.Now)
		progress = func(n int64) { bar.update(n, counter.lines) }
	}
	im, err := reportio.ReadReports(counter, known, c.Now(), progress)
	if bar != nil {
		bar.finish(counter.n, counter.lines)
	}
	if err != nil {
		return err
	}

	if len(im.Bad) > 0 && rejectsPath == "" {
		for _, e := range im.Errors() {
			fmt.Fprintln(c.Stderr, e.Error())
		}
		return fmt.Errorf("%d ogiltiga rader; ingenting importerades. Rätta filen, eller importera de giltiga raderna med --skip-invalid FIL", len(im.Bad))
	}
	// The rejects are written before the import, but only appear once the
	// import has committed: either both happen or neither.
	var pending *pendingFile
	if rejectsPath != "" {
		if pending, err = createPending(rejectsPath); err != nil {
			return err
		}
		defer pending.Abort()
		if err := im.WriteRejects(pending); err != nil {
			return fmt.Errorf("skriv %s: %w", rejectsPath, err)
		}
	}
	imported := 0
	if len(im.Rows) > 0 {
		if c.StderrIsTerminal {
			fmt.Fprintf(c.Stderr, "Sparar %s rapporter …\n", groupThousands(int64(len(im.Rows))))
		}
		if imported, err = sqldb.NewReportService(db).ImportReports(ctx, orgCode, im.Rows); err != nil {
			return err
		}
	}
	if pending != nil {
		if err := pending.Commit(); err != nil {
			return fmt.Errorf("rapporterna är importerade, men de ogiltiga raderna kunde inte sparas: %w", err)
		}
	}
	fmt.Fprintf(c.Stdout, "Importerade %d rapporter (%d ogiltiga rader).\n", imported, len(im.Bad))
	if pending != nil && len(im.Bad) > 0 {
		fmt.Fprintf(c.Stdout, "De ogiltiga raderna och orsakerna finns i %s.\n", rejectsPath)
	}
	return nil
}

// knownCodes lists the area codes and the codes of categories that can be
// chosen, for the import to check each row against.
func knownCodes(ctx context.Context, db *sqldb.DB) (reportio.Known, error) {
	areas, err := sqldb.NewAreaService(db).FindAreas(ctx)
	if err != nil {
		return reportio.Known{}, err
	}
	cats, err := sqldb.NewCategoryService(db).FindCategories(ctx, false)
	if err != nil {
		return reportio.Known{}, err
	}
	known := reportio.Known{Areas: map[string]bool{}, Categories: map[string]bool{}}
	for _, a := range areas {
		known.Areas[a.Code] = true
	}
	for _, cat := range cats {
		known.Categories[cat.Code] = true
	}
	return known, nil
}

// lineCounter counts the bytes and line feeds read through it; the line
// count is the rate shown by the progress bar (a quoted field with line
// breaks counts once per line, which a rate can bear).
type lineCounter struct {
	r     io.Reader
	n     int64
	lines int
}

func (l *lineCounter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	l.lines += bytes.Count(p[:n], []byte{'\n'})
	return n, err
}

func defineImportAreas(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	return func(ctx context.Context, c *cli, args []string) error {
		f, err := os.Open(args[0])
		if err != nil {
			return fmt.Errorf("kan inte öppna filen: %w", err)
		}
		defer f.Close()
		areas, problems, err := reportio.ReadAreas(f)
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			for _, p := range problems {
				fmt.Fprintln(c.Stderr, p.Error())
			}
			return fmt.Errorf("%d områden är felaktiga; ingenting importerades", len(problems))
		}
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			if err := sqldb.NewAreaService(db).UpsertAreas(ctx, areas); err != nil {
				return err
			}
			fmt.Fprintf(c.Stdout, "Importerade %d områden.\n", len(areas))
			return nil
		})
	}
}

func defineExportReports(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	format := fs.String("format", "csv", "csv eller geojson")
	from := fs.String("from", "", "från och med datum, ÅÅÅÅ-MM-DD (svensk tid)")
	to := fs.String("to", "", "till och med datum, ÅÅÅÅ-MM-DD (svensk tid)")
	areas := fs.String("area", "", "områdeskod; flera med kommatecken")
	categories := fs.String("category", "", "kategorikod; flera med kommatecken")
	out := fs.String("out", "", "skriv till denna fil i stället för till standard ut")
	return func(ctx context.Context, c *cli, _ []string) error {
		if *format != "csv" && *format != "geojson" {
			return usageErrorf("--format: välj csv eller geojson, inte %q", *format)
		}
		f := trygg.ReportFilter{AreaCodes: splitList(*areas), Categories: splitList(*categories)}
		var err error
		if f.From, err = parseDateFlag("from", *from, false); err != nil {
			return err
		}
		if f.To, err = parseDateFlag("to", *to, true); err != nil {
			return err
		}
		if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
			return usageErrorf("--from måste vara före --to")
		}
		return c.withDB(ctx, *dbURL, func(ctx context.Context, db *sqldb.DB) error {
			return c.writeOutput(*out, func(w io.Writer) error {
				return reportio.Export(ctx, sqldb.NewReportService(db), f, *format, w)
			})
		})
	}
}
