package gbg

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

func secretConfig() Config {
	return Config{
		Region: US, ClientID: testClientID, ClientSecret: testSecret,
		Username: testUser, Password: testPassword,
	}
}

func assertNoSecrets(t *testing.T, what, s string, secrets ...string) {
	t.Helper()
	for _, secret := range append([]string{testSecret, testPassword}, secrets...) {
		if strings.Contains(s, secret) {
			t.Errorf("%s leaks %q: %s", what, secret, s)
		}
	}
}

func TestConfigRedactsSecrets(t *testing.T) {
	cfg := secretConfig()
	cases := map[string]string{
		"%v":        fmt.Sprintf("%v", cfg),
		"%+v":       fmt.Sprintf("%+v", cfg),
		"%#v":       fmt.Sprintf("%#v", cfg),
		"%s":        fmt.Sprintf("%s", cfg),
		"%v of ptr": fmt.Sprintf("%v", &cfg),
		"nested":    fmt.Sprintf("%+v", struct{ C Config }{cfg}),
		"String":    cfg.String(),
		"GoString":  cfg.GoString(),
	}
	for verb, s := range cases {
		assertNoSecrets(t, verb, s)
		if !strings.Contains(s, redacted) || !strings.Contains(s, testClientID) {
			t.Errorf("%s = %s: want the client ID and [REDACTED]", verb, s)
		}
	}
	if s := cases["%#v"]; !strings.HasPrefix(s, "gbg.Config{") || !strings.Contains(s, `ClientSecret:"[REDACTED]"`) {
		t.Errorf("%%#v = %s", s)
	}
	if s := fmt.Sprintf("%+v", Config{ClientID: "x"}); strings.Contains(s, redacted) {
		t.Errorf("empty secrets shown as redacted: %s", s)
	}

	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("configured", "config", cfg, "plain", &cfg)
	assertNoSecrets(t, "slog JSON", buf.String())
	if !strings.Contains(buf.String(), `"client_secret":"[REDACTED]"`) {
		t.Errorf("slog JSON = %s", buf.String())
	}
}

func TestClientAndTokensRedactSecrets(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Username, c.Password = testUser, testPassword })
	const endUser = "eyJ-end-user-token-value"
	h.reply(pDevConnect, 200, `{"endUserToken":"`+endUser+`","expiresIn":60}`)
	h.reply(pTaskList, 200, taskListOK)
	if _, err := h.c.ListTasks(context.Background(), testInstance); err != nil { // caches tok-1
		t.Fatal(err)
	}
	dev, err := h.c.ConnectDevice(context.Background(), "ct_connect-token-value", DeviceInfo{ID: "d"})
	if err != nil {
		t.Fatal(err)
	}
	ct := ConnectToken{Token: "ct_connect-token-value", TokenType: "connect", ExpiresIn: time.Minute}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "client", h.c, "device", dev, "token", ct)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for name, v := range map[string]any{"client": h.c, "*client": *h.c, "device": dev, "*device": *dev, "connect token": ct} {
			s := fmt.Sprintf(verb, v)
			assertNoSecrets(t, name+" "+verb, s, "tok-1", endUser, "ct_connect-token-value")
			if s == "" {
				t.Errorf("%s %s is empty", name, verb)
			}
		}
	}
	assertNoSecrets(t, "slog", buf.String(), "tok-1", endUser, "ct_connect-token-value")
	if !strings.Contains(fmt.Sprint(h.c), h.c.BaseURL()) {
		t.Errorf("client prints as %s", h.c)
	}
}

func TestDebugLogging(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := newHarness(t, func(c *Config) { c.Logger = logger; c.Username, c.Password = testUser, testPassword })
	h.route(pStart, sequence(status(429), ok(`{"instanceId":"`+testInstance+`"}`)))
	prefill := map[string]any{"subject": map[string]any{"identity": map[string]any{"firstName": "Prefill-Marker"}}}
	if _, err := h.c.StartJourney(context.Background(), testResource, prefill); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	assertNoSecrets(t, "debug log", out, "tok-1", "Bearer", "Prefill-Marker", "access_token")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("log has %d records, want 3 (token, 429, 201):\n%s", len(lines), out)
	}
	for i, want := range []string{
		`"op":"GetToken","method":"POST","path":"/as/token.oauth2","attempt":1`,
		`"op":"StartJourney","method":"POST","path":"/captain/api/journey/start","attempt":1`,
		`"op":"StartJourney","method":"POST","path":"/captain/api/journey/start","attempt":2`,
	} {
		if !strings.Contains(lines[i], want) || !strings.Contains(lines[i], `"level":"DEBUG"`) || !strings.Contains(lines[i], `"duration":`) {
			t.Errorf("record %d = %s\nwant %s", i, lines[i], want)
		}
	}
	if !strings.Contains(lines[1], `"status":429,"request_id":"req-captain.api.journey.start-1"`) ||
		!strings.Contains(lines[2], `"status":200,"request_id":"req-captain.api.journey.start-2"`) {
		t.Errorf("status or request ID missing:\n%s", out)
	}
}

func TestErrorsHaveNoTokens(t *testing.T) {
	h := newHarness(t)
	h.route(pTaskList, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("WWW-Authenticate", r.Header.Get("Authorization"))
		writeJSON(w, 400, `{"status":400,"message":"bad","error":"Bad Request"}`)
	})
	err := listTasks(h.c)
	if err == nil {
		t.Fatal("no error")
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		assertNoSecrets(t, "error", s, "tok-1")
	}
}
