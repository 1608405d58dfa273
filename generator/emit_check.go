package generator

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/schema"
)

// The check functions validate dynamically typed values: one function
// `func checkX(v any, p *validate.Path, errs *validate.Errors)` per
// distinct schema, switching on the JSON type of v. They are complete for
// every keyword the loader understands, so anything the static types
// cannot express still validates like a full validator would.

// emitChecks declares every check function of the package.
func (e *emitter) emitChecks() []jen.Code {
	var out []jen.Code
	for _, c := range e.pkg.Checks {
		out = append(out,
			doc(fmt.Sprintf("%s validates a dynamic value against %s.", c.Name, c.Where)),
			jen.Func().Id(c.Name).Params(jen.Id("v").Any(), jen.Id("p").Op("*").Qual(rt, "Path"), jen.Id("errs").Op("*").Qual(rt, "Errors")).
				Block(e.checkBody(c.Schema)...))
	}
	return out
}

// checkArgs is the argument list of MatchesAny and MatchesOne: v and the check function of
// every alternative.
func (e *emitter) checkArgs(alts []*schema.Schema) []jen.Code {
	args := []jen.Code{jen.Id("v")}
	for _, a := range alts {
		args = append(args, jen.Id(e.check(a)))
	}
	return args
}

// check is the name of the function validating s.
func (e *emitter) check(s *schema.Schema) string { return e.pkg.Check(s).Name }

var pathP = jen.Id("p")

func (e *emitter) call(s *schema.Schema, v, path jen.Code) jen.Code {
	return jen.Id(e.check(s)).Call(v, path, jen.Id("errs"))
}

func (e *emitter) checkBody(s *schema.Schema) []jen.Code {
	if s.Bool != nil {
		if *s.Bool {
			return nil
		}
		return []jen.Code{addErr(pathP, "false", "no value is allowed here")}
	}
	var out []jen.Code
	if len(s.Types) > 0 {
		out = append(out, jen.If(jen.Op("!").Qual(rt, "Is").Call(jen.Id("v"), typeMask(s.Types))).Block(
			addErr(pathP, "type", typeMessage(s.Types))))
	}
	if s.HasEnum {
		out = append(out, jen.If(jen.Op("!").Qual(rt, "In").Call(jen.Id("v"), jen.Id(e.literal(s.Enum, true)))).Block(
			addErr(pathP, "enum", "must be one of "+jsonText(s.Enum))))
	}
	if s.HasConst {
		out = append(out, jen.If(jen.Op("!").Qual(rt, "Equal").Call(jen.Id("v"), jen.Id(e.literal(s.Const, false)))).Block(
			addErr(pathP, "const", "must be "+jsonText(s.Const))))
	}
	if c := e.stringChecks(jen.Id("x"), pathP, s); len(c) > 0 {
		out = append(out, jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.String()), jen.Id("ok")).Block(c...))
	}
	if c := dynamicNumberChecks(jen.Id("v"), pathP, s); len(c) > 0 {
		out = append(out, jen.If(jen.Qual(rt, "Is").Call(jen.Id("v"), jen.Qual(rt, "Number"))).Block(c...))
	}
	if c := e.arrayChecks(s); len(c) > 0 {
		out = append(out, jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.Index().Any()), jen.Id("ok")).Block(c...))
	}
	if c := e.objectChecks(s); len(c) > 0 {
		out = append(out, jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.Map(jen.String()).Any()), jen.Id("ok")).Block(c...))
	}
	out = append(out, e.applicators(s)...)
	return append(out, e.unevaluatedChecks(s)...)
}

func (e *emitter) applicators(s *schema.Schema) []jen.Code {
	var out []jen.Code
	if s.Ref != nil {
		out = append(out, e.call(s.Ref, jen.Id("v"), pathP))
	}
	for _, a := range s.AllOf {
		if !a.IsTrue() {
			out = append(out, e.call(a, jen.Id("v"), pathP))
		}
	}
	if len(s.AnyOf) > 0 {
		out = append(out, jen.If(jen.Op("!").Qual(rt, "MatchesAny").Call(e.checkArgs(s.AnyOf)...)).Block(
			addErr(pathP, "anyOf", "does not match any of the alternatives")))
	}
	if len(s.OneOf) > 0 {
		out = append(out, jen.If(jen.Op("!").Qual(rt, "MatchesOne").Call(e.checkArgs(s.OneOf)...)).Block(
			addErr(pathP, "oneOf", "must match exactly one alternative")))
	}
	if s.Not != nil {
		out = append(out, jen.If(jen.Qual(rt, "Matches").Call(jen.Id("v"), jen.Id(e.check(s.Not)))).Block(
			addErr(pathP, "not", "must not match the schema in \"not\"")))
	}
	if s.If != nil && (s.Then != nil || s.Else != nil) {
		out = append(out, e.ifThenElse(s))
	}
	return out
}

