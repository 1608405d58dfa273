package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/gbggen/gbggen/generated"
	apispec "github.com/gbggen/gbggen/generated/spec"
	"github.com/gbggen/gbggen/sandbox/idwise"
)

// Option configures a Server.
type Option func(*config)

type config struct {
	journeys     fs.FS
	journeysDir  string
	creds        Credentials
	now          func() time.Time
	log          *slog.Logger
	tokenTTL     time.Duration
	connectTTL   time.Duration
	endUserTTL   time.Duration
	maxBodyBytes int64
	idwise       *idwise.Server
	idwiseSet    bool
	timeouts     Timeouts
	instanceTTL  time.Duration
	maxInstances int
}

// MaxTokenBodyBytes bounds the body of a token request, which anyone may send: a form of
// four short fields needs far less.
const MaxTokenBodyBytes = 64 << 10

// WithMaxBodyBytes bounds the request body of an authenticated call (default 1 MiB, some 35
// times a full GBG prefill); a longer body is refused with 400 after n+1 bytes.
func WithMaxBodyBytes(n int64) Option { return func(c *config) { c.maxBodyBytes = n } }

// Timeouts are the connection timeouts Serve sets on its http.Server (see http.Server for
// each); a zero field keeps DefaultTimeouts'.
type Timeouts struct {
	ReadHeader time.Duration // to read a request's header
	Read       time.Duration // to read a whole request, body included
	Write      time.Duration // from the end of the request header to the end of the answer
	Idle       time.Duration // a kept-alive connection waiting for its next request
}

// DefaultTimeouts are Serve's timeouts. Write leaves room for the longest latency scenario
// (MaxLatency).
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 30 * time.Second, Idle: 2 * time.Minute}

// WithTimeouts sets Serve's connection timeouts. A Server used as an http.Handler by
// another http.Server (httptest, say) gets that server's timeouts instead.
func WithTimeouts(t Timeouts) Option { return func(c *config) { c.timeouts = t } }

// WithInstanceTTL sets how long a finished (completed or failed) journey instance is kept
// after it finished (default one hour); then it is forgotten, as if deleted.
func WithInstanceTTL(d time.Duration) Option { return func(c *config) { c.instanceTTL = d } }

// WithMaxInstances bounds the journey instances kept (default 10,000). A start at the bound
// forgets the instance that finished first; when every instance is in progress, the start
// is refused with 503 until one finishes or is deleted.
func WithMaxInstances(n int) Option { return func(c *config) { c.maxInstances = n } }

// WithJourneysDir serves the journeys in directory dir (see the package documentation for
// the format) instead of the built-in demo set.
func WithJourneysDir(dir string) Option {
	return func(c *config) { c.journeysDir = dir; c.journeys = nil }
}

// WithJourneys serves the journeys in fsys, laid out like a journeys directory.
func WithJourneys(fsys fs.FS) Option {
	return func(c *config) { c.journeys = fsys; c.journeysDir = "" }
}

// WithCredentials replaces DefaultCredentials.
func WithCredentials(cr Credentials) Option { return func(c *config) { c.creds = cr } }

// WithClock replaces time.Now: token, connect-token and end-user-token expiry and the
// timestamps the API reports all read it.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithLogger logs one line per request (and prefill fields dropped) to l. The default
// discards.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// WithTokenTTL sets the lifetime of access tokens (default one hour).
func WithTokenTTL(d time.Duration) Option { return func(c *config) { c.tokenTTL = d } }

// WithConnectTokenTTL sets the lifetime of device connect tokens (default 120 s).
func WithConnectTokenTTL(d time.Duration) Option { return func(c *config) { c.connectTTL = d } }

// WithEndUserTokenTTL sets the lifetime of end-user tokens (default one hour).
func WithEndUserTokenTTL(d time.Duration) Option { return func(c *config) { c.endUserTTL = d } }

// WithIDWise serves the IDWise emulator srv on IDWise's paths too (see package
// sandbox/idwise); nil serves none. The default is idwise.New(): the demo flow and
// idwise.DefaultCredentials.
func WithIDWise(srv *idwise.Server) Option {
	return func(c *config) { c.idwise, c.idwiseSet = srv, true }
}

// Server is the emulator: an http.Handler serving the GBG GO journey API.
type Server struct {
	cfg     config
	cat     *catalog
	store   *store
	tok     *tokens
	counts  scenarioCounts
	routes  map[string]map[string]*routers.Route // path → method → route
	api     http.Handler
	valOpts *openapi3filter.Options
}

