// Package api_test proves that api/openapi.yaml is a valid OpenAPI 3 document, that it
// describes every endpoint of the journey API, and that its Subject schema accepts and rejects
// exactly the documents GBG's published context schema does.
package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/internal/yamljson"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

const specPath = "openapi.yaml"

// corpusDir returns ../shared/corpus (or $GBGGEN_CORPUS). In CI a missing corpus fails the
// run instead of skipping, so the proof cannot silently disappear.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("GBGGEN_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus not found at %s (set GBGGEN_CORPUS): %v", dir, err)
		}
		t.Skipf("corpus not found at %s (set GBGGEN_CORPUS)", dir)
	}
	return dir
}

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(specPath)
	if err != nil {
		t.Fatalf("load %s: %v", specPath, err)
	}
	return doc
}

func TestSpecValidates(t *testing.T) {
	doc := loadSpec(t)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("%s does not validate: %v", specPath, err)
	}
	if got := doc.OpenAPI; !strings.HasPrefix(got, "3.0") {
		t.Errorf("openapi version = %q, want 3.0.x", got)
	}
	regions := doc.Servers[0].Variables["region"]
	if regions == nil || regions.Default != "eu" || !slices.Equal(regions.Enum, []string{"eu", "us", "au"}) {
		t.Errorf("server region variable = %+v, want default eu, enum eu/us/au", regions)
	}
}

// TestSpecEndpoints checks that every endpoint of the reference is described with a request
// body (where it takes one) and a named success response schema for 200 and 201.
func TestSpecEndpoints(t *testing.T) {
	doc := loadSpec(t)
	want := []struct{ method, path string }{
		{"POST", "/as/token.oauth2"},
		{"POST", "/captain/api/journey/start"},
		{"POST", "/captain/api/journey/task/list"},
		{"POST", "/captain/api/journey/task/schema"},
		{"POST", "/captain/api/journey/task/list/schema"},
		{"POST", "/captain/api/journey/task/update"},
		{"POST", "/captain/api/journey/state/fetch"},
		{"POST", "/captain/api/journey/state/delete"},
		{"POST", "/captain/api/journey/device/start"},
		{"POST", "/captain/api/journey/device/connect"},
		{"GET", "/captain/api/journey/health"},
		{"POST", "/v2/captain/journey/start"},
		{"POST", "/v2/captain/journey/state/fetch"},
		{"POST", "/v2/captain/journey/interaction/fetch"},
		{"POST", "/v2/captain/journey/interaction/submit"},
	}
	if n := doc.Paths.Len(); n != len(want) {
		t.Errorf("spec has %d paths, want %d", n, len(want))
	}
	for _, w := range want {
		item := doc.Paths.Find(w.path)
		if item == nil {
			t.Errorf("%s %s: missing", w.method, w.path)
			continue
		}
		op := item.GetOperation(w.method)
		if op == nil {
			t.Errorf("%s %s: no such operation", w.method, w.path)
			continue
		}
		if w.method == "POST" {
			if op.RequestBody == nil || op.RequestBody.Value == nil || len(op.RequestBody.Value.Content) == 0 {
				t.Errorf("%s %s: no request body", w.method, w.path)
			} else {
				for ct, mt := range op.RequestBody.Value.Content {
					if mt.Schema == nil || mt.Schema.Ref == "" {
						t.Errorf("%s %s: request %s is not a named schema", w.method, w.path, ct)
					}
				}
			}
		}
		codes := []int{200, 201}
		if w.path == "/as/token.oauth2" || w.method == "GET" {
			codes = []int{200}
		}
		for _, code := range codes {
			r := op.Responses.Status(code)
			if r == nil || r.Value == nil {
				t.Errorf("%s %s: no %d response", w.method, w.path, code)
				continue
			}
			mt := r.Value.Content.Get("application/json")
			if mt == nil || mt.Schema == nil || mt.Schema.Ref == "" {
				t.Errorf("%s %s: %d response is not a named JSON schema", w.method, w.path, code)
			}
			if r.Value.Headers["X-Request-ID"] == nil {
				t.Errorf("%s %s: %d response does not declare X-Request-ID", w.method, w.path, code)
			}
		}
		if op.Responses.Default() == nil && op.Responses.Status(401) == nil {
			t.Errorf("%s %s: no error response", w.method, w.path)
		}
	}
}

