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

// shapes holds the shape key of every schema node computed so far. A key is equal for two
// schemas exactly when they constrain values the same way as written: annotations (title,
// description, examples, defaults, deprecated, readOnly/writeOnly) are ignored, and a $ref
// is represented by the location it resolves to, so recursive schemas have a finite key.
// A node's key is computed from its own keywords and its subschemas' keys, once.
type shapes map[*schema.Schema]string

func (c shapes) key(s *schema.Schema) string {
	if k, ok := c[s]; ok {
		return k
	}
	var b strings.Builder
	c.write(&b, s)
	sum := sha256.Sum256([]byte(b.String()))
	k := hex.EncodeToString(sum[:12])
	c[s] = k
	return k
}

// writeChild writes a subschema as its key.
func (c shapes) writeChild(b *strings.Builder, s *schema.Schema) {
	if s == nil {
		b.WriteString("~")
		return
	}
	b.WriteString(c.key(s))
}

func (c shapes) write(b *strings.Builder, s *schema.Schema) {
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
	c.writeNamed(b, "props", s.Properties)
	if s.Required != nil {
		rs := append([]string(nil), s.Required...)
		sort.Strings(rs)
		fmt.Fprintf(b, "req:%q", rs)
	}
	c.writeSub(b, "ap", s.AdditionalProperties)
	c.writeNamed(b, "pp", s.PatternProperties)
	c.writeSub(b, "pn", s.PropertyNames)
	writeInt(b, "minp", s.MinProperties)
	writeInt(b, "maxp", s.MaxProperties)
	for _, d := range s.DependentRequired {
		fmt.Fprintf(b, "dr:%q%q", d.Name, d.Required)
	}
	c.writeNamed(b, "ds", s.DependentSchemas)
	c.writeList(b, "prefix", s.PrefixItems)
	c.writeSub(b, "items", s.Items)
	c.writeSub(b, "contains", s.Contains)
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
	c.writeList(b, "allOf", s.AllOf)
	c.writeList(b, "anyOf", s.AnyOf)
	c.writeList(b, "oneOf", s.OneOf)
	c.writeSub(b, "not", s.Not)
	c.writeSub(b, "if", s.If)
	c.writeSub(b, "then", s.Then)
	c.writeSub(b, "else", s.Else)
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
	c.writeSub(b, "up", s.UnevaluatedProperties)
	c.writeSub(b, "ui", s.UnevaluatedItems)
	b.WriteString("}")
}

func (c shapes) writeSub(b *strings.Builder, k string, s *schema.Schema) {
	if s != nil {
		b.WriteString(k + ":")
		c.writeChild(b, s)
	}
}

func (c shapes) writeNamed(b *strings.Builder, k string, list []schema.Named) {
	if list == nil {
		return
	}
	b.WriteString(k + ":[")
	for _, n := range list {
		fmt.Fprintf(b, "%q=", n.Name)
		c.writeChild(b, n.Schema)
	}
	b.WriteString("]")
}

func (c shapes) writeList(b *strings.Builder, k string, list []*schema.Schema) {
	if list == nil {
		return
	}
	b.WriteString(k + ":[")
	for _, s := range list {
		c.writeChild(b, s)
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
