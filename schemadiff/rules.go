package schemadiff

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// anything is the schema that accepts every document; it stands in for an absent keyword.
var anything = &jsonschema.Schema{}

// schema compares two schemas that apply at the instance location ptr.
func (w *walker) schema(ptr string, o, n *jsonschema.Schema) {
	if o == nil {
		o = anything
	}
	if n == nil {
		n = anything
	}
	w.renamed(ptr, o, n)
	o, n = follow(o), follow(n)
	if o == n || w.seen[[2]*jsonschema.Schema{o, n}] {
		return
	}
	w.seen[[2]*jsonschema.Schema{o, n}] = true

	if w.booleans(ptr, o, n) {
		return
	}
	w.annotations(ptr, o, n)
	w.types(ptr, o, n)
	w.enum(ptr, o, n)
	w.constant(ptr, o, n)
	w.numbers(ptr, o, n)
	w.counts(ptr, o, n)
	w.strings(ptr, o, n)
	w.object(ptr, o, n)
	w.array(ptr, o, n)
	w.combinators(ptr, o, n)
	if o.Ref != nil || n.Ref != nil { // $ref beside other keywords (2019-09 and later)
		w.schema(ptr, o.Ref, n.Ref)
	}
}

// follow goes through schemas that are nothing but a $ref, so that moving a schema behind a
// reference is not a change.
func follow(s *jsonschema.Schema) *jsonschema.Schema {
	for i := 0; s.Ref != nil && onlyRef(s) && i < 100; i++ {
		s = s.Ref
	}
	return s
}

func onlyRef(s *jsonschema.Schema) bool {
	c := *s
	c.Ref = nil
	return trivial(&c)
}

// trivial reports whether s asserts nothing.
func trivial(s *jsonschema.Schema) bool {
	return s.Bool == nil && s.Ref == nil && s.RecursiveRef == nil && s.DynamicRef == nil &&
		s.Types == nil && s.Enum == nil && s.Const == nil && s.Not == nil &&
		len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) == 0 && s.If == nil && s.Format == nil &&
		s.MaxProperties == nil && s.MinProperties == nil && len(s.Required) == 0 &&
		s.PropertyNames == nil && len(s.Properties) == 0 && len(s.PatternProperties) == 0 &&
		s.AdditionalProperties == nil && len(s.Dependencies)+len(s.DependentRequired)+len(s.DependentSchemas) == 0 &&
		s.UnevaluatedProperties == nil && s.MinItems == nil && s.MaxItems == nil && !s.UniqueItems &&
		s.Contains == nil && s.Items == nil && s.AdditionalItems == nil && len(s.PrefixItems) == 0 &&
		s.Items2020 == nil && s.UnevaluatedItems == nil && s.MinLength == nil && s.MaxLength == nil &&
		s.Pattern == nil && s.Maximum == nil && s.Minimum == nil && s.ExclusiveMaximum == nil &&
		s.ExclusiveMinimum == nil && s.MultipleOf == nil
}

// renamed reports a definition that was renamed: the wire is the same, but the generated Go
// type name changes, which the compiler will point out.
func (w *walker) renamed(ptr string, o, n *jsonschema.Schema) {
	if o.Ref == nil || n.Ref == nil {
		return
	}
	on, nn := defName(o.Ref.Location), defName(n.Ref.Location)
	if on != "" && nn != "" && on != nn {
		w.add(ptr, "type-renamed", Neutral, "definition %s renamed to %s (Go type name changes)", on, nn)
	}
}

func defName(loc string) string {
	_, frag, ok := strings.Cut(loc, "#")
	if !ok || frag == "" {
		return ""
	}
	return frag[strings.LastIndex(frag, "/")+1:]
}

// booleans handles schemas that reject everything (false). It reports whether the comparison
// is complete: once either side rejects every value, no keyword of the other side matters.
func (w *walker) booleans(ptr string, o, n *jsonschema.Schema) bool {
	oFalse, nFalse := isFalse(o), isFalse(n)
	switch {
	case oFalse && nFalse:
	case nFalse:
		w.add(ptr, "schema-false", Tightened, "now rejects every value")
	case oFalse:
		w.add(ptr, "schema-opened", Loosened, "no longer rejects every value")
	}
	return oFalse || nFalse
}

func isFalse(s *jsonschema.Schema) bool { return s.Bool != nil && !*s.Bool }

