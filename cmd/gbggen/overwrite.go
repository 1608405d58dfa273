package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"

	"github.com/gbggen/gbggen/generator"
)

// refuseHandWritten returns an error naming the first of files that exists and is not
// generated code, which writing would destroy. Generated code follows Go's convention
// (https://go.dev/s/generatedcode): a line "// Code generated … DO NOT EDIT." before the
// package clause, from gbggen or any other tool. An empty (or blank) file holds nothing to
// lose. Only the part up to the package clause is parsed.
func refuseHandWritten(files []generator.File) error {
	for _, f := range files {
		src, err := os.ReadFile(f.Path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if len(bytes.TrimSpace(src)) == 0 || isGenerated(src) {
			continue
		}
		return fmt.Errorf("%s: exists and is not generated code (no \"// Code generated ... DO NOT EDIT.\" line before its package clause); nothing written (-force overwrites it)", f.Path)
	}
	return nil
}

// isGenerated reports whether Go source src is marked as generated. Source that does not
// parse as far as its package clause is not.
func isGenerated(src []byte) bool {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.PackageClauseOnly|parser.ParseComments)
	return err == nil && ast.IsGenerated(f)
}
