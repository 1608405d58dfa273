// Package transport holds what the gbg and idwise clients share below their APIs: when a
// failed request may be sent again and how long to wait, which redirects may be followed
// with credentials, how much of a response body is read, and the text of an error
// document's members. Which calls may be retried, and on which statuses, is each client's
// own business.
package transport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Policy is the retry policy both clients expose as their RetryPolicy (the fields are the
// same, so each converts to this type to fill in the defaults).
type Policy struct {
	MaxAttempts   int
	BaseDelay     time.Duration
	MaxDelay      time.Duration
	MaxRetryAfter time.Duration
}

// The defaults of a zero Policy.
const (
	DefaultAttempts      = 4
	DefaultBaseDelay     = 250 * time.Millisecond
	DefaultMaxDelay      = 10 * time.Second
	DefaultMaxRetryAfter = time.Minute
)

// WithDefaults fills in the zero (or negative) fields of p, and raises MaxDelay to BaseDelay.
func (p Policy) WithDefaults() Policy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultBaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultMaxDelay
	}
	p.MaxDelay = max(p.MaxDelay, p.BaseDelay)
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = DefaultMaxRetryAfter
	}
	return p
}

// RetryAfterCap is the longest wait a Retry-After header yields: a longer one, or one beyond
// time.Duration (9999999999 seconds would overflow into a negative wait), counts as this.
const RetryAfterCap = 24 * time.Hour

// RetryAfter parses the Retry-After header of h: delay seconds (digits only) or an HTTP date,
// at most RetryAfterCap. ok reports whether the header was present and valid; a date in the past
// is a zero wait.
func RetryAfter(h http.Header, now time.Time) (d time.Duration, ok bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if strings.Trim(v, "0123456789") == "" {
		n, err := strconv.ParseInt(v, 10, 64) // digits only: err is a range error
		if err != nil || n >= int64(RetryAfterCap/time.Second) {
			return RetryAfterCap, true
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), RetryAfterCap), true
	}
	return 0, false
}

// NotSent reports whether err proves that the request never reached the server: it failed
// while resolving the host or connecting to it. Only then may a call that changes something
// be sent again.
func NotSent(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// Window is the backoff window of retry number n (1 for the first): base doubled n-1
// times, capped at maxDelay. Callers draw the wait from [0, Window) ("full jitter").
func Window(base, maxDelay time.Duration, n int) time.Duration {
	w := base
	for i := 1; i < n && w < maxDelay; i++ {
		w *= 2
	}
	return min(w, maxDelay)
}

// Sleep waits for d or until ctx ends, whichever comes first, and returns ctx's error if it
// ended. A zero or negative d returns at once, with ctx's error.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
