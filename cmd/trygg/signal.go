package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/trygg-est/trygg/detect"
	"github.com/trygg-est/trygg/reportio"
)

func defineSignal(fs *flag.FlagSet) action {
	names := make([]string, len(detect.Methods))
	for i, m := range detect.Methods {
		names[i] = m.String()
	}
	method := fs.String("method", "", "metod: "+strings.Join(names, ", "))
	in := fs.String("in", "", "CSV-fil med kolumnerna week_index,count, en rad per vecka")
	out := fs.String("out", "", "skriv till denna fil i stället för till standard ut")
	return func(ctx context.Context, c *cli, _ []string) error {
		if *method == "" {
			return usageErrorf("ange metod med --method: %s", strings.Join(names, ", "))
		}
		m, ok := detect.ParseMethod(*method)
		if !ok {
			return usageErrorf("--method: okänd metod %q; välj en av %s", *method, strings.Join(names, ", "))
		}
		if *in == "" {
			return usageErrorf("ange serien med --in FIL.csv")
		}
		f, err := os.Open(*in)
		if err != nil {
			return fmt.Errorf("kan inte öppna filen: %w", err)
		}
		defer f.Close()
		series, err := reportio.ReadSeries(f)
		if err != nil {
			return err
		}
		results := detect.Evaluate(series.Counts, m, 0)

		return c.writeOutput(*out, func(w io.Writer) error {
			return reportio.WriteResults(w, series, m, results)
		})
	}
}