// New builds an emulator. Without options it serves the built-in demo journeys and accepts
// DefaultCredentials.
func New(opts ...Option) (*Server, error) {
	cfg := config{
		creds:        DefaultCredentials,
		now:          time.Now,
		log:          slog.New(slog.DiscardHandler),
		tokenTTL:     time.Hour,
		connectTTL:   120 * time.Second,
		endUserTTL:   time.Hour,
		maxBodyBytes: 1 << 20,
		instanceTTL:  time.Hour,
		maxInstances: 10000,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.journeysDir != "" {
		st, err := os.Stat(cfg.journeysDir)
		if err != nil {
			return nil, fmt.Errorf("journeys: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("journeys: %s is not a directory", cfg.journeysDir)
		}
		cfg.journeys = os.DirFS(cfg.journeysDir)
	}
	if cfg.journeys == nil {
		cfg.journeys = DemoFS()
	}
	if err := cfg.checkLimits(); err != nil {
		return nil, err
	}
	if cfg.creds.ClientID == "" || cfg.creds.ClientSecret == "" {
		return nil, errors.New("credentials: client ID and secret must not be empty")
	}
	if !cfg.idwiseSet {
		srv, err := idwise.New()
		if err != nil {
			return nil, err
		}
		cfg.idwise = srv
	}
	cat, err := loadCatalog(cfg.journeys)
	if err != nil {
		return nil, err
	}
	spec, err := loadSpec()
	if err != nil {
		return nil, fmt.Errorf("embedded spec: %w", err)
	}
	s := &Server{
		cfg:     cfg,
		cat:     cat,
		store:   newStore(cfg.now, cfg.instanceTTL, cfg.maxInstances),
		tok:     newTokens(),
		routes:  map[string]map[string]*routers.Route{},
		valOpts: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	for path, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			if s.routes[path] == nil {
				s.routes[path] = map[string]*routers.Route{}
			}
			s.routes[path][method] = &routers.Route{Spec: spec, Path: path, PathItem: item, Method: method, Operation: op}
		}
	}
	strict := generated.NewStrictHandlerWithOptions(&handlers{s}, nil, generated.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, r, errorf(http.StatusBadRequest, "%v", err))
		},
		ResponseErrorHandlerFunc: writeError,
	})
	s.api = generated.HandlerWithOptions(strict, generated.StdHTTPServerOptions{
		BaseRouter: http.NewServeMux(),
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, r, errorf(http.StatusBadRequest, "%v", err))
		},
	})
	return s, nil
}

// loadSpec parses the embedded spec once; the parsed document is only read afterwards, so
// every Server shares it.
var loadSpec = sync.OnceValues(func() (*openapi3.T, error) {
	spec, err := apispec.GetSpec()
	if err != nil {
		return nil, err
	}
	spec.Servers = nil // any host matches
	for _, item := range spec.Paths.Map() {
		item.Servers = nil
	}
	return spec, nil
})

// Journeys lists the journeys served.
func (s *Server) Journeys() []JourneyInfo { return s.cat.list() }

// IDWise returns the IDWise emulator served alongside, or nil.
func (s *Server) IDWise() *idwise.Server { return s.cfg.idwise }

// Credentials returns the credentials the token endpoint accepts.
func (s *Server) Credentials() Credentials { return s.cfg.creds }

// Publish publishes a new version of journey key (a directory name; a new key creates the
// journey with resource ID ResourceIDFor(key)). The version becomes what @latest resolves
// to; instances already started keep the version they started with. It returns the pinned
// resource ID "<id>@<version>".
func (s *Server) Publish(key string, v Version) (string, error) { return s.cat.publish(key, v) }

// statusWriter remembers the status code for the request log.
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

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// ServeHTTP answers one request: request ID, routing, authentication, scenario, the body
// read and validated against the spec, then the operation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rid := randomHex(16)
	w.Header().Set("X-Request-ID", rid) // on IDWise's paths too: every response has one
	if s.cfg.idwise != nil && s.cfg.idwise.Owns(r) {
		s.cfg.idwise.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	r = r.WithContext(context.WithValue(r.Context(), keyRequestID, rid))
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.cfg.log.Error("panic", "request_id", rid, "path", r.URL.Path, "panic", fmt.Sprint(v))
			if sw.status == 0 {
				writeError(sw, r, errorf(http.StatusInternalServerError, "internal error"))
			}
		}
		s.cfg.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"duration", time.Since(start).Round(time.Microsecond), "request_id", rid)
	}()
	if err := s.serve(sw, r); err != nil {
		writeError(sw, r, err)
	}
}

