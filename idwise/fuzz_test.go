package idwise

import (
	"encoding/json"
	"testing"
)

// FuzzDecode holds the response decoders to: no panic on any input, and a
// step ID that decodes re-encodes to a value that decodes to the same ID.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{startOK, summaryOK, resultOK, `{"step_summaries":[{"definition":{"step_id":1e3}}]}`,
		`{"documents":{"a":{"step_id":-1}}}`, `{"journey_id":null,"step_summaries":null}`, `[]`, `"x"`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var j Journey
		if json.Unmarshal(b, &j) == nil {
			for _, s := range j.Steps {
				roundTrip(t, s.Definition.StepID)
				_ = s.Processed()
			}
		}
		var s Summary
		if json.Unmarshal(b, &s) == nil {
			_, _ = s.Step("0")
			_ = s.AllProcessed()
			_ = s.Finished()
		}
		var r Result
		if json.Unmarshal(b, &r) == nil {
			_ = r.Decision()
			for _, d := range r.Documents {
				roundTrip(t, d.StepID)
				_ = d.Field("Full Name")
			}
		}
		var id StepID
		if json.Unmarshal(b, &id) == nil {
			roundTrip(t, id)
		}
	})
}

func roundTrip(t *testing.T, id StepID) {
	t.Helper()
	b, err := json.Marshal(id)
	if err != nil {
		t.Fatalf("marshal %q: %v", id, err)
	}
	var back StepID
	if err := json.Unmarshal(b, &back); err != nil || back != id {
		t.Fatalf("step ID %q encodes as %s, which decodes to %q (%v)", id, b, back, err)
	}
}

// FuzzParseWebhook: no panic, and an accepted webhook has what dedupe and
// routing need.
func FuzzParseWebhook(f *testing.F) {
	for _, s := range []string{hookBody, `{"event":"Updated Journey","body":{"eventId":"e","journeyId":"j","action":"Manual Review"}}`,
		`{"event":"x","body":null}`, `{"body":{"eventId":1}}`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := ParseWebhook(b)
		if err != nil {
			return
		}
		if ev.Event == "" || ev.Body.EventID == "" || ev.Body.JourneyID == "" || string(ev.Raw) != string(b) {
			t.Fatalf("accepted %q as %+v", b, ev)
		}
	})
}
