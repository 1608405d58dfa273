package schema

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strings"
)

// keywords known per draft. A keyword that the draft does not define is
// ignored by validators of that draft; we ignore it too (and warn when it
// is a keyword of another draft, since the author probably meant it).
var (
	commonKeywords = words("$schema $ref $comment title description default examples type enum properties " +
		"required additionalProperties patternProperties minProperties maxProperties items additionalItems " +
		"minItems maxItems uniqueItems minLength maxLength pattern format minimum maximum exclusiveMinimum " +
		"exclusiveMaximum multipleOf allOf anyOf oneOf not definitions dependencies")
	draft6Keywords    = words("$id const contains propertyNames examples")
	draft7Keywords    = words("if then else readOnly writeOnly contentMediaType contentEncoding")
	draft2019Keywords = words("$anchor $defs dependentRequired dependentSchemas minContains maxContains " +
		"unevaluatedProperties unevaluatedItems deprecated $recursiveRef $recursiveAnchor $vocabulary contentSchema")
	draft2020Keywords = words("prefixItems $dynamicRef $dynamicAnchor")
	// annotations carry no constraint.
	annotationKeywords = words("$schema $comment title description default examples readOnly writeOnly " +
		"deprecated contentMediaType contentEncoding contentSchema $vocabulary $recursiveAnchor $dynamicAnchor " +
		"definitions $defs $id id $anchor")
)

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func known(d Draft, k string) bool {
	if commonKeywords[k] {
		switch k {
		case "dependencies":
			return d <= Draft7
		case "additionalItems":
			return d <= Draft2019
		}
		return true
	}
	if k == "id" {
		return d == Draft4
	}
	if draft6Keywords[k] {
		return d >= Draft6
	}
	if draft7Keywords[k] {
		return d >= Draft7
	}
	if draft2019Keywords[k] {
		return d >= Draft2019
	}
	if draft2020Keywords[k] {
		return d >= Draft2020
	}
	return false
}

func anyDraftKeyword(k string) bool {
	return commonKeywords[k] || draft6Keywords[k] || draft7Keywords[k] || draft2019Keywords[k] ||
		draft2020Keywords[k] || k == "id"
}

// parse builds the schema at loc from raw, memoised by location.
func (l *Loader) parse(loc location, raw any) (*Schema, error) {
	key := loc.doc.uri + "#" + loc.pointer
	if s, ok := l.nodes[key]; ok {
		return s, nil
	}
	s := &Schema{File: loc.doc.file, Pointer: loc.pointer, Draft: loc.draft, Raw: raw}
	l.nodes[key] = s
	switch t := raw.(type) {
	case bool:
		b := t
		s.Bool = &b
		l.nodeLoc[s] = loc
		return s, nil
	case *Object:
		return s, l.parseObject(s, loc, t)
	}
	return nil, &Error{File: s.File, Pointer: s.Pointer, Msg: fmt.Sprintf("a schema must be an object or a boolean, not %s", jsonKind(raw))}
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	}
	return "an object"
}

// parser holds the state of one object schema being parsed.
type parser struct {
	l   *Loader
	s   *Schema
	loc location
	obj *Object
	err error
	// draft4Exclusive records boolean exclusiveMinimum/Maximum, applied
	// once minimum/maximum are known.
	draft4Exclusive []string
}

func (p *parser) fail(k string, format string, args ...any) {
	if p.err == nil {
		p.err = &Error{File: p.s.File, Pointer: p.s.Pointer + "/" + EscapeToken(k), Msg: fmt.Sprintf(format, args...)}
	}
}

func (l *Loader) parseObject(s *Schema, loc location, obj *Object) error {
	loc, err := l.enterResource(s, loc, obj)
	if err != nil {
		return err
	}
	s.Draft = loc.draft
	if loc.dialect != nil {
		s.Dialect = loc.dialect.uri
	}
	l.nodeLoc[s] = loc
	p := &parser{l: l, s: s, loc: loc, obj: obj}
	refHides := false
	if r, ok := obj.Values["$ref"].(string); ok {
		s.RefString = r
		l.pending = append(l.pending, s)
		refHides = loc.draft <= Draft7
	}
	for _, k := range obj.Keys {
		if p.err != nil {
			break
		}
		if !known(loc.draft, k) || (loc.dialect != nil && !loc.dialect.allows(k)) {
			if anyDraftKeyword(k) {
				s.Ignored = append(s.Ignored, k)
			}
			continue
		}
		if refHides && k != "$ref" && !annotationKeywords[k] {
			// Before 2019-09 a $ref replaces the whole schema.
			s.Ignored = append(s.Ignored, k)
			continue
		}
		p.keyword(k, obj.Values[k])
	}
	if p.err == nil {
		p.finish()
	}
	return p.err
}

