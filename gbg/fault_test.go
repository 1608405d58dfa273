package gbg

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// The tests in this file run the client against a hostile server: one that
// drops connections before or after reading the request, resets them before
// or after the response headers, lies about Content-Length, cuts bodies
// short, answers after the caller's deadline, and answers 429 or 5xx to
// everything. Each test checks what the caller gets (an *APIError when a
// status came back, a wrapped network or context error otherwise), how many
// requests reached the server (a start or an update that may have been
// processed is never sent again; reading calls are retried as the retry
// policy says), the waits the client asked for, and that no goroutine
// outlives the test. Time never decides an outcome: waits go through the
// sleep seam, and a deadline that must pass while the server holds a request
// passes when the server says so (serverDeadline).

// fault is what the hostile server does with the n-th request to a path (n
// counts from 1). It owns w and r; a fault that hijacks the connection
// closes it.
type fault func(w http.ResponseWriter, r *http.Request, n int)

// hostile is a test server on the loopback interface with a client bound to
// it. Paths without a fault answer 404, except the token endpoint, which
// hands out tok-1, tok-2, … unless it has a fault of its own.
type hostile struct {
	t   *testing.T
	srv *httptest.Server
	c   *Client

	// release ends every fault that is waiting, when the test ends.
	release chan struct{}

	mu     sync.Mutex
	counts map[string]int // requests per path whose headers reached the server
	faults map[string]fault
	waits  []time.Duration
	onWait func(n int) // called after the n-th wait is recorded
}

// newHostile starts a hostile server and a client with the seams of
// newHarness: a clock that stands still, jitter that takes the whole
// window, and waits that are recorded rather than slept (a wait returns the
// context's error, as transport.Sleep does once the context has ended). It checks
// that the test leaks no goroutine.
func newHostile(t *testing.T, mutate ...func(*Config)) *hostile {
	t.Helper()
	// Registered first, so it runs last: after the server, its handlers and
	// the client's connections are gone.
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })

	h := &hostile{t: t, release: make(chan struct{}), counts: map[string]int{}, faults: map[string]fault{}}
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.srv.Close)
	t.Cleanup(func() { close(h.release) }) // before Close, which waits for handlers

	cfg := Config{
		BaseURL:      h.srv.URL,
		TokenURL:     h.srv.URL + pToken,
		ClientID:     testClientID,
		ClientSecret: testSecret,
		HTTPClient:   h.srv.Client(),
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	c.st.now = clock.Now
	c.st.jitter = func(n int64) int64 { return n }
	c.st.sleep = func(ctx context.Context, d time.Duration) error {
		h.mu.Lock()
		h.waits = append(h.waits, d)
		n, on := len(h.waits), h.onWait
		h.mu.Unlock()
		if on != nil {
			on(n)
		}
		return ctx.Err()
	}
	h.c = c
	return h
}

func (h *hostile) serve(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.counts[r.URL.Path]++
	n := h.counts[r.URL.Path]
	f := h.faults[r.URL.Path]
	h.mu.Unlock()
	switch {
	case f != nil:
		f(w, r, n)
	case r.URL.Path == pToken:
		_, _ = io.Copy(io.Discard, r.Body)
		writeJSON(w, 200, fmt.Sprintf(`{"access_token":"tok-%d","token_type":"Bearer","expires_in":3600}`, n))
	default:
		writeJSON(w, 404, `{"status":404,"message":"no route"}`)
	}
}

func (h *hostile) set(path string, f fault) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults[path] = f
}

func (h *hostile) count(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.counts[path]
}

func (h *hostile) recordedWaits() []time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]time.Duration(nil), h.waits...)
}

// primeToken fetches the access token, so that a test's deadline and
// request counts concern the call under test only.
func (h *hostile) primeToken() {
	h.t.Helper()
	if _, err := h.c.tokens.token(context.Background()); err != nil {
		h.t.Fatal(err)
	}
}

// Faults. Each reads the request body first unless its name says otherwise.

func readBody(r *http.Request) { _, _ = io.Copy(io.Discard, r.Body) }

func hijack(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter) {
	conn, rw, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err) // HTTP/1.1 over TCP always hijacks
	}
	return conn, rw
}

