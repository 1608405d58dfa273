package idwise

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

const hookBody = `{"event":"Finished Journey","body":{"eventId":"4a1b-77","journeyId":"6720abc22e","referenceNo":"840-23","systemDecision":"Complete","newMember":{"x":1}}}`

type sink struct {
	mu     sync.Mutex
	events []*WebhookEvent
	fail   atomic.Bool
}

func (s *sink) handle(_ context.Context, ev *WebhookEvent) error {
	if s.fail.Load() {
		return errors.New("queue down")
	}
	s.mu.Lock()
	s.events = append(s.events, ev)
	s.mu.Unlock()
	return nil
}

func (s *sink) n() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.events)
}

func newHook(t *testing.T, auth WebhookAuth, edit ...func(*WebhookConfig)) (http.Handler, *sink) {
	t.Helper()
	s := &sink{}
	cfg := WebhookConfig{Auth: auth, Handle: s.handle}
	for _, e := range edit {
		e(&cfg)
	}
	h, err := WebhookHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h, s
}

func post(h http.Handler, body string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/hooks/idwise", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func basic(u, p string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(u+":"+p)) }

// countEqual counts the constant-time comparisons the handler makes.
func countEqual(t *testing.T) *atomic.Int32 {
	var n atomic.Int32
	orig := equal
	equal = func(a, b []byte) bool { n.Add(1); return orig(a, b) }
	t.Cleanup(func() { equal = orig })
	return &n
}

func TestWebhookAuth(t *testing.T) {
	modes := []struct {
		name   string
		auth   WebhookAuth
		good   []string
		bad    [][]string
		prompt string
	}{
		{"basic", BasicAuth("idwise", "hook-pass"), []string{"Authorization", basic("idwise", "hook-pass")}, [][]string{
			nil, {"Authorization", basic("idwise", "hook-pasS")}, {"Authorization", basic("idwisE", "hook-pass")},
			{"Authorization", basic("idwise", "")}, {"Authorization", "Bearer hook-pass"}}, "Basic"},
		{"bearer", BearerAuth("tok-123"), []string{"Authorization", "Bearer tok-123"}, [][]string{
			nil, {"Authorization", "Bearer tok-124"}, {"Authorization", "Bearer "}, {"Authorization", "tok-123"},
			{"Authorization", basic("tok-123", "")}}, "Bearer"},
		{"bearer lower-case scheme", BearerAuth("tok-123"), []string{"Authorization", "bearer tok-123"}, nil, "Bearer"},
		{"header", HeaderAuth("X-IDWise-Token", "v4lue"), []string{"X-Idwise-Token", "v4lue"}, [][]string{
			nil, {"X-IDWise-Token", "v4lu"}, {"X-Other", "v4lue"}, {"Authorization", "v4lue"}}, ""},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			h, s := newHook(t, m.auth)
			compares := countEqual(t)
			for i, bad := range m.bad {
				rec := post(h, hookBody, bad...)
				if rec.Code != http.StatusUnauthorized {
					t.Errorf("bad credentials %d (%v): %d, want 401", i, bad, rec.Code)
				}
				if got := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, m.prompt) {
					t.Errorf("WWW-Authenticate = %q, want %q…", got, m.prompt)
				}
			}
			if s.n() != 0 {
				t.Fatalf("handler called %d times for refused requests", s.n())
			}
			rec := post(h, hookBody, m.good...)
			if rec.Code != http.StatusOK || s.n() != 1 {
				t.Fatalf("good credentials: %d, %d events", rec.Code, s.n())
			}
			// One constant-time comparison per request, refused ones (even
			// those with no credentials at all) included.
			if got, want := compares.Load(), int32(len(m.bad)+1); got != want {
				t.Errorf("%d constant-time comparisons for %d requests", got, want)
			}
			ev := s.events[0]
			if ev.Event != EventFinishedJourney || ev.Body != (WebhookBody{EventID: "4a1b-77", JourneyID: "6720abc22e", ReferenceNo: "840-23", SystemDecision: DecisionComplete}) ||
				!strings.Contains(string(ev.Raw), "newMember") {
				t.Errorf("event = %+v", ev)
			}
		})
	}
}

