package yamljson

import (
	"bytes"
	"encoding/json"
	"reflect"
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

// TestUnmarshalStrictErrors: every mistake is reported with its line, column and JSON
// Pointer, not as encoding/json's Go-typed message.
func TestUnmarshalStrictErrors(t *testing.T) {
	type job struct {
		Name  string            `json:"name"`
		Tasks map[string]string `json:"tasks,omitempty"`
	}
	type embedded struct {
		Region string `json:"region"`
	}
	type config struct {
		embedded
		Jobs    []job   `json:"jobs"`
		Retries int     `json:"retries"`
		Ratio   float64 `json:"ratio"`
		Debug   bool    `json:"debug"`
		Extra   any     `json:"extra"`
		Skipped string  `json:"-"`
	}
	for _, tt := range []struct{ in, want string }{
		{"jobs:\n  - name: a\n    taks: {}\n", `line 3, column 5: #/jobs/0/taks: unknown member "taks"`},
		{"Jobs: []\n", `#/Jobs: unknown member "Jobs" (did you mean "jobs"?)`},
		{"Skipped: x\n", `#/Skipped: unknown member`},
		{"jobs: {a: 1}\n", "line 1, column 7: #/jobs: want a list, got a mapping"},
		{"jobs:\n  - name: 12\n", "line 2, column 11: #/jobs/0/name: want a string, got 12 (quote it)"},
		{"jobs:\n  - tasks: [x]\n", "#/jobs/0/tasks: want a mapping, got a list"},
		{"jobs:\n  - tasks:\n      a/b: [x]\n", "line 3, column 12: #/jobs/0/tasks/a~1b: want a string, got a list"},
		{"retries: 1.5\n", "#/retries: want an integer, got a number"},
		{"retries: 99999999999999999999\n", "#/retries: 99999999999999999999 does not fit in int"},
		{"ratio: x\n", "#/ratio: want a number, got a string"},
		{"ratio: 1e400\n", "#/ratio: 1e400 does not fit in float64"},
		{"debug: yes\n", "#/debug: want true or false, got a string"},
		{"extra: &a [x]\nregion: *a\n", "#/region: want a string, got a list"},
	} {
		var v config
		err := UnmarshalStrict([]byte(tt.in), &v)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("UnmarshalStrict(%q) error = %v, want it to contain %q", tt.in, err, tt.want)
		}
	}
	var v config
	in := "region: eu\njobs: [{name: a, tasks: {k: v}}]\nretries: 0x10\nratio: 2\ndebug: true\nextra: {any: [1]}\n"
	if err := UnmarshalStrict([]byte(in), &v); err != nil {
		t.Fatalf("valid document: %v", err)
	}
	if v.Region != "eu" || len(v.Jobs) != 1 || v.Jobs[0].Tasks["k"] != "v" || v.Retries != 16 || v.Ratio != 2 || !v.Debug || v.Extra == nil {
		t.Errorf("decoded %+v", v)
	}
	var date struct {
		Version string `json:"version"`
	}
	if err := UnmarshalStrict([]byte("version: 2024-01-02\n"), &date); err != nil || date.Version != "2024-01-02" {
		t.Errorf("a date into a string: %+v, %v", date, err)
	}
}

func FuzzUnmarshalStrict(f *testing.F) {
	for _, s := range []string{"jobs: [{name: a, tasks: {k: v}}]", "jobs: {a: 1}", "a: &x [1]\njobs: *x", "Jobs: []", "retries: 1e400"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v struct {
			Jobs []struct {
				Name  string            `json:"name"`
				Tasks map[string]string `json:"tasks"`
				Deps  [][]int           `json:"deps"`
			} `json:"jobs"`
			Retries int     `json:"retries"`
			Small   uint8   `json:"small"`
			Ratio   float32 `json:"ratio"`
			Extra   any     `json:"extra"`
			Debug   bool    `json:"debug"`
		}
		err := UnmarshalStrict(data, &v)
		if err != nil && strings.Contains(err.Error(), "Go struct field") {
			t.Errorf("UnmarshalStrict(%q): encoding/json's error escaped the shape check: %v", data, err)
		}
	})
}

// ordered decodes a mapping of strings into a list that keeps the mapping's order, and is
// shaped like map[string]string for the strict check.
type ordered []string

func (ordered) JSONShape() reflect.Type { return reflect.TypeFor[map[string]string]() }

func (o *ordered) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return err
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return err
		}
		var v string
		if err := dec.Decode(&v); err != nil {
			return err
		}
		*o = append(*o, k.(string)+"="+v)
	}
	return nil
}

// TestShaperIsCheckedAgainstItsShape: a type that decodes itself is still held to the shape
// it names, with line and pointer, and then decodes itself.
func TestShaperIsCheckedAgainstItsShape(t *testing.T) {
	var v struct {
		Tasks ordered `json:"tasks"`
	}
	for _, tt := range []struct{ in, want string }{
		{"tasks:\n  a: 12\n", "line 2, column 6: #/tasks/a: want a string, got 12 (quote it)"},
		{"tasks: [x]\n", "line 1, column 8: #/tasks: want a mapping, got a list"},
	} {
		if err := UnmarshalStrict([]byte(tt.in), &v); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("UnmarshalStrict(%q) error = %v, want it to contain %q", tt.in, err, tt.want)
		}
	}
	if err := UnmarshalStrict([]byte("tasks:\n  z: b\n  a: c\n"), &v); err != nil || strings.Join(v.Tasks, ",") != "z=b,a=c" {
		t.Errorf("decoded %v, %v; want z=b,a=c in the order written", v.Tasks, err)
	}
}
