package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gbggen/gbggen/internal/modtest"
)

// Rebuild returns item 6: the time `go build` takes to compile again the package generated
// from GBG's context schema after a change to it (the rest of the build cached), for
// gbggen's output (bench/gbgcontext, with Validate and exact decoding) and for
// go-jsonschema's (gjBin). Each op appends a distinct comment to the file, so the package,
// and only it, is compiled again.
func Rebuild(gjBin string) (gbggen, gojsonschema func(*testing.B)) {
	side := func(dir string) func(*testing.B) {
		return func(b *testing.B) {
			root := rebuildModule(b, gjBin)
			file := filepath.Join(root, dir, "types.go")
			src, err := os.ReadFile(file)
			if err != nil {
				b.Fatal(err)
			}
			build := func(i int) {
				if err := os.WriteFile(file, fmt.Appendf(append([]byte(nil), src...), "\n// build %d\n", i), 0o644); err != nil {
					b.Fatal(err)
				}
				if out, err := modtest.Command(root, "build", "./"+dir).CombinedOutput(); err != nil {
					b.Fatalf("go build ./%s: %v\n%s", dir, err, out)
				}
			}
			build(-1) // dependencies into the build cache
			b.ResetTimer()
			for i := range b.N {
				build(i)
			}
		}
	}
	return side("gbg"), side("gj")
}

var rebuildRoot string

// rebuildModule writes, once, a module with gbggen's context package in gbg/ and
// go-jsonschema's output for the same schema in gj/.
func rebuildModule(b *testing.B, gjBin string) string {
	if rebuildRoot != "" {
		return rebuildRoot
	}
	schema := ContextSchemaPath(Corpus(b))
	root, err := os.MkdirTemp("", "gbggen-rebuild-")
	if err != nil {
		b.Fatal(err)
	}
	wd, err := os.Getwd()
	if err != nil {
		b.Fatal(err)
	}
	modRoot := wd
	for !fileExists(filepath.Join(modRoot, "go.mod")) && filepath.Dir(modRoot) != modRoot {
		modRoot = filepath.Dir(modRoot)
	}
	modtest.Write(b, root, modRoot)
	ours, err := os.ReadFile(filepath.Join(modRoot, "bench", "gbgcontext", "context.go"))
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range []string{"gbg", "gj"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "gbg", "types.go"), ours, 0o644); err != nil {
		b.Fatal(err)
	}
	if r := RunTool(GoJSONSchema(gjBin), schema, filepath.Join(root, "gj", "types.go")); r.Err != nil {
		b.Fatal(r.Err)
	}
	// go-jsonschema's output needs mapstructure, which gbggen does not: fetched once,
	// through the module proxy, before anything is timed.
	get := exec.Command("go", "get", "github.com/go-viper/mapstructure/v2@latest")
	get.Dir, get.Env = root, append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	if out, err := get.CombinedOutput(); err != nil {
		b.Fatalf("go get mapstructure for go-jsonschema's output: %v\n%s", err, out)
	}
	rebuildRoot = root
	return root
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// CleanRebuild removes the module Rebuild wrote, if any.
func CleanRebuild() {
	if rebuildRoot != "" {
		os.RemoveAll(rebuildRoot)
		rebuildRoot = ""
	}
}
