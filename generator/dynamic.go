package generator

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/schema"
)

// dynGen generates validators for dynamically typed values: one function
// `func checkN(v any, p *validate.Path, errs *validate.Errors)` per
// distinct schema, switching on the JSON type of v. It is complete for
// every keyword the loader understands, so anything the static types
// cannot express still validates like a full validator would.
type dynGen struct {
	b     *builder
	names map[string]string // canon key → function name
	queue []*schema.Schema
	funcs []jen.Code
	vars  *vars

	evalNames map[string]string
	evalQueue []evalFunc
}

func newDynGen(b *builder) *dynGen {
	return &dynGen{b: b, names: map[string]string{}, evalNames: map[string]string{}}
}

// checks is the argument list of MatchesAny and MatchesOne: v and the check function of
// every alternative.
func (g *dynGen) checks(alts []*schema.Schema) []jen.Code {
	args := []jen.Code{jen.Id("v")}
	for _, a := range alts {
		args = append(args, jen.Id(g.check(a)))
	}
	return args
}

// check returns the name of the function validating s, queueing its
// generation.
func (g *dynGen) check(s *schema.Schema) string {
	s = s.Deref()
	key := canon(s)
	if n, ok := g.names[key]; ok {
		return n
	}
	n := fmt.Sprintf("check%d", len(g.names)+1)
	g.names[key] = n
	g.queue = append(g.queue, s)
	return n
}

// generate emits every queued function (which may queue more).
func (g *dynGen) generate(v *vars) {
	g.vars = v
	for len(g.queue) > 0 || len(g.evalQueue) > 0 {
		if len(g.queue) == 0 {
			g.generateEvals()
			continue
		}
		s := g.queue[0]
		g.queue = g.queue[1:]
		name := g.names[canon(s)]
		g.funcs = append(g.funcs,
			doc(fmt.Sprintf("%s validates a dynamic value against %s.", name, s.Pointer)),
			jen.Func().Id(name).Params(jen.Id("v").Any(), jen.Id("p").Op("*").Qual(rt, "Path"), jen.Id("errs").Op("*").Qual(rt, "Errors")).
				Block(g.body(s)...))
	}
}

var pathP = jen.Id("p")

func (g *dynGen) call(s *schema.Schema, v, path jen.Code) jen.Code {
	return jen.Id(g.check(s)).Call(v, path, jen.Id("errs"))
}

func (g *dynGen) body(s *schema.Schema) []jen.Code {
	if s.Bool != nil {
		if *s.Bool {
			return nil
		}
		return []jen.Code{addErr(pathP, "false", "no value is allowed here")}
	}
	g.warnUnsupported(s)
	var out []jen.Code
	if len(s.Types) > 0 {
		out = append(out, jen.If(jen.Op("!").Qual(rt, "Is").Call(jen.Id("v"), typeMask(s.Types))).Block(
			addErr(pathP, "type", typeMessage(s.Types))))
	}
	if s.HasEnum {
		out = append(out, jen.If(jen.Op("!").Qual(rt, "In").Call(jen.Id("v"), jen.Id(g.vars.literal(s.Enum, true)))).Block(
			addErr(pathP, "enum", "must be one of "+jsonText(s.Enum))))
	}
	if s.HasConst {
		out = append(out, jen.If(jen.Op("!").Qual(rt, "Equal").Call(jen.Id("v"), jen.Id(g.vars.literal(s.Const, false)))).Block(
			addErr(pathP, "const", "must be "+jsonText(s.Const))))
	}
	if c := stringChecks(g.vars, jen.Id("x"), pathP, s); len(c) > 0 {
		out = append(out, jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.String()), jen.Id("ok")).Block(c...))
	}
	if c := dynamicNumberChecks(jen.Id("v"), pathP, s); len(c) > 0 {
		out = append(out, jen.If(jen.Qual(rt, "Is").Call(jen.Id("v"), jen.Qual(rt, "Number"))).Block(c...))
	}
	if c := g.arrayChecks(s); len(c) > 0 {
		out = append(out, jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.Index().Any()), jen.Id("ok")).Block(c...))
	}
	if c := g.objectChecks(s); len(c) > 0 {
		out = append(out, jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.Map(jen.String()).Any()), jen.Id("ok")).Block(c...))
	}
	out = append(out, g.applicators(s)...)
	return append(out, g.unevaluatedChecks(s)...)
}

func (g *dynGen) warnUnsupported(s *schema.Schema) {}

func (g *dynGen) applicators(s *schema.Schema) []jen.Code {
	var out []jen.Code
	if s.Ref != nil {
		out = append(out, g.call(s.Ref, jen.Id("v"), pathP))
	}
	for _, a := range s.AllOf {
		if !a.IsTrue() {
			out = append(out, g.call(a, jen.Id("v"), pathP))
		}
	}
	if len(s.AnyOf) > 0 {
		out = append(out, jen.If(jen.Op("!").Qual(rt, "MatchesAny").Call(g.checks(s.AnyOf)...)).Block(
			addErr(pathP, "anyOf", "does not match any of the alternatives")))
	}
	if len(s.OneOf) > 0 {
		out = append(out, jen.If(jen.Op("!").Qual(rt, "MatchesOne").Call(g.checks(s.OneOf)...)).Block(
			addErr(pathP, "oneOf", "must match exactly one alternative")))
	}
	if s.Not != nil {
		out = append(out, jen.If(jen.Qual(rt, "Matches").Call(jen.Id("v"), jen.Id(g.check(s.Not)))).Block(
			addErr(pathP, "not", "must not match the schema in \"not\"")))
	}
	if s.If != nil && (s.Then != nil || s.Else != nil) {
		out = append(out, g.ifThenElse(s))
	}
	return out
}

