package yamljson

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestConvert(t *testing.T) {
	tests := []struct{ in, want string }{
		{"y: 1\nn: 2\non: 3\noff: no\n", `{"y":1,"n":2,"on":3,"off":"no"}`},
		{"b: true\nc: false\nd: ~\n", `{"b":true,"c":false,"d":null}`},
		{"z: 1\na: 2\n", `{"z":1,"a":2}`},
		{"big: 123456789012345678901234567890\nf: 1.50\n", `{"big":123456789012345678901234567890,"f":1.50}`},
		{"hex: 0x1F\nplus: +3\nsep: 1_000\n", `{"hex":31,"plus":3,"sep":1000}`},
		{"- a\n- [1, 2]\n- {k: v}\n", `["a",[1,2],{"k":"v"}]`},
		{"pattern: '^\\d{4}$'\n", `{"pattern":"^\\d{4}$"}`},
		{"a: &x {t: 1}\nb: *x\n", `{"a":{"t":1},"b":{"t":1}}`},
		{"s: \"1\"\n", `{"s":"1"}`},
	}
	for _, tt := range tests {
		got, err := Convert([]byte(tt.in))
		if err != nil {
			t.Errorf("Convert(%q): %v", tt.in, err)
			continue
		}
		if string(got) != tt.want {
			t.Errorf("Convert(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestConvertErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty document"},
		{"a: 1\na: 2\n", `line 2, column 1: duplicate key "a"`},
		{"a: [1,\n", "line"},
		{"x: .inf\n", `line 1, column 4: number ".inf" has no JSON form`},
		{"? [a]\n: 1\n", "line 1, column 3: mapping key is not a scalar"},
		{"a: &a [*a]\n", ""},
		{billionLaughs(), "more than"},
	}
	for _, tt := range tests {
		_, err := Convert([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Convert(%q) error = %v, want it to contain %q", tt.in, err, tt.want)
		}
	}
}

func FuzzConvert(f *testing.F) {
	for _, s := range []string{"a: 1", "- x\n- y", "a: &x [1]\nb: *x", "{", "y: n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := Convert(data)
		if err == nil && !json.Valid(out) {
			t.Fatalf("Convert(%q) = %q: not JSON", data, out)
		}
	})
}

func billionLaughs() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		prev := "*a" + string(rune('0'+i-1))
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" + strings.Repeat(prev+", ", 9) + prev + "]\n")
	}
	return b.String()
}

func TestUnmarshalStrict(t *testing.T) {
	var v struct {
		Name string            `json:"name"`
		Keys map[string]string `json:"keys"`
	}
	if err := UnmarshalStrict([]byte("name: x\nkeys: {y: n}\n"), &v); err != nil || v.Name != "x" || v.Keys["y"] != "n" {
		t.Fatalf("got %+v, %v", v, err)
	}
	if err := UnmarshalStrict([]byte("name: x\nnmae: y\n"), &v); err == nil || !strings.Contains(err.Error(), "nmae") {
		t.Errorf("unknown key error = %v", err)
	}
}
