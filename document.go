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
	_, err := checkUpload(name, content, false)
	return err
}

// Content types of a signed document.
const (
	ContentPDF  = "application/pdf"
	ContentJPEG = "image/jpeg"
	ContentPNG  = "image/png"
)

// CheckSignedFile checks an uploaded signed document that may also be a
// photo or a scan of the paper: a PDF, JPEG or PNG file (by its first
// bytes) of at most MaxDocumentSize bytes, and returns its content type.
// The field of its error is "document".
func CheckSignedFile(name string, content []byte) (contentType string, err error) {
	return checkUpload(name, content, true)
}

// checkUpload is CheckPDF, and with images CheckSignedFile.
func checkUpload(name string, content []byte, images bool) (string, error) {
	var v Validation
	kind := ContentPDF
	switch {
	case images && bytes.HasPrefix(content, []byte{0xFF, 0xD8, 0xFF}):
		kind = ContentJPEG
	case images && bytes.HasPrefix(content, []byte("\x89PNG\r\n\x1a\n")):
		kind = ContentPNG
	}
	switch {
	case len(content) == 0 && images:
		v.Add("document", "Välj en fil att ladda upp: PDF, JPEG eller PNG.")
	case len(content) == 0:
		v.Add("document", "Välj en PDF-fil att ladda upp.")
	case len(content) > MaxDocumentSize:
		v.Add("document", "Filen är för stor: högst %d MB.", MaxDocumentSize>>20)
	case kind == ContentPDF && !bytes.HasPrefix(content, []byte("%PDF-")) && images:
		v.Add("document", "Filen är varken PDF, JPEG eller PNG. Ladda upp det undertecknade dokumentet i något av de formaten.")
	case kind == ContentPDF && !bytes.HasPrefix(content, []byte("%PDF-")):
		v.Add("document", "Filen är ingen PDF-fil. Ladda upp det undertecknade dokumentet som PDF.")
	case utf8.RuneCountInString(name) > 200 || !utf8.ValidString(name):
		v.Add("document", "Filnamnet är för långt eller innehåller ogiltiga tecken.")
	}
	if err := v.Err(); err != nil {
		return "", err
	}
	return kind, nil
}
