package schema

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestDynamicRefs: a $dynamicRef or $recursiveRef goes where the dynamic scope sends it
// when that is the same on every path.
func TestDynamicRefs(t *testing.T) {
	for _, tt := range []struct {
		name, doc   string
		ref, target string // pointers: the dynamic reference, and where it must lead
	}{
		{
			name: "the root extends the resource and redeclares its anchor",
			doc: `{"$id":"https://example.com/strict","$dynamicAnchor":"node","$ref":"tree","unevaluatedProperties":false,
				"$defs":{"tree":{"$id":"tree","$dynamicAnchor":"node","type":"object",
					"properties":{"children":{"type":"array","items":{"$dynamicRef":"#node"}}}}}}`,
			ref: "/$defs/tree/properties/children/items", target: "",
		},
		{
			name: "only the referring resource has the anchor",
			doc: `{"$id":"https://example.com/root","$ref":"tree","$defs":{"tree":{"$id":"tree","$dynamicAnchor":"node",
				"properties":{"children":{"items":{"$dynamicRef":"#node"}}}}}}`,
			ref: "/$defs/tree/properties/children/items", target: "/$defs/tree",
		},
		{
			name: "a plain $anchor target makes it a $ref",
			doc:  `{"$dynamicAnchor":"x","$defs":{"a":{"$id":"https://example.com/a","$anchor":"x","properties":{"p":{"$dynamicRef":"#x"}}}},"$ref":"https://example.com/a"}`,
			ref:  "/$defs/a/properties/p", target: "/$defs/a",
		},
		{
			name: "2019-09 $recursiveRef to an extending root",
			doc: `{"$schema":"https://json-schema.org/draft/2019-09/schema","$id":"https://example.com/strict",
				"$recursiveAnchor":true,"$ref":"tree","unevaluatedProperties":false,
				"$defs":{"tree":{"$id":"tree","$recursiveAnchor":true,"properties":{"c":{"$recursiveRef":"#"}}}}}`,
			ref: "/$defs/tree/properties/c", target: "",
		},
		{
			name: "2019-09 $recursiveRef without an anchor is a $ref",
			doc: `{"$schema":"https://json-schema.org/draft/2019-09/schema","$recursiveAnchor":true,"$ref":"#/$defs/tree",
				"$defs":{"tree":{"$id":"https://example.com/tree","properties":{"c":{"$recursiveRef":"#"}}}}}`,
			ref: "/$defs/tree/properties/c", target: "/$defs/tree",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := NewLoader(Options{})
			root, err := l.LoadBytes("doc.json", []byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			ref, err := l.Node(root, tt.ref)
			if err != nil {
				t.Fatal(err)
			}
			if ref.Ref == nil {
				t.Fatalf("%s is unresolved", tt.ref)
			}
			if ref.Ref.Pointer != tt.target {
				t.Errorf("%s leads to %s, want #%s", tt.ref, ref.Ref.Location(), tt.target)
			}
		})
	}
}

// TestPathDependentDynamicRefs: where the dynamic scope sends a reference depends on the
// path, each path gets its own copies of the schemas that lead to it, and in each the
// reference goes where that path's scope sends it; schemas that lead to none are shared.
func TestPathDependentDynamicRefs(t *testing.T) {
	const doc = `{"$id":"https://example.com/root",
		"properties":{"a":{"$ref":"a"},"b":{"$ref":"b"},"plain":{"$ref":"#/$defs/plain"}},
		"$defs":{
			"a":{"$id":"a","$dynamicAnchor":"n","properties":{"x":{"$dynamicRef":"#n"}}},
			"b":{"$id":"b","$dynamicAnchor":"n","$ref":"a","type":"object"},
			"plain":{"type":"string"}}}`
	l := NewLoader(Options{})
	root, err := l.LoadBytes("doc.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	prop := func(s *Schema, name string) *Schema {
		t.Helper()
		for _, p := range s.Properties {
			if p.Name == name {
				return p.Schema
			}
		}
		t.Fatalf("%s has no property %q", s.Location(), name)
		return nil
	}
	viaA := prop(prop(root, "a").Ref, "x")
	viaB := prop(prop(root, "b").Ref.Ref, "x")
	for _, tt := range []struct {
		path   string
		ref    *Schema
		target string
	}{
		{"a", viaA, "/$defs/a"},
		{"b", viaB, "/$defs/b"},
	} {
		if tt.ref.Pointer != "/$defs/a/properties/x" {
			t.Errorf("via %s: reached %s, want the reference at #/$defs/a/properties/x", tt.path, tt.ref.Location())
		}
		if tt.ref.Ref == nil || tt.ref.Ref.Pointer != tt.target {
			t.Errorf("via %s: the reference leads to %s, want #%s", tt.path, where(tt.ref.Ref), tt.target)
		}
	}
	if viaA == viaB {
		t.Error("both paths share one copy of the reference")
	}
	// The loaded originals stay as parsed, and what reaches no dynamic reference is shared.
	orig := l.nodes[fileURI("doc.json")+"#/$defs/a/properties/x"]
	if orig == nil || orig == viaA || orig == viaB {
		t.Errorf("original reference %p, copies %p and %p: want three distinct nodes", orig, viaA, viaB)
	}
	if plain := prop(root, "plain"); plain != l.nodes[fileURI("doc.json")+"#/properties/plain"] {
		t.Error("#/properties/plain reaches no dynamic reference but was copied")
	}
}

