package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/gbggen/gbggen/generator"
)

func init() {
	verbs["generate"] = verb{summary: "generate Go types from a schema (flags) or from gbggen.yaml", run: runGenerate}
}

// refMapFlag collects repeated -ref-map URL=PATH flags.
type refMapFlag map[string]string

func (m refMapFlag) String() string { return "" }

func (m refMapFlag) Set(s string) error {
	url, path, ok := strings.Cut(s, "=")
	if !ok || url == "" || path == "" {
		return fmt.Errorf("want URL=PATH, got %q", s)
	}
	m[url] = path
	return nil
}

func runGenerate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	schemaPath := fs.String("schema", "", "schema file (JSON or YAML)")
	pkg := fs.String("package", "", "Go package name")
	root := fs.String("type", "", "name of the root Go type")
	out := fs.String("o", "", "output Go file")
	config := fs.String("config", "gbggen.yaml", "config file, used when -schema is not given")
	force := fs.Bool("force", false, "overwrite outputs that exist and are not generated code (no \"// Code generated ... DO NOT EDIT.\" header)")
	refs := refMapFlag{}
	fs.Var(refs, "ref-map", "map a remote $ref URL (or prefix ending in /) to a local path: URL=PATH (repeatable)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gbggen generate: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	var jobs []generator.Options
	var flows []generator.File // IDWise flows, generated already
	if *schemaPath == "" {
		cfgJobs, err := configJobs(*config, refs)
		if err == nil {
			flows, err = configFlowFiles(*config)
		}
		if err != nil {
			fmt.Fprintf(stderr, "gbggen generate: %v\n", err)
			return exitUsage
		}
		jobs = cfgJobs
	} else {
		if *pkg == "" || *root == "" || *out == "" {
			fmt.Fprintln(stderr, "gbggen generate: -schema needs -package, -type and -o")
			return exitUsage
		}
		jobs = []generator.Options{{Package: *pkg, Output: *out, RefMap: refs,
			Roots: []generator.Root{{Name: *root, Schema: *schemaPath}}}}
	}
	return generateAll(jobs, flows, *force, stderr)
}

// generateAll generates every job first and writes only when all
// succeeded, so a failure leaves the tree as it was. extra are files
// generated already, written with the others. Unless force is set, an output that
// exists and is not generated code is a failure too.
func generateAll(jobs []generator.Options, extra []generator.File, force bool, stderr io.Writer) int {
	files := append([]generator.File(nil), extra...)
	for _, opts := range jobs {
		fs, warnings, err := generator.Generate(opts)
		for _, w := range warnings {
			fmt.Fprintf(stderr, "warning: %s\n", w)
		}
		if err != nil {
			fmt.Fprintf(stderr, "gbggen generate: %v\n", err)
			return exitUsage
		}
		files = append(files, fs...)
	}
	if !force {
		if err := refuseHandWritten(files); err != nil {
			fmt.Fprintf(stderr, "gbggen generate: %v\n", err)
			return exitUsage
		}
	}
	if err := generator.WriteFiles(files); err != nil {
		fmt.Fprintf(stderr, "gbggen generate: %v\n", err)
		return exitUsage
	}
	return exitOK
}