// serve routes r, then authenticates it from its header alone, so that nothing an
// unauthenticated caller sends (body, scenario) costs more than its header. Only then are
// the scenario applied and the body read, bounded, and validated against the spec.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) error {
	methods := s.routes[r.URL.Path]
	if id, ok := hostedID(r.URL.Path); ok && methods == nil {
		return s.serveHosted(w, r, id)
	}
	if methods == nil {
		return errorf(http.StatusNotFound, "no operation at %s", r.URL.Path)
	}
	route := methods[r.Method]
	if route == nil {
		allowed := make([]string, 0, len(methods))
		for m := range methods {
			allowed = append(allowed, m)
		}
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		return errorf(http.StatusMethodNotAllowed, "%s %s: method not allowed", r.Method, r.URL.Path)
	}
	op := route.Operation.OperationID

	p, err := s.authenticate(r, op)
	if err != nil {
		return err
	}
	r = r.WithContext(context.WithValue(r.Context(), keyPrincipal, p))

	if h := r.Header.Get(ScenarioHeader); h != "" {
		if len(h) > MaxScenarioBytes {
			return &apiError{status: http.StatusBadRequest, location: "Header",
				message: fmt.Sprintf("%s: %d bytes, longer than the %d allowed", ScenarioHeader, len(h), MaxScenarioBytes)}
		}
		sc, err := parseScenario(h)
		if err != nil {
			return &apiError{status: http.StatusBadRequest, message: err.Error(), location: "Header"}
		}
		if sc != nil {
			if err := s.applyScenario(r.Context(), sc); err != nil {
				return err
			}
			r = r.WithContext(context.WithValue(r.Context(), keyScenario, sc))
		}
	}

	limit := s.cfg.maxBodyBytes
	if op == "GetToken" { // anyone may call it: its body is the credentials
		limit = min(limit, MaxTokenBodyBytes)
	}
	if err := readBody(w, r, limit); err != nil {
		return err
	}
	in := &openapi3filter.RequestValidationInput{Request: r, Route: route, Options: s.valOpts}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		return validationError(r.URL.Path, err)
	}
	s.api.ServeHTTP(w, r)
	return nil
}

// readBody reads r's body, refusing one longer than limit bytes, and puts it back in r for
// the validator and the operation to decode. A JSON body must be one JSON value and nothing
// after it but whitespace: the decoders downstream stop after the first value and would
// ignore the rest.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) error {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return validationError(r.URL.Path, err)
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	if isJSON(r.Header.Get("Content-Type")) && !json.Valid(b) {
		if off, ok := trailingData(b); ok {
			return errorf(http.StatusBadRequest, "request body: unexpected data after the JSON value, at byte %d; send one JSON value", off)
		}
		// Malformed JSON: the validator says what is wrong with it.
	}
	return nil
}

// trailingData reports whether b is a JSON value followed by something other than
// whitespace, and the offset of that something.
func trailingData(b []byte) (int64, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		return 0, false
	}
	off := dec.InputOffset()
	for off < int64(len(b)) && strings.IndexByte(" \t\r\n", b[off]) >= 0 {
		off++
	}
	return off, off < int64(len(b))
}

// isJSON reports whether a Content-Type is JSON: application/json or a +json type.
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

func (s *Server) applyScenario(ctx context.Context, sc *scenario) error {
	if sc.latency > 0 {
		t := time.NewTimer(sc.latency)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return errorf(http.StatusServiceUnavailable, "request cancelled")
		}
	}
	if sc.rateLimit == 0 && sc.unavailable == 0 {
		return nil
	}
	n := s.counts.hit(sc.raw)
	retry := strconv.Itoa(sc.retryAfter)
	if sc.rateLimit < 0 || n <= sc.rateLimit {
		return &apiError{status: http.StatusTooManyRequests, message: "rate limit exceeded (scenario)", retryAfter: retry}
	}
	if sc.unavailable < 0 || n <= sc.unavailable {
		return &apiError{status: http.StatusServiceUnavailable, message: "service unavailable (scenario)", retryAfter: retry}
	}
	return nil
}

func scenarioFrom(ctx context.Context) *scenario {
	sc, _ := ctx.Value(keyScenario).(*scenario)
	return sc
}

