// Package demo makes the demo data set of `trygg serve --demo`: Umeå's
// districts with approximate outlines and populations, the partner
// organisations named in the seeds, a user for every role, and about three
// years of synthetic incident reports (around 50,000) ending at a given time.
//
// Everything follows from a seed and the end time: the same pair always
// gives the same data. The reports follow the rhythms the partners know:
// Friday and Saturday nights, summer mopeds and youths gathering, dark
// autumn evenings (unsafe unlit places), New Year's fireworks, Valborg (30
// April), schools reporting on school days, night-walkers on Friday and
// Saturday nights, AB Bostaden finding damage on weekday mornings. Ålidhem,
// Ersboda, Holmsund and the city centre see more per resident than the
// villa districts.
//
// # Injected surges
//
// Three surges are added on top, so that the lägesbild has something real
// to find. Weeks are ISO weeks in Swedish time (Monday 00:00
// Europe/Stockholm); "week 0" is the week that contains the end time, "week
// −1" the one before it, and so on. Each surge adds, per week, a multiple of
// the district's ordinary weekly count of those categories (measured over
// the 26 weeks before the surge, and at least a small floor), so every
// surge week holds at least three times the usual count:
//
//   - Social unrest in Ålidhem (alidhem): social_oro, ungdomar_stok and
//     anlagd_brand, building from week −6 to week 0 (extra 3, 4, 6, 8, 10,
//     12 and 12 times the usual count), mostly on Friday and Saturday
//     evenings, reported by Fältgruppen, the police, AB Bostaden, the school,
//     the retailers and the night-walkers.
//   - Suspected drug dealing in Ersboda (ersboda): narkotika_forsaljning,
//     weeks −26 to −19 (eight weeks).
//   - A graffiti wave in Haga (haga): klotter, weeks −44 to −40 (five
//     weeks).
//
// Surges returns the exact periods for an end time.
package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/trygg-est/trygg"
)

// Dataset is the whole demo data set.
type Dataset struct {
	Areas         []*trygg.Area
	Organisations []*trygg.Organisation
	Users         []trygg.NewUser // in the order they should be created
	Reports       []Report        // ordered by OccurredAt
	Surges        []Surge
	End           time.Time // the now Generate was given
}

// Report is one synthetic incident report, for ReportService.ImportReports.
type Report struct {
	OrgCode       string
	ReporterEmail string
	ReportedAt    time.Time
	Input         trygg.ReportInput
}

// Surge is an injected unusual increase: more reports of Categories in the
// area AreaCode between From (inclusive) and To (exclusive).
type Surge struct {
	Name       string // in Swedish
	AreaCode   string
	Categories []string
	From, To   time.Time
}

// surgeSpec describes a surge in weeks relative to the end time.
type surgeSpec struct {
	name       string
	area       string
	categories map[string]float64
	startWeek  int       // weeks before week 0
	extra      []float64 // added per week, as a multiple of the usual count
	floor      float64   // the smallest usual weekly count assumed
	dow        [7]float64
	sources    map[string]float64
}

var surgeSpecs = []surgeSpec{
	{
		name: "Social oro byggs upp i Ålidhem", area: "alidhem",
		categories: map[string]float64{"social_oro": 3, "ungdomar_stok": 4, "anlagd_brand": 2},
		startWeek:  6, extra: []float64{3, 4, 6, 8, 10, 12, 12}, floor: 4,
		dow: [7]float64{0.7, 0.7, 0.8, 1, 1.6, 1.7, 1},
		sources: map[string]float64{
			"faltgruppen": 4, "polisen-umea": 3, "bostaden": 2, "alidhemsskolan": 1,
			"alidhem-centrum": 1, "nattvandrarna": 1,
		},
	},
	{
		name: "Misstänkt narkotikaförsäljning i Ersboda", area: "ersboda",
		categories: map[string]float64{"narkotika_forsaljning": 1},
		startWeek:  26, extra: []float64{3, 5, 6, 6, 6, 6, 5, 4}, floor: 2,
		dow:     [7]float64{1, 1, 1, 1.1, 1.3, 1.3, 1},
		sources: map[string]float64{"polisen-umea": 5, "faltgruppen": 3, "ersbodaskolan": 1, "nattvandrarna": 1},
	},
	{
		name: "Klottervåg i Haga", area: "haga",
		categories: map[string]float64{"klotter": 1},
		startWeek:  44, extra: []float64{4, 6, 6, 5, 4}, floor: 3,
		dow:     [7]float64{1.3, 1, 1, 1, 1, 0.5, 0.5},
		sources: map[string]float64{"umea-kommun": 4, "bostaden": 4, "polisen-umea": 1, "nattvandrarna": 1},
	},
}

