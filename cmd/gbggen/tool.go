package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
)

// tool is a command of this module that a gbggen verb runs as a separate program: a verb
// whose code would make every gbggen start slower (go generate starts one per directive)
// lives in a command of its own, which the user's module declares as a tool.
type tool struct {
	verb string // the gbggen verb, e.g. "serve"
	name string // the command, in cmd/<name>, e.g. "gbgserve"
	what string // what the command is, for the help: "the emulator"
}

// help says how to get the tool, at the version of this gbggen when it has one.
func (t tool) help() string {
	pkg := "github.com/gbggen/gbggen/cmd/" + t.name
	pin := modulePin()
	return fmt.Sprintf(`gbggen %s runs %s, the command %s, as a tool of your module. Add it once:
  go get -tool %s%s
or every gbggen command at once:
  go get -tool github.com/gbggen/gbggen/cmd/...%[5]s
or run it directly:
  go run %[4]s [flags]`, t.verb, t.what, t.name, pkg, pin)
}

// modulePin is "@" and the version of the gbggen module this binary was built from, the
// one the user's go.mod requires, so that adding a tool does not upgrade gbggen; "" in a
// development build.
func modulePin() string {
	if info, ok := debug.ReadBuildInfo(); ok && strings.HasPrefix(info.Main.Version, "v") {
		return "@" + info.Main.Version
	}
	return ""
}

// runTool runs the tool t, as `go tool -n` finds it in the current module, with args and
// gbggen's standard streams, until it exits. When ctx ends or SIGINT or SIGTERM arrives, it
// interrupts the tool and waits for it to finish as it does on Ctrl-C (the emulator shuts
// down gracefully, fetch deletes its journey instance). The tool's exit status is gbggen's;
// without the tool, runTool says how to add it and returns exitUsage.
func runTool(ctx context.Context, t tool, args []string, stdout, stderr io.Writer) int {
	out, err := exec.CommandContext(ctx, "go", "tool", "-n", t.name).Output()
	if err != nil {
		// A missing tool gets the help alone; anything else (go not found, the tool does
		// not build, a go.sum entry is missing) is shown before it.
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			fmt.Fprintf(stderr, "gbggen %s: %v\n", t.verb, err)
		} else if !bytes.Contains(exit.Stderr, []byte("no such tool")) {
			stderr.Write(exit.Stderr)
		}
		fmt.Fprintln(stderr, t.help())
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
	fmt.Fprintf(stderr, "gbggen %s: %v\n", t.verb, err)
	return 1
}
