package reportio

import (
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/leverantor"
)

// The two files of the provider register's import (docs/leverantorer.md):
// the providers, and the persons in their key roles. Codes may be written
// as the code or as its Swedish label, in any case.

var providerCSV = csvFormat{
	columns: []csvColumn{
		{name: "organisationsnummer", aliases: []string{"organisationsnummer", "orgnr"}},
		{name: "namn", aliases: []string{"namn", "name"}},
		{name: "bolagsform", aliases: []string{"bolagsform", "form"}},
		{name: "adress", aliases: []string{"adress", "address"}},
		{name: "verksamhetsadresser", aliases: []string{"verksamhetsadresser", "verksamhetsadress"}, optional: true},
		{name: "avtalsform", aliases: []string{"avtalsform", "avtalstyp"}},
		{name: "verksamhet", aliases: []string{"verksamhet", "tjanstomrade", "tjänsteområde"}},
		{name: "avtal_fran", aliases: []string{"avtal_fran", "avtal_från"}},
		{name: "avtal_till", aliases: []string{"avtal_till"}, optional: true},
		{name: "avtalsvarde", aliases: []string{"avtalsvarde", "avtalsvärde"}},
		{name: "registrerad", aliases: []string{"registrerad"}, optional: true},
		{name: "tillstand_till", aliases: []string{"tillstand_till", "tillstånd_till"}, optional: true},
	},
	names: "organisationsnummer, namn, bolagsform, adress, avtalsform, verksamhet, avtal_fran och avtalsvarde " +
		"(och, om de finns, verksamhetsadresser, avtal_till, registrerad och tillstand_till)",
	unit: "leverantörer",
}

var keyPersonCSV = csvFormat{
	columns: []csvColumn{
		{name: "organisationsnummer", aliases: []string{"organisationsnummer", "orgnr"}},
		{name: "namn", aliases: []string{"namn", "name"}},
		{name: "personnummer", aliases: []string{"personnummer", "pnr"}},
		{name: "roll", aliases: []string{"roll", "role"}},
		{name: "fran", aliases: []string{"fran", "från", "from"}},
		{name: "till", aliases: []string{"till", "to"}, optional: true},
	},
	names: "organisationsnummer, namn, personnummer, roll och fran (och, om den finns, till)",
	unit:  "nyckelpersoner",
}

// ProviderRow is a row of the providers file as the preview shows it.
type ProviderRow struct {
	Line   int
	Input  leverantor.ProviderInput
	Errors []string
}

// KeyPersonRow is a row of the key persons file as the preview shows it.
type KeyPersonRow struct {
	Line   int
	Input  leverantor.KeyPersonInput
	Errors []string
}

// field names of the domain's validation, as the files name the columns.
var providerColumns = map[string]string{"org": "organisationsnummer", "name": "namn", "form": "bolagsform", "address": "adress",
	"sites": "verksamhetsadresser", "contract_type": "avtalsform", "service_area": "verksamhet", "contract_from": "avtal_fran",
	"contract_to": "avtal_till", "value": "avtalsvarde"}

var personColumns = map[string]string{"org": "organisationsnummer", "name": "namn", "number": "personnummer", "role": "roll", "from": "fran", "to": "till"}

// ReadProviders reads the providers file. Every row comes back, each with
// its problems (syntax and the register's rules), for the preview; the
// error is an EINVALID naming every problem in field "file", or the file's
// own problem (a bad header) with no rows. A number may occur once.
func ReadProviders(data []byte) ([]ProviderRow, error) {
	var rows []ProviderRow
	seen := map[string]int{}
	_, err := readCSV(data, providerCSV, func(r *csvRow) struct{} {
		start := len(r.v.Fields)
		var in leverantor.ProviderInput
		in.Org = levText(r, "organisationsnummer")
		in.Name = levText(r, "namn")
		in.Form = levCode(r, "bolagsform", leverantor.CompanyForms)
		in.Address = levText(r, "adress")
		if s := levText(r, "verksamhetsadresser"); s != "" {
			for _, a := range strings.Split(s, "|") {
				in.Sites = append(in.Sites, strings.TrimSpace(a))
			}
		}
		in.ContractType = levCode(r, "avtalsform", leverantor.ContractTypes)
		in.ServiceArea = levCode(r, "verksamhet", leverantor.ServiceAreas)
		in.ContractFrom = levDate(r, "avtal_fran")
		in.ContractTo = levDate(r, "avtal_till")
		if s := strings.ReplaceAll(strings.ReplaceAll(levText(r, "avtalsvarde"), " ", ""), "\u00a0", ""); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 || n > leverantor.MaxContractKronor {
				r.fail("avtalsvarde", "Skriv värdet i hela kronor.")
			}
			in.Value = n
		}
		in.Registered = levDate(r, "registrerad")
		in.PermitUntil = levDate(r, "tillstand_till")
		if len(r.v.Fields) == start {
			n, err := in.Validate()
			domainErrors(r, err, providerColumns)
			if err == nil {
				if first, dup := seen[n.Digits]; dup {
					r.fail("organisationsnummer", "Leverantören finns redan på rad %d.", first)
				}
				seen[n.Digits] = r.line
			}
		}
		rows = append(rows, ProviderRow{Line: r.line, Input: in, Errors: rowErrors(r.v.Fields[start:])})
		return struct{}{}
	})
	return rows, err
}

