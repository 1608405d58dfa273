package idwise

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a webhook endpoint that fails the first failures calls with 500.
type receiver struct {
	mu       sync.Mutex
	failures int
	calls    []received
}

type received struct {
	header http.Header
	event  Event
	raw    string
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	data, _ := io.ReadAll(r.Body)
	var ev Event
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	_ = dec.Decode(&ev)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.calls = append(rc.calls, received{header: r.Header.Clone(), event: ev, raw: string(data)})
	if len(rc.calls) <= rc.failures {
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) received() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.calls...)
}

func waitDeliveries(t *testing.T, srv *Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a hang guard, not a timing assertion
	defer cancel()
	if err := srv.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestWebhookRetry: a finished journey is posted until the receiver answers 2xx, each attempt
// with the same eventId and the configured credentials.
func TestWebhookRetry(t *testing.T) {
	for _, c := range []struct {
		auth         string
		header, want string
	}{
		{"basic:hooks:s3cret", "Authorization", "Basic aG9va3M6czNjcmV0"},
		{"bearer:tok-123", "Authorization", "Bearer tok-123"},
		{"header:X-Webhook-Key:k-456", "X-Webhook-Key", "k-456"},
	} {
		rc := &receiver{failures: 2}
		hook := httptest.NewServer(rc)
		auth, err := ParseWebhookAuth(c.auth)
		if err != nil {
			t.Fatal(err)
		}
		e := newEnv(t, WithWebhook(Webhook{URL: hook.URL + "/hooks/idwise", Auth: auth, Backoff: time.Millisecond}))
		id, res := e.run("hook-ref", "", "doc", "face")
		waitDeliveries(t, e.srv)
		hook.Close()
		calls := rc.received()
		if len(calls) != 3 {
			t.Fatalf("%s: %d deliveries, want 3 (two failures, then success)", c.auth, len(calls))
		}
		first := calls[0].event
		if first.Event != EventFinishedJourney || first.Body.JourneyID != id || first.Body.ReferenceNo != "hook-ref" ||
			first.Body.SystemDecision != res["system_decision"] || first.Body.FinalDecision != res["final_decision"] || first.Body.FlowID != DemoFlowID || !uuidRE.MatchString(first.Body.EventID) {
			t.Errorf("%s: event %+v (raw %s)", c.auth, first, calls[0].raw)
		}
		for i, call := range calls {
			if call.event.Body.EventID != first.Body.EventID {
				t.Errorf("%s: attempt %d eventId %q, first %q", c.auth, i+1, call.event.Body.EventID, first.Body.EventID)
			}
			if got := call.header.Get(c.header); got != c.want {
				t.Errorf("%s: attempt %d %s %q, want %q", c.auth, i+1, c.header, got, c.want)
			}
			if call.raw != calls[0].raw {
				t.Errorf("%s: attempt %d body differs", c.auth, i+1)
			}
		}
	}
}

func TestWebhookGivesUp(t *testing.T) {
	rc := &receiver{failures: 100}
	hook := httptest.NewServer(rc)
	defer hook.Close()
	e := newEnv(t, WithWebhook(Webhook{URL: hook.URL, MaxAttempts: 4, Backoff: time.Millisecond}))
	e.run("give-up", "", "doc", "face")
	waitDeliveries(t, e.srv)
	if n := len(rc.received()); n != 4 {
		t.Errorf("%d attempts, want MaxAttempts 4", n)
	}
}

// TestWebhookEventPerJourney: two journeys get two events with different IDs.
func TestWebhookEventPerJourney(t *testing.T) {
	rc := &receiver{}
	hook := httptest.NewServer(rc)
	defer hook.Close()
	e := newEnv(t, WithWebhook(Webhook{URL: hook.URL}))
	e.run("one", "", "doc", "face")
	e.run("two", "", "doc REJECT", "face")
	waitDeliveries(t, e.srv)
	calls := rc.received()
	if len(calls) != 2 || calls[0].event.Body.EventID == calls[1].event.Body.EventID {
		t.Fatalf("events: %+v", calls)
	}
	decisions := map[string]string{}
	for _, c := range calls {
		decisions[c.event.Body.ReferenceNo] = c.event.Body.SystemDecision
	}
	if decisions["one"] != DecisionComplete || decisions["two"] != DecisionRejected {
		t.Errorf("decisions %v", decisions)
	}
}

func TestParseWebhookAuth(t *testing.T) {
	for _, c := range []struct {
		in   string
		want WebhookAuth
	}{
		{"", WebhookAuth{}},
		{"basic:u:p:with:colons", WebhookAuth{Kind: "basic", User: "u", Secret: "p:with:colons"}},
		{"Bearer:t", WebhookAuth{Kind: "bearer", Secret: "t"}},
		{"header:X-Key:v", WebhookAuth{Kind: "header", Header: "X-Key", Secret: "v"}},
	} {
		got, err := ParseWebhookAuth(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseWebhookAuth(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"basic:user", "bearer:", "header::topsecret", "digest:topsecret", "header:Bad Name:topsecret"} {
		_, err := ParseWebhookAuth(in)
		if err == nil {
			t.Errorf("ParseWebhookAuth(%q) accepted", in)
		} else if strings.Contains(err.Error(), "topsecret") {
			t.Errorf("ParseWebhookAuth(%q): error shows the secret: %v", in, err)
		}
	}
	if s := (WebhookAuth{Kind: "bearer", Secret: "topsecret"}).String(); strings.Contains(s, "topsecret") {
		t.Errorf("String shows the secret: %s", s)
	}
	if _, err := New(WithWebhook(Webhook{URL: "ftp://x"})); err == nil {
		t.Error("ftp webhook URL accepted")
	}
}