func TestSpecTokenGrants(t *testing.T) {
	doc := loadSpec(t)
	req := doc.Components.Schemas["TokenRequest"].Value
	grants := req.Properties["grant_type"].Value.Enum
	if !reflect.DeepEqual(grants, []any{"password", "client_credentials"}) {
		t.Errorf("grant_type enum = %v", grants)
	}
	for _, f := range []string{"client_id", "client_secret", "username", "password", "scope"} {
		if req.Properties[f] == nil {
			t.Errorf("TokenRequest lacks %s", f)
		}
	}
	item := doc.Paths.Find("/as/token.oauth2")
	if len(item.Servers) != 1 || item.Servers[0].URL != "https://api.auth.gbgplc.com" {
		t.Errorf("token path servers = %v, want the authentication host", item.Servers)
	}
	op := item.Post
	if op.Security == nil || len(*op.Security) != 0 {
		t.Errorf("token operation must not require a bearer token")
	}
}

// specJSON returns api/openapi.yaml as a generic JSON value.
func specJSON(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(specPath)
	if err != nil {
		t.Fatal(err)
	}
	js, err := yamljson.Convert(raw)
	if err != nil {
		t.Fatalf("%s: %v", specPath, err)
	}
	var doc map[string]any
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func publishedSchema(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(corpusDir(t), "gbg", "context.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// inline replaces every local $ref of the spec by the schema it names and drops annotations,
// so two schemas that validate alike compare equal however they are factored.
func inline(t *testing.T, v any, components map[string]any, depth int) any {
	if depth > 64 {
		t.Fatal("$ref nesting too deep: recursive Subject?")
	}
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok {
			name, found := strings.CutPrefix(ref, "#/components/schemas/")
			target, ok := components[name]
			if !found || !ok {
				t.Fatalf("unresolved $ref %q", ref)
			}
			return inline(t, target, components, depth+1)
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			switch k {
			case "description", "title", "example", "$schema":
				continue
			}
			out[k] = inline(t, e, components, depth+1)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = inline(t, e, components, depth+1)
		}
		return out
	}
	return v
}

// TestSubjectStructurallyEqual is the first half of the equivalence proof: once the spec's
// named components are inlined, Subject is the very schema GBG published for context.subject.
func TestSubjectStructurallyEqual(t *testing.T) {
	spec := specJSON(t)
	components := spec["components"].(map[string]any)["schemas"].(map[string]any)
	ours := inline(t, components["Subject"], components, 0)
	published := publishedSchema(t)
	theirs := inline(t, published["properties"].(map[string]any)["subject"], nil, 0)
	if !reflect.DeepEqual(ours, theirs) {
		a, _ := json.MarshalIndent(ours, "", " ")
		b, _ := json.MarshalIndent(theirs, "", " ")
		t.Fatalf("Subject differs from the published subject schema:\n%s", lineDiff(string(a), string(b)))
	}
}

func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			lo := max(0, i-5)
			return fmt.Sprintf("first difference at line %d\nours:\n%s\npublished:\n%s", i+1,
				strings.Join(al[lo:min(len(al), i+5)], "\n"), strings.Join(bl[lo:min(len(bl), i+5)], "\n"))
		}
	}
	return fmt.Sprintf("lengths differ: %d vs %d lines", len(al), len(bl))
}

// judges are three independent verdicts on a subject document: the published schema and our
// Subject under santhosh-tekuri/jsonschema (formats asserted), and our Subject under
// kin-openapi, the validator the emulator's request validation uses.
type judges struct {
	published, ours *jsonschema.Schema
	kin             *openapi3.Schema
}

func newJudges(t *testing.T) judges {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.AssertFormat()
	if err := c.AddResource("file:///published.json", publishedSchema(t)); err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("file:///openapi.json", specJSON(t)); err != nil {
		t.Fatal(err)
	}
	published, err := c.Compile("file:///published.json#/properties/subject")
	if err != nil {
		t.Fatal(err)
	}
	ours, err := c.Compile("file:///openapi.json#/components/schemas/Subject")
	if err != nil {
		t.Fatal(err)
	}
	return judges{published: published, ours: ours, kin: loadSpec(t).Components.Schemas["Subject"].Value}
}

