package transport

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Origin returns scheme://host:port of u, lower case, with the default port written out.
func Origin(u *url.URL) string {
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

// CheckRedirect returns an http.Client.CheckRedirect for requests that carry credentials.
// net/http would send an Authorization header on to the same host name on another port or
// scheme, and to its subdomains, and a 307 or 308 re-sends the body as it is. So a redirect
// out of the origin of the first request is refused with the error refuse makes of it (code
// is the redirect's status, from and to the origins); within the origin, next decides (the
// caller's own policy; nil means net/http's, at most 10 redirects).
func CheckRedirect(next func(*http.Request, []*http.Request) error, refuse func(code int, from, to string, first *http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if from, to := Origin(via[0].URL), Origin(req.URL); from != to {
			code := 0
			if req.Response != nil {
				code = req.Response.StatusCode
			}
			return refuse(code, from, to, via[0])
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
