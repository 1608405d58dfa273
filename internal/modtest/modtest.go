// Package modtest builds throwaway Go modules that use this checkout of gbggen, for the
// tests that compile, vet and run generated code. Only tests import it.
package modtest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Write makes dir the root of module gt (its packages are gt/<dir>), which requires gbggen
// from the checkout at root by a replace directive. Its go.mod is gbggen's own, with only
// the module line changed and gbggen added: the same go line, requirements and versions.
// So module gt's graph is gbggen's, already tidy, and gbggen's pinned tools (go tool
// staticcheck) run in it. A go.mod with fewer requirements would make the go command read
// the go.mod files of old dependencies' requirements too (go-jsonmerge has no go line, so
// its graph is not pruned), which nothing else fetches.
func Write(t testing.TB, dir, root string) {
	t.Helper()
	mainMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	const own = "module github.com/gbggen/gbggen\n"
	if !bytes.HasPrefix(mainMod, []byte(own)) {
		t.Fatalf("%s: does not start with %q", filepath.Join(root, "go.mod"), own)
	}
	mod := fmt.Sprintf("module gt\n%s\nrequire github.com/gbggen/gbggen v0.0.0-00010101000000-000000000000\n\nreplace github.com/gbggen/gbggen => %s\n",
		mainMod[len(own):], root)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"go.mod": []byte(mod), "go.sum": sum} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Command returns the go command with args, to run in dir outside any workspace and with
// go.mod read-only: a module that gbggen's go.mod and go.sum do not name is an error, never
// an edit. It may download, as building gbggen's own tests does, but only modules of
// gbggen's graph at gbggen's versions, checked against gbggen's go.sum. (The generated
// code the tests compile imports packages, such as oapi-codegen's runtime, that the test
// binary itself does not, so on a fresh module cache they are not there yet.)
func Command(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOWORK=off")
	return cmd
}
