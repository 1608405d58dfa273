package gbg

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"
)

// TestWireFormat checks the method, path, headers and exact JSON body of
// every call, and what the call makes of the response.
func TestWireFormat(t *testing.T) {
	ctx := context.Background()
	type subject struct {
		Identity map[string]string `json:"identity"`
	}
	prefill := struct {
		Subject subject        `json:"subject"`
		Config  map[string]any `json:"config,omitempty"`
	}{Subject: subject{Identity: map[string]string{"firstName": "Ada"}}, Config: map[string]any{"async": true}}

	tests := []struct {
		name     string
		path     string
		method   string
		status   int
		response string
		call     func(c *Client) (any, error)
		body     string // exact request body; "" for none
		result   any
	}{
		{
			name: "StartJourney", path: pStart, status: 201, response: `{"instanceId":"` + testInstance + `"}`,
			call:   func(c *Client) (any, error) { return c.StartJourney(ctx, testResource, prefill) },
			body:   `{"resourceId":"` + testResource + `","context":{"subject":{"identity":{"firstName":"Ada"}},"config":{"async":true}}}`,
			result: &StartResult{InstanceID: testInstance},
		},
		{
			name: "StartJourney without context", path: pStart, status: 200, response: `{"instanceId":"` + testInstance + `"}`,
			call:   func(c *Client) (any, error) { return c.StartJourney(ctx, testResource, nil) },
			body:   `{"resourceId":"` + testResource + `"}`,
			result: &StartResult{InstanceID: testInstance},
		},
		{
			name: "UpdateTask", path: pTaskUpdate, status: 200, response: `{"instanceId":"` + testInstance + `","taskId":"` + testTask + `"}`,
			call: func(c *Client) (any, error) {
				payload := map[string]any{"context": map[string]any{"subject": map[string]any{"identity": map[string]any{"firstName": "Ada"}}}, "data": map[string]any{"k": 1}}
				return nil, c.UpdateTask(ctx, testInstance, testTask, IntentComplete, payload)
			},
			body: `{"instanceId":"` + testInstance + `","taskId":"` + testTask + `","intent":"Complete","context":{"subject":{"identity":{"firstName":"Ada"}}},"data":{"k":1}}`,
		},
		{
			name: "UpdateTask struct payload keeps field order", path: pTaskUpdate, status: 201, response: `{}`,
			call: func(c *Client) (any, error) {
				payload := struct {
					Data    map[string]int `json:"data"`
					Context struct {
						Subject map[string]any `json:"subject"`
					} `json:"context"`
				}{Data: map[string]int{"x": 2}}
				payload.Context.Subject = map[string]any{}
				return nil, c.UpdateTask(ctx, testInstance, testTask, IntentSave, payload)
			},
			body: `{"instanceId":"` + testInstance + `","taskId":"` + testTask + `","intent":"Save","data":{"x":2},"context":{"subject":{}}}`,
		},
		{
			name: "UpdateTask without payload", path: pTaskUpdate, status: 200, response: `{}`,
			call: func(c *Client) (any, error) {
				return nil, c.UpdateTask(ctx, testInstance, testTask, IntentValidate, nil)
			},
			body: `{"instanceId":"` + testInstance + `","taskId":"` + testTask + `","intent":"Validate"}`,
		},
		{
			name: "ListTasks", path: pTaskList, status: 200, response: taskListOK,
			call:   func(c *Client) (any, error) { return c.ListTasks(ctx, testInstance) },
			body:   `{"instanceId":"` + testInstance + `"}`,
			result: &TaskList{InstanceID: testInstance, Status: StatusInProgress, Tasks: []Task{{ID: testTask}}},
		},
		{
			name: "TaskSchema", path: pTaskSchema, status: 200, response: `{"type":"object","required":["context"]}`,
			call:   func(c *Client) (any, error) { return c.TaskSchema(ctx, testTask) },
			body:   `{"taskId":"` + testTask + `"}`,
			result: json.RawMessage(`{"type":"object","required":["context"]}`),
		},
		{
			name: "TaskSchemas", path: pTaskSchemas, status: 200,
			response: `{"status":"IN_PROGRESS","instanceId":"` + testInstance + `","tasks":[{"taskId":"t1","schema":{"$ref":"#/schemas/a~1b"}},{"taskId":"t2","schema":{"$ref":"#/schemas/plain"}}],"schemas":{"a/b":{"title":"A"},"plain":{"title":"P"}}}`,
			call: func(c *Client) (any, error) {
				s, err := c.TaskSchemas(ctx, testInstance)
				if s != nil {
					s.Raw = nil
				}
				return s, err
			},
			body: `{"instanceId":"` + testInstance + `"}`,
			result: &TaskSchemaList{InstanceID: testInstance, Status: "IN_PROGRESS", TaskIDs: []string{"t1", "t2"},
				Schemas: map[string]json.RawMessage{"t1": json.RawMessage(`{"title":"A"}`), "t2": json.RawMessage(`{"title":"P"}`)},
				Keys:    map[string]string{"t1": "a/b", "t2": "plain"}},
		},
		{
			name: "FetchState", path: pState, status: 200,
			response: `{"instanceId":"` + testInstance + `","status":"Completed","metaData":{"createdTime":"c","completedTime":"d"},"context":{"subject":{}},"data":{"process":{}}}`,
			call: func(c *Client) (any, error) {
				s, err := c.FetchState(ctx, testInstance, "^subject", "process")
				if s != nil {
					s.Raw = nil
				}
				return s, err
			},
			body: `{"filterKeys":["^subject","process"],"instanceId":"` + testInstance + `"}`,
			result: &State{InstanceID: testInstance, Status: StatusCompleted, MetaData: StateMetaData{"c", "d"},
				Context: json.RawMessage(`{"subject":{}}`), Data: json.RawMessage(`{"process":{}}`)},
		},
		{
			name: "FetchState without filter", path: pState, status: 200, response: `{"instanceId":"` + testInstance + `","status":"InProgress"}`,
			call: func(c *Client) (any, error) {
				s, err := c.FetchState(ctx, testInstance)
				if s != nil {
					s.Raw = nil
				}
				return s, err
			},
			body:   `{"instanceId":"` + testInstance + `"}`,
			result: &State{InstanceID: testInstance, Status: StatusInProgress},
		},
		{
			name: "DeleteInstance", path: pDelete, status: 200, response: `{"instanceId":"` + testInstance + `"}`,
			call: func(c *Client) (any, error) { return nil, c.DeleteInstance(ctx, testInstance) },
			body: `{"instanceId":"` + testInstance + `"}`,
		},
		{
			name: "Health", path: pHealth, method: http.MethodGet, status: 200, response: `{"message":"OK"}`,
			call:   func(c *Client) (any, error) { return c.Health(ctx) },
			result: "OK",
		},
		{
			name: "StartJourneyV2 page", path: pStartV2, status: 201,
			response: `{"instanceId":"` + testInstance + `","instanceUrl":"/journey/abc","status":"started","message":"ok"}`,
			call: func(c *Client) (any, error) {
				return c.StartJourneyV2(ctx, testResource, DeliveryPage, map[string]any{"identity": map[string]any{"firstName": "Ada"}})
			},
			body:   `{"resourceId":"` + testResource + `","context":{"subject":{"identity":{"firstName":"Ada"}},"config":{"delivery":"page"}}}`,
			result: &StartV2Result{InstanceID: testInstance, InstanceURL: "/journey/abc", Status: "started", Message: "ok"},
		},
		{
			name: "StartJourneyV2 api", path: pStartV2, status: 201, response: `{"instanceId":"` + testInstance + `","status":"started"}`,
			call:   func(c *Client) (any, error) { return c.StartJourneyV2(ctx, testResource, DeliveryAPI, nil) },
			body:   `{"resourceId":"` + testResource + `","context":{"config":{"delivery":"api"}}}`,
			result: &StartV2Result{InstanceID: testInstance, Status: "started"},
		},
		{
			name: "FetchStateV2", path: pStateV2, status: 200,
			response: `{"instanceId":"` + testInstance + `","status":"COMPLETED","context":{"result":{"status":"completed","outcome":"Pass"}}}`,
			call: func(c *Client) (any, error) {
				s, err := c.FetchStateV2(ctx, testInstance)
				if err != nil {
					return nil, err
				}
				return []any{s.InstanceID, s.Status.Equal(StatusCompleted), *s.Result.Status, *s.Result.Outcome, string(s.Context)}, nil
			},
			body:   `{"instanceId":"` + testInstance + `"}`,
			result: []any{testInstance, true, "completed", "Pass", `{"result":{"status":"completed","outcome":"Pass"}}`},
		},
		{
			name: "FetchInteraction", path: pInterFetch, status: 200,
			response: `{"instanceId":"` + testInstance + `","interactionId":"int-1","interaction":{"resource":"doc","collects":[{"ref":"PrimaryDocument","spec":"required"}]},"outstanding":["PrimaryDocument/side1Image"],"context":{"subject":{}}}`,
			call: func(c *Client) (any, error) {
				i, err := c.FetchInteraction(ctx, testInstance)
				if err != nil {
					return nil, err
				}
				return []any{i.InstanceID, i.InteractionID, *i.Spec.Resource, *(*i.Spec.Collects)[0].Ref, i.Outstanding, string(i.Context)}, nil
			},
			body:   `{"instanceId":"` + testInstance + `"}`,
			result: []any{testInstance, "int-1", "doc", "PrimaryDocument", []string{"PrimaryDocument/side1Image"}, `{"subject":{}}`},
		},
		{
			name: "SubmitInteraction", path: pInterSubmit, status: 200, response: `{"status":"success"}`,
			call: func(c *Client) (any, error) {
				return nil, c.SubmitInteraction(ctx, testInstance, "int-1", map[string]any{"documents": []any{}}, Participant{DomainElementID: "d1", Instruction: "go"})
			},
			body: `{"instanceId":"` + testInstance + `","interactionId":"int-1","participants":[{"domainElementId":"d1","instruction":"go"}],"context":{"subject":{"documents":[]}}}`,
		},
		{
			name: "StartDevice", path: pDevStart, status: 201,
			response: `{"connectToken":"ct_abcdefgh-123","tokenType":"connect","expiresIn":120,"scope":["mobile"]}`,
			call: func(c *Client) (any, error) {
				ct, err := c.StartDevice(ctx, testInstance, ScopeMobile, ScopeDesktop)
				if err != nil {
					return nil, err
				}
				return *ct, nil
			},
			body:   `{"instanceId":"` + testInstance + `","scope":["mobile","desktop"]}`,
			result: ConnectToken{Token: "ct_abcdefgh-123", TokenType: "connect", ExpiresIn: 120 * time.Second, Scope: []DeviceScope{ScopeMobile}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.reply(tc.path, tc.status, tc.response)
			got, err := tc.call(h.c)
			if err != nil {
				t.Fatal(err)
			}
			r := h.last(tc.path)
			method := tc.method
			if method == "" {
				method = http.MethodPost
			}
			if r.Method != method || r.Auth != "Bearer tok-1" {
				t.Errorf("%s %s with Authorization %q", r.Method, r.Path, r.Auth)
			}
			if tc.body != "" {
				if r.ContentType != "application/json" {
					t.Errorf("Content-Type = %q", r.ContentType)
				}
				jsonEqual(t, "request body", r.Body, tc.body)
			} else if r.Body != "" {
				t.Errorf("unexpected body %q", r.Body)
			}
			if tc.result != nil && !reflect.DeepEqual(got, tc.result) {
				t.Errorf("result = %#v\nwant %#v", got, tc.result)
			}
			if n := h.count(tc.path); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

func TestDeviceConnection(t *testing.T) {
	h := newHarness(t)
	const connect = "ct_abcdefgh-123"
	const endUser = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZXYifQ.c2ln"
	h.reply(pDevConnect, 200, `{"endUserToken":"`+endUser+`","tokenType":"end-user","expiresIn":3600}`)
	h.reply(pTaskUpdate, 200, `{}`)
	ctx := context.Background()

	dev, err := h.c.ConnectDevice(ctx, connect, DeviceInfo{ID: "dev-1", Name: "Ada's phone", Type: "mobile"})
	if err != nil {
		t.Fatal(err)
	}
	r := h.last(pDevConnect)
	if r.Auth != "Bearer "+connect {
		t.Errorf("connect Authorization = %q, want the connect token", r.Auth)
	}
	jsonEqual(t, "connect body", r.Body, `{"connectToken":"`+connect+`","deviceInfo":{"deviceId":"dev-1","deviceName":"Ada's phone","deviceType":"mobile"}}`)
	if n := h.tokenFetches(); n != 0 {
		t.Errorf("connecting a device fetched %d access tokens", n)
	}
	if want := h.clock.Now().Add(time.Hour); !dev.ExpiresAt().Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v", dev.ExpiresAt(), want)
	}

	if err := dev.UpdateTask(ctx, testInstance, testTask, IntentSave, map[string]any{"context": map[string]any{"subject": map[string]any{}}}); err != nil {
		t.Fatal(err)
	}
	u := h.last(pTaskUpdate)
	if u.Auth != "Bearer "+endUser {
		t.Errorf("device task/update Authorization = %q, want the end-user token", u.Auth)
	}
	jsonEqual(t, "device update body", u.Body, `{"instanceId":"`+testInstance+`","taskId":"`+testTask+`","intent":"Save","context":{"subject":{}}}`)
	if n := h.tokenFetches(); n != 0 {
		t.Errorf("device calls fetched %d access tokens", n)
	}
}

func TestDeviceUnauthorizedIsNotRetried(t *testing.T) {
	h := newHarness(t)
	h.reply(pDevConnect, 200, `{"endUserToken":"eut","expiresIn":3600}`)
	h.reply(pTaskUpdate, 401, `{"status":401,"message":"token expired","error":"Unauthorized"}`)
	dev, err := h.c.ConnectDevice(context.Background(), "ct_abcdefgh", DeviceInfo{ID: "d"})
	if err != nil {
		t.Fatal(err)
	}
	err = dev.UpdateTask(context.Background(), testInstance, testTask, IntentSave, nil)
	var apiErr *APIError
	if !errorsAs(err, &apiErr) || apiErr.StatusCode != 401 {
		t.Fatalf("err = %v", err)
	}
	if n := h.count(pTaskUpdate); n != 1 {
		t.Errorf("sent %d times, want 1", n)
	}
}

func TestConnectDeviceErrorsAreNotRetried(t *testing.T) {
	h := newHarness(t)
	h.reply(pDevConnect, 400, `{"status":400,"message":"connect token already used","error":"Bad Request"}`)
	_, err := h.c.ConnectDevice(context.Background(), "ct_abcdefgh", DeviceInfo{ID: "d"})
	var apiErr *APIError
	if !errorsAs(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Message != "connect token already used" {
		t.Fatalf("err = %v", err)
	}
	if n := h.count(pDevConnect); n != 1 {
		t.Errorf("sent %d times", n)
	}
}
