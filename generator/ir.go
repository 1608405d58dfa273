package generator

import (
	"github.com/gbggen/gbggen/generator/schema"
)

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
	key    string
	hint   nameHint
	done   bool // struct fields are complete

	// KindStruct
	Fields []*Field
	Extra  *Extra // nil when unknown members are not allowed
	// extraName is the Go name of the field holding undeclared members.
	extraName string
	// Closed reports additionalProperties false: unknown members are
	// recorded at decode time and reported by Validate.
	Closed bool

	// Union, for a struct, is an anyOf/oneOf of object alternatives
	// folded into one struct: fields are the union of the alternatives'
	// properties and Validate checks which alternatives match.
	Union *Union

	// KindEnum
	Values     []string
	constNames []string
	// inline marks an enum found at a member rather than declared as a
	// definition or root: no Go type is declared for it. Values are plain
	// strings, the constants are untyped, and the containing type's
	// Validate checks membership.
	inline bool

	// KindNamed
	Under *Ref

	// KindSum
	Branches []*Branch
	OneOf    bool

	// KindDynamic: the generated check function.
	Check string
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

// nilable reports whether the zero value of the Go type can stand for
// "absent" (so optional members need no pointer).
func (r *Ref) nilable() bool {
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
	JSON     string
	Name     string
	Ref      *Ref
	Required bool
	Ptr      bool
	Bit      int // index among required fields, for the "missing" bitset
	Schema   *schema.Schema
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
	Kind       ExtraKind
	Elem       *Ref
	Patterns   []schema.Named // patternProperties
	Additional *schema.Schema // nil = allowed
}

// nameHint is what the naming pass knows about where a type was found.
type nameHint struct {
	base    string // JSON name (property, definition) it came from
	plural  bool   // base names an array whose element this is
	parent  *Type
	root    string // fixed name requested by the user
	generic bool   // prefer the parent-qualified name
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
