package idwise

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func summaryJSON(completed bool, status string) string {
	c := "false"
	if completed {
		c = "true"
	}
	return `{"journey_id":"` + testJourney + `","is_completed":` + c + `,"step_summaries":[
	 {"definition":{"step_id":0,"step_type":"Document"},"result":{"status":"` + status + `","is_concluded":false}},
	 {"definition":{"step_id":"1","step_type":"Selfie"},"result":null}]}`
}

// TestWaitForSummaryFloor: whatever interval is asked for, every wait
// between two summary requests is at least 2 s.
func TestWaitForSummaryFloor(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []WaitOption
		want time.Duration
	}{
		{"default", nil, 2 * time.Second},
		{"shorter than the floor", []WaitOption{PollEvery(10 * time.Millisecond)}, 2 * time.Second},
		{"zero", []WaitOption{PollEvery(0)}, 2 * time.Second},
		{"negative", []WaitOption{PollEvery(-time.Hour)}, 2 * time.Second},
		{"longer", []WaitOption{PollEvery(5 * time.Second)}, 5 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.route("GET /journey/v2/summary/", sequence(ok(summaryJSON(false, "In Progress")), ok(summaryJSON(false, "Submitted")),
				ok(summaryJSON(false, "Submitted")), ok(summaryJSON(true, "Submitted"))))
			s, err := h.c.WaitForSummary(context.Background(), testJourney, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if !s.Finished() || h.count("GET /journey/v2/summary/") != 4 {
				t.Errorf("finished %v after %d requests, want true after 4", s.Finished(), h.count("GET /journey/v2/summary/"))
			}
			waits := h.clock.slept()
			if len(waits) != 3 {
				t.Fatalf("waits = %v, want 3", waits)
			}
			for _, w := range waits {
				if w < MinPollInterval || w != tc.want {
					t.Errorf("wait %v, want %v (never below %v)", w, tc.want, MinPollInterval)
				}
			}
		})
	}
}

func TestWaitForSummaryConditions(t *testing.T) {
	h := newHarness(t)
	h.route("GET /journey/v2/summary/", sequence(ok(summaryJSON(false, "In Progress")), ok(summaryJSON(false, "Submitted")), ok(summaryJSON(true, "Submitted"))))
	s, err := h.c.WaitForSummary(context.Background(), testJourney, UntilStepProcessed("0"))
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Step("0"); !st.Processed() || s.Finished() || h.count("GET /journey/v2/summary/") != 2 {
		t.Errorf("stopped at %+v after %d requests", s, h.count("GET /journey/v2/summary/"))
	}

	h2 := newHarness(t)
	h2.route("GET /journey/v2/summary/", sequence(ok(summaryJSON(false, "In Progress")), ok(summaryJSON(false, "Submitted"))))
	if s, err := h2.c.WaitForSummary(context.Background(), testJourney, UntilAllProcessed()); err != nil || !s.AllProcessed() {
		t.Errorf("UntilAllProcessed: %v, %v", s, err)
	}

	h3 := newHarness(t)
	h3.route("GET /journey/v2/summary/", reply(summaryJSON(false, "In Progress")))
	calls := 0
	s, err = h3.c.WaitForSummary(context.Background(), testJourney, Until(func(*Summary) bool { calls++; return calls == 3 }), Until(nil))
	if err != nil || s == nil || h3.count("GET /journey/v2/summary/") != 3 {
		t.Errorf("Until: %v, %v after %d requests", s, err, h3.count("GET /journey/v2/summary/"))
	}
}

// TestSummaryPacing: back-to-back Summary calls for one journey (two waits in
// a row, say) are spaced by the floor; another journey is not held up.
func TestSummaryPacing(t *testing.T) {
	h := newHarness(t)
	h.route("GET /journey/v2/summary/", reply(summaryJSON(false, "Submitted")))
	ctx := context.Background()
	for range 2 {
		if _, err := h.c.Summary(ctx, testJourney); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.c.Summary(ctx, "other-journey"); err != nil {
		t.Fatal(err)
	}
	if w := h.clock.slept(); len(w) != 1 || w[0] != MinPollInterval {
		t.Errorf("waits = %v, want [2s] (second call for the same journey only)", w)
	}
	// Once the interval has passed, no wait.
	_ = h.clock.sleep(ctx, 3*time.Second)
	if _, err := h.c.Summary(ctx, testJourney); err != nil {
		t.Fatal(err)
	}
	if w := h.clock.slept(); len(w) != 2 {
		t.Errorf("waits = %v, want no new pacing wait", w)
	}
}

func TestWaitForSummaryEnds(t *testing.T) {
	h := newHarness(t)
	h.route("GET /journey/v2/summary/", reply(summaryJSON(false, "In Progress")))
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	s, err := h.c.WaitForSummary(ctx, testJourney, Until(func(*Summary) bool {
		if n++; n == 2 {
			cancel()
		}
		return false
	}))
	if !errors.Is(err, context.Canceled) || s == nil || s.JourneyID != testJourney {
		t.Fatalf("got %v, %v; want the last summary and context.Canceled", s, err)
	}

	h2 := newHarness(t)
	h2.route("GET /journey/v2/summary/", func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, 403, `{"success":false,"message":"no","error_code":"not_allowed_ip_address"}`)
	})
	_, err = h2.c.WaitForSummary(context.Background(), testJourney)
	if !errors.Is(err, CodeNotAllowedIPAddress) || !strings.Contains(err.Error(), "Summary") {
		t.Errorf("err = %v", err)
	}
}