// ReadKeyPersons reads the key persons file, as ReadProviders does.
func ReadKeyPersons(data []byte) ([]KeyPersonRow, error) {
	var rows []KeyPersonRow
	_, err := readCSV(data, keyPersonCSV, func(r *csvRow) struct{} {
		start := len(r.v.Fields)
		var in leverantor.KeyPersonInput
		in.Org = levText(r, "organisationsnummer")
		in.Name = levText(r, "namn")
		in.Number = levText(r, "personnummer")
		in.Role = levCode(r, "roll", leverantor.KeyRoles)
		in.From = levDate(r, "fran")
		in.To = levDate(r, "till")
		if len(r.v.Fields) == start {
			_, err := in.Validate()
			domainErrors(r, err, personColumns)
		}
		rows = append(rows, KeyPersonRow{Line: r.line, Input: in, Errors: rowErrors(r.v.Fields[start:])})
		return struct{}{}
	})
	return rows, err
}

func levText(r *csvRow, col string) string {
	s, _ := r.field(col)
	return strings.TrimSpace(s)
}

// levCode reads a code written as the code or its label.
func levCode(r *csvRow, col string, codes []trygg.Code) string {
	s := strings.ToLower(levText(r, col))
	if s == "" {
		return ""
	}
	for _, c := range codes {
		if s == c.Code || s == strings.ToLower(c.Label) {
			return c.Code
		}
	}
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = c.Code
	}
	r.fail(col, "Okänt värde; skriv något av %s.", strings.Join(names, ", "))
	return ""
}

// levDate reads an optional YYYY-MM-DD date; 0 when empty.
func levDate(r *csvRow, col string) trygg.Day {
	s := levText(r, col)
	if s == "" {
		return 0
	}
	d, err := trygg.ParseDay(s)
	if err != nil || d < trygg.DateDay(1900, 1, 1) || d > trygg.DateDay(2100, 1, 1) {
		r.fail(col, "%q är inget datum; skriv ÅÅÅÅ-MM-DD.", s)
		return 0
	}
	return d
}

// domainErrors adds the register's field errors to the row, naming the
// file's columns.
func domainErrors(r *csvRow, err error, columns map[string]string) {
	for _, f := range trygg.ErrorFields(err) {
		col := columns[f.Field]
		if col == "" {
			col = f.Field
		}
		r.fail(col, "%s", f.Message)
	}
}

// rowErrors is a row's problems without the "rad N, " the file's errors
// begin with.
func rowErrors(fields []trygg.FieldError) []string {
	var out []string
	for _, f := range fields {
		_, msg, ok := strings.Cut(f.Message, ", ")
		if !ok {
			msg = f.Message
		}
		out = append(out, msg)
	}
	return out
}

// ProviderInputs are the rows' inputs.
func ProviderInputs(rows []ProviderRow) []leverantor.ProviderInput {
	out := make([]leverantor.ProviderInput, len(rows))
	for i, r := range rows {
		out[i] = r.Input
	}
	return out
}

// KeyPersonInputs are the rows' inputs.
func KeyPersonInputs(rows []KeyPersonRow) []leverantor.KeyPersonInput {
	out := make([]leverantor.KeyPersonInput, len(rows))
	for i, r := range rows {
		out[i] = r.Input
	}
	return out
}
