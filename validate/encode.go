package validate

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Encoder collects the JSON written by generated MarshalJSON methods. The first error (a
// float with no JSON form, or a dynamic value encoding/json rejects) is kept and reported
// by Bytes, so generated code writes member after member with no error check between them;
// what is written after an error is never returned, so nothing stands in for the value.
// Its methods are kept out of line (//go:noinline): generated code calls them from hundreds
// of places, and inlined there they made a generated package take twice as long to compile.
type Encoder struct {
	b   []byte
	err error
}

// Bytes returns the JSON written, or the first error.
func (w *Encoder) Bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	return w.b, nil
}

// Byte writes one byte of JSON syntax.
//
//go:noinline
func (w *Encoder) Byte(c byte) { w.b = append(w.b, c) }

// Key starts an object member whose key is given as JSON with its colon ("\"name\":"),
// after a comma unless it is the object's first.
//
//go:noinline
func (w *Encoder) Key(key string) {
	w.comma('{')
	w.b = append(w.b, key...)
}

// MemberKey is Key for a name that is not yet JSON (an undeclared member's).
//
//go:noinline
func (w *Encoder) MemberKey(name string) {
	w.comma('{')
	w.String(name)
	w.b = append(w.b, ':')
}

// Elem starts an array element: a comma unless it is the array's first.
//
//go:noinline
func (w *Encoder) Elem() { w.comma('[') }

// comma writes a comma unless the last byte opened the object or array. A complete JSON
// value never ends in '{' or '[', so the last byte tells whether a member came before.
func (w *Encoder) comma(open byte) {
	if n := len(w.b); n > 0 && w.b[n-1] != open {
		w.b = append(w.b, ',')
	}
}

// String writes s as a JSON string, escaped as encoding/json escapes it.
//
//go:noinline
func (w *Encoder) String(s string) {
	out, _ := json.Marshal(s)
	w.b = append(w.b, out...)
}

// Int writes an integer.
//
//go:noinline
func (w *Encoder) Int(i int64) { w.b = strconv.AppendInt(w.b, i, 10) }

// Bool writes true or false.
//
//go:noinline
func (w *Encoder) Bool(v bool) { w.b = strconv.AppendBool(w.b, v) }

// Float writes f as a JSON number; NaN and infinities have none and are an error.
//
//go:noinline
func (w *Encoder) Float(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		w.fail(fmt.Errorf("%v has no JSON form", f))
		return
	}
	w.b = strconv.AppendFloat(w.b, f, 'g', -1, 64)
}

// Null writes null.
//
//go:noinline
func (w *Encoder) Null() { w.b = append(w.b, "null"...) }

// Raw writes a raw JSON value (null when empty).
//
//go:noinline
func (w *Encoder) Raw(raw json.RawMessage) {
	if len(raw) == 0 {
		w.Null()
		return
	}
	w.b = append(w.b, raw...)
}

// Any writes a dynamic value (or anything encoding/json accepts).
func (w *Encoder) Any(v any) {
	out, err := json.Marshal(v)
	if err != nil {
		w.fail(err)
		return
	}
	w.b = append(w.b, out...)
}

func (w *Encoder) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// OptString writes the member key (as Key takes it) with the string *p, or nothing when p
// is nil: an optional member.
//
//go:noinline
func (w *Encoder) OptString(key string, p *string) {
	if p != nil {
		w.Key(key)
		w.String(*p)
	}
}

// OptInt is OptString for an integer.
//
//go:noinline
func (w *Encoder) OptInt(key string, p *int64) {
	if p != nil {
		w.Key(key)
		w.Int(*p)
	}
}

// OptFloat is OptString for a number.
//
//go:noinline
func (w *Encoder) OptFloat(key string, p *float64) {
	if p != nil {
		w.Key(key)
		w.Float(*p)
	}
}

// OptBool is OptString for a boolean.
//
//go:noinline
func (w *Encoder) OptBool(key string, p *bool) {
	if p != nil {
		w.Key(key)
		w.Bool(*p)
	}
}

// Strings writes an array of strings (a nil slice as an empty array).
//
//go:noinline
func (w *Encoder) Strings(s []string) {
	w.Byte('[')
	for _, e := range s {
		w.Elem()
		w.String(e)
	}
	w.Byte(']')
}
