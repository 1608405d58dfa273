package schemadiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/generator/schema"
)

// noFiles refuses every read: the schemas of these tests are self-contained.
func noFiles(path string) ([]byte, error) {
	return nil, fmt.Errorf("%s: tests read no files", path)
}

// compile loads a schema from src, draft-07 unless it says otherwise.
func compile(t *testing.T, name, src string) *schema.Schema {
	t.Helper()
	l := schema.NewLoader(schema.Options{ReadFile: noFiles, DefaultDraft: schema.Draft7})
	s, err := l.LoadBytes(name+".json", []byte(src))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

// want is one expected change: its pointer, rule, and level in each direction.
type want struct {
	pointer, rule  string
	sent, received Level
}

func (w want) String() string {
	return fmt.Sprintf("%s %s sent=%s received=%s", w.pointer, w.rule, w.sent, w.received)
}

const person = `{"type":"object","additionalProperties":false,"required":["name"],
 "properties":{"name":{"type":"string","minLength":1},"age":{"type":"integer","minimum":0},
 "kind":{"type":"string","enum":["a","b"]}}}`

func TestCompare(t *testing.T) {
	tests := []diffCase{
		{"identical", person, person, nil},
		{"properties reordered", person,
			`{"type":"object","additionalProperties":false,"required":["name"],
			 "properties":{"kind":{"type":"string","enum":["a","b"]},"age":{"type":"integer","minimum":0},"name":{"type":"string","minLength":1}}}`,
			nil},
		{"moved behind a $ref and renamed",
			`{"definitions":{"Name":{"type":"string"}},"type":"object","properties":{"n":{"$ref":"#/definitions/Name"}}}`,
			`{"definitions":{"FullName":{"type":"string"}},"type":"object","properties":{"n":{"$ref":"#/definitions/FullName"}}}`,
			[]want{{"/n", "type-renamed", Info, Info}}},
		{"inline moved behind a $ref",
			`{"type":"object","properties":{"a":{"type":"object","properties":{"x":{"type":"string"}}}}}`,
			`{"$defs":{"A":{"type":"object","properties":{"x":{"type":"string"}}}},"type":"object","properties":{"a":{"$ref":"#/$defs/A"}}}`,
			nil},
		{"property removed while closed", person,
			`{"type":"object","additionalProperties":false,"required":["name"],
			 "properties":{"name":{"type":"string","minLength":1},"kind":{"type":"string","enum":["a","b"]}}}`,
			[]want{{"/age", "property-removed", Breaking, Info}}},
		{"property removed while open",
			`{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}}}`,
			`{"type":"object","properties":{"a":{"type":"string"}}}`,
			[]want{{"/b", "property-removed", Info, Info}, {"/b", "type-changed", Info, Breaking}}},
		{"property added as required",
			`{"type":"object","properties":{"a":{"type":"string"}}}`,
			`{"type":"object","required":["b"],"properties":{"a":{"type":"string"},"b":{"type":"string"}}}`,
			[]want{{"/b", "property-added", Info, Info}, {"/b", "required-property-added", Breaking, Info}}},
		{"optional property added where closed", person,
			`{"type":"object","additionalProperties":false,"required":["name"],
			 "properties":{"name":{"type":"string","minLength":1},"age":{"type":"integer","minimum":0},
			 "kind":{"type":"string","enum":["a","b"]},"nick":{"type":"string"}}}`,
			[]want{{"/nick", "property-added", Info, Breaking}}},
		{"optional made required", person,
			strings.Replace(person, `"required":["name"]`, `"required":["name","age"]`, 1),
			[]want{{"/age", "property-made-required", Breaking, Info}}},
		{"required dropped", person,
			strings.Replace(person, `"required":["name"]`, `"required":[]`, 1),
			[]want{{"/name", "required-dropped", Info, Breaking}}},
		{"type narrowed number to integer",
			`{"type":"number"}`, `{"type":"integer"}`,
			[]want{{"", "type-changed", Breaking, Info}}},
		{"type widened to allow null",
			`{"type":"string"}`, `{"type":["string","null"]}`,
			[]want{{"", "type-changed", Info, Breaking}}},
		{"type changed", `{"type":"string"}`, `{"type":"boolean"}`,
			[]want{{"", "type-changed", Breaking, Breaking}}},
		{"enum value removed", person, strings.Replace(person, `["a","b"]`, `["a"]`, 1),
			[]want{{"/kind", "enum-value-removed", Breaking, Info}}},
		{"enum value added", person, strings.Replace(person, `["a","b"]`, `["a","b","c"]`, 1),
			[]want{{"/kind", "enum-value-added", Info, Breaking}}},
		{"const changed", `{"const":"v1"}`, `{"const":"v2"}`,
			[]want{{"", "const-changed", Breaking, Breaking}}},
		{"minLength tightened", person, strings.Replace(person, `"minLength":1`, `"minLength":2`, 1),
			[]want{{"/name", "minLength-changed", Breaking, Info}}},
		{"minimum loosened", person, strings.Replace(person, `"minimum":0`, `"minimum":-1`, 1),
			[]want{{"/age", "minimum-changed", Info, Breaking}}},
		{"maximum added", `{"type":"number"}`, `{"type":"number","maximum":10}`,
			[]want{{"", "maximum-added", Breaking, Info}}},
		{"exclusiveMaximum draft-04 form",
			`{"$schema":"http://json-schema.org/draft-04/schema#","type":"number","maximum":10}`,
			`{"$schema":"http://json-schema.org/draft-04/schema#","type":"number","maximum":10,"exclusiveMaximum":true}`,
			[]want{{"", "exclusiveMaximum-added", Breaking, Info}, {"", "maximum-removed", Info, Breaking}}},
		{"maxItems loosened", `{"type":"array","maxItems":2}`, `{"type":"array","maxItems":3}`,
			[]want{{"", "maxItems-changed", Info, Breaking}}},
		{"multipleOf tightened", `{"multipleOf":2}`, `{"multipleOf":4}`,
			[]want{{"", "multipleOf-changed", Breaking, Info}}},
		{"multipleOf loosened", `{"multipleOf":4}`, `{"multipleOf":2}`,
			[]want{{"", "multipleOf-changed", Info, Breaking}}},
		{"multipleOf unrelated", `{"multipleOf":2}`, `{"multipleOf":3}`,
			[]want{{"", "multipleOf-changed", Breaking, Breaking}}},
		{"uniqueItems added", `{"type":"array"}`, `{"type":"array","uniqueItems":true}`,
			[]want{{"", "uniqueItems-changed", Breaking, Info}}},
		{"pattern changed", `{"type":"string","pattern":"^[A-Z]{2}$"}`, `{"type":"string","pattern":"^[A-Z]{2,3}$"}`,
			[]want{{"", "pattern-changed", Warning, Warning}}},
		{"format added", `{"type":"string"}`, `{"type":"string","format":"email"}`,
			[]want{{"", "format-added", Breaking, Info}}},
		{"format changed", `{"type":"string","format":"date"}`, `{"type":"string","format":"date-time"}`,
			[]want{{"", "format-changed", Warning, Warning}}},
		{"additionalProperties closed", `{"type":"object"}`, `{"type":"object","additionalProperties":false}`,
			[]want{{"", "additionalProperties-closed", Breaking, Info}}},
		{"additionalProperties opened", `{"type":"object","additionalProperties":false}`, `{"type":"object"}`,
			[]want{{"", "additionalProperties-opened", Info, Breaking}}},
		{"oneOf branch added",
			`{"oneOf":[{"type":"string"},{"type":"integer"}]}`,
			`{"oneOf":[{"type":"integer"},{"type":"string"},{"type":"boolean"}]}`,
			[]want{{"", "oneOf-branch-added", Info, Breaking}}},
		{"anyOf branch removed",
			`{"anyOf":[{"type":"string"},{"type":"integer"},{"type":"boolean"}]}`,
			`{"anyOf":[{"type":"string"},{"type":"integer"}]}`,
			[]want{{"", "anyOf-branch-removed", Breaking, Info}}},
		{"one anyOf branch changed in place",
			`{"anyOf":[{"type":"string","maxLength":5},{"type":"integer"}]}`,
			`{"anyOf":[{"type":"integer"},{"type":"string","maxLength":3}]}`,
			[]want{{"", "maxLength-changed", Breaking, Info}}},
		{"description only",
			`{"type":"string","description":"old words"}`, `{"type":"string","description":"new words"}`,
			[]want{{"", "description-changed", Info, Info}}},
		{"array items tightened",
			`{"type":"object","properties":{"emails":{"type":"array","items":{"type":"object","properties":{"email":{"type":"string"}}}}}}`,
			`{"type":"object","properties":{"emails":{"type":"array","items":{"type":"object","properties":{"email":{"type":"string","format":"email"}}}}}}`,
			[]want{{"/emails/*/email", "format-added", Breaking, Info}}},
		{"pointer escaping",
			`{"type":"object","properties":{"a/b~c":{"type":"string"}}}`,
			`{"type":"object","properties":{"a/b~c":{"type":"integer"}}}`,
			[]want{{"/a~1b~0c", "type-changed", Breaking, Breaking}}},
		{"recursive schema",
			`{"$defs":{"N":{"type":"object","properties":{"next":{"$ref":"#/$defs/N"},"v":{"type":"string"}}}},"$ref":"#/$defs/N"}`,
			`{"$defs":{"N":{"type":"object","properties":{"next":{"$ref":"#/$defs/N"},"v":{"type":"integer"}}}},"$ref":"#/$defs/N"}`,
			[]want{{"/v", "type-changed", Breaking, Breaking}}},
		{"not changed", `{"not":{"type":"string"}}`, `{"not":{"type":"integer"}}`,
			[]want{{"", "not-changed", Warning, Warning}}},
		{"tuple items",
			`{"type":"array","items":[{"type":"string"}],"additionalItems":false}`,
			`{"type":"array","items":[{"type":"string"},{"type":"integer"}],"additionalItems":false}`,
			[]want{{"/1", "schema-opened", Info, Breaking}}},
	}
	runDiffCases(t, tests)
}

// diffCase is two versions of a schema and the changes expected between them.
type diffCase struct {
	name     string
	old, new string
	want     []want
}

// runDiffCases compares each case in both directions: the same changes must come out, each
// at the level the case expects for that direction.
func runDiffCases(t *testing.T, tests []diffCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, new := compile(t, "old", tt.old), compile(t, "new", tt.new)
			sent, received := Compare(old, new, Sent), Compare(old, new, Received)
			if len(sent) != len(received) {
				t.Fatalf("direction changed the set of changes: %v vs %v", sent, received)
			}
			var got []want
			for i, c := range sent {
				got = append(got, want{c.Pointer, c.Rule, c.Level, received[i].Level})
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("changes:\n got %v\nwant %v\n(messages: %v)", got, tt.want, sent)
			}
		})
	}
}

