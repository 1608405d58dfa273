package generator

import (
	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/internal/ir"
)

// matcher builds the boolean Go expression "x matches the pattern".
type matcher func(x jen.Code) jen.Code

// pattern returns a matcher for the ECMA-262 pattern p, or nil when it is not checked
// (see helpers.pattern).
func (e *emitter) pattern(p string) matcher {
	m := e.pkg.PatternOf[p]
	switch {
	case m == nil:
		return nil
	case m.Exclude != nil:
		n, r := m.Exclude.Name, m.Match.Name
		return func(x jen.Code) jen.Code {
			return jen.Op("!").Id(n).Call(x).Op("&&").Id(r).Call(x)
		}
	}
	name := m.Match.Name
	return func(x jen.Code) jen.Code { return jen.Id(name).Call(x) }
}

// literal is the name of the variable holding a decoded JSON value (or a list of them
// when list is true).
func (e *emitter) literal(value any, list bool) string {
	return e.pkg.Literal(ir.LiteralKey{List: list, Text: jsonText(value)}).Name
}

// emitVars declares the compiled patterns and the decoded literals.
func (e *emitter) emitVars() []jen.Code {
	var out []jen.Code
	for _, r := range e.pkg.Regexps {
		out = append(out, patternDecls(r.Name, r.Source, r.RE2)...)
	}
	for _, l := range e.pkg.Literals {
		if !l.List {
			out = append(out, jen.Var().Id(l.Name).Op("=").Qual(rt, "MustParse").Call(jen.Lit(l.Text)))
			continue
		}
		var elems []jen.Code
		for _, x := range l.Value.([]any) {
			elems = append(elems, jen.Qual(rt, "MustParse").Call(jen.Lit(jsonText(x))))
		}
		out = append(out, jen.Var().Id(l.Name).Op("=").Index().Any().Values(elems...))
	}
	return out
}
