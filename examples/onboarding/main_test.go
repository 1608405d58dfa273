package main

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gbggen/gbggen/examples/onboarding/onboarding"
	"github.com/gbggen/gbggen/gbg"
	"github.com/gbggen/gbggen/sandbox"
)

// noEnv is a getenv with nothing set, so a developer's GBG_* variables never send the tests
// to the real API.
func noEnv(string) string { return "" }

// env returns a getenv that knows only vars.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func runDemo(t *testing.T, args []string, getenv func(string) string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, getenv, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// checkStory asserts the demo completed and told the story a person needs to follow.
func checkStory(t *testing.T, code int, out, errOut string) {
	t.Helper()
	if code != exitCompleted {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitCompleted, out, errOut)
	}
	for _, want := range []string{
		"prefill.Validate() finds nothing wrong",
		"predicts, from the task schemas, 2 pending tasks:",
		"Address (address): /subject/identity/currentAddress/postalCode missing",
		"Identity document (document): /subject/documents missing",
		"That is what PendingOnboardingTasks predicted before anything was sent.",
		"GBG accepted the prefill, but task Address is now pending",
		"Personal details is not among them",
		"onboarding.CheckOnboardingSchemas: the pending tasks' schemas are the ones the types were generated from.",
		"task Address is complete",
		"Journey state: InProgress, 1 task still pending.",
		"Phone: connected",
		"task Identity document is complete",
		"State: Completed.",
		`outcome "Decision: Pass 1+1"`,
		"The journey completed.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the story does not say %q:\n%s", want, out)
		}
	}
	if errOut != "" {
		t.Errorf("stderr is not empty:\n%s", errOut)
	}
	// No secret or token reaches the output (the end-user token is a JWT: "eyJ…").
	for _, secret := range []string{sandbox.DefaultCredentials.ClientSecret, "eyJ", "Bearer"} {
		if strings.Contains(out+errOut, secret) {
			t.Errorf("the output contains %q", secret)
		}
	}
}

func TestDemoInProcessEmulator(t *testing.T) {
	code, out, errOut := runDemo(t, []string{"-emulate"}, noEnv)
	checkStory(t, code, out, errOut)
	if !strings.Contains(out, "the gbggen emulator, started inside this program") {
		t.Errorf("the story does not say where it runs:\n%s", out)
	}
}

// With nothing configured the demo starts the emulator itself: `go run ./examples/onboarding`
// just works.
func TestDemoDefaultsToEmulator(t *testing.T) {
	code, out, errOut := runDemo(t, nil, noEnv)
	checkStory(t, code, out, errOut)
}

// -base-url points the demo at an emulator someone else started (gbgserve).
func TestDemoExternalEmulator(t *testing.T) {
	srv, err := sandbox.New()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	code, out, errOut := runDemo(t, []string{"-base-url", ts.URL}, noEnv)
	checkStory(t, code, out, errOut)
	if !strings.Contains(out, "the gbggen emulator at "+ts.URL) {
		t.Errorf("the story does not say where it runs:\n%s", out)
	}
	// GBG_BASE_URL does the same.
	code, out, errOut = runDemo(t, nil, env(map[string]string{"GBG_BASE_URL": ts.URL}))
	checkStory(t, code, out, errOut)
}

