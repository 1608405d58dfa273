package gbg

import (
	"context"
	"errors"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gbggen/gbggen/generated"
)

// sequence answers the n-th request with steps[n-1] (the last one repeats).
func sequence(steps ...func(w http.ResponseWriter)) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, n int) {
		steps[min(n, len(steps))-1](w)
	}
}

func status(code int, headers ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		writeJSON(w, code, `{"status":`+strconv.Itoa(code)+`,"message":"x"}`)
	}
}

func ok(body string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) { writeJSON(w, 200, body) }
}

// hangUp closes the connection after the request has been read, as a server
// that crashed while processing it.
func hangUp(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func listTasks(c *Client) error {
	_, err := c.ListTasks(context.Background(), testInstance)
	return err
}

func TestReadsAreRetried(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name      string
		steps     []func(http.ResponseWriter)
		requests  int
		waits     []time.Duration
		errStatus int // 0: success
	}{
		{"503 then 502 then ok", []func(http.ResponseWriter){status(503), status(502), ok(taskListOK)}, 3, []time.Duration{250 * ms, 500 * ms}, 0},
		{"504 then ok", []func(http.ResponseWriter){status(504), ok(taskListOK)}, 2, []time.Duration{250 * ms}, 0},
		{"429 with Retry-After seconds", []func(http.ResponseWriter){status(429, "Retry-After", "7"), ok(taskListOK)}, 2, []time.Duration{7 * time.Second}, 0},
		{"503 with Retry-After date", []func(http.ResponseWriter){status(503, "Retry-After", "Thu, 02 Jan 2025 03:04:35 GMT"), ok(taskListOK)}, 2, []time.Duration{30 * time.Second}, 0},
		{"Retry-After too long", []func(http.ResponseWriter){status(429, "Retry-After", "120"), ok(taskListOK)}, 1, nil, 429},
		{"gives up after 4 attempts", []func(http.ResponseWriter){status(503)}, 4, []time.Duration{250 * ms, 500 * ms, 1000 * ms}, 503},
		{"500 is not retried", []func(http.ResponseWriter){status(500), ok(taskListOK)}, 1, nil, 500},
		{"404 is not retried", []func(http.ResponseWriter){status(404), ok(taskListOK)}, 1, nil, 404},
		{"connection lost", []func(http.ResponseWriter){hangUp, ok(taskListOK)}, 2, []time.Duration{250 * ms}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.route(pTaskList, sequence(tc.steps...))
			err := listTasks(h.c)
			if tc.errStatus == 0 && err != nil {
				t.Fatal(err)
			}
			if tc.errStatus != 0 {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.errStatus {
					t.Fatalf("err = %v, want HTTP %d", err, tc.errStatus)
				}
				if tc.name == "Retry-After too long" && apiErr.RetryAfter != 120*time.Second {
					t.Errorf("RetryAfter = %v", apiErr.RetryAfter)
				}
			}
			if n := h.count(pTaskList); n != tc.requests {
				t.Errorf("requests = %d, want %d", n, tc.requests)
			}
			if got := h.sleep.list(); !reflect.DeepEqual(got, tc.waits) {
				t.Errorf("waits = %v, want %v", got, tc.waits)
			}
			for _, r := range h.requests(pTaskList) {
				if r.Body != `{"instanceId":"`+testInstance+`"}` || r.Auth != "Bearer tok-1" {
					t.Errorf("retried request differs: %+v", r)
				}
			}
		})
	}
}

func TestBackoffIsCappedAndJittered(t *testing.T) {
	st := &settings{policy: RetryPolicy{BaseDelay: time.Second, MaxDelay: 5 * time.Second}.withDefaults()}
	var windows []int64
	st.jitter = func(n int64) int64 { windows = append(windows, n); return n / 2 }
	var got []time.Duration
	for n := 1; n <= 5; n++ {
		got = append(got, st.backoff(n))
	}
	s := int64(time.Second)
	if want := []int64{s, 2 * s, 4 * s, 5 * s, 5 * s}; !reflect.DeepEqual(windows, want) {
		t.Errorf("windows = %v, want %v", windows, want)
	}
	if got[0] != 500*time.Millisecond || got[4] != 2500*time.Millisecond {
		t.Errorf("waits = %v, want half of each window", got)
	}
}

func TestRetryPolicyMaxAttempts(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Retry.MaxAttempts = 1 })
	h.route(pTaskList, sequence(status(503), ok(taskListOK)))
	if err := listTasks(h.c); err == nil {
		t.Fatal("no error")
	}
	if n := h.count(pTaskList); n != 1 {
		t.Errorf("requests = %d with MaxAttempts 1", n)
	}
}

