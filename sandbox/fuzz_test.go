package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/sandbox"
)

// FuzzHandler sends arbitrary requests straight to the handler: it must never panic or fail
// internally (500), must always set X-Request-ID (on the IDWise emulator's paths too), and
// must answer either a JSON success or an error in the documented shape of the path (IDWise's
// own on its paths).
func FuzzHandler(f *testing.F) {
	srv, err := sandbox.New()
	if err != nil {
		f.Fatal(err)
	}
	// An access token and a live instance, so that fuzzed bodies can reach the operations.
	cr := sandbox.DefaultCredentials
	tokRes := serve(srv, "POST", "/as/token.oauth2", "application/x-www-form-urlencoded", "",
		[]byte("grant_type=client_credentials&scope=gbg.token&client_id="+cr.ClientID+"&client_secret="+cr.ClientSecret))
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(tokRes.Body.Bytes(), &tok); err != nil || tok.AccessToken == "" {
		f.Fatalf("token: %s", tokRes.Body)
	}
	start := serve(srv, "POST", "/captain/api/journey/start", "application/json", tok.AccessToken,
		[]byte(`{"resourceId":"`+onboarding+`"}`))
	var inst struct {
		InstanceID string `json:"instanceId"`
	}
	if err := json.Unmarshal(start.Body.Bytes(), &inst); err != nil || inst.InstanceID == "" {
		f.Fatalf("start: %s", start.Body)
	}

	f.Add("POST", "/captain/api/journey/start", "application/json", true, []byte(`{"resourceId":"`+onboarding+`","context":{"subject":{"identity":{"firstName":"Ada","dateOfBirth":"x"}}}}`))
	f.Add("POST", "/captain/api/journey/task/list/schema", "application/json", true, []byte(`{"instanceId":"`+inst.InstanceID+`"}`))
	f.Add("POST", "/captain/api/journey/task/update", "application/json", true, []byte(`{"instanceId":"`+inst.InstanceID+`","taskId":"0123456789abcdef","intent":"Validate","context":{"subject":{}}}`))
	f.Add("POST", "/captain/api/journey/state/fetch", "application/json", true, []byte(`{"instanceId":"`+inst.InstanceID+`","filterKeys":["(","a"]}`))
	f.Add("POST", "/captain/api/journey/device/start", "application/json", true, []byte(`{"instanceId":"`+inst.InstanceID+`","scope":["*"]}`))
	f.Add("POST", "/captain/api/journey/device/connect", "application/json", true, []byte(`{"connectToken":"abcdefgh","deviceInfo":{"deviceId":"d"}}`))
	f.Add("POST", "/v2/captain/journey/start", "application/json", true, []byte(`{"resourceId":"`+onboarding+`","context":{"config":{"delivery":"page"}}}`))
	f.Add("POST", "/v2/captain/journey/interaction/submit", "application/json", true, []byte(`{"instanceId":"`+inst.InstanceID+`","interactionId":"x","context":{"subject":{"documents":[{}]}}}`))
	f.Add("POST", "/as/token.oauth2", "application/x-www-form-urlencoded", false, []byte("grant_type=password&client_id=a"))
	f.Add("GET", "/captain/api/journey/health", "", true, []byte(nil))
	f.Add("PATCH", "/v2/../captain", "text/plain", false, []byte("{"))

	// A hosted journey's page answers HTML, not JSON.
	hosted := serve(srv, "POST", "/v2/captain/journey/start", "application/json", tok.AccessToken,
		[]byte(`{"resourceId":"`+onboarding+`","context":{"config":{"delivery":"page"}}}`))
	var page struct {
		InstanceURL string `json:"instanceUrl"`
	}
	if err := json.Unmarshal(hosted.Body.Bytes(), &page); err != nil || page.InstanceURL == "" {
		f.Fatalf("hosted start: %s", hosted.Body)
	}
	f.Add("GET", page.InstanceURL, "", false, []byte(nil))
	f.Add("POST", page.InstanceURL, "application/x-www-form-urlencoded", false, []byte("subject=%7B%22identity%22%3A%7B%7D%7D"))

	f.Fuzz(func(t *testing.T, method, path, contentType string, auth bool, body []byte) {
		token := ""
		if auth {
			token = tok.AccessToken
		}
		idwise := srv.IDWise().Owns(request(method, path, contentType, token, nil))
		res := serve(srv, method, path, contentType, token, body)
		if res.Code == http.StatusInternalServerError {
			t.Fatalf("%s %q: 500 %s", method, path, res.Body)
		}
		if res.Header().Get("X-Request-ID") == "" {
			t.Fatalf("%s %q: no X-Request-ID", method, path)
		}
		if strings.HasPrefix(res.Header().Get("Content-Type"), "text/html") {
			if path != page.InstanceURL || res.Code >= 500 {
				t.Fatalf("%s %q: %d HTML answer", method, path, res.Code)
			}
			return
		}
		if res.Code == http.StatusSeeOther && path == page.InstanceURL {
			return // an accepted hosted-page submission
		}
		var m map[string]any
		if err := json.Unmarshal(res.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s %q: %d answer is not a JSON object: %q", method, path, res.Code, res.Body)
		}
		if res.Code < 400 {
			return
		}
		switch {
		case idwise:
			if m["success"] != false || m["error_code"] == nil || m["message"] == nil {
				t.Fatalf("IDWise error not in IDWise's shape: %v", m)
			}
		case path == "/as/token.oauth2":
			if s, _ := m["error"].(string); s == "" {
				t.Fatalf("token error without error member: %v", m)
			}
		case strings.HasPrefix(path, "/v2/"):
			errs, _ := m["errors"].([]any)
			if len(errs) == 0 {
				t.Fatalf("v2 error without errors: %v", m)
			}
			d, _ := errs[0].(map[string]any)
			if c, _ := d["code"].(string); c == "" {
				t.Fatalf("v2 error without code: %v", m)
			}
		default:
			if st, _ := m["status"].(float64); int(st) != res.Code {
				t.Fatalf("v1 error status member %v, HTTP %d: %v", m["status"], res.Code, m)
			}
			if s, _ := m["message"].(string); s == "" {
				t.Fatalf("v1 error without message: %v", m)
			}
		}
	})
}

// serve sends one request straight to h. The method and path may be anything, as a
// hostile client might send them.
func serve(h http.Handler, method, path, contentType, token string, body []byte) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, request(method, path, contentType, token, body))
	return w
}

func request(method, path, contentType, token string, body []byte) *http.Request {
	r := (&http.Request{
		Method:     method,
		URL:        &url.URL{Path: path},
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     http.Header{},
		Body:       io.NopCloser(bytes.NewReader(body)),
		Host:       "sandbox.test",
	}).WithContext(context.Background())
	r.ContentLength = int64(len(body))
	r.RequestURI = path
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return r
}
