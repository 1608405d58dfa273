package fetch

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gbggen/gbggen/idwise/flow"
	emu "github.com/gbggen/gbggen/sandbox/idwise"
)

// idwiseEmulator serves the IDWise emulator and records the calls made to it.
func idwiseEmulator(t *testing.T, opts ...emu.Option) (url string, calls func() []string) {
	t.Helper()
	srv, err := emu.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, r)
		mu.Lock()
		seen = append(seen, r.Method+" "+strings.SplitN(r.URL.Path, "/", 3)[1]+" "+http.StatusText(rec.Code))
		mu.Unlock()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(ts.Close)
	return ts.URL, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), seen...) }
}

func idwiseEnv(base, key, secret string) func(string) string {
	return func(k string) string {
		return map[string]string{"IDWISE_BASE_URL": base, "IDWISE_API_KEY": key, "IDWISE_API_SECRET": secret}[k]
	}
}

// TestFetchIDWiseFlow: fetch starts a journey of the flow, writes its steps as a flow
// definition generate accepts, and deletes the journey.
func TestFetchIDWiseFlow(t *testing.T) {
	dir := t.TempDir()
	flows := filepath.Join(dir, "served")
	os.MkdirAll(flows, 0o755)
	os.WriteFile(filepath.Join(flows, "kyc.json"), []byte(`{"flow_id":"kyc/v2","steps":[{"step_id":"front","type":"Document","title":"Passport"},{"step_id":4,"type":"Selfie","title":"Face"}]}`), 0o644)
	base, calls := idwiseEmulator(t, emu.WithFlowsDir(flows))
	var stdout, stderr strings.Builder
	code := Run([]string{"-idwise-flow", "kyc/v2", "-out", dir}, idwiseEnv(base, emu.DefaultCredentials.Key, emu.DefaultCredentials.Secret), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	path := filepath.Join(dir, "kyc_v2.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "flow_id": "kyc/v2",
  "steps": [
    {
      "step_id": "front",
      "type": "Document",
      "title": "Passport"
    },
    {
      "step_id": "4",
      "type": "Selfie",
      "title": "Face"
    }
  ]
}
`
	if string(data) != want {
		t.Errorf("%s:\n%s\nwant\n%s", path, data, want)
	}
	def, err := flow.Parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), def.Digest()) {
		t.Errorf("stdout %q lacks the digest", stdout.String())
	}
	got := strings.Join(calls(), ", ")
	if got != "POST journey OK, DELETE journey OK" {
		t.Errorf("calls: %s, want start then delete", got)
	}
	if strings.Contains(stderr.String()+stdout.String(), emu.DefaultCredentials.Secret) {
		t.Error("the secret was printed")
	}
}

func TestFetchIDWiseErrors(t *testing.T) {
	base, calls := idwiseEmulator(t)
	good := idwiseEnv(base, emu.DefaultCredentials.Key, emu.DefaultCredentials.Secret)
	for _, c := range []struct {
		name string
		args []string
		env  func(string) string
		want string
	}{
		{"unknown flow", []string{"-idwise-flow", "nope", "-out", "x.json"}, good, "flow_not_found"},
		{"wrong secret", []string{"-idwise-flow", emu.DemoFlowID, "-out", "x.json"}, idwiseEnv(base, emu.DefaultCredentials.Key, "wrong-secret-123"), "invalid_credentials"},
		{"no credentials", []string{"-idwise-flow", emu.DemoFlowID, "-out", "x.json"}, idwiseEnv(base, "", ""), "set IDWISE_API_KEY and IDWISE_API_SECRET"},
		{"no out", []string{"-idwise-flow", emu.DemoFlowID}, good, "-out is required"},
		{"empty flow", []string{"-idwise-flow=", "-out", "x.json"}, good, "needs a flow ID"},
		{"region and base URL", []string{"-idwise-flow", "f", "-region", "uae", "-base-url", base, "-out", "x.json"}, good, "not both"},
	} {
		dir := t.TempDir()
		args := c.args
		for i, a := range args {
			if a == "x.json" {
				args[i] = filepath.Join(dir, a)
			}
		}
		var stdout, stderr strings.Builder
		code := Run(args, c.env, &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%s: exit %d, %q; want 2 and %q", c.name, code, stderr.String(), c.want)
		}
		if strings.Contains(stderr.String(), "wrong-secret-123") {
			t.Errorf("%s: the secret was printed", c.name)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%s: wrote %v", c.name, entries)
		}
	}
	for _, call := range calls() {
		if strings.HasPrefix(call, "POST journey OK") {
			t.Errorf("a journey was started by a failing fetch: %v", calls())
		}
	}
}
