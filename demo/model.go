package demo

import (
	"time"
)

// categories are the codes of the default taxonomy
// (sqldb/migrations/00002_default_categories.sql) in a fixed order, so that
// the generator walks them the same way every time.
var categories = []string{
	"skadegorelse", "klotter", "anlagd_brand", "fordonsbrand",
	"ungdomar_stok", "mopedbuskorning", "fyrverkerier", "alkohol", "social_oro",
	"hot_personal", "vald", "ran", "skottlossning", "vapen", "vittnespaverkan",
	"narkotika_forsaljning", "narkotika_paverkade", "narkotika_fynd",
	"otrygg_belysning", "otrygg_skymd_sikt", "nedskrapning", "sprutfynd",
	"sexhandel", "sugardejting", "inbrott",
}

func categoryIndex(code string) int {
	for i, c := range categories {
		if c == code {
			return i
		}
	}
	panic("demo: unknown category " + code)
}

// weights turns a code → weight map into a vector in category order.
func weights(m map[string]float64) []float64 {
	v := make([]float64, len(categories))
	for code, w := range m {
		v[categoryIndex(code)] = w
	}
	return v
}

// source is how one partner reports: where, when, what and how soon.
type source struct {
	org   string
	share float64 // the partner's share of all ordinary reports
	// areaWeight is how much the partner sees in a district.
	areaWeight func(d district) float64
	dow        [7]float64  // Monday first
	shift      [24]float64 // index 0 is 06:00 on the day, 23 is 05:00 the next morning
	mix        []float64   // per category
	schoolDays bool        // reports only on school days
	home       string      // the place type the partner mostly reports from
	homeShare  float64
	// delay is the longest time, in hours, between the event and the
	// report; the actual delay is spread below it.
	delay float64
	// found is the chance that damage is found afterwards, so that the
	// report gives a period ("sometime since Friday") instead of a time.
	found float64
}

// span is a weight for the local hours [from, to), which may pass midnight.
type span struct {
	from, to int
	w        float64
}

func shiftHours(spans ...span) [24]float64 {
	var s [24]float64
	for _, sp := range spans {
		for h := sp.from % 24; h != sp.to%24; h = (h + 1) % 24 {
			s[(h+18)%24] += sp.w
		}
	}
	return s
}

func perResident(d district) float64 { return float64(d.population) * d.risk }

