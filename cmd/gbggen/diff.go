package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/gbggen/gbggen/schemadiff"
)

func init() {
	verbs["diff"] = verb{summary: "classify the changes between two versions of a schema", run: runDiff}
}

const diffUsage = `usage: gbggen diff [-fail-on breaking|warning|info] [-direction sent|received] [-format text|json|github|markdown] [-config gbggen.yaml] [-ref-map URL=PATH] OLD NEW

Compares two versions of a journey or task schema and classifies every change.
OLD and NEW are schema files (JSON or YAML) or git:REV:PATH (the file as it was at revision
REV, e.g. git:origin/main:schemas/onboarding.json).

When both are IDWise flow definitions (gbggen fetch -idwise-flow), the steps are compared:
a step removed, retyped or moved, or another flow ID, is breaking; a step added or retitled
is info.

A remote $ref is never fetched: -ref-map maps it to a local file as for generate, and
-config takes the refMap of a config file (its paths relative to the file; -ref-map wins).
For a git:REV:PATH source the mapped file is read at REV too.

-direction sent (default) judges prefills and task submissions: a change is breaking when a
document valid under OLD may be rejected under NEW. -direction received judges data we decode:
a change is breaking when NEW allows what code generated from OLD rejects.

Exit status: 0 no change at or above -fail-on, 1 some change is, 2 bad usage or input.
`

func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, diffUsage) }
	failOn := fs.String("fail-on", "breaking", "lowest level that makes the exit status 1")
	direction := fs.String("direction", "sent", "which way the data travels: sent or received")
	format := fs.String("format", "text", "output format: "+strings.Join(schemadiff.Formats, ", "))
	config := fs.String("config", "", "config file whose refMap applies (none by default)")
	refs := refMapFlag{}
	fs.Var(refs, "ref-map", "map a remote $ref URL (or prefix ending in /) to a local path: URL=PATH (repeatable)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 2 {
		fmt.Fprint(stderr, diffUsage)
		return exitUsage
	}
	refMap := map[string]string(refs)
	if *config != "" {
		cfg, err := readConfig(*config)
		if err != nil {
			fmt.Fprintln(stderr, "gbggen diff: -config:", err)
			return exitUsage
		}
		refMap = cfg.refMap(filepath.Dir(*config), refs)
	}
	level, err := schemadiff.ParseLevel(*failOn)
	if err != nil {
		fmt.Fprintln(stderr, "gbggen diff: -fail-on:", err)
		return exitUsage
	}
	dir, err := schemadiff.ParseDirection(*direction)
	if err != nil {
		fmt.Fprintln(stderr, "gbggen diff: -direction:", err)
		return exitUsage
	}
	if !validFormat(*format) {
		fmt.Fprintf(stderr, "gbggen diff: -format: unknown format %q (want %s)\n", *format, strings.Join(schemadiff.Formats, ", "))
		return exitUsage
	}
	oldName, newName := fs.Arg(0), fs.Arg(1)
	if code, done := diffFlows(stdout, stderr, *format, level, oldName, newName); done {
		return code
	}
	old, err := schemadiff.LoadMapped(oldName, refMap)
	if err != nil {
		fmt.Fprintln(stderr, "gbggen diff:", err)
		return exitUsage
	}
	new, err := schemadiff.LoadMapped(newName, refMap)
	if err != nil {
		fmt.Fprintln(stderr, "gbggen diff:", err)
		return exitUsage
	}
	changes := schemadiff.Compare(old, new, dir)
	if err := schemadiff.NewReport(oldName, newName, dir, changes).Write(stdout, *format); err != nil {
		fmt.Fprintln(stderr, "gbggen diff:", err)
		return exitUsage
	}
	if top, any := schemadiff.Max(changes); any && top >= level {
		return exitFound
	}
	return exitOK
}

func validFormat(f string) bool {
	for _, known := range schemadiff.Formats {
		if f == known {
			return true
		}
	}
	return false
}
