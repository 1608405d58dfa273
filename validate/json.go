package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/gbggen/gbggen/internal/jsonscan"
)

// DecodeAny decodes one JSON document into a dynamic value: nil, bool,
// string, json.Number, []any or map[string]any. Numbers stay json.Number so
// that big and precise numbers survive a round trip. It gives what
// json.Decoder with UseNumber gives (the last of duplicate members, invalid
// UTF-8 replaced), with the Decoder's errors.
func DecodeAny(data []byte) (any, error) {
	d := NewDecoder(data)
	v := d.anyValue()
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return v, nil
}

var errTrailing = errors.New("unexpected data after JSON value")

// notA is the error for data whose value, starting at data[i], is not the container
// wanted: a type error for a value of another type, else the syntax error.
func notA(data []byte, i int, want string) error {
	if i < len(data) {
		switch c := data[i]; {
		case c == '{', c == '[', c == '"', c == 't', c == 'f', c == 'n', c == '-', jsonscan.IsDigit(c):
			return typeError(data, want)
		}
	}
	_, err := jsonscan.Value(data, i, 0)
	return err
}

// keyString returns the value of the member name lit, a valid JSON string
// literal with its quotes.
func keyString(lit []byte, plain bool) string {
	s := lit[1 : len(lit)-1]
	if plain || bytes.IndexByte(s, '\\') < 0 && utf8.Valid(s) {
		return string(s)
	}
	var key string
	_ = json.Unmarshal(lit, &key) // unescapes, and repairs UTF-8 as encoding/json does
	return key
}

func firstByte(data []byte) byte {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}

// unmarshalString decodes a JSON string; null and other types are errors.
func unmarshalString(data []byte, p *string) error {
	if firstByte(data) != '"' {
		return typeError(data, "a string")
	}
	if s, ok := jsonscan.PlainString(data); ok {
		*p = string(s)
		return nil
	}
	return json.Unmarshal(data, p)
}

// unmarshalBool decodes a JSON boolean.
func unmarshalBool(data []byte, p *bool) error {
	if c := firstByte(data); c != 't' && c != 'f' {
		return typeError(data, "a boolean")
	}
	switch i, j := jsonscan.Trim(data); string(data[i:j]) {
	case "true":
		*p = true
		return nil
	case "false":
		*p = false
		return nil
	}
	return json.Unmarshal(data, p)
}

// unmarshalFloat decodes a JSON number.
func unmarshalFloat(data []byte, p *float64) error {
	c := firstByte(data)
	if c != '-' && (c < '0' || c > '9') {
		return typeError(data, "a number")
	}
	n, err := jsonNumberOf(data)
	if err != nil {
		return err
	}
	f, err := strconv.ParseFloat(unsafeString(n), 64)
	if err != nil {
		return fmt.Errorf("number %s does not fit a float64", n)
	}
	*p = f
	return nil
}

// unmarshalInt decodes a JSON number with an integral value (1.0 and 1e2
// are integers) into an int64.
func unmarshalInt(data []byte, p *int64) error {
	c := firstByte(data)
	if c != '-' && (c < '0' || c > '9') {
		return typeError(data, "an integer")
	}
	n, err := jsonNumberOf(data)
	if err != nil {
		return err
	}
	if i, ok := parseInt(n); ok {
		*p = i
		return nil
	}
	if !isIntegral(string(n)) {
		return fmt.Errorf("number %s is not an integer", n)
	}
	f, err := strconv.ParseFloat(unsafeString(n), 64)
	if err != nil || math.Abs(f) >= 1<<63 {
		return fmt.Errorf("integer %s does not fit an int64", n)
	}
	*p = int64(f)
	return nil
}

// jsonNumberOf returns the JSON number that data holds, with the error
// encoding/json gives when it holds anything else.
func jsonNumberOf(data []byte) ([]byte, error) {
	if n, ok := jsonscan.PlainNumber(data); ok {
		return n, nil
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return nil, err
	}
	return []byte(n), nil
}

// parseInt parses a JSON number literal without fraction or exponent that
// fits an int64, as strconv.ParseInt would, without allocating.
func parseInt(n []byte) (int64, bool) {
	neg := len(n) > 0 && n[0] == '-'
	digits := n
	if neg {
		digits = n[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		return strconvParseInt(n)
	}
	var v int64
	for _, c := range digits {
		if !jsonscan.IsDigit(c) {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

func strconvParseInt(n []byte) (int64, bool) {
	i, err := strconv.ParseInt(unsafeString(n), 10, 64)
	return i, err == nil
}

// unsafeString views b as a string for a call that does not keep it (the
// strconv parsers keep their input only in errors, which are dropped).
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// unmarshalRaw keeps any JSON value as it was written.
func unmarshalRaw(data []byte, p *json.RawMessage) error {
	*p = append(json.RawMessage(nil), data...)
	return nil
}

func typeError(data []byte, want string) error {
	got := "invalid JSON"
	switch c := firstByte(data); {
	case c == 'n':
		got = "null"
	case c == 't' || c == 'f':
		got = "a boolean"
	case c == '"':
		got = "a string"
	case c == '[':
		got = "an array"
	case c == '{':
		got = "an object"
	case c == '-' || (c >= '0' && c <= '9'):
		got = "a number"
	}
	return fmt.Errorf("expected %s, got %s", want, got)
}

// Nullable is a value whose schema also allows null. A struct member of
// type *Nullable[T] tells apart absent (nil), null (Null set) and a
// value.
type Nullable[T any] struct {
	Value T
	Null  bool
}

// NullOf returns a Nullable holding null.
func NullOf[T any]() Nullable[T] { return Nullable[T]{Null: true} }

// ValueOf returns a Nullable holding v.
func ValueOf[T any](v T) Nullable[T] { return Nullable[T]{Value: v} }
