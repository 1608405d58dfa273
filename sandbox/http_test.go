package sandbox_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/generated"
)

func TestScenarioFail(t *testing.T) {
	e := newEnv(t)
	// v1: the started journey fails.
	id := e.start(subjectWith(identity()), withScenario("fail"))
	st := e.state(id)
	if st.Status != "Failed" || st.MetaData.CompletedTime == nil {
		t.Fatalf("v1 fail scenario: %s", st.Status)
	}
	outcome := (*st.Data)["process"].(map[string]any)["flow"].(map[string]any)["onboarding-kyc"].(map[string]any)["result"].(map[string]any)["outcome"]
	if outcome != "Decision: Fail" {
		t.Fatalf("failed outcome %v", outcome)
	}
	// A task update carrying the scenario fails a running journey.
	id = e.start(nil)
	task := e.pending(id)["document"]
	res, err := e.c.UpdateTaskWithResponse(context.Background(), generated.TaskUpdateRequest{InstanceID: id, TaskID: task,
		Intent: generated.Save, Context: &generated.TaskContext{Subject: document()}}, withScenario("fail"))
	if err != nil || res.StatusCode() != 200 {
		t.Fatal(err, res.StatusCode())
	}
	if st := e.state(id); st.Status != "Failed" {
		t.Fatalf("after failing update: %s", st.Status)
	}
	// v2.
	v2 := e.startV2(generated.API, nil, withScenario("fail"))
	if st := e.stateV2(v2.InstanceID); st.Status != "Failed" || *st.Context.Result.Status != "failed" {
		t.Fatalf("v2 fail scenario: %s", st.Status)
	}
}

