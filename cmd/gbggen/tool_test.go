package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestToolVerbsWithoutTool: in a module that does not declare the tool, serve and fetch say
// how to add it and exit 2, through the verb as the user runs it.
func TestToolVerbsWithoutTool(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/consumer\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, tt := range []struct{ verb, pkg string }{
		{"serve", "github.com/gbggen/gbggen/cmd/gbgserve"},
		{"fetch", "github.com/gbggen/gbggen/cmd/gbgfetch"},
	} {
		code, stdout, stderr := runCmd(tt.verb, "-h")
		if code != exitUsage || stdout != "" {
			t.Errorf("%s: exit %d, stdout %q; want 2 and nothing", tt.verb, code, stdout)
		}
		for _, want := range []string{"gbggen " + tt.verb + " runs ", "\n  go get -tool " + tt.pkg + "\n",
			"\n  go get -tool github.com/gbggen/gbggen/cmd/...\n", "\n  go run " + tt.pkg + " [flags]"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", tt.verb, want, stderr)
			}
		}
		if strings.Contains(stderr, "no such tool") {
			t.Errorf("%s: go's own message shown too:\n%s", tt.verb, stderr)
		}
	}
}

// TestToolBrokenModule: when go cannot even look for the tool, its reason comes first.
func TestToolBrokenModule(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/consumer\n\ngo 1.26\n\ntool example.com/missing/cmd/gbgfetch\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	var stderr bytes.Buffer
	if code := runTool(context.Background(), fetchTool, nil, io.Discard, &stderr); code != exitUsage {
		t.Fatalf("exit %d, want 2", code)
	}
	reason, help := strings.Index(stderr.String(), "example.com/missing/cmd/gbgfetch"), strings.Index(stderr.String(), "gbggen fetch runs ")
	if reason < 0 || help < reason {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}
