package sandbox_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gbggen/gbggen/generated"
	"github.com/gbggen/gbggen/sandbox"
)

// countingReader is an endless request body of spaces that counts the bytes read from it.
type countingReader struct{ n atomic.Int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	c.n.Add(int64(len(p)))
	return len(p), nil
}

// jsonPaths are the operations with a JSON request body, one per family.
var jsonPaths = []string{
	"/captain/api/journey/start",
	"/captain/api/journey/task/update",
	"/captain/api/journey/state/fetch",
	"/captain/api/journey/device/start",
	"/captain/api/journey/device/connect",
	"/v2/captain/journey/start",
	"/v2/captain/journey/interaction/submit",
}

// TestUnauthenticatedBodyNotRead: a request without a valid token is refused (401) before a
// byte of its body is read, however big the body says it is; scenarios do not apply to it.
func TestUnauthenticatedBodyNotRead(t *testing.T) {
	e := newEnv(t)
	for _, path := range jsonPaths {
		for _, auth := range []string{"", "Bearer not-a-token", "Basic Zm9vOmJhcg=="} {
			body := &countingReader{}
			req := httptest.NewRequest(http.MethodPost, path, io.LimitReader(body, 15<<20))
			req.ContentLength = 15 << 20
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(sandbox.ScenarioHeader, "rate-limit, latency=1s")
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			rec := httptest.NewRecorder()
			e.srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("%s with %q: %d, want 401: %s", path, auth, rec.Code, rec.Body)
			}
			if n := body.n.Load(); n != 0 {
				t.Errorf("%s with %q: %d body bytes read before authentication", path, auth, n)
			}
		}
	}
}

// TestBodyBounds: an authenticated request body is read up to WithMaxBodyBytes and refused
// (400) beyond it; the token endpoint, which anyone may call, reads at most
// sandbox.MaxTokenBodyBytes.
func TestBodyBounds(t *testing.T) {
	const limit = 2 * sandbox.MaxTokenBodyBytes
	e := newEnv(t, sandbox.WithMaxBodyBytes(limit))
	send := func(path, tok, ctype string) (*httptest.ResponseRecorder, int64) {
		body := &countingReader{}
		req := httptest.NewRequest(http.MethodPost, path, io.LimitReader(body, 15<<20))
		req.Header.Set("Content-Type", ctype)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		return rec, body.n.Load()
	}
	for _, path := range []string{"/captain/api/journey/start", "/v2/captain/journey/start"} {
		rec, n := send(path, e.token, "application/json")
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), fmt.Sprintf("larger than %d bytes", limit)) {
			t.Errorf("%s: %d %s, want 400 naming the limit", path, rec.Code, rec.Body)
		}
		if n > limit+1 {
			t.Errorf("%s: %d bytes read, limit %d", path, n, limit)
		}
	}
	rec, n := send("/as/token.oauth2", "", "application/x-www-form-urlencoded")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "larger than") {
		t.Errorf("token: %d %s, want 400", rec.Code, rec.Body)
	}
	if n > sandbox.MaxTokenBodyBytes+1 {
		t.Errorf("token: %d bytes read, limit %d", n, sandbox.MaxTokenBodyBytes)
	}
}

// TestScenarioHeaderBound: a scenario header longer than sandbox.MaxScenarioBytes is refused
// (400 naming the header) before it is parsed or counted.
func TestScenarioHeaderBound(t *testing.T) {
	e := newEnv(t)
	long := "rate-limit=1, id=" + strings.Repeat("x", sandbox.MaxScenarioBytes)
	for range 2 {
		res, body := e.raw(http.MethodGet, "/captain/api/journey/health", e.token, "", "", sandbox.ScenarioHeader, long)
		if res.StatusCode != 400 || !strings.Contains(v1Error(t, 400, body), sandbox.ScenarioHeader) {
			t.Fatalf("long scenario: %d %v, want 400 naming the header", res.StatusCode, body)
		}
	}
	ok := "rate-limit=1, id=" + strings.Repeat("x", sandbox.MaxScenarioBytes-len("rate-limit=1, id="))
	for i, want := range []int{429, 200} {
		if res, _ := e.raw(http.MethodGet, "/captain/api/journey/health", e.token, "", "", sandbox.ScenarioHeader, ok); res.StatusCode != want {
			t.Fatalf("scenario of exactly %d bytes, request %d: %d, want %d", len(ok), i+1, res.StatusCode, want)
		}
	}
}

