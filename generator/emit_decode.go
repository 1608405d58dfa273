package generator

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/internal/ir"
)

// Decoding. Every named type gets UnmarshalJSON, which runs a validate.Decoder over the
// document, and decodeJSON, which reads the type's value from a Decoder: a member of a named
// type is decoded by calling its decodeJSON, so one pass over the bytes decodes the whole
// document. The statements are plain loops and calls of the Decoder, with no closures and no
// generic instantiation per type: each would be one more function for the compiler to build
// in every consumer's package (see the package doc, on compile time).

// decodeCall is a call of the Decoder's method.
func decodeCall(method string, args ...jen.Code) *jen.Statement {
	return jen.Id("d").Dot(method).Call(args...)
}

// unmarshalMethods returns UnmarshalJSON, with its doc comment, and decodeJSON with body.
func (e *emitter) unmarshalMethods(t *ir.Type, docText string, body []jen.Code) []jen.Code {
	var out []jen.Code
	for _, line := range strings.Split(docText, "\n") {
		out = append(out, doc(line))
	}
	return append(out,
		e.method(t, "UnmarshalJSON", []jen.Code{jen.Id("data").Index().Byte()}, []jen.Code{jen.Error()}, []jen.Code{
			jen.Id("d").Op(":=").Qual(rt, "NewDecoder").Call(jen.Id("data")),
			jen.Id("v").Dot("decodeJSON").Call(jen.Op("&").Id("d")),
			jen.Return(jen.Id("d").Dot("Finish").Call()),
		}),
		e.method(t, "decodeJSON", []jen.Code{jen.Id("d").Op("*").Qual(rt, "Decoder")}, nil, body))
}

var scalarDecoders = map[string]string{"string": "String", "int64": "Int", "float64": "Float", "bool": "Bool",
	"json.RawMessage": "Raw"}

// decodeInto returns statements reading the next value into the addressable expression x
// of type r, strictly: null and other JSON types are errors, except where r is Nullable.
func (e *emitter) decodeInto(r *ir.Ref, x jen.Code) []jen.Code {
	switch {
	case r.Named != nil:
		return []jen.Code{clone(x).Dot("decodeJSON").Call(jen.Id("d"))}
	case r.Slice != nil:
		if r.Slice.Builtin == "string" {
			return []jen.Code{decodeCall("Strings", jen.Op("&").Add(clone(x)))}
		}
		// Each element is appended as its zero value and decoded in place: a local variable
		// decoded first would be copied, and, its address passed on, allocated on the heap.
		n := e.fresh("n")
		body := append([]jen.Code{clone(x).Op("=").Append(clone(x), zeroValue(r.Slice))},
			e.decodeInto(r.Slice, clone(x).Index(jen.Id(n)))...)
		return []jen.Code{
			clone(x).Op("=").Add(goType(r)).Values(),
			jen.For(jen.Id(n).Op(":=").Lit(0), decodeCall("Elem", jen.Id(n)), jen.Id(n).Op("++")).Block(body...),
		}
	case r.Map != nil:
		n, k, el := e.fresh("n"), e.fresh("k"), e.fresh("e")
		body := []jen.Code{
			jen.Id(k).Op(":=").Qual("strings", "Clone").Call(decodeCall("Key")),
			jen.Var().Id(el).Add(goType(r.Map)),
		}
		body = append(body, e.decodeInto(r.Map, jen.Id(el))...)
		body = append(body, clone(x).Index(jen.Id(k)).Op("=").Id(el))
		return []jen.Code{
			clone(x).Op("=").Add(goType(r)).Values(),
			jen.For(jen.Id(n).Op(":=").Lit(0), decodeCall("Member", jen.Id(n)), jen.Id(n).Op("++")).Block(body...),
		}
	case r.Nullable != nil:
		return []jen.Code{
			clone(x).Op("=").Add(goType(r)).Values(jen.Dict{jen.Id("Null"): decodeCall("Null")}),
			jen.If(jen.Op("!").Add(clone(x)).Dot("Null")).Block(e.decodeInto(r.Nullable, clone(x).Dot("Value"))...),
		}
	}
	return []jen.Code{decodeCall(scalarDecoders[r.Builtin], jen.Op("&").Add(clone(x)))}
}

