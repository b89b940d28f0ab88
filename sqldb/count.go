package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
)

// The aggregate tables (migration 00004) are changed only through
// countDeltas, inside the transaction that changes the reports. Every write
// transaction holds the audit chain lock (beginWrite), so two of them never
// read-modify-write the same week row at once, on either database.

// countKey is one cell of report_day_counts.
type countKey struct {
	day      trygg.Day
	area     string
	category string
	orgType  trygg.OrgType
}

// countDeltas collects changes to the counts within one transaction.
type countDeltas map[countKey]int

// add counts n more (or, negative, fewer) reports that occurred at t.
func (d countDeltas) add(t time.Time, area, category string, orgType trygg.OrgType, n int) {
	d[countKey{day: trygg.DayOf(t), area: area, category: category, orgType: orgType}] += n
}

// weeksPerRow is how many weekly counts one report_week_counts row holds.
const weeksPerRow = 53

// weekRowKey is one row of report_week_counts.
type weekRowKey struct {
	isoYear  int
	area     string
	category string
	orgType  trygg.OrgType // allOrgTypes: every type together
}

// allOrgTypes is the org_type of the week rows that count every type.
const allOrgTypes trygg.OrgType = ""

// apply writes the deltas to both count tables.
func (d countDeltas) apply(ctx context.Context, tx *Tx) error {
	keys := make([]countKey, 0, len(d))
	for k, n := range d {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, func(a, b countKey) int {
		return cmp.Or(cmp.Compare(a.day, b.day), strings.Compare(a.area, b.area),
			strings.Compare(a.category, b.category), strings.Compare(string(a.orgType), string(b.orgType)))
	})
	if err := d.applyDays(ctx, tx, keys); err != nil {
		return err
	}
	return d.applyWeeks(ctx, tx, keys)
}

func (d countDeltas) applyDays(ctx context.Context, tx *Tx, keys []countKey) error {
	err := writeRows(ctx, tx, "INSERT INTO report_day_counts (day, area_code, category, org_type, n)",
		" ON CONFLICT (day, area_code, category, org_type) DO UPDATE SET n = report_day_counts.n + excluded.n",
		5, len(keys), func(dst []any, from, to int) []any {
			for _, k := range keys[from:to] {
				dst = append(dst, int64(k.day), k.area, k.category, string(k.orgType), d[k])
			}
			return dst
		})
	if err != nil {
		return fmt.Errorf("day counts: %w", err)
	}
	for _, k := range keys {
		if d[k] >= 0 {
			continue
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM report_day_counts WHERE day = $1 AND area_code = $2 AND category = $3
			AND org_type = $4 AND n <= 0`, int64(k.day), k.area, k.category, string(k.orgType))
		if err != nil {
			return fmt.Errorf("day counts: %w", err)
		}
	}
	return nil
}

func (d countDeltas) applyWeeks(ctx context.Context, tx *Tx, keys []countKey) error {
	rows := map[weekRowKey]*[weeksPerRow]int{}
	var order []weekRowKey
	for _, k := range keys {
		year, week := k.day.ISOWeek()
		for _, orgType := range []trygg.OrgType{k.orgType, allOrgTypes} {
			rk := weekRowKey{isoYear: year, area: k.area, category: k.category, orgType: orgType}
			delta, ok := rows[rk]
			if !ok {
				delta = new([weeksPerRow]int)
				rows[rk] = delta
				order = append(order, rk)
			}
			delta[week-1] += d[k]
		}
	}
	for _, rk := range order {
		var blob []byte
		err := tx.QueryRowContext(ctx, `SELECT counts FROM report_week_counts WHERE iso_year = $1 AND org_type = $2
			AND area_code = $3 AND category = $4`, rk.isoYear, string(rk.orgType), rk.area, rk.category).Scan(&blob)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("week counts: %w", err)
		}
		counts := decodeWeeks(blob)
		for i, n := range rows[rk] {
			counts[i] += n
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO report_week_counts (iso_year, org_type, area_code, category, counts)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_type, iso_year, area_code, category) DO UPDATE SET counts = excluded.counts`,
			rk.isoYear, string(rk.orgType), rk.area, rk.category, encodeWeeks(counts))
		if err != nil {
			return fmt.Errorf("week counts: %w", err)
		}
	}
	return nil
}

// decodeWeeks reads a report_week_counts blob; a missing row is all zeros.
func decodeWeeks(blob []byte) [weeksPerRow]int {
	var counts [weeksPerRow]int
	for i := range counts {
		if len(blob) >= 4*(i+1) {
			counts[i] = int(binary.LittleEndian.Uint32(blob[4*i:]))
		}
	}
	return counts
}

func encodeWeeks(counts [weeksPerRow]int) []byte {
	blob := make([]byte, 4*weeksPerRow)
	for i, n := range counts {
		binary.LittleEndian.PutUint32(blob[4*i:], uint32(max(n, 0)))
	}
	return blob
}

// countOf reads what a stored report contributes to the counts.
func countOf(ctx context.Context, tx *Tx, id int64) (countKey, error) {
	var occurred int64
	var k countKey
	err := tx.QueryRowContext(ctx, "SELECT occurred_at, area_code, category, org_type FROM reports WHERE id = $1", id).
		Scan(&occurred, &k.area, &k.category, &k.orgType)
	k.day = trygg.DayOf(fromMillis(occurred))
	return k, err
}

