package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/sandbox"
)

// TestServe starts the emulator on a free port, gets a token from the URL it printed, and
// stops it by cancelling its context.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := serve(ctx, []string{"-addr", "127.0.0.1:0"}, outW, io.Discard)
		outW.Close()
		done <- code
	}()
	lines := bufio.NewScanner(outR)
	if !lines.Scan() {
		t.Fatal("serve printed nothing")
	}
	base, ok := strings.CutPrefix(lines.Text(), "gbgserve: listening on ")
	if !ok || strings.HasSuffix(base, ":0") {
		t.Fatalf("first line = %q, want the URL with the real port", lines.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()

	creds := sandbox.DefaultCredentials
	resp, err := http.PostForm(base+"/as/token.oauth2", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {creds.ClientID},
		"client_secret": {creds.ClientSecret}, "scope": {"gbg.token"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || tok.AccessToken == "" {
		t.Fatalf("token: status %d, token empty=%v", resp.StatusCode, tok.AccessToken == "")
	}
	if resp.Header.Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID on the token response")
	}

	cancel()
	if code := <-done; code != 0 {
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
