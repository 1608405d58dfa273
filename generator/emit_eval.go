package generator

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/internal/ir"
	"github.com/gbggen/gbggen/generator/schema"
)

// Support for unevaluatedProperties and unevaluatedItems. A member or
// item is "evaluated" when a keyword of the schema, or of a subschema
// applied in place ($ref, allOf, the matching anyOf/oneOf alternatives,
// if/then/else, dependentSchemas) that validates, looked at it. For each
// schema the generator emits evalPropsX / evalItemsX that mark what the
// schema evaluates. Subschemas applied unconditionally (allOf, $ref) are
// marked whether or not they validate: if one fails, the whole value
// fails anyway, so the marks cannot change the verdict.

// emitEvals declares every evaluation function of the package.
func (e *emitter) emitEvals() []jen.Code {
	var out []jen.Code
	for _, f := range e.pkg.Evals {
		seen := jen.Id("seen").Map(jen.String()).Bool()
		if f.Items {
			seen = jen.Id("seen").Index().Bool()
		}
		out = append(out,
			comment(fmt.Sprintf("%s marks what %s evaluates.", f.Name, f.Where)),
			jen.Func().Id(f.Name).Params(jen.Id("v").Any(), seen).Block(e.evalBody(f)...))
	}
	return out
}

// evalName is the name of the evaluation function of k.
func (e *emitter) evalName(k ir.EvalKey) string { return e.pkg.Eval(k).Name }

func (e *emitter) evalBody(f *ir.Eval) []jen.Code {
	s := f.Schema
	if s.Bool != nil {
		return nil
	}
	var out []jen.Code
	if !f.Items {
		out = append(out, e.evalOwnProps(s, f.Self)...)
	} else {
		out = append(out, e.evalOwnItems(s, f.Self)...)
	}
	call := func(sub *schema.Schema) jen.Code {
		return jen.Id(e.evalName(ir.EvalKey{Items: f.Items, Self: true, Schema: sub})).Call(jen.Id("v"), jen.Id("seen"))
	}
	if s.Ref != nil {
		out = append(out, call(s.Ref))
	}
	for _, a := range s.AllOf {
		out = append(out, call(a))
	}
	for _, a := range append(append([]*schema.Schema{}, s.AnyOf...), s.OneOf...) {
		out = append(out, jen.If(jen.Qual(rt, "Matches").Call(jen.Id("v"), jen.Id(e.check(a)))).Block(call(a)))
	}
	if s.If != nil {
		then := []jen.Code{call(s.If)}
		if s.Then != nil {
			then = append(then, call(s.Then))
		}
		cond := jen.If(jen.Qual(rt, "Matches").Call(jen.Id("v"), jen.Id(e.check(s.If)))).Block(then...)
		if s.Else != nil {
			cond = cond.Else().Block(call(s.Else))
		}
		out = append(out, cond)
	}
	if !f.Items {
		for _, d := range s.DependentSchemas {
			out = append(out, jen.If(jen.Id("x").Op(",").Id("ok").Op(":=").Id("v").Assert(jen.Map(jen.String()).Any()), jen.Id("ok")).Block(
				jen.If(jen.List(jen.Id("_"), jen.Id("has")).Op(":=").Id("x").Index(jen.Lit(d.Name)), jen.Id("has")).Block(call(d.Schema))))
		}
	}
	return out
}

func (e *emitter) evalOwnProps(s *schema.Schema, self bool) []jen.Code {
	all := s.AdditionalProperties != nil || (self && s.UnevaluatedProperties != nil)
	var body []jen.Code
	if all {
		body = append(body, jen.For(jen.Id("k").Op(":=").Range().Id("x")).Block(jen.Id("seen").Index(jen.Id("k")).Op("=").True()))
	} else {
		for _, p := range s.Properties {
			body = append(body, jen.If(jen.List(jen.Id("_"), jen.Id("has")).Op(":=").Id("x").Index(jen.Lit(p.Name)), jen.Id("has")).Block(
				jen.Id("seen").Index(jen.Lit(p.Name)).Op("=").True()))
		}
		var conds []jen.Code
		for _, pp := range s.PatternProperties {
			if m := e.pattern(pp.Name); m != nil {
				conds = append(conds, jen.If(m(jen.Id("k"))).Block(jen.Id("seen").Index(jen.Id("k")).Op("=").True()))
			}
		}
		if len(conds) > 0 {
			body = append(body, jen.For(jen.Id("k").Op(":=").Range().Id("x")).Block(conds...))
		}
	}
	if len(body) == 0 {
		return nil
	}
	return []jen.Code{jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.Map(jen.String()).Any()), jen.Id("ok")).Block(body...)}
}

