package gbg

import (
	"fmt"
	"net/http"

	"github.com/gbggen/gbggen/internal/transport"
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

// checkRedirect is the http.Client.CheckRedirect of a Client: it refuses a
// redirect out of the origin of the first request, then asks next (the
// configured client's policy; nil means net/http's, at most 10 redirects).
func (s *settings) checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return transport.CheckRedirect(next, func(code int, from, to string, first *http.Request) error {
		// The Location is the server's text: it might echo a secret.
		return &RedirectError{StatusCode: code, From: from, To: s.scrub.Scrub(to, bearerOf(first))}
	})
}
