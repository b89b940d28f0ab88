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
