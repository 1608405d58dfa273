package generator

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/internal/ir"
)

// unionChecks validates a folded anyOf/oneOf: every present member is
// checked once (its violations are kept aside), then each alternative
// matches when its required members are present, the members it declares
// are valid and, if it is closed, no other member is present. The kept
// violations are reported only when no alternative matches.
func (e *emitter) unionChecks(t *ir.Type) []jen.Code {
	u := t.Union
	kw := "anyOf"
	if u.OneOf {
		kw = "oneOf"
	}
	out := []jen.Code{jen.Var().Id("fe").Qual(rt, "Errors")}
	ok := map[string]string{}
	present := map[string]jen.Code{}
	for _, f := range t.Fields {
		e.n = 0 // each member's checks are a block of their own
		before, okName := "before"+f.Name, "ok"+f.Name
		ok[f.JSON] = okName
		present[f.JSON] = jen.Id("v").Dot(f.Name).Op("!=").Nil()
		decl, cp := e.child(rootPath, "Key", jen.Lit(f.JSON))
		inner := e.checks(f.Ref, member(f.Name, f.Ref, f.Ptr), cp)
		if len(inner) == 0 {
			ok[f.JSON] = ""
			continue
		}
		body := append([]jen.Code{decl, jen.Id("errs").Op(":=").Op("&").Id("fe")}, inner...)
		out = append(out,
			jen.Id(before).Op(":=").Len(jen.Id("fe")),
			jen.If(clone(present[f.JSON])).Block(body...),
			jen.Id(okName).Op(":=").Len(jen.Id("fe")).Op("==").Id(before))
	}
	out = append(out, jen.Id("n").Op(":=").Lit(0))
	var needs []string
	for _, a := range u.Alts {
		out = append(out, jen.If(e.altCond(t, a, ok, present)).Block(jen.Id("n").Op("++")))
		needs = append(needs, "{"+strings.Join(a.Required, ", ")+"}")
	}
	out = append(out, jen.If(jen.Id("n").Op("==").Lit(0)).Block(
		addErr(jen.Id("p"), kw, "matches none of the alternatives (required members: "+strings.Join(needs, " or ")+")"),
		jen.Id("errs").Dot("Merge").Call(jen.Id("fe"))))
	if u.OneOf {
		out = append(out, jen.If(jen.Id("n").Op(">").Lit(1)).Block(addErr(jen.Id("p"), kw, "matches more than one alternative")))
	}
	if t.Closed {
		e.n = 0
		decl, cp := e.child(rootPath, "Key", jen.Id("k"))
		out = append(out, jen.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Id("v").Dot("unknown")).Block(
			decl, addErr(cp.ptr, "additionalProperties", "is not allowed")))
	}
	return out
}

func (e *emitter) altCond(t *ir.Type, a ir.UnionAlt, ok map[string]string, present map[string]jen.Code) jen.Code {
	var conds []jen.Code
	for _, r := range a.Required {
		conds = append(conds, clone(present[r]))
	}
	for _, f := range t.Fields {
		switch {
		case a.Props[f.JSON] && ok[f.JSON] != "":
			conds = append(conds, jen.Id(ok[f.JSON]))
		case !a.Props[f.JSON] && a.Closed:
			conds = append(conds, jen.Id("v").Dot(f.Name).Op("==").Nil())
		}
	}
	if a.Closed && t.Extra != nil {
		conds = append(conds, jen.Len(jen.Id("v").Dot(t.Extra.Name)).Op("==").Lit(0))
	}
	if len(conds) == 0 {
		return jen.True()
	}
	c := clone(conds[0])
	for _, x := range conds[1:] {
		c = c.Op("&&").Add(x)
	}
	return c
}