// TestSubjectVerdicts is the second half: thousands of generated documents, valid ones and
// ones broken in one place, get the same verdict from all three judges.
func TestSubjectVerdicts(t *testing.T) {
	j := newJudges(t)
	published := publishedSchema(t)
	subject := published["properties"].(map[string]any)["subject"].(map[string]any)
	rng := rand.New(rand.NewPCG(1, 2))
	var valid, invalid int
	for i := range 250 {
		doc := generate(rng, subject, 0)
		docs := append([]any{doc}, mutations(rng, doc)...)
		for k, d := range docs {
			pub := j.published.Validate(d) == nil
			if k == 0 && !pub {
				t.Fatalf("generator made an invalid document (seed doc %d): %v", i, j.published.Validate(d))
			}
			if got := j.ours.Validate(d) == nil; got != pub {
				t.Errorf("doc %d.%d: Subject says valid=%v, published schema says %v\n%s", i, k, got, pub, compact(d))
			}
			if got := kinValid(j.kin, d); got != pub {
				t.Errorf("doc %d.%d: kin-openapi on Subject says valid=%v, published schema says %v\n%s", i, k, got, pub, compact(d))
			}
			if pub {
				valid++
			} else {
				invalid++
			}
		}
		if t.Failed() {
			return
		}
	}
	t.Logf("%d documents judged alike: %d valid, %d invalid", valid+invalid, valid, invalid)
	if valid < 250 || invalid < 1500 {
		t.Fatalf("too few documents of one kind to prove anything: %d valid, %d invalid", valid, invalid)
	}
}

// kin-openapi asserts only the formats it is told about; these match what a JSON Schema
// validator means by them closely enough for the documents generated here.
func init() {
	openapi3.DefineStringFormatValidator("email", openapi3.NewCallbackValidator(func(v string) error {
		a, err := mail.ParseAddress(v)
		if err != nil || a.Address != v {
			return fmt.Errorf("not an email address")
		}
		return nil
	}))
	openapi3.DefineStringFormatValidator("uri", openapi3.NewCallbackValidator(func(v string) error {
		u, err := url.Parse(v)
		if err != nil || !u.IsAbs() {
			return fmt.Errorf("not an absolute URI")
		}
		return nil
	}))
}

func kinValid(s *openapi3.Schema, doc any) bool {
	// kin-openapi wants float64 numbers and plain maps, as encoding/json gives them.
	b, _ := json.Marshal(doc)
	var v any
	_ = json.Unmarshal(b, &v)
	return s.VisitJSON(v, openapi3.EnableFormatValidation()) == nil
}

