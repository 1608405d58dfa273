package gbg

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestErrorShapes(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		status  int
		ctype   string
		body    string
		call    func(c *Client) error
		want    APIError // Body, Op and RequestID are checked separately
		message []string // substrings of Error()
	}{
		{
			name: "v2, every entry", path: pStartV2, status: 400,
			body: `{"errors":[{"code":"4002","name":"MISSING_FIELD","location":"Body","problem":"resourceId is missing","action":"Send resourceId"},{"code":4003,"name":"INVALID_FIELD","location":"Body","problem":"delivery is invalid"}]}`,
			call: func(c *Client) error {
				_, err := c.StartJourneyV2(context.Background(), testResource, DeliveryAPI, nil)
				return err
			},
			want: APIError{StatusCode: 400, Details: []ErrorDetail{
				{Code: "4002", Name: "MISSING_FIELD", Location: "Body", Problem: "resourceId is missing", Action: "Send resourceId"},
				{Code: "4003", Name: "INVALID_FIELD", Location: "Body", Problem: "delivery is invalid"},
			}},
			message: []string{"StartJourneyV2", "HTTP 400", "4002 MISSING_FIELD in Body: resourceId is missing (Send resourceId)", "4003 INVALID_FIELD"},
		},
		{
			name: "v1", path: pTaskList, status: 404,
			body:    `{"status":404,"message":"Instance not found","error":"Not Found"}`,
			call:    func(c *Client) error { _, err := c.ListTasks(context.Background(), testInstance); return err },
			want:    APIError{StatusCode: 404, Status: 404, Message: "Instance not found", ErrorText: "Not Found"},
			message: []string{"ListTasks", "HTTP 404 Not Found", "Not Found: Instance not found"},
		},
		{
			name: "v1 with violations", path: pTaskUpdate, status: 400,
			body: `{"status":"400","message":"invalid task data","error":"Bad Request","violations":[{"pointer":"/subject/identity/dateOfBirth","message":"does not match"}]}`,
			call: func(c *Client) error {
				return c.UpdateTask(context.Background(), testInstance, testTask, IntentComplete, nil)
			},
			want: APIError{StatusCode: 400, Status: 400, Message: "invalid task data", ErrorText: "Bad Request",
				Violations: []Violation{{Pointer: "/subject/identity/dateOfBirth", Message: "does not match"}}},
			message: []string{"/subject/identity/dateOfBirth: does not match"},
		},
		{
			name: "not JSON", path: pDelete, status: 500, ctype: "text/html",
			body:    `<html><body>Internal error</body></html>`,
			call:    func(c *Client) error { return c.DeleteInstance(context.Background(), testInstance) },
			want:    APIError{StatusCode: 500},
			message: []string{"DeleteInstance", "HTTP 500 Internal Server Error"},
		},
		{
			name: "truncated JSON", path: pStart, status: 409,
			body:    `{"errors":[{"code":"4003","name":"INVA`,
			call:    func(c *Client) error { _, err := c.StartJourney(context.Background(), testResource, nil); return err },
			want:    APIError{StatusCode: 409},
			message: []string{"StartJourney", "HTTP 409"},
		},
		{
			name: "interaction refused with HTTP 200", path: pInterSubmit, status: 200,
			body: `{"status":"error","code":"E100","message":"side1Image is not an image"}`,
			call: func(c *Client) error {
				return c.SubmitInteraction(context.Background(), testInstance, "int-1", nil)
			},
			want:    APIError{StatusCode: 200, Message: "side1Image is not an image", Details: []ErrorDetail{{Code: "E100", Problem: "side1Image is not an image"}}},
			message: []string{"SubmitInteraction", "HTTP 200", "E100: side1Image is not an image"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.route(tc.path, func(w http.ResponseWriter, _ *http.Request, _ int) {
				ct := tc.ctype
				if ct == "" {
					ct = "application/json"
				}
				w.Header().Set("Content-Type", ct)
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			})
			err := tc.call(h.c)
			var apiErr *APIError
			if !errors.As(fmt.Errorf("wrapped: %w", err), &apiErr) {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			if string(apiErr.Body) != tc.body {
				t.Errorf("Body = %q", apiErr.Body)
			}
			if want := "req-" + strings.ReplaceAll(strings.TrimPrefix(tc.path, "/"), "/", ".") + "-1"; apiErr.RequestID != want {
				t.Errorf("RequestID = %q, want %q", apiErr.RequestID, want)
			}
			got := *apiErr
			got.Body, got.Op, got.RequestID = nil, "", ""
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("APIError = %+v\n     want %+v", got, tc.want)
			}
			for _, s := range tc.message {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Error() = %q, want it to contain %q", err.Error(), s)
				}
			}
			if strings.Contains(err.Error(), "tok-1") {
				t.Errorf("Error() contains the access token: %s", err)
			}
			if n := h.count(tc.path); n != 1 {
				t.Errorf("sent %d times", n)
			}
		})
	}
}

