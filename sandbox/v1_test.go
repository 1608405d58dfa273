package sandbox_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gbggen/gbggen/generated"
	"github.com/gbggen/gbggen/sandbox"
)

func TestTokenGrants(t *testing.T) {
	e := newEnv(t, sandbox.WithTokenTTL(10*time.Minute))
	cr := sandbox.DefaultCredentials
	form := func(kv ...string) string {
		var parts []string
		for i := 0; i+1 < len(kv); i += 2 {
			parts = append(parts, kv[i]+"="+kv[i+1])
		}
		return strings.Join(parts, "&")
	}
	const ctype = "application/x-www-form-urlencoded"
	cases := []struct {
		name   string
		body   string
		status int
		oauth  string
	}{
		{"password", form("grant_type", "password", "client_id", cr.ClientID, "client_secret", cr.ClientSecret, "username", cr.Username, "password", cr.Password), 200, ""},
		{"client credentials", form("grant_type", "client_credentials", "client_id", cr.ClientID, "client_secret", cr.ClientSecret, "scope", "gbg.token"), 200, ""},
		{"wrong secret", form("grant_type", "password", "client_id", cr.ClientID, "client_secret", "nope", "username", cr.Username, "password", cr.Password), 401, "invalid_client"},
		{"unknown client", form("grant_type", "client_credentials", "client_id", "someone", "client_secret", cr.ClientSecret, "scope", "gbg.token"), 401, "invalid_client"},
		{"wrong password", form("grant_type", "password", "client_id", cr.ClientID, "client_secret", cr.ClientSecret, "username", cr.Username, "password", "nope"), 401, "invalid_grant"},
		{"password grant without user", form("grant_type", "password", "client_id", cr.ClientID, "client_secret", cr.ClientSecret), 400, "invalid_request"},
		{"client credentials without scope", form("grant_type", "client_credentials", "client_id", cr.ClientID, "client_secret", cr.ClientSecret), 400, "invalid_scope"},
		{"unknown grant", form("grant_type", "authorization_code", "client_id", cr.ClientID, "client_secret", cr.ClientSecret), 400, "unsupported_grant_type"},
		{"no client id", form("grant_type", "password", "client_secret", cr.ClientSecret), 400, "invalid_request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, body := e.raw(http.MethodPost, "/as/token.oauth2", "", ctype, c.body)
			if res.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %v", res.StatusCode, c.status, body)
			}
			if res.Header.Get("X-Request-ID") == "" {
				t.Error("no X-Request-ID")
			}
			if c.status == 200 {
				if body["token_type"] != "Bearer" || body["expires_in"] != float64(600) || body["access_token"] == "" {
					t.Fatalf("token answer %v", body)
				}
				tok := body["access_token"].(string)
				if r, _ := e.raw(http.MethodGet, "/captain/api/journey/health", tok, "", ""); r.StatusCode != 200 {
					t.Fatalf("new token refused: %d", r.StatusCode)
				}
				return
			}
			if body["error"] != c.oauth || body["error_description"] == "" {
				t.Fatalf("OAuth error %v, want error %q", body, c.oauth)
			}
		})
	}
}

