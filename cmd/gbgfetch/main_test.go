package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/internal/emutest"
	"github.com/gbggen/gbggen/internal/fetch"
	"github.com/gbggen/gbggen/sandbox"
)

// TestMain runs main instead of the tests when the test binary is started as the command.
func TestMain(m *testing.M) {
	if os.Getenv("GBGFETCH_RUN_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// gbgfetch runs main in a process of its own with args.
func gbgfetch(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "GBGFETCH_RUN_MAIN=1")
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), o.String(), e.String()
}

// TestFetch: the command reads its credentials from the environment and writes the schemas.
func TestFetch(t *testing.T) {
	emu := emutest.New(t)
	emutest.SetEnv(t, emutest.DemoEnv("password"))
	out := filepath.Join(t.TempDir(), "schemas")
	code, stdout, stderr := gbgfetch(t, emu.FetchArgs(sandbox.OnboardingResourceID+"@1", out)...)
	if code != 0 || !strings.Contains(stdout, "wrote "+filepath.Join(out, fetch.LockFileName)) {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if calls := strings.Join(emu.JourneyCalls(), " "); calls != "start task/list/schema state/delete" {
		t.Errorf("journey calls %s", calls)
	}
}

func TestUsage(t *testing.T) {
	emutest.SetEnv(t, nil)
	for _, args := range [][]string{{"-h"}, {"-resource", "x@1", "-out", t.TempDir()}} {
		code, stdout, stderr := gbgfetch(t, args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "gbggen fetch") {
			t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s", args, code, stdout, stderr)
		}
	}
}