// reset closes conn with an RST rather than a FIN.
func reset(conn net.Conn) {
	_ = conn.(*net.TCPConn).SetLinger(0)
	_ = conn.Close()
}

// dropBeforeBody closes the connection as soon as the request headers have
// arrived, without reading the body.
func dropBeforeBody(w http.ResponseWriter, _ *http.Request, _ int) {
	conn, _ := hijack(w)
	_ = conn.Close()
}

// dropAfterBody reads the whole request and closes the connection without
// answering, as a server that crashed while processing it.
func dropAfterBody(w http.ResponseWriter, r *http.Request, _ int) {
	readBody(r)
	conn, _ := hijack(w)
	_ = conn.Close()
}

// resetAfterBody reads the whole request and resets the connection.
func resetAfterBody(w http.ResponseWriter, r *http.Request, _ int) {
	readBody(r)
	conn, _ := hijack(w)
	reset(conn)
}

// resetAfterHeaders sends the status line and headers of a success, the
// first bytes of its body, and resets the connection.
func resetAfterHeaders(w http.ResponseWriter, r *http.Request, _ int) {
	readBody(r)
	w.Header().Set("Content-Type", jsonType)
	w.Header().Set("Content-Length", strconv.Itoa(len(okAll)))
	w.WriteHeader(200)
	_, _ = io.WriteString(w, okAll[:10])
	w.(http.Flusher).Flush()
	conn, _ := hijack(w)
	reset(conn)
}

// shortBody answers status with a Content-Length that promises all of body
// but sends only its first half, and closes the connection.
func shortBody(status int, body string) fault {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		readBody(r)
		w.Header().Set("Content-Type", jsonType)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body[:len(body)/2])
		w.(http.Flusher).Flush()
		conn, _ := hijack(w)
		_ = conn.Close()
	}
}

// cutChunked answers status with a chunked body holding the first half of
// body, and closes the connection before the last chunk.
func cutChunked(status int, body string) fault {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		readBody(r)
		w.Header().Set("Content-Type", jsonType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body[:len(body)/2])
		w.(http.Flusher).Flush()
		conn, _ := hijack(w)
		_ = conn.Close()
	}
}

// steps answers the n-th request with fs[n-1]; the last one repeats.
func steps(fs ...fault) fault {
	return func(w http.ResponseWriter, r *http.Request, n int) { fs[min(n, len(fs))-1](w, r, n) }
}

// answer replies status and body in full, with headers given as pairs.
func answer(status int, body string, headers ...string) fault {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		readBody(r)
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		writeJSON(w, status, body)
	}
}

func errorBody(code int) string { return `{"status":` + strconv.Itoa(code) + `,"message":"busy"}` }

// Calls.

type faultCall struct {
	name  string
	path  string
	write bool // changes something: never sent again once it may have been processed
	call  func(ctx context.Context, c *Client) error
}

var faultCalls = []faultCall{
	{"ListTasks", pTaskList, false, func(ctx context.Context, c *Client) error {
		_, err := c.ListTasks(ctx, testInstance)
		return err
	}},
	{"FetchStateV2", pStateV2, false, func(ctx context.Context, c *Client) error {
		_, err := c.FetchStateV2(ctx, testInstance)
		return err
	}},
	{"TaskSchema", pTaskSchema, false, func(ctx context.Context, c *Client) error {
		_, err := c.TaskSchema(ctx, testTask)
		return err
	}},
	{"StartJourney", pStart, true, func(ctx context.Context, c *Client) error {
		_, err := c.StartJourney(ctx, testResource, map[string]any{"subject": map[string]any{}})
		return err
	}},
	{"UpdateTask", pTaskUpdate, true, func(ctx context.Context, c *Client) error {
		return c.UpdateTask(ctx, testInstance, testTask, IntentComplete, nil)
	}},
	{"StartJourneyV2", pStartV2, true, func(ctx context.Context, c *Client) error {
		_, err := c.StartJourneyV2(ctx, testResource, DeliveryAPI, nil)
		return err
	}},
	{"SubmitInteraction", pInterSubmit, true, func(ctx context.Context, c *Client) error {
		return c.SubmitInteraction(ctx, testInstance, "int-1", nil)
	}},
}

