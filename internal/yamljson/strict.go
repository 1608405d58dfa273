package yamljson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// UnmarshalStrict decodes a YAML (or JSON) document into v, a pointer, like encoding/json,
// but refuses members v has no field for, so that a misspelt key in a config file is an
// error, not ignored; and a member of the wrong kind (a list where v has a map, a number
// where it has a string) is reported with its line, column and JSON Pointer, which
// encoding/json's errors do not give.
func UnmarshalStrict(data []byte, v any) error {
	doc, err := parse(data)
	if err != nil {
		return err
	}
	c := &shapeChecker{}
	if err := c.check(doc, reflect.TypeOf(v), "", 0); err != nil {
		return err
	}
	js, err := convert(doc)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	shaperType      = reflect.TypeFor[Shaper]()
)

// Shaper is a type that decodes itself (a json.Unmarshaler) from a document shaped like
// another Go type, which it returns: UnmarshalStrict checks the document against that type,
// so that a value of the wrong kind inside it is still reported with its line and pointer.
// A list kept in the order its mapping was written, say, is shaped like map[string]string.
type Shaper interface {
	JSONShape() reflect.Type
}

// shapeChecker finds the members of a document that a Go type has no place for.
type shapeChecker struct {
	nodes int // visited, bounded as in Convert: aliases can make a small document huge
}

// check reports the first member of n (at JSON Pointer ptr) that t has no place for.
func (c *shapeChecker) check(n *yaml.Node, t reflect.Type, ptr string, depth int) error {
	if depth > maxDepth {
		return shapeErr(n, ptr, "nesting deeper than %d", maxDepth)
	}
	if c.nodes++; c.nodes > maxNodes {
		return shapeErr(n, ptr, "document expands to more than %d nodes (aliases?)", maxNodes)
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return errAt(n, "want one document")
		}
		return c.check(n.Content[0], t, ptr, depth+1)
	case yaml.AliasNode:
		return c.check(n.Alias, t, ptr, depth+1)
	}
	if reflect.PointerTo(t).Implements(shaperType) {
		t = reflect.New(t).Interface().(Shaper).JSONShape()
	}
	if n.ShortTag() == "!!null" || t.Kind() == reflect.Interface || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil // null fits anything; the rest decode themselves
	}
	switch t.Kind() {
	case reflect.Struct:
		return c.checkStruct(n, t, ptr, depth)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return wrongKind(n, ptr, "a mapping")
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := c.check(n.Content[i+1], t.Elem(), ptr+"/"+escape(n.Content[i].Value), depth+1); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			return wrongKind(n, ptr, "a list")
		}
		for i, item := range n.Content {
			if err := c.check(item, t.Elem(), ptr+"/"+strconv.Itoa(i), depth+1); err != nil {
				return err
			}
		}
	case reflect.String:
		return wantScalar(n, ptr, "a string", "!!str", "!!timestamp")
	case reflect.Bool:
		return wantScalar(n, ptr, "true or false", "!!bool")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n.ShortTag() == "!!float" && isDigits(strings.TrimLeft(n.Value, "+-")) {
			return checkRange(n, t, ptr) // yaml.v3 calls integers beyond int64 floats
		}
		if err := wantScalar(n, ptr, "an integer", "!!int"); err != nil {
			return err
		}
		return checkRange(n, t, ptr)
	case reflect.Float32, reflect.Float64:
		if n.ShortTag() == "!!str" && isRangeErr(strconv.ParseFloat(n.Value, 64)) {
			return checkRange(n, t, ptr) // yaml.v3 calls floats beyond float64 strings
		}
		if err := wantScalar(n, ptr, "a number", "!!int", "!!float"); err != nil {
			return err
		}
		return checkRange(n, t, ptr)
	}
	return nil
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func isRangeErr(_ float64, err error) bool {
	return errors.Is(err, strconv.ErrRange)
}

// checkRange reports a number that t cannot hold.
func checkRange(n *yaml.Node, t reflect.Type, ptr string) error {
	var err error
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		_, err = strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), t.Bits())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		_, err = strconv.ParseUint(strings.TrimPrefix(n.Value, "+"), 0, t.Bits())
	default:
		_, err = strconv.ParseInt(n.Value, 0, t.Bits())
	}
	if err != nil {
		return shapeErr(n, ptr, "%s does not fit in %s", n.Value, t.Kind())
	}
	return nil
}

func (c *shapeChecker) checkStruct(n *yaml.Node, t reflect.Type, ptr string, depth int) error {
	if n.Kind != yaml.MappingNode {
		return wrongKind(n, ptr, "a mapping")
	}
	fields := map[string]reflect.Type{}
	jsonFields(t, fields)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		at := ptr + "/" + escape(k.Value)
		ft, ok := fields[k.Value]
		if !ok {
			return shapeErr(k, at, "unknown member %q%s", k.Value, suggest(k.Value, fields))
		}
		if err := c.check(n.Content[i+1], ft, at, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// jsonFields adds the members encoding/json decodes into t, by name, to fields.
func jsonFields(t reflect.Type, fields map[string]reflect.Type) {
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				jsonFields(ft, fields)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
}

// suggest names the member a misspelt key probably meant: one that differs only in case.
func suggest(key string, fields map[string]reflect.Type) string {
	for name := range fields {
		if strings.EqualFold(name, key) {
			return fmt.Sprintf(" (did you mean %q?)", name)
		}
	}
	return ""
}

func wantScalar(n *yaml.Node, ptr, want string, tags ...string) error {
	if n.Kind == yaml.ScalarNode {
		for _, tag := range tags {
			if n.ShortTag() == tag {
				return nil
			}
		}
		if tags[0] == "!!str" {
			return shapeErr(n, ptr, "want a string, got %s (quote it)", n.Value)
		}
	}
	return wrongKind(n, ptr, want)
}

func wrongKind(n *yaml.Node, ptr, want string) error {
	return shapeErr(n, ptr, "want %s, got %s", want, kindName(n))
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!str":
		return "a string"
	case "!!bool":
		return "a boolean"
	case "!!int", "!!float":
		return "a number"
	}
	return n.ShortTag()
}

func shapeErr(n *yaml.Node, ptr, format string, args ...any) error {
	return errAt(n, "#%s: %s", ptr, fmt.Sprintf(format, args...))
}

// escape escapes a member name for a JSON Pointer (RFC 6901).
func escape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
