package schemadiff

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func (w *walker) object(ptr string, o, n *jsonschema.Schema) {
	w.required(ptr, o, n)
	names := slices.Sorted(maps.Keys(o.Properties))
	for name := range n.Properties {
		if _, ok := o.Properties[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		w.property(ptr+"/"+escape(name), name, o, n)
	}
	w.additional(ptr, o, n)
	w.patterns(ptr, o, n)
	if o.PropertyNames != nil || n.PropertyNames != nil {
		w.opaque(ptr, "propertyNames-changed", "property names rule changed", o.PropertyNames, n.PropertyNames)
	}
	if !w.sameDependencies(o, n) {
		w.add(ptr, "dependencies-changed", Unknown, "dependentRequired/dependencies changed")
	}
}

func (w *walker) required(ptr string, o, n *jsonschema.Schema) {
	for _, name := range sortedDiff(n.Required, o.Required) {
		rule := "property-made-required"
		if _, known := o.Properties[name]; !known {
			rule = "required-property-added"
		}
		w.add(ptr+"/"+escape(name), rule, Tightened, "%s is now required", name)
	}
	for _, name := range sortedDiff(o.Required, n.Required) {
		w.add(ptr+"/"+escape(name), "required-dropped", Loosened, "%s is no longer required", name)
	}
}

func sortedDiff(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// property compares what OLD and NEW say about one member name. A name one side defines and
// the other does not falls, on that side, to patternProperties or additionalProperties.
func (w *walker) property(ptr, name string, o, n *jsonschema.Schema) {
	op, inOld := o.Properties[name]
	np, inNew := n.Properties[name]
	switch {
	case inOld && inNew:
		w.schema(ptr, op, np)
	case inOld:
		rest, closed := fallback(n, name)
		if closed {
			w.add(ptr, "property-removed", Tightened, "property %s removed and additional properties are closed", name)
			return
		}
		w.add(ptr, "property-removed", Neutral, "property %s removed (still accepted as an additional property)", name)
		w.schema(ptr, op, rest)
	case inNew:
		rest, closed := fallback(o, name)
		if closed {
			w.add(ptr, "property-added", Loosened, "property %s added where additional properties were closed", name)
			return
		}
		// Code generated from OLD never sends a member it has no field for, so an optional
		// property added to an open object is not judged by its new constraints.
		if rest == nil || trivial(rest) {
			w.add(ptr, "property-added", Neutral, "optional property %s added", name)
			return
		}
		w.add(ptr, "property-added", Neutral, "property %s added", name)
		w.schema(ptr, rest, np)
	}
}

// fallback returns the schema that applies in s to a member name s does not list, and whether
// such a member is rejected outright.
func fallback(s *jsonschema.Schema, name string) (*jsonschema.Schema, bool) {
	for re, sub := range s.PatternProperties {
		if re.MatchString(name) {
			return sub, false
		}
	}
	switch ap := s.AdditionalProperties.(type) {
	case bool:
		return nil, !ap
	case *jsonschema.Schema:
		if ap.Bool != nil && !*ap.Bool {
			return nil, true
		}
		return ap, false
	}
	return nil, false
}

func (w *walker) additional(ptr string, o, n *jsonschema.Schema) {
	oa, oClosed := additionalSchema(o)
	na, nClosed := additionalSchema(n)
	switch {
	case oClosed && nClosed:
	case nClosed:
		w.add(ptr, "additionalProperties-closed", Tightened, "additional properties are no longer accepted")
	case oClosed:
		w.add(ptr, "additionalProperties-opened", Loosened, "additional properties are now accepted")
		if na != nil {
			w.schema(ptr+"/*", nil, na) // judged from the new constraint: open then narrowed
		}
	default:
		w.schema(ptr+"/*", oa, na)
	}
}

func additionalSchema(s *jsonschema.Schema) (*jsonschema.Schema, bool) {
	switch ap := s.AdditionalProperties.(type) {
	case bool:
		return nil, !ap
	case *jsonschema.Schema:
		return ap, ap.Bool != nil && !*ap.Bool
	}
	return nil, false
}

func (w *walker) patterns(ptr string, o, n *jsonschema.Schema) {
	byString := func(m map[jsonschema.Regexp]*jsonschema.Schema) map[string]*jsonschema.Schema {
		out := map[string]*jsonschema.Schema{}
		for re, s := range m {
			out[re.String()] = s
		}
		return out
	}
	op, np := byString(o.PatternProperties), byString(n.PatternProperties)
	keys := slices.Sorted(maps.Keys(op))
	for k := range np {
		if _, ok := op[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		a, inOld := op[k]
		b, inNew := np[k]
		switch {
		case inOld && inNew:
			w.schema(ptr+"/*", a, b)
		case inOld:
			w.add(ptr, "patternProperties-removed", Unknown, "patternProperties %s removed", k)
		default:
			w.add(ptr, "patternProperties-added", Unknown, "patternProperties %s added", k)
		}
	}
}

func (w *walker) sameDependencies(o, n *jsonschema.Schema) bool {
	if len(o.DependentRequired) != len(n.DependentRequired) || len(o.Dependencies) != len(n.Dependencies) ||
		len(o.DependentSchemas) != len(n.DependentSchemas) {
		return false
	}
	for k, v := range o.DependentRequired {
		if !slices.Equal(v, n.DependentRequired[k]) {
			return false
		}
	}
	for k, v := range o.Dependencies {
		nv, ok := n.Dependencies[k]
		if !ok {
			return false
		}
		if a, ok := v.([]string); ok {
			if b, ok := nv.([]string); !ok || !slices.Equal(a, b) {
				return false
			}
		} else if a, ok := v.(*jsonschema.Schema); ok {
			b, ok := nv.(*jsonschema.Schema)
			if !ok || !w.equivalent(a, b) {
				return false
			}
		}
	}
	for k, v := range o.DependentSchemas {
		if b, ok := n.DependentSchemas[k]; !ok || !w.equivalent(v, b) {
			return false
		}
	}
	return true
}

func (w *walker) array(ptr string, o, n *jsonschema.Schema) {
	oPrefix, oRest := items(o)
	nPrefix, nRest := items(n)
	for i := range max(len(oPrefix), len(nPrefix)) {
		a, b := at(oPrefix, i, oRest), at(nPrefix, i, nRest)
		w.schema(ptr+"/"+strconv.Itoa(i), a, b)
	}
	if oRest != nil || nRest != nil {
		w.schema(ptr+"/*", oRest, nRest)
	}
	if o.Contains != nil || n.Contains != nil {
		switch {
		case o.Contains == nil:
			w.add(ptr, "contains-added", Tightened, "contains added")
		case n.Contains == nil:
			w.add(ptr, "contains-removed", Loosened, "contains removed")
		default:
			w.opaque(ptr, "contains-changed", "contains changed", o.Contains, n.Contains)
		}
	}
}

// items returns the per-position item schemas and the schema for the items after them, for
// every draft's spelling (tuple items + additionalItems, or prefixItems + items).
func items(s *jsonschema.Schema) ([]*jsonschema.Schema, *jsonschema.Schema) {
	if len(s.PrefixItems) > 0 || s.Items2020 != nil {
		return s.PrefixItems, s.Items2020
	}
	switch it := s.Items.(type) {
	case *jsonschema.Schema:
		return nil, it
	case []*jsonschema.Schema:
		switch ai := s.AdditionalItems.(type) {
		case bool:
			if !ai {
				f := false
				return it, &jsonschema.Schema{Bool: &f}
			}
		case *jsonschema.Schema:
			return it, ai
		}
		return it, nil
	}
	return nil, nil
}

func at(prefix []*jsonschema.Schema, i int, rest *jsonschema.Schema) *jsonschema.Schema {
	if i < len(prefix) {
		return prefix[i]
	}
	return rest
}

func (w *walker) combinators(ptr string, o, n *jsonschema.Schema) {
	w.branches(ptr, "allOf", o.AllOf, n.AllOf)
	w.branches(ptr, "anyOf", o.AnyOf, n.AnyOf)
	w.branches(ptr, "oneOf", o.OneOf, n.OneOf)
	if o.Not != nil || n.Not != nil {
		w.opaque(ptr, "not-changed", "not changed", o.Not, n.Not)
	}
	if !w.equivalent(orAnything(o.If), orAnything(n.If)) || !w.equivalent(orAnything(o.Then), orAnything(n.Then)) ||
		!w.equivalent(orAnything(o.Else), orAnything(n.Else)) {
		w.add(ptr, "conditional-changed", Unknown, "if/then/else changed")
	}
}

// branches matches the branches of a combinator by structure, so reordering is not a change;
// when exactly one branch changed, it is compared in place.
func (w *walker) branches(ptr, keyword string, old, new []*jsonschema.Schema) {
	unmatchedOld, unmatchedNew := w.unmatched(old, new), w.unmatched(new, old)
	if len(unmatchedOld) == 1 && len(unmatchedNew) == 1 {
		w.schema(ptr, unmatchedOld[0], unmatchedNew[0])
		return
	}
	added, removed := Loosened, Tightened
	if keyword == "allOf" {
		added, removed = Tightened, Loosened
	}
	for _, s := range unmatchedNew {
		w.add(ptr, keyword+"-branch-added", added, "%s branch added%s", keyword, describe(s))
	}
	for _, s := range unmatchedOld {
		w.add(ptr, keyword+"-branch-removed", removed, "%s branch removed%s", keyword, describe(s))
	}
}

func (w *walker) unmatched(a, b []*jsonschema.Schema) []*jsonschema.Schema {
	var out []*jsonschema.Schema
	used := make([]bool, len(b))
outer:
	for _, s := range a {
		for j, t := range b {
			if !used[j] && w.equivalent(s, t) {
				used[j] = true
				continue outer
			}
		}
		out = append(out, s)
	}
	return out
}

func describe(s *jsonschema.Schema) string {
	s = follow(s)
	var parts []string
	if s.Types != nil {
		parts = append(parts, "type "+typeNames(s.Types))
	}
	if len(s.Required) > 0 {
		parts = append(parts, "required "+strings.Join(s.Required, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// opaque reports a change inside a keyword whose effect on validity cannot be told from the
// sub-schema's own change (not, contains, propertyNames).
func (w *walker) opaque(ptr, rule, msg string, o, n *jsonschema.Schema) {
	if !w.equivalent(orAnything(o), orAnything(n)) {
		w.add(ptr, rule, Unknown, "%s", msg)
	}
}

func orAnything(s *jsonschema.Schema) *jsonschema.Schema {
	if s == nil {
		return anything
	}
	return s
}

// equivalent reports whether two schemas differ in nothing that affects validity. Answers are
// memoised for the whole comparison: without that, nested combinators compare their branches
// pairwise at every level, which is exponential in the nesting depth.
func (w *walker) equivalent(a, b *jsonschema.Schema) bool {
	key := [2]*jsonschema.Schema{a, b}
	if v, ok := w.memo[key]; ok {
		return v
	}
	w.memo[key] = true // a recursive schema that reaches this pair again assumes it is equal
	sub := &walker{seen: map[[2]*jsonschema.Schema]bool{}, memo: w.memo}
	sub.schema("", a, b)
	eq := !slices.ContainsFunc(sub.changes, func(c Change) bool { return c.Effect != Neutral })
	w.memo[key] = eq
	return eq
}
