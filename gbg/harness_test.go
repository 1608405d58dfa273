package gbg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	testClientID = "client-id-123"
	testSecret   = "s3cr3t-client-value"
	testUser     = "alice@example.org"
	testPassword = "pa55word-value"
	testInstance = "0123456789abcdef0123"
	testTask     = "task-0123456789abcdef"
	testResource = "b7c1f2c5d8e9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5@latest"
)

// recorded is one request the fake server received.
type recorded struct {
	Method, Path, Auth, ContentType string
	Body                            string
	Form                            url.Values
}

// fake is a GBG GO server: a token endpoint handing out tok-1, tok-2, … and
// API routes set by each test. It records every request.
type fake struct {
	t   *testing.T
	srv *httptest.Server

	mu        sync.Mutex
	reqs      []recorded
	tokens    int
	counts    map[string]int
	routes    map[string]func(w http.ResponseWriter, r *http.Request, n int)
	tokenFunc func(w http.ResponseWriter, r *http.Request, n int)
	expiresIn int
}

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{t: t, counts: map[string]int{}, routes: map[string]func(http.ResponseWriter, *http.Request, int){}, expiresIn: 3600}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec := recorded{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"), ContentType: r.Header.Get("Content-Type"), Body: string(body)}
	if r.URL.Path == "/as/token.oauth2" {
		rec.Form, _ = url.ParseQuery(string(body))
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, rec)
	f.counts[r.URL.Path]++
	n := f.counts[r.URL.Path]
	route := f.routes[r.URL.Path]
	tokenFunc := f.tokenFunc
	if r.URL.Path == "/as/token.oauth2" {
		f.tokens++
		n = f.tokens
	}
	exp := f.expiresIn
	f.mu.Unlock()
	w.Header().Set("X-Request-ID", fmt.Sprintf("req-%s-%d", strings.ReplaceAll(strings.TrimPrefix(r.URL.Path, "/"), "/", "."), n))
	if r.URL.Path == "/as/token.oauth2" {
		if tokenFunc != nil {
			tokenFunc(w, r, n)
			return
		}
		writeJSON(w, 200, fmt.Sprintf(`{"access_token":"tok-%d","token_type":"Bearer","expires_in":%d}`, n, exp))
		return
	}
	if route == nil {
		writeJSON(w, 404, `{"status":404,"message":"no route","error":"Not Found"}`)
		return
	}
	route(w, r, n)
}

func (f *fake) route(path string, h func(w http.ResponseWriter, r *http.Request, n int)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[path] = h
}

// reply makes a route answer every request with status and body.
func (f *fake) reply(path string, status int, body string) {
	f.route(path, func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, status, body) })
}

func (f *fake) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[path]
}

func (f *fake) tokenFetches() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokens
}

// requests returns the recorded requests to path.
func (f *fake) requests(path string) []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []recorded
	for _, r := range f.reqs {
		if r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

func (f *fake) last(path string) recorded {
	f.t.Helper()
	rs := f.requests(path)
	if len(rs) == 0 {
		f.t.Fatalf("no request to %s", path)
	}
	return rs[len(rs)-1]
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// testClock is a settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// sleeps records the waits of a client instead of sleeping.
type sleeps struct {
	mu     sync.Mutex
	waits  []time.Duration
	onWait func(n int)
}

func (s *sleeps) list() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

type harness struct {
	*fake
	c     *Client
	clock *testClock
	sleep *sleeps
}

// newHarness returns a fake server and a client for it whose sleeps are
// recorded rather than slept, whose jitter is the whole window, and whose
// clock stands still unless advanced.
func newHarness(t *testing.T, mutate ...func(*Config)) *harness {
	t.Helper()
	f := newFake(t)
	cfg := Config{
		BaseURL:      f.srv.URL,
		TokenURL:     f.srv.URL + "/as/token.oauth2",
		ClientID:     testClientID,
		ClientSecret: testSecret,
		HTTPClient:   f.srv.Client(),
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{fake: f, c: c, clock: &testClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}, sleep: &sleeps{}}
	c.st.now = h.clock.Now
	c.st.jitter = func(n int64) int64 { return n }
	c.st.sleep = func(ctx context.Context, d time.Duration) error {
		h.sleep.mu.Lock()
		h.sleep.waits = append(h.sleep.waits, d)
		n := len(h.sleep.waits)
		on := h.sleep.onWait
		h.sleep.mu.Unlock()
		if on != nil {
			on(n)
		}
		return ctx.Err()
	}
	return h
}

// jsonEqual fails unless got and want are the same JSON text, byte for byte.
func jsonEqual(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n got %s\nwant %s", what, got, want)
	}
	if !json.Valid([]byte(got)) {
		t.Errorf("%s: not valid JSON: %s", what, got)
	}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
