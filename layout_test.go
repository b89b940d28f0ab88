package trygg_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/trygg-est/trygg"

// mayImport is the layout of docs/architecture.md as a rule: for each
// package, the packages of this module that its non-test files may import.
// A package missing here fails the test, so a new one gets a place in the
// layout when it is written. The implementations (sqldb, web, demo, the
// commands) are listed by what they must not import instead.
var mayImport = map[string][]string{
	// The toolkits and leaves import nothing of Trygg.
	"disclose": {}, "geo": {}, "sealed": {}, "pii": {}, "password": {}, "ical": {},
	"draw": {}, "draw/drawtest": {"draw"}, "disclose/disclosetest": {"disclose"}, "remind/remindtest": {},
	// The core.
	"": {"disclose", "pii"},
	// Test helpers for the core's types.
	"tryggtest": {""},
	// Computation from counts.
	"detect":    {""},
	"lagesbild": {"", "detect", "disclose"},
	// The mechanisms.
	"operativ":  {"", "disclose", "pii"},
	"concern":   {"", "disclose", "pii", "sealed"},
	"samverkan": {"", "disclose", "pii", "operativ"},

	// Issue 15: the night walks.
	"nattvandring": {""},
	// Whether an action or a commitment worked, from its indicator.
	"effect": {"", "detect", "operativ", "samverkan"},
	"weekly": {"", "disclose", "pii", "lagesbild", "samverkan"},
	// Indicators, peer comparison and the yearly lägesbild (issue 17).
	"indikator": {"", "disclose", "pii"},
	// The yearly lägesbild and åtgärdsplan drafted from the data.
	"arsplan": {"", "effect", "indikator", "lagesbild", "operativ", "samverkan"},
	// What is published to everyone (issue 13).
	"opendata": {"", "disclose", "lagesbild", "weekly"},
	"tips":     {""},
	// Early intervention (SSPF): a second sealed register.
	"sspf": {"", "disclose", "pii", "sealed"},
	// Drawing and paper.
	"svgchart":                 {"", "draw", "disclose", "indikator"},
	"svgmap":                   {"draw", "geo"},
	"lagesbild/lagesbildchart": {"", "disclose", "draw", "lagesbild", "svgchart", "svgmap"},
	"pdf":                      {"", "draw", "lagesbild", "lagesbild/lagesbildchart", "samverkan", "weekly", "indikator"},
	// Files in and out, and the set of services.
	"reportio": {"", "detect", "disclose", "geo", "pii", "operativ", "samverkan", "leverantor", "indikator"},
	"app":      {"", "operativ", "concern", "samverkan", "weekly", "leverantor", "indikator", "arsplan", "opendata", "tips", "sspf", "nattvandring"},
	"remind":   {"", "samverkan", "sspf", "nattvandring"},

	// The review of welfare providers.
	"leverantor": {"", "disclose"},
}

// mustNotImport lists, for the implementations, what they may not import:
// storage knows no pages, pages reach storage only through the services.
var mustNotImport = map[string][]string{
	"sqldb":           {"web", "demo", "remind", "cmd/trygg", "cmd/trygg-bench"},
	"sqldb/sqldbtest": {"web", "demo", "remind", "cmd/trygg", "cmd/trygg-bench"},
	"web":             {"sqldb", "demo", "remind", "cmd/trygg", "cmd/trygg-bench"},
	"demo":            {"web", "remind", "cmd/trygg", "cmd/trygg-bench"},
	"cmd/trygg":       {"cmd/trygg-bench"},
	"cmd/trygg-bench": {"cmd/trygg"},
	"e2e":             {},
}

func TestPackageLayout(t *testing.T) {
	imports := moduleImports(t)
	for pkg, imported := range imports {
		allowed, listed := mayImport[pkg]
		forbidden, implementation := mustNotImport[pkg]
		switch {
		case listed:
			for _, imp := range imported {
				if !slices.Contains(allowed, imp) {
					t.Errorf("package %q imports %q, which the layout does not allow (docs/architecture.md)", name(pkg), name(imp))
				}
			}
		case implementation:
			for _, imp := range imported {
				if slices.Contains(forbidden, imp) {
					t.Errorf("package %q imports %q, which the layout forbids (docs/architecture.md)", name(pkg), name(imp))
				}
			}
		default:
			t.Errorf("package %q has no place in the layout: add it to docs/architecture.md and to mayImport", name(pkg))
		}
	}
}

// moduleImports returns, per package directory relative to the module
// root, the packages of this module that its non-test files import.
func moduleImports(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		if dir == "." {
			dir = ""
		}
		if _, seen := out[dir]; !seen {
			out[dir] = nil
		}
		if strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, spec := range f.Imports {
			p, _ := strconv.Unquote(spec.Path.Value)
			if p != module && !strings.HasPrefix(p, module+"/") {
				continue
			}
			rel := strings.TrimPrefix(strings.TrimPrefix(p, module), "/")
			if !slices.Contains(out[dir], rel) {
				out[dir] = append(out[dir], rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func name(pkg string) string {
	if pkg == "" {
		return "trygg (root)"
	}
	return pkg
}
