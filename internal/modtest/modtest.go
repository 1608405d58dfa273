// Package modtest builds throwaway Go modules that use this checkout of gbggen, for the
// tests that compile, vet and run generated code. Only tests import it.
package modtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Write makes dir the root of module gt (its packages are gt/<dir>), which requires gbggen from the checkout at root
// (by a replace directive) and everything gbggen's own go.mod requires, at the same
// versions: so the generated code builds against this checkout, and gbggen's pinned tools
// (staticcheck) run in it, all offline (see Command).
func Write(t testing.TB, dir, root string) {
	t.Helper()
	mainMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	mod := fmt.Sprintf("module %s\n\ngo 1.26\n\nrequire github.com/gbggen/gbggen v0.0.0-00010101000000-000000000000\n\n%s\nreplace github.com/gbggen/gbggen => %s\n",
		"gt", requireBlock(string(mainMod)), root)
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

// Command returns the go command with args, to run in dir: outside any workspace and
// without the network (everything needed is in the module cache already, as gbggen's own
// tests need it).
func Command(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off")
	return cmd
}

// requireBlock copies the require blocks of a go.mod, with indirect requirements made
// direct (module gt uses gbggen's tools directly).
func requireBlock(mod string) string {
	var b strings.Builder
	in := false
	for line := range strings.SplitSeq(mod, "\n") {
		switch {
		case strings.HasPrefix(line, "require ("):
			in = true
		case in && line == ")":
			in = false
			b.WriteString(")\n")
			continue
		}
		if in {
			b.WriteString(strings.Replace(line, "// indirect", "", 1) + "\n")
		}
	}
	return b.String()
}
