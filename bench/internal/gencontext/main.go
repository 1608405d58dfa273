// Command gencontext regenerates bench/gbgcontext from GBG's published
// context schema in the shared corpus. It is what `go generate` runs in
// bench/gbgcontext; it goes through the same generator.Generate and
// generator.WriteFiles calls as `gbggen generate`, and exists only because
// the schema lives outside the repository (found via $GBGGEN_CORPUS or
// ../shared/corpus), which a //go:generate line cannot default.
//
// Without the corpus it leaves the committed file alone and says so,
// except in CI (CI set), where that is an error.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gbggen/gbggen/bench/internal/corpus"
	"github.com/gbggen/gbggen/generator"
)

func main() {
	pkg := flag.String("package", "gbgcontext", "Go package name")
	typ := flag.String("type", "Context", "name of the root Go type")
	out := flag.String("o", "context.go", "output Go file")
	flag.Parse()

	dir, err := corpus.Dir()
	if err != nil {
		if corpus.Required() {
			fmt.Fprintf(os.Stderr, "gencontext: %v\n", err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "gencontext: %v; keeping %s as committed\n", err, *out)
		return
	}
	files, warnings, err := generator.Generate(generator.Options{
		Package: *pkg,
		Output:  *out,
		Roots:   []generator.Root{{Name: *typ, Schema: filepath.Join(dir, "gbg", "context.schema.json")}},
	})
	for _, w := range warnings {
		fmt.Fprintf(os.Stderr, "warning: %s\n", w)
	}
	if err == nil {
		err = generator.WriteFiles(files)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "gencontext: %v\n", err)
		os.Exit(2)
	}
}
