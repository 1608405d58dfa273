package schemadiff

import (
	"fmt"
	"testing"

	"github.com/gbggen/gbggen/generator/schema"
)

// compileBytes loads a schema the way Load does, detecting its draft, but reads no other file.
func compileBytes(data []byte) (*schema.Schema, bool) {
	s, err := schema.NewLoader(schema.Options{ReadFile: noFiles}).LoadBytes("s.json", data)
	return s, err == nil
}

// FuzzCompare: on any pair of schemas Compare terminates without panicking, gives the same
// answer twice, judges every change in both directions consistently with its effect, and finds
// nothing between a schema and itself.
func FuzzCompare(f *testing.F) {
	seeds := []string{
		person,
		`{"type":"object","properties":{"a":{"$ref":"#"}}}`,
		`{"oneOf":[{"type":"string"},{"const":1}],"not":{"enum":[2]}}`,
		`{"type":"array","items":[{"type":"string"}],"additionalItems":false,"contains":{"minimum":3}}`,
		`{"if":{"properties":{"a":{"const":1}}},"then":{"required":["b"]},"else":false}`,
		`{"patternProperties":{"^x-":{"type":"string"}},"dependencies":{"a":["b"]},"multipleOf":0.5}`,
		`true`, `false`, `{}`,
	}
	for _, a := range seeds {
		for _, b := range seeds[:3] {
			f.Add([]byte(a), []byte(b))
		}
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		old, ok1 := compileBytes(a)
		new, ok2 := compileBytes(b)
		if !ok1 || !ok2 {
			return
		}
		twin, _ := compileBytes(a) // the same schema, compiled apart: no pointer is shared
		if self := Compare(old, twin, Sent); len(self) != 0 {
			t.Fatalf("schema differs from itself: %v", self)
		}
		sent, received := Compare(old, new, Sent), Compare(old, new, Received)
		if again := Compare(old, new, Sent); fmt.Sprint(again) != fmt.Sprint(sent) {
			t.Fatalf("Compare is not deterministic:\n%v\n%v", sent, again)
		}
		if len(sent) != len(received) {
			t.Fatalf("direction changed the set of changes")
		}
		for i, c := range sent {
			if c.Level != levelOf(c.Effect, Sent) || received[i].Level != levelOf(c.Effect, Received) {
				t.Fatalf("change %v judged inconsistently", c)
			}
		}
	})
}
