package schemadiff

import "testing"

func TestShow(t *testing.T) {
	if got := show(false, nil); got != "none" {
		t.Errorf("absent value shows as %s, want none", got)
	}
	if got := show(true, nil); got != "null" {
		t.Errorf("null shows as %s, want null", got)
	}
}

// TestCompareEnumObjects: enum values are compared as canonical JSON, so member order is no
// change, and a changed object is printed with its members sorted.
func TestCompareEnumObjects(t *testing.T) {
	old := compile(t, "old", `{"enum":[{"b":1,"a":"x"},[1,{"d":2,"c":3}]]}`)
	same := compile(t, "same", `{"enum":[[1,{"c":3,"d":2}],{"a":"x","b":1}]}`)
	if got := Compare(old, same, Sent); len(got) != 0 {
		t.Errorf("reordered members: %v", got)
	}
	changed := compile(t, "changed", `{"enum":[{"b":2,"a":"x"},[1,{"d":2,"c":3}]]}`)
	got := Compare(old, changed, Sent)
	want := []string{`enum values added: {"a":"x","b":2}`, `enum values removed: {"a":"x","b":1}`}
	if len(got) != len(want) {
		t.Fatalf("changes = %v", got)
	}
	for i, c := range got {
		if c.Message != want[i] {
			t.Errorf("message %d = %q, want %q", i, c.Message, want[i])
		}
	}
}
