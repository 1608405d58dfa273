// Package schema loads JSON Schema documents (JSON or YAML) into a resolved
// tree of *Schema, keeping property order, normalising draft differences and
// resolving every $ref. It never touches the network: remote references are
// errors unless mapped to local files.
package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/gbggen/gbggen/internal/yamljson"
)

// Object is a JSON object that remembers member order. Values holds the
// same members as Keys; a duplicated key keeps its first position and its
// last value, as JSON parsers commonly do.
type Object struct {
	Keys   []string
	Values map[string]any
}

// Get returns the member k.
func (o *Object) Get(k string) (any, bool) {
	v, ok := o.Values[k]
	return v, ok
}

func (o *Object) set(k string, v any) {
	if o.Values == nil {
		o.Values = map[string]any{}
	}
	if _, dup := o.Values[k]; !dup {
		o.Keys = append(o.Keys, k)
	}
	o.Values[k] = v
}

// A JSON value is one of: nil, bool, json.Number, string, []any, *Object.

// ParseJSON decodes one JSON document keeping object member order. Syntax
// errors carry line:column.
func ParseJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := parseValue(dec, 0)
	if err != nil {
		return nil, positioned(data, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, positioned(data, dec, errors.New("unexpected data after the document"))
	}
	return v, nil
}

const maxDepth = 10000

func parseValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errors.New("document nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			return parseArray(dec, depth)
		}
		if t == '{' {
			return parseObject(dec, depth)
		}
		return nil, fmt.Errorf("unexpected %q", rune(t))
	default:
		return t, nil
	}
}

func parseArray(dec *json.Decoder, depth int) (any, error) {
	arr := []any{}
	for dec.More() {
		v, err := parseValue(dec, depth+1)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
	}
	_, err := dec.Token() // ']'
	return arr, err
}

func parseObject(dec *json.Decoder, depth int) (any, error) {
	obj := &Object{Values: map[string]any{}}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, ok := tok.(string)
		if !ok {
			return nil, errors.New("object key is not a string")
		}
		v, err := parseValue(dec, depth+1)
		if err != nil {
			return nil, err
		}
		obj.set(k, v)
	}
	_, err := dec.Token() // '}'
	return obj, err
}

// positioned rewrites a decoder error as "line:col: message".
func positioned(data []byte, dec *json.Decoder, err error) error {
	off := dec.InputOffset()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	line, col := lineCol(data, off)
	return fmt.Errorf("%d:%d: %v", line, col, err)
}

func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	before := data[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// ParseYAML decodes one YAML document into the same ordered JSON value model, through the
// YAML 1.2 conversion every YAML input of gbggen shares (internal/yamljson: mapping order
// kept, numbers exact, aliases expanded within a bound, errors with line and column).
func ParseYAML(data []byte) (any, error) {
	js, err := yamljson.Convert(data)
	if err != nil {
		return nil, err
	}
	return ParseJSON(js)
}

// CanonicalJSON renders a loaded JSON value (nil, bool, json.Number, string, []any or
// *Object) as compact JSON with object members sorted by key and strings escaped as
// encoding/json escapes them but without HTML escaping, so "<" stays "<". Numbers keep the
// text they were written with. Two values that differ only in member order or whitespace
// render the same; schema digests and schema comparisons rely on that.
func CanonicalJSON(v any) string {
	var b strings.Builder
	writeCanonical(&b, v)
	return b.String()
}

func writeCanonical(b *strings.Builder, v any) {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case json.Number:
		b.WriteString(string(t))
	case string:
		writeCanonicalString(b, t)
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonical(b, e)
		}
		b.WriteByte(']')
	case *Object:
		keys := slices.Sorted(maps.Keys(t.Values))
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonicalString(b, k)
			b.WriteByte(':')
			writeCanonical(b, t.Values[k])
		}
		b.WriteByte('}')
	}
}

func writeCanonicalString(b *strings.Builder, s string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}
