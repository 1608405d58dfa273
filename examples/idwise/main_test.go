package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gbggen/gbggen/idwise"
)

// TestJourney runs the demo's journey for each scenario and checks the decision the result and
// the webhook report, and what the program prints.
func TestJourney(t *testing.T) {
	for _, c := range []struct {
		marker string
		want   idwise.Decision
	}{
		{"", idwise.DecisionComplete},
		{"REJECT", idwise.DecisionRejected},
		{"REFER", idwise.DecisionRefer},
	} {
		t.Run(string(c.want), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var out bytes.Buffer
			got, err := journey(ctx, c.marker, &out)
			if err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			if got.decision != c.want {
				t.Errorf("decision %s, want %s", got.decision, c.want)
			}
			ev := got.webhook
			if ev == nil || ev.Event != idwise.EventFinishedJourney || ev.Body.JourneyID != got.journeyID ||
				ev.Body.SystemDecision != c.want || ev.Body.EventID == "" {
				t.Errorf("webhook %+v for journey %s", ev, got.journeyID)
			}
			if s := out.String(); !strings.HasSuffix(s, "Final decision: "+string(c.want)+"\n") || !strings.Contains(s, "step 0 processed") {
				t.Errorf("output:\n%s", s)
			}
		})
	}
}

func TestRunUsage(t *testing.T) {
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"-scenario", "maybe"}, &bytes.Buffer{}, &stderr); code != exitUsage {
		t.Errorf("bad scenario: exit %d, want %d", code, exitUsage)
	}
	if code := run(context.Background(), []string{"extra"}, &bytes.Buffer{}, &stderr); code != exitUsage {
		t.Errorf("extra argument: exit %d, want %d", code, exitUsage)
	}
}

// TestRunExitsZero runs the program as make demo does.
func TestRunExitsZero(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), nil, &stdout, &stderr); code != exitFinished {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
}