// target is the expected number of ordinary reports, before the surges.
const target = 50000

// pcgStream separates this generator's stream from others with the same seed.
const pcgStream = 0x7472796767

// weekStart is Monday 00:00 of t's week in loc.
func weekStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	offset := (int(t.Weekday()) + 6) % 7
	return time.Date(t.Year(), t.Month(), t.Day()-offset, 0, 0, 0, 0, loc)
}

// Surges returns the injected surges of a data set that ends at now.
func Surges(now time.Time) []Surge {
	loc := trygg.Stockholm
	monday := weekStart(now, loc)
	var out []Surge
	for _, sp := range surgeSpecs {
		from := monday.AddDate(0, 0, -7*sp.startWeek)
		to := from.AddDate(0, 0, 7*len(sp.extra))
		if to.After(now) {
			to = now
		}
		var cats []string
		for _, c := range categories {
			if _, ok := sp.categories[c]; ok {
				cats = append(cats, c)
			}
		}
		out = append(out, Surge{Name: sp.name, AreaCode: sp.area, Categories: cats, From: from, To: to})
	}
	return out
}

// generator holds the state of one Generate call.
type generator struct {
	r         *rand.Rand
	now       time.Time
	loc       *time.Location
	shapes    []areaShape
	reporters map[string]string
	reports   []Report
}

// Generate makes the data set for a seed, with three years of reports
// ending at now. It is pure: the same arguments give the same data set.
func Generate(seed uint64, now time.Time) *Dataset {
	g := &generator{
		r:         rand.New(rand.NewPCG(seed, pcgStream)),
		now:       now,
		loc:       trygg.Stockholm,
		reporters: map[string]string{},
	}
	ds := &Dataset{Surges: Surges(now), End: now}
	for i, d := range districts {
		s := buildShape(i)
		g.shapes = append(g.shapes, s)
		ds.Areas = append(ds.Areas, &trygg.Area{
			Code: d.code, Name: d.name, Population: d.population, Geometry: s.geometry(), Approximate: true,
		})
	}
	for _, o := range organisations {
		ds.Organisations = append(ds.Organisations, &trygg.Organisation{Code: o.Code, Name: o.Name, Type: o.Type})
	}
	for _, u := range users {
		ds.Users = append(ds.Users, trygg.NewUser{
			Email: u.local + emailDomain, Name: u.name, OrgCode: u.org, Roles: slices.Clone(u.roles), Password: Password,
		})
	}
	// Issue 15: the night-walking groups' organisations and leaders.
	for _, o := range nightOrganisations() {
		ds.Organisations = append(ds.Organisations, &trygg.Organisation{Code: o.Code, Name: o.Name, Type: o.Type})
	}
	for _, u := range nightUsers() {
		ds.Users = append(ds.Users, trygg.NewUser{
			Email: u.local + emailDomain, Name: u.name, OrgCode: u.org, Roles: slices.Clone(u.roles), Password: Password,
		})
	}
	for _, s := range sources {
		g.reporters[s.org] = reporterOf(s.org)
	}

	g.ordinary()
	for _, sp := range surgeSpecs {
		g.surge(sp)
	}
	slices.SortStableFunc(g.reports, func(a, b Report) int { return a.Input.OccurredAt.Compare(b.Input.OccurredAt) })
	ds.Reports = g.reports
	return ds
}

