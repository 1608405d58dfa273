package generator

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/generator/schema"
)

// TestStableNames edits golden schemas the way a republished schema changes (a property
// added at the top, one removed, two swapped) and requires the generated file to change
// only where that property is: no other type, field, check function, regexp, literal or
// local variable may be renamed or moved. Lines are compared with runs of blanks folded,
// since gofmt realigns the columns of a struct whose longest field changes.
func TestStableNames(t *testing.T) {
	tests := []struct {
		dir, at     string // golden case, pointer to the properties object edited
		edit        string // add (at the top), remove, swap
		prop, other string // the property (and for swap the second one)
		value       string // schema of an added property
	}{
		{"dynamic", "/properties", "add", "zz", "", `{"not": {"const": "zz"}}`},
		{"dynamic", "/properties", "add", "zz", "", `{"type": "object", "properties": {"zzLabel": {"type": "string", "pattern": "^zz$"}}}`},
		{"dynamic", "/properties", "add", "zz", "", `{"anyOf": [{"type": "integer", "minimum": 3}, {"type": "string", "pattern": "^z"}]}`},
		{"dynamic", "/properties", "remove", "notFive", "", ""},
		{"dynamic", "/properties", "remove", "some", "", ""},
		{"dynamic", "/properties", "swap", "tuple", "big", ""},
		{"dynamic", "/properties", "swap", "notFive", "conditional", ""},
		{"basic", "/properties/subject/properties/identity/properties", "add", "zz", "", `{"type": "object", "properties": {"zzCode": {"type": "string", "pattern": "^[A-Z]{2}$"}}}`},
		{"basic", "/properties/subject/properties/identity/properties", "remove", "score", "", ""},
		{"basic", "/properties/subject/properties/identity/properties", "swap", "age", "score", ""},
		{"sum", "/properties", "add", "zz", "", `{"oneOf": [{"type": "string", "pattern": "^zz"}, {"type": "boolean"}]}`},
		{"sum", "/properties", "swap", "payment", "ids", ""},
		{"merge", "/properties", "add", "zz", "", `{"allOf": [{"type": "object", "properties": {"zzA": {"type": "string"}}}, {"required": ["zzA"]}]}`},
		{"merge", "/properties", "remove", "tags", "", ""},
		{"union", "/properties", "add", "zz", "", `{"type": "array", "items": {"type": "string", "format": "email"}}`},
		{"names", "/properties", "swap", "newKind", "kind", ""},
		{"refs", "/$defs/node/properties", "add", "zz", "", `{"type": "object", "properties": {"zzNext": {"$ref": "#/$defs/node"}}}`},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%s-%s", tc.dir, tc.edit, tc.prop), func(t *testing.T) {
			path := filepath.Join("testdata", tc.dir, "schema.json")
			data, err := os.ReadFile(path)
			must(t, err)
			before := generateFrom(t, path, data)
			doc, err := schema.ParseJSON(data)
			must(t, err)
			props := objectAt(t, doc, tc.at)
			words := []string{tc.prop}
			switch tc.edit {
			case "add":
				v, err := schema.ParseJSON([]byte(tc.value))
				must(t, err)
				props.Keys = append([]string{tc.prop}, props.Keys...)
				props.Values[tc.prop] = v
			case "remove":
				props.Keys = slices.DeleteFunc(props.Keys, func(k string) bool { return k == tc.prop })
				delete(props.Values, tc.prop)
			case "swap":
				i, j := slices.Index(props.Keys, tc.prop), slices.Index(props.Keys, tc.other)
				props.Keys[i], props.Keys[j] = props.Keys[j], props.Keys[i]
				words = append(words, tc.other)
			}
			after := generateFrom(t, path, []byte(orderedJSON(doc)))
			ins, del, hunks := lineDiff(before, after)
			switch {
			case tc.edit == "add" && del > 0:
				t.Errorf("adding %s removed or changed %d lines", tc.prop, del)
			case tc.edit == "remove" && ins > 0:
				t.Errorf("removing %s added or changed %d lines", tc.prop, ins)
			case tc.edit == "swap" && ins != del:
				t.Errorf("swapping %s and %s: %d lines in, %d out", tc.prop, tc.other, ins, del)
			case ins+del == 0 && tc.edit != "swap":
				t.Errorf("the edit changed nothing: the test does not test")
			}
			if tc.edit == "swap" {
				// The swapped members' declarations, and the types found under them,
				// trade places; nothing else may change.
				if !slices.Equal(sortedLines(before), sortedLines(after)) {
					t.Errorf("swapping %s and %s changed lines, not only their order", tc.prop, tc.other)
				}
			} else {
				for _, h := range hunks {
					if !mentions(h, words) && !importsOnly(h) {
						t.Errorf("a change unrelated to %v:\n%s", words, h)
					}
				}
			}
			t.Logf("%d lines in, %d out, %d hunks", ins, del, len(hunks))
		})
	}
}

