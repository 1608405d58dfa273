package idwise

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestErrorCodes(t *testing.T) {
	all := []ErrorCode{CodeMissingAuthorizationHeader, CodeInvalidCredentials, CodeInvalidAuthenticationFormat, CodeUnauthorized, CodeNotAllowedIPAddress}
	for _, tc := range []struct {
		status int
		code   ErrorCode
	}{
		{401, CodeMissingAuthorizationHeader},
		{401, CodeInvalidCredentials},
		{401, CodeInvalidAuthenticationFormat},
		{403, CodeUnauthorized},
		{403, CodeNotAllowedIPAddress},
		{404, "journey_not_found"},
	} {
		t.Run(string(tc.code), func(t *testing.T) {
			h := newHarness(t)
			body := `{"success":false,"message":"refused: ` + string(tc.code) + `","error_code":"` + string(tc.code) + `"}`
			h.route("POST /journey/v2/start-journey", func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, tc.status, body) })
			_, err := h.c.StartJourney(context.Background(), StartRequest{FlowID: testFlow, ReferenceNo: "r1"})
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, not an *APIError", err)
			}
			if apiErr.Op != "StartJourney" || apiErr.StatusCode != tc.status || apiErr.Code != tc.code ||
				apiErr.Message != "refused: "+string(tc.code) || string(apiErr.Body) != body {
				t.Errorf("APIError = %+v", apiErr)
			}
			if !errors.Is(err, tc.code) {
				t.Errorf("errors.Is(err, %s) = false", tc.code)
			}
			for _, other := range all {
				if other != tc.code && errors.Is(err, other) {
					t.Errorf("errors.Is(err, %s) = true", other)
				}
			}
			msg := err.Error()
			for _, want := range []string{"StartJourney", http.StatusText(tc.status), string(tc.code)} {
				if !strings.Contains(msg, want) {
					t.Errorf("Error() = %q lacks %q", msg, want)
				}
			}
		})
	}
}

func TestErrorBodies(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		code       ErrorCode
		message    string
	}{
		{"not JSON", `<html>bad gateway</html>`, "", ""},
		{"cut short", `{"success":false,"message":"x`, "", ""},
		{"empty", ``, "", ""},
		{"numeric code", `{"success":false,"error_code":42,"message":true}`, "42", "true"},
		{"object members", `{"error_code":{"a":1},"message":[1]}`, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.route("POST /journey/v2/complete-journey", func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, 400, tc.body) })
			err := h.c.CompleteJourney(context.Background(), testJourney)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Code != tc.code || apiErr.Message != tc.message {
				t.Fatalf("err = %#v", err)
			}
		})
	}
}

func TestRetryAfterInError(t *testing.T) {
	h := newHarness(t)
	h.route("POST /journey/v2/start-journey", func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "30")
		writeJSON(w, 429, `{"success":false,"message":"slow down","error_code":"rate_limited"}`)
	})
	_, err := h.c.StartJourney(context.Background(), StartRequest{FlowID: testFlow, ReferenceNo: "r1"})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != 30*time.Second || !strings.Contains(err.Error(), "retry after 30s") {
		t.Fatalf("err = %v", err)
	}
}
