package gbg

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/internal/prune"
	"github.com/gbggen/gbggen/validate"
)

func tree(t *testing.T, s string) any {
	t.Helper()
	v, err := validate.DecodeAny([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func text(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// dropRejected is one pass of what PredictPending does to a prefill the journey rejects.
func dropRejected(doc any, vs validate.Errors) (any, bool) {
	values, elements := rejected(vs)
	return prune.Drop(doc, values, elements)
}

func TestPruneDropsWhatTheJourneyRejects(t *testing.T) {
	for _, tt := range []struct {
		name, doc string
		vs        validate.Errors
		want      string
		removed   bool
	}{
		{"value", `{"a":{"b":"x","c":1}}`, validate.Errors{{Pointer: "/a/b", Keyword: "pattern"}}, `{"a":{"c":1}}`, true},
		{"missing member of an object stays missing", `{"a":{"c":1}}`, validate.Errors{{Pointer: "/a", Keyword: "required"}}, `{"a":{"c":1}}`, false},
		{"array element lacking a member goes whole", `{"a":[{"x":1},{"y":2}]}`, validate.Errors{{Pointer: "/a/0", Keyword: "required"}}, `{"a":[{"y":2}]}`, true},
		{"elements removed from the end first", `{"a":["p","q","r","s"]}`,
			validate.Errors{{Pointer: "/a/1", Keyword: "minLength"}, {Pointer: "/a/3", Keyword: "minLength"}}, `{"a":["p","r"]}`, true},
		{"deeper first", `{"a":[{"b":["x","y"]}]}`,
			validate.Errors{{Pointer: "/a/0", Keyword: "required"}, {Pointer: "/a/0/b/1", Keyword: "enum"}}, `{"a":[]}`, true},
		{"escaped tokens", `{"a/b":{"c~d":1,"e":2}}`, validate.Errors{{Pointer: "/a~1b/c~0d", Keyword: "type"}}, `{"a/b":{"e":2}}`, true},
		{"nested arrays", `{"a":[[1,2],[3]]}`, validate.Errors{{Pointer: "/a/0/1", Keyword: "maximum"}}, `{"a":[[1],[3]]}`, true},
		{"unknown pointers are ignored", `{"a":1}`, validate.Errors{{Pointer: "/b/c"}, {Pointer: "/a/0"}, {Pointer: ""}}, `{"a":1}`, false},
		{"a duplicate violation removes once", `{"a":["x","y"]}`,
			validate.Errors{{Pointer: "/a/0", Keyword: "minLength"}, {Pointer: "/a/0", Keyword: "pattern"}}, `{"a":["y"]}`, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, removed := dropRejected(tree(t, tt.doc), tt.vs)
			if got := text(doc); got != tt.want || removed != tt.removed {
				t.Errorf("prune: %s (removed %v), want %s (%v)", got, removed, tt.want, tt.removed)
			}
		})
	}
}

func TestContextRooted(t *testing.T) {
	got := contextRooted(validate.Errors{
		{Pointer: "/context/subject/identity", Keyword: "required", Message: `missing property "firstName"`, Missing: "firstName"},
		{Pointer: "/context", Keyword: "required", Message: `missing property "a/b"`, Missing: "a/b"},
		{Pointer: "/context/x", Keyword: "required", Message: `missing property ""`, Missing: ""},
		{Pointer: "/context/subject/documents/0/type", Keyword: "enum", Message: "must be one of [A]"},
		{Pointer: "/contextual", Keyword: "type", Message: "x"},
	})
	want := []string{"/subject/identity/firstName: missing", "/a~1b: missing", "/x/: missing", "/subject/documents/0/type: must be one of [A]", "/contextual: x"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("%d: %s, want %s", i, got[i], want[i])
		}
	}
}

func TestPendingTasksErrorListsEveryTask(t *testing.T) {
	err := &PendingTasksError{Journey: "Onboarding", Tasks: []PendingTask{
		{Key: "address", Title: "Address", Violations: validate.Errors{{Pointer: "/subject/identity/currentAddress/postalCode", Message: "missing"}}},
		{Key: "document", Title: "Identity document", Violations: validate.Errors{
			{Pointer: "/subject/documents", Message: "missing"}, {Pointer: "/subject/x", Message: "bad"}}},
	}}
	want := "journey Onboarding not started: the prefill would leave 2 tasks pending\n" +
		"  address (Address): /subject/identity/currentAddress/postalCode: missing\n" +
		"  document (Identity document): /subject/documents: missing; /subject/x: bad"
	if err.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", err, want)
	}
}

// a stands for a generated type: a JSON object with an optional string member s, which
// must not be "bad", and a required member r.
type a struct {
	S *string `json:"s,omitempty"`
	R *string `json:"r,omitempty"`
}

func (v a) Validate() error {
	var errs validate.Errors
	if v.S != nil && *v.S == "bad" {
		errs = append(errs, validate.Violation{Pointer: "/s", Keyword: "enum", Message: "is bad"})
	}
	if v.R == nil {
		errs.Required(&validate.Path{}, "r")
	}
	return errs.Err()
}

// task stands for a task type: {"context": a}, rejecting a context without s.
type task struct {
	Context a `json:"context"`
}

func (v task) Validate() error {
	if v.Context.S == nil {
		return validate.Errors{{Pointer: "/context", Keyword: "required", Message: `missing property "s"`, Missing: "s"}}
	}
	return nil
}

func TestPredictPendingDropsBeforeJudging(t *testing.T) {
	journey := func(doc []byte) validate.Errors {
		var v a
		if err := json.Unmarshal(doc, &v); err != nil {
			t.Fatal(err)
		}
		errs, _ := v.Validate().(validate.Errors)
		return errs
	}
	tasks := []TaskCheck{{Key: "t", Title: "T", Check: CheckAs[task]}}
	good, bad := "good", "bad"
	if got := PredictPending(a{S: &good}, false, journey, tasks); len(got) != 0 {
		t.Errorf("s good: %v", got)
	}
	// "bad" is rejected by the journey, so dropped: the task then lacks s.
	got := PredictPending(a{S: &bad}, false, journey, tasks)
	if len(got) != 1 || got[0].Key != "t" || got[0].Violations[0].Pointer != "/s" || got[0].Violations[0].Keyword != "required" {
		t.Errorf("s bad: %v", got)
	}
	// A journey rooted at the subject: the task sees {"context": {"subject": …}}.
	sub := PredictPending(a{S: &good}, true, journey, tasks)
	if len(sub) != 1 || !strings.Contains(sub[0].String(), "/s: missing") {
		t.Errorf("rooted at the subject: %v", sub)
	}
}

func TestCheckAsReportsUndecodableDocuments(t *testing.T) {
	errs := CheckAs[task]([]byte(`{"context": 12}`))
	if len(errs) != 1 || errs[0].Pointer != "" || errs[0].Keyword != "type" {
		t.Errorf("got %v", errs)
	}
}

// FuzzPrune holds the dropping of rejected values to never panic, whatever the document and pointers.
func FuzzPrune(f *testing.F) {
	f.Add(`{"a":[{"b":1},2]}`, "/a/0", "required", "/a/1/x", "enum")
	f.Add(`[1,[2,3]]`, "/1/0", "type", "/0", "required")
	f.Add(`{"~":{"/":[]}}`, "/~0/~1/0", "x", "/-1", "y")
	f.Fuzz(func(t *testing.T, doc, p1, k1, p2, k2 string) {
		v, err := validate.DecodeAny([]byte(doc))
		if err != nil {
			return
		}
		dropRejected(v, validate.Errors{{Pointer: p1, Keyword: k1}, {Pointer: p2, Keyword: k2}})
		_ = contextRooted(validate.Errors{{Pointer: p1, Keyword: k1, Message: k2}})
	})
}
