package sqldb

import (
	"context"
	"slices"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/opendata"
	"github.com/trygg-est/trygg/weekly"
)

var _ opendata.Service = (*OpenDataService)(nil)

// OpenDataService reads what is published to everyone. Its answers hold
// only counts that have been through package disclose (opendata builds
// them from the raw rows read here).
type OpenDataService struct {
	db     *DB
	areas  *AreaService
	cats   *CategoryService
	weekly *WeeklyReportService
}

// NewOpenDataService returns the open-data service of db.
func NewOpenDataService(db *DB) *OpenDataService {
	return &OpenDataService{db: db, areas: NewAreaService(db), cats: NewCategoryService(db), weekly: NewWeeklyReportService(db)}
}

// PublicWeek implements opendata.Service. Anyone may call it.
func (s *OpenDataService) PublicWeek(ctx context.Context, week trygg.ISOWeek) (*opendata.Week, error) {
	if !week.Valid() || week.Sunday() >= trygg.DayOf(s.db.Now()) {
		var v trygg.Validation
		v.Add("week", "Veckan finns inte eller har inte tagit slut.")
		return nil, v.Err()
	}
	areas, groups, err := s.names(ctx)
	if err != nil {
		return nil, err
	}
	cells, err := s.cells(ctx, opendata.TrendFrom(week), week.Sunday())
	if err != nil {
		return nil, err
	}
	return opendata.BuildWeek(week, areas, groups, cells), nil
}

// PublicTertial implements opendata.Service. Anyone may call it.
func (s *OpenDataService) PublicTertial(ctx context.Context, t opendata.Tertial) (*opendata.TertialTable, error) {
	if !slices.Contains(opendata.EndedTertials(trygg.DayOf(s.db.Now()), opendata.TertialsShown), t) {
		var v trygg.Validation
		v.Add("tertial", "Tertialet finns inte, har inte tagit slut eller är för gammalt.")
		return nil, v.Err()
	}
	areas, groups, err := s.names(ctx)
	if err != nil {
		return nil, err
	}
	first, last := t.Weeks()
	cells, err := s.cells(ctx, first.Monday(), last.Sunday())
	if err != nil {
		return nil, err
	}
	return opendata.BuildTertial(t, areas, groups, cells), nil
}

// names reads the districts and the current category groups, public
// facts.
func (s *OpenDataService) names(ctx context.Context) ([]*trygg.Area, []string, error) {
	areas, err := s.areas.FindAreas(ctx)
	if err != nil {
		return nil, nil, err
	}
	cats, err := s.cats.FindCategories(ctx, true)
	if err != nil {
		return nil, nil, err
	}
	return areas, opendata.Groups(cats), nil
}

// cells reads the raw counts per day, district and category group from
// from to to, for opendata to publish.
func (s *OpenDataService) cells(ctx context.Context, from, to trygg.Day) ([]opendata.Cell, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT d.day, d.area_code, c.grp, SUM(d.n) FROM report_day_counts d
		JOIN categories c ON c.code = d.category WHERE d.day >= $1 AND d.day <= $2
		GROUP BY d.day, d.area_code, c.grp`, int64(from), int64(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cells []opendata.Cell
	for rows.Next() {
		var c opendata.Cell
		var day int64
		if err := rows.Scan(&day, &c.Area, &c.Group, &c.N); err != nil {
			return nil, err
		}
		c.Day = trygg.Day(day)
		cells = append(cells, c)
	}
	return cells, rows.Err()
}

// PublicWeeklyReports implements opendata.Service. Anyone may call it:
// the list is read with the operator's rights and keeps only what
// opendata.PublicReport publishes.
func (s *OpenDataService) PublicWeeklyReports(ctx context.Context, limit int) ([]*opendata.Report, error) {
	all, err := s.weekly.FindWeeklyReports(trygg.NewOperatorContext(ctx), 0)
	if err != nil {
		return nil, err
	}
	_, groups, err := s.names(ctx)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 500
	}
	versions := map[trygg.ISOWeek]int{}
	for _, r := range all {
		versions[r.Week]++
	}
	var out []*opendata.Report
	for i, r := range all {
		if i > 0 && all[i-1].Week == r.Week { // the list is newest version first
			continue
		}
		if len(out) == limit {
			break
		}
		p, err := opendata.PublicReport(r, groups)
		if err != nil {
			return nil, err
		}
		p.Versions = versions[r.Week]
		out = append(out, p)
	}
	return out, nil
}

// PublicWeeklyReport implements opendata.Service. Anyone may call it.
func (s *OpenDataService) PublicWeeklyReport(ctx context.Context, week trygg.ISOWeek) (*opendata.Report, error) {
	if err := weekly.CheckWeek(week); err != nil {
		return nil, trygg.NotFound()
	}
	r, err := s.weekly.FindWeeklyReport(trygg.NewOperatorContext(ctx), week, 0)
	if err != nil {
		return nil, err
	}
	_, groups, err := s.names(ctx)
	if err != nil {
		return nil, err
	}
	p, err := opendata.PublicReport(r, groups)
	if err != nil {
		return nil, err
	}
	p.Versions = r.Version // versions are numbered 1, 2, … without gaps
	return p, nil
}