func TestTokensExpireAndAreRequired(t *testing.T) {
	e := newEnv(t, sandbox.WithTokenTTL(time.Minute))
	health := func(tok string) int {
		res, body := e.raw(http.MethodGet, "/captain/api/journey/health", tok, "", "")
		if res.StatusCode != 200 {
			v1Error(t, res.StatusCode, body)
		} else if body["message"] != "OK" {
			t.Fatalf("health %v", body)
		}
		return res.StatusCode
	}
	if got := health(e.token); got != 200 {
		t.Fatalf("fresh token: %d", got)
	}
	if got := health(""); got != 401 {
		t.Fatalf("no token: %d, want 401", got)
	}
	if got := health("made-up-token"); got != 401 {
		t.Fatalf("unknown token: %d, want 401", got)
	}
	e.clock.Advance(59 * time.Second)
	if got := health(e.token); got != 200 {
		t.Fatalf("token before expiry: %d", got)
	}
	e.clock.Advance(time.Second)
	if got := health(e.token); got != 401 {
		t.Fatalf("expired token: %d, want 401", got)
	}
	// v2 paths answer 401 in the v2 shape.
	res, body := e.raw(http.MethodPost, "/v2/captain/journey/state/fetch", e.token, "application/json", `{"instanceId":"0123456789abcdef0123"}`)
	if res.StatusCode != 401 {
		t.Fatalf("v2 with expired token: %d", res.StatusCode)
	}
	if code, name := v2Error(t, body); code != "2001" || name != "UNAUTHORIZED" {
		t.Fatalf("v2 401: %s %s", code, name)
	}
}

func TestCustomCredentials(t *testing.T) {
	cr := sandbox.Credentials{ClientID: "acme", ClientSecret: "s3cret", Username: "ops", Password: "pw"}
	srv, err := sandbox.New(sandbox.WithCredentials(cr))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, srv: srv, clock: newClock()}
	e.ts = newServer(t, srv)
	res, _ := e.raw(http.MethodPost, "/as/token.oauth2", "", "application/x-www-form-urlencoded",
		"grant_type=client_credentials&client_id=gbggen-demo&client_secret=gbggen-demo-secret&scope=gbg.token")
	if res.StatusCode != 401 {
		t.Fatalf("default credentials after override: %d, want 401", res.StatusCode)
	}
	res, _ = e.raw(http.MethodPost, "/as/token.oauth2", "", "application/x-www-form-urlencoded",
		"grant_type=password&client_id=acme&client_secret=s3cret&username=ops&password=pw")
	if res.StatusCode != 200 {
		t.Fatalf("overridden credentials: %d, want 200", res.StatusCode)
	}
}

func TestPrefillCompletesSatisfiedTasksOnly(t *testing.T) {
	e := newEnv(t)

	// Full identity and address: only the document task is left.
	id := e.start(subjectWith(identity()))
	if got := keys(e.pending(id)); !reflect.DeepEqual(got, []string{"document"}) {
		t.Fatalf("full prefill: pending %v, want [document]", got)
	}
	if st := e.state(id); st.Status != "InProgress" || st.MetaData.CompletedTime != nil {
		t.Fatalf("state %s, completedTime %v", st.Status, st.MetaData.CompletedTime)
	}

	// The silent failure: a bad date of birth and no address leave two tasks pending; the valid
	// fields are kept, the invalid one is dropped.
	bad := identity()
	bad["dateOfBirth"] = "10/12/1815"
	delete(bad, "currentAddress")
	bad["nickname"] = "Ada" // not in the journey schema
	id = e.start(subjectWith(bad))
	if got := keys(e.pending(id)); !reflect.DeepEqual(got, []string{"address", "document", "personal-details"}) {
		t.Fatalf("bad prefill: pending %v", got)
	}
	st := e.state(id)
	kept := (*st.Context)["subject"].(map[string]any)["identity"].(map[string]any)
	if kept["firstName"] != "Ada" || kept["dateOfBirth"] != nil || kept["nickname"] != nil {
		t.Fatalf("kept identity %v: want firstName kept, dateOfBirth and nickname dropped", kept)
	}

	// No prefill: every task pending; task/list lists the same tasks.
	id = e.start(nil)
	all := e.pending(id)
	if got := keys(all); !reflect.DeepEqual(got, []string{"address", "document", "personal-details"}) {
		t.Fatalf("no prefill: pending %v", got)
	}
	res, err := e.c.ListTasksWithResponse(context.Background(), generated.InstanceRequest{InstanceID: id})
	if err != nil || res.JSON200 == nil {
		t.Fatalf("task/list: %v %s", err, res.Body)
	}
	if *res.JSON200.Status != "InProgress" || len(*res.JSON200.Tasks) != 3 || *res.JSON200.InstanceID != id {
		t.Fatalf("task/list %s", res.Body)
	}

	// Everything present: Completed at once.
	full := subjectWith(identity())
	full["documents"] = document()["documents"]
	id = e.start(full)
	if st := e.state(id); st.Status != "Completed" {
		t.Fatalf("complete prefill: %s", st.Status)
	}
}

