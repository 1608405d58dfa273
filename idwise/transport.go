package idwise

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"

	"github.com/gbggen/gbggen/internal/transport"
)

// settings are what every request needs besides itself.
type settings struct {
	hc      *http.Client
	log     *slog.Logger
	policy  RetryPolicy
	maxBody int64 // the largest response body read
	key     string
	secret  string
	scrub   *transport.Scrubber // of key, secret and the Basic token of them

	// Seams for tests.
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(n int64) int64 // uniform in [0, n)
}

// newScrubber returns the scrubber of a client's credentials: each in every
// form a server may quote it in (see transport.Scrubber), and the Basic
// token made of them.
func newScrubber(key, secret string) *transport.Scrubber {
	return transport.NewScrubber(key, secret, base64.StdEncoding.EncodeToString([]byte(key+":"+secret)))
}

// transportError is the error of a call that got no response, or whose
// response could not be read: op named, its message scrubbed.
func (s *settings) transportError(op string, err error) error {
	var redirect *RedirectError
	if errors.As(err, &redirect) {
		// Not the *url.Error around it, whose URL is the Location the
		// server sent.
		err = redirect
	} else {
		err = s.scrub.URLError(err)
	}
	return &scrubbedError{msg: s.scrub.Scrub("idwise: " + op + ": " + err.Error()), err: err}
}

// scrubbedError is an error whose message had secrets removed. It unwraps to
// the cause so that errors.Is and errors.As work for network, context,
// size and redirect errors, whose fields hold no secret.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// operation describes a call: its name, whether sending it twice is
// harmless, and the shortest wait before sending it again.
type operation struct {
	name string
	// idempotent calls (summary, result, delete) are sent again after a
	// connection error and on 429 and 5xx. The others (start, process step,
	// complete) are sent again only when the first attempt certainly did not
	// reach the server.
	idempotent bool
	minWait    time.Duration
}

type opKey struct{}

func withOp(ctx context.Context, op operation) context.Context {
	return context.WithValue(ctx, opKey{}, op)
}

func opOf(req *http.Request) operation {
	if op, ok := req.Context().Value(opKey{}).(operation); ok {
		return op
	}
	return operation{name: req.Method + " " + req.URL.Path}
}

// retryableStatus reports the statuses an idempotent call is sent again on:
// 429 and the 5xx that say "try later" or "something broke" (not 501 Not
// Implemented or 505).
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

func (s *settings) backoff(op operation, n int) time.Duration {
	window := transport.Window(s.policy.BaseDelay, s.policy.MaxDelay, n)
	return max(time.Duration(s.jitter(int64(window))), op.minWait)
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
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", s.scrub.Scrub(err.Error())))
	}
	s.log.LogAttrs(ctx, slog.LevelDebug, "idwise: http", attrs...)
}

// doer is the generated client's HttpRequestDoer: it adds Basic
// authentication, retries what may be retried, and logs every attempt.
type doer struct{ st *settings }

func (d *doer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	op := opOf(req)
	p := d.st.policy
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil

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
		r.SetBasicAuth(d.st.key, d.st.secret)

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
			if !op.idempotent && (wrote.Load() || !transport.NotSent(err)) {
				return nil, err // it may have been processed
			}
			if err := d.pause(ctx, op, attempt, err); err != nil {
				return nil, err
			}
			continue
		}
		resp.Body = transport.LimitBody(resp.Body, d.st.maxBody)

		if canRetry && op.idempotent && retryableStatus(resp.StatusCode) {
			wait, ok := transport.RetryAfter(resp.Header, d.st.now())
			if ok && wait > p.MaxRetryAfter {
				return resp, nil // the caller gets the *APIError with RetryAfter
			}
			if ok {
				wait = max(wait, op.minWait)
			} else {
				wait = d.st.backoff(op, attempt)
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
		if op.idempotent && canRetry && resp.StatusCode/100 == 2 {
			// A reading call whose answer is cut short (the connection was
			// lost after the headers) is sent again, like one that got no
			// answer at all: read the body while a retry is still possible.
			body, err := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if errors.Is(err, ErrResponseTooLarge) {
				return nil, err // sending it again would not make it shorter
			}
			if err != nil {
				if err := d.pause(ctx, op, attempt, err); err != nil {
					return nil, err
				}
				continue
			}
			resp.Body = io.NopCloser(bytes.NewReader(body))
		}
		return resp, nil
	}
}

// pause sleeps before the retry that follows the connection error cause. A
// wait that would outlast ctx is not begun: cause is returned at once, worth
// more than a context error at the deadline.
func (d *doer) pause(ctx context.Context, op operation, attempt int, cause error) error {
	w := d.st.backoff(op, attempt)
	if outlasts(ctx, w) {
		return cause
	}
	return d.st.sleep(ctx, w)
}

// outlasts reports whether a wait of w would end after ctx's deadline.
func outlasts(ctx context.Context, w time.Duration) bool {
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) < w
}

// ErrResponseTooLarge is reported (wrapped; use errors.Is) when a response
// body is longer than Config.MaxResponseBytes. It is the same error as
// gbg.ErrResponseTooLarge.
var ErrResponseTooLarge = transport.ErrTooLarge

// discard drains a little of the body so the connection can be reused, and
// closes it.
func discard(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
	_ = resp.Body.Close()
}
