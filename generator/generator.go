package generator

import (
	"fmt"
	"go/token"
	"runtime"

	"github.com/gbggen/gbggen/generator/internal/ir"
	"github.com/gbggen/gbggen/generator/schema"
)

// Options says what to generate.
type Options struct {
	// Package is the Go package name of the output.
	Package string
	// Output is the path of the types file (used only to name the
	// returned File; nothing is written).
	Output string
	// Roots are the schemas to generate, each as a named Go type.
	Roots []Root
	// RefMap maps remote $ref URLs (or URL prefixes ending in "/") to
	// local files or directories.
	RefMap map[string]string
	// Journey, when set, adds a second file with the journey helpers.
	Journey *Journey
	// ReadFile reads input files; nil means os.ReadFile.
	ReadFile func(string) ([]byte, error)
	// DefaultDraft applies to schemas without $schema; 0 detects it
	// (see schema.DetectDraft).
	DefaultDraft schema.Draft
}

// Root is one schema to generate.
type Root struct {
	// Name is the Go type name. For a task/list/schema response it
	// prefixes the name of every schema in it.
	Name string
	// Schema is the path of the schema file (JSON or YAML).
	Schema string
	// Data, when set, is used instead of reading Schema.
	Data []byte
}

// File is one generated file.
type File struct {
	Path    string
	Content []byte
}

// Warning is something the generated code does not check, located by
// file and JSON Pointer.
type Warning struct {
	File    string
	Pointer string
	Keyword string
	Message string
}

func (w Warning) String() string {
	return fmt.Sprintf("%s#%s: %s", w.File, w.Pointer, w.Message)
}

// Generate loads the roots and returns the generated files and the
// warnings. Errors name the file and JSON Pointer of the problem.
func Generate(opts Options) (files []File, warnings []Warning, err error) {
	defer func() {
		// Generation must never crash the caller (gbggen check runs it on
		// every schema of a repository); a panic is a bug reported as an
		// error.
		if r := recover(); r != nil {
			files, err = nil, fmt.Errorf("internal error generating %s: %v", opts.Package, r)
		}
	}()
	if err := opts.validate(); err != nil {
		return nil, nil, err
	}
	g := &generation{opts: opts, seen: map[string]bool{}}
	roots, err := g.load()
	if err != nil {
		return nil, g.warnings, err
	}
	src, err := g.render(roots)
	if err != nil {
		return nil, g.warnings, err
	}
	out := opts.Output
	if out == "" {
		out = opts.Package + ".go"
	}
	files = []File{{Path: out, Content: src}}
	if opts.Journey != nil {
		f, err := g.journeyFile(out, roots)
		if err != nil {
			return nil, g.warnings, err
		}
		files = append(files, f)
	}
	return files, g.warnings, nil
}

// validate checks the names the options give the output, so that a name Go does not
// accept is a usage error naming it rather than source that fails to compile or format.
func (o Options) validate() error {
	if err := checkIdent("package name", o.Package); err != nil {
		return err
	}
	for _, r := range o.Roots {
		if r.Name == "" {
			continue
		}
		if err := checkIdent("type name", r.Name); err != nil {
			return err
		}
	}
	if j := o.Journey; j != nil {
		if err := checkIdent("journey name", j.Name); err != nil {
			return err
		}
	}
	return nil
}

// checkIdent reports why name cannot be a Go identifier of the output, or nil.
func checkIdent(what, name string) error {
	var why string
	switch {
	case name == "":
		why = "empty"
	case token.Lookup(name).IsKeyword():
		why = name + " is a Go keyword"
	case name == "_":
		why = "the blank identifier names nothing"
	case !token.IsIdentifier(name):
		why = "not a Go identifier (a letter or _, then letters, digits or _)"
	default:
		return nil
	}
	return fmt.Errorf("invalid %s %q: %s", what, name, why)
}

type generation struct {
	opts     Options
	warnings []Warning
	seen     map[string]bool
	pkg      *ir.Package
}

func (g *generation) warn(s *schema.Schema, keyword, msg string) {
	key := s.File + "#" + s.Pointer + "|" + keyword + "|" + msg
	if g.seen[key] {
		return
	}
	g.seen[key] = true
	g.warnings = append(g.warnings, Warning{File: s.File, Pointer: s.Pointer, Keyword: keyword, Message: msg})
}

// render builds the IR for all roots and emits the types file, gofmt'ed. Declarations go
// to the chunker as they are emitted, so formatting overlaps emission.
func (g *generation) render(roots []loadedRoot) ([]byte, error) {
	c := newChunker(g.opts.Package, runtime.GOMAXPROCS(0), chunkDecls)
	g.emit(roots, c.add)
	src, err := c.finish() // on failure, the error quotes the lines and keeps the source
	if err != nil {
		return nil, fmt.Errorf("internal error formatting the generated Go: %v", err)
	}
	return src, nil
}

// decls builds the IR for all roots and returns the declarations of the types file, in
// order.
func (g *generation) decls(roots []loadedRoot) []decl {
	var out []decl
	g.emit(roots, func(ds []decl) { out = append(out, ds...) })
	return out
}

// emit builds the IR for all roots and passes the declarations of the types file to sink,
// in order, a type (or a group of helpers) at a time. Earlier declarations are not touched
// again once passed on.
func (g *generation) emit(roots []loadedRoot, sink func([]decl)) {
	var reserved []string
	if g.opts.Journey != nil {
		reserved = journeyIdents(g.opts.Journey)
	}
	g.pkg = build(roots, reserved, g.warn)
	e := &emitter{pkg: g.pkg}
	for _, t := range g.pkg.Types {
		sink(spaced(attachDocs(e.emitType(t))))
	}
	sink(spaced(attachDocs(append(e.emitChecks(), e.emitEvals()...))))
	sink(attachDocs(e.emitVars()))
}
