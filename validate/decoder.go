package validate

import (
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"unsafe"

	"github.com/gbggen/gbggen/internal/jsonscan"
)

// Decoder reads one JSON document front to back for the decodeJSON methods of generated
// types: every byte is scanned once, however deep the document, where decoding member by
// member from sub-slices would scan a value once for each level above it. The first error is
// kept and every later call does nothing, so generated code reads member after member with
// no error check between them; Finish reports the error with the path of the value it is
// about. Its small methods are kept out of line (//go:noinline): they are called from
// hundreds of places in a generated package, whose compile time grows with every inlined
// copy.
type Decoder struct {
	data  []byte
	i     int // the next byte to read
	depth int // arrays and objects open
	err   error
	at    int    // offset of the value err is about
	key   string // the member name last read, valid until the next call

	// text holds the bytes of the strings decoded so far, which are views of it: one
	// allocation for all the strings of a document instead of one each. It is only ever
	// appended to, within its capacity, so no byte a string views is written twice.
	text []byte
	// strs hands out the *string of optional members and the []string of arrays of
	// strings, a chunk at a time.
	strs []string
	list []string // the elements of the array of strings being read
}

// NewDecoder returns a Decoder reading data.
func NewDecoder(data []byte) Decoder { return Decoder{data: data} }

// Finish returns the first error, prefixed by the path of the value it is about
// (`"subject": "emails": [1]: expected a string, got null`), or an error when anything but
// whitespace follows the document.
func (d *Decoder) Finish() error {
	if d.err == nil && jsonscan.Space(d.data, d.i) != len(d.data) {
		return errTrailing
	}
	if d.err == nil {
		return nil
	}
	if p := pathTo(d.data, d.at); p != "" {
		return fmt.Errorf("%s: %w", p, d.err)
	}
	return d.err
}

// Failed reports whether an error has been kept.
//
//go:noinline
func (d *Decoder) Failed() bool { return d.err != nil }

// fail keeps err, about the value at offset at, unless an error is kept already. A syntax
// error says where it was found, which may be deeper in the value.
func (d *Decoder) fail(at int, err error) {
	if d.err != nil {
		return
	}
	if se, ok := err.(*jsonscan.Error); ok {
		at = se.Offset
	}
	d.err, d.at = err, at
}

// start skips whitespace before a value and reports whether there is one to read.
func (d *Decoder) start() bool {
	if d.err != nil {
		return false
	}
	d.i = jsonscan.Space(d.data, d.i)
	if d.i >= len(d.data) {
		d.fail(d.i, jsonscan.At(d.data, d.i, ""))
		return false
	}
	return true
}

// open reads the '{' or '[' that starts a container of the kind wanted.
func (d *Decoder) open(c byte, want string) bool {
	if !d.start() {
		return false
	}
	if d.data[d.i] != c {
		d.fail(d.i, notA(d.data[d.i:], 0, want))
		return false
	}
	if d.depth++; d.depth > jsonscan.MaxDepth {
		d.fail(d.i, jsonscan.ErrDepth)
		return false
	}
	d.i++
	return true
}

// next reads what follows a container's n-th entry (none read yet when n is 0): the
// closing byte, which ends it, or a comma before the next entry (nothing when n is 0).
func (d *Decoder) next(n int, end byte, context string) bool {
	if d.err != nil {
		return false
	}
	d.i = jsonscan.Space(d.data, d.i)
	if d.i < len(d.data) && d.data[d.i] == end {
		d.i++
		d.depth--
		return false
	}
	if n == 0 {
		return true
	}
	if d.i < len(d.data) && d.data[d.i] == ',' {
		d.i = jsonscan.Space(d.data, d.i+1)
		return true
	}
	d.fail(d.i, jsonscan.At(d.data, d.i, context))
	return false
}

// Member reads the opening brace (n == 0) or what follows the n-th member of an object,
// and then the next member's name and colon, and reports whether there is a member: the
// loop `for n := 0; d.Member(n); n++ { k := d.Key(); … }` reads a whole object, whose
// member values the loop's body must read (or Skip). A value that is not an object is an
// error. Structs, whose member names are known, use FirstMember and NextMember instead.
func (d *Decoder) Member(n int) bool {
	if n == 0 && !d.open('{', "a JSON object") {
		return false
	}
	return d.next(n, '}', jsonscan.AfterMember) && d.name()
}

// End is what FirstMember and NextMember return when the object has no more members (or
// an error was kept).
const End = -2

