package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
)

// The synthetic municipality of the benchmark: benchAreas districts,
// benchCategories categories, one organisation of every type, and weekly
// counts that follow a yearly season with a level of their own per area
// and category. The same seed always gives the same data.
const (
	benchAreas      = 40
	benchCategories = 25
	benchYears      = 5
	// weeksPerImport is how many weeks of one organisation's reports go
	// into one ImportReports call (one transaction).
	weeksPerImport = 8
)

var benchOrgTypes = []trygg.OrgType{trygg.OrgMunicipal, trygg.OrgPolice, trygg.OrgSchool, trygg.OrgSocialServices,
	trygg.OrgProperty, trygg.OrgRetailer, trygg.OrgAssociation, trygg.OrgSecurity}

// world is the municipality's fixed parts: what the generator needs to
// know once they are in the database.
type world struct {
	areas      []*trygg.Area
	categories []string
	orgs       []string
	end        trygg.Day // the Sunday that ends the last generated week
}

// setUpWorld creates the areas and organisations (when missing) and picks
// the categories.
func setUpWorld(ctx context.Context, s app.Services, end trygg.Day) (*world, error) {
	w := &world{end: end}
	rng := rand.New(rand.NewPCG(7, 40))
	for i := range benchAreas {
		w.areas = append(w.areas, &trygg.Area{
			Code: fmt.Sprintf("omr%02d", i+1), Name: fmt.Sprintf("Område %d", i+1), Population: 2000 + rng.IntN(18000),
		})
	}
	if err := s.Areas.UpsertAreas(ctx, w.areas); err != nil {
		return nil, err
	}
	for _, t := range benchOrgTypes {
		code := "bench-" + string(t)
		if _, err := s.Organisations.FindOrganisationByCode(ctx, code); trygg.ErrorCode(err) == trygg.ENOTFOUND {
			if err := s.Organisations.CreateOrganisation(ctx, &trygg.Organisation{Code: code, Name: "Benchmark " + string(t), Type: t}); err != nil {
				return nil, err
			}
		} else if err != nil {
			return nil, err
		}
		w.orgs = append(w.orgs, code)
	}
	cats, err := s.Categories.FindCategories(ctx, false)
	if err != nil {
		return nil, err
	}
	if len(cats) < benchCategories {
		return nil, fmt.Errorf("benchmark needs %d categories, the database has %d", benchCategories, len(cats))
	}
	for _, c := range cats[:benchCategories] {
		w.categories = append(w.categories, c.Code)
	}
	return w, nil
}

// weeks is the number of generated weeks.
func (w *world) weeks() int { return benchYears*52 + 1 }

// firstMonday is the Monday of the first generated week.
func (w *world) firstMonday() trygg.Day { return w.end.Monday() - trygg.Day(7*(w.weeks()-1)) }

// generate imports about total reports, week by week, and reports progress
// to log.
func (w *world) generate(ctx context.Context, s app.Services, total int, log io.Writer) error {
	rng := rand.New(rand.NewPCG(10, 1_000_000))
	areaLevel := make([]float64, benchAreas)
	catLevel := make([]float64, benchCategories)
	var sum float64
	for i := range areaLevel {
		areaLevel[i] = 0.3 + 1.7*rng.Float64()
	}
	for i := range catLevel {
		catLevel[i] = 0.2 + 2.3*rng.Float64()
	}
	for _, a := range areaLevel {
		for _, c := range catLevel {
			sum += a * c
		}
	}
	perWeek := float64(total) / float64(w.weeks()) / sum
	start := time.Now()
	written := 0
	pending := make([][]trygg.ImportRow, len(w.orgs))
	flush := func() error {
		for i, rows := range pending {
			if len(rows) == 0 {
				continue
			}
			n, err := s.Reports.ImportReports(ctx, w.orgs[i], rows)
			if err != nil {
				return err
			}
			written += n
			pending[i] = rows[:0]
		}
		rate := float64(written) / time.Since(start).Seconds()
		fmt.Fprintf(log, "\rgenerated %d of about %d reports (%.0f/s)   ", written, total, rate)
		return nil
	}
	for week := range w.weeks() {
		monday := w.firstMonday() + trygg.Day(7*week)
		season := math.Exp(0.5 * math.Sin(2*math.Pi*float64(week)/52))
		for a, area := range w.areas {
			for c, category := range w.categories {
				for range poisson(rng, perWeek*areaLevel[a]*catLevel[c]*season) {
					at := (monday + trygg.Day(rng.IntN(7))).Start().Add(time.Duration(rng.Int64N(int64(24 * time.Hour))))
					org := rng.IntN(len(w.orgs))
					pending[org] = append(pending[org], trygg.ImportRow{Line: len(pending[org]) + 2, Input: trygg.ReportInput{
						OccurredAt: at, AreaCode: area.Code, Category: category, PlaceType: trygg.PlaceTypes[rng.IntN(len(trygg.PlaceTypes))].Code,
						Severity: 1 + rng.IntN(3), Description: "Syntetisk rapport för prestandamätning.",
					}})
				}
			}
		}
		if week%weeksPerImport == weeksPerImport-1 || week == w.weeks()-1 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	fmt.Fprintln(log)
	return nil
}

// poisson draws a Poisson count: Knuth's method for small means, a
// rounded normal approximation for large ones.
func poisson(rng *rand.Rand, mean float64) int {
	if mean > 50 {
		return max(0, int(math.Round(mean+math.Sqrt(mean)*rng.NormFloat64())))
	}
	limit, k, p := math.Exp(-mean), 0, rng.Float64()
	for p > limit {
		k++
		p *= rng.Float64()
	}
	return k
}
