package generator

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/schema"
)

// Support for unevaluatedProperties and unevaluatedItems. A member or
// item is "evaluated" when a keyword of the schema, or of a subschema
// applied in place ($ref, allOf, the matching anyOf/oneOf alternatives,
// if/then/else, dependentSchemas) that validates, looked at it. For each
// schema the generator emits evalPropsN / evalItemsN that mark what the
// schema evaluates. Subschemas applied unconditionally (allOf, $ref) are
// marked whether or not they validate: if one fails, the whole value
// fails anyway, so the marks cannot change the verdict.

type evalKind int

const (
	evalProps evalKind = iota
	evalItems
)

type evalFunc struct {
	kind evalKind
	s    *schema.Schema
	self bool // include the schema's own unevaluated* keyword
}

// evalName returns the function marking what s evaluates, queueing it.
func (g *dynGen) evalName(kind evalKind, s *schema.Schema, self bool) string {
	s = s.Deref()
	key := fmt.Sprintf("%d:%v:%s", kind, self, canon(s))
	if n, ok := g.evalNames[key]; ok {
		return n
	}
	prefix := "evalProps"
	if kind == evalItems {
		prefix = "evalItems"
	}
	n := fmt.Sprintf("%s%d", prefix, len(g.evalNames)+1)
	g.evalNames[key] = n
	g.evalQueue = append(g.evalQueue, evalFunc{kind: kind, s: s, self: self})
	return n
}

func (g *dynGen) generateEvals() {
	for len(g.evalQueue) > 0 {
		f := g.evalQueue[0]
		g.evalQueue = g.evalQueue[1:]
		name := g.evalNames[fmt.Sprintf("%d:%v:%s", f.kind, f.self, canon(f.s))]
		seen := jen.Id("seen").Map(jen.String()).Bool()
		if f.kind == evalItems {
			seen = jen.Id("seen").Index().Bool()
		}
		g.funcs = append(g.funcs,
			comment(fmt.Sprintf("%s marks what %s evaluates.", name, f.s.Pointer)),
			jen.Func().Id(name).Params(jen.Id("v").Any(), seen).Block(g.evalBody(f)...))
	}
}

func (g *dynGen) evalBody(f evalFunc) []jen.Code {
	s := f.s
	if s.Bool != nil {
		return nil
	}
	var out []jen.Code
	if f.kind == evalProps {
		out = append(out, g.evalOwnProps(s, f.self)...)
	} else {
		out = append(out, g.evalOwnItems(s, f.self)...)
	}
	call := func(sub *schema.Schema) jen.Code {
		return jen.Id(g.evalName(f.kind, sub, true)).Call(jen.Id("v"), jen.Id("seen"))
	}
	if s.Ref != nil {
		out = append(out, call(s.Ref))
	}
	for _, a := range s.AllOf {
		out = append(out, call(a))
	}
	for _, a := range append(append([]*schema.Schema{}, s.AnyOf...), s.OneOf...) {
		out = append(out, jen.If(jen.Qual(rt, "Matches").Call(jen.Id("v"), jen.Id(g.check(a)))).Block(call(a)))
	}
	if s.If != nil {
		then := []jen.Code{call(s.If)}
		if s.Then != nil {
			then = append(then, call(s.Then))
		}
		cond := jen.If(jen.Qual(rt, "Matches").Call(jen.Id("v"), jen.Id(g.check(s.If)))).Block(then...)
		if s.Else != nil {
			cond = cond.Else().Block(call(s.Else))
		}
		out = append(out, cond)
	}
	if f.kind == evalProps {
		for _, d := range s.DependentSchemas {
			out = append(out, jen.If(jen.Id("x").Op(",").Id("ok").Op(":=").Id("v").Assert(jen.Map(jen.String()).Any()), jen.Id("ok")).Block(
				jen.If(jen.List(jen.Id("_"), jen.Id("has")).Op(":=").Id("x").Index(jen.Lit(d.Name)), jen.Id("has")).Block(call(d.Schema))))
		}
	}
	return out
}

func (g *dynGen) evalOwnProps(s *schema.Schema, self bool) []jen.Code {
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
			if m := g.vars.pattern(pp.Schema, "patternProperties", pp.Name); m != nil {
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

func (g *dynGen) evalOwnItems(s *schema.Schema, self bool) []jen.Code {
	var body []jen.Code
	if s.Items != nil || (self && s.UnevaluatedItems != nil) {
		body = append(body, jen.For(jen.Id("i").Op(":=").Range().Id("x")).Block(jen.Id("seen").Index(jen.Id("i")).Op("=").True()))
	} else if n := len(s.PrefixItems); n > 0 {
		body = append(body, jen.For(jen.Id("i").Op(":=").Range().Id("x")).Block(
			jen.If(jen.Id("i").Op("<").Lit(n)).Block(jen.Id("seen").Index(jen.Id("i")).Op("=").True())))
	}
	if s.Contains != nil && s.Draft >= schema.Draft2020 {
		body = append(body, jen.For(jen.List(jen.Id("i"), jen.Id("e")).Op(":=").Range().Id("x")).Block(
			jen.If(jen.Qual(rt, "Matches").Call(jen.Id("e"), jen.Id(g.check(s.Contains)))).Block(jen.Id("seen").Index(jen.Id("i")).Op("=").True())))
	}
	if len(body) == 0 {
		return nil
	}
	return []jen.Code{jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.Index().Any()), jen.Id("ok")).Block(body...)}
}

// unevaluatedChecks applies unevaluatedProperties / unevaluatedItems to
// the members and items no other keyword evaluated.
func (g *dynGen) unevaluatedChecks(s *schema.Schema) []jen.Code {
	var out []jen.Code
	if u := s.UnevaluatedProperties; u != nil && !u.IsTrue() {
		var miss jen.Code = addErr(jen.Op("&").Id("c"), "unevaluatedProperties", "is not allowed")
		if !u.IsFalse() {
			miss = g.call(u, jen.Id("x").Index(jen.Id("k")), jen.Op("&").Id("c"))
		}
		out = append(out, jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.Map(jen.String()).Any()), jen.Id("ok")).Block(
			jen.Id("seen").Op(":=").Map(jen.String()).Bool().Values(),
			jen.Id(g.evalName(evalProps, s, false)).Call(jen.Id("v"), jen.Id("seen")),
			jen.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Qual(rt, "SortedKeys").Call(jen.Id("x"))).Block(
				jen.If(jen.Op("!").Id("seen").Index(jen.Id("k"))).Block(
					jen.Id("c").Op(":=").Id("p").Dot("Key").Call(jen.Id("k")), miss))))
	}
	if u := s.UnevaluatedItems; u != nil && !u.IsTrue() {
		var miss jen.Code = addErr(jen.Op("&").Id("c"), "unevaluatedItems", "is not allowed")
		if !u.IsFalse() {
			miss = g.call(u, jen.Id("x").Index(jen.Id("i")), jen.Op("&").Id("c"))
		}
		out = append(out, jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.Index().Any()), jen.Id("ok")).Block(
			jen.Id("seen").Op(":=").Make(jen.Index().Bool(), jen.Len(jen.Id("x"))),
			jen.Id(g.evalName(evalItems, s, false)).Call(jen.Id("v"), jen.Id("seen")),
			jen.For(jen.Id("i").Op(":=").Range().Id("x")).Block(
				jen.If(jen.Op("!").Id("seen").Index(jen.Id("i"))).Block(
					jen.Id("c").Op(":=").Id("p").Dot("Index").Call(jen.Id("i")), miss))))
	}
	return out
}
