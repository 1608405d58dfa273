package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedCodeIsFresh runs `gbggen check` with the arguments of every //go:generate
// line of gen.go: the committed code in onboarding/ must be exactly what go generate writes,
// so a generator change that alters it fails here until someone regenerates.
func TestGeneratedCodeIsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs gbggen")
	}
	gobin := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		gobin = "go"
	}
	gbggen := filepath.Join(t.TempDir(), "gbggen")
	if out, err := exec.Command(gobin, "build", "-o", gbggen, "github.com/gbggen/gbggen/cmd/gbggen").CombinedOutput(); err != nil {
		t.Fatalf("building gbggen: %v\n%s", err, out)
	}
	f, err := os.Open("gen.go")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const prefix = "//go:generate go run github.com/gbggen/gbggen/cmd/gbggen generate"
	lines := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "//go:generate") {
			continue
		}
		rest, ok := strings.CutPrefix(line, prefix)
		if !ok {
			t.Fatalf("gen.go: a //go:generate line this test does not understand: %s", line)
		}
		lines++
		args := append([]string{"check"}, strings.Fields(rest)...)
		out, err := exec.Command(gbggen, args...).CombinedOutput()
		if err != nil {
			t.Errorf("gbggen check%s: %v\n%s\nrun go generate ./examples/... and commit the result", rest, err, out)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if lines == 0 {
		t.Fatal("gen.go has no //go:generate line")
	}
}
