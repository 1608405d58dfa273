package flow

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`[]`, "f.json#: want an object"},
		{`{"flow_id":"a","steps":[]}`, "f.json#/steps: want a non-empty array"},
		{`{"steps":[{"step_id":0,"type":"Document","title":"D"}]}`, "f.json#/flow_id: want a non-empty string"},
		{`{"flow_id":" ","steps":[{"step_id":0,"type":"Document","title":"D"}]}`, "f.json#/flow_id: want a non-empty string"},
		{`{"flow_id":"a","name":1,"steps":[{"step_id":0,"type":"Document","title":"D"}]}`, "f.json#/name: want a string"},
		{`{"flow_id":"a","steps":[{"step_id":0,"type":"Document","title":"D"},{"step_id":"0","type":"Selfie","title":"S"}]}`, `f.json#/steps/1/step_id: "0" is also the ID of step 0`},
		{`{"flow_id":"a","steps":[{"step_id":-1,"type":"Document","title":"D"}]}`, "f.json#/steps/0/step_id: -1: want a non-negative integer"},
		{`{"flow_id":"a","steps":[{"step_id":1.5,"type":"Document","title":"D"}]}`, "f.json#/steps/0/step_id: 1.5: want a non-negative integer"},
		{`{"flow_id":"a","steps":[{"step_id":9223372036854775808,"type":"Document","title":"D"}]}`, "f.json#/steps/0/step_id: 9223372036854775808: want"},
		{`{"flow_id":"a","steps":[{"step_id":true,"type":"Document","title":"D"}]}`, "f.json#/steps/0/step_id: want a non-empty string"},
		{`{"flow_id":"a","steps":[{"step_id":"","type":"Document","title":"D"}]}`, "f.json#/steps/0/step_id: want a non-empty string"},
		{`{"flow_id":"a","steps":[{"step_id":0,"title":"D"}]}`, "f.json#/steps/0/type: want a step type"},
		{`{"flow_id":"a","steps":[{"step_id":0,"type":"Document"}]}`, "f.json#/steps/0/title: want a string"},
		{`{"flow_id":"a","steps":[1]}`, "f.json#/steps/0: want an object"},
		{`{"flow_id":"a","steps":[{"step_id":0,"type":"Document","title":"D","x/y":1}]}`, "f.json#/steps/0/x~1y: unknown member"},
		{`{"flow_id":"a","stepz":[],"b":1,"a~":2}`, "f.json#/a~0: unknown member"}, // the first in sorted order
		{`{"flow_id":"a",` + "\n" + `"steps":[}`, "f.json: line 2, column 10: invalid character '}'"},
		{`{"flow_id":"a","steps":[{"step_id":0,"type":"Document","title":"D"}]} x`, "f.json: data after the JSON value"},
		{``, "f.json: EOF"},
	} {
		_, err := Parse("f.json", []byte(c.in))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.in, err, c.want)
		}
	}
}