// zeroValue is the zero value of r's Go type, as a literal.
func zeroValue(r *ir.Ref) jen.Code {
	switch {
	case r.Named != nil:
		switch t := r.Named; t.Kind {
		case ir.KindEnum:
			return jen.Lit("")
		case ir.KindNamed:
			return zeroValue(t.Under)
		}
		return jen.Id(r.Named.Name).Values()
	case r.Slice != nil, r.Map != nil, r.Builtin == "json.RawMessage":
		return jen.Nil()
	case r.Nullable != nil:
		return jen.Add(goType(r)).Values()
	case r.Builtin == "string":
		return jen.Lit("")
	case r.Builtin == "bool":
		return jen.False()
	}
	return jen.Lit(0)
}

// decodeField returns the statements reading the value of the member f of v.
func (e *emitter) decodeField(f *ir.Field) []jen.Code {
	x := jen.Id("v").Dot(f.Name)
	if !f.Ptr {
		return e.decodeInto(f.Ref, x)
	}
	switch m := scalarDecoders[f.Ref.Builtin]; {
	case f.Ref.Named != nil:
		return []jen.Code{x.Clone().Op("=").New(goType(f.Ref)), x.Clone().Dot("decodeJSON").Call(jen.Id("d"))}
	case m != "" && m != "Raw":
		return []jen.Code{decodeCall(m+"Ptr", jen.Op("&").Add(x))}
	}
	return append([]jen.Code{x.Clone().Op("=").New(goType(f.Ref))}, e.decodeInto(f.Ref, jen.Parens(jen.Op("*").Add(x.Clone())))...)
}

// structDecode returns UnmarshalJSON and decodeJSON of a struct: a loop over the object's
// members, each matched by its exact name, recording which required members came (in
// missing, whose bits are then flipped to mean absent) and what Validate must reject.
func (e *emitter) structDecode(t *ir.Type) []jen.Code {
	var keys, consts, cases []jen.Code
	for _, f := range t.Fields {
		e.n = 0
		keys = append(keys, jen.Lit(f.JSON))
		// iota on every line, not only the first: a member added first changes no other line.
		consts = append(consts, jen.Id(f.Index).Op("=").Iota())
		var body []jen.Code
		if f.Required {
			body = append(body, jen.Id("v").Dot("missing").Index(jen.Lit(f.Bit/64)).Op("|=").Lit(uint64(1)<<(f.Bit%64)))
		}
		body = append(body, e.decodeField(f)...)
		cases = append(cases, jen.Case(jen.Id(f.Index)).Block(body...))
	}
	e.n = 0
	extra := e.decodeExtra(t)
	var loop jen.Code
	if len(cases) == 0 {
		loop = jen.For(jen.Id("n").Op(":=").Lit(0), decodeCall("Member", jen.Id("n")), jen.Id("n").Op("++")).Block(extra...)
	} else {
		cases = append(cases, jen.Default().Block(extra...))
		table := jen.Op("&").Id(t.Members)
		// One call per member reads its name and looks it up (m is the member's number).
		loop = jen.For(jen.Id("m").Op(":=").Add(decodeCall("FirstMember", table)), jen.Id("m").Op("!=").Qual(rt, "End"),
			jen.Id("m").Op("=").Add(decodeCall("NextMember", clone(table)))).Block(jen.Switch(jen.Id("m")).Block(cases...))
	}
	body := []jen.Code{jen.Op("*").Id("v").Op("=").Id(t.Name).Values(), loop}
	n := requiredCount(t)
	for w := 0; w < (n+63)/64; w++ {
		mask := ^uint64(0)
		if count := n - w*64; count < 64 {
			mask = uint64(1)<<count - 1
		}
		body = append(body, jen.Id("v").Dot("missing").Index(jen.Lit(w)).Op("^=").Lit(mask))
	}
	var out []jen.Code
	if len(cases) > 0 {
		out = append(out,
			doc(fmt.Sprintf("%s numbers the member names of %s for Decoder.FirstMember; the constants", t.Members, t.Name)),
			doc("after it are the numbers. (A switch on the number is much cheaper to compile than a"),
			doc("switch on the name, and a constant per member keeps the diff of a schema change to"),
			doc("the members changed.)"),
			jen.Var().Id(t.Members).Op("=").Qual(rt, "NewKeys").Custom(
				jen.Options{Open: "(", Close: ")", Separator: ",", Multi: true}, keys...),
			jen.Const().Defs(consts...))
	}
	return append(out, e.unmarshalMethods(t, "UnmarshalJSON decodes a JSON object, matching member names exactly and\n"+
		"recording absent required members and unknown members for Validate.", body)...)
}