// TestDynamicScopeIsLeft: a resource entered on one branch (if) is not in the scope of
// another (then), so its anchor does not capture the reference there.
func TestDynamicScopeIsLeft(t *testing.T) {
	const doc = `{"$id":"https://example.com/main",
		"if":{"$id":"first","$defs":{"thingy":{"$dynamicAnchor":"thingy","type":"number"}}},
		"then":{"$id":"second","$ref":"start","$defs":{"thingy":{"$dynamicAnchor":"thingy","type":"null"}}},
		"$defs":{"start":{"$id":"start","$dynamicRef":"inner#thingy"},
			"thingy":{"$id":"inner","$dynamicAnchor":"thingy","type":"string"}}}`
	l := NewLoader(Options{})
	root, err := l.LoadBytes("doc.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	ref := root.Then.Ref
	if ref.Pointer != "/$defs/start" {
		t.Fatalf("then leads to %s, want #/$defs/start", ref.Location())
	}
	if ref.Ref == nil || ref.Ref.Pointer != "/then/$defs/thingy" {
		t.Errorf("the reference leads to %s, want #/then/$defs/thingy", where(ref.Ref))
	}
}

func where(s *Schema) string {
	if s == nil {
		return "nowhere"
	}
	return s.Location()
}

// TestDynamicRefBesideRef: one reference per node; a $dynamicRef beside a $ref is marked
// for a warning, and the $ref is followed.
func TestDynamicRefBesideRef(t *testing.T) {
	l := NewLoader(Options{})
	root, err := l.LoadBytes("doc.json", []byte(`{"$ref":"#/$defs/a","$dynamicRef":"#x","$defs":{"a":{"type":"string"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(root.Unsupported, []string{"$dynamicRef"}) {
		t.Errorf("Unsupported = %v, want [$dynamicRef]", root.Unsupported)
	}
	if where(root.Ref) != "doc.json#/$defs/a" {
		t.Errorf("the $ref leads to %s, want doc.json#/$defs/a", where(root.Ref))
	}
}

// TestDynamicScopeBlowUp: scopes that multiply (each of n anchor names declared by two
// resources a path chooses between: 2^n scopes at the end) are refused with an error
// naming the document, not followed into billions of copies.
func TestDynamicScopeBlowUp(t *testing.T) {
	const n = 20
	var b strings.Builder
	b.WriteString(`{"$id":"https://example.com/root","properties":{"l":{"$ref":"l0a"},"r":{"$ref":"l0b"}},"$defs":{`)
	for i := 0; i < n; i++ {
		next := fmt.Sprintf(`"properties":{"l":{"$ref":"l%[1]da"},"r":{"$ref":"l%[1]db"}}`, i+1)
		if i == n-1 {
			next = `"properties":{"end":{"$ref":"bottom"}}`
		}
		fmt.Fprintf(&b, `"l%[1]da":{"$id":"l%[1]da","$dynamicAnchor":"n%[1]d",%[2]s},"l%[1]db":{"$id":"l%[1]db","$dynamicAnchor":"n%[1]d",%[2]s},`, i, next)
	}
	b.WriteString(`"bottom":{"$id":"bottom","$defs":{`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `"d%[1]d":{"$dynamicAnchor":"n%[1]d"},`, i)
	}
	b.WriteString(`"x":{}},"properties":{`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `"r%[1]d":{"$dynamicRef":"#n%[1]d"},`, i)
	}
	b.WriteString(`"x":{}}}}}`)
	_, err := NewLoader(Options{}).LoadBytes("blowup.json", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "blowup.json#: the dynamic scopes") {
		t.Fatalf("error %v, want one naming blowup.json and the dynamic scopes", err)
	}
}
