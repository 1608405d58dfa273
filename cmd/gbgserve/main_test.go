package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gbggen/gbggen/internal/emutest"
	"github.com/gbggen/gbggen/sandbox"
)

// TestServe starts the emulator on a free port, gets a token from the URL it printed, and
// stops it by cancelling its context.
func TestServe(t *testing.T) {
	base, stop := emutest.Start(t, func(ctx context.Context, stdout io.Writer) int {
		return serve(ctx, []string{"-addr", "127.0.0.1:0"}, stdout, io.Discard)
	})
	emutest.Token(t, base)
	if code := stop(); code != 0 {
		t.Errorf("serve exited %d after cancel, want 0", code)
	}
}

func TestServeUsage(t *testing.T) {
	for _, args := range [][]string{{"-addr"}, {"extra"}, {"-journeys", "/nonexistent/dir"}} {
		var stderr strings.Builder
		if code := serve(context.Background(), args, io.Discard, &stderr); code != 2 {
			t.Errorf("serve %v: exit %d, want 2", args, code)
		}
		if stderr.Len() == 0 {
			t.Errorf("serve %v: nothing on stderr", args)
		}
	}
}

// TestServeIDWise: the emulator serves IDWise on the same port, with the flags' credentials,
// and says where.
func TestServeIDWise(t *testing.T) {
	var out strings.Builder
	base, stop := emutest.Start(t, func(ctx context.Context, stdout io.Writer) int {
		return serve(ctx, []string{"-addr", "127.0.0.1:0", "-idwise-key", "k1", "-idwise-secret", "s1",
			"-idwise-webhook", "http://user:pw@127.0.0.1:1/hook", "-idwise-webhook-auth", "bearer:tok-secret"},
			io.MultiWriter(stdout, &out), io.Discard)
	})
	req, _ := http.NewRequest("POST", base+"/v2/start-journey", strings.NewReader(`{"flow_id":"demo-flow","reference_no":"r"}`))
	req.SetBasicAuth("k1", "s1")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("IDWise start-journey: %d", res.StatusCode)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d", code)
	}
	if s := out.String(); !strings.Contains(s, "IDWise at "+base+"/journey/v2/") || strings.Contains(s, "tok-secret") || strings.Contains(s, ":pw@") {
		t.Errorf("output:\n%s", s)
	}
}

func TestServeIDWiseUsage(t *testing.T) {
	for _, args := range [][]string{{"-idwise-flows", "/nonexistent"}, {"-idwise-webhook-auth", "bearer:x"},
		{"-idwise-webhook", "http://h/", "-idwise-webhook-auth", "digest:x"}, {"-idwise-prefix", "/v2"}} {
		var stderr strings.Builder
		if code := serve(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, args...), io.Discard, &stderr); code != 2 {
			t.Errorf("serve %v: exit %d, want 2", args, code)
		}
	}
}

// TestServeLimitFlags: the limit and timeout flags reach the emulator: -max-instances 1
// refuses a second journey while the first is in progress, -max-body-bytes refuses a longer
// body, and -idle-timeout closes a kept-alive connection.
func TestServeLimitFlags(t *testing.T) {
	base, stop := emutest.Start(t, func(ctx context.Context, stdout io.Writer) int {
		return serve(ctx, []string{"-addr", "127.0.0.1:0", "-max-instances", "1", "-max-body-bytes", "200",
			"-instance-ttl", "1m", "-idle-timeout", "100ms", "-read-timeout", "1s", "-read-header-timeout", "1s", "-write-timeout", "15s"}, stdout, io.Discard)
	})
	defer stop()
	creds := sandbox.DefaultCredentials
	res, err := http.PostForm(base+"/as/token.oauth2", url.Values{"grant_type": {"client_credentials"},
		"client_id": {creds.ClientID}, "client_secret": {creds.ClientSecret}, "scope": {"gbg.token"}})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(res.Body).Decode(&tok)
	res.Body.Close()
	start := func(body string) int {
		req, _ := http.NewRequest(http.MethodPost, base+"/captain/api/journey/start", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	body := `{"resourceId":"` + sandbox.OnboardingResourceID + `@latest"}`
	if got := start(body); got != 200 {
		t.Fatalf("first start: %d", got)
	}
	if got := start(body); got != 503 {
		t.Errorf("second start with -max-instances 1: %d, want 503", got)
	}
	if got := start(body + strings.Repeat(" ", 200)); got != 400 {
		t.Errorf("a body over -max-body-bytes: %d, want 400", got)
	}

	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
	r := bufio.NewReader(conn)
	if res, err := http.ReadResponse(r, nil); err != nil || res.StatusCode != 404 {
		t.Fatalf("request on the raw connection: %v %v", res, err)
	}
	conn.SetReadDeadline(time.Now().Add(time.Minute)) // only so that a failure does not hang
	if _, err := io.ReadAll(r); errors.Is(err, os.ErrDeadlineExceeded) {
		t.Error("-idle-timeout 100ms: the idle connection stayed open")
	}
}

func TestServeBadLimits(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-max-instances", "0"}, "max instances 0"},
		{[]string{"-max-body-bytes", "0"}, "max body bytes 0"},
		{[]string{"-instance-ttl", "0s"}, "instance TTL 0s"},
		{[]string{"-idle-timeout", "-1s"}, "idle timeout -1s"},
		{[]string{"-read-timeout", "soon"}, "-read-timeout"},
	} {
		var stderr strings.Builder
		if code := serve(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, tc.args...), io.Discard, &stderr); code != 2 {
			t.Errorf("serve %v: exit %d, want 2", tc.args, code)
		}
		if !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("serve %v: stderr %q does not say %q", tc.args, stderr.String(), tc.want)
		}
	}
}
