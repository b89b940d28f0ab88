package operativ_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/operativ"
)

// operations returns n operations in a district on a day of a month
// (Stockholm time).
func operations(n int, year int, month time.Month, district string) []operativ.OperationRow {
	out := make([]operativ.OperationRow, n)
	for i := range out {
		out[i] = operativ.OperationRow{At: time.Date(year, month, 10, 12, 0, 0, 0, trygg.Stockholm), AreaName: district}
	}
	return out
}

// shown writes each count as its number, or "x" when withheld.
func shown(counts ...disclose.Count) string {
	var out []string
	for _, c := range counts {
		if c.Suppressed {
			out = append(out, "x")
		} else {
			out = append(out, c.Text())
		}
	}
	return strings.Join(out, " ")
}

func monthAreas(st *operativ.Stats) string {
	var out []string
	for _, c := range st.ByMonthArea {
		out = append(out, c.Month+"/"+c.AreaName+"="+shown(c.Count))
	}
	return strings.Join(out, " ")
}

func TestComputeStatsOperations(t *testing.T) {
	// March 2025: Ålidhem 8, Teg 7; April: Ålidhem 6, Haga 2; January
	// 2026: Teg 5.
	spring := slices.Concat(operations(8, 2025, time.March, "Ålidhem"), operations(7, 2025, time.March, "Teg"),
		operations(6, 2025, time.April, "Ålidhem"), operations(2, 2025, time.April, "Haga"))
	tests := []struct {
		name                         string
		rows                         []operativ.OperationRow
		exact                        bool
		months, years, districts, ma string
	}{
		{"exact for those who work the operations", append(spring, operations(5, 2026, time.January, "Teg")...), true,
			"15 8 0 0 0 0 0 0 0 0 5", "23 5", "2 12 14",
			"januari 2026/Teg=5 april 2025/Haga=2 april 2025/Ålidhem=6 mars 2025/Teg=7 mars 2025/Ålidhem=8"},
		// Haga's 2 is withheld, in April's cell and as Haga's total. The
		// districts would give it away: Teg's 7, the smallest other, is
		// withheld, and then Teg's March cell, its only one. March's 15
		// would give that away with Ålidhem's March cell, which is
		// withheld, and then Ålidhem's April cell for Ålidhem's 14. The
		// months, the year and Ålidhem's total are shown.
		{"published for samordnare and läsare", spring, false,
			"15 8", "23", "x x 14",
			"april 2025/Haga=x april 2025/Ålidhem=x mars 2025/Teg=x mars 2025/Ålidhem=x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := operativ.ComputeStats(operativ.StatsInput{Operations: tt.rows}, tt.exact)
			if got := shown(st.Months...); got != tt.months {
				t.Errorf("months %s, want %s", got, tt.months)
			}
			if st.Months[0].Key != "2025-03" || st.Months[0].Label != "mars 2025" || st.Years[0].Key != "2025" {
				t.Errorf("keys %+v %+v", st.Months[0], st.Years[0])
			}
			if got := shown(st.Years...); got != tt.years {
				t.Errorf("years %s, want %s", got, tt.years)
			}
			if got := shown(st.ByDistrict...); got != tt.districts {
				t.Errorf("districts %s, want %s", got, tt.districts)
			}
			if got := monthAreas(st); got != tt.ma {
				t.Errorf("cells %s, want %s", got, tt.ma)
			}
			if st.Exact != tt.exact {
				t.Errorf("exact %v", st.Exact)
			}
		})
	}
}

func TestComputeStatsContacts(t *testing.T) {
	contacts := func(role string, n int, offered, accepted bool) []operativ.ContactRow {
		out := make([]operativ.ContactRow, n)
		for i := range out {
			out[i] = operativ.ContactRow{Role: role, SupportOffered: offered, SupportAccepted: accepted}
		}
		return out
	}
	tests := []struct {
		name     string
		rows     []operativ.ContactRow
		exact    bool
		roles    string // saljare kopare annan
		total    string
		accepted disclose.Share
	}{
		{"nothing small", append(contacts("saljare", 6, true, true), contacts("kopare", 5, true, false)...), false,
			"6 5 0", "11", disclose.Share{Part: 6, Whole: 11}},
		// The 1 other is withheld, and so the 5 buyers, its complement.
		{"one small role and its complement", append(append(contacts("saljare", 6, true, true), contacts("kopare", 5, false, false)...), contacts("annan", 1, false, false)...), false,
			"6 x x", "12", disclose.Share{Part: 6, Whole: 6}},
		{"exact", append(contacts("saljare", 3, true, true), contacts("kopare", 1, true, false)...), true,
			"3 1 0", "4", disclose.Share{Part: 3, Whole: 4}},
		{"small total, small share", append(contacts("saljare", 3, true, true), contacts("kopare", 1, true, false)...), false,
			"x x 0", "x", disclose.Share{Suppressed: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := operativ.ComputeStats(operativ.StatsInput{Contacts: tt.rows}, tt.exact)
			if got := shown(st.ByRole...); got != tt.roles {
				t.Errorf("roles %s, want %s", got, tt.roles)
			}
			if got := shown(st.Contacts); got != tt.total {
				t.Errorf("total %s, want %s", got, tt.total)
			}
			if st.Accepted != tt.accepted {
				t.Errorf("accepted %+v, want %+v", st.Accepted, tt.accepted)
			}
		})
	}
}

