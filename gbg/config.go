package gbg

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gbggen/gbggen/internal/transport"
)

// Region selects the regional GBG GO platform host.
type Region string

// The regions GBG GO runs in. The zero Region means EU.
const (
	EU Region = "eu" // https://eu.platform.go.gbgplc.com
	US Region = "us" // https://us.platform.go.gbgplc.com
	AU Region = "au" // https://au.platform.go.gbgplc.com
)

// TokenPath is the path of the token endpoint, on GBG's authentication host
// and on the gbggen emulator alike.
const TokenPath = "/as/token.oauth2"

// DefaultTokenURL is GBG's token endpoint, used when Config.TokenURL is empty
// and Config.BaseURL is empty or a region's platform URL.
const DefaultTokenURL = "https://api.auth.gbgplc.com" + TokenPath

// DefaultMaxResponseBytes is the largest response body accepted when
// Config.MaxResponseBytes is zero.
const DefaultMaxResponseBytes = transport.DefaultMaxBody

// TokenScope is the scope requested by the client-credentials grant.
const TokenScope = "gbg.token"

// BaseURL returns the platform URL of the region, such as
// "https://eu.platform.go.gbgplc.com". Region names are not case sensitive; the
// zero Region is EU. An unknown region yields "".
func (r Region) BaseURL() string {
	switch Region(strings.ToLower(string(r))) {
	case "", EU:
		return "https://eu.platform.go.gbgplc.com"
	case US:
		return "https://us.platform.go.gbgplc.com"
	case AU:
		return "https://au.platform.go.gbgplc.com"
	}
	return ""
}

// Config configures a Client. Only ClientID and ClientSecret are required.
//
// A Config holds secrets. It redacts ClientSecret and Password whenever it is
// printed with the fmt package (%v, %+v, %#v, %s) or logged with log/slog.
type Config struct {
	// Region selects the platform host; the zero value is EU.
	Region Region
	// BaseURL, if set, replaces the regional host, for example to reach an
	// emulator ("http://localhost:8080"). It may carry a path prefix.
	BaseURL string
	// TokenURL is the OAuth 2 token endpoint. Empty means BaseURL+TokenPath
	// when BaseURL is set (where the emulator serves it: credentials meant
	// for a test server never go to GBG's host), and DefaultTokenURL
	// otherwise, or when BaseURL is one of the regions' platform URLs.
	// Non-production tenants may use another one, such as
	// /auth/realms/go/protocol/openid-connect/token on the platform host.
	TokenURL string

	// ClientID and ClientSecret identify the API client.
	ClientID     string
	ClientSecret string
	// Username and Password select the password grant. When Username is empty
	// the client-credentials grant with scope gbg.token is used instead.
	Username string
	Password string

	// HTTPClient sends every request, the token requests included. Nil means a
	// client with a 60 second timeout.
	HTTPClient *http.Client
	// Logger receives one Debug record per HTTP attempt (method, path, status,
	// duration, attempt, request ID); never headers or bodies. Nil discards.
	Logger *slog.Logger
	// Retry tunes retries; the zero value gives sensible defaults.
	Retry RetryPolicy
	// MaxResponseBytes is the largest response body read (zero means
	// DefaultMaxResponseBytes): a longer success body is an error naming the
	// limit, and is read no further. An error keeps the first 64 KiB of an
	// error body.
	MaxResponseBytes int64
}

// RetryPolicy tunes how failed requests are retried. Whether a request may be
// retried at all depends on the call, not on the policy: see the package
// documentation.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts per call, the first included.
	// Zero or less means 4; 1 disables retries.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry (250ms if zero). Each
	// retry doubles it, up to MaxDelay (10s if zero); the actual wait is drawn
	// uniformly from [0, backoff) ("full jitter").
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits for (1 minute
	// if zero). A longer one ends the call with the *APIError, whose
	// RetryAfter field tells the caller when to come back. A Retry-After
	// of more than a day, in seconds or as a date, counts as a day.
	MaxRetryAfter time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	return RetryPolicy(transport.Policy(p).WithDefaults())
}

const redacted = transport.Redacted

func redact(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// configView has the fields of Config and none of its methods, so that fmt prints it with
// the ordinary rules once the secrets are replaced.
type configView Config

func (c Config) view() configView {
	v := configView(c)
	v.ClientSecret = redact(c.ClientSecret)
	v.Password = redact(c.Password)
	return v
}

// Format implements fmt.Formatter: every verb prints the Config with
// ClientSecret and Password replaced by "[REDACTED]".
func (c Config) Format(f fmt.State, verb rune) {
	s := fmt.Sprintf(fmt.FormatString(f, verb), c.view())
	fmt.Fprint(f, replaceTypeName(s, "gbg.configView", "gbg.Config"))
}

func replaceTypeName(s, from, to string) string { return strings.Replace(s, from, to, 1) }

// String returns the Config with its secrets redacted.
func (c Config) String() string { return fmt.Sprintf("%+v", c) }

// GoString returns the Config in Go syntax with its secrets redacted.
func (c Config) GoString() string { return fmt.Sprintf("%#v", c) }

// LogValue implements slog.LogValuer with the secrets redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("region", string(c.Region)),
		slog.String("base_url", c.BaseURL),
		slog.String("token_url", c.TokenURL),
		slog.String("client_id", c.ClientID),
		slog.String("client_secret", redact(c.ClientSecret)),
		slog.String("username", c.Username),
		slog.String("password", redact(c.Password)),
	)
}

// tokenURL returns the token endpoint of the configuration: see
// Config.TokenURL. base is the platform URL the client uses.
func (c Config) tokenURL(base string) string {
	if c.TokenURL != "" {
		return c.TokenURL
	}
	if c.BaseURL == "" {
		return DefaultTokenURL
	}
	base = strings.TrimSuffix(base, "/")
	for _, r := range []Region{EU, US, AU} {
		if strings.EqualFold(base, r.BaseURL()) {
			return DefaultTokenURL
		}
	}
	return base + TokenPath
}
