package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
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

// rejected sorts violations into what to drop (package prune): the values they name
// (invalid values and properties that are not allowed), and, for a missing required
// property, the object that lacks it when it is an array element.
func rejected(vs []Violation) (values, elements []string) {
	for _, v := range vs {
		switch {
		case v.missing:
			elements = append(elements, v.Pointer[:strings.LastIndexByte(v.Pointer, '/')])
		case v.Pointer != "":
			values = append(values, v.Pointer)
		}
	}
	return values, elements
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
