package generator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"testing"
)

// topLevel returns the package-level identifiers src declares.
func topLevel(t *testing.T, name string, src []byte) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), name, src, 0)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				out = append(out, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					out = append(out, sp.Name.Name)
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						out = append(out, n.Name)
					}
				}
			}
		}
	}
	return out
}

// journeySchema has members whose Go names are what the journey helpers declare.
const journeySchema = `{
  "type": "object",
  "properties": {
    "withResourceId": {"type": "object", "properties": {"id": {"type": "string"}}},
    "skipValidation": {"type": "object", "properties": {"on": {"type": "boolean"}}},
    "option": {"type": "object", "properties": {"name": {"type": "string"}}},
    "schemaDigest": {"type": "object", "properties": {"sha": {"type": "string"}}},
    "startOnboarding": {"type": "object", "properties": {"at": {"type": "string"}}},
    "with": {"type": "string", "enum": ["ResourceID", "Intent"]}
  }
}`

// TestJourneyNamesReserved generates types whose natural names are the journey helpers'
// (a property withResourceId is a type WithResourceID) and requires the two files of the
// package to declare every identifier once.
func TestJourneyNamesReserved(t *testing.T) {
	j := &Journey{Name: "Onboarding", ResourceID: "abc@1", Context: "Context",
		Tasks: []Task{{Name: "Address", Type: "AddressTask"}}}
	files, _, err := Generate(Options{Package: "p", Output: "p.go", Journey: j, Roots: []Root{
		{Name: "Context", Schema: "context.json", Data: []byte(journeySchema)},
		{Name: "AddressTask", Schema: "address.json", Data: []byte(`{"type": "object", "properties": {"submitAddress": {"type": "object", "properties": {"x": {"type": "string"}}}}}`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 {
		t.Fatalf("%d files, want the types and the journey helpers", len(files))
	}
	seen := map[string]string{}
	for _, f := range files {
		for _, id := range topLevel(t, f.Path, f.Content) {
			if other, dup := seen[id]; dup {
				t.Errorf("%s is declared in %s and in %s", id, other, f.Path)
			}
			seen[id] = f.Path
		}
	}
	if seen["WithResourceID"] != files[1].Path {
		t.Errorf("WithResourceID is declared in %q, want only the journey helpers", seen["WithResourceID"])
	}
}

// TestJourneyIdentsComplete requires journeyIdents, the reserved set of the naming pass,
// to list exactly what the journey helpers file declares.
func TestJourneyIdentsComplete(t *testing.T) {
	j := &Journey{Name: "Onboarding", ResourceID: "abc@1", Context: "Context",
		Tasks: []Task{{Name: "PersonalDetails", Type: "PersonalDetailsTask"}, {Name: "Address", Type: "AddressTask"}}}
	files, _, err := Generate(Options{Package: "p", Output: "p.go", Journey: j, Roots: []Root{
		{Name: "Context", Schema: "context.json", Data: []byte(`{"type": "object", "properties": {"a": {"type": "string"}}}`)},
		// The tasks require the context's "a", so that New<Journey>Prefill is declared too.
		{Name: "PersonalDetailsTask", Schema: "pd.json", Data: []byte(`{"type": "object", "required": ["context"], "properties": {"context": {"type": "object", "required": ["a"]}, "b": {"type": "string"}}}`)},
		{Name: "AddressTask", Schema: "ad.json", Data: []byte(`{"type": "object", "properties": {"c": {"type": "string"}}}`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	declared := topLevel(t, files[1].Path, files[1].Content)
	reserved := journeyIdents(j)
	slices.Sort(declared)
	slices.Sort(reserved)
	if !slices.Equal(declared, reserved) {
		t.Errorf("the journey helpers declare %v; journeyIdents lists %v", declared, reserved)
	}
}
