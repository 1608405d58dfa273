package generator

import (
	"fmt"
	"strings"

	"github.com/gbggen/gbggen/generator/internal/ir"
	"github.com/gbggen/gbggen/generator/schema"
)

// builder turns loaded schemas into named types. One builder serves one
// output package, so that identical shapes anywhere in it share a type.
type builder struct {
	byKey    map[string]*ir.Type
	types    []*ir.Type
	info     map[*ir.Type]*typeInfo
	building map[*schema.Schema]bool
	shapes   shapes
	warn     func(s *schema.Schema, keyword, msg string)
}

// typeInfo is what the builder and the naming pass know about a type and the emitters
// need not: its shape key and every place it was found.
type typeInfo struct {
	key  string
	root string // the name the user gave, for a root
	done bool   // struct fields are complete
	// seen lists every schema node the type stands for, with what its place says about
	// a name; the naming pass picks one of them by a rule that does not depend on the
	// order they were found in.
	seen []occurrence
}

// occurrence is one place a type was found.
type occurrence struct {
	s    *schema.Schema
	hint nameHint
}

func newBuilder(warn func(*schema.Schema, string, string)) *builder {
	return &builder{byKey: map[string]*ir.Type{}, info: map[*ir.Type]*typeInfo{}, building: map[*schema.Schema]bool{},
		shapes: shapes{}, warn: warn}
}

// canon is the shape key of s (see shapes.key).
func (b *builder) canon(s *schema.Schema) string { return b.shapes.key(s) }

// root builds the named type for a root schema.
func (b *builder) root(s *schema.Schema, name string) *ir.Type {
	r := b.ref(s, nameHint{root: name})
	if r.Named != nil && b.info[r.Named].root == "" && r.Named.Kind != ir.KindDynamic {
		// The shape already has a type (for example the root is also a
		// definition); the root name wins.
		b.info[r.Named].root = name
		return r.Named
	}
	if r.Named != nil && b.info[r.Named].root == name {
		return r.Named
	}
	t := &ir.Type{Kind: ir.KindNamed, Schema: s, Under: r}
	if r.Named != nil {
		// Root that is only a reference to another named type.
		t.Under = &ir.Ref{Named: r.Named}
	}
	b.register(t, "", nameHint{root: name})
	b.info[t].root = name
	return t
}

// found records that the type t stands for s found at hint, and returns t.
func (b *builder) found(t *ir.Type, s *schema.Schema, hint nameHint) *ir.Type {
	i := b.info[t]
	i.seen = append(i.seen, occurrence{s: s, hint: hint})
	return t
}

// ref returns the Go type for values of s found at the place hint
// describes.
func (b *builder) ref(s *schema.Schema, hint nameHint) *ir.Ref {
	s = s.Deref()
	if s.IsTrue() {
		return &ir.Ref{Builtin: "json.RawMessage"}
	}
	if isDefinition(s) && hint.root == "" {
		// Named after the definition, not after the member using it; qualified, if it
		// must be, by what contains the definition (see assignNames).
		hint = nameHint{base: defNameOf(s), definition: true}
	}
	key := b.canon(s)
	if t, ok := b.byKey[key]; ok && (t.Kind != ir.KindNamed || t.Schema == s) && (!t.Inline || !namedEnum(s, hint)) {
		// Identical shapes share a type, except named scalars, slices and maps: a
		// definition named PostalCode must not become the type of every other string
		// that happens to have the same constraints.
		return typeRef(b.found(t, s, hint))
	}
	if b.building[s] {
		// A cycle through inline (unnamed) shapes: name it dynamically.
		return &ir.Ref{Named: b.dynamicType(s, key, hint)}
	}
	b.building[s] = true
	defer delete(b.building, s)
	if m := b.mergeAllOf(s); m != nil {
		s = m
	}
	switch {
	case b.isStruct(s):
		return &ir.Ref{Named: b.structType(s, key, hint)}
	case b.isEnum(s):
		return typeRef(b.enumType(s, key, hint))
	}
	if r := b.nullable(s, hint); r != nil {
		return r
	}
	if r := b.inline(s, hint); r != nil {
		if hint.root != "" || isDefinition(s) {
			t := &ir.Type{Kind: ir.KindNamed, Schema: s, Under: r}
			b.register(t, key, hint)
			return &ir.Ref{Named: t}
		}
		return r
	}
	if t := b.unionType(s, key, hint); t != nil {
		return &ir.Ref{Named: t}
	}
	if t := b.sumType(s, key, hint); t != nil {
		return &ir.Ref{Named: t}
	}
	return &ir.Ref{Named: b.dynamicType(s, key, hint)}
}

