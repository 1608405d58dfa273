package bench

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gbggen/gbggen/generator"
	"github.com/gbggen/gbggen/validate"
)

// The prefills must mean what the benchmarks say: the valid one is valid
// for the reference validator and for the generated code, the invalid one
// is invalid for both and still decodes into the generated types.
func TestPrefillVerdicts(t *testing.T) {
	sch := Santhosh(t)
	for _, valid := range []bool{true, false} {
		t.Run(validity(valid), func(t *testing.T) {
			inst, err := DecodeAny(Prefill(valid))
			if err != nil {
				t.Fatal(err)
			}
			err = sch.Validate(inst)
			if (err == nil) != valid {
				t.Fatalf("santhosh: %v, want valid=%v", err, valid)
			}
			var ve *jsonschema.ValidationError
			if !valid && !errors.As(err, &ve) {
				t.Fatalf("santhosh: %T %v", err, err)
			}
			c, err := DecodeTyped(Prefill(valid))
			if err != nil {
				t.Fatalf("decode into gbgcontext.Context: %v", err)
			}
			err = c.Validate()
			if (err == nil) != valid {
				t.Fatalf("generated Validate: %v, want valid=%v", err, valid)
			}
			if !valid {
				// The bad consent URL breaks both allOf branches, so count
				// places, not violations.
				var errs validate.Errors
				errors.As(err, &errs)
				at := map[string]bool{}
				for _, v := range errs {
					at[v.Pointer] = true
				}
				if len(at) != InvalidViolations {
					t.Errorf("generated Validate found violations at %d places, want %d:\n%v", len(at), InvalidViolations, err)
				}
			}
		})
	}
}

// The synthetic schemas are well-formed and generate; small sizes only.
func TestScaledSchemas(t *testing.T) {
	for name, data := range map[string][]byte{
		"properties": PropertiesSchema(12), "depth": DepthSchema(5, true), "depth-distinct": DepthSchema(5, false)} {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, data)
		}
		_, _, err := generator.Generate(generator.Options{Package: "p",
			Roots: []generator.Root{{Name: "Root", Schema: name + ".json", Data: data}}})
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestSample(t *testing.T) {
	paths := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	got := Sample(paths, 4)
	want := []string{"a", "c", "f", "h"}
	if len(got) != len(want) {
		t.Fatalf("Sample = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Sample = %v, want %v", got, want)
		}
	}
	if len(Sample(paths, 0)) != 10 || len(Sample(paths, 99)) != 10 {
		t.Fatal("Sample with n<=0 or n>=len must return everything")
	}
}

func TestMedian(t *testing.T) {
	id := func(d time.Duration) time.Duration { return d }
	for _, c := range []struct {
		in   []time.Duration
		want time.Duration
	}{{nil, 0}, {[]time.Duration{3}, 3}, {[]time.Duration{5, 1, 3}, 3}, {[]time.Duration{4, 1, 3, 2}, 2}} {
		if got := Median(c.in, id); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
