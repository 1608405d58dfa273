package sandbox_test

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/generated"
)

func (e *env) startV2(delivery generated.Delivery, subject map[string]any, editors ...generated.RequestEditorFn) *generated.HostedInstance {
	e.t.Helper()
	ctx := generated.JourneyContextV2{Config: generated.JourneyConfigV2{Delivery: delivery}}
	if subject != nil {
		s := generated.SubjectData(subject)
		ctx.Subject = &s
	}
	res, err := e.c.StartJourneyV2WithResponse(context.Background(), generated.StartJourneyV2Request{ResourceID: onboarding, Context: ctx}, editors...)
	if err != nil {
		e.t.Fatal(err)
	}
	if res.JSON201 == nil {
		e.t.Fatalf("v2 start: %d %s", res.StatusCode(), res.Body)
	}
	return res.JSON201
}

func (e *env) interaction(id string) *generated.Interaction {
	e.t.Helper()
	res, err := e.c.FetchInteractionWithResponse(context.Background(), generated.InstanceRequest{InstanceID: id})
	if err != nil {
		e.t.Fatal(err)
	}
	if res.JSON200 == nil {
		e.t.Fatalf("interaction/fetch: %d %s", res.StatusCode(), res.Body)
	}
	return res.JSON200
}

func (e *env) submit(id, interactionID string, subject map[string]any) *generated.InteractionSubmitResponse {
	e.t.Helper()
	res, err := e.c.SubmitInteractionWithResponse(context.Background(), generated.InteractionSubmitRequest{
		InstanceID: id, InteractionID: interactionID, Context: generated.TaskContext{Subject: subject}})
	if err != nil {
		e.t.Fatal(err)
	}
	if res.JSON200 == nil {
		e.t.Fatalf("interaction/submit: %d %s", res.StatusCode(), res.Body)
	}
	return res.JSON200
}

func (e *env) stateV2(id string) *generated.JourneyStateV2 {
	e.t.Helper()
	res, err := e.c.FetchStateV2WithResponse(context.Background(), generated.InstanceRequest{InstanceID: id})
	if err != nil {
		e.t.Fatal(err)
	}
	if res.JSON200 == nil {
		e.t.Fatalf("v2 state/fetch: %d %s", res.StatusCode(), res.Body)
	}
	return res.JSON200
}

func TestV2Start(t *testing.T) {
	e := newEnv(t)
	page := e.startV2(generated.Page, nil)
	if page.InstanceURL == nil || !strings.Contains(*page.InstanceURL, page.InstanceID) || *page.Status != "started" {
		t.Fatalf("delivery page: %+v", page)
	}
	api := e.startV2(generated.API, subjectWith(identity()))
	if api.InstanceURL != nil {
		t.Fatalf("delivery api has an instanceUrl: %v", *api.InstanceURL)
	}
	st := e.stateV2(api.InstanceID)
	if st.Status != "InProgress" || *st.Context.Result.Status != "pending" || *st.Context.Subject.Identity.FirstName != "Ada" {
		t.Fatalf("v2 state: %+v", st)
	}
	steps := *st.Context.Process.Steps
	if len(steps) != 3 || *steps[0].Outcome != "Completed" || *steps[2].Outcome != "Pending" {
		t.Fatalf("steps %+v", steps)
	}
	if *st.Context.Process.Journey.Version != "1" || *st.Context.Process.Journey.Name != "Onboarding" {
		t.Fatalf("process.journey %+v", st.Context.Process.Journey)
	}

	// config.delivery is required (4002 MISSING_FIELD 400); an unknown value is 4003 INVALID_FIELD 409.
	res, body := e.post("/v2/captain/journey/start", `{"resourceId":"`+onboarding+`","context":{"config":{}}}`)
	if res.StatusCode != 400 {
		t.Fatalf("no delivery: %d %v", res.StatusCode, body)
	}
	if code, name := v2Error(t, body); code != "4002" || name != "MISSING_FIELD" {
		t.Fatalf("no delivery: %s %s", code, name)
	}
	res, body = e.post("/v2/captain/journey/start", `{"resourceId":"`+onboarding+`","context":{"config":{"delivery":"email"}}}`)
	if res.StatusCode != 409 {
		t.Fatalf("bad delivery: %d %v", res.StatusCode, body)
	}
	if code, name := v2Error(t, body); code != "4003" || name != "INVALID_FIELD" {
		t.Fatalf("bad delivery: %s %s", code, name)
	}
	res, body = e.post("/v2/captain/journey/start", `{"resourceId":"`+strings.Repeat("0", 64)+`@latest","context":{"config":{"delivery":"api"}}}`)
	if code, _ := v2Error(t, body); res.StatusCode != 404 || code != "1001" {
		t.Fatalf("unknown journey: %d %s", res.StatusCode, code)
	}
}

