package idwise

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gbggen/gbggen/idwise/flow"
)

// Credentials are the API key and secret the emulator accepts as HTTP Basic credentials.
type Credentials struct {
	Key    string
	Secret string
}

// DefaultCredentials is the documented default pair.
var DefaultCredentials = Credentials{Key: "idwise-demo", Secret: "idwise-demo-secret"}

// DefaultPrefix is the path prefix of IDWise's API reference pages.
const DefaultPrefix = "/journey/v2"

// guidePrefix is the prefix the integration guide writes (/v2/start-journey…).
const guidePrefix = "/v2"

// Option configures a Server.
type Option func(*config)

type config struct {
	creds        Credentials
	prefix       string
	flows        fs.FS
	flowsDir     string
	now          func() time.Time
	log          *slog.Logger
	delay        time.Duration
	pollInterval time.Duration
	ttl          time.Duration
	maxJourneys  int
	maxJSON      int64
	maxUpload    int64
	webhook      *Webhook
}

// WithCredentials replaces DefaultCredentials.
func WithCredentials(c Credentials) Option { return func(cfg *config) { cfg.creds = c } }

// WithPrefix serves the API below prefix instead of DefaultPrefix ("/journey/v2"). The
// guide's /v2/… paths are served whatever the prefix.
func WithPrefix(prefix string) Option { return func(cfg *config) { cfg.prefix = prefix } }

// WithFlowsDir serves the flows in dir (every *.json file; see the package documentation)
// instead of the built-in demo flow.
func WithFlowsDir(dir string) Option {
	return func(cfg *config) { cfg.flowsDir = dir; cfg.flows = nil }
}

// WithFlows serves the flows in fsys, laid out like a flows directory.
func WithFlows(fsys fs.FS) Option { return func(cfg *config) { cfg.flows = fsys; cfg.flowsDir = "" } }

// WithClock replaces time.Now for step processing, the summary's poll floor, journey expiry
// and timestamps.
func WithClock(now func() time.Time) Option { return func(cfg *config) { cfg.now = now } }

// WithLogger logs one line per request and per webhook attempt; the default discards.
func WithLogger(l *slog.Logger) Option { return func(cfg *config) { cfg.log = l } }

// WithProcessingDelay sets how long a submitted step stays "processing" (default 1 s).
func WithProcessingDelay(d time.Duration) Option { return func(cfg *config) { cfg.delay = d } }

// WithSummaryInterval sets the least time between two answered summary polls of one journey
// by one credential (default 2 s, IDWise's documented floor); faster polls get 429.
func WithSummaryInterval(d time.Duration) Option {
	return func(cfg *config) { cfg.pollInterval = d }
}

// WithJourneyLimits bounds the journeys kept: each is forgotten ttl after it started
// (default 24 h), and when max are kept (default 10,000) starting one forgets the oldest.
func WithJourneyLimits(ttl time.Duration, max int) Option {
	return func(cfg *config) { cfg.ttl, cfg.maxJourneys = ttl, max }
}

// WithMaxBodyBytes bounds request bodies: JSON calls without images, and step uploads
// (default 64 KiB and 16 MiB).
func WithMaxBodyBytes(json, upload int64) Option {
	return func(cfg *config) { cfg.maxJSON, cfg.maxUpload = json, upload }
}

// WithWebhook posts a Finished Journey event to w.URL when a journey completes.
func WithWebhook(w Webhook) Option { return func(cfg *config) { cfg.webhook = &w } }

// Server is the IDWise emulator, an http.Handler. Owns tells which requests are its own, so
// that it can share a listener with another emulator.
type Server struct {
	cfg   config
	flows catalog
	store *store
	hooks *deliverer
}

