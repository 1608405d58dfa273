package sandbox_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/sandbox"
	"github.com/gbggen/gbggen/sandbox/idwise"
)

func send(t *testing.T, ts *httptest.Server, method, path, body string, basic bool) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if basic {
		req.SetBasicAuth(idwise.DefaultCredentials.Key, idwise.DefaultCredentials.Secret)
	}
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

// TestIDWiseMounted: one sandbox serves GBG and IDWise; IDWise's DELETE /journey/ID goes to
// IDWise while GET /journey/ID stays GBG's hosted page.
func TestIDWiseMounted(t *testing.T) {
	e := newEnv(t)
	if e.srv.IDWise() == nil {
		t.Fatal("no IDWise emulator by default")
	}
	code, m := send(t, e.ts, "POST", "/journey/v2/start-journey", `{"flow_id":"`+idwise.DemoFlowID+`","reference_no":"mount-1"}`, true)
	if code != 200 || m["journey_id"] == nil {
		t.Fatalf("IDWise start-journey: %d %v", code, m)
	}
	id := m["journey_id"].(string)
	if code, m := send(t, e.ts, "POST", "/v2/start-journey", `{}`, false); code != 401 || m["error_code"] != "missing_authorization_header" {
		t.Errorf("IDWise without auth: %d %v", code, m)
	}
	if code, m := send(t, e.ts, "DELETE", "/journey/"+id, "", false); code != 401 || m["error_code"] != "missing_authorization_header" {
		t.Errorf("IDWise delete without auth: %d %v", code, m)
	}
	if code, m := send(t, e.ts, "DELETE", "/journey/"+id, "", true); code != 200 || m["success"] != true {
		t.Errorf("IDWise delete: %d %v", code, m)
	}
	if code, _ := send(t, e.ts, "GET", "/journey/"+id, "", false); code != 404 {
		t.Errorf("GBG hosted page of an unknown instance: %d, want 404", code)
	}
	if e.token == "" { // GBG still works on the same handler
		t.Error("no GBG token")
	}
}

func TestIDWiseDisabled(t *testing.T) {
	e := newEnv(t, sandbox.WithIDWise(nil))
	if e.srv.IDWise() != nil {
		t.Error("IDWise served although disabled")
	}
	code, m := send(t, e.ts, "POST", "/journey/v2/start-journey", `{}`, true)
	if code != 404 || m["error_code"] != nil {
		t.Errorf("IDWise path with IDWise disabled: %d %v, want GBG's 404", code, m)
	}
}
