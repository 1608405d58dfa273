package schemadiff

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadErrorsNameFileAndPointer: an error in a referenced file names that file and the
// JSON Pointer inside it.
func TestLoadErrorsNameFileAndPointer(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "s.json", `{"properties":{"a":{"$ref":"defs.json#/A"}}}`)
	write(t, dir, "defs.json", `{"A":{"type":"object","minProperties":-1}}`)
	_, err := Load(filepath.Join(dir, "s.json"))
	if err == nil || !strings.Contains(err.Error(), "defs.json#/A/minProperties") {
		t.Errorf("error = %v, want it to name defs.json#/A/minProperties", err)
	}
}

// TestLoadGitErrorNamesSource: for a git source, an error says which source it came from as
// well as the file and pointer, since the file named is the work-tree path while the content
// read is the one at the revision.
func TestLoadGitErrorNamesSource(t *testing.T) {
	dir, git := gitRepo(t)
	write(t, dir, "s.yaml", "properties:\n  a:\n    $ref: defs.json#/A\n")
	write(t, dir, "defs.json", `{"A":{"type":"text"}}`)
	git("add", ".")
	git("commit", "-qm", "broken")
	write(t, dir, "defs.json", `{"A":{"type":"string"}}`) // fixed in the work tree only
	t.Chdir(dir)

	if _, err := Load("s.yaml"); err != nil {
		t.Fatalf("work tree: %v", err)
	}
	_, err := Load("git:HEAD:s.yaml")
	if err == nil {
		t.Fatal("git:HEAD:s.yaml loaded; want the error at the revision")
	}
	for _, part := range []string{"git:HEAD:s.yaml: ", "defs.json#/A/type", `unknown type "text"`} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error = %v, want it to contain %q", err, part)
		}
	}
	_, err = Load("git:HEAD:defs-old.json")
	if err == nil || !strings.HasPrefix(err.Error(), "git:HEAD:defs-old.json: git show HEAD:defs-old.json") {
		t.Errorf("missing file at revision: %v", err)
	}
}
