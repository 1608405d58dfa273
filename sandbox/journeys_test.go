package sandbox_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gbggen/gbggen/generated"
	"github.com/gbggen/gbggen/sandbox"
)

const journeySchemaV2 = `{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "properties": {"subject": {"type": "object", "properties": {
    "identity": {"type": "object", "properties": {
      "firstName": {"type": "string"}, "lastNames": {"type": "array", "items": {"type": "string"}},
      "dateOfBirth": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
      "phones": {"type": "array", "items": {"type": "object", "required": ["type", "number"],
        "properties": {"type": {"type": "string"}, "number": {"type": "string"}}, "additionalProperties": false}}
    }, "additionalProperties": false}
  }, "additionalProperties": false}},
  "additionalProperties": false
}`

const phoneTask = `{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object", "required": ["context"],
  "properties": {"context": {"type": "object", "required": ["subject"], "properties": {"subject": {
    "type": "object", "required": ["identity"], "properties": {"identity": {
      "type": "object", "required": ["phones"], "properties": {"phones": {"type": "array", "minItems": 1}}}}}}}}
}`

func TestPublish(t *testing.T) {
	e := newEnv(t)
	old := e.start(nil) // on version 1

	pinned, err := e.srv.Publish("onboarding", sandbox.Version{Version: "3", Schema: []byte(journeySchemaV2),
		Tasks: []sandbox.Task{{Key: "phone", Name: "Phone", Schema: []byte(phoneTask)}}})
	if err != nil {
		t.Fatal(err)
	}
	if pinned != sandbox.OnboardingResourceID+"@3" {
		t.Fatalf("pinned %s", pinned)
	}
	// @latest is now version 3: one task, and the new schema decides what a prefill keeps.
	id := e.startAt(sandbox.OnboardingResourceID+"@latest", subjectWith(map[string]any{"firstName": "Ada", "phones": []any{map[string]any{"type": "mobile"}}}))
	if got := keys(e.pending(id)); !reflect.DeepEqual(got, []string{"phone"}) {
		t.Fatalf("@latest after publish: pending %v", got)
	}
	if st := e.stateV2(id); *st.Context.Process.Journey.Version != "3" {
		t.Fatalf("version %s", *st.Context.Process.Journey.Version)
	}
	kept := (*e.state(id).Context)["subject"].(map[string]any)["identity"].(map[string]any)
	if _, ok := kept["phones"].([]any); !ok || len(kept["phones"].([]any)) != 0 {
		t.Fatalf("invalid phone not dropped: %v", kept)
	}
	// @1 stays pinned; the instance started before keeps its version.
	res, err := e.c.StartJourneyWithResponse(context.Background(), generated.StartJourneyRequest{ResourceID: sandbox.OnboardingResourceID + "@1"})
	if err != nil || res.JSON200 == nil {
		t.Fatal(err, res.Body)
	}
	if got := len(e.pending(res.JSON200.InstanceID)); got != 3 {
		t.Fatalf("@1: %d pending tasks, want 3", got)
	}
	if got := len(e.pending(old)); got != 3 {
		t.Fatalf("old instance: %d pending tasks, want 3", got)
	}
	// Errors: a version published twice, bad schemas, a task schema not rooted at context.
	for _, v := range []sandbox.Version{
		{Version: "3", Schema: []byte(journeySchemaV2)},
		{Version: "latest", Schema: []byte(journeySchemaV2)},
		{Version: "4", Schema: []byte(`{"type": 12}`)},
		{Version: "4", Schema: []byte(`{"$ref": "other.json"}`)},
		{Version: "4", Schema: []byte(journeySchemaV2), Tasks: []sandbox.Task{{Key: "t", Schema: []byte(`{"type":"object"}`)}}},
		{Version: "4", Schema: []byte(journeySchemaV2), Tasks: []sandbox.Task{{Key: "t", Schema: []byte(phoneTask)}, {Key: "t", Schema: []byte(phoneTask)}}},
	} {
		if _, err := e.srv.Publish("onboarding", v); err == nil {
			t.Errorf("Publish %s %.30s: no error", v.Version, v.Schema)
		}
	}
	// A new key creates a journey with the derived resource ID.
	pinned, err = e.srv.Publish("phones", sandbox.Version{Version: "1.0", Schema: []byte(journeySchemaV2)})
	if err != nil || pinned != sandbox.ResourceIDFor("phones")+"@1.0" {
		t.Fatalf("new journey: %s %v", pinned, err)
	}
	if len(e.srv.Journeys()) != 2 {
		t.Fatalf("journeys %v", e.srv.Journeys())
	}
}

