package gbg

import (
	"bytes"
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
	"time"

	"github.com/gbggen/gbggen/internal/transport"
)

// The tests in this file hold the promises of the README's Security section:
// secrets and tokens echoed by a server never reach an error or a log, no
// credential follows a redirect to another origin, a huge body costs a
// bounded amount of memory, a huge Retry-After cannot make the client spin,
// and credentials go to the token endpoint of the platform they are meant
// for.

// Secrets with characters that URL and JSON encodings change, so that a
// scrubber that knows only the literal misses their encoded forms.
const (
	hostileSecret   = "sp3c!al/secret+value=&é"
	hostilePassword = "p@ss word/with:colon?"
	hostileToken    = "at~abc/def+ghi=jkl!é"
	hostileConnect  = "ct_connect-token-0123456789"
	hostileEndUser  = "eyJhbGciOi.end/user+token=="
)

// echoForms is every way a server might echo s: as it is, URL-encoded as a
// query value and as a path segment, and in the four base64 encodings.
func echoForms(s string) map[string]string {
	b := []byte(s)
	return map[string]string{
		"raw":            s,
		"QueryEscape":    url.QueryEscape(s),
		"PathEscape":     url.PathEscape(s),
		"base64 std":     base64.StdEncoding.EncodeToString(b),
		"base64 url":     base64.URLEncoding.EncodeToString(b),
		"base64 raw std": base64.RawStdEncoding.EncodeToString(b),
		"base64 raw url": base64.RawURLEncoding.EncodeToString(b),
	}
}

// echo is a text holding every form of every secret, as a server that
// quotes what it received would write it; the Basic form of the client
// credentials (base64 of "id:secret", where the secret does not start on a
// base64 boundary) included.
func echo(secrets ...string) string {
	var parts []string
	for _, s := range secrets {
		for _, f := range echoForms(s) {
			parts = append(parts, f)
		}
	}
	parts = append(parts, "Basic "+base64.StdEncoding.EncodeToString([]byte(testClientID+":"+hostileSecret)))
	return "you sent " + strings.Join(parts, " | ")
}

// assertNoForms fails if s holds any form of any secret.
func assertNoForms(t *testing.T, what, s string, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		for name, f := range echoForms(secret) {
			if strings.Contains(s, f) {
				t.Errorf("%s leaks %s %q (%s form):\n%s", what, secret, f, name, s)
			}
		}
	}
	basic := base64.StdEncoding.EncodeToString([]byte(testClientID + ":" + hostileSecret))
	if strings.Contains(s, basic[len(basic)/2:]) {
		t.Errorf("%s leaks the base64 of id:secret:\n%s", what, s)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// echoBodies are error bodies that quote text in every member the client
// reads: v1 message and error, v2 code, name, location, problem and action,
// and violations.
var echoBodies = map[string]func(text string) string{
	"v1": func(text string) string {
		return `{"status":400,"message":` + jsonString(text) + `,"error":` + jsonString(text) + `}`
	},
	"v2": func(text string) string {
		q := jsonString(text)
		return `{"errors":[{"code":` + q + `,"name":` + q + `,"location":` + q + `,"problem":` + q + `,"action":` + q + `}]}`
	},
	"violations": func(text string) string {
		return `{"status":400,"message":"invalid","violations":[{"pointer":` + jsonString("/"+text) + `,"message":` + jsonString(text) + `}]}`
	},
}

// echoingServer answers the token endpoint with hostileToken and every
// other path with status 400, a body made by body and an X-Request-ID, all
// quoting, in every form, the request's bearer token, the client secret and
// password, and the access token.
func echoingServer(t *testing.T, body func(string) string) *fake {
	f := newFake(t)
	f.tokenFunc = func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, 200, `{"access_token":`+jsonString(hostileToken)+`,"token_type":"Bearer","expires_in":3600}`)
	}
	handler := func(w http.ResponseWriter, r *http.Request, _ int) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		text := echo(tok, hostileSecret, hostilePassword, hostileToken)
		w.Header().Set("X-Request-ID", "req-"+tok)
		writeJSON(w, 400, body(text))
	}
	for _, p := range []string{pTaskList, pStart, pTaskUpdate, pDevConnect} {
		f.route(p, handler)
	}
	f.route(pInterSubmit, func(w http.ResponseWriter, r *http.Request, _ int) {
		text := echo(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), hostileSecret, hostilePassword)
		writeJSON(w, 200, `{"status":"error","code":`+jsonString(text)+`,"message":`+jsonString(text)+`}`)
	})
	return f
}

