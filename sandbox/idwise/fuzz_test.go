package idwise

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzHandler sends arbitrary requests, authenticated or not, to one emulator: none may
// panic, every answer is JSON of the documented error shape or a success, and no status is
// a 5xx.
func FuzzHandler(f *testing.F) {
	f.Add("POST", DefaultPrefix+"/start-journey", "application/json", `{"flow_id":"demo-flow","reference_no":"r"}`, true)
	f.Add("POST", "/v2/process-journey-step", "application/json", `{"journey_id":"x","step_id":0,"image":"aGk="}`, true)
	f.Add("POST", "/v2/process-journey-step", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"step_id\"\r\n\r\n0\r\n--b--\r\n", true)
	f.Add("POST", "/v2/complete-journey", "application/json", `{"journey_id":"x"}`, true)
	f.Add("GET", DefaultPrefix+"/summary/x", "", ``, true)
	f.Add("DELETE", "/journey/x", "", ``, false)
	f.Add("POST", DefaultPrefix+"/start-journey", "application/json", `{"flow_id":"demo-flow","reference_no":"r","applicant_details":{"full_name":"a"}}x`, true)
	c := newClock()
	srv, err := New(WithClock(c.Now), WithProcessingDelay(0), WithSummaryInterval(0), WithJourneyLimits(time.Hour, 64))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, path, contentType, body string, auth bool) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		req, err := http.NewRequest(method, "http://emu"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if auth {
			req.SetBasicAuth(DefaultCredentials.Key, DefaultCredentials.Secret)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
		}
		var m map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s %s: %d, not JSON: %q", method, path, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && (m["success"] != false || m["error_code"] == nil) {
			t.Fatalf("%s %s: %d, error without the documented shape: %v", method, path, rec.Code, m)
		}
	})
}
