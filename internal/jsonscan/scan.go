// Package jsonscan is the JSON scanner that package validate (the runtime of generated code)
// and the schema loader share: it validates JSON text in one pass, with the grammar of
// RFC 8259 exactly as encoding/json applies it (leading zeros, bad escapes, control
// characters in strings and unterminated values are errors; invalid UTF-8 inside strings is
// not), and hands out positions into the input, so that values are sub-slices of it. It
// never allocates on the success path, and its errors are worded as encoding/json words
// them, with the offset they were found at.
package jsonscan

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

// MaxDepth bounds the nesting of arrays and objects, as encoding/json does.
const MaxDepth = 10000

// The contexts of a syntax error between the entries of an object and of an array, worded
// as encoding/json words them.
const (
	AfterMember  = "after object key:value pair"
	AfterElement = "after array element"
)

// Error is a syntax error: encoding/json's message, and the offset of the byte it is about
// (the length of the input when the input ended too soon).
type Error struct {
	Msg    string
	Offset int
}

func (e *Error) Error() string { return e.Msg }

// ErrDepth reports input nested deeper than MaxDepth.
var ErrDepth = errors.New("exceeded max depth")

// At returns the syntax error for the byte at data[i] (or for the end of data), found
// where context says: "invalid character 'x' after array element".
func At(data []byte, i int, context string) error {
	if i >= len(data) {
		return &Error{"unexpected end of JSON input", len(data)}
	}
	return &Error{"invalid character " + quoteChar(data[i]) + " " + context, i}
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

// IsSpace reports the four JSON whitespace bytes.
func IsSpace(c byte) bool { return c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r') }

// Space returns the index of the first byte at or after i that is not JSON whitespace.
// It is small enough to inline, for the common case of no whitespace at all.
func Space(data []byte, i int) int {
	if i < len(data) && data[i] > ' ' {
		return i
	}
	return space(data, i)
}

func space(data []byte, i int) int {
	// Indented JSON's runs are a newline and then spaces: the spaces are counted eight at a
	// time, the first byte that is not one being the lowest that differs from ' ' (the lowest
	// nonzero byte of the word xor eight spaces). Whatever else follows (a tab, another
	// newline) goes on below from there.
	if i < len(data) && data[i] == '\n' {
		i++
		for i+8 <= len(data) {
			if x := binary.LittleEndian.Uint64(data[i:]) ^ spaces8; x != 0 {
				i += bits.TrailingZeros64(x) >> 3
				if data[i] > ' ' {
					return i
				}
				break
			}
			i += 8
		}
	}
	// Sixteen bytes at a time, any mix of the four whitespace bytes (a newline and then
	// indentation, typically), and where the run ends found without a branch on which half
	// it ends in: indented JSON's runs are mostly shorter than sixteen, and that branch
	// would be mispredicted about as often as taken.
	for i+16 <= len(data) {
		m0 := notSpace8(binary.LittleEndian.Uint64(data[i:]))
		m1 := notSpace8(binary.LittleEndian.Uint64(data[i+8:]))
		if m0|m1 != 0 {
			n := bits.TrailingZeros64(m0)
			if m0 == 0 {
				n = 64 + bits.TrailingZeros64(m1)
			}
			return i + n>>3
		}
		i += 16
	}
	for i+8 <= len(data) {
		if m := notSpace8(binary.LittleEndian.Uint64(data[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	for i < len(data) && IsSpace(data[i]) {
		i++
	}
	return i
}

// notSpace8 flags, in its high bit, exactly the bytes of x that are not JSON whitespace.
func notSpace8(x uint64) uint64 {
	return ^(zero8(x^spaces8) | zero8(x^(ones8*'\n')) | zero8(x^(ones8*'\r')) | zero8(x^(ones8*'\t'))) & high8
}

// zero8 flags, in its high bit, exactly the zero bytes of x: adding 0x7F to the low seven
// bits of a byte carries into its high bit unless they are all zero, and no carry crosses
// into the next byte.
func zero8(x uint64) uint64 {
	const low7 = ones8 * 0x7F
	return ^((x&low7 + low7) | x | low7)
}

const (
	spaces8 = 0x2020202020202020
	ones8   = 0x0101010101010101
	high8   = 0x8080808080808080
)

// special8 flags, in its high bit, each of the eight bytes of x that is a
// control character, '"', '\\' or non-ASCII, and perhaps bytes after
// (above) a flagged byte: each subtraction sets a byte's high bit when
// that byte is below the subtrahend, as long as the bytes are ASCII, and
// the last term flags the bytes that are not. A borrow only propagates
// from a flagged byte, so the lowest flag is always exact.
func special8(x uint64) uint64 {
	return ((x - spaces8) | ((x ^ (ones8 * '"')) - ones8) | ((x ^ (ones8 * '\\')) - ones8) | x) & high8
}

// strPlain marks the bytes a string scan can pass over without a second
// look: everything but control characters, '"', '\\' and non-ASCII.
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// String validates the string whose opening quote is at data[i] and
// returns the index just past its closing quote. plain reports that the
// string has no escapes and no non-ASCII bytes, so that its contents are
// its value.
func String(data []byte, i int) (end int, plain bool, err error) {
	plain = true
	i++
	for {
		// The hot loop: runs of ordinary characters, eight at a time.
		if i+8 <= len(data) {
			m := special8(binary.LittleEndian.Uint64(data[i:]))
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) >> 3
		} else {
			for i < len(data) && strPlain[data[i]] {
				i++
			}
		}
		if i >= len(data) {
			return 0, false, At(data, i, "")
		}
		switch c := data[i]; {
		case c == '"':
			return i + 1, plain, nil
		case c == '\\':
			plain = false
			if i+1 >= len(data) {
				return 0, false, At(data, i+1, "")
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				for k := 2; k < 6; k++ {
					if i+k >= len(data) {
						return 0, false, At(data, i+k, "")
					}
					if !isHex(data[i+k]) {
						return 0, false, At(data, i+k, "in \\u hexadecimal character escape")
					}
				}
				i += 6
			default:
				return 0, false, At(data, i+1, "in string escape code")
			}
		case c < 0x20:
			return 0, false, At(data, i, "in string literal")
		default: // non-ASCII: any byte is allowed, invalid UTF-8 included
			plain = false
			i++
		}
	}
}

// IsDigit reports an ASCII digit.
func IsDigit(c byte) bool { return '0' <= c && c <= '9' }

// Number validates the number starting at data[i] and returns the index
// just past it.
func Number(data []byte, i int) (int, error) {
	if data[i] == '-' {
		i++
	}
	switch {
	case i >= len(data):
		return 0, At(data, i, "")
	case data[i] == '0':
		i++
	case '1' <= data[i] && data[i] <= '9':
		i++
		for i < len(data) && IsDigit(data[i]) {
			i++
		}
	default:
		return 0, At(data, i, "in numeric literal")
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || !IsDigit(data[i]) {
			return 0, At(data, i, "after decimal point in numeric literal")
		}
		for i < len(data) && IsDigit(data[i]) {
			i++
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || !IsDigit(data[i]) {
			return 0, At(data, i, "in exponent of numeric literal")
		}
		for i < len(data) && IsDigit(data[i]) {
			i++
		}
	}
	return i, nil
}

// Literal validates true, false or null at data[i].
func Literal(data []byte, i int, lit string) (int, error) {
	for k := 1; k < len(lit); k++ {
		if i+k >= len(data) || data[i+k] != lit[k] {
			return 0, At(data, i+k, "in literal "+lit+" (expecting "+quoteChar(lit[k])+")")
		}
	}
	return i + len(lit), nil
}

// Key validates an object member name at data[i] (after whitespace),
// the colon after it and the whitespace around that, and returns the index
// of the member's value and the end of the name.
func Key(data []byte, i int) (value, keyEnd int, plain bool, err error) {
	if i >= len(data) || data[i] != '"' {
		return 0, 0, false, At(data, i, "looking for beginning of object key string")
	}
	keyEnd, plain, err = String(data, i)
	if err != nil {
		return 0, 0, false, err
	}
	j := Space(data, keyEnd)
	if j >= len(data) || data[j] != ':' {
		return 0, 0, false, At(data, j, "after object key")
	}
	// Indented JSON has one space after the colon: passed over here, not by the loop.
	if j++; j+1 < len(data) && data[j] == ' ' && data[j+1] > ' ' {
		return j + 1, keyEnd, plain, nil
	}
	return Space(data, j), keyEnd, plain, nil
}

// PlainStringAt reads, at data[i], the common case of a string: no escape and no non-ASCII
// byte, its closing quote not within eight bytes of the end of data. It returns the index
// just past the closing quote; ok is false for anything else, which String reads. It is
// small enough to inline.
func PlainStringAt(data []byte, i int) (end int, ok bool) {
	for j := i + 1; j+8 <= len(data); j += 8 {
		if m := special8(binary.LittleEndian.Uint64(data[j:])); m != 0 {
			j += bits.TrailingZeros64(m) >> 3
			return j + 1, data[j] == '"'
		}
	}
	return 0, false
}

// PlainName reads, at data[i], the common case of an object member's name and the colon
// after it: a name with no escape and no non-ASCII byte, not within eight bytes of the end of
// data. It returns the bounds of the name's text, without its quotes, and the index of the
// member's value (whitespace skipped). ok is false for anything else, which Key reads.
func PlainName(data []byte, i int) (start, end, value int, ok bool) {
	if i >= len(data) || data[i] != '"' {
		return 0, 0, 0, false
	}
	e, ok := PlainStringAt(data, i)
	if !ok {
		return 0, 0, 0, false
	}
	j := e - 1 // the closing quote
	v := Space(data, e)
	if v >= len(data) || data[v] != ':' {
		return 0, 0, 0, false
	}
	// Indented JSON has one space after the colon: passed over here, not by the loop.
	if v++; v+1 < len(data) && data[v] == ' ' && data[v+1] > ' ' {
		return i + 1, j, v + 1, true
	}
	return i + 1, j, Space(data, v), true
}

// Value validates the JSON value that starts at data[i] (whitespace
// already skipped), nested inside depth arrays and objects, and returns
// the index just past it. It does not recurse.
func Value(data []byte, i, depth int) (int, error) {
	var buf [64]byte
	stack := buf[:0] // '{' or '[' for each open container
	var err error
	for {
		// A value starts at data[i].
		if i >= len(data) {
			return 0, At(data, i, "")
		}
		closed := true
		switch c := data[i]; c {
		case '"':
			i, _, err = String(data, i)
		case '{', '[':
			if depth+len(stack) >= MaxDepth {
				return 0, ErrDepth
			}
			end := byte('}')
			if c == '[' {
				end = ']'
			}
			j := Space(data, i+1)
			if j < len(data) && data[j] == end {
				i = j + 1
				break
			}
			stack = append(stack, c)
			closed = false
			if c == '{' {
				i, _, _, err = Key(data, j)
			} else {
				i = j
			}
		case 't':
			i, err = Literal(data, i, "true")
		case 'f':
			i, err = Literal(data, i, "false")
		case 'n':
			i, err = Literal(data, i, "null")
		default:
			if c == '-' || IsDigit(c) {
				i, err = Number(data, i)
			} else {
				err = At(data, i, "looking for beginning of value")
			}
		}
		if err != nil {
			return 0, err
		}
		if !closed {
			continue
		}
		// A value ended just before data[i]: close containers until a
		// comma asks for the next value.
		for {
			if len(stack) == 0 {
				return i, nil
			}
			i = Space(data, i)
			if i >= len(data) {
				return 0, At(data, i, "")
			}
			top := stack[len(stack)-1]
			c := data[i]
			if c == ',' {
				i = Space(data, i+1)
				if top == '{' {
					i, _, _, err = Key(data, i)
					if err != nil {
						return 0, err
					}
				}
				break
			}
			if top == '{' && c == '}' || top == '[' && c == ']' {
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			if top == '{' {
				return 0, At(data, i, AfterMember)
			}
			return 0, At(data, i, AfterElement)
		}
	}
}

// Trim returns the bounds of data without surrounding whitespace, for
// a scalar decoder's fast path.
func Trim(data []byte) (int, int) {
	i, j := 0, len(data)
	for i < j && IsSpace(data[i]) {
		i++
	}
	for j > i && IsSpace(data[j-1]) {
		j--
	}
	return i, j
}

// PlainString returns the value of a JSON string literal that is all of
// data (give or take whitespace) when it needs no unescaping and no UTF-8
// repair, and ok false otherwise.
func PlainString(data []byte) (s []byte, ok bool) {
	i, j := Trim(data)
	if i >= j || data[i] != '"' {
		return nil, false
	}
	end, plain, err := String(data, i)
	if err != nil || end != j {
		return nil, false
	}
	s = data[i+1 : end-1]
	if !plain && (hasByte(s, '\\') || !utf8.Valid(s)) {
		return nil, false
	}
	return s, true
}

func hasByte(s []byte, b byte) bool {
	for _, c := range s {
		if c == b {
			return true
		}
	}
	return false
}

// PlainNumber returns the number literal that is all of data (give or take
// whitespace), and ok false when data is anything else.
func PlainNumber(data []byte) ([]byte, bool) {
	i, j := Trim(data)
	if i >= j {
		return nil, false
	}
	if c := data[i]; c != '-' && !IsDigit(c) {
		return nil, false
	}
	end, err := Number(data, i)
	if err != nil || end != j {
		return nil, false
	}
	return data[i:end], true
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
