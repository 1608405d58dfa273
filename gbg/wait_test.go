package gbg

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"
)

func stateBody(status string) string {
	return `{"instanceId":"` + testInstance + `","status":"` + status + `"}`
}

func TestWaitForCompletion(t *testing.T) {
	h := newHarness(t)
	h.route(pState, sequence(ok(stateBody("InProgress")), ok(stateBody("IN_PROGRESS")), ok(stateBody("Paused")), ok(stateBody("COMPLETED"))))
	s, err := h.c.WaitForCompletion(context.Background(), testInstance, PollInterval(2*time.Second, 3*time.Second), PollFilterKeys("^subject"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != "COMPLETED" || s.InstanceID != testInstance {
		t.Errorf("state = %+v", s)
	}
	if n := h.count(pState); n != 4 {
		t.Errorf("polled %d times, want 4", n)
	}
	if got, want := h.sleep.list(), []time.Duration{2 * time.Second, 3 * time.Second, 3 * time.Second}; !reflect.DeepEqual(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
	jsonEqual(t, "poll body", h.last(pState).Body, `{"filterKeys":["^subject"],"instanceId":"`+testInstance+`"}`)
}

func TestWaitForCompletionFailed(t *testing.T) {
	h := newHarness(t)
	h.route(pState, sequence(ok(stateBody("InProgress")), ok(stateBody("FAILED"))))
	s, err := h.c.WaitForCompletion(context.Background(), testInstance)
	if !errors.Is(err, ErrJourneyFailed) {
		t.Fatalf("err = %v, want ErrJourneyFailed", err)
	}
	if s == nil || !s.Status.Equal(StatusFailed) {
		t.Errorf("state = %+v, want the failed state", s)
	}
	if got := h.sleep.list(); !reflect.DeepEqual(got, []time.Duration{time.Second}) {
		t.Errorf("waits = %v, want the default first interval", got)
	}
}

func TestWaitForCompletionContextEnds(t *testing.T) {
	h := newHarness(t)
	h.route(pState, sequence(ok(stateBody("InProgress"))))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.sleep.onWait = func(n int) {
		if n == 3 {
			cancel()
		}
	}
	s, err := h.c.WaitForCompletion(ctx, testInstance)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if s == nil || !s.Status.Equal(StatusInProgress) {
		t.Errorf("state = %+v, want the last state seen", s)
	}
	if n := h.count(pState); n != 3 {
		t.Errorf("polled %d times, want 3", n)
	}
}

func TestWaitForCompletionStopsOnError(t *testing.T) {
	h := newHarness(t)
	h.route(pState, sequence(ok(stateBody("InProgress")), func(w http.ResponseWriter) {
		writeJSON(w, 404, `{"status":404,"message":"gone","error":"Not Found"}`)
	}))
	_, err := h.c.WaitForCompletion(context.Background(), testInstance)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Fatalf("err = %v", err)
	}
	if n := h.count(pState); n != 2 {
		t.Errorf("polled %d times", n)
	}
}

func TestWaitForCompletionV2(t *testing.T) {
	h := newHarness(t)
	h.route(pStateV2, sequence(ok(stateBody("InProgress")),
		ok(`{"instanceId":"`+testInstance+`","status":"Completed","context":{"result":{"status":"completed","outcome":"Pass"}}}`)))
	s, err := h.c.WaitForCompletionV2(context.Background(), testInstance)
	if err != nil {
		t.Fatal(err)
	}
	if s.Result.Outcome == nil || *s.Result.Outcome != "Pass" {
		t.Errorf("result = %+v", s.Result)
	}
	if n := h.count(pStateV2); n != 2 {
		t.Errorf("polled %d times", n)
	}
}

func TestStatusEqual(t *testing.T) {
	for _, tc := range []struct {
		a, b Status
		want bool
	}{
		{"InProgress", "IN_PROGRESS", true},
		{"in progress", StatusInProgress, true},
		{"COMPLETED", StatusCompleted, true},
		{"Failed", "failed", true},
		{"Completed", "Failed", false},
		{"InProgress", "Progress", false},
		{"", StatusPaused, false},
	} {
		if got := tc.a.Equal(tc.b); got != tc.want {
			t.Errorf("%q.Equal(%q) = %v", tc.a, tc.b, got)
		}
	}
	if !Status("FAILED").Terminal() || !Status("completed").Terminal() || Status("PAUSED").Terminal() || StatusInProgress.Terminal() {
		t.Error("Terminal is wrong")
	}
}

func TestSchemaKey(t *testing.T) {
	for ref, want := range map[string]string{
		"#/schemas/abc":        "abc",
		"#/schemas/a~1b~0c":    "a/b~c",
		"#/schemas/with%20gap": "with gap",
	} {
		if got, err := schemaKey(ref); err != nil || got != want {
			t.Errorf("schemaKey(%q) = %q, %v", ref, got, err)
		}
	}
	for _, ref := range []string{"other.json#/schemas/a", "#/definitions/a", "#/schemas/", "#/schemas/a/b"} {
		if _, err := schemaKey(ref); err == nil {
			t.Errorf("schemaKey(%q) succeeded", ref)
		}
	}
	if _, err := parseTaskSchemas([]byte(`{"tasks":[{"taskId":"t","schema":{"$ref":"#/schemas/missing"}}],"schemas":{}}`)); err == nil {
		t.Error("a dangling $ref was accepted")
	}
	got, err := parseTaskSchemas([]byte(`{"tasks":[{"taskId":"t","schema":{"type":"object"}}]}`))
	if err != nil || string(got.Schemas["t"]) != `{"type":"object"}` || got.Keys["t"] != "" {
		t.Errorf("inline schema: %v, %v", got, err)
	}
}
