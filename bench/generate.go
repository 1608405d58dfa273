package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/gbggen/gbggen/bench/internal/corpus"
	"github.com/gbggen/gbggen/generator"
)

// GenerateContext is item 2: generator.Generate on GBG's context schema
// (already read into memory), reporting time and allocations per run.
func GenerateContext(b *testing.B) {
	path := ContextSchemaPath(Corpus(b))
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	opts := generator.Options{Package: "gbgcontext", Output: "context.go",
		Roots: []generator.Root{{Name: "Context", Schema: path, Data: data}}}
	if _, _, err := generator.Generate(opts); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		files, _, err := generator.Generate(opts)
		if err != nil {
			b.Fatal(err)
		}
		runtime.KeepAlive(files)
	}
}

// corpusInput is one SchemaStore schema read into memory.
type corpusInput struct {
	path string
	data []byte
}

var corpusInputs = sync.OnceValues(func() ([]corpusInput, error) {
	dir, err := corpus.Dir()
	if err != nil {
		return nil, err
	}
	paths, err := SchemaStoreSchemas(dir)
	if err != nil {
		return nil, err
	}
	in := make([]corpusInput, len(paths))
	for i, p := range paths {
		if in[i].data, err = os.ReadFile(p); err != nil {
			return nil, err
		}
		in[i].path = p
	}
	return in, nil
})

// GenerateCorpus is item 1, in-process side: one op generates every
// SchemaStore schema of the corpus in a loop of library calls, the way a
// single `gbggen generate` with many jobs would. It reports ns/schema and
// how many schemas failed.
func GenerateCorpus(b *testing.B) {
	Corpus(b)
	in, err := corpusInputs()
	if err != nil {
		b.Fatal(err)
	}
	// SchemaStore's schemas refer to one another by URL; the corpus has them all.
	refs := map[string]string{"https://json.schemastore.org/": filepath.Dir(in[0].path) + "/"}
	b.ReportAllocs()
	b.ResetTimer()
	failed := 0
	for range b.N {
		failed = 0
		for _, s := range in {
			files, _, err := generator.Generate(generator.Options{Package: "p", Output: "p.go", RefMap: refs,
				Roots: []generator.Root{{Name: "Root", Schema: s.path, Data: s.data}}})
			if err != nil {
				failed++
			}
			runtime.KeepAlive(files)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(in)), "ns/schema")
	b.ReportMetric(float64(len(in)), "schemas")
	b.ReportMetric(float64(failed), "failed")
}

// Scale sizes of item 5.
var (
	ScaleProperties = []int{10, 100, 1000, 10000}
	ScaleDepths     = []int{10, 100, 300}
)

// PropertiesSchema is a flat object schema with n properties cycling
// through six shapes (string, bounded integer, number, boolean, email
// string with maxLength, array of strings); every third is required.
func PropertiesSchema(n int) []byte {
	shapes := []any{
		map[string]any{"type": "string"},
		map[string]any{"type": "integer", "minimum": 0, "maximum": 1000},
		map[string]any{"type": "number"},
		map[string]any{"type": "boolean"},
		map[string]any{"type": "string", "format": "email", "maxLength": 254},
		map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
	}
	props := make(map[string]any, n)
	var required []string
	for i := range n {
		name := fmt.Sprintf("field%05d", i)
		props[name] = shapes[i%len(shapes)]
		if i%3 == 0 {
			required = append(required, name)
		}
	}
	return mustJSON(map[string]any{
		"$schema":              "http://json-schema.org/draft-07/schema#",
		"type":                 "object",
		"properties":           props,
		"required":             required,
		"additionalProperties": false,
	})
}

// DepthSchema is a chain of d nested objects: every level has a required
// string "name" and an optional object member holding the next level.
// With sameName that member is "child" at every level, so the generator
// has to name d distinct types from one property name, as deep real
// schemas make it do; otherwise it is "level1", "level2", ….
func DepthSchema(d int, sameName bool) []byte {
	var b strings.Builder
	b.WriteString(`{"$schema":"http://json-schema.org/draft-07/schema#",`)
	for i := range d {
		b.WriteString(`"type":"object","required":["name"],"properties":{"name":{"type":"string"}`)
		if i < d-1 {
			member := "child"
			if !sameName {
				member = fmt.Sprintf("level%d", i+1)
			}
			fmt.Fprintf(&b, `,%q:{`, member)
		}
	}
	for i := range d {
		b.WriteString(`}`) // properties
		if i < d-1 {
			b.WriteString(`}`) // the member's schema
		}
	}
	b.WriteString(`}`)
	return []byte(b.String())
}

func mustJSON(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return data
}

// GenerateScaled returns an item-5 benchmark: generator.Generate on the
// synthetic schema, reporting ns and allocated bytes per unit (property or
// nesting level), and the size of the generated code.
func GenerateScaled(schema []byte, units int, unit string) func(*testing.B) {
	return func(b *testing.B) {
		opts := generator.Options{Package: "scaled", Output: "scaled.go",
			Roots: []generator.Root{{Name: "Root", Schema: filepath.Join("synthetic", unit+".json"), Data: schema}}}
		files, _, err := generator.Generate(opts)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			files, _, err = generator.Generate(opts)
			if err != nil {
				b.Fatal(err)
			}
			runtime.KeepAlive(files)
		}
		b.StopTimer()
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*units), "ns/"+unit)
		b.ReportMetric(float64(len(files[0].Content)), "out-bytes")
	}
}
