package web

import (
	"net/http"
	"strconv"
)

// sendPDF sends a PDF, stored or drawn, as a download under filename,
// never to be rendered inline as anything else.
func sendPDF(w http.ResponseWriter, filename string, content []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(content)))
	_, _ = w.Write(content)
}
