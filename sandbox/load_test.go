package sandbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gbggen/gbggen/gbg"
	"github.com/gbggen/gbggen/sandbox"
)

// TestLoad runs 200 journeys at once over loopback through the runtime client: each is
// started with its own prefill (leaving the address out), has its pending tasks completed
// with its own data, and is polled to Completed. Every final state must hold exactly that
// journey's data: nothing lost, nothing mixed up between instances.
func TestLoad(t *testing.T) {
	const journeys = 200
	srv, err := sandbox.New()
	if err != nil {
		t.Fatal(err)
	}
	var requests atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		srv.ServeHTTP(w, r)
	}))
	defer ts.Close()
	tr := ts.Client().Transport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = journeys
	defer tr.CloseIdleConnections()
	e := &env{t: t, ts: ts}
	c := e.gbgClient(tr)

	type result struct {
		instance string
		err      error
	}
	results := make([]result, journeys)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	begin := time.Now()
	var wg sync.WaitGroup
	for i := range journeys {
		wg.Go(func() {
			id, err := runJourney(ctx, c, i)
			results[i] = result{id, err}
		})
	}
	wg.Wait()
	elapsed := time.Since(begin)

	seen := map[string]int{}
	for i, r := range results {
		if r.err != nil {
			t.Errorf("journey %d: %v", i, r.err)
			continue
		}
		if j, dup := seen[r.instance]; dup {
			t.Errorf("journeys %d and %d share instance %s", j, i, r.instance)
		}
		seen[r.instance] = i
	}
	t.Logf("%d journeys, %d requests in %v: %.0f journeys/s, %.0f requests/s",
		journeys, requests.Load(), elapsed.Round(time.Millisecond),
		float64(journeys)/elapsed.Seconds(), float64(requests.Load())/elapsed.Seconds())
}

func runJourney(ctx context.Context, c *gbg.Client, i int) (string, error) {
	first, postal, number := fmt.Sprintf("Ada%d", i), fmt.Sprintf("P%d", i), fmt.Sprintf("N%d", i)
	start, err := c.StartJourney(ctx, onboarding, prefill{Subject: subjectWith(map[string]any{
		"firstName": first, "lastNames": []any{"Lovelace"}, "dateOfBirth": "1815-12-10"})})
	if err != nil {
		return "", err
	}
	id := start.InstanceID
	list, err := c.TaskSchemas(ctx, id)
	if err != nil {
		return id, err
	}
	if len(list.TaskIDs) != 2 {
		return id, fmt.Errorf("%d pending tasks, want 2 (address, document)", len(list.TaskIDs))
	}
	for _, tid := range list.TaskIDs {
		var s struct {
			Title string `json:"title"`
		}
		if err := json.Unmarshal(list.Schemas[tid], &s); err != nil {
			return id, err
		}
		var subject map[string]any
		switch s.Title {
		case "Address":
			subject = subjectWith(map[string]any{"currentAddress": map[string]any{"postalCode": postal, "country": "GBR"}})
		case "Identity document":
			subject = map[string]any{"documents": []any{map[string]any{"type": "Passport", "number": number, "side1Image": "aGVsbG8="}}}
		default:
			return id, fmt.Errorf("unexpected pending task %q", s.Title)
		}
		if err := c.UpdateTask(ctx, id, tid, gbg.IntentComplete, payload{prefill{subject}}); err != nil {
			return id, err
		}
	}
	st, err := c.WaitForCompletion(ctx, id, gbg.PollInterval(time.Millisecond, 10*time.Millisecond))
	if err != nil {
		return id, err
	}
	var got struct {
		Subject struct {
			Identity struct {
				FirstName      string `json:"firstName"`
				CurrentAddress struct {
					PostalCode string `json:"postalCode"`
				} `json:"currentAddress"`
			} `json:"identity"`
			Documents []struct {
				Number string `json:"number"`
			} `json:"documents"`
		} `json:"subject"`
	}
	if err := json.Unmarshal(st.Context, &got); err != nil {
		return id, err
	}
	s := got.Subject
	if s.Identity.FirstName != first || s.Identity.CurrentAddress.PostalCode != postal || len(s.Documents) != 1 || s.Documents[0].Number != number {
		return id, fmt.Errorf("state holds another journey's data: %s", st.Context)
	}
	return id, nil
}
