// Package gofmt formats Go source exactly as go/format.Source does, in less time for the
// code gbggen generates.
//
// Most of a generated file is functions made of one-line statements, and most of
// go/format's time is go/printer laying them out. Source parses the file as go/format
// does and lays out each such function itself (its header too, when that is on one line),
// has go/printer print the rest of the file with a placeholder in place of each, and
// splices them in. A function with anything this package does not lay out itself (a
// comment in its body, a statement or expression over several lines, a function literal,
// a struct type, ...) is left to go/printer whole, so the output is go/format's for any
// input; the tests hold it to that over the Go source tree, the schema corpus and fuzzed
// input.
package gofmt

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/printer"
	"go/token"
	"strings"
)

// go/format's settings. go/format also normalizes number literals, through a printer mode
// it does not export; Source does the same to the AST instead (see normalizeNumbers).
const (
	parserMode = parser.ParseComments | parser.SkipObjectResolution
	tabWidth   = 8
)

var config = printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: tabWidth}

// markerPrefix names the identifiers that stand in for bodies while go/printer runs.
// Source leaves to go/format any input that already contains it.
const markerPrefix = "gbggenBody"

// Source formats src as go/format.Source does: the same output, the same errors.
func Source(src []byte) ([]byte, error) {
	out, _, err := source(src)
	return out, err
}

// stats counts what Source laid out without go/printer.
type stats struct {
	bodies  int // function bodies
	headers int // of which the whole declaration but its doc comment
}

// source is Source that also reports what it laid out itself.
func source(src []byte) (out []byte, st stats, err error) {
	if bytes.Contains(src, []byte(markerPrefix)) {
		out, err = format.Source(src)
		return out, stats{}, err
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", src, parserMode)
	if err != nil {
		// Not a complete file: go/format also tries it as a list of declarations or
		// statements, and its errors are the ones to report.
		out, err = format.Source(src)
		return out, stats{}, err
	}
	ast.SortImports(fset, file)
	tf := fset.File(file.Pos())

	var pieces []piece
	for _, d := range file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fastBody(tf, file.Comments, fd.Body) {
			if pc, ok := layOut(tf, fd, len(pieces)); ok {
				pieces = append(pieces, pc)
			}
		}
	}
	normalizeNumbers(file)

	var buf bytes.Buffer
	buf.Grow(len(src))
	if err := config.Fprint(&buf, fset, file); err != nil {
		return nil, stats{}, err
	}
	if len(pieces) == 0 {
		return buf.Bytes(), stats{}, nil
	}
	out, ok := splice(buf.Bytes(), pieces)
	if !ok {
		// go/printer laid a placeholder out in a way splice does not expect; this has not
		// been seen, and go/format is always right.
		out, err = format.Source(src)
		return out, stats{}, err
	}
	st.bodies = len(pieces)
	for _, pc := range pieces {
		if pc.header {
			st.headers++
		}
	}
	return out, st, nil
}

// layOut lays out the body of fd, and its header if it can, and puts the n-th marker in
// their place in the AST: go/printer then prints "{\n\t<marker>\n}" for the body, and
// "func <marker>() " for the header.
func layOut(tf *token.File, fd *ast.FuncDecl, n int) (piece, bool) {
	body, ok := printBody(tf, fd.Body)
	if !ok {
		return piece{}, false
	}
	marker := &ast.Ident{Name: fmt.Sprintf("%s%d", markerPrefix, n)}
	pc := piece{marker: marker.Name, text: body}
	if head, ok := printHeader(tf, fd); ok {
		pc.header, pc.text = true, append(head, body...)
		fd.Recv = nil
		fd.Name = &ast.Ident{Name: marker.Name, NamePos: fd.Name.NamePos}
		fd.Type = &ast.FuncType{Func: fd.Type.Func, Params: &ast.FieldList{Opening: fd.Type.Params.Opening, Closing: fd.Type.Params.Closing}}
	}
	// The marker statement is on the line after "{", so that go/printer keeps the blank
	// line (if any) before "}" and nothing else.
	marker.NamePos = tf.LineStart(lineOf(tf, fd.Body.Lbrace) + 1)
	fd.Body = &ast.BlockStmt{Lbrace: fd.Body.Lbrace, List: []ast.Stmt{&ast.ExprStmt{X: marker}}, Rbrace: fd.Body.Rbrace}
	return pc, true
}

// fastBody reports whether printBody may try b: a block over several lines with
// statements and no comment inside. (go/printer puts a one-line block on one line, and
// comments need its placement rules.)
func fastBody(tf *token.File, comments []*ast.CommentGroup, b *ast.BlockStmt) bool {
	if b == nil || len(b.List) == 0 || lineOf(tf, b.Lbrace) >= lineOf(tf, b.Rbrace) {
		return false
	}
	for _, c := range commentsFrom(comments, b.Lbrace) {
		return c.Pos() > b.Rbrace
	}
	return true
}

// commentsFrom returns the comment groups at or after pos (comments are in source order).
func commentsFrom(comments []*ast.CommentGroup, pos token.Pos) []*ast.CommentGroup {
	lo, hi := 0, len(comments)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if comments[m].End() <= pos {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return comments[lo:]
}

// piece is the layout of a function body, or of a whole declaration but its doc
// comment, and the marker go/printer was given in its place.
type piece struct {
	marker string
	header bool // text starts at "func"
	text   []byte
}

// splice puts the pieces in the places of their markers. go/printer prints a marked body
// as "{\n\t<marker>\n}", with one more newline before "}" when the body ended in a blank
// line, and a marked header as "func <marker>() ".
func splice(printed []byte, pieces []piece) ([]byte, bool) {
	n := len(printed)
	for _, pc := range pieces {
		n += len(pc.text)
	}
	out := make([]byte, 0, n)
	rest := printed
	for _, pc := range pieces {
		open := "{\n\t" + pc.marker + "\n"
		if pc.header {
			open = "func " + pc.marker + "() " + open
		}
		at := bytes.Index(rest, []byte(open))
		if at < 0 {
			return nil, false
		}
		after := bytes.TrimPrefix(rest[at+len(open):], []byte("\n"))
		if len(after) == 0 || after[0] != '}' {
			return nil, false
		}
		out = append(append(out, rest[:at]...), pc.text...)
		rest = after[1:]
	}
	return append(out, rest...), true
}

// normalizeNumbers rewrites number literals as go/format's printer mode does: lower-case
// base prefixes and exponents, no leading zeros in integer imaginary literals.
func normalizeNumbers(file *ast.File) {
	ast.Inspect(file, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok {
			lit.Value = normalizedNumber(lit.Kind, lit.Value)
		}
		return true
	})
}

func normalizedNumber(kind token.Token, x string) string {
	if kind != token.INT && kind != token.FLOAT && kind != token.IMAG || len(x) < 2 {
		return x
	}
	switch x[:2] {
	case "0X", "0x":
		if x[1] == 'X' {
			x = "0x" + x[2:]
		}
		if i := strings.LastIndexByte(x, 'P'); i >= 0 { // hexadecimal float
			x = x[:i] + "p" + x[i+1:]
		}
	case "0O":
		x = "0o" + x[2:]
	case "0B":
		x = "0b" + x[2:]
	case "0o", "0b":
	default: // decimal, 0-prefix octal or float, possibly imaginary
		if i := strings.LastIndexByte(x, 'E'); i >= 0 {
			return x[:i] + "e" + x[i+1:]
		}
		if x[len(x)-1] == 'i' && !strings.ContainsAny(x, ".e") {
			if x = strings.TrimLeft(x, "0_"); x == "i" {
				x = "0i"
			}
		}
	}
	return x
}