func (w *walker) annotations(ptr string, o, n *jsonschema.Schema) {
	if o.Description != n.Description {
		w.add(ptr, "description-changed", Neutral, "description changed")
	}
	if o.Title != n.Title {
		w.add(ptr, "title-changed", Neutral, "title changed from %q to %q", o.Title, n.Title)
	}
	if o.Deprecated != n.Deprecated {
		w.add(ptr, "deprecated-changed", Neutral, "deprecated changed from %v to %v", o.Deprecated, n.Deprecated)
	}
	if show(o.Default) != show(n.Default) {
		w.add(ptr, "default-changed", Neutral, "default changed from %s to %s", show(o.Default), show(n.Default))
	}
	if o.ReadOnly != n.ReadOnly || o.WriteOnly != n.WriteOnly {
		w.add(ptr, "access-changed", Neutral, "readOnly/writeOnly changed")
	}
}

// show renders a JSON value canonically (encoding/json sorts object keys).
func show(v *any) string {
	if v == nil {
		return "none"
	}
	b, err := json.Marshal(*v)
	if err != nil {
		return fmt.Sprint(*v)
	}
	return string(b)
}

// kinds are the disjoint kinds of JSON value; "fraction" is a number that is not an integer.
var kinds = []string{"null", "boolean", "integer", "fraction", "string", "array", "object"}

func accepts(t *jsonschema.Types, kind string) bool {
	if t == nil {
		return true
	}
	has := func(s string) bool { return slices.Contains(t.ToStrings(), s) }
	switch kind {
	case "integer":
		return has("integer") || has("number")
	case "fraction":
		return has("number")
	}
	return has(kind)
}

func (w *walker) types(ptr string, o, n *jsonschema.Schema) {
	var tight, loose bool
	for _, k := range kinds {
		a, b := accepts(o.Types, k), accepts(n.Types, k)
		tight = tight || (a && !b)
		loose = loose || (!a && b)
	}
	if e := effect(tight, loose); e != Neutral {
		w.add(ptr, "type-changed", e, "type changed from %s to %s", typeNames(o.Types), typeNames(n.Types))
	}
}

func typeNames(t *jsonschema.Types) string {
	if t == nil {
		return "any"
	}
	return strings.Join(t.ToStrings(), "|")
}

func effect(tight, loose bool) Effect {
	switch {
	case tight && loose:
		return Both
	case tight:
		return Tightened
	case loose:
		return Loosened
	}
	return Neutral
}

func (w *walker) enum(ptr string, o, n *jsonschema.Schema) {
	switch {
	case o.Enum == nil && n.Enum == nil:
		return
	case o.Enum == nil:
		w.add(ptr, "enum-added", Tightened, "now limited to %s", values(n.Enum.Values))
		return
	case n.Enum == nil:
		w.add(ptr, "enum-removed", Loosened, "no longer limited to %s", values(o.Enum.Values))
		return
	}
	removed, added := setDiff(o.Enum.Values, n.Enum.Values), setDiff(n.Enum.Values, o.Enum.Values)
	if len(removed) > 0 {
		w.add(ptr, "enum-value-removed", Tightened, "enum values removed: %s", values(removed))
	}
	if len(added) > 0 {
		w.add(ptr, "enum-value-added", Loosened, "enum values added: %s", values(added))
	}
}

// setDiff returns the values of a that are not in b, compared as JSON.
func setDiff(a, b []any) []any {
	in := map[string]bool{}
	for _, v := range b {
		in[show(&v)] = true
	}
	var out []any
	for _, v := range a {
		if !in[show(&v)] {
			out = append(out, v)
		}
	}
	return out
}

func values(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = show(&v)
	}
	return strings.Join(parts, ", ")
}

func (w *walker) constant(ptr string, o, n *jsonschema.Schema) {
	switch a, b := show(o.Const), show(n.Const); {
	case a == b:
	case o.Const == nil:
		w.add(ptr, "const-added", Tightened, "now must equal %s", b)
	case n.Const == nil:
		w.add(ptr, "const-removed", Loosened, "no longer must equal %s", a)
	default:
		w.add(ptr, "const-changed", Both, "const changed from %s to %s", a, b)
	}
}

