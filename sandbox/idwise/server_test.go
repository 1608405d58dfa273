package idwise

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestAuth: every operation refuses a missing Authorization header and wrong credentials with
// 401 and the documented error codes, before reading the body (a body over the limit would
// otherwise be 413).
func TestAuth(t *testing.T) {
	e := newEnv(t, WithMaxBodyBytes(16, 16))
	big := strings.Repeat("x", 1000)
	calls := []struct{ method, path string }{
		{"POST", DefaultPrefix + "/start-journey"},
		{"POST", "/v2/start-journey"},
		{"POST", DefaultPrefix + "/process-journey-step"},
		{"POST", "/v2/process-journey-step"},
		{"POST", DefaultPrefix + "/complete-journey"},
		{"POST", "/v2/complete-journey"},
		{"GET", DefaultPrefix + "/summary/?journey_id=x"},
		{"GET", "/v2/get-journey-result?journey_id=x"},
		{"DELETE", "/journey/x"},
	}
	auths := []struct {
		name string
		set  func(*http.Request)
		code string
	}{
		{"missing", nil, "missing_authorization_header"},
		{"wrong secret", func(r *http.Request) { r.SetBasicAuth(DefaultCredentials.Key, "nope") }, "invalid_credentials"},
		{"wrong key", func(r *http.Request) { r.SetBasicAuth("other", DefaultCredentials.Secret) }, "invalid_credentials"},
		{"bearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer idwise-demo") }, "invalid_credentials"},
	}
	for _, c := range calls {
		for _, a := range auths {
			code, m := e.doAuth(c.method, c.path, "application/json", strings.NewReader(big), a.set)
			if code != 401 || m["success"] != false || m["error_code"] != a.code || m["message"] == "" {
				t.Errorf("%s %s, %s auth: %d %v, want 401 %s", c.method, c.path, a.name, code, m, a.code)
			}
		}
	}
}

func TestStartJourney(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{DefaultPrefix + "/start-journey", "/v2/start-journey"} {
		code, m := e.postJSON(path, `{"flow_id":"demo-flow","reference_no":"ref-1/a@b.c+d,e\\f_g"}`)
		if code != 200 {
			t.Fatalf("%s: %d %v", path, code, m)
		}
		if !uuidRE.MatchString(m["journey_id"].(string)) || m["reference_no"] != `ref-1/a@b.c+d,e\f_g` || m["is_completed"] != false {
			t.Errorf("%s: %v", path, m)
		}
		steps := m["step_summaries"].([]any)
		if len(steps) != 2 {
			t.Fatalf("%s: steps %v", path, steps)
		}
		// The start response writes step IDs as the flow file does (numbers here).
		for i, want := range []map[string]any{
			{"step_id": float64(0), "step_type": "Document", "step_title": "ID Document"},
			{"step_id": float64(1), "step_type": "Selfie", "step_title": "Selfie"},
		} {
			st := steps[i].(map[string]any)
			def := st["definition"].(map[string]any)
			if len(def) != 3 || def["step_id"] != want["step_id"] || def["step_type"] != want["step_type"] || def["step_title"] != want["step_title"] {
				t.Errorf("%s: step %d definition %v, want %v", path, i, def, want)
			}
			if r, ok := st["result"]; !ok || r != nil {
				t.Errorf("%s: step %d result %v, want null", path, i, r)
			}
		}
	}
}

