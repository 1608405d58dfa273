package idwise

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// secretsIn returns the secrets, and the encodings of them, that s contains.
func secretsIn(s string) []string {
	var found []string
	for _, secret := range []string{testKey, testSecret, base64.StdEncoding.EncodeToString([]byte(testKey + ":" + testSecret))} {
		if strings.Contains(s, secret) {
			found = append(found, secret)
		}
	}
	return found
}

func TestConfigRedacted(t *testing.T) {
	cfg := Config{Region: UAE, APIKey: testKey, APISecret: testSecret, PathPrefix: "/v2"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		s := fmt.Sprintf(verb, cfg)
		if found := secretsIn(s); len(found) > 0 {
			t.Errorf("%s prints %v: %s", verb, found, s)
		}
		if !strings.Contains(s, "uae") || (verb != "%s" && verb != "%q" && !strings.Contains(s, redacted)) {
			t.Errorf("%s = %s: want the region and %s", verb, s, redacted)
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "cfg", cfg, "ptr", &cfg)
	if found := secretsIn(buf.String()); len(found) > 0 || !strings.Contains(buf.String(), "/v2") {
		t.Errorf("slog: %s", buf.String())
	}
}

func TestClientRedacted(t *testing.T) {
	c, err := New(Config{APIKey: testKey, APISecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(verb, c); len(secretsIn(s)) > 0 || !strings.Contains(s, "api.idwise.com") {
			t.Errorf("%s = %s", verb, s)
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("client", "c", c)
	if len(secretsIn(buf.String())) > 0 {
		t.Errorf("slog: %s", buf.String())
	}
}

// TestNoSecretInErrorsOrLogs drives every call into an error (a refusal
// that echoes the request's Authorization header back, and a dead server)
// with debug logging on, and looks for the secrets everywhere.
func TestNoSecretInErrorsOrLogs(t *testing.T) {
	var logs bytes.Buffer
	h := newHarness(t, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c.Retry.MaxAttempts = 2
	})
	echo := func(w http.ResponseWriter, r *http.Request, _ int) {
		// A hostile or buggy server repeating the header in its message.
		writeJSON(w, 401, `{"success":false,"message":"bad `+r.Header.Get("Authorization")+`","error_code":"invalid_credentials"}`)
	}
	for _, route := range []string{"POST /journey/v2/start-journey", "POST /journey/v2/process-journey-step", "POST /journey/v2/complete-journey",
		"GET /journey/v2/summary/", "GET /journey/v2/get-journey-result", "DELETE /journey/" + testJourney} {
		h.route(route, echo)
	}
	ctx := context.Background()
	var errs []error
	collect := func(err error) {
		if err == nil {
			t.Error("no error")
		}
		errs = append(errs, err)
	}
	run := func(c *Client) {
		_, err := c.StartJourney(ctx, StartRequest{FlowID: testFlow, ReferenceNo: "r"})
		collect(err)
		collect(c.ProcessStep(ctx, testJourney, "0", ImageBytes(jpeg), Image{}))
		collect(c.CompleteJourney(ctx, testJourney))
		_, err = c.Summary(ctx, testJourney)
		collect(err)
		_, err = c.Result(ctx, testJourney)
		collect(err)
		collect(c.DeleteJourney(ctx, testJourney))
	}
	run(h.c)
	h.srv.Close() // now connection errors
	run(h.c)
	for _, err := range errs {
		var body []byte
		if apiErr, ok := err.(*APIError); ok {
			body = apiErr.Body
			if !strings.Contains(apiErr.Message, "bad Basic "+redacted) {
				t.Errorf("Message = %q, want the echo scrubbed", apiErr.Message)
			}
		}
		for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), string(body)} {
			if found := secretsIn(s); len(found) > 0 {
				t.Errorf("error shows %v: %s", found, s)
			}
		}
	}
	if found := secretsIn(logs.String()); len(found) > 0 {
		t.Errorf("logs show %v:\n%s", found, logs.String())
	}
	if !strings.Contains(logs.String(), "op=StartJourney") {
		t.Errorf("no debug records:\n%s", logs.String())
	}
}

func TestBaseURLWithCredentialsRefused(t *testing.T) {
	_, err := New(Config{BaseURL: "https://" + testKey + ":" + testSecret + "@api.idwise.com", APIKey: testKey, APISecret: testSecret})
	if err == nil {
		t.Fatal("accepted")
	}
	if found := secretsIn(err.Error()); len(found) > 0 {
		t.Errorf("error shows %v: %v", found, err)
	}
	_, err = New(Config{BaseURL: "http://" + testSecret + "@%zz", APIKey: testKey, APISecret: testSecret})
	if err == nil || len(secretsIn(err.Error())) > 0 {
		t.Errorf("unparsable URL: %v", err)
	}
}