// New builds an emulator; without options it serves the demo flow (DemoFlowID) and accepts
// DefaultCredentials.
func New(opts ...Option) (*Server, error) {
	cfg := config{
		creds:        DefaultCredentials,
		prefix:       DefaultPrefix,
		now:          time.Now,
		log:          slog.New(slog.DiscardHandler),
		delay:        time.Second,
		pollInterval: 2 * time.Second,
		ttl:          24 * time.Hour,
		maxJourneys:  10000,
		maxJSON:      64 << 10,
		maxUpload:    16 << 20,
	}
	for _, o := range opts {
		o(&cfg)
	}
	cfg.prefix = "/" + strings.Trim(cfg.prefix, "/")
	switch {
	case cfg.creds.Key == "" || cfg.creds.Secret == "":
		return nil, errors.New("idwise: API key and secret must not be empty")
	case cfg.prefix == "/" || strings.ContainsAny(cfg.prefix, "?#") || cfg.prefix == guidePrefix:
		return nil, fmt.Errorf("idwise: prefix %q: want a path such as %s, other than %s", cfg.prefix, DefaultPrefix, guidePrefix)
	case cfg.delay < 0 || cfg.pollInterval < 0 || cfg.ttl <= 0 || cfg.maxJourneys <= 0 || cfg.maxJSON <= 0 || cfg.maxUpload <= 0:
		return nil, errors.New("idwise: delays must not be negative, limits must be positive")
	}
	if cfg.flowsDir != "" {
		st, err := os.Stat(cfg.flowsDir)
		if err != nil {
			return nil, fmt.Errorf("idwise: flows: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("idwise: flows: %s is not a directory", cfg.flowsDir)
		}
		cfg.flows = os.DirFS(cfg.flowsDir)
	}
	if cfg.flows == nil {
		cfg.flows = DemoFS()
	}
	flows, err := loadFlows(cfg.flows)
	if err != nil {
		return nil, fmt.Errorf("idwise: %w", err)
	}
	s := &Server{cfg: cfg, flows: flows, store: newStore(cfg.ttl, cfg.maxJourneys)}
	if cfg.webhook != nil {
		if s.hooks, err = newDeliverer(*cfg.webhook, cfg.log); err != nil {
			return nil, fmt.Errorf("idwise: webhook: %w", err)
		}
	}
	return s, nil
}

// Credentials returns the credentials accepted.
func (s *Server) Credentials() Credentials { return s.cfg.creds }

// Prefix returns the path prefix of the reference paths (DefaultPrefix unless configured).
func (s *Server) Prefix() string { return s.cfg.prefix }

// FlowIDs lists the flows served.
func (s *Server) FlowIDs() []string { return s.flows.ids() }

// Flow returns the flow with the given ID: a copy, which the caller may change.
func (s *Server) Flow(id string) (flow.Flow, bool) {
	f, ok := s.flows[id]
	if !ok {
		return flow.Flow{}, false
	}
	c := *f
	c.Steps = slices.Clone(f.Steps)
	return c, true
}

// Close stops webhook deliveries still retrying and waits for those in flight to end.
func (s *Server) Close() {
	if s.hooks != nil {
		s.hooks.close()
	}
}

// WaitDeliveries waits until no webhook delivery is pending or ctx ends.
func (s *Server) WaitDeliveries(ctx context.Context) error {
	if s.hooks == nil {
		return nil
	}
	return s.hooks.wait(ctx)
}

// Operations.
const (
	opStart    = "start-journey"
	opProcess  = "process-journey-step"
	opComplete = "complete-journey"
	opSummary  = "summary"
	opResult   = "get-journey-result"
	opDelete   = "delete"
)

// route finds the operation of a path and the journey ID the path carries, if any. The
// reference paths are <prefix>/start-journey, …/process-journey-step, …/complete-journey,
// …/summary/ (journey_id as query parameter) or …/summary/<journey_id>,
// …/get-journey-result, and DELETE /journey/<journey_id>; the guide's are /v2/start-journey,
// /v2/process-journey-step, /v2/complete-journey, /v2/get-journey-summary and
// /v2/get-journey-result.
func (s *Server) route(path string) (op, id string, ok bool) {
	for _, prefix := range []string{s.cfg.prefix, guidePrefix} {
		rest, found := strings.CutPrefix(path, prefix+"/")
		if !found {
			continue
		}
		switch rest {
		case opStart, opProcess, opComplete:
			return rest, "", true
		case "get-journey-summary":
			return opSummary, "", true
		case opResult:
			return opResult, "", true
		}
		if prefix == guidePrefix {
			continue
		}
		if rest == opSummary || rest == opSummary+"/" {
			return opSummary, "", true
		}
		if jid, found := strings.CutPrefix(rest, opSummary+"/"); found && validID(jid) {
			return opSummary, jid, true
		}
	}
	if jid, found := strings.CutPrefix(path, "/journey/"); found && validID(jid) && jid != strings.TrimPrefix(s.cfg.prefix, "/journey/") {
		return opDelete, jid, true
	}
	return "", "", false
}

// validID accepts a path segment that can be a journey ID.
func validID(id string) bool {
	return id != "" && len(id) <= 128 && !strings.ContainsAny(id, "/?#")
}

var methods = map[string]string{
	opStart: http.MethodPost, opProcess: http.MethodPost, opComplete: http.MethodPost,
	opSummary: http.MethodGet, opResult: http.MethodGet, opDelete: http.MethodDelete,
}

// Owns reports whether r is for this emulator: a path under the prefix or one of the guide's
// /v2 paths, or DELETE /journey/<id> when id is a UUID (the form of IDWise's journey IDs) or
// the request carries Basic credentials. Other requests for /journey/<id> are left to whoever
// shares the listener: GBG's hosted page is served there.
func (s *Server) Owns(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, s.cfg.prefix+"/") {
		return true
	}
	op, id, ok := s.route(r.URL.Path)
	if !ok || op != opDelete {
		return ok
	}
	_, _, basic := r.BasicAuth()
	return r.Method == http.MethodDelete && (uuidPattern.MatchString(id) || basic)
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// apiError is an error answer: {"success": false, "message", "error_code"}.
type apiError struct {
	status     int
	code       string
	message    string
	retryAfter string
}

func (e *apiError) Error() string { return e.message }

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, e *apiError) {
	if e.retryAfter != "" {
		w.Header().Set("Retry-After", e.retryAfter)
	}
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="IDWise"`)
	}
	writeJSON(w, e.status, map[string]any{"success": false, "message": e.message, "error_code": e.code})
}

// statusWriter remembers the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// ServeHTTP answers one request: routing, method, authentication (before any of the body is
// read), then the operation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.cfg.log.Error("idwise: panic", "path", r.URL.Path, "panic", fmt.Sprint(v))
			if sw.status == 0 {
				writeError(sw, errorf(http.StatusInternalServerError, "internal_error", "internal error"))
			}
		}
		s.cfg.log.Info("idwise request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"duration", time.Since(start).Round(time.Microsecond))
	}()
	if err := s.serve(sw, r); err != nil {
		writeError(sw, err)
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) *apiError {
	op, id, ok := s.route(r.URL.Path)
	if !ok {
		return errorf(http.StatusNotFound, "not_found", "no operation at %s", r.URL.Path)
	}
	if want := methods[op]; r.Method != want {
		w.Header().Set("Allow", want)
		return errorf(http.StatusMethodNotAllowed, "method_not_allowed", "%s %s: method not allowed, use %s", r.Method, r.URL.Path, want)
	}
	key, err := s.authenticate(r)
	if err != nil {
		return err
	}
	switch op {
	case opStart:
		return s.start(w, r)
	case opProcess:
		return s.process(w, r)
	case opComplete:
		return s.complete(w, r)
	case opSummary:
		if id == "" {
			id = r.URL.Query().Get("journey_id")
		}
		return s.summary(w, key, id)
	case opResult:
		return s.result(w, r.URL.Query().Get("journey_id"))
	default:
		return s.delete(w, id)
	}
}

// authenticate checks the Basic credentials in constant time and returns the API key.
func (s *Server) authenticate(r *http.Request) (string, *apiError) {
	if r.Header.Get("Authorization") == "" {
		return "", errorf(http.StatusUnauthorized, "missing_authorization_header", "missing Authorization header: send the API key and secret as HTTP Basic credentials")
	}
	key, secret, ok := r.BasicAuth()
	keyOK := subtle.ConstantTimeCompare([]byte(key), []byte(s.cfg.creds.Key))
	secretOK := subtle.ConstantTimeCompare([]byte(secret), []byte(s.cfg.creds.Secret))
	if !ok || keyOK&secretOK != 1 {
		return "", errorf(http.StatusUnauthorized, "invalid_credentials", "invalid API key or secret")
	}
	return key, nil
}

// retryAfter renders a wait as whole seconds, rounded up, at least 1.
func retryAfter(d time.Duration) string {
	return fmt.Sprint(max(1, int(math.Ceil(d.Seconds()))))
}
