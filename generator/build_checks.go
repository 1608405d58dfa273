package generator

import (
	"fmt"

	"github.com/gbggen/gbggen/generator/internal/ir"
	"github.com/gbggen/gbggen/generator/schema"
)

// helpers finds, once the types are built, every package-level helper their Validate
// methods call: the check functions of dynamic values, the evaluation functions of
// unevaluated*, the compiled patterns and the decoded literals. It walks exactly what the
// emitters will translate (emit_check.go, emit_eval.go, emit_value.go), so the IR is
// complete before anything is emitted, and every helper is declared only when used.
type helpers struct {
	b   *builder
	pkg *ir.Package

	checkByKey map[string]*ir.Check
	checkQueue []*schema.Schema
	evalByKey  map[string]*ir.Eval
	evalQueue  []*ir.Eval
	regexpBy   map[string]*ir.Regexp

	// sites lists, for every helper, the places that use it (see nameHelpers).
	sites map[any][]site
}

// site is a place in a schema a helper is named after: the schema node's pointer, and a
// suffix for what of it the helper holds.
type site struct {
	file, pointer, suffix string
}

func newHelpers(b *builder, pkg *ir.Package) *helpers {
	pkg.CheckOf = map[*schema.Schema]*ir.Check{}
	pkg.EvalOf = map[ir.EvalKey]*ir.Eval{}
	pkg.PatternOf = map[string]*ir.Pattern{}
	pkg.LiteralOf = map[ir.LiteralKey]*ir.Literal{}
	return &helpers{b: b, pkg: pkg, checkByKey: map[string]*ir.Check{}, evalByKey: map[string]*ir.Eval{},
		regexpBy: map[string]*ir.Regexp{}, sites: map[any][]site{}}
}

func (h *helpers) note(helper any, s *schema.Schema, suffix string) {
	h.sites[helper] = append(h.sites[helper], site{file: s.File, pointer: s.Pointer, suffix: suffix})
}

// collect walks the types and then every check and evaluation function they need.
func (h *helpers) collect() {
	for _, t := range h.pkg.Types {
		h.typeHelpers(t)
	}
	for len(h.checkQueue) > 0 || len(h.evalQueue) > 0 {
		if len(h.checkQueue) > 0 {
			s := h.checkQueue[0]
			h.checkQueue = h.checkQueue[1:]
			h.checkBody(s)
			continue
		}
		e := h.evalQueue[0]
		h.evalQueue = h.evalQueue[1:]
		h.evalBody(e)
	}
}

// typeHelpers mirrors the emitter of t's kind.
func (h *helpers) typeHelpers(t *ir.Type) {
	switch t.Kind {
	case ir.KindStruct:
		for _, f := range t.Fields {
			h.refHelpers(f.Ref)
		}
		if t.Extra == nil {
			return
		}
		switch t.Extra.Kind {
		case ir.ExtraTyped:
			h.refHelpers(t.Extra.Elem)
		case ir.ExtraDynamic:
			for _, pp := range t.Extra.Patterns {
				if h.pattern(pp.Schema, "patternProperties", pp.Name) != nil && !pp.Schema.IsTrue() {
					h.check(pp.Schema)
				}
			}
			if ap := t.Extra.Additional; ap != nil && !ap.IsTrue() && !ap.IsFalse() {
				h.check(ap)
			}
		}
	case ir.KindNamed:
		if t.Under.Named == nil {
			h.refHelpers(t.Under)
		}
	case ir.KindSum:
		for _, br := range t.Branches {
			h.refHelpers(br.Ref)
		}
	case ir.KindDynamic:
		t.Check = h.check(t.Schema)
	}
}

// refHelpers mirrors emitter.checks: what validating a value of r inline uses.
func (h *helpers) refHelpers(r *ir.Ref) {
	switch {
	case r.Named != nil:
	case r.Slice != nil:
		h.refHelpers(r.Slice)
	case r.Map != nil:
		h.refHelpers(r.Map)
	case r.Nullable != nil:
		h.refHelpers(r.Nullable)
	case r.Schema != nil && r.Builtin == "string" && !r.Schema.HasEnum:
		h.stringHelpers(r.Schema)
	}
}

