package idwise

import (
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gbggen/gbggen/internal/transport"
)

// Region selects the regional IDWise host.
type Region string

// The regions IDWise runs in. The zero Region means EU.
const (
	EU    Region = "eu"    // https://api.idwise.com
	UAE   Region = "uae"   // https://api-uae.idwise.com
	Qatar Region = "qatar" // https://api-qat.idwise.com
)

// BaseURL returns the host URL of the region, such as "https://api.idwise.com".
// Region names are not case sensitive and "qat" names Qatar; the zero Region
// is EU. An unknown region yields "".
func (r Region) BaseURL() string {
	switch strings.ToLower(string(r)) {
	case "", "eu":
		return "https://api.idwise.com"
	case "uae":
		return "https://api-uae.idwise.com"
	case "qatar", "qat":
		return "https://api-qat.idwise.com"
	}
	return ""
}

// DefaultPathPrefix is the path prefix of the Journey Builder calls on
// IDWise's API reference pages. The Journey Builder guide prints /v2 instead;
// Config.PathPrefix chooses.
const DefaultPathPrefix = "/journey/v2"

// MinPollInterval is the shortest wait between two summary requests for a
// journey that this package makes: IDWise asks for at least 2 seconds and may
// block clients that poll faster.
const MinPollInterval = 2 * time.Second

// Config configures a Client. Only APIKey and APISecret are required.
//
// A Config holds secrets. It redacts APIKey and APISecret whenever it is
// printed with the fmt package (%v, %+v, %#v, %s) or logged with log/slog.
type Config struct {
	// Region selects the host; the zero value is EU.
	Region Region
	// BaseURL, if set, replaces the regional host, for example to reach an
	// emulator ("http://localhost:8080"). It may carry a path of its own,
	// which comes before PathPrefix; it may not carry credentials.
	BaseURL string
	// PathPrefix is the path between the host and the Journey Builder call
	// names (start-journey, summary/, …); empty means DefaultPathPrefix and
	// "/" means none. DeleteJourney's path, /journey/{id}, never takes it.
	PathPrefix string

	// APIKey and APISecret are a server key from IDWise Studio, sent with
	// HTTP Basic authentication on every request.
	APIKey    string
	APISecret string

	// HTTPClient sends every request. Nil means a client with a 60 second
	// timeout. The Client uses a copy whose CheckRedirect first refuses a
	// redirect to another origin, then asks this one's.
	HTTPClient *http.Client
	// Logger receives one Debug record per HTTP attempt (operation, method,
	// path, status, duration, attempt); never headers or bodies. Nil discards.
	Logger *slog.Logger
	// Retry tunes retries; the zero value gives sensible defaults.
	Retry RetryPolicy
	// MaxResponseBytes is the largest response body read (zero means
	// DefaultMaxResponseBytes): a longer success body is an error naming the
	// limit (errors.Is(err, ErrResponseTooLarge)), and is read no further.
	// An error keeps the first 64 KiB of an error body.
	MaxResponseBytes int64
}

// DefaultMaxResponseBytes is the largest response body accepted when
// Config.MaxResponseBytes is zero.
const DefaultMaxResponseBytes = transport.DefaultMaxBody

// RetryPolicy tunes how failed requests are retried. Whether a request may be
// retried at all depends on the call, not on the policy: see the package
// documentation.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts per call, the first included.
	// Zero or less means 4; 1 disables retries.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry (250ms if zero). Each
	// retry doubles it, up to MaxDelay (10s if zero); the actual wait is drawn
	// uniformly from [0, backoff) ("full jitter"). Retries of the summary
	// never wait less than MinPollInterval.
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits for (1 minute
	// if zero). A longer one ends the call with the *APIError, whose
	// RetryAfter field tells the caller when to come back.
	MaxRetryAfter time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	return RetryPolicy(transport.Policy(p).WithDefaults())
}

// prefixPattern keeps prefixes to characters that need no escaping in a path.
var prefixPattern = regexp.MustCompile(`^(/[A-Za-z0-9._~-]+)+$`)

// pathPrefix returns the prefix to use: DefaultPathPrefix for "", nothing
// for "/", else p without a trailing slash.
func pathPrefix(p string) (string, error) {
	switch p {
	case "":
		return DefaultPathPrefix, nil
	case "/":
		return "", nil
	}
	p = strings.TrimSuffix(p, "/")
	if !prefixPattern.MatchString(p) {
		return "", fmt.Errorf("idwise: Config.PathPrefix %q: want a path such as /journey/v2 (letters, digits and . _ ~ - between slashes)", p)
	}
	return p, nil
}

const redacted = transport.Redacted

func redact(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// configView has the fields of Config and none of its methods, so that fmt
// prints it with the ordinary rules once the secrets are replaced.
type configView Config

func (c Config) view() configView {
	v := configView(c)
	v.APIKey = redact(c.APIKey)
	v.APISecret = redact(c.APISecret)
	return v
}

// Format implements fmt.Formatter: every verb prints the Config with APIKey
// and APISecret replaced by "[REDACTED]".
func (c Config) Format(f fmt.State, verb rune) {
	s := fmt.Sprintf(fmt.FormatString(f, verb), c.view())
	fmt.Fprint(f, strings.Replace(s, "idwise.configView", "idwise.Config", 1))
}

// String returns the Config with its secrets redacted.
func (c Config) String() string { return fmt.Sprintf("%+v", c) }

// GoString returns the Config in Go syntax with its secrets redacted.
func (c Config) GoString() string { return fmt.Sprintf("%#v", c) }

// LogValue implements slog.LogValuer with the secrets redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("region", string(c.Region)),
		slog.String("base_url", c.BaseURL),
		slog.String("path_prefix", c.PathPrefix),
		slog.String("api_key", redact(c.APIKey)),
		slog.String("api_secret", redact(c.APISecret)),
	)
}
