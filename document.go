package trygg

import (
	"bytes"
	"time"
	"unicode/utf8"
)

// Document is a signed document as a PDF file (an agreement, a routine),
// stored with the record it belongs to.
type Document struct {
	Name       string    `json:"name"`
	Size       int       `json:"size"`
	SHA256     string    `json:"sha256"`
	UploadedAt time.Time `json:"uploaded_at"`
}

// MaxDocumentSize is the largest signed document accepted, in bytes.
const MaxDocumentSize = 10 << 20

// CheckPDF checks an uploaded signed document: a PDF file (by its first
// bytes, whatever its name says) of at most MaxDocumentSize bytes. The
// field of its error is "document".
func CheckPDF(name string, content []byte) error {
	var v Validation
	switch {
	case len(content) == 0:
		v.Add("document", "Välj en PDF-fil att ladda upp.")
	case len(content) > MaxDocumentSize:
		v.Add("document", "Filen är för stor: högst %d MB.", MaxDocumentSize>>20)
	case !bytes.HasPrefix(content, []byte("%PDF-")):
		v.Add("document", "Filen är ingen PDF-fil. Ladda upp det undertecknade dokumentet som PDF.")
	case utf8.RuneCountInString(name) > 200 || !utf8.ValidString(name):
		v.Add("document", "Filnamnet är för långt eller innehåller ogiltiga tecken.")
	}
	return v.Err()
}
