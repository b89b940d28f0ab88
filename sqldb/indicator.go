package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/samverkan"
)

// IndicatorService implements indikator.Service: the imported series are
// stored, Trygg's own are computed from the data when read (ownSources).
type IndicatorService struct {
	db     *DB
	counts trygg.CountService
}

// NewIndicatorService returns the indicator service on db.
func NewIndicatorService(db *DB, counts trygg.CountService) *IndicatorService {
	return &IndicatorService{db: db, counts: counts}
}

// Who may do what with indicators (docs/indikatorer.md). The imported
// series are open data and every signed-in user may read them; Trygg's own
// series count reports, and only those who may read report counts see
// them. Only the samordnare imports and keeps the peer groups, because
// an import changes what every page and commitment light shows.
func readsIndicators(c identity) bool { return c.operator || c.user != nil }

func readsOwnIndicators(c identity) bool { return mayCount(c) }

func managesIndicators(c identity) bool { return managesSamverkan(c) }

const seriesColumns = "id, code, name, source, unit, kind, polarity, licence, retrieved_on, external, updated_at"

func scanSeries(row interface{ Scan(...any) error }) (*indikator.Series, error) {
	var s indikator.Series
	var updated int64
	if err := row.Scan(&s.ID, &s.Code, &s.Name, &s.Source, &s.Unit, &s.Kind, &s.Polarity, &s.Licence, &s.Retrieved, &s.External, &updated); err != nil {
		return nil, err
	}
	s.UpdatedAt = fromMillis(updated)
	return &s, nil
}

