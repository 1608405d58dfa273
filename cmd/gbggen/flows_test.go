package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gbggen/gbggen/internal/yamljson"
)

const flowV1 = `{"flow_id":"kyc-flow","steps":[{"step_id":0,"type":"Document","title":"ID Document"},{"step_id":1,"type":"Selfie","title":"Selfie"}]}`

// flowProject writes a gbggen.yaml with one IDWise flow (and no GBG journey) into dir.
func flowProject(t *testing.T, dir string) string {
	t.Helper()
	cfg := "idwise:\n  flows:\n    - flow: flows/kyc-flow.json\n      package: kyc\n      output: kyc/kyc.go\n"
	if err := os.MkdirAll(filepath.Join(dir, "flows"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "flows", "kyc-flow.json"), []byte(flowV1), 0o644)
	path := filepath.Join(dir, "gbggen.yaml")
	os.WriteFile(path, []byte(cfg), 0o644)
	return path
}

// TestFlowGenerateCheck: generate writes the flow's file, check finds it fresh, and after the
// flow definition changes (a republished flow, fetched again) check reports it stale.
func TestFlowGenerateCheck(t *testing.T) {
	dir := t.TempDir()
	cfg := flowProject(t, dir)
	if code, _, stderr := runCmd("generate", "-config", cfg); code != 0 {
		t.Fatalf("generate: %d %s", code, stderr)
	}
	out, err := os.ReadFile(filepath.Join(dir, "kyc", "kyc.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"package kyc", `const FlowID = "kyc-flow"`, `StepIDDocument idwise.StepID = "0"`,
		"func SubmitIDDocument(ctx context.Context, client *idwise.Client, journeyID string, image, image2 io.Reader) error",
		"func SubmitSelfie(ctx context.Context, client *idwise.Client, journeyID string, image io.Reader) error", "const FlowDigest = "} {
		if !strings.Contains(string(out), want) {
			t.Errorf("generated file lacks %q", want)
		}
	}
	if code, stdout, stderr := runCmd("check", "-config", cfg); code != 0 {
		t.Fatalf("check after generate: %d %s %s", code, stdout, stderr)
	}
	republished := strings.Replace(flowV1, `"title":"Selfie"}]`, `"title":"Selfie"},{"step_id":2,"type":"Document","title":"Proof of address"}]`, 1)
	os.WriteFile(filepath.Join(dir, "flows", "kyc-flow.json"), []byte(republished), 0o644)
	code, stdout, _ := runCmd("check", "-config", cfg, "-format", "json")
	if code != 1 {
		t.Fatalf("check after the flow changed: %d, want 1\n%s", code, stdout)
	}
	var report checkReport
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatal(err)
	}
	if len(report.Problems) != 1 || report.Problems[0].Kind != checkStale ||
		!strings.Contains(report.Problems[0].Diff, "StepProofOfAddress") || !strings.Contains(report.Problems[0].Diff, "-const FlowDigest") {
		t.Errorf("check report: %+v", report)
	}
}

func TestFlowConfigErrors(t *testing.T) {
	dir := t.TempDir()
	flowProject(t, dir)
	os.WriteFile(filepath.Join(dir, "flows", "bad.json"), []byte(`{"flow_id":"b","steps":[{"step_id":0,"type":"Document"}]}`), 0o644)
	for _, c := range []struct{ cfg, want string }{
		{"idwise:\n  flows:\n    - flow: flows/kyc-flow.json\n      output: kyc/kyc.go\n", "#/idwise/flows/0/package: missing"},
		{"idwise:\n  flows:\n    - flow: flows/kyc-flow.json\n      package: kyc\n      output: kyc/kyc.txt\n", "#/idwise/flows/0/output: \"kyc/kyc.txt\" is not a .go file"},
		{"idwise:\n  flows:\n    - flow: flows/missing.json\n      package: kyc\n      output: kyc/kyc.go\n", "#/idwise/flows/0/flow: open"},
		{"idwise:\n  flows:\n    - flow: flows/bad.json\n      package: kyc\n      output: kyc/kyc.go\n", "bad.json#/steps/0/title: want a string"},
		{"idwise:\n  flows:\n    - flow: flows/kyc-flow.json\n      package: kyc\n      output: kyc/a.go\n    - flow: flows/kyc-flow.json\n      package: kyc\n      output: kyc/b.go\n", "#/idwise/flows/1/output: flows 0 and 1 generate into the same directory"},
		{"idwise:\n  flowz: []\n", "flowz"},
		{"idwise:\n  flows: []\n", "#/journeys: no journey configured"},
	} {
		path := filepath.Join(dir, "gbggen.yaml")
		os.WriteFile(path, []byte(c.cfg), 0o644)
		code, _, stderr := runCmd("generate", "-config", path)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, %q; want 2 and %q", c.cfg, code, stderr, c.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "kyc")); err == nil {
			t.Errorf("%s: something was written", c.cfg)
		}
	}
}

