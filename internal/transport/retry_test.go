package transport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

func TestRetryAfterIsClamped(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"120", 2 * time.Minute, true},
		{" 7 ", 7 * time.Second, true},
		{"86399", 86399 * time.Second, true},
		{"86400", RetryAfterCap, true},
		{"9999999999", RetryAfterCap, true}, // overflowed time.Duration into a negative wait once
		{"99999999999999999999999999", RetryAfterCap, true},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"Fri, 31 Dec 9999 23:59:59 GMT", RetryAfterCap, true},
	} {
		h := http.Header{}
		if tt.header != "" {
			h.Set("Retry-After", tt.header)
		}
		if got, ok := RetryAfter(h, now); got != tt.want || ok != tt.ok {
			t.Errorf("Retry-After %q: %v %v, want %v %v", tt.header, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNotSent(t *testing.T) {
	refused := &net.OpError{Op: "dial", Err: errors.New("connection refused")}
	reset := &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{&net.DNSError{Err: "no such host", Name: "x.invalid"}, true},
		{refused, true},
		{errors.Join(errors.New("Post"), refused), true},
		{reset, false},
		{context.DeadlineExceeded, false},
		{errors.New("EOF"), false},
	} {
		if got := NotSent(tt.err); got != tt.want {
			t.Errorf("NotSent(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestWindowDoublesUpToTheCap(t *testing.T) {
	base, maxDelay := 200*time.Millisecond, 1500*time.Millisecond
	want := []time.Duration{200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, 1500 * time.Millisecond, 1500 * time.Millisecond}
	for i, w := range want {
		if got := Window(base, maxDelay, i+1); got != w {
			t.Errorf("retry %d: window %v, want %v", i+1, got, w)
		}
	}
	if got := Window(time.Second, time.Second, 1000); got != time.Second {
		t.Errorf("a large n: %v", got)
	}
}

func TestSleep(t *testing.T) {
	if err := Sleep(context.Background(), time.Nanosecond); err != nil {
		t.Errorf("Sleep = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep on a cancelled context = %v", err)
	}
	if err := Sleep(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep(0) on a cancelled context = %v", err)
	}
}