func TestTaskSchema(t *testing.T) {
	e := newEnv(t)
	id := e.start(nil)
	tasks := e.pending(id)
	res, err := e.c.GetTaskSchemaWithResponse(context.Background(), generated.TaskRequest{TaskID: tasks["personal-details"]})
	if err != nil || res.JSON200 == nil {
		t.Fatalf("task/schema: %v %s", err, res.Body)
	}
	s := *res.JSON200
	if s["$schema"] != "http://json-schema.org/draft-07/schema#" {
		t.Fatalf("$schema %v", s["$schema"])
	}
	req, _ := s["required"].([]any)
	if len(req) != 1 || req[0] != "context" {
		t.Fatalf("task schema not rooted at context: required %v", s["required"])
	}
	res, _ = e.c.GetTaskSchemaWithResponse(context.Background(), generated.TaskRequest{TaskID: strings.Repeat("0", 32)})
	if res.StatusCode() != 404 || res.JSON404 == nil {
		t.Fatalf("unknown task: %d %s", res.StatusCode(), res.Body)
	}
}

func TestTaskUpdateIntents(t *testing.T) {
	e := newEnv(t)
	ident := identity()
	delete(ident, "currentAddress")
	id := e.start(subjectWith(ident))
	task := e.pending(id)["address"]
	if task == "" {
		t.Fatal("address task not pending")
	}
	badAddr := subjectWith(map[string]any{"currentAddress": map[string]any{"postalCode": "", "country": "England"}})
	goodAddr := subjectWith(map[string]any{"currentAddress": map[string]any{"postalCode": "SW1Y 4JH", "country": "GBR"}})

	// Save stores without completing.
	if res := e.update(e.c, id, task, generated.Save, badAddr); res.StatusCode() != 200 {
		t.Fatalf("Save: %d %s", res.StatusCode(), res.Body)
	}
	if _, ok := e.pending(id)["address"]; !ok {
		t.Fatal("Save completed the task")
	}

	// Validate of the bad data names every bad value and stores nothing.
	res := e.update(e.c, id, task, generated.Validate, badAddr)
	if res.StatusCode() != 400 || res.JSON400 == nil || res.JSON400.Violations == nil {
		t.Fatalf("Validate bad data: %d %s", res.StatusCode(), res.Body)
	}
	var ptrs []string
	for _, v := range *res.JSON400.Violations {
		ptrs = append(ptrs, v.Pointer)
	}
	want := []string{"/context/subject/identity/currentAddress/country", "/context/subject/identity/currentAddress/postalCode"}
	if !reflect.DeepEqual(ptrs, want) {
		t.Fatalf("violations %v, want %v", ptrs, want)
	}
	for _, p := range want {
		if !strings.Contains(*res.JSON400.Message, p) {
			t.Errorf("message %q does not name %s", *res.JSON400.Message, p)
		}
	}
	if res := e.update(e.c, id, task, generated.Validate, goodAddr); res.StatusCode() != 200 {
		t.Fatalf("Validate good data: %d %s", res.StatusCode(), res.Body)
	}
	st := e.state(id)
	if _, stored := (*st.Context)["subject"].(map[string]any)["identity"].(map[string]any)["currentAddress"]; stored {
		t.Fatal("Validate stored data")
	}
	if _, ok := e.pending(id)["address"]; !ok {
		t.Fatal("Validate completed the task")
	}

	// Complete refuses bad data (the saved data counts), then accepts good data.
	res = e.update(e.c, id, task, generated.Complete, map[string]any{})
	if res.StatusCode() != 400 || res.JSON400 == nil || len(*res.JSON400.Violations) != 2 {
		t.Fatalf("Complete over bad saved data: %d %s", res.StatusCode(), res.Body)
	}
	if res := e.update(e.c, id, task, generated.Complete, goodAddr); res.StatusCode() != 200 || *res.JSON200.TaskID != task {
		t.Fatalf("Complete good data: %d %s", res.StatusCode(), res.Body)
	}
	if _, ok := e.pending(id)["address"]; ok {
		t.Fatal("completed task still pending")
	}
	addr := (*e.state(id).Context)["subject"].(map[string]any)["identity"].(map[string]any)["currentAddress"].(map[string]any)
	if addr["country"] != "GBR" {
		t.Fatalf("completed data not kept: %v", addr)
	}
	// A completed task takes no more data.
	if res := e.update(e.c, id, task, generated.Complete, goodAddr); res.StatusCode() != 404 {
		t.Fatalf("second Complete: %d, want 404", res.StatusCode())
	}
	// A task of another instance is not found here.
	other := e.start(nil)
	if res := e.update(e.c, other, task, generated.Complete, goodAddr); res.StatusCode() != 404 {
		t.Fatalf("task of another instance: %d, want 404", res.StatusCode())
	}
}