func hostileClient(t *testing.T, f *fake, logger *slog.Logger, mutate ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		BaseURL: f.srv.URL, TokenURL: f.srv.URL + pToken, HTTPClient: f.srv.Client(),
		ClientID: testClientID, ClientSecret: hostileSecret, Username: testUser, Password: hostilePassword,
		Logger: logger,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.st.sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	return c
}

// checkScrubbed fails if err, in any rendering and any field of its
// *APIError, holds a form of a secret.
func checkScrubbed(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Error("call failed", "err", err)
	slog.New(slog.NewJSONHandler(&js, nil)).Error("call failed", "err", err)
	renderings := map[string]string{
		"Error()": err.Error(), "%v": fmt.Sprintf("%v", err), "%+v": fmt.Sprintf("%+v", err),
		"%#v": fmt.Sprintf("%#v", err), "slog text": text.String(), "slog JSON": js.String(),
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		renderings["Body"] = string(apiErr.Body)
		renderings["fields"] = fmt.Sprintf("%+v %+v %+v", *apiErr, apiErr.Details, apiErr.Violations)
	}
	for what, s := range renderings {
		assertNoForms(t, what, s, secrets...)
	}
	if !strings.Contains(err.Error(), redacted) {
		t.Errorf("Error() = %s, want the echoed secrets replaced by %s", err, redacted)
	}
}

func TestErrorsScrubEchoedSecrets(t *testing.T) {
	all := []string{hostileSecret, hostilePassword, hostileToken, hostileConnect, hostileEndUser}
	calls := map[string]func(c *Client, f *fake) error{
		"access token": func(c *Client, _ *fake) error { _, err := c.ListTasks(context.Background(), testInstance); return err },
		"write": func(c *Client, _ *fake) error {
			_, err := c.StartJourney(context.Background(), testResource, nil)
			return err
		},
		"connect token": func(c *Client, _ *fake) error {
			_, err := c.ConnectDevice(context.Background(), hostileConnect, DeviceInfo{ID: "d"})
			return err
		},
		"end-user token": func(c *Client, f *fake) error {
			f.reply(pDevConnect, 200, `{"endUserToken":`+jsonString(hostileEndUser)+`,"expiresIn":60}`)
			d, err := c.ConnectDevice(context.Background(), "ct_other-connect-token", DeviceInfo{ID: "d"})
			if err != nil {
				return err
			}
			return d.UpdateTask(context.Background(), testInstance, testTask, IntentSave, nil)
		},
	}
	for bodyName, body := range echoBodies {
		for callName, call := range calls {
			t.Run(bodyName+"/"+callName, func(t *testing.T) {
				var log bytes.Buffer
				f := echoingServer(t, body)
				c := hostileClient(t, f, slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})))
				if _, err := c.tokens.token(context.Background()); err != nil { // learn hostileToken
					t.Fatal(err)
				}
				err := call(c, f)
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
					t.Fatalf("err = %v, want an *APIError with status 400", err)
				}
				checkScrubbed(t, err, all...)
				assertNoForms(t, "debug log", log.String(), all...)
			})
		}
	}
	t.Run("interaction submission", func(t *testing.T) {
		f := echoingServer(t, echoBodies["v1"])
		c := hostileClient(t, f, nil)
		err := c.SubmitInteraction(context.Background(), testInstance, "int-1", nil)
		checkScrubbed(t, err, all...)
	})
}

