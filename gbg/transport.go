package gbg

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gbggen/gbggen/internal/transport"
)

// settings are shared by a Client and the DeviceClients it makes.
type settings struct {
	hc      *http.Client // with checkRedirect
	log     *slog.Logger
	policy  RetryPolicy
	scrub   *transport.Scrubber
	maxBody int64 // the largest response body read

	// Seams for tests.
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(n int64) int64 // uniform in [0, n)
}

// backoff is the wait before retry number n (1 for the first retry):
// full jitter over an exponentially growing, capped window.
func (s *settings) backoff(n int) time.Duration {
	window := transport.Window(s.policy.BaseDelay, s.policy.MaxDelay, n)
	return time.Duration(s.jitter(int64(window)))
}

func (s *settings) logAttempt(ctx context.Context, op string, req *http.Request, resp *http.Response, err error, d time.Duration, attempt int) {
	if !s.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("op", op),
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("attempt", attempt),
		slog.Duration("duration", d),
	}
	tok := bearerOf(req)
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if id := resp.Header.Get("X-Request-ID"); id != "" {
			attrs = append(attrs, slog.String("request_id", s.scrub.Scrub(id, tok)))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", s.scrub.Scrub(err.Error(), tok)))
	}
	s.log.LogAttrs(ctx, slog.LevelDebug, "gbg: http", attrs...)
}

// operation describes an endpoint: its name and whether a request that may
// have reached the server can be sent again.
type operation struct {
	name string
	// safe: reading calls, sent again after connection errors and 429, 502,
	// 503 and 504. Other calls are sent again only when the first attempt
	// certainly did not reach the server (it could not connect) or was
	// refused before processing (401 with a stale token, 429).
	safe bool
}

var operations = []struct {
	suffix string
	op     operation
}{
	{"/captain/api/journey/start", operation{"StartJourney", false}},
	{"/captain/api/journey/task/list", operation{"ListTasks", true}},
	{"/captain/api/journey/task/schema", operation{"TaskSchema", true}},
	{"/captain/api/journey/task/list/schema", operation{"TaskSchemas", true}},
	{"/captain/api/journey/task/update", operation{"UpdateTask", false}},
	{"/captain/api/journey/state/fetch", operation{"FetchState", true}},
	{"/captain/api/journey/state/delete", operation{"DeleteInstance", false}},
	{"/captain/api/journey/device/start", operation{"StartDevice", false}},
	{"/captain/api/journey/device/connect", operation{"ConnectDevice", false}},
	{"/captain/api/journey/health", operation{"Health", true}},
	{"/v2/captain/journey/start", operation{"StartJourneyV2", false}},
	{"/v2/captain/journey/state/fetch", operation{"FetchStateV2", true}},
	{"/v2/captain/journey/interaction/fetch", operation{"FetchInteraction", true}},
	{"/v2/captain/journey/interaction/submit", operation{"SubmitInteraction", false}},
}

// lookupOperation classifies a request. Unknown POSTs are treated as unsafe.
func lookupOperation(req *http.Request) operation {
	for _, o := range operations {
		if strings.HasSuffix(req.URL.Path, o.suffix) {
			return o.op
		}
	}
	switch req.Method {
	case http.MethodGet, http.MethodHead:
		return operation{req.Method + " " + req.URL.Path, true}
	}
	return operation{req.Method + " " + req.URL.Path, false}
}

// retryableStatus reports the statuses worth another attempt.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// doer is the generated client's HttpRequestDoer: it adds the bearer token,
// retries, renews the token after a 401, and logs every attempt.
type doer struct {
	st     *settings
	tokens tokenSource // nil: send requests as they are
}