// TestTrailingDataRefused: a JSON body with anything but whitespace after its value is 400,
// in the path's error shape, on every endpoint; trailing whitespace is fine.
func TestTrailingDataRefused(t *testing.T) {
	e := newEnv(t)
	start := `{"resourceId":"` + onboarding + `"}`
	for _, tc := range []struct{ path, body string }{
		{"/captain/api/journey/start", start + ` x`},
		{"/captain/api/journey/start", start + `{}`},
		{"/captain/api/journey/start", start + "\n" + start},
		{"/captain/api/journey/state/fetch", `{"instanceId":"0123456789abcdef"}]`},
		{"/captain/api/journey/task/list", `{"instanceId":"0123456789abcdef"} 1`},
		{"/v2/captain/journey/start", `{"resourceId":"` + onboarding + `","context":{"config":{"delivery":"api"}}}garbage`},
		{"/v2/captain/journey/state/fetch", `{"instanceId":"0123456789abcdef"} null`},
	} {
		res, body := e.post(tc.path, tc.body)
		if res.StatusCode != 400 {
			t.Errorf("%s %q: %d, want 400", tc.path, tc.body, res.StatusCode)
			continue
		}
		var msg string
		if strings.HasPrefix(tc.path, "/v2/") {
			if code, _ := v2Error(t, body); code != "4002" {
				t.Errorf("%s %q: code %s, want 4002", tc.path, tc.body, code)
			}
			msg = body["errors"].([]any)[0].(map[string]any)["problem"].(string)
		} else {
			msg = v1Error(t, 400, body)
		}
		if !strings.Contains(msg, "after the JSON value") {
			t.Errorf("%s %q: message %q does not say what is wrong", tc.path, tc.body, msg)
		}
	}
	if res, body := e.post("/captain/api/journey/start", start+" \r\n\t "); res.StatusCode != 200 {
		t.Errorf("trailing whitespace: %d %v", res.StatusCode, body)
	}
}

// fullSubject satisfies every task of the onboarding journey: a start with it completes.
func fullSubject() map[string]any {
	s := subjectWith(identity())
	s["documents"] = document()["documents"]
	return s
}

func (e *env) status(id string) int {
	e.t.Helper()
	res, err := e.c.FetchStateWithResponse(context.Background(), generated.StateFetchRequest{InstanceID: id})
	if err != nil {
		e.t.Fatal(err)
	}
	return res.StatusCode()
}

// TestFinishedInstancesExpire: a finished instance is forgotten WithInstanceTTL after it
// finished (by the injected clock); one in progress is kept.
func TestFinishedInstancesExpire(t *testing.T) {
	e := newEnv(t, sandbox.WithInstanceTTL(time.Hour), sandbox.WithTokenTTL(24*time.Hour))
	done := e.start(fullSubject())
	if st := e.state(done); st.Status != "Completed" {
		t.Fatalf("full prefill: %s", st.Status)
	}
	open := e.start(nil)
	e.clock.Advance(59 * time.Minute)
	if got := e.status(done); got != 200 {
		t.Fatalf("before its TTL: %d", got)
	}
	e.clock.Advance(time.Minute)
	if got := e.status(done); got != 404 {
		t.Fatalf("a finished instance after its TTL: %d, want 404", got)
	}
	if got := e.status(open); got != 200 {
		t.Fatalf("an instance in progress after the TTL: %d, want 200", got)
	}
}