// FirstMember reads the opening brace of an object and its first member's name and
// colon, and returns the index of the name in keys, -1 for a name keys does not hold (Key
// returns it), or End for an empty object. With NextMember it reads a whole object in the
// loop
//
//	for m := d.FirstMember(&keys); m != validate.End; m = d.NextMember(&keys) {
//		switch m { … }
//	}
//
// whose body must read each member's value (or Skip it). It is Member, Key and a lookup of
// the name in one call where generated code would otherwise make three per member, and
// Keys is passed by address, not copied.
//
//go:noinline
func (d *Decoder) FirstMember(keys *Keys) int {
	if !d.open('{', "a JSON object") || !d.next(0, '}', "") {
		return End
	}
	// As in NextMember: a plain name by PlainName, any other by name.
	if s, e, v, ok := jsonscan.PlainName(d.data, d.i); ok {
		d.i, d.key = v, unsafeString(d.data[s:e])
	} else if !d.name() {
		return End
	}
	return keys.find(d.key)
}

// NextMember reads what follows a member's value: the closing brace, and it returns End,
// or a comma and the next member's name and colon, and it returns what FirstMember does.
//
//go:noinline
func (d *Decoder) NextMember(keys *Keys) int {
	// This is next's work for an object, read here rather than called, and a plain name (no
	// escape, the common case) is read by PlainName rather than by name. FirstMember has the
	// same few lines: a helper both call was measured at 1.6 % more instructions for
	// decoding a whole document, one more call per member.
	if d.err != nil {
		return End
	}
	data := d.data
	i := jsonscan.Space(data, d.i)
	switch {
	case i < len(data) && data[i] == ',':
		i = jsonscan.Space(data, i+1)
		if s, e, v, ok := jsonscan.PlainName(data, i); ok {
			d.i, d.key = v, unsafeString(data[s:e])
		} else if d.i = i; !d.name() {
			return End
		}
		return keys.find(d.key)
	case i < len(data) && data[i] == '}':
		d.i, d.depth = i+1, d.depth-1
	default:
		d.fail(i, jsonscan.At(data, i, jsonscan.AfterMember))
	}
	return End
}

// name reads a member's name and the colon after it into d.key.
func (d *Decoder) name() bool {
	k := d.i
	v, end, plain, err := jsonscan.Key(d.data, d.i)
	if err != nil {
		d.fail(k, err)
		return false
	}
	if plain {
		d.key = unsafeString(d.data[k+1 : end-1])
	} else {
		d.key = keyString(d.data[k:end], plain)
	}
	d.i = v
	return true
}

// Key returns the name of the member last read (by Member, FirstMember or NextMember),
// exactly as it is (case-sensitive, with escapes resolved). It may view the input, and is
// valid only until the next call of the Decoder: strings.Clone it to keep it.
//
//go:noinline
func (d *Decoder) Key() string { return d.key }

// Elem reads the opening bracket (n == 0) or what follows the n-th element of an array, and
// reports whether an element follows, which the loop's body must read (or Skip). A value that
// is not an array is an error.
func (d *Decoder) Elem(n int) bool {
	if n == 0 && !d.open('[', "a JSON array") {
		return false
	}
	return d.next(n, ']', jsonscan.AfterElement)
}

// Null reads a null and reports true, or reports false and reads nothing.
func (d *Decoder) Null() bool {
	if !d.start() || d.data[d.i] != 'n' {
		return false
	}
	end, err := jsonscan.Literal(d.data, d.i, "null")
	if err != nil {
		d.fail(d.i, err)
		return false
	}
	d.i = end
	return true
}

// value reads the next value whole and returns it.
func (d *Decoder) value() ([]byte, bool) {
	if !d.start() {
		return nil, false
	}
	start := d.i
	end, err := jsonscan.Value(d.data, start, d.depth)
	if err != nil {
		d.fail(start, err)
		return nil, false
	}
	d.i = end
	return d.data[start:end:end], true
}

// Skip reads the next value and drops it.
//
//go:noinline
func (d *Decoder) Skip() { d.value() }

// Value reads the next value and returns it as written; it is a sub-slice of the input,
// whose capacity ends with the value.
func (d *Decoder) Value() []byte {
	v, _ := d.value()
	return v
}

// scalar decodes the next value with dec, which sees exactly its bytes.
func scalar[T any](d *Decoder, p *T, dec func([]byte, *T) error) {
	if raw, ok := d.value(); ok {
		if err := dec(raw, p); err != nil {
			d.fail(d.i-len(raw), err) // the value ends where the Decoder is
		}
	}
}

