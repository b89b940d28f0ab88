package demo

import (
	"fmt"
	"testing"
	"time"
)

func TestZZDebug(t *testing.T) {
	t0 := time.Now()
	ds := Generate(1, testNow)
	fmt.Println("gen", time.Since(t0), len(ds.Reports))
	byOrg := map[string]int{}
	byArea := map[string]int{}
	byCat := map[string]int{}
	for _, r := range ds.Reports {
		byOrg[r.OrgCode]++
		byArea[r.Input.AreaCode]++
		byCat[r.Input.Category]++
	}
	fmt.Println(byOrg)
	fmt.Println(byArea)
	fmt.Println(byCat)
	for _, s := range ds.Surges {
		fmt.Println(s.Name, s.From, s.To, weekly(ds, s.AreaCode, s.Categories, s.From.AddDate(0, 0, -7*8), 8+int(s.To.Sub(s.From).Hours()/24/7)+1))
	}
	for i := 0; i < len(ds.Reports); i += 2500 {
		r := ds.Reports[i]
		fmt.Printf("%s %s %s %s %d %s | %s\n", r.Input.OccurredAt.In(stockholm()).Format("2006-01-02 Mon 15:04"), r.OrgCode, r.Input.AreaCode, r.Input.Category, r.Input.Severity, r.Input.PlaceType, r.Input.Description)
	}
}