// TestScrubLearnsConnectTokens: a connect token the client was given by
// StartDevice is scrubbed from a later error of another call.
func TestScrubLearnsConnectTokens(t *testing.T) {
	f := echoingServer(t, echoBodies["v2"])
	f.reply(pDevStart, 200, `{"connectToken":`+jsonString(hostileConnect)+`,"tokenType":"connect","expiresIn":120}`)
	c := hostileClient(t, f, nil)
	if _, err := c.StartDevice(context.Background(), testInstance, ScopeAny); err != nil {
		t.Fatal(err)
	}
	_, err := c.StartJourney(context.Background(), testResource, nil)
	checkScrubbed(t, err, hostileConnect, hostileToken, hostileSecret)
}

// TestTokenEndpointEchoScrubbed: a token endpoint that echoes the form it
// got (URL-encoded, as it was sent) in its error description.
func TestTokenEndpointEchoScrubbed(t *testing.T) {
	for _, grant := range []string{"password", "client_credentials"} {
		t.Run(grant, func(t *testing.T) {
			f := newFake(t)
			f.tokenFunc = func(w http.ResponseWriter, r *http.Request, _ int) {
				form := f.last(pToken).Body
				if !strings.Contains(form, url.QueryEscape(hostileSecret)) {
					t.Errorf("form %q does not hold the secret URL-encoded", form)
				}
				w.Header().Set("X-Request-ID", form)
				writeJSON(w, 400, `{"error":`+jsonString(form)+`,"error_description":`+jsonString(form+" "+echo(hostileSecret, hostilePassword))+`}`)
			}
			c := hostileClient(t, f, nil, func(c *Config) {
				if grant == "client_credentials" {
					c.Username = ""
				}
			})
			_, err := c.ListTasks(context.Background(), testInstance)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.Op != "GetToken" {
				t.Fatalf("err = %v, want the *APIError of GetToken", err)
			}
			checkScrubbed(t, err, hostileSecret, hostilePassword)
		})
	}
}

func TestScrubberForms(t *testing.T) {
	s := transport.NewScrubber(hostileSecret)
	s.Learn(hostileToken)
	for _, secret := range []string{hostileSecret, hostileToken} {
		for name, f := range echoForms(secret) {
			got := s.Scrub("<" + f + ">")
			assertNoForms(t, name, got, secret)
			if !strings.Contains(got, redacted) {
				t.Errorf("%s: scrub(%q) = %q", name, f, got)
			}
		}
		// A secret inside a longer base64 text, at each of the three
		// alignments.
		for _, prefix := range []string{"", "a", "ab"} {
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
				whole := enc.EncodeToString([]byte(prefix + secret + "tail"))
				if got := s.Scrub(whole); !strings.Contains(got, redacted) {
					t.Errorf("base64 of %q+secret: scrub(%q) = %q", prefix, whole, got)
				}
			}
		}
	}
	if got := s.Scrub("nothing to hide"); got != "nothing to hide" {
		t.Errorf("scrub changed innocent text: %q", got)
	}
	// Learned tokens are bounded: the oldest are forgotten, the configured
	// secrets never.
	for i := range transport.MaxLearned + 5 {
		s.Learn(fmt.Sprintf("token-number-%03d", i))
	}
	if got := s.Scrub("token-number-000"); got != "token-number-000" {
		t.Errorf("the oldest learned token is still scrubbed: %q", got)
	}
	if got := s.Scrub(fmt.Sprintf("token-number-%03d %s", transport.MaxLearned+4, hostileSecret)); strings.Contains(got, "token-number") || strings.Contains(got, hostileSecret) {
		t.Errorf("scrub = %q", got)
	}
}