// With GBG_CLIENT_ID and friends set the demo runs against "the real API": here an emulator
// with credentials of its own, reached through GBG_BASE_URL and GBG_TOKEN_URL.
func TestDemoWithCredentialsFromEnvironment(t *testing.T) {
	creds := sandbox.Credentials{ClientID: "client-7Qm2", ClientSecret: "secret-Zx81Lp",
		Username: "user-Kd5", Password: "password-Hw90Tq"}
	srv, err := sandbox.New(sandbox.WithCredentials(creds))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	vars := map[string]string{
		"GBG_CLIENT_ID": creds.ClientID, "GBG_CLIENT_SECRET": creds.ClientSecret,
		"GBG_USERNAME": creds.Username, "GBG_PASSWORD": creds.Password,
		"GBG_RESOURCE_ID": sandbox.OnboardingResourceID,
		"GBG_BASE_URL":    ts.URL, "GBG_TOKEN_URL": ts.URL + "/as/token.oauth2",
	}
	code, out, errOut := runDemo(t, nil, env(vars))
	checkStory(t, code, out, errOut)
	for _, secret := range []string{creds.ClientSecret, creds.Password} {
		if strings.Contains(out+errOut, secret) {
			t.Errorf("the output contains the secret %q", secret)
		}
	}
	if !strings.Contains(out, "Journey: "+sandbox.OnboardingResourceID+"@latest (GBG_RESOURCE_ID)") {
		t.Errorf("the story does not name the journey:\n%s", out)
	}

	// Without the username the client-credentials grant is used.
	delete(vars, "GBG_USERNAME")
	delete(vars, "GBG_PASSWORD")
	code, out, errOut = runDemo(t, nil, env(vars))
	checkStory(t, code, out, errOut)
	if !strings.Contains(out, "client-credentials grant") {
		t.Errorf("the story does not name the grant:\n%s", out)
	}

	// Wrong credentials: the demo stops at the first step and says why.
	vars["GBG_CLIENT_SECRET"] = "wrong-secret"
	code, out, errOut = runDemo(t, nil, env(vars))
	if code != exitIncomplete || !strings.Contains(errOut, "signing in") || strings.Contains(out+errOut, "wrong-secret") {
		t.Errorf("wrong secret: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// A journey that ends Failed is reported, and the exit code says it did not complete.
func TestDemoJourneyFailed(t *testing.T) {
	srv, err := sandbox.New()
	if err != nil {
		t.Fatal(err)
	}
	// The emulator's "fail" scenario, asked for when the journey starts, makes it end Failed.
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/captain/api/journey/start" {
			r.Header.Set("X-Gbg-Scenario", "fail")
		}
		srv.ServeHTTP(w, r)
	}))
	defer ts.Close()
	code, out, errOut := runDemo(t, []string{"-base-url", ts.URL}, noEnv)
	if code != exitIncomplete || !strings.Contains(out, "State: Failed.") || !strings.Contains(out, "The journey did not complete") {
		t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitIncomplete, out, errOut)
	}
}

// A call that fails stops the demo with the step that failed, and a non-zero exit code.
func TestDemoCallFails(t *testing.T) {
	srv, err := sandbox.New()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	// An unknown journey: the start is refused.
	code, _, errOut := runDemo(t, []string{"-base-url", ts.URL}, env(map[string]string{"GBG_RESOURCE_ID": strings.Repeat("0", 64) + "@1"}))
	if code != exitIncomplete || !strings.Contains(errOut, "starting the journey") {
		t.Errorf("unknown journey: exit %d, stderr %q; want %d and the failed step", code, errOut, exitIncomplete)
	}
	// A server that is not there.
	ts.Close()
	code, _, errOut = runDemo(t, []string{"-base-url", ts.URL}, noEnv)
	if code != exitIncomplete || !strings.Contains(errOut, "signing in") {
		t.Errorf("no server: exit %d, stderr %q; want %d and the failed step", code, errOut, exitIncomplete)
	}
}

func TestChooseTarget(t *testing.T) {
	real := map[string]string{
		"GBG_CLIENT_ID": "id", "GBG_CLIENT_SECRET": "secret", "GBG_USERNAME": "user",
		"GBG_PASSWORD": "pass", "GBG_RESOURCE_ID": "abc",
	}
	t.Run("real API", func(t *testing.T) {
		tg, err := chooseTarget(false, "", env(real))
		if err != nil {
			t.Fatal(err)
		}
		want := gbg.Config{ClientID: "id", ClientSecret: "secret", Username: "user", Password: "pass"}
		if tg.emulate || tg.cfg != want || tg.resourceID != "abc@latest" || tg.where != "the GBG GO API at https://eu.platform.go.gbgplc.com" {
			t.Errorf("got %+v", tg)
		}
		if strings.Contains(tg.where, "secret") || strings.Contains(tg.where, "pass") {
			t.Errorf("where names a secret: %q", tg.where)
		}
	})
	t.Run("real API in another region, pinned version", func(t *testing.T) {
		vars := maps(real, "GBG_REGION", "us", "GBG_RESOURCE_ID", "abc@3")
		tg, err := chooseTarget(false, "", env(vars))
		if err != nil {
			t.Fatal(err)
		}
		if tg.cfg.Region != gbg.US || tg.resourceID != "abc@3" || !strings.Contains(tg.where, "us.platform") {
			t.Errorf("got %+v", tg)
		}
	})
	t.Run("real API without a secret", func(t *testing.T) {
		_, err := chooseTarget(false, "", env(maps(real, "GBG_CLIENT_SECRET", "", "GBG_RESOURCE_ID", "")))
		if err == nil || !strings.Contains(err.Error(), "GBG_CLIENT_SECRET and GBG_RESOURCE_ID are not set") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("unknown region", func(t *testing.T) {
		if _, err := chooseTarget(false, "", env(maps(real, "GBG_REGION", "mars"))); err == nil {
			t.Error("no error")
		}
	})
	t.Run("-emulate wins over the environment", func(t *testing.T) {
		tg, err := chooseTarget(true, "", env(real))
		if err != nil || !tg.emulate || tg.resourceID != "" {
			t.Errorf("got %+v, %v", tg, err)
		}
	})
	t.Run("emulator at a URL", func(t *testing.T) {
		tg, err := chooseTarget(false, "http://127.0.0.1:8080/", noEnv)
		if err != nil || tg.emulate || tg.cfg.BaseURL != "http://127.0.0.1:8080" ||
			tg.cfg.TokenURL != "http://127.0.0.1:8080/as/token.oauth2" || tg.cfg.ClientID != sandbox.DefaultCredentials.ClientID {
			t.Errorf("got %+v, %v", tg, err)
		}
	})
	t.Run("nothing configured", func(t *testing.T) {
		tg, err := chooseTarget(false, "", noEnv)
		if err != nil || !tg.emulate {
			t.Errorf("got %+v, %v", tg, err)
		}
	})
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"-nope"}, {"extra"}} {
		if code, _, _ := runDemo(t, args, noEnv); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
	}
}

