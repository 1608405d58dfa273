package idwise

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

const (
	routeStart  = "POST /journey/v2/start-journey"
	routeResult = "GET /journey/v2/get-journey-result"
)

func startJourney(c *Client) error {
	_, err := c.StartJourney(context.Background(), StartRequest{FlowID: testFlow, ReferenceNo: "r"})
	return err
}

func journeyResult(c *Client) error {
	_, err := c.Result(context.Background(), testJourney)
	return err
}

// otherServer is a server that must never be reached: it counts requests and
// the credentials they carry.
func otherServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeJSON(w, 200, resultOK)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestRedirectsToAnotherOriginAreRefused: net/http sends the Authorization
// header on to the same host name on another port (or scheme), and a 307 or
// 308 re-sends the body; the API key and secret must reach nobody else.
func TestRedirectsToAnotherOriginAreRefused(t *testing.T) {
	other, reached := otherServer(t)
	port := strings.TrimPrefix(other.URL[strings.LastIndex(other.URL, ":"):], ":")
	targets := map[string]string{
		"same hostname, other port": other.URL,
		"other hostname":            "http://localhost:" + port,
	}
	calls := map[string]func(*Client) error{routeStart: startJourney, routeResult: journeyResult}
	for targetName, target := range targets {
		for _, code := range []int{301, 302, 303, 307, 308} {
			for route, call := range calls {
				t.Run(fmt.Sprintf("%s/%d/%s", targetName, code, route), func(t *testing.T) {
					h := newHarness(t)
					h.route(route, func(w http.ResponseWriter, r *http.Request, _ int) {
						http.Redirect(w, r, target+r.URL.Path+"?echo="+url.QueryEscape(testSecret), code)
					})
					before := reached.Load()
					err := call(h.c)
					var re *RedirectError
					if !errors.As(err, &re) {
						t.Fatalf("err = %v, want a *RedirectError", err)
					}
					if re.StatusCode != code || re.From != h.srv.URL || re.To != target {
						t.Errorf("RedirectError = %+v, want %d from %s to %s", *re, code, h.srv.URL, target)
					}
					if n := reached.Load() - before; n != 0 {
						t.Errorf("the other origin got %d requests", n)
					}
					if n := h.count(route); n != 1 {
						t.Errorf("%s was sent %d times, want 1 (a refused redirect is not retried)", route, n)
					}
					if found := secretsIn(err.Error()); len(found) > 0 {
						t.Errorf("error shows %v: %v", found, err)
					}
				})
			}
		}
	}
}

func TestSameOriginRedirectIsFollowed(t *testing.T) {
	h := newHarness(t)
	h.route(routeResult, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, "/moved/result?"+r.URL.RawQuery, http.StatusTemporaryRedirect)
	})
	var auth string
	h.route("GET /moved/result", func(w http.ResponseWriter, r *http.Request, _ int) {
		auth = r.Header.Get("Authorization")
		writeJSON(w, 200, resultOK)
	})
	if err := journeyResult(h.c); err != nil {
		t.Fatal(err)
	}
	if user, pass, ok := (&http.Request{Header: http.Header{"Authorization": {auth}}}).BasicAuth(); !ok || user != testKey || pass != testSecret {
		t.Errorf("the redirected request carried %q, want the Basic credentials", auth)
	}
}

// TestTransportErrorsAreScrubbed: a redirect within the origin to a URL that
// quotes the secret, then a lost connection: the *url.Error names that URL.
func TestTransportErrorsAreScrubbed(t *testing.T) {
	var logs strings.Builder
	h := newHarness(t, func(c *Config) { c.Retry.MaxAttempts = 1; c.Logger = debugLogger(&logs) })
	h.route(routeResult, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, "/moved?echo="+url.QueryEscape(testSecret)+"&basic="+url.QueryEscape(r.Header.Get("Authorization")), http.StatusFound)
	})
	h.route("GET /moved", func(w http.ResponseWriter, _ *http.Request, _ int) { hangUp(w) })
	err := journeyResult(h.c)
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want a *url.Error inside", err)
	}
	if !strings.Contains(err.Error(), "/moved?echo=") || !strings.Contains(err.Error(), redacted) {
		t.Errorf("err = %v, want the redirect's URL with the secret replaced", err)
	}
	for what, s := range map[string]string{"error": err.Error(), "%+v": fmt.Sprintf("%+v", err), "url.Error.URL": ue.URL, "log": logs.String()} {
		if found := secretsIn(s); len(found) > 0 {
			t.Errorf("%s shows %v: %s", what, found, s)
		}
	}
}

func debugLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// streamJSON answers with a JSON document of about n bytes, generated as it
// is sent.
func streamJSON(status int, n int64) func(w http.ResponseWriter, r *http.Request, _ int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"success":false,"message":"`)
		_, _ = io.Copy(w, io.LimitReader(repeat('a'), n))
		_, _ = io.WriteString(w, `"}`)
	}
}

type repeat byte

