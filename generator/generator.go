// Package generator turns JSON Schemas (journey schemas, task schemas,
// any draft-04…2020-12 schema) into Go types with constructors, Validate
// methods and exact JSON encoding, ready to compile.
//
// The pipeline is load (package schema) → IR (named types from one global
// naming pass, identical shapes merged) → emit (jennifer). Generate is
// pure: it returns file contents and never writes; WriteFiles writes them
// atomically.
package generator

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"unicode"

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
	if opts.Package == "" || !isIdent(opts.Package) {
		return nil, nil, fmt.Errorf("bad package name %q", opts.Package)
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

func isIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

type generation struct {
	opts     Options
	warnings []Warning
	seen     map[string]bool
	types    []*Type
}

type loadedRoot struct {
	name   string
	schema *schema.Schema
	typ    *Type
	file   string
}

func (g *generation) warn(s *schema.Schema, keyword, msg string) {
	key := s.File + "#" + s.Pointer + "|" + keyword + "|" + msg
	if g.seen[key] {
		return
	}
	g.seen[key] = true
	g.warnings = append(g.warnings, Warning{File: s.File, Pointer: s.Pointer, Keyword: keyword, Message: msg})
}

func (g *generation) load() ([]loadedRoot, error) {
	if len(g.opts.Roots) == 0 {
		return nil, errors.New("no schema to generate")
	}
	l := schema.NewLoader(schema.Options{RefMap: g.opts.RefMap, ReadFile: g.opts.ReadFile, DefaultDraft: g.opts.DefaultDraft})
	var out []loadedRoot
	for _, r := range g.opts.Roots {
		var s *schema.Schema
		var err error
		if r.Data != nil {
			s, err = l.LoadBytes(r.Schema, r.Data)
		} else {
			s, err = l.LoadFile(r.Schema)
		}
		if err != nil {
			return nil, err
		}
		more, err := expandTaskList(l, s, r)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}

// expandTaskList recognises a task/list/schema response ({"tasks": [...],
// "schemas": {...}}): every schema under "schemas" becomes a root.
func expandTaskList(l *schema.Loader, s *schema.Schema, r Root) ([]loadedRoot, error) {
	obj, ok := s.Raw.(*schema.Object)
	name := r.Name
	if name == "" {
		name = goName(strings.TrimSuffix(filepath.Base(r.Schema), filepath.Ext(r.Schema)))
	}
	if !ok || obj.Values["schemas"] == nil || obj.Values["tasks"] == nil {
		return []loadedRoot{{name: name, schema: s, file: r.Schema}}, nil
	}
	schemas, ok := obj.Values["schemas"].(*schema.Object)
	if !ok {
		return nil, &schema.Error{File: r.Schema, Pointer: "/schemas", Msg: "must be an object"}
	}
	var out []loadedRoot
	for _, k := range schemas.Keys {
		sub, err := l.Node(s, "/schemas/"+schema.EscapeToken(k))
		if err != nil {
			return nil, err
		}
		out = append(out, loadedRoot{name: r.Name + goName(k), schema: sub, file: r.Schema})
	}
	return out, nil
}

// render builds the IR for all roots and emits the types file, gofmt'ed. Declarations go
// to the chunker as they are emitted, so formatting overlaps emission.
func (g *generation) render(roots []loadedRoot) ([]byte, error) {
	c := newChunker(g.opts.Package, runtime.GOMAXPROCS(0), chunkDecls)
	g.emit(roots, c.add)
	src, err := c.finish()
	if err != nil {
		return nil, fmt.Errorf("internal error rendering Go: %v", err)
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
	b := newBuilder(g.warn)
	for i := range roots {
		roots[i].typ = b.root(roots[i].schema, roots[i].name)
		walkWarnings(roots[i].schema, g.warn, map[*schema.Schema]bool{})
	}
	// Root names are fixed; everything else is named around them and around the
	// identifiers of the journey helpers.
	reserved := map[string]bool{}
	if g.opts.Journey != nil {
		for _, id := range journeyIdents(g.opts.Journey) {
			reserved[id] = true
		}
	}
	assignNames(b.types, reserved)
	finishNames(b.types)
	g.types = b.types
	v := newVars(g.warn)
	e := &emitter{v: v, dyn: b.dyn}
	b.dyn.vars = v
	for _, t := range b.types {
		sink(spaced(attachDocs(e.emitType(t))))
	}
	b.dyn.generate(v)
	sink(spaced(attachDocs(b.dyn.funcs)))
	sink(attachDocs(v.decls))
}

// walkWarnings reports keywords that were dropped while loading.
func walkWarnings(s *schema.Schema, warn func(*schema.Schema, string, string), seen map[*schema.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	for _, k := range s.Ignored {
		warn(s, k, fmt.Sprintf("%s is not a keyword of %s here and is ignored", k, s.Draft))
	}
	for _, c := range children(s) {
		walkWarnings(c, warn, seen)
	}
}

func children(s *schema.Schema) []*schema.Schema {
	var out []*schema.Schema
	add := func(list ...*schema.Schema) {
		for _, c := range list {
			if c != nil {
				out = append(out, c)
			}
		}
	}
	add(s.Ref, s.AdditionalProperties, s.PropertyNames, s.Items, s.Contains, s.Not, s.If, s.Then, s.Else,
		s.UnevaluatedItems, s.UnevaluatedProperties)
	add(s.PrefixItems...)
	add(s.AllOf...)
	add(s.AnyOf...)
	add(s.OneOf...)
	for _, list := range [][]schema.Named{s.Properties, s.PatternProperties, s.DependentSchemas} {
		for _, n := range list {
			add(n.Schema)
		}
	}
	return out
}

// finishNames names what depends on type names: fields, enum constants,
// sum alternatives and the AdditionalProperties field.
func finishNames(types []*Type) {
	consts := map[string]bool{}
	for _, t := range types {
		consts[t.Name] = true
		consts["New"+t.Name] = true
	}
	for _, t := range types {
		switch t.Kind {
		case KindStruct:
			nameFields(t)
		case KindEnum:
			for _, v := range t.Values {
				n := uniqueName(t.Name+goName(v), consts)
				t.constNames = append(t.constNames, n)
			}
		case KindSum:
			// Alternatives are fields: they must not meet the generated methods.
			used := map[string]bool{"Validate": true, "MarshalJSON": true, "UnmarshalJSON": true}
			for _, br := range t.Branches {
				br.Name = uniqueName(trimOwner(branchName(br.Ref), t.Name), used)
			}
		}
	}
}

func uniqueName(base string, used map[string]bool) string {
	n := base
	for i := 2; used[n]; i++ {
		n = fmt.Sprintf("%s%d", base, i)
	}
	used[n] = true
	return n
}

// trimOwner drops the sum's own name from the front of an alternative's: Level.String, not
// Level.LevelString.
func trimOwner(name, owner string) string {
	rest, ok := strings.CutPrefix(name, owner)
	if !ok || rest == "" || !unicode.IsUpper([]rune(rest)[0]) {
		return name
	}
	return rest
}

func branchName(r *Ref) string {
	switch {
	case r.Named != nil:
		return r.Named.Name
	case r.Slice != nil:
		return "Array"
	case r.Map != nil:
		return "Map"
	}
	return map[string]string{"string": "String", "int64": "Int", "float64": "Number", "bool": "Bool"}[r.Builtin]
}

// nameFields gives struct fields distinct exported names that do not
// collide with the generated methods.
func nameFields(t *Type) {
	used := map[string]bool{"Validate": true, "MarshalJSON": true, "UnmarshalJSON": true}
	// Names that differ only by case would be confusing; they still get
	// distinct identifiers through the numeric suffix.
	for _, f := range t.Fields {
		n := goName(f.JSON)
		if used[n] {
			n += "_"
		}
		f.Name = uniqueName(n, used)
	}
	if t.Extra != nil {
		t.extraName = uniqueName("AdditionalProperties", used)
	}
}
