// Command gbggen generates typed Go for GBG GO journeys.
//
// Usage: gbggen <verb> [flags]. Each verb lives in its own file and
// registers itself in verbs; main only dispatches.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
)

// Exit codes shared by every verb.
const (
	exitOK    = 0
	exitFound = 1 // the thing asked about was found (stale output, breaking change)
	exitUsage = 2 // usage or input error
)

// verb is one sub-command.
type verb struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// verbs is filled by the files that implement each verb.
var verbs = map[string]verb{}

func main() {
	tuneGC()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// gcMemoryLimit is the heap size at which the garbage collector starts when tuneGC has
// turned it off.
const gcMemoryLimit = 512 << 20

// tuneGC turns the garbage collector off until the heap reaches gcMemoryLimit. A gbggen run
// lives for milliseconds and allocates a few megabytes, and go generate starts one per
// directive: collecting garbage that the exit frees anyway is wasted time (about a tenth of
// a run). Big inputs still get a collector, at the limit. GOGC or GOMEMLIMIT in the
// environment leave the runtime as configured.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(gcMemoryLimit)
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "help" || args[0] == "--help" {
		usage(stderr)
		return exitUsage
	}
	v, ok := verbs[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "gbggen: unknown verb %q\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return v.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: gbggen <verb> [flags]")
	names := make([]string, 0, len(verbs))
	for n := range verbs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, verbs[n].summary)
	}
}
