package indikator

import (
	"math"
	"testing"
)

func TestQuantile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		sorted []float64
		q      float64
		want   float64
	}{
		{"one value", []float64{7}, 0.25, 7},
		{"median of even", []float64{1, 2, 3, 4}, 0.5, 2.5},
		{"median of odd", []float64{1, 2, 10}, 0.5, 2},
		// R: quantile(c(1,2,3,4), 0.25) = 1.75, 0.75 = 3.25
		{"first quartile", []float64{1, 2, 3, 4}, 0.25, 1.75},
		{"third quartile", []float64{1, 2, 3, 4}, 0.75, 3.25},
		// R: quantile(c(2,4,4,5,7,9,10), c(.25,.75)) = 4, 8
		{"q1 of seven", []float64{2, 4, 4, 5, 7, 9, 10}, 0.25, 4},
		{"q3 of seven", []float64{2, 4, 4, 5, 7, 9, 10}, 0.75, 8},
		{"top", []float64{1, 5}, 1, 5},
	}
	for _, tt := range tests {
		if got := Quantile(tt.sorted, tt.q); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: Quantile(%v, %v) = %v, want %v", tt.name, tt.sorted, tt.q, got, tt.want)
		}
	}
	if !math.IsNaN(Quantile(nil, 0.5)) {
		t.Error("Quantile of nothing is not NaN")
	}
}

func TestRank(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v        float64
		others   []float64
		p        Polarity
		rank, of int
	}{
		{10, []float64{5, 20, 30}, LowerIsBetter, 2, 4},
		{10, []float64{5, 20, 30}, HigherIsBetter, 3, 4},
		{10, []float64{5, 20, 30}, Neutral, 3, 4},
		{10, []float64{10, 10}, LowerIsBetter, 1, 3}, // ties share the better rank
		{10, nil, LowerIsBetter, 1, 1},
	}
	for _, tt := range tests {
		rank, of := Rank(tt.v, tt.others, tt.p)
		if rank != tt.rank || of != tt.of {
			t.Errorf("Rank(%v, %v, %s) = %d of %d, want %d of %d", tt.v, tt.others, tt.p, rank, of, tt.rank, tt.of)
		}
	}
}

