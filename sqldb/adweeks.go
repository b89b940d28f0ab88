package sqldb

import (
	"context"

	"github.com/trygg-est/trygg/operativ"
)

// adWeeks reads the advertising indicator, oldest week first. The callers
// check who may see it.
func adWeeks(ctx context.Context, q queryer) ([]operativ.AdWeek, error) {
	var out []operativ.AdWeek
	err := eachRow(ctx, q, "SELECT week, ads, sugar_minor FROM ad_counts ORDER BY week", nil,
		func(row interface{ Scan(...any) error }) error {
			var a operativ.AdWeek
			err := row.Scan(&a.Week, &a.Ads, &a.SugarMinor)
			out = append(out, a)
			return err
		})
	return out, err
}
