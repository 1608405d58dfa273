package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

func init() {
	verbs["version"] = verb{summary: "print the gbggen module version and the Go version it was built with", run: runVersion}
}

// runVersion prints the version of the gbggen module this binary was built from: the version
// in the consumer's go.mod when run as `go tool gbggen`, "(devel)" in a checkout. Generated
// code never carries it.
func runVersion(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: gbggen version")
		return exitUsage
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(stdout, "gbggen (unknown version)")
		return exitOK
	}
	fmt.Fprintf(stdout, "gbggen %s %s\n", info.Main.Version, info.GoVersion)
	return exitOK
}
