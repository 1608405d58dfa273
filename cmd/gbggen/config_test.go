package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/internal/modtest"
	"github.com/gbggen/gbggen/internal/yamljson"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

const sampleResource = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef@latest"

func writeJourneyProject(t *testing.T, dir string) string {
	t.Helper()
	files := map[string]string{
		"schemas/journey.json": `{"type":"object","required":["subject"],"properties":{"subject":{"type":"object",
			"required":["identity"],"properties":{"identity":{"type":"object","required":["firstName"],
			"properties":{"firstName":{"type":"string","minLength":1}},"additionalProperties":false}}}}}`,
		"schemas/tasks/personal-details.json": `{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
			"required":["context"],"properties":{"context":{"type":"object","required":["subject"],"properties":{
			"subject":{"type":"object","properties":{"identity":{"type":"object","properties":{"firstName":
			{"type":"string","pattern":"[A-Za-z]+"}}}}}}}}}`,
		"gbggen.yaml": fmt.Sprintf("journeys:\n  - name: Customer Onboarding\n    resourceId: %q\n    schema: schemas/journey.json\n"+
			"    tasks:\n      personal-details: schemas/tasks/personal-details.json\n    package: onboarding\n    output: onboarding/onboarding.go\n", sampleResource),
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "gbggen.yaml")
}

// TestConfigMatchesPublishedSchema checks the sample config against
// schemas/gbggen.config.schema.json, and that the schema rejects a typo.
func TestConfigMatchesPublishedSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(filepath.Join("..", "..", "schemas", "gbggen.config.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := writeJourneyProject(t, t.TempDir())
	for _, tc := range []struct {
		edit  func(string) string
		valid bool
	}{
		{func(s string) string { return s }, true},
		{func(s string) string { return strings.Replace(s, "resourceId", "resourceID", 1) }, false},
	} {
		data, _ := os.ReadFile(cfgPath)
		js, err := yamljson.Convert([]byte(tc.edit(string(data))))
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
		if err != nil {
			t.Fatal(err)
		}
		if got := sch.Validate(v) == nil; got != tc.valid {
			t.Errorf("config valid = %v, want %v: %v", got, tc.valid, sch.Validate(v))
		}
	}
}

// TestGenerateFromConfig runs `gbggen generate` on a config and compiles
// the types and journey helpers against the gbg runtime.
func TestGenerateFromConfig(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles generated code")
	}
	dir := t.TempDir()
	cfg := writeJourneyProject(t, dir)
	var stderr bytes.Buffer
	if code := run([]string{"generate", "-config", cfg}, &stderr, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	helpers, err := os.ReadFile(filepath.Join(dir, "onboarding", "onboarding_journey.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"func StartCustomerOnboarding(", "func SubmitPersonalDetails(", "SchemaDigest = \"sha256:", sampleResource} {
		if !bytes.Contains(helpers, []byte(want)) {
			t.Errorf("helpers lack %q", want)
		}
	}
	types, _ := os.ReadFile(filepath.Join(dir, "onboarding", "onboarding.go"))
	if bytes.Contains(types, []byte("gbggen/gbg\"")) {
		t.Error("the types file imports the gbg client; only the helpers file may")
	}
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	modtest.Write(t, dir, root)
	cmd := modtest.Command(dir, "vet", "./onboarding")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generated journey code does not compile: %v\n%s", err, out)
	}
}

func TestConfigErrorsNameThePlace(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "gbggen.yaml")
	os.WriteFile(p, []byte("journeys:\n  - name: X\n    schema: s.json\n    package: x\n    output: x/x.go\n"), 0o644)
	var stderr bytes.Buffer
	code := run([]string{"generate", "-config", p}, &stderr, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "gbggen.yaml#/journeys/0/resourceId") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
}

// Tasks keep the order they are written in, and a task of the wrong kind is still reported
// with its line and pointer.
func TestConfigTasksKeepOrderAndPlace(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "gbggen.yaml")
	os.WriteFile(p, []byte("journeys:\n  - name: X\n    resourceId: \"x@1\"\n    schema: s.json\n    tasks:\n      b: 12\n    package: x\n    output: x/x.go\n"), 0o644)
	var stderr bytes.Buffer
	if code := run([]string{"generate", "-config", p}, &stderr, &stderr); code != exitUsage ||
		!strings.Contains(stderr.String(), "line 6, column 10: #/journeys/0/tasks/b: want a string, got 12") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	cfg, err := readConfig(writeFile(t, dir, "ordered.yaml", "journeys:\n  - name: X\n    tasks:\n      z: z.json\n      a: a.json\n      m: m.json\n"))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range cfg.Journeys[0].Tasks {
		keys = append(keys, e.key)
	}
	if strings.Join(keys, " ") != "z a m" {
		t.Errorf("tasks %v, want z a m as written", keys)
	}
}
