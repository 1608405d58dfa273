package idwise

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	testKey     = "key-live-0123456789"
	testSecret  = "s3cr3t-api-value-9876"
	testJourney = "6568c0f1a2b3c4d5db3c96d"
	testFlow    = "flow-2ec919f7"
)

// recorded is one request the fake server received.
type recorded struct {
	Method, Path, RawQuery, Auth, ContentType string
	Body                                      []byte
}

// fake is an IDWise server whose routes ("METHOD /path") each test sets. It
// records every request.
type fake struct {
	t   *testing.T
	srv *httptest.Server

	mu     sync.Mutex
	reqs   []recorded
	counts map[string]int
	routes map[string]func(w http.ResponseWriter, r *http.Request, n int)
}

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{t: t, counts: map[string]int{}, routes: map[string]func(http.ResponseWriter, *http.Request, int){}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	key := r.Method + " " + r.URL.EscapedPath()
	f.mu.Lock()
	f.reqs = append(f.reqs, recorded{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), body})
	f.counts[key]++
	n := f.counts[key]
	h := f.routes[key]
	f.mu.Unlock()
	if h == nil {
		writeJSON(w, 404, `{"success":false,"message":"no route `+key+`","error_code":"not_found"}`)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	h(w, r, n)
}

func (f *fake) route(key string, h func(w http.ResponseWriter, r *http.Request, n int)) {
	f.mu.Lock()
	f.routes[key] = h
	f.mu.Unlock()
}

func (f *fake) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

func (f *fake) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[key]
}

func writeJSON(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}

func reply(body string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, 200, body) }
}

// clock is a fake time: sleeping advances it, and every requested wait is
// recorded.
type clock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func (c *clock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// harness is a Client wired to a fake server and a fake clock.
type harness struct {
	*fake
	c     *Client
	clock *clock
}

func newHarness(t *testing.T, edit ...func(*Config)) *harness {
	t.Helper()
	f := newFake(t)
	cfg := Config{BaseURL: f.srv.URL, APIKey: testKey, APISecret: testSecret}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	c.st.now, c.st.sleep = clk.now, clk.sleep
	c.st.jitter = func(n int64) int64 { return n / 2 }
	t.Cleanup(c.st.hc.CloseIdleConnections)
	return &harness{fake: f, c: c, clock: clk}
}

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	q, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	return q
}