// The schemas here are copies of the emulator's built-in demo journey: the generated code
// must describe exactly the journey `make demo` runs. When the demo journey changes, copy its
// schemas here and run go generate.
func TestSchemasMatchEmulatorDemoJourney(t *testing.T) {
	demo, err := fs.Sub(sandbox.DemoFS(), "onboarding/2")
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := fs.Glob(demo, "*.json")
	if err != nil {
		t.Fatal(err)
	}
	// The emulator's journey directory names a task schema <key>.schema.json; a project
	// keeps them where gbggen fetch writes them, schemas/tasks/<key>.json.
	ours := map[string]string{"journey.schema.json": "schemas/journey.schema.json"}
	tasks, err := filepath.Glob("schemas/tasks/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range tasks {
		ours[strings.TrimSuffix(filepath.Base(p), ".json")+".schema.json"] = p
	}
	if len(theirs) != len(ours) {
		t.Fatalf("schemas/ holds %v, sandbox/demo/onboarding/2 holds %q", ours, theirs)
	}
	for _, name := range theirs {
		want, err := fs.ReadFile(demo, name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(ours[name])
		if err != nil {
			t.Fatalf("sandbox/demo/onboarding/2/%s has no copy here: %v", name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from sandbox/demo/onboarding/2/%s: copy it and run go generate ./examples/...", ours[name], name)
		}
	}
}

// gbggen.yaml names the emulator's demo journey, pinned to the version the schemas come from.
func TestResourceIDIsTheEmulatorsDemoJourney(t *testing.T) {
	if want := sandbox.OnboardingResourceID + "@2"; onboarding.ResourceID != want {
		t.Errorf("onboarding.ResourceID = %q, want %q: fix gbggen.yaml and run go generate", onboarding.ResourceID, want)
	}
}

// Every task of the demo journey is one the demo knows by its schema's title.
func TestKnownTasksMatchSchemas(t *testing.T) {
	for _, k := range knownTasks {
		raw, err := schemaFiles.ReadFile("schemas/" + k.file)
		if err != nil {
			t.Fatal(err)
		}
		if got := schemaTitle(raw); got != k.title {
			t.Errorf("schemas/%s has title %q, the demo expects %q", k.file, got, k.title)
		}
	}
}

// maps returns a copy of m with the key/value pairs kv set.
func maps(m map[string]string, kv ...string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// The journey schema is GBG's published context schema, carried unchanged (with its MIT
// notice): the test corpus holds the original.
func TestJourneySchemaIsGBGsPublishedSchema(t *testing.T) {
	dir := os.Getenv("GBGGEN_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	want, err := os.ReadFile(filepath.Join(dir, "gbg", "context.schema.json"))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus missing (set GBGGEN_CORPUS): %v", err)
		}
		t.Skipf("corpus missing (set GBGGEN_CORPUS): %v", err)
	}
	got, err := os.ReadFile(filepath.Join("schemas", "journey.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("schemas/journey.schema.json differs from GBG's published context schema in the corpus")
	}
	notice, err := os.ReadFile(filepath.Join("schemas", "LICENSE.journey-schema"))
	if err != nil || !bytes.Contains(notice, []byte("MIT License")) || !bytes.Contains(notice, []byte("GBG PLC")) {
		t.Errorf("schemas/LICENSE.journey-schema does not carry GBG's MIT notice: %v", err)
	}
}
