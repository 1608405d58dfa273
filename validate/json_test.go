package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/internal/jsonscan"
)

// member is one member (or element, with an empty key) seen by a decoder.
type member struct {
	Key string
	Raw string
}

func newMembers(data []byte) ([]member, error) {
	var got []member
	d := NewDecoder(data)
	for n := 0; d.Member(n); n++ {
		k := strings.Clone(d.Key())
		if raw := d.Value(); !d.Failed() {
			got = append(got, member{k, string(raw)})
		}
	}
	return got, d.Finish()
}

func newElements(data []byte) ([]member, error) {
	got := []member{}
	d := NewDecoder(data)
	for n := 0; d.Elem(n); n++ {
		if raw := d.Value(); !d.Failed() {
			got = append(got, member{Raw: string(raw)})
		}
	}
	return got, d.Finish()
}

func oldMembers(data []byte) ([]member, error) {
	var got []member
	err := legacyDecodeObject(data, func(k string, raw []byte) error {
		got = append(got, member{k, string(raw)})
		return nil
	})
	return got, err
}

func oldElements(data []byte) ([]member, error) {
	var got []member
	err := legacyDecodeArray(data, func(_ int, raw []byte) error {
		got = append(got, member{Raw: string(raw)})
		return nil
	})
	return got, err
}

// legacyDecodeObject is how members were read before jsonscan, on json.Decoder: the
// reference for the members Decoder.Member finds.
func legacyDecodeObject(data []byte, member func(key string, raw []byte) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("expected a JSON object, got %T", tok)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if err := member(key, raw); err != nil {
			return fmt.Errorf("%s: %w", strconv.Quote(key), err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailing
	}
	return nil
}

// legacyDecodeArray is the same for arrays (with elements handed over
// raw), the reference for the elements Decoder.Elem finds. It does not look
// past the closing bracket.
func legacyDecodeArray(data []byte, elem func(i int, raw []byte) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("expected a JSON array, got %T", tok)
	}
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if err := elem(i, raw); err != nil {
			return fmt.Errorf("[%d]: %w", i, err)
		}
	}
	_, err = dec.Token()
	return err
}

// firstNonSpace is the first byte of data that is not JSON whitespace.
func firstNonSpace(data []byte) byte {
	i := jsonscan.Space(data, 0)
	if i < len(data) {
		return data[i]
	}
	return 0
}

// checkObject compares Decoder.Member on data with encoding/json: the same
// verdict as json.Valid, and the same members and raw values as a json.Decoder
// based implementation (legacyDecodeObject). Errors are the scanner's.
func checkObject(t *testing.T, data []byte) {
	t.Helper()
	got, err := newMembers(data)
	want, wantErr := oldMembers(data)
	valid := json.Valid(data) && firstNonSpace(data) == '{'
	if (err == nil) != valid {
		t.Fatalf("Member(%q): error %v, json.Valid says %v", data, err, valid)
	}
	if err == nil && wantErr != nil {
		t.Fatalf("Member(%q) accepts, the json.Decoder version said %v", data, wantErr)
	}
	if !reflect.DeepEqual(got, want) && (err == nil || !deeperThanDecoder(data)) {
		t.Fatalf("Member(%q):\n got %q\nwant %q", data, got, want)
	}
	if err != nil {
		return
	}
	// The members are those json.Unmarshal sees (the last of duplicates).
	var m map[string]json.RawMessage
	if uerr := json.Unmarshal(data, &m); uerr != nil {
		t.Fatalf("json.Unmarshal(%q): %v", data, uerr)
	}
	last := map[string]string{}
	for _, g := range got {
		last[g.Key] = g.Raw
	}
	if len(last) != len(m) {
		t.Fatalf("Member(%q): %d distinct members, json.Unmarshal has %d", data, len(last), len(m))
	}
	for k, raw := range m {
		if r, ok := last[k]; !ok || r != string(raw) {
			t.Fatalf("Member(%q)[%q] = %q, json.Unmarshal has %q", data, k, r, raw)
		}
	}
}

// deeperThanDecoder reports input nested too deep for json.Valid; the
// json.Decoder version counted depth per member and went one level further.
func deeperThanDecoder(data []byte) bool {
	return bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) > jsonscan.MaxDepth
}