func TestStartJourneyRefused(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		body   string
		status int
		code   string
	}{
		{`{"flow_id":"demo-flow","reference_no":"r1"} {}`, 400, "validation_error"}, // trailing garbage
		{`{"flow_id":"demo-flow","reference_no":"r1"}x`, 400, "validation_error"},
		{`{"flow_id":"demo-flow","reference_no":"r1","extra":1}`, 400, "validation_error"},
		{`{"reference_no":"r1"}`, 400, "validation_error"},
		{`{"flow_id":"demo-flow"}`, 400, "validation_error"},
		{`{"flow_id":"demo-flow","reference_no":"has space"}`, 400, "validation_error"},
		{`{"flow_id":"demo-flow","reference_no":"r1","applicant_details":{"birth_date":"1990-01-01"}}`, 400, "validation_error"},
		{`{"flow_id":"demo-flow","reference_no":"r1","applicant_details":{"full_name":"A B","birth_date":"01/01/1990"}}`, 400, "validation_error"},
		{`{"flow_id":"nope","reference_no":"r1"}`, 404, "flow_not_found"},
		{``, 400, "validation_error"},
	} {
		code, m := e.postJSON(DefaultPrefix+"/start-journey", c.body)
		if code != c.status || m["error_code"] != c.code || m["success"] != false {
			t.Errorf("%s: %d %v, want %d %s", c.body, code, m, c.status, c.code)
		}
	}
	code, m := e.do("POST", DefaultPrefix+"/start-journey", "text/plain", strings.NewReader(`{}`))
	if code != 415 || m["error_code"] != "unsupported_media_type" {
		t.Errorf("text/plain: %d %v", code, m)
	}
	code, m = e.do("GET", DefaultPrefix+"/start-journey", "", nil)
	if code != 405 || m["error_code"] != "method_not_allowed" {
		t.Errorf("GET start-journey: %d %v", code, m)
	}
	code, m = e.do("GET", DefaultPrefix+"/nothing", "", nil)
	if code != 404 || m["error_code"] != "not_found" {
		t.Errorf("unknown path: %d %v", code, m)
	}
}

// TestAsyncProcessing: an upload is accepted at once and shows as processing until the
// processing delay has passed on the emulator's clock; completing before that is refused.
func TestAsyncProcessing(t *testing.T) {
	e := newEnv(t, WithProcessingDelay(3*time.Second))
	id := e.start("async-1")
	if code, m := e.upload(id, "0", "front", "back"); code != 200 || m["success"] != true {
		t.Fatalf("upload: %d %v", code, m)
	}
	_, sum := e.summary(id)
	if got := stepStatuses(t, sum); got["0"] != StatusProcessing || got["1"] != "" {
		t.Errorf("after upload: %v", got)
	}
	if docs := e.result(id)["documents"].(map[string]any); len(docs) != 0 {
		t.Errorf("documents while processing: %v", docs)
	}
	code, m := e.postJSON(DefaultPrefix+"/complete-journey", `{"journey_id":"`+id+`"}`)
	if code != 409 || m["error_code"] != "step_processing" {
		t.Errorf("complete while processing: %d %v", code, m)
	}
	e.clock.Advance(3 * time.Second)
	_, sum = e.summary(id)
	if got := stepStatuses(t, sum); got["0"] != StatusProcessed {
		t.Errorf("after the delay: %v", got)
	}
	step := sum["step_summaries"].([]any)[0].(map[string]any)["result"].(map[string]any)
	if step["has_passed_rules"] != true || step["is_concluded"] != true ||
		step["extracted_fields"].(map[string]any)["Full Name"].(map[string]any)["value"] != "JANE DOE" {
		t.Errorf("step result: %v", step)
	}
	if interim := sum["result"].(map[string]any); interim["completed_steps"] != float64(1) || interim["interim_rule_assessment"] != "Passed" {
		t.Errorf("interim result: %v", interim)
	}
	res := e.result(id)
	docs := res["documents"].(map[string]any)
	if len(docs) != 1 {
		t.Fatalf("documents: %v", docs)
	}
	for _, d := range docs {
		doc := d.(map[string]any)
		fields := doc["extracted_fields"].(map[string]any)
		if doc["step_id"] != "0" || doc["document_type"] != "Identity Card" || fields["Full Name"].(map[string]any)["value"] != "JANE DOE" {
			t.Errorf("document: %v", doc)
		}
	}
	if sum["is_completed"] != false || res["system_decision"] != nil || res["end_time"] != nil {
		t.Errorf("not completed yet: %v / %v", sum, res)
	}
}