func TestScenarioRateLimitAndUnavailable(t *testing.T) {
	e := newEnv(t)
	// Always 429, v1 shape, Retry-After.
	res, body := e.raw(http.MethodGet, "/captain/api/journey/health", e.token, "", "", "X-Gbg-Scenario", "rate-limit, retry-after=7")
	if res.StatusCode != 429 || res.Header.Get("Retry-After") != "7" {
		t.Fatalf("rate-limit: %d Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	v1Error(t, 429, body)

	// rate-limit=2: the third request with the same header value passes.
	h := "rate-limit=2; id=retry-test"
	for i, want := range []int{429, 429, 200, 200} {
		res, _ := e.raw(http.MethodGet, "/captain/api/journey/health", e.token, "", "", "X-Gbg-Scenario", h)
		if res.StatusCode != want {
			t.Fatalf("request %d with %q: %d, want %d", i+1, h, res.StatusCode, want)
		}
	}

	// 503 on a v2 path: 5005 SERVICE_UNAVAILABLE with Retry-After.
	res, body = e.post("/v2/captain/journey/state/fetch", `{"instanceId":"0123456789abcdef"}`, "X-Gbg-Scenario", "unavailable")
	if res.StatusCode != 503 || res.Header.Get("Retry-After") != "1" {
		t.Fatalf("unavailable: %d Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if code, name := v2Error(t, body); code != "5005" || name != "SERVICE_UNAVAILABLE" {
		t.Fatalf("unavailable: %s %s", code, name)
	}
	// The token endpoint honours scenarios too (OAuth shape).
	res, body = e.raw(http.MethodPost, "/as/token.oauth2", "", "application/x-www-form-urlencoded", "grant_type=password", "X-Gbg-Scenario", "rate-limit")
	if res.StatusCode != 429 || body["error"] != "temporarily_unavailable" {
		t.Fatalf("token rate-limit: %d %v", res.StatusCode, body)
	}
	// Latency delays but answers normally.
	res, _ = e.raw(http.MethodGet, "/captain/api/journey/health", e.token, "", "", "X-Gbg-Scenario", "latency=5ms")
	if res.StatusCode != 200 {
		t.Fatalf("latency: %d", res.StatusCode)
	}
	// Bad scenario headers are refused, not ignored.
	for _, h := range []string{"explode", "latency=1h", "latency=soon", "rate-limit=0", "fail=yes", "retry-after=-1"} {
		res, body := e.raw(http.MethodGet, "/captain/api/journey/health", e.token, "", "", "X-Gbg-Scenario", h)
		if res.StatusCode != 400 {
			t.Errorf("scenario %q: %d, want 400", h, res.StatusCode)
			continue
		}
		if msg := v1Error(t, 400, body); !strings.Contains(msg, "X-Gbg-Scenario") {
			t.Errorf("scenario %q: message %q does not name the header", h, msg)
		}
	}
}

func TestRequestValidation(t *testing.T) {
	e := newEnv(t)
	const json = "application/json"
	cases := []struct {
		name, method, path, ctype, body string
		status                          int
		v2code                          string
		pointer                         string
	}{
		{"v1 missing required field", "POST", "/captain/api/journey/task/list", json, `{}`, 400, "", "/instanceId"},
		{"v1 wrong type", "POST", "/captain/api/journey/task/list", json, `{"instanceId":42}`, 400, "", "/instanceId"},
		{"v1 ID too short", "POST", "/captain/api/journey/state/fetch", json, `{"instanceId":"abc"}`, 400, "", "/instanceId"},
		{"v1 bad intent", "POST", "/captain/api/journey/task/update", json, `{"instanceId":"0123456789abcdef","taskId":"0123456789abcdef","intent":"Finish"}`, 400, "", "/intent"},
		{"v1 bad device scope", "POST", "/captain/api/journey/device/start", json, `{"instanceId":"0123456789abcdef","scope":["tablet"]}`, 400, "", "/scope/0"},
		{"v1 malformed JSON", "POST", "/captain/api/journey/start", json, `{"resourceId":`, 400, "", ""},
		{"v1 no body", "POST", "/captain/api/journey/start", json, ``, 400, "", ""},
		{"v1 wrong content type", "POST", "/captain/api/journey/start", "text/plain", `{"resourceId":"a@b"}`, 400, "", ""},
		{"v1 unknown path", "POST", "/captain/api/journey/nothing", json, `{}`, 404, "", ""},
		{"v1 wrong method", "GET", "/captain/api/journey/start", "", ``, 405, "", ""},
		{"root path", "GET", "/", "", ``, 404, "", ""},
		{"v2 missing field", "POST", "/v2/captain/journey/interaction/submit", json, `{"instanceId":"0123456789abcdef","interactionId":"x"}`, 400, "4002", ""},
		{"v2 invalid field", "POST", "/v2/captain/journey/state/fetch", json, `{"instanceId":true}`, 409, "4003", ""},
		{"v2 unknown path", "POST", "/v2/captain/journey/nothing", json, `{}`, 404, "1001", ""},
		{"v2 wrong method", "DELETE", "/v2/captain/journey/start", "", ``, 405, "4005", ""},
		{"v2 unknown instance", "POST", "/v2/captain/journey/interaction/fetch", json, `{"instanceId":"0123456789abcdef"}`, 404, "1001", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, body := e.raw(c.method, c.path, e.token, c.ctype, c.body)
			if res.StatusCode != c.status {
				t.Fatalf("%d, want %d: %v", res.StatusCode, c.status, body)
			}
			if res.Header.Get("X-Request-ID") == "" {
				t.Fatal("no X-Request-ID")
			}
			if res.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("Content-Type %q", res.Header.Get("Content-Type"))
			}
			if strings.HasPrefix(c.path, "/v2/") {
				if code, _ := v2Error(t, body); code != c.v2code {
					t.Fatalf("code %s, want %s", code, c.v2code)
				}
				return
			}
			v1Error(t, c.status, body)
			if c.pointer != "" {
				vs, _ := body["violations"].([]any)
				if len(vs) != 1 || vs[0].(map[string]any)["pointer"] != c.pointer {
					t.Fatalf("violations %v, want pointer %s", body["violations"], c.pointer)
				}
			}
		})
	}
}

func TestRequestIDOnEveryResponse(t *testing.T) {
	e := newEnv(t)
	seen := map[string]bool{}
	for _, r := range []struct{ method, path, tok, body string }{
		{"GET", "/captain/api/journey/health", e.token, ""},
		{"GET", "/captain/api/journey/health", "", ""},
		{"POST", "/captain/api/journey/start", e.token, `{"resourceId":"` + onboarding + `"}`},
		{"POST", "/v2/captain/journey/state/fetch", e.token, `{}`},
		{"POST", "/as/token.oauth2", "", ""},
		{"GET", "/nowhere", "", ""},
	} {
		res, _ := e.raw(r.method, r.path, r.tok, "application/json", r.body)
		id := res.Header.Get("X-Request-ID")
		if id == "" || seen[id] {
			t.Fatalf("%s %s (%d): X-Request-ID %q missing or repeated", r.method, r.path, res.StatusCode, id)
		}
		seen[id] = true
	}
}

// TestScenarioPause: pause=N makes the next N state fetches report Paused, without the end
// or outcome the journey already has, then its real status; pause alone lasts.
func TestScenarioPause(t *testing.T) {
	e := newEnv(t)
	id := e.start(subjectWith(identity()), withScenario("pause=2"))
	for i := range 2 {
		st := e.state(id)
		if st.Status != "Paused" || st.MetaData.CompletedTime != nil || len(*st.Data) != 0 {
			t.Fatalf("v1 fetch %d while paused: %s %+v %v", i+1, st.Status, st.MetaData, *st.Data)
		}
	}
	if st := e.state(id); st.Status != "InProgress" {
		t.Fatalf("v1 after the pause: %s", st.Status)
	}

	// A journey that completed at start (every task prefilled) shows it once the pause ends.
	subject := subjectWith(identity())
	subject["documents"] = document()["documents"]
	v2 := e.startV2(generated.API, subject, withScenario("pause=1")).InstanceID
	if st := e.stateV2(v2); st.Status != "Paused" || *st.Context.Result.Status != "pending" || st.Context.Process.Journey.EndedAt != nil {
		t.Fatalf("v2 while paused: %s %+v", st.Status, st.Context.Result)
	}
	if st := e.stateV2(v2); st.Status != "Completed" || *st.Context.Result.Status != "completed" {
		t.Fatalf("v2 after the pause: %s", st.Status)
	}

	endless := e.start(nil, withScenario("pause"))
	for range 5 {
		if st := e.state(endless); st.Status != "Paused" {
			t.Fatalf("pause without a count ended: %s", st.Status)
		}
	}
	res, body := e.post("/captain/api/journey/start", `{"resourceId":"`+onboarding+`"}`, "X-Gbg-Scenario", "pause=0")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body["message"].(string), "pause") {
		t.Fatalf("pause=0: %d %v", res.StatusCode, body)
	}
}
