package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gbggen/gbggen/generated"
)

// apiError is an error answer. Handlers return it; writeError renders it in the shape of
// the path it answers: v1 {status,message,error}, v2 {"errors":[…]}, or OAuth's
// {error,error_description} on the token endpoint.
type apiError struct {
	status     int
	message    string
	v2Name     string // overrides the v2 name for the status (e.g. INVALID_FILTER)
	oauth      string // OAuth error code on the token endpoint
	location   string // v2 location: Body, Header, Path
	violations []Violation
	retryAfter string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.status, e.message) }

func errorf(status int, format string, args ...any) *apiError {
	return &apiError{status: status, message: fmt.Sprintf(format, args...)}
}

// v2Codes is the documented v2 code table, plus codes the emulator uses for statuses the table
// does not cover (405 and 429).
var v2Codes = map[int]struct{ code, name, action string }{
	http.StatusNotFound:            {"1001", "NOT_FOUND", "Check the identifier; the resource does not exist or has ended."},
	http.StatusUnauthorized:        {"2001", "UNAUTHORIZED", "Get a new access token and send it as a Bearer token."},
	http.StatusForbidden:           {"2002", "FORBIDDEN", "Use a token that is allowed to make this call."},
	http.StatusBadRequest:          {"4002", "MISSING_FIELD", "Send every required field."},
	http.StatusConflict:            {"4003", "INVALID_FIELD", "Correct the field's value."},
	http.StatusUnprocessableEntity: {"4004", "UNPROCESSABLE_ENTITY", "Correct the request."},
	http.StatusMethodNotAllowed:    {"4005", "METHOD_NOT_ALLOWED", "Use the documented HTTP method."},
	http.StatusTooManyRequests:     {"4029", "TOO_MANY_REQUESTS", "Wait for Retry-After seconds, then try again."},
	http.StatusInternalServerError: {"5001", "UNKNOWN", "Try again later; quote the X-Request-ID to support."},
	http.StatusServiceUnavailable:  {"5005", "SERVICE_UNAVAILABLE", "Wait for Retry-After seconds, then try again."},
}

// Shapes by path.
const (
	shapeV1 = iota
	shapeV2
	shapeOAuth
)

func shapeFor(path string) int {
	switch {
	case path == tokenPath:
		return shapeOAuth
	case strings.HasPrefix(path, "/v2/"):
		return shapeV2
	}
	return shapeV1
}

const tokenPath = "/as/token.oauth2"

// writeError renders err (an *apiError, or anything else as a 500) for r's path.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = errorf(http.StatusInternalServerError, "internal error: %v", err)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if ae.retryAfter != "" {
		h.Set("Retry-After", ae.retryAfter)
	}
	var body any
	switch shapeFor(r.URL.Path) {
	case shapeOAuth:
		code := ae.oauth
		if code == "" {
			switch ae.status {
			case http.StatusUnauthorized:
				code = "invalid_client"
			case http.StatusTooManyRequests, http.StatusServiceUnavailable:
				code = "temporarily_unavailable"
			case http.StatusInternalServerError:
				code = "server_error"
			default:
				code = "invalid_request"
			}
		}
		body = generated.TokenError{Error: &code, ErrorDescription: &ae.message}
	case shapeV2:
		c, ok := v2Codes[ae.status]
		if !ok {
			c = v2Codes[http.StatusInternalServerError]
		}
		name := c.name
		if ae.v2Name != "" {
			name = ae.v2Name
		}
		loc := ae.location
		if loc == "" {
			loc = "Body"
		}
		problem := ae.message
		for _, v := range ae.violations {
			if item := v.Pointer + ": " + v.Message; !strings.Contains(problem, item) {
				problem += "; " + item
			}
		}
		body = generated.ErrorV2{Errors: []generated.ErrorDetail{{
			Code: &c.code, Name: &name, Location: &loc, Problem: &problem, Action: &c.action,
		}}}
	default:
		text := http.StatusText(ae.status)
		e := generated.ErrorV1{Status: &ae.status, Message: &ae.message, Error: &text}
		if len(ae.violations) > 0 {
			vs := make([]generated.Violation, len(ae.violations))
			for i, v := range ae.violations {
				vs[i] = generated.Violation{Pointer: v.Pointer, Message: v.Message}
			}
			e.Violations = &vs
		}
		body = e
	}
	b, _ := json.Marshal(body)
	w.WriteHeader(ae.status)
	_, _ = w.Write(append(b, '\n'))
}
