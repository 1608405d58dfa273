package generator

import (
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

const prefillJourney = `{"type": "object", "required": ["subject"], "properties": {"subject": {"type": "object", "properties": {
  "identity": {"type": "object", "properties": {
    "firstName": {"type": "string"},
    "address": {"$ref": "#/definitions/address"}}},
  "employer": {"type": "object", "properties": {
    "name": {"type": "string"},
    "address": {"$ref": "#/definitions/address"}}},
  "tags": {"type": "array", "items": {"type": "object", "properties": {"tag": {"type": "string"}}}}}}},
  "definitions": {"address": {"type": "object", "properties": {"country": {"type": "string"}, "town": {"type": "string"}}}}}`

// Each task requires part of the subject; two of them a country, in different places.
const prefillTaskA = `{"type": "object", "required": ["context"], "properties": {"context": {"type": "object", "required": ["subject"],
  "properties": {"subject": {"type": "object", "required": ["identity"], "properties": {"identity": {"type": "object",
    "required": ["firstName", "address"], "properties": {"firstName": {"type": "string"},
      "address": {"type": "object", "required": ["country"], "properties": {"country": {"type": "string"}}}}}}}}}}}`

const prefillTaskB = `{"type": "object", "required": ["context"], "properties": {"context": {"type": "object", "required": ["subject"],
  "properties": {"subject": {"type": "object", "required": ["employer", "tags", "pets"], "properties": {
    "employer": {"type": "object", "required": ["address"], "properties": {
      "address": {"type": "object", "required": ["country"], "properties": {"country": {"type": "string"}}}}},
    "tags": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["tag"]}}}}}}}}`

func TestPrefillConstructorTakesWhatTheTasksRequire(t *testing.T) {
	files, warnings, err := Generate(Options{Package: "kyc", Output: "kyc.go",
		Roots: []Root{{Name: "Context", Schema: "journey.json", Data: []byte(prefillJourney)},
			{Name: "ATask", Schema: "a.json", Data: []byte(prefillTaskA)},
			{Name: "BTask", Schema: "b.json", Data: []byte(prefillTaskB)}},
		Journey: &Journey{Name: "KYC", ResourceID: "x@1", Context: "Context",
			Tasks: []Task{{Name: "A", Type: "ATask", Key: "a"}, {Name: "B", Type: "BTask", Key: "b"}}}})
	if err != nil {
		t.Fatal(err)
	}
	src := files[1].Content
	if formatted, err := format.Source(src); err != nil || string(formatted) != string(src) {
		t.Fatalf("the journey file is not gofmt'ed: %v", err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), files[1].Path, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var params []string
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == "NewKYCPrefill" {
			for _, p := range fn.Type.Params.List {
				for _, n := range p.Names {
					params = append(params, n.Name+" "+string(src[p.Type.Pos()-1:p.Type.End()-1]))
				}
			}
		}
	}
	// Schema order; the two countries are told apart by the member that holds each; the
	// array is a leaf (its elements are the prediction's to check); the member no journey
	// type declares ("pets") is left out, with a warning.
	want := []string{"firstName string", "identityAddressCountry string", "employerAddressCountry string", "tags []Tag"}
	if strings.Join(params, ", ") != strings.Join(want, ", ") {
		t.Errorf("NewKYCPrefill(%s), want (%s)", strings.Join(params, ", "), strings.Join(want, ", "))
	}
	found := false
	for _, w := range warnings {
		if strings.Contains(w.Message, `member "pets", required by task b, is not declared`) {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning for the undeclared member: %v", warnings)
	}
	for _, want := range []string{"func PendingKYCTasks(prefill Context) []gbg.PendingTask", "func RefusePending() Option",
		"if o.refusePending {", `Key:   "a",`, `Key:   "b",`} {
		if !strings.Contains(string(src), want) {
			t.Errorf("the journey file lacks %q", want)
		}
	}
}

// A journey without tasks has nothing to predict: no Pending, Prefill or RefusePending.
func TestNoTasksNoPrediction(t *testing.T) {
	files, _, err := Generate(Options{Package: "kyc", Output: "kyc.go",
		Roots:   []Root{{Name: "Context", Schema: "journey.json", Data: []byte(prefillJourney)}},
		Journey: &Journey{Name: "KYC", ResourceID: "x@1", Context: "Context"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, absent := range []string{"PendingKYCTasks", "NewKYCPrefill", "RefusePending"} {
		if strings.Contains(string(files[1].Content), absent) {
			t.Errorf("a journey without tasks declares %s", absent)
		}
	}
}

// A task schema whose required members refer back to it, or to a chain of definitions that
// each require two members of the next, must not make the tree of required members grow
// without bound: generation ends, and says what it gave up.
func TestPrefillTreeOfHostileTaskSchemaIsBounded(t *testing.T) {
	var defs []string
	for i := range 30 {
		defs = append(defs, fmt.Sprintf(`"d%d": {"type": "object", "required": ["a", "b"], "properties": {"a": {"$ref": "#/definitions/d%d"}, "b": {"$ref": "#/definitions/d%d"}}}`, i, i+1, i+1))
	}
	defs = append(defs, `"d30": {"type": "object", "required": ["x"], "allOf": [{"$ref": "#/definitions/d30"}, {"$ref": "#/definitions/d30"}]}`)
	task := `{"type": "object", "required": ["context"], "properties": {"context": {"type": "object", "required": ["subject"],
  "properties": {"subject": {"$ref": "#/definitions/d0"}}}}, "definitions": {` + strings.Join(defs, ",") + `}}`
	self := `{"type": "object", "required": ["context"], "properties": {"context": {"$ref": "#"}}, "allOf": [{"$ref": "#"}, {"$ref": "#"}]}`
	files, warnings, err := Generate(Options{Package: "kyc", Output: "kyc.go",
		Roots: []Root{{Name: "Context", Schema: "journey.json", Data: []byte(prefillJourney)},
			{Name: "ATask", Schema: "a.json", Data: []byte(task)},
			{Name: "BTask", Schema: "b.json", Data: []byte(self)}},
		Journey: &Journey{Name: "KYC", ResourceID: "x@1", Context: "Context",
			Tasks: []Task{{Name: "A", Type: "ATask", Key: "a"}, {Name: "B", Type: "BTask", Key: "b"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(files[1].Content), "func NewKYCPrefill") {
		t.Error("a constructor was generated from a tree that was cut short")
	}
	found := false
	for _, w := range warnings {
		found = found || strings.Contains(w.Message, "NewKYCPrefill is not generated")
	}
	if !found {
		t.Errorf("no warning says the constructor was left out: %v", warnings)
	}
}