// stringHelpers mirrors stringChecks.
func (h *helpers) stringHelpers(s *schema.Schema) {
	if s.Pattern != nil {
		h.pattern(s, "pattern", *s.Pattern)
	}
	if s.Format != "" {
		if _, ok := formatCheckers[s.Format]; !ok {
			h.b.warn(s, "format", fmt.Sprintf("format %q is not asserted", s.Format))
		}
	}
}

// check returns the check function validating s, queueing a walk of its body.
func (h *helpers) check(s *schema.Schema) *ir.Check {
	s = s.Deref()
	if c := h.pkg.CheckOf[s]; c != nil {
		return c
	}
	key := h.b.canon(s)
	c := h.checkByKey[key]
	if c == nil {
		c = &ir.Check{Schema: s}
		h.checkByKey[key] = c
		h.pkg.Checks = append(h.pkg.Checks, c)
		h.checkQueue = append(h.checkQueue, s)
	}
	h.pkg.CheckOf[s] = c
	h.note(c, s, "")
	return c
}

// eval returns the evaluation function of k, queueing a walk of its body.
func (h *helpers) eval(k ir.EvalKey) *ir.Eval {
	k.Schema = k.Schema.Deref()
	if e := h.pkg.EvalOf[k]; e != nil {
		return e
	}
	key := fmt.Sprintf("%v:%v:%s", k.Items, k.Self, h.b.canon(k.Schema))
	e := h.evalByKey[key]
	if e == nil {
		e = &ir.Eval{EvalKey: k}
		h.evalByKey[key] = e
		h.pkg.Evals = append(h.pkg.Evals, e)
		h.evalQueue = append(h.evalQueue, e)
	}
	h.pkg.EvalOf[k] = e
	h.note(e, k.Schema, "")
	return e
}

// literal returns the variable holding value (a list of values when list is set).
func (h *helpers) literal(s *schema.Schema, value any, list bool) {
	k := ir.LiteralKey{List: list, Text: jsonText(value)}
	l := h.pkg.LiteralOf[k]
	if l == nil {
		l = &ir.Literal{LiteralKey: k, Value: value}
		h.pkg.LiteralOf[k] = l
		h.pkg.Literals = append(h.pkg.Literals, l)
	}
	h.note(l, s, "")
}

// pattern returns the matcher of the ECMA-262 pattern p found at s, or nil when RE2
// cannot express it. Such a pattern is not checked (values are accepted) and a warning
// says so: rejecting every value would make the generated code unusable, and a wrong
// translation would be worse. A leading negative lookahead, "^(?!X)REST", is expressed as
// two regexps: not ^(?:X), and ^REST.
func (h *helpers) pattern(s *schema.Schema, keyword, p string) *ir.Pattern {
	if m, ok := h.pkg.PatternOf[p]; ok {
		h.noteRegexps(m, s)
		if m == nil {
			h.b.warn(s, keyword, h.untranslatable(p))
		}
		return m
	}
	var m *ir.Pattern
	if neg, rest, ok := leadingNegativeLookahead(p); ok {
		n, r := h.regexp("^(?:"+neg+")"), h.regexp("^(?:"+rest+")")
		if n != nil && r != nil {
			m = &ir.Pattern{Match: r, Exclude: n}
		}
	}
	if m == nil {
		if r := h.regexp(p); r != nil {
			m = &ir.Pattern{Match: r}
		}
	}
	h.pkg.PatternOf[p] = m
	h.noteRegexps(m, s)
	if m == nil {
		h.b.warn(s, keyword, h.untranslatable(p))
	}
	return m
}

func (h *helpers) noteRegexps(m *ir.Pattern, s *schema.Schema) {
	if m == nil {
		return
	}
	h.noteRegexp(m.Match, s, "")
	if m.Exclude != nil {
		h.noteRegexp(m.Exclude, s, "Excluded")
	}
}

// noteRegexp records a use of r; only regexps in use are declared.
func (h *helpers) noteRegexp(r *ir.Regexp, s *schema.Schema, suffix string) {
	if len(h.sites[r]) == 0 {
		h.pkg.Regexps = append(h.pkg.Regexps, r)
	}
	h.note(r, s, suffix)
}

func (h *helpers) untranslatable(p string) string {
	_, err := translateChecked(p)
	return fmt.Sprintf("pattern %q is not checked: %v", p, err)
}

