package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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
// decodes them. It looks like Decoder.anyValue on purpose and is kept apart from it: it
// reads through Key, Null and Raw, which generated code calls and anyValue does not, so
// that checkDecoder tests those against encoding/json as checkDecodeAny tests anyValue.
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
	want, werr := legacyDecodeAny(data)
	if werr != nil {
		t.Fatalf("json.Decoder(%q): %v", data, werr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Decoder(%q) = %#v, encoding/json has %#v", data, got, want)
	}
}

// legacyDecodeAny is DecodeAny as it was, on json.Decoder with UseNumber: the reference.
func legacyDecodeAny(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errTrailing
	}
	return v, nil
}

// checkDecodeAny compares DecodeAny with the json.Decoder version: the same verdict, and
// for valid input the same value.
func checkDecodeAny(t *testing.T, data []byte) {
	t.Helper()
	got, err := DecodeAny(data)
	want, werr := legacyDecodeAny(data)
	if (err == nil) != (werr == nil) && !deeperThanDecoder(data) {
		t.Fatalf("DecodeAny(%q): error %v, json.Decoder's %v", data, err, werr)
	}
	if err == nil && werr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("DecodeAny(%q) = %#v, json.Decoder has %#v", data, got, want)
	}
}

func TestDecoderTricky(t *testing.T) {
	for _, s := range tricky {
		checkDecodeAny(t, []byte(s))
		checkDecodeAny(t, []byte(`{"x":`+s+`, "x": [`+s+`]}`))
		checkDecoder(t, []byte(s))
		checkDecoder(t, []byte(`{"x":`+s+`}`))
		checkDecoder(t, []byte(`[`+s+`, {"y": [`+s+`]}]`))
	}
}

func FuzzDecoder(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecoder(t, data)
		checkDecodeAny(t, data)
	})
}

// The strings a Decoder returns are its own: changing the input afterwards changes none of
// them, and each holds its own bytes though they share one allocation.
func TestDecoderStringsOutliveInput(t *testing.T) {
	data := []byte(`{"a": "first", "b": ["second", "third"], "c": "caf\u00e9", "d": "", "e": []}`)
	d := NewDecoder(data)
	var a, c, dd string
	var b, e []string
	var opt *string
	for n := 0; d.Member(n); n++ {
		switch d.Key() {
		case "e":
			d.Strings(&e)
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
	if e == nil || len(e) != 0 {
		t.Errorf("an empty array decodes to %#v, not an empty slice", e)
	}
	if a != "first" || *opt != "first" || !reflect.DeepEqual(b, []string{"second", "third"}) || c != "café" || dd != "" {
		t.Errorf("after the input changed: %q %q %q %q %q", a, *opt, b, c, dd)
	}
}

func TestDecoderFirstNextMember(t *testing.T) {
	keys := NewKeys("zz", "a", "", "name", "a")
	for _, c := range []struct {
		data    string
		want    []int
		wantErr string
	}{
		{`{"name":1, "a":1, "zz":1, "nam":1, "":1, "names":1, "\u0061":1}`, []int{3, 1, 0, -1, 2, -1, 1}, ""},
		{` { } `, nil, ""},
		{`[]`, nil, "expected a JSON object"},
		{`{"a":1 "zz":2}`, []int{1}, `invalid character '"' after object key:value pair`},
		{`{"a" 1}`, nil, `invalid character '1' after object key`},
		{`{"a":1,}`, []int{1}, `invalid character '}' looking for beginning of object key string`},
	} {
		d := NewDecoder([]byte(c.data))
		var got []int
		var names []string
		for k := d.FirstMember(&keys); k != End; k = d.NextMember(&keys) {
			got = append(got, k)
			names = append(names, d.Key())
			d.Skip()
		}
		err := d.Finish()
		if !reflect.DeepEqual(got, c.want) || (err == nil) != (c.wantErr == "") || err != nil && !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: members %v (%q), %v; want %v, %q", c.data, got, names, err, c.want, c.wantErr)
		}
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

// Keys.find through a perfect hash (NewKeys finds one for these sets) or through the map
// (a name given twice rules the hash out) agrees with a plain lookup of the first index.
func TestKeysFindAgreesWithLookup(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	perfect := 0
	for round := range 300 {
		var names []string
		// Short names of five letters, and, every third round, names of up to 24 bytes of two
		// letters, many alike in their first and last eight bytes.
		size, letters := 6, 5
		if round%3 == 2 {
			size, letters = 25, 2
		}
		for range r.IntN(60) {
			b := make([]byte, r.IntN(size))
			for i := range b {
				b[i] = "ab\\xffé_"[r.IntN(letters)]
			}
			names = append(names, string(b))
		}
		if round%2 == 0 { // distinct names
			slices.Sort(names)
			names = slices.Compact(names)
			r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
		}
		keys := NewKeys(names...)
		if keys.slots != nil {
			perfect++
		}
		probes := append(slices.Clone(names), "", "a", "ab", "zz", "aaaaaaa")
		for _, n := range names { // the same words, another byte between
			if len(n) > 16 {
				b := []byte(n)
				b[len(b)/2] ^= 'a' ^ 'b'
				probes = append(probes, string(b))
			}
		}
		for _, probe := range probes {
			if got, want := keys.find(probe), slices.Index(names, probe); got != want {
				t.Fatalf("find(%q) in %q = %d, want %d", probe, names, got, want)
			}
		}
	}
	if perfect < 100 {
		t.Errorf("a perfect hash was found for only %d of 300 sets: the map does all the work", perfect)
	}
}

// 89 names (as many as the largest struct of GBG's context schema has) get a perfect hash.
func TestKeysOfLargeStructArePerfect(t *testing.T) {
	var names []string
	for i := range 89 {
		names = append(names, fmt.Sprintf("member%dName", i*7))
	}
	if NewKeys(names...).slots == nil {
		t.Error("no perfect hash for 89 names")
	}
}

// Closing an object gives back its depth, whichever path reads the brace: more sibling
// objects than MaxDepth decode.
func TestDecoderDepthOfSiblings(t *testing.T) {
	keys := NewKeys("a")
	n := jsonscan.MaxDepth + 10
	data := []byte("[" + strings.Repeat(`{"a": 1, "b": {}}, {"a": 2}, {}, `, n) + "{}]")
	d := NewDecoder(data)
	objects := 0
	for i := 0; d.Elem(i); i++ {
		objects++
		for m := d.FirstMember(&keys); m != End; m = d.NextMember(&keys) {
			d.Skip()
		}
	}
	if err := d.Finish(); err != nil || objects != 3*n+1 {
		t.Fatalf("%d objects, %v", objects, err)
	}
}