// otherServer is a server that must never be reached: it counts requests.
func otherServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		writeJSON(w, 200, `{"access_token":"stolen","token_type":"Bearer","expires_in":3600}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRedirectsToAnotherOriginAreRefused(t *testing.T) {
	other, reached := otherServer(t)
	port := mustParse(t, other.URL).Port()
	targets := map[string]string{
		"same hostname, other port": other.URL,
		"other hostname":            "http://localhost:" + port,
	}
	for targetName, target := range targets {
		for _, code := range []int{301, 302, 303, 307, 308} {
			for _, from := range []string{pToken, pTaskList, pStart} {
				t.Run(fmt.Sprintf("%s/%d/%s", targetName, code, from), func(t *testing.T) {
					h := newHarness(t, func(c *Config) { c.Username, c.Password = testUser, testPassword })
					redirect := func(w http.ResponseWriter, r *http.Request, _ int) {
						http.Redirect(w, r, target+r.URL.Path+"?echo="+url.QueryEscape(testSecret), code)
					}
					if from == pToken {
						h.tokenFunc = redirect
					} else {
						h.route(from, redirect)
					}
					before := reached.Load()
					var err error
					if from == pStart {
						_, err = h.c.StartJourney(context.Background(), testResource, nil)
					} else {
						err = listTasks(h.c)
					}
					var re *RedirectError
					if !errors.As(err, &re) {
						t.Fatalf("err = %v, want a *RedirectError", err)
					}
					if re.StatusCode != code || re.From != h.srv.URL || re.To != strings.TrimSuffix(target, "/") {
						t.Errorf("RedirectError = %+v, want %d from %s to %s", *re, code, h.srv.URL, target)
					}
					if n := reached.Load() - before; n != 0 {
						t.Errorf("the other origin got %d requests", n)
					}
					if n := h.count(from); n != 1 {
						t.Errorf("%s was sent %d times, want 1 (a refused redirect is not retried)", from, n)
					}
					assertNoSecrets(t, "error", err.Error(), hostileToken, "tok-1")
				})
			}
		}
	}
}

func TestSameOriginRedirectIsFollowed(t *testing.T) {
	h := newHarness(t)
	h.route(pTaskList, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, "/moved/task/list", http.StatusTemporaryRedirect)
	})
	h.route("/moved/task/list", func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.Header.Get("Authorization") != "Bearer tok-1" {
			writeJSON(w, 401, `{"status":401,"message":"no token"}`)
			return
		}
		writeJSON(w, 200, taskListOK)
	})
	if err := listTasks(h.c); err != nil {
		t.Fatal(err)
	}
	if r := h.last("/moved/task/list"); r.Body != `{"instanceId":"`+testInstance+`"}` {
		t.Errorf("redirected body = %q, want the original body re-sent", r.Body)
	}
}

func mustParse(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// filler streams n bytes of 'a' without holding them.
type filler struct{ n int64 }

func (f *filler) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), f.n)]
	for i := range p {
		p[i] = 'a'
	}
	f.n -= int64(len(p))
	return len(p), nil
}

// streamJSON answers with status and a JSON body of about n bytes,
// generated as it is written.
func streamJSON(status int, n int64) func(w http.ResponseWriter, r *http.Request, _ int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"message":"`)
		_, _ = io.Copy(w, &filler{n})
		_, _ = io.WriteString(w, `"}`)
	}
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
		path   string
		status int
		call   func(c *Client) error
		bound  uint64 // bytes allocated, at most
	}{
		// An error body is cut at maxErrorBody (0.4 MiB measured, 240 MiB
		// before).
		{"error of a read", pTaskList, 500, listTasks, 4 * MiB},
		{"error of a write", pStart, 400, func(c *Client) error { _, err := c.StartJourney(context.Background(), testResource, nil); return err }, 4 * MiB},
		// A success body over the limit is an error; what was read up to
		// the limit is what it costs: io.ReadAll's growing chunks and final
		// copy make that twice the limit (34.6 MiB measured), four times
		// under the race detector (69 MiB), against 240 MiB (481 MiB for a
		// read, which was read twice) before the limit.
		{"success of a read", pTaskList, 200, listTasks, 5 * DefaultMaxResponseBytes},
		{"success of a write", pStart, 201, func(c *Client) error { _, err := c.StartJourney(context.Background(), testResource, nil); return err }, 5 * DefaultMaxResponseBytes},
		{"success through API()", pTaskList, 200, func(c *Client) error {
			_, err := c.API().ListTasksWithBodyWithResponse(context.Background(), jsonType, strings.NewReader(`{"instanceId":"x"}`))
			return err
		}, 5 * DefaultMaxResponseBytes},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			if _, err := h.c.tokens.token(context.Background()); err != nil {
				t.Fatal(err)
			}
			h.route(tc.path, streamJSON(tc.status, huge))
			var err error
			n := allocated(func() { err = tc.call(h.c) })
			t.Logf("%s: %.1f MiB allocated", tc.name, float64(n)/MiB)
			if n > tc.bound {
				t.Errorf("a %d MiB body allocated %.1f MiB, want at most %.1f MiB", huge/MiB, float64(n)/MiB, float64(tc.bound)/MiB)
			}
			if err == nil {
				t.Fatal("no error")
			}
			if tc.status >= 400 {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status || len(apiErr.Body) != maxErrorBody {
					t.Fatalf("err = %v, want an *APIError with %d bytes of body", err, maxErrorBody)
				}
			} else if !strings.Contains(err.Error(), "16 MiB") {
				t.Errorf("err = %v, want it to name the limit", err)
			}
			if n := h.count(tc.path); n != 1 {
				t.Errorf("sent %d times, want 1", n)
			}
		})
	}
}

