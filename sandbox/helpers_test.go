package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gbggen/gbggen/generated"
	"github.com/gbggen/gbggen/sandbox"
)

const onboarding = sandbox.OnboardingResourceID + "@1" // version 1: every field required by the journey schema

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
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type env struct {
	t     *testing.T
	srv   *sandbox.Server
	ts    *httptest.Server
	clock *clock
	token string
	c     *generated.ClientWithResponses // sends env.token
}

func newEnv(t *testing.T, opts ...sandbox.Option) *env {
	t.Helper()
	e := &env{t: t, clock: newClock()}
	srv, err := sandbox.New(append([]sandbox.Option{sandbox.WithClock(e.clock.Now)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	e.ts = httptest.NewServer(srv)
	t.Cleanup(e.ts.Close)
	e.token = e.getToken()
	e.c = e.client(e.token)
	return e
}

// client returns a generated client that sends tok as its Bearer token.
func (e *env) client(tok string) *generated.ClientWithResponses {
	e.t.Helper()
	c, err := generated.NewClientWithResponses(e.ts.URL, generated.WithHTTPClient(e.ts.Client()),
		generated.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			if tok != "" {
				r.Header.Set("Authorization", "Bearer "+tok)
			}
			return nil
		}))
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *env) getToken() string {
	e.t.Helper()
	c := e.client("")
	cr := sandbox.DefaultCredentials
	res, err := c.GetTokenWithFormdataBodyWithResponse(context.Background(), generated.TokenRequest{
		GrantType: generated.Password, ClientID: cr.ClientID, ClientSecret: cr.ClientSecret,
		Username: &cr.Username, Password: &cr.Password})
	if err != nil {
		e.t.Fatal(err)
	}
	if res.JSON200 == nil {
		e.t.Fatalf("token: %d %s", res.StatusCode(), res.Body)
	}
	return res.JSON200.AccessToken
}

// start starts the onboarding journey (v1) with subject as prefill.
func (e *env) start(subject map[string]any, editors ...generated.RequestEditorFn) string {
	e.t.Helper()
	return e.startAt(onboarding, subject, editors...)
}

// startAt starts the journey version resource with subject as the prefill.
func (e *env) startAt(resource string, subject map[string]any, editors ...generated.RequestEditorFn) string {
	e.t.Helper()
	body := generated.StartJourneyRequest{ResourceID: resource}
	if subject != nil {
		body.Context = &generated.JourneyContext{Subject: subject}
	}
	res, err := e.c.StartJourneyWithResponse(context.Background(), body, editors...)
	if err != nil {
		e.t.Fatal(err)
	}
	if res.JSON200 == nil {
		e.t.Fatalf("start: %d %s", res.StatusCode(), res.Body)
	}
	return res.JSON200.InstanceID
}

// pending returns the pending task IDs by task key (via task/list/schema).
func (e *env) pending(id string) map[string]string {
	e.t.Helper()
	res, err := e.c.ListTaskSchemasWithResponse(context.Background(), generated.InstanceRequest{InstanceID: id})
	if err != nil {
		e.t.Fatal(err)
	}
	if res.JSON200 == nil {
		e.t.Fatalf("task/list/schema: %d %s", res.StatusCode(), res.Body)
	}
	out := map[string]string{}
	for _, t := range *res.JSON200.Tasks {
		key := strings.TrimPrefix((*t.Schema)["$ref"], "#/schemas/")
		if _, ok := (*res.JSON200.Schemas)[key]; !ok {
			e.t.Fatalf("task %s refers to %q, not in schemas", t.TaskID, (*t.Schema)["$ref"])
		}
		out[key] = t.TaskID
	}
	return out
}

func (e *env) state(id string) *generated.JourneyState {
	e.t.Helper()
	res, err := e.c.FetchStateWithResponse(context.Background(), generated.StateFetchRequest{InstanceID: id})
	if err != nil {
		e.t.Fatal(err)
	}
	if res.JSON200 == nil {
		e.t.Fatalf("state/fetch: %d %s", res.StatusCode(), res.Body)
	}
	return res.JSON200
}

func (e *env) update(c *generated.ClientWithResponses, id, task string, intent generated.Intent, subject map[string]any) *generated.UpdateTaskResponse {
	e.t.Helper()
	res, err := c.UpdateTaskWithResponse(context.Background(), generated.TaskUpdateRequest{
		InstanceID: id, TaskID: task, Intent: intent, Context: &generated.TaskContext{Subject: subject}})
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

// raw sends a request and decodes the JSON answer.
func (e *env) raw(method, path, tok, contentType, body string, header ...string) (*http.Response, map[string]any) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	if len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			e.t.Fatalf("%s %s: answer is not a JSON object: %q", method, path, b)
		}
	}
	return res, m
}

func (e *env) post(path, body string, header ...string) (*http.Response, map[string]any) {
	e.t.Helper()
	return e.raw(http.MethodPost, path, e.token, "application/json", body, header...)
}

// Prefill data.
func identity() map[string]any {
	return map[string]any{
		"firstName":   "Ada",
		"lastNames":   []any{"Lovelace"},
		"dateOfBirth": "1815-12-10",
		"currentAddress": map[string]any{
			"lines": []any{"12 St James's Square"}, "postalCode": "SW1Y 4JH", "country": "GBR",
		},
	}
}

func subjectWith(id map[string]any) map[string]any { return map[string]any{"identity": id} }

func document() map[string]any {
	return map[string]any{"documents": []any{map[string]any{"type": "Passport", "side1Image": "aGVsbG8="}}}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return sortStrings(out)
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

func withScenario(v string) generated.RequestEditorFn {
	return func(_ context.Context, r *http.Request) error {
		r.Header.Set(sandbox.ScenarioHeader, v)
		return nil
	}
}

// v1Error checks a v1 error body and returns its message.
func v1Error(t *testing.T, status int, body map[string]any) string {
	t.Helper()
	if got, _ := body["status"].(float64); int(got) != status {
		t.Fatalf("v1 error: status member %v, want %d: %v", body["status"], status, body)
	}
	msg, _ := body["message"].(string)
	if msg == "" || body["error"] != http.StatusText(status) {
		t.Fatalf("v1 error: want message and error %q: %v", http.StatusText(status), body)
	}
	return msg
}

// v2Error checks a v2 error body and returns its code and name.
func v2Error(t *testing.T, body map[string]any) (code, name string) {
	t.Helper()
	errs, _ := body["errors"].([]any)
	if len(errs) != 1 {
		t.Fatalf("v2 error: want one entry in errors: %v", body)
	}
	d, _ := errs[0].(map[string]any)
	for _, k := range []string{"code", "name", "location", "problem", "action"} {
		if s, _ := d[k].(string); s == "" {
			t.Fatalf("v2 error: member %s empty: %v", k, d)
		}
	}
	return d["code"].(string), d["name"].(string)
}

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}