func TestJourneysFromDirectory(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("kyc/journey.yaml", `
name: KYC
variantId: kyc-main
outcome: "Decision: Refer"
versions:
  - version: "1"
    schema: v1.yaml
    tasks:
      - {key: phone, schema: phone.json}
`)
	// A YAML journey schema.
	write("kyc/v1.yaml", `
$schema: http://json-schema.org/draft-07/schema#
type: object
properties:
  subject: {type: object}
`)
	write("kyc/phone.json", phoneTask)
	write("notes/readme.txt", "directories without journey.yaml are ignored")

	e := newEnv(t, sandbox.WithJourneysDir(dir))
	js := e.srv.Journeys()
	if len(js) != 1 || js[0].Name != "KYC" || js[0].ResourceID != sandbox.ResourceIDFor("kyc") || !reflect.DeepEqual(js[0].Versions, []string{"1"}) {
		t.Fatalf("journeys %+v", js)
	}
	res, err := e.c.StartJourneyWithResponse(context.Background(), generated.StartJourneyRequest{ResourceID: js[0].ResourceID + "@latest",
		Context: &generated.JourneyContext{Subject: subjectWith(map[string]any{"phones": []any{map[string]any{"type": "home", "number": "1"}}})}})
	if err != nil || res.JSON200 == nil {
		t.Fatal(err, res.Body)
	}
	st := e.state(res.JSON200.InstanceID)
	outcome := (*st.Data)["process"].(map[string]any)["flow"].(map[string]any)["kyc-main"].(map[string]any)["result"].(map[string]any)["outcome"]
	if st.Status != "Completed" || outcome != "Decision: Refer" {
		t.Fatalf("state %s outcome %v", st.Status, outcome)
	}
	// The demo journey is not served from a directory.
	res, _ = e.c.StartJourneyWithResponse(context.Background(), generated.StartJourneyRequest{ResourceID: onboarding})
	if res.StatusCode() != 404 {
		t.Fatalf("demo journey from a directory server: %d", res.StatusCode())
	}
}

func TestJourneyFormatErrors(t *testing.T) {
	good := `{"$schema":"http://json-schema.org/draft-07/schema#","type":"object"}`
	cases := map[string]fstest.MapFS{
		"no journeys":    {"x/readme": {Data: []byte("x")}},
		"unknown member": {"j/journey.yaml": {Data: []byte("versions: [{version: '1', schema: s.json}]\ncolour: red\n")}, "j/s.json": {Data: []byte(good)}},
		"no versions":    {"j/journey.yaml": {Data: []byte("name: J\n")}},
		"bad resource":   {"j/journey.yaml": {Data: []byte("resourceId: ABC\nversions: [{version: '1', schema: s.json}]\n")}, "j/s.json": {Data: []byte(good)}},
		"missing schema": {"j/journey.yaml": {Data: []byte("versions: [{version: '1', schema: nope.json}]\n")}},
		"bad schema":     {"j/journey.yaml": {Data: []byte("versions: [{version: '1', schema: s.json}]\n")}, "j/s.json": {Data: []byte(`{"minLength": "x"}`)}},
		"twice":          {"j/journey.yaml": {Data: []byte("versions: [{version: '1', schema: s.json}, {version: '1', schema: s.json}]\n")}, "j/s.json": {Data: []byte(good)}},
		"same resource": {
			"a/journey.yaml": {Data: []byte("resourceId: " + strings.Repeat("a", 64) + "\nversions: [{version: '1', schema: s.json}]\n")}, "a/s.json": {Data: []byte(good)},
			"b/journey.yaml": {Data: []byte("resourceId: " + strings.Repeat("a", 64) + "\nversions: [{version: '1', schema: s.json}]\n")}, "b/s.json": {Data: []byte(good)},
		},
	}
	for name, fsys := range cases {
		if _, err := sandbox.New(sandbox.WithJourneys(fsys)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := sandbox.New(sandbox.WithJourneysDir(filepath.Join(t.TempDir(), "missing"))); err == nil {
		t.Error("missing directory: no error")
	}
}

func TestServeShutsDownOnCancel(t *testing.T) {
	srv, err := sandbox.New()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	res, err := http.Get(fmt.Sprintf("http://%s/captain/api/journey/health", ln.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Fatalf("health without token: %d", res.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve after cancel: %v", err)
	}
	if _, err := http.Get(fmt.Sprintf("http://%s/", ln.Addr())); err == nil {
		t.Fatal("still serving after shutdown")
	}
}
