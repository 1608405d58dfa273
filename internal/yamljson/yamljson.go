// Package yamljson converts YAML documents to JSON the way a schema author means them.
//
// It follows YAML 1.2 (gopkg.in/yaml.v3), not YAML 1.1: a property named y, n, on, off, yes
// or no stays a string, where sigs.k8s.io/yaml would turn it into a boolean and silently
// rename the property. Mapping order is kept, numbers are copied digit for digit (no float64
// rounding), and errors carry the line and column of the problem.
package yamljson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxDepth bounds nesting, so a hostile document cannot exhaust the stack.
const maxDepth = 10000

// maxNodes bounds the nodes written, so aliases that refer to aliases ("billion laughs")
// cannot expand a small document into an enormous one.
const maxNodes = 5_000_000

// Convert returns the JSON encoding of the single YAML document in data.
func Convert(data []byte) ([]byte, error) {
	doc, err := parse(data)
	if err != nil {
		return nil, err
	}
	return convert(doc)
}

// parse reads the single YAML document in data.
func parse(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 {
		return nil, fmt.Errorf("empty document")
	}
	return &doc, nil
}

func convert(doc *yaml.Node) ([]byte, error) {
	w := &writer{}
	if err := w.write(doc, 0); err != nil {
		return nil, err
	}
	return w.b.Bytes(), nil
}

type writer struct {
	b     bytes.Buffer
	nodes int
}

func (w *writer) write(n *yaml.Node, depth int) error {
	if depth > maxDepth {
		return errAt(n, "nesting deeper than %d", maxDepth)
	}
	if w.nodes++; w.nodes > maxNodes {
		return errAt(n, "document expands to more than %d nodes (aliases?)", maxNodes)
	}
	b := &w.b
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return errAt(n, "want one document")
		}
		return w.write(n.Content[0], depth+1)
	case yaml.AliasNode:
		return w.write(n.Alias, depth+1)
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := w.write(c, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	case yaml.MappingNode:
		return w.writeMapping(n, depth)
	case yaml.ScalarNode:
		return writeScalar(b, n)
	}
	return errAt(n, "unsupported YAML node")
}

func (w *writer) writeMapping(n *yaml.Node, depth int) error {
	b := &w.b
	b.WriteByte('{')
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return errAt(k, "mapping key is not a scalar")
		}
		if k.Tag == "!!merge" {
			return errAt(k, "merge keys (<<) are not supported")
		}
		if seen[k.Value] {
			return errAt(k, "duplicate key %q", k.Value)
		}
		seen[k.Value] = true
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(k.Value)
		b.Write(key)
		b.WriteByte(':')
		if err := w.write(v, depth+1); err != nil {
			return err
		}
	}
	b.WriteByte('}')
	return nil
}

func writeScalar(b *bytes.Buffer, n *yaml.Node) error {
	switch n.ShortTag() {
	case "!!null":
		b.WriteString("null")
	case "!!bool":
		v, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err != nil {
			return errAt(n, "bad boolean %q", n.Value)
		}
		b.WriteString(strconv.FormatBool(v))
	case "!!int", "!!float":
		return writeNumber(b, n)
	default:
		s, _ := json.Marshal(n.Value)
		b.Write(s)
	}
	return nil
}

// writeNumber copies a number that is already valid JSON as it is, and converts YAML-only
// spellings (0x1F, 0o17, +1, 1_000) through strconv.
func writeNumber(b *bytes.Buffer, n *yaml.Node) error {
	if json.Valid([]byte(n.Value)) {
		b.WriteString(n.Value)
		return nil
	}
	if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
		b.WriteString(strconv.FormatInt(i, 10))
		return nil
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return errAt(n, "number %q has no JSON form", n.Value)
	}
	b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	return nil
}

func errAt(n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("line %d, column %d: %s", n.Line, n.Column, fmt.Sprintf(format, args...))
}
