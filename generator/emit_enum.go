package generator

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/internal/ir"
)

// emitEnum writes a string enum: a named string type with typed constants, or for an
// inline enum only untyped constants.
func (e *emitter) emitEnum(t *ir.Type) []jen.Code {
	if t.Inline {
		return inlineEnumConsts(t)
	}
	out := typeDoc(t)
	out = append(out, jen.Type().Id(t.Name).String())
	var consts, cases []jen.Code
	for i, v := range t.Values {
		name := t.ConstNames[i]
		consts = append(consts, jen.Id(name).Id(t.Name).Op("=").Lit(v))
		cases = append(cases, jen.Id(name))
	}
	out = append(out, doc(fmt.Sprintf("The values of %s.", t.Name)), jen.Const().Defs(consts...))
	out = append(out, common(t)...)
	out = append(out,
		e.method(t, "validateInto", validateParams(), nil, []jen.Code{
			jen.Switch(jen.Op("*").Id("v")).Block(
				jen.Case(cases...),
				jen.Default().Block(addErr(jen.Id("p"), "enum", "must be one of "+jsonText(t.Schema.Enum)))),
		}),
		e.appendMethod(t, []jen.Code{encode("String", jen.String().Call(jen.Op("*").Id("v")))}))
	return append(out, e.unmarshalMethods(t, "UnmarshalJSON decodes a JSON string; values outside the enum are kept and reported by Validate.",
		[]jen.Code{decodeCall("String", jen.Parens(jen.Op("*").String()).Call(jen.Id("v")))})...)
}

// inlineEnumConsts declares the values of an inline enum as untyped
// constants; no type is declared for it (see namedEnum).
func inlineEnumConsts(t *ir.Type) []jen.Code {
	out := []jen.Code{doc(fmt.Sprintf("%s* are the values allowed at %s.", t.Name, docPointer(t.Where)))}
	out = append(out, descDoc(strings.TrimSpace(t.Schema.Description))...)
	var consts []jen.Code
	for i, v := range t.Values {
		consts = append(consts, jen.Id(t.ConstNames[i]).Op("=").Lit(v))
	}
	return append(out, jen.Const().Defs(consts...))
}

// enumChecks reports the string expression x when it is not one of the
// values of the inline enum of r.
func enumChecks(x, path jen.Code, r *ir.Ref) []jen.Code {
	var cases []jen.Code
	for i, v := range r.Schema.Enum {
		if r.Enum != nil {
			cases = append(cases, jen.Id(r.Enum.ConstNames[i]))
		} else {
			cases = append(cases, jen.Lit(v))
		}
	}
	return []jen.Code{jen.Switch(x).Block(
		jen.Case(cases...),
		jen.Default().Block(addErr(path, "enum", "must be one of "+jsonText(r.Schema.Enum))))}
}