// unsafeCalls are the calls that must not be sent twice once the server may
// have processed them.
var unsafeCalls = []struct {
	name string
	path string
	call func(c *Client) error
}{
	{"StartJourney", pStart, func(c *Client) error { _, err := c.StartJourney(context.Background(), testResource, nil); return err }},
	{"StartJourneyV2", pStartV2, func(c *Client) error {
		_, err := c.StartJourneyV2(context.Background(), testResource, DeliveryPage, nil)
		return err
	}},
	{"UpdateTask", pTaskUpdate, func(c *Client) error {
		return c.UpdateTask(context.Background(), testInstance, testTask, IntentComplete, nil)
	}},
	{"SubmitInteraction", pInterSubmit, func(c *Client) error {
		return c.SubmitInteraction(context.Background(), testInstance, "int-1", nil)
	}},
	{"StartDevice", pDevStart, func(c *Client) error {
		_, err := c.StartDevice(context.Background(), testInstance, ScopeAny)
		return err
	}},
	{"ConnectDevice", pDevConnect, func(c *Client) error {
		_, err := c.ConnectDevice(context.Background(), "ct_abcdefgh", DeviceInfo{ID: "d"})
		return err
	}},
	{"DeleteInstance", pDelete, func(c *Client) error { return c.DeleteInstance(context.Background(), testInstance) }},
}

const okAll = `{"instanceId":"` + testInstance + `","status":"success","connectToken":"ct_abcdefgh","endUserToken":"e"}`

func TestWritesAreNotRetriedAfterSending(t *testing.T) {
	for _, uc := range unsafeCalls {
		for name, first := range map[string]func(http.ResponseWriter){
			"502": status(502), "503": status(503, "Retry-After", "1"), "504": status(504), "connection lost": hangUp,
		} {
			t.Run(uc.name+"/"+name, func(t *testing.T) {
				h := newHarness(t)
				h.route(uc.path, sequence(first, ok(okAll)))
				if err := uc.call(h.c); err == nil {
					t.Fatal("no error")
				}
				if n := h.count(uc.path); n != 1 {
					t.Errorf("sent %d times, want 1", n)
				}
				if w := h.sleep.list(); len(w) != 0 {
					t.Errorf("waited %v", w)
				}
			})
		}
	}
}

func TestWritesAreRetriedOn429(t *testing.T) {
	for _, uc := range unsafeCalls {
		t.Run(uc.name, func(t *testing.T) {
			h := newHarness(t)
			h.route(uc.path, sequence(status(429, "Retry-After", "2"), ok(okAll)))
			if err := uc.call(h.c); err != nil {
				t.Fatal(err)
			}
			if n := h.count(uc.path); n != 2 {
				t.Errorf("sent %d times, want 2", n)
			}
			rs := h.requests(uc.path)
			if rs[0].Body != rs[1].Body {
				t.Errorf("the retry sent another body:\n%s\n%s", rs[0].Body, rs[1].Body)
			}
			if w := h.sleep.list(); !reflect.DeepEqual(w, []time.Duration{2 * time.Second}) {
				t.Errorf("waits = %v, want [2s]", w)
			}
		})
	}
}

// TestWritesAreRetriedWhenNotSent: a request that could not even connect
// cannot have been processed, so a start is sent again.
func TestWritesAreRetriedWhenNotSent(t *testing.T) {
	var failDials, dials atomic.Int32
	tr := &http.Transport{
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			if failDials.Load() > 0 {
				failDials.Add(-1)
				return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
			}
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}
	t.Cleanup(tr.CloseIdleConnections)
	h := newHarness(t, func(c *Config) { c.HTTPClient = &http.Client{Transport: tr} })
	h.reply(pHealth, 200, `{"message":"OK"}`)
	h.reply(pStart, 201, `{"instanceId":"`+testInstance+`"}`)
	if _, err := h.c.Health(context.Background()); err != nil { // fetch the token first
		t.Fatal(err)
	}
	failDials.Store(2)
	before := dials.Load()
	if _, err := h.c.StartJourney(context.Background(), testResource, nil); err != nil {
		t.Fatal(err)
	}
	if n := h.count(pStart); n != 1 {
		t.Errorf("start reached the server %d times, want 1", n)
	}
	if d := dials.Load() - before; d != 3 {
		t.Errorf("dials = %d, want 3 (two refused)", d)
	}
	if w := h.sleep.list(); len(w) != 2 {
		t.Errorf("waits = %v, want two backoffs", w)
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	h := newHarness(t)
	h.route(pTaskList, sequence(status(503)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.sleep.onWait = func(int) { cancel() }
	_, err := h.c.ListTasks(ctx, testInstance)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := h.count(pTaskList); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

func TestEscapeHatchIsAuthenticatedAndRetried(t *testing.T) {
	h := newHarness(t)
	h.route(pTaskList, sequence(status(503), ok(taskListOK)))
	resp, err := h.c.API().ListTasksWithResponse(context.Background(), generated.InstanceRequest{InstanceID: testInstance})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != 200 || resp.JSON200 == nil || *resp.JSON200.InstanceID != testInstance {
		t.Fatalf("response: %d %s", resp.StatusCode(), resp.Body)
	}
	if n := h.count(pTaskList); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
	if got := h.last(pTaskList).Auth; got != "Bearer tok-1" {
		t.Errorf("Authorization = %q", got)
	}
}
