package schemadiff

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/gbggen/gbggen/generator/schema"
)

func (w *walker) object(ptr string, o, n *schema.Schema) {
	w.required(ptr, o, n)
	for _, name := range names(o.Properties, n.Properties) {
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

// names returns the names listed in a or b, sorted, so that reordering is not a change and
// changes come out in a stable order.
func names(a, b []schema.Named) []string {
	set := map[string]bool{}
	for _, nd := range slices.Concat(a, b) {
		set[nd.Name] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// find returns the schema listed under name.
func find(list []schema.Named, name string) (*schema.Schema, bool) {
	i := slices.IndexFunc(list, func(nd schema.Named) bool { return nd.Name == name })
	if i < 0 {
		return nil, false
	}
	return list[i].Schema, true
}

func (w *walker) required(ptr string, o, n *schema.Schema) {
	for _, name := range sortedDiff(n.Required, o.Required) {
		rule := "property-made-required"
		if _, known := find(o.Properties, name); !known {
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
func (w *walker) property(ptr, name string, o, n *schema.Schema) {
	op, inOld := find(o.Properties, name)
	np, inNew := find(n.Properties, name)
	switch {
	case inOld && inNew:
		w.schema(ptr, op, np)
	case inOld:
		rest, closed := w.fallback(ptr, n, name)
		if closed {
			w.add(ptr, "property-removed", Tightened, "property %s removed and additional properties are closed", name)
			return
		}
		w.add(ptr, "property-removed", Neutral, "property %s removed (still accepted as an additional property)", name)
		w.schema(ptr, op, rest)
	case inNew:
		rest, closed := w.fallback(ptr, o, name)
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

// fallback returns the schema that applies in s to a member name s does not list (at ptr),
// and whether such a member is rejected outright. The first patternProperties pattern that
// matches the name applies.
//
// Patterns are ECMA-262, translated to RE2 as the generator translates them
// (schema.CompilePattern); RE2 lacks lookaround and backreferences. A pattern it cannot
// express may or may not match, so it is reported as a warning
// (patternProperties-unsupported) and then passed over as if it did not match: the guess is
// never silent, and the member still gets the verdict of what else applies to it, usually
// additionalProperties.
func (w *walker) fallback(ptr string, s *schema.Schema, name string) (*schema.Schema, bool) {
	for _, pp := range s.PatternProperties {
		re, ok := schema.CompilePattern(pp.Name)
		if !ok {
			w.add(ptr, "patternProperties-unsupported", Unknown,
				"cannot tell whether %s matches patternProperties %s (not a Go regular expression)", name, pp.Name)
			continue
		}
		if re.MatchString(name) {
			return pp.Schema, false
		}
	}
	ap := s.AdditionalProperties
	if ap != nil && ap.IsFalse() {
		return nil, true
	}
	return ap, false
}

func (w *walker) additional(ptr string, o, n *schema.Schema) {
	oa, na := o.AdditionalProperties, n.AdditionalProperties
	oClosed, nClosed := oa != nil && oa.IsFalse(), na != nil && na.IsFalse()
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

// patterns compares patternProperties by their pattern text: the same pattern in both is
// compared in place, and one added or removed cannot be judged without knowing which names
// it matches.
func (w *walker) patterns(ptr string, o, n *schema.Schema) {
	for _, k := range names(o.PatternProperties, n.PatternProperties) {
		a, inOld := find(o.PatternProperties, k)
		b, inNew := find(n.PatternProperties, k)
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

// sameDependencies compares dependentRequired and dependentSchemas by name. The loader has
// already split draft-07 "dependencies" into the two, so respelling one as the other is no
// change.
func (w *walker) sameDependencies(o, n *schema.Schema) bool {
	return sameDependentRequired(o.DependentRequired, n.DependentRequired) &&
		w.sameDependentSchemas(o.DependentSchemas, n.DependentSchemas)
}

func sameDependentRequired(a, b []schema.Dependency) bool {
	if len(a) != len(b) {
		return false
	}
	for _, d := range a {
		i := slices.IndexFunc(b, func(e schema.Dependency) bool { return e.Name == d.Name })
		if i < 0 || !slices.Equal(d.Required, b[i].Required) {
			return false
		}
	}
	return true
}

func (w *walker) sameDependentSchemas(a, b []schema.Named) bool {
	if len(a) != len(b) {
		return false
	}
	for _, d := range a {
		s, ok := find(b, d.Name)
		if !ok || !w.equivalent(d.Schema, s) {
			return false
		}
	}
	return true
}

// array compares item schemas position by position. The loader gives every draft's spelling
// (tuple items + additionalItems, or prefixItems + items) as PrefixItems and Items, the schema
// for the items after them.
func (w *walker) array(ptr string, o, n *schema.Schema) {
	for i := range max(len(o.PrefixItems), len(n.PrefixItems)) {
		a, b := at(o.PrefixItems, i, o.Items), at(n.PrefixItems, i, n.Items)
		w.schema(ptr+"/"+strconv.Itoa(i), a, b)
	}
	if o.Items != nil || n.Items != nil {
		w.schema(ptr+"/*", o.Items, n.Items)
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

func at(prefix []*schema.Schema, i int, rest *schema.Schema) *schema.Schema {
	if i < len(prefix) {
		return prefix[i]
	}
	return rest
}

func (w *walker) combinators(ptr string, o, n *schema.Schema) {
	w.branches(ptr, "allOf", o.AllOf, n.AllOf)
	w.branches(ptr, "anyOf", o.AnyOf, n.AnyOf)
	w.branches(ptr, "oneOf", o.OneOf, n.OneOf)
	if o.Not != nil || n.Not != nil {
		w.opaque(ptr, "not-changed", "not changed", o.Not, n.Not)
	}
	oIf, oThen, oElse := conditional(o)
	nIf, nThen, nElse := conditional(n)
	if !w.equivalent(orAnything(oIf), orAnything(nIf)) || !w.equivalent(orAnything(oThen), orAnything(nThen)) ||
		!w.equivalent(orAnything(oElse), orAnything(nElse)) {
		w.add(ptr, "conditional-changed", Unknown, "if/then/else changed")
	}
}

// conditional returns the if, then and else of s that take effect: then and else mean nothing
// without if, and a boolean if never reaches one of them.
func conditional(s *schema.Schema) (cond, then, els *schema.Schema) {
	if s.If == nil {
		return nil, nil, nil
	}
	then, els = s.Then, s.Else
	if s.If.Bool != nil {
		if *s.If.Bool {
			els = nil
		} else {
			then = nil
		}
	}
	return s.If, then, els
}

// branches matches the branches of a combinator by structure, so reordering is not a change;
// when exactly one branch changed, it is compared in place.
func (w *walker) branches(ptr, keyword string, old, new []*schema.Schema) {
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

func (w *walker) unmatched(a, b []*schema.Schema) []*schema.Schema {
	var out []*schema.Schema
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

func describe(s *schema.Schema) string {
	s = s.Deref()
	var parts []string
	if len(s.Types) > 0 {
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
func (w *walker) opaque(ptr, rule, msg string, o, n *schema.Schema) {
	if !w.equivalent(orAnything(o), orAnything(n)) {
		w.add(ptr, rule, Unknown, "%s", msg)
	}
}

func orAnything(s *schema.Schema) *schema.Schema {
	if s == nil {
		return anything
	}
	return s
}

// equivalent reports whether two schemas differ in nothing that affects validity. Answers are
// memoised for the whole comparison: without that, nested combinators compare their branches
// pairwise at every level, which is exponential in the nesting depth.
func (w *walker) equivalent(a, b *schema.Schema) bool {
	key := pair{a, b}
	if v, ok := w.memo[key]; ok {
		return v
	}
	w.memo[key] = true // a recursive schema that reaches this pair again assumes it is equal
	sub := &walker{seen: map[pair]bool{}, memo: w.memo}
	sub.schema("", a, b)
	eq := !slices.ContainsFunc(sub.changes, func(c Change) bool { return c.Effect != Neutral })
	w.memo[key] = eq
	return eq
}
