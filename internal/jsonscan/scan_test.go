package jsonscan

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

func TestSpecial8(t *testing.T) {
	interesting := []byte{0x00, 0x01, 0x1f, ' ', '!', '"', '#', '[', '\\', ']', 'a', 0x7f, 0x80, 0xc3, 0xff}
	rng := rand.New(rand.NewPCG(1, 2))
	var w [8]byte
	for range 200000 {
		for k := range w {
			w[k] = interesting[rng.IntN(len(interesting))]
		}
		first := 8
		for k, c := range w {
			if !strPlain[c] {
				first = k
				break
			}
		}
		m := special8(binary.LittleEndian.Uint64(w[:]))
		got := 8
		if m != 0 {
			got = bits.TrailingZeros64(m) >> 3
		}
		if got != first {
			t.Fatalf("special8(%q): first special byte %d, want %d", w, got, first)
		}
	}
}

// TestValue holds Value to json.Valid; package validate's tests and fuzz targets do the same
// through the Decoder's Member and Elem, over many more inputs.
func TestValue(t *testing.T) {
	for _, s := range []string{
		``, ` `, `{}`, `[1,]`, `{"a":1}`, `{"a" 1}`, `01`, `-0.5e+3`, `"\u12g4"`, "\"\xff\"", "\"\x01\"",
		`[{"a":[true,false,null]}]`, `{"a":1}x`, `tru`, `nulll`,
		// One space after the colon is passed over apart from the loop: and what follows it.
		`{"a": 1}`, `{"a":  1}`, "{\"a\": \n\t1}", `{"a": `, `{"a": }`, "{\"a\": \x01}", `{"a" : "b"}`, strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1),
	} {
		data := []byte(s)
		end, err := Value(data, Space(data, 0), 0)
		ok := err == nil && Space(data, end) == len(data)
		if ok != json.Valid(data) {
			t.Errorf("Value(%.40q) = %d, %v; json.Valid says %v", s, end, err, !ok)
		}
		if e, isSyntax := err.(*Error); isSyntax && (e.Offset < 0 || e.Offset > len(data)) {
			t.Errorf("Value(%.40q): offset %d out of the input", s, e.Offset)
		}
	}
}

// Space finds the same first non-whitespace byte as a byte-by-byte loop, for every mix of
// the four whitespace bytes and every byte that may follow, at every offset into a word.
func TestSpaceAgreesWithLoop(t *testing.T) {
	ws := []byte(" \n\r\t")
	for n := 0; n < 40; n++ {
		for _, stop := range []byte{0, 1, '\v', '\f', ' ' + 1, '"', 'a', 0x80, 0xff, 0x0a ^ 0x80, 0x20 ^ 0x80} {
			for start := 0; start < 9; start++ {
				data := make([]byte, start, start+n+1)
				for i := range start {
					data[i] = 'x'
				}
				for i := range n {
					data = append(data, ws[(i*7+n)%4])
				}
				data = append(data, stop)
				checkSpace(t, data, start)
			}
		}
	}
}

// checkSpace compares Space(data, start) with a byte-by-byte loop, and checks that with the
// last byte of data (which ends the whitespace) cut off, Space reaches the end.
func checkSpace(t *testing.T, data []byte, start int) {
	t.Helper()
	want := start
	for want < len(data) && IsSpace(data[want]) {
		want++
	}
	if got := Space(data, start); got != want {
		t.Fatalf("Space(%q, %d) = %d, want %d", data, start, got, want)
	}
	if got := Space(data[:len(data)-1], start); got != len(data)-1 {
		t.Fatalf("Space(%q, %d) at the end = %d, want %d", data[:len(data)-1], start, got, len(data)-1)
	}
}

// Space's path for a newline and then spaces agrees with the loop, whatever ends the spaces:
// a byte that is not whitespace, other whitespace (taken over by the general path), or the
// end of the input.
func TestSpaceIndentation(t *testing.T) {
	for k := 0; k < 26; k++ {
		for _, tail := range []string{"", "\t", "\n  ", "\r\n", " \t"} {
			for _, stop := range []byte{0, 0x1f, '\v', ' ' + 1, '"', '}', 0xa0} {
				for start := 0; start < 9; start++ {
					data := append(bytes.Repeat([]byte{'x'}, start), '\n')
					data = append(data, bytes.Repeat([]byte{' '}, k)...)
					data = append(append(data, tail...), stop)
					checkSpace(t, data, start)
				}
			}
		}
	}
}

