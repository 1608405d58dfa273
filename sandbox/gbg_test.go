package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gbggen/gbggen/gbg"
	"github.com/gbggen/gbggen/sandbox"
)

// scenarioTransport adds a scenario header to the requests whose path ends with suffix.
type scenarioTransport struct {
	base     http.RoundTripper
	suffix   string
	scenario string
	seen     atomic.Int64 // requests that carried the header
}

func (s *scenarioTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if s.scenario != "" && strings.HasSuffix(r.URL.Path, s.suffix) {
		r = r.Clone(r.Context())
		r.Header.Set(sandbox.ScenarioHeader, s.scenario)
		s.seen.Add(1)
	}
	return s.base.RoundTrip(r)
}

// gbgClient returns the hand-written runtime client pointed at the emulator.
func (e *env) gbgClient(tr http.RoundTripper, mutate ...func(*gbg.Config)) *gbg.Client {
	e.t.Helper()
	if tr == nil {
		tr = e.ts.Client().Transport
	}
	cr := sandbox.DefaultCredentials
	cfg := gbg.Config{BaseURL: e.ts.URL, TokenURL: e.ts.URL + "/as/token.oauth2",
		ClientID: cr.ClientID, ClientSecret: cr.ClientSecret, Username: cr.Username, Password: cr.Password,
		HTTPClient: &http.Client{Transport: tr},
		Retry:      gbg.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := gbg.New(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

type prefill struct {
	Subject map[string]any `json:"subject"`
}

type payload struct {
	Context prefill `json:"context"`
}

// taskByTitle maps each pending task's schema title to its task ID.
func taskByTitle(t *testing.T, c *gbg.Client, id string) map[string]string {
	t.Helper()
	list, err := c.TaskSchemas(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, tid := range list.TaskIDs {
		var s struct {
			Title string `json:"title"`
		}
		if err := json.Unmarshal(list.Schemas[tid], &s); err != nil {
			t.Fatal(err)
		}
		out[s.Title] = tid
	}
	return out
}

func TestRuntimeClientJourney(t *testing.T) {
	e := newEnv(t)
	c := e.gbgClient(nil)
	ctx := context.Background()

	ident := identity()
	delete(ident, "currentAddress") // the required field the prefill leaves out
	start, err := c.StartJourney(ctx, onboarding, prefill{Subject: subjectWith(ident)})
	if err != nil {
		t.Fatal(err)
	}
	list, err := c.ListTasks(ctx, start.InstanceID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tasks) != 2 || !list.Status.Equal(gbg.StatusInProgress) {
		t.Fatalf("task list %+v", list)
	}
	tasks := taskByTitle(t, c, start.InstanceID)
	schema, err := c.TaskSchema(ctx, tasks["Address"])
	if err != nil || !strings.Contains(string(schema), `"currentAddress"`) {
		t.Fatalf("task schema: %v %s", err, schema)
	}

	// A bad payload: an *APIError naming each bad pointer.
	bad := payload{prefill{subjectWith(map[string]any{"currentAddress": map[string]any{"postalCode": "SW1Y 4JH", "country": "uk"}})}}
	err = c.UpdateTask(ctx, start.InstanceID, tasks["Address"], gbg.IntentComplete, bad)
	var apiErr *gbg.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || len(apiErr.Violations) != 1 ||
		apiErr.Violations[0].Pointer != "/context/subject/identity/currentAddress/country" || apiErr.RequestID == "" {
		t.Fatalf("bad payload: %v (%+v)", err, apiErr)
	}
	good := payload{prefill{subjectWith(map[string]any{"currentAddress": map[string]any{"postalCode": "SW1Y 4JH", "country": "GBR"}})}}
	if err := c.UpdateTask(ctx, start.InstanceID, tasks["Address"], gbg.IntentComplete, good); err != nil {
		t.Fatal(err)
	}

	// The document comes from the end user's device.
	ct, err := c.StartDevice(ctx, start.InstanceID, gbg.DeviceScope("mobile"))
	if err != nil {
		t.Fatal(err)
	}
	dev, err := c.ConnectDevice(ctx, ct.Token, gbg.DeviceInfo{ID: "phone-1", Type: "mobile"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ConnectDevice(ctx, ct.Token, gbg.DeviceInfo{ID: "phone-2", Type: "mobile"}); !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
		t.Fatalf("second connect: %v", err)
	}
	if err := dev.UpdateTask(ctx, start.InstanceID, tasks["Identity document"], gbg.IntentComplete, payload{prefill{document()}}); err != nil {
		t.Fatal(err)
	}
	st, err := c.WaitForCompletion(ctx, start.InstanceID, gbg.PollInterval(time.Millisecond, 5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if !st.Status.Equal(gbg.StatusCompleted) || st.MetaData.CompletedTime == "" || !strings.Contains(string(st.Data), "Decision: Pass 1+1") {
		t.Fatalf("final state %s %s", st.Status, st.Raw)
	}
}

func TestRuntimeClientFailedJourney(t *testing.T) {
	e := newEnv(t)
	tr := &scenarioTransport{base: e.ts.Client().Transport, suffix: "/journey/start", scenario: "fail"}
	c := e.gbgClient(tr)
	start, err := c.StartJourney(context.Background(), onboarding, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.WaitForCompletion(context.Background(), start.InstanceID, gbg.PollInterval(time.Millisecond, 5*time.Millisecond))
	if !errors.Is(err, gbg.ErrJourneyFailed) || st == nil || !st.Status.Equal(gbg.StatusFailed) {
		t.Fatalf("failed journey: %v %v", st, err)
	}
}

func TestRuntimeClientRetries(t *testing.T) {
	e := newEnv(t)
	id := e.start(nil)

	// Two 429s, then success: the client's retry gets through.
	tr := &scenarioTransport{base: e.ts.Client().Transport, suffix: "/task/list", scenario: "rate-limit=2, retry-after=0, id=retries"}
	c := e.gbgClient(tr)
	list, err := c.ListTasks(context.Background(), id)
	if err != nil {
		t.Fatalf("ListTasks through two 429s: %v", err)
	}
	if len(list.Tasks) != 3 || tr.seen.Load() != 3 {
		t.Fatalf("%d tasks after %d attempts, want 3 and 3", len(list.Tasks), tr.seen.Load())
	}

	// Always 503: the client gives up with an *APIError carrying the status and Retry-After.
	tr = &scenarioTransport{base: e.ts.Client().Transport, suffix: "/state/fetch", scenario: "unavailable, retry-after=0"}
	c = e.gbgClient(tr, func(cfg *gbg.Config) { cfg.Retry.MaxAttempts = 3 })
	_, err = c.FetchState(context.Background(), id)
	var apiErr *gbg.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || tr.seen.Load() != 3 {
		t.Fatalf("always 503: %v after %d attempts", err, tr.seen.Load())
	}

	// v2 errors reach the caller with their code.
	c = e.gbgClient(nil)
	_, err = c.FetchStateV2(context.Background(), strings.Repeat("f", 32))
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Code() != "1001" {
		t.Fatalf("v2 404: %v", err)
	}
	// Wrong credentials: 401 from the token endpoint.
	c = e.gbgClient(nil, func(cfg *gbg.Config) { cfg.Password = "wrong" })
	if _, err := c.ListTasks(context.Background(), id); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("wrong password: %v", err)
	}
}

func TestRuntimeClientV2(t *testing.T) {
	e := newEnv(t)
	c := e.gbgClient(nil)
	ctx := context.Background()
	start, err := c.StartJourneyV2(ctx, onboarding, gbg.DeliveryAPI, subjectWith(identity()))
	if err != nil {
		t.Fatal(err)
	}
	in, err := c.FetchInteraction(ctx, start.InstanceID)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Outstanding) != 1 || in.Outstanding[0] != "documents" {
		t.Fatalf("outstanding %v", in.Outstanding)
	}
	if err := c.SubmitInteraction(ctx, start.InstanceID, in.InteractionID, document()); err != nil {
		t.Fatal(err)
	}
	st, err := c.WaitForCompletionV2(ctx, start.InstanceID, gbg.PollInterval(time.Millisecond, 5*time.Millisecond))
	if err != nil || *st.Result.Status != "completed" {
		t.Fatalf("v2: %v %s", err, st.Raw)
	}
	page, err := c.StartJourneyV2(ctx, onboarding, gbg.DeliveryPage, nil)
	if err != nil || page.InstanceURL == "" {
		t.Fatalf("page: %v %+v", err, page)
	}
}

// TestRuntimeClientWaitsThroughPaused: WaitForCompletion keeps polling a Paused journey, and
// gives up with the context's error (and the last state) on one that stays Paused.
func TestRuntimeClientWaitsThroughPaused(t *testing.T) {
	e := newEnv(t)
	subject := subjectWith(identity())
	subject["documents"] = document()["documents"]
	start := func(scenario string) string {
		c := e.gbgClient(&scenarioTransport{base: e.ts.Client().Transport, suffix: "/journey/start", scenario: scenario})
		s, err := c.StartJourney(context.Background(), onboarding, prefill{subject})
		if err != nil {
			t.Fatal(err)
		}
		return s.InstanceID
	}
	c := e.gbgClient(e.ts.Client().Transport)
	poll := gbg.PollInterval(time.Millisecond, 2*time.Millisecond)

	st, err := c.WaitForCompletion(context.Background(), start("pause=3"), poll)
	if err != nil || !st.Status.Equal(gbg.StatusCompleted) {
		t.Fatalf("after a pause of 3 fetches: %v %v", st, err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	st, err = c.WaitForCompletion(ctx, start("pause"), poll)
	if !errors.Is(err, context.DeadlineExceeded) || st == nil || !st.Status.Equal(gbg.StatusPaused) {
		t.Fatalf("endless pause: %v %v", st, err)
	}
}
