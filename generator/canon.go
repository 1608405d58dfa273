package generator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/gbggen/gbggen/generator/schema"
)

// canon returns a key that is equal for two schemas exactly when they
// constrain values the same way as written: annotations (title,
// description, examples, defaults, deprecated, readOnly/writeOnly) are
// ignored, and a $ref is represented by the location it resolves to, so
// recursive schemas have a finite key.
//
// A node's key is computed from its own keywords and its subschemas' keys, once, and kept
// in the node.
func canon(s *schema.Schema) string {
	if s.ShapeKey != "" {
		return s.ShapeKey
	}
	var b strings.Builder
	writeCanon(&b, s)
	sum := sha256.Sum256([]byte(b.String()))
	s.ShapeKey = hex.EncodeToString(sum[:12])
	return s.ShapeKey
}

// writeChild writes a subschema as its key.
func writeChild(b *strings.Builder, s *schema.Schema) {
	if s == nil {
		b.WriteString("~")
		return
	}
	b.WriteString(canon(s))
}

func writeCanon(b *strings.Builder, s *schema.Schema) {
	if s == nil {
		b.WriteString("~")
		return
	}
	if s.Bool != nil {
		fmt.Fprintf(b, "%v", *s.Bool)
		return
	}
	fmt.Fprintf(b, "{d%d", s.Draft)
	if s.Ref != nil {
		fmt.Fprintf(b, "ref:%q", s.Ref.Location())
	}
	if s.Types != nil {
		ts := append([]string(nil), s.Types...)
		sort.Strings(ts)
		fmt.Fprintf(b, "type:%q", ts)
	}
	writeNamed(b, "props", s.Properties)
	if s.Required != nil {
		rs := append([]string(nil), s.Required...)
		sort.Strings(rs)
		fmt.Fprintf(b, "req:%q", rs)
	}
	writeSub(b, "ap", s.AdditionalProperties)
	writeNamed(b, "pp", s.PatternProperties)
	writeSub(b, "pn", s.PropertyNames)
	writeInt(b, "minp", s.MinProperties)
	writeInt(b, "maxp", s.MaxProperties)
	for _, d := range s.DependentRequired {
		fmt.Fprintf(b, "dr:%q%q", d.Name, d.Required)
	}
	writeNamed(b, "ds", s.DependentSchemas)
	writeList(b, "prefix", s.PrefixItems)
	writeSub(b, "items", s.Items)
	writeSub(b, "contains", s.Contains)
	writeInt(b, "minc", s.MinContains)
	writeInt(b, "maxc", s.MaxContains)
	writeInt(b, "mini", s.MinItems)
	writeInt(b, "maxi", s.MaxItems)
	if s.UniqueItems {
		b.WriteString("unique")
	}
	if s.HasEnum {
		fmt.Fprintf(b, "enum:%s", jsonText(s.Enum))
	}
	if s.HasConst {
		fmt.Fprintf(b, "const:%s", jsonText(s.Const))
	}
	writeList(b, "allOf", s.AllOf)
	writeList(b, "anyOf", s.AnyOf)
	writeList(b, "oneOf", s.OneOf)
	writeSub(b, "not", s.Not)
	writeSub(b, "if", s.If)
	writeSub(b, "then", s.Then)
	writeSub(b, "else", s.Else)
	writeInt(b, "minl", s.MinLength)
	writeInt(b, "maxl", s.MaxLength)
	if s.Pattern != nil {
		fmt.Fprintf(b, "pattern:%q", *s.Pattern)
	}
	if s.Format != "" {
		fmt.Fprintf(b, "format:%q", s.Format)
	}
	for _, n := range []struct {
		k string
		v *json.Number
	}{{"min", s.Minimum}, {"max", s.Maximum}, {"xmin", s.ExclusiveMinimum}, {"xmax", s.ExclusiveMaximum}, {"mul", s.MultipleOf}} {
		if n.v != nil {
			fmt.Fprintf(b, "%s:%s", n.k, *n.v)
		}
	}
	writeSub(b, "up", s.UnevaluatedProperties)
	writeSub(b, "ui", s.UnevaluatedItems)
	b.WriteString("}")
}

func writeSub(b *strings.Builder, k string, s *schema.Schema) {
	if s != nil {
		b.WriteString(k + ":")
		writeChild(b, s)
	}
}

func writeNamed(b *strings.Builder, k string, list []schema.Named) {
	if list == nil {
		return
	}
	b.WriteString(k + ":[")
	for _, n := range list {
		fmt.Fprintf(b, "%q=", n.Name)
		writeChild(b, n.Schema)
	}
	b.WriteString("]")
}

func writeList(b *strings.Builder, k string, list []*schema.Schema) {
	if list == nil {
		return
	}
	b.WriteString(k + ":[")
	for _, s := range list {
		writeChild(b, s)
		b.WriteString(",")
	}
	b.WriteString("]")
}

func writeInt(b *strings.Builder, k string, v *int) {
	if v != nil {
		fmt.Fprintf(b, "%s:%d", k, *v)
	}
}

// jsonText renders a loaded JSON value canonically (see schema.CanonicalJSON). It is also
// the form embedded in generated code for enum and const values, and the input of
// SchemaDigest.
func jsonText(v any) string { return schema.CanonicalJSON(v) }

func appendJSONString(b []byte, s string) []byte {
	out, _ := json.Marshal(s)
	return append(b, out...)
}
