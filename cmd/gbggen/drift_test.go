package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/internal/emutest"
	"github.com/gbggen/gbggen/internal/fetch"
	"github.com/gbggen/gbggen/sandbox"
)

// TestDriftEndToEnd is the story the drift workflow tells, against the emulator: fetch the
// task schemas of a journey, generate, and check is clean; a business user republishes the
// journey with a new required field; fetch again, and diff reports a breaking change and check
// a stale file, until generate runs again.
func TestDriftEndToEnd(t *testing.T) {
	emu := emutest.New(t)
	env := emutest.DemoEnv("password")
	work := t.TempDir()
	schemas := filepath.Join(work, "schemas")
	latest := sandbox.OnboardingResourceID + "@latest"

	mustRun := func(want int, args ...string) string {
		t.Helper()
		var code int
		var stdout, stderr string
		if args[0] == "fetch" { // what the gbgfetch tool runs, in this process
			var o, e bytes.Buffer
			code = fetch.Run(args[1:], func(k string) string { return env[k] }, &o, &e)
			stdout, stderr = o.String(), e.String()
		} else {
			code, stdout, stderr = runCmd(args...)
		}
		if code != want {
			t.Fatalf("gbggen %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, stdout, stderr)
		}
		return stdout
	}
	// genFlags are the generate/check flags of one task schema: one package per task.
	genFlags := func(key string) []string {
		pkg := strings.ReplaceAll(key, "-", "")
		return []string{"-schema", filepath.Join(schemas, key+".json"), "-package", pkg, "-type", "Task",
			"-o", filepath.Join(work, pkg, pkg+".go")}
	}
	lockedKeys := func() map[string]fetch.LockedSchema {
		var lock fetch.Lock
		emutest.ReadJSON(t, filepath.Join(schemas, fetch.LockFileName), &lock)
		return lock.Schemas
	}

	// 1. Fetch version 1, generate, check.
	mustRun(exitOK, append([]string{"fetch"}, emu.FetchArgs(sandbox.OnboardingResourceID+"@1", schemas)...)...)
	before := lockedKeys()
	if len(before) != 3 {
		t.Fatalf("lock: %v", before)
	}
	for key := range before {
		mustRun(exitOK, append([]string{"generate"}, genFlags(key)...)...)
		mustRun(exitOK, append([]string{"check"}, genFlags(key)...)...)
	}
	old := filepath.Join(work, "personal-details.v1.json")
	data, err := os.ReadFile(filepath.Join(schemas, "personal-details.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(old, data, 0o644); err != nil {
		t.Fatal(err)
	}

	// 2. Republish: personal details now require the nationality.
	v2 := emutest.DemoVersion(t, "3")
	v2.Tasks[0].Schema = addRequiredIdentityField(t, v2.Tasks[0].Schema, "nationality", map[string]any{"type": "string", "pattern": "^[A-Z]{3}$"})
	if _, err := emu.Publish("onboarding", v2); err != nil {
		t.Fatal(err)
	}

	// 3. Fetch again: only the personal-details digest moves.
	mustRun(exitOK, append([]string{"fetch"}, emu.FetchArgs(latest, schemas)...)...)
	after := lockedKeys()
	for key := range before {
		if changed := before[key].SHA256 != after[key].SHA256; changed != (key == "personal-details") {
			t.Errorf("%s: digest changed = %v", key, changed)
		}
	}

	// 4. diff: breaking for what we send; the unchanged schema is clean.
	out := mustRun(exitFound, "diff", old, filepath.Join(schemas, "personal-details.json"))
	t.Logf("gbggen diff:\n%s", out)
	if !strings.Contains(out, "breaking") || !strings.Contains(out, "/context/subject/identity/nationality") {
		t.Errorf("diff output:\n%s", out)
	}
	mustRun(exitOK, "diff", filepath.Join(schemas, "address.json"), filepath.Join(schemas, "address.json"))

	// 5. check: the personal-details code is stale, and the diff shows the new field.
	out = mustRun(exitFound, append([]string{"check"}, genFlags("personal-details")...)...)
	t.Logf("gbggen check:\n%s", out)
	if !strings.Contains(out, "+++ ") || !strings.Contains(out, "Nationality") || !strings.Contains(out, "1 stale") {
		t.Errorf("check output:\n%s", out)
	}
	mustRun(exitOK, append([]string{"check"}, genFlags("address")...)...)

	// 6. generate again: fresh.
	mustRun(exitOK, append([]string{"generate"}, genFlags("personal-details")...)...)
	mustRun(exitOK, append([]string{"check"}, genFlags("personal-details")...)...)
	src, err := os.ReadFile(filepath.Join(work, "personaldetails", "personaldetails.go"))
	if err != nil || !strings.Contains(string(src), "Nationality") {
		t.Errorf("regenerated code lacks the new field (%v)", err)
	}
}

// addRequiredIdentityField adds a required property to context.subject.identity of a task
// schema.
func addRequiredIdentityField(t *testing.T, schema []byte, name string, prop map[string]any) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(schema, &doc); err != nil {
		t.Fatal(err)
	}
	identity := doc
	for _, k := range []string{"context", "subject", "identity"} {
		identity = identity["properties"].(map[string]any)[k].(map[string]any)
	}
	identity["properties"].(map[string]any)[name] = prop
	identity["required"] = append(identity["required"].([]any), name)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
