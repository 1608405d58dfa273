// Package flow reads and compares IDWise flow definitions: the file that gbggen fetch writes
// from a start-journey answer, gbggen generate turns into typed step helpers, gbggen diff
// compares across a republication, and the emulator (gbgserve -idwise-flows) serves.
//
//	{"flow_id": "demo-flow", "steps": [{"step_id": "0", "type": "Document", "title": "ID Document"}]}
//
// One reader for all four, so that a file one of them accepts is not refused by another. The
// package has no network code: the emulator and the generator both import it.
package flow

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// The step kinds IDWise documents. A definition may name others (the generator gives them a
// Document-like helper; the emulator refuses them, having no way to process them).
const (
	Document = "Document"
	Selfie   = "Selfie"
)

// Flow is a flow definition.
type Flow struct {
	FlowID string `json:"flow_id"`
	Steps  []Step `json:"steps"`
	// Name is the optional "name" member, a display name only the emulator reads (in its
	// logs). It is not part of the canonical form.
	Name string `json:"-"`
}

// Step is one step of a flow. StepID is the step ID's text, whether the file writes it as a
// number (0) or a string ("0"): IDWise sends either, and both name the same step.
type Step struct {
	StepID string `json:"step_id"`
	Type   string `json:"type"`
	Title  string `json:"title"`
	// Numeric reports that the file wrote the step ID as a number, which the emulator writes
	// back in the same form. It is not part of the canonical form.
	Numeric bool `json:"-"`
}

// Parse reads a flow definition: an object of flow_id (a non-empty string), steps (a
// non-empty array) and optionally name (a string); each step an object of step_id (a
// non-empty string or an integer from 0 to 2⁶³-1, unique in the flow), type (a non-empty
// string) and title (a string). Anything else is an error that starts with name and the JSON
// Pointer of the bad value ("flows/kyc.json#/steps/1/type: …"), or with the line and column of
// a syntax error.
func Parse(name string, data []byte) (*Flow, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %v", name, syntaxErr(data, err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s: data after the JSON value", name)
	}
	f, ptr, err := fromJSON(doc)
	if err != nil {
		return nil, fmt.Errorf("%s#%s: %v", name, ptr, err)
	}
	return f, nil
}

// syntaxErr adds the line and column to a JSON syntax error.
func syntaxErr(data []byte, err error) error {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return err
	}
	line, col := 1, 1
	for _, b := range data[:min(max(int(se.Offset)-1, 0), len(data))] { // Offset is after the bad byte
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("line %d, column %d: %v", line, col, err)
}

// fromJSON checks the decoded document and returns the flow, or the pointer of the value an
// error is about.
func fromJSON(doc any) (*Flow, string, error) {
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, "", errors.New("want an object {flow_id, steps}")
	}
	if k, ok := unknownMember(obj, "flow_id", "steps", "name"); ok {
		return nil, "/" + pointerToken(k), errors.New("unknown member (want flow_id, steps, name)")
	}
	f := &Flow{}
	if f.FlowID, ok = obj["flow_id"].(string); !ok || strings.TrimSpace(f.FlowID) == "" {
		return nil, "/flow_id", errors.New("want a non-empty string")
	}
	if n, present := obj["name"]; present {
		if f.Name, ok = n.(string); !ok {
			return nil, "/name", errors.New("want a string")
		}
	}
	steps, ok := obj["steps"].([]any)
	if !ok || len(steps) == 0 {
		return nil, "/steps", errors.New("want a non-empty array of steps")
	}
	seen := map[string]int{}
	for i, s := range steps {
		ptr := "/steps/" + strconv.Itoa(i)
		step, sub, err := stepFromJSON(s)
		if err != nil {
			return nil, ptr + sub, err
		}
		if j, dup := seen[step.StepID]; dup {
			return nil, ptr + "/step_id", fmt.Errorf("%q is also the ID of step %d", step.StepID, j)
		}
		seen[step.StepID] = i
		f.Steps = append(f.Steps, step)
	}
	return f, "", nil
}

// stepFromJSON checks one decoded step; the pointer it returns is relative to the step.
func stepFromJSON(s any) (Step, string, error) {
	st, ok := s.(map[string]any)
	if !ok {
		return Step{}, "", errors.New("want an object {step_id, type, title}")
	}
	if k, ok := unknownMember(st, "step_id", "type", "title"); ok {
		return Step{}, "/" + pointerToken(k), errors.New("unknown member (want step_id, type, title)")
	}
	var step Step
	switch v := st["step_id"].(type) {
	case string:
		step.StepID = v
	case json.Number:
		if _, err := strconv.ParseUint(v.String(), 10, 63); err != nil {
			return Step{}, "/step_id", fmt.Errorf("%s: want a non-negative integer or a string", truncate(v.String(), 40))
		}
		step.StepID, step.Numeric = v.String(), true
	}
	if step.StepID == "" {
		return Step{}, "/step_id", errors.New("want a non-empty string or a non-negative integer")
	}
	if step.Type, ok = st["type"].(string); !ok || step.Type == "" {
		return Step{}, "/type", errors.New("want a step type such as Document or Selfie")
	}
	if step.Title, ok = st["title"].(string); !ok {
		return Step{}, "/title", errors.New("want a string")
	}
	return step, "", nil
}

// unknownMember returns the first member of obj, in sorted order so that the error does not
// depend on map order, that is not one of names.
func unknownMember(obj map[string]any, names ...string) (string, bool) {
	var unknown []string
	for k := range obj {
		if !slices.Contains(names, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return "", false
	}
	return slices.Min(unknown), true
}

func pointerToken(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Step returns the step whose ID is id.
func (f *Flow) Step(id string) (Step, bool) {
	for _, s := range f.Steps {
		if s.StepID == id {
			return s, true
		}
	}
	return Step{}, false
}

// Canonical returns the flow's canonical JSON: flow_id and steps in a fixed order, step IDs as
// strings, no name and no insignificant white space. Digest is its sha256.
func (f *Flow) Canonical() []byte {
	b, _ := json.Marshal(f) // strings only: cannot fail
	return b
}

// Indented is the canonical JSON indented by two spaces with a final newline, the content of
// a flow definition file.
func (f *Flow) Indented() []byte {
	var buf bytes.Buffer
	_ = json.Indent(&buf, f.Canonical(), "", "  ")
	buf.WriteByte('\n')
	return buf.Bytes()
}

// Digest is the hex sha256 of Canonical.
func (f *Flow) Digest() string {
	sum := sha256.Sum256(f.Canonical())
	return hex.EncodeToString(sum[:])
}
