package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/gbggen/gbggen/internal/jsonscan"
)

// DecodeAny decodes one JSON document into a dynamic value: nil, bool,
// string, json.Number, []any or map[string]any. Numbers stay json.Number so
// that big and precise numbers survive a round trip.
func DecodeAny(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errTrailing
	}
	return v, nil
}

// DecodeObject calls member for every member of the JSON object in data,
// with the exact (case-sensitive) member name, in document order. It
// fails when data is not an object. raw is a sub-slice of data (its
// capacity ends with the value, so appending to it copies); member must
// copy it to keep it.
func DecodeObject(data []byte, member func(key string, raw []byte) error) error {
	i := jsonscan.Space(data, 0)
	if i >= len(data) || data[i] != '{' {
		return notA(data, i, "a JSON object")
	}
	i = jsonscan.Space(data, i+1)
	if i < len(data) && data[i] == '}' {
		i++
	} else {
		for {
			k := i
			v, keyEnd, plain, err := jsonscan.Key(data, i)
			if err != nil {
				return err
			}
			end, err := jsonscan.Value(data, v, 1)
			if err != nil {
				return err
			}
			key := keyString(data[k:keyEnd], plain)
			if err := member(key, data[v:end:end]); err != nil {
				return fmt.Errorf("%s: %w", strconv.Quote(key), err)
			}
			i = jsonscan.Space(data, end)
			if i < len(data) && data[i] == ',' {
				i = jsonscan.Space(data, i+1)
				continue
			}
			if i < len(data) && data[i] == '}' {
				i++
				break
			}
			return jsonscan.At(data, i, "after object key:value pair")
		}
	}
	if jsonscan.Space(data, i) != len(data) {
		return errTrailing
	}
	return nil
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

// DecodeArray decodes a JSON array element by element with elem.
func DecodeArray[T any](data []byte, elem func([]byte, *T) error) ([]T, error) {
	i := jsonscan.Space(data, 0)
	if i >= len(data) || data[i] != '[' {
		return nil, notA(data, i, "a JSON array")
	}
	out := []T{}
	i = jsonscan.Space(data, i+1)
	if i < len(data) && data[i] == ']' {
		i++
	} else {
		for n := 0; ; n++ {
			end, err := jsonscan.Value(data, i, 1)
			if err != nil {
				return nil, err
			}
			var v T
			if err := elem(data[i:end:end], &v); err != nil {
				return nil, fmt.Errorf("[%d]: %w", n, err)
			}
			out = append(out, v)
			i = jsonscan.Space(data, end)
			if i < len(data) && data[i] == ',' {
				i = jsonscan.Space(data, i+1)
				continue
			}
			if i < len(data) && data[i] == ']' {
				i++
				break
			}
			return out, jsonscan.At(data, i, "after array element")
		}
	}
	if jsonscan.Space(data, i) != len(data) {
		return out, errTrailing
	}
	return out, nil
}

// ArrayOf turns an element decoder into a slice decoder.
func ArrayOf[T any](elem func([]byte, *T) error) func([]byte, *[]T) error {
	return func(data []byte, p *[]T) error {
		v, err := DecodeArray(data, elem)
		*p = v
		return err
	}
}

// MapOf turns a value decoder into a decoder of JSON objects as maps.
func MapOf[T any](elem func([]byte, *T) error) func([]byte, *map[string]T) error {
	return func(data []byte, p *map[string]T) error {
		m := map[string]T{}
		err := DecodeObject(data, func(k string, raw []byte) error {
			var v T
			if err := elem(raw, &v); err != nil {
				return err
			}
			m[k] = v
			return nil
		})
		*p = m
		return err
	}
}

// Unmarshaler is what generated named types implement.
type Unmarshaler[T any] interface {
	*T
	json.Unmarshaler
}

// Decode decodes into a generated named type, for use with ArrayOf and
// MapOf.
func Decode[T any, P Unmarshaler[T]](data []byte, p *T) error { return P(p).UnmarshalJSON(data) }

// DecodePtr decodes data with dec into a new value and stores its address in *pp: the
// decoding of an optional member, which is a pointer.
func DecodePtr[T any](data []byte, pp **T, dec func([]byte, *T) error) error {
	*pp = new(T)
	return dec(data, *pp)
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

// UnmarshalString decodes a JSON string; null and other types are errors.
func UnmarshalString(data []byte, p *string) error {
	if firstByte(data) != '"' {
		return typeError(data, "a string")
	}
	if s, ok := jsonscan.PlainString(data); ok {
		*p = string(s)
		return nil
	}
	return json.Unmarshal(data, p)
}

// UnmarshalBool decodes a JSON boolean.
func UnmarshalBool(data []byte, p *bool) error {
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

// UnmarshalFloat decodes a JSON number.
func UnmarshalFloat(data []byte, p *float64) error {
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

// UnmarshalInt decodes a JSON number with an integral value (1.0 and 1e2
// are integers) into an int64.
func UnmarshalInt(data []byte, p *int64) error {
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

// UnmarshalRaw keeps any JSON value as it was written.
func UnmarshalRaw(data []byte, p *json.RawMessage) error {
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

// IsNull reports whether a raw JSON value is null.
func IsNull(data []byte) bool { return firstByte(data) == 'n' }

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

// NullableOf turns a value decoder into a decoder that also accepts null.
func NullableOf[T any](elem func([]byte, *T) error) func([]byte, *Nullable[T]) error {
	return func(data []byte, p *Nullable[T]) error {
		if IsNull(data) {
			*p = Nullable[T]{Null: true}
			return nil
		}
		*p = Nullable[T]{}
		return elem(data, &p.Value)
	}
}
