// Package emutest runs the emulator (package sandbox) in-process for the tests of the commands
// that talk to it, fetch above all, records the journey calls made to it, and reads the files
// those commands write. Only tests import it.
package emutest

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/gbggen/gbggen/sandbox"
)

// Emulator serves the sandbox on a local port and records the journey calls made to it.
type Emulator struct {
	*sandbox.Server
	// URL is the base URL it serves on, for -base-url; the token URL is URL+"/as/token.oauth2".
	URL string

	// Handler serves the emulator and records the journey calls.
	Handler http.Handler

	mu    sync.Mutex
	calls []string // paths of the v1 journey calls, in order
}

// New starts an emulator with opts until the test ends.
func New(t testing.TB, opts ...sandbox.Option) *Emulator {
	t.Helper()
	srv, err := sandbox.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	e := &Emulator{Server: srv}
	e.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := strings.CutPrefix(r.URL.Path, "/captain/api/journey/"); ok {
			e.mu.Lock()
			e.calls = append(e.calls, p)
			e.mu.Unlock()
		}
		srv.ServeHTTP(w, r)
	})
	ts := httptest.NewServer(e.Handler)
	t.Cleanup(ts.Close)
	e.URL = ts.URL
	return e
}

// JourneyCalls are the paths of the journey calls made so far, below /captain/api/journey/
// ("start", "task/list/schema", "state/delete"…), in order.
func (e *Emulator) JourneyCalls() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.calls...)
}

// FetchArgs are the fetch flags that download resource from the emulator into out.
func (e *Emulator) FetchArgs(resource, out string) []string {
	return []string{"-resource", resource, "-base-url", e.URL, "-token-url", e.URL + "/as/token.oauth2", "-out", out}
}

// EnvNames are the environment variables fetch reads.
var EnvNames = []string{"GBG_CLIENT_ID", "GBG_CLIENT_SECRET", "GBG_USERNAME", "GBG_PASSWORD", "GBG_BASE_URL", "GBG_TOKEN_URL"}

// DemoEnv is the environment that authenticates against the emulator's default credentials
// with grant "password" or "client_credentials".
func DemoEnv(grant string) map[string]string {
	c := sandbox.DefaultCredentials
	env := map[string]string{"GBG_CLIENT_ID": c.ClientID, "GBG_CLIENT_SECRET": c.ClientSecret}
	if grant == "password" {
		env["GBG_USERNAME"], env["GBG_PASSWORD"] = c.Username, c.Password
	}
	return env
}

// SetEnv sets each of EnvNames in the process environment to its value in env (empty when
// env lacks it) for the rest of the test, for fetch run as a separate process.
func SetEnv(t testing.TB, env map[string]string) {
	t.Helper()
	for _, k := range EnvNames {
		t.Setenv(k, env[k])
	}
}

// DemoVersion is version 1 of the built-in onboarding journey with the given version name,
// for Publish.
func DemoVersion(t testing.TB, version string) sandbox.Version {
	t.Helper()
	read := func(name string) []byte {
		data, err := fs.ReadFile(sandbox.DemoFS(), "onboarding/1/"+name)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	return sandbox.Version{Version: version, Schema: read("journey.schema.json"), Tasks: []sandbox.Task{
		{Key: "personal-details", Name: "Personal details", Schema: read("personal-details.schema.json")},
		{Key: "address", Name: "Address", Schema: read("address.schema.json")},
		{Key: "document", Name: "Identity document", Schema: read("document.schema.json")},
	}}
}

// DirNames are the names of the entries of dir, sorted: what a command wrote there.
func DirNames(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// ReadJSON decodes the JSON file at path (a fetched schema, the lock file) into v.
func ReadJSON(t testing.TB, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// Start runs serve, a command's entry point that prints "gbgserve: listening on <URL>" and
// serves until its context ends, and returns that URL and a stop function that ends it and
// returns its exit code.
func Start(t testing.TB, serve func(ctx context.Context, stdout io.Writer) int) (base string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := serve(ctx, outW)
		outW.Close()
		done <- code
	}()
	stop = func() int {
		cancel()
		return <-done
	}
	lines := bufio.NewScanner(outR)
	if !lines.Scan() {
		t.Fatalf("the emulator printed nothing (exit %d)", stop())
	}
	base, ok := strings.CutPrefix(lines.Text(), "gbgserve: listening on ")
	if !ok || strings.HasSuffix(base, ":0") {
		stop()
		t.Fatalf("first line = %q, want the emulator's URL with its real port", lines.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	return base, stop
}

// Token fails the test unless the emulator at base issues an access token for its default
// credentials, with a request ID on the response.
func Token(t testing.TB, base string) {
	t.Helper()
	creds := sandbox.DefaultCredentials
	resp, err := http.PostForm(base+"/as/token.oauth2", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {creds.ClientID},
		"client_secret": {creds.ClientSecret}, "scope": {"gbg.token"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	if resp.StatusCode != http.StatusOK || tok.AccessToken == "" {
		t.Fatalf("token: status %d, token empty=%v", resp.StatusCode, tok.AccessToken == "")
	}
	if resp.Header.Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID on the token response")
	}
}
