package schema

import (
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the loader: it must return a schema
// or an error naming the file, never panic or hang.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		`{"type":"object","properties":{"a":{"$ref":"#/definitions/b"}},"definitions":{"b":{"type":"string"}}}`,
		`{"$ref":"#"}`,
		`{"$defs":{"a~b/c":{"type":"integer"}},"$ref":"#/$defs/a~0b~1c"}`,
		`{"items":[{"type":"string"}],"additionalItems":false}`,
		`{"$id":"http://x/y.json","$ref":"z.json"}`,
		`true`, `[1,2]`, `{"type":5}`, `{"enum":3}`, `{"$anchor":"a","$ref":"#a"}`,
		// A path-dependent $dynamicRef (specialize) and a dialect that is the document itself.
		`{"$id":"https://e/r","properties":{"a":{"$ref":"a"},"b":{"$ref":"b"}},"$defs":{"a":{"$id":"a",` +
			`"$dynamicAnchor":"n","properties":{"x":{"$dynamicRef":"#n"}}},"b":{"$id":"b","$dynamicAnchor":"n","$ref":"a"}}}`,
		`{"$schema":"https://fuzz/self.json","$vocabulary":{"https://json-schema.org/draft/2020-12/vocab/core":true},"minimum":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Every file under /fuzz/ holds the input itself, so that references and $schema
		// can lead somewhere without touching the disk.
		l := NewLoader(Options{RefMap: map[string]string{"https://fuzz/": "/fuzz/"}, ReadFile: func(name string) ([]byte, error) {
			if strings.HasPrefix(filepath.ToSlash(name), "/fuzz/") {
				return data, nil
			}
			return nil, errors.New("no files in fuzzing")
		}})
		s, err := l.LoadBytes("fuzz.json", data)
		if err == nil && s == nil {
			t.Fatal("no schema and no error")
		}
		var le *Error
		if err != nil && !errors.As(err, &le) {
			t.Fatalf("error %v is not a *schema.Error", err)
		}
		if le != nil && le.File == "" {
			t.Fatalf("error %v does not name the file", err)
		}
	})
}

func TestLoadErrorsNamePointer(t *testing.T) {
	l := NewLoader(Options{})
	_, err := l.LoadBytes("x.json", []byte(`{"properties":{"a":{"minLength":"no"}}}`))
	var le *Error
	if !errors.As(err, &le) || le.Pointer != "/properties/a/minLength" || le.File != "x.json" {
		t.Fatalf("got %v, want an error at x.json#/properties/a/minLength", err)
	}
	_, err = l.LoadBytes("y.json", []byte("{\n  \"type\": }"))
	if err == nil || err.Error() != "y.json: syntax error: 2:11: invalid character '}' looking for beginning of value" {
		t.Fatalf("syntax error without line:column: %v", err)
	}
}

func TestPropertyOrderKept(t *testing.T) {
	l := NewLoader(Options{})
	s, err := l.LoadBytes("o.yaml", []byte("properties:\n  zeta: {}\n  alpha: {}\n  mid: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range s.Properties {
		names = append(names, p.Name)
	}
	if len(names) != 3 || names[0] != "zeta" || names[1] != "alpha" || names[2] != "mid" {
		t.Fatalf("order %v, want zeta alpha mid", names)
	}
}

// update is accepted so that `go test ./generator/... -update` works
// across packages; this package has no golden files.
var _ = flag.Bool("update", false, "rewrite golden files (none in this package)")
