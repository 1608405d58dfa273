package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
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
		return nil, errors.New("unexpected data after JSON value")
	}
	return v, nil
}

// DecodeObject calls member for every member of the JSON object in data,
// with the exact (case-sensitive) member name, in document order. It
// fails when data is not an object.
func DecodeObject(data []byte, member func(key string, raw []byte) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("expected a JSON object, got %s", kindOfToken(tok))
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if err := member(key, raw); err != nil {
			return fmt.Errorf("%s: %w", strconv.Quote(key), err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after JSON value")
	}
	return nil
}

// DecodeArray decodes a JSON array element by element with elem.
func DecodeArray[T any](data []byte, elem func([]byte, *T) error) ([]T, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, fmt.Errorf("expected a JSON array, got %s", kindOfToken(tok))
	}
	out := []T{}
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		var v T
		if err := elem(raw, &v); err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		out = append(out, v)
	}
	_, err = dec.Token()
	return out, err
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

func kindOfToken(tok any) string {
	switch t := tok.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case json.Delim:
		if t == '[' {
			return "an array"
		}
		return "an object"
	}
	return "something else"
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
	return json.Unmarshal(data, p)
}

// UnmarshalBool decodes a JSON boolean.
func UnmarshalBool(data []byte, p *bool) error {
	if c := firstByte(data); c != 't' && c != 'f' {
		return typeError(data, "a boolean")
	}
	return json.Unmarshal(data, p)
}

// UnmarshalFloat decodes a JSON number.
func UnmarshalFloat(data []byte, p *float64) error {
	c := firstByte(data)
	if c != '-' && (c < '0' || c > '9') {
		return typeError(data, "a number")
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return err
	}
	f, err := strconv.ParseFloat(string(n), 64)
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
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return err
	}
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		*p = i
		return nil
	}
	if !isIntegral(string(n)) {
		return fmt.Errorf("number %s is not an integer", n)
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.Abs(f) >= 1<<63 {
		return fmt.Errorf("integer %s does not fit an int64", n)
	}
	*p = int64(f)
	return nil
}

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

// AppendString appends s as a JSON string.
func AppendString(b []byte, s string) []byte {
	out, _ := json.Marshal(s)
	return append(b, out...)
}

// AppendFloat appends f as a JSON number; NaN and infinities are errors.
func AppendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, fmt.Errorf("%v has no JSON form", f)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64), nil
}

// AppendAny appends a dynamic value (or anything encoding/json accepts).
func AppendAny(b []byte, v any) ([]byte, error) {
	out, err := json.Marshal(v)
	if err != nil {
		return b, err
	}
	return append(b, out...), nil
}

// AppendRaw appends a raw JSON value ("null" when empty).
func AppendRaw(b []byte, raw json.RawMessage) []byte {
	if len(raw) == 0 {
		return append(b, "null"...)
	}
	return append(b, raw...)
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
