// Package schemadiff compares two versions of a JSON Schema and classifies every change by
// what it does to the wire contract.
//
// Both schemas are loaded first by the generator's own loader (package generator/schema),
// which resolves every $ref and folds draft differences away, so the comparison is structural
// and sees each schema as the generator does: renaming a definition, moving a schema behind a
// $ref, reordering properties or respelling a keyword for another draft is not a change. Each
// change carries the JSON Pointer of the instance location it affects
// ("/subject/identity/dateOfBirth"; "*" stands for every array item or additional property)
// and a level that depends on the direction the data travels:
//
//   - Sent (prefills and task submissions, the default): a change is breaking when a
//     document valid under OLD may be invalid under NEW, because the server now rejects what
//     our code sends.
//   - Received (state and task data we decode): a change is breaking when NEW allows a
//     document OLD rejects, because the server may now send what our code cannot hold.
//
// A change that cannot be decided (a changed pattern) is a warning either way; changes with no
// effect on validity (descriptions, a renamed Go type) are info.
package schemadiff

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/gbggen/gbggen/generator/schema"
)

// Level orders changes by how much they matter to a caller.
type Level int

const (
	Info Level = iota
	Warning
	Breaking
)

func (l Level) String() string {
	switch l {
	case Breaking:
		return "breaking"
	case Warning:
		return "warning"
	}
	return "info"
}

// ParseLevel reads "breaking", "warning" or "info".
func ParseLevel(s string) (Level, error) {
	for _, l := range []Level{Info, Warning, Breaking} {
		if l.String() == s {
			return l, nil
		}
	}
	return 0, fmt.Errorf("unknown level %q (want breaking, warning or info)", s)
}

// MarshalText makes levels appear by name in JSON output.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// Direction says which way the documents a schema describes travel.
type Direction int

const (
	Sent Direction = iota
	Received
)

func (d Direction) String() string {
	if d == Received {
		return "received"
	}
	return "sent"
}

// ParseDirection reads "sent" or "received".
func ParseDirection(s string) (Direction, error) {
	switch s {
	case "sent":
		return Sent, nil
	case "received":
		return Received, nil
	}
	return 0, fmt.Errorf("unknown direction %q (want sent or received)", s)
}

// Effect is what a change does to the set of valid documents.
type Effect int

const (
	// Neutral changes leave the set of valid documents as it was.
	Neutral Effect = iota
	// Tightened: some documents valid under OLD are invalid under NEW.
	Tightened
	// Loosened: some documents invalid under OLD are valid under NEW.
	Loosened
	// Both: the change tightens and loosens at once (a const changed).
	Both
	// Unknown: the effect cannot be decided (a pattern changed).
	Unknown
)

func (e Effect) String() string {
	return [...]string{"neutral", "tightened", "loosened", "tightened and loosened", "unknown"}[e]
}

// MarshalText makes effects appear by name in JSON output.
func (e Effect) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// Change is one difference between OLD and NEW.
type Change struct {
	// Pointer is the JSON Pointer of the affected instance location; "*" stands for every
	// array item or every additional property.
	Pointer string `json:"pointer"`
	// Rule names the kind of change, e.g. "property-removed"; stable, for filtering.
	Rule string `json:"rule"`
	// Message says what changed, with the old and new values.
	Message string `json:"message"`
	Effect  Effect `json:"effect"`
	Level   Level  `json:"level"`
}

func (c Change) String() string {
	p := c.Pointer
	if p == "" {
		p = "/"
	}
	return fmt.Sprintf("%s: %s: %s (%s)", c.Level, p, c.Message, c.Rule)
}

// levelOf judges an effect in a direction.
func levelOf(e Effect, d Direction) Level {
	switch e {
	case Both:
		return Breaking
	case Unknown:
		return Warning
	case Tightened:
		if d == Sent {
			return Breaking
		}
	case Loosened:
		if d == Received {
			return Breaking
		}
	}
	return Info
}

// Compare returns every change from old to new, ordered by pointer then rule, each judged for
// direction d.
func Compare(old, new *schema.Schema, d Direction) []Change {
	w := &walker{dir: d, seen: map[pair]bool{}, memo: map[pair]bool{}}
	w.schema("", old, new)
	slices.SortStableFunc(w.changes, func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.Pointer, b.Pointer), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Message, b.Message))
	})
	return w.changes
}

// Max returns the highest level among changes, and false when there are none.
func Max(changes []Change) (Level, bool) {
	if len(changes) == 0 {
		return Info, false
	}
	top := Info
	for _, c := range changes {
		top = max(top, c.Level)
	}
	return top, true
}

// pair is an old and a new schema compared with each other.
type pair [2]*schema.Schema

type walker struct {
	dir     Direction
	changes []Change
	// seen stops recursion on recursive schemas: a pair is compared once.
	seen map[pair]bool
	// memo holds equivalence answers, shared by every sub-walker of one comparison.
	memo map[pair]bool
}

func (w *walker) add(ptr, rule string, e Effect, format string, args ...any) {
	w.changes = append(w.changes, Change{
		Pointer: ptr,
		Rule:    rule,
		Message: fmt.Sprintf(format, args...),
		Effect:  e,
		Level:   levelOf(e, w.dir),
	})
}

// escape encodes a property name as a JSON Pointer token (RFC 6901).
func escape(name string) string {
	return strings.ReplaceAll(strings.ReplaceAll(name, "~", "~0"), "/", "~1")
}
