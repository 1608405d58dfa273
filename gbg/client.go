package gbg

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gbggen/gbggen/generated"
	"github.com/gbggen/gbggen/internal/transport"
)

// Client calls the GBG GO journey API on behalf of a backend. It is safe for
// concurrent use; make one and share it.
//
// A Client never prints its credentials: fmt shows the base URL, client ID
// and grant only.
type Client struct {
	baseURL string
	grant   string
	conn
	creds     *credentials
	tokens    *tokenCache
	tokenHTTP *http.Client
	api       *generated.ClientWithResponses
}

// conn is what the calls need: the generated client over an authenticating,
// retrying doer. A Client and a DeviceClient each have one.
type conn struct {
	raw *generated.Client
	st  *settings
}

// New returns a Client for cfg. It checks the configuration but does not
// contact the server: the first call fetches the access token.
func New(cfg Config) (*Client, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("gbg: Config.ClientID and Config.ClientSecret are required")
	}
	if cfg.Username != "" && cfg.Password == "" {
		return nil, errors.New("gbg: Config.Password is required with Config.Username (password grant)")
	}
	base := cfg.BaseURL
	if base == "" {
		base = cfg.Region.BaseURL()
		if base == "" {
			return nil, fmt.Errorf("gbg: unknown region %q (want eu, us or au)", string(cfg.Region))
		}
	}
	if err := checkURL(base); err != nil {
		return nil, fmt.Errorf("gbg: Config.BaseURL: %w", err)
	}
	tokenURL := cfg.tokenURL(base)
	if err := checkURL(tokenURL); err != nil {
		return nil, fmt.Errorf("gbg: Config.TokenURL: %w", err)
	}

	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxResponseBytes < 0 {
		return nil, errors.New("gbg: Config.MaxResponseBytes is negative")
	}
	st := &settings{
		log:     log,
		policy:  cfg.Retry.withDefaults(),
		scrub:   transport.NewScrubber(cfg.ClientSecret, cfg.Password),
		maxBody: cmp.Or(cfg.MaxResponseBytes, DefaultMaxResponseBytes),
		now:     time.Now,
		sleep:   transport.Sleep,
		jitter: func(n int64) int64 {
			if n <= 0 {
				return 0
			}
			return rand.Int64N(n)
		},
	}
	c := &Client{
		baseURL: strings.TrimSuffix(base, "/"),
		grant:   "client_credentials",
		conn:    conn{st: st},
		creds: &credentials{
			clientID: cfg.ClientID, clientSecret: cfg.ClientSecret,
			username: cfg.Username, password: cfg.Password,
			tokenURL: tokenURL,
		},
	}
	if cfg.Username != "" {
		c.grant = "password"
	}
	// A copy of the configured client, so that its redirect policy can be
	// made safe without changing the caller's.
	api := *hc
	api.CheckRedirect = st.checkRedirect(hc.CheckRedirect)
	st.hc = &api
	tokenHTTP := api
	base0 := hc.Transport
	if base0 == nil {
		base0 = http.DefaultTransport
	}
	tokenHTTP.Transport = &logTransport{base: base0, st: st}
	c.tokenHTTP = &tokenHTTP
	c.tokens = &tokenCache{fetch: c.fetchToken, now: func() time.Time { return st.now() }}

	var err error
	c.raw, err = c.newRaw(c.tokens)
	if err != nil {
		return nil, err
	}
	c.api = &generated.ClientWithResponses{ClientInterface: c.raw}
	return c, nil
}

func (c *Client) newRaw(ts tokenSource) (*generated.Client, error) {
	raw, err := generated.NewClient(c.baseURL, generated.WithHTTPClient(&doer{st: c.st, tokens: ts}))
	if err != nil {
		return nil, fmt.Errorf("gbg: %w", err)
	}
	return raw, nil
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return nil
}

// API returns the generated client for the whole API, for what the methods of
// Client do not cover. Its requests carry the access token and are retried
// like those of Client; responses are returned as they are (no *APIError).
func (c *Client) API() *generated.ClientWithResponses { return c.api }

// BaseURL returns the platform URL the client sends journey calls to.
func (c *Client) BaseURL() string { return c.baseURL }

// TokenURL returns the token endpoint the client sends its credentials to.
func (c *Client) TokenURL() string { return c.creds.tokenURL }

// Format implements fmt.Formatter. It prints the base URL, client ID and
// grant; never a secret or token.
func (c Client) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprintf(f, "&gbg.Client{BaseURL:%q, ClientID:%q, Grant:%q}", c.baseURL, c.creds.clientID, c.grant)
		return
	}
	fmt.Fprintf(f, "gbg.Client{BaseURL:%s ClientID:%s Grant:%s}", c.baseURL, c.creds.clientID, c.grant)
}

// String describes the client without secrets.
func (c Client) String() string { return fmt.Sprint(c) }

// LogValue implements slog.LogValuer without secrets.
func (c Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("base_url", c.baseURL), slog.String("client_id", c.creds.clientID), slog.String("grant", c.grant))
}

// call finishes a request: it turns a transport error or an error status into
// an error and decodes a success body into out (if not nil).
func (cn *conn) call(op string, resp *http.Response, err error, out any) error {
	if err != nil {
		// Errors of the token request name their own operation.
		var apiErr *APIError
		var scrubbed *scrubbedError
		if errors.As(err, &apiErr) || errors.As(err, &scrubbed) {
			return err
		}
		return cn.st.transportError(op, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		// What matters in an error body is at its start; the rest is not
		// read, whatever its size.
		body, _ := io.ReadAll(io.LimitReader(resp.Body, transport.ErrorReadLimit))
		return cn.st.newAPIError(op, resp, body)
	}
	body, err := io.ReadAll(resp.Body) // limited: see doer.Do
	if err != nil {
		return cn.st.transportError(op, fmt.Errorf("reading response: %w", err))
	}
	if out == nil {
		return nil
	}
	if raw, ok := out.(*json.RawMessage); ok {
		if !json.Valid(body) {
			// Unmarshal says what is wrong, with a *json.SyntaxError.
			err := json.Unmarshal(body, new(any))
			return fmt.Errorf("gbg: %s: response is not JSON: %w", op, err)
		}
		*raw = json.RawMessage(body)
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("gbg: %s: decoding response: %w", op, err)
	}
	return nil
}

const jsonType = "application/json"

// jsonObject marshals v and checks that it is a JSON object. A nil v, or one
// that marshals to null, yields nil.
func jsonObject(what string, v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil, nil
	}
	if len(b) == 0 || b[0] != '{' {
		return nil, fmt.Errorf("%s must marshal to a JSON object, not %s", what, truncate(b, 20))
	}
	return b, nil
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

func required(op string, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			return fmt.Errorf("gbg: %s: %s is empty", op, pairs[i])
		}
	}
	return nil
}

func bearer(tok string) generated.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+tok)
		return nil
	}
}
