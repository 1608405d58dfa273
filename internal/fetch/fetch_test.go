package fetch

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/gbg"
	"github.com/gbggen/gbggen/generator"
	"github.com/gbggen/gbggen/generator/schema"
	"github.com/gbggen/gbggen/internal/emutest"
	"github.com/gbggen/gbggen/sandbox"
)

// run runs fetch with args, seeing env and nothing else of the environment.
func run(env map[string]string, args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = Run(args, func(k string) string { return env[k] }, &o, &e)
	return code, o.String(), e.String()
}

func TestFetchWritesCanonicalSchemasAndLock(t *testing.T) {
	for _, grant := range []string{"password", "client_credentials"} {
		t.Run(grant, func(t *testing.T) {
			emu := emutest.New(t)
			out := filepath.Join(t.TempDir(), "schemas")
			code, stdout, stderr := run(emutest.DemoEnv(grant), emu.FetchArgs(sandbox.OnboardingResourceID+"@1", out)...)
			if code != exitOK {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			if !strings.Contains(stderr, "creating an instance of journey") || !strings.Contains(stderr, "deleted instance") {
				t.Errorf("stderr does not say an instance is created and deleted:\n%s", stderr)
			}
			calls := emu.JourneyCalls()
			if want := []string{"start", "task/list/schema", "state/delete"}; strings.Join(calls, " ") != strings.Join(want, " ") {
				t.Errorf("journey calls %v, want %v", calls, want)
			}

			names := emutest.DirNames(t, out)
			if want := "address.json document.json gbggen.lock.json personal-details.json"; strings.Join(names, " ") != want {
				t.Fatalf("files %v, want %s", names, want)
			}
			var lock Lock
			emutest.ReadJSON(t, filepath.Join(out, LockFileName), &lock)
			if lock.LockVersion != 1 || lock.ResourceID != sandbox.OnboardingResourceID+"@1" || len(lock.Schemas) != 3 {
				t.Fatalf("lock %+v", lock)
			}
			for key, ls := range lock.Schemas {
				data, err := os.ReadFile(filepath.Join(out, ls.File))
				if err != nil {
					t.Fatal(err)
				}
				if ls.File != key+".json" {
					t.Errorf("schema %s in %s", key, ls.File)
				}
				// Canonical: what encoding/json writes for it, sorted and indented.
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					t.Fatal(err)
				}
				want, _ := json.MarshalIndent(v, "", "  ")
				if string(data) != string(want)+"\n" {
					t.Errorf("%s is not canonical:\n%s", ls.File, data)
				}
				var compact bytes.Buffer
				if err := json.Compact(&compact, data); err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(compact.Bytes())
				if hex.EncodeToString(sum[:]) != ls.SHA256 {
					t.Errorf("%s: digest %s, want %x", key, ls.SHA256, sum)
				}
			}
			// The fetched schema is the one the journey publishes.
			var got, want any
			emutest.ReadJSON(t, filepath.Join(out, "personal-details.json"), &got)
			wantData, err := fs.ReadFile(sandbox.DemoFS(), "onboarding/1/personal-details.schema.json")
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(wantData, &want); err != nil {
				t.Fatal(err)
			}
			if !jsonEqual(got, want) {
				t.Errorf("personal-details.json differs from the published schema")
			}
		})
	}
}

func TestFetchAgainIsByteIdentical(t *testing.T) {
	emu := emutest.New(t)
	env := emutest.DemoEnv("password")
	out := t.TempDir()
	if code, _, stderr := run(env, emu.FetchArgs(sandbox.OnboardingResourceID+"@latest", out)...); code != exitOK {
		t.Fatal(stderr)
	}
	first := readDir(t, out)
	if code, _, stderr := run(env, emu.FetchArgs(sandbox.OnboardingResourceID+"@latest", out)...); code != exitOK {
		t.Fatal(stderr)
	}
	if second := readDir(t, out); !maps.Equal(first, second) {
		t.Error("a second fetch of the same version changed the files")
	}
}

