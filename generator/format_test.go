package generator

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
)

// TestChunkedFormat holds the chunker to what formatting the whole file gives, for files
// big enough to be cut into many pieces and for every number of workers.
func TestChunkedFormat(t *testing.T) {
	inputs := map[string][]byte{
		"3,000 properties": []byte(manyProperties(3000)),
		"400 nested types": []byte(nestedObjects(400)),
		"few imports":      []byte(strings.Repeat(`{"type":"object","properties":{"s":{"type":"string"},"o":`, 8) + `{"type":"string"}` + strings.Repeat(`}}`, 8)),
	}
	corpus := []string{"gbg/context.schema.json", "schemastore/schemas/claude-code-settings.json", "schemastore/schemas/hugo.json"}
	if testing.Short() { // make test-race runs the short form: the chunks' goroutines under -race
		corpus = corpus[:1]
		delete(inputs, "3,000 properties")
	}
	for _, rel := range corpus {
		data, err := os.ReadFile(corpusFile(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		inputs[rel] = data
	}
	for name, data := range inputs {
		g := &generation{opts: Options{Package: "p", Roots: []Root{{Name: "Root", Schema: "s.json", Data: data}}}, seen: map[string]bool{}}
		roots, err := g.load()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		decls := g.decls(roots)
		whole, err := wholeFile("p", decls)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, err := format.Source(whole)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The pipeline itself: chunks formatted while later types are still being emitted.
		files, _, err := Generate(Options{Package: "p", Roots: []Root{{Name: "Root", Schema: "s.json", Data: data}}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(files[0].Content, want) {
			t.Errorf("%s: Generate differs from whole-file gofmt at byte %d", name, firstDiff(files[0].Content, want))
		}
		for _, size := range []int{7, chunkDecls, 100} {
			if len(decls) <= 2*size {
				continue
			}
			for _, workers := range []int{1, 2, 8} {
				c := newChunker("p", workers, size)
				for i := 0; i < len(decls); i += 5 { // in batches, as emission passes them on
					c.add(decls[i:min(i+5, len(decls))])
				}
				got, ok, err := c.chunked() // no fallback to whole-file formatting here
				switch {
				case err != nil:
					t.Fatalf("%s, chunks of %d, %d workers: %v", name, size, workers, err)
				case !ok:
					t.Fatalf("%s: %d declarations in one chunk of %d, want it cut", name, len(decls), size)
				case !bytes.Equal(got, want):
					t.Errorf("%s, chunks of %d, %d workers: output differs from whole-file gofmt at byte %d", name, size, workers, firstDiff(got, want))
				}
			}
		}
	}
}

func manyProperties(n int) string {
	var b strings.Builder
	b.WriteString(`{"type":"object","properties":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"p%d":{"type":"object","description":"member %d","properties":{"v%d":{"type":"integer","minimum":%d}}}`, i, i, i, i)
	}
	b.WriteString(`}}`)
	return b.String()
}

func nestedObjects(depth int) string {
	return strings.Repeat(`{"type":"object","properties":{"x":{"type":"string","pattern":"^a+$"},"child":`, depth) +
		`{"type":"string"}` + strings.Repeat(`}}`, depth)
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestSplitFormatted covers the three shapes a formatted chunk can take, and the head built
// back from their imports.
func TestSplitFormatted(t *testing.T) {
	body := "// T is a type.\ntype T int\n"
	for _, tc := range []struct {
		src     string
		imports []string
	}{
		{"package p\n\n" + body, nil},
		{"package p\n\nimport \"errors\"\n\n" + body, []string{`"errors"`}},
		{"package p\n\nimport (\n\t\"errors\"\n\tvalidate \"example.com/v\"\n)\n\n" + body, []string{`"errors"`, `validate "example.com/v"`}},
	} {
		c := splitFormatted([]byte(tc.src), "p")
		if c.err != nil || string(c.body) != body || len(c.imports) != len(tc.imports) {
			t.Fatalf("%q: got %q, %q, %v", tc.src, c.body, c.imports, c.err)
		}
		for i, imp := range c.imports {
			if string(imp) != tc.imports[i] {
				t.Errorf("%q: import %d = %q, want %q", tc.src, i, imp, tc.imports[i])
			}
		}
		head, err := format.Source(headSource("p", c.imports))
		if err != nil {
			t.Fatal(err)
		}
		joined := append(append(head, '\n'), c.body...)
		if want, _ := format.Source([]byte("// " + header + "\n\n" + tc.src)); !bytes.Equal(joined, want) {
			t.Errorf("joined\n%s\nwant\n%s", joined, want)
		}
	}
	if c := splitFormatted([]byte("package q\n\n"), "p"); c.err == nil {
		t.Error("a chunk of another package was accepted")
	}
}

// TestChunkPanic: a panic while rendering a chunk on a worker goroutine becomes an error
// (Generate's recover only covers its own goroutine), and finish falls back to the whole
// file, where Generate's recover reports it.
func TestChunkPanic(t *testing.T) {
	doc := func(code jen.Code) decl {
		return decl{code: jen.Comment("doc").Line().Add(code), documented: true, spaced: true}
	}
	c := newChunker("p", 2, 1)
	c.add([]decl{doc(jen.Type().Id("A").Int()), doc(jen.Var().Id("b").Op("=").Lit(struct{}{}))}) // jen.Lit panics on a struct
	_, ok, err := c.chunked()
	if !ok || err == nil || !strings.Contains(err.Error(), "unsupported type for literal") {
		t.Fatalf("chunked: ok %v, err %v; want the panic as an error", ok, err)
	}
}

// TestFormatFailureKeepsSource: when go/format rejects what was rendered (a generator bug),
// the error quotes the offending line with its number and names a file that holds the whole
// unformatted source.
func TestFormatFailureKeepsSource(t *testing.T) {
	doc := func(code jen.Code) decl {
		return decl{code: jen.Comment("doc").Line().Add(code), documented: true, spaced: true}
	}
	bad := doc(jen.Type().Id("Broken").Op("=").Op("}"))
	c := newChunker("p", 2, 1)
	c.add([]decl{doc(jen.Type().Id("A").Int()), bad, doc(jen.Type().Id("C").Int())})
	_, err := c.finish()
	if err == nil {
		t.Fatal("finish accepted a file that does not parse")
	}
	msg := err.Error()
	if !strings.Contains(msg, "line 11: type Broken = }") {
		t.Errorf("error does not quote the offending line with its number:\n%s", msg)
	}
	_, path, ok := strings.Cut(msg, "the unformatted source is in ")
	if !ok {
		t.Fatalf("error names no file holding the source:\n%s", msg)
	}
	defer os.Remove(path)
	kept, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := wholeFile("p", c.all)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(kept, want) {
		t.Errorf("kept source differs from the rendered file at byte %d", firstDiff(kept, want))
	}
}

// BenchmarkFormat measures what cutting the file into chunks formatted on several cores buys
// over go/format on the whole file, on GBG's context schema (bench/gbgcontext's input).
func BenchmarkFormat(b *testing.B) {
	dir := os.Getenv("GBGGEN_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus")
	}
	data, err := os.ReadFile(filepath.Join(dir, "gbg", "context.schema.json"))
	if err != nil {
		b.Skip(err)
	}
	g := &generation{opts: Options{Package: "p", Roots: []Root{{Name: "Context", Schema: "s.json", Data: data}}}, seen: map[string]bool{}}
	roots, err := g.load()
	if err != nil {
		b.Fatal(err)
	}
	decls := g.decls(roots)
	b.Run("whole", func(b *testing.B) {
		for range b.N {
			src, err := wholeFile("p", decls)
			if err == nil {
				_, err = format.Source(src)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("chunked-%d", workers), func(b *testing.B) {
			for range b.N {
				c := newChunker("p", workers, chunkDecls)
				c.add(decls)
				if _, ok, err := c.chunked(); !ok || err != nil {
					b.Fatal(ok, err)
				}
			}
		})
	}
}
