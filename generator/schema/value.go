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
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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
//
// It is a small recursive-descent parser rather than encoding/json's token API, which
// allocates an error value for every scalar it reads and was a third of the time of
// generating from a large schema. Strings with escapes or invalid UTF-8 are still decoded
// by encoding/json, so every string reads as it always did; FuzzParseJSON compares the two.
func ParseJSON(data []byte) (any, error) {
	p := &jsonParser{data: data}
	v, err := p.value(0)
	if err == nil {
		p.space()
		if p.i < len(p.data) {
			err = p.unexpected("after top-level value")
		}
	}
	if err != nil {
		line, col := lineCol(data, int64(p.i))
		return nil, fmt.Errorf("%d:%d: %v", line, col, err)
	}
	return v, nil
}

const maxDepth = 10000

type jsonParser struct {
	data []byte
	i    int
}

func (p *jsonParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// unexpected describes the byte at p.i (or the end of the input) in encoding/json's words.
func (p *jsonParser) unexpected(context string) error {
	if p.i >= len(p.data) {
		return errors.New("unexpected end of JSON input")
	}
	return fmt.Errorf("invalid character %s %s", strconv.QuoteRune(rune(p.data[p.i])), context)
}

func (p *jsonParser) value(depth int) (any, error) {
	if depth > maxDepth {
		return nil, errors.New("document nested too deeply")
	}
	p.space()
	if p.i >= len(p.data) {
		return nil, p.unexpected("")
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.str()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	}
	return nil, p.unexpected("looking for beginning of value")
}

func (p *jsonParser) literal(word string) error {
	for j := range len(word) {
		if p.i >= len(p.data) || p.data[p.i] != word[j] {
			return p.unexpected("in literal " + word + " (expecting " + strconv.QuoteRune(rune(word[j])) + ")")
		}
		p.i++
	}
	return nil
}

func (p *jsonParser) object(depth int) (any, error) {
	obj := &Object{Values: map[string]any{}}
	p.i++ // {
	p.space()
	if p.eat('}') {
		return obj, nil
	}
	for {
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return nil, p.unexpected("looking for beginning of object key string")
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.space()
		if !p.eat(':') {
			return nil, p.unexpected("after object key")
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		obj.set(k, v)
		p.space()
		switch {
		case p.eat(','):
		case p.eat('}'):
			return obj, nil
		default:
			return nil, p.unexpected("after object key:value pair")
		}
	}
}

func (p *jsonParser) array(depth int) (any, error) {
	arr := []any{}
	p.i++ // [
	p.space()
	if p.eat(']') {
		return arr, nil
	}
	for {
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		p.space()
		switch {
		case p.eat(','):
		case p.eat(']'):
			return arr, nil
		default:
			return nil, p.unexpected("after array element")
		}
	}
}

// eat skips c when it comes next.
func (p *jsonParser) eat(c byte) bool {
	if p.i < len(p.data) && p.data[p.i] == c {
		p.i++
		return true
	}
	return false
}

// str reads a string starting at the opening quote.
func (p *jsonParser) str() (string, error) {
	start := p.i
	p.i++
	plain := true
	for p.i < len(p.data) {
		switch c := p.data[p.i]; {
		case c == '"':
			p.i++
			if plain {
				return string(p.data[start+1 : p.i-1]), nil
			}
			var s string
			if err := json.Unmarshal(p.data[start:p.i], &s); err != nil {
				p.i = start
				return "", err
			}
			return s, nil
		case c == '\\':
			plain = false
			p.i += 2
		case c < ' ':
			return "", p.unexpected("in string literal")
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(p.data[p.i:])
			plain = plain && !(r == utf8.RuneError && size == 1)
			p.i += size
		default:
			p.i++
		}
	}
	return "", p.unexpected("")
}

// number reads a number with JSON's grammar and keeps its text.
func (p *jsonParser) number() (any, error) {
	start := p.i
	if p.data[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.data) && p.data[p.i] == '0':
		p.i++
	case p.i < len(p.data) && p.data[p.i] >= '1' && p.data[p.i] <= '9':
		p.digits()
	default:
		return nil, p.unexpected("in numeric literal")
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if !p.digits() {
			return nil, p.unexpected("after decimal point in numeric literal")
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if !p.digits() {
			return nil, p.unexpected("in exponent of numeric literal")
		}
	}
	return json.Number(p.data[start:p.i]), nil
}

// digits skips a run of digits and reports whether there was one.
func (p *jsonParser) digits() bool {
	start := p.i
	for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
		p.i++
	}
	return p.i > start
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
