package validate

import (
	"encoding/json"
	"math"
	"math/big"
	"sort"
	"strconv"
	"sync"
	"unicode/utf8"
)

// Type is a set of JSON types, used by generated "type" checks on
// dynamically typed values.
type Type uint8

// The JSON types. Integer is a number with no fractional part (1.0 is an
// integer).
const (
	Null Type = 1 << iota
	Boolean
	Integer
	Number
	String
	Array
	Object
)

// TypeOf returns the JSON type of a dynamic value as decoded by Decode
// (json.Number for numbers) or built by hand (any Go number type). Number
// values that are integral report Integer|Number.
func TypeOf(v any) Type {
	switch x := v.(type) {
	case nil:
		return Null
	case bool:
		return Boolean
	case string:
		return String
	case []any:
		return Array
	case map[string]any:
		return Object
	case json.Number:
		if isIntegral(string(x)) {
			return Integer | Number
		}
		return Number
	case float64:
		if x == math.Trunc(x) && !math.IsInf(x, 0) {
			return Integer | Number
		}
		return Number
	case float32:
		return TypeOf(float64(x))
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return Integer | Number
	}
	return 0
}

// Is reports whether v has one of the types in t.
func Is(v any, t Type) bool { return TypeOf(v)&t != 0 }

// isIntegral reports whether a JSON number literal has an integral value,
// without converting it (big literals must not lose precision or panic).
func isIntegral(s string) bool {
	mant, exp := s, 0
	for i := 0; i < len(s); i++ {
		if s[i] == 'e' || s[i] == 'E' {
			mant = s[:i]
			e, err := strconv.Atoi(s[i+1:])
			if err != nil {
				// An exponent too large for int: decide by its sign.
				return len(s) > i+1 && s[i+1] != '-'
			}
			exp = e
			break
		}
	}
	dot := -1
	for i := 0; i < len(mant); i++ {
		if mant[i] == '.' {
			dot = i
		}
	}
	if dot < 0 {
		return exp >= 0 || allZero(mant)
	}
	frac := mant[dot+1:]
	// Trailing zeros of the fraction do not count.
	n := len(frac)
	for n > 0 && frac[n-1] == '0' {
		n--
	}
	return n <= exp || allZero(mant)
}

func allZero(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '1' && s[i] <= '9' {
			return false
		}
	}
	return true
}

// Float returns the value of a dynamic number (math.Inf beyond float64).
func Float(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil && !math.IsInf(f, 0) {
			return 0, false
		}
		return f, true
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	return 0, false
}

// Compare compares the number v with the literal bound exactly: -1, 0 or
// +1. It is exact for big numbers, which float64 would round.
func Compare(v any, bound string) int {
	f, ok := Float(v)
	b, err := strconv.ParseFloat(bound, 64)
	if ok && err == nil && !math.IsInf(f, 0) && math.Abs(f) < 1<<53 && math.Abs(b) < 1<<53 {
		switch {
		case f < b:
			return -1
		case f > b:
			return 1
		}
		if s, isNum := v.(json.Number); !isNum || len(s) < 16 {
			return 0
		}
	}
	x, ok1 := rat(v)
	y, ok2 := new(big.Rat).SetString(bound)
	if !ok1 || !ok2 {
		return 0
	}
	return x.Cmp(y)
}

func rat(v any) (*big.Rat, bool) {
	switch x := v.(type) {
	case json.Number:
		return new(big.Rat).SetString(string(x))
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, false
		}
		// The shortest decimal form is what the JSON text said (0.07), not
		// the binary approximation SetFloat64 would give.
		return new(big.Rat).SetString(strconv.FormatFloat(x, 'g', -1, 64))
	}
	f, ok := Float(v)
	if !ok {
		return nil, false
	}
	return new(big.Rat).SetFloat64(f), true
}

