package transport

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
)

func TestOrigin(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"http://h", "http://h:80"}, {"https://H.example", "https://h.example:443/x"},
		{"http://[::1]:8080/a", "http://[::1]:8080/b"},
	} {
		if Origin(mustParse(t, tc.a)) != Origin(mustParse(t, tc.b)) {
			t.Errorf("%s and %s differ", tc.a, tc.b)
		}
	}
	for _, tc := range []struct{ a, b string }{
		{"http://h", "https://h"}, {"http://h:8080", "http://h:8081"}, {"http://h", "http://h.evil"},
		{"https://h", "https://h:80"}, {"https://h", "https://sub.h"},
	} {
		if Origin(mustParse(t, tc.a)) == Origin(mustParse(t, tc.b)) {
			t.Errorf("%s and %s are the same origin", tc.a, tc.b)
		}
	}
}

func TestCheckRedirect(t *testing.T) {
	errRefused := errors.New("refused")
	var got struct {
		code     int
		from, to string
		first    *http.Request
	}
	refuse := func(code int, from, to string, first *http.Request) error {
		got.code, got.from, got.to, got.first = code, from, to, first
		return errRefused
	}
	req := func(s string, code int) *http.Request {
		r := &http.Request{URL: mustParse(t, s)}
		if code != 0 {
			r.Response = &http.Response{StatusCode: code}
		}
		return r
	}
	first := req("https://api.example/a", 0)

	check := CheckRedirect(nil, refuse)
	if err := check(req("https://API.example:443/b", 307), []*http.Request{first}); err != nil {
		t.Errorf("same origin: %v", err)
	}
	// The origin is the first request's, not the last hop's.
	via := []*http.Request{first, req("https://api.example/b", 0)}
	if err := check(req("http://api.example/c", 308), via); err != errRefused {
		t.Fatalf("https to http: %v, want the refusal", err)
	}
	if got.code != 308 || got.from != "https://api.example:443" || got.to != "http://api.example:80" || got.first != first {
		t.Errorf("refuse got %d %s %s %p, want 308 from https://api.example:443 to http://api.example:80 with the first request", got.code, got.from, got.to, got.first)
	}

	ten := make([]*http.Request, 10)
	for i := range ten {
		ten[i] = first
	}
	if err := check(req("https://api.example/z", 302), ten); err == nil {
		t.Error("an 11th redirect was allowed")
	}
	calls := 0
	mine := CheckRedirect(func(*http.Request, []*http.Request) error { calls++; return http.ErrUseLastResponse }, refuse)
	if err := mine(req("https://api.example/b", 302), []*http.Request{first}); err != http.ErrUseLastResponse || calls != 1 {
		t.Errorf("the caller's policy: err %v after %d calls, want its ErrUseLastResponse", err, calls)
	}
	if err := mine(req("https://evil.example/b", 302), []*http.Request{first}); err != errRefused || calls != 1 {
		t.Errorf("another origin: err %v, caller's policy called %d times, want the refusal first", err, calls)
	}
}

func mustParse(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
