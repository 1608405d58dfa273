package idwise

import (
	"container/list"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
)

// The webhook events IDWise documents. The set is open.
const (
	EventFinishedJourney = "Finished Journey"
	EventUpdatedJourney  = "Updated Journey"
)

// WebhookEvent is one delivery of an IDWise webhook.
type WebhookEvent struct {
	Event string      `json:"event"` // such as EventFinishedJourney
	Body  WebhookBody `json:"body"`
	// Raw is the whole request body, for members this type does not name.
	Raw json.RawMessage `json:"-"`
}

// WebhookBody is the body member of a webhook. IDWise may add members; they
// are in WebhookEvent.Raw.
type WebhookBody struct {
	// EventID is the same on every retry of a delivery.
	EventID        string   `json:"eventId"`
	JourneyID      string   `json:"journeyId"`
	ReferenceNo    string   `json:"referenceNo"`
	SystemDecision Decision `json:"systemDecision"`
	// ManualDecision, FinalDecision and Action come with Updated Journey.
	ManualDecision Decision `json:"manualDecision"`
	FinalDecision  Decision `json:"finalDecision"`
	Action         string   `json:"action"`
}

// ParseWebhook decodes a webhook body. It requires body.eventId and
// body.journeyId and accepts members it does not know.
func ParseWebhook(b []byte) (*WebhookEvent, error) {
	var ev WebhookEvent
	if err := json.Unmarshal(b, &ev); err != nil {
		return nil, fmt.Errorf("idwise: webhook: %w", err)
	}
	switch {
	case ev.Event == "":
		return nil, errors.New("idwise: webhook: no event")
	case ev.Body.EventID == "":
		return nil, errors.New("idwise: webhook: no body.eventId")
	case ev.Body.JourneyID == "":
		return nil, errors.New("idwise: webhook: no body.journeyId")
	}
	ev.Raw = json.RawMessage(b)
	return &ev, nil
}

// WebhookAuth is how IDWise authenticates to your webhook, as configured in
// its dashboard: BasicAuth, BearerAuth or HeaderAuth. IDWise signs nothing,
// so this is the only proof a request came from IDWise.
type WebhookAuth struct {
	kind        string // "basic", "bearer" or "header"
	header      string
	want        [sha256.Size]byte
	wantUser    [sha256.Size]byte
	challenge   string
	description string
	noSecret    bool
}

// BasicAuth expects HTTP Basic authentication with user and password.
func BasicAuth(user, password string) WebhookAuth {
	return WebhookAuth{kind: "basic", wantUser: sha256.Sum256([]byte(user)), want: sha256.Sum256([]byte(password)),
		challenge: `Basic realm="idwise-webhook"`, description: "basic", noSecret: password == ""}
}

// BearerAuth expects "Authorization: Bearer token".
func BearerAuth(token string) WebhookAuth {
	return WebhookAuth{kind: "bearer", want: sha256.Sum256([]byte(token)), challenge: "Bearer", description: "bearer", noSecret: token == ""}
}

// HeaderAuth expects the header name to carry value.
func HeaderAuth(name, value string) WebhookAuth {
	return WebhookAuth{kind: "header", header: name, want: sha256.Sum256([]byte(value)), description: "header " + name, noSecret: value == ""}
}

// Format implements fmt.Formatter: a WebhookAuth prints its kind only,
// never the secret (nor its digest).
func (a WebhookAuth) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "idwise.WebhookAuth{%s}", a.description)
}

// equal compares two digests in constant time. A variable, so tests can see
// that every check goes through it.
var equal = func(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }

// check reports whether r carries the expected credentials. Every request
// costs the same comparisons whatever it carries, missing credentials
// included: the digests have a fixed length and are compared in constant
// time, so timing tells nothing of the secret's length or content.
func (a WebhookAuth) check(r *http.Request) bool {
	var got, gotUser [sha256.Size]byte
	switch a.kind {
	case "basic":
		u, p, _ := r.BasicAuth()
		gotUser, got = sha256.Sum256([]byte(u)), sha256.Sum256([]byte(p))
		// Both halves at once: no early exit on a wrong user name.
		return equal(append(gotUser[:], got[:]...), append(a.wantUser[:], a.want[:]...))
	case "bearer":
		h := r.Header.Get("Authorization")
		tok := ""
		if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
			tok = h[7:]
		}
		got = sha256.Sum256([]byte(tok))
		return equal(got[:], a.want[:]) && tok != ""
	case "header":
		got = sha256.Sum256([]byte(r.Header.Get(a.header)))
		return equal(got[:], a.want[:]) && r.Header.Get(a.header) != ""
	}
	return false
}