// enterResource registers $id and anchors and returns the location with
// the base URI and draft that apply inside obj.
func (l *Loader) enterResource(s *Schema, loc location, obj *Object) (location, error) {
	if v, ok := obj.Values["$schema"].(string); ok {
		d, err := l.dialectOf(s, v)
		if err != nil {
			return loc, err
		}
		if d != nil {
			loc.draft, loc.dialect = d.draft, d
		} else if d, ok := draftOf(v); ok {
			loc.draft, loc.dialect = d, nil
		}
	}
	idKey := "$id"
	if loc.draft == Draft4 {
		idKey = "id"
	}
	id, _ := obj.Values[idKey].(string)
	if id != "" && !(loc.draft <= Draft7 && obj.Values["$ref"] != nil) {
		if abs, err := resolveURI(loc.base, id); err == nil {
			base, frag, _ := strings.Cut(abs, "#")
			if frag != "" && !strings.HasPrefix(frag, "/") {
				// draft-07 style location-independent identifier "#foo".
				l.anchors[base+"#"+frag] = location{doc: loc.doc, pointer: loc.pointer, base: base, draft: loc.draft}
			}
			if base != "" && (frag == "" || base != loc.base) {
				loc.base = base
				res := location{doc: loc.doc, pointer: loc.pointer, base: base, draft: loc.draft}
				if _, dup := l.resources[base]; !dup {
					l.resources[base] = res
				}
			}
		}
	}
	for _, ak := range []string{"$anchor", "$dynamicAnchor"} {
		if a, ok := obj.Values[ak].(string); ok && loc.draft >= Draft2019 {
			k := loc.base + "#" + a
			here := location{doc: loc.doc, pointer: loc.pointer, base: loc.base, draft: loc.draft}
			if _, dup := l.anchors[k]; !dup || ak == "$anchor" {
				l.anchors[k] = here
			}
			if _, dup := l.dynAnchors[k]; ak == "$dynamicAnchor" && loc.draft >= Draft2020 && !dup {
				l.dynAnchors[k] = here
			}
		}
	}
	if obj.Values["$recursiveAnchor"] == true && loc.draft == Draft2019 {
		l.recursive[loc.base] = true
	}
	return loc, nil
}

func (p *parser) sub(k string, v any, tokens ...string) *Schema {
	ptr := p.s.Pointer + "/" + EscapeToken(k)
	for _, t := range tokens {
		ptr += "/" + EscapeToken(t)
	}
	loc := p.loc
	loc.pointer = ptr
	s, err := p.l.parse(loc, v)
	if err != nil && p.err == nil {
		p.err = err
	}
	return s
}

func (p *parser) subMap(k string, v any) []Named {
	o, ok := v.(*Object)
	if !ok {
		p.fail(k, "must be an object")
		return nil
	}
	var out []Named
	for _, name := range o.Keys {
		out = append(out, Named{Name: name, Schema: p.sub(k, o.Values[name], name)})
	}
	return out
}

func (p *parser) subList(k string, v any) []*Schema {
	arr, ok := v.([]any)
	if !ok {
		p.fail(k, "must be an array")
		return nil
	}
	out := make([]*Schema, 0, len(arr))
	for i, e := range arr {
		out = append(out, p.sub(k, e, fmt.Sprint(i)))
	}
	return out
}