func TestChangeOver(t *testing.T) {
	t.Parallel()
	by := map[int]float64{2019: 50, 2024: 40, 2020: 0, 2025: 10}
	tests := []struct {
		to          int
		ok, percent bool
		diff, pct   float64
	}{
		{2024, true, true, -10, -20},
		{2025, true, false, 10, 0}, // from 0: no percentage
		{2023, false, false, 0, 0},
	}
	for _, tt := range tests {
		c, ok := ChangeOver(by, tt.to, 5)
		if ok != tt.ok || c.HasPercent != tt.percent || c.Diff != tt.diff || math.Abs(c.Percent-tt.pct) > 1e-9 {
			t.Errorf("ChangeOver(to %d) = %+v %v", tt.to, c, ok)
		}
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	var values []Value
	add := func(area string, year int, v float64) {
		values = append(values, Value{Series: "s", Area: area, Year: year, Value: v})
	}
	// The home municipality 2480 against four peers over 2019–2024, and a
	// municipality outside the group that must not count.
	for y := 2019; y <= 2024; y++ {
		add("2480", y, float64(100-(y-2019)*4)) // 100 … 80
		add("0180", y, 60)
		add("1280", y, 90)
		add("1480", y, 120)
		add("0380", y, 150)
		add("9999", y, 1000)
	}
	add("0180", 2025, 70) // a peer ahead of the home municipality
	c := Compare(values, "2480", []string{"0180", "1280", "1480", "0380", "2480"}, LowerIsBetter)
	if c.Latest != 2024 {
		t.Fatalf("Latest = %d, want 2024", c.Latest)
	}
	if len(c.Years) != 7 || c.Years[6].HasHome || c.Years[6].Peers != 1 {
		t.Fatalf("Years = %+v", c.Years)
	}
	y := c.Years[5] // 2024: peers 60, 90, 120, 150
	if y.Median != 105 || y.Q1 != 82.5 || y.Q3 != 127.5 || y.Peers != 4 || y.Home != 80 {
		t.Errorf("2024 = %+v, want median 105, band 82,5–127,5, home 80", y)
	}
	if c.Rank != 2 || c.RankOf != 5 {
		t.Errorf("rank %d of %d, want 2 of 5", c.Rank, c.RankOf)
	}
	if c.Change5 == nil || c.Change5.Diff != -20 || c.Change5.Percent != -20 {
		t.Errorf("Change5 = %+v, want −20 (−20 %%)", c.Change5)
	}
	if c.PeerChange5 == nil || c.PeerChange5.Diff != 0 {
		t.Errorf("PeerChange5 = %+v, want no change", c.PeerChange5)
	}
	if empty := Compare(nil, "2480", nil, Neutral); empty.Latest != 0 || empty.Rank != 0 || len(empty.Years) != 0 {
		t.Errorf("Compare of nothing = %+v", empty)
	}
}

func TestRate(t *testing.T) {
	t.Parallel()
	counts := []Value{{Area: "2480", Year: 2024, Value: 1300}, {Area: "2480", Year: 2023, Value: 5}, {Area: "0180", Year: 2024, Value: 9}}
	pop := []Value{{Area: "2480", Year: 2024, Value: 130000}, {Area: "0180", Year: 2024, Value: 0}}
	got := Rate(counts, pop, 1000)
	if len(got) != 1 || got[0].Value != 10 || got[0].Year != 2024 {
		t.Errorf("Rate per 1,000 = %+v, want one value 10", got)
	}
	if got := Rate(counts[:1], pop, 1); got[0].Value != 0.01 {
		t.Errorf("Rate per capita = %v, want 0,01", got[0].Value)
	}
}

func TestSlug(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Skadegörelse":                 "skadegorelse",
		"Misshandel, inkl. grov":       "misshandel_inkl_grov",
		"  Särskilt utsatt område  ":   "sarskilt_utsatt_omrade",
		"N07403":                       "n07403",
		"Brott mot liv och hälsa (3)!": "brott_mot_liv_och_halsa_3",
	}
	for in, want := range tests {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPeerGroupValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		g     PeerGroup
		field string
		want  int
	}{
		{"good, home and duplicates dropped", PeerGroup{Name: "Norrland", Municipality: "2480", Members: []string{"2281", "2480", "2281", " 2580 "}}, "", 2},
		{"no name", PeerGroup{Municipality: "2480", Members: []string{"2281"}}, "name", 0},
		{"bad home", PeerGroup{Name: "x", Municipality: "Umeå", Members: []string{"2281"}}, "municipality", 0},
		{"bad member", PeerGroup{Name: "x", Municipality: "2480", Members: []string{"22"}}, "members", 0},
		{"no members", PeerGroup{Name: "x", Municipality: "2480", Members: []string{"2480"}}, "members", 0},
	}
	for _, tt := range tests {
		err := tt.g.Validate()
		if tt.field == "" {
			if err != nil || len(tt.g.Members) != tt.want {
				t.Errorf("%s: %v, members %v", tt.name, err, tt.g.Members)
			}
			continue
		}
		if !hasField(err, tt.field) {
			t.Errorf("%s: error %v does not name %s", tt.name, err, tt.field)
		}
	}
}

func TestBatchCheck(t *testing.T) {
	t.Parallel()
	series := []Series{{Code: "bra_totalt", Name: "Anmälda brott", Source: SourceBra, Kind: KindCount}}
	good := Value{Series: "bra_totalt", Area: "2480", Year: 2024, Value: 1}
	tests := []struct {
		name   string
		values []Value
		ok     bool
	}{
		{"good", []Value{good}, true},
		{"none", nil, false},
		{"unknown series", []Value{{Series: "x", Area: "2480", Year: 2024}}, false},
		{"bad area", []Value{{Series: "bra_totalt", Area: "248", Year: 2024}}, false},
		{"bad year", []Value{{Series: "bra_totalt", Area: "2480", Year: 1900}}, false},
		{"infinite", []Value{{Series: "bra_totalt", Area: "2480", Year: 2024, Value: math.Inf(1)}}, false},
		{"twice", []Value{good, good}, false},
	}
	for _, tt := range tests {
		b := Batch{Source: SourceBra, Series: series, Values: tt.values}
		if err := b.Check(); (err == nil) != tt.ok {
			t.Errorf("%s: Check() = %v", tt.name, err)
		}
	}
}
