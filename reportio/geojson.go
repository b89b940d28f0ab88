package reportio

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/trygg-est/trygg"
)

// GeoJSONWriter streams reports as a GeoJSON FeatureCollection (RFC 7946):
// one Feature per report, with a Point geometry when the report has a
// location and a null geometry otherwise. The properties are the report's
// fields under the same names as in the CSV export. Use Write as the
// callback of trygg.ReportService.EachReport, then Close.
type GeoJSONWriter struct {
	w     *bufio.Writer
	loc   *time.Location
	count int
	err   error
}

// WriteGeoJSON returns a GeoJSONWriter that writes to w.
func WriteGeoJSON(w io.Writer) *GeoJSONWriter {
	return &GeoJSONWriter{w: bufio.NewWriterSize(w, 64<<10), loc: trygg.Stockholm}
}

type reportFeature struct {
	Type       string           `json:"type"`
	ID         int64            `json:"id"`
	Geometry   *pointGeometry   `json:"geometry"`
	Properties reportProperties `json:"properties"`
}

type pointGeometry struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"` // lon, lat
}

type reportProperties struct {
	ID           int64   `json:"id"`
	OccurredAt   string  `json:"occurred_at"`
	OccurredEnd  *string `json:"occurred_end"`
	ReportedAt   string  `json:"reported_at"`
	Area         string  `json:"area"`
	Category     string  `json:"category"`
	Severity     int     `json:"severity"`
	PlaceType    string  `json:"place_type"`
	Description  string  `json:"description"`
	Organisation string  `json:"organisation"`
	Version      int     `json:"version"`
}

// Write writes one report as a Feature.
func (g *GeoJSONWriter) Write(r *trygg.Report) error {
	if g.err != nil {
		return g.err
	}
	f := reportFeature{
		Type: "Feature",
		ID:   r.ID,
		Properties: reportProperties{
			ID:           r.ID,
			OccurredAt:   r.OccurredAt.In(g.loc).Format(time.RFC3339),
			ReportedAt:   r.ReportedAt.In(g.loc).Format(time.RFC3339),
			Area:         r.AreaCode,
			Category:     r.Category,
			Severity:     r.Severity,
			PlaceType:    r.PlaceType,
			Description:  r.Description,
			Organisation: r.OrgCode,
			Version:      r.Version,
		},
	}
	if r.OccurredEnd != nil {
		end := r.OccurredEnd.In(g.loc).Format(time.RFC3339)
		f.Properties.OccurredEnd = &end
	}
	if r.Location != nil {
		f.Geometry = &pointGeometry{Type: "Point", Coordinates: [2]float64{r.Location.Lon, r.Location.Lat}}
	}
	b, err := json.Marshal(f)
	if err != nil {
		g.err = err
		return err
	}
	if g.count == 0 {
		_, g.err = g.w.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	} else {
		_, g.err = g.w.WriteString(",\n")
	}
	if g.err == nil {
		_, g.err = g.w.Write(b)
	}
	g.count++
	return g.err
}

// Close ends the FeatureCollection and flushes it. It does not close the
// underlying writer.
func (g *GeoJSONWriter) Close() error {
	if g.err != nil {
		return g.err
	}
	if g.count == 0 {
		_, g.err = g.w.WriteString(`{"type":"FeatureCollection","features":[]}` + "\n")
	} else {
		_, g.err = g.w.WriteString("\n]}\n")
	}
	if g.err == nil {
		g.err = g.w.Flush()
	}
	if g.err != nil {
		return g.err
	}
	g.err = errors.New("reportio: GeoJSONWriter used after Close")
	return nil
}