// threeBackoffs are the waits of the default policy, jitter taking the whole
// window, before the second, third and fourth attempts.
var threeBackoffs = []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, 1000 * time.Millisecond}

// isConnError reports whether err wraps the cause of a lost connection: an
// EOF where the response or the rest of it should be, a reset, or another
// error of a socket operation.
func isConnError(err error) bool {
	var opErr *net.OpError
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.As(err, &opErr)
}

func TestFaultConnectionLost(t *testing.T) {
	faults := []struct {
		name  string
		fault fault
		cause error // what err must wrap; nil: any connection error
	}{
		{"dropped before the body is read", dropBeforeBody, nil},
		{"dropped after the body is read", dropAfterBody, nil},
		{"reset after the body is read", resetAfterBody, syscall.ECONNRESET},
		{"reset after the headers", resetAfterHeaders, syscall.ECONNRESET},
		{"Content-Length lies", shortBody(200, okAll), io.ErrUnexpectedEOF},
		{"chunked body cut", cutChunked(200, okAll), io.ErrUnexpectedEOF},
	}
	for _, fc := range faultCalls {
		for _, f := range faults {
			t.Run(fc.name+"/"+f.name, func(t *testing.T) {
				h := newHostile(t)
				h.set(fc.path, f.fault)
				err := fc.call(context.Background(), h.c)
				if err == nil {
					t.Fatal("no error")
				}
				var apiErr *APIError
				if errors.As(err, &apiErr) {
					t.Errorf("err is an *APIError (%v); no error status was received", err)
				}
				if f.cause != nil && !errors.Is(err, f.cause) {
					t.Errorf("err = %v, want it to wrap %v", err, f.cause)
				}
				if !isConnError(err) {
					t.Errorf("err = %v (%T), want a wrapped connection error", err, err)
				}
				if isContextError(err) {
					t.Errorf("err = %v wraps a context error; no context ended", err)
				}
				want, waits := 4, threeBackoffs
				if fc.write {
					want, waits = 1, nil
				}
				if n := h.count(fc.path); n != want {
					t.Errorf("%s reached the server %d times, want %d", fc.path, n, want)
				}
				if got := h.recordedWaits(); !reflect.DeepEqual(got, waits) {
					t.Errorf("waits = %v, want %v", got, waits)
				}
				if n := h.count(pToken); n != 1 {
					t.Errorf("token requests = %d, want 1", n)
				}
			})
		}
	}
}

// TestFaultReadRecovers: a reading call whose connection is lost, however
// late, is sent again and succeeds when the server recovers.
func TestFaultReadRecovers(t *testing.T) {
	for _, f := range []struct {
		name  string
		fault fault
	}{
		{"dropped before the body is read", dropBeforeBody},
		{"reset after the body is read", resetAfterBody},
		{"reset after the headers", resetAfterHeaders},
		{"Content-Length lies", shortBody(200, okAll)},
		{"chunked body cut", cutChunked(200, okAll)},
	} {
		t.Run(f.name, func(t *testing.T) {
			h := newHostile(t)
			h.set(pStateV2, steps(f.fault, f.fault, answer(200, okAll)))
			st, err := h.c.FetchStateV2(context.Background(), testInstance)
			if err != nil {
				t.Fatal(err)
			}
			if st.InstanceID != testInstance || string(st.Raw) != okAll {
				t.Errorf("state = %+v, raw %s", st, st.Raw)
			}
			if n := h.count(pStateV2); n != 3 {
				t.Errorf("requests = %d, want 3", n)
			}
			if got, want := h.recordedWaits(), threeBackoffs[:2]; !reflect.DeepEqual(got, want) {
				t.Errorf("waits = %v, want %v", got, want)
			}
		})
	}
}

// serverDeadline is a context whose deadline passes when the server calls
// expire, once it holds the request: the test never races a timer, and the
// request certainly reached the server before the caller gave up.
type serverDeadline struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func newServerDeadline() *serverDeadline {
	return &serverDeadline{Context: context.Background(), done: make(chan struct{})}
}

