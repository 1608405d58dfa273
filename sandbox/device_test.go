package sandbox_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gbggen/gbggen/generated"
)

func (e *env) startDevice(id string, scope ...generated.DeviceScope) string {
	e.t.Helper()
	res, err := e.c.StartDeviceWithResponse(context.Background(), generated.DeviceStartRequest{InstanceID: id, Scope: scope})
	if err != nil {
		e.t.Fatal(err)
	}
	if res.JSON200 == nil {
		e.t.Fatalf("device/start: %d %s", res.StatusCode(), res.Body)
	}
	if res.JSON200.ExpiresIn != 120 || *res.JSON200.TokenType != "connect" || len(*res.JSON200.Scope) != len(scope) {
		e.t.Fatalf("device/start answer %s", res.Body)
	}
	return res.JSON200.ConnectToken
}

// connect calls device/connect with tok as Bearer token and in the body.
func (e *env) connect(tok, deviceType string) *generated.ConnectDeviceResponse {
	e.t.Helper()
	info := generated.DeviceInfo{DeviceID: "device-1"}
	if deviceType != "" {
		info.DeviceType = &deviceType
	}
	res, err := e.client(tok).ConnectDeviceWithResponse(context.Background(), generated.DeviceConnectRequest{ConnectToken: tok, DeviceInfo: info})
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

func TestDeviceConnection(t *testing.T) {
	e := newEnv(t)
	id := e.start(subjectWith(identity()))

	tok := e.startDevice(id, "mobile")
	res := e.connect(tok, "mobile")
	if res.JSON200 == nil || *res.JSON200.TokenType != "end-user" || *res.JSON200.ExpiresIn != 3600 {
		t.Fatalf("connect: %d %s", res.StatusCode(), res.Body)
	}
	endUser := res.JSON200.EndUserToken
	if parts := strings.Split(endUser, "."); len(parts) != 3 {
		t.Fatalf("end-user token is not a JWT: %q", endUser)
	}

	// The end-user token completes a task of its own instance.
	device := e.client(endUser)
	task := e.pending(id)["document"]
	if up := e.update(device, id, task, generated.Complete, document()); up.StatusCode() != 200 {
		t.Fatalf("device task/update: %d %s", up.StatusCode(), up.Body)
	}
	if st := e.state(id); st.Status != "Completed" {
		t.Fatalf("after the device's document: %s", st.Status)
	}

	// ... but not another instance's tasks, nor other operations.
	other := e.start(nil)
	otherTask := e.pending(other)["document"]
	if up := e.update(device, other, otherTask, generated.Complete, document()); up.StatusCode() != 403 || up.JSON403 == nil {
		t.Fatalf("end-user token on another instance: %d %s", up.StatusCode(), up.Body)
	}
	if st, _ := device.FetchStateWithResponse(context.Background(), generated.StateFetchRequest{InstanceID: id}); st.StatusCode() != 403 {
		t.Fatalf("end-user token on state/fetch: %d", st.StatusCode())
	}
	if sd, _ := device.StartJourneyWithResponse(context.Background(), generated.StartJourneyRequest{ResourceID: onboarding}); sd.StatusCode() != 403 {
		t.Fatalf("end-user token on start: %d", sd.StatusCode())
	}
	// A connect token is no access token.
	fresh := e.startDevice(other, "*")
	if st, _ := e.client(fresh).FetchStateWithResponse(context.Background(), generated.StateFetchRequest{InstanceID: other}); st.StatusCode() != 401 {
		t.Fatalf("connect token on state/fetch: %d", st.StatusCode())
	}
}

func TestDeviceConnectionErrors(t *testing.T) {
	e := newEnv(t)
	id := e.start(nil)

	check := func(name string, res *generated.ConnectDeviceResponse, status int) {
		t.Helper()
		if res.StatusCode() != status {
			t.Fatalf("%s: %d, want %d: %s", name, res.StatusCode(), status, res.Body)
		}
		var body *generated.ErrorV1
		switch status {
		case 400:
			body = res.JSON400
		case 401:
			body = res.JSON401
		case 403:
			body = res.JSON403
		case 404:
			body = res.JSON404
		}
		if body == nil || *body.Status != status || *body.Message == "" {
			t.Fatalf("%s: not a v1 error body: %s", name, res.Body)
		}
		if res.HTTPResponse.Header.Get("X-Request-ID") == "" {
			t.Fatalf("%s: no X-Request-ID", name)
		}
	}

	// Single use: the second connect with the same token is 400.
	tok := e.startDevice(id, "mobile", "desktop")
	if res := e.connect(tok, "desktop"); res.StatusCode() != 200 {
		t.Fatalf("first connect: %d %s", res.StatusCode(), res.Body)
	}
	check("second use", e.connect(tok, "desktop"), 400)

	// Expiry after 120 s: 401.
	tok = e.startDevice(id, "any")
	e.clock.Advance(119 * time.Second)
	live := e.startDevice(id, "any")
	e.clock.Advance(time.Second)
	check("expired", e.connect(tok, "mobile"), 401)
	if res := e.connect(live, "mobile"); res.StatusCode() != 200 {
		t.Fatalf("token 1 s old: %d %s", res.StatusCode(), res.Body)
	}

	// Scope mismatch: 403; the token stays usable for a device in scope.
	tok = e.startDevice(id, "mobile")
	check("scope mismatch", e.connect(tok, "desktop"), 403)
	if res := e.connect(tok, "mobile"); res.StatusCode() != 200 {
		t.Fatalf("in-scope device after a refused one: %d", res.StatusCode())
	}

	// Unknown connect token: 401. Bearer and body token differ: 401.
	check("unknown token", e.connect("abcdefghijklmnop", "mobile"), 401)
	tok = e.startDevice(id, "mobile")
	res, err := e.client("abcdefghijklmnop").ConnectDeviceWithResponse(context.Background(),
		generated.DeviceConnectRequest{ConnectToken: tok, DeviceInfo: generated.DeviceInfo{DeviceID: "d"}})
	if err != nil {
		t.Fatal(err)
	}
	check("bearer differs from body", res, 401)
	// No Bearer token at all: 401.
	res, _ = e.client("").ConnectDeviceWithResponse(context.Background(),
		generated.DeviceConnectRequest{ConnectToken: tok, DeviceInfo: generated.DeviceInfo{DeviceID: "d"}})
	check("no bearer", res, 401)

	// Unknown (deleted) instance: 404, both at device/start and device/connect.
	if del, _ := e.c.DeleteStateWithResponse(context.Background(), generated.InstanceRequest{InstanceID: id}); del.StatusCode() != 200 {
		t.Fatalf("delete: %d", del.StatusCode())
	}
	check("deleted instance", e.connect(tok, "mobile"), 404)
	sd, _ := e.c.StartDeviceWithResponse(context.Background(), generated.DeviceStartRequest{InstanceID: id, Scope: []generated.DeviceScope{"mobile"}})
	if sd.StatusCode() != 404 || sd.JSON404 == nil {
		t.Fatalf("device/start on deleted instance: %d %s", sd.StatusCode(), sd.Body)
	}

	// Finished instance: 404.
	started := e.start(subjectWith(identity()))
	tok = e.startDevice(started, "mobile")
	if up := e.update(e.c, started, e.pending(started)["document"], generated.Complete, document()); up.StatusCode() != 200 {
		t.Fatal(up.StatusCode())
	}
	check("finished instance", e.connect(tok, "mobile"), 404)

	// End-user tokens expire too.
	id = e.start(nil)
	tok = e.startDevice(id, "mobile")
	cres := e.connect(tok, "mobile")
	docTask := e.pending(id)["document"]
	e.clock.Advance(time.Hour)
	up := e.update(e.client(cres.JSON200.EndUserToken), id, docTask, generated.Save, document())
	if up.StatusCode() != 401 {
		t.Fatalf("expired end-user token: %d", up.StatusCode())
	}
}