// bound compares a lower (lower=true) or upper limit: raising a lower limit or lowering an
// upper one tightens.
func (w *walker) bound(ptr, keyword string, lower bool, o, n *big.Rat) {
	switch {
	case o == nil && n == nil:
		return
	case o == nil:
		w.add(ptr, keyword+"-added", Tightened, "%s %s added", keyword, n.RatString())
	case n == nil:
		w.add(ptr, keyword+"-removed", Loosened, "%s %s removed", keyword, o.RatString())
	default:
		c := n.Cmp(o)
		if c == 0 {
			return
		}
		e := Loosened
		if (c > 0) == lower {
			e = Tightened
		}
		w.add(ptr, keyword+"-changed", e, "%s changed from %s to %s", keyword, o.RatString(), n.RatString())
	}
}

func rat(i *int) *big.Rat {
	if i == nil {
		return nil
	}
	return big.NewRat(int64(*i), 1)
}

func (w *walker) numbers(ptr string, o, n *jsonschema.Schema) {
	w.bound(ptr, "minimum", true, o.Minimum, n.Minimum)
	w.bound(ptr, "exclusiveMinimum", true, o.ExclusiveMinimum, n.ExclusiveMinimum)
	w.bound(ptr, "maximum", false, o.Maximum, n.Maximum)
	w.bound(ptr, "exclusiveMaximum", false, o.ExclusiveMaximum, n.ExclusiveMaximum)
	switch {
	case o.MultipleOf == nil && n.MultipleOf == nil:
	case o.MultipleOf == nil:
		w.add(ptr, "multipleOf-added", Tightened, "multipleOf %s added", n.MultipleOf.RatString())
	case n.MultipleOf == nil:
		w.add(ptr, "multipleOf-removed", Loosened, "multipleOf %s removed", o.MultipleOf.RatString())
	case o.MultipleOf.Cmp(n.MultipleOf) != 0:
		e := Both
		if new(big.Rat).Quo(n.MultipleOf, o.MultipleOf).IsInt() {
			e = Tightened // every multiple of the new step is a multiple of the old one
		} else if new(big.Rat).Quo(o.MultipleOf, n.MultipleOf).IsInt() {
			e = Loosened
		}
		w.add(ptr, "multipleOf-changed", e, "multipleOf changed from %s to %s", o.MultipleOf.RatString(), n.MultipleOf.RatString())
	}
}

func (w *walker) counts(ptr string, o, n *jsonschema.Schema) {
	w.bound(ptr, "minLength", true, rat(o.MinLength), rat(n.MinLength))
	w.bound(ptr, "maxLength", false, rat(o.MaxLength), rat(n.MaxLength))
	w.bound(ptr, "minItems", true, rat(o.MinItems), rat(n.MinItems))
	w.bound(ptr, "maxItems", false, rat(o.MaxItems), rat(n.MaxItems))
	w.bound(ptr, "minProperties", true, rat(o.MinProperties), rat(n.MinProperties))
	w.bound(ptr, "maxProperties", false, rat(o.MaxProperties), rat(n.MaxProperties))
	w.bound(ptr, "minContains", true, rat(o.MinContains), rat(n.MinContains))
	w.bound(ptr, "maxContains", false, rat(o.MaxContains), rat(n.MaxContains))
	if o.UniqueItems != n.UniqueItems {
		e := Loosened
		if n.UniqueItems {
			e = Tightened
		}
		w.add(ptr, "uniqueItems-changed", e, "uniqueItems changed from %v to %v", o.UniqueItems, n.UniqueItems)
	}
}

func (w *walker) strings(ptr string, o, n *jsonschema.Schema) {
	op, np := regexpString(o.Pattern), regexpString(n.Pattern)
	switch {
	case op == np:
	case op == "":
		w.add(ptr, "pattern-added", Tightened, "pattern %s added", np)
	case np == "":
		w.add(ptr, "pattern-removed", Loosened, "pattern %s removed", op)
	default:
		w.add(ptr, "pattern-changed", Unknown, "pattern changed from %s to %s", op, np)
	}
	of, nf := formatName(o.Format), formatName(n.Format)
	switch {
	case of == nf:
	case of == "":
		w.add(ptr, "format-added", Tightened, "format %s added", nf)
	case nf == "":
		w.add(ptr, "format-removed", Loosened, "format %s removed", of)
	default:
		w.add(ptr, "format-changed", Unknown, "format changed from %s to %s", of, nf)
	}
}

func regexpString(r jsonschema.Regexp) string {
	if r == nil {
		return ""
	}
	return r.String()
}

func formatName(f *jsonschema.Format) string {
	if f == nil {
		return ""
	}
	return f.Name
}