func TestMaxResponseBytes(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.MaxResponseBytes = 100 })
	h.route(pTaskList, streamJSON(200, 200))
	err := listTasks(h.c)
	if err == nil || !strings.Contains(err.Error(), "larger than 100 bytes") {
		t.Errorf("err = %v, want the limit of 100 bytes", err)
	}
	h.route(pTaskList, streamJSON(200, 50))
	if err := listTasks(h.c); err != nil {
		t.Errorf("a body within the limit: %v", err)
	}
	if _, err := New(Config{ClientID: "id", ClientSecret: "s", MaxResponseBytes: -1}); err == nil || !strings.Contains(err.Error(), "MaxResponseBytes") {
		t.Errorf("a negative limit: err = %v", err)
	}
}

func TestParseRetryAfterIsClamped(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"7", 7 * time.Second, true},
		{"0", 0, true},
		{"9999999999", transport.RetryAfterCap, true},
		{"99999999999999999999999999", transport.RetryAfterCap, true},
		{"86400", transport.RetryAfterCap, true},
		{"86399", 86399 * time.Second, true},
		{"Fri, 31 Dec 9999 23:59:59 GMT", transport.RetryAfterCap, true},
		{"Thu, 02 Jan 2025 03:04:35 GMT", 30 * time.Second, true},
		{"Wed, 01 Jan 2025 00:00:00 GMT", 0, true},
		{"-1", 0, false},
		{"+5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
	} {
		h := http.Header{"Retry-After": {tc.header}}
		got, ok := transport.RetryAfter(h, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Retry-After %q = %v, %v; want %v, %v", tc.header, got, ok, tc.want, tc.ok)
		}
	}
}

func TestHugeRetryAfterEndsTheCall(t *testing.T) {
	for _, header := range []string{"9999999999", "Fri, 31 Dec 9999 23:59:59 GMT"} {
		t.Run(header, func(t *testing.T) {
			h := newHarness(t)
			h.route(pTaskList, sequence(status(429, "Retry-After", header), ok(taskListOK)))
			err := listTasks(h.c)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || apiErr.RetryAfter != transport.RetryAfterCap {
				t.Fatalf("err = %#v, want the 429 with RetryAfter %v", err, transport.RetryAfterCap)
			}
			if n := h.count(pTaskList); n != 1 {
				t.Errorf("sent %d times, want 1", n)
			}
			if w := h.sleep.list(); len(w) != 0 {
				t.Errorf("waits %v, want none", w)
			}
		})
	}
	// A caller that accepts any wait waits no more than the clamp, and not
	// past its deadline.
	h := newHarness(t, func(c *Config) { c.Retry.MaxRetryAfter = 1000 * time.Hour })
	h.route(pTaskList, sequence(status(429, "Retry-After", "9999999999"), ok(taskListOK)))
	if err := listTasks(h.c); err != nil {
		t.Fatal(err)
	}
	if w := h.sleep.list(); len(w) != 1 || w[0] != transport.RetryAfterCap {
		t.Errorf("waits %v, want [%v]", w, transport.RetryAfterCap)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	h.route(pTaskList, sequence(status(429, "Retry-After", "9999999999")))
	_, err := h.c.ListTasks(ctx, testInstance)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 {
		t.Fatalf("err = %v, want the 429 at once", err)
	}
	if w := h.sleep.list(); len(w) != 1 {
		t.Errorf("waits %v: a wait past the deadline was begun", w)
	}
}

// onlyHost is a transport that refuses every host but one, so that a test
// can never send credentials to a real GBG host.
type onlyHost struct {
	host  string
	base  http.RoundTripper
	asked atomic.Value // the last host refused
}

func (o *onlyHost) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != o.host {
		o.asked.Store(r.URL.Host)
		return nil, fmt.Errorf("test transport: refusing to contact %s", r.URL.Host)
	}
	return o.base.RoundTrip(r)
}

