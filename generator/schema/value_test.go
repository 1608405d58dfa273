package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"testing"
)

func TestCanonicalJSON(t *testing.T) {
	tests := []struct{ src, want string }{
		{`null`, `null`},
		{`true`, `true`},
		{`1.50`, `1.50`}, // numbers keep the text they were written with
		{`-2e3`, `-2e3`},
		{`"a<b & \"c\"\n"`, `"a<b & \"c\"\n"`}, // quoted as encoding/json quotes, without HTML escaping
		{`[]`, `[]`},
		{`{}`, `{}`},
		{`{"b":1,"a":[{"d":null,"c":false}],"":"e"}`, `{"":"e","a":[{"c":false,"d":null}],"b":1}`},
	}
	for _, tt := range tests {
		v, err := ParseJSON([]byte(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		if got := CanonicalJSON(v); got != tt.want {
			t.Errorf("CanonicalJSON(%s) = %s, want %s", tt.src, got, tt.want)
		}
	}
}

// FuzzParseJSON holds ParseJSON to encoding/json: the same documents are valid, and a valid
// one decodes to the same value (member order aside, numbers as json.Number).
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{
		`{"a":[1,-2.5e+3,true,false,null,"x\u00e9\"\\\n"],"b":{},"c":[],"a":0}`,
		`"\ud800"`, "\"\xff\xfe\"", `01`, `-`, `1.`, `1e`, `[1,]`, `{"a" 1}`, `{"a":1,}`,
		`  {"deep":[[[[{}]]]]}  `, `nul`, `tru`, "\"tab\there\"", `{"a":1}x`, ``, ` `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ParseJSON(data)
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var want any
		werr := dec.Decode(&want)
		if werr == nil && dec.More() {
			werr = errors.New("data after the document")
		}
		if (err == nil) != json.Valid(data) {
			t.Fatalf("ParseJSON(%q) error = %v, json.Valid = %v", data, err, json.Valid(data))
		}
		if err != nil {
			if !regexp.MustCompile(`^\d+:\d+: `).MatchString(err.Error()) {
				t.Fatalf("error %q has no line:column", err)
			}
			return
		}
		if werr != nil {
			t.Fatalf("encoding/json rejects %q: %v", data, werr)
		}
		if plain := unordered(got); !reflect.DeepEqual(plain, want) {
			t.Fatalf("ParseJSON(%q) = %#v, encoding/json gives %#v", data, plain, want)
		}
	})
}

// unordered turns *Object values into maps.
func unordered(v any) any {
	switch t := v.(type) {
	case *Object:
		m := map[string]any{}
		for k, e := range t.Values {
			m[k] = unordered(e)
		}
		return m
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = unordered(e)
		}
		return out
	}
	return v
}

func TestParseJSONErrors(t *testing.T) {
	for src, want := range map[string]string{
		"{\n  \"a\": }": `2:8: invalid character '}' looking for beginning of value`,
		`[1 2]`:         `1:4: invalid character '2' after array element`,
		`{"a":1} x`:     `1:9: invalid character 'x' after top-level value`,
		`{"a":tru}`:     `1:9: invalid character '}' in literal true (expecting 'e')`,
		`"abc`:          `1:5: unexpected end of JSON input`,
		`-x`:            `1:2: invalid character 'x' in numeric literal`,
		`{"a":1,"b"`:    `1:11: unexpected end of JSON input`,
	} {
		_, err := ParseJSON([]byte(src))
		if err == nil || err.Error() != want {
			t.Errorf("ParseJSON(%q) = %v, want %s", src, err, want)
		}
	}
}