// TestFlowConfigSchema: the published config schema accepts a flows-only config and rejects a
// misspelt member of a flow.
func TestFlowConfigSchema(t *testing.T) {
	sch, err := jsonschema.NewCompiler().Compile(filepath.Join("..", "..", "schemas", "gbggen.config.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		cfg   string
		valid bool
	}{
		{"idwise:\n  flows:\n    - flow: f.json\n      package: kyc\n      output: kyc/kyc.go\n", true},
		{"idwise:\n  flows:\n    - flow: f.json\n      pkg: kyc\n      output: kyc/kyc.go\n", false},
		{"idwise: {}\n", false},
		{"refMap: {}\n", false},
	} {
		js, err := yamljson.Convert([]byte(c.cfg))
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
		if err != nil {
			t.Fatal(err)
		}
		if got := sch.Validate(v) == nil; got != c.valid {
			t.Errorf("%s: valid = %v, want %v", c.cfg, got, c.valid)
		}
	}
}

func TestFlowDiff(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.json")
	os.WriteFile(old, []byte(flowV1), 0o644)
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	added := write("added.json", strings.Replace(flowV1, `"title":"Selfie"}]`, `"title":"Selfie"},{"step_id":2,"type":"Document","title":"Address"}]`, 1))
	removed := write("removed.json", `{"flow_id":"kyc-flow","steps":[{"step_id":0,"type":"Document","title":"ID Document"}]}`)
	same := write("same.json", "{\n \"steps\": [{\"step_id\": \"0\", \"type\": \"Document\", \"title\": \"ID Document\"}, {\"step_id\": \"1\", \"type\": \"Selfie\", \"title\": \"Selfie\"}],\n \"flow_id\": \"kyc-flow\"\n}\n")
	schema := write("schema.json", `{"type":"object"}`)

	if code, stdout, stderr := runCmd("diff", old, same); code != 0 || !strings.Contains(stdout, "0 changes") {
		t.Errorf("same flow: %d %s %s", code, stdout, stderr)
	}
	if code, stdout, _ := runCmd("diff", old, added); code != 0 || !strings.Contains(stdout, "info: step 2 (\"Address\", Document) was added") {
		t.Errorf("step added, -fail-on breaking: %d %s", code, stdout)
	}
	if code, _, _ := runCmd("diff", "-fail-on", "info", old, added); code != 1 {
		t.Errorf("step added, -fail-on info: %d, want 1", code)
	}
	code, stdout, _ := runCmd("diff", "-format", "json", old, removed)
	var rep flowDiffReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != 1 || !rep.Breaking || len(rep.Changes) != 1 || rep.Changes[0].Kind != "removed" || rep.Changes[0].StepID != "1" {
		t.Errorf("step removed: %d %s", code, stdout)
	}
	if code, stdout, _ := runCmd("diff", "-format", "github", old, removed); code != 1 || !strings.HasPrefix(stdout, "::error file=") {
		t.Errorf("github format: %d %s", code, stdout)
	}
	if code, _, stderr := runCmd("diff", old, schema); code != 2 || !strings.Contains(stderr, "the other is not") {
		t.Errorf("flow against schema: %d %s", code, stderr)
	}
	bad := write("bad.json", `{"flow_id":"x","steps":[]}`)
	if code, _, stderr := runCmd("diff", old, bad); code != 2 || !strings.Contains(stderr, "bad.json#/steps") {
		t.Errorf("bad flow: %d %s", code, stderr)
	}
}
