package idwise

import (
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
	"sync"
	"time"

	gen "github.com/gbggen/gbggen/generated/idwise"
	"github.com/gbggen/gbggen/internal/transport"
)

// Client calls IDWise's Journey Builder API on behalf of a backend. It is
// safe for concurrent use; make one and share it.
//
// A Client never prints its credentials: fmt shows the base URL and path
// prefix only.
type Client struct {
	baseURL  string
	basePath string // the path of baseURL, without a trailing slash
	prefix   string
	st       *settings
	raw      *gen.Client

	mu          sync.Mutex
	lastSummary map[string]time.Time // when each journey's next summary may be sent
}

// New returns a Client for cfg. It checks the configuration but does not
// contact the server.
func New(cfg Config) (*Client, error) {
	if cfg.APIKey == "" || cfg.APISecret == "" {
		return nil, errors.New("idwise: Config.APIKey and Config.APISecret are required")
	}
	base := cfg.BaseURL
	if base == "" {
		base = cfg.Region.BaseURL()
		if base == "" {
			return nil, fmt.Errorf("idwise: unknown region %q (want eu, uae or qatar)", string(cfg.Region))
		}
	}
	u, err := checkURL(base)
	if err != nil {
		return nil, fmt.Errorf("idwise: Config.BaseURL: %w", err)
	}
	prefix, err := pathPrefix(cfg.PathPrefix)
	if err != nil {
		return nil, err
	}
	if cfg.MaxResponseBytes < 0 {
		return nil, errors.New("idwise: Config.MaxResponseBytes is negative")
	}
	hc := &http.Client{Timeout: 60 * time.Second}
	if cfg.HTTPClient != nil {
		// A copy, so that its redirect policy can be made safe without
		// changing the caller's.
		api := *cfg.HTTPClient
		hc = &api
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Client{
		baseURL:     strings.TrimSuffix(base, "/"),
		basePath:    strings.TrimSuffix(u.Path, "/"),
		prefix:      prefix,
		lastSummary: map[string]time.Time{},
		st: &settings{
			hc: hc, log: log, policy: cfg.Retry.withDefaults(),
			maxBody: cmp.Or(cfg.MaxResponseBytes, DefaultMaxResponseBytes),
			key:     cfg.APIKey, secret: cfg.APISecret, scrub: newScrubber(cfg.APIKey, cfg.APISecret),
			now: time.Now, sleep: transport.Sleep,
			jitter: func(n int64) int64 {
				if n <= 0 {
					return 0
				}
				return rand.Int64N(n)
			},
		},
	}
	hc.CheckRedirect = c.st.checkRedirect(hc.CheckRedirect)
	c.raw, err = gen.NewClient(c.baseURL, gen.WithHTTPClient(&doer{st: c.st}))
	if err != nil {
		return nil, fmt.Errorf("idwise: %w", err)
	}
	return c, nil
}

func checkURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, errors.New("not a URL") // url's message would repeat s, credentials and all
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute http(s) URL", u.Redacted())
	}
	if u.User != nil {
		return nil, errors.New("it carries credentials: set APIKey and APISecret instead")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q has a query or fragment", s)
	}
	return u, nil
}

// BaseURL returns the URL the client sends requests to, before the prefix.
func (c *Client) BaseURL() string { return c.baseURL }

// PathPrefix returns the prefix of the Journey Builder paths, such as
// "/journey/v2" ("" for none).
func (c *Client) PathPrefix() string { return c.prefix }

// Format implements fmt.Formatter. It prints the base URL and path prefix;
// never a credential.
func (c *Client) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprintf(f, "&idwise.Client{BaseURL:%q, PathPrefix:%q}", c.baseURL, c.prefix)
		return
	}
	fmt.Fprintf(f, "idwise.Client{BaseURL:%s PathPrefix:%s}", c.baseURL, c.prefix)
}

// String describes the client without secrets.
func (c *Client) String() string { return fmt.Sprint(c) }

// LogValue implements slog.LogValuer without secrets.
func (c *Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("base_url", c.baseURL), slog.String("path_prefix", c.prefix))
}

// rewritePrefix is the request editor of every prefixed call: the generated
// client always writes the reference prefix /journey/v2, and this swaps it
// for the configured one. It matches the prefix at the start of the path
// (after the base URL's own path) only, so nothing else is touched.
func (c *Client) rewritePrefix(_ context.Context, req *http.Request) error {
	if c.prefix == DefaultPathPrefix {
		return nil
	}
	from := c.basePath + DefaultPathPrefix + "/"
	rest, ok := strings.CutPrefix(req.URL.Path, from)
	if !ok {
		return fmt.Errorf("idwise: request path %q lacks the prefix %s", req.URL.Path, DefaultPathPrefix)
	}
	req.URL.Path = c.basePath + c.prefix + "/" + rest
	req.URL.RawPath = ""
	return nil
}

// call finishes a request: it turns a transport error or an error status
// into an error and decodes a success body into out (if not nil).
func (c *Client) call(op string, resp *http.Response, err error, out any) error {
	if err != nil {
		return c.st.transportError(op, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		// What matters in an error body is at its start; the rest is not
		// read, whatever its size.
		body, _ := io.ReadAll(io.LimitReader(resp.Body, transport.ErrorReadLimit))
		return c.st.newAPIError(op, resp, body)
	}
	body, err := io.ReadAll(resp.Body) // limited: see doer.Do
	if err != nil {
		return c.st.transportError(op, fmt.Errorf("reading response: %w", err))
	}
	if failure(body) {
		return c.st.newAPIError(op, resp, body)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("idwise: %s: decoding response: %w", op, err)
	}
	return nil
}