// WebhookConfig configures WebhookHandler.
type WebhookConfig struct {
	// Auth is required: IDWise's webhooks carry no signature.
	Auth WebhookAuth
	// Handle is called once per event ID with the parsed event. Keep it
	// short (hand the event to a queue): IDWise waits for the answer. An
	// error answers 500, and the event ID is forgotten so that IDWise's
	// retry is handled again.
	Handle func(ctx context.Context, ev *WebhookEvent) error
	// Remember is how many event IDs are kept to recognise retries (10,000
	// if zero); the least recently seen is forgotten first.
	Remember int
	// MaxBodyBytes bounds the request body (64 KiB if zero); a longer one
	// is answered 413.
	MaxBodyBytes int64
	// Logger receives a Debug record per request (outcome, event, journey,
	// event ID); never headers or credentials. Nil discards.
	Logger *slog.Logger
}

// WebhookHandler returns an http.Handler for IDWise's webhooks. It answers
//
//   - 405 to anything but POST;
//   - 401 when the configured credentials are missing or wrong (compared in
//     constant time), before reading the body;
//   - 413 to a body over MaxBodyBytes, 400 to one that is not a webhook
//     (bad JSON, no event, eventId or journeyId);
//   - 200 at once to an event ID it has seen, without calling Handle;
//   - otherwise what Handle says: 200, or 500 on an error.
func WebhookHandler(cfg WebhookConfig) (http.Handler, error) {
	if cfg.Auth.kind == "" {
		return nil, errors.New("idwise: WebhookConfig.Auth is required (BasicAuth, BearerAuth or HeaderAuth)")
	}
	if cfg.Auth.noSecret {
		return nil, fmt.Errorf("idwise: WebhookConfig.Auth (%s): the secret is empty", cfg.Auth.description)
	}
	if cfg.Auth.kind == "header" && !validHeaderName(cfg.Auth.header) {
		return nil, fmt.Errorf("idwise: HeaderAuth: %q is not a header name", cfg.Auth.header)
	}
	if cfg.Handle == nil {
		return nil, errors.New("idwise: WebhookConfig.Handle is required")
	}
	if cfg.Remember <= 0 {
		cfg.Remember = 10000
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 64 << 10
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &webhook{cfg: cfg, seen: newLRU(cfg.Remember)}, nil
}

type webhook struct {
	cfg  WebhookConfig
	seen *lru
}

func (h *webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.answer(w, r, http.StatusMethodNotAllowed, "method not allowed", nil)
		return
	}
	if !h.cfg.Auth.check(r) {
		if c := h.cfg.Auth.challenge; c != "" {
			w.Header().Set("WWW-Authenticate", c)
		}
		h.answer(w, r, http.StatusUnauthorized, "unauthorized", nil)
		return
	}
	body, err := readLimited(w, r, h.cfg.MaxBodyBytes)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.answer(w, r, http.StatusRequestEntityTooLarge, "body too large", nil)
			return
		}
		h.answer(w, r, http.StatusBadRequest, "unreadable body", nil)
		return
	}
	ev, err := ParseWebhook(body)
	if err != nil {
		h.answer(w, r, http.StatusBadRequest, err.Error(), nil)
		return
	}
	if !h.seen.add(ev.Body.EventID) {
		h.answer(w, r, http.StatusOK, "duplicate", ev)
		return
	}
	if err := h.cfg.Handle(r.Context(), ev); err != nil {
		h.seen.remove(ev.Body.EventID) // let IDWise's retry through
		h.answer(w, r, http.StatusInternalServerError, "handler failed", ev)
		return
	}
	h.answer(w, r, http.StatusOK, "handled", ev)
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > 0x7e || r <= 0x20 || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

func readLimited(w http.ResponseWriter, r *http.Request, n int64) ([]byte, error) {
	defer r.Body.Close()
	return io.ReadAll(http.MaxBytesReader(w, r.Body, n))
}

func (h *webhook) answer(w http.ResponseWriter, r *http.Request, code int, outcome string, ev *WebhookEvent) {
	if h.cfg.Logger.Enabled(r.Context(), slog.LevelDebug) {
		attrs := []slog.Attr{slog.Int("status", code), slog.String("outcome", outcome)}
		if ev != nil {
			attrs = append(attrs, slog.String("event", ev.Event), slog.String("event_id", ev.Body.EventID), slog.String("journey_id", ev.Body.JourneyID))
		}
		h.cfg.Logger.LogAttrs(r.Context(), slog.LevelDebug, "idwise: webhook", attrs...)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintln(w, outcome)
}

// lru is a set of strings bounded to size members; adding to a full set
// forgets the least recently added or seen member.
type lru struct {
	mu    sync.Mutex
	size  int
	order *list.List // front: most recent
	items map[string]*list.Element
}

func newLRU(size int) *lru {
	return &lru{size: size, order: list.New(), items: make(map[string]*list.Element, min(size, 1024))}
}

// add inserts id and reports whether it was new. A known id becomes the most
// recent.
func (l *lru) add(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.items[id]; ok {
		l.order.MoveToFront(e)
		return false
	}
	l.items[id] = l.order.PushFront(id)
	for l.order.Len() > l.size {
		oldest := l.order.Back()
		l.order.Remove(oldest)
		delete(l.items, oldest.Value.(string))
	}
	return true
}

func (l *lru) remove(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.items[id]; ok {
		l.order.Remove(e)
		delete(l.items, id)
	}
}

func (l *lru) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.order.Len()
}
