package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/internal/emutest"
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
