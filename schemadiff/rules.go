package schemadiff

import (
	"encoding/json"
	"math/big"
	"slices"
	"strings"

	"github.com/gbggen/gbggen/generator/schema"
)

// anything is the schema that accepts every document; it stands in for an absent keyword.
var anything = &schema.Schema{}

// schema compares two schemas that apply at the instance location ptr.
func (w *walker) schema(ptr string, o, n *schema.Schema) {
	if o == nil {
		o = anything
	}
	if n == nil {
		n = anything
	}
	w.renamed(ptr, o, n)
	// Going through schemas that are nothing but a $ref makes moving a schema behind a
	// reference no change.
	o, n = o.Deref(), n.Deref()
	if o == n || w.seen[pair{o, n}] {
		return
	}
	w.seen[pair{o, n}] = true

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

// trivial reports whether s asserts nothing: true, {}, or a $ref to either. The loader keeps
// true and {} apart, but they accept the same documents and must compare the same.
func trivial(s *schema.Schema) bool { return s.Deref().IsTrue() }

// renamed reports a definition that was renamed: the wire is the same, but the generated Go
// type name changes, which the compiler will point out.
func (w *walker) renamed(ptr string, o, n *schema.Schema) {
	if o.Ref == nil || n.Ref == nil {
		return
	}
	on, nn := defName(o.Ref), defName(n.Ref)
	if on != "" && nn != "" && on != nn {
		w.add(ptr, "type-renamed", Neutral, "definition %s renamed to %s (Go type name changes)", on, nn)
	}
}

// defName is the last token of the JSON Pointer at which s was found: the definition's name
// for a $ref into definitions or $defs, empty for a $ref to a whole document.
func defName(s *schema.Schema) string {
	if s.Pointer == "" {
		return ""
	}
	tok := s.Pointer[strings.LastIndex(s.Pointer, "/")+1:]
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}

// booleans handles schemas that reject everything (false). It reports whether the comparison
// is complete: once either side rejects every value, no keyword of the other side matters.
func (w *walker) booleans(ptr string, o, n *schema.Schema) bool {
	oFalse, nFalse := o.IsFalse(), n.IsFalse()
	switch {
	case oFalse && nFalse:
	case nFalse:
		w.add(ptr, "schema-false", Tightened, "now rejects every value")
	case oFalse:
		w.add(ptr, "schema-opened", Loosened, "no longer rejects every value")
	}
	return oFalse || nFalse
}

func (w *walker) annotations(ptr string, o, n *schema.Schema) {
	if o.Description != n.Description {
		w.add(ptr, "description-changed", Neutral, "description changed")
	}
	if o.Title != n.Title {
		w.add(ptr, "title-changed", Neutral, "title changed from %q to %q", o.Title, n.Title)
	}
	if o.Deprecated != n.Deprecated {
		w.add(ptr, "deprecated-changed", Neutral, "deprecated changed from %v to %v", o.Deprecated, n.Deprecated)
	}
	if a, b := show(o.HasDefault, o.Default), show(n.HasDefault, n.Default); a != b {
		w.add(ptr, "default-changed", Neutral, "default changed from %s to %s", a, b)
	}
	if o.ReadOnly != n.ReadOnly || o.WriteOnly != n.WriteOnly {
		w.add(ptr, "access-changed", Neutral, "readOnly/writeOnly changed")
	}
}

// kinds are the disjoint kinds of JSON value; "fraction" is a number that is not an integer.
var kinds = []string{"null", "boolean", "integer", "fraction", "string", "array", "object"}

// accepts reports whether the type keyword ts (empty when absent) admits values of kind.
func accepts(ts []string, kind string) bool {
	if len(ts) == 0 {
		return true
	}
	switch kind {
	case "integer":
		return slices.Contains(ts, "integer") || slices.Contains(ts, "number")
	case "fraction":
		return slices.Contains(ts, "number")
	}
	return slices.Contains(ts, kind)
}

func (w *walker) types(ptr string, o, n *schema.Schema) {
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

// typeOrder is the order in which messages list type names, whatever order the schema used.
var typeOrder = []string{"null", "boolean", "number", "integer", "string", "array", "object"}

func typeNames(ts []string) string {
	if len(ts) == 0 {
		return "any"
	}
	var names []string
	for _, t := range typeOrder {
		if slices.Contains(ts, t) {
			names = append(names, t)
		}
	}
	return strings.Join(names, "|")
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

func (w *walker) enum(ptr string, o, n *schema.Schema) {
	switch {
	case !o.HasEnum && !n.HasEnum:
		return
	case !o.HasEnum:
		w.add(ptr, "enum-added", Tightened, "now limited to %s", values(n.Enum))
		return
	case !n.HasEnum:
		w.add(ptr, "enum-removed", Loosened, "no longer limited to %s", values(o.Enum))
		return
	}
	removed, added := setDiff(o.Enum, n.Enum), setDiff(n.Enum, o.Enum)
	if len(removed) > 0 {
		w.add(ptr, "enum-value-removed", Tightened, "enum values removed: %s", values(removed))
	}
	if len(added) > 0 {
		w.add(ptr, "enum-value-added", Loosened, "enum values added: %s", values(added))
	}
}

// setDiff returns the values of a that are not in b, compared as canonical JSON.
func setDiff(a, b []any) []any {
	in := map[string]bool{}
	for _, v := range b {
		in[schema.CanonicalJSON(v)] = true
	}
	var out []any
	for _, v := range a {
		if !in[schema.CanonicalJSON(v)] {
			out = append(out, v)
		}
	}
	return out
}

func values(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = schema.CanonicalJSON(v)
	}
	return strings.Join(parts, ", ")
}

func (w *walker) constant(ptr string, o, n *schema.Schema) {
	switch a, b := show(o.HasConst, o.Const), show(n.HasConst, n.Const); {
	case a == b:
	case !o.HasConst:
		w.add(ptr, "const-added", Tightened, "now must equal %s", b)
	case !n.HasConst:
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

// number reads a numeric keyword exactly: the loader keeps the text as written, and big.Rat
// parses a JSON number (1e2, 0.1) without rounding. A number big.Rat refuses because its
// exponent is beyond big.Rat's limit (millions of digits) counts as absent rather than stopping
// the comparison; the previous compiler treated it the same way.
func number(n *json.Number) *big.Rat {
	if n == nil {
		return nil
	}
	r, ok := new(big.Rat).SetString(n.String())
	if !ok {
		return nil
	}
	return r
}

func count(i *int) *big.Rat {
	if i == nil {
		return nil
	}
	return big.NewRat(int64(*i), 1)
}

func (w *walker) numbers(ptr string, o, n *schema.Schema) {
	w.bound(ptr, "minimum", true, number(o.Minimum), number(n.Minimum))
	w.bound(ptr, "exclusiveMinimum", true, number(o.ExclusiveMinimum), number(n.ExclusiveMinimum))
	w.bound(ptr, "maximum", false, number(o.Maximum), number(n.Maximum))
	w.bound(ptr, "exclusiveMaximum", false, number(o.ExclusiveMaximum), number(n.ExclusiveMaximum))
	w.multipleOf(ptr, number(o.MultipleOf), number(n.MultipleOf))
}

func (w *walker) multipleOf(ptr string, o, n *big.Rat) {
	switch {
	case o == nil && n == nil:
	case o == nil:
		w.add(ptr, "multipleOf-added", Tightened, "multipleOf %s added", n.RatString())
	case n == nil:
		w.add(ptr, "multipleOf-removed", Loosened, "multipleOf %s removed", o.RatString())
	case o.Cmp(n) != 0:
		// The loader refuses a multipleOf that is not positive, so neither quotient divides
		// by zero.
		e := Both
		if new(big.Rat).Quo(n, o).IsInt() {
			e = Tightened // every multiple of the new step is a multiple of the old one
		} else if new(big.Rat).Quo(o, n).IsInt() {
			e = Loosened
		}
		w.add(ptr, "multipleOf-changed", e, "multipleOf changed from %s to %s", o.RatString(), n.RatString())
	}
}

func (w *walker) counts(ptr string, o, n *schema.Schema) {
	w.bound(ptr, "minLength", true, count(o.MinLength), count(n.MinLength))
	w.bound(ptr, "maxLength", false, count(o.MaxLength), count(n.MaxLength))
	w.bound(ptr, "minItems", true, count(o.MinItems), count(n.MinItems))
	w.bound(ptr, "maxItems", false, count(o.MaxItems), count(n.MaxItems))
	w.bound(ptr, "minProperties", true, count(o.MinProperties), count(n.MinProperties))
	w.bound(ptr, "maxProperties", false, count(o.MaxProperties), count(n.MaxProperties))
	w.bound(ptr, "minContains", true, count(o.MinContains), count(n.MinContains))
	w.bound(ptr, "maxContains", false, count(o.MaxContains), count(n.MaxContains))
	if o.UniqueItems != n.UniqueItems {
		e := Loosened
		if n.UniqueItems {
			e = Tightened
		}
		w.add(ptr, "uniqueItems-changed", e, "uniqueItems changed from %v to %v", o.UniqueItems, n.UniqueItems)
	}
}

func (w *walker) strings(ptr string, o, n *schema.Schema) {
	// An empty pattern matches every string, so it counts as no pattern.
	w.textKeyword(ptr, "pattern", patternText(o.Pattern), patternText(n.Pattern))
	w.textKeyword(ptr, "format", o.Format, n.Format)
}

// textKeyword compares a keyword whose value is text ("" for absent): adding it tightens,
// removing it loosens, and what a changed value does cannot be told.
func (w *walker) textKeyword(ptr, keyword, o, n string) {
	switch {
	case o == n:
	case o == "":
		w.add(ptr, keyword+"-added", Tightened, "%s %s added", keyword, n)
	case n == "":
		w.add(ptr, keyword+"-removed", Loosened, "%s %s removed", keyword, o)
	default:
		w.add(ptr, keyword+"-changed", Unknown, "%s changed from %s to %s", keyword, o, n)
	}
}

func patternText(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