func (p *parser) keyword(k string, v any) {
	s := p.s
	switch k {
	case "type":
		s.Types = p.types(k, v)
	case "properties":
		s.Properties = p.subMap(k, v)
	case "patternProperties":
		s.PatternProperties = p.subMap(k, v)
	case "dependentSchemas":
		s.DependentSchemas = append(s.DependentSchemas, p.subMap(k, v)...)
	case "definitions", "$defs":
		s.Defs = append(s.Defs, p.subMap(k, v)...)
	case "required":
		s.Required = p.strings(k, v)
	case "dependentRequired":
		p.dependentRequired(k, v)
	case "dependencies":
		p.dependencies(k, v)
	case "additionalProperties":
		s.AdditionalProperties = p.sub(k, v)
	case "propertyNames":
		s.PropertyNames = p.sub(k, v)
	case "contains":
		s.Contains = p.sub(k, v)
	case "not":
		s.Not = p.sub(k, v)
	case "if":
		s.If = p.sub(k, v)
	case "then":
		s.Then = p.sub(k, v)
	case "else":
		s.Else = p.sub(k, v)
	case "unevaluatedProperties":
		s.UnevaluatedProperties = p.sub(k, v)
	case "unevaluatedItems":
		s.UnevaluatedItems = p.sub(k, v)
	case "allOf":
		s.AllOf = p.subList(k, v)
	case "anyOf":
		s.AnyOf = p.subList(k, v)
	case "oneOf":
		s.OneOf = p.subList(k, v)
	case "prefixItems":
		s.PrefixItems = p.subList(k, v)
	case "items":
		if _, ok := v.([]any); ok {
			s.PrefixItems = p.subList(k, v)
		} else {
			s.Items = p.sub(k, v)
		}
	case "additionalItems", "enum", "const", "$dynamicRef", "$recursiveRef":
		p.special(k, v)
	default:
		p.scalarKeyword(k, v)
	}
}

func (p *parser) special(k string, v any) {
	s := p.s
	switch k {
	case "additionalItems":
		// Only meaningful after a tuple "items"; handled in finish.
	case "enum":
		arr, ok := v.([]any)
		if !ok {
			p.fail(k, "must be an array")
			return
		}
		s.Enum, s.HasEnum = arr, true
	case "const":
		s.Const, s.HasConst = v, true
	case "$dynamicRef", "$recursiveRef":
		// Resolved like $ref first, then by the dynamic scope (resolveDynamic, specialize).
		r, ok := v.(string)
		if !ok {
			p.fail(k, "must be a string")
			return
		}
		if s.RefString != "" {
			// One reference per schema node: beside a $ref this one is not applied.
			s.Unsupported = append(s.Unsupported, k)
			return
		}
		s.RefString = r
		p.l.pending = append(p.l.pending, s)
		p.l.dynamic[s] = k
	}
}

func (p *parser) scalarKeyword(k string, v any) {
	s := p.s
	switch k {
	case "minProperties", "maxProperties", "minItems", "maxItems", "minLength", "maxLength", "minContains", "maxContains":
		n := p.count(k, v)
		dst := map[string]**int{"minProperties": &s.MinProperties, "maxProperties": &s.MaxProperties,
			"minItems": &s.MinItems, "maxItems": &s.MaxItems, "minLength": &s.MinLength,
			"maxLength": &s.MaxLength, "minContains": &s.MinContains, "maxContains": &s.MaxContains}[k]
		*dst = n
	case "uniqueItems":
		b, ok := v.(bool)
		if !ok {
			p.fail(k, "must be a boolean")
		}
		s.UniqueItems = b
	case "pattern":
		str, ok := v.(string)
		if !ok {
			p.fail(k, "must be a string")
			return
		}
		s.Pattern = &str
	case "format":
		s.Format, _ = v.(string)
	case "minimum", "maximum", "multipleOf":
		n := p.number(k, v)
		dst := map[string]**json.Number{"minimum": &s.Minimum, "maximum": &s.Maximum, "multipleOf": &s.MultipleOf}[k]
		*dst = n
		if k == "multipleOf" && n != nil && !positive(*n) {
			p.fail(k, "must be greater than 0")
		}
	case "exclusiveMinimum", "exclusiveMaximum":
		p.exclusive(k, v)
	default:
		p.annotation(k, v)
	}
}

func (p *parser) annotation(k string, v any) {
	s := p.s
	switch k {
	case "title":
		s.Title, _ = v.(string)
	case "description":
		s.Description, _ = v.(string)
	case "default":
		s.Default, s.HasDefault = v, true
	case "deprecated":
		s.Deprecated, _ = v.(bool)
	case "readOnly":
		s.ReadOnly, _ = v.(bool)
	case "writeOnly":
		s.WriteOnly, _ = v.(bool)
	}
}

