package reportio_test

import (
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/leverantor"
	"github.com/trygg-est/trygg/reportio"
)

func luhn(nine string) string { return nine + string(leverantor.LuhnDigit(nine)) }

func TestReadProviders(t *testing.T) {
	t.Parallel()
	a, b := luhn("559900001"), luhn("559900002")
	file := "\ufefforganisationsnummer;namn;bolagsform;adress;verksamhetsadresser;avtalsform;verksamhet;avtal_fran;avtal_till;avtalsvarde\n" +
		a + ";Omsorg AB;Aktiebolag;Storgatan 1;Nygatan 2|Västra vägen 3;LOV;hemtjanst;2024-01-01;;1 200 000\n" +
		"\n" +
		"121212-1212;Kalles firma;enskild_firma;Torget 1;;lou;Daglig verksamhet;2024-01-01;2026-12-31;300000\n" +
		b[:9] + "0;Fel AB;aktiebolag;Gatan 2;;lov;hemtjanst;2024-13-01;;100\n" +
		a + ";Dubblett AB;aktiebolag;Gatan 3;;lov;bygg;2024-01-01;;100\n"
	rows, err := reportio.ReadProviders([]byte(file))
	if trygg.ErrorCode(err) != trygg.EINVALID {
		t.Fatalf("err %v", err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows", len(rows))
	}
	if r := rows[0]; len(r.Errors) != 0 || r.Input.Value != 1200000 || len(r.Input.Sites) != 2 || r.Input.ContractType != "lov" || r.Line != 2 {
		t.Errorf("row 1 %+v", r)
	}
	if r := rows[1]; len(r.Errors) != 0 || r.Input.ServiceArea != "daglig_verksamhet" || r.Line != 4 {
		t.Errorf("row 2 %+v", r)
	}
	if r := rows[2]; len(r.Errors) != 1 || !strings.Contains(r.Errors[0], "avtal_fran") {
		t.Errorf("row 3 %+v", r)
	}
	if r := rows[3]; len(r.Errors) != 1 || !strings.Contains(r.Errors[0], "verksamhet") {
		t.Errorf("row 4 %+v", r)
	}
	for _, f := range trygg.ErrorFields(err) {
		if strings.Contains(f.Message, "1212") {
			t.Errorf("an error repeats a personnummer: %s", f.Message)
		}
	}
	// The wrong check digit is reported once the syntax is right.
	rows, _ = reportio.ReadProviders([]byte("organisationsnummer,namn,bolagsform,adress,avtalsform,verksamhet,avtal_fran,avtalsvarde\n" +
		b[:9] + "0,Fel AB,aktiebolag,Gatan 2,lov,hemtjanst,2024-01-01,100\n" + a + ",Omsorg AB,aktiebolag,Gatan 2,lov,hemtjanst,2024-01-01,100\n" +
		a + ",Omsorg AB,aktiebolag,Gatan 2,lov,hemtjanst,2024-01-01,100\n"))
	if len(rows) != 3 || len(rows[0].Errors) != 1 || !strings.Contains(rows[0].Errors[0], "kontrollsiffra") || !strings.Contains(rows[2].Errors[0], "rad 3") {
		t.Errorf("rows %+v", rows)
	}
	_, err = reportio.ReadProviders([]byte("organisationsnummer,namn\n"))
	if trygg.ErrorCode(err) != trygg.EINVALID || !strings.Contains(trygg.ErrorMessage(err), "saknas") {
		t.Errorf("missing columns: %v", err)
	}
}

func TestReadKeyPersons(t *testing.T) {
	t.Parallel()
	a := luhn("559900001")
	rows, err := reportio.ReadKeyPersons([]byte("organisationsnummer,namn,personnummer,roll,fran,till\n" +
		a + ",Testa Testsson,121212-1212,VD,2020-01-01,\n" +
		a + ",Provan Provsson,121212-1213,styrelseledamot,2020-01-01,2019-01-01\n"))
	if trygg.ErrorCode(err) != trygg.EINVALID || len(rows) != 2 {
		t.Fatalf("%+v %v", rows, err)
	}
	if r := rows[0]; len(r.Errors) != 0 || r.Input.Role != "vd" {
		t.Errorf("row 1 %+v", r)
	}
	if r := rows[1]; len(r.Errors) != 2 {
		t.Errorf("row 2 %+v", r)
	}
}

func FuzzReadProviders(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := reportio.ReadProviders(data)
		if err != nil && (trygg.ErrorCode(err) != trygg.EINVALID || len(trygg.ErrorFields(err)) == 0) {
			t.Fatalf("err %v, want an EINVALID naming the file", err)
		}
		bad := false
		for _, r := range rows {
			if len(r.Errors) > 0 {
				bad = true
				continue
			}
			in := r.Input
			if _, verr := in.Validate(); verr != nil {
				t.Fatalf("row %d passed the preview but not the register: %v", r.Line, verr)
			}
		}
		if bad && err == nil {
			t.Fatal("rows with errors but no error")
		}
	})
}

func FuzzReadKeyPersons(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := reportio.ReadKeyPersons(data)
		if err != nil && (trygg.ErrorCode(err) != trygg.EINVALID || len(trygg.ErrorFields(err)) == 0) {
			t.Fatalf("err %v", err)
		}
		for _, r := range rows {
			if len(r.Errors) == 0 {
				in := r.Input
				if _, verr := in.Validate(); verr != nil {
					t.Fatalf("row %d: %v", r.Line, verr)
				}
			}
		}
	})
}
