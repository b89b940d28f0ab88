package demo

import (
	"context"
	"fmt"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
)

// importChunk is how many reports go into one ImportReports call: large
// enough to be fast, small enough to keep each transaction short.
const importChunk = 5000

// Load writes the data set through the services as the operator: the
// organisations, the areas, the users, then each organisation's reports in
// chunks. It is meant for an empty database; a code or e-mail that is
// already taken fails with ECONFLICT. Each report is checked as an import
// would check it, at the data set's end time. ds is left as generated (the
// services write the new ids into copies), so one data set can be loaded
// into several databases, also at the same time.
func Load(ctx context.Context, s app.Services, ds *Dataset) error {
	ctx = trygg.NewOperatorContext(ctx)
	for _, o := range ds.Organisations {
		o := *o
		if err := s.Organisations.CreateOrganisation(ctx, &o); err != nil {
			return fmt.Errorf("demo organisation %s: %w", o.Code, err)
		}
	}
	areas := make([]*trygg.Area, len(ds.Areas))
	for i, a := range ds.Areas {
		a := *a
		areas[i] = &a
	}
	if err := s.Areas.UpsertAreas(ctx, areas); err != nil {
		return fmt.Errorf("demo areas: %w", err)
	}
	ids := make(map[string]int64, len(ds.Users))
	for _, nu := range ds.Users {
		u, err := s.Users.CreateUser(ctx, nu)
		if err != nil {
			return fmt.Errorf("demo user %s: %w", nu.Email, err)
		}
		ids[nu.Email] = u.ID
	}

	byOrg := map[string][]trygg.ImportRow{}
	var order []string
	for i, rep := range ds.Reports {
		id, ok := ids[rep.ReporterEmail]
		if !ok {
			return fmt.Errorf("demo report %d: no user %s", i, rep.ReporterEmail)
		}
		in := rep.Input
		if err := in.Validate(ds.End); err != nil {
			return fmt.Errorf("demo report %d: %w", i, err)
		}
		if _, seen := byOrg[rep.OrgCode]; !seen {
			order = append(order, rep.OrgCode)
		}
		byOrg[rep.OrgCode] = append(byOrg[rep.OrgCode], trygg.ImportRow{
			Line: len(byOrg[rep.OrgCode]) + 1, Input: in, ReportedAt: rep.ReportedAt, ReporterID: &id,
		})
	}
	for _, org := range order {
		rows := byOrg[org]
		for start := 0; start < len(rows); start += importChunk {
			chunk := rows[start:min(start+importChunk, len(rows))]
			if _, err := s.Reports.ImportReports(ctx, org, chunk); err != nil {
				return fmt.Errorf("demo reports of %s: %w", org, err)
			}
		}
	}
	if err := loadConcerns(ctx, s, ds); err != nil {
		return err
	}
	if err := loadSamverkan(ctx, s, ds); err != nil {
		return err
	}
	if err := loadOperativ(ctx, s, ds); err != nil {
		return err
	}
	if err := loadLeverantorer(ctx, s, ds); err != nil {
		return err
	}
	if err := loadIndicators(ctx, s, ds); err != nil { // issue 17
		return err
	}
	if err := loadSSPF(ctx, s, ds); err != nil {
		return err
	}
	if err := loadNattvandring(ctx, s, ds); err != nil { // issue 15
		return err
	}
	if err := loadTips(ctx, s, ds, ids); err != nil {
		return err
	}
	if err := publishDemoWeek(ctx, s, ds, ids); err != nil {
		return err
	}
	return loadYearly(ctx, s, ds) // issue 17: drafts from everything above
}
