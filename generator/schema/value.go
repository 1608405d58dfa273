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

	"github.com/gbggen/gbggen/internal/jsonscan"
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
// The text is read by internal/jsonscan, the scanner of the generated code's runtime, so a
// schema and an instance are held to the same grammar with the same messages; this file
// only builds the tree. Strings with escapes or invalid UTF-8 are decoded by encoding/json,
// so every string reads as it always did; FuzzParseJSON compares the two.
func ParseJSON(data []byte) (any, error) {
	p := &jsonParser{data: data}
	v, err := p.value(jsonscan.Space(data, 0), 0)
	if err == nil {
		if i := jsonscan.Space(data, p.i); i < len(data) {
			err = jsonscan.At(data, i, "after top-level value")
		}
	}
	if err != nil {
		off := len(data)
		var se *jsonscan.Error
		if errors.As(err, &se) {
			off = se.Offset
		}
		line, col := lineCol(data, int64(off))
		return nil, fmt.Errorf("%d:%d: %v", line, col, err)
	}
	return v, nil
}

// jsonParser builds the tree of a document; i is the end of the value read last.
type jsonParser struct {
	data []byte
	i    int
}

// value reads the value at data[i] (whitespace skipped), nested in depth containers.
func (p *jsonParser) value(i, depth int) (any, error) {
	if i >= len(p.data) {
		return nil, jsonscan.At(p.data, i, "")
	}
	var err error
	switch c := p.data[i]; {
	case (c == '{' || c == '[') && depth >= jsonscan.MaxDepth:
		return nil, jsonscan.ErrDepth
	case c == '{':
		return p.object(i, depth)
	case c == '[':
		return p.array(i, depth)
	case c == '"':
		return p.str(i)
	case c == '-' || jsonscan.IsDigit(c):
		if p.i, err = jsonscan.Number(p.data, i); err != nil {
			return nil, err
		}
		return json.Number(p.data[i:p.i]), nil
	case c == 't':
		p.i, err = jsonscan.Literal(p.data, i, "true")
		return true, err
	case c == 'f':
		p.i, err = jsonscan.Literal(p.data, i, "false")
		return false, err
	case c == 'n':
		p.i, err = jsonscan.Literal(p.data, i, "null")
		return nil, err
	}
	return nil, jsonscan.At(p.data, i, "looking for beginning of value")
}

func (p *jsonParser) object(i, depth int) (any, error) {
	obj := &Object{Values: map[string]any{}}
	i = jsonscan.Space(p.data, i+1)
	if i < len(p.data) && p.data[i] == '}' {
		p.i = i + 1
		return obj, nil
	}
	for {
		v, keyEnd, plain, err := jsonscan.Key(p.data, i)
		if err != nil {
			return nil, err
		}
		k, err := stringValue(p.data[i:keyEnd], plain, i)
		if err != nil {
			return nil, err
		}
		val, err := p.value(v, depth+1)
		if err != nil {
			return nil, err
		}
		obj.set(k, val)
		i = jsonscan.Space(p.data, p.i)
		switch {
		case i < len(p.data) && p.data[i] == ',':
			i = jsonscan.Space(p.data, i+1)
		case i < len(p.data) && p.data[i] == '}':
			p.i = i + 1
			return obj, nil
		default:
			return nil, jsonscan.At(p.data, i, "after object key:value pair")
		}
	}
}

func (p *jsonParser) array(i, depth int) (any, error) {
	arr := []any{}
	i = jsonscan.Space(p.data, i+1)
	if i < len(p.data) && p.data[i] == ']' {
		p.i = i + 1
		return arr, nil
	}
	for {
		v, err := p.value(i, depth+1)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		i = jsonscan.Space(p.data, p.i)
		switch {
		case i < len(p.data) && p.data[i] == ',':
			i = jsonscan.Space(p.data, i+1)
		case i < len(p.data) && p.data[i] == ']':
			p.i = i + 1
			return arr, nil
		default:
			return nil, jsonscan.At(p.data, i, "after array element")
		}
	}
}

// str reads the string whose opening quote is at data[i].
func (p *jsonParser) str(i int) (string, error) {
	end, plain, err := jsonscan.String(p.data, i)
	if err != nil {
		return "", err
	}
	p.i = end
	return stringValue(p.data[i:end], plain, i)
}

// stringValue is the value of lit, a string literal the scanner accepted at offset off;
// plain is the scanner's word that it has no escapes and no non-ASCII bytes.
func stringValue(lit []byte, plain bool, off int) (string, error) {
	if plain || bytes.IndexByte(lit, '\\') < 0 && utf8.Valid(lit) {
		return string(lit[1 : len(lit)-1]), nil
	}
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		return "", &jsonscan.Error{Msg: err.Error(), Offset: off}
	}
	return s, nil
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
