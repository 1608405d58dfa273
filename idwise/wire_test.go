package idwise

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

var wantAuth = "Basic " + base64.StdEncoding.EncodeToString([]byte(testKey+":"+testSecret))

// startOK lists a flow's steps with step IDs as a number and as a string,
// and a step type nobody documented.
const startOK = `{"journey_id":"` + testJourney + `","reference_no":"applicant-ref-001","is_completed":false,
 "step_summaries":[
  {"definition":{"step_id":0,"step_type":"Document","step_title":"Photo ID"},"result":null},
  {"definition":{"step_id":"1","step_type":"Selfie","step_title":"Selfie"}},
  {"definition":{"step_id":"poa-2","step_type":"Proof Of Address Video","step_title":"Address"}}]}`

func TestWireStartJourney(t *testing.T) {
	for _, tc := range []struct {
		name, prefix, basePath, wantPath string
	}{
		{"default prefix", "", "", "/journey/v2/start-journey"},
		{"guide prefix", "/v2", "", "/v2/start-journey"},
		{"trailing slash", "/v2/", "", "/v2/start-journey"},
		{"no prefix", "/", "", "/start-journey"},
		{"base path and default", "", "/idwise", "/idwise/journey/v2/start-journey"},
		{"base path and custom", "/api/jb", "/idwise/", "/idwise/api/jb/start-journey"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.PathPrefix = tc.prefix; c.BaseURL += tc.basePath })
			h.route("POST "+tc.wantPath, reply(startOK))
			j, err := h.c.StartJourney(context.Background(), StartRequest{
				FlowID: testFlow, ReferenceNo: "  applicant-ref-001 ",
				Applicant: &ApplicantDetails{FullName: "Ada Lovelace", BirthDate: "1815-12-10", NationalityCode: "GBR"},
			})
			if err != nil {
				t.Fatal(err)
			}
			reqs := h.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != "POST" || r.Path != tc.wantPath || r.Auth != wantAuth || r.ContentType != "application/json" {
				t.Errorf("request %s %s auth %q type %q", r.Method, r.Path, r.Auth, r.ContentType)
			}
			var body map[string]any
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{"flow_id": testFlow, "reference_no": "applicant-ref-001",
				"applicant_details": map[string]any{"full_name": "Ada Lovelace", "birth_date": "1815-12-10", "nationality_code": "GBR"}}
			if !reflect.DeepEqual(body, want) {
				t.Errorf("body = %v\nwant %v", body, want)
			}
			wantSteps := []StepDefinition{{"0", StepDocument, "Photo ID"}, {"1", StepSelfie, "Selfie"}, {"poa-2", "Proof Of Address Video", "Address"}}
			var got []StepDefinition
			for _, s := range j.Steps {
				got = append(got, s.Definition)
			}
			if j.JourneyID != testJourney || !reflect.DeepEqual(got, wantSteps) || j.Steps[0].Result != nil {
				t.Errorf("journey = %+v", j)
			}
		})
	}
}

func TestStartJourneyChecksInput(t *testing.T) {
	h := newHarness(t)
	for _, req := range []StartRequest{
		{FlowID: "", ReferenceNo: "r"},
		{FlowID: testFlow, ReferenceNo: "   "},
		{FlowID: testFlow, ReferenceNo: "has space"},
		{FlowID: testFlow, ReferenceNo: "semi;colon"},
		{FlowID: testFlow, ReferenceNo: "r", Applicant: &ApplicantDetails{Sex: "female"}},
	} {
		if _, err := h.c.StartJourney(context.Background(), req); err == nil {
			t.Errorf("%+v accepted", req)
		}
	}
	if n := len(h.requests()); n != 0 {
		t.Errorf("%d requests sent for refused input", n)
	}
	h.route("POST /journey/v2/start-journey", reply(startOK))
	if _, err := h.c.StartJourney(context.Background(), StartRequest{FlowID: testFlow, ReferenceNo: `a-b_c/d\e,f.g+h@i`}); err != nil {
		t.Errorf("every allowed character: %v", err)
	}
}

var (
	jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, make([]byte, 64)...)
	png  = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
)

type part struct {
	name, filename, ctype string
	data                  []byte
}

func parseForm(t *testing.T, r recorded) []part {
	t.Helper()
	mt, params, err := mime.ParseMediaType(r.ContentType)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("content type %q: %v", r.ContentType, err)
	}
	mr := multipart.NewReader(strings.NewReader(string(r.Body)), params["boundary"])
	var parts []part
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		parts = append(parts, part{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), b})
	}
}