func (c *serverDeadline) expire()               { c.once.Do(func() { close(c.done) }) }
func (c *serverDeadline) Done() <-chan struct{} { return c.done }
func (c *serverDeadline) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// stall waits until the client has gone or the test ends.
func (h *hostile) stall(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-h.release:
	}
}

// slowHeaders reads the request, lets the caller's deadline pass, and
// never answers.
func (h *hostile) slowHeaders(expire func()) fault {
	return func(_ http.ResponseWriter, r *http.Request, _ int) {
		readBody(r)
		expire()
		h.stall(r)
	}
}

// slowBody sends the headers and half the body of a success, lets the
// caller's deadline pass, and sends no more.
func (h *hostile) slowBody(expire func()) fault {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		readBody(r)
		w.Header().Set("Content-Type", jsonType)
		w.Header().Set("Content-Length", strconv.Itoa(len(okAll)))
		w.WriteHeader(200)
		_, _ = io.WriteString(w, okAll[:len(okAll)/2])
		w.(http.Flusher).Flush()
		expire()
		h.stall(r)
	}
}

// TestFaultSlowAnswer: an answer that comes after the caller's deadline
// ends the call with a context error, and the request is not sent again.
func TestFaultSlowAnswer(t *testing.T) {
	for _, fc := range faultCalls {
		for _, slow := range []struct {
			name  string
			fault func(h *hostile, expire func()) fault
		}{
			{"no headers", (*hostile).slowHeaders},
			{"half a body", (*hostile).slowBody},
		} {
			t.Run(fc.name+"/"+slow.name, func(t *testing.T) {
				h := newHostile(t)
				h.primeToken()
				ctx := newServerDeadline()
				h.set(fc.path, slow.fault(h, ctx.expire))
				err := fc.call(ctx, h.c)
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("err = %v, want one wrapping context.DeadlineExceeded", err)
				}
				var apiErr *APIError
				if errors.As(err, &apiErr) {
					t.Errorf("err is an *APIError: %v", err)
				}
				if n := h.count(fc.path); n != 1 {
					t.Errorf("%s reached the server %d times, want 1", fc.path, n)
				}
				if w := h.recordedWaits(); len(w) != 0 {
					t.Errorf("waited %v after the deadline", w)
				}
			})
		}
	}
}

// TestFaultSlowAnswerRealDeadline is TestFaultSlowAnswer with an ordinary
// context.WithTimeout: whenever the deadline passes (before the request is
// sent, while the server holds it, …), the call ends with the deadline's
// error and never sends the request twice.
func TestFaultSlowAnswerRealDeadline(t *testing.T) {
	for _, fc := range []faultCall{faultCalls[0], faultCalls[3]} {
		t.Run(fc.name, func(t *testing.T) {
			h := newHostile(t)
			h.set(fc.path, h.slowHeaders(func() {}))
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			err := fc.call(ctx, h.c)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want one wrapping context.DeadlineExceeded", err)
			}
			if n := h.count(fc.path); n > 1 {
				t.Errorf("%s reached the server %d times, want at most 1", fc.path, n)
			}
			if w := h.recordedWaits(); len(w) != 0 {
				t.Errorf("waited %v", w)
			}
		})
	}
}

// TestFaultMalformedSuccess: a complete success whose body is not JSON is
// an error wrapping the *json.SyntaxError, and is not sent again: the
// server answered, and would answer the same.
func TestFaultMalformedSuccess(t *testing.T) {
	for _, fc := range faultCalls {
		if fc.name == "UpdateTask" {
			continue // it ignores the body of a success
		}
		t.Run(fc.name, func(t *testing.T) {
			h := newHostile(t)
			h.set(fc.path, answer(200, `{"instanceId":"`+testInstance))
			err := fc.call(context.Background(), h.c)
			var syntax *json.SyntaxError
			if !errors.As(err, &syntax) {
				t.Fatalf("err = %v, want one wrapping a *json.SyntaxError", err)
			}
			var apiErr *APIError
			if errors.As(err, &apiErr) {
				t.Errorf("err is an *APIError: %v", err)
			}
			if n := h.count(fc.path); n != 1 {
				t.Errorf("%s reached the server %d times, want 1", fc.path, n)
			}
		})
	}
}