func TestAPIErrorCode(t *testing.T) {
	e := &APIError{Details: []ErrorDetail{{Code: "1001"}, {Code: "4002"}}}
	if e.Code() != "1001" {
		t.Errorf("Code() = %q", e.Code())
	}
	if (&APIError{}).Code() != "" {
		t.Error("Code() of a v1 error is not empty")
	}
}

func TestSuccessWithUnparsableBody(t *testing.T) {
	h := newHarness(t)
	h.reply(pStart, 200, `{"instanceId":`)
	_, err := h.c.StartJourney(context.Background(), testResource, nil)
	if err == nil || !strings.Contains(err.Error(), "StartJourney: decoding response") {
		t.Fatalf("err = %v", err)
	}
	h.reply(pStart, 201, `{}`)
	if _, err := h.c.StartJourney(context.Background(), testResource, nil); err == nil || !strings.Contains(err.Error(), "no instanceId") {
		t.Fatalf("err = %v", err)
	}
}

func TestArgumentErrors(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for name, err := range map[string]error{
		"empty instance":       func() error { _, err := h.c.ListTasks(ctx, ""); return err }(),
		"empty resource":       func() error { _, err := h.c.StartJourney(ctx, "", nil); return err }(),
		"context not object":   func() error { _, err := h.c.StartJourney(ctx, testResource, []int{1}); return err }(),
		"payload not object":   h.c.UpdateTask(ctx, testInstance, testTask, IntentSave, "x"),
		"payload sets intent":  h.c.UpdateTask(ctx, testInstance, testTask, IntentSave, map[string]any{"intent": "Complete"}),
		"no device scope":      func() error { _, err := h.c.StartDevice(ctx, testInstance); return err }(),
		"empty device id":      func() error { _, err := h.c.ConnectDevice(ctx, "ct_abcdefgh", DeviceInfo{}); return err }(),
		"subject not object":   h.c.SubmitInteraction(ctx, testInstance, "i", 42),
		"empty interaction ID": h.c.SubmitInteraction(ctx, testInstance, "", nil),
	} {
		if err == nil || !strings.HasPrefix(err.Error(), "gbg: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if n := h.tokenFetches(); n != 0 {
		t.Errorf("invalid arguments reached the network (%d token fetches)", n)
	}
}

func TestNewChecksConfig(t *testing.T) {
	ok := Config{ClientID: "id", ClientSecret: "secret"}
	for name, cfg := range map[string]Config{
		"no client ID":      {ClientSecret: "s"},
		"no secret":         {ClientID: "id"},
		"username, no pass": {ClientID: "id", ClientSecret: "s", Username: "u"},
		"unknown region":    {ClientID: "id", ClientSecret: "s", Region: "mars"},
		"relative base URL": {ClientID: "id", ClientSecret: "s", BaseURL: "/api"},
		"bad token URL":     {ClientID: "id", ClientSecret: "s", TokenURL: "ftp://x"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
	for region, want := range map[Region]string{
		"": "https://eu.platform.go.gbgplc.com", EU: "https://eu.platform.go.gbgplc.com",
		US: "https://us.platform.go.gbgplc.com", "AU": "https://au.platform.go.gbgplc.com",
	} {
		cfg := ok
		cfg.Region = region
		c, err := New(cfg)
		if err != nil || c.BaseURL() != want {
			t.Errorf("region %q: %v, %v", region, c, err)
		}
	}
	cfg := ok
	cfg.Region, cfg.BaseURL = US, "http://localhost:8080/"
	if c, err := New(cfg); err != nil || c.BaseURL() != "http://localhost:8080" {
		t.Errorf("BaseURL override: %v, %v", c, err)
	}
}