func (e *emitter) ifThenElse(s *schema.Schema) jen.Code {
	then, els := []jen.Code{}, []jen.Code{}
	if s.Then != nil && !s.Then.IsTrue() {
		then = append(then, e.call(s.Then, jen.Id("v"), pathP))
	}
	if s.Else != nil && !s.Else.IsTrue() {
		els = append(els, e.call(s.Else, jen.Id("v"), pathP))
	}
	cond := jen.Qual(rt, "Matches").Call(jen.Id("v"), jen.Id(e.check(s.If)))
	if len(els) == 0 {
		return jen.If(cond).Block(then...)
	}
	if len(then) == 0 {
		return jen.If(jen.Op("!").Add(cond)).Block(els...)
	}
	return jen.If(cond).Block(then...).Else().Block(els...)
}

func (e *emitter) arrayChecks(s *schema.Schema) []jen.Code {
	var out []jen.Code
	x := jen.Id("x")
	if s.MinItems != nil && *s.MinItems > 0 {
		out = append(out, jen.If(jen.Len(x).Op("<").Lit(*s.MinItems)).Block(
			addErr(pathP, "minItems", fmt.Sprintf("must have at least %d items", *s.MinItems))))
	}
	if s.MaxItems != nil {
		out = append(out, jen.If(jen.Len(x).Op(">").Lit(*s.MaxItems)).Block(
			addErr(pathP, "maxItems", fmt.Sprintf("must have at most %d items", *s.MaxItems))))
	}
	if s.UniqueItems {
		out = append(out, jen.If(jen.Op("!").Qual(rt, "Unique").Call(x)).Block(
			addErr(pathP, "uniqueItems", "items must be unique")))
	}
	for i, item := range s.PrefixItems {
		if item.IsTrue() {
			continue
		}
		out = append(out, jen.If(jen.Len(x).Op(">").Lit(i)).Block(
			jen.Id("c").Op(":=").Id("p").Dot("Index").Call(jen.Lit(i)),
			e.call(item, jen.Id("x").Index(jen.Lit(i)), jen.Op("&").Id("c"))))
	}
	if s.Items != nil && !s.Items.IsTrue() {
		start := len(s.PrefixItems)
		if s.Items.IsFalse() {
			out = append(out, jen.If(jen.Len(x).Op(">").Lit(start)).Block(
				addErr(pathP, "items", fmt.Sprintf("must have at most %d items", start))))
		} else {
			out = append(out, jen.For(jen.Id("i").Op(":=").Lit(start), jen.Id("i").Op("<").Len(jen.Id("x")), jen.Id("i").Op("++")).Block(
				jen.Id("c").Op(":=").Id("p").Dot("Index").Call(jen.Id("i")),
				e.call(s.Items, jen.Id("x").Index(jen.Id("i")), jen.Op("&").Id("c"))))
		}
	}
	if s.Contains != nil {
		out = append(out, e.contains(s))
	}
	return out
}

func (e *emitter) contains(s *schema.Schema) jen.Code {
	min := 1
	if s.MinContains != nil {
		min = *s.MinContains
	}
	block := []jen.Code{
		jen.Id("n").Op(":=").Lit(0),
		jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Id("x")).Block(
			jen.If(jen.Qual(rt, "Matches").Call(jen.Id("e"), jen.Id(e.check(s.Contains)))).Block(jen.Id("n").Op("++"))),
		jen.If(jen.Id("n").Op("<").Lit(min)).Block(
			addErr(pathP, "contains", fmt.Sprintf("must contain at least %d matching items", min))),
	}
	if s.MaxContains != nil {
		block = append(block, jen.If(jen.Id("n").Op(">").Lit(*s.MaxContains)).Block(
			addErr(pathP, "maxContains", fmt.Sprintf("must contain at most %d matching items", *s.MaxContains))))
	}
	return jen.Block(block...)
}

