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