func TestWireProcessStep(t *testing.T) {
	for _, prefix := range []string{"", "/v2"} {
		h := newHarness(t, func(c *Config) { c.PathPrefix = prefix })
		path := pathOf(prefix, "/process-journey-step")
		h.route("POST "+path, reply(`{"success":true}`))
		ctx := context.Background()
		if err := h.c.ProcessStep(ctx, testJourney, "0", ImageBytes(jpeg), ImageBytes(png)); err != nil {
			t.Fatal(err)
		}
		img, err := ImageReader(strings.NewReader("selfie bytes"))
		if err != nil {
			t.Fatal(err)
		}
		img.Filename, img.ContentType = "me.jpg", "image/jpeg"
		if err := h.c.ProcessStep(ctx, testJourney, "selfie-1", img, Image{}); err != nil {
			t.Fatal(err)
		}
		reqs := h.requests()
		if len(reqs) != 2 {
			t.Fatalf("%d requests", len(reqs))
		}
		for _, r := range reqs {
			if r.Method != "POST" || r.Path != path || r.Auth != wantAuth {
				t.Errorf("request %s %s auth %q", r.Method, r.Path, r.Auth)
			}
		}
		want := []part{
			{"journey_id", "", "", []byte(testJourney)},
			{"step_id", "", "", []byte("0")},
			{"image", "image.jpg", "image/jpeg", jpeg},
			{"image2", "image2.png", "image/png", png},
		}
		if got := parseForm(t, reqs[0]); !reflect.DeepEqual(got, want) {
			t.Errorf("parts = %q\nwant %q", got, want)
		}
		want = []part{
			{"journey_id", "", "", []byte(testJourney)},
			{"step_id", "", "", []byte("selfie-1")},
			{"image", "me.jpg", "image/jpeg", []byte("selfie bytes")},
		}
		if got := parseForm(t, reqs[1]); !reflect.DeepEqual(got, want) {
			t.Errorf("parts without image2 = %q\nwant %q", got, want)
		}
	}
}

func pathOf(prefix, call string) string {
	if prefix == "" {
		prefix = DefaultPathPrefix
	}
	return prefix + call
}

