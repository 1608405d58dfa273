package schemadiff

import "testing"

// TestCompareNormalised covers what the loader folds away or leaves to the comparison:
// patternProperties matched with Go's regexp, a fallback that accepts everything, and the
// same constraint spelled for different drafts.
func TestCompareNormalised(t *testing.T) {
	const draft2020 = `"$schema":"https://json-schema.org/draft/2020-12/schema",`
	tests := []diffCase{
		{"pattern takes a removed property",
			`{"type":"object","additionalProperties":false,"patternProperties":{"^x-":{"type":"string"}},"properties":{"x-a":{"type":"string"}}}`,
			`{"type":"object","additionalProperties":false,"patternProperties":{"^x-":{"type":"string"}}}`,
			[]want{{"/x-a", "property-removed", Info, Info}}},
		{"uncompilable pattern is passed over with a warning",
			`{"type":"object","additionalProperties":false,"patternProperties":{"^(?!x-)":{"type":"string"}},"properties":{"a":{"type":"string"}}}`,
			`{"type":"object","additionalProperties":false,"patternProperties":{"^(?!x-)":{"type":"string"}}}`,
			[]want{{"/a", "patternProperties-unsupported", Warning, Warning}, {"/a", "property-removed", Breaking, Info}}},
		{"uncompilable pattern before one that matches",
			`{"type":"object","patternProperties":{"(?<=a)b":{"type":"integer"},"^x":{"type":"string"}}}`,
			`{"type":"object","patternProperties":{"(?<=a)b":{"type":"integer"},"^x":{"type":"string"}},"properties":{"xa":{"type":"string","maxLength":3}}}`,
			[]want{{"/xa", "maxLength-added", Breaking, Info}, {"/xa", "patternProperties-unsupported", Warning, Warning}, {"/xa", "property-added", Info, Info}}},
		{"optional property added where a pattern accepts anything",
			`{"type":"object","patternProperties":{"^x":true}}`,
			`{"type":"object","patternProperties":{"^x":true},"properties":{"xa":{"type":"string"}}}`,
			[]want{{"/xa", "property-added", Info, Info}}},
		{"optional property added where additionalProperties is {}",
			`{"type":"object","additionalProperties":{}}`,
			`{"type":"object","additionalProperties":{},"properties":{"a":{"type":"string"}}}`,
			[]want{{"/a", "property-added", Info, Info}}},
		{"format in a 2020-12 schema",
			`{` + draft2020 + `"type":"string"}`, `{` + draft2020 + `"type":"string","format":"email"}`,
			[]want{{"", "format-added", Breaking, Info}}},
		{"dependencies respelled as dependentRequired",
			`{"dependencies":{"a":["b"]}}`, `{` + draft2020 + `"dependentRequired":{"a":["b"]}}`,
			nil},
		{"tuple items respelled as prefixItems",
			`{"type":"array","items":[{"type":"string"}],"additionalItems":false}`,
			`{` + draft2020 + `"type":"array","prefixItems":[{"type":"string"}],"items":false}`,
			nil},
		{"then without if",
			`{"then":{"type":"string"}}`, `{"then":{"type":"integer"}}`,
			nil},
		{"else of an if that always holds",
			`{"if":true,"else":{"type":"string"}}`, `{"if":true,"else":{"type":"integer"}}`,
			nil},
	}
	runDiffCases(t, tests)
}

func TestUnsupportedPatternMessage(t *testing.T) {
	old := compile(t, "old", `{"type":"object","patternProperties":{"^(?!x-)":{}},"properties":{"a":{}}}`)
	new := compile(t, "new", `{"type":"object","patternProperties":{"^(?!x-)":{}}}`)
	got := Compare(old, new, Sent)
	want := "cannot tell whether a matches patternProperties ^(?!x-) (not a Go regular expression)"
	if len(got) == 0 || got[0].Rule != "patternProperties-unsupported" || got[0].Message != want {
		t.Errorf("changes = %v, want first %q", got, want)
	}
}

// TestECMAPattern: patternProperties are ECMA-262, read as the generator reads them; \u0078
// is no Go regexp escape, but the name still matches, so removing the property is no change.
func TestECMAPattern(t *testing.T) {
	old := compile(t, "old", `{"type":"object","additionalProperties":false,"patternProperties":{"^\\u0078-":{"type":"string"}},"properties":{"x-a":{"type":"string"}}}`)
	new := compile(t, "new", `{"type":"object","additionalProperties":false,"patternProperties":{"^\\u0078-":{"type":"string"}}}`)
	got := Compare(old, new, Sent)
	if len(got) != 1 || got[0].Rule != "property-removed" || got[0].Effect != Neutral {
		t.Errorf("changes = %v, want one neutral property-removed", got)
	}
}

func TestRenamedDefinitionIsUnescaped(t *testing.T) {
	old := compile(t, "old", `{"$defs":{"a/b~c":{"type":"string"}},"properties":{"p":{"$ref":"#/$defs/a~1b~0c"}}}`)
	new := compile(t, "new", `{"$defs":{"D":{"type":"string"}},"properties":{"p":{"$ref":"#/$defs/D"}}}`)
	got := Compare(old, new, Sent)
	if want := "definition a/b~c renamed to D (Go type name changes)"; len(got) != 1 || got[0].Message != want {
		t.Errorf("changes = %v, want %q", got, want)
	}
}
