package trygg_test

import (
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