// isDefinition reports whether s is itself an entry of definitions or $defs, not a schema
// somewhere inside one.
func isDefinition(s *schema.Schema) bool { return defNameOf(s) != "" }

// register adds a new type of shape key (none when "") found at t.Schema.
func (b *builder) register(t *ir.Type, key string, hint nameHint) {
	if key != "" {
		b.byKey[key] = t
	}
	b.info[t] = &typeInfo{key: key, seen: []occurrence{{s: t.Schema, hint: hint}}}
	b.types = append(b.types, t)
}

func only(s *schema.Schema, t string) bool { return len(s.Types) == 1 && s.Types[0] == t }

// noApplicators reports whether s has none of the keywords that combine
// subschemas or apply to several JSON types; such schemas are dynamic
// unless handled specially (allOf merge, sum types).
func noApplicators(s *schema.Schema) bool {
	return s.Ref == nil && len(s.AllOf) == 0 && len(s.AnyOf) == 0 && len(s.OneOf) == 0 &&
		s.Not == nil && s.If == nil && !s.HasConst && !s.HasEnum &&
		s.UnevaluatedItems == nil && s.UnevaluatedProperties == nil
}

func hasStringKeywords(s *schema.Schema) bool {
	return s.MinLength != nil || s.MaxLength != nil || s.Pattern != nil || s.Format != ""
}

func hasNumberKeywords(s *schema.Schema) bool {
	return s.Minimum != nil || s.Maximum != nil || s.ExclusiveMinimum != nil || s.ExclusiveMaximum != nil || s.MultipleOf != nil
}

func hasArrayKeywords(s *schema.Schema) bool {
	return s.Items != nil || len(s.PrefixItems) > 0 || s.Contains != nil || s.MinItems != nil ||
		s.MaxItems != nil || s.UniqueItems || s.MinContains != nil || s.MaxContains != nil
}

func hasObjectKeywords(s *schema.Schema) bool {
	return len(s.Properties) > 0 || len(s.Required) > 0 || s.AdditionalProperties != nil ||
		len(s.PatternProperties) > 0 || s.PropertyNames != nil || s.MinProperties != nil ||
		s.MaxProperties != nil || len(s.DependentRequired) > 0 || len(s.DependentSchemas) > 0
}

func (b *builder) isStruct(s *schema.Schema) bool {
	if !only(s, "object") || !noApplicators(s) || len(s.Properties) == 0 {
		return false
	}
	if s.PropertyNames != nil || s.MinProperties != nil || s.MaxProperties != nil ||
		len(s.DependentRequired) > 0 || len(s.DependentSchemas) > 0 {
		return false
	}
	declared := map[string]bool{}
	for _, p := range s.Properties {
		declared[p.Name] = true
		// A declared member that a pattern also covers must satisfy both
		// schemas; only the dynamic representation can check that.
		for _, pp := range s.PatternProperties {
			if re, ok := schema.CompilePattern(pp.Name); !ok || re.MatchString(p.Name) {
				return false
			}
		}
	}
	for _, r := range s.Required {
		if !declared[r] {
			return false
		}
	}
	return true
}

func (b *builder) isEnum(s *schema.Schema) bool {
	if !only(s, "string") || !s.HasEnum || s.Ref != nil || len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) > 0 ||
		s.Not != nil || s.If != nil || s.HasConst || hasStringKeywords(s) || len(s.Enum) == 0 {
		return false
	}
	seen := map[string]bool{}
	for _, v := range s.Enum {
		str, ok := v.(string)
		if !ok || seen[str] {
			return false
		}
		seen[str] = true
	}
	return true
}

// inline returns the builtin, slice or map representation of s, or nil
// when s needs a named type.
func (b *builder) inline(s *schema.Schema, hint nameHint) *ir.Ref {
	if len(s.Types) != 1 || !noApplicators(s) {
		return nil
	}
	switch s.Types[0] {
	case "string":
		return &ir.Ref{Builtin: "string", Schema: s}
	case "integer":
		return &ir.Ref{Builtin: "int64", Schema: s}
	case "number":
		return &ir.Ref{Builtin: "float64", Schema: s}
	case "boolean":
		return &ir.Ref{Builtin: "bool", Schema: s}
	case "array":
		return b.sliceRef(s, hint)
	case "object":
		if len(s.Properties) == 0 && len(s.PatternProperties) == 0 && s.PropertyNames == nil &&
			s.MinProperties == nil && s.MaxProperties == nil && len(s.Required) == 0 &&
			len(s.DependentRequired) == 0 && len(s.DependentSchemas) == 0 {
			elem := &ir.Ref{Builtin: "json.RawMessage"}
			if s.AdditionalProperties != nil {
				if s.AdditionalProperties.IsFalse() {
					return nil
				}
				elem = b.ref(s.AdditionalProperties, nameHint{base: hint.base, plural: true, parent: hint.parent})
			}
			return &ir.Ref{Map: elem, Schema: s}
		}
	}
	return nil
}