// String decodes a JSON string into *p.
func (d *Decoder) String(p *string) {
	// A string without escapes or non-ASCII bytes is read here, with no call; anything else
	// (and any error) by decodeString, from where the Decoder was.
	if d.err == nil {
		data := d.data
		if i := jsonscan.Space(data, d.i); i < len(data) && data[i] == '"' {
			if end, ok := jsonscan.PlainStringAt(data, i); ok {
				d.i = end
				*p = d.keep(data[i+1 : end-1])
				return
			}
		}
	}
	d.decodeString(p)
}

// decodeString is String for every case.
func (d *Decoder) decodeString(p *string) {
	if !d.start() {
		return
	}
	i := d.i
	if d.data[i] != '"' {
		d.fail(i, typeError(d.data[i:], "a string"))
		return
	}
	end, plain, err := jsonscan.String(d.data, i)
	if err != nil {
		d.fail(i, err)
		return
	}
	d.i = end
	if plain {
		*p = d.keep(d.data[i+1 : end-1])
		return
	}
	if err := unmarshalString(d.data[i:end], p); err != nil {
		d.fail(i, err)
	}
}

// keep returns a string holding b, which is a part of the input, in d.text. When text is
// full, the next chunk is twice the size of the last, from 1 KiB, but never more than the
// rest of the input holds (a string's value is never longer than its JSON): a few
// allocations for all the strings of a document, and at most about twice their size.
func (d *Decoder) keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if cap(d.text)-len(d.text) < len(b) {
		d.text = make([]byte, 0, min(max(2*cap(d.text), 1024), len(d.data)-d.i)+len(b))
	}
	n := len(d.text)
	d.text = append(d.text, b...)
	return unsafeString(d.text[n:len(d.text):len(d.text)])
}

// Int decodes a JSON number with an integral value into *p.
//
//go:noinline
func (d *Decoder) Int(p *int64) {
	if n, end, ok := d.number(); ok {
		if i, ok := parseInt(n); ok {
			*p, d.i = i, end
			return
		}
	}
	scalar(d, p, unmarshalInt)
}

// Float decodes a JSON number into *p.
//
//go:noinline
func (d *Decoder) Float(p *float64) {
	if n, end, ok := d.number(); ok {
		if f, err := strconv.ParseFloat(unsafeString(n), 64); err == nil {
			*p, d.i = f, end
			return
		}
	}
	scalar(d, p, unmarshalFloat)
}

// number finds the next value when it is a valid number, the common case of Int and Float,
// which then need not scan it as any value first and as a number again: it returns the
// number and where it ends, and moves nothing, so that a caller that cannot use it (an
// integer that needs its float form, a number out of range) reads it the general way.
func (d *Decoder) number() (n []byte, end int, ok bool) {
	if d.err != nil {
		return nil, 0, false
	}
	data := d.data
	i := jsonscan.Space(data, d.i)
	if i >= len(data) || data[i] != '-' && !jsonscan.IsDigit(data[i]) {
		return nil, 0, false
	}
	end, err := jsonscan.Number(data, i)
	if err != nil {
		return nil, 0, false
	}
	return data[i:end], end, true
}

// Bool decodes true or false into *p.
//
//go:noinline
func (d *Decoder) Bool(p *bool) { scalar(d, p, unmarshalBool) }

// Raw keeps the next value as written, in a copy.
//
//go:noinline
func (d *Decoder) Raw(p *json.RawMessage) { scalar(d, p, unmarshalRaw) }

// Any decodes the next value into a dynamic value (see DecodeAny).
//
//go:noinline
func (d *Decoder) Any(p *any) { *p = d.anyValue() }

