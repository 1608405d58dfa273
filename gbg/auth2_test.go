package gbg

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestTokenEndpointUnreachable(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	h := newHarness(t, func(c *Config) { c.TokenURL = deadURL + "/as/token.oauth2" })
	h.reply(pTaskList, 200, taskListOK)
	err := listTasks(h.c)
	var opErr *net.OpError
	if !errors.As(err, &opErr) || !strings.HasPrefix(err.Error(), "gbg: GetToken: ") {
		t.Fatalf("err = %v (%T), want a GetToken connection error", err, err)
	}
	assertNoSecrets(t, "error", err.Error())
	if w := h.sleep.list(); len(w) != 3 {
		t.Errorf("waits = %v, want 3 (4 attempts)", w)
	}
	if n := h.count(pTaskList); n != 0 {
		t.Errorf("API called %d times without a token", n)
	}
}

func TestCancelledTokenFetchDoesNotPoisonTheCache(t *testing.T) {
	h := newHarness(t)
	h.reply(pTaskList, 200, taskListOK)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.c.ListTasks(ctx, testInstance); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if err := listTasks(h.c); err != nil {
		t.Fatalf("the next call failed: %v", err)
	}
	if got := h.last(pTaskList).Auth; !strings.HasPrefix(got, "Bearer tok-") {
		t.Errorf("Authorization = %q", got)
	}
}

func TestTokenWithoutExpiryIsKept(t *testing.T) {
	h := newHarness(t)
	h.tokenFunc = func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, 200, `{"access_token":"forever","token_type":"Bearer"}`)
	}
	h.reply(pTaskList, 200, taskListOK)
	for range 2 {
		if err := listTasks(h.c); err != nil {
			t.Fatal(err)
		}
		h.clock.Advance(24 * time.Hour)
	}
	if n := h.tokenFetches(); n != 1 {
		t.Errorf("token fetches = %d, want 1", n)
	}
}

func TestLookupOperation(t *testing.T) {
	for _, tc := range []struct {
		method, path, name string
		safe               bool
	}{
		{"POST", "/prefix/captain/api/journey/task/list/schema", "TaskSchemas", true},
		{"POST", "/captain/api/journey/task/list", "ListTasks", true},
		{"POST", "/v2/captain/journey/start", "StartJourneyV2", false},
		{"POST", "/captain/api/journey/start", "StartJourney", false},
		{"POST", "/captain/api/journey/unknown", "POST /captain/api/journey/unknown", false},
		{"GET", "/captain/api/journey/other", "GET /captain/api/journey/other", true},
	} {
		req := httptest.NewRequest(tc.method, tc.path, nil)
		if op := lookupOperation(req); op.name != tc.name || op.safe != tc.safe {
			t.Errorf("%s %s = %+v", tc.method, tc.path, op)
		}
	}
}
