package idwise

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable clock for WithClock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type env struct {
	t     *testing.T
	srv   *Server
	ts    *httptest.Server
	clock *clock
}

func newEnv(t *testing.T, opts ...Option) *env {
	t.Helper()
	c := newClock()
	srv, err := New(append([]Option{WithClock(c.Now)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return &env{t: t, srv: srv, ts: ts, clock: c}
}

// do sends a request with the default credentials and returns the status and decoded body.
func (e *env) do(method, path, contentType string, body io.Reader) (int, map[string]any) {
	e.t.Helper()
	return e.doAuth(method, path, contentType, body, func(r *http.Request) {
		r.SetBasicAuth(DefaultCredentials.Key, DefaultCredentials.Secret)
	})
}

func (e *env) doAuth(method, path, contentType string, body io.Reader, auth func(*http.Request)) (int, map[string]any) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if auth != nil {
		auth(req)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		e.t.Fatalf("%s %s: %d, body not a JSON object: %q", method, path, res.StatusCode, data)
	}
	return res.StatusCode, m
}

func (e *env) postJSON(path, body string) (int, map[string]any) {
	e.t.Helper()
	return e.do(http.MethodPost, path, "application/json", strings.NewReader(body))
}

// start starts a journey of the demo flow and returns its ID.
func (e *env) start(ref string) string {
	e.t.Helper()
	code, m := e.postJSON(DefaultPrefix+"/start-journey", `{"flow_id":"demo-flow","reference_no":"`+ref+`"}`)
	if code != 200 {
		e.t.Fatalf("start-journey: %d %v", code, m)
	}
	return m["journey_id"].(string)
}

// multipartBody builds a process-journey-step form; files maps field names to contents.
func multipartBody(t *testing.T, fields map[string]string, files map[string]string) (string, *bytes.Buffer) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range files {
		w, err := mw.CreateFormFile(k, k+".jpg")
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(v))
	}
	mw.Close()
	return mw.FormDataContentType(), &b
}

func (e *env) upload(journeyID, stepID string, images ...string) (int, map[string]any) {
	e.t.Helper()
	files := map[string]string{}
	for i, img := range images {
		files[imageField(i)] = img
	}
	ct, body := multipartBody(e.t, map[string]string{"journey_id": journeyID, "step_id": stepID}, files)
	return e.do(http.MethodPost, DefaultPrefix+"/process-journey-step", ct, body)
}

func (e *env) summary(journeyID string) (int, map[string]any) {
	e.t.Helper()
	return e.do(http.MethodGet, DefaultPrefix+"/summary/?journey_id="+journeyID, "", nil)
}

// stepStatuses returns the status of every step in a summary, by step ID ("" for a step
// without a result).
func stepStatuses(t *testing.T, sum map[string]any) map[string]string {
	t.Helper()
	out := map[string]string{}
	steps, _ := sum["step_summaries"].([]any)
	for _, s := range steps {
		m := s.(map[string]any)
		def := m["definition"].(map[string]any)
		id, ok := def["step_id"].(string)
		if !ok {
			t.Fatalf("summary step_id %v is not a string", def["step_id"])
		}
		status := ""
		if r, ok := m["result"].(map[string]any); ok {
			status = r["status"].(string)
		}
		out[id] = status
	}
	return out
}

func (e *env) result(journeyID string) map[string]any {
	e.t.Helper()
	code, m := e.do(http.MethodGet, "/v2/get-journey-result?journey_id="+journeyID, "", nil)
	if code != 200 {
		e.t.Fatalf("get-journey-result: %d %v", code, m)
	}
	return m
}