func (d *doer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	op := lookupOperation(req)
	p := d.st.policy
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	// A request that already carries credentials (the device connect call)
	// is sent as it is.
	auth := d.tokens != nil && req.Header.Get("Authorization") == ""
	refreshed := false

	for attempt := 1; ; attempt++ {
		canRetry := replayable && attempt < p.MaxAttempts
		r := req.Clone(ctx)
		if attempt > 1 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r.Body = body
		}
		var tok string
		if auth {
			var err error
			tok, err = d.tokens.token(ctx)
			if err != nil {
				// The request itself was not sent; the token request is safe
				// to repeat.
				wait, ok := d.retryToken(err, attempt)
				if !ok || !canRetry || ctx.Err() != nil || outlasts(ctx, wait) {
					return nil, err
				}
				if err := d.st.sleep(ctx, wait); err != nil {
					return nil, err
				}
				continue
			}
			r.Header.Set("Authorization", "Bearer "+tok)
		}

		var wrote atomic.Bool
		r = r.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			WroteHeaders: func() { wrote.Store(true) },
		}))
		start := time.Now()
		resp, err := d.st.hc.Do(r)
		d.st.logAttempt(ctx, op.name, r, resp, err, time.Since(start), attempt)

		if err != nil {
			var redirect *RedirectError
			if ctx.Err() != nil || !canRetry || errors.As(err, &redirect) {
				return nil, err
			}
			if !op.safe && (wrote.Load() || !transport.NotSent(err)) {
				return nil, err // it may have been processed
			}
			wait := d.st.backoff(attempt)
			if outlasts(ctx, wait) {
				return nil, err
			}
			if err := d.st.sleep(ctx, wait); err != nil {
				return nil, err
			}
			continue
		}
		resp.Body = transport.LimitBody(resp.Body, d.st.maxBody)

		if resp.StatusCode == http.StatusUnauthorized && auth && !refreshed && replayable && d.tokens.invalidate(tok) {
			// Refused before processing: one more try with a fresh token,
			// whatever the operation. It does not count as an attempt.
			refreshed = true
			discard(resp)
			attempt--
			continue
		}

		if canRetry && retryableStatus(resp.StatusCode) && (op.safe || resp.StatusCode == http.StatusTooManyRequests) {
			wait, ok := transport.RetryAfter(resp.Header, d.st.now())
			if ok && wait > p.MaxRetryAfter {
				return resp, nil // the caller gets the *APIError with RetryAfter
			}
			if !ok {
				wait = d.st.backoff(attempt)
			}
			if outlasts(ctx, wait) {
				return resp, nil // the *APIError now rather than a context error later
			}
			discard(resp)
			if err := d.st.sleep(ctx, wait); err != nil {
				return nil, err
			}
			continue
		}
		if op.safe && canRetry && resp.StatusCode/100 == 2 {
			// A reading call whose answer is cut short (the connection was
			// lost after the headers) is sent again, like one that got no
			// answer at all: read the body while a retry is still possible.
			body, err := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if errors.Is(err, ErrResponseTooLarge) {
				return nil, err // sending it again would not make it shorter
			}
			if err != nil {
				wait := d.st.backoff(attempt)
				if ctx.Err() != nil || outlasts(ctx, wait) {
					return nil, err
				}
				if err := d.st.sleep(ctx, wait); err != nil {
					return nil, err
				}
				continue
			}
			resp.Body = io.NopCloser(bytes.NewReader(body))
		}
		return resp, nil
	}
}

// outlasts reports whether a wait of d would end after ctx's deadline. Such
// a wait is not begun: the call returns the error at hand at once instead of
// a context error at the deadline.
func outlasts(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) < d
}

// retryToken decides whether a failed token fetch is worth another attempt
// and how long to wait first.
func (d *doer) retryToken(err error, attempt int) (time.Duration, bool) {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		if !retryableStatus(apiErr.StatusCode) {
			return 0, false
		}
		if apiErr.RetryAfter > d.st.policy.MaxRetryAfter {
			return 0, false
		}
		if apiErr.RetryAfter > 0 {
			return apiErr.RetryAfter, true
		}
		return d.st.backoff(attempt), true
	}
	var redirect *RedirectError
	if isContextError(err) || errors.As(err, &redirect) {
		return 0, false
	}
	return d.st.backoff(attempt), true // a connection error
}

// discard drains a little of the body so the connection can be reused, and
// closes it.
func discard(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
	_ = resp.Body.Close()
}

// ErrResponseTooLarge is reported (wrapped; use errors.Is) when a response
// body is longer than Config.MaxResponseBytes. It is the same error as
// idwise.ErrResponseTooLarge.
var ErrResponseTooLarge = transport.ErrTooLarge

// bearerOf returns the bearer token a request carries, or "".
func bearerOf(req *http.Request) string {
	if req == nil {
		return ""
	}
	tok, _ := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
	return tok
}