func (b repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// allocated returns the bytes the process allocated while f ran.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestHugeBodiesCostBoundedMemory(t *testing.T) {
	const huge = 100 << 20
	const MiB = 1 << 20
	tests := []struct {
		name   string
		route  string
		status int
		call   func(*Client) error
		bound  uint64 // bytes allocated, at most
	}{
		// An error body is read up to transport.ErrorReadLimit (80 KiB).
		{"error of a read", routeResult, 400, journeyResult, 4 * MiB},
		{"error of a write", routeStart, 400, startJourney, 4 * MiB},
		// A success body over the limit is an error; io.ReadAll's growing
		// chunks and final copy make its cost about twice the limit, four
		// times under the race detector.
		{"success of a read", routeResult, 200, journeyResult, 5 * DefaultMaxResponseBytes},
		{"success of a write", routeStart, 200, startJourney, 5 * DefaultMaxResponseBytes},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.route(tc.route, streamJSON(tc.status, huge))
			var err error
			n := allocated(func() { err = tc.call(h.c) })
			t.Logf("%s: %.1f MiB allocated", tc.name, float64(n)/MiB)
			if n > tc.bound {
				t.Errorf("a %d MiB body allocated %.1f MiB, want at most %.1f MiB", huge/MiB, float64(n)/MiB, float64(tc.bound)/MiB)
			}
			if tc.status >= 400 {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status || len(apiErr.Body) != maxErrorBody {
					t.Fatalf("err = %v, want an *APIError with %d bytes of body", err, maxErrorBody)
				}
			} else if !errors.Is(err, ErrResponseTooLarge) || !strings.Contains(err.Error(), "larger than 16 MiB (Config.MaxResponseBytes)") {
				t.Errorf("err = %v, want ErrResponseTooLarge naming the limit", err)
			}
			if n := h.count(tc.route); n != 1 {
				t.Errorf("sent %d times, want 1 (a longer body would not be shorter the next time)", n)
			}
		})
	}
}

func TestMaxResponseBytes(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.MaxResponseBytes = int64(len(resultOK)) })
	h.route(routeResult, reply(resultOK))
	if err := journeyResult(h.c); err != nil {
		t.Fatalf("a body of exactly the limit: %v", err)
	}
	h = newHarness(t, func(c *Config) { c.MaxResponseBytes = int64(len(resultOK)) - 1 })
	h.route(routeResult, reply(resultOK))
	err := journeyResult(h.c)
	want := fmt.Sprintf("larger than %d bytes (Config.MaxResponseBytes)", len(resultOK)-1)
	if !errors.Is(err, ErrResponseTooLarge) || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want ErrResponseTooLarge with %q", err, want)
	}
	if _, err := New(Config{APIKey: testKey, APISecret: testSecret, MaxResponseBytes: -1}); err == nil {
		t.Error("a negative MaxResponseBytes was accepted")
	}
}

// TestSecretAtTheErrorBodyCut: the error keeps the first 64 KiB of the body;
// a secret the server quotes across that cut is replaced whole, not left
// with its first bytes.
func TestSecretAtTheErrorBodyCut(t *testing.T) {
	for _, at := range []int{maxErrorBody - 5, maxErrorBody - 1, maxErrorBody - len(testSecret)} {
		h := newHarness(t)
		body := `{"message":"` + strings.Repeat("a", at-len(`{"message":"`)) + testSecret + strings.Repeat("b", 1000) + `"}`
		h.route(routeResult, func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, 400, body) })
		var apiErr *APIError
		if err := journeyResult(h.c); !errors.As(err, &apiErr) {
			t.Fatalf("err = %v, want an *APIError", err)
		}
		if len(apiErr.Body) != maxErrorBody {
			t.Errorf("secret at %d: %d bytes of body kept, want %d", at, len(apiErr.Body), maxErrorBody)
		}
		if tail := apiErr.Body[at:]; strings.HasPrefix(testSecret, string(tail)) {
			t.Errorf("secret at %d: the body ends in %q, the start of the secret", at, tail)
		}
	}
}

// TestEchoedCredentialsScrubbedInEveryForm: a server (or a proxy before it)
// quoting the request back in a JSON message: the credentials verbatim,
// URL-encoded and in base64, and the Basic header in the URL alphabet.
func TestEchoedCredentialsScrubbedInEveryForm(t *testing.T) {
	const key, secret = "key/with+plus=", `sp3c!al/secret+"value"=&é`
	h := newHarness(t, func(c *Config) { c.APIKey, c.APISecret = key, secret })
	// The forms as the message quotes them; the body holds the message
	// JSON-encoded, so each of them escaped once more.
	forms := func(s string) []string {
		return []string{s, url.QueryEscape(s), url.PathEscape(s),
			base64.StdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s))}
	}
	var all []string
	for _, s := range []string{key, secret} {
		all = append(all, forms(s)...)
	}
	all = append(all, base64.URLEncoding.EncodeToString([]byte(key+":"+secret)))
	h.route(routeResult, func(w http.ResponseWriter, r *http.Request, _ int) {
		msg, _ := json.Marshal("you sent " + strings.Join(all, " | ") + " | " + r.Header.Get("Authorization"))
		writeJSON(w, 401, `{"success":false,"message":`+string(msg)+`,"error_code":"invalid_credentials"}`)
	})
	err := journeyResult(h.c)
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want an *APIError", err)
	}
	if n := strings.Count(apiErr.Message, redacted); n != len(all)+1 {
		t.Errorf("Message has %d redactions, want %d: %s", n, len(all)+1, apiErr.Message)
	}
	for what, s := range map[string]string{"Error()": err.Error(), "Message": apiErr.Message, "Body": string(apiErr.Body), "%#v": fmt.Sprintf("%#v", err)} {
		for _, f := range all {
			j, _ := json.Marshal(f) // as the Body quotes it
			if strings.Contains(s, f) || strings.Contains(s, string(j[1:len(j)-1])) {
				t.Errorf("%s holds %q: %s", what, f, s)
			}
		}
	}
}
