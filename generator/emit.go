package generator

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/internal/ir"
)

// emitter writes the Go declarations of named types. One small emitter
// method per kind; the value-level helpers (checks, encoding, decoding of
// a Ref) are shared by all of them.
type emitter struct {
	pkg *ir.Package
	n   int // counter for fresh variable names, restarted for each member's statements
}

// path is a *validate.Path in generated code: either the parameter p or
// the address of a local child path.
type path struct {
	ptr  jen.Code // expression of type *validate.Path
	recv string   // variable to call Key/Index on
}

var rootPath = path{ptr: jen.Id("p"), recv: "p"}

func (e *emitter) fresh(prefix string) string {
	e.n++
	return fmt.Sprintf("%s%d", prefix, e.n)
}

// child declares a child path variable and returns it.
func (e *emitter) child(parent path, method string, arg jen.Code) (jen.Code, path) {
	name := e.fresh("c")
	return jen.Id(name).Op(":=").Id(parent.recv).Dot(method).Call(arg), path{ptr: jen.Op("&").Id(name), recv: name}
}

func goType(r *ir.Ref) jen.Code {
	switch {
	case r.Named != nil:
		return jen.Id(r.Named.Name)
	case r.Slice != nil:
		return jen.Index().Add(goType(r.Slice))
	case r.Map != nil:
		return jen.Map(jen.String()).Add(goType(r.Map))
	case r.Nullable != nil:
		return jen.Qual(rt, "Nullable").Index(goType(r.Nullable))
	case r.Builtin == "json.RawMessage":
		return jen.Qual("encoding/json", "RawMessage")
	}
	return jen.Id(r.Builtin)
}

// member is the value of v's member name, which holds r: a pointer member is dereferenced,
// except a pointer to a named type, whose methods take it as it is, and is put in
// parentheses where an index, selector or method call may follow (all but a scalar).
func member(name string, r *ir.Ref, ptr bool) *jen.Statement {
	x := jen.Id("v").Dot(name)
	switch {
	case !ptr || r.Named != nil:
		return x
	case r.Builtin != "" && r.Builtin != "json.RawMessage":
		return jen.Op("*").Add(x)
	}
	return jen.Parens(jen.Op("*").Add(x))
}

// encode is a call of method of the validate.Encoder w that appendJSON methods write to.
func encode(method string, args ...jen.Code) *jen.Statement {
	return jen.Id("w").Dot(method).Call(args...)
}

func clone(x jen.Code) *jen.Statement { return x.(*jen.Statement).Clone() }

// checks returns the statements validating the addressable expression x
// of type r at path p (nil when nothing needs checking).
func (e *emitter) checks(r *ir.Ref, x jen.Code, p path) []jen.Code {
	switch {
	case r.Named != nil:
		if r.Named.Kind == ir.KindNamed && r.Named.Under.Named == nil && len(e.checks(r.Named.Under, jen.Id("_x"), p)) == 0 {
			return nil
		}
		return []jen.Code{clone(x).Dot("validateInto").Call(p.ptr, jen.Id("errs"))}
	case r.Slice != nil:
		return e.sliceChecks(r, x, p)
	case r.Map != nil:
		return e.mapChecks(r, x, p)
	case r.Nullable != nil:
		inner := e.checks(r.Nullable, clone(x).Dot("Value"), p)
		if len(inner) == 0 {
			return nil
		}
		return []jen.Code{jen.If(jen.Op("!").Add(clone(x)).Dot("Null")).Block(inner...)}
	case r.Schema == nil:
		return nil
	}
	switch r.Builtin {
	case "string":
		if r.Schema.HasEnum {
			return enumChecks(x, p.ptr, r)
		}
		return e.stringChecks(x, p.ptr, r.Schema)
	case "int64", "float64":
		return typedNumberChecks(x, r.Builtin == "int64", p.ptr, r.Schema)
	}
	return nil
}

func (e *emitter) sliceChecks(r *ir.Ref, x jen.Code, p path) []jen.Code {
	var out []jen.Code
	if s := r.Schema; s != nil {
		if s.MinItems != nil && *s.MinItems > 0 {
			out = append(out, jen.If(jen.Len(x).Op("<").Lit(*s.MinItems)).Block(
				addErr(p.ptr, "minItems", fmt.Sprintf("must have at least %d items", *s.MinItems))))
		}
		if s.MaxItems != nil {
			out = append(out, jen.If(jen.Len(x).Op(">").Lit(*s.MaxItems)).Block(
				addErr(p.ptr, "maxItems", fmt.Sprintf("must have at most %d items", *s.MaxItems))))
		}
		if s.UniqueItems {
			out = append(out, jen.If(jen.Op("!").Qual(rt, "UniqueComparable").Call(x)).Block(
				addErr(p.ptr, "uniqueItems", "items must be unique")))
		}
	}
	i := e.fresh("i")
	decl, cp := e.child(p, "Index", jen.Id(i))
	inner := e.checks(r.Slice, clone(x).Index(jen.Id(i)), cp)
	if len(inner) > 0 {
		out = append(out, jen.For(jen.Id(i).Op(":=").Range().Add(x)).Block(append([]jen.Code{decl}, inner...)...))
	}
	return out
}

