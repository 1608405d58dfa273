package validate

import (
	"bytes"
	"cmp"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/internal/jsonscan"
)

// walk decodes any JSON value with the Decoder's typed methods, the way generated code
// does, choosing each by the value's first byte: objects become maps, arrays slices,
// numbers json.Number (through Raw, which keeps the literal), as json.Decoder.UseNumber
// decodes them.
func walk(d *Decoder) any {
	if !d.start() {
		return nil
	}
	switch c := d.data[d.i]; c {
	case '{':
		m := map[string]any{}
		for n := 0; d.Member(n); n++ {
			k := strings.Clone(d.Key())
			m[k] = walk(d)
		}
		return m
	case '[':
		a := []any{}
		for n := 0; d.Elem(n); n++ {
			a = append(a, walk(d))
		}
		return a
	case '"':
		var s string
		d.String(&s)
		return s
	case 't', 'f':
		var b bool
		d.Bool(&b)
		return b
	case 'n':
		if d.Null() {
			return nil
		}
		d.Skip() // not null: the error it is
		return nil
	}
	var raw json.RawMessage
	d.Raw(&raw)
	return json.Number(raw)
}

// checkDecoder decodes data with walk and compares with encoding/json: the same verdict as
// json.Valid and, for valid input, the same value as json.Decoder with UseNumber.
func checkDecoder(t *testing.T, data []byte) {
	t.Helper()
	d := NewDecoder(data)
	got := walk(&d)
	err := d.Finish()
	valid := json.Valid(data)
	if (err == nil) != valid && !deeperThanDecoder(data) {
		t.Fatalf("Decoder(%q): error %v, json.Valid says %v", data, err, valid)
	}
	if err != nil {
		return
	}
	want, werr := DecodeAny(data)
	if werr != nil {
		t.Fatalf("DecodeAny(%q): %v", data, werr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Decoder(%q) = %#v, encoding/json has %#v", data, got, want)
	}
}

func TestDecoderTricky(t *testing.T) {
	for _, s := range tricky {
		checkDecoder(t, []byte(s))
		checkDecoder(t, []byte(`{"x":`+s+`}`))
		checkDecoder(t, []byte(`[`+s+`, {"y": [`+s+`]}]`))
	}
}

func FuzzDecoder(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecoder(t, data)
	})
}

// The strings a Decoder returns are its own: changing the input afterwards changes none of
// them, and each holds its own bytes though they share one allocation.
func TestDecoderStringsOutliveInput(t *testing.T) {
	data := []byte(`{"a": "first", "b": ["second", "third"], "c": "caf\u00e9", "d": ""}`)
	d := NewDecoder(data)
	var a, c, dd string
	var b []string
	var opt *string
	for n := 0; d.Member(n); n++ {
		switch d.Key() {
		case "a":
			d.StringPtr(&opt)
			a = *opt
		case "b":
			d.Strings(&b)
		case "c":
			d.String(&c)
		case "d":
			d.String(&dd)
		}
	}
	if err := d.Finish(); err != nil {
		t.Fatal(err)
	}
	copy(data, bytes.Repeat([]byte("x"), len(data)))
	if a != "first" || *opt != "first" || !reflect.DeepEqual(b, []string{"second", "third"}) || c != "café" || dd != "" {
		t.Errorf("after the input changed: %q %q %q %q %q", a, *opt, b, c, dd)
	}
}

func TestDecoderKeyIndex(t *testing.T) {
	keys := []string{"a", "b", "id", "zz", "name", "type", "country"}
	data := []byte(`{"country":1, "a":1, "zz":1, "name":1, "nam":1, "types":1, "b":1, "id":1, "type":1, "":1}`)
	want := []int{6, 0, 3, 4, -1, -1, 1, 2, 5, -1}
	d := NewDecoder(data)
	var got []int
	for n := 0; d.Member(n); n++ {
		got = append(got, d.KeyIndex(keys))
		d.Skip()
	}
	if err := d.Finish(); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("KeyIndex = %v, %v; want %v", got, err, want)
	}
	// The empty name sorts first.
	d = NewDecoder([]byte(`{"": 1, "b": 2}`))
	got = nil
	for n := 0; d.Member(n); n++ {
		got = append(got, d.KeyIndex([]string{"", "a", "b"}))
		d.Skip()
	}
	if !reflect.DeepEqual(got, []int{0, 2}) {
		t.Errorf("KeyIndex with an empty name = %v", got)
	}
}

func TestPathTo(t *testing.T) {
	data := `{"a": 1, "b": {"c": [10, {"d": "x"}, [true]]}, "e\u0041": null}`
	for _, c := range []struct{ at, want string }{
		{`1`, `"a"`},
		{`10`, `"b": "c": [0]`},
		{`"x"`, `"b": "c": [1]: "d"`},
		{`true`, `"b": "c": [2]: [0]`},
		{`null`, `"eA"`},
		{`{"c"`, `"b"`},
		{`{"a"`, ``},
	} {
		off := strings.Index(data, c.at)
		if got := pathTo([]byte(data), off); got != c.want {
			t.Errorf("pathTo(%q) = %q, want %q", c.at, got, c.want)
		}
	}
	// Past where the document stops being JSON, the path ends.
	if got := pathTo([]byte(`{"a": [1, tru`), 12); got != `"a": [1]` {
		t.Errorf("pathTo in broken JSON = %q", got)
	}
}

func TestDecoderDepth(t *testing.T) {
	deep := []byte(strings.Repeat(`{"a":`, jsonscan.MaxDepth+1) + "1" + strings.Repeat("}", jsonscan.MaxDepth+1))
	d := NewDecoder(deep)
	walk(&d)
	if err := d.Finish(); err == nil || !strings.Contains(err.Error(), "exceeded max depth") {
		t.Errorf("nesting past MaxDepth: %v", err)
	}
}

// KeyIndex finds every name of a table sorted as the generator sorts it (by length, then by
// bytes), and no other.
func TestKeyIndexAgreesWithLookup(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		set := map[string]bool{}
		for range r.IntN(40) {
			b := make([]byte, r.IntN(5))
			for i := range b {
				b[i] = "ab\xffé"[r.IntN(4)]
			}
			set[string(b)] = true
		}
		keys := slices.Collect(maps.Keys(set))
		slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b)) })
		for _, probe := range append(slices.Clone(keys), "", "a", "ab", "ba", "aaaa", "zzzzz") {
			d := Decoder{key: probe}
			want := slices.Index(keys, probe)
			if got := d.KeyIndex(keys); got != want {
				t.Fatalf("KeyIndex(%q) in %q = %d, want %d", probe, keys, got, want)
			}
		}
	}
}
