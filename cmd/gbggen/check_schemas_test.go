package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// copyExample copies the example project's config, schemas and generated package into a
// temporary directory and returns the path of its gbggen.yaml.
func copyExample(t *testing.T) string {
	t.Helper()
	src := filepath.Join("..", "..", "examples", "onboarding")
	dst := t.TempDir()
	for _, rel := range []string{"gbggen.yaml", "schemas/journey.schema.json", "schemas/tasks/personal-details.json",
		"schemas/tasks/address.json", "schemas/tasks/contact.json", "schemas/tasks/document.json",
		"onboarding/onboarding.go", "onboarding/onboarding_journey.go"} {
		data, err := os.ReadFile(filepath.Join(src, rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Dir(filepath.Join(dst, rel)), filepath.Base(rel), string(data))
	}
	return filepath.Join(dst, "gbggen.yaml")
}

// TestCheckNamesTheChangedSchemas: after a fetch brings a republished task schema, check
// says which of the journey's schemas changed since the committed code was generated, not
// only that the files differ.
func TestCheckNamesTheChangedSchemas(t *testing.T) {
	config := copyExample(t)
	if code, out, errOut := runCmd("check", "-config", config); code != exitOK {
		t.Fatalf("the copied example is not fresh: %d\n%s%s", code, out, errOut)
	}
	address := filepath.Join(filepath.Dir(config), "schemas", "tasks", "address.json")
	data, err := os.ReadFile(address)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(data), `"title"`, `"description": "republished", "title"`, 1)
	if changed == string(data) {
		t.Fatal("address.json has no title to edit")
	}
	writeFile(t, filepath.Dir(address), "address.json", changed)

	code, out, errOut := runCmd("check", "-config", config, "-format", "json")
	if code != exitFound {
		t.Fatalf("check: exit %d, want %d\n%s%s", code, exitFound, out, errOut)
	}
	var report checkReport
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatal(err)
	}
	var journeyFile *checkProblem
	for i, p := range report.Problems {
		if strings.HasSuffix(p.Path, "onboarding_journey.go") {
			journeyFile = &report.Problems[i]
		}
	}
	if journeyFile == nil || journeyFile.Kind != checkStale {
		t.Fatalf("problems %+v, want the journey helpers file stale", report.Problems)
	}
	if want := []schemaChange{{Task: "address", Change: "changed"}}; !reflect.DeepEqual(journeyFile.Schemas, want) {
		t.Errorf("schemas = %+v, want %+v", journeyFile.Schemas, want)
	}
	_, text, _ := runCmd("check", "-config", config)
	if !strings.Contains(text, "onboarding_journey.go is stale: it differs from what gbggen generate writes; schemas that changed since it was generated: task address (changed)") {
		t.Errorf("text output does not name the task:\n%s", text)
	}
}

func TestSchemaChanges(t *testing.T) {
	file := func(journey string, tasks ...string) []byte {
		src := "package p\n\nconst SchemaDigest = " + journey + "\n\nfunc TaskSchemaDigests() map[string]string {\n\treturn map[string]string{\n"
		for i := 0; i+1 < len(tasks); i += 2 {
			src += "\t\t" + tasks[i] + ": " + tasks[i+1] + ",\n"
		}
		return []byte(src + "\t}\n}\n")
	}
	old := file(`"sha256:j1"`, `"a"`, `"sha256:a1"`, `"b"`, `"sha256:b1"`, `"gone"`, `"sha256:g"`)
	for _, tc := range []struct {
		name string
		new  []byte
		want []schemaChange
	}{
		{"same", old, nil},
		{"journey and a task changed, one added, one removed",
			file(`"sha256:j2"`, `"a"`, `"sha256:a1"`, `"b"`, `"sha256:b2"`, `"new"`, `"sha256:n"`),
			[]schemaChange{{"", "changed"}, {"b", "changed"}, {"gone", "removed"}, {"new", "added"}}},
		{"not Go", []byte("package"), nil},
		{"made before the task digests", []byte("package p\n\nconst SchemaDigest = \"sha256:j1\"\n"), nil},
	} {
		if got := schemaChanges(old, tc.new); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
	// A file that no longer parses (a merge conflict in it) says nothing about schemas.
	if got := schemaChanges([]byte("<<<<<<< HEAD\n"), old); got != nil {
		t.Errorf("unparsable committed file: %+v", got)
	}
}