func (g *dynGen) ifThenElse(s *schema.Schema) jen.Code {
	then, els := []jen.Code{}, []jen.Code{}
	if s.Then != nil && !s.Then.IsTrue() {
		then = append(then, g.call(s.Then, jen.Id("v"), pathP))
	}
	if s.Else != nil && !s.Else.IsTrue() {
		els = append(els, g.call(s.Else, jen.Id("v"), pathP))
	}
	cond := jen.Qual(rt, "Matches").Call(jen.Id("v"), jen.Id(g.check(s.If)))
	if len(els) == 0 {
		return jen.If(cond).Block(then...)
	}
	if len(then) == 0 {
		return jen.If(jen.Op("!").Add(cond)).Block(els...)
	}
	return jen.If(cond).Block(then...).Else().Block(els...)
}

func (g *dynGen) arrayChecks(s *schema.Schema) []jen.Code {
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
			g.call(item, jen.Id("x").Index(jen.Lit(i)), jen.Op("&").Id("c"))))
	}
	if s.Items != nil && !s.Items.IsTrue() {
		start := len(s.PrefixItems)
		if s.Items.IsFalse() {
			out = append(out, jen.If(jen.Len(x).Op(">").Lit(start)).Block(
				addErr(pathP, "items", fmt.Sprintf("must have at most %d items", start))))
		} else {
			out = append(out, jen.For(jen.Id("i").Op(":=").Lit(start), jen.Id("i").Op("<").Len(jen.Id("x")), jen.Id("i").Op("++")).Block(
				jen.Id("c").Op(":=").Id("p").Dot("Index").Call(jen.Id("i")),
				g.call(s.Items, jen.Id("x").Index(jen.Id("i")), jen.Op("&").Id("c"))))
		}
	}
	if s.Contains != nil {
		out = append(out, g.contains(s))
	}
	return out
}

func (g *dynGen) contains(s *schema.Schema) jen.Code {
	min := 1
	if s.MinContains != nil {
		min = *s.MinContains
	}
	block := []jen.Code{
		jen.Id("n").Op(":=").Lit(0),
		jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Id("x")).Block(
			jen.If(jen.Qual(rt, "Matches").Call(jen.Id("e"), jen.Id(g.check(s.Contains)))).Block(jen.Id("n").Op("++"))),
		jen.If(jen.Id("n").Op("<").Lit(min)).Block(
			addErr(pathP, "contains", fmt.Sprintf("must contain at least %d matching items", min))),
	}
	if s.MaxContains != nil {
		block = append(block, jen.If(jen.Id("n").Op(">").Lit(*s.MaxContains)).Block(
			addErr(pathP, "maxContains", fmt.Sprintf("must contain at most %d matching items", *s.MaxContains))))
	}
	return jen.Block(block...)
}

func (g *dynGen) objectChecks(s *schema.Schema) []jen.Code {
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
			addErr(pathP, "required", fmt.Sprintf("missing property %q", r))))
	}
	for _, p := range s.Properties {
		if p.Schema.IsTrue() {
			continue
		}
		out = append(out, jen.If(jen.List(jen.Id("e"), jen.Id("ok")).Op(":=").Id("x").Index(jen.Lit(p.Name)), jen.Id("ok")).Block(
			jen.Id("c").Op(":=").Id("p").Dot("Key").Call(jen.Lit(p.Name)),
			g.call(p.Schema, jen.Id("e"), jen.Op("&").Id("c"))))
	}
	for _, d := range s.DependentRequired {
		var inner []jen.Code
		for _, r := range d.Required {
			inner = append(inner, jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("x").Index(jen.Lit(r)), jen.Op("!").Id("ok")).Block(
				addErr(pathP, "dependentRequired", fmt.Sprintf("missing property %q (required when %q is present)", r, d.Name))))
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
			g.call(d.Schema, jen.Id("v"), pathP)))
	}
	if loop := g.memberLoop(s); loop != nil {
		out = append(out, loop)
	}
	return out
}

// memberLoop checks every member against patternProperties,
// additionalProperties and propertyNames.
func (g *dynGen) memberLoop(s *schema.Schema) jen.Code {
	ap := s.AdditionalProperties
	checkAP := ap != nil && !ap.IsTrue()
	var patterns []jen.Code
	for _, pp := range s.PatternProperties {
		m := g.vars.pattern(pp.Schema, "patternProperties", pp.Name)
		if m == nil {
			continue
		}
		body := []jen.Code{}
		if checkAP {
			body = append(body, jen.Id("matched").Op("=").True())
		}
		if !pp.Schema.IsTrue() {
			body = append(body, g.call(pp.Schema, jen.Id("x").Index(jen.Id("k")), jen.Op("&").Id("c")))
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
		body = append(body, g.call(s.PropertyNames, jen.Id("k"), jen.Op("&").Id("c")))
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
			miss = g.call(ap, jen.Id("x").Index(jen.Id("k")), jen.Op("&").Id("c"))
		}
		body = append(body, jen.If(jen.Op("!").Id("matched")).Block(miss))
	}
	if !pn && len(patterns) == 0 && !checkAP {
		return nil
	}
	return jen.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Qual(rt, "SortedKeys").Call(jen.Id("x"))).Block(body...)
}
