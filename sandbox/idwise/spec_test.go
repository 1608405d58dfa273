package idwise

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/gbggen/gbggen/generated/idwise/spec"
)

// specChecker validates requests and the emulator's answers against api/idwise.yaml.
type specChecker struct {
	t      *testing.T
	srv    *Server
	router routers.Router
	clock  *clock
}

func newSpecChecker(t *testing.T, opts ...Option) *specChecker {
	t.Helper()
	doc, err := spec.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://emulator"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	c := newClock()
	srv, err := New(append([]Option{WithClock(c.Now)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return &specChecker{t: t, srv: srv, router: router, clock: c}
}

// call sends a request (valid by the spec, which is checked first) and checks the answer has
// status want and the shape the spec gives that status.
func (sc *specChecker) call(method, path, contentType string, body []byte, want int) map[string]any {
	sc.t.Helper()
	req := httptest.NewRequest(method, "http://emulator"+path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.SetBasicAuth(DefaultCredentials.Key, DefaultCredentials.Secret)
	route, params, err := sc.router.FindRoute(req)
	if err != nil {
		sc.t.Fatalf("%s %s: not in the spec: %v", method, path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		sc.t.Fatalf("%s %s: the test's request does not match the spec: %v", method, path, err)
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	sc.srv.ServeHTTP(rec, req)
	if rec.Code != want {
		sc.t.Fatalf("%s %s: %d %s, want %d", method, path, rec.Code, rec.Body, want)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Body:    io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		sc.t.Errorf("%s %s: answer %d does not match the spec: %v\n%s", method, path, rec.Code, err, rec.Body)
	}
	var m map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &m)
	return m
}

func (sc *specChecker) postJSON(path, body string, want int) map[string]any {
	sc.t.Helper()
	return sc.call("POST", path, "application/json", []byte(body), want)
}

// TestAnswersMatchSpec runs journeys through every operation, success and refusal, and checks
// each answer against api/idwise.yaml, the spec the runtime client is generated from.
func TestAnswersMatchSpec(t *testing.T) {
	sc := newSpecChecker(t, WithSummaryInterval(0))
	const p = DefaultPrefix
	start := sc.postJSON(p+"/start-journey", `{"flow_id":"demo-flow","reference_no":"spec-1","applicant_details":{"full_name":"Ada Pep","birth_date":"1815-12-10","nationality_code":"GBR"}}`, 200)
	id := start["journey_id"].(string)
	sc.postJSON(p+"/start-journey", `{"flow_id":"unknown","reference_no":"spec-2"}`, 404)

	summary := p + "/summary/?journey_id=" + id
	result := p + "/get-journey-result?journey_id=" + id
	sc.call("GET", summary, "", nil, 200)
	sc.call("GET", result, "", nil, 200)

	ct, body := multipartBody(t, map[string]string{"journey_id": id, "step_id": "0"}, map[string]string{"image": "front", "image2": "back"})
	sc.call("POST", p+"/process-journey-step", ct, body.Bytes(), 200)
	sc.call("GET", summary, "", nil, 200) // In Progress
	sc.postJSON(p+"/complete-journey", `{"journey_id":"`+id+`"}`, 409)
	sc.clock.Advance(time.Second)
	img := base64.StdEncoding.EncodeToString([]byte("face REFER"))
	sc.postJSON(p+"/process-journey-step", `{"journey_id":"`+id+`","step_id":1,"image":"`+img+`"}`, 200)
	sc.postJSON(p+"/process-journey-step", `{"journey_id":"`+id+`","step_id":"9","image":"`+img+`"}`, 400)
	sc.postJSON(p+"/process-journey-step", `{"journey_id":"nope","step_id":"1","image":"`+img+`"}`, 404)
	sc.clock.Advance(time.Second)
	sc.call("GET", summary, "", nil, 200) // Submitted, with results
	sc.postJSON(p+"/complete-journey", `{"journey_id":"`+id+`"}`, 200)
	sum := sc.call("GET", summary, "", nil, 200)
	res := sc.call("GET", result, "", nil, 200)
	if sum["is_completed"] != true || res["system_decision"] != DecisionRefer {
		t.Errorf("summary %v, result %v", sum, res)
	}
	sc.call("DELETE", "/journey/"+id, "", nil, 200)
	sc.call("DELETE", "/journey/"+id, "", nil, 404)
	sc.call("GET", summary, "", nil, 404)

	// Refusals without credentials match the error schema too.
	req := httptest.NewRequest("POST", "http://emulator"+p+"/start-journey", strings.NewReader(`{}`))
	rec := httptest.NewRecorder()
	sc.srv.ServeHTTP(rec, req)
	var e struct {
		Success   *bool  `json:"success"`
		Message   string `json:"message"`
		ErrorCode string `json:"error_code"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != http.StatusUnauthorized || e.Success == nil || *e.Success || e.ErrorCode != "missing_authorization_header" {
		t.Errorf("no credentials: %d %s", rec.Code, rec.Body)
	}
}
