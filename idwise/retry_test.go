package idwise

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
)

// sequence answers the n-th request with steps[n-1] (the last one repeats).
func sequence(steps ...func(w http.ResponseWriter)) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, n int) { steps[min(n, len(steps))-1](w) }
}

func status(code int, headers ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		writeJSON(w, code, `{"success":false,"message":"status `+strconv.Itoa(code)+`","error_code":"e"}`)
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

func TestIdempotentCallsAreRetried(t *testing.T) {
	s := time.Second
	ms := time.Millisecond
	summary := func(c *Client) error { _, err := c.Summary(context.Background(), testJourney); return err }
	result := func(c *Client) error { _, err := c.Result(context.Background(), testJourney); return err }
	del := func(c *Client) error { return c.DeleteJourney(context.Background(), testJourney) }
	tests := []struct {
		name      string
		route     string
		call      func(*Client) error
		steps     []func(http.ResponseWriter)
		requests  int
		waits     []time.Duration
		errStatus int
	}{
		{"summary 503 then ok: waits keep the 2 s floor", "GET /journey/v2/summary/", summary,
			[]func(http.ResponseWriter){status(503), status(502), ok(summaryOK)}, 3, []time.Duration{2 * s, 2 * s}, 0},
		{"summary Retry-After 1 is raised to the floor", "GET /journey/v2/summary/", summary,
			[]func(http.ResponseWriter){status(429, "Retry-After", "1"), ok(summaryOK)}, 2, []time.Duration{2 * s}, 0},
		{"result 503 then 500 then ok", "GET /journey/v2/get-journey-result", result,
			[]func(http.ResponseWriter){status(503), status(500), ok(resultOK)}, 3, []time.Duration{125 * ms, 250 * ms}, 0},
		{"result Retry-After seconds", "GET /journey/v2/get-journey-result", result,
			[]func(http.ResponseWriter){status(429, "Retry-After", "7"), ok(resultOK)}, 2, []time.Duration{7 * s}, 0},
		{"result Retry-After date", "GET /journey/v2/get-journey-result", result,
			[]func(http.ResponseWriter){status(503, "Retry-After", "Thu, 02 Jan 2025 03:04:35 GMT"), ok(resultOK)}, 2, []time.Duration{30 * s}, 0},
		{"Retry-After too long ends the call", "GET /journey/v2/get-journey-result", result,
			[]func(http.ResponseWriter){status(429, "Retry-After", "120"), ok(resultOK)}, 1, nil, 429},
		{"gives up after 4 attempts", "GET /journey/v2/get-journey-result", result,
			[]func(http.ResponseWriter){status(503)}, 4, []time.Duration{125 * ms, 250 * ms, 500 * ms}, 503},
		{"404 is not retried", "GET /journey/v2/get-journey-result", result,
			[]func(http.ResponseWriter){status(404), ok(resultOK)}, 1, nil, 404},
		{"connection lost", "GET /journey/v2/get-journey-result", result,
			[]func(http.ResponseWriter){hangUp, ok(resultOK)}, 2, []time.Duration{125 * ms}, 0},
		{"delete 500 then ok", "DELETE /journey/" + testJourney, del,
			[]func(http.ResponseWriter){status(500), ok(`{}`)}, 2, []time.Duration{125 * ms}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.route(tc.route, sequence(tc.steps...))
			err := tc.call(h.c)
			if tc.errStatus == 0 && err != nil {
				t.Fatal(err)
			}
			if tc.errStatus != 0 {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.errStatus {
					t.Fatalf("err = %v, want HTTP %d", err, tc.errStatus)
				}
			}
			if n := h.count(tc.route); n != tc.requests {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
			if got := h.clock.slept(); !reflect.DeepEqual(got, tc.waits) {
				t.Errorf("waits = %v, want %v", got, tc.waits)
			}
		})
	}
}

// TestUnsafeCallsAreNotRetried: a start, step upload or completion that may
// have been processed is never sent again.
func TestUnsafeCallsAreNotRetried(t *testing.T) {
	calls := map[string]func(*Client) error{
		"POST /journey/v2/start-journey": func(c *Client) error {
			_, err := c.StartJourney(context.Background(), StartRequest{FlowID: testFlow, ReferenceNo: "r1"})
			return err
		},
		"POST /journey/v2/process-journey-step": func(c *Client) error {
			return c.ProcessStep(context.Background(), testJourney, "0", ImageBytes(jpeg), ImageBytes(png))
		},
		"POST /journey/v2/complete-journey": func(c *Client) error {
			return c.CompleteJourney(context.Background(), testJourney)
		},
	}
	for route, call := range calls {
		for name, first := range map[string]func(http.ResponseWriter){
			"503": status(503), "500": status(500), "429": status(429, "Retry-After", "1"),
			"connection reset after send": hangUp,
		} {
			t.Run(route+" "+name, func(t *testing.T) {
				h := newHarness(t)
				h.route(route, sequence(first, ok(startOK)))
				if err := call(h.c); err == nil {
					t.Fatal("no error")
				}
				if n := h.count(route); n != 1 {
					t.Errorf("%d requests, want 1", n)
				}
				if w := h.clock.slept(); len(w) != 0 {
					t.Errorf("waited %v", w)
				}
			})
		}
	}
}

// TestUnsentCallsAreRetried: when the connection could not be made, the
// request provably was not processed and is sent again.
func TestUnsentCallsAreRetried(t *testing.T) {
	var dials atomic.Int32
	h := newHarness(t, func(c *Config) {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		dialer := &net.Dialer{}
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if dials.Add(1) == 1 {
				return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
			}
			return dialer.DialContext(ctx, network, addr)
		}
		c.HTTPClient = &http.Client{Transport: tr}
	})
	h.route("POST /journey/v2/process-journey-step", reply(`{"success":true}`))
	if err := h.c.ProcessStep(context.Background(), testJourney, "0", ImageBytes(jpeg), Image{}); err != nil {
		t.Fatal(err)
	}
	reqs := h.requests()
	if dials.Load() != 2 || len(reqs) != 1 {
		t.Fatalf("%d dials, %d requests; want 2 and 1", dials.Load(), len(reqs))
	}
	if parts := parseForm(t, reqs[0]); len(parts) != 3 || string(parts[2].data) != string(jpeg) {
		t.Errorf("the resent body lost its image: %q", parts)
	}
}

func TestRetryStopsAtDeadline(t *testing.T) {
	h := newHarness(t)
	h.route("GET /journey/v2/get-journey-result", sequence(status(503, "Retry-After", "30"), ok(resultOK)))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := h.c.Result(ctx, testJourney)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("err = %v, want the 503 at once", err)
	}
	if w := h.clock.slept(); len(w) != 0 {
		t.Errorf("waited %v past the deadline", w)
	}
}