// notSpace8 flags exactly the bytes that are not whitespace, with no carry between bytes.
func TestNotSpace8(t *testing.T) {
	interesting := []byte{0x00, 0x01, '\t', '\n', '\v', '\r', 0x1f, ' ', '!', 0x7f, 0x80, 0x89, 0x8a, 0xa0, 0xff}
	rng := rand.New(rand.NewPCG(3, 4))
	var w [8]byte
	for range 200000 {
		for k := range w {
			w[k] = interesting[rng.IntN(len(interesting))]
		}
		m := notSpace8(binary.LittleEndian.Uint64(w[:]))
		for k, c := range w {
			if flagged := m>>(8*k+7)&1 == 1; flagged == IsSpace(c) {
				t.Fatalf("notSpace8(%q): byte %d (%q) flagged %v", w, k, c, flagged)
			}
		}
		if m&^high8 != 0 {
			t.Fatalf("notSpace8(%q) = %#x sets bits other than the high ones", w, m)
		}
	}
}

// BenchmarkValue scans the indented full prefill of package bench, whose bytes are almost
// half whitespace.
func BenchmarkValue(b *testing.B) {
	data, err := os.ReadFile("../../bench/testdata/prefill-valid.json")
	if err != nil {
		b.Fatal(err)
	}
	want := len(bytes.TrimRight(data, " \t\r\n"))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if end, err := Value(data, Space(data, 0), 0); err != nil || end != want {
			b.Fatalf("Value = %d, %v", end, err)
		}
	}
}

// PlainName agrees with Key wherever it reads a name, and leaves to Key every name with an
// escape or a non-ASCII byte, every malformed one, and any within eight bytes of the end.
func TestPlainName(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{`"firstName": "Ada"`, true},
		{`"firstName":"Ada"`, true},
		{`"a" :` + "\n\t" + `1        `, true},
		{`"":  1        `, true},
		{`"a long member name of many words": 1        `, true},
		{`"a long member name of many words": 1`, false},
		{`"first\"Name": 1       `, false},
		{`"prénom": "Ada"        `, false},
		{`"a" 1                  `, false},
		{`"a"                    `, false},
		{`a: 1                   `, false},
		{`"unterminated`, false},
		{`"a": 1`, false}, // its closing quote is within eight bytes of the end
		{"\"a\x01\": 1            ", false},
	} {
		data := []byte(c.in)
		start, end, value, ok := PlainName(data, 0)
		if ok != c.ok {
			t.Errorf("PlainName(%q): ok %v, want %v", c.in, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		v, keyEnd, plain, err := Key(data, 0)
		if err != nil || !plain || v != value || keyEnd != end+1 || start != 1 {
			t.Errorf("PlainName(%q) = %d, %d, %d; Key: value %d, end %d, plain %v, %v", c.in, start, end, value, v, keyEnd, plain, err)
		}
	}
}

// PlainStringAt agrees with String wherever it reads a string, and leaves to String every
// string with an escape, a non-ASCII byte or a control character, and any that ends within
// eight bytes of the end of the input.
func TestPlainStringAt(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{`"Ada",        `, true},
		{`"",        `, true},
		{`"exactly eight+",        `, true},
		{`"a somewhat longer string of text"}        `, true},
		{`"Ada"`, false},
		{`"a\"b",        `, false},
		{`"café",        `, false},
		{"\"tab\there\",        ", false},
		{`"unterminated and long enough`, false},
	} {
		data := []byte(c.in)
		end, ok := PlainStringAt(data, 0)
		if ok != c.ok {
			t.Errorf("PlainStringAt(%q): ok %v, want %v", c.in, ok, c.ok)
			continue
		}
		if ok {
			if want, plain, err := String(data, 0); err != nil || !plain || end != want {
				t.Errorf("PlainStringAt(%q) = %d; String: %d, %v, %v", c.in, end, want, plain, err)
			}
		}
	}
}
