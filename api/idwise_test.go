package api_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

const idwiseSpecPath = "idwise.yaml"

func loadIDWise(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile(idwiseSpecPath)
	if err != nil {
		t.Fatalf("load %s: %v", idwiseSpecPath, err)
	}
	return doc
}

func TestIDWiseSpecValidates(t *testing.T) {
	doc := loadIDWise(t)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("%s does not validate: %v", idwiseSpecPath, err)
	}
	var urls []string
	for _, s := range doc.Servers {
		urls = append(urls, s.URL)
	}
	want := []string{"https://api.idwise.com", "https://api-uae.idwise.com", "https://api-qat.idwise.com"}
	if !slices.Equal(urls, want) {
		t.Errorf("servers = %v, want %v", urls, want)
	}
	basic := doc.Components.SecuritySchemes["basicAuth"]
	if basic == nil || basic.Value.Type != "http" || basic.Value.Scheme != "basic" {
		t.Errorf("basicAuth security scheme = %+v, want http basic", basic)
	}
	if len(doc.Security) != 1 || doc.Security[0]["basicAuth"] == nil {
		t.Errorf("document security = %v, want basicAuth", doc.Security)
	}
}

// TestIDWiseSpecPaths checks every operation, where its path comes from, and that each
// refusal is the one error schema.
func TestIDWiseSpecPaths(t *testing.T) {
	doc := loadIDWise(t)
	want := []struct{ method, path, source, body string }{
		{"POST", "/journey/v2/start-journey", "confirmed", "application/json"},
		{"POST", "/journey/v2/process-journey-step", "inferred", "multipart/form-data"},
		{"POST", "/journey/v2/complete-journey", "inferred", "application/json"},
		{"GET", "/journey/v2/summary/", "confirmed", ""},
		{"GET", "/journey/v2/get-journey-result", "inferred", ""},
		{"DELETE", "/journey/{journey-id}", "confirmed", ""},
	}
	if n := doc.Paths.Len(); n != len(want) {
		t.Errorf("spec has %d paths, want %d", n, len(want))
	}
	prefix, _ := doc.Extensions["x-gbggen-path-prefix"].(string)
	if prefix != "/journey/v2" {
		t.Errorf("x-gbggen-path-prefix = %q, want /journey/v2", prefix)
	}
	for _, w := range want {
		item := doc.Paths.Value(w.path)
		if item == nil {
			t.Errorf("%s: missing", w.path)
			continue
		}
		if got := item.Extensions["x-gbggen-source"]; got != w.source {
			t.Errorf("%s: x-gbggen-source = %v, want %s", w.path, got, w.source)
		}
		op := item.GetOperation(w.method)
		if op == nil {
			t.Errorf("%s %s: no such operation", w.method, w.path)
			continue
		}
		if !strings.Contains(op.Description, "Source: "+w.source) {
			t.Errorf("%s %s: description does not say its source", w.method, w.path)
		}
		if w.body != "" {
			if op.RequestBody == nil || op.RequestBody.Value.Content.Get(w.body) == nil {
				t.Errorf("%s %s: no %s request body", w.method, w.path, w.body)
			}
		}
		for _, code := range []int{401, 403, 429} {
			r := op.Responses.Status(code)
			if r == nil || r.Value.Content.Get("application/json").Schema.Value != doc.Components.Schemas["ErrorResponse"].Value {
				t.Errorf("%s %s: %d is not an ErrorResponse", w.method, w.path, code)
			}
		}
		if strings.HasPrefix(w.path, prefix+"/") == (item.Extensions["x-gbggen-prefixed"] == false) {
			t.Errorf("%s: x-gbggen-prefixed disagrees with the path", w.path)
		}
	}
	step := doc.Paths.Value("/journey/v2/process-journey-step").Post.RequestBody.Value.Content
	if step.Get("application/json") == nil {
		t.Error("process-journey-step has no JSON (base64) alternative")
	}
	form := step.Get("multipart/form-data").Schema.Value
	if !slices.Equal(form.Required, []string{"journey_id", "step_id", "image"}) || form.Properties["image2"] == nil {
		t.Errorf("multipart form: required %v, image2 %v", form.Required, form.Properties["image2"])
	}
}

// schemaOK validates v (a JSON value as encoding/json decodes it) against a component.
func schemaOK(doc *openapi3.T, name string, v any) error {
	return doc.Components.Schemas[name].Value.VisitJSON(v)
}

