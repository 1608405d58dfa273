package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// schema is a compiled JSON Schema together with the document it was compiled from (the
// document is what task/schema returns).
type schema struct {
	doc      map[string]any
	compiled *jsonschema.Schema
}

// Violation is one value that does not satisfy a schema: the JSON Pointer (RFC 6901) of the
// value within the validated document, and what is wrong with it.
type Violation struct {
	Pointer string `json:"pointer"`
	Message string `json:"message"`
	// missing is set for a required property that is absent (Pointer then names the absent
	// property); such a violation names nothing that could be removed.
	missing bool
	// extra is set for a property that additionalProperties forbids.
	extra bool
}

var printer = message.NewPrinter(language.English)

// compileSchema compiles a draft-07 (by default) JSON Schema. References to other documents
// are refused: journey and task schemas must be self-contained.
func compileSchema(name string, raw []byte) (*schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: not JSON: %w", name, err)
	}
	if _, ok := doc.(map[string]any); !ok {
		return nil, fmt.Errorf("%s: a schema must be a JSON object", name)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	// Formats are asserted, as gbggen's generated Validate asserts them, so that the
	// emulator drops a prefill value for the same reasons Pending<Journey>Tasks predicts.
	c.AssertFormat()
	c.UseLoader(refuseLoader{})
	url := "sandbox:///" + strings.TrimPrefix(name, "/")
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	compiled, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	// The document given to clients is a plain JSON tree (numbers as float64).
	var plain map[string]any
	if err := json.Unmarshal(raw, &plain); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &schema{doc: plain, compiled: compiled}, nil
}

type refuseLoader struct{}

func (refuseLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("external reference %s: journey and task schemas must be self-contained", url)
}

// check validates v (a JSON tree of maps, slices, strings, float64/json.Number, bools and nil)
// and returns every violation, sorted by pointer. It returns nil when v is valid.
func (s *schema) check(v any) []Violation {
	err := s.compiled.Validate(normalize(v))
	if err == nil {
		return nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return []Violation{{Pointer: "", Message: err.Error()}}
	}
	var out []Violation
	collectLeaves(verr, &out)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pointer < out[j].Pointer })
	return slices.CompactFunc(out, func(a, b Violation) bool { return a.Pointer == b.Pointer && a.Message == b.Message })
}

func collectLeaves(e *jsonschema.ValidationError, out *[]Violation) {
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			collectLeaves(c, out)
		}
		return
	}
	base := pointer(e.InstanceLocation)
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		for _, p := range k.Missing {
			*out = append(*out, Violation{Pointer: base + "/" + escapeToken(p), Message: "missing required property", missing: true})
		}
		return
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			*out = append(*out, Violation{Pointer: base + "/" + escapeToken(p), Message: "property is not allowed", extra: true})
		}
		return
	}
	*out = append(*out, Violation{Pointer: base, Message: e.ErrorKind.LocalizedString(printer)})
}

// pointer turns instance-location tokens into a JSON Pointer.
func pointer(tokens []string) string {
	var sb strings.Builder
	for _, t := range tokens {
		sb.WriteByte('/')
		sb.WriteString(escapeToken(t))
	}
	return sb.String()
}

func escapeToken(t string) string {
	return strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
}

func unescapeToken(t string) string {
	return strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
}

// normalize converts a decoded JSON tree to what the validator expects, by round-tripping
// through the validator's own decoder (numbers become json.Number).
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return v
	}
	return out
}

// prune removes from doc every value that a violation names (invalid values and properties
// that are not allowed), so that only valid fields remain. Missing required properties cannot
// be removed and are ignored. It reports whether anything was removed.
func prune(doc any, vs []Violation) bool {
	// Remove deeper pointers first, and array elements from the end, so that earlier removals
	// do not shift the targets of later ones.
	ptrs := make([]string, 0, len(vs))
	for _, v := range vs {
		p := v.Pointer
		if v.missing {
			// A missing member of an object stays missing (someone completes it later), but
			// an array element that lacks one is dropped whole.
			p = p[:strings.LastIndexByte(p, '/')]
			if !isArrayElement(doc, p) {
				continue
			}
		}
		if p == "" {
			continue
		}
		ptrs = append(ptrs, p)
	}
	sort.Slice(ptrs, func(i, j int) bool { return comparePointers(ptrs[i], ptrs[j]) > 0 })
	ptrs = slices.Compact(ptrs)
	removed := false
	for _, p := range ptrs {
		if removeAt(doc, p) {
			removed = true
		}
	}
	return removed
}

// comparePointers orders pointers token by token, numeric tokens numerically.
func comparePointers(a, b string) int {
	ta, tb := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(ta) && i < len(tb); i++ {
		if ta[i] == tb[i] {
			continue
		}
		na, ea := strconv.Atoi(ta[i])
		nb, eb := strconv.Atoi(tb[i])
		if ea == nil && eb == nil {
			return na - nb
		}
		return strings.Compare(ta[i], tb[i])
	}
	return len(ta) - len(tb)
}

// removeAt deletes the value at pointer p (a non-empty JSON Pointer) from doc.
func removeAt(doc any, p string) bool {
	tokens := strings.Split(p, "/")[1:]
	parent := doc
	for _, t := range tokens[:len(tokens)-1] {
		parent = child(parent, unescapeToken(t))
		if parent == nil {
			return false
		}
	}
	last := unescapeToken(tokens[len(tokens)-1])
	switch c := parent.(type) {
	case map[string]any:
		if _, ok := c[last]; ok {
			delete(c, last)
			return true
		}
	case []any:
		// Arrays cannot shrink in place through an interface; mark the element, then compact.
		i, err := strconv.Atoi(last)
		if err == nil && i >= 0 && i < len(c) {
			c[i] = removedMarker{}
			return true
		}
	}
	return false
}

type removedMarker struct{}

// isArrayElement reports whether pointer p names an element of an array in doc.
func isArrayElement(doc any, p string) bool {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return false
	}
	parent := doc
	for _, t := range strings.Split(p[:i], "/")[1:] {
		parent = child(parent, unescapeToken(t))
	}
	_, ok := parent.([]any)
	return ok
}

// compactRemoved drops the elements removeAt marked, returning the cleaned tree.
func compactRemoved(v any) any {
	switch c := v.(type) {
	case map[string]any:
		for k, e := range c {
			c[k] = compactRemoved(e)
		}
		return c
	case []any:
		out := c[:0]
		for _, e := range c {
			if _, gone := e.(removedMarker); gone {
				continue
			}
			out = append(out, compactRemoved(e))
		}
		return out
	}
	return v
}

func child(v any, token string) any {
	switch c := v.(type) {
	case map[string]any:
		return c[token]
	case []any:
		i, err := strconv.Atoi(token)
		if err != nil || i < 0 || i >= len(c) {
			return nil
		}
		return c[i]
	}
	return nil
}

// deepCopy copies a JSON tree.
func deepCopy(v any) any {
	switch c := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(c))
		for k, e := range c {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		s := make([]any, len(c))
		for i, e := range c {
			s[i] = deepCopy(e)
		}
		return s
	}
	return v
}

// merge returns base with patch laid over it: objects merge member by member, anything else
// (arrays included) is replaced by the patch. Neither argument is modified.
func merge(base, patch any) any {
	bm, bok := base.(map[string]any)
	pm, pok := patch.(map[string]any)
	if !bok || !pok {
		return deepCopy(patch)
	}
	out := make(map[string]any, len(bm)+len(pm))
	for k, v := range bm {
		out[k] = deepCopy(v)
	}
	for k, v := range pm {
		out[k] = merge(bm[k], v)
	}
	return out
}