// days returns the local midnights of every day from three years before
// now up to and including now's day.
func (g *generator) days() []time.Time {
	start := g.now.AddDate(-3, 0, 0).In(g.loc)
	var out []time.Time
	for d := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, g.loc); d.Before(g.now); d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}

func weekdayIndex(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }

// ordinary makes the everyday reports: per day, district and partner a
// Poisson count whose mean follows the partner's rhythm, the district and
// the season, scaled so that each partner files its share of the target.
func (g *generator) ordinary() {
	days := g.days()
	dayCat := make([][]float64, len(days))
	for i, d := range days {
		dayCat[i] = make([]float64, len(categories))
		for c := range categories {
			dayCat[i][c] = dayFactor(c, d)
		}
	}
	boost := make([][]float64, len(districts))
	for a, d := range districts {
		boost[a] = make([]float64, len(categories))
		for c := range categories {
			boost[a][c] = areaBoost(d, c)
		}
	}
	rates := make([]float64, len(categories))
	// weight fills rates for one partner, district and day and returns
	// their sum scaled by the partner's rhythm.
	weight := func(src *source, a, day int, aw float64) float64 {
		if src.schoolDays && !isSchoolDay(days[day]) {
			return 0
		}
		dw := src.dow[weekdayIndex(days[day])]
		if dw == 0 {
			return 0
		}
		sum := 0.0
		for c, m := range src.mix {
			rates[c] = m * boost[a][c] * dayCat[day][c]
			sum += rates[c]
		}
		return aw * dw * sum
	}

	for si := range sources {
		src := &sources[si]
		aw := make([]float64, len(districts))
		total := 0.0
		for a, d := range districts {
			aw[a] = src.areaWeight(d)
			if aw[a] == 0 {
				continue
			}
			for day := range days {
				total += weight(src, a, day, aw[a])
			}
		}
		scale := target * src.share / total
		for day := range days {
			for a := range districts {
				if aw[a] == 0 {
					continue
				}
				w := weight(src, a, day, aw[a])
				if w == 0 {
					continue
				}
				for range poisson(g.r, w*scale) {
					cat := pickIndex(g.r, rates)
					g.add(src, a, cat, days[day], pickIndex(g.r, src.shift[:]), 0)
				}
			}
		}
	}
}

// surge adds a surge's reports, measured against the district's usual
// count of its categories in the 26 weeks before it.
func (g *generator) surge(sp surgeSpec) {
	area := -1
	for i, d := range districts {
		if d.code == sp.area {
			area = i
		}
	}
	from := weekStart(g.now, g.loc).AddDate(0, 0, -7*sp.startWeek)
	before := from.AddDate(0, 0, -7*26)
	usual := 0
	for _, rep := range g.reports {
		t := rep.Input.OccurredAt
		if rep.Input.AreaCode == sp.area && sp.categories[rep.Input.Category] > 0 && !t.Before(before) && t.Before(from) {
			usual++
		}
	}
	perWeek := math.Max(float64(usual)/26, sp.floor)

	catWeights := make([]float64, len(categories))
	for code, w := range sp.categories {
		catWeights[categoryIndex(code)] = w
	}
	for week, extra := range sp.extra {
		monday := from.AddDate(0, 0, 7*week)
		n := int(math.Round(extra * perWeek))
		for range n {
			day := monday.AddDate(0, 0, pickIndex(g.r, sp.dow[:]))
			src := g.surgeSource(sp, day)
			if src == nil {
				continue
			}
			// Late in a surge things get worse, not just more frequent.
			uplift := float64(week+1) / float64(len(sp.extra)) / 2
			g.add(src, area, pickIndex(g.r, catWeights), day, pickIndex(g.r, src.shift[:]), uplift)
		}
	}
}

// surgeSource picks who reports a surge event on a day: only partners that
// work that day.
func (g *generator) surgeSource(sp surgeSpec, day time.Time) *source {
	w := make([]float64, len(sources))
	for i := range sources {
		s := &sources[i]
		if s.dow[weekdayIndex(day)] == 0 || (s.schoolDays && !isSchoolDay(day)) {
			continue
		}
		w[i] = sp.sources[s.org]
	}
	i := pickIndex(g.r, w)
	if i < 0 {
		return nil
	}
	return &sources[i]
}

