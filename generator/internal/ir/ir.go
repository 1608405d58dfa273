// Package ir is the generator's intermediate representation: everything the output
// declares, already named, and nothing about how it was found. The builder (package
// generator's build_*.go) produces a Package; the emitters translate it to Go without
// adding to it or renaming anything, so what gets declared, and under which name, is
// decided in one place.
package ir

import (
	"fmt"

	"github.com/gbggen/gbggen/generator/schema"
)

// Package is one output package: its named types in schema order and the package-level
// helpers their Validate methods call.
type Package struct {
	Types []*Type
	// Checks are the validators of dynamically typed values, one per distinct shape.
	Checks []*Check
	// Evals mark what a schema evaluates, for unevaluatedProperties/Items.
	Evals []*Eval
	// Regexps are the compiled patterns, one per distinct pattern text.
	Regexps []*Regexp
	// Literals are decoded enum and const values, one per distinct value.
	Literals []*Literal

	// CheckOf maps every schema node (after $ref) a check is called for to its check.
	CheckOf map[*schema.Schema]*Check
	// EvalOf maps an EvalKey to its function.
	EvalOf map[EvalKey]*Eval
	// PatternOf maps the text of an ECMA-262 pattern to its matcher; a pattern absent
	// from it is not checked (RE2 cannot express it, and a warning said so).
	PatternOf map[string]*Pattern
	// LiteralOf maps a LiteralKey to its variable.
	LiteralOf map[LiteralKey]*Literal
}

// Check looks up the check function of s. Emission asks only for what the builder
// registered; anything else is a bug in the builder, reported as a panic that Generate
// turns into an error.
func (p *Package) Check(s *schema.Schema) *Check {
	c := p.CheckOf[s.Deref()]
	if c == nil {
		panic(fmt.Sprintf("no check was built for %s#%s", s.File, s.Pointer))
	}
	return c
}

// Eval looks up the evaluation function of k (see Check).
func (p *Package) Eval(k EvalKey) *Eval {
	k.Schema = k.Schema.Deref()
	e := p.EvalOf[k]
	if e == nil {
		panic(fmt.Sprintf("no evaluation function was built for %s#%s", k.Schema.File, k.Schema.Pointer))
	}
	return e
}

// Literal looks up the variable holding value (see Check).
func (p *Package) Literal(k LiteralKey) *Literal {
	l := p.LiteralOf[k]
	if l == nil {
		panic(fmt.Sprintf("no literal was built for %s", k.Text))
	}
	return l
}

// Kind is the Go shape chosen for a named type.
type Kind int

// The kinds of named types. Each has its own emitter.
const (
	// KindStruct is an object with known properties.
	KindStruct Kind = iota
	// KindEnum is a string with a fixed set of values.
	KindEnum
	// KindNamed is a named scalar, slice or map (roots and definitions
	// that are not objects).
	KindNamed
	// KindSum is a oneOf/anyOf whose alternatives all have static types.
	KindSum
	// KindDynamic holds any JSON value and validates it with generated
	// code that switches on the dynamic type.
	KindDynamic
)

// Type is one named Go type of the output.
type Type struct {
	Name   string
	Kind   Kind
	Schema *schema.Schema
	// Where is the JSON Pointer of the place it is named after (of Schema, or of another
	// schema of the same shape).
	Where string

	// KindStruct
	Fields []*Field
	// Members names the sorted table of the fields' member names that decoding looks
	// names up in.
	Members string
	Extra   *Extra // nil when unknown members are not allowed
	// Closed reports additionalProperties false: unknown members are
	// recorded at decode time and reported by Validate.
	Closed bool
	// Union, for a struct, is an anyOf/oneOf of object alternatives
	// folded into one struct: fields are the union of the alternatives'
	// properties and Validate checks which alternatives match.
	Union *Union

	// KindEnum
	Values []string
	// ConstNames name the constants of Values, in order.
	ConstNames []string
	// Inline marks an enum found at a member rather than declared as a
	// definition or root: no Go type is declared for it. Values are plain
	// strings, the constants are untyped, and the containing type's
	// Validate checks membership.
	Inline bool

	// KindNamed
	Under *Ref

	// KindSum
	Branches []*Branch
	OneOf    bool

	// KindDynamic: the check function of the value.
	Check *Check
}