func TestProcessStepChecksInput(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if err := h.c.ProcessStep(ctx, testJourney, "0", Image{}, ImageBytes(png)); err == nil {
		t.Error("empty image accepted")
	}
	if err := h.c.ProcessStep(ctx, "", "0", ImageBytes(jpeg), Image{}); err == nil {
		t.Error("empty journey ID accepted")
	}
	if err := h.c.ProcessStep(ctx, testJourney, "", ImageBytes(jpeg), Image{}); err == nil {
		t.Error("empty step ID accepted")
	}
	if _, err := ImageReader(failingReader{}); err == nil || !strings.Contains(err.Error(), "reading image") {
		t.Errorf("failing reader: %v", err)
	}
	if n := len(h.requests()); n != 0 {
		t.Errorf("%d requests sent for refused input", n)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestWireSkipStep(t *testing.T) {
	h := newHarness(t)
	h.route("POST /journey/v2/process-journey-step", reply(`{"success":true}`))
	if err := h.c.SkipStep(context.Background(), testJourney, "3"); err != nil {
		t.Fatal(err)
	}
	want := []part{{"journey_id", "", "", []byte(testJourney)}, {"step_id", "", "", []byte("3")}, {"is_skipped", "", "", []byte("true")}}
	if got := parseForm(t, h.requests()[0]); !reflect.DeepEqual(got, want) {
		t.Errorf("parts = %q, want %q", got, want)
	}
}

func TestWireCompleteJourney(t *testing.T) {
	for _, prefix := range []string{"", "/v2"} {
		h := newHarness(t, func(c *Config) { c.PathPrefix = prefix })
		h.route("POST "+pathOf(prefix, "/complete-journey"), reply(`{"success":true}`))
		if err := h.c.CompleteJourney(context.Background(), testJourney); err != nil {
			t.Fatal(err)
		}
		r := h.requests()[0]
		if r.Auth != wantAuth || r.ContentType != "application/json" || string(r.Body) != `{"journey_id":"`+testJourney+`"}` {
			t.Errorf("request auth %q type %q body %s", r.Auth, r.ContentType, r.Body)
		}
	}
}

const summaryOK = `{"journey_id":"` + testJourney + `","is_completed":false,
 "step_summaries":[
  {"definition":{"step_id":0,"step_type":"Document","step_title":"Photo ID"},
   "result":{"has_passed_rules":true,"is_concluded":true,"status":"Submitted","error_user_feedback_code":null,"error_user_feedback_title":"","error_user_feedback_details":""}},
  {"definition":{"step_id":"1","step_type":"Selfie","step_title":"Selfie"},
   "result":{"has_passed_rules":false,"is_concluded":false,"status":"Re-Processing","error_user_feedback_code":"blurry","error_user_feedback_title":"Blurry","error_user_feedback_details":"Hold still"}},
  {"definition":{"step_id":2,"step_type":"Document","step_title":"Back"},"result":null}],
 "result":{"interim_rule_assessment":"Inconclusive","interim_rule_details":{"under_age":{"name":"Under Age","result":"Failed"}},"future_member":[1,2]}}`

func TestWireSummary(t *testing.T) {
	for _, prefix := range []string{"", "/v2"} {
		h := newHarness(t, func(c *Config) { c.PathPrefix = prefix })
		path := pathOf(prefix, "/summary/")
		h.route("GET "+path, reply(summaryOK))
		s, err := h.c.Summary(context.Background(), testJourney)
		if err != nil {
			t.Fatal(err)
		}
		r := h.requests()[0]
		if r.Method != "GET" || r.Path != path || r.Auth != wantAuth || mustQuery(t, r.RawQuery).Get("journey_id") != testJourney {
			t.Errorf("request %s %s?%s auth %q", r.Method, r.Path, r.RawQuery, r.Auth)
		}
		if s.Finished() || s.AllProcessed() {
			t.Errorf("Finished %v AllProcessed %v, want false", s.Finished(), s.AllProcessed())
		}
		st0, ok0 := s.Step("0")
		st1, ok1 := s.Step("1")
		st2, ok2 := s.Step("2")
		if !ok0 || !ok1 || !ok2 || !st0.Processed() || st1.Processed() || st2.Processed() {
			t.Errorf("steps: %+v %+v %+v", st0, st1, st2)
		}
		if st1.Result.Status != "Re-Processing" || st1.Result.FeedbackCode != "blurry" || st1.Result.FeedbackDetails != "Hold still" {
			t.Errorf("step 1 result = %+v", st1.Result)
		}
		if s.Result.Assessment != "Inconclusive" || s.Result.Rules["under_age"] != (InterimRule{"Under Age", RuleFailed}) {
			t.Errorf("interim result = %+v", s.Result)
		}
	}
}

const resultOK = `{"journey_id":"` + testJourney + `","customer_id":"c-1","journey_definintion_id":"` + testFlow + `",
 "reference_number":"applicant-ref-001","start_time":"2023-01-26T08:12:00.962462","end_time":null,
 "system_decision":"Refer","manual_decision":null,"final_decision":"Escalated To Compliance","model_version":"3.0",
 "documents":{"doc-a":{"step_id":0,"document_type":"Passport","issuing_country_code":"GBR","has_passed_rules":true,
   "extracted_fields":{"Full Name":{"value":"Ada Lovelace"},"Birth Date":{"value":"1815-12-10"},"Missing":{"value":null}}},
  "doc-b":{"step_id":"2","document_type":"Utility Bill"}},
 "selfie":{"step_id":1,"liveness_status":"Live","is_live":true,"has_passed_rules":true},
 "rule_results":{"same_subject":{"name":"Same Person","result":"Passed"},"under_age":{"name":"Under Age","result":"Failed","details":{"age":17}}},
 "applicant":{"full_name":"Ada Lovelace","nationality_code":"GBR"},
 "aml":{"result":"Passed","total_hits":1,"hits":[{"name":"A. Lovelace","match_types":["name"],"sources":["pep"]}]},
 "screening_checks":{"m1":{"anything":true}}}`

func TestWireResult(t *testing.T) {
	for _, prefix := range []string{"", "/v2"} {
		h := newHarness(t, func(c *Config) { c.PathPrefix = prefix })
		path := pathOf(prefix, "/get-journey-result")
		h.route("GET "+path, reply(resultOK))
		res, err := h.c.Result(context.Background(), testJourney)
		if err != nil {
			t.Fatal(err)
		}
		r := h.requests()[0]
		if r.Method != "GET" || r.Path != path || r.Auth != wantAuth || mustQuery(t, r.RawQuery).Get("journey_id") != testJourney {
			t.Errorf("request %s %s?%s auth %q", r.Method, r.Path, r.RawQuery, r.Auth)
		}
		if res.FlowID != testFlow || res.SystemDecision != DecisionRefer || res.ManualDecision != "" ||
			res.Decision() != "Escalated To Compliance" || res.EndTime != "" {
			t.Errorf("result = %+v", res)
		}
		doc, ok := res.DocumentForStep("0")
		if !ok || doc.DocumentType != "Passport" || doc.Field("Full Name") != "Ada Lovelace" || doc.Field("Missing") != "" {
			t.Errorf("document of step 0 = %+v, %v", doc, ok)
		}
		if d, ok := res.DocumentForStep("2"); !ok || d.DocumentType != "Utility Bill" {
			t.Errorf("document of step 2 = %+v, %v", d, ok)
		}
		if res.Selfie == nil || res.Selfie.StepID != "1" || res.Selfie.IsLive == nil || !*res.Selfie.IsLive {
			t.Errorf("selfie = %+v", res.Selfie)
		}
		if res.RuleResults["under_age"].Result != RuleFailed || string(res.RuleResults["under_age"].Details["age"]) != "17" {
			t.Errorf("rule results = %+v", res.RuleResults)
		}
		if res.AML == nil || res.AML.TotalHits != 1 || res.AML.Hits[0].Sources[0] != "pep" || len(res.ScreeningChecks) != 1 {
			t.Errorf("aml %+v screening %v", res.AML, res.ScreeningChecks)
		}
	}
}

func TestWireDeleteJourney(t *testing.T) {
	for _, prefix := range []string{"", "/v2"} {
		h := newHarness(t, func(c *Config) { c.PathPrefix = prefix })
		h.route("DELETE /journey/"+testJourney, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusNoContent) })
		h.route("DELETE /journey/v2%2Fx", func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusOK) })
		if err := h.c.DeleteJourney(context.Background(), testJourney); err != nil {
			t.Fatal(err)
		}
		// The ID is one escaped segment, and the prefix rewrite leaves it alone.
		if err := h.c.DeleteJourney(context.Background(), "v2/x"); err != nil {
			t.Fatal(err)
		}
		reqs := h.requests()
		if reqs[0].Method != "DELETE" || reqs[0].Path != "/journey/"+testJourney || reqs[0].Auth != wantAuth || len(reqs[0].Body) != 0 {
			t.Errorf("request %+v", reqs[0])
		}
	}
}

