package idwise

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// DemoFlowID is the flow ID of the built-in demo flow (a Document step and a Selfie step).
const DemoFlowID = "demo-flow"

//go:embed flows/*.json
var demoFlows embed.FS

// DemoFS returns the built-in flows, laid out like a flows directory.
func DemoFS() fs.FS {
	sub, err := fs.Sub(demoFlows, "flows")
	if err != nil {
		panic(err) // the embedded directory exists
	}
	return sub
}

// Step kinds the emulator knows how to process.
const (
	KindDocument = "Document"
	KindSelfie   = "Selfie"
)

// Flow is a journey flow as the emulator serves it: the flow definition file gbggen fetch
// writes ({flow_id, steps}), plus optional fields only the emulator reads.
type Flow struct {
	FlowID string `json:"flow_id"`
	Steps  []Step `json:"steps"`
	// Name is a display name for logs; it defaults to FlowID.
	Name string `json:"name,omitempty"`
}

// Step is one step of a flow. ID keeps the JSON form it was written in (0 or "0"), which the
// emulator echoes: IDWise sends step IDs as numbers or strings.
type Step struct {
	ID    StepID `json:"step_id"`
	Type  string `json:"type"`
	Title string `json:"title"`
}

// StepID is a step ID, a JSON number or string. Its text is what identifies the step; the
// kind is kept so that responses write it back as it was written.
type StepID struct {
	Text    string
	Numeric bool
}

// MarshalJSON writes the ID as a number when it was one.
func (id StepID) MarshalJSON() ([]byte, error) {
	if id.Numeric {
		return []byte(id.Text), nil
	}
	return json.Marshal(id.Text)
}

// UnmarshalJSON reads a non-negative integer or a string.
func (id *StepID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = StepID{Text: s}
		return nil
	}
	if _, err := strconv.ParseUint(string(b), 10, 31); err != nil {
		return fmt.Errorf("step_id: want a string or a non-negative integer, got %s", truncate(string(b), 40))
	}
	*id = StepID{Text: string(b), Numeric: true}
	return nil
}

// catalog is the set of flows served, by flow ID.
type catalog map[string]*Flow

// loadFlows reads every *.json file at the top of fsys as a flow. Errors name the file and
// the JSON Pointer of the bad value.
func loadFlows(fsys fs.FS) (catalog, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("flows: %w", err)
	}
	cat := catalog{}
	src := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".json" {
			continue
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("flows: %w", err)
		}
		f, err := parseFlow(data)
		if err != nil {
			return nil, fmt.Errorf("flows: %s%v", e.Name(), err)
		}
		if prev, dup := src[f.FlowID]; dup {
			return nil, fmt.Errorf("flows: %s#/flow_id: flow %q is also defined by %s", e.Name(), f.FlowID, prev)
		}
		src[f.FlowID] = e.Name()
		cat[f.FlowID] = f
	}
	if len(cat) == 0 {
		return nil, errors.New("flows: no *.json flow file")
	}
	return cat, nil
}

// parseFlow decodes and checks one flow file; an error starts with "#/pointer: ".
func parseFlow(data []byte) (*Flow, error) {
	var f Flow
	if err := decodeStrict(bytes.NewReader(data), &f); err != nil {
		return nil, fmt.Errorf(": %v", err)
	}
	if strings.TrimSpace(f.FlowID) == "" {
		return nil, errors.New("#/flow_id: missing")
	}
	if len(f.Steps) == 0 {
		return nil, errors.New("#/steps: a flow needs at least one step")
	}
	seen := map[string]bool{}
	for i, s := range f.Steps {
		switch {
		case s.ID.Text == "":
			return nil, fmt.Errorf("#/steps/%d/step_id: missing", i)
		case seen[s.ID.Text]:
			return nil, fmt.Errorf("#/steps/%d/step_id: %q is used by an earlier step", i, s.ID.Text)
		case s.Type != KindDocument && s.Type != KindSelfie:
			return nil, fmt.Errorf("#/steps/%d/type: %q, want %q or %q", i, s.Type, KindDocument, KindSelfie)
		case strings.TrimSpace(s.Title) == "":
			return nil, fmt.Errorf("#/steps/%d/title: missing", i)
		}
		seen[s.ID.Text] = true
	}
	if f.Name == "" {
		f.Name = f.FlowID
	}
	return &f, nil
}

func (f *Flow) step(id string) (Step, bool) {
	for _, s := range f.Steps {
		if s.ID.Text == id {
			return s, true
		}
	}
	return Step{}, false
}

func (c catalog) ids() []string {
	ids := make([]string, 0, len(c))
	for id := range c {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// decodeStrict decodes exactly one JSON value into v: unknown fields and anything after the
// value are errors.
func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
