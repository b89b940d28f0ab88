package sqldb

import (
	"context"

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
	areas, err := s.areas.FindAreas(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := s.cats.FindCategories(ctx, true)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT d.day, d.area_code, c.grp, SUM(d.n) FROM report_day_counts d
		JOIN categories c ON c.code = d.category WHERE d.day >= $1 AND d.day <= $2
		GROUP BY d.day, d.area_code, c.grp`, int64(opendata.TrendFrom(week)), int64(week.Sunday()))
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
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return opendata.BuildWeek(week, areas, opendata.Groups(cats), cells), nil
}

// PublicWeeklyReports implements opendata.Service. Anyone may call it:
// the list is read with the operator's rights and keeps only what
// opendata.PublicReport publishes.
func (s *OpenDataService) PublicWeeklyReports(ctx context.Context, limit int) ([]*opendata.Report, error) {
	all, err := s.weekly.FindWeeklyReports(trygg.NewOperatorContext(ctx), 0)
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
		p, err := opendata.PublicReport(r)
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
	p, err := opendata.PublicReport(r)
	if err != nil {
		return nil, err
	}
	p.Versions = r.Version // versions are numbered 1, 2, … without gaps
	return p, nil
}