// TestProcessStepJSON: the JSON form with base64 images and a numeric step_id.
func TestProcessStepJSON(t *testing.T) {
	e := newEnv(t, WithProcessingDelay(0))
	id := e.start("json-1")
	img := base64.StdEncoding.EncodeToString([]byte("selfie image"))
	for _, c := range []struct {
		body   string
		status int
		code   string
	}{
		{`{"journey_id":"` + id + `","step_id":0,"image":"` + img + `"}`, 200, ""},
		{`{"journey_id":"` + id + `","step_id":"1","image":"data:image/jpeg;base64,` + img + `"}`, 200, ""},
		{`{"journey_id":"` + id + `","step_id":1,"image":"` + img + `","image2":"` + img + `"}`, 400, "validation_error"},
		{`{"journey_id":"` + id + `","step_id":7,"image":"` + img + `"}`, 400, "invalid_step_id"},
		{`{"journey_id":"` + id + `","step_id":0,"image":"!!!"}`, 400, "validation_error"},
		{`{"journey_id":"` + id + `","step_id":0}`, 400, "validation_error"},
		{`{"journey_id":"` + id + `","step_id":-1,"image":"` + img + `"}`, 400, "validation_error"},
		{`{"journey_id":"` + id + `","step_id":0,"image":"` + img + `"}]`, 400, "validation_error"},
		{`{"journey_id":"no-such","step_id":0,"image":"` + img + `"}`, 404, "journey_not_found"},
	} {
		code, m := e.postJSON("/v2/process-journey-step", c.body)
		if code != c.status || (c.code != "" && m["error_code"] != c.code) {
			t.Errorf("%.80s: %d %v, want %d %s", c.body, code, m, c.status, c.code)
		}
	}
	_, sum := e.summary(id)
	if got := stepStatuses(t, sum); got["0"] != StatusProcessed || got["1"] != StatusProcessed {
		t.Errorf("statuses: %v", got)
	}
	selfie := e.result(id)["selfie"].(map[string]any)
	if selfie["liveness_status"] != "Live" || selfie["is_live"] != true || selfie["has_passed_rules"] != true || selfie["step_id"] != "1" {
		t.Errorf("selfie: %v", selfie)
	}
}

func TestProcessStepMultipartRefused(t *testing.T) {
	e := newEnv(t)
	id := e.start("mp-1")
	for _, c := range []struct {
		name   string
		fields map[string]string
		files  map[string]string
		code   string
	}{
		{"no image", map[string]string{"journey_id": id, "step_id": "0"}, nil, "validation_error"},
		{"empty image", map[string]string{"journey_id": id, "step_id": "0"}, map[string]string{"image": ""}, "validation_error"},
		{"image2 alone", map[string]string{"journey_id": id, "step_id": "0"}, map[string]string{"image2": "x"}, "validation_error"},
		{"unknown field", map[string]string{"journey_id": id, "step_id": "0", "other": "1"}, map[string]string{"image": "x"}, "validation_error"},
		{"no step", map[string]string{"journey_id": id}, map[string]string{"image": "x"}, "validation_error"},
		{"bad skip", map[string]string{"journey_id": id, "step_id": "0", "is_skipped": "maybe"}, nil, "validation_error"},
		{"unknown step", map[string]string{"journey_id": id, "step_id": "selfie"}, map[string]string{"image": "x"}, "invalid_step_id"},
	} {
		ct, body := multipartBody(t, c.fields, c.files)
		code, m := e.do("POST", DefaultPrefix+"/process-journey-step", ct, body)
		if code != 400 || m["error_code"] != c.code {
			t.Errorf("%s: %d %v, want 400 %s", c.name, code, m, c.code)
		}
	}
	code, m := e.do("POST", DefaultPrefix+"/process-journey-step", "multipart/form-data", strings.NewReader("x"))
	if code != 400 {
		t.Errorf("no boundary: %d %v", code, m)
	}
	ct, body := multipartBody(t, map[string]string{"journey_id": id, "step_id": "0", "is_skipped": "true"}, nil)
	if code, m := e.do("POST", DefaultPrefix+"/process-journey-step", ct, body); code != 200 {
		t.Errorf("skipped step: %d %v", code, m)
	}
	_, sum := e.summary(id)
	if got := stepStatuses(t, sum)["0"]; got != StatusSkipped {
		t.Errorf("skipped step status %q", got)
	}
}

