package transport

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
)

// DefaultMaxBody is the largest success body read when the client's Config.MaxResponseBytes
// is zero.
const DefaultMaxBody = 16 << 20

// MaxErrorBody is how much of an error body an error keeps: what matters in it is at its
// start.
const MaxErrorBody = 64 << 10

// ErrorReadLimit is how much of an error body is read, whatever its size: MaxErrorBody and
// a margin longer than any credential or token in any form a server may quote it in. The
// body is scrubbed of secrets before it is cut to MaxErrorBody, so a secret that straddles
// the cut is replaced whole rather than leaving its first bytes behind.
const ErrorReadLimit = MaxErrorBody + 16<<10

// ErrTooLarge is the sentinel of a body longer than its limit: gbg.ErrResponseTooLarge and
// idwise.ErrResponseTooLarge are this error.
var ErrTooLarge = errors.New("response body too large")

// TooLargeError is the error of a body longer than Limit bytes.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return "response body larger than " + byteSize(e.Limit) + " (Config.MaxResponseBytes)"
}

// Is makes errors.Is(err, ErrTooLarge) hold.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// LimitBody returns a body that yields at most limit bytes of rc, then a *TooLargeError if
// there are more. Unlike io.LimitReader it tells a body of exactly limit bytes from a longer
// one, and reads one byte past the limit at the most.
func LimitBody(rc io.ReadCloser, limit int64) io.ReadCloser {
	return &limitedBody{rc: rc, limit: limit}
}

type limitedBody struct {
	rc    io.ReadCloser
	limit int64
	n     int64 // bytes read, at most limit+1
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.n > b.limit {
		return 0, &TooLargeError{b.limit}
	}
	if room := b.limit + 1 - b.n; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := b.rc.Read(p)
	b.n += int64(n)
	if b.n > b.limit {
		return n - 1, &TooLargeError{b.limit} // the byte past the limit is not given
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }

// Scalar renders a JSON string, number or boolean as a Go string, and anything else
// (objects, arrays, null, absent) as "": error documents put their message in members
// whose type varies between servers and versions.
func Scalar(m json.RawMessage) string {
	var v any
	if json.Unmarshal(m, &v) != nil {
		return ""
	}
	switch v := v.(type) {
	case string:
		return v
	case float64, bool:
		return strings.TrimSpace(string(m))
	}
	return ""
}