func (e *emitter) mapChecks(r *ir.Ref, x jen.Code, p path) []jen.Code {
	k, el := e.fresh("k"), e.fresh("e")
	decl, cp := e.child(p, "Key", jen.Id(k))
	inner := e.checks(r.Map, jen.Id(el), cp)
	if len(inner) == 0 {
		return nil
	}
	body := append([]jen.Code{jen.Id(el).Op(":=").Add(clone(x)).Index(jen.Id(k)), decl}, inner...)
	return []jen.Code{jen.For(jen.List(jen.Id("_"), jen.Id(k)).Op(":=").Range().Qual(rt, "SortedKeys").Call(x)).Block(body...)}
}

// appendValue returns statements writing the JSON of x (type r) to the encoder w.
func (e *emitter) appendValue(r *ir.Ref, x jen.Code) []jen.Code {
	switch {
	case r.Named != nil:
		return []jen.Code{clone(x).Dot("appendJSON").Call(jen.Id("w"))}
	case r.Slice != nil && r.Slice.Builtin == "string":
		return []jen.Code{encode("Strings", x)}
	case r.Slice != nil:
		// By index: a range value would copy each element.
		i := e.fresh("i")
		body := append([]jen.Code{encode("Elem")}, e.appendValue(r.Slice, clone(x).Index(jen.Id(i)))...)
		return []jen.Code{
			encode("Byte", jen.LitRune('[')),
			jen.For(jen.Id(i).Op(":=").Range().Add(x)).Block(body...),
			encode("Byte", jen.LitRune(']')),
		}
	case r.Map != nil:
		// The element is copied out: map elements are not addressable, and appendJSON
		// takes a pointer.
		k, el := e.fresh("k"), e.fresh("e")
		body := append([]jen.Code{encode("MemberKey", jen.Id(k)), jen.Id(el).Op(":=").Add(clone(x)).Index(jen.Id(k))},
			e.appendValue(r.Map, jen.Id(el))...)
		return []jen.Code{
			encode("Byte", jen.LitRune('{')),
			jen.For(jen.List(jen.Id("_"), jen.Id(k)).Op(":=").Range().Qual(rt, "SortedKeys").Call(x)).Block(body...),
			encode("Byte", jen.LitRune('}')),
		}
	case r.Nullable != nil:
		return []jen.Code{jen.If(clone(x).Dot("Null")).Block(encode("Null")).
			Else().Block(e.appendValue(r.Nullable, clone(x).Dot("Value"))...)}
	}
	method := map[string]string{"string": "String", "int64": "Int", "bool": "Bool", "float64": "Float"}[r.Builtin]
	if method == "" {
		method = "Raw"
	}
	return []jen.Code{encode(method, x)}
}

// docLine is one line of a doc comment. attachDocs joins a run of them to the declaration
// that follows, so the comment documents it instead of floating a blank line above it.
type docLine struct{ *jen.Statement }

func doc(text string) jen.Code { return docLine{comment(text)} }

// comment is a // comment holding text, which may come from a schema.
func comment(text string) *jen.Statement { return jen.Comment(commentText(text)) }

