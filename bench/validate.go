package bench

import (
	"encoding/json"
	"github.com/gbggen/gbggen/bench/gbgcontext"
	"runtime"
	"testing"
)

// ValidateGenerated returns item 3, generated side: Validate on a prefill
// already decoded into the generated types.
func ValidateGenerated(valid bool) func(*testing.B) {
	return ValidateGeneratedOn(Prefill(valid), valid)
}

// ValidateSanthosh returns item 3, reference side: santhosh-tekuri
// (formats asserted) on the prefill already decoded into `any`.
func ValidateSanthosh(valid bool) func(*testing.B) { return ValidateSanthoshOn(Prefill(valid), valid) }

// ValidateGeneratedOn is ValidateGenerated on the prefill data, valid or not.
func ValidateGeneratedOn(data []byte, valid bool) func(*testing.B) {
	return func(b *testing.B) {
		c, err := DecodeTyped(data)
		if err != nil {
			b.Fatalf("decode: %v", err)
		}
		if err := c.Validate(); (err == nil) != valid {
			b.Fatalf("Validate = %v, want valid=%v", err, valid)
		}
		b.ReportAllocs()
		b.ResetTimer()
		var last error
		for range b.N {
			last = c.Validate()
		}
		runtime.KeepAlive(last)
	}
}

// ValidateSanthoshOn is ValidateSanthosh on the prefill data, valid or not.
func ValidateSanthoshOn(data []byte, valid bool) func(*testing.B) {
	return func(b *testing.B) {
		sch := Santhosh(b)
		inst, err := DecodeAny(data)
		if err != nil {
			b.Fatalf("decode: %v", err)
		}
		if err := sch.Validate(inst); (err == nil) != valid {
			b.Fatalf("Validate = %v, want valid=%v", err, valid)
		}
		b.ReportAllocs()
		b.ResetTimer()
		var last error
		for range b.N {
			last = sch.Validate(inst)
		}
		runtime.KeepAlive(last)
	}
}

// DecodeValidateGenerated returns item 4, generated side: bytes → typed
// value (json.Unmarshal into the generated type) → Validate.
func DecodeValidateGenerated(valid bool) func(*testing.B) {
	return func(b *testing.B) {
		data := Prefill(valid)
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		b.ResetTimer()
		var last error
		for range b.N {
			c, err := DecodeTyped(data)
			if err != nil {
				b.Fatal(err)
			}
			last = c.Validate()
		}
		b.StopTimer()
		if (last == nil) != valid {
			b.Fatalf("Validate = %v, want valid=%v", last, valid)
		}
		runtime.KeepAlive(last)
	}
}

// DecodeValidateSanthosh returns item 4, reference side: bytes → any
// (jsonschema.UnmarshalJSON) → santhosh-tekuri Validate.
func DecodeValidateSanthosh(valid bool) func(*testing.B) {
	return func(b *testing.B) {
		sch := Santhosh(b)
		data := Prefill(valid)
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		b.ResetTimer()
		var last error
		for range b.N {
			inst, err := DecodeAny(data)
			if err != nil {
				b.Fatal(err)
			}
			last = sch.Validate(inst)
		}
		b.StopTimer()
		if (last == nil) != valid {
			b.Fatalf("Validate = %v, want valid=%v", last, valid)
		}
		runtime.KeepAlive(last)
	}
}

// DecodeValidateDirect returns item 4 without encoding/json: bytes → the
// generated UnmarshalJSON, called directly → Validate. It is the generated
// code's own share of DecodeValidateGenerated, which json.Unmarshal's work
// comes on top of.
func DecodeValidateDirect(valid bool) func(*testing.B) {
	return func(b *testing.B) {
		data := Prefill(valid)
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		b.ResetTimer()
		var last error
		for range b.N {
			var c gbgcontext.Context
			if err := c.UnmarshalJSON(data); err != nil {
				b.Fatal(err)
			}
			last = c.Validate()
		}
		b.StopTimer()
		if (last == nil) != valid {
			b.Fatalf("Validate = %v, want valid=%v", last, valid)
		}
	}
}

// UnmarshalCeiling returns item 4's ceiling: json.Unmarshal of the same
// prefill bytes into a type whose UnmarshalJSON does nothing. What it
// measures is encoding/json's own work before it hands over the document
// (v1: checkValid and a skip scan of the whole input; with
// GOEXPERIMENT=jsonv2, the v2 decoder's), so no UnmarshalJSON, however
// fast, can take DecodeValidateGenerated past it.
func UnmarshalCeiling(valid bool) func(*testing.B) {
	return func(b *testing.B) {
		data := Prefill(valid)
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		b.ResetTimer()
		var v nopUnmarshaler
		for range b.N {
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// nopUnmarshaler is a JSON value that accepts any document and keeps none
// of it.
type nopUnmarshaler struct{}

func (*nopUnmarshaler) UnmarshalJSON([]byte) error { return nil }
