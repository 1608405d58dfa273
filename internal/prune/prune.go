// Package prune removes from a decoded JSON tree the values a schema rejects, as GBG does
// with a prefill: the emulator applies it to the prefill it keeps, and gbg.PredictPending to
// the prefill it predicts for, so that both drop exactly the same values.
package prune

import (
	"strconv"
	"strings"
)

// Passes is how often Accepted checks and drops at most. Dropping a value can make its
// parent invalid (an array element loses a member it requires), so one pass is not always
// enough; GBG's own pass is not documented, and the emulator has always stopped at four.
const Passes = 4

// Accepted drops from doc, pass after pass, what rejected finds in it, until a pass finds
// nothing to drop or Passes passes have run, and returns the tree left. rejected returns the
// pointers of values to drop and of array elements to drop (a pointer in elements that names
// no array element is left alone: a missing member of an object stays missing, but an array
// element that lacks one goes whole).
func Accepted(doc any, rejected func(doc any) (values, elements []string)) any {
	for range Passes {
		values, elements := rejected(doc)
		var removed bool
		doc, removed = Drop(doc, values, elements)
		if !removed {
			break
		}
	}
	return doc
}

// Drop removes from doc (a tree of map[string]any, []any and scalars) the values at the JSON
// Pointers in values and the array elements at the pointers in elements, and returns the
// tree left and whether anything was removed. Maps change in place; arrays are cut down, so
// use the returned tree. Pointers that name nothing, or do not start at the root, are
// ignored.
func Drop(doc any, values, elements []string) (any, bool) {
	removed := false
	for _, p := range values {
		if mark(doc, p, false) {
			removed = true
		}
	}
	for _, p := range elements {
		if mark(doc, p, true) {
			removed = true
		}
	}
	if !removed {
		return doc, false
	}
	return compact(doc), true
}

// gone marks an array element Drop removes: elements are marked first and cut out after,
// so that removing one does not move the others a later pointer names.
type gone struct{}

// mark removes the value at p from its object, or marks it in its array. With onlyElement,
// a value that is not an array element is left.
func mark(doc any, p string, onlyElement bool) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	tokens := strings.Split(p[1:], "/")
	parent := doc
	for _, t := range tokens[:len(tokens)-1] {
		if parent = child(parent, unescape(t)); parent == nil {
			return false
		}
	}
	last := unescape(tokens[len(tokens)-1])
	switch c := parent.(type) {
	case map[string]any:
		if _, ok := c[last]; ok && !onlyElement {
			delete(c, last)
			return true
		}
	case []any:
		if i, err := strconv.Atoi(last); err == nil && i >= 0 && i < len(c) {
			c[i] = gone{}
			return true
		}
	}
	return false
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

func unescape(token string) string {
	return strings.ReplaceAll(strings.ReplaceAll(token, "~1", "/"), "~0", "~")
}

// compact cuts the marked elements out of every array of v.
func compact(v any) any {
	switch c := v.(type) {
	case map[string]any:
		for k, e := range c {
			c[k] = compact(e)
		}
		return c
	case []any:
		out := c[:0]
		for _, e := range c {
			if _, ok := e.(gone); !ok {
				out = append(out, compact(e))
			}
		}
		return out
	}
	return v
}
