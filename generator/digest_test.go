package generator

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gbggen/gbggen/gbg"
	"github.com/gbggen/gbggen/generator/schema"
)

// TestDigestMatchesTheRuntime holds the generator's SchemaDigest, written into generated
// code, to the one package gbg computes at run time from a schema as the server sends it:
// the drift check (Check<Journey>Schemas) compares the two. Every JSON schema of the
// corpora, and the example's task schemas, must give the same digest both ways.
func TestDigestMatchesTheRuntime(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusFile(t, "schemastore/schemas"), "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, corpusFile(t, "gbg/context.schema.json"))
	tasks, err := filepath.Glob(filepath.Join("..", "examples", "onboarding", "schemas", "tasks", "*.json"))
	if err != nil || len(tasks) == 0 {
		t.Fatalf("the example's task schemas: %v %v", tasks, err)
	}
	files = append(files, tasks...)
	compared := 0
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s, err := schema.NewLoader(schema.Options{}).LoadBytes(path, data)
		if err != nil {
			continue // the loader's own tests cover what it refuses
		}
		want := SchemaDigest(s.Raw)
		got, err := gbg.SchemaDigest(data)
		if err != nil {
			t.Errorf("%s: gbg.SchemaDigest: %v", path, err)
			continue
		}
		if got != want {
			t.Errorf("%s: gbg.SchemaDigest %s, generated code %s", path, got, want)
		}
		compared++
	}
	t.Logf("%d of %d schemas compared", compared, len(files))
	if compared < len(files)*9/10 {
		t.Errorf("only %d of %d schemas compared", compared, len(files))
	}
}

// FuzzDigestMatchesTheRuntime: for any document the loader accepts, the digest written into
// generated code is the one gbg.SchemaDigest computes from the same bytes, whatever their
// escapes, numbers, white space and member order.
func FuzzDigestMatchesTheRuntime(f *testing.F) {
	for _, s := range []string{
		`{"type":"object","properties":{"b":{"maximum":1.50e3},"a":{"pattern":"^\u00e9<&>\u2028$"}}}`,
		`{"enum":["\ud83d\ude00","\u0000\u001f\t","\/", -0, 1E400, 0.1]}`,
		`{"const":{"z":null,"a":[true,false,{}]}, "title":"\"quoted\" \\ back"}`,
		"{\"title\":\"\xff invalid UTF-8\"}",
		`true`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := schema.NewLoader(schema.Options{}).LoadBytes("fuzz.json", data)
		if err != nil {
			return
		}
		got, err := gbg.SchemaDigest(data)
		if err != nil {
			t.Fatalf("the loader accepts %q, gbg.SchemaDigest does not: %v", data, err)
		}
		if want := SchemaDigest(s.Raw); got != want {
			t.Fatalf("%q: gbg.SchemaDigest %s, generated code %s\ncanonical (generator): %s", data, got, want, jsonText(s.Raw))
		}
	})
}
