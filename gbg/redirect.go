package gbg

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// RedirectError is the error of a request that the server redirected to
// another origin (scheme, host and port). Every request of a Client carries
// credentials: the bearer token, or the client secret and password of a
// token request, which a 307 or 308 would send again as they are. So the
// client follows a redirect only within the origin of the request, and
// ends the call with a *RedirectError otherwise; it is not retried.
type RedirectError struct {
	// StatusCode is the status of the redirect, such as 307.
	StatusCode int
	// From and To are the origins, such as "https://eu.platform.go.gbgplc.com:443".
	From, To string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("redirect (HTTP %d) from %s to %s refused: credentials are never sent to another origin", e.StatusCode, e.From, e.To)
}

// origin returns scheme://host:port of u, lower case, with the default port
// written out.
func origin(u *url.URL) string {
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if port == "" {
		switch scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

// checkRedirect is the http.Client.CheckRedirect of a Client: it refuses a
// redirect out of the origin of the first request, then asks next (the
// configured client's policy; nil means net/http's, at most 10 redirects).
func (s *settings) checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if from, to := origin(via[0].URL), origin(req.URL); from != to {
			code := 0
			if req.Response != nil {
				code = req.Response.StatusCode
			}
			// The Location is the server's text: it might echo a secret.
			return &RedirectError{StatusCode: code, From: from, To: s.scrub.scrub(to, bearerOf(via[0]))}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}
