package schema

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
)

// TestVocabularies: a custom metaschema's $vocabulary decides which keywords are in force.
func TestVocabularies(t *testing.T) {
	metas := map[string]string{
		"meta/no-validation.json": `{"$schema":"https://json-schema.org/draft/2020-12/schema",
			"$vocabulary":{"https://json-schema.org/draft/2020-12/vocab/core":true,
				"https://json-schema.org/draft/2020-12/vocab/applicator":true}}`,
		"meta/optional.json": `{"$schema":"https://json-schema.org/draft/2020-12/schema",
			"$vocabulary":{"https://json-schema.org/draft/2020-12/vocab/core":true,
				"https://json-schema.org/draft/2020-12/vocab/applicator":true,
				"https://json-schema.org/draft/2020-12/vocab/validation":true,
				"https://example.com/vocab/custom":false}}`,
		"meta/required.json": `{"$schema":"https://json-schema.org/draft/2020-12/schema",
			"$vocabulary":{"https://json-schema.org/draft/2020-12/vocab/core":true,
				"https://example.com/vocab/custom":true}}`,
	}
	load := func(meta string) (*Schema, error) {
		l := NewLoader(Options{
			RefMap: map[string]string{"https://example.com/meta/": "meta/"},
			ReadFile: func(name string) ([]byte, error) {
				if m, ok := metas[name]; ok {
					return []byte(m), nil
				}
				return nil, fs.ErrNotExist
			},
		})
		return l.LoadBytes("doc.json", []byte(`{"$schema":"https://example.com/meta/`+meta+`",
			"properties":{"n":{"minimum":10,"type":"number"}}}`))
	}

	root, err := load("no-validation.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(root.Properties) != 1 {
		t.Fatalf("properties (applicator) = %v, want n", root.Properties)
	}
	n := root.Properties[0].Schema
	if n.Minimum != nil || n.Types != nil {
		t.Errorf("minimum = %v, type = %v: want both ignored without the validation vocabulary", n.Minimum, n.Types)
	}
	if !slices.Contains(n.Ignored, "minimum") || !slices.Contains(n.Ignored, "type") {
		t.Errorf("Ignored = %v, want minimum and type (for the warning)", n.Ignored)
	}
	if n.Dialect != "https://example.com/meta/no-validation.json" {
		t.Errorf("Dialect = %q", n.Dialect)
	}

	root, err = load("optional.json")
	if err != nil {
		t.Fatal(err)
	}
	if n := root.Properties[0].Schema; n.Minimum == nil || n.Minimum.String() != "10" {
		t.Errorf("an optional unknown vocabulary dropped minimum: %v", n.Minimum)
	}

	for meta, want := range map[string]string{
		"required.json": `doc.json#/$schema: metaschema "https://example.com/meta/required.json" requires vocabulary "https://example.com/vocab/custom"`,
		"missing.json":  `doc.json#/$schema: metaschema "https://example.com/meta/missing.json": file does not exist`,
	} {
		if _, err := load(meta); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: error %v, want it to start %q", meta, err, want)
		}
	}
}

// TestUnreadableDialect: a custom $schema that is not mapped to a file (a file: URI
// included: it is never read) is taken as before, the draft read off its URI.
func TestUnreadableDialect(t *testing.T) {
	for _, uri := range []string{"https://example.com/draft-07/custom", "file:///etc/draft-07/schema.json"} {
		l := NewLoader(Options{ReadFile: func(name string) ([]byte, error) {
			t.Errorf("%s: read %s", uri, name)
			return nil, fs.ErrNotExist
		}})
		root, err := l.LoadBytes("doc.json", []byte(`{"$schema":"`+uri+`","minimum":3}`))
		if err != nil {
			t.Fatal(err)
		}
		if root.Draft != Draft7 || root.Minimum == nil || root.Dialect != "" {
			t.Errorf("%s: draft %v, minimum %v, dialect %q: want draft-07 with minimum and no dialect", uri, root.Draft, root.Minimum, root.Dialect)
		}
	}
}