var sources = []source{
	{
		org: "polisen-umea", share: 0.30, areaWeight: perResident,
		dow:   [7]float64{0.8, 0.8, 0.85, 0.95, 1.3, 1.5, 1.0},
		shift: shiftHours(span{6, 12, 0.5}, span{12, 18, 1}, span{18, 22, 2}, span{22, 3, 3}, span{3, 6, 0.7}),
		mix: weights(map[string]float64{
			"vald": 14, "ran": 5, "narkotika_forsaljning": 8, "narkotika_paverkade": 10, "narkotika_fynd": 4,
			"alkohol": 8, "skadegorelse": 6, "inbrott": 8, "fordonsbrand": 2, "anlagd_brand": 2,
			"ungdomar_stok": 8, "mopedbuskorning": 5, "hot_personal": 2, "vapen": 2, "skottlossning": 0.2,
			"vittnespaverkan": 0.8, "sexhandel": 2, "social_oro": 1, "fyrverkerier": 2,
		}),
		delay: 6,
	},
	{
		org: "faltgruppen", share: 0.15,
		areaWeight: func(d district) float64 {
			if d.village {
				return perResident(d) * 0.5
			}
			return perResident(d)
		},
		dow:   [7]float64{0.5, 0.7, 0.8, 1.1, 1.6, 1.5, 0.3},
		shift: shiftHours(span{14, 18, 1}, span{18, 24, 3}, span{0, 2, 1}),
		mix: weights(map[string]float64{
			"ungdomar_stok": 30, "alkohol": 10, "narkotika_paverkade": 6, "narkotika_forsaljning": 4,
			"mopedbuskorning": 8, "social_oro": 6, "otrygg_belysning": 3, "skadegorelse": 4, "sugardejting": 1.5,
			"sexhandel": 0.5, "vald": 3, "ran": 1, "fyrverkerier": 2, "hot_personal": 1, "vittnespaverkan": 0.5,
		}),
		delay: 18,
	},
	{
		org: "bostaden", share: 0.15,
		areaWeight: func(d district) float64 { return float64(d.population) * d.bostaden * d.risk },
		dow:        [7]float64{1.3, 1.1, 1, 1, 1, 0.2, 0.1},
		shift:      shiftHours(span{7, 12, 2}, span{12, 16, 1}),
		mix: weights(map[string]float64{
			"skadegorelse": 30, "klotter": 25, "anlagd_brand": 8, "nedskrapning": 10, "inbrott": 8,
			"otrygg_belysning": 6, "sprutfynd": 3, "ungdomar_stok": 6, "fordonsbrand": 2, "narkotika_fynd": 2,
		}),
		home: "bostad", homeShare: 0.7, delay: 30, found: 0.35,
	},
	{
		org: "nattvandrarna", share: 0.07,
		areaWeight: func(d district) float64 {
			if d.village && d.code != "holmsund" {
				return 0
			}
			return perResident(d)
		},
		dow:   [7]float64{0, 0, 0, 0, 1, 1, 0},
		shift: shiftHours(span{20, 23, 2}, span{23, 2, 3}),
		mix: weights(map[string]float64{
			"ungdomar_stok": 30, "alkohol": 15, "nedskrapning": 6, "otrygg_belysning": 6, "mopedbuskorning": 8,
			"skadegorelse": 5, "narkotika_paverkade": 4, "fyrverkerier": 3, "vald": 2,
		}),
		delay: 40,
	},
	schoolSource("alidhemsskolan", "alidhem", 0.04),
	schoolSource("ersbodaskolan", "ersboda", 0.04),

	schoolSource("dragonskolan", "ost-pa-stan", 0.03),
	{
		org: "alidhem-centrum", share: 0.03,
		areaWeight: only("alidhem"),
		dow:        [7]float64{0.9, 0.9, 0.9, 1, 1.3, 1.3, 0.8},
		shift:      shiftHours(span{9, 14, 1}, span{14, 21, 2}),
		mix: weights(map[string]float64{
			"hot_personal": 20, "ungdomar_stok": 20, "narkotika_paverkade": 6, "alkohol": 10, "skadegorelse": 10,
			"klotter": 6, "ran": 5, "vald": 5, "nedskrapning": 6, "inbrott": 3,
		}),
		home: "butik", homeShare: 0.6, delay: 4,
	},
	{
		org: "centrumvakterna", share: 0.10,
		areaWeight: func(d district) float64 { return d.nightlife },
		dow:        [7]float64{0.4, 0.4, 0.5, 0.9, 1.8, 2.2, 0.6},
		shift:      shiftHours(span{18, 22, 1}, span{22, 4, 3}),
		mix: weights(map[string]float64{
			"alkohol": 25, "vald": 18, "narkotika_paverkade": 12, "ungdomar_stok": 12, "hot_personal": 10,
			"skadegorelse": 6, "ran": 4, "sexhandel": 2, "nedskrapning": 3,
		}),
		home: "krog", homeShare: 0.4, delay: 8,
	},
	{
		// Trygghetsvandringar: UmeBrå walks a district with residents on a
		// weekday evening and notes unsafe places.
		org: "umebra", share: 0.03, areaWeight: perResident,
		dow:   [7]float64{1, 1.2, 1.2, 1, 0.3, 0, 0},
		shift: shiftHours(span{17, 20, 1}),
		mix: weights(map[string]float64{
			"otrygg_belysning": 40, "otrygg_skymd_sikt": 30, "nedskrapning": 15, "klotter": 10, "sprutfynd": 5,
		}),
		delay: 48,
	},
	{
		org: "umea-kommun", share: 0.06,
		areaWeight: func(d district) float64 { return float64(d.population) * (0.5 + d.risk/2) },
		dow:        [7]float64{1.3, 1, 1, 1, 0.9, 0, 0},
		shift:      shiftHours(span{7, 16, 1}),
		mix: weights(map[string]float64{
			"klotter": 30, "skadegorelse": 25, "nedskrapning": 20, "sprutfynd": 8, "otrygg_belysning": 12,
			"anlagd_brand": 3, "otrygg_skymd_sikt": 5,
		}),
		delay: 24, found: 0.3,
	},
}

