package generator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"testing"

	"github.com/gbggen/gbggen/generator/internal/ir"
	"github.com/gbggen/gbggen/generator/schema"
)

func corpusFile(t *testing.T, rel string) string {
	dir := os.Getenv("GBGGEN_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus")
	}
	p := filepath.Join(dir, rel)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus file %s missing (set GBGGEN_CORPUS): %v", p, err)
		}
		t.Skipf("corpus file %s missing (set GBGGEN_CORPUS)", p)
	}
	return p
}

// TestGBGContextFigures measures naming on GBG's published context
// schema as a user sees it: the type declarations of the generated file,
// the length of their names, and whether every distinct address shape
// has exactly one type.
func TestGBGContextFigures(t *testing.T) {
	path := corpusFile(t, filepath.Join("gbg", "context.schema.json"))
	g := &generation{opts: Options{Package: "gbg", Roots: []Root{{Name: "Context", Schema: path}}}, seen: map[string]bool{}}
	roots, err := g.load()
	if err != nil {
		t.Fatal(err)
	}
	src, err := g.render(roots)
	if err != nil {
		t.Fatal(err)
	}
	names := declaredTypes(t, src)
	total := 0
	for _, n := range names {
		total += len(n)
	}
	mean := float64(total) / float64(len(names))
	addressTypes := 0
	for _, ty := range g.pkg.Types {
		if ty.Kind == ir.KindStruct && hasField(ty, "postalCode") && hasField(ty, "country") {
			addressTypes++
		}
	}
	distinct := map[string]bool{}
	keys := make(shapes)
	walkAll(roots[0].schema, map[*schema.Schema]bool{}, func(s *schema.Schema) {
		if hasProp(s, "postalCode") && hasProp(s, "country") {
			distinct[keys.key(s)] = true
		}
	})
	t.Logf("GBG context schema: %d types, mean name length %.1f, %d address types for %d distinct address shapes",
		len(names), mean, addressTypes, len(distinct))
	if len(names) > 40 {
		t.Errorf("%d types, want at most 40: %v", len(names), names)
	}
	if mean > 16 {
		t.Errorf("mean type name length %.1f, want at most 16", mean)
	}
	if addressTypes != len(distinct) {
		t.Errorf("%d address types for %d distinct address shapes, want one each", addressTypes, len(distinct))
	}
}

// declaredTypes returns the names of the types declared in src.
func declaredTypes(t *testing.T, src []byte) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "out.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
			for _, sp := range gd.Specs {
				names = append(names, sp.(*ast.TypeSpec).Name.Name)
			}
		}
	}
	return names
}

func hasField(t *ir.Type, json string) bool {
	for _, f := range t.Fields {
		if f.JSON == json {
			return true
		}
	}
	return false
}

func hasProp(s *schema.Schema, name string) bool {
	for _, p := range s.Properties {
		if p.Name == name {
			return true
		}
	}
	return false
}

func walkAll(s *schema.Schema, seen map[*schema.Schema]bool, fn func(*schema.Schema)) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	fn(s)
	for _, c := range s.Children() {
		walkAll(c, seen, fn)
	}
}