func TestWebhookDedupe(t *testing.T) {
	h, s := newHook(t, BearerAuth("t"), func(c *WebhookConfig) { c.Remember = 2 })
	auth := []string{"Authorization", "Bearer t"}
	send := func(id string) int {
		return post(h, strings.Replace(hookBody, "4a1b-77", id, 1), auth...).Code
	}
	for _, id := range []string{"e1", "e1", "e1"} {
		if code := send(id); code != 200 {
			t.Fatalf("delivery of %s: %d", id, code)
		}
	}
	if s.n() != 1 {
		t.Fatalf("a retried event was handled %d times", s.n())
	}
	// A failing handler answers 500 and lets the retry through.
	s.fail.Store(true)
	if code := send("e2"); code != http.StatusInternalServerError {
		t.Errorf("failing handler: %d, want 500", code)
	}
	s.fail.Store(false)
	if code := send("e2"); code != 200 || s.n() != 2 {
		t.Errorf("retry after a failure: %d, %d events", code, s.n())
	}
	// Memory is bounded: with room for 2, the oldest ID is forgotten.
	send("e3")
	if n := h.(*webhook).seen.len(); n != 2 {
		t.Errorf("remembers %d IDs, want 2", n)
	}
	send("e1")
	if s.n() != 4 {
		t.Errorf("%d events; e1 should have been forgotten and handled again", s.n())
	}
}

func TestWebhookConcurrentRetries(t *testing.T) {
	h, s := newHook(t, HeaderAuth("X-Key", "k"))
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if rec := post(h, hookBody, "X-Key", "k"); rec.Code != 200 {
				t.Errorf("status %d", rec.Code)
			}
		}()
	}
	wg.Wait()
	if s.n() != 1 {
		t.Errorf("16 concurrent deliveries of one event handled %d times", s.n())
	}
}

func TestWebhookRefusals(t *testing.T) {
	h, s := newHook(t, BearerAuth("t"), func(c *WebhookConfig) { c.MaxBodyBytes = 512 })
	auth := []string{"Authorization", "Bearer t"}
	for _, tc := range []struct {
		name, body string
		code       int
	}{
		{"bad JSON", `{"event":`, 400},
		{"not an object", `[1,2]`, 400},
		{"no eventId", `{"event":"Finished Journey","body":{"journeyId":"j"}}`, 400},
		{"no journeyId", `{"event":"Finished Journey","body":{"eventId":"e"}}`, 400},
		{"no event", `{"body":{"eventId":"e","journeyId":"j"}}`, 400},
		{"oversized", `{"event":"Finished Journey","body":{"eventId":"e","journeyId":"j","pad":"` + strings.Repeat("x", 600) + `"}}`, 413},
	} {
		if rec := post(h, tc.body, auth...); rec.Code != tc.code {
			t.Errorf("%s: %d, want %d", tc.name, rec.Code, tc.code)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/hooks/idwise", nil)
	req.Header.Set("Authorization", "Bearer t")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "POST" {
		t.Errorf("GET: %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
	if s.n() != 0 {
		t.Errorf("handler called for refused requests")
	}
}

func TestWebhookConfig(t *testing.T) {
	handle := func(context.Context, *WebhookEvent) error { return nil }
	for _, cfg := range []WebhookConfig{
		{Handle: handle},
		{Auth: BearerAuth("t")},
		{Auth: BearerAuth(""), Handle: handle},
		{Auth: BasicAuth("u", ""), Handle: handle},
		{Auth: HeaderAuth("", "v"), Handle: handle},
		{Auth: HeaderAuth("Bad Name", "v"), Handle: handle},
		{Auth: HeaderAuth("X-Key", ""), Handle: handle},
	} {
		if _, err := WebhookHandler(cfg); err == nil {
			t.Errorf("%v accepted", cfg.Auth)
		}
	}
}

func TestWebhookAuthNotPrinted(t *testing.T) {
	for _, a := range []WebhookAuth{BasicAuth("user", "pa55-hook"), BearerAuth("pa55-hook"), HeaderAuth("X-K", "pa55-hook")} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
			if s := fmt.Sprintf(verb, a); strings.Contains(s, "pa55") {
				t.Errorf("%s prints the secret: %s", verb, s)
			}
		}
	}
}
