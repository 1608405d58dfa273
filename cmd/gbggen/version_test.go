package main

import (
	"runtime"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	var out, errw strings.Builder
	if code := run([]string{"version"}, &out, &errw); code != exitOK {
		t.Fatalf("exit %d: %s", code, errw.String())
	}
	if !strings.HasPrefix(out.String(), "gbggen ") || !strings.Contains(out.String(), runtime.Version()) {
		t.Errorf("version output = %q", out.String())
	}
	if code := run([]string{"version", "extra"}, &out, &errw); code != exitUsage {
		t.Errorf("version with an argument: exit %d, want 2", code)
	}
}