// MultipleOf reports whether the number v is a multiple of the literal m,
// exactly (0.3 is a multiple of 0.1).
func MultipleOf(v any, m string) bool {
	f, ok := Float(v)
	d, err := strconv.ParseFloat(m, 64)
	if ok && err == nil && f == math.Trunc(f) && d == math.Trunc(d) && math.Abs(f) < 1<<53 && d != 0 {
		if _, isNum := v.(json.Number); !isNum || len(v.(json.Number)) < 16 {
			return math.Mod(f, d) == 0
		}
	}
	x, ok1 := rat(v)
	y, ok2 := new(big.Rat).SetString(m)
	if !ok1 || !ok2 || y.Sign() == 0 {
		return false
	}
	return new(big.Rat).Quo(x, y).IsInt()
}

// FloatMultipleOf is MultipleOf for a typed float64 field.
func FloatMultipleOf(f float64, m string) bool {
	d, err := strconv.ParseFloat(m, 64)
	if err == nil && f == math.Trunc(f) && d == math.Trunc(d) && math.Abs(f) < 1<<53 && d != 0 {
		return math.Mod(f, d) == 0
	}
	return MultipleOf(f, m)
}

// Len is the length of a string in Unicode code points, as JSON Schema
// counts it.
func Len(s string) int { return utf8.RuneCountInString(s) }

// Equal reports whether two dynamic JSON values are equal as JSON values:
// numbers by value (1 equals 1.0), objects regardless of member order.
func Equal(a, b any) bool {
	ta, tb := TypeOf(a), TypeOf(b)
	if ta&Number != 0 && tb&Number != 0 {
		return Compare(a, numberLiteral(b)) == 0
	}
	if ta != tb {
		return false
	}
	switch x := a.(type) {
	case nil:
		return true
	case bool:
		return x == b.(bool)
	case string:
		return x == b.(string)
	case []any:
		y := b.([]any)
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y := b.(map[string]any)
		if len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !Equal(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}

func numberLiteral(v any) string {
	if n, ok := v.(json.Number); ok {
		return string(n)
	}
	f, _ := Float(v)
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// In reports whether v equals one of the values.
func In(v any, values []any) bool {
	for _, e := range values {
		if Equal(v, e) {
			return true
		}
	}
	return false
}

// Unique reports whether no two elements are equal.
func Unique(items []any) bool {
	for i := range items {
		for j := i + 1; j < len(items); j++ {
			if Equal(items[i], items[j]) {
				return false
			}
		}
	}
	return true
}

// UniqueComparable is Unique for typed slices of comparable elements.
func UniqueComparable[T comparable](items []T) bool {
	for i := range items {
		for j := i + 1; j < len(items); j++ {
			if items[i] == items[j] {
				return false
			}
		}
	}
	return true
}

// Checker is the signature of generated validators of dynamic values.
type Checker func(v any, p *Path, errs *Errors)

// Matches reports whether v passes check, discarding the violations.
func Matches(v any, check Checker) bool {
	errs := scratch.Get().(*Errors)
	check(v, nil, errs)
	ok := len(*errs) == 0
	clear(*errs)
	*errs = (*errs)[:0]
	scratch.Put(errs)
	return ok
}

// scratch holds the violation lists Matches collects and throws away: a list handed to a
// checker escapes to the heap, and anyOf, oneOf, not and if run one per alternative.
var scratch = sync.Pool{New: func() any { return new(Errors) }}

// MatchesAny reports whether v passes at least one of checks (anyOf). It stops at the
// first that passes.
func MatchesAny(v any, checks ...Checker) bool {
	for _, check := range checks {
		if Matches(v, check) {
			return true
		}
	}
	return false
}

// MatchesOne reports whether v passes exactly one of checks (oneOf). It stops at the
// second that passes.
func MatchesOne(v any, checks ...Checker) bool {
	n := 0
	for _, check := range checks {
		if Matches(v, check) {
			if n++; n > 1 {
				return false
			}
		}
	}
	return n == 1
}

// SortedKeys returns the keys of m in order, so that violations are
// reported in a stable order.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// MustParse decodes a JSON literal embedded in generated code (enum and
// const values). It panics on malformed input, which the generator never
// produces.
func MustParse(s string) any {
	v, err := DecodeAny([]byte(s))
	if err != nil {
		panic("validate: bad literal in generated code: " + err.Error())
	}
	return v
}