// add makes one report, unless its time falls after now.
func (g *generator) add(src *source, area, cat int, day time.Time, shift int, uplift float64) {
	d := districts[area]
	code := categories[cat]
	at := time.Date(day.Year(), day.Month(), day.Day(), 6+shift, g.r.IntN(60), 0, 0, g.loc)
	if at.After(g.now) {
		return
	}
	in := trygg.ReportInput{AreaCode: d.code, Category: code, OccurredAt: at.UTC()}

	found := false
	switch code {
	case "skadegorelse", "klotter", "inbrott", "anlagd_brand", "nedskrapning":
		found = src.found > 0 && g.r.Float64() < src.found
	}
	if found {
		end := in.OccurredAt
		start := end.Add(-time.Duration(6+g.r.IntN(55)) * time.Hour)
		in.OccurredAt, in.OccurredEnd = start, &end
	}
	reported := at.Add(5*time.Minute + time.Duration(math.Pow(g.r.Float64(), 2)*src.delay*float64(time.Hour)))
	if reported.After(g.now) {
		reported = g.now
	}

	in.PlaceType = g.place(src, code)
	in.Severity = g.severity(code, uplift)
	if g.r.IntN(10) < 6 {
		in.Location = g.point(area)
	}
	in.Description = describe(g.r, src, code, in.PlaceType, d, at.Hour(), found)
	g.reports = append(g.reports, Report{
		OrgCode: src.org, ReporterEmail: g.reporters[src.org], ReportedAt: reported.UTC(), Input: in,
	})
}

func (g *generator) place(src *source, category string) string {
	if src.home != "" && homeFits(src.home, category) && g.r.Float64() < src.homeShare {
		return src.home
	}
	m := places[category]
	codes := make([]string, 0, len(m))
	for code := range m {
		codes = append(codes, code)
	}
	slices.Sort(codes) // map order is random; the output must not be
	w := make([]float64, len(codes))
	for i, code := range codes {
		w[i] = m[code]
	}
	return codes[pickIndex(g.r, w)]
}

func (g *generator) severity(category string, uplift float64) int {
	p := severities[category]
	u := g.r.Float64()
	s := trygg.SeverityHigh
	switch {
	case u < p[0]:
		s = trygg.SeverityLow
	case u < p[0]+p[1]:
		s = trygg.SeverityMedium
	}
	if s < trygg.SeverityHigh && g.r.Float64() < uplift {
		s++
	}
	return s
}

// point returns a rounded position inside the district, or nil when
// rounding keeps pushing it out (a sliver of a district).
func (g *generator) point(area int) *trygg.Point {
	s := g.shapes[area]
	for range 20 {
		p := trygg.RoundPoint(trygg.Point{
			Lat: s.box.Min.Lat + g.r.Float64()*(s.box.Max.Lat-s.box.Min.Lat),
			Lon: s.box.Min.Lon + g.r.Float64()*(s.box.Max.Lon-s.box.Min.Lon),
		})
		if s.contains(p) {
			return &p
		}
	}
	return nil
}

// poisson draws from a Poisson distribution: Knuth's method for the small
// means the generator uses, a rounded normal for large ones.
func poisson(r *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean > 50 {
		return max(0, int(math.Round(mean+math.Sqrt(mean)*r.NormFloat64())))
	}
	limit := math.Exp(-mean)
	n, p := 0, r.Float64()
	for p > limit {
		n++
		p *= r.Float64()
	}
	return n
}

// pickIndex draws an index with probability proportional to its weight,
// or -1 when all weights are zero.
func pickIndex(r *rand.Rand, w []float64) int {
	total := 0.0
	for _, v := range w {
		total += v
	}
	if total <= 0 {
		return -1
	}
	u := r.Float64() * total
	for i, v := range w {
		if u < v {
			return i
		}
		u -= v
	}
	// Rounding can leave u just above the last weight.
	for i := len(w) - 1; i >= 0; i-- {
		if w[i] > 0 {
			return i
		}
	}
	return -1
}
