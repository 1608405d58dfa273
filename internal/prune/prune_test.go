package prune

import (
	"encoding/json"
	"testing"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func text(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// A value dropped in one pass makes its array element lack a member, which the next pass
// drops whole.
func TestAcceptedRunsPassesUntilNothingIsDropped(t *testing.T) {
	doc := decode(t, `{"a":[{"x":"bad","y":1},{"x":"ok","y":2}]}`)
	calls := 0
	got := Accepted(doc, func(doc any) ([]string, []string) {
		calls++
		for i, e := range doc.(map[string]any)["a"].([]any) {
			m := e.(map[string]any)
			if m["x"] == "bad" {
				return []string{"/a/" + itoa(i) + "/x"}, nil
			}
			if _, ok := m["x"]; !ok {
				return nil, []string{"/a/" + itoa(i)}
			}
		}
		return nil, nil
	})
	if text(got) != `{"a":[{"x":"ok","y":2}]}` || calls != 3 {
		t.Errorf("got %s after %d passes, want the second element alone after 3", text(got), calls)
	}
}

func TestAcceptedStopsAfterPasses(t *testing.T) {
	calls := 0
	Accepted(decode(t, `{"a":[1,2,3,4,5,6,7,8]}`), func(any) ([]string, []string) {
		calls++
		return []string{"/a/0"}, nil
	})
	if calls != Passes {
		t.Errorf("%d passes, want %d", calls, Passes)
	}
}

func TestDropElementsOnlyWhereThereIsAnArray(t *testing.T) {
	doc, removed := Drop(decode(t, `{"o":{"k":1},"a":[{"k":1},{"k":2}]}`), nil, []string{"/o", "/a/1", "", "x", "/a/9"})
	if text(doc) != `{"a":[{"k":1}],"o":{"k":1}}` || !removed {
		t.Errorf("got %s, removed %v", text(doc), removed)
	}
	if _, removed := Drop(decode(t, `{"o":{}}`), []string{"/p", "/o/q/r"}, []string{"/o"}); removed {
		t.Error("nothing named: removed reported")
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
