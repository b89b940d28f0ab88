package trygg

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// AdWeek is one week of the advertising indicator: the ads offering sex in
// the municipality, and, counted apart, the sugar-dating ads where a minor
// is suspected. Week is the Monday of the ISO week.
type AdWeek struct {
	Week       Day `json:"week"`
	Ads        int `json:"ads"`
	SugarMinor int `json:"sugar_minor"`
}

// MaxAdCount is the largest weekly count accepted.
const MaxAdCount = 100000

// Validate checks one week; prefix goes before the field names (week,
// ads, sugar_minor).
func (a *AdWeek) Validate(v *Validation, prefix string) {
	switch {
	case a.Week == 0:
		v.Add(prefix+"week", "Ange veckan.")
	case a.Week != a.Week.Monday():
		a.Week = a.Week.Monday()
	}
	if a.Ads < 0 || a.Ads > MaxAdCount {
		v.Add(prefix+"ads", "Antalet annonser ska vara 0–%d.", MaxAdCount)
	}
	if a.SugarMinor < 0 || a.SugarMinor > MaxAdCount {
		v.Add(prefix+"sugar_minor", "Antalet sugardejtingannonser ska vara 0–%d.", MaxAdCount)
	}
}

// ParseWeek reads an ISO week, "2024-W05" or "2024W05", or any date in it
// (YYYY-MM-DD), and returns its Monday, between 2000 and 2100.
func ParseWeek(s string) (Day, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if y, w, ok := strings.Cut(s, "W"); ok {
		year, err1 := strconv.Atoi(strings.TrimSuffix(y, "-"))
		week, err2 := strconv.Atoi(w)
		if err1 != nil || err2 != nil || year < 2000 || year > 2100 || week < 1 || week > 53 {
			return 0, fmt.Errorf("%q är ingen vecka; skriv ÅÅÅÅ-Vnn, till exempel 2024-W05", s)
		}
		d := ISOWeekMonday(year, week)
		if gy, gw := d.ISOWeek(); gy != year || gw != week {
			return 0, fmt.Errorf("år %d har ingen vecka %d", year, week)
		}
		return d, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("%q är ingen vecka; skriv ÅÅÅÅ-Vnn eller ett datum ÅÅÅÅ-MM-DD", s)
	}
	if t.Year() < 2000 || t.Year() > 2100 {
		return 0, fmt.Errorf("%s ligger utanför åren 2000–2100", s)
	}
	return DateDay(t.Year(), t.Month(), t.Day()).Monday(), nil
}

// adColumns names the columns of an advertising file, with the names
// accepted for each.
var adColumns = []struct {
	name    string
	aliases []string
}{
	{"vecka", []string{"vecka", "week"}},
	{"annonser", []string{"annonser", "ads"}},
	{"sugardejting", []string{"sugardejting", "sugar_minor", "sugardejting_minderarig"}},
}

// ParseAdCSV reads the advertising indicator from a CSV file, as
// docs/operativ.md describes: a header naming vecka, annonser and
// sugardejting in any order (sugardejting may be left out), a comma or a
// semicolon as delimiter, weeks as ÅÅÅÅ-Vnn or a date in the week, and
// whole numbers. Every problem is reported as field "file" with its line
// and column; with any problem nothing is returned. A week may occur only
// once. The weeks come sorted.
func ParseAdCSV(data []byte) ([]AdWeek, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	header, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	head, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, indicatorFileError(fileProblem("Filen är tom. Första raden ska vara rubrikerna vecka, annonser och sugardejting."))
		}
		return nil, indicatorFileError(fileProblem("Rubrikraden kunde inte läsas: %s", csvReason(err)))
	}
	cols := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		found := ""
		for _, c := range adColumns {
			for _, a := range c.aliases {
				if h == a {
					found = c.name
				}
			}
		}
		if found == "" {
			return nil, indicatorFileError(fileProblem("Okänd kolumn %q. Filen ska ha kolumnerna vecka, annonser och sugardejting.", h))
		}
		if _, dup := cols[found]; dup {
			return nil, indicatorFileError(fileProblem("Kolumnen %s finns två gånger.", found))
		}
		cols[found] = i
	}
	for _, need := range []string{"vecka", "annonser"} {
		if _, ok := cols[need]; !ok {
			return nil, indicatorFileError(fileProblem("Kolumnen %s saknas på första raden.", need))
		}
	}
	var v Validation
	fail := func(line int, col, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		if col != "" {
			msg = "kolumn " + col + ": " + msg
		}
		v.Add("file", "rad %d, %s", line, msg)
	}
	count := func(line int, col, s string) int {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 || n > MaxAdCount {
			fail(line, col, "%q är inget antal; skriv ett heltal 0–%d.", strings.TrimSpace(s), MaxAdCount)
			return 0
		}
		return n
	}
	var weeks []AdWeek
	seen := map[Day]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			fail(line, "", "%s", csvReason(err))
			break
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(weeks) >= MaxIndicatorRows {
			fail(line, "", "Filen får ha högst %d veckor.", MaxIndicatorRows)
			break
		}
		if len(rec) != len(head) {
			fail(line, "", "Raden har %d fält men rubrikraden %d.", len(rec), len(head))
			continue
		}
		n := len(v.Fields)
		var a AdWeek
		if d, err := ParseWeek(rec[cols["vecka"]]); err != nil {
			fail(line, "vecka", "%s.", err)
		} else if first, dup := seen[d]; dup {
			fail(line, "vecka", "Veckan finns redan på rad %d.", first)
		} else {
			a.Week, seen[d] = d, line
		}
		a.Ads = count(line, "annonser", rec[cols["annonser"]])
		if i, ok := cols["sugardejting"]; ok {
			a.SugarMinor = count(line, "sugardejting", rec[i])
		}
		if len(v.Fields) == n {
			weeks = append(weeks, a)
		}
	}
	if err := v.Err(); err != nil {
		return nil, indicatorFileError(v.Fields)
	}
	if len(weeks) == 0 {
		return nil, indicatorFileError(fileProblem("Filen har inga veckor under rubrikraden."))
	}
	slices.SortFunc(weeks, func(a, b AdWeek) int { return cmp.Compare(a.Week, b.Week) })
	return weeks, nil
}

// AdIndicatorPoints turns the weekly ad counts into monthly values for a
// commitment's series indicator (IndicatorSeries): the ads of the weeks
// whose Monday falls in the month, on the month's first day. This is how
// "minskad annonsering" becomes a commitment's indicator; see
// docs/operativ.md.
func AdIndicatorPoints(weeks []AdWeek) []IndicatorPoint {
	var out []IndicatorPoint
	for _, w := range weeks {
		m := MonthStarts(w.Week, w.Week)[0]
		if len(out) > 0 && out[len(out)-1].Day == m {
			out[len(out)-1].Value += float64(w.Ads)
			continue
		}
		out = append(out, IndicatorPoint{Day: m, Value: float64(w.Ads)})
	}
	return out
}
