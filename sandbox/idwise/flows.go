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

	"github.com/gbggen/gbggen/idwise/flow"
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

// StepID is a step ID in requests and answers, a JSON number or string. Its text is what
// identifies the step; the kind is kept so that answers write it back as it was written.
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
	if _, err := strconv.ParseUint(string(b), 10, 63); err != nil {
		return fmt.Errorf("step_id: want a string or a non-negative integer, got %s", truncate(string(b), 40))
	}
	*id = StepID{Text: string(b), Numeric: true}
	return nil
}

// catalog is the set of flows served, by flow ID.
type catalog map[string]*flow.Flow

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
		f, err := parseFlow(e.Name(), data)
		if err != nil {
			return nil, fmt.Errorf("flows: %v", err)
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

// parseFlow reads one flow file, as gbggen generate does, and refuses step kinds the emulator
// cannot process. An error starts with name and the JSON Pointer of the bad value.
func parseFlow(name string, data []byte) (*flow.Flow, error) {
	f, err := flow.Parse(name, data)
	if err != nil {
		return nil, err
	}
	for i, s := range f.Steps {
		if s.Type != flow.Document && s.Type != flow.Selfie { // the kinds the emulator can process
			return nil, fmt.Errorf("%s#/steps/%d/type: %q, want %q or %q: the emulator processes no other kind", name, i, s.Type, flow.Document, flow.Selfie)
		}
	}
	if f.Name == "" {
		f.Name = f.FlowID
	}
	return f, nil
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