func schoolSource(org, area string, share float64) source {
	return source{
		org: org, share: share, areaWeight: only(area), schoolDays: true,
		dow:   [7]float64{1, 1, 1, 1, 0.9, 0, 0},
		shift: shiftHours(span{7, 8, 0.5}, span{8, 12, 2}, span{12, 16, 1.5}, span{16, 18, 0.3}),
		mix: weights(map[string]float64{
			"hot_personal": 20, "skadegorelse": 20, "klotter": 15, "ungdomar_stok": 10, "narkotika_fynd": 3,
			"narkotika_forsaljning": 2, "vald": 8, "anlagd_brand": 3, "nedskrapning": 4, "mopedbuskorning": 3,
			"sugardejting": 1, "ran": 1.5,
		}),
		home: "skola", homeShare: 0.8, delay: 8, found: 0.15,
	}
}

func only(code string) func(district) float64 {
	return func(d district) float64 {
		if d.code == code {
			return 1
		}
		return 0
	}
}

// monthly is each category's seasonal factor, January first. Umeå is dark
// from October to February (unlit paths feel unsafe) and light all night in
// June; snow stops mopeds and hides litter until the spring melt.
var monthly = map[string][12]float64{
	"mopedbuskorning":   {0.05, 0.05, 0.1, 0.6, 1.8, 2.6, 2.8, 2.4, 1.6, 0.6, 0.1, 0.05},
	"ungdomar_stok":     {0.7, 0.7, 0.8, 1, 1.3, 1.6, 1.4, 1.3, 1.1, 1, 0.8, 0.8},
	"otrygg_belysning":  {2.2, 1.6, 1, 0.4, 0.1, 0.05, 0.05, 0.3, 1.2, 2.4, 2.8, 2.6},
	"otrygg_skymd_sikt": {0.8, 0.8, 0.9, 1.1, 1.3, 1.3, 1.2, 1.1, 1, 0.9, 0.8, 0.8},
	"klotter":           {0.5, 0.5, 0.7, 1, 1.3, 1.4, 1.3, 1.4, 1.3, 1.1, 0.8, 0.6},
	"skadegorelse":      {0.8, 0.8, 0.9, 1, 1.1, 1.2, 1.1, 1.2, 1.1, 1.1, 0.9, 0.9},
	"anlagd_brand":      {0.7, 0.7, 0.9, 1.4, 1.5, 1.2, 1, 1, 1, 1.1, 0.9, 0.8},
	"fordonsbrand":      {0.9, 0.9, 0.9, 1, 1, 1, 1, 1, 1, 1.1, 1.1, 1},
	"alkohol":           {0.8, 0.8, 0.9, 1.1, 1.2, 1.4, 1.5, 1.2, 1, 0.9, 0.8, 1.1},
	"nedskrapning":      {0.5, 0.5, 0.7, 1.6, 1.8, 1.3, 1.3, 1.2, 1, 0.9, 0.6, 0.6},
	"sprutfynd":         {0.6, 0.6, 0.8, 1.5, 1.5, 1.1, 1, 1, 1, 1, 0.8, 0.7},
	"inbrott":           {1.2, 1, 0.9, 0.8, 0.8, 0.8, 1, 1, 1, 1.2, 1.3, 1.3},
	"vald":              {0.9, 0.9, 0.9, 1, 1.1, 1.2, 1.2, 1.1, 1, 1, 0.9, 1},
	"fyrverkerier":      {0.3, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.2, 0.5},
}