// FindSeries lists the imported series and, for those who may read report
// counts, Trygg's own. Every signed-in user.
func (s *IndicatorService) FindSeries(ctx context.Context, f indikator.SeriesFilter) ([]*indikator.Series, error) {
	c := caller(ctx)
	if !readsIndicators(c) {
		return nil, c.denied()
	}
	var out []*indikator.Series
	if f.Source != indikator.SourceTrygg {
		q, args := "SELECT "+seriesColumns+" FROM indicator_series", []any{}
		if f.Source != "" {
			q, args = q+" WHERE source = $1", append(args, string(f.Source))
		}
		err := eachRow(ctx, s.db.read, q+" ORDER BY source, name, code", args, func(row interface{ Scan(...any) error }) error {
			sr, err := scanSeries(row)
			out = append(out, sr)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if (f.Source == "" || f.Source == indikator.SourceTrygg) && readsOwnIndicators(c) {
		own, err := s.ownSeries(ctx)
		if err != nil {
			return nil, err
		}
		for _, o := range own {
			out = append(out, &o.Series)
		}
	}
	return out, applySettings(ctx, s.db.read, out)
}

// FindSeriesByCode returns one series. As FindSeries; ENOTFOUND.
func (s *IndicatorService) FindSeriesByCode(ctx context.Context, code string) (*indikator.Series, error) {
	c := caller(ctx)
	if !readsIndicators(c) {
		return nil, c.denied()
	}
	o, err := s.findOwn(ctx, c, code)
	if err != nil {
		return nil, err
	}
	var sr *indikator.Series
	if o != nil {
		sr = &o.Series
	} else {
		sr, err = scanSeries(s.db.read.QueryRowContext(ctx, "SELECT "+seriesColumns+" FROM indicator_series WHERE code = $1", code))
		if errors.Is(err, sql.ErrNoRows) {
			return nil, trygg.NotFound()
		}
		if err != nil {
			return nil, err
		}
	}
	return sr, applySettings(ctx, s.db.read, []*indikator.Series{sr})
}

// findOwn returns the own series with the code, nil when code is not an
// own series, and ENOTFOUND for an own series the caller may not read.
func (s *IndicatorService) findOwn(ctx context.Context, c identity, code string) (*ownSeries, error) {
	if !indikator.IsOwn(code) {
		return nil, nil
	}
	if !readsOwnIndicators(c) {
		return nil, trygg.NotFound()
	}
	own, err := s.ownSeries(ctx)
	if err != nil {
		return nil, err
	}
	for i := range own {
		if own[i].Code == code {
			return &own[i], nil
		}
	}
	return nil, trygg.NotFound()
}

// Values returns a series' values for areas (all when none), by area and
// year. As FindSeries.
func (s *IndicatorService) Values(ctx context.Context, code string, areas []string) ([]indikator.Value, error) {
	c := caller(ctx)
	if !readsIndicators(c) {
		return nil, c.denied()
	}
	return s.values(ctx, c, code, areas)
}

func (s *IndicatorService) values(ctx context.Context, c identity, code string, areas []string) ([]indikator.Value, error) {
	own, err := s.findOwn(ctx, c, code)
	if err != nil {
		return nil, err
	}
	var out []indikator.Value
	if own != nil {
		all, err := own.values(trygg.NewOperatorContext(ctx), s)
		if err != nil {
			return nil, err
		}
		for _, v := range all {
			if len(areas) == 0 || slices.Contains(areas, v.Area) {
				v.Series = code
				out = append(out, v)
			}
		}
		slices.SortFunc(out, func(a, b indikator.Value) int {
			return cmp.Or(cmp.Compare(a.Area, b.Area), cmp.Compare(a.Year, b.Year))
		})
		return out, nil
	}
	var id int64
	if err := s.db.read.QueryRowContext(ctx, "SELECT id FROM indicator_series WHERE code = $1", code).Scan(&id); errors.Is(err, sql.ErrNoRows) {
		return nil, trygg.NotFound()
	} else if err != nil {
		return nil, err
	}
	q, args := "SELECT area, year, value FROM indicator_values WHERE series_id = $1", []any{id}
	if len(areas) > 0 {
		q += " AND area IN (" + placeholders(2, len(areas)) + ")"
		for _, a := range areas {
			args = append(args, a)
		}
	}
	err = eachRow(ctx, s.db.read, q+" ORDER BY area, year", args, func(row interface{ Scan(...any) error }) error {
		v := indikator.Value{Series: code}
		err := row.Scan(&v.Area, &v.Year, &v.Value)
		out = append(out, v)
		return err
	})
	return out, err
}

// Revisions returns the earlier values of an imported series in an area,
// newest first. As FindSeries.
func (s *IndicatorService) Revisions(ctx context.Context, code, area string) ([]indikator.Revision, error) {
	c := caller(ctx)
	if !readsIndicators(c) {
		return nil, c.denied()
	}
	var out []indikator.Revision
	err := eachRow(ctx, s.db.read, `SELECT r.area, r.year, r.value, r.replaced_at FROM indicator_revisions r
		JOIN indicator_series s ON s.id = r.series_id WHERE s.code = $1 AND r.area = $2 ORDER BY r.replaced_at DESC, r.year DESC`,
		[]any{code, area}, func(row interface{ Scan(...any) error }) error {
			var r indikator.Revision
			var at int64
			err := row.Scan(&r.Area, &r.Year, &r.Value, &at)
			r.ReplacedAt = fromMillis(at)
			out = append(out, r)
			return err
		})
	return out, err
}

// Import stores a batch in one transaction (indikator.Service). Samordnare
// and the operator.
func (s *IndicatorService) Import(ctx context.Context, b *indikator.Batch, fileName string) (indikator.ImportResult, error) {
	c := caller(ctx)
	var res indikator.ImportResult
	if !managesIndicators(c) {
		return res, c.denied()
	}
	if err := b.Check(); err != nil {
		return res, err
	}
	if len(fileName) > 200 {
		fileName = fileName[:200]
	}
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		res = indikator.ImportResult{Series: len(b.Series), Values: len(b.Values)}
		now := millis(tx.now)
		var importID int64
		var by sql.NullInt64
		if c.user != nil {
			by = sql.NullInt64{Int64: c.user.ID, Valid: true}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO indicator_imports (source, file_name, series_count, value_count, added, revised, imported_at, imported_by)
			VALUES ($1, $2, $3, $4, 0, 0, $5, $6) RETURNING id`, string(b.Source), fileName, len(b.Series), len(b.Values), now, by).Scan(&importID); err != nil {
			return err
		}
		ids := map[string]int64{}
		for _, sr := range b.Series {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO indicator_series (code, name, source, unit, kind, polarity, licence, retrieved_on, external, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, unit = excluded.unit, licence = excluded.licence,
					retrieved_on = excluded.retrieved_on, external = excluded.external, updated_at = excluded.updated_at
				RETURNING id`, sr.Code, sr.Name, string(sr.Source), sr.Unit, string(sr.Kind), string(sr.Polarity), sr.Licence, sr.Retrieved, sr.External, now).Scan(&id)
			if err != nil {
				return err
			}
			ids[sr.Code] = id
		}
		// The stored values of these series, to tell new, revised and
		// unchanged values apart in memory rather than row by row.
		type key struct {
			id   int64
			area string
			year int
		}
		stored := map[key]float64{}
		for _, id := range ids {
			err := eachRow(ctx, tx, "SELECT area, year, value FROM indicator_values WHERE series_id = $1", []any{id},
				func(row interface{ Scan(...any) error }) error {
					k := key{id: id}
					var v float64
					err := row.Scan(&k.area, &k.year, &v)
					stored[k] = v
					return err
				})
			if err != nil {
				return err
			}
		}
		var added []indikator.Value
		var revised []indikator.Value
		for _, v := range b.Values {
			old, ok := stored[key{ids[v.Series], v.Area, v.Year}]
			switch {
			case !ok:
				added = append(added, v)
			case old != v.Value:
				revised = append(revised, v)
			}
		}
		res.Added, res.Revised = len(added), len(revised)
		res.Unchanged = len(b.Values) - res.Added - res.Revised
		err := writeRows(ctx, tx, "INSERT INTO indicator_values (series_id, area, year, value, updated_at)", "", 5, len(added),
			func(dst []any, from, to int) []any {
				for _, v := range added[from:to] {
					dst = append(dst, ids[v.Series], v.Area, v.Year, v.Value, now)
				}
				return dst
			})
		if err != nil {
			return err
		}
		for _, v := range revised {
			id := ids[v.Series]
			if _, err := tx.ExecContext(ctx, `INSERT INTO indicator_revisions (series_id, area, year, value, replaced_at, import_id)
				VALUES ($1, $2, $3, $4, $5, $6)`, id, v.Area, v.Year, stored[key{id, v.Area, v.Year}], now, importID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE indicator_values SET value = $1, updated_at = $2 WHERE series_id = $3 AND area = $4 AND year = $5`,
				v.Value, now, id, v.Area, v.Year); err != nil {
				return err
			}
		}
		for code, name := range b.Names {
			if _, err := tx.ExecContext(ctx, `INSERT INTO indicator_municipalities (code, name) VALUES ($1, $2)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name`, code, name); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE indicator_imports SET added = $1, revised = $2 WHERE id = $3", res.Added, res.Revised, importID); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditImport, objectType: "indicator_import", objectID: objectID(importID),
			detail: fmt.Sprintf("%s: %d serier, %d nya, %d reviderade, %d oförändrade värden", b.Source, res.Series, res.Added, res.Revised, res.Unchanged)})
	})
	return res, err
}

// MunicipalityNames returns the municipalities' names by code. Every
// signed-in user.
func (s *IndicatorService) MunicipalityNames(ctx context.Context) (map[string]string, error) {
	c := caller(ctx)
	if !readsIndicators(c) {
		return nil, c.denied()
	}
	out := map[string]string{}
	err := eachRow(ctx, s.db.read, "SELECT code, name FROM indicator_municipalities", nil, func(row interface{ Scan(...any) error }) error {
		var code, name string
		err := row.Scan(&code, &name)
		out[code] = name
		return err
	})
	return out, err
}

const peerColumns = "id, name, municipality, members, updated_at"

func scanPeerGroup(row interface{ Scan(...any) error }) (*indikator.PeerGroup, error) {
	var g indikator.PeerGroup
	var members string
	var updated int64
	if err := row.Scan(&g.ID, &g.Name, &g.Municipality, &members, &updated); err != nil {
		return nil, err
	}
	g.Members, g.UpdatedAt = splitCodes(members), fromMillis(updated)
	return &g, nil
}

// FindPeerGroups lists the peer groups by name. Every signed-in user.
func (s *IndicatorService) FindPeerGroups(ctx context.Context) ([]*indikator.PeerGroup, error) {
	c := caller(ctx)
	if !readsIndicators(c) {
		return nil, c.denied()
	}
	var out []*indikator.PeerGroup
	err := eachRow(ctx, s.db.read, "SELECT "+peerColumns+" FROM indicator_peer_groups ORDER BY name, id", nil,
		func(row interface{ Scan(...any) error }) error {
			g, err := scanPeerGroup(row)
			out = append(out, g)
			return err
		})
	return out, err
}

// FindPeerGroup returns one peer group. Every signed-in user; ENOTFOUND.
func (s *IndicatorService) FindPeerGroup(ctx context.Context, id int64) (*indikator.PeerGroup, error) {
	c := caller(ctx)
	if !readsIndicators(c) {
		return nil, c.denied()
	}
	g, err := scanPeerGroup(s.db.read.QueryRowContext(ctx, "SELECT "+peerColumns+" FROM indicator_peer_groups WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trygg.NotFound()
	}
	return g, err
}

// SavePeerGroup creates or updates a peer group. Samordnare and the
// operator; EINVALID, ENOTFOUND.
func (s *IndicatorService) SavePeerGroup(ctx context.Context, g *indikator.PeerGroup) (*indikator.PeerGroup, error) {
	c := caller(ctx)
	if !managesIndicators(c) {
		return nil, c.denied()
	}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	var out *indikator.PeerGroup
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		now := millis(tx.now)
		id := g.ID
		action := trygg.AuditUpdate
		if id == 0 {
			action = trygg.AuditCreate
			if err := tx.QueryRowContext(ctx, `INSERT INTO indicator_peer_groups (name, municipality, members, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $4) RETURNING id`, g.Name, g.Municipality, joinCodes(g.Members), now).Scan(&id); err != nil {
				return err
			}
		} else if err := updatedOne(tx.ExecContext(ctx, `UPDATE indicator_peer_groups SET name = $1, municipality = $2, members = $3, updated_at = $4
			WHERE id = $5`, g.Name, g.Municipality, joinCodes(g.Members), now, id)); err != nil {
			return err
		}
		if err := tx.audit(ctx, actorOf(c), auditEntry{action: action, objectType: "indicator_peer_group", objectID: objectID(id),
			detail: fmt.Sprintf("%d kommuner", len(g.Members))}); err != nil {
			return err
		}
		var err error
		out, err = scanPeerGroup(tx.QueryRowContext(ctx, "SELECT "+peerColumns+" FROM indicator_peer_groups WHERE id = $1", id))
		return err
	})
	return out, err
}

// checkIndicatorSeries checks the indicator a commitment is measured by,
// when it is one of the series under /indikatorer: the series exists and
// has values for the area; the commitment takes the series' kind, which
// decides how its effect is evaluated and what is withheld.
func checkIndicatorSeries(ctx context.Context, tx *Tx, v *trygg.Validation, ind *samverkan.Indicator) error {
	if ind.Source != samverkan.IndicatorIndikator {
		return nil
	}
	s := NewIndicatorService(tx.db, NewCountService(tx.db))
	op := trygg.NewOperatorContext(ctx)
	sr, err := s.FindSeriesByCode(op, ind.Series)
	if trygg.ErrorCode(err) == trygg.ENOTFOUND {
		v.Add("indicator_series", "Indikatorn finns inte. Välj en av dem under Indikatorer.")
		return nil
	} else if err != nil {
		return err
	}
	values, err := s.Values(op, sr.Code, []string{ind.SeriesArea})
	if err != nil {
		return err
	}
	if len(values) == 0 {
		v.Add("indicator_series_area", "Indikatorn har inga värden för %s.", ind.SeriesArea)
	}
	ind.Kind = samverkan.IndicatorMeasure
	if sr.Kind == indikator.KindCount {
		ind.Kind = samverkan.IndicatorCounts
	}
	return nil
}

// setIndicatorSeries stores the series and area of a commitment's
// indicator (empty unless samverkan.IndicatorIndikator).
func setIndicatorSeries(ctx context.Context, tx *Tx, id int64, ind samverkan.Indicator) error {
	_, err := tx.ExecContext(ctx, "UPDATE commitments SET indicator_series = $1, indicator_series_area = $2 WHERE id = $3", ind.Series, ind.SeriesArea, id)
	return err
}

// seriesPoints reads a commitment's yearly indicator with the operator's
// rights: one value a year, dated its last day (samverkan.YearPoint).
func (s *AgreementService) seriesPoints(ctx context.Context, sc storedCommitment, audience samverkan.Audience) ([]samverkan.IndicatorPoint, error) {
	ind := NewIndicatorService(s.db, s.counts)
	values, err := ind.Values(trygg.NewOperatorContext(ctx), sc.Indicator.Series, []string{sc.Indicator.SeriesArea})
	if trygg.ErrorCode(err) == trygg.ENOTFOUND {
		return nil, nil // the series is gone: no values, a grey light
	} else if err != nil {
		return nil, err
	}
	out := make([]samverkan.IndicatorPoint, 0, len(values))
	for _, v := range values {
		out = append(out, samverkan.YearPoint(v.Year, v.Value))
	}
	return samverkan.ForAudience(out, sc.Indicator, audience), nil
}
