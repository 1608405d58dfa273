package schemadiff

import "github.com/gbggen/gbggen/generator/schema"

// show renders an optional JSON value (a default or a const) for comparison and messages:
// "none" when absent, else its canonical JSON (members sorted, so order is no change).
func show(present bool, v any) string {
	if !present {
		return "none"
	}
	return schema.CanonicalJSON(v)
}