// dayFactor is the seasonal factor of a category on a local date, with the
// days that stand out: New Year's fireworks, Valborg (30 April), the end of
// the school year, midsummer. A day's night shift runs to 06:00 the next
// morning, so New Year's Eve covers the night into New Year's Day.
func dayFactor(cat int, date time.Time) float64 {
	code := categories[cat]
	f := 1.0
	if m, ok := monthly[code]; ok {
		f = m[date.Month()-1]
	}
	month, day := date.Month(), date.Day()
	switch {
	case month == time.December && day == 31:
		switch code {
		case "fyrverkerier":
			f *= 120
		case "alkohol", "skadegorelse", "anlagd_brand":
			f *= 2.5
		}
	case month == time.December && day >= 24, month == time.January && day <= 6:
		if code == "fyrverkerier" {
			f *= 12
		}
	case month == time.April && day == 30:
		switch code {
		case "alkohol":
			f *= 6
		case "ungdomar_stok", "nedskrapning":
			f *= 4
		case "vald":
			f *= 2
		}
	case month == time.June && day >= 19 && day <= 25 && date.Weekday() == time.Friday:
		if code == "alkohol" {
			f *= 4
		}
	case isSchoolEnd(date):
		switch code {
		case "ungdomar_stok", "alkohol":
			f *= 3
		}
	}
	return f
}

// isSchoolEnd is the Friday of the week the school year ends (mid-June).
func isSchoolEnd(date time.Time) bool {
	return date.Month() == time.June && date.Day() >= 9 && date.Day() <= 15 && date.Weekday() == time.Friday
}

// isSchoolDay leaves out weekends and the usual breaks in Umeå: summer,
// Christmas, sportlov (week 10), påsklov (about week 15) and höstlov (week
// 44).
func isSchoolDay(date time.Time) bool {
	if wd := date.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	month, day := date.Month(), date.Day()
	switch {
	case month == time.June && day > 12, month == time.July, month == time.August && day < 19:
		return false
	case month == time.December && day > 20, month == time.January && day < 8:
		return false
	}
	_, week := date.ISOWeek()
	return week != 10 && week != 15 && week != 44
}

// areaBoost is how much more (or less) of a category a district has than
// its partners' usual mix says.
func areaBoost(d district, cat int) float64 {
	code := categories[cat]
	f := 1.0
	if d.nightlife > 0 {
		switch code {
		case "alkohol", "sexhandel":
			f *= 1 + 2*d.nightlife
		case "vald", "narkotika_paverkade":
			f *= 1 + d.nightlife
		case "ran":
			f *= 1 + 0.5*d.nightlife
		}
	}
	if d.village {
		switch code {
		case "mopedbuskorning":
			f *= 1.8
		case "narkotika_forsaljning", "sexhandel":
			f *= 0.6
		}
	}
	switch {
	case d.code == "alidhem" && code == "alkohol":
		f *= 1.5 // students
	case d.code == "ersboda" && code == "mopedbuskorning":
		f *= 1.5
	}
	return f
}

// severities is each category's chance of low, medium and high severity.
var severities = map[string][3]float64{
	"vald": {0.2, 0.5, 0.3}, "ran": {0.1, 0.5, 0.4}, "skottlossning": {0, 0.1, 0.9}, "vapen": {0.05, 0.35, 0.6},
	"anlagd_brand": {0.2, 0.5, 0.3}, "fordonsbrand": {0.1, 0.5, 0.4}, "hot_personal": {0.3, 0.5, 0.2},
	"sugardejting": {0.1, 0.4, 0.5}, "sexhandel": {0.2, 0.5, 0.3}, "vittnespaverkan": {0.1, 0.5, 0.4},
	"social_oro": {0.2, 0.5, 0.3}, "narkotika_forsaljning": {0.2, 0.5, 0.3},
	"skadegorelse": {0.45, 0.45, 0.1}, "inbrott": {0.3, 0.55, 0.15}, "ungdomar_stok": {0.5, 0.4, 0.1},
	"narkotika_paverkade": {0.4, 0.45, 0.15}, "mopedbuskorning": {0.5, 0.4, 0.1}, "fyrverkerier": {0.5, 0.4, 0.1},
	"alkohol": {0.55, 0.38, 0.07}, "klotter": {0.7, 0.27, 0.03}, "nedskrapning": {0.8, 0.18, 0.02},
	"otrygg_belysning": {0.6, 0.35, 0.05}, "otrygg_skymd_sikt": {0.6, 0.35, 0.05}, "sprutfynd": {0.4, 0.45, 0.15},
	"narkotika_fynd": {0.4, 0.45, 0.15},
}