func TestFetchRemovesSchemasTheJourneyNoLongerHas(t *testing.T) {
	emu := emutest.New(t)
	env := emutest.DemoEnv("password")
	out := t.TempDir()
	keep := filepath.Join(out, "notes.json") // not fetch's: never removed
	if err := os.WriteFile(keep, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(env, emu.FetchArgs(sandbox.OnboardingResourceID+"@1", out)...); code != exitOK {
		t.Fatal(stderr)
	}
	v := emutest.DemoVersion(t, "3")
	v.Tasks = v.Tasks[:1] // only personal-details
	if _, err := emu.Publish("onboarding", v); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(env, emu.FetchArgs(sandbox.OnboardingResourceID+"@3", out)...)
	if code != exitOK {
		t.Fatal(stderr)
	}
	if got := strings.Join(emutest.DirNames(t, out), " "); got != "gbggen.lock.json notes.json personal-details.json" {
		t.Errorf("files after the second fetch: %s\n%s", got, stdout)
	}
	if !strings.Contains(stdout, "removed "+filepath.Join(out, "address.json")) {
		t.Errorf("stdout does not report the removal:\n%s", stdout)
	}
}

func TestFetchFailuresWriteNothingAndDeleteTheInstance(t *testing.T) {
	emu := emutest.New(t)
	env := emutest.DemoEnv("password")
	out := filepath.Join(t.TempDir(), "schemas")
	// The task/list/schema call fails after the instance exists: it must still be deleted.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/task/list/schema") {
			r.Header.Set("X-Gbg-Scenario", "unavailable, retry-after=0")
		}
		emu.Handler.ServeHTTP(w, r)
	}))
	defer srv.Close()
	args := []string{"-resource", sandbox.OnboardingResourceID + "@1", "-base-url", srv.URL,
		"-token-url", srv.URL + "/as/token.oauth2", "-out", out, "-timeout", "20s"}
	code, stdout, stderr := run(env, args...)
	if code != exitUsage {
		t.Fatalf("exit %d, want 2\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("fetch wrote %s after failing", out)
	}
	calls := emu.JourneyCalls()
	if len(calls) == 0 || calls[len(calls)-1] != "state/delete" {
		t.Errorf("the instance was not deleted: calls %v", calls)
	}
	if !strings.Contains(stderr, "deleted instance") || !strings.Contains(stderr, "nothing written") {
		t.Errorf("stderr: %s", stderr)
	}
}

func TestFetchUnknownVersion(t *testing.T) {
	emu := emutest.New(t)
	env := emutest.DemoEnv("password")
	out := filepath.Join(t.TempDir(), "schemas")
	code, _, stderr := run(env, emu.FetchArgs(sandbox.OnboardingResourceID+"@99", out)...)
	if code != exitUsage || !strings.Contains(stderr, "starting an instance") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("fetch wrote %s after failing", out)
	}
	for _, c := range emu.JourneyCalls() {
		if c != "start" {
			t.Errorf("call %s after a failed start", c)
		}
	}
}

func TestFetchNeverPrintsSecrets(t *testing.T) {
	emu := emutest.New(t)
	env := map[string]string{"GBG_CLIENT_ID": "gbggen-demo", "GBG_CLIENT_SECRET": "s3cr3t-client-value",
		"GBG_USERNAME": "demo", "GBG_PASSWORD": "pa55-w0rd-value"}
	code, stdout, stderr := run(env, emu.FetchArgs(sandbox.OnboardingResourceID+"@1", t.TempDir())...)
	if code != exitUsage {
		t.Fatalf("exit %d with bad credentials", code)
	}
	for _, secret := range []string{env["GBG_CLIENT_SECRET"], env["GBG_PASSWORD"]} {
		if strings.Contains(stdout+stderr, secret) {
			t.Errorf("output shows a secret:\n%s%s", stdout, stderr)
		}
	}
	if len(emu.JourneyCalls()) != 0 {
		t.Errorf("journey calls without a token: %v", emu.JourneyCalls())
	}
}

func TestFetchURLsFromEnvironment(t *testing.T) {
	emu := emutest.New(t)
	env := emutest.DemoEnv("client_credentials")
	env["GBG_BASE_URL"], env["GBG_TOKEN_URL"] = emu.URL, emu.URL+"/as/token.oauth2"
	out := t.TempDir()
	code, _, stderr := run(env, "-resource", sandbox.OnboardingResourceID+"@1", "-out", out)
	if code != exitOK || !strings.Contains(stderr, " on "+emu.URL+" ") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	// An explicit -region wins over GBG_BASE_URL. The token URL is a closed port, so the
	// fetch fails before it could reach GBG's platform.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/as/token.oauth2"
	l.Close()
	code, _, stderr = run(env, "-resource", sandbox.OnboardingResourceID+"@1", "-out", out, "-region", "us",
		"-token-url", closed, "-timeout", "2s")
	if code != exitUsage || !strings.Contains(stderr, "https://us.platform.go.gbgplc.com") {
		t.Errorf("-region with GBG_BASE_URL: exit %d\n%s", code, stderr)
	}
}

