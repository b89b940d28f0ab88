package reportio

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
)

// adCSV is the advertising file: a week, the ads and, optionally, the
// sugar-dating ads where a minor is suspected.
var adCSV = csvFormat{
	columns: []csvColumn{
		{name: "vecka", aliases: []string{"vecka", "week"}},
		{name: "annonser", aliases: []string{"annonser", "ads"}},
		{name: "sugardejting", aliases: []string{"sugardejting", "sugar_minor", "sugardejting_minderarig"}, optional: true},
	},
	names: "vecka, annonser och sugardejting",
	unit:  "veckor",
}

// ParseAdCSV reads the advertising indicator from a CSV file, as
// docs/operativ.md describes: a header naming vecka, annonser and
// sugardejting in any order (sugardejting may be left out), a comma or a
// semicolon as delimiter, weeks as ÅÅÅÅ-Vnn or a date in the week, and
// whole numbers. Every problem is reported as field "file" with its line
// and column; with any problem nothing is returned. A week may occur only
// once, and not before it has begun (today is the caller's day). The
// weeks come sorted.
func ParseAdCSV(data []byte, today trygg.Day) ([]operativ.AdWeek, error) {
	count := func(r *csvRow, col string) int {
		s, ok := r.field(col)
		if !ok {
			return 0
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 || n > operativ.MaxAdCount {
			r.fail(col, "%q är inget antal; skriv ett heltal 0–%d.", strings.TrimSpace(s), operativ.MaxAdCount)
			return 0
		}
		return n
	}
	seen := map[trygg.Day]int{}
	weeks, err := readCSV(data, adCSV, func(r *csvRow) operativ.AdWeek {
		var a operativ.AdWeek
		week, _ := r.field("vecka")
		if d, err := operativ.ParseWeek(week); err != nil {
			r.fail("vecka", "%s.", err)
		} else if msg := operativ.WeekNotBegun(d, today); msg != "" {
			r.fail("vecka", "%s", msg)
		} else if first, dup := seen[d]; dup {
			r.fail("vecka", "Veckan finns redan på rad %d.", first)
		} else {
			a.Week, seen[d] = d, r.line
		}
		a.Ads = count(r, "annonser")
		a.SugarMinor = count(r, "sugardejting")
		return a
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(weeks, func(a, b operativ.AdWeek) int { return cmp.Compare(a.Week, b.Week) })
	return weeks, nil
}
