package schema

import "encoding/json"

// Draft is a JSON Schema dialect.
type Draft int

// Supported drafts, oldest first.
const (
	Draft4    Draft = 4
	Draft6    Draft = 6
	Draft7    Draft = 7
	Draft2019 Draft = 2019
	Draft2020 Draft = 2020
)

func (d Draft) String() string {
	switch d {
	case Draft4:
		return "draft-04"
	case Draft6:
		return "draft-06"
	case Draft7:
		return "draft-07"
	case Draft2019:
		return "2019-09"
	}
	return "2020-12"
}

// Named is a schema under a name: a property, a pattern, a definition.
type Named struct {
	Name   string
	Schema *Schema
}

// Dependency is a dependentRequired entry.
type Dependency struct {
	Name     string
	Required []string
}

// Schema is one loaded, normalised schema node. Draft differences are
// folded away: tuple "items" become PrefixItems (+ Items for
// "additionalItems"), draft-04 boolean exclusive bounds become numbers,
// "dependencies" is split into DependentRequired and DependentSchemas, and
// in drafts before 2019-09 a $ref hides its siblings.
type Schema struct {
	// Where the node was found: file name (as given to the loader) and
	// JSON Pointer inside that file.
	File    string
	Pointer string
	Draft   Draft
	// Dialect is the custom metaschema ($schema) whose vocabularies apply, if any.
	Dialect string
	// Raw is the node as it was written (an *Object or a bool).
	Raw any

	// Bool is set for the boolean schemas true and false.
	Bool *bool

	Ref        *Schema // resolved $ref (or $dynamicRef / $recursiveRef)
	RefString  string
	Types      []string
	Properties []Named
	Required   []string

	AdditionalProperties *Schema
	PatternProperties    []Named
	PropertyNames        *Schema
	MinProperties        *int
	MaxProperties        *int
	DependentRequired    []Dependency
	DependentSchemas     []Named

	PrefixItems []*Schema
	Items       *Schema // items after PrefixItems
	Contains    *Schema
	MinContains *int
	MaxContains *int
	MinItems    *int
	MaxItems    *int
	UniqueItems bool

	Enum     []any
	HasEnum  bool
	Const    any
	HasConst bool

	AllOf []*Schema
	AnyOf []*Schema
	OneOf []*Schema
	Not   *Schema
	If    *Schema
	Then  *Schema
	Else  *Schema

	MinLength *int
	MaxLength *int
	Pattern   *string
	Format    string

	Minimum          *json.Number
	Maximum          *json.Number
	ExclusiveMinimum *json.Number
	ExclusiveMaximum *json.Number
	MultipleOf       *json.Number

	UnevaluatedProperties *Schema
	UnevaluatedItems      *Schema

	Title       string
	Description string
	Default     any
	HasDefault  bool
	Deprecated  bool
	ReadOnly    bool
	WriteOnly   bool

	// Defs are the definitions / $defs declared here, in order.
	Defs []Named

	// Unsupported lists keywords that are not applied, for warnings: a $dynamicRef or
	// $recursiveRef beside a $ref.
	Unsupported []string
	// Ignored lists keywords that were dropped on purpose (such as the
	// siblings of a draft-07 $ref), for warnings.
	Ignored []string
}

// IsTrue reports whether s accepts everything (true or {} with no
// constraints).
func (s *Schema) IsTrue() bool {
	if s.Bool != nil {
		return *s.Bool
	}
	return s.constraintFree()
}

// IsFalse reports whether s is the boolean schema false.
func (s *Schema) IsFalse() bool { return s.Bool != nil && !*s.Bool }

func (s *Schema) constraintFree() bool {
	return s.Ref == nil && len(s.Types) == 0 && len(s.Properties) == 0 && len(s.Required) == 0 &&
		s.AdditionalProperties == nil && len(s.PatternProperties) == 0 && s.PropertyNames == nil &&
		s.MinProperties == nil && s.MaxProperties == nil && len(s.DependentRequired) == 0 &&
		len(s.DependentSchemas) == 0 && len(s.PrefixItems) == 0 && s.Items == nil &&
		s.Contains == nil && s.MinItems == nil && s.MaxItems == nil && !s.UniqueItems &&
		!s.HasEnum && !s.HasConst && len(s.AllOf) == 0 && len(s.AnyOf) == 0 && len(s.OneOf) == 0 &&
		s.Not == nil && s.If == nil && s.MinLength == nil && s.MaxLength == nil && s.Pattern == nil &&
		s.Format == "" && s.Minimum == nil && s.Maximum == nil && s.ExclusiveMinimum == nil &&
		s.ExclusiveMaximum == nil && s.MultipleOf == nil && s.UnevaluatedProperties == nil &&
		s.UnevaluatedItems == nil
}

// Deref follows $ref chains from s while a node is nothing but a $ref,
// so that {"$ref": X} and X share one Go type. It stops on cycles.
func (s *Schema) Deref() *Schema {
	seen := map[*Schema]bool{}
	for s.Ref != nil && s.onlyRef() && !seen[s] {
		seen[s] = true
		s = s.Ref
	}
	return s
}

func (s *Schema) onlyRef() bool {
	c := *s
	c.Ref = nil
	return c.constraintFree()
}

// Children returns the subschemas evaluation can enter from s, its $ref first.
// Definitions are not among them: they are entered only through a reference.
func (s *Schema) Children() []*Schema {
	var out []*Schema
	for _, e := range s.edges() {
		if *e != nil {
			out = append(out, *e)
		}
	}
	return out
}

// edges points at every field of s that holds a subschema evaluation can enter, so
// that a copy can retarget them (see specialize); nil fields are included.
func (s *Schema) edges() []**Schema {
	out := []**Schema{&s.Ref, &s.AdditionalProperties, &s.PropertyNames, &s.Items, &s.Contains,
		&s.Not, &s.If, &s.Then, &s.Else, &s.UnevaluatedItems, &s.UnevaluatedProperties}
	for _, list := range [][]*Schema{s.PrefixItems, s.AllOf, s.AnyOf, s.OneOf} {
		for i := range list {
			out = append(out, &list[i])
		}
	}
	for _, list := range [][]Named{s.Properties, s.PatternProperties, s.DependentSchemas} {
		for i := range list {
			out = append(out, &list[i].Schema)
		}
	}
	return out
}

// Location renders "file#pointer" for messages.
func (s *Schema) Location() string { return s.File + "#" + s.Pointer }