func TestTaskDataInDataMember(t *testing.T) {
	e := newEnv(t)
	ident := identity()
	delete(ident, "currentAddress")
	id := e.start(subjectWith(ident))
	task := e.pending(id)["address"]
	data := map[string]any{"context": map[string]any{"subject": subjectWith(map[string]any{"currentAddress": map[string]any{"postalCode": "X1", "country": "FR"}})}}
	res, err := e.c.UpdateTaskWithResponse(context.Background(), generated.TaskUpdateRequest{InstanceID: id, TaskID: task, Intent: generated.Complete, Data: &data})
	if err != nil || res.StatusCode() != 200 {
		t.Fatalf("Complete via data: %v %d %s", err, res.StatusCode(), res.Body)
	}
	if _, ok := e.pending(id)["address"]; ok {
		t.Fatal("task not completed")
	}
}

func TestJourneyCompletes(t *testing.T) {
	e := newEnv(t)
	id := e.start(nil)
	tasks := e.pending(id)
	steps := []struct {
		key  string
		data map[string]any
	}{
		{"personal-details", subjectWith(map[string]any{"firstName": "Ada", "lastNames": []any{"Lovelace"}, "dateOfBirth": "1815-12-10"})},
		{"address", subjectWith(map[string]any{"currentAddress": map[string]any{"postalCode": "SW1Y 4JH", "country": "GBR"}})},
		{"document", document()},
	}
	for i, s := range steps {
		if st := e.state(id); st.Status != "InProgress" || st.Data == nil || (*st.Data)["process"] != nil {
			t.Fatalf("before step %d: %s %v", i, st.Status, st.Data)
		}
		e.clock.Advance(time.Minute)
		if res := e.update(e.c, id, tasks[s.key], generated.Complete, s.data); res.StatusCode() != 200 {
			t.Fatalf("%s: %d %s", s.key, res.StatusCode(), res.Body)
		}
	}
	st := e.state(id)
	if st.Status != "Completed" {
		t.Fatalf("status %s", st.Status)
	}
	created, _ := time.Parse(time.RFC3339, *st.MetaData.CreatedTime)
	completed, _ := time.Parse(time.RFC3339, *st.MetaData.CompletedTime)
	if completed.Sub(created) != 3*time.Minute {
		t.Fatalf("metaData %s → %s, want 3 minutes apart", *st.MetaData.CreatedTime, *st.MetaData.CompletedTime)
	}
	outcome := (*st.Data)["process"].(map[string]any)["flow"].(map[string]any)["onboarding-kyc"].(map[string]any)["result"].(map[string]any)["outcome"]
	if outcome != "Decision: Pass 1+1" {
		t.Fatalf("outcome %v", outcome)
	}
	subject := (*st.Context)["subject"].(map[string]any)
	if subject["identity"].(map[string]any)["firstName"] != "Ada" || len(subject["documents"].([]any)) != 1 {
		t.Fatalf("collected subject %v", subject)
	}
	// task/list of a completed instance: status Completed, no tasks.
	lt, _ := e.c.ListTasksWithResponse(context.Background(), generated.InstanceRequest{InstanceID: id})
	if *lt.JSON200.Status != "Completed" || len(*lt.JSON200.Tasks) != 0 {
		t.Fatalf("task/list after completion %s", lt.Body)
	}

	// filterKeys select top-level keys of context and data.
	fk := []string{"^subj"}
	res, err := e.c.FetchStateWithResponse(context.Background(), generated.StateFetchRequest{InstanceID: id, FilterKeys: &fk})
	if err != nil || res.JSON200 == nil {
		t.Fatal(err, res.Body)
	}
	if _, ok := (*res.JSON200.Context)["subject"]; !ok || len(*res.JSON200.Data) != 0 {
		t.Fatalf("filterKeys ^subj: context %v data %v", res.JSON200.Context, res.JSON200.Data)
	}
	fk = []string{"("}
	res, _ = e.c.FetchStateWithResponse(context.Background(), generated.StateFetchRequest{InstanceID: id, FilterKeys: &fk})
	if res.StatusCode() != 400 {
		t.Fatalf("bad filterKeys regex: %d", res.StatusCode())
	}
}