func (b *builder) sliceRef(s *schema.Schema, hint nameHint) *ir.Ref {
	if len(s.PrefixItems) > 0 || s.Contains != nil {
		return nil
	}
	elem := &ir.Ref{Builtin: "json.RawMessage"}
	if s.Items != nil {
		if s.Items.IsFalse() {
			return nil
		}
		elem = b.ref(s.Items, nameHint{base: hint.base, plural: true, parent: hint.parent, root: pluralRoot(hint)})
	}
	if s.UniqueItems && !(elem.Builtin != "" && elem.Builtin != "json.RawMessage" || elem.Named != nil && elem.Named.Kind == ir.KindEnum) {
		return nil
	}
	return &ir.Ref{Slice: elem, Schema: s}
}

func pluralRoot(h nameHint) string {
	if h.root != "" {
		return h.root + "Item"
	}
	return ""
}

// typeRef refers to t: by name, or as a plain string for an inline enum.
func typeRef(t *ir.Type) *ir.Ref {
	if t.Inline {
		return &ir.Ref{Builtin: "string", Schema: t.Schema, Enum: t}
	}
	return &ir.Ref{Named: t}
}

// namedEnum reports whether an enum found at hint gets a Go type of its own. Roots
// and definitions name a concept of the schema, and a sum's alternatives are fields
// named after their types (two plain strings would be String and String2). An enum written inline at a member belongs to
// that member: a type for each one adds to the API without adding a compile-time
// check worth having (a misspelt string literal compiles either way, since an
// untyped constant converts to any string type), so the member is a plain string,
// its values are untyped constants, and Validate checks membership.
func namedEnum(s *schema.Schema, hint nameHint) bool {
	return hint.root != "" || isDefinition(s) || hint.parent != nil && hint.parent.Kind == ir.KindSum
}

func (b *builder) enumType(s *schema.Schema, key string, hint nameHint) *ir.Type {
	t := &ir.Type{Kind: ir.KindEnum, Schema: s, Inline: !namedEnum(s, hint)}
	for _, v := range s.Enum {
		t.Values = append(t.Values, v.(string))
	}
	b.register(t, key, hint)
	return t
}

func (b *builder) structType(s *schema.Schema, key string, hint nameHint) *ir.Type {
	t := &ir.Type{Kind: ir.KindStruct, Schema: s}
	b.register(t, key, hint)
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	bit := 0
	for _, p := range s.Properties {
		ph := nameHint{base: p.Name, parent: t, generic: genericNames[strings.ToLower(p.Name)]}
		f := &ir.Field{JSON: p.Name, Schema: p.Schema, Required: required[p.Name]}
		f.Ref = b.ref(p.Schema, ph)
		if f.Required {
			f.Bit = bit
			bit++
			// A required member whose type is still being built refers
			// back to an enclosing struct: a pointer breaks the cycle.
			f.Ptr = f.Ref.Named != nil && f.Ref.Named.Kind == ir.KindStruct && !b.info[f.Ref.Named].done
		} else {
			f.Ptr = !f.Ref.Nilable()
		}
		t.Fields = append(t.Fields, f)
	}
	b.extra(t, s, hint)
	b.info[t].done = true
	return t
}

var genericNames = map[string]bool{"type": true, "name": true, "status": true, "kind": true, "result": true,
	"value": true, "id": true, "code": true, "data": true, "items": true, "auth": true, "details": true, "info": true}

// extra decides how undeclared members are kept and checked.
func (b *builder) extra(t *ir.Type, s *schema.Schema, hint nameHint) {
	ap := s.AdditionalProperties
	if len(s.PatternProperties) > 0 {
		t.Extra = &ir.Extra{Kind: ir.ExtraDynamic, Patterns: s.PatternProperties, Additional: ap}
		return
	}
	switch {
	case ap == nil || ap.IsTrue():
		t.Extra = &ir.Extra{Kind: ir.ExtraRaw}
	case ap.IsFalse():
		t.Closed = true
	default:
		t.Extra = &ir.Extra{Kind: ir.ExtraTyped, Elem: b.ref(ap, nameHint{base: hint.base + "Value", parent: t})}
	}
}

