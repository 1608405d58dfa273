package gbg

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

const (
	pToken       = "/as/token.oauth2"
	pStart       = "/captain/api/journey/start"
	pTaskList    = "/captain/api/journey/task/list"
	pTaskSchema  = "/captain/api/journey/task/schema"
	pTaskSchemas = "/captain/api/journey/task/list/schema"
	pTaskUpdate  = "/captain/api/journey/task/update"
	pState       = "/captain/api/journey/state/fetch"
	pDelete      = "/captain/api/journey/state/delete"
	pDevStart    = "/captain/api/journey/device/start"
	pDevConnect  = "/captain/api/journey/device/connect"
	pHealth      = "/captain/api/journey/health"
	pStartV2     = "/v2/captain/journey/start"
	pStateV2     = "/v2/captain/journey/state/fetch"
	pInterFetch  = "/v2/captain/journey/interaction/fetch"
	pInterSubmit = "/v2/captain/journey/interaction/submit"
)

const taskListOK = `{"status":"InProgress","instanceId":"` + testInstance + `","tasks":[{"taskId":"` + testTask + `"}]}`

func formKeys(v url.Values) []string {
	var k []string
	for key := range v {
		k = append(k, key)
	}
	sort.Strings(k)
	return k
}

func TestClientCredentialsGrant(t *testing.T) {
	h := newHarness(t)
	h.reply(pHealth, 200, `{"message":"OK"}`)
	msg, err := h.c.Health(context.Background())
	if err != nil || msg != "OK" {
		t.Fatalf("Health = %q, %v", msg, err)
	}
	tok := h.last(pToken)
	if tok.Method != http.MethodPost || tok.ContentType != "application/x-www-form-urlencoded" {
		t.Errorf("token request: %s %s", tok.Method, tok.ContentType)
	}
	if tok.Auth != "" {
		t.Errorf("token request has Authorization %q; credentials belong in the form", tok.Auth)
	}
	want := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {testClientID},
		"client_secret": {testSecret},
		"scope":         {"gbg.token"},
	}
	if !reflect.DeepEqual(tok.Form, want) {
		t.Errorf("token form = %v (keys %v), want %v", tok.Form, formKeys(tok.Form), want)
	}
	api := h.last(pHealth)
	if api.Method != http.MethodGet || api.Auth != "Bearer tok-1" {
		t.Errorf("health: %s, Authorization %q", api.Method, api.Auth)
	}
}

func TestPasswordGrant(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Username, c.Password = testUser, testPassword })
	h.reply(pTaskList, 200, taskListOK)
	if _, err := h.c.ListTasks(context.Background(), testInstance); err != nil {
		t.Fatal(err)
	}
	tok := h.last(pToken)
	if tok.Auth != "" {
		t.Errorf("token request has Authorization %q", tok.Auth)
	}
	want := url.Values{
		"grant_type":    {"password"},
		"client_id":     {testClientID},
		"client_secret": {testSecret},
		"username":      {testUser},
		"password":      {testPassword},
	}
	if !reflect.DeepEqual(tok.Form, want) {
		t.Errorf("token form = %v, want %v", tok.Form, want)
	}
	if got := h.last(pTaskList).Auth; got != "Bearer tok-1" {
		t.Errorf("Authorization = %q", got)
	}
}

func TestTokenCachedAcrossCalls(t *testing.T) {
	h := newHarness(t)
	h.reply(pTaskList, 200, taskListOK)
	for range 3 {
		if _, err := h.c.ListTasks(context.Background(), testInstance); err != nil {
			t.Fatal(err)
		}
	}
	if n := h.tokenFetches(); n != 1 {
		t.Errorf("token fetched %d times for 3 calls, want 1", n)
	}
}

func TestTokenRenewedBeforeExpiry(t *testing.T) {
	h := newHarness(t)
	h.expiresIn = 120 // renewed after 90s: a quarter of its life before expiry
	h.reply(pTaskList, 200, taskListOK)
	ctx := context.Background()
	call := func() string {
		t.Helper()
		if _, err := h.c.ListTasks(ctx, testInstance); err != nil {
			t.Fatal(err)
		}
		return h.last(pTaskList).Auth
	}
	if got := call(); got != "Bearer tok-1" {
		t.Fatalf("first call: %q", got)
	}
	h.clock.Advance(80 * time.Second)
	if got := call(); got != "Bearer tok-1" {
		t.Errorf("at 80s of 120s: %q, want the cached tok-1", got)
	}
	h.clock.Advance(20 * time.Second)
	if got := call(); got != "Bearer tok-2" {
		t.Errorf("at 100s of 120s: %q, want a renewed tok-2", got)
	}
	if n := h.tokenFetches(); n != 2 {
		t.Errorf("token fetches = %d, want 2", n)
	}
}

