package idwise

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// EventFinishedJourney is the event IDWise posts when a journey finishes.
const EventFinishedJourney = "Finished Journey"

// Webhook configures the Finished Journey deliveries. IDWise signs nothing: the receiver
// authenticates the call by its credentials, which are one of Basic, Bearer or a custom
// header.
type Webhook struct {
	URL  string
	Auth WebhookAuth
	// MaxAttempts bounds the deliveries of one event (default 6).
	MaxAttempts int
	// Backoff is the wait before the first retry (default 1 s); it doubles per attempt up
	// to MaxBackoff (default 1 min).
	Backoff, MaxBackoff time.Duration
	// Client sends the calls (default: a client with a 10 s timeout).
	Client *http.Client
}

// WebhookAuth is how deliveries authenticate: Kind "basic" (User, Secret), "bearer"
// (Secret is the token), "header" (Header: Secret) or "" (none).
type WebhookAuth struct {
	Kind   string
	User   string
	Header string
	Secret string
}

// String describes the auth without its secret.
func (a WebhookAuth) String() string {
	switch a.Kind {
	case "basic":
		return "basic (user " + a.User + ")"
	case "header":
		return "header " + a.Header
	case "":
		return "none"
	}
	return a.Kind
}

// ParseWebhookAuth reads "basic:USER:PASSWORD", "bearer:TOKEN", "header:NAME:VALUE" or "".
// Errors never repeat the secret.
func ParseWebhookAuth(s string) (WebhookAuth, error) {
	if s == "" {
		return WebhookAuth{}, nil
	}
	kind, rest, _ := strings.Cut(s, ":")
	a := WebhookAuth{Kind: strings.ToLower(kind)}
	switch a.Kind {
	case "basic":
		a.User, a.Secret, _ = strings.Cut(rest, ":")
	case "bearer":
		a.Secret = rest
	case "header":
		a.Header, a.Secret, _ = strings.Cut(rest, ":")
		if a.Header == "" || strings.ContainsAny(a.Header, " \t\r\n:") {
			return WebhookAuth{}, errors.New("webhook auth: header:NAME:VALUE needs a header name")
		}
	default:
		return WebhookAuth{}, errors.New("webhook auth: want basic:USER:PASSWORD, bearer:TOKEN or header:NAME:VALUE")
	}
	if a.Secret == "" {
		return WebhookAuth{}, fmt.Errorf("webhook auth: %s needs a secret", a.Kind)
	}
	return a, nil
}

func (a WebhookAuth) apply(h http.Header) {
	switch a.Kind {
	case "basic":
		req := http.Request{Header: h}
		req.SetBasicAuth(a.User, a.Secret)
	case "bearer":
		h.Set("Authorization", "Bearer "+a.Secret)
	case "header":
		h.Set(a.Header, a.Secret)
	}
}

// Event is a webhook call's body.
type Event struct {
	Event string    `json:"event"`
	Body  EventBody `json:"body"`
}

// EventBody is the body of a Finished Journey event. EventID stays the same across the
// retries of one event, so that receivers can drop duplicates.
type EventBody struct {
	EventID        string    `json:"eventId"`
	JourneyID      string    `json:"journeyId"`
	ReferenceNo    string    `json:"referenceNo"`
	FlowID         string    `json:"flowId"`
	SystemDecision string    `json:"systemDecision"`
	FinalDecision  string    `json:"finalDecision"`
	FinishedAt     time.Time `json:"finishedAt"`
}

func (j *journey) event() *Event {
	return &Event{Event: EventFinishedJourney, Body: EventBody{
		EventID: j.eventID, JourneyID: j.id, ReferenceNo: j.ref, FlowID: j.flow.FlowID,
		SystemDecision: j.decision, FinalDecision: j.decision, FinishedAt: j.completed.UTC(),
	}}
}

// maxPending bounds the events being delivered at once; more are dropped (and logged).
const maxPending = 256

// deliverer posts events, each on its own goroutine, retrying with backoff.
type deliverer struct {
	hook   Webhook
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	pending int
	idle    chan struct{} // closed when pending drops to 0
	wg      sync.WaitGroup
}

func newDeliverer(h Webhook, log *slog.Logger) (*deliverer, error) {
	u, err := url.Parse(h.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("URL %q: want an http or https URL", h.URL)
	}
	if h.MaxAttempts <= 0 {
		h.MaxAttempts = 6
	}
	if h.Backoff <= 0 {
		h.Backoff = time.Second
	}
	if h.MaxBackoff <= 0 {
		h.MaxBackoff = time.Minute
	}
	if h.Client == nil {
		h.Client = &http.Client{Timeout: 10 * time.Second}
	}
	ctx, cancel := context.WithCancel(context.Background())
	d := &deliverer{hook: h, log: log, ctx: ctx, cancel: cancel, idle: make(chan struct{})}
	close(d.idle)
	return d, nil
}

// send delivers ev in the background.
func (d *deliverer) send(ev *Event) {
	body, _ := json.Marshal(ev) // plain strings and a time: cannot fail
	d.mu.Lock()
	if d.pending >= maxPending || d.ctx.Err() != nil {
		d.mu.Unlock()
		d.log.Error("idwise webhook: dropped", "event_id", ev.Body.EventID, "reason", "too many pending deliveries or closed")
		return
	}
	if d.pending == 0 {
		d.idle = make(chan struct{})
	}
	d.pending++
	d.wg.Add(1)
	d.mu.Unlock()
	go func() {
		defer d.done()
		d.deliver(ev.Body.EventID, body)
	}()
}

func (d *deliverer) done() {
	d.mu.Lock()
	d.pending--
	if d.pending == 0 {
		close(d.idle)
	}
	d.mu.Unlock()
	d.wg.Done()
}

// deliver posts body until a 2xx answer, MaxAttempts or close.
func (d *deliverer) deliver(eventID string, body []byte) {
	wait := d.hook.Backoff
	for attempt := 1; ; attempt++ {
		status, err := d.post(body)
		if err == nil && status/100 == 2 {
			d.log.Info("idwise webhook: delivered", "event_id", eventID, "attempt", attempt, "status", status)
			return
		}
		d.log.Warn("idwise webhook: attempt failed", "event_id", eventID, "attempt", attempt, "status", status, "error", errString(err))
		if attempt >= d.hook.MaxAttempts {
			d.log.Error("idwise webhook: giving up", "event_id", eventID, "attempts", attempt)
			return
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-d.ctx.Done():
			t.Stop()
			return
		}
		wait = min(2*wait, d.hook.MaxBackoff)
	}
}

func (d *deliverer) post(body []byte) (int, error) {
	req, err := http.NewRequestWithContext(d.ctx, http.MethodPost, d.hook.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	d.hook.Auth.apply(req.Header)
	res, err := d.hook.Client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	return res.StatusCode, nil
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func (d *deliverer) wait(ctx context.Context) error {
	d.mu.Lock()
	idle := d.idle
	d.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (d *deliverer) close() {
	d.mu.Lock() // a send after this sees the cancelled context
	d.cancel()
	d.mu.Unlock()
	d.wg.Wait()
}