func TestMaxAndParse(t *testing.T) {
	if _, ok := Max(nil); ok {
		t.Error("Max(nil) reported a level")
	}
	l, ok := Max([]Change{{Level: Info}, {Level: Warning}})
	if !ok || l != Warning {
		t.Errorf("Max = %v, %v; want warning", l, ok)
	}
	for _, s := range []string{"breaking", "warning", "info"} {
		if l, err := ParseLevel(s); err != nil || l.String() != s {
			t.Errorf("ParseLevel(%q) = %v, %v", s, l, err)
		}
	}
	if _, err := ParseLevel("fatal"); err == nil {
		t.Error("ParseLevel accepted fatal")
	}
	if d, err := ParseDirection("received"); err != nil || d != Received {
		t.Errorf("ParseDirection(received) = %v, %v", d, err)
	}
	if _, err := ParseDirection("both"); err == nil {
		t.Error("ParseDirection accepted both")
	}
}

func TestReportFormats(t *testing.T) {
	changes := Compare(compile(t, "old", person),
		compile(t, "new", strings.Replace(person, `"required":["name"]`, `"required":["name","age"]`, 1)), Sent)
	r := NewReport("old.json", "schemas/new.json", Sent, changes)

	var js bytes.Buffer
	if err := r.Write(&js, "json"); err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatalf("json output does not parse: %v", err)
	}
	c := back["changes"].([]any)[0].(map[string]any)
	if c["pointer"] != "/age" || c["level"] != "breaking" || c["rule"] != "property-made-required" || c["effect"] != "tightened" {
		t.Errorf("json change = %v", c)
	}
	if back["summary"].(map[string]any)["breaking"] != 1.0 {
		t.Errorf("json summary = %v", back["summary"])
	}

	var gh bytes.Buffer
	_ = r.Write(&gh, "github")
	if want := "::error file=schemas/new.json,title=breaking schema change (property-made-required)::/age: age is now required\n"; !strings.HasPrefix(gh.String(), want) {
		t.Errorf("github output = %q, want prefix %q", gh.String(), want)
	}
	var md bytes.Buffer
	_ = r.Write(&md, "markdown")
	if !strings.Contains(md.String(), "| breaking | `/age` | age is now required | property-made-required |") {
		t.Errorf("markdown output lacks the change row:\n%s", md.String())
	}
	var txt bytes.Buffer
	_ = r.Write(&txt, "text")
	if !strings.Contains(txt.String(), "breaking: /age: age is now required (property-made-required)") {
		t.Errorf("text output = %q", txt.String())
	}
	if err := r.Write(&txt, "xml"); err == nil || !strings.Contains(err.Error(), "xml") {
		t.Errorf("unknown format error = %v", err)
	}
}

