package jsonscan

import (
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"math/rand/v2"
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
		`[{"a":[true,false,null]}]`, `{"a":1}x`, `tru`, `nulll`, strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1),
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