// sumType builds a oneOf/anyOf whose alternatives all have static types.
func (b *builder) sumType(s *schema.Schema, key string, hint nameHint) *ir.Type {
	alts := s.AnyOf
	if len(s.OneOf) > 0 {
		alts = s.OneOf
	}
	if len(alts) < 2 || (len(s.OneOf) > 0) == (len(s.AnyOf) > 0) || s.Ref != nil || len(s.AllOf) > 0 ||
		s.Not != nil || s.If != nil || s.HasEnum || s.HasConst || hasObjectKeywords(s) || hasArrayKeywords(s) ||
		hasStringKeywords(s) || hasNumberKeywords(s) || len(s.Types) > 0 || s.UnevaluatedProperties != nil || s.UnevaluatedItems != nil {
		return nil
	}
	t := &ir.Type{Kind: ir.KindSum, Schema: s, OneOf: len(s.OneOf) > 0}
	b.register(t, key, hint)
	for i, a := range alts {
		base := branchBase(a, alts, i)
		// An alternative told apart only by its JSON type (or position) is named after the
		// sum: LevelString, not a type called String.
		d := a.Deref()
		generic := len(d.Required) == 0 && (len(d.Types) == 1 && base == d.Types[0] || base == fmt.Sprintf("option%d", i+1))
		r := b.ref(a, nameHint{base: base, parent: t, generic: generic})
		if r.Named != nil && r.Named.Kind == ir.KindDynamic || r.Builtin == "json.RawMessage" {
			// Not statically typed after all: undo and go dynamic.
			b.unregister(t)
			return nil
		}
		t.Branches = append(t.Branches, &ir.Branch{Ref: r})
	}
	return t
}

func (b *builder) unregister(t *ir.Type) {
	delete(b.byKey, b.info[t].key)
	delete(b.info, t)
	for i, x := range b.types {
		if x == t {
			b.types = append(b.types[:i], b.types[i+1:]...)
			break
		}
	}
}

// branchBase names an alternative after what tells it apart: a required
// member no other alternative requires, else its JSON type.
func branchBase(a *schema.Schema, alts []*schema.Schema, i int) string {
	d := a.Deref()
	if isDefinition(d) {
		return ""
	}
	for _, r := range d.Required {
		unique := true
		for j, o := range alts {
			if j != i && containsStr(o.Deref().Required, r) {
				unique = false
			}
		}
		if unique {
			return r
		}
	}
	if len(d.Required) > 0 {
		return d.Required[0]
	}
	if len(d.Types) == 1 {
		return d.Types[0]
	}
	return fmt.Sprintf("option%d", i+1)
}

