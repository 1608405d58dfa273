package generator

import (
	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/internal/ir"
)

// emitDynamic writes a type holding any JSON value, validated by its check function.
func (e *emitter) emitDynamic(t *ir.Type) []jen.Code {
	out := typeDoc(t)
	out = append(out, doc("Its shape cannot be pinned to one Go type, so Value holds the decoded JSON"),
		doc("(nil, bool, string, json.Number, []any or map[string]any)."),
		jen.Type().Id(t.Name).Struct(jen.Id("Value").Any()))
	out = append(out, common(t)...)
	out = append(out,
		e.method(t, "validateInto", validateParams(), nil, []jen.Code{
			jen.Id(t.Check.Name).Call(jen.Id("v").Dot("Value"), jen.Id("p"), jen.Id("errs")),
		}),
		e.appendMethod(t, []jen.Code{encode("Any", jen.Id("v").Dot("Value"))}))
	out = append(out, e.unmarshalMethods(t, "UnmarshalJSON decodes any JSON value, keeping numbers as json.Number.",
		[]jen.Code{decodeCall("Any", jen.Op("&").Id("v").Dot("Value"))})...)
	return out
}
