package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
)

// The emulator is the command gbgserve, not code in this binary: it links a full JSON Schema
// validator whose package initialisation would cost every gbggen run (go generate starts one
// per directive) several milliseconds. "gbggen serve" runs it when the module declares it as a
// tool, so the command works as documented; otherwise it says how to get it.
func init() {
	verbs["serve"] = verb{summary: "run the local emulator of the GBG GO journey API (the gbgserve tool)", run: func(args []string, stdout, stderr io.Writer) int {
		return serveCmd(context.Background(), args, stdout, stderr)
	}}
}

const serveHelp = `gbggen serve runs the emulator, the command gbgserve, as a tool of your module. Add it once:
  go get -tool github.com/gbggen/gbggen/cmd/gbgserve
or run it directly:
  go run github.com/gbggen/gbggen/cmd/gbgserve [flags]`

// serveCmd runs gbgserve with args until it exits or ctx ends (or SIGINT/SIGTERM arrives),
// then interrupts it so it shuts down gracefully. Its exit status is gbggen's.
func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	out, err := exec.CommandContext(ctx, "go", "tool", "-n", "gbgserve").Output()
	if err != nil {
		fmt.Fprintln(stderr, serveHelp)
		return exitUsage
	}
	bin, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil { // not on Windows
			return cmd.Process.Kill()
		}
		return nil
	}
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return exit.ExitCode()
	case ctx.Err() != nil && cmd.ProcessState != nil && cmd.ProcessState.Success():
		return exitOK
	}
	fmt.Fprintf(stderr, "gbggen serve: %v\n", err)
	return 1
}
