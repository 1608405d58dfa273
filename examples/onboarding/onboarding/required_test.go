package onboarding_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/gbggen/gbggen/examples/onboarding/onboarding"
	"github.com/gbggen/gbggen/validate"
)

// A required member absent from a decoded document is reported until the program sets it.
func TestRequiredAfterDecode(t *testing.T) {
	var a onboarding.CurrentAddress // the Address task's, in which postalCode and country are required
	if err := json.Unmarshal([]byte(`{"country":"GBR"}`), &a); err != nil {
		t.Fatal(err)
	}
	var errs validate.Errors
	if err := a.Validate(); !errors.As(err, &errs) || len(errs) != 1 || errs[0].Keyword != "required" {
		t.Fatalf("decoded without postalCode: %v", err)
	}
	a.PostalCode = "SW1Y 4JH"
	if err := a.Validate(); err != nil {
		t.Errorf("postalCode set after decoding: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"country":"GBR","postalCode":""}`), &a); err != nil {
		t.Fatal(err)
	}
	if err := a.Validate(); !errors.As(err, &errs) || len(errs) != 1 || errs[0].Keyword != "minLength" {
		t.Errorf("present but empty postalCode: %v, want only minLength", err)
	}
}