func TestV2InteractionOutstandingShrinks(t *testing.T) {
	e := newEnv(t)
	id := e.startV2(generated.API, subjectWith(map[string]any{"firstName": "Ada"})).InstanceID

	in := e.interaction(id)
	if *in.Interaction.Resource != "personal-details" {
		t.Fatalf("first interaction %s", *in.Interaction.Resource)
	}
	if got := *in.Outstanding; !reflect.DeepEqual(got, []string{"identity/dateOfBirth", "identity/lastNames"}) {
		t.Fatalf("outstanding %v", got)
	}
	var collects []string
	for _, c := range *in.Interaction.Collects {
		collects = append(collects, *c.Ref)
	}
	if !reflect.DeepEqual(collects, []string{"identity/firstName", "identity/lastNames", "identity/dateOfBirth"}) {
		t.Fatalf("collects %v", collects)
	}

	// Invalid data: status error with HTTP 200, nothing stored.
	r := e.submit(id, *in.InteractionID, subjectWith(map[string]any{"dateOfBirth": "yesterday"}))
	if r.Status != "error" || *r.Code != "4003" || !strings.Contains(*r.Message, "/subject/identity/dateOfBirth") {
		t.Fatalf("invalid submit: %+v", r)
	}
	if got := *e.interaction(id).Outstanding; len(got) != 2 {
		t.Fatalf("outstanding after a refused submit: %v", got)
	}
	// A stale interaction ID: status error.
	if r := e.submit(id, "not-the-current-one", subjectWith(map[string]any{"dateOfBirth": "1815-12-10"})); r.Status != "error" {
		t.Fatalf("wrong interaction: %+v", r)
	}

	// Part of the data: outstanding shrinks.
	if r := e.submit(id, *in.InteractionID, subjectWith(map[string]any{"dateOfBirth": "1815-12-10"})); r.Status != "success" {
		t.Fatalf("submit: %+v", r)
	}
	if got := *e.interaction(id).Outstanding; !reflect.DeepEqual(got, []string{"identity/lastNames"}) {
		t.Fatalf("outstanding after dateOfBirth: %v", got)
	}
	// The rest: the next interaction comes.
	e.submit(id, *in.InteractionID, subjectWith(map[string]any{"lastNames": []any{"Lovelace"}}))
	in = e.interaction(id)
	if *in.Interaction.Resource != "address" || !reflect.DeepEqual(*in.Outstanding, []string{"identity/currentAddress"}) {
		t.Fatalf("second interaction %s, outstanding %v", *in.Interaction.Resource, *in.Outstanding)
	}
	e.submit(id, *in.InteractionID, subjectWith(map[string]any{"currentAddress": map[string]any{"postalCode": "SW1Y 4JH"}}))
	if got := *e.interaction(id).Outstanding; !reflect.DeepEqual(got, []string{"identity/currentAddress/country"}) {
		t.Fatalf("outstanding after postalCode: %v", got)
	}
	e.submit(id, *in.InteractionID, subjectWith(map[string]any{"currentAddress": map[string]any{"postalCode": "SW1Y 4JH", "country": "GBR"}}))
	in = e.interaction(id)
	if *in.Interaction.Resource != "document" {
		t.Fatalf("third interaction %s", *in.Interaction.Resource)
	}
	if r := e.submit(id, *in.InteractionID, document()); r.Status != "success" {
		t.Fatalf("document: %+v", r)
	}
	in = e.interaction(id)
	if in.InteractionID != nil || len(*in.Outstanding) != 0 {
		t.Fatalf("interaction after completion: %+v", in)
	}
	st := e.stateV2(id)
	if st.Status != "Completed" || *st.Context.Result.Status != "completed" || *st.Context.Result.Outcome != "Decision: Pass 1+1" ||
		st.Context.Process.Journey.EndedAt == nil || len(*st.Context.Subject.Documents) != 1 {
		t.Fatalf("v2 state after completion: %+v", st.Context)
	}
	// Submitting to a finished journey: 404 in the v2 shape.
	res, body := e.post("/v2/captain/journey/interaction/submit", `{"instanceId":"`+id+`","interactionId":"x","context":{"subject":{}}}`)
	if code, _ := v2Error(t, body); res.StatusCode != http.StatusNotFound || code != "1001" {
		t.Fatalf("submit to finished journey: %d %s", res.StatusCode, code)
	}
}
