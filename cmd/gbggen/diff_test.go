package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDiffExitCodes(t *testing.T) {
	dir := t.TempDir()
	old := writeFile(t, dir, "old.json", `{"type":"object","properties":{"a":{"type":"string"},"k":{"enum":["x","y"]}}}`)
	tightened := writeFile(t, dir, "tight.json", `{"type":"object","required":["a"],"properties":{"a":{"type":"string"},"k":{"enum":["x","y"]}}}`)
	loosened := writeFile(t, dir, "loose.yaml", "type: object\nproperties:\n  a: {type: string}\n  k: {enum: [x, y, z]}\n")
	described := writeFile(t, dir, "desc.json", `{"type":"object","description":"d","properties":{"a":{"type":"string"},"k":{"enum":["x","y"]}}}`)
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{old, old}, exitOK, "0 breaking, 0 warning, 0 info"},
		{[]string{old, tightened}, exitFound, "breaking: /a: a is now required"},
		{[]string{"-direction", "received", old, tightened}, exitOK, "info: /a: a is now required"},
		{[]string{old, loosened}, exitOK, "info: /k: enum values added"},
		{[]string{"-direction", "received", old, loosened}, exitFound, "breaking: /k: enum values added"},
		{[]string{old, described}, exitOK, "description changed"},
		{[]string{"-fail-on", "info", old, described}, exitFound, "info: /: description changed"},
		{[]string{"-fail-on", "fatal", old, old}, exitUsage, ""},
		{[]string{"-format", "xml", old, old}, exitUsage, ""},
		{[]string{old}, exitUsage, ""},
		{[]string{old, filepath.Join(dir, "missing.json")}, exitUsage, ""},
		{[]string{old, "-fail-on", "info", described}, exitUsage, ""}, // flags come before arguments
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"diff"}, tt.args...), &stdout, &stderr)
		if code != tt.code {
			t.Errorf("gbggen diff %v: exit %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.code, stdout.String(), stderr.String())
		}
		if !strings.Contains(stdout.String(), tt.out) {
			t.Errorf("gbggen diff %v: stdout %q lacks %q", tt.args, stdout.String(), tt.out)
		}
		if tt.code == exitUsage && stderr.Len() == 0 {
			t.Errorf("gbggen diff %v: exit 2 with nothing on stderr", tt.args)
		}
	}
}

func TestDiffJSONIsStable(t *testing.T) {
	dir := t.TempDir()
	old := writeFile(t, dir, "old.json", `{"type":"object","properties":{"a":{"type":"string","maxLength":5}}}`)
	new := writeFile(t, dir, "new.json", `{"type":"object","properties":{"a":{"type":"string","maxLength":3}}}`)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"diff", "-format", "json", old, new}, &stdout, &stderr); code != exitFound {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var r struct {
		Direction string
		Changes   []map[string]string
		Summary   map[string]int
	}
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"pointer": "/a", "rule": "maxLength-changed", "level": "breaking", "effect": "tightened",
		"message": "maxLength changed from 5 to 3"}
	if r.Direction != "sent" || len(r.Changes) != 1 || r.Summary["breaking"] != 1 {
		t.Fatalf("report = %+v", r)
	}
	for k, v := range want {
		if r.Changes[0][k] != v {
			t.Errorf("change[%s] = %q, want %q", k, r.Changes[0][k], v)
		}
	}
}

// TestDiffRefMap: -ref-map resolves remote references as it does for generate; without it
// a remote reference is an input error that says how to map it.
func TestDiffRefMap(t *testing.T) {
	dir := t.TempDir()
	old := writeFile(t, dir, "old.json", `{"properties":{"a":{"$ref":"https://example.org/defs.json#/A"}}}`)
	writeFile(t, dir, "defs.json", `{"A":{"type":"string"}}`)
	new := writeFile(t, dir, "new.json", `{"properties":{"a":{"type":"integer"}}}`)
	refMap := "https://example.org/defs.json=" + filepath.Join(dir, "defs.json")

	var stdout, stderr bytes.Buffer
	if code := run([]string{"diff", "-ref-map", refMap, old, new}, &stdout, &stderr); code != exitFound {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, exitFound, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "breaking: /a:") {
		t.Errorf("stdout %q lacks the breaking change at /a", stdout.String())
	}

	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"diff", old, new}, &stdout, &stderr); code != exitUsage {
		t.Fatalf("without -ref-map: exit %d, want %d", code, exitUsage)
	}
	for _, part := range []string{"old.json#/properties/a", "https://example.org/defs.json", "-ref-map URL=PATH"} {
		if !strings.Contains(stderr.String(), part) {
			t.Errorf("without -ref-map: stderr %q lacks %q", stderr.String(), part)
		}
	}
}

// TestDiffConfig: -config takes the config file's refMap, its paths relative to the config
// file; a -ref-map flag for the same URL wins; a broken config is an input error naming it.
func TestDiffConfig(t *testing.T) {
	dir := t.TempDir()
	old := writeFile(t, dir, "old.json", `{"properties":{"a":{"$ref":"https://example.org/defs.json#/A"}}}`)
	new := writeFile(t, dir, "new.json", `{"properties":{"a":{"type":"integer"}}}`)
	cfgDir := filepath.Join(dir, "cfg")
	if err := os.Mkdir(cfgDir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, cfgDir, "defs.json", `{"A":{"type":"string"}}`)
	intDefs := writeFile(t, dir, "int-defs.json", `{"A":{"type":"integer"}}`)
	cfg := writeFile(t, cfgDir, "gbggen.yaml", "refMap:\n  https://example.org/defs.json: defs.json\n")

	var stdout, stderr bytes.Buffer
	if code := run([]string{"diff", "-config", cfg, old, new}, &stdout, &stderr); code != exitFound {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, exitFound, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "breaking: /a:") {
		t.Errorf("stdout %q lacks the breaking change at /a", stdout.String())
	}

	// The flag maps the same URL to an integer: then nothing changed.
	stdout.Reset()
	stderr.Reset()
	args := []string{"diff", "-config", cfg, "-ref-map", "https://example.org/defs.json=" + intDefs, old, new}
	if code := run(args, &stdout, &stderr); code != exitOK {
		t.Fatalf("-ref-map over -config: exit %d, want %d\nstdout: %s\nstderr: %s", code, exitOK, stdout.String(), stderr.String())
	}

	bad := writeFile(t, dir, "bad.yaml", "refMap: [1, 2]\n")
	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"diff", "-config", bad, old, new}, &stdout, &stderr); code != exitUsage {
		t.Fatalf("broken config: exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(stderr.String(), bad) {
		t.Errorf("broken config: stderr %q does not name %s", stderr.String(), bad)
	}
}