// rebuildCounts recomputes both count tables from the reports. Migrate runs
// it once, for reports stored before the tables existed.
func rebuildCounts(ctx context.Context, tx *Tx) error {
	for _, table := range []string{"report_day_counts", "report_week_counts"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return err
		}
	}
	rows, err := tx.QueryContext(ctx, "SELECT occurred_at, area_code, category, org_type FROM reports WHERE deleted_at IS NULL")
	if err != nil {
		return err
	}
	defer rows.Close()
	d := countDeltas{}
	for rows.Next() {
		var occurred int64
		var area, category string
		var orgType trygg.OrgType
		if err := rows.Scan(&occurred, &area, &category, &orgType); err != nil {
			return err
		}
		d.add(fromMillis(occurred), area, category, orgType, 1)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	return d.apply(ctx, tx)
}

// CountService implements trygg.CountService on the count tables.
type CountService struct{ db *DB }

// NewCountService returns a CountService on db.
func NewCountService(db *DB) *CountService { return &CountService{db: db} }

// mayCount reports whether the caller may read counts other than the
// public ones.
func mayCount(c identity) bool {
	return c.operator || c.user.Has(trygg.RoleSamordnare, trygg.RolePolis, trygg.RoleLasare, trygg.RoleAdmin)
}

// countConditions is the WHERE clause of f over report_day_counts (with
// its keyword), and its arguments.
func countConditions(f trygg.CountFilter) (string, []any) {
	q := &reportQuery{}
	q.add("day >= %s", int64(f.From))
	q.add("day <= %s", int64(f.To))
	if len(f.Areas) > 0 {
		q.in("area_code", anySlice(f.Areas))
	}
	if len(f.Categories) > 0 {
		q.in("category", anySlice(f.Categories))
	}
	if len(f.OrgTypes) > 0 {
		types := make([]any, len(f.OrgTypes))
		for i, t := range f.OrgTypes {
			types[i] = string(t)
		}
		q.in("org_type", types)
	}
	return q.sql(), q.args
}

// CountCells implements trygg.CountService.
func (s *CountService) CountCells(ctx context.Context, f trygg.CountFilter) ([]trygg.CellCount, error) {
	if c := caller(ctx); !mayCount(c) {
		return nil, c.denied()
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	where, args := countConditions(f)
	rows, err := s.db.read.QueryContext(ctx, `SELECT area_code, category, SUM(n) FROM report_day_counts`+where+`
		GROUP BY area_code, category ORDER BY area_code, category`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cells []trygg.CellCount
	for rows.Next() {
		var cell trygg.CellCount
		if err := rows.Scan(&cell.Area, &cell.Category, &cell.Count); err != nil {
			return nil, err
		}
		if cell.Count > 0 {
			cells = append(cells, cell)
		}
	}
	return cells, rows.Err()
}

// CountWeeks implements trygg.CountService. It reads the packed weekly
// rows: those of all organisation types together, or of the types asked
// for.
func (s *CountService) CountWeeks(ctx context.Context, f trygg.CountFilter) (*trygg.WeekCube, error) {
	if c := caller(ctx); !mayCount(c) {
		return nil, c.denied()
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	first := f.From.Monday()
	cube := newCubeBuilder(first, int(f.To.Monday()-first)/7+1)
	firstYear, _ := first.ISOWeek()
	lastYear, _ := f.To.ISOWeek()
	q := &reportQuery{}
	q.add("iso_year >= %s", firstYear)
	q.add("iso_year <= %s", lastYear)
	orgTypes := []any{string(allOrgTypes)}
	if len(f.OrgTypes) > 0 {
		orgTypes = orgTypes[:0]
		for _, t := range f.OrgTypes {
			orgTypes = append(orgTypes, string(t))
		}
	}
	q.in("org_type", orgTypes)
	if len(f.Areas) > 0 {
		q.in("area_code", anySlice(f.Areas))
	}
	if len(f.Categories) > 0 {
		q.in("category", anySlice(f.Categories))
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT iso_year, area_code, category, counts FROM report_week_counts`+q.sql(), q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var blob []byte
	for rows.Next() {
		var year int
		var area, category string
		if err := rows.Scan(&year, &area, &category, &blob); err != nil {
			return nil, err
		}
		counts := decodeWeeks(blob)
		monday := trygg.ISOWeekMonday(year, 1)
		var series []int
		for i, n := range counts {
			k := int(monday-cube.first)/7 + i
			if n == 0 || k < 0 || k >= cube.weeks {
				continue
			}
			if series == nil {
				series = cube.series(area, category)
			}
			series[k] += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return cube.cube(), nil
}

// cubeBuilder collects weekly counts into a trygg.WeekCube, dropping
// weeks outside its span.
type cubeBuilder struct {
	first       trygg.Day
	weeks       int
	seriesByKey map[[2]string]*trygg.WeekSeries
}

func newCubeBuilder(first trygg.Day, weeks int) *cubeBuilder {
	return &cubeBuilder{first: first, weeks: weeks, seriesByKey: map[[2]string]*trygg.WeekSeries{}}
}

// series returns the counts of area and category, made on first use.
func (b *cubeBuilder) series(area, category string) []int {
	key := [2]string{area, category}
	ws, ok := b.seriesByKey[key]
	if !ok {
		ws = &trygg.WeekSeries{Area: area, Category: category, Counts: make([]int, b.weeks)}
		b.seriesByKey[key] = ws
	}
	return ws.Counts
}

func (b *cubeBuilder) cube() *trygg.WeekCube {
	c := &trygg.WeekCube{FirstMonday: b.first, Weeks: b.weeks, Series: make([]trygg.WeekSeries, 0, len(b.seriesByKey))}
	for _, ws := range b.seriesByKey {
		c.Series = append(c.Series, *ws)
	}
	slices.SortFunc(c.Series, func(a, b trygg.WeekSeries) int {
		return cmp.Or(strings.Compare(a.Area, b.Area), strings.Compare(a.Category, b.Category))
	})
	return c
}
