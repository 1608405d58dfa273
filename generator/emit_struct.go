package generator

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/internal/ir"
)

func (e *emitter) emitStruct(t *ir.Type) []jen.Code {
	out := typeDoc(t)
	out = append(out, jen.Type().Id(t.Name).Struct(e.structFields(t)...))
	out = append(out, e.constructor(t))
	out = append(out, common(t)...)
	checks := e.structChecks
	if t.Union != nil {
		checks = e.unionChecks
	}
	out = append(out, e.method(t, "validateInto", validateParams(), nil, checks(t)))
	out = append(out, e.appendMethod(t, e.structAppend(t)))
	return append(out, e.structDecode(t)...)
}

func requiredCount(t *ir.Type) int {
	n := 0
	for _, f := range t.Fields {
		if f.Required {
			n++
		}
	}
	return n
}

func fieldType(f *ir.Field) jen.Code {
	if f.Ptr {
		return jen.Op("*").Add(goType(f.Ref))
	}
	return goType(f.Ref)
}

func (e *emitter) structFields(t *ir.Type) []jen.Code {
	var out []jen.Code
	for _, f := range t.Fields {
		doc := fieldDoc(f)
		tag := f.JSON
		if !f.Required {
			tag += ",omitempty"
		}
		out = append(out, append(doc, jen.Id(f.Name).Add(fieldType(f)).Tag(map[string]string{"json": tag}))...)
	}
	if t.Extra != nil {
		var elem jen.Code = jen.Qual("encoding/json", "RawMessage")
		switch t.Extra.Kind {
		case ir.ExtraTyped:
			elem = goType(t.Extra.Elem)
		case ir.ExtraDynamic:
			elem = jen.Any()
		}
		out = append(out, jen.Comment("AdditionalProperties holds members the schema does not declare."),
			jen.Id(t.Extra.Name).Map(jen.String()).Add(elem).Tag(map[string]string{"json": "-"}))
	}
	if n := requiredCount(t); n > 0 {
		out = append(out, jen.Comment("missing flags required members absent from the decoded document."),
			jen.Id("missing").Index(jen.Lit((n+63)/64)).Uint64())
	}
	if t.Closed {
		out = append(out, jen.Comment("unknown lists decoded members the schema does not allow."),
			jen.Id("unknown").Index().String())
	}
	return out
}

func fieldDoc(f *ir.Field) []jen.Code {
	var out []jen.Code
	desc := strings.TrimSpace(f.Schema.Description)
	for _, line := range strings.Split(desc, "\n") {
		if line = strings.TrimRight(line, " \t\r"); line != "" {
			out = append(out, comment(line))
		}
	}
	if en := enumOf(f.Ref); en != "" {
		if len(out) > 0 {
			out = append(out, jen.Comment(""))
		}
		out = append(out, jen.Comment(en))
	}
	if f.Schema.Deprecated {
		if len(out) > 0 {
			out = append(out, jen.Comment(""))
		}
		out = append(out, jen.Comment("Deprecated: the schema marks this member deprecated."))
	}
	return out
}

// enumOf says which constants name the values of a member holding an
// inline enum, or its items, or "".
func enumOf(r *ir.Ref) string {
	switch {
	case r.Enum != nil:
		return fmt.Sprintf("One of the %s* constants.", r.Enum.Name)
	case r.Slice != nil && r.Slice.Enum != nil:
		return fmt.Sprintf("Items are %s* constants.", r.Slice.Enum.Name)
	}
	return ""
}

// constructor takes the required members, so leaving one out does not
// compile.
func (e *emitter) constructor(t *ir.Type) jen.Code {
	var params, sets []jen.Code
	for _, f := range t.Fields {
		if f.Required {
			params = append(params, jen.Id(f.Param).Add(fieldType(f)))
			sets = append(sets, jen.Id(f.Name).Op(":").Id(f.Param))
		}
	}
	var lines []jen.Code
	if len(sets) > 0 {
		lines = append(lines, jen.Comment(fmt.Sprintf("New%s returns %s with its required members set.", t.Name, article(t.Name))))
	} else {
		lines = append(lines, jen.Comment(fmt.Sprintf("New%s returns an empty %s (it has no required members).", t.Name, t.Name)))
	}
	return jen.Add(lines...).Line().Func().Id("New" + t.Name).Params(params...).Id(t.Name).Block(
		jen.Return(jen.Id(t.Name).Values(sets...)))
}

// stillZero returns the test that a required field still holds its zero value, or nil where
// the zero value cannot be told cheaply (named types).
func stillZero(f *ir.Field, x *jen.Statement) *jen.Statement {
	switch {
	case f.Ptr || f.Ref.Slice != nil || f.Ref.Map != nil || f.Ref.Builtin == "json.RawMessage":
		return jen.Add(x).Op("==").Nil()
	case f.Ref.Builtin == "string":
		return jen.Add(x).Op("==").Lit("")
	case f.Ref.Builtin == "int64", f.Ref.Builtin == "float64":
		return jen.Add(x).Op("==").Lit(0)
	case f.Ref.Builtin == "bool":
		return jen.Op("!").Add(x)
	}
	return nil
}