// TestFaultErrorBodyCut: an error status whose body is cut short is still an
// *APIError with the status and the part of the body that arrived.
func TestFaultErrorBodyCut(t *testing.T) {
	body := `{"errors":[{"code":"5000","name":"INTERNAL","problem":"boom"}]}`
	for _, fc := range faultCalls {
		for _, f := range []struct {
			name  string
			fault fault
		}{
			{"Content-Length lies", shortBody(500, body)},
			{"chunked body cut", cutChunked(500, body)},
		} {
			t.Run(fc.name+"/"+f.name, func(t *testing.T) {
				h := newHostile(t)
				h.set(fc.path, f.fault)
				err := fc.call(context.Background(), h.c)
				var apiErr *APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("err = %v, want an *APIError", err)
				}
				if apiErr.StatusCode != 500 || apiErr.Op != fc.name || string(apiErr.Body) != body[:len(body)/2] {
					t.Errorf("APIError = %+v, body %q", apiErr, apiErr.Body)
				}
				if n := h.count(fc.path); n != 1 {
					t.Errorf("%s reached the server %d times, want 1 (500 is not retried)", fc.path, n)
				}
			})
		}
	}
}

// TestFaultRateLimitStorm: a server that answers 429 to everything. A 429
// refuses a request before processing it, so every call, reading or not, is
// sent MaxAttempts times, waiting as Retry-After asks, and ends with the
// *APIError of the last 429.
func TestFaultRateLimitStorm(t *testing.T) {
	for _, fc := range faultCalls {
		t.Run(fc.name, func(t *testing.T) {
			h := newHostile(t)
			h.set(fc.path, answer(429, errorBody(429), "Retry-After", "1", "X-Request-ID", "rl"))
			err := fc.call(context.Background(), h.c)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want an *APIError", err)
			}
			if apiErr.StatusCode != 429 || apiErr.RetryAfter != time.Second || apiErr.Op != fc.name || apiErr.RequestID != "rl" {
				t.Errorf("APIError = %+v", apiErr)
			}
			if n := h.count(fc.path); n != 4 {
				t.Errorf("%s reached the server %d times, want 4", fc.path, n)
			}
			want := []time.Duration{time.Second, time.Second, time.Second}
			if got := h.recordedWaits(); !reflect.DeepEqual(got, want) {
				t.Errorf("waits = %v, want %v", got, want)
			}
		})
	}
}

// TestFaultRateLimitStormDeadline: the deadline passes during the second
// wait of a 429 storm; the call ends then with the context's error.
func TestFaultRateLimitStormDeadline(t *testing.T) {
	for _, fc := range []faultCall{faultCalls[0], faultCalls[3]} {
		t.Run(fc.name, func(t *testing.T) {
			h := newHostile(t)
			h.set(fc.path, answer(429, errorBody(429), "Retry-After", "1"))
			ctx := newServerDeadline()
			h.onWait = func(n int) {
				if n == 2 {
					ctx.expire()
				}
			}
			err := fc.call(ctx, h.c)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want one wrapping context.DeadlineExceeded", err)
			}
			if n := h.count(fc.path); n != 2 {
				t.Errorf("%s reached the server %d times, want 2", fc.path, n)
			}
		})
	}
}