// regexp returns the compiled form of the ECMA-262 pattern p, or nil.
func (h *helpers) regexp(p string) *ir.Regexp {
	if r, ok := h.regexpBy[p]; ok {
		return r
	}
	var r *ir.Regexp
	if t, err := translateChecked(p); err == nil {
		r = &ir.Regexp{Source: p, RE2: t}
	}
	h.regexpBy[p] = r
	return r
}

// checkBody mirrors emitter.checkBody.
func (h *helpers) checkBody(s *schema.Schema) {
	if s.Bool != nil {
		return
	}
	if s.HasEnum {
		h.literal(s, s.Enum, true)
	}
	if s.HasConst {
		h.literal(s, s.Const, false)
	}
	h.stringHelpers(s)
	for _, item := range s.PrefixItems {
		if !item.IsTrue() {
			h.check(item)
		}
	}
	if s.Items != nil && !s.Items.IsTrue() && !s.Items.IsFalse() {
		h.check(s.Items)
	}
	if s.Contains != nil {
		h.check(s.Contains)
	}
	for _, p := range s.Properties {
		if !p.Schema.IsTrue() {
			h.check(p.Schema)
		}
	}
	for _, d := range s.DependentSchemas {
		if !d.Schema.IsTrue() {
			h.check(d.Schema)
		}
	}
	h.memberLoopHelpers(s)
	if s.Ref != nil {
		h.check(s.Ref)
	}
	for _, a := range s.AllOf {
		if !a.IsTrue() {
			h.check(a)
		}
	}
	for _, a := range s.AnyOf {
		h.check(a)
	}
	for _, a := range s.OneOf {
		h.check(a)
	}
	if s.Not != nil {
		h.check(s.Not)
	}
	if s.If != nil && (s.Then != nil || s.Else != nil) {
		h.check(s.If)
		if s.Then != nil && !s.Then.IsTrue() {
			h.check(s.Then)
		}
		if s.Else != nil && !s.Else.IsTrue() {
			h.check(s.Else)
		}
	}
	if u := s.UnevaluatedProperties; u != nil && !u.IsTrue() {
		if !u.IsFalse() {
			h.check(u)
		}
		h.eval(ir.EvalKey{Schema: s})
	}
	if u := s.UnevaluatedItems; u != nil && !u.IsTrue() {
		if !u.IsFalse() {
			h.check(u)
		}
		h.eval(ir.EvalKey{Items: true, Schema: s})
	}
}

// memberLoopHelpers mirrors emitter.memberLoop.
func (h *helpers) memberLoopHelpers(s *schema.Schema) {
	ap := s.AdditionalProperties
	checkAP := ap != nil && !ap.IsTrue()
	for _, pp := range s.PatternProperties {
		if !checkAP && pp.Schema.IsTrue() {
			continue // matching it would change nothing
		}
		if h.pattern(pp.Schema, "patternProperties", pp.Name) != nil && !pp.Schema.IsTrue() {
			h.check(pp.Schema)
		}
	}
	if s.PropertyNames != nil && !s.PropertyNames.IsTrue() {
		h.check(s.PropertyNames)
	}
	if checkAP && !ap.IsFalse() {
		h.check(ap)
	}
}

// evalBody mirrors emitter.evalBody.
func (h *helpers) evalBody(e *ir.Eval) {
	s := e.Schema
	if s.Bool != nil {
		return
	}
	sub := func(x *schema.Schema) { h.eval(ir.EvalKey{Items: e.Items, Self: true, Schema: x}) }
	if !e.Items {
		if !(s.AdditionalProperties != nil || (e.Self && s.UnevaluatedProperties != nil)) {
			for _, pp := range s.PatternProperties {
				h.pattern(pp.Schema, "patternProperties", pp.Name)
			}
		}
	} else if s.Contains != nil && s.Draft >= schema.Draft2020 {
		h.check(s.Contains)
	}
	if s.Ref != nil {
		sub(s.Ref)
	}
	for _, a := range s.AllOf {
		sub(a)
	}
	for _, a := range append(append([]*schema.Schema{}, s.AnyOf...), s.OneOf...) {
		h.check(a)
		sub(a)
	}
	if s.If != nil {
		h.check(s.If)
		sub(s.If)
		if s.Then != nil {
			sub(s.Then)
		}
		if s.Else != nil {
			sub(s.Else)
		}
	}
	if !e.Items {
		for _, d := range s.DependentSchemas {
			sub(d.Schema)
		}
	}
}
