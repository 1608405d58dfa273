package gbg

import (
	"context"
	"fmt"
	"time"
)

// A WaitOption tunes WaitForCompletion and WaitForCompletionV2.
type WaitOption func(*waitOptions)

type waitOptions struct {
	first, max time.Duration
	filterKeys []string
}

// PollInterval sets the wait before the second poll (first, default 1s);
// each later wait is half as long again, up to max (default 15s).
func PollInterval(first, max time.Duration) WaitOption {
	return func(o *waitOptions) {
		if first > 0 {
			o.first = first
		}
		if max > 0 {
			o.max = max
		}
	}
}

// PollFilterKeys passes filterKeys to every FetchState of
// WaitForCompletion. WaitForCompletionV2 ignores it.
func PollFilterKeys(keys ...string) WaitOption {
	return func(o *waitOptions) { o.filterKeys = keys }
}

// WaitForCompletion polls the state of a v1 journey instance, with a growing
// interval, until its status is Completed or Failed, or ctx ends.
//
// On Completed it returns the state and nil. On Failed it returns the state
// and an error wrapping ErrJourneyFailed. When ctx ends it returns the last
// state seen (nil if none) and an error wrapping ctx.Err(). An error of
// FetchState (after its own retries) ends the wait at once. Paused and any
// other status keep it polling.
func (c *Client) WaitForCompletion(ctx context.Context, instanceID string, opts ...WaitOption) (*State, error) {
	o := waitConfig(opts)
	return poll(ctx, c.st, "WaitForCompletion", instanceID, o, func() (*State, Status, error) {
		s, err := c.FetchState(ctx, instanceID, o.filterKeys...)
		if err != nil {
			return nil, "", err
		}
		return s, s.Status, nil
	})
}

// WaitForCompletionV2 is WaitForCompletion for a v2 journey instance,
// polling FetchStateV2.
func (c *Client) WaitForCompletionV2(ctx context.Context, instanceID string, opts ...WaitOption) (*StateV2, error) {
	o := waitConfig(opts)
	return poll(ctx, c.st, "WaitForCompletionV2", instanceID, o, func() (*StateV2, Status, error) {
		s, err := c.FetchStateV2(ctx, instanceID)
		if err != nil {
			return nil, "", err
		}
		return s, s.Status, nil
	})
}

func waitConfig(opts []WaitOption) waitOptions {
	o := waitOptions{first: time.Second, max: 15 * time.Second}
	for _, f := range opts {
		f(&o)
	}
	o.max = max(o.max, o.first)
	return o
}

func poll[T any](ctx context.Context, st *settings, op, instanceID string, o waitOptions, fetch func() (*T, Status, error)) (*T, error) {
	var last *T
	interval := o.first
	for {
		if err := ctx.Err(); err != nil {
			return last, fmt.Errorf("gbg: %s %s: %w", op, instanceID, err)
		}
		s, status, err := fetch()
		if err != nil {
			if ctx.Err() != nil {
				return last, fmt.Errorf("gbg: %s %s: %w", op, instanceID, ctx.Err())
			}
			return last, err
		}
		last = s
		switch {
		case status.Equal(StatusCompleted):
			return s, nil
		case status.Equal(StatusFailed):
			return s, fmt.Errorf("gbg: journey instance %s: %w", instanceID, ErrJourneyFailed)
		}
		if err := st.sleep(ctx, interval); err != nil {
			return last, fmt.Errorf("gbg: %s %s: %w", op, instanceID, err)
		}
		interval = min(interval+interval/2, o.max)
	}
}
