package gbg

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gbggen/gbggen/internal/transport"
)

// ErrJourneyFailed is returned (wrapped) by WaitForCompletion and
// WaitForCompletionV2 when the journey instance ends with status Failed. The
// final state is returned with it.
var ErrJourneyFailed = errors.New("journey failed")

// APIError is the error of every call that got an HTTP response other than
// success (200 or 201), and of an interaction submission answered with
// {"status":"error"}. It carries whichever of GBG's two error bodies the
// server sent: the v2 list of ErrorDetail, or the v1 Status, Message and
// ErrorText. A body that is not JSON, or is cut short, still yields an
// APIError with the HTTP status.
//
// Use errors.As to get at it:
//
//	var apiErr *gbg.APIError
//	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound { … }
type APIError struct {
	// Op is the operation that failed, such as "StartJourney" or "GetToken".
	Op string
	// StatusCode is the HTTP status code of the response.
	StatusCode int
	// RequestID is the X-Request-ID response header; quote it to GBG support.
	RequestID string
	// RetryAfter is the wait the server asked for in a Retry-After header,
	// or zero.
	RetryAfter time.Duration

	// Details holds every entry of a v2 error body ({"errors":[…]}), and the
	// code and message of a rejected interaction submission.
	Details []ErrorDetail

	// Status, Message and ErrorText are the members status, message and
	// error of a v1 error body. The token endpoint's error and
	// error_description land in ErrorText and Message.
	Status    int
	Message   string
	ErrorText string
	// Violations lists invalid values, one per entry, when the server sends
	// them (an extension of the gbggen emulator on task/update).
	Violations []Violation

	// Body is the raw response body (at most 64 KiB), with secrets and
	// tokens replaced by "[REDACTED]" like every other field. It is never
	// part of Error().
	Body []byte
}

// ErrorDetail is one entry of a v2 error body.
type ErrorDetail struct {
	Code     string `json:"code,omitempty"`     // such as "4002"
	Name     string `json:"name,omitempty"`     // such as "MISSING_FIELD"
	Location string `json:"location,omitempty"` // such as "Body"
	Problem  string `json:"problem,omitempty"`
	Action   string `json:"action,omitempty"`
}

// Violation is one invalid value reported by the server.
type Violation struct {
	Pointer string `json:"pointer"` // JSON Pointer of the value, relative to the task data
	Message string `json:"message"`
}

// Code returns the code of the first v2 error detail, or "".
func (e *APIError) Code() string {
	if len(e.Details) > 0 {
		return e.Details[0].Code
	}
	return ""
}

// Error returns a one-line description: operation, status, request ID and
// the server's explanation. It never contains the body verbatim, headers or
// credentials.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("gbg: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "HTTP %d", e.StatusCode)
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request ID %s)", e.RequestID)
	}
	var parts []string
	for _, d := range e.Details {
		var p []string
		for _, s := range []string{d.Code, d.Name} {
			if s != "" {
				p = append(p, s)
			}
		}
		if d.Location != "" {
			p = append(p, "in "+d.Location)
		}
		s := strings.Join(p, " ")
		if d.Problem != "" {
			if s != "" {
				s += ": "
			}
			s += d.Problem
		}
		if d.Action != "" {
			s += " (" + d.Action + ")"
		}
		parts = append(parts, s)
	}
	if len(e.Details) == 0 {
		var p []string
		if e.ErrorText != "" {
			p = append(p, e.ErrorText)
		}
		if e.Message != "" {
			p = append(p, e.Message)
		}
		if len(p) > 0 {
			parts = append(parts, strings.Join(p, ": "))
		}
	}
	for _, v := range e.Violations {
		parts = append(parts, v.Pointer+": "+v.Message)
	}
	if len(parts) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(parts, "; "))
	}
	return b.String()
}

const maxErrorBody = transport.MaxErrorBody

// newAPIError builds the error of a response, scrubbed of every secret
// and token s knows and of the token the request carried. body may be
// partial or not JSON at all; the error keeps at most maxErrorBody of it.
func (s *settings) newAPIError(op string, resp *http.Response, body []byte) *APIError {
	return s.scrubbed(parseAPIError(op, resp, body, s.now()), resp)
}

// scrubbed scrubs every field of e, which the server wrote, and returns e.
func (s *settings) scrubbed(e *APIError, resp *http.Response) *APIError {
	tok := bearerOf(resp.Request)
	sc := func(v *string) { *v = s.scrub.Scrub(*v, tok) }
	sc(&e.RequestID)
	sc(&e.Message)
	sc(&e.ErrorText)
	for i := range e.Details {
		d := &e.Details[i]
		for _, v := range []*string{&d.Code, &d.Name, &d.Location, &d.Problem, &d.Action} {
			sc(v)
		}
	}
	for i := range e.Violations {
		sc(&e.Violations[i].Pointer)
		sc(&e.Violations[i].Message)
	}
	// Scrubbed before it is cut, so that a secret straddling the cut is
	// replaced whole, not left with its first bytes.
	e.Body = s.scrub.ScrubBytes(e.Body, tok)
	if len(e.Body) > maxErrorBody {
		e.Body = e.Body[:maxErrorBody]
	}
	return e
}

func parseAPIError(op string, resp *http.Response, body []byte, now time.Time) *APIError {
	e := &APIError{
		Op:         op,
		StatusCode: resp.StatusCode,
		RequestID:  resp.Header.Get("X-Request-ID"),
	}
	e.RetryAfter, _ = transport.RetryAfter(resp.Header, now)
	e.Body = body // cut to maxErrorBody once scrubbed: see scrubbed
	var raw struct {
		Errors           []map[string]json.RawMessage `json:"errors"`
		Status           json.RawMessage              `json:"status"`
		Message          json.RawMessage              `json:"message"`
		Error            json.RawMessage              `json:"error"`
		ErrorDescription json.RawMessage              `json:"error_description"`
		Code             json.RawMessage              `json:"code"`
		Violations       []Violation                  `json:"violations"`
	}
	if json.Unmarshal(body, &raw) != nil {
		return e
	}
	for _, m := range raw.Errors {
		e.Details = append(e.Details, ErrorDetail{
			Code: transport.Scalar(m["code"]), Name: transport.Scalar(m["name"]), Location: transport.Scalar(m["location"]),
			Problem: transport.Scalar(m["problem"]), Action: transport.Scalar(m["action"]),
		})
	}
	if s := transport.Scalar(raw.Status); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			e.Status = n
		}
	}
	e.Message = transport.Scalar(raw.Message)
	if e.Message == "" {
		e.Message = transport.Scalar(raw.ErrorDescription)
	}
	e.ErrorText = transport.Scalar(raw.Error)
	e.Violations = raw.Violations
	return e
}
