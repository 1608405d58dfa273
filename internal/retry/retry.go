// Package retry holds what the gbg and idwise clients share about sending a request again:
// whether a failed request can have reached the server, how long a Retry-After header asks
// to wait, and the exponential window a retry's jittered wait is drawn from. Which calls
// may be retried, and on which statuses, is each client's own business.
package retry

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxAfter is the longest wait a Retry-After header yields: a longer one, or one beyond
// time.Duration (9999999999 seconds would overflow into a negative wait), counts as this.
const MaxAfter = 24 * time.Hour

// After parses the Retry-After header of h: delay seconds (digits only) or an HTTP date,
// at most MaxAfter. ok reports whether the header was present and valid; a date in the past
// is a zero wait.
func After(h http.Header, now time.Time) (d time.Duration, ok bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if strings.Trim(v, "0123456789") == "" {
		n, err := strconv.ParseInt(v, 10, 64) // digits only: err is a range error
		if err != nil || n >= int64(MaxAfter/time.Second) {
			return MaxAfter, true
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), MaxAfter), true
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
