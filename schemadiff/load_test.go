package schemadiff

import (
	"os"
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

// TestLoadMapped: remote references resolve through the map (a whole URL, or a prefix
// ending in "/" to a directory), and relative paths are relative to the working directory.
func TestLoadMapped(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "s.json", `{"properties":{
		"a":{"$ref":"https://example.org/defs.json#/A"},
		"b":{"$ref":"https://example.org/more/b.json"}}}`)
	write(t, dir, "defs.json", `{"A":{"type":"string","maxLength":3}}`)
	if err := os.Mkdir(filepath.Join(dir, "more"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "more"), "b.json", `{"type":"integer"}`)
	t.Chdir(dir)

	s, err := LoadMapped("s.json", map[string]string{
		"https://example.org/defs.json": "defs.json",
		"https://example.org/more/":     "more",
	})
	if err != nil {
		t.Fatal(err)
	}
	a := s.Properties[0].Schema.Deref()
	if a.MaxLength == nil || *a.MaxLength != 3 {
		t.Errorf("a resolved to %+v, want defs.json#/A", a)
	}
	if b := s.Properties[1].Schema.Deref(); len(b.Types) != 1 || b.Types[0] != "integer" {
		t.Errorf("b resolved to %+v, want more/b.json", b)
	}

	_, err = LoadMapped("s.json", map[string]string{"https://example.org/defs.json": "defs.json"})
	if err == nil || !strings.Contains(err.Error(), "https://example.org/more/b.json") || !strings.Contains(err.Error(), "-ref-map") {
		t.Errorf("unmapped reference: error = %v, want it to name the URL and -ref-map", err)
	}
}

// TestLoadMappedGit: for a git source the mapped file is read at the same revision, so a
// definition changed since then shows up as a change.
func TestLoadMappedGit(t *testing.T) {
	dir, git := gitRepo(t)
	write(t, dir, "s.json", `{"properties":{"a":{"$ref":"https://example.org/defs.json#/A"}}}`)
	write(t, dir, "defs.json", `{"A":{"type":"string"}}`)
	git("add", ".")
	git("commit", "-qm", "v1")
	write(t, dir, "defs.json", `{"A":{"type":"integer"}}`)
	t.Chdir(dir)

	refs := map[string]string{"https://example.org/defs.json": "defs.json"}
	old, err := LoadMapped("git:HEAD:s.json", refs)
	if err != nil {
		t.Fatal(err)
	}
	new, err := LoadMapped("s.json", refs)
	if err != nil {
		t.Fatal(err)
	}
	got := Compare(old, new, Sent)
	if len(got) != 1 || got[0].Pointer != "/a" || got[0].Rule != "type-changed" {
		t.Errorf("changes = %v, want /a type-changed", got)
	}
}
