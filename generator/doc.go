// Package generator turns JSON Schemas (journey schemas, task schemas,
// any draft-04…2020-12 schema) into Go types with constructors, Validate
// methods and exact JSON encoding, ready to compile.
//
// The pipeline is load (load.go, package schema) → build (build_*.go: types with
// identical shapes merged, the helpers their Validate methods need, one naming pass)
// → IR (package internal/ir, complete and named) → emit (emit_*.go, one emitter per
// kind, jennifer; format.go) → write (write.go). Generate is pure: it returns file
// contents and never writes; WriteFiles writes them atomically.
//
// Decisions the code relies on (keep them true or change this comment):
//
// # Loading (package schema, load.go)
//   - Drafts: $schema decides. Without it, 2020-12 unless the document uses
//     only keywords that draft-07 and older know (definitions,
//     dependencies, additionalItems, array-valued items) and none of the
//     2019-09+ ones; Options.DefaultDraft overrides. Keywords a draft does
//     not define are ignored (as validators of that draft do) with a
//     warning; before 2019-09 a $ref hides its siblings.
//   - A $schema naming a custom metaschema that -ref-map makes readable is
//     a dialect: the standard vocabularies its $vocabulary leaves out are
//     not in force (their keywords are ignored with a warning), and a
//     required vocabulary we do not know is an error.
//   - $dynamicRef / $recursiveRef go where the dynamic scope sends them.
//     When that is the same on every path (the root resource has the
//     anchor, as a schema extending another does, or only the static
//     target has it) they are retargeted in place; otherwise the schemas
//     between the scopes and the reference are copied once per scope
//     (schema.specialize), so each path gets its own Go types.
//   - No network, ever: a remote $ref is an error naming the file and
//     pointer unless Options.RefMap maps it.
//   - Non-standard keywords (x-*, markdownDescription, …) are annotations
//     to every validator and are ignored without a warning; standard
//     keywords we do not check are always warned about.
//
// # Types (build_types.go, build_names.go)
//   - A node becomes a static Go type only when that type can say exactly
//     what the schema says: objects with declared properties (struct),
//     string enums, scalars, arrays and maps, nullable scalars
//     (validate.Nullable[T]), allOf of plain objects (merged),
//     anyOf/oneOf of plain objects (one struct whose Validate checks the
//     alternatives) or of other static types (a struct with one pointer per
//     alternative). Everything else is a dynamic type (Value any) validated
//     by generated code that switches on the JSON type: correctness first,
//     types where they are faithful. An object schema without "type" is
//     dynamic too, because it also accepts non-objects.
//   - A string enum gets a named type (typed constants, its own Validate)
//     when it is a root, a definition or a sum alternative. Written inline
//     at a member it is a plain string with untyped constants named after
//     the member (RelationshipMother) and an enum check in the parent's
//     Validate: the named type would add an API type per member and no
//     check worth having, since an untyped constant (or a misspelt string
//     literal) converts to either.
//   - Identical shapes (same canonical key, annotations ignored) share one
//     type. Names come from one pass after building: root name, else
//     definition name, else the member name without qualifiers
//     (current/previous/…) and singular for array items, then the full
//     name, then prefixed with the task and then with the parent, then
//     numbered. Members with generic names (type, name, status, …) prefer
//     the parent-prefixed name. A type is named after its home, the
//     shallowest place it occurs (roots and definitions first, ties by
//     pointer), and types take names in the order of their homes, so a
//     name never depends on the order the schema was walked in: an
//     unrelated change to the schema renames nothing (TestStableNames).
//     Helpers are named after the pointer of their shallowest use, relative
//     to the nearest type (checkAddressPostalCode), numbered on collision.
//   - Every object keeps undeclared members: additionalProperties false
//     records them for Validate; otherwise they are kept in an
//     AdditionalProperties map and re-encoded, so documents round-trip.
//
// # Generated code (emit_*.go)
//   - Optional members are pointers (or nil slices/maps); required members
//     are values set by the constructor. Decoding records absent required
//     members in an unexported bitset; values built in Go are not tracked.
//   - Integers decode into int64 (1.0 is an integer; beyond int64 is a
//     decode error), numbers into float64; dynamic values keep
//     json.Number, so any JSON number survives.
//   - Patterns are translated from ECMA-262 to RE2 (\s is the ECMA set; a
//     leading negative lookahead becomes two regexps). A pattern RE2 cannot
//     express is NOT checked (values are accepted) and a warning names it:
//     rejecting everything would make the type unusable.
//   - Formats asserted: date, date-time, time, email, uri, uri-reference,
//     iri, iri-reference, uuid, ipv4, ipv6, hostname, json-pointer,
//     relative-json-pointer, duration, regex, uri-template. Others are warned
//     about.
//   - Validate allocates nothing when the value is valid (map members are
//     visited in sorted order, which allocates, for stable reports).
//   - Decoding reads the document once, front to back: UnmarshalJSON runs
//     a validate.Decoder and every type's decodeJSON reads its value from
//     it, calling the decodeJSON of the types inside. (Decoding member by
//     member from sub-slices scanned each value again at every level.)
//   - Generated code is what a consumer's compiler builds on every change,
//     so it is shaped to compile fast (make bench, table 6): no closure and
//     no generic instantiation per type; the validate helpers it calls are
//     kept out of line (//go:noinline), since hundreds of inlined copies
//     cost more to compile than the calls cost to run; a struct's members
//     are matched by a switch on their number in a validate.Keys table
//     (Decoder.FirstMember), not on their names, because the compiler's time
//     for a switch on many strings grows faster than the number of cases;
//     appendJSON takes a pointer, so no pointer wrapper is built for it.
//   - Output is deterministic: no map order, time, version or absolute
//     path; local variables are numbered within one member's statements.
package generator
