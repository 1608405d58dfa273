package fetch

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/gbggen/gbggen/internal/emutest"
	"github.com/gbggen/gbggen/sandbox"
)

// Secrets with characters that URL encodings change.
const (
	echoSecret   = "sp3c!al/secret+value=&é"
	echoPassword = "p@ss word/with:colon?"
	echoToken    = "at~abc/def+ghi=jkl!é"
)

// forms is every way a server might echo s.
func forms(s string) []string {
	b := []byte(s)
	return []string{s, url.QueryEscape(s), url.PathEscape(s),
		base64.StdEncoding.EncodeToString(b), base64.URLEncoding.EncodeToString(b),
		base64.RawStdEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// echoServer is a GBG GO server that quotes every secret and token it
// received, in every form, in its error bodies and request IDs. With
// startOK it lets the instance start and refuses the schema list and the
// delete; otherwise it refuses the start. With tokenEcho its token
// endpoint refuses, quoting the form it got.
func echoServer(t *testing.T, startOK, tokenEcho bool) *httptest.Server {
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		var all []string
		echoed := []string{echoSecret, echoPassword, string(body), r.Header.Get("Authorization")}
		if !tokenEcho {
			echoed = append(echoed, echoToken) // the token it issued
		}
		for _, s := range echoed {
			all = append(all, forms(s)...)
		}
		text := quote(strings.Join(all, " | "))
		w.Header().Set("X-Request-ID", url.QueryEscape(r.Header.Get("Authorization")))
		switch {
		case r.URL.Path == "/as/token.oauth2" && tokenEcho:
			w.WriteHeader(400)
			_, _ = io.WriteString(w, `{"error":`+quote(string(body))+`,"error_description":`+text+`}`)
		case r.URL.Path == "/as/token.oauth2":
			_, _ = io.WriteString(w, `{"access_token":`+quote(echoToken)+`,"token_type":"Bearer","expires_in":3600}`)
		case r.URL.Path == "/captain/api/journey/start" && startOK:
			_, _ = io.WriteString(w, `{"instanceId":"0123456789abcdef0123"}`)
		case strings.HasPrefix(r.URL.Path, "/captain/api/journey/state/"):
			w.WriteHeader(500)
			_, _ = io.WriteString(w, `{"errors":[{"code":"5000","problem":`+text+`,"action":`+text+`}]}`)
		default:
			w.WriteHeader(400)
			_, _ = io.WriteString(w, `{"status":400,"message":`+text+`,"error":`+text+`,"violations":[{"pointer":"/x","message":`+text+`}]}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestFetchNeverPrintsEchoedSecrets: whatever a server quotes back, fetch's
// output holds no form of the client secret, the password or the token.
func TestFetchNeverPrintsEchoedSecrets(t *testing.T) {
	env := map[string]string{"GBG_CLIENT_ID": "client-id", "GBG_CLIENT_SECRET": echoSecret,
		"GBG_USERNAME": "demo", "GBG_PASSWORD": echoPassword}
	for _, tc := range []struct {
		name               string
		startOK, tokenEcho bool
		want               string
	}{
		{"token endpoint echoes its form", false, true, "GetToken: HTTP 400"},
		{"start echoes the token", false, false, "StartJourney: HTTP 400"},
		{"schema list and delete echo the token", true, false, "deleting instance"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := echoServer(t, tc.startOK, tc.tokenEcho)
			code, stdout, stderr := run(env, "-resource", sandbox.OnboardingResourceID+"@1", "-base-url", srv.URL, "-token-url", srv.URL+"/as/token.oauth2", "-out", t.TempDir())
			if code != exitUsage || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "[REDACTED]") {
				t.Fatalf("exit %d, want 2 and %q with the echoes redacted:\n%s", code, tc.want, stderr)
			}
			for _, secret := range []string{echoSecret, echoPassword, echoToken} {
				for _, f := range forms(secret) {
					if strings.Contains(stdout+stderr, f) {
						t.Errorf("output holds %q (a form of %q):\n%s%s", f, secret, stdout, stderr)
					}
				}
			}
		})
	}
}

// TestFetchTokenURLFollowsBaseURL: -base-url (or GBG_BASE_URL) alone sends
// the credentials to that server's token endpoint, not to GBG's.
func TestFetchTokenURLFollowsBaseURL(t *testing.T) {
	emu := emutest.New(t)
	t.Run("help says so", func(t *testing.T) {
		_, _, stderr := run(nil, "-h")
		if !strings.Contains(stderr, "-base-url (or GBG_BASE_URL) implies\n<base-url>/as/token.oauth2") {
			t.Errorf("-h does not say how the token URL follows the base URL:\n%s", stderr)
		}
	})
	t.Run("flag", func(t *testing.T) {
		code, _, stderr := run(emutest.DemoEnv("password"), "-resource", sandbox.OnboardingResourceID+"@1", "-base-url", emu.URL, "-out", t.TempDir())
		if code != exitOK || !strings.Contains(stderr, "credentials to "+emu.URL+"/as/token.oauth2") {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
	})
	t.Run("environment", func(t *testing.T) {
		env := emutest.DemoEnv("client_credentials")
		env["GBG_BASE_URL"] = emu.URL
		code, _, stderr := run(env, "-resource", sandbox.OnboardingResourceID+"@1", "-out", t.TempDir())
		if code != exitOK || !strings.Contains(stderr, "credentials to "+emu.URL+"/as/token.oauth2") {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
	})
}