func TestFetchUsage(t *testing.T) {
	env := emutest.DemoEnv("password")
	res := sandbox.OnboardingResourceID + "@1"
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no resource", []string{"-out", "x"}, nil, "-resource is required"},
		{"no version", []string{"-resource", sandbox.OnboardingResourceID, "-out", "x"}, nil, "want ID@VERSION"},
		{"no out", []string{"-resource", res}, nil, "-out is required"},
		{"region and base URL", []string{"-resource", res, "-out", "x", "-region", "us", "-base-url", "http://localhost"}, nil, "not both"},
		{"unknown region", []string{"-resource", res, "-out", "x", "-region", "mars"}, nil, "unknown region"},
		{"no credentials", []string{"-resource", res, "-out", "x"}, map[string]string{}, "set GBG_CLIENT_ID"},
		{"username without password", []string{"-resource", res, "-out", "x"},
			map[string]string{"GBG_CLIENT_ID": "a", "GBG_CLIENT_SECRET": "b", "GBG_USERNAME": "u"}, "GBG_PASSWORD"},
		{"argument", []string{"-resource", res, "-out", "x", "extra"}, nil, "unexpected argument"},
		{"help", []string{"-h"}, nil, "usage: gbggen fetch -resource ID@VERSION"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := env
			if tt.env != nil {
				env = tt.env
			}
			code, _, stderr := run(env, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q, want 2 and %q", code, stderr, tt.want)
			}
		})
	}
}

func TestSchemasOf(t *testing.T) {
	list := func(keys map[string]string, schemas map[string]string, ids ...string) *gbg.TaskSchemaList {
		l := &gbg.TaskSchemaList{Status: "InProgress", TaskIDs: ids, Keys: keys, Schemas: map[string]json.RawMessage{}}
		for id, s := range schemas {
			l.Schemas[id] = json.RawMessage(s)
		}
		return l
	}
	got, err := schemasOf(list(
		map[string]string{"t1": "a/b", "t2": "", "t3": "../evil"},
		map[string]string{"t1": `{"type":"string"}`, "t3": `{"type":"null"}`,
			"t2": `{"type":"object","properties":{"z":{"type":"integer","maximum":1.50},"a":{"const":"<&>"}}}`},
		"t1", "t2", "t3"))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, s := range got {
		keys = append(keys, s.key+"="+schemaFileName(s.key))
	}
	if want := "../evil=_._evil.json a/b=a_b.json task-2=task-2.json"; strings.Join(keys, " ") != want {
		t.Errorf("keys %v, want %s", keys, want)
	}
	inline := string(got[2].pretty)
	if want := "{\n  \"properties\": {\n    \"a\": {\n      \"const\": \"<&>\"\n    },\n    \"z\": {\n      \"maximum\": 1.50,\n      \"type\": \"integer\"\n    }\n  },\n  \"type\": \"object\"\n}\n"; inline != want {
		t.Errorf("canonical form:\n%s\nwant:\n%s", inline, want)
	}
	if _, err := schemasOf(list(nil, nil)); err == nil || !strings.Contains(err.Error(), "no pending task") {
		t.Errorf("no tasks: %v", err)
	}
	two := func(k1, k2 string) error {
		_, err := schemasOf(list(map[string]string{"t1": k1, "t2": k2}, map[string]string{"t1": `{}`, "t2": `{}`}, "t1", "t2"))
		return err
	}
	if err := two("a.b", "a_b"); err != nil {
		t.Errorf("distinct files: %v", err)
	}
	if err := two("a/b", "a_b"); err == nil {
		t.Error("two keys mapped to one file")
	}
	if err := two("gbggen.lock", "x"); err == nil {
		t.Error("a schema key overwrote the lock file")
	}
}

func readDir(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, n := range emutest.DirNames(t, dir) {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		out[n] = string(data)
	}
	return out
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestLockDigestIsSchemaDigest: the lock file's sha256 of a schema is the digest generated
// code carries as SchemaDigest, so lock and code can be compared directly.
func TestLockDigestIsSchemaDigest(t *testing.T) {
	for _, doc := range []string{
		`{"b":1,"a":{"z":[1,2.50,"<&>"],"y":null},"title":"Ada \u2028 Lovelace"}`,
		`{"type":"object","properties":{"n":{"type":"number","maximum":1e400}}}`,
	} {
		_, compact, err := canonicalJSON([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := schema.Parse("s.json", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(compact)
		if want := generator.SchemaDigest(raw); "sha256:"+hex.EncodeToString(sum[:]) != want {
			t.Errorf("%s: lock digest %x, SchemaDigest %s", doc, sum, want)
		}
	}
}
