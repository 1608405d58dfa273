package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gbggen/gbggen/internal/emutest"
	"github.com/gbggen/gbggen/internal/fetch"
	"github.com/gbggen/gbggen/sandbox"
)

// TestFetchRunsTool: this module declares gbgfetch as a tool, so "gbggen fetch" runs it with
// its flags, the environment (credentials) and gbggen's output streams, and exits as it does.
func TestFetchRunsTool(t *testing.T) {
	emu := emutest.New(t)
	emutest.SetEnv(t, emutest.DemoEnv("password"))
	out := filepath.Join(t.TempDir(), "schemas")
	code, stdout, stderr := runCmd(append([]string{"fetch"}, emu.FetchArgs(sandbox.OnboardingResourceID+"@1", out)...)...)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "wrote "+filepath.Join(out, fetch.LockFileName)+"\n") || !strings.Contains(stderr, "gbggen fetch: deleted instance") {
		t.Errorf("stdout: %s\nstderr: %s", stdout, stderr)
	}
	if got := strings.Join(emutest.DirNames(t, out), " "); got != "address.json document.json gbggen.lock.json personal-details.json" {
		t.Errorf("files %s", got)
	}
	if calls := strings.Join(emu.JourneyCalls(), " "); calls != "start task/list/schema state/delete" {
		t.Errorf("journey calls %s", calls)
	}

	// Failures keep their exit status and messages.
	code, stdout, stderr = runCmd("fetch", "-h")
	if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, "usage: gbggen fetch -resource ID@VERSION") {
		t.Errorf("fetch -h: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	code, _, stderr = runCmd(append([]string{"fetch"}, emu.FetchArgs(sandbox.OnboardingResourceID+"@99", out)...)...)
	if code != exitUsage || !strings.Contains(stderr, "nothing written") {
		t.Errorf("unknown version: exit %d\n%s", code, stderr)
	}
}

// TestFetchInterrupted: when gbggen is interrupted while the tool waits for the API, the tool
// is interrupted in turn and still deletes the journey instance it created before exiting.
func TestFetchInterrupted(t *testing.T) {
	emu := emutest.New(t)
	emutest.SetEnv(t, emutest.DemoEnv("password"))
	reached := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/task/list/schema") {
			reached <- struct{}{}
			// Read the body, so that the server notices the client leave, and hang until
			// the tool gives up on the call.
			_, _ = io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
			return
		}
		emu.Handler.ServeHTTP(w, r)
	}))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "schemas")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- runTool(ctx, fetchTool, []string{"-resource", sandbox.OnboardingResourceID + "@1", "-base-url", srv.URL,
			"-token-url", srv.URL + "/as/token.oauth2", "-out", out}, io.Discard, &stderr)
	}()
	select {
	case <-reached:
	case code := <-done:
		t.Fatalf("fetch exited %d before reading the schemas:\n%s", code, stderr.String())
	}
	cancel() // as SIGINT to gbggen would
	if code := <-done; code != exitUsage {
		t.Errorf("exit %d after an interrupt, want 2", code)
	}
	calls := emu.JourneyCalls()
	if len(calls) == 0 || calls[len(calls)-1] != "state/delete" || !strings.Contains(stderr.String(), "deleted instance") ||
		!strings.Contains(stderr.String(), "interrupt") {
		t.Errorf("the instance was not deleted: calls %v\n%s", calls, stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("fetch wrote %s after an interrupt", out)
	}
}