// Branch is one alternative of a sum type.
type Branch struct {
	Name string
	Ref  *Ref
}

// Ref is the Go type of a value at some position: a named type, a
// builtin, a slice or a map. Schema carries the constraints that are
// checked inline (for builtins, slices and maps).
type Ref struct {
	Named   *Type
	Builtin string // string, int64, float64, bool, json.RawMessage
	Slice   *Ref
	Map     *Ref
	// Nullable wraps a value that may also be JSON null
	// (validate.Nullable[T]).
	Nullable *Ref
	Schema   *schema.Schema
	// Enum, for a string, is the inline enum whose constants name its
	// values.
	Enum *Type
}

// Nilable reports whether the zero value of the Go type can stand for
// "absent" (so optional members need no pointer).
func (r *Ref) Nilable() bool {
	switch {
	case r.Slice != nil, r.Map != nil, r.Builtin == "json.RawMessage":
		return true
	case r.Named != nil && r.Named.Kind == KindNamed:
		return r.Named.Under.Slice != nil || r.Named.Under.Map != nil
	}
	return false
}

// Field is one property of a struct.
type Field struct {
	JSON string
	Name string
	// Param names a required member's parameter of the constructor.
	Param    string
	Ref      *Ref
	Required bool
	Ptr      bool
	Bit      int // index among required fields, for the "missing" bitset
	Schema   *schema.Schema
	// Index names the constant of the member's position in its type's Members table.
	Index string
}

// ExtraKind says how a struct keeps members it does not declare.
type ExtraKind int

// Ways to keep undeclared members.
const (
	ExtraRaw     ExtraKind = iota // map[string]json.RawMessage, no checks
	ExtraTyped                    // map[string]T, checked like T
	ExtraDynamic                  // map[string]any, checked by pattern/additional schemas
)

// Extra describes the AdditionalProperties field of a struct.
type Extra struct {
	// Name is the Go name of the field.
	Name       string
	Kind       ExtraKind
	Elem       *Ref
	Patterns   []schema.Named // patternProperties
	Additional *schema.Schema // nil = allowed
}

// Union describes the alternatives of a folded anyOf/oneOf.
type Union struct {
	OneOf bool
	Alts  []UnionAlt
}

// UnionAlt is one object alternative: its required members, its
// declared members, and whether it forbids others.
type UnionAlt struct {
	Required []string
	Props    map[string]bool
	Closed   bool
}

// Check is a function `func name(v any, p *validate.Path, errs *validate.Errors)` validating
// a dynamic value against Schema.
type Check struct {
	Name   string
	Schema *schema.Schema
	// Where is the JSON Pointer it is named after.
	Where string
}

// EvalKey identifies an evaluation function: which of Schema's keywords count, and
// whether its own unevaluated* keyword does (Self).
type EvalKey struct {
	Items  bool // unevaluatedItems; false: unevaluatedProperties
	Self   bool
	Schema *schema.Schema
}

// Eval is a function marking the members (or items) Schema evaluates.
type Eval struct {
	Name string
	EvalKey
	// Where is the JSON Pointer it is named after.
	Where string
}

// Pattern is how a pattern is matched: by Match, and, for a leading negative lookahead
// "^(?!X)REST", also by not matching Exclude.
type Pattern struct {
	Match   *Regexp
	Exclude *Regexp
}

// Regexp is a package-level compiled regular expression.
type Regexp struct {
	Name string
	// Source is the ECMA-262 pattern, RE2 its translation.
	Source, RE2 string
}

// LiteralKey identifies a decoded JSON value by its canonical text.
type LiteralKey struct {
	List bool // an enum's list of values; false: one const value
	Text string
}

// Literal is a package-level variable holding a decoded JSON value (a []any for a list).
type Literal struct {
	Name  string
	Value any
	LiteralKey
}