// TestFaultWaitBeyondDeadline: a wait that would end after the caller's
// deadline is not begun; the call returns what it has at once (the
// *APIError of a 429 or 5xx, or the connection error) rather than a context
// error at the deadline. With a later deadline the same call waits and
// retries.
func TestFaultWaitBeyondDeadline(t *testing.T) {
	slowBackoff := func(c *Config) { c.Retry.BaseDelay, c.Retry.MaxDelay = time.Minute, time.Minute }
	tests := []struct {
		name   string
		mutate []func(*Config)
		fault  fault
		status int // 0: a connection error
	}{
		{"429 Retry-After 30s", nil, answer(429, errorBody(429), "Retry-After", "30"), 429},
		{"503 backoff 1m", []func(*Config){slowBackoff}, answer(503, errorBody(503)), 503},
		{"connection lost, backoff 1m", []func(*Config){slowBackoff}, dropAfterBody, 0},
		{"body cut, backoff 1m", []func(*Config){slowBackoff}, shortBody(200, okAll), 0},
	}
	for _, tc := range tests {
		for _, deadline := range []time.Duration{10 * time.Second, time.Hour} {
			t.Run(fmt.Sprintf("%s/deadline %v", tc.name, deadline), func(t *testing.T) {
				h := newHostile(t, tc.mutate...)
				h.set(pTaskList, tc.fault)
				ctx, cancel := context.WithTimeout(context.Background(), deadline)
				defer cancel()
				_, err := h.c.ListTasks(ctx, testInstance)
				var apiErr *APIError
				switch {
				case tc.status != 0 && (!errors.As(err, &apiErr) || apiErr.StatusCode != tc.status):
					t.Fatalf("err = %v, want an *APIError with status %d", err, tc.status)
				case tc.status == 0 && !isConnError(err):
					t.Fatalf("err = %v, want a connection error", err)
				case isContextError(err):
					t.Fatalf("err = %v wraps a context error", err)
				}
				want := 1
				if deadline == time.Hour {
					want = 4
				}
				if n := h.count(pTaskList); n != want {
					t.Errorf("requests = %d, want %d", n, want)
				}
				if w := h.recordedWaits(); len(w) != want-1 {
					t.Errorf("waits = %v, want %d", w, want-1)
				}
			})
		}
	}
}

// TestFaultServerErrorBurst: 503, 502 and 504 in a row, then a success.
// Reading calls ride it out with backoff; calls that change something
// return the first error, since the server may have acted on the request.
func TestFaultServerErrorBurst(t *testing.T) {
	burst := []fault{answer(503, errorBody(503)), answer(502, "<html>bad gateway</html>"), answer(504, "")}
	for _, fc := range faultCalls {
		t.Run(fc.name+"/then success", func(t *testing.T) {
			h := newHostile(t)
			h.set(fc.path, steps(append(burst, answer(200, okAll))...))
			err := fc.call(context.Background(), h.c)
			want, waits := 4, threeBackoffs
			if fc.write {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Status != 503 || apiErr.Message != "busy" {
					t.Fatalf("err = %v, want the *APIError of the 503", err)
				}
				want, waits = 1, nil
			} else if err != nil {
				t.Fatalf("err = %v, want success after the burst", err)
			}
			if n := h.count(fc.path); n != want {
				t.Errorf("%s reached the server %d times, want %d", fc.path, n, want)
			}
			if got := h.recordedWaits(); !reflect.DeepEqual(got, waits) {
				t.Errorf("waits = %v, want %v", got, waits)
			}
		})
		t.Run(fc.name+"/longer than the attempts", func(t *testing.T) {
			h := newHostile(t)
			h.set(fc.path, steps(answer(502, errorBody(502)), answer(504, errorBody(504)), answer(503, errorBody(503))))
			err := fc.call(context.Background(), h.c)
			wantStatus, want := 503, 4 // the fourth answer
			if fc.write {
				wantStatus, want = 502, 1 // the first
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != wantStatus {
				t.Fatalf("err = %v, want an *APIError with status %d", err, wantStatus)
			}
			if n := h.count(fc.path); n != want {
				t.Errorf("%s reached the server %d times, want %d", fc.path, n, want)
			}
		})
	}
}

// TestFaultTokenEndpoint: faults of the token endpoint. A token request is
// safe to repeat; the call it serves is not sent until there is a token.
func TestFaultTokenEndpoint(t *testing.T) {
	tokenOK := func(w http.ResponseWriter, r *http.Request, n int) {
		answer(200, fmt.Sprintf(`{"access_token":"tok-%d","token_type":"Bearer","expires_in":3600}`, n))(w, r, n)
	}
	t.Run("connection lost then token", func(t *testing.T) {
		h := newHostile(t)
		h.set(pToken, steps(dropAfterBody, resetAfterHeaders, tokenOK))
		h.set(pStart, answer(201, okAll))
		if err := faultCalls[3].call(context.Background(), h.c); err != nil {
			t.Fatal(err)
		}
		if n, s := h.count(pToken), h.count(pStart); n != 3 || s != 1 {
			t.Errorf("token requests = %d, starts = %d; want 3, 1", n, s)
		}
	})
	t.Run("503 storm", func(t *testing.T) {
		h := newHostile(t)
		h.set(pToken, answer(503, `{"error":"temporarily_unavailable"}`))
		err := faultCalls[3].call(context.Background(), h.c)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Op != "GetToken" || apiErr.StatusCode != 503 {
			t.Fatalf("err = %v, want the GetToken *APIError", err)
		}
		if n, s := h.count(pToken), h.count(pStart); n != 4 || s != 0 {
			t.Errorf("token requests = %d, starts = %d; want 4, 0", n, s)
		}
	})
	t.Run("Retry-After beyond the deadline", func(t *testing.T) {
		h := newHostile(t)
		h.set(pToken, answer(503, `{"error":"temporarily_unavailable"}`, "Retry-After", "30"))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := faultCalls[3].call(ctx, h.c)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Op != "GetToken" || apiErr.RetryAfter != 30*time.Second {
			t.Fatalf("err = %v, want the GetToken *APIError at once", err)
		}
		if n, w := h.count(pToken), h.recordedWaits(); n != 1 || len(w) != 0 {
			t.Errorf("token requests = %d, waits = %v; want 1, none", n, w)
		}
	})
	t.Run("body cut every time", func(t *testing.T) {
		h := newHostile(t)
		h.set(pToken, shortBody(200, `{"access_token":"tok","token_type":"Bearer","expires_in":3600}`))
		err := faultCalls[3].call(context.Background(), h.c)
		var apiErr *APIError
		if err == nil || errors.As(err, &apiErr) || !strings.Contains(err.Error(), "GetToken") {
			t.Fatalf("err = %v, want a GetToken connection error", err)
		}
		if n, s := h.count(pToken), h.count(pStart); n != 4 || s != 0 {
			t.Errorf("token requests = %d, starts = %d; want 4, 0", n, s)
		}
	})
	t.Run("slow", func(t *testing.T) {
		h := newHostile(t)
		ctx := newServerDeadline()
		h.set(pToken, h.slowHeaders(ctx.expire))
		err := faultCalls[3].call(ctx, h.c)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want one wrapping context.DeadlineExceeded", err)
		}
		if n, s := h.count(pToken), h.count(pStart); n != 1 || s != 0 {
			t.Errorf("token requests = %d, starts = %d; want 1, 0", n, s)
		}
	})
}

