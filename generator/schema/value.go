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
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
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

// ParseYAML decodes one YAML document into the same ordered JSON value
// model. Anchors and aliases are expanded (with a bound, so a "billion
// laughs" document is an error, not a hang).
func ParseYAML(data []byte) (any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 {
		return nil, errors.New("empty YAML document")
	}
	budget := 1_000_000
	return fromYAML(&doc, &budget, 0)
}

func fromYAML(n *yaml.Node, budget *int, depth int) (any, error) {
	*budget--
	if *budget < 0 || depth > maxDepth {
		return nil, fmt.Errorf("%d:%d: YAML document too large after expanding aliases", n.Line, n.Column)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return fromYAML(n.Content[0], budget, depth+1)
	case yaml.AliasNode:
		return fromYAML(n.Alias, budget, depth+1)
	case yaml.SequenceNode:
		arr := []any{}
		for _, c := range n.Content {
			v, err := fromYAML(c, budget, depth+1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		return arr, nil
	case yaml.MappingNode:
		return yamlMapping(n, budget, depth)
	case yaml.ScalarNode:
		return yamlScalar(n)
	}
	return nil, fmt.Errorf("%d:%d: unsupported YAML node", n.Line, n.Column)
}

func yamlMapping(n *yaml.Node, budget *int, depth int) (any, error) {
	obj := &Object{Values: map[string]any{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%d:%d: mapping key is not a scalar", k.Line, k.Column)
		}
		v, err := fromYAML(n.Content[i+1], budget, depth+1)
		if err != nil {
			return nil, err
		}
		obj.set(k.Value, v)
	}
	return obj, nil
}

func yamlScalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, fmt.Errorf("%d:%d: %v", n.Line, n.Column, err)
		}
		return b, nil
	case "!!int", "!!float":
		return yamlNumber(n)
	}
	return n.Value, nil
}

func yamlNumber(n *yaml.Node) (any, error) {
	if _, err := strconv.ParseFloat(n.Value, 64); err == nil && isJSONNumber(n.Value) {
		return json.Number(n.Value), nil
	}
	var f float64
	if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("%d:%d: number %q has no JSON form", n.Line, n.Column, n.Value)
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

// isJSONNumber reports whether s is a number in JSON syntax.
func isJSONNumber(s string) bool {
	return json.Valid([]byte(s)) && s != "" && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) && !strings.ContainsAny(s, " \t\n")
}