// commentText makes s safe in a // comment: Go source may not hold a NUL or a byte order
// mark, and a line break would end the comment (jennifer would switch to a /* */ comment,
// which a "*/" in s would break). Such characters are written as \uXXXX.
func commentText(s string) string {
	if !strings.ContainsFunc(s, unsafeInComment) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeInComment(r) {
			fmt.Fprintf(&b, `\u%04X`, r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unsafeInComment(r rune) bool { return r != '\t' && unicode.IsControl(r) || r == '\uFEFF' }

// decl is a top-level declaration with its doc comment attached.
type decl struct {
	code jen.Code
	// documented is set when a doc comment precedes the declaration. gofmt puts exactly
	// one blank line before such a declaration, whatever precedes it, so the file can be
	// formatted in pieces split there (see format.go).
	documented bool
	// spaced asks for an empty line after the declaration.
	spaced bool
}

// spaced returns decls, each followed by an empty line.
func spaced(decls []decl) []decl {
	for i := range decls {
		decls[i].spaced = true
	}
	return decls
}

// attachDocs returns decls with every run of docLines merged into the declaration after it.
func attachDocs(decls []jen.Code) []decl {
	var out []decl
	var pending *jen.Statement
	for _, d := range decls {
		if line, ok := d.(docLine); ok {
			if pending == nil {
				pending = jen.Add(line.Statement)
			} else {
				pending = pending.Line().Add(line.Statement)
			}
			continue
		}
		documented := pending != nil
		if documented {
			d = pending.Line().Add(d)
			pending = nil
		}
		out = append(out, decl{code: d, documented: documented})
	}
	if pending != nil {
		out = append(out, decl{code: pending})
	}
	return out
}

// maxDocPointer bounds the JSON Pointer quoted in a doc comment.
const maxDocPointer = 80

// docPointer is the JSON Pointer where as quoted in a doc comment.
func docPointer(where string) string {
	if where == "" {
		return "the root"
	}
	if len(where) > maxDocPointer {
		// Keep the tail: in deep schemas full pointers would make the output grow with the
		// square of the depth.
		cut := strings.Index(where[len(where)-maxDocPointer:], "/")
		where = "…" + where[len(where)-maxDocPointer+max(cut, 0):]
	}
	return where
}

// typeDoc is the comment above a type: where it came from, then its
// description (or title).
func typeDoc(t *ir.Type) []jen.Code {
	desc := strings.TrimSpace(t.Schema.Description)
	if desc == "" {
		desc = strings.TrimSpace(t.Schema.Title)
	}
	out := []jen.Code{doc(fmt.Sprintf("%s is generated from %s.", t.Name, docPointer(t.Where)))}
	return append(out, descDoc(desc)...)
}

// descDoc is a paragraph of doc comment holding a schema's description (nothing for none),
// to follow a first line.
func descDoc(desc string) []jen.Code {
	if desc == "" {
		return nil
	}
	out := []jen.Code{doc("")}
	for _, line := range strings.Split(desc, "\n") {
		out = append(out, doc(strings.TrimRight(line, " \t\r")))
	}
	return out
}

// common emits Validate and MarshalJSON, shared by every kind.
func common(t *ir.Type) []jen.Code {
	return []jen.Code{
		doc("Validate checks every constraint of the schema and returns all violations"),
		doc("as validate.Errors, or nil."),
		jen.Func().Params(jen.Id("v").Id(t.Name)).Id("Validate").Params().Error().Block(
			jen.Var().Id("errs").Qual(rt, "Errors"),
			jen.Id("v").Dot("validateInto").Call(jen.Nil(), jen.Op("&").Id("errs")),
			jen.Return(jen.Id("errs").Dot("Err").Call()),
		),
		doc("MarshalJSON encodes the value, omitting unset optional members."),
		jen.Func().Params(jen.Id("v").Id(t.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
			jen.Var().Id("w").Qual(rt, "Encoder"),
			jen.Id("v").Dot("appendJSON").Call(jen.Op("&").Id("w")),
			jen.Return(encode("Bytes")),
		),
	}
}

func (e *emitter) method(t *ir.Type, name string, params, results []jen.Code, body []jen.Code) jen.Code {
	return jen.Func().Params(jen.Id("v").Op("*").Id(t.Name)).Id(name).Params(params...).Params(results...).Block(body...)
}

func validateParams() []jen.Code {
	return []jen.Code{jen.Id("p").Op("*").Qual(rt, "Path"), jen.Id("errs").Op("*").Qual(rt, "Errors")}
}

// appendMethod declares appendJSON, which writes the value's JSON to w. Its receiver is a
// pointer, so that the compiler builds no pointer wrapper of it for every type.
func (e *emitter) appendMethod(t *ir.Type, body []jen.Code) jen.Code {
	return jen.Func().Params(jen.Id("v").Op("*").Id(t.Name)).Id("appendJSON").Params(jen.Id("w").Op("*").Qual(rt, "Encoder")).Block(body...)
}

func (e *emitter) emitType(t *ir.Type) []jen.Code {
	// Fresh names restart per type, so a change to one type does not
	// renumber the variables of every type after it.
	e.n = 0
	switch t.Kind {
	case ir.KindStruct:
		return e.emitStruct(t)
	case ir.KindEnum:
		return e.emitEnum(t)
	case ir.KindNamed:
		return e.emitNamed(t)
	case ir.KindSum:
		return e.emitSum(t)
	}
	return e.emitDynamic(t)
}
