package reportio_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/trygg-est/trygg/reportio"
)

// BenchmarkParseKoladaJSON reads a Kolada response of 290 municipalities
// × 20 KPIs × 20 years (116,000 values).
func BenchmarkParseKoladaJSON(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(`{"count": 0, "values": [`)
	for k := range 20 {
		for m := range 290 {
			for y := range 20 {
				if buf.Len() > 30 {
					buf.WriteString(",\n")
				}
				fmt.Fprintf(&buf, `{"kpi": "N%05d", "municipality": "%04d", "period": %d, "values": [{"count": 1, "gender": "T", "status": "", "value": %.1f}]}`,
					k, 100+m, 2006+y, float64((k*31+m*17+y*7)%1000)/10)
			}
		}
	}
	buf.WriteString("]}")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := reportio.ParseKoladaJSON(data, retrieved, nil); err != nil {
			b.Fatal(err)
		}
	}
}