func mustParse(t *testing.T, s string) *Flow {
	t.Helper()
	f, err := Parse("f.json", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestParseKeepsForms: a numeric step ID is remembered as one, and the name is read, though
// neither is part of the canonical form.
func TestParseKeepsForms(t *testing.T) {
	f := mustParse(t, `{"flow_id":"f","name":"KYC","steps":[{"step_id":7,"type":"Document","title":"ID"},{"step_id":"front","type":"Liveness","title":""}]}`)
	want := []Step{{StepID: "7", Type: "Document", Title: "ID", Numeric: true}, {StepID: "front", Type: "Liveness"}}
	if f.FlowID != "f" || f.Name != "KYC" || len(f.Steps) != 2 || f.Steps[0] != want[0] || f.Steps[1] != want[1] {
		t.Fatalf("got %+v", f)
	}
	if st, ok := f.Step("front"); !ok || st != want[1] {
		t.Errorf("Step(front) = %+v, %v", st, ok)
	}
	if _, ok := f.Step("8"); ok {
		t.Error("Step(8) found")
	}
	if want := `{"flow_id":"f","steps":[{"step_id":"7","type":"Document","title":"ID"},{"step_id":"front","type":"Liveness","title":""}]}`; string(f.Canonical()) != want {
		t.Errorf("canonical %s, want %s", f.Canonical(), want)
	}
}

// TestDigest: the digest depends on the steps, not on how the file is written.
func TestDigest(t *testing.T) {
	a := mustParse(t, `{"flow_id":"f","steps":[{"step_id":0,"type":"Document","title":"ID"}]}`)
	b := mustParse(t, "{\n  \"steps\": [{\"title\": \"ID\", \"type\": \"Document\", \"step_id\": \"0\"}],\n  \"name\": \"x\", \"flow_id\": \"f\"\n}")
	if a.Digest() != b.Digest() {
		t.Error("digest depends on formatting, member order, the name or the step ID's JSON kind")
	}
	c := mustParse(t, `{"flow_id":"f","steps":[{"step_id":0,"type":"Document","title":"ID card"}]}`)
	if a.Digest() == c.Digest() {
		t.Error("a retitled step keeps the digest")
	}
	if len(a.Digest()) != 64 {
		t.Errorf("digest %q", a.Digest())
	}
	again := mustParse(t, string(a.Indented()))
	if again.Digest() != a.Digest() || !bytes.HasSuffix(a.Indented(), []byte("}\n")) {
		t.Errorf("Indented does not round-trip: %s", a.Indented())
	}
}

func TestDiff(t *testing.T) {
	old := mustParse(t, `{"flow_id":"f","steps":[{"step_id":0,"type":"Document","title":"ID"},{"step_id":1,"type":"Selfie","title":"Selfie"}]}`)
	for _, c := range []struct {
		name, new string
		want      []string // kind:breaking
	}{
		{"same", `{"flow_id":"f","steps":[{"step_id":"0","type":"Document","title":"ID"},{"step_id":1,"type":"Selfie","title":"Selfie"}]}`, nil},
		{"added", `{"flow_id":"f","steps":[{"step_id":0,"type":"Document","title":"ID"},{"step_id":1,"type":"Selfie","title":"Selfie"},{"step_id":2,"type":"Document","title":"Address"}]}`, []string{"added:false"}},
		{"removed", `{"flow_id":"f","steps":[{"step_id":0,"type":"Document","title":"ID"}]}`, []string{"removed:true"}},
		{"retyped and retitled", `{"flow_id":"f","steps":[{"step_id":0,"type":"Selfie","title":"Face"},{"step_id":1,"type":"Selfie","title":"Selfie"}]}`, []string{"type:true", "title:false"}},
		{"reordered", `{"flow_id":"f","steps":[{"step_id":1,"type":"Selfie","title":"Selfie"},{"step_id":0,"type":"Document","title":"ID"}]}`, []string{"order:true"}},
		{"other flow", `{"flow_id":"g","steps":[{"step_id":0,"type":"Document","title":"ID"},{"step_id":1,"type":"Selfie","title":"Selfie"}]}`, []string{"flow_id:true"}},
		{"added and removed", `{"flow_id":"f","steps":[{"step_id":0,"type":"Document","title":""},{"step_id":2,"type":"Selfie","title":"Selfie"}]}`, []string{"removed:true", "title:false", "added:false"}},
	} {
		var got []string
		for _, ch := range Diff(old, mustParse(t, c.new)) {
			got = append(got, ch.Kind+":"+map[bool]string{true: "true", false: "false"}[ch.Breaking])
			if ch.Message == "" {
				t.Errorf("%s: change without a message", c.name)
			}
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// FuzzParse: no input panics, an error names the file, and an accepted flow's indented form
// parses back to the same canonical form.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"flow_id":"f","name":"n","steps":[{"step_id":0,"type":"Document","title":"ID"},{"step_id":"s","type":"Selfie","title":""}]}`))
	f.Add([]byte(`{"flow_id":"a","steps":[{"step_id":-1,"type":"Document","title":"D"}]}`))
	f.Add([]byte(`{"flow_id":"a",` + "\n" + `"steps":[}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fl, err := Parse("f.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.json") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		again, err := Parse("again.json", fl.Indented())
		if err != nil {
			t.Fatalf("indented form refused: %v\n%s", err, fl.Indented())
		}
		if !bytes.Equal(again.Canonical(), fl.Canonical()) {
			t.Fatalf("round trip changed the flow:\n%s\n%s", fl.Canonical(), again.Canonical())
		}
	})
}