func TestLoadFilesAndYAML(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "defs.yaml", "Name:\n  type: string\n  minLength: 1\n")
	write(t, dir, "old.json", `{"type":"object","properties":{"n":{"$ref":"defs.yaml#/Name"}}}`)
	write(t, dir, "new.yaml", "type: object\nproperties:\n  n:\n    type: string\n    minLength: 2\n")
	old, err := Load(filepath.Join(dir, "old.json"))
	if err != nil {
		t.Fatal(err)
	}
	new, err := Load(filepath.Join(dir, "new.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	got := Compare(old, new, Sent)
	if len(got) != 1 || got[0].Pointer != "/n" || got[0].Rule != "minLength-changed" {
		t.Errorf("changes = %v", got)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "remote.json", `{"properties":{"a":{"$ref":"https://example.org/s.json"}}}`)
	write(t, dir, "broken.json", `{"type": "object",`)
	write(t, dir, "badtype.json", `{"type": 12}`)
	for name, wantText := range map[string]string{
		"remote.json":  `remote $ref "https://example.org/s.json" is not allowed; map it to a local file with -ref-map URL=PATH`,
		"broken.json":  "broken.json",
		"badtype.json": "/type",
		"missing.json": "missing.json",
	} {
		_, err := Load(filepath.Join(dir, name))
		if err == nil || !strings.Contains(err.Error(), wantText) {
			t.Errorf("Load(%s) error = %v, want it to mention %q", name, err, wantText)
		}
	}
}

func TestLoadGit(t *testing.T) {
	dir, run := gitRepo(t)
	write(t, dir, "s.json", `{"type":"object","properties":{"a":{"$ref":"defs.json#/A"}}}`)
	write(t, dir, "defs.json", `{"A":{"type":"string"}}`)
	run("add", ".")
	run("commit", "-qm", "v1")
	write(t, dir, "defs.json", `{"A":{"type":"integer"}}`)
	t.Chdir(dir)

	old, err := Load("git:HEAD:s.json")
	if err != nil {
		t.Fatal(err)
	}
	new, err := Load("s.json")
	if err != nil {
		t.Fatal(err)
	}
	got := Compare(old, new, Sent)
	if len(got) != 1 || got[0].Pointer != "/a" || got[0].Rule != "type-changed" {
		t.Errorf("git:HEAD vs work tree: %v", got)
	}
	if _, err := Load("git:HEAD:nope.json"); err == nil || !strings.Contains(err.Error(), "nope.json") {
		t.Errorf("missing file at revision: %v", err)
	}
	if _, err := Load("git:HEAD"); err == nil || !strings.Contains(err.Error(), "git:REV:PATH") {
		t.Errorf("malformed git source: %v", err)
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCompareNestedCombinators guards against exponential work: 40 levels of anyOf, each with
// three branches, differing only at the bottom.
func TestCompareNestedCombinators(t *testing.T) {
	nest := func(leaf string) string {
		s := leaf
		for range 40 {
			s = `{"anyOf":[` + s + `,{"type":"boolean"},{"type":"null"}]}`
		}
		return s
	}
	got := Compare(compile(t, "old", nest(`{"type":"string","maxLength":5}`)),
		compile(t, "new", nest(`{"type":"string","maxLength":3}`)), Sent)
	if len(got) != 1 || got[0].Rule != "maxLength-changed" || got[0].Level != Breaking {
		t.Errorf("changes = %v", got)
	}
}

// gitRepo creates an empty git repository and returns it with a function running git in it.
func gitRepo(t *testing.T) (string, func(args ...string)) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	return dir, run
}