// places is where each category tends to happen, as place type weights.
var places = map[string]map[string]float64{
	"vald":                  {"gata": 3, "krog": 2, "centrum": 2, "kollektivtrafik": 1, "bostad": 1, "park": 1},
	"ran":                   {"gata": 3, "kollektivtrafik": 2, "park": 2, "centrum": 2},
	"ungdomar_stok":         {"centrum": 3, "kollektivtrafik": 2, "fritid": 2, "park": 2, "skola": 1, "butik": 1},
	"alkohol":               {"park": 3, "centrum": 2, "krog": 2, "natur": 1, "gata": 1},
	"narkotika_forsaljning": {"park": 2, "kollektivtrafik": 2, "centrum": 2, "gata": 2, "parkering": 2, "bostad": 1},
	"narkotika_paverkade":   {"centrum": 3, "gata": 2, "kollektivtrafik": 2, "park": 1},
	"narkotika_fynd":        {"park": 2, "bostad": 1, "skola": 1, "gata": 1},
	"mopedbuskorning":       {"gata": 4, "park": 2, "parkering": 2, "skola": 1, "natur": 1},
	"fyrverkerier":          {"bostad": 3, "gata": 2, "park": 2, "centrum": 1},
	"skadegorelse":          {"bostad": 3, "kollektivtrafik": 2, "skola": 1, "park": 2, "gata": 2, "parkering": 1, "fritid": 1},
	"klotter":               {"gata": 3, "kollektivtrafik": 2, "bostad": 2, "skola": 1, "park": 1, "fritid": 1},
	"anlagd_brand":          {"bostad": 3, "skola": 1, "park": 2, "natur": 1, "parkering": 1},
	"fordonsbrand":          {"parkering": 4, "bostad": 2, "gata": 2},
	"otrygg_belysning":      {"gata": 4, "park": 3, "parkering": 2, "kollektivtrafik": 1},
	"otrygg_skymd_sikt":     {"gata": 3, "park": 3, "kollektivtrafik": 1},
	"nedskrapning":          {"park": 3, "gata": 2, "centrum": 2, "natur": 1, "kollektivtrafik": 1},
	"sprutfynd":             {"park": 3, "bostad": 2, "kollektivtrafik": 1, "natur": 1},
	"inbrott":               {"bostad": 4, "butik": 1, "skola": 1, "parkering": 1, "fritid": 1},
	"hot_personal":          {"butik": 3, "kollektivtrafik": 2, "skola": 2, "fritid": 1, "centrum": 1},
	"sexhandel":             {"gata": 2, "annat": 2, "krog": 1, "centrum": 1},
	"sugardejting":          {"annat": 3, "centrum": 1},
	"social_oro":            {"centrum": 3, "bostad": 2, "fritid": 2, "gata": 1},
	"vapen":                 {"gata": 2, "centrum": 1, "krog": 1, "bostad": 1},
	"skottlossning":         {"gata": 2, "bostad": 2, "parkering": 1},
	"vittnespaverkan":       {"bostad": 2, "centrum": 1, "butik": 1},
}

// homeFits says whether a partner's usual place makes sense for a category
// (a school does not report a car fire "at school" just because it is a
// school).
func homeFits(home, category string) bool {
	switch category {
	case "sugardejting", "sexhandel", "fordonsbrand", "skottlossning":
		return false
	case "otrygg_belysning", "otrygg_skymd_sikt":
		return home == "bostad" || home == "skola"
	}
	return true
}