func TestAsyncStart(t *testing.T) {
	e := newEnv(t)
	async := true
	res, err := e.c.StartJourneyWithResponse(context.Background(), generated.StartJourneyRequest{ResourceID: onboarding,
		Context: &generated.JourneyContext{Subject: subjectWith(identity()), Config: &generated.JourneyConfig{Async: &async}}})
	if err != nil || res.JSON200 == nil {
		t.Fatal(err, res.Body)
	}
	if got := keys(e.pending(res.JSON200.InstanceID)); !reflect.DeepEqual(got, []string{"document"}) {
		t.Fatalf("async start: pending %v", got)
	}
}

func TestDeleteState(t *testing.T) {
	e := newEnv(t)
	id := e.start(nil)
	res, err := e.c.DeleteStateWithResponse(context.Background(), generated.InstanceRequest{InstanceID: id})
	if err != nil || res.JSON200 == nil || res.JSON200.InstanceID != id {
		t.Fatal(err, res.Body)
	}
	sres, _ := e.c.FetchStateWithResponse(context.Background(), generated.StateFetchRequest{InstanceID: id})
	if sres.StatusCode() != 404 || sres.JSON404 == nil || *sres.JSON404.Status != 404 {
		t.Fatalf("state of deleted instance: %d %s", sres.StatusCode(), sres.Body)
	}
	res, _ = e.c.DeleteStateWithResponse(context.Background(), generated.InstanceRequest{InstanceID: id})
	if res.StatusCode() != 404 {
		t.Fatalf("second delete: %d", res.StatusCode())
	}
}

func TestResourceIDs(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		rid    string
		status int
	}{
		{sandbox.OnboardingResourceID + "@latest", 200},
		{sandbox.OnboardingResourceID + "@1", 200},
		{sandbox.OnboardingResourceID + "@9", 404},
		{strings.Repeat("ab", 32) + "@latest", 404},
		{sandbox.OnboardingResourceID, 400}, // no version: fails the spec's pattern
	} {
		res, body := e.post("/captain/api/journey/start", fmt.Sprintf(`{"resourceId":%q}`, c.rid))
		if res.StatusCode != c.status {
			t.Errorf("%s: %d, want %d: %v", c.rid, res.StatusCode, c.status, body)
		}
		if c.status != 200 {
			v1Error(t, c.status, body)
		}
	}
}
