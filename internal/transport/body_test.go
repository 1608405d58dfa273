package transport

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

// counting is a source that counts the bytes taken from it.
type counting struct {
	r io.Reader
	n int
}

func (c *counting) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func (c *counting) Close() error { return nil }

func TestLimitBody(t *testing.T) {
	for _, tc := range []struct {
		size, limit int
		tooLarge    bool
	}{
		{0, 0, false}, {5, 5, false}, {4, 5, false}, {6, 5, true}, {1 << 20, 100, true}, {1, 0, true},
	} {
		src := &counting{r: strings.NewReader(strings.Repeat("a", tc.size))}
		b, err := io.ReadAll(LimitBody(src, int64(tc.limit)))
		if tc.tooLarge {
			var tl *TooLargeError
			if !errors.As(err, &tl) || tl.Limit != int64(tc.limit) || !errors.Is(err, ErrTooLarge) {
				t.Errorf("%d bytes, limit %d: err %v, want a *TooLargeError that is ErrTooLarge", tc.size, tc.limit, err)
			}
			if len(b) != tc.limit || src.n != tc.limit+1 {
				t.Errorf("%d bytes, limit %d: gave %d and read %d, want %d given and one more read", tc.size, tc.limit, len(b), src.n, tc.limit)
			}
			continue
		}
		if err != nil || len(b) != tc.size {
			t.Errorf("%d bytes, limit %d: %d bytes, %v", tc.size, tc.limit, len(b), err)
		}
	}
}

func TestTooLargeErrorNamesTheLimit(t *testing.T) {
	for limit, want := range map[int64]string{
		16 << 20: "larger than 16 MiB (Config.MaxResponseBytes)",
		100:      "larger than 100 bytes (Config.MaxResponseBytes)",
		3 << 19:  "larger than 1572864 bytes",
	} {
		if got := (&TooLargeError{limit}).Error(); !strings.Contains(got, want) {
			t.Errorf("limit %d: %q, want it to contain %q", limit, got, want)
		}
	}
}

func TestScalar(t *testing.T) {
	for in, want := range map[string]string{
		`"bad input"`: "bad input", `"a\nb"`: "a\nb", `42`: "42", ` 4.5e1 `: "4.5e1", `true`: "true",
		`null`: "", `{"a":1}`: "", `[1]`: "", ``: "", `"unterminated`: "",
	} {
		if got := Scalar(json.RawMessage(in)); got != want {
			t.Errorf("Scalar(%s) = %q, want %q", in, got, want)
		}
	}
}
