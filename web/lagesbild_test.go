package web

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/lagesbild"
)

// addSurge files klotter in Haga: 1 a week for 10 weeks, then 9 in the
// week of testNow (week 47, 2026), so that the lägesbild flags it. (The
// fixture's 3 klotter reports in Ålidhem that week are too few to flag.)
func addSurge(t *testing.T, env *testEnv) {
	t.Helper()
	ctx := trygg.NewContextWithUser(context.Background(), env.Users["rapportor"])
	file := func(at time.Time) {
		t.Helper()
		if _, err := env.Config.Reports.CreateReport(ctx, trygg.ReportInput{OccurredAt: at, AreaCode: "haga", Category: "klotter",
			PlaceType: "skola", Severity: 1, Description: "Klotter på väggen."}); err != nil {
			t.Fatal(err)
		}
	}
	for k := 1; k <= 10; k++ {
		file(testNow.AddDate(0, 0, -7*k))
	}
	for i := range 9 {
		file(testNow.Add(-time.Duration(i+1) * time.Hour))
	}
}

func TestLagesbildPage(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	addSurge(t, env)
	const week47 = "/lagesbild?period=vecka&datum=2026-11-18"
	link := `href="/rapporter?fran=2026-11-16&amp;kategori=klotter&amp;omrade=haga&amp;till=2026-11-22"`
	sentence := "Haga — klotter: 9 rapporter vecka 47, förväntat högst 1 (EARS C2)"

	sam := env.signIn(t, "samordnare")
	resp := sam.get(week47)
	wantStatus(t, resp, 200)
	wantContains(t, resp.Body, "vecka 47 2026", sentence, link, `<svg xmlns="http://www.w3.org/2000/svg" class="district-map"`,
		`href="/lagesbild/omrade/haga"`, `class="chart weekly-chart"`, "Metod:</strong> EARS C2", "Största förändringar",
		`aria-current="page">Lägesbild</a>`)

	// The läsare sees the flagged increase, but no link to reports.
	las := env.signIn(t, "lasare")
	resp = las.get(week47)
	wantStatus(t, resp, 200)
	wantContains(t, resp.Body, sentence)
	if strings.Contains(resp.Body, "/rapporter?") {
		t.Error("the läsare gets a link to reports")
	}

	// Rates on the map; the filter to Ålidhem leaves Haga's surge out.
	resp = sam.get(week47 + "&visa=takt&omrade=alidhem")
	wantStatus(t, resp, 200)
	wantContains(t, resp.Body, "Rapporter per 1 000 invånare", "Ålidhem, 0,4 per 1 000 invånare", "Ingen ökning är flaggad")
	if strings.Contains(resp.Body, sentence) {
		t.Error("the filter to Ålidhem shows Haga's increase")
	}

	// The default is the last whole week before today.
	resp = sam.get("/lagesbild")
	wantStatus(t, resp, 200)
	wantContains(t, resp.Body, "vecka 46 2026")
}

func TestLagesbildBadFilter(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	sam := env.signIn(t, "samordnare")
	for _, tc := range []struct{ query, field, message string }{
		{"omrade=nowhere", "omrade", "Området &#34;nowhere&#34; finns inte."},
		{"datum=20-11-2026", "datum", "Datumet ska skrivas som ÅÅÅÅ-MM-DD."},
		{"period=egen&fran=2026-11-10&till=2026-11-01", "till", "Slutdatumet får inte vara före startdatumet."},
		{"period=dag", "period", "Välj vecka, månad, tertial, år eller egen period."},
		{"grupp=Inget", "grupp", "Kategorigruppen &#34;Inget&#34; finns inte."},
		{"orgtyp=bank", "orgtyp", "Organisationstypen &#34;bank&#34; finns inte."},
	} {
		t.Run(tc.field, func(t *testing.T) {
			resp := sam.get("/lagesbild?" + tc.query)
			wantStatus(t, resp, 422)
			wantContains(t, resp.Body, tc.message, `href="#`+tc.field+`"`, `id="`+tc.field+`"`)
		})
	}
}

func TestDistrictPage(t *testing.T) {
	t.Parallel()
	env := newTestServer(t)
	addSurge(t, env)
	las := env.signIn(t, "lasare")
	resp := las.get("/lagesbild/omrade/haga")
	wantStatus(t, resp, 200)
	wantContains(t, resp.Body, "Områdesprofil: Haga", "Våld", "Social oro", "Narkotikaförsäljning", "Anlagd brand", "Hot",
		`class="chart sparkline"`, "2026 (hittills)", `href="/lagesbild?omrade=haga"`)
	wantStatus(t, las.get("/lagesbild/omrade/nowhere"), 404)
	wantStatus(t, env.signIn(t, "rapportor").get("/lagesbild/omrade/haga"), 404)
}

// FuzzLagesbildQuery feeds the lägesbild's query parser arbitrary queries:
// it must never panic, must name only the form's fields, and a period it
// accepts must be a valid one.
func FuzzLagesbildQuery(f *testing.F) {
	f.Add("period=vecka&datum=2026-11-18&omrade=alidhem&kategori=klotter&grupp=Narkotika&orgtyp=skola&visa=takt")
	f.Add("period=egen&fran=2026-01-01&till=2026-12-31")
	f.Add("period=tertial&datum=1999-13-40")
	f.Add("period=egen&fran=2026-11-10&till=2000-01-01&omrade=&omrade=%20")
	known := []string{"period", "datum", "fran", "till", "omrade", "kategori", "grupp", "orgtyp"}
	today := trygg.DayOf(testNow)
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		_, filter, err := parseLagesbildQuery(q, today)
		if err != nil {
			if trygg.ErrorCode(err) != trygg.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			for _, fe := range trygg.ErrorFields(err) {
				if !slices.Contains(known, fe.Field) {
					t.Fatalf("unknown field %q", fe.Field)
				}
			}
			return
		}
		if filter.Period.To < filter.Period.From || filter.Period.Label == "" {
			t.Fatalf("accepted a bad period %+v", filter.Period)
		}
		if _, err := lagesbild.NewPeriod(filter.Period.Kind, filter.Period.From, filter.Period.To); err != nil {
			t.Fatalf("period %+v does not pass NewPeriod: %v", filter.Period, err)
		}
	})
}

// A flag links to the list of exactly the reports it was counted from:
// its week, area and category, and the organisation types the picture
// was filtered to.
func TestFlagReportsURL(t *testing.T) {
	f := lagesbild.Flag{Area: "ALI", Category: "social_oro", Monday: trygg.DateDay(2026, 11, 16)}
	tests := []struct {
		name     string
		orgTypes []trygg.OrgType
		want     string
	}{
		{"all organisations", nil, "/rapporter?fran=2026-11-16&kategori=social_oro&omrade=ALI&till=2026-11-22"},
		{"some organisation types", []trygg.OrgType{trygg.OrgSchool, trygg.OrgPolice},
			"/rapporter?fran=2026-11-16&kategori=social_oro&omrade=ALI&orgtyp=skola&orgtyp=polis&till=2026-11-22"},
	}
	for _, tt := range tests {
		if got := flagReportsURL(f, tt.orgTypes); got != tt.want {
			t.Errorf("%s: flagReportsURL = %q, want %q", tt.name, got, tt.want)
		}
	}
}