func (e *emitter) objectChecks(s *schema.Schema) []jen.Code {
	var out []jen.Code
	x := jen.Id("x")
	if s.MinProperties != nil && *s.MinProperties > 0 {
		out = append(out, jen.If(jen.Len(x).Op("<").Lit(*s.MinProperties)).Block(
			addErr(pathP, "minProperties", fmt.Sprintf("must have at least %d properties", *s.MinProperties))))
	}
	if s.MaxProperties != nil {
		out = append(out, jen.If(jen.Len(x).Op(">").Lit(*s.MaxProperties)).Block(
			addErr(pathP, "maxProperties", fmt.Sprintf("must have at most %d properties", *s.MaxProperties))))
	}
	for _, r := range s.Required {
		out = append(out, jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("x").Index(jen.Lit(r)), jen.Op("!").Id("ok")).Block(
			jen.Id("errs").Dot("Required").Call(pathP, jen.Lit(r))))
	}
	for _, p := range s.Properties {
		if p.Schema.IsTrue() {
			continue
		}
		out = append(out, jen.If(jen.List(jen.Id("e"), jen.Id("ok")).Op(":=").Id("x").Index(jen.Lit(p.Name)), jen.Id("ok")).Block(
			jen.Id("c").Op(":=").Id("p").Dot("Key").Call(jen.Lit(p.Name)),
			e.call(p.Schema, jen.Id("e"), jen.Op("&").Id("c"))))
	}
	for _, d := range s.DependentRequired {
		var inner []jen.Code
		for _, r := range d.Required {
			inner = append(inner, jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("x").Index(jen.Lit(r)), jen.Op("!").Id("ok")).Block(
				jen.Id("errs").Dot("DependentRequired").Call(pathP, jen.Lit(r), jen.Lit(d.Name))))
		}
		if len(inner) > 0 {
			out = append(out, jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("x").Index(jen.Lit(d.Name)), jen.Id("ok")).Block(inner...))
		}
	}
	for _, d := range s.DependentSchemas {
		if d.Schema.IsTrue() {
			continue
		}
		out = append(out, jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("x").Index(jen.Lit(d.Name)), jen.Id("ok")).Block(
			e.call(d.Schema, jen.Id("v"), pathP)))
	}
	if loop := e.memberLoop(s); loop != nil {
		out = append(out, loop)
	}
	return out
}

// memberLoop checks every member against patternProperties,
// additionalProperties and propertyNames.
func (e *emitter) memberLoop(s *schema.Schema) jen.Code {
	ap := s.AdditionalProperties
	checkAP := ap != nil && !ap.IsTrue()
	var patterns []jen.Code
	for _, pp := range s.PatternProperties {
		if !checkAP && pp.Schema.IsTrue() {
			continue // matching it would change nothing
		}
		m := e.pattern(pp.Name)
		if m == nil {
			continue
		}
		body := []jen.Code{}
		if checkAP {
			body = append(body, jen.Id("matched").Op("=").True())
		}
		if !pp.Schema.IsTrue() {
			body = append(body, e.call(pp.Schema, jen.Id("x").Index(jen.Id("k")), jen.Op("&").Id("c")))
		}
		if len(body) > 0 {
			patterns = append(patterns, jen.If(m(jen.Id("k"))).Block(body...))
		}
	}
	pn := s.PropertyNames != nil && !s.PropertyNames.IsTrue()
	if len(patterns) == 0 && !checkAP && !pn {
		return nil
	}
	var body []jen.Code
	body = append(body, jen.Id("c").Op(":=").Id("p").Dot("Key").Call(jen.Id("k")))
	if pn {
		body = append(body, e.call(s.PropertyNames, jen.Id("k"), jen.Op("&").Id("c")))
	}
	if checkAP {
		var names []jen.Code
		for _, p := range s.Properties {
			names = append(names, jen.Lit(p.Name))
		}
		body = append(body, jen.Id("matched").Op(":=").False())
		if len(names) > 0 {
			body = append(body, jen.Switch(jen.Id("k")).Block(jen.Case(names...).Block(jen.Id("matched").Op("=").True())))
		}
	}
	body = append(body, patterns...)
	if checkAP {
		var miss jen.Code
		if ap.IsFalse() {
			miss = addErr(jen.Op("&").Id("c"), "additionalProperties", "is not allowed")
		} else {
			miss = e.call(ap, jen.Id("x").Index(jen.Id("k")), jen.Op("&").Id("c"))
		}
		body = append(body, jen.If(jen.Op("!").Id("matched")).Block(miss))
	}
	if !pn && len(patterns) == 0 && !checkAP {
		return nil
	}
	return jen.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Qual(rt, "SortedKeys").Call(jen.Id("x"))).Block(body...)
}
