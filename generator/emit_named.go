package generator

import (
	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/internal/ir"
)

// emitNamed writes a named scalar, slice or map, or an alias of another named type.
func (e *emitter) emitNamed(t *ir.Type) []jen.Code {
	out := typeDoc(t)
	if t.Under.Named != nil {
		return append(out, jen.Type().Id(t.Name).Op("=").Id(t.Under.Named.Name))
	}
	under := goType(t.Under)
	out = append(out, jen.Type().Id(t.Name).Add(under))
	out = append(out, common(t)...)
	x := jen.Id("x")
	checks := e.checks(t.Under, x, rootPath)
	body := []jen.Code{}
	if len(checks) > 0 {
		body = append([]jen.Code{x.Clone().Op(":=").Add(goType(t.Under)).Call(jen.Op("*").Id("v"))}, checks...)
	}
	out = append(out, e.method(t, "validateInto", validateParams(), nil, body))
	app := append([]jen.Code{jen.Id("x").Op(":=").Add(goType(t.Under)).Call(jen.Op("*").Id("v"))}, e.appendValue(t.Under, jen.Id("x"))...)
	out = append(out, e.appendMethod(t, app))
	return append(out, e.namedDecode(t)...)
}