// TestSummaryPollFloor: a second poll of one journey within 2 s is 429 with Retry-After; the
// floor is per journey, and a refused poll does not move it.
func TestSummaryPollFloor(t *testing.T) {
	e := newEnv(t)
	a, b := e.start("poll-a"), e.start("poll-b")
	if code, _ := e.summary(a); code != 200 {
		t.Fatalf("first poll: %d", code)
	}
	req, _ := http.NewRequest("GET", e.ts.URL+DefaultPrefix+"/summary/"+a, nil)
	req.SetBasicAuth(DefaultCredentials.Key, DefaultCredentials.Secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 429 || res.Header.Get("Retry-After") != "2" {
		t.Errorf("immediate second poll: %d, Retry-After %q; want 429, 2", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if code, _ := e.summary(b); code != 200 {
		t.Errorf("another journey: %d, want 200", code)
	}
	e.clock.Advance(1500 * time.Millisecond)
	if code, m := e.do("GET", "/v2/get-journey-summary?journey_id="+a, "", nil); code != 429 || m["error_code"] != "too_many_requests" {
		t.Errorf("poll after 1.5 s: %d %v", code, m)
	}
	e.clock.Advance(500 * time.Millisecond)
	if code, m := e.do("GET", DefaultPrefix+"/summary/?journey_id="+a, "", nil); code != 200 || m["journey_id"] != a {
		t.Errorf("poll after 2 s: %d %v", code, m)
	}
	if code, m := e.summary(""); code != 400 {
		t.Errorf("no journey_id: %d %v", code, m)
	}
}

// run submits every demo step with the given images, completes the journey and returns its
// result.
func (e *env) run(ref string, applicant string, docImage, selfieImage string) (id string, res map[string]any) {
	e.t.Helper()
	body := `{"flow_id":"demo-flow","reference_no":"` + ref + `"` + applicant + `}`
	code, m := e.postJSON(DefaultPrefix+"/start-journey", body)
	if code != 200 {
		e.t.Fatalf("start: %d %v", code, m)
	}
	id = m["journey_id"].(string)
	if docImage != "" {
		if code, m := e.upload(id, "0", docImage); code != 200 {
			e.t.Fatalf("upload document: %d %v", code, m)
		}
	}
	if selfieImage != "" {
		if code, m := e.upload(id, "1", selfieImage); code != 200 {
			e.t.Fatalf("upload selfie: %d %v", code, m)
		}
	}
	e.clock.Advance(time.Second)
	if code, m := e.postJSON("/v2/complete-journey", `{"journey_id":"`+id+`"}`); code != 200 || m["success"] != true {
		e.t.Fatalf("complete: %d %v", code, m)
	}
	code, sum := e.summary(id)
	if code != 200 || sum["is_completed"] != true {
		e.t.Fatalf("summary: %d %v", code, sum)
	}
	return id, e.result(id)
}

func TestDecisions(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		name, applicant, doc, selfie, want string
	}{
		{"clean", "", "passport", "face", DecisionComplete},
		{"forged document", "", "passport REJECT", "face", DecisionRejected},
		{"blurry selfie", "", "passport", "face REFER", DecisionRefer},
		{"no selfie", "", "passport", "", DecisionIncomplete},
		{"aml hit", `,"applicant_details":{"full_name":"Pep Person","birth_date":"1980-02-03","nationality_code":"ARE"}`, "passport", "face", DecisionRefer},
	} {
		_, res := e.run(strings.ReplaceAll(c.name, " ", "-"), c.applicant, c.doc, c.selfie)
		if res["system_decision"] != c.want || res["final_decision"] != c.want || res["end_time"] == nil || res["manual_decision"] != nil {
			t.Errorf("%s: %v, want decision %s", c.name, res, c.want)
		}
	}
	_, res := e.run("applicant", `,"applicant_details":{"full_name":"Ada Lovelace","birth_date":"1815-12-10"}`, "passport", "face")
	for _, d := range res["documents"].(map[string]any) {
		fields := d.(map[string]any)["extracted_fields"].(map[string]any)
		if fields["Full Name"].(map[string]any)["value"] != "ADA LOVELACE" || fields["Birth Date"].(map[string]any)["value"] != "1815-12-10" {
			t.Errorf("extracted fields from applicant_details: %v", fields)
		}
	}
	if aml := res["aml"].(map[string]any); aml["result"] != "Passed" || aml["total_hits"] != float64(0) {
		t.Errorf("aml: %v", aml)
	}
	if app := res["applicant"].(map[string]any); app["full_name"] != "Ada Lovelace" || app["sex"] != nil {
		t.Errorf("applicant: %v", app)
	}
	rules := res["rule_results"].(map[string]any)
	if len(rules) != 4 || rules["liveness.1"].(map[string]any)["result"] != "Passed" {
		t.Errorf("rule results: %v", rules)
	}
	_, res = e.run("pep", `,"applicant_details":{"full_name":"Pep Person"}`, "passport", "face")
	if aml := res["aml"].(map[string]any); aml["result"] != "Failed" || aml["total_hits"] != float64(1) {
		t.Errorf("aml hit: %v", aml)
	}
}

func TestCompletedJourneyIsFinal(t *testing.T) {
	e := newEnv(t)
	id, _ := e.run("final", "", "doc", "face")
	if code, m := e.upload(id, "0", "again"); code != 409 || m["error_code"] != "journey_completed" {
		t.Errorf("upload after completion: %d %v", code, m)
	}
	if code, m := e.postJSON(DefaultPrefix+"/complete-journey", `{"journey_id":"`+id+`"}`); code != 409 || m["error_code"] != "journey_completed" {
		t.Errorf("second completion: %d %v", code, m)
	}
	if code, m := e.postJSON(DefaultPrefix+"/complete-journey", `{"journey_id":"unknown"}`); code != 404 || m["error_code"] != "journey_not_found" {
		t.Errorf("unknown journey: %d %v", code, m)
	}
	if code, m := e.postJSON(DefaultPrefix+"/complete-journey", `{"journey_id":"`+id+`"} x`); code != 400 {
		t.Errorf("trailing garbage: %d %v", code, m)
	}
}

func TestDelete(t *testing.T) {
	e := newEnv(t)
	id := e.start("delete-me")
	if code, m := e.do("DELETE", "/journey/"+id, "", nil); code != 200 || m["success"] != true {
		t.Fatalf("delete: %d %v", code, m)
	}
	if code, m := e.summary(id); code != 404 || m["error_code"] != "journey_not_found" {
		t.Errorf("summary after delete: %d %v", code, m)
	}
	if code, _ := e.do("DELETE", "/journey/"+id, "", nil); code != 404 {
		t.Errorf("second delete: %d", code)
	}
}

func TestJourneyLimits(t *testing.T) {
	e := newEnv(t, WithJourneyLimits(time.Hour, 2))
	first, second := e.start("j1"), e.start("j2")
	third := e.start("j3") // forgets first
	if code, _ := e.summary(first); code != 404 {
		t.Errorf("oldest journey beyond the limit: %d, want 404", code)
	}
	if code, _ := e.summary(second); code != 200 {
		t.Errorf("second journey: %d", code)
	}
	e.clock.Advance(time.Hour)
	if code, _ := e.summary(third); code != 404 {
		t.Errorf("journey after its TTL: %d, want 404", code)
	}
	for i := 0; i < 50; i++ { // start and delete: the store stays bounded
		id := e.start("churn")
		e.do("DELETE", "/journey/"+id, "", nil)
	}
	if n := e.srv.store.len(); n > 2 {
		t.Errorf("store holds %d journeys, limit 2", n)
	}
	if n := len(e.srv.store.order); n > 2*2+16+1 {
		t.Errorf("store's order holds %d entries", n)
	}
}

func TestBodyLimit(t *testing.T) {
	e := newEnv(t, WithMaxBodyBytes(100, 200))
	code, m := e.postJSON(DefaultPrefix+"/start-journey", `{"flow_id":"demo-flow","reference_no":"`+strings.Repeat("a", 200)+`"}`)
	if code != 413 || m["error_code"] != "request_too_large" {
		t.Errorf("large JSON: %d %v", code, m)
	}
	id := e.start("small")
	if code, m := e.upload(id, "0", strings.Repeat("i", 300)); code != 413 {
		t.Errorf("large upload: %d %v", code, m)
	}
}

func TestPrefixAndOwns(t *testing.T) {
	e := newEnv(t, WithPrefix("/idwise/api/"))
	if code, m := e.postJSON("/idwise/api/start-journey", `{"flow_id":"demo-flow","reference_no":"p"}`); code != 200 {
		t.Errorf("configured prefix: %d %v", code, m)
	}
	if code, _ := e.postJSON(DefaultPrefix+"/start-journey", `{"flow_id":"demo-flow","reference_no":"p"}`); code != 404 {
		t.Errorf("default prefix when another is configured: %d, want 404", code)
	}
	if code, _ := e.postJSON("/v2/start-journey", `{"flow_id":"demo-flow","reference_no":"p"}`); code != 200 {
		t.Errorf("guide path: %d", code)
	}
	srv := e.srv
	for _, c := range []struct {
		method, path string
		want         bool
	}{
		{"POST", "/idwise/api/start-journey", true},
		{"GET", "/idwise/api/anything", true},
		{"POST", "/v2/complete-journey", true},
		{"GET", "/v2/get-journey-result", true},
		{"GET", "/idwise/api/get-journey-result", true},
		{"DELETE", "/journey/0b7c4b56-2f0e-4f7a-9a55-6d8f3e1c2a90", true},
		{"DELETE", "/journey/abc", false},                               // neither a UUID nor Basic credentials
		{"GET", "/journey/0b7c4b56-2f0e-4f7a-9a55-6d8f3e1c2a90", false}, // GBG's hosted page
		{"POST", "/v2/captain/journey/start", false},
		{"POST", "/captain/api/journey/start", false},
		{"POST", "/as/token.oauth2", false},
	} {
		r := httptest.NewRequest(c.method, c.path, nil)
		if got := srv.Owns(r); got != c.want {
			t.Errorf("Owns(%s %s) = %v, want %v", c.method, c.path, got, c.want)
		}
		r.SetBasicAuth("k", "s")
		if got := srv.Owns(r); got != (c.want || c.method == "DELETE") {
			t.Errorf("Owns(%s %s) = %v, want %v", c.method, c.path, got, c.want)
		}
	}
	if _, err := New(WithPrefix("/v2")); err == nil {
		t.Error("prefix /v2 accepted")
	}
	if _, err := New(WithCredentials(Credentials{Key: "k"})); err == nil {
		t.Error("empty secret accepted")
	}
}

func TestFlowsDir(t *testing.T) {
	dir := t.TempDir()
	flow := `{"flow_id":"kyc","steps":[{"step_id":"front","type":"Document","title":"Passport"},{"step_id":5,"type":"Selfie","title":"Face"}]}`
	os.WriteFile(filepath.Join(dir, "kyc.json"), []byte(flow), 0o644)
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("not a flow"), 0o644)
	e := newEnv(t, WithFlowsDir(dir))
	code, m := e.postJSON(DefaultPrefix+"/start-journey", `{"flow_id":"kyc","reference_no":"f"}`)
	if code != 200 {
		t.Fatalf("start: %d %v", code, m)
	}
	steps := m["step_summaries"].([]any)
	id := func(i int) any { return steps[i].(map[string]any)["definition"].(map[string]any)["step_id"] }
	if id(0) != "front" || id(1) != float64(5) {
		t.Errorf("steps: %v", steps)
	}
	if got := e.srv.FlowIDs(); len(got) != 1 || got[0] != "kyc" {
		t.Errorf("FlowIDs %v", got)
	}
	fl, ok := e.srv.Flow("kyc")
	if !ok || len(fl.Steps) != 2 || fl.Steps[1].StepID != "5" || !fl.Steps[1].Numeric {
		t.Fatalf("Flow(kyc) = %+v, %v", fl, ok)
	}
	fl.Steps[0].Title = "changed by the caller"
	if again, _ := e.srv.Flow("kyc"); again.Steps[0].Title == fl.Steps[0].Title {
		t.Error("Flow returns the served flow's steps, not a copy")
	}
	if _, ok := e.srv.Flow("nope"); ok {
		t.Error("Flow(nope) found")
	}
	if _, err := New(WithFlowsDir(filepath.Join(dir, "missing"))); err == nil {
		t.Error("missing flows directory accepted")
	}
}

// TestFlowFileErrors: flow files are read by package flow, as gbggen generate reads them, and
// only the step kinds the emulator cannot process are refused besides.
func TestFlowFileErrors(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{`{"flow_id":"a","steps":[]}`, "flows: bad.json#/steps: want a non-empty array of steps"},
		{`{"flow_id":"a","steps":[{"step_id":0,"type":"Document","title":"D"},{"step_id":"0","type":"Selfie","title":"S"}]}`, `flows: bad.json#/steps/1/step_id: "0" is also the ID of step 0`},
		{`{"flow_id":"a","steps":[{"step_id":1.5,"type":"Selfie","title":"S"}]}`, `flows: bad.json#/steps/0/step_id: 1.5: want a non-negative integer or a string`},
		{`{"flow_id":"a","steps":[{"step_id":0,"type":"Document","title":"D"},{"step_id":1,"type":"Video","title":"V"}]}`, `flows: bad.json#/steps/1/type: "Video", want "Document" or "Selfie"`},
		{`{"flow_id":"a","steps":[]} {}`, "flows: bad.json: data after the JSON value"},
	} {
		_, err := loadFlows(fstest.MapFS{"bad.json": {Data: []byte(c.file)}})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.file, err, c.want)
		}
	}
	// What gbggen generate accepts of the two kinds is served: an empty title, a step ID of
	// 63 bits, written as a number and echoed as one.
	cat, err := loadFlows(fstest.MapFS{"ok.json": {Data: []byte(`{"flow_id":"a","steps":[{"step_id":9223372036854775807,"type":"Selfie","title":""}]}`)}})
	if err != nil {
		t.Fatal(err)
	}
	if st := cat["a"].Steps[0]; st.StepID != "9223372036854775807" || !st.Numeric || cat["a"].Name != "a" {
		t.Errorf("got %+v (name %q)", st, cat["a"].Name)
	}
	dup := fstest.MapFS{
		"a.json": {Data: []byte(`{"flow_id":"x","steps":[{"step_id":0,"type":"Selfie","title":"S"}]}`)},
		"b.json": {Data: []byte(`{"flow_id":"x","steps":[{"step_id":0,"type":"Selfie","title":"S"}]}`)},
	}
	if _, err := loadFlows(dup); err == nil || !strings.Contains(err.Error(), "b.json#/flow_id") {
		t.Errorf("duplicate flow IDs: %v", err)
	}
	if _, err := loadFlows(fstest.MapFS{}); err == nil {
		t.Error("no flows accepted")
	}
}

// TestRequestStepID: a request's step_id takes the forms a flow file's does (any integer of
// 63 bits, or a string), so every step of a served flow can be named by number.
func TestRequestStepID(t *testing.T) {
	for _, c := range []struct {
		in      string
		want    StepID
		refused bool
	}{
		{`0`, StepID{Text: "0", Numeric: true}, false},
		{` 9223372036854775807 `, StepID{Text: "9223372036854775807", Numeric: true}, false},
		{`"front"`, StepID{Text: "front"}, false},
		{`9223372036854775808`, StepID{}, true},
		{`-1`, StepID{}, true},
		{`1.5`, StepID{}, true},
		{`null`, StepID{}, true},
	} {
		var id StepID
		err := json.Unmarshal([]byte(c.in), &id)
		if (err != nil) != c.refused || id != c.want {
			t.Errorf("%s: %+v, %v", c.in, id, err)
		}
		if err == nil {
			if out, _ := json.Marshal(id); string(out) != strings.TrimSpace(c.in) {
				t.Errorf("%s written back as %s", c.in, out)
			}
		}
	}
}