func checkArray(t *testing.T, data []byte) {
	t.Helper()
	got, err := newElements(data)
	want, wantErr := oldElements(data)
	valid := json.Valid(data) && firstNonSpace(data) == '['
	if (err == nil) != valid {
		t.Fatalf("Elem(%q): error %v, json.Valid says %v", data, err, valid)
	}
	if err == nil && wantErr != nil {
		t.Fatalf("Elem(%q) accepts, the json.Decoder version said %v", data, wantErr)
	}
	if err == nil && !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Fatalf("Elem(%q):\n got %q\nwant %q", data, got, want)
	}
	if err == nil {
		var a []json.RawMessage
		if uerr := json.Unmarshal(data, &a); uerr != nil || len(a) != len(got) {
			t.Fatalf("json.Unmarshal(%q) = %q, %v; Elem %q", data, a, uerr, got)
		}
		for i := range a {
			if string(a[i]) != got[i].Raw {
				t.Fatalf("Elem(%q)[%d] = %q, json.Unmarshal has %q", data, i, got[i].Raw, a[i])
			}
		}
	}
}

// The scalar decoders as they were, on encoding/json alone.

func oldString(data []byte, p *string) error {
	if firstByte(data) != '"' {
		return typeError(data, "a string")
	}
	return json.Unmarshal(data, p)
}

func oldBool(data []byte, p *bool) error {
	if c := firstByte(data); c != 't' && c != 'f' {
		return typeError(data, "a boolean")
	}
	return json.Unmarshal(data, p)
}

func oldFloat(data []byte, p *float64) error {
	c := firstByte(data)
	if c != '-' && (c < '0' || c > '9') {
		return typeError(data, "a number")
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return err
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		return fmt.Errorf("number %s does not fit a float64", n)
	}
	*p = f
	return nil
}

func oldInt(data []byte, p *int64) error {
	c := firstByte(data)
	if c != '-' && (c < '0' || c > '9') {
		return typeError(data, "an integer")
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return err
	}
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		*p = i
		return nil
	}
	if !isIntegral(string(n)) {
		return fmt.Errorf("number %s is not an integer", n)
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.Abs(f) >= 1<<63 {
		return fmt.Errorf("integer %s does not fit an int64", n)
	}
	*p = int64(f)
	return nil
}

func sameScalar[T comparable](t *testing.T, name string, data []byte, dec, old func([]byte, *T) error) {
	t.Helper()
	var got, want T
	err, wantErr := dec(data, &got), old(data, &want)
	if fmt.Sprint(err) != fmt.Sprint(wantErr) || got != want {
		t.Fatalf("%s(%q) = %v, %v; was %v, %v", name, data, got, err, want, wantErr)
	}
}

func checkScalars(t *testing.T, data []byte) {
	t.Helper()
	sameScalar(t, "unmarshalString", data, unmarshalString, oldString)
	sameScalar(t, "unmarshalBool", data, unmarshalBool, oldBool)
	sameScalar(t, "unmarshalFloat", data, unmarshalFloat, oldFloat)
	sameScalar(t, "unmarshalInt", data, unmarshalInt, oldInt)
	sameDecoded(t, "String", data, (*Decoder).String, unmarshalString)
	sameDecoded(t, "Float", data, (*Decoder).Float, unmarshalFloat)
	sameDecoded(t, "Int", data, (*Decoder).Int, unmarshalInt)
}

// sameDecoded checks that the Decoder's method, with its fast paths, decodes the value data
// as the scalar decoder does, and that it reads the whole value: decoding the array [data, 7]
// gives the same and then 7. Only a valid JSON document is tried: "0,0" would be two
// elements.
func sameDecoded[T any](t *testing.T, name string, data []byte, method func(*Decoder, *T), dec func([]byte, *T) error) {
	t.Helper()
	if !json.Valid(data) {
		return // not one value: as an element of an array it would be another document
	}
	var want T
	wantErr := dec(data, &want)
	in := append(append([]byte("["), data...), ", 7]"...)
	d := NewDecoder(in)
	var got T
	var last float64
	for n := 0; d.Elem(n); n++ {
		if n == 0 {
			method(&d, &got)
		} else {
			d.Float(&last)
		}
	}
	err := d.Finish()
	if (err == nil) != (wantErr == nil) || err == nil && (!reflect.DeepEqual(got, want) || last != 7) {
		t.Fatalf("Decoder.%s(%q) = %v, %v (then %v); %s decoder: %v, %v", name, data, got, err, last, name, want, wantErr)
	}
}

// checkValue compares scanValue with json.Valid.
func checkValue(t *testing.T, data []byte) {
	t.Helper()
	i := jsonscan.Space(data, 0)
	end, err := jsonscan.Value(data, i, 0)
	ok := err == nil && jsonscan.Space(data, end) == len(data)
	if ok != json.Valid(data) {
		t.Fatalf("jsonscan.Value(%q) = %d, %v; json.Valid says %v", data, end, err, !ok)
	}
}