func TestComputeStatsReferrals(t *testing.T) {
	offered := trygg.DateDay(2025, 3, 3)
	referral := func(service string, wait int, status string) *operativ.Referral {
		r := &operativ.Referral{ServiceCode: service, Status: status, Steps: []operativ.ReferralStep{{Status: operativ.ReferralOffered, Day: offered}}}
		if operativ.ReferralStage(status) >= operativ.ReferralStage(operativ.ReferralFirstContact) {
			r.Steps = append(r.Steps, operativ.ReferralStep{Status: operativ.ReferralFirstContact, Day: offered + trygg.Day(wait)})
		}
		return r
	}
	services := []*operativ.SupportService{{Code: "kast", Name: "KAST"}, {Code: "beroende", Name: "Beroendevården"}, {Code: "annat", Name: "Annat"}}
	var refs []*operativ.Referral
	for i := range 5 {
		refs = append(refs, referral("kast", i, operativ.ReferralFirstContact))
	}
	refs = append(refs, referral("kast", 0, operativ.ReferralOffered), referral("kast", 0, operativ.ReferralOffered), referral("beroende", 0, operativ.ReferralOffered))
	tests := []struct {
		name   string
		refs   []*operativ.Referral
		exact  bool
		steps  []string // per service with referrals
		median float64
	}{
		// 7 offered and 5 further on would give the 2 away: the later
		// steps are hidden down to the 0 ongoing.
		{"published", refs, false, []string{"7 x x 0 0", "x 0 0 0 0"}, 2},
		{"exact", refs, true, []string{"7 5 5 0 0", "1 0 0 0 0"}, 2},
		{"too few for a median", refs[3:], false, []string{"x x x 0 0", "x 0 0 0 0"}, 0},
		{"exact median of few", refs[3:], true, []string{"4 2 2 0 0", "1 0 0 0 0"}, 3.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := operativ.ComputeStats(operativ.StatsInput{Services: services, Referrals: tt.refs}, tt.exact)
			var got []string
			for _, s := range st.Services {
				got = append(got, shown(s.Reached...))
			}
			if strings.Join(got, "|") != strings.Join(tt.steps, "|") {
				t.Errorf("steps %q, want %q", got, tt.steps)
			}
			if st.OfferToFirstContact != tt.median {
				t.Errorf("median %v, want %v", st.OfferToFirstContact, tt.median)
			}
		})
	}
}

func TestComputeKastStats(t *testing.T) {
	row := func(day string, channel, topic, code string) operativ.KastContactRow {
		d, err := trygg.ParseDay(day)
		if err != nil {
			t.Fatal(err)
		}
		return operativ.KastContactRow{Day: d, Channel: channel, Topic: topic, CodeHash: operativ.KastCodeHash(code)}
	}
	var rows []operativ.KastContactRow
	for i := range 6 {
		rows = append(rows, row("2025-03-04", "telefon", "sexkop", []string{"a1x", "a1x", "b2y", "b2y", "c3z", ""}[i]))
	}
	for range 5 {
		rows = append(rows, row("2025-05-20", "besok", "sexkop", "d4w"))
	}
	rows = append(rows, row("2025-05-21", "chatt", "natet", ""))
	st := operativ.ComputeKastStats(rows)
	// The chat's 1 is withheld with the visits' 5, its complement; the
	// topic "natet" with the 11 about buying sex.
	for _, tt := range []struct {
		what, got, want string
	}{
		{"months", shown(st.Months...), "6 0 6"},
		{"channels", shown(st.ByChannel...), "6 x x"},
		{"topics", shown(st.ByTopic...), "x 0 x 0 0"},
		{"contacts", shown(st.Contacts), "12"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s %s, want %s", tt.what, tt.got, tt.want)
		}
	}
	// Four people gave a code, three came back: withheld, since 1 did not.
	if st.Returning != (disclose.Share{Suppressed: true}) {
		t.Errorf("returning %+v", st.Returning)
	}
	if got := operativ.ComputeKastStats(nil); got.Months != nil || got.Contacts.Count != 0 || got.Contacts.Suppressed {
		t.Errorf("empty log %+v", got)
	}
}

// TestComputeStatsTableBridge: a month × district table where the line
// rule alone would leave January's 23 in Haga shown, with no month and no
// district holding a single withheld count, yet the withheld counts
// around it could be worked out by combining the sums of several months
// and districts (a bridge between two cycles of withheld counts). The
// table withholds the 23 too, so that all of January is withheld.
func TestComputeStatsTableBridge(t *testing.T) {
	n := [][]int{{2, 23, 12}, {24, 0, 37}, {0, 3, 34}, {9, 0, 0}, {26, 19, 2}} // January to May 2025
	districts := []string{"Ersboda", "Haga", "Teg"}
	var rows []operativ.OperationRow
	for m, row := range n {
		for d, k := range row {
			rows = append(rows, operations(k, 2025, time.January+time.Month(m), districts[d])...)
		}
	}
	st := operativ.ComputeStats(operativ.StatsInput{Operations: rows}, false)
	if got, want := shown(st.Months...), "x 61 37 x 47"; got != want {
		t.Errorf("months %s, want %s", got, want)
	}
	if got, want := shown(append(st.Years, st.ByDistrict...)...), "191 61 45 85"; got != want {
		t.Errorf("year and districts %s, want %s", got, want)
	}
	want := "maj 2025/Ersboda=26 maj 2025/Haga=x maj 2025/Teg=x " +
		"april 2025/Ersboda=x " +
		"mars 2025/Haga=x mars 2025/Teg=x " +
		"februari 2025/Ersboda=24 februari 2025/Teg=37 " +
		"januari 2025/Ersboda=x januari 2025/Haga=x januari 2025/Teg=x"
	if got := monthAreas(st); got != want {
		t.Errorf("cells\n%s, want\n%s", got, want)
	}
}
