package pii_test

import (
	"strings"
	"testing"

	"github.com/trygg-est/trygg/pii"
)

func TestFind(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		kind  pii.Kind // 0: nothing found
		match string   // the text found
	}{
		// Personnummer: every spelling, Luhn-checked, with a real date.
		{"pnr with hyphen", "Pojken 811218-9876 stod vid busshållplatsen", pii.Personnummer, "811218-9876"},
		{"pnr without separator", "pnr 8112189876.", pii.Personnummer, "8112189876"},
		{"pnr with plus (100+ years)", "811218+9876", pii.Personnummer, "811218+9876"},
		{"pnr with space", "nummer 811218 9876 i texten", pii.Personnummer, "811218 9876"},
		{"pnr with century and hyphen", "19811218-9876", pii.Personnummer, "19811218-9876"},
		{"pnr with century, no separator", "(198112189876)", pii.Personnummer, "198112189876"},
		{"pnr with century and space", "19121212 1212", pii.Personnummer, "19121212 1212"},
		{"pnr at start and end of text", "121212-1212", pii.Personnummer, "121212-1212"},
		{"pnr after letters", "pnr:8112189876", pii.Personnummer, "8112189876"},
		{"pnr 29 Feb without century, year divisible by 4", "040229-1231", pii.Personnummer, "040229-1231"},
		{"pnr 29 Feb 2000 with century", "20000229-1235", pii.Personnummer, "20000229-1235"},
		{"samordningsnummer", "samordningsnr 701063-2391 hittades", pii.Samordningsnummer, "701063-2391"},
		{"samordningsnummer with century", "197010632391", pii.Samordningsnummer, "197010632391"},
		{"pnr that also looks like a mobile number", "0701234569", pii.Personnummer, "0701234569"},

		{"wrong Luhn digit", "811218-9875", 0, ""},
		{"wrong Luhn digit, no separator", "ordernummer 8112189875", 0, ""},
		{"month 13", "811318-9876", 0, ""},
		{"day 0", "811200-1234", 0, ""},
		{"30 Feb", "040230-1238", 0, ""},
		{"29 Feb 1900 with century", "19000229-1235", 0, ""},
		{"29 Feb in a year not divisible by 4", "010229-1234", 0, ""},
		{"samordningsnummer day 92", "701092-1234", 0, ""},
		{"organisationsnummer (month ≥ 20)", "AB Bostaden 556036-0793", 0, ""},
		{"part of a longer digit run", "18112189876", 0, ""},
		{"followed by more digits", "81121898761", 0, ""},
		{"century out of range", "21121212-1212", 0, ""},
		{"too few digits after separator", "811218-987", 0, ""},

		// Phone numbers.
		{"mobile with hyphen and spaces", "ring 070-123 45 67 sen", pii.Phone, "070-123 45 67"},
		{"mobile without separators", "tel 0701234567", pii.Phone, "0701234567"},
		{"mobile with spaces", "070 123 45 67", pii.Phone, "070 123 45 67"},
		{"mobile with hyphen only", "070-1234567", pii.Phone, "070-1234567"},
		{"mobile with spaced hyphen", "073 - 123 45 67", pii.Phone, "073 - 123 45 67"},
		{"international", "+46 70 123 45 67", pii.Phone, "+46 70 123 45 67"},
		{"international, no spaces", "+46701234567", pii.Phone, "+46701234567"},
		{"international with (0)", "+46 (0)70-123 45 67", pii.Phone, "+46 (0)70-123 45 67"},
		{"international keeping the 0", "+46 070 123 45 67", pii.Phone, "+46 070 123 45 67"},
		{"0046 prefix", "0046 70 123 45 67", pii.Phone, "0046 70 123 45 67"},
		{"Stockholm landline", "08-123 456 78", pii.Phone, "08-123 456 78"},
		{"Umeå landline", "090-12 34 56", pii.Phone, "090-12 34 56"},
		{"four-digit area code", "0910-123 45", pii.Phone, "0910-123 45"},
		{"Göteborg landline", "031-123 45 67", pii.Phone, "031-123 45 67"},
		{"area code in parentheses", "(08) 123 45 67", pii.Phone, "(08) 123 45 67"},
		{"phone followed by more numbers", "070-123 45 67 12 st", pii.Phone, "070-123 45 67"},

		{"date", "Den 2024-05-17 hände det", 0, ""},
		{"date and time", "2024-05-17 08:30 och 2024-05-18 09:15", 0, ""},
		{"date and time without colon", "2024-05-17 0830 kom 12 personer", 0, ""},
		{"time", "kl 22:30", 0, ""},
		{"year", "sedan 2019 och 2020", 0, ""},
		{"range", "10-15 ungdomar samlades", 0, ""},
		{"time range with leading zero", "kl 07-09 varje dag", 0, ""},
		{"emergency number", "ringde 112", 0, ""},
		{"police non-emergency number", "ring 114 14", 0, ""},
		{"too short after area code", "08-123 45", 0, ""},
		{"too long", "070-123 45 67 89", pii.Phone, "070-123 45 67"},
		{"long digit run starting with 0", "0701234567890", 0, ""},
		{"list of numbers with long first group", "01234 56 78", 0, ""},
		{"double zero is not a trunk prefix", "00 123 45 67", 0, ""},
		{"postal code", "903 25 Umeå", 0, ""},
		{"decimal number", "0,5 promille och 0.75 liter", 0, ""},
		{"+46 too short", "+46 70 123", 0, ""},

		// E-mail addresses.
		{"e-mail", "mejla kalle.anka@example.se i morgon", pii.Email, "kalle.anka@example.se"},
		{"e-mail with plus and subdomain", "<a.b+tag@mail.umea.se>", pii.Email, "a.b+tag@mail.umea.se"},
		{"e-mail with Swedish letters", "åsa@exempel.se", pii.Email, "åsa@exempel.se"},
		{"e-mail at end of sentence", "skriv till x@y.nu.", pii.Email, "x@y.nu"},
		{"e-mail with punycode TLD", "a@b.xn--p1ai", pii.Email, "a@b.xn--p1ai"},
		{"e-mail, leading dots dropped", "...kim@umea.se", pii.Email, "kim@umea.se"},
		{"e-mail after a number that is part of it", "0701234567@sms.se", pii.Email, "0701234567@sms.se"},
		{"handle without local part", "följ @trygg.umea på instagram", 0, ""},
		{"no top-level domain", "kl 19@torget", 0, ""},
		{"one-letter TLD", "a@b.c", 0, ""},
		{"numeric TLD", "a@b.12", 0, ""},
		{"at sign alone", "5 @ 10 kr", 0, ""},

		// Which comes first.
		{"first of several", "a@b.se 811218-9876", pii.Email, "a@b.se"},
		{"number before e-mail", "070-123 45 67 eller a@b.se", pii.Phone, "070-123 45 67"},

		{"empty", "", 0, ""},
		{"plain Swedish text", "Ungdomar samlades vid Ålidhems centrum och kastade sten mot fönster.", 0, ""},
		{"invalid UTF-8", "\xff\xfe811218-9876\xc3", pii.Personnummer, "811218-9876"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := pii.Find(tt.text)
			if tt.kind == 0 {
				if f != nil {
					t.Fatalf("Find(%q) = %v %q, want nothing", tt.text, f.Kind, tt.text[f.Start:f.End])
				}
				return
			}
			if f == nil {
				t.Fatalf("Find(%q) = nil, want %v %q", tt.text, tt.kind, tt.match)
			}
			if got := tt.text[f.Start:f.End]; f.Kind != tt.kind || got != tt.match {
				t.Fatalf("Find(%q) = %v %q, want %v %q", tt.text, f.Kind, got, tt.kind, tt.match)
			}
		})
	}
}

func TestKindLabel(t *testing.T) {
	for _, k := range []pii.Kind{pii.Personnummer, pii.Samordningsnummer, pii.Phone, pii.Email} {
		if l := k.Label(); l == "" || l == pii.Kind(0).Label() {
			t.Errorf("Kind(%d).Label() = %q, want a specific phrase", k, l)
		}
	}
}

func BenchmarkFind(b *testing.B) {
	text := strings.Repeat("Ungdomar samlades 2024-05-17 kl 22:30 vid Ålidhems centrum, 10-15 st. ", 28)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if pii.Find(text) != nil {
			b.Fatal("unexpected finding")
		}
	}
}

func FuzzFind(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string) {
		got := pii.Find(text)
		if got == nil {
			return
		}
		if got.Start < 0 || got.End > len(text) || got.Start >= got.End {
			t.Fatalf("Find(%q) = [%d,%d), out of bounds", text, got.Start, got.End)
		}
		sub := text[got.Start:got.End]
		again := pii.Find(sub)
		if again == nil || again.Kind != got.Kind || again.Start != 0 || again.End != len(sub) {
			t.Fatalf("Find(%q) = %v %q, but Find of that substring = %+v", text, got.Kind, sub, again)
		}
	})
}
