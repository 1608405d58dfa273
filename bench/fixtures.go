package bench

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gbggen/gbggen/bench/gbgcontext"
	"github.com/gbggen/gbggen/bench/internal/corpus"
)

// ValidPrefill is a GBG context prefill that fills every section of the
// context schema: identity with all name parts, aliases, related persons,
// current, previous and birth addresses, id numbers, phones, emails and
// socials; a document with every declared member, including chip,
// classification, extraction and validation; all four biometric shapes;
// sessions; consent; accounts.
//
//go:embed testdata/prefill-valid.json
var ValidPrefill []byte

// InvalidPrefill is ValidPrefill with eight violations that still decode
// into the generated types: two patterns, two enums, a missing required
// member, an undeclared member, an email and a URI format.
//
//go:embed testdata/prefill-invalid.json
var InvalidPrefill []byte

// SmallPrefill is a small, valid prefill as an integration sends it: a name,
// a date of birth, an address, an email and a phone number.
//
//go:embed testdata/prefill-small.json
var SmallPrefill []byte

// InvalidViolations is at how many places InvalidPrefill is wrong.
const InvalidViolations = 8

// Prefill returns the valid or the invalid prefill.
func Prefill(valid bool) []byte {
	if valid {
		return ValidPrefill
	}
	return InvalidPrefill
}

// Corpus returns the shared corpus directory. Without it a benchmark or
// test is skipped, except in CI, where it fails.
func Corpus(tb testing.TB) string {
	tb.Helper()
	dir, err := corpus.Dir()
	if err != nil {
		if corpus.Required() {
			tb.Fatal(err)
		}
		tb.Skip(err)
	}
	return dir
}

// ContextSchemaPath is GBG's context schema inside the corpus.
func ContextSchemaPath(corpusDir string) string {
	return filepath.Join(corpusDir, "gbg", "context.schema.json")
}

// SchemaStoreSchemas lists the SchemaStore schemas of the corpus, sorted.
func SchemaStoreSchemas(corpusDir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(corpusDir, "schemastore", "schemas", "*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no schemas in %s", filepath.Join(corpusDir, "schemastore", "schemas"))
	}
	sort.Strings(paths)
	return paths, nil
}

// Sample picks n of paths evenly spread over the sorted list (all of them
// when n <= 0 or n >= len(paths)), so the sample is the same on every run.
func Sample(paths []string, n int) []string {
	if n <= 0 || n >= len(paths) {
		return paths
	}
	out := make([]string, 0, n)
	for i := range n {
		out = append(out, paths[i*len(paths)/n])
	}
	return out
}

// santhosh is GBG's context schema compiled by santhosh-tekuri/jsonschema
// with formats asserted, the reference validator of the corpus.
var santhosh = sync.OnceValues(func() (*jsonschema.Schema, error) {
	dir, err := corpus.Dir()
	if err != nil {
		return nil, err
	}
	return CompileSanthosh(ContextSchemaPath(dir))
})

// CompileSanthosh compiles the schema file with formats asserted.
func CompileSanthosh(path string) (*jsonschema.Schema, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := "file://" + filepath.ToSlash(path)
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
}

// Santhosh returns the compiled context schema, skipping or failing tb
// when the corpus is missing.
func Santhosh(tb testing.TB) *jsonschema.Schema {
	tb.Helper()
	Corpus(tb)
	s, err := santhosh()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// DecodeTyped decodes a prefill into the generated root type, the way a
// caller would (encoding/json calling the generated UnmarshalJSON).
func DecodeTyped(data []byte) (gbgcontext.Context, error) {
	var c gbgcontext.Context
	err := json.Unmarshal(data, &c)
	return c, err
}

// DecodeAny decodes a prefill the way santhosh-tekuri/jsonschema wants it
// (numbers as json.Number).
func DecodeAny(data []byte) (any, error) {
	return jsonschema.UnmarshalJSON(bytes.NewReader(data))
}