var tricky = []string{
	``, ` `, `{`, `}`, `{}`, ` { } `, "\t{\n}\r", `{} `, `{}x`, `{}{}`, `{} {}`, `{},`,
	`[]`, `[ ]`, `[`, `]`, `[1]`, `[1,]`, `[,1]`, `[1 2]`, `[1,,2]`, `[1]x`, `[1] [2]`, `[[]`, `[]]`,
	`null`, `true`, `false`, `0`, `-0`, `"s"`, `nul`, `tru`, `fals`, `nulll`, `truex`,
	`{"a":1}`, `{"a" : 1 , "b" : [1, {"c": null}] }`, `{"a":1,}`, `{,"a":1}`, `{"a" 1}`, `{"a":}`,
	`{"a":1 "b":2}`, `{"a":1,"a":2}`, `{a:1}`, `{'a':1}`, `{1:1}`, `{"a":1}}`, `{"a":[1}`, `{"a":{]}`,
	`{"a": tru}`, `{"a": nul}`, `{"a": falsy}`, `{"a": True}`, `{"a": NaN}`, `{"a": Infinity}`,
	`{"a": 01}`, `{"a": -01}`, `{"a": 1.}`, `{"a": .1}`, `{"a": -}`, `{"a": +1}`, `{"a": 1e}`,
	`{"a": 1e+}`, `{"a": 1E-2}`, `{"a": -0.0e0}`, `{"a": 0x10}`, `{"a": 1_000}`, `{"a": 1.5e308}`,
	`{"a": 1e400}`, `{"a": 12345678901234567890}`, `{"a": -9223372036854775808}`,
	`{"a": "unterminated}`, `{"a": "x\"}`, `{"a": "\x"}`, `{"a": "\u12"}`, `{"a": "\u12g4"}`,
	`{"a": "\uD800"}`, `{"a": "\uD83D\uDE00"}`, `{"a": "\/\b\f\n\r\t\\\""}`, "{\"a\": \"tab\there\"}",
	"{\"a\": \"nl\nhere\"}", "{\"a\": \"\x00\"}", "{\"a\": \"\x1f\"}", "{\"a\": \"\x7f\"}",
	"{\"a\": \"\xff\xfe\"}", "{\"\xff\": 1}", "{\"caf\xc3\xa9\": \"\xc3\xa9\"}", `{"k\u0041y": 1}`,
	`{"\"": 1}`, `{"\\": 1}`, `{"": ""}`, `{"a":[]}`, `{"a":{}}`, `{"a":[{}, [], "", 0, true, false, null]}`,
	`{"a":1}` + "\x00", "\xef\xbb\xbf{}", `{"A":1,"a":2}`, `{"a":"\u0000"}`, `"\u00e9"`, `" x "`, ` "x" `,
	`"x" "y"`, `"x`, `"`, `1 2`, ` 1 `, `-`, `- 1`, `1.0`, `1e2`, `1.5`, `-1e-2`, `9223372036854775807`,
	`9223372036854775808`, `-9223372036854775809`, `1e19`, `123456789012345678`, `1234567890123456789`,
	`true `, ` false`, `t`, `{"abcdefghijklmnop\"qrs": "0123456789\u00e9abcdefgh"}`,
	"{\"abcdefghijklmnopqrs\": \"0123456789abcdefg\x01h\"}", "[\"abcdefgh\xc3\xa9ijklmnop\\\\\"]",
	"{\n        \"k\":\t\r\n                 1          \n}", "[\"abcdefghijklmnopq", "[\"abcdefgh\\", `"\ud800\udc00"`, `"a\u0022b"`,
}

func TestScannerTricky(t *testing.T) {
	for _, s := range tricky {
		data := []byte(s)
		checkValue(t, data)
		checkObject(t, data)
		checkArray(t, data)
		checkScalars(t, data)
		wrapped := []byte(`{"x":` + s + `}`)
		checkValue(t, wrapped)
		checkObject(t, wrapped)
		listed := []byte(`[` + s + `]`)
		checkValue(t, listed)
		checkArray(t, listed)
	}
}

func TestScannerErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`[]`, "expected a JSON object, got an array"},
		{`null`, "expected a JSON object, got null"},
		{`"x"`, "expected a JSON object, got a string"},
		{``, "unexpected end of JSON input"},
		{` x`, "invalid character 'x' looking for beginning of value"},
		{`{"a": tru}`, `"a": invalid character '}' in literal true (expecting 'e')`},
		{`{"a": 01}`, "invalid character '1' after object key:value pair"},
		{`{"a": "\x"}`, `"a": invalid character 'x' in string escape code`},
		{"{\"a\": \"\n\"}", `"a": invalid character '\n' in string literal`},
		{`{"a":1} x`, "unexpected data after JSON value"},
		{`{"a" 1}`, "invalid character '1' after object key"},
		{`{"a": [1, {"b": [tru]}]}`, `"a": [1]: "b": [0]: invalid character ']' in literal true (expecting 'e')`},
	} {
		if _, err := newMembers([]byte(c.in)); err == nil || err.Error() != c.want {
			t.Errorf("Member(%q): %v, want %q", c.in, err, c.want)
		}
	}
	if _, err := newElements([]byte(`[1] x`)); err == nil {
		t.Error("Elem accepts data after the array")
	}
	if _, err := newElements([]byte(`{}`)); err == nil || err.Error() != "expected a JSON array, got an object" {
		t.Errorf("Elem({}): %v", err)
	}
	// A value of the wrong type stops decoding and is named by its path.
	d := NewDecoder([]byte(`{"a": [1, "x", 3], "b": true}`))
	var got []int64
	members := 0
	for n := 0; d.Member(n); n++ {
		members++
		for i := 0; d.Elem(i); i++ {
			got = append(got, 0)
			d.Int(&got[i])
		}
	}
	if err := d.Finish(); err == nil || err.Error() != `"a": [1]: expected an integer, got a string` || members != 1 {
		t.Errorf("element error: %v after %d members", err, members)
	}
}

func TestScannerDepth(t *testing.T) {
	for _, d := range []int{jsonscan.MaxDepth - 1, jsonscan.MaxDepth, jsonscan.MaxDepth + 1, 100 * jsonscan.MaxDepth} {
		arr := strings.Repeat("[", d) + strings.Repeat("]", d)
		checkValue(t, []byte(arr))
		obj := `{"a":` + strings.Repeat(`[{"b":`, (d-1)/2) + strings.Repeat("[", (d-1)%2) +
			`1` + strings.Repeat("]", (d-1)%2) + strings.Repeat(`}]`, (d-1)/2) + `}`
		_, err := newMembers([]byte(obj))
		if (err == nil) != json.Valid([]byte(obj)) {
			t.Errorf("depth %d: Member says %v, json.Valid %v", d, err, json.Valid([]byte(obj)))
		}
		open := []byte(strings.Repeat(`{"a":`, d)) // unterminated
		if _, err := newMembers(open); err == nil {
			t.Errorf("depth %d: unterminated input accepted", d)
		}
	}
}

func TestScannerRawIsCapped(t *testing.T) {
	data := []byte(`{"a":[1],"b":2}`)
	d := NewDecoder(data)
	for n := 0; d.Member(n); n++ {
		_ = append(d.Value(), 'x', 'x', 'x')
	}
	if string(data) != `{"a":[1],"b":2}` {
		t.Errorf("appending to a Value changed the input: %s", data)
	}
}

func TestDecodeAllocations(t *testing.T) {
	data := []byte(`{"name": "plain", "n": 12, "ok": true, "list": ["x", "y"], "f": 1.5, "opt": "z"}`)
	var s string
	var n int64
	var b bool
	var f float64
	var list []string
	var opt *string
	keys := NewKeys("f", "n", "ok", "opt", "list", "name")
	allocs := testing.AllocsPerRun(100, func() {
		d := NewDecoder(data)
		for k := d.FirstMember(&keys); k != End; k = d.NextMember(&keys) {
			switch k {
			case 0:
				d.Float(&f)
			case 1:
				d.Int(&n)
			case 2:
				d.Bool(&b)
			case 3:
				d.StringPtr(&opt)
			case 4:
				d.Strings(&list)
			case 5:
				d.String(&s)
			}
		}
		if err := d.Finish(); err != nil {
			t.Fatal(err)
		}
	})
	// The text of all the strings, the chunk of optional strings, and the list (grown twice).
	if allocs > 4 {
		t.Errorf("decoding allocated %v times", allocs)
	}
	if s != "plain" || n != 12 || !b || f != 1.5 || len(list) != 2 || list[1] != "y" || opt == nil || *opt != "z" {
		t.Errorf("decoded %q %d %v %v %q %v", s, n, b, f, list, opt)
	}
}

func fuzzSeeds(f *testing.F) {
	for _, s := range tricky {
		f.Add([]byte(s))
		f.Add([]byte(`{"x":` + s + `}`))
		f.Add([]byte(`[` + s + `]`))
	}
}

func FuzzDecodeObject(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		checkValue(t, data)
		checkObject(t, data)
	})
}

func FuzzDecodeArray(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		checkArray(t, data)
	})
}

func FuzzUnmarshalScalar(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		checkScalars(t, data)
	})
}