func TestTokenURLFollowsBaseURL(t *testing.T) {
	f := newFake(t)
	f.reply(pTaskList, 200, taskListOK)
	u, _ := url.Parse(f.srv.URL)
	tr := &onlyHost{host: u.Host, base: f.srv.Client().Transport}
	c, err := New(Config{BaseURL: f.srv.URL + "/", ClientID: testClientID, ClientSecret: testSecret, HTTPClient: &http.Client{Transport: tr}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.TokenURL(), f.srv.URL+pToken; got != want {
		t.Errorf("TokenURL() = %s, want %s", got, want)
	}
	if err := listTasks(c); err != nil {
		t.Fatalf("%v (refused host %v)", err, tr.asked.Load())
	}
	if r := f.last(pToken); r.Form.Get("client_secret") != testSecret {
		t.Errorf("token request %+v", r)
	}

	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, DefaultTokenURL},
		{Config{Region: AU}, DefaultTokenURL},
		{Config{BaseURL: "http://localhost:8080/gbg/"}, "http://localhost:8080/gbg/as/token.oauth2"},
		{Config{BaseURL: "https://us.platform.go.gbgplc.com"}, DefaultTokenURL},
		{Config{BaseURL: "https://EU.platform.go.gbgplc.com/"}, DefaultTokenURL},
		{Config{BaseURL: "http://localhost:8080", TokenURL: "https://auth.example/token"}, "https://auth.example/token"},
	} {
		tc.cfg.ClientID, tc.cfg.ClientSecret = "id", "secret"
		c, err := New(tc.cfg)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.TokenURL(); got != tc.want {
			t.Errorf("BaseURL %q, TokenURL %q: token URL %s, want %s", tc.cfg.BaseURL, tc.cfg.TokenURL, got, tc.want)
		}
	}
}

// TestRedirectURLInErrorScrubbed: a transport error after a redirect
// within the origin names the Location, which may echo a secret.
func TestRedirectURLInErrorScrubbed(t *testing.T) {
	h := newHarness(t)
	h.route(pStart, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, "/moved?echo="+url.QueryEscape(r.Header.Get("Authorization")+" "+testSecret), http.StatusTemporaryRedirect)
	})
	h.route("/moved", func(w http.ResponseWriter, _ *http.Request, _ int) { hangUp(w) })
	_, err := h.c.StartJourney(context.Background(), testResource, nil)
	var ue *url.Error
	if !errors.As(err, &ue) || !strings.Contains(ue.URL, "/moved?echo=") {
		t.Fatalf("err = %v, want a *url.Error for /moved", err)
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%#v", err), ue.Error(), ue.URL} {
		assertNoForms(t, "error", s, testSecret, "tok-1")
	}
}

// TestSecretAtTheErrorBodyCut: the error keeps the first 64 KiB of the body;
// a secret the server quotes across that cut is replaced whole, not left
// with its first bytes (the body is scrubbed before it is cut).
func TestSecretAtTheErrorBodyCut(t *testing.T) {
	for _, at := range []int{maxErrorBody - 5, maxErrorBody - 1} {
		h := newHarness(t)
		body := `{"message":"` + strings.Repeat("a", at-len(`{"message":"`)) + testSecret + strings.Repeat("b", 1000) + `"}`
		h.route(pTaskList, func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, 400, body) })
		var apiErr *APIError
		if err := listTasks(h.c); !errors.As(err, &apiErr) {
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