func compact(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// generate builds a random document valid under schema s (from the published schema's
// vocabulary: type, properties, required, additionalProperties, items, enum, pattern, format,
// anyOf, allOf).
func generate(rng *rand.Rand, s map[string]any, depth int) any {
	if branches, ok := s["anyOf"].([]any); ok {
		return generate(rng, branches[rng.IntN(len(branches))].(map[string]any), depth)
	}
	if branches, ok := s["allOf"].([]any); ok {
		return generate(rng, mergeAllOf(branches), depth)
	}
	if enum, ok := s["enum"].([]any); ok {
		return enum[rng.IntN(len(enum))]
	}
	switch s["type"] {
	case "object":
		props, _ := s["properties"].(map[string]any)
		required := stringSet(s["required"])
		out := map[string]any{}
		for _, name := range sortedKeys(props) {
			if required[name] || (depth < 6 && rng.IntN(3) > 0) {
				out[name] = generate(rng, props[name].(map[string]any), depth+1)
			}
		}
		if s["additionalProperties"] == true && rng.IntN(4) == 0 {
			out["extraMember"] = "kept"
		}
		return out
	case "array":
		n := rng.IntN(3)
		out := make([]any, n)
		for i := range out {
			out[i] = generate(rng, s["items"].(map[string]any), depth+1)
		}
		return out
	case "boolean":
		return rng.IntN(2) == 0
	case "number":
		return float64(rng.IntN(1000)) / 8
	case "string":
		return sampleString(rng, s)
	}
	return nil
}

func sampleString(rng *rand.Rand, s map[string]any) string {
	switch s["pattern"] {
	case `^\d{4}-\d{2}-\d{2}$`:
		return fmt.Sprintf("%04d-%02d-%02d", 1900+rng.IntN(120), 1+rng.IntN(12), 1+rng.IntN(28))
	case `^[A-Z]{2,3}$`:
		return []string{"GB", "GBR", "US", "FRA"}[rng.IntN(4)]
	}
	switch s["format"] {
	case "email":
		return "ada@example.org"
	case "uri":
		return "https://example.org/terms"
	}
	return []string{"", "Ada", "Lovelace", "12 Acacia Avenue", "ÅÉÎ"}[rng.IntN(5)]
}

// mergeAllOf folds object branches into one: required sets add up and, where a branch closes
// additional properties, only the members every closed branch names remain allowed.
func mergeAllOf(branches []any) map[string]any {
	props := map[string]any{}
	var allowed map[string]bool
	required := map[string]bool{}
	for _, b := range branches {
		b := b.(map[string]any)
		bp, _ := b["properties"].(map[string]any)
		for k, v := range bp {
			props[k] = v
		}
		for k := range stringSet(b["required"]) {
			required[k] = true
		}
		if b["additionalProperties"] == false {
			names := map[string]bool{}
			for k := range bp {
				if allowed == nil || allowed[k] {
					names[k] = true
				}
			}
			allowed = names
		}
	}
	merged := map[string]any{}
	for k, v := range props {
		if allowed == nil || allowed[k] {
			merged[k] = v
		}
	}
	var req []any
	for k := range required {
		req = append(req, k)
	}
	return map[string]any{"type": "object", "properties": merged, "required": req}
}

// mutations returns copies of doc, each broken (or merely changed) in one place: a member
// removed, an unknown member added, a value of the wrong type, a string that breaks a pattern
// or format, an enum value out of range.
func mutations(rng *rand.Rand, doc any) []any {
	var out []any
	var paths [][]any
	collectPaths(doc, nil, &paths)
	for _, p := range pick(rng, paths, 12) {
		for _, m := range []func(any) any{
			func(any) any { return 42 },
			func(any) any { return "not-a-date or email or GBR" },
			func(v any) any {
				if m, ok := v.(map[string]any); ok {
					c := clone(m).(map[string]any)
					c["unknownMember"] = true
					return c
				}
				return []any{v}
			},
			func(v any) any {
				if m, ok := v.(map[string]any); ok && len(m) > 0 {
					c := clone(m).(map[string]any)
					delete(c, sortedKeys(m)[rng.IntN(len(m))])
					return c
				}
				return nil
			},
		} {
			out = append(out, replaceAt(doc, p, m))
		}
	}
	return out
}

func collectPaths(v any, at []any, out *[][]any) {
	*out = append(*out, slices.Clone(at))
	switch v := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(v) {
			collectPaths(v[k], append(at, k), out)
		}
	case []any:
		for i, e := range v {
			collectPaths(e, append(at, i), out)
		}
	}
}

func replaceAt(doc any, path []any, f func(any) any) any {
	if len(path) == 0 {
		return f(clone(doc))
	}
	switch d := doc.(type) {
	case map[string]any:
		c := clone(d).(map[string]any)
		c[path[0].(string)] = replaceAt(d[path[0].(string)], path[1:], f)
		return c
	case []any:
		c := clone(d).([]any)
		c[path[0].(int)] = replaceAt(d[path[0].(int)], path[1:], f)
		return c
	}
	return doc
}

func clone(v any) any {
	b, _ := json.Marshal(v)
	var out any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	_ = d.Decode(&out)
	return out
}

func pick[T any](rng *rand.Rand, xs []T, n int) []T {
	if len(xs) <= n {
		return xs
	}
	out := make([]T, n)
	for i := range out {
		out[i] = xs[rng.IntN(len(xs))]
	}
	return out
}

func stringSet(v any) map[string]bool {
	set := map[string]bool{}
	list, _ := v.([]any)
	for _, e := range list {
		set[e.(string)] = true
	}
	return set
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
