package sqldb

import (
	"context"
	"fmt"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
)

// The samordnare's settings of a series (indicator_settings): its name,
// polarity and place in the yearly document, over its source's, for
// imported and own series alike.

// applySettings puts the stored settings over the series: each is in the
// yearly document unless the samordnare left it out.
func applySettings(ctx context.Context, q queryer, list []*indikator.Series) error {
	type setting struct {
		name     string
		polarity indikator.Polarity
		inYearly bool
	}
	set := map[string]setting{}
	err := eachRow(ctx, q, "SELECT code, name, polarity, in_yearly FROM indicator_settings", nil, func(row interface{ Scan(...any) error }) error {
		var code string
		var st setting
		var in int
		err := row.Scan(&code, &st.name, &st.polarity, &in)
		st.inYearly = in != 0
		set[code] = st
		return err
	})
	if err != nil {
		return err
	}
	for _, sr := range list {
		sr.InYearly = true
		if st, ok := set[sr.Code]; ok {
			sr.Name, sr.Polarity, sr.InYearly = st.name, st.polarity, st.inYearly
		}
	}
	return nil
}

// UpdateSeries stores a series' settings (indikator.Service). Samordnare
// and the operator; EINVALID, ENOTFOUND.
func (s *IndicatorService) UpdateSeries(ctx context.Context, code string, in indikator.SeriesSettings) (*indikator.Series, error) {
	c := caller(ctx)
	if !managesIndicators(c) {
		return nil, c.denied()
	}
	if _, err := s.FindSeriesByCode(ctx, code); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO indicator_settings (code, name, polarity, in_yearly, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, polarity = excluded.polarity, in_yearly = excluded.in_yearly,
				updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			code, in.Name, string(in.Polarity), boolInt(in.InYearly), millis(tx.now), userID(c)); err != nil {
			return err
		}
		yearly := "med i årsdokumentet"
		if !in.InYearly {
			yearly = "inte med i årsdokumentet"
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "indicator_series", objectID: code,
			detail: fmt.Sprintf("polaritet %s, %s", in.Polarity, yearly)})
	})
	if err != nil {
		return nil, err
	}
	return s.FindSeriesByCode(ctx, code)
}
