package main

import "testing"

func TestSelected(t *testing.T) {
	all, err := selected("")
	if err != nil || !all("1") || !all("6") {
		t.Fatalf(`selected(""): err %v, want every table`, err)
	}
	some, err := selected("4, 1b")
	if err != nil {
		t.Fatal(err)
	}
	for table, want := range map[string]bool{"4": true, "1b": true, "1": false, "3": false} {
		if some(table) != want {
			t.Errorf(`selected("4, 1b")(%q) = %v, want %v`, table, !want, want)
		}
	}
	if _, err := selected("4,9"); err == nil {
		t.Error(`selected("4,9"): no error for table 9`)
	}
}