func positive(n json.Number) bool {
	r, ok := new(big.Rat).SetString(string(n))
	return ok && r.Sign() > 0
}

// exclusive handles both forms: a number (draft-06+) and a boolean that
// turns minimum/maximum exclusive (draft-04).
func (p *parser) exclusive(k string, v any) {
	s := p.s
	if b, ok := v.(bool); ok {
		if !b {
			return
		}
		if k == "exclusiveMinimum" {
			p.draft4Exclusive = append(p.draft4Exclusive, "min")
		} else {
			p.draft4Exclusive = append(p.draft4Exclusive, "max")
		}
		return
	}
	n := p.number(k, v)
	if k == "exclusiveMinimum" {
		s.ExclusiveMinimum = n
	} else {
		s.ExclusiveMaximum = n
	}
}

func (p *parser) number(k string, v any) *json.Number {
	n, ok := v.(json.Number)
	if !ok {
		p.fail(k, "must be a number")
		return nil
	}
	return &n
}

func (p *parser) count(k string, v any) *int {
	n, ok := v.(json.Number)
	if !ok {
		p.fail(k, "must be a non-negative integer")
		return nil
	}
	f, err := n.Float64()
	if err != nil || f < 0 || f != math.Trunc(f) {
		p.fail(k, "must be a non-negative integer")
		return nil
	}
	if f > math.MaxInt32 {
		f = math.MaxInt32
	}
	i := int(f)
	return &i
}

func (p *parser) strings(k string, v any) []string {
	arr, ok := v.([]any)
	if !ok {
		p.fail(k, "must be an array of strings")
		return nil
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		str, ok := e.(string)
		if !ok {
			p.fail(k, "must be an array of strings")
			return nil
		}
		out = append(out, str)
	}
	return out
}

var jsonTypes = words("null boolean integer number string array object")

func (p *parser) types(k string, v any) []string {
	if str, ok := v.(string); ok {
		v = []any{str}
	}
	ts := p.strings(k, v)
	for _, t := range ts {
		if !jsonTypes[t] {
			p.fail(k, "unknown type %q", t)
		}
	}
	if ts == nil {
		ts = []string{}
	}
	return ts
}

func (p *parser) dependentRequired(k string, v any) {
	o, ok := v.(*Object)
	if !ok {
		p.fail(k, "must be an object")
		return
	}
	for _, name := range o.Keys {
		p.s.DependentRequired = append(p.s.DependentRequired, Dependency{Name: name, Required: p.strings(k, o.Values[name])})
	}
}

// dependencies (draft-04..07) holds either required lists or schemas.
func (p *parser) dependencies(k string, v any) {
	o, ok := v.(*Object)
	if !ok {
		p.fail(k, "must be an object")
		return
	}
	for _, name := range o.Keys {
		if _, isList := o.Values[name].([]any); isList {
			p.s.DependentRequired = append(p.s.DependentRequired, Dependency{Name: name, Required: p.strings(k, o.Values[name])})
			continue
		}
		p.s.DependentSchemas = append(p.s.DependentSchemas, Named{Name: name, Schema: p.sub(k, o.Values[name], name)})
	}
}

// finish applies the rules that need several keywords at once.
func (p *parser) finish() {
	s := p.s
	for _, e := range p.draft4Exclusive {
		if e == "min" && s.Minimum != nil {
			s.ExclusiveMinimum, s.Minimum = s.Minimum, nil
		}
		if e == "max" && s.Maximum != nil {
			s.ExclusiveMaximum, s.Maximum = s.Maximum, nil
		}
	}
	raw, hasAdditional := p.obj.Values["additionalItems"]
	_, tuple := p.obj.Values["items"].([]any)
	if hasAdditional && tuple && known(p.loc.draft, "additionalItems") && !containsString(s.Ignored, "additionalItems") {
		s.Items = p.sub("additionalItems", raw)
	}
	if !known(p.loc.draft, "contains") {
		s.MinContains, s.MaxContains = nil, nil
	}
}

func containsString(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