func generateFrom(t *testing.T, path string, data []byte) []string {
	t.Helper()
	files, _, err := Generate(Options{Package: "p", Roots: []Root{{Name: "Root", Schema: path, Data: data}}})
	must(t, err)
	return strings.Split(string(files[0].Content), "\n")
}

func objectAt(t *testing.T, doc any, pointer string) *schema.Object {
	t.Helper()
	v := doc
	for _, tok := range strings.Split(pointer, "/")[1:] {
		o, ok := v.(*schema.Object)
		if !ok {
			t.Fatalf("%s: not an object at %s", pointer, tok)
		}
		v = o.Values[tok]
	}
	o, ok := v.(*schema.Object)
	if !ok {
		t.Fatalf("%s is not an object", pointer)
	}
	return o
}

// orderedJSON writes a parsed document back with its members in order.
func orderedJSON(v any) string {
	switch v := v.(type) {
	case *schema.Object:
		var parts []string
		for _, k := range v.Keys {
			key, _ := json.Marshal(k)
			parts = append(parts, string(key)+":"+orderedJSON(v.Values[k]))
		}
		return "{" + strings.Join(parts, ",") + "}"
	case []any:
		var parts []string
		for _, e := range v {
			parts = append(parts, orderedJSON(e))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	out, _ := json.Marshal(v)
	return string(out)
}

var blanks = regexp.MustCompile(`[ \t]+`)

// lineDiff compares two files line by line (blank runs folded) by a longest common
// subsequence, and returns how many lines were inserted and deleted and each run of
// changed lines, as text.
func lineDiff(a, b []string) (ins, del int, hunks []string) {
	norm := func(s []string) []string {
		out := make([]string, len(s))
		for i, l := range s {
			out[i] = blanks.ReplaceAllString(strings.TrimSpace(l), " ")
		}
		return out
	}
	a, b = norm(a), norm(b)
	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var hunk strings.Builder
	flush := func() {
		if hunk.Len() > 0 {
			hunks = append(hunks, hunk.String())
			hunk.Reset()
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			flush()
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			hunk.WriteString("+" + b[j] + "\n")
			ins, j = ins+1, j+1
		default:
			hunk.WriteString("-" + a[i] + "\n")
			del, i = del+1, i+1
		}
	}
	flush()
	return ins, del, hunks
}

func sortedLines(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = blanks.ReplaceAllString(strings.TrimSpace(l), " ")
	}
	slices.Sort(out)
	return out
}

// importsOnly reports whether a hunk only adds or removes imports (a new check may need a
// package no other did).
func importsOnly(hunk string) bool {
	for _, l := range strings.Split(strings.TrimSuffix(hunk, "\n"), "\n") {
		if !strings.HasPrefix(l[1:], `"`) {
			return false
		}
	}
	return true
}

// mentions reports whether a hunk names one of the properties, in any case.
func mentions(hunk string, props []string) bool {
	h := strings.ToLower(hunk)
	for _, p := range props {
		if strings.Contains(h, strings.ToLower(p)) {
			return true
		}
	}
	return false
}