func TestConcurrentCallersShareOneTokenFetch(t *testing.T) {
	h := newHarness(t)
	release := make(chan struct{})
	h.tokenFunc = func(w http.ResponseWriter, _ *http.Request, n int) {
		<-release // hold the fetch until every caller is waiting or fetching
		writeJSON(w, 200, fmt.Sprintf(`{"access_token":"tok-%d","token_type":"Bearer","expires_in":3600}`, n))
	}
	h.reply(pTaskList, 200, taskListOK)
	const callers = 50
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() {
			_, err := h.c.ListTasks(context.Background(), testInstance)
			errs <- err
		})
	}
	// Give the goroutines a chance to pile up on the fetch; correctness does
	// not depend on it, only how much the test exercises.
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := h.tokenFetches(); n != 1 {
		t.Errorf("%d callers caused %d token fetches, want 1", callers, n)
	}
	if n := h.count(pTaskList); n != callers {
		t.Errorf("task list requests = %d, want %d", n, callers)
	}
	for _, r := range h.requests(pTaskList) {
		if r.Auth != "Bearer tok-1" {
			t.Fatalf("Authorization = %q", r.Auth)
		}
	}
}

func TestUnauthorizedRefreshesTokenOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		path string
		call func(c *Client) error
	}{
		{"read", pTaskList, func(c *Client) error { _, err := c.ListTasks(context.Background(), testInstance); return err }},
		{"start", pStart, func(c *Client) error {
			_, err := c.StartJourney(context.Background(), testResource, nil)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.route(tc.path, func(w http.ResponseWriter, r *http.Request, _ int) {
				if r.Header.Get("Authorization") == "Bearer tok-1" {
					writeJSON(w, 401, `{"status":401,"message":"token expired","error":"Unauthorized"}`)
					return
				}
				writeJSON(w, 200, taskListOK)
			})
			if err := tc.call(h.c); err != nil {
				t.Fatal(err)
			}
			if n := h.tokenFetches(); n != 2 {
				t.Errorf("token fetches = %d, want 2", n)
			}
			rs := h.requests(tc.path)
			if len(rs) != 2 || rs[0].Auth != "Bearer tok-1" || rs[1].Auth != "Bearer tok-2" {
				t.Errorf("requests = %+v, want tok-1 then tok-2", rs)
			}
			if len(h.sleep.list()) != 0 {
				t.Errorf("slept %v before the retry after 401", h.sleep.list())
			}
		})
	}
}

func TestUnauthorizedTwiceIsAnError(t *testing.T) {
	h := newHarness(t)
	h.reply(pTaskList, 401, `{"status":401,"message":"nope","error":"Unauthorized"}`)
	_, err := h.c.ListTasks(context.Background(), testInstance)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || apiErr.Op != "ListTasks" {
		t.Fatalf("err = %v, want a 401 *APIError of ListTasks", err)
	}
	if n, m := h.count(pTaskList), h.tokenFetches(); n != 2 || m != 2 {
		t.Errorf("requests = %d, token fetches = %d; want 2 and 2", n, m)
	}
}

func TestTokenErrorHasNoSecrets(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Username, c.Password = testUser, testPassword })
	h.tokenFunc = func(w http.ResponseWriter, _ *http.Request, _ int) {
		// A server that echoes what it got: the error must not carry it on.
		writeJSON(w, 401, `{"error":"invalid_client","error_description":"bad secret `+testSecret+` or password `+testPassword+`"}`)
	}
	h.reply(pTaskList, 200, taskListOK)
	_, err := h.c.ListTasks(context.Background(), testInstance)
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	if apiErr.Op != "GetToken" || apiErr.StatusCode != 401 || apiErr.ErrorText != "invalid_client" || apiErr.RequestID != "req-as.token.oauth2-1" {
		t.Errorf("APIError = %+v", apiErr)
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		t.Error("the oauth2.RetrieveError (which quotes the body) is reachable with errors.As")
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), string(apiErr.Body), apiErr.Message} {
		for _, secret := range []string{testSecret, testPassword} {
			if strings.Contains(s, secret) {
				t.Errorf("error text contains a secret: %s", s)
			}
		}
	}
	if !strings.Contains(apiErr.Message, "[REDACTED]") {
		t.Errorf("Message = %q, want the secrets replaced", apiErr.Message)
	}
	if n := h.count(pTaskList); n != 0 {
		t.Errorf("the API was called %d times without a token", n)
	}
	if n := h.tokenFetches(); n != 1 {
		t.Errorf("a 401 from the token endpoint was retried: %d fetches", n)
	}
}

func TestTokenFetchRetriedOn503(t *testing.T) {
	h := newHarness(t)
	h.tokenFunc = func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "3")
			writeJSON(w, 503, `{"error":"temporarily_unavailable"}`)
			return
		}
		writeJSON(w, 200, `{"access_token":"tok-ok","token_type":"Bearer","expires_in":3600}`)
	}
	h.reply(pStart, 200, `{"instanceId":"`+testInstance+`"}`)
	if _, err := h.c.StartJourney(context.Background(), testResource, nil); err != nil {
		t.Fatal(err)
	}
	if got := h.last(pStart).Auth; got != "Bearer tok-ok" {
		t.Errorf("Authorization = %q", got)
	}
	if got := h.sleep.list(); !reflect.DeepEqual(got, []time.Duration{3 * time.Second}) {
		t.Errorf("waits = %v, want [3s] from Retry-After", got)
	}
	if n := h.count(pStart); n != 1 {
		t.Errorf("start sent %d times", n)
	}
}
