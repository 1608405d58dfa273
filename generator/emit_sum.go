package generator

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/internal/ir"
)

// emitSum writes a oneOf/anyOf as a struct with one pointer per
// alternative. Decoding fills every alternative the document decodes
// into; Validate counts the alternatives that are set and valid (exactly
// one for oneOf, at least one for anyOf). A value built by hand sets one.
func (e *emitter) emitSum(t *ir.Type) []jen.Code {
	kw := "anyOf"
	if t.OneOf {
		kw = "oneOf"
	}
	out := typeDoc(t)
	out = append(out, doc(fmt.Sprintf("It is a %s: set one alternative.", kw)))
	var fields []jen.Code
	for _, br := range t.Branches {
		fields = append(fields, jen.Id(br.Name).Op("*").Add(goType(br.Ref)).Tag(map[string]string{"json": "-"}))
	}
	out = append(out, jen.Type().Id(t.Name).Struct(fields...))
	out = append(out, common(t)...)
	out = append(out, e.method(t, "validateInto", validateParams(), nil, e.sumChecks(t, kw)))
	out = append(out, e.appendMethod(t, e.sumAppend(t)))
	return append(out, e.sumDecode(t)...)
}

// branchValid emits `{ var e validate.Errors; errs := &e; checks }` and
// then onValid / onInvalid statements inside that block.
func (e *emitter) branchValid(br *ir.Branch, p path, onValid, onInvalid []jen.Code) jen.Code {
	checks := e.checks(br.Ref, member(br.Name, br.Ref, true), p)
	body := []jen.Code{jen.Var().Id("e").Qual(rt, "Errors")}
	if len(checks) > 0 {
		body = append(body, jen.Id("errs").Op(":=").Op("&").Id("e"))
		body = append(body, checks...)
	}
	cond := jen.If(jen.Len(jen.Id("e")).Op("==").Lit(0)).Block(onValid...)
	if len(onInvalid) > 0 {
		cond = cond.Else().Block(onInvalid...)
	}
	body = append(body, cond)
	return jen.If(jen.Id("v").Dot(br.Name).Op("!=").Nil()).Block(body...)
}

// noPath is a nil *validate.Path, for checks whose violations are only
// counted.
var noPath = path{ptr: jen.Nil(), recv: "(*validate.Path)(nil)"}

func (e *emitter) sumChecks(t *ir.Type, kw string) []jen.Code {
	out := []jen.Code{
		jen.Id("set").Op(",").Id("n").Op(":=").Lit(0).Op(",").Lit(0),
		jen.Var().Id("first").Qual(rt, "Errors"),
	}
	for _, br := range t.Branches {
		e.n = 0 // each alternative's statements are a block of their own
		out = append(out, jen.If(jen.Id("v").Dot(br.Name).Op("!=").Nil()).Block(jen.Id("set").Op("++")),
			e.branchValid(br, rootPath, []jen.Code{jen.Id("n").Op("++")},
				[]jen.Code{jen.If(jen.Id("first").Op("==").Nil()).Block(jen.Id("first").Op("=").Id("e"))}))
	}
	out = append(out, jen.Switch().Block(
		jen.Case(jen.Id("set").Op("==").Lit(0)).Block(addErr(jen.Id("p"), kw, "no alternative is set")),
		jen.Case(jen.Id("n").Op("==").Lit(0)).Block(
			addErr(jen.Id("p"), kw, "does not match any of the alternatives"),
			jen.Id("errs").Dot("Merge").Call(jen.Id("first"))),
	))
	if t.OneOf {
		out = append(out, jen.If(jen.Id("n").Op(">").Lit(1)).Block(addErr(jen.Id("p"), kw, "matches more than one alternative")))
	}
	return out
}

// sumAppend encodes the first valid alternative, else the first set one.
func (e *emitter) sumAppend(t *ir.Type) []jen.Code {
	var out []jen.Code
	for _, br := range t.Branches {
		e.n = 0
		out = append(out, e.branchValid(br, noPath, append(e.appendValue(br.Ref, member(br.Name, br.Ref, true)), jen.Return()), nil))
	}
	for _, br := range t.Branches {
		e.n = 0
		out = append(out, jen.If(jen.Id("v").Dot(br.Name).Op("!=").Nil()).Block(
			append(e.appendValue(br.Ref, member(br.Name, br.Ref, true)), jen.Return())...))
	}
	return append(out, encode("Null"))
}