func containsStr(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func (b *builder) dynamicType(s *schema.Schema, key string, hint nameHint) *ir.Type {
	if t, ok := b.byKey["dyn:"+key]; ok {
		return b.found(t, s, hint)
	}
	t := &ir.Type{Kind: ir.KindDynamic, Schema: s}
	b.register(t, "dyn:"+key, hint)
	return t
}

// mergeAllOf folds an allOf of plain object schemas into one schema, or
// returns nil when that would change the meaning.
func (b *builder) mergeAllOf(s *schema.Schema) *schema.Schema {
	if len(s.AllOf) == 0 {
		return nil
	}
	parts := []*schema.Schema{s}
	for _, a := range s.AllOf {
		parts = append(parts, a.Deref())
	}
	m := *s
	m.AllOf = nil
	m.Properties = nil
	m.Required = nil
	m.AdditionalProperties = nil
	isObject := false
	var closedSets []map[string]bool
	for _, p := range parts {
		if p.Bool != nil || !mergeable(p) {
			return nil
		}
		if only(p, "object") {
			isObject = true
		} else if len(p.Types) > 0 {
			return nil
		}
		if p.AdditionalProperties != nil {
			if !p.AdditionalProperties.IsFalse() {
				return nil
			}
			set := map[string]bool{}
			for _, pr := range p.Properties {
				set[pr.Name] = true
			}
			closedSets = append(closedSets, set)
		}
	}
	if !isObject {
		return nil
	}
	m.Types = []string{"object"}
	if !b.mergeProperties(&m, parts, closedSets) {
		return nil
	}
	if len(closedSets) > 0 {
		f := false
		m.AdditionalProperties = &schema.Schema{Bool: &f, File: s.File, Pointer: s.Pointer, Draft: s.Draft}
	}
	return &m
}

func mergeable(p *schema.Schema) bool {
	c := *p
	c.Types, c.Properties, c.Required, c.AdditionalProperties = nil, nil, nil, nil
	c.Title, c.Description, c.Default, c.HasDefault, c.Defs = "", "", nil, false, nil
	return (&c).IsTrue() && c.Bool == nil
}

func (b *builder) mergeProperties(m *schema.Schema, parts []*schema.Schema, closedSets []map[string]bool) bool {
	allowed := func(name string) bool {
		for _, set := range closedSets {
			if !set[name] {
				return false
			}
		}
		return true
	}
	index := map[string]int{}
	for _, p := range parts {
		for _, pr := range p.Properties {
			if !allowed(pr.Name) {
				continue
			}
			if i, ok := index[pr.Name]; ok {
				prev := m.Properties[i].Schema
				switch {
				case pr.Schema.IsTrue():
				case prev.IsTrue():
					m.Properties[i].Schema = pr.Schema
				case b.canon(prev) != b.canon(pr.Schema):
					return false
				}
				continue
			}
			index[pr.Name] = len(m.Properties)
			m.Properties = append(m.Properties, pr)
		}
		for _, r := range p.Required {
			if !allowed(r) {
				return false
			}
			if !containsStr(m.Required, r) {
				m.Required = append(m.Required, r)
			}
		}
	}
	return true
}

// unionType folds an anyOf/oneOf whose alternatives are all plain objects
// (declared members only, additionalProperties absent or false) and agree
// on the schema of every shared member into one struct. Users set the
// members of the alternative they mean; Validate says whether exactly one
// (oneOf) or at least one (anyOf) alternative matches.
func (b *builder) unionType(s *schema.Schema, key string, hint nameHint) *ir.Type {
	alts := s.AnyOf
	if len(s.OneOf) > 0 {
		alts = s.OneOf
	}
	if len(alts) < 2 || (len(s.OneOf) > 0) == (len(s.AnyOf) > 0) || s.Ref != nil || len(s.AllOf) > 0 ||
		s.Not != nil || s.If != nil || s.HasEnum || s.HasConst || hasObjectKeywords(s) || hasArrayKeywords(s) ||
		hasStringKeywords(s) || hasNumberKeywords(s) || (len(s.Types) > 0 && !only(s, "object")) ||
		s.UnevaluatedProperties != nil || s.UnevaluatedItems != nil {
		return nil
	}
	u := &ir.Union{OneOf: len(s.OneOf) > 0}
	var props []schema.Named
	index := map[string]int{}
	for _, a := range alts {
		a = a.Deref()
		if !b.isStruct(a) || len(a.PatternProperties) > 0 || (a.AdditionalProperties != nil && !a.AdditionalProperties.IsFalse()) {
			return nil
		}
		alt := ir.UnionAlt{Required: a.Required, Props: map[string]bool{}, Closed: a.AdditionalProperties != nil}
		for _, p := range a.Properties {
			alt.Props[p.Name] = true
			if i, ok := index[p.Name]; ok {
				if b.canon(props[i].Schema) != b.canon(p.Schema) {
					return nil
				}
				continue
			}
			index[p.Name] = len(props)
			props = append(props, p)
		}
		u.Alts = append(u.Alts, alt)
	}
	t := &ir.Type{Kind: ir.KindStruct, Schema: s, Union: u}
	b.register(t, key, hint)
	for _, p := range props {
		f := &ir.Field{JSON: p.Name, Schema: p.Schema}
		f.Ref = b.ref(p.Schema, nameHint{base: p.Name, parent: t, generic: genericNames[strings.ToLower(p.Name)]})
		f.Ptr = !f.Ref.Nilable()
		t.Fields = append(t.Fields, f)
	}
	t.Closed = true
	for _, a := range u.Alts {
		if !a.Closed {
			t.Closed = false
			t.Extra = &ir.Extra{Kind: ir.ExtraRaw}
		}
	}
	b.info[t].done = true
	return t
}

// nullable represents {"type": [T, "null"]} with T a scalar as
// validate.Nullable[T], checked like T when it is not null.
func (b *builder) nullable(s *schema.Schema, hint nameHint) *ir.Ref {
	if len(s.Types) != 2 || !noApplicators(s) || hint.root != "" || isDefinition(s) {
		return nil
	}
	var other string
	switch {
	case s.Types[0] == "null":
		other = s.Types[1]
	case s.Types[1] == "null":
		other = s.Types[0]
	default:
		return nil
	}
	if other != "string" && other != "integer" && other != "number" && other != "boolean" {
		return nil
	}
	inner := *s
	inner.Types = []string{other}
	r := b.inline(&inner, hint)
	if r == nil || r.Builtin == "" {
		return nil
	}
	return &ir.Ref{Nullable: r}
}
