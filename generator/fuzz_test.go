package generator

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"sync"
	"testing"
	"time"
)

var (
	typeCheckOnce sync.Once
	sourceImp     types.Importer
	fset          = token.NewFileSet()
)

// typeCheck type-checks generated source in-process; imports (standard
// library and validate) are read from source once and cached.
func typeCheck(src []byte) error {
	typeCheckOnce.Do(func() { sourceImp = importer.ForCompiler(fset, "source", nil) })
	f, err := parser.ParseFile(fset, "gen.go", src, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	conf := types.Config{Importer: sourceImp}
	_, err = conf.Check("gen", fset, []*ast.File{f}, nil)
	return err
}

// FuzzGenerate: any input is either rejected with an error or produces
// Go that type-checks.
func FuzzGenerate(f *testing.F) {
	for _, s := range []string{
		`{"type":"object","properties":{"a":{"type":"string","pattern":"^\\d+$"},"b":{"type":["integer","null"]}},"required":["a"]}`,
		`{"oneOf":[{"type":"string"},{"type":"object","properties":{"x":{"const":1}}}]}`,
		`{"type":"array","items":{"$ref":"#"},"uniqueItems":true}`,
		`{"properties":{"type":{"enum":["a","A","",1]},"Validate":{}},"additionalProperties":{"type":"number"}}`,
		`{"allOf":[{"type":"object","properties":{"a":{}}},{"required":["a"]}],"patternProperties":{"^x":false}}`,
		`false`,
		// A $dynamicRef whose target depends on the path: the schemas are copied per scope.
		`{"$id":"https://e/r","properties":{"a":{"$ref":"a"},"b":{"$ref":"b"}},"$defs":{"a":{"$id":"a",` +
			`"$dynamicAnchor":"n","type":"object","properties":{"x":{"$dynamicRef":"#n"}}},` +
			`"b":{"$id":"b","$dynamicAnchor":"n","$ref":"a","required":["x"]}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		var files []File
		var err error
		go func() {
			defer close(done)
			files, _, err = Generate(Options{Package: "gen", Roots: []Root{{Name: "Root", Schema: "fuzz.json", Data: data}}})
		}()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("Generate did not finish in 30s on %q", data)
		}
		if err != nil {
			return
		}
		if err := typeCheck(files[0].Content); err != nil {
			t.Fatalf("generated code does not type-check: %v\n%s", err, files[0].Content)
		}
	})
}