func TestIDWiseReferenceNo(t *testing.T) {
	doc := loadIDWise(t)
	for _, ref := range []string{"applicant-ref-001", `a_b/c\d,e.f+g@h`, "Z9"} {
		if err := schemaOK(doc, "StartJourneyRequest", map[string]any{"flow_id": "f", "reference_no": ref}); err != nil {
			t.Errorf("reference_no %q rejected: %v", ref, err)
		}
	}
	for _, ref := range []string{"", "with space", "semi;colon", "quote'", "ümlaut", "a#b"} {
		if schemaOK(doc, "StartJourneyRequest", map[string]any{"flow_id": "f", "reference_no": ref}) == nil {
			t.Errorf("reference_no %q accepted", ref)
		}
	}
	if schemaOK(doc, "StartJourneyRequest", map[string]any{"flow_id": "f", "reference_no": "r", "applicant_details": map[string]any{"sex": "male"}}) == nil {
		t.Error("applicant_details without full_name accepted")
	}
	if err := schemaOK(doc, "StartJourneyRequest", map[string]any{"flow_id": "f", "reference_no": "r", "applicant_details": map[string]any{
		"full_name": "Ada Lovelace", "birth_date": "1815-12-10", "sex": "female", "address": "12 St James's Square, London", "nationality_code": "GBR",
	}}); err != nil {
		t.Errorf("full applicant_details rejected: %v", err)
	}
}

// TestIDWiseOpenValues: step IDs are numbers or strings, and decisions, statuses and step
// types take values nobody has listed yet.
func TestIDWiseOpenValues(t *testing.T) {
	doc := loadIDWise(t)
	for _, id := range []any{float64(0), float64(3), "0", "selfie-1"} {
		if err := schemaOK(doc, "StepID", id); err != nil {
			t.Errorf("step_id %v rejected: %v", id, err)
		}
	}
	for _, id := range []any{true, nil, map[string]any{}, 1.5} {
		if schemaOK(doc, "StepID", id) == nil {
			t.Errorf("step_id %v accepted", id)
		}
	}
	for _, name := range []string{"Decision", "StepStatus", "StepType", "RuleOutcome", "ErrorCode"} {
		s := doc.Components.Schemas[name].Value
		if len(s.Enum) != 0 {
			t.Errorf("%s is a closed enum", name)
		}
		known, _ := s.Extensions["x-gbggen-known-values"].([]any)
		if len(known) == 0 {
			t.Errorf("%s lists no known values", name)
		}
		if err := s.VisitJSON("Something New"); err != nil {
			t.Errorf("%s rejects an unknown value: %v", name, err)
		}
	}
	summary := map[string]any{
		"journey_id": "j1", "is_completed": false,
		"step_summaries": []any{
			map[string]any{"definition": map[string]any{"step_id": float64(0), "step_type": "Document", "step_title": "Photo ID"},
				"result": map[string]any{"status": "Submitted", "has_passed_rules": true, "is_concluded": true, "error_user_feedback_code": nil}},
			map[string]any{"definition": map[string]any{"step_id": "1", "step_type": "Liveness Video"}, "result": nil},
		},
		"result": map[string]any{"interim_rule_assessment": "Failed", "interim_rule_details": map[string]any{
			"under_age": map[string]any{"name": "Under Age", "result": "Failed"}}},
	}
	if err := schemaOK(doc, "JourneySummary", summary); err != nil {
		t.Errorf("reference-shaped summary rejected: %v", err)
	}
}

func TestIDWiseWebhook(t *testing.T) {
	doc := loadIDWise(t)
	hooks, _ := doc.Extensions["x-webhooks"].(map[string]any)
	if hooks["finishedJourney"] == nil {
		t.Fatal("x-webhooks.finishedJourney missing")
	}
	ok := map[string]any{"event": "Finished Journey", "body": map[string]any{
		"eventId": "e1", "journeyId": "j1", "referenceNo": "r1", "systemDecision": "Complete", "somethingAdded": 1}}
	if err := schemaOK(doc, "WebhookEvent", ok); err != nil {
		t.Errorf("reference webhook rejected: %v", err)
	}
	if schemaOK(doc, "WebhookEvent", map[string]any{"event": "Finished Journey", "body": map[string]any{"journeyId": "j1"}}) == nil {
		t.Error("webhook without eventId accepted")
	}
}