// anyValue reads the next value as DecodeAny returns it. Its recursion is as deep as the
// document, which open bounds.
func (d *Decoder) anyValue() any {
	if !d.start() {
		return nil
	}
	switch d.data[d.i] {
	case '{':
		m := map[string]any{}
		for n := 0; d.Member(n); n++ {
			k := d.keep(unsafe.Slice(unsafe.StringData(d.key), len(d.key)))
			m[k] = d.anyValue()
		}
		return m
	case '[':
		a := []any{}
		for n := 0; d.Elem(n); n++ {
			a = append(a, d.anyValue())
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
		d.Skip() // null, or the error it is not
		return nil
	}
	i := d.i
	end, err := jsonscan.Number(d.data, i)
	if err != nil {
		d.fail(i, err)
		return nil
	}
	d.i = end
	return json.Number(d.keep(d.data[i:end]))
}

// StringPtr decodes a JSON string into a new string and stores its address in *p: an
// optional member.
//
//go:noinline
func (d *Decoder) StringPtr(p **string) {
	s := &d.strings(1)[0]
	d.String(s)
	*p = s
}

// IntPtr is StringPtr for an integer.
//
//go:noinline
func (d *Decoder) IntPtr(p **int64) {
	n := new(int64)
	d.Int(n)
	*p = n
}

// FloatPtr is StringPtr for a number.
//
//go:noinline
func (d *Decoder) FloatPtr(p **float64) {
	f := new(float64)
	d.Float(f)
	*p = f
}

// BoolPtr is StringPtr for a boolean.
//
//go:noinline
func (d *Decoder) BoolPtr(p **bool) {
	b := new(bool)
	d.Bool(b)
	*p = b
}

// Strings decodes an array of strings into *p (an empty array into an empty slice).
func (d *Decoder) Strings(p *[]string) {
	// The elements are collected in d.list, which is reused, and then copied to a slice of
	// the exact length cut from the chunk that optional strings come from: most arrays
	// take no allocation of their own. The slice's capacity ends with it, so appending to
	// it copies.
	start := len(d.list)
	for n := 0; d.Elem(n); n++ {
		d.list = append(d.list, "")
		d.String(&d.list[len(d.list)-1])
	}
	elems := d.list[start:]
	d.list = d.list[:start]
	*p = d.strings(len(elems))
	copy(*p, elems)
}

// strings returns n strings from the chunk of d.strs; never nil, which would stand for an
// absent member.
func (d *Decoder) strings(n int) []string {
	if n == 0 {
		return []string{}
	}
	if cap(d.strs)-len(d.strs) < n {
		d.strs = make([]string, 0, max(min(2*cap(d.strs)+8, 256), n))
	}
	k := len(d.strs)
	d.strs = d.strs[:k+n]
	return d.strs[k : k+n : k+n]
}

// Fail keeps err, about the value just read, unless an error is kept already: for generated
// code that finds a value it cannot hold (an alternative that fits none).
func (d *Decoder) Fail(at []byte, err error) {
	off := d.i - len(at)
	if off < 0 {
		off = 0
	}
	d.fail(off, err)
}

// pathTo is the path of the innermost value of the JSON document data that holds the byte
// at offset off, as decoding errors name it: `"subject": "emails": [1]`. It is computed only
// for an error, by reading the document again from its start, once: the containers open at
// off are the path. Where the document stops being valid JSON, the path is what it was there.
func pathTo(data []byte, off int) string {
	var w pathWalk
	w.walk(data, off)
	parts := make([]string, len(w.stack))
	for k, f := range w.stack {
		if f.obj {
			parts[k] = strconv.Quote(f.key)
		} else {
			parts[k] = fmt.Sprintf("[%d]", f.index)
		}
	}
	return strings.Join(parts, ": ")
}

// pathWalk holds the containers open at a point of a document, outermost first.
type pathWalk struct {
	stack []pathFrame
}

type pathFrame struct {
	obj   bool
	key   string // of the member being read, in an object
	index int    // of the element being read, in an array
}

func (w *pathWalk) walk(data []byte, off int) {
	i := jsonscan.Space(data, 0)
	for i < len(data) && i < off {
		// A value starts at data[i].
		var end int
		var err error
		switch c := data[i]; {
		case c == '{' || c == '[':
			w.stack = append(w.stack, pathFrame{obj: c == '{'})
			j := jsonscan.Space(data, i+1)
			if j < len(data) && (data[j] == '}' || data[j] == ']') {
				w.stack = w.stack[:len(w.stack)-1]
				end = j + 1
				break
			}
			if i = w.entry(data, j); i < 0 {
				return
			}
			continue
		default: // a scalar
			end, err = jsonscan.Value(data, i, len(w.stack))
		}
		if err != nil || end > off {
			return // off is in this value
		}
		if i = w.after(data, end); i < 0 {
			return
		}
	}
}

// entry reads, at data[i], what starts an entry of the innermost container (a member's name
// and colon, or nothing for an element) and returns where its value starts, or -1.
func (w *pathWalk) entry(data []byte, i int) int {
	top := &w.stack[len(w.stack)-1]
	if !top.obj {
		return i
	}
	v, end, plain, err := jsonscan.Key(data, i)
	if err != nil {
		w.stack = w.stack[:len(w.stack)-1] // the error is the object's, not a member's
		return -1
	}
	top.key = keyString(data[i:end], plain)
	return v
}

// after reads what follows a value ending at data[i]: commas and closing brackets, up to
// the start of the next value, whose position it returns, or -1 at the end or an error.
func (w *pathWalk) after(data []byte, i int) int {
	for len(w.stack) > 0 {
		i = jsonscan.Space(data, i)
		if i >= len(data) {
			return -1
		}
		top := &w.stack[len(w.stack)-1]
		switch c := data[i]; {
		case c == ',':
			top.index++
			return w.entry(data, jsonscan.Space(data, i+1))
		case c == '}' && top.obj, c == ']' && !top.obj:
			w.stack = w.stack[:len(w.stack)-1]
			i++
		default:
			w.stack = w.stack[:len(w.stack)-1] // between entries: the container's error
			return -1
		}
	}
	return -1
}

// Keys numbers the member names of a generated struct, in the order given, for FirstMember
// and NextMember. NewKeys looks for a perfect hash of the names, over their length and first
// and last bytes, so that finding a name costs a few loads, a multiplication and a
// comparison of those words, which for a name of up to sixteen bytes is the name; for the
// rare set of names it finds none for, a map does the work.
type Keys struct {
	names []string
	words []keyWords // of each name
	slots []uint16   // 1 + the index of the name hashed to the slot, or 0
	mult  uint64
	shift uint64
	index map[string]int // when slots is nil
}

// NewKeys returns the Keys of names; a name given twice keeps its first index.
func NewKeys(names ...string) Keys {
	if k, ok := perfectKeys(names); ok {
		return k
	}
	k := Keys{index: make(map[string]int, len(names))}
	for i, n := range names {
		if _, dup := k.index[n]; !dup {
			k.index[n] = i
		}
	}
	return k
}

// perfectKeys tries tables from twice as many slots as names, each with a few multipliers,
// and returns the first in which no two names share a slot. A random hash has no collision
// in a table of about n² slots with a fair chance, so the tables grow up to that, and at
// most 16,384 slots (32 KiB): past that, the map. Two names with the same words (longer than
// sixteen bytes, alike at both ends) share a slot in every table, so they get the map too.
func perfectKeys(names []string) (Keys, bool) {
	if len(names) >= math.MaxUint16 {
		return Keys{}, false
	}
	words := make([]keyWords, len(names))
	for i, n := range names {
		words[i] = wordsOf(n)
	}
	lg := 1
	for 1<<lg < 2*len(names) {
		lg++
	}
	for limit := min(max(8*len(names), 2*len(names)*len(names)), 1<<14); lg <= 14 && 1<<lg <= limit; lg++ {
		// One table per size, cleared for each try: this runs at start-up, once per type.
		slots := make([]uint16, 1<<lg)
		mult := uint64(0x9E3779B97F4A7C15)
	tries:
		for try := 0; try < 16; try++ {
			mult = mult*0xD1342543DE82EF95 + 1 | 1 // the next odd multiplier
			clear(slots)
			k := Keys{names: names, words: words, slots: slots, mult: mult, shift: uint64(64 - lg)}
			for i, w := range words {
				slot := &k.slots[w.hash(mult)>>k.shift]
				if *slot != 0 {
					continue tries // a collision, or a name given twice
				}
				*slot = uint16(i + 1)
			}
			return k, true
		}
	}
	return Keys{}, false
}

// keyWords are what a name is hashed from: its length and its first and last eight bytes
// (overlapping in a name shorter than sixteen; in one shorter than eight, its first and last
// four, or its bytes). Two names of up to sixteen bytes are equal when their words are.
type keyWords struct {
	a, b uint64
	n    int
}

func wordsOf(k string) keyWords {
	n := len(k)
	switch {
	case n >= 8:
		return keyWords{le64(k), le64(k[n-8:]), n}
	case n >= 4:
		return keyWords{le32(k) | le32(k[n-4:])<<32, 0, n}
	case n > 0:
		return keyWords{uint64(k[0]) | uint64(k[n/2])<<8 | uint64(k[n-1])<<16, 0, n}
	}
	return keyWords{}
}

func (w keyWords) hash(mult uint64) uint64 {
	return (w.a ^ bits.RotateLeft64(w.b, 31) ^ uint64(w.n)*0x9E3779B97F4A7C15) * mult
}

// le64 and le32 read the first bytes of s as a little-endian number; the compiler makes
// each one load.
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func le32(s string) uint64 {
	_ = s[3]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
}

// find returns the index of name in keys, or -1. The name hashed to its slot is the one only
// if the words are the same, and, for a name longer than sixteen bytes, the bytes between.
func (keys *Keys) find(name string) int {
	if keys.slots == nil {
		if i, ok := keys.index[name]; ok {
			return i
		}
		return -1
	}
	w := wordsOf(name)
	s := keys.slots[w.hash(keys.mult)>>keys.shift]
	if s == 0 || keys.words[s-1] != w || len(name) > 16 && keys.names[s-1] != name {
		return -1
	}
	return int(s - 1)
}