// decodeExtra reads a member the struct does not declare.
func (e *emitter) decodeExtra(t *ir.Type) []jen.Code {
	if t.Closed {
		return []jen.Code{jen.Id("v").Dot("unknown").Op("=").Append(jen.Id("v").Dot("unknown"),
			jen.Qual("strings", "Clone").Call(decodeCall("Key"))), decodeCall("Skip")}
	}
	if t.Extra == nil {
		return []jen.Code{decodeCall("Skip")}
	}
	m := jen.Id("v").Dot(t.Extra.Name)
	var elem *ir.Ref
	var goElem jen.Code
	switch t.Extra.Kind {
	case ir.ExtraRaw:
		elem, goElem = &ir.Ref{Builtin: "json.RawMessage"}, jen.Qual("encoding/json", "RawMessage")
	case ir.ExtraTyped:
		elem, goElem = t.Extra.Elem, goType(t.Extra.Elem)
	default:
		goElem = jen.Any()
	}
	out := []jen.Code{
		jen.If(m.Clone().Op("==").Nil()).Block(m.Clone().Op("=").Map(jen.String()).Add(goElem).Values()),
		jen.Id("k").Op(":=").Qual("strings", "Clone").Call(decodeCall("Key")),
		jen.Var().Id("x").Add(goElem),
	}
	if elem != nil {
		out = append(out, e.decodeInto(elem, jen.Id("x"))...)
	} else {
		out = append(out, decodeCall("Any", jen.Op("&").Id("x")))
	}
	return append(out, m.Clone().Index(jen.Id("k")).Op("=").Id("x"))
}

// namedDecode returns the decoding methods of a named type over a scalar, slice or map.
func (e *emitter) namedDecode(t *ir.Type) []jen.Code {
	body := append([]jen.Code{jen.Var().Id("x").Add(goType(t.Under))}, e.decodeInto(t.Under, jen.Id("x"))...)
	body = append(body, jen.Op("*").Id("v").Op("=").Id(t.Name).Call(jen.Id("x")))
	return e.unmarshalMethods(t, "UnmarshalJSON decodes strictly: null and other JSON types are errors.", body)
}

// sumDecode decodes the value into every alternative it fits, each with a Decoder of its own
// over the value's bytes.
func (e *emitter) sumDecode(t *ir.Type) []jen.Code {
	body := []jen.Code{
		jen.Op("*").Id("v").Op("=").Id(t.Name).Values(),
		jen.Id("raw").Op(":=").Add(decodeCall("Value")),
		jen.If(decodeCall("Failed")).Block(jen.Return()),
	}
	var none *jen.Statement
	for i, br := range t.Branches {
		e.n = 0
		block := []jen.Code{
			jen.Id("sub").Op(":=").Qual(rt, "NewDecoder").Call(jen.Id("raw")),
			jen.Id("d").Op(":=").Op("&").Id("sub"),
			jen.Var().Id("x").Add(goType(br.Ref)),
		}
		block = append(block, e.decodeInto(br.Ref, jen.Id("x"))...)
		block = append(block, jen.If(jen.Op("!").Add(decodeCall("Failed"))).Block(jen.Id("v").Dot(br.Name).Op("=").Op("&").Id("x")))
		body = append(body, jen.Block(block...))
		c := jen.Id("v").Dot(br.Name).Op("==").Nil()
		if i == 0 {
			none = c
		} else {
			none = none.Op("&&").Add(c)
		}
	}
	body = append(body, jen.If(none).Block(decodeCall("Fail", jen.Id("raw"), jen.Qual("errors", "New").Call(jen.Lit(
		fmt.Sprintf("value fits none of the alternatives of %s", t.Name))))))
	return e.unmarshalMethods(t, "UnmarshalJSON decodes the document into every alternative it fits.", body)
}
