package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestServeRunsTool: this module declares gbgserve as a tool, so "gbggen serve" runs it,
// passes its flags on, and stops it gracefully (exit 0) when its context ends.
func TestServeRunsTool(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := runTool(ctx, serveTool, []string{"-addr", "127.0.0.1:0"}, outW, io.Discard)
		outW.Close()
		done <- code
	}()
	lines := bufio.NewScanner(outR)
	if !lines.Scan() {
		t.Fatalf("serve printed nothing (exit %d)", <-done)
	}
	base, ok := strings.CutPrefix(lines.Text(), "gbgserve: listening on ")
	if !ok {
		t.Fatalf("first line = %q, want gbgserve's address", lines.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	resp, err := http.PostForm(base+"/as/token.oauth2", url.Values{"grant_type": {"client_credentials"},
		"client_id": {"gbggen-demo"}, "client_secret": {"gbggen-demo-secret"}, "scope": {"gbg.token"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("token: status %d", resp.StatusCode)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("serve exited %d after its context ended, want 0", code)
	}
}