func (e *emitter) evalOwnItems(s *schema.Schema, self bool) []jen.Code {
	var body []jen.Code
	if s.Items != nil || (self && s.UnevaluatedItems != nil) {
		body = append(body, jen.For(jen.Id("i").Op(":=").Range().Id("x")).Block(jen.Id("seen").Index(jen.Id("i")).Op("=").True()))
	} else if n := len(s.PrefixItems); n > 0 {
		body = append(body, jen.For(jen.Id("i").Op(":=").Range().Id("x")).Block(
			jen.If(jen.Id("i").Op("<").Lit(n)).Block(jen.Id("seen").Index(jen.Id("i")).Op("=").True())))
	}
	if s.Contains != nil && s.Draft >= schema.Draft2020 {
		body = append(body, jen.For(jen.List(jen.Id("i"), jen.Id("e")).Op(":=").Range().Id("x")).Block(
			jen.If(jen.Qual(rt, "Matches").Call(jen.Id("e"), jen.Id(e.check(s.Contains)))).Block(jen.Id("seen").Index(jen.Id("i")).Op("=").True())))
	}
	if len(body) == 0 {
		return nil
	}
	return []jen.Code{jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.Index().Any()), jen.Id("ok")).Block(body...)}
}

// unevaluatedChecks applies unevaluatedProperties / unevaluatedItems to
// the members and items no other keyword evaluated.
func (e *emitter) unevaluatedChecks(s *schema.Schema) []jen.Code {
	var out []jen.Code
	if u := s.UnevaluatedProperties; u != nil && !u.IsTrue() {
		var miss jen.Code = addErr(jen.Op("&").Id("c"), "unevaluatedProperties", "is not allowed")
		if !u.IsFalse() {
			miss = e.call(u, jen.Id("x").Index(jen.Id("k")), jen.Op("&").Id("c"))
		}
		out = append(out, jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.Map(jen.String()).Any()), jen.Id("ok")).Block(
			jen.Id("seen").Op(":=").Map(jen.String()).Bool().Values(),
			jen.Id(e.evalName(ir.EvalKey{Schema: s})).Call(jen.Id("v"), jen.Id("seen")),
			jen.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Qual(rt, "SortedKeys").Call(jen.Id("x"))).Block(
				jen.If(jen.Op("!").Id("seen").Index(jen.Id("k"))).Block(
					jen.Id("c").Op(":=").Id("p").Dot("Key").Call(jen.Id("k")), miss))))
	}
	if u := s.UnevaluatedItems; u != nil && !u.IsTrue() {
		var miss jen.Code = addErr(jen.Op("&").Id("c"), "unevaluatedItems", "is not allowed")
		if !u.IsFalse() {
			miss = e.call(u, jen.Id("x").Index(jen.Id("i")), jen.Op("&").Id("c"))
		}
		out = append(out, jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.Index().Any()), jen.Id("ok")).Block(
			jen.Id("seen").Op(":=").Make(jen.Index().Bool(), jen.Len(jen.Id("x"))),
			jen.Id(e.evalName(ir.EvalKey{Items: true, Schema: s})).Call(jen.Id("v"), jen.Id("seen")),
			jen.For(jen.Id("i").Op(":=").Range().Id("x")).Block(
				jen.If(jen.Op("!").Id("seen").Index(jen.Id("i"))).Block(
					jen.Id("c").Op(":=").Id("p").Dot("Index").Call(jen.Id("i")), miss))))
	}
	return out
}
