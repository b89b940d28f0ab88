package reportio

import (
	"context"
	"io"

	"github.com/trygg-est/trygg"
)

// ExportFormat is one format Export writes.
type ExportFormat struct {
	Name        string // as given to Export; also the file extension
	ContentType string
}

// The export formats.
var (
	CSV     = ExportFormat{"csv", "text/csv; charset=utf-8"}
	GeoJSON = ExportFormat{"geojson", "application/geo+json"}
)

// reportWriter streams reports in one format; Close finishes the document
// without closing the underlying writer.
type reportWriter interface {
	Write(*trygg.Report) error
	Close() error
}

// Export writes every report that reports.EachReport yields for f, in
// format, to w. The caller's identity in ctx decides what is visible.
// An unknown format is EINVALID naming the field "format".
func Export(ctx context.Context, reports trygg.ReportService, f trygg.ReportFilter, format string, w io.Writer) error {
	var rw reportWriter
	switch format {
	case CSV.Name:
		rw = WriteCSV(w)
	case GeoJSON.Name:
		rw = WriteGeoJSON(w)
	default:
		var v trygg.Validation
		v.Add("format", "Formatet %q finns inte; välj csv eller geojson.", format)
		return v.Err()
	}
	if err := reports.EachReport(ctx, f, rw.Write); err != nil {
		return err
	}
	return rw.Close()
}
