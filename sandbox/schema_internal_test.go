package sandbox

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestKeepValidDropsOnlyInvalidValues(t *testing.T) {
	cat, err := loadCatalog(DemoFS())
	if err != nil {
		t.Fatal(err)
	}
	v, err := cat.resolve(OnboardingResourceID + "@1")
	if err != nil {
		t.Fatal(err)
	}
	var in, want map[string]any
	mustJSON(t, `{
	  "identity": {"firstName": "Ada", "lastNames": [null, "Lovelace", {}], "dateOfBirth": "10/12/1815",
	               "currentAddress": {"postalCode": "SW1Y 4JH", "country": "gb", "county": "x"},
	               "emails": [{"type": "home"}, {"type": "work", "email": "ada@example.org"}]},
	  "documents": [{"type": "Visa", "side1Image": "x"}, 3, {"type": "Passport", "side1Image": "a"}],
	  "favouriteColour": "blue"
	}`, &in)
	mustJSON(t, `{
	  "identity": {"firstName": "Ada", "lastNames": ["Lovelace"],
	               "currentAddress": {"postalCode": "SW1Y 4JH"},
	               "emails": [{"type": "work", "email": "ada@example.org"}]},
	  "documents": [{"type": "Passport", "side1Image": "a"}]
	}`, &want)
	got, vs := keepValid(v.schema, in)
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		t.Fatalf("kept %s", g)
	}
	if len(vs) == 0 {
		t.Fatal("no violations reported")
	}
	// The input is not modified.
	if in["favouriteColour"] != "blue" {
		t.Fatal("keepValid modified its input")
	}
}

func TestMerge(t *testing.T) {
	var base, patch, want map[string]any
	mustJSON(t, `{"identity": {"firstName": "Ada", "lastNames": ["A"]}, "documents": [1]}`, &base)
	mustJSON(t, `{"identity": {"lastNames": ["B"], "dateOfBirth": "x"}, "uid": "u"}`, &patch)
	mustJSON(t, `{"identity": {"firstName": "Ada", "lastNames": ["B"], "dateOfBirth": "x"}, "documents": [1], "uid": "u"}`, &want)
	if got := merge(base, patch); !reflect.DeepEqual(got, want) {
		t.Fatalf("merge: %v", got)
	}
	if base["uid"] != nil || len(base["identity"].(map[string]any)) != 2 {
		t.Fatal("merge modified its base")
	}
}

func mustJSON(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatal(err)
	}
}
