package web

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/trygg-est/trygg"
)

// loadOpenAPI parses and validates the embedded OpenAPI document.
func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPIDocument)
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	ctx := openapi3.WithValidationOptions(context.Background(),
		openapi3.IsOpenAPI31OrLater(), openapi3.EnableExamplesValidation(), openapi3.EnableSchemaFormatValidation())
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	return doc
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" || op.Summary == "" {
				t.Errorf("%s %s: operationId and summary are required", method, path)
			}
			if op.Responses == nil || op.Responses.Len() == 0 {
				t.Errorf("%s %s: no responses", method, path)
				continue
			}
			for status, resp := range op.Responses.Map() {
				if resp.Value == nil {
					t.Errorf("%s %s %s: response does not resolve", method, path, status)
					continue
				}
				if status[0] != '2' && resp.Value.Content.Get("application/problem+json") == nil {
					t.Errorf("%s %s %s: error responses must be application/problem+json", method, path, status)
				}
			}
			public := op.Security != nil && len(*op.Security) == 0
			// The document itself and the open data (issue 13) need no token.
			if want := path == "/api/v1/openapi.json" || strings.HasPrefix(path, "/api/v1/open/"); public != want {
				t.Errorf("%s %s: public = %v, want %v", method, path, public, want)
			}
			if !public && op.Responses.Status(401) == nil {
				t.Errorf("%s %s: a route that needs a token must document 401", method, path)
			}
		}
	}
	if ss := doc.Components.SecuritySchemes["bearerAuth"]; ss == nil || ss.Value.Type != "http" || ss.Value.Scheme != "bearer" {
		t.Errorf("bearerAuth security scheme missing or wrong")
	}
	if len(doc.Security) != 1 || doc.Security[0]["bearerAuth"] == nil {
		t.Errorf("bearerAuth must be the default security requirement")
	}
}

// TestOpenAPIMatchesRoutes checks that the document and the server agree:
// every API route the server has is documented, and every documented
// operation exists.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	// Every route under /api/ with a method is an operation; the one
	// without, the catch-all for unknown addresses, is not.
	env := newTestServer(t)
	served := map[string]bool{}
	for _, rt := range env.Server.routes() {
		method, path, ok := strings.Cut(rt.pattern, " ")
		if ok && (path == "/api" || strings.HasPrefix(path, "/api/")) {
			served[method+" "+path] = true
		}
	}
	inTable := map[string]bool{}
	for _, rt := range env.Server.routes() {
		inTable[rt.pattern] = true
	}
	for _, rt := range env.Server.apiRoutes() {
		if !inTable[rt.pattern] {
			t.Errorf("API route %q is not in the server's route table", rt.pattern)
		}
	}
	if d, s := slices.Sorted(maps.Keys(documented)), slices.Sorted(maps.Keys(served)); !slices.Equal(d, s) {
		for _, k := range s {
			if !documented[k] {
				t.Errorf("route %q is not in openapi.json", k)
			}
		}
		for _, k := range d {
			if !served[k] {
				t.Errorf("openapi.json documents %q, which the server does not have", k)
			}
		}
	}
}

// TestOpenAPIEnumsMatchDomain keeps the fixed code lists in the document in
// step with package trygg.
func TestOpenAPIEnumsMatchDomain(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	var placeTypes []any
	for _, p := range trygg.PlaceTypes {
		placeTypes = append(placeTypes, p.Code)
	}
	var orgTypes []any
	for _, o := range trygg.OrgTypes {
		orgTypes = append(orgTypes, string(o))
	}
	schemas := doc.Components.Schemas
	for _, tc := range []struct {
		schema, property string
		want             []any
	}{
		{"ReportInput", "place_type", placeTypes},
		{"Report", "place_type", placeTypes},
		{"Organisation", "type", orgTypes},
	} {
		got := schemas[tc.schema].Value.Properties[tc.property].Value.Enum
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s.%s enum = %v, want %v", tc.schema, tc.property, got, tc.want)
		}
	}
}

// checkSchema fails the test unless body is valid against the named schema
// in components, so that the tests of the handlers also test the document.
func checkSchema(t *testing.T, doc *openapi3.T, schema string, body []byte) {
	t.Helper()
	s := doc.Components.Schemas[schema]
	if s == nil {
		t.Fatalf("no schema %q in openapi.json", schema)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, body)
	}
	if err := s.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("answer does not match schema %s: %v\n%s", schema, err, body)
	}
}
