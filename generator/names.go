package generator

import (
	"go/token"
	"strings"
	"unicode"
)

// initialisms are written in upper case in Go identifiers.
var initialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "DNS": true, "EOF": true,
	"GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "IBAN": true, "ID": true, "IP": true,
	"JSON": true, "JWT": true, "LHS": true, "OCR": true, "QPS": true, "RAM": true, "RHS": true,
	"RPC": true, "SLA": true, "SMTP": true, "SQL": true, "SSH": true, "TCP": true, "TLS": true,
	"TTL": true, "UDP": true, "UI": true, "UID": true, "UUID": true, "URI": true, "URL": true,
	"UTF8": true, "VM": true, "LDS": true, "XML": true, "XMPP": true, "XSRF": true, "XSS": true, "MRZ": true,
}

// words splits a JSON name into words at case changes, digits→letters
// and any non-alphanumeric character.
func splitWords(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if len(cur) > 0 {
			prev := cur[len(cur)-1]
			lowerToUpper := unicode.IsUpper(r) && !unicode.IsUpper(prev)
			acronymEnd := unicode.IsUpper(r) && unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if lowerToUpper || acronymEnd {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// goName turns a JSON name into an exported Go identifier: camel case,
// initialisms upper-cased, a leading character that cannot start an
// exported name prefixed with X. The empty name gives "Empty".
func goName(s string) string {
	ws := splitWords(s)
	if len(ws) == 0 {
		if s == "" {
			return "Empty"
		}
		return "X" + hexName(s)
	}
	var b strings.Builder
	for _, w := range ws {
		up := strings.ToUpper(w)
		if initialisms[up] {
			b.WriteString(up)
			continue
		}
		rs := []rune(w)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	name := b.String()
	r := []rune(name)[0]
	if !unicode.IsUpper(r) {
		name = "X" + name
	}
	return name
}

func hexName(s string) string {
	const digits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s) && i < 8; i++ {
		b.WriteByte(digits[s[i]>>4])
		b.WriteByte(digits[s[i]&15])
	}
	return b.String()
}

// lowerName is goName with a lower-case first word, for parameters.
func lowerName(s string) string {
	n := goName(s)
	ws := splitWords(n)
	if len(ws) == 0 {
		return "v"
	}
	first := ws[0]
	rest := n[len(first):]
	if initialisms[strings.ToUpper(first)] {
		first = strings.ToLower(first)
	} else {
		rs := []rune(first)
		rs[0] = unicode.ToLower(rs[0])
		first = string(rs)
	}
	out := first + rest
	if alt, ok := conventional[out]; ok {
		return alt
	}
	if token.Lookup(out).IsKeyword() || isPredeclared(out) {
		out += "_"
	}
	return out
}

// conventional holds the names Go programmers write for a variable that would be a keyword
// or shadow a name the generated code uses.
var conventional = map[string]string{
	"type": "typ", "func": "fn", "package": "pkg", "range": "rng", "default": "def",
	"interface": "iface", "select": "sel", "map": "m", "chan": "ch", "var": "variable",
	"context": "contextValue", "error": "errValue", "string": "str", "len": "length",
}

func isPredeclared(s string) bool {
	switch s {
	case "string", "int", "bool", "error", "any", "len", "cap", "new", "make", "append", "copy",
		"nil", "true", "false", "byte", "rune", "float64", "int64", "errs", "p", "v", "b", "err", "json",
		"validate", "strconv", "regexp", "utf8", "sort", "bytes", "errors", "fmt", "context", "gbg", "ctx", "client":
		return true
	}
	return false
}

// singular turns a plural English noun into its singular, for naming the
// element type of an array property (emails → Email).
func singular(s string) string {
	lower := strings.ToLower(s)
	switch {
	case len(s) <= 3:
		return s
	case strings.HasSuffix(lower, "ies"):
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(lower, "sses"), strings.HasSuffix(lower, "shes"), strings.HasSuffix(lower, "ches"),
		strings.HasSuffix(lower, "xes"), strings.HasSuffix(lower, "uses"):
		return s[:len(s)-2]
	case strings.HasSuffix(lower, "iases"):
		return s[:len(s)-2]
	case strings.HasSuffix(lower, "ss"), strings.HasSuffix(lower, "us"), strings.HasSuffix(lower, "is"):
		return s
	case strings.HasSuffix(lower, "s"):
		return s[:len(s)-1]
	}
	return s
}

// qualifiers are leading words that say which instance of a shape a
// property is, not what the shape is: currentAddress is an Address.
var qualifiers = []string{"current", "previous", "primary", "secondary", "main", "default", "other", "new", "old"}

// stripQualifier removes a qualifier word from the front of a camel-case
// name, if something is left.
func stripQualifier(s string) string {
	ws := splitWords(s)
	if len(ws) < 2 {
		return s
	}
	for _, q := range qualifiers {
		if strings.EqualFold(ws[0], q) {
			return strings.Join(ws[1:], "")
		}
	}
	return s
}

// article puts "a" or "an" before a type name, by its first letter: good enough for
// generated comments ("an Identity", "a Document").
func article(name string) string {
	if name != "" && strings.ContainsRune("AEIOU", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}