// validationError turns an openapi3filter error into a documented error answer.
func validationError(path string, err error) *apiError {
	ae := &apiError{status: http.StatusBadRequest, message: err.Error()}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		ae.message = fmt.Sprintf("request body larger than %d bytes", mbe.Limit)
		return ae
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		ptr := "/" + strings.Join(se.JSONPointer(), "/")
		if ptr == "/" {
			ptr = ""
		}
		ae.message = "request body does not match the API: " + ptr + ": " + se.Reason
		ae.violations = []Violation{{Pointer: ptr, Message: se.Reason}}
		if se.SchemaField != "required" && shapeFor(path) == shapeV2 {
			ae.status = http.StatusConflict // v2: 4003 INVALID_FIELD
		}
		if se.SchemaField == "enum" && len(se.JSONPointer()) == 1 && se.JSONPointer()[0] == "grant_type" {
			ae.oauth = "unsupported_grant_type"
		}
		return ae
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) {
		ae.message = "invalid request: " + re.Error()
		if re.Parameter != nil {
			ae.location = "Header"
		}
	}
	return ae
}

// endUserOps are the operations an end-user token may call (for its own instance).
var endUserOps = map[string]bool{"UpdateTask": true, "ListTasks": true, "ListTaskSchemas": true, "GetTaskSchema": true}

func (s *Server) authenticate(r *http.Request, op string) (principal, error) {
	if op == "GetToken" {
		return principal{}, nil
	}
	tok := bearer(r)
	if tok == "" {
		return principal{}, &apiError{status: http.StatusUnauthorized, message: "missing Bearer token in Authorization header", location: "Header"}
	}
	if op == "ConnectDevice" {
		if !s.tok.isConnect(tok) {
			return principal{}, &apiError{status: http.StatusUnauthorized, message: "unknown connect token", location: "Header"}
		}
		return principal{connectTok: tok}, nil
	}
	now := s.cfg.now()
	if known, valid := s.tok.validAccess(tok, now); known {
		if !valid {
			return principal{}, &apiError{status: http.StatusUnauthorized, message: "access token expired", location: "Header"}
		}
		return principal{backend: true}, nil
	}
	claims, err := s.tok.parseEndUser(tok, now)
	switch {
	case err == nil:
		if !endUserOps[op] {
			return principal{}, &apiError{status: http.StatusForbidden, message: "an end-user token may only work on the tasks of its own instance", location: "Header"}
		}
		return principal{endUser: claims.InstanceID}, nil
	case !errors.Is(err, errNotEndUser):
		return principal{}, &apiError{status: http.StatusUnauthorized, message: err.Error(), location: "Header"}
	}
	if s.tok.isConnect(tok) {
		return principal{}, &apiError{status: http.StatusUnauthorized, message: "a connect token authorises device/connect only", location: "Header"}
	}
	return principal{}, &apiError{status: http.StatusUnauthorized, message: "invalid access token", location: "Header"}
}

// checkLimits refuses limits that would make the emulator useless, and fills in the
// timeouts left zero.
func (c *config) checkLimits() error {
	switch {
	case c.maxBodyBytes < 1:
		return fmt.Errorf("max body bytes %d: want at least 1", c.maxBodyBytes)
	case c.instanceTTL <= 0:
		return fmt.Errorf("instance TTL %s: want a positive duration", c.instanceTTL)
	case c.maxInstances < 1:
		return fmt.Errorf("max instances %d: want at least 1", c.maxInstances)
	}
	t := &c.timeouts
	for _, f := range []struct {
		name string
		d    *time.Duration
		def  time.Duration
	}{{"read header", &t.ReadHeader, DefaultTimeouts.ReadHeader}, {"read", &t.Read, DefaultTimeouts.Read},
		{"write", &t.Write, DefaultTimeouts.Write}, {"idle", &t.Idle, DefaultTimeouts.Idle}} {
		if *f.d < 0 {
			return fmt.Errorf("%s timeout %s: want a positive duration (or 0 for the default)", f.name, *f.d)
		}
		if *f.d == 0 {
			*f.d = f.def
		}
	}
	return nil
}

// Serve answers requests on ln until ctx is cancelled, then shuts down gracefully (waiting up
// to 10 s for requests in flight). It returns nil after a clean shutdown. Connections are
// closed by the timeouts of WithTimeouts (DefaultTimeouts).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	t := s.cfg.timeouts
	hs := &http.Server{Handler: s, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read,
		WriteTimeout: t.Write, IdleTimeout: t.Idle}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}
