package idwise

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gbggen/gbggen/internal/transport"
)

// ErrorCode is the error_code of an IDWise error body. It is an error itself,
// so that errors.Is finds the code in any error a call returns:
//
//	if errors.Is(err, idwise.CodeInvalidCredentials) { … }
//
// The set is open: an *APIError may carry a code not listed here.
type ErrorCode string

// The error codes IDWise documents.
const (
	CodeMissingAuthorizationHeader  ErrorCode = "missing_authorization_header"  // 401: no Authorization header
	CodeInvalidCredentials          ErrorCode = "invalid_credentials"           // 401: wrong API key or secret
	CodeInvalidAuthenticationFormat ErrorCode = "invalid_authentication_format" // 401: malformed Authorization header
	CodeUnauthorized                ErrorCode = "unauthorized"                  // 403: key of another tenant or environment
	CodeNotAllowedIPAddress         ErrorCode = "not_allowed_ip_address"        // 403: caller not on the IP allow list
)

// Error returns the code.
func (c ErrorCode) Error() string { return "idwise: " + string(c) }

// APIError is the error of every call that got an HTTP response other than
// 2xx, or a 2xx whose body says {"success": false}. It carries IDWise's
// error body: {"success": false, "message": …, "error_code": …}. A body that
// is not JSON, or is cut short, still yields an APIError with the HTTP
// status.
//
// Use errors.As to inspect one, or errors.Is with an ErrorCode:
//
//	var apiErr *idwise.APIError
//	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound { … }
type APIError struct {
	// Op is the operation that failed, such as "StartJourney".
	Op string
	// StatusCode is the HTTP status code of the response.
	StatusCode int
	// Code is the error_code of the body, or "".
	Code ErrorCode
	// Message is the message of the body, or "".
	Message string
	// RetryAfter is the wait the server asked for in a Retry-After header,
	// or zero.
	RetryAfter time.Duration
	// Body is the raw response body (at most 64 KiB). It is never part of
	// Error().
	Body []byte
}

// Error returns a one-line description: operation, status, error code and
// message. It never contains headers or credentials.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("idwise: ")
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	fmt.Fprintf(&b, "HTTP %d", e.StatusCode)
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	if e.Code != "" {
		b.WriteString(": " + string(e.Code))
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Is reports whether target is the ErrorCode of e.
func (e *APIError) Is(target error) bool {
	c, ok := target.(ErrorCode)
	return ok && c != "" && c == e.Code
}

const maxErrorBody = transport.MaxErrorBody

// newAPIError builds the error of a response, scrubbed of the credentials:
// a server may echo the request back. body may be partial or not JSON at
// all; the error keeps at most maxErrorBody of it.
func (s *settings) newAPIError(op string, resp *http.Response, body []byte) *APIError {
	e := &APIError{Op: op, StatusCode: resp.StatusCode}
	e.RetryAfter, _ = transport.RetryAfter(resp.Header, s.now())
	var raw struct {
		Message   json.RawMessage `json:"message"`
		ErrorCode json.RawMessage `json:"error_code"`
	}
	if json.Unmarshal(body, &raw) == nil {
		// Scrubbed once decoded too: JSON escapes can hide a form of a
		// secret from the scrubbing of the body.
		e.Message = s.scrub.Scrub(transport.Scalar(raw.Message))
		e.Code = ErrorCode(s.scrub.Scrub(transport.Scalar(raw.ErrorCode)))
	}
	// Scrubbed before it is cut, so that a secret straddling the cut is
	// replaced whole, not left with its first bytes.
	e.Body = s.scrub.ScrubBytes(body)
	if len(e.Body) > maxErrorBody {
		e.Body = e.Body[:maxErrorBody]
	}
	return e
}

// failure reports whether a 2xx body is nevertheless an error body:
// {"success": false, …}.
func failure(body []byte) bool {
	var v struct {
		Success *bool `json:"success"`
	}
	return json.Unmarshal(body, &v) == nil && v.Success != nil && !*v.Success
}
