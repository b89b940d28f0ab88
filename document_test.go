package trygg_test

import (
	"bytes"
	"testing"

	"github.com/trygg-est/trygg"
)

func TestCheckPDF(t *testing.T) {
	tests := []struct {
		name    string
		content []byte
		ok      bool
	}{
		{"pdf", []byte("%PDF-1.7\n%âãÏÓ\n"), true},
		{"empty", nil, false},
		{"html named pdf", []byte("<!doctype html>"), false},
		{"pdf later in the file", []byte("xx%PDF-1.7"), false},
		{"too large", append([]byte("%PDF-1.7"), make([]byte, trygg.MaxDocumentSize)...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := trygg.CheckPDF("avtal.pdf", tt.content)
			if (err == nil) != tt.ok || (err != nil && trygg.ErrorFields(err)[0].Field != "document") {
				t.Fatalf("CheckPDF = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestCheckSignedFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content []byte
		want    string // content type; "" for refused
	}{
		{"pdf", []byte("%PDF-1.7\n"), trygg.ContentPDF},
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, trygg.ContentJPEG},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), trygg.ContentPNG},
		{"gif", []byte("GIF89a"), ""},
		{"empty", nil, ""},
		{"too large image", append([]byte{0xFF, 0xD8, 0xFF}, make([]byte, trygg.MaxDocumentSize)...), ""},
	}
	for _, tt := range tests {
		got, err := trygg.CheckSignedFile("samtycke", tt.content)
		if got != tt.want || (err == nil) != (tt.want != "") || (err != nil && trygg.ErrorFields(err)[0].Field != "document") {
			t.Errorf("%s: CheckSignedFile = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	if _, err := trygg.CheckSignedFile(string([]byte{0xff}), []byte("%PDF-1.4")); err == nil {
		t.Error("an invalid file name was accepted")
	}
}

// FuzzCheckSignedFile feeds the upload check of a signed document any
// bytes and name: it never panics, answers only on field document, and
// what it accepts starts as the type it names and fits the size limit.
func FuzzCheckSignedFile(f *testing.F) {
	f.Add("samtycke.pdf", []byte("%PDF-1.7\n"))
	f.Add("foto.jpg", []byte{0xFF, 0xD8, 0xFF, 0xE0})
	f.Add("skanning.png", []byte("\x89PNG\r\n\x1a\n"))
	f.Add("x.gif", []byte("GIF89a"))
	f.Fuzz(func(t *testing.T, name string, content []byte) {
		kind, err := trygg.CheckSignedFile(name, content)
		if err != nil {
			if kind != "" || len(trygg.ErrorFields(err)) != 1 || trygg.ErrorFields(err)[0].Field != "document" {
				t.Fatalf("refusal %q, %v", kind, err)
			}
			return
		}
		prefix := map[string]string{trygg.ContentPDF: "%PDF-", trygg.ContentJPEG: "\xFF\xD8\xFF", trygg.ContentPNG: "\x89PNG\r\n\x1a\n"}[kind]
		if prefix == "" || !bytes.HasPrefix(content, []byte(prefix)) || len(content) > trygg.MaxDocumentSize {
			t.Fatalf("accepted %q as %q", content, kind)
		}
	})
}
