package main

import (
	"context"
	"io"
	"testing"

	"github.com/gbggen/gbggen/internal/emutest"
)

// TestServeRunsTool: this module declares gbgserve as a tool, so "gbggen serve" runs it,
// passes its flags on, and stops it gracefully (exit 0) when its context ends.
func TestServeRunsTool(t *testing.T) {
	base, stop := emutest.Start(t, func(ctx context.Context, stdout io.Writer) int {
		return runTool(ctx, serveTool, []string{"-addr", "127.0.0.1:0"}, stdout, io.Discard)
	})
	emutest.Token(t, base)
	if code := stop(); code != exitOK {
		t.Errorf("serve exited %d after its context ended, want 0", code)
	}
}