// TestMaxInstances: at WithMaxInstances a start evicts the instance that finished first
// (not the one started first); when every instance is in progress it is refused with 503,
// and nothing is evicted.
func TestMaxInstances(t *testing.T) {
	e := newEnv(t, sandbox.WithMaxInstances(3))
	first := e.start(nil) // finishes last of the finished ones
	second := e.start(fullSubject())
	third := e.start(nil)
	e.clock.Advance(time.Minute)
	tasks := e.pending(first)
	for _, s := range []struct {
		key  string
		data map[string]any
	}{
		{"personal-details", subjectWith(identity())},
		{"address", subjectWith(identity())},
		{"document", document()},
	} {
		if res := e.update(e.c, first, tasks[s.key], generated.Complete, s.data); res.StatusCode() != 200 {
			t.Fatalf("%s: %d %s", s.key, res.StatusCode(), res.Body)
		}
	}
	if st := e.state(first); st.Status != "Completed" {
		t.Fatalf("first: %s", st.Status)
	}

	fourth := e.start(nil)
	if e.status(second) != 404 || e.status(first) != 200 || e.status(third) != 200 {
		t.Fatalf("after a start at the bound: second %d (want 404, finished first), first %d, third %d",
			e.status(second), e.status(first), e.status(third))
	}
	fifth := e.start(nil)
	if e.status(first) != 404 {
		t.Fatalf("first not evicted by the next start")
	}

	for path, start := range map[string]string{
		"/captain/api/journey/start": `{"resourceId":"` + onboarding + `"}`,
		"/v2/captain/journey/start":  `{"resourceId":"` + onboarding + `","context":{"config":{"delivery":"api"}}}`,
	} {
		res, body := e.post(path, start)
		if res.StatusCode != 503 || !strings.Contains(fmt.Sprint(body), "3 journey instances in progress") {
			t.Fatalf("%s with 3 instances in progress: %d %v, want 503 saying why", path, res.StatusCode, body)
		}
	}
	for _, id := range []string{third, fourth, fifth} {
		if got := e.status(id); got != 200 {
			t.Fatalf("an instance in progress was evicted: %d", got)
		}
	}
	if res, _ := e.c.DeleteStateWithResponse(context.Background(), generated.InstanceRequest{InstanceID: third}); res.StatusCode() != 200 {
		t.Fatalf("delete: %d", res.StatusCode())
	}
	e.start(nil) // room again
}

// serveOn runs srv.Serve on a loopback port until the test ends and returns its address.
func serveOn(t *testing.T, srv *sandbox.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// closedByServer reads from conn until the server closes it. The
// deadline only keeps a broken test from hanging: the timeouts under test are far shorter,
// and reaching it fails the test.
func closedByServer(t *testing.T, conn net.Conn, what string) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	if _, err := io.ReadAll(conn); errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("%s: the server kept the connection open", what)
	}
}

// TestServeTimeouts: Serve closes a connection that sends its request header too slowly,
// one that sends its body too slowly, and one that stays idle after a request, as
// WithTimeouts configures.
func TestServeTimeouts(t *testing.T) {
	srv, err := sandbox.New(sandbox.WithTimeouts(sandbox.Timeouts{
		ReadHeader: 200 * time.Millisecond, Read: 300 * time.Millisecond, Write: 5 * time.Second, Idle: 200 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	addr := serveOn(t, srv)
	dial := func() net.Conn {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return conn
	}

	conn := dial()
	fmt.Fprint(conn, "GET /captain/api/journey/health HTTP/1.1\r\nHost: x\r\n") // the header never ends
	closedByServer(t, conn, "slow header")

	conn = dial()
	fmt.Fprint(conn, "POST /as/token.oauth2 HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ngrant_type=")
	closedByServer(t, conn, "slow body")

	conn = dial()
	fmt.Fprint(conn, "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 || res.Close {
		t.Fatalf("first request: %d, close %v: want 404 on a kept-alive connection", res.StatusCode, res.Close)
	}
	closedByServer(t, conn, "idle connection")
}
