package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/internal/emutest"
)

// TestServe starts the emulator on a free port, gets a token from the URL it printed, and
// stops it by cancelling its context.
func TestServe(t *testing.T) {
	base, stop := emutest.Start(t, func(ctx context.Context, stdout io.Writer) int {
		return serve(ctx, []string{"-addr", "127.0.0.1:0"}, stdout, io.Discard)
	})
	emutest.Token(t, base)
	if code := stop(); code != 0 {
		t.Errorf("serve exited %d after cancel, want 0", code)
	}
}

func TestServeUsage(t *testing.T) {
	for _, args := range [][]string{{"-addr"}, {"extra"}, {"-journeys", "/nonexistent/dir"}} {
		var stderr strings.Builder
		if code := serve(context.Background(), args, io.Discard, &stderr); code != 2 {
			t.Errorf("serve %v: exit %d, want 2", args, code)
		}
		if stderr.Len() == 0 {
			t.Errorf("serve %v: nothing on stderr", args)
		}
	}
}
