package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestDeterministicOutput runs the gbggen binary 20 times on each input, alternating
// GOMAXPROCS 1 and 8 and two working directories (so paths are given differently), and
// requires byte-identical output every time: the generated code carries no map order, time,
// version or absolute path.
func TestDeterministicOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the gbggen binary")
	}
	bin := filepath.Join(t.TempDir(), "gbggen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	inputs := map[string]string{
		"demo journey": abs(t, "../../sandbox/demo/onboarding/1/journey.schema.json"),
		"task list":    abs(t, "../../generator/testdata/tasklist/schema.json"),
	}
	gbgSchema := filepath.Join(corpusDir(t), "gbg", "context.schema.json")
	if _, err := os.Stat(gbgSchema); err == nil {
		inputs["GBG context"] = gbgSchema
	} else if os.Getenv("CI") != "" {
		t.Fatalf("corpus missing in CI: %v", err)
	}
	dirs := []string{t.TempDir(), t.TempDir()}
	for name, schema := range inputs {
		var first []byte
		for run := range 20 {
			dir := dirs[run%2]
			rel, err := filepath.Rel(dir, schema)
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(bin, "generate", "-schema", rel, "-package", "det", "-type", "Root", "-o", "out.go")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOMAXPROCS="+map[bool]string{true: "1", false: "8"}[run%4 < 2])
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s, run %d: %v\n%s", name, run, err, out)
			}
			got, err := os.ReadFile(filepath.Join(dir, "out.go"))
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = got
				if bytes.Contains(got, []byte(dirs[0])) || bytes.Contains(got, []byte(dirs[1])) {
					t.Errorf("%s: the output contains a working directory", name)
				}
				continue
			}
			if !bytes.Equal(got, first) {
				t.Fatalf("%s: run %d (GOMAXPROCS %s, dir %d) differs from run 0", name, run, cmd.Env[len(cmd.Env)-1], run%2)
			}
		}
	}
}

func abs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
