package idwise

import (
	"context"
	"fmt"
	"time"
)

// A WaitOption tunes WaitForSummary.
type WaitOption func(*waitOptions)

type waitOptions struct {
	interval time.Duration
	until    func(*Summary) bool
	what     string
}

// PollEvery sets the wait between two summary requests (default and
// minimum MinPollInterval). A shorter d is raised to MinPollInterval: IDWise
// may block clients that poll faster.
func PollEvery(d time.Duration) WaitOption {
	return func(o *waitOptions) { o.interval = max(d, MinPollInterval) }
}

// Until makes WaitForSummary wait for done instead of Summary.Finished.
func Until(done func(*Summary) bool) WaitOption {
	return func(o *waitOptions) {
		if done != nil {
			o.until, o.what = done, "condition"
		}
	}
}

// UntilStepProcessed waits until step id has been processed
// (StepSummary.Processed). Use it between ProcessStep and the next upload or
// CompleteJourney.
func UntilStepProcessed(id StepID) WaitOption {
	return func(o *waitOptions) {
		o.until = func(s *Summary) bool {
			st, ok := s.Step(id)
			return ok && st.Processed()
		}
		o.what = "step " + string(id) + " processed"
	}
}

// UntilAllProcessed waits until every submitted step has been processed
// (Summary.AllProcessed).
func UntilAllProcessed() WaitOption {
	return func(o *waitOptions) { o.until, o.what = (*Summary).AllProcessed, "all steps processed" }
}

// WaitForSummary polls the summary of a journey until it is finished
// (Summary.Finished: the journey is completed), or until the condition an
// option sets holds, or ctx ends. It returns the summary that satisfied the
// condition; when ctx ends, the last summary seen (nil if none) and an error
// wrapping ctx.Err(). An error of Summary (after its own retries) ends the
// wait at once.
//
// Two summary requests for a journey are never less than MinPollInterval
// apart, whatever the options: each poll after the first waits at least
// that long, and so does the first when the Client sent a summary request for
// the journey less than MinPollInterval ago (see Summary).
func (c *Client) WaitForSummary(ctx context.Context, journeyID string, opts ...WaitOption) (*Summary, error) {
	o := waitOptions{interval: MinPollInterval, until: (*Summary).Finished, what: "finished"}
	for _, f := range opts {
		f(&o)
	}
	o.interval = max(o.interval, MinPollInterval) // an option cannot lower the floor
	var last *Summary
	for {
		s, err := c.Summary(ctx, journeyID)
		if err != nil {
			if ctx.Err() != nil {
				return last, fmt.Errorf("idwise: WaitForSummary %s (%s): %w", journeyID, o.what, ctx.Err())
			}
			return last, err
		}
		last = s
		if o.until(s) {
			return s, nil
		}
		if err := c.st.sleep(ctx, o.interval); err != nil {
			return last, fmt.Errorf("idwise: WaitForSummary %s (%s): %w", journeyID, o.what, err)
		}
	}
}

// pace waits until MinPollInterval has passed since the client's last
// summary request for journeyID, and books the next slot. The bookings are
// pruned once there are many, so memory stays bounded by the number of
// journeys polled within one interval.
func (c *Client) pace(ctx context.Context, journeyID string) error {
	c.mu.Lock()
	now := c.st.now()
	next := c.lastSummary[journeyID].Add(MinPollInterval)
	wait := next.Sub(now)
	if wait < 0 {
		next = now
	}
	if len(c.lastSummary) >= maxPaced {
		for id, t := range c.lastSummary {
			if now.Sub(t) >= MinPollInterval {
				delete(c.lastSummary, id)
			}
		}
	}
	c.lastSummary[journeyID] = next
	c.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	return c.st.sleep(ctx, wait)
}

const maxPaced = 4096
