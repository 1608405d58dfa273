package schema

import (
	"slices"
	"testing"
)

// TestDynamicRefs: a $dynamicRef or $recursiveRef goes where the dynamic scope sends it
// when that is the same on every path, and stays static, marked for a warning, when not.
func TestDynamicRefs(t *testing.T) {
	for _, tt := range []struct {
		name, doc   string
		ref, target string // pointers: the dynamic reference, and where it must lead
		warned      bool
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
			name: "the target depends on the path",
			doc: `{"$id":"https://example.com/root","properties":{"a":{"$ref":"a"},"b":{"$ref":"b"}},
				"$defs":{"a":{"$id":"a","$dynamicAnchor":"n","properties":{"x":{"$dynamicRef":"#n"}}},
					"b":{"$id":"b","$dynamicAnchor":"n","$ref":"a"}}}`,
			ref: "/$defs/a/properties/x", target: "/$defs/a", warned: true,
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
			if warned := len(ref.Unsupported) > 0; warned != tt.warned {
				t.Errorf("Unsupported = %v, want a warning: %v", ref.Unsupported, tt.warned)
			}
			if tt.warned && !slices.Contains(ref.Unsupported, "$dynamicRef") {
				t.Errorf("Unsupported = %v lacks $dynamicRef", ref.Unsupported)
			}
		})
	}
}