func TestSuccessFalseIsError(t *testing.T) {
	h := newHarness(t)
	h.route("POST /journey/v2/complete-journey", reply(`{"success":false,"message":"journey already completed","error_code":"journey_completed"}`))
	err := h.c.CompleteJourney(context.Background(), testJourney)
	var apiErr *APIError
	if !asAPIError(err, &apiErr) || apiErr.StatusCode != 200 || apiErr.Code != "journey_completed" {
		t.Fatalf("err = %v", err)
	}
}

func TestRegions(t *testing.T) {
	for r, want := range map[Region]string{
		"": "https://api.idwise.com", EU: "https://api.idwise.com", UAE: "https://api-uae.idwise.com",
		Qatar: "https://api-qat.idwise.com", "QAT": "https://api-qat.idwise.com", "us": "",
	} {
		if got := r.BaseURL(); got != want {
			t.Errorf("%q.BaseURL() = %q, want %q", r, got, want)
		}
		c, err := New(Config{Region: r, APIKey: testKey, APISecret: testSecret})
		if want == "" {
			if err == nil {
				t.Errorf("region %q accepted", r)
			}
			continue
		}
		if err != nil || c.BaseURL() != want || c.PathPrefix() != DefaultPathPrefix {
			t.Errorf("New(region %q) = %v, %v", r, c, err)
		}
	}
	for _, bad := range []Config{
		{APIKey: testKey},
		{APISecret: testSecret},
		{APIKey: testKey, APISecret: testSecret, BaseURL: "ftp://x"},
		{APIKey: testKey, APISecret: testSecret, BaseURL: "http://x?q=1"},
		{APIKey: testKey, APISecret: testSecret, PathPrefix: "journey/v2"},
		{APIKey: testKey, APISecret: testSecret, PathPrefix: "/journey v2"},
		{APIKey: testKey, APISecret: testSecret, PathPrefix: "/a//b"},
	} {
		if _, err := New(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