func (e *emitter) structChecks(t *ir.Type) []jen.Code {
	var out []jen.Code
	v := func(f *ir.Field) *jen.Statement { return jen.Id("v").Dot(f.Name) }
	for _, f := range t.Fields {
		e.n = 0                    // each member's statements are a block of their own
		var missing *jen.Statement // the required member is absent: its value is not checked
		if f.Required {
			mask := uint64(1) << (f.Bit % 64)
			cond := jen.Id("v").Dot("missing").Index(jen.Lit(f.Bit / 64)).Op("&").Lit(mask).Op("!=").Lit(0)
			if zero := stillZero(f, v(f)); zero != nil {
				// Absent when decoded and not set since: a value assigned after decoding counts.
				cond = cond.Op("&&").Add(zero)
			}
			missing = jen.If(cond).Block(jen.Id("errs").Dot("Required").Call(jen.Id("p"), jen.Lit(f.JSON)))
		}
		decl, cp := e.child(rootPath, "Key", jen.Lit(f.JSON))
		inner := e.checks(f.Ref, member(f.Name, f.Ref, f.Ptr), cp)
		if len(inner) == 0 {
			if missing != nil {
				out = append(out, missing)
			}
			continue
		}
		body := append([]jen.Code{decl}, inner...)
		if missing != nil && !f.Ptr {
			out = append(out, missing.Else().Block(body...))
			continue
		}
		if missing != nil {
			out = append(out, missing)
		}
		// An absent optional member (nil pointer, slice or map) has
		// nothing to check: minItems must not fire on a missing array.
		if f.Ptr || (!f.Required && f.Ref.Nilable()) {
			out = append(out, jen.If(v(f).Op("!=").Nil()).Block(body...))
		} else {
			out = append(out, jen.Block(body...))
		}
	}
	if t.Closed {
		e.n = 0
		decl, cp := e.child(rootPath, "Key", jen.Id("k"))
		out = append(out, jen.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Id("v").Dot("unknown")).Block(
			decl, addErr(cp.ptr, "additionalProperties", "is not allowed")))
	}
	if t.Extra != nil {
		e.n = 0
		out = append(out, e.extraChecks(t)...)
	}
	return out
}

func (e *emitter) extraChecks(t *ir.Type) []jen.Code {
	m := jen.Id("v").Dot(t.Extra.Name)
	switch t.Extra.Kind {
	case ir.ExtraTyped:
		return e.mapChecks(&ir.Ref{Map: t.Extra.Elem}, m, rootPath)
	case ir.ExtraDynamic:
		return e.dynamicExtraChecks(t, m)
	}
	return nil
}

// dynamicExtraChecks checks undeclared members against patternProperties
// and additionalProperties.
func (e *emitter) dynamicExtraChecks(t *ir.Type, m *jen.Statement) []jen.Code {
	decl, cp := e.child(rootPath, "Key", jen.Id("k"))
	body := []jen.Code{decl, jen.Id("matched").Op(":=").False()}
	for _, pp := range t.Extra.Patterns {
		match := e.pattern(pp.Name)
		if match == nil {
			continue
		}
		inner := []jen.Code{jen.Id("matched").Op("=").True()}
		if !pp.Schema.IsTrue() {
			inner = append(inner, jen.Id(e.check(pp.Schema)).Call(m.Clone().Index(jen.Id("k")), cp.ptr, jen.Id("errs")))
		}
		body = append(body, jen.If(match(jen.Id("k"))).Block(inner...))
	}
	ap := t.Extra.Additional
	var miss jen.Code
	switch {
	case ap == nil || ap.IsTrue():
		miss = jen.Continue()
	case ap.IsFalse():
		miss = addErr(cp.ptr, "additionalProperties", "is not allowed")
	default:
		miss = jen.Id(e.check(ap)).Call(m.Clone().Index(jen.Id("k")), cp.ptr, jen.Id("errs"))
	}
	body = append(body, jen.If(jen.Op("!").Id("matched")).Block(miss))
	return []jen.Code{jen.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Qual(rt, "SortedKeys").Call(m)).Block(body...)}
}

func (e *emitter) structAppend(t *ir.Type) []jen.Code {
	out := []jen.Code{encode("Byte", jen.LitRune('{'))}
	for _, f := range t.Fields {
		e.n = 0 // names are declared only in the loops of one member
		if m := optEncoders[f.Ref.Builtin]; f.Ptr && m != "" {
			out = append(out, encode(m, jen.Lit(jsonKey(f.JSON)), jen.Id("v").Dot(f.Name)))
			continue
		}
		body := append([]jen.Code{encode("Key", jen.Lit(jsonKey(f.JSON)))}, e.appendValue(f.Ref, member(f.Name, f.Ref, f.Ptr))...)
		switch {
		case f.Ptr || (!f.Required && f.Ref.Nilable()):
			out = append(out, jen.If(jen.Id("v").Dot(f.Name).Op("!=").Nil()).Block(body...))
		default:
			out = append(out, body...)
		}
	}
	if t.Extra != nil {
		e.n = 0
		m := jen.Id("v").Dot(t.Extra.Name)
		var val []jen.Code
		switch t.Extra.Kind {
		case ir.ExtraRaw:
			val = e.appendValue(&ir.Ref{Builtin: "json.RawMessage"}, m.Clone().Index(jen.Id("k")))
		case ir.ExtraDynamic:
			val = []jen.Code{encode("Any", m.Clone().Index(jen.Id("k")))}
		default:
			val = append([]jen.Code{jen.Id("x").Op(":=").Add(m.Clone()).Index(jen.Id("k"))}, e.appendValue(t.Extra.Elem, jen.Id("x"))...)
		}
		body := append([]jen.Code{encode("MemberKey", jen.Id("k"))}, val...)
		out = append(out, jen.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Qual(rt, "SortedKeys").Call(m)).Block(body...))
	}
	return append(out, encode("Byte", jen.LitRune('}')))
}

// optEncoders write an optional scalar member, given its pointer, in one call.
var optEncoders = map[string]string{"string": "OptString", "int64": "OptInt", "float64": "OptFloat", "bool": "OptBool"}

func jsonKey(k string) string {
	return string(appendJSONString(nil, k)) + ":"
}
