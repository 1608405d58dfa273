package gbg

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// tokenSource gives the bearer token of a request.
type tokenSource interface {
	token(ctx context.Context) (string, error)
	// invalidate forgets tok after the server refused it, and reports
	// whether a fresh token can be obtained.
	invalidate(tok string) bool
}

// tokenCache caches an access token, renews it before it expires, lets
// concurrent callers share one fetch, and forgets it on demand (after a 401).
//
// oauth2.ReuseTokenSource does the first two but cannot be invalidated and
// runs the fetch with the context the source was made with; this type does
// all of it with the context of the call that needs the token.
type tokenCache struct {
	fetch func(ctx context.Context) (*oauth2.Token, error)
	now   func() time.Time

	mu        sync.Mutex
	tok       string
	refreshAt time.Time // zero: the token has no known expiry
	call      *tokenCall
}

type tokenCall struct {
	done chan struct{}
	tok  string
	err  error
}

// maxRefreshMargin is how long before expiry a token is renewed, at most; a
// short-lived token is renewed when three quarters of its life have passed.
const maxRefreshMargin = time.Minute

func (c *tokenCache) token(ctx context.Context) (string, error) {
	for {
		c.mu.Lock()
		if c.tok != "" && (c.refreshAt.IsZero() || c.now().Before(c.refreshAt)) {
			t := c.tok
			c.mu.Unlock()
			return t, nil
		}
		call := c.call
		leader := call == nil
		if leader {
			call = &tokenCall{done: make(chan struct{})}
			c.call = call
		}
		c.mu.Unlock()

		if leader {
			c.run(ctx, call)
			return call.tok, call.err
		}
		select {
		case <-call.done:
			if call.err != nil && ctx.Err() == nil && isContextError(call.err) {
				continue // the caller that fetched gave up; that is no answer for us
			}
			return call.tok, call.err
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

func (c *tokenCache) run(ctx context.Context, call *tokenCall) {
	tok, err := c.fetch(ctx)
	c.mu.Lock()
	if err == nil {
		c.tok = tok.AccessToken
		c.refreshAt = time.Time{}
		if !tok.Expiry.IsZero() {
			// oauth2 sets Expiry from the wall clock; keep the lifetime and
			// measure it on our clock.
			life := time.Until(tok.Expiry)
			c.refreshAt = c.now().Add(life - min(maxRefreshMargin, life/4))
		}
		call.tok = tok.AccessToken
	}
	call.err = err
	c.call = nil
	c.mu.Unlock()
	close(call.done)
}

func (c *tokenCache) invalidate(tok string) bool {
	c.mu.Lock()
	if c.tok == tok {
		c.tok = ""
	}
	c.mu.Unlock()
	return true
}

// staticToken is a token that cannot be renewed, such as a device's end-user
// token.
type staticToken string

func (t staticToken) token(context.Context) (string, error) { return string(t), nil }
func (staticToken) invalidate(string) bool                  { return false }

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// credentials are the secrets of a Client, kept behind a pointer so that no
// fmt verb reaches them through a Client value.
type credentials struct {
	clientID, clientSecret string
	username, password     string
	tokenURL               string
}

// fetchToken runs the grant the configuration selects.
func (c *Client) fetchToken(ctx context.Context) (*oauth2.Token, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, c.tokenHTTP)
	cr := c.creds
	var (
		tok *oauth2.Token
		err error
	)
	if cr.username != "" {
		conf := &oauth2.Config{
			ClientID:     cr.clientID,
			ClientSecret: cr.clientSecret,
			Endpoint:     oauth2.Endpoint{TokenURL: cr.tokenURL, AuthStyle: oauth2.AuthStyleInParams},
		}
		tok, err = conf.PasswordCredentialsToken(ctx, cr.username, cr.password)
	} else {
		conf := &clientcredentials.Config{
			ClientID:     cr.clientID,
			ClientSecret: cr.clientSecret,
			TokenURL:     cr.tokenURL,
			Scopes:       []string{TokenScope},
			AuthStyle:    oauth2.AuthStyleInParams,
		}
		tok, err = conf.Token(ctx)
	}
	if err != nil {
		return nil, c.tokenError(err)
	}
	c.st.scrub.Learn(tok.AccessToken)
	return tok, nil
}

// tokenError turns an error of the oauth2 package into one that carries no
// secret. oauth2.RetrieveError quotes the whole response body, so it is
// replaced by an *APIError built from the status and the parsed body, which
// newAPIError scrubs.
func (c *Client) tokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		return c.st.newAPIError("GetToken", re.Response, re.Body)
	}
	return c.st.transportError("GetToken", err)
}

// transportError is the error of a call that got no response, or whose
// response could not be read: its message scrubbed, op named.
func (s *settings) transportError(op string, err error) error {
	var redirect *RedirectError
	if errors.As(err, &redirect) {
		// Not the *url.Error around it, whose URL is the Location the
		// server sent.
		err = redirect
	} else {
		err = s.scrub.URLError(err)
	}
	msg := "gbg: " + op + ": " + strings.TrimPrefix(err.Error(), "oauth2: ")
	return &scrubbedError{msg: s.scrub.Scrub(msg), err: err}
}

// scrubbedError is an error whose message had secrets removed. It unwraps to
// the cause so that errors.Is and errors.As work for network, context and
// redirect errors, whose fields hold no secret.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error {
	var re *oauth2.RetrieveError
	if errors.As(e.err, &re) {
		return nil // its message quotes the response body
	}
	return e.err
}

// logTransport logs the token requests, which the oauth2 package sends
// itself.
type logTransport struct {
	base http.RoundTripper
	st   *settings
}

func (t *logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	t.st.logAttempt(req.Context(), "GetToken", req, resp, err, time.Since(start), 1)
	return resp, err
}