// TestFaultConcurrentCallers: many callers share the client while the
// server drops every start after reading it and answers reads with a 503
// burst: each start reaches the server exactly once, each read succeeds.
func TestFaultConcurrentCallers(t *testing.T) {
	const callers = 8
	h := newHostile(t)
	h.set(pStart, dropAfterBody)
	var mu sync.Mutex
	perInstance := map[string]int{}
	h.set(pTaskList, func(w http.ResponseWriter, r *http.Request, _ int) {
		var req struct {
			InstanceID string `json:"instanceId"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		mu.Lock()
		perInstance[req.InstanceID]++
		n := perInstance[req.InstanceID]
		mu.Unlock()
		if n < 3 {
			writeJSON(w, 503, errorBody(503))
			return
		}
		writeJSON(w, 200, taskListOK)
	})
	var wg sync.WaitGroup
	errs := make(chan error, 2*callers)
	for i := range callers {
		wg.Go(func() {
			if err := faultCalls[3].call(context.Background(), h.c); err == nil || !isConnError(err) {
				errs <- fmt.Errorf("start: err = %v, want a connection error", err)
			}
		})
		wg.Go(func() {
			if _, err := h.c.ListTasks(context.Background(), fmt.Sprintf("instance-%d", i)); err != nil {
				errs <- fmt.Errorf("list: %w", err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := h.count(pStart); n != callers {
		t.Errorf("starts = %d, want %d (one per caller)", n, callers)
	}
	if n := h.count(pTaskList); n != 3*callers {
		t.Errorf("reads = %d, want %d", n, 3*callers)
	}
	if n := h.count(pToken); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
}
