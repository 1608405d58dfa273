package gbg

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestSchemaDigestIgnoresLayout(t *testing.T) {
	base := `{"type":"object","properties":{"a":{"type":"string","pattern":"^<&>$"},"n":{"maximum":1.50}},"required":["a"]}`
	want, err := SchemaDigest([]byte(base))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(want, "sha256:") || len(want) != len("sha256:")+64 {
		t.Fatalf("SchemaDigest = %q, want sha256:<64 hex digits>", want)
	}
	for _, same := range []string{
		"{\n  \"required\": [\"a\"],\n  \"type\": \"object\",\n  \"properties\": {\"n\": {\"maximum\": 1.50}, \"a\": {\"pattern\": \"^\\u003c&>$\", \"type\": \"string\"}}\n}\n",
		" " + base + "\t\n",
	} {
		if got, err := SchemaDigest([]byte(same)); err != nil || got != want {
			t.Errorf("SchemaDigest(%s) = %s %v, want %s: only the layout differs", same, got, err, want)
		}
	}
	for _, other := range []string{
		strings.Replace(base, "1.50", "1.5", 1), // numbers are compared as written
		strings.Replace(base, `["a"]`, `["a","n"]`, 1),
		strings.Replace(base, `"string"`, `"integer"`, 1),
	} {
		if got, _ := SchemaDigest([]byte(other)); got == want {
			t.Errorf("SchemaDigest(%s) = that of %s", other, base)
		}
	}
	for _, bad := range []string{``, `{`, `{"a":1} {}`, `{"a":1} x`, `nul`} {
		if got, err := SchemaDigest([]byte(bad)); err == nil {
			t.Errorf("SchemaDigest(%q) = %s, want an error", bad, got)
		}
	}
}

func TestCheckTaskSchemas(t *testing.T) {
	h := newHarness(t)
	h.route(pTaskSchemas, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, 200, `{"status":"InProgress","instanceId":"`+testInstance+`","tasks":[
			{"taskId":"t-same","schema":{"$ref":"#/schemas/same"}},
			{"taskId":"t-changed","schema":{"$ref":"#/schemas/changed"}},
			{"taskId":"t-new","schema":{"$ref":"#/schemas/new"}},
			{"taskId":"t-inline","schema":{"title":"Inline"}}],
			"schemas":{"same":{"title":"Same","type":"object"},"changed":{"title":"Changed","required":["b"]},"new":{"title":"New"}}}`)
	})
	digest := func(s string) string {
		d, err := SchemaDigest([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	want := map[string]string{
		"same":    digest(`{"type":"object","title":"Same"}`),
		"changed": digest(`{"title":"Changed","required":["a"]}`),
		"task-4":  digest(`{"title":"Inline"}`),
		"gone":    digest(`{"title":"Completed by the prefill, so not listed"}`),
	}
	drift, err := h.c.CheckTaskSchemas(context.Background(), testInstance, want)
	if err != nil {
		t.Fatal(err)
	}
	wantDrift := []SchemaDrift{
		{Key: "changed", TaskID: "t-changed", Want: want["changed"], Got: digest(`{"title":"Changed","required":["b"]}`)},
		{Key: "new", TaskID: "t-new", Got: digest(`{"title":"New"}`)},
	}
	if !reflect.DeepEqual(drift, wantDrift) {
		t.Errorf("drift = %+v\nwant    %+v", drift, wantDrift)
	}
	if s := drift[1].String(); s != "task new (t-new): not in the schemas the code was generated from" {
		t.Errorf("String() = %q", s)
	}
	if s := drift[0].String(); !strings.HasPrefix(s, "task changed (t-changed): schema sha256:") || !strings.Contains(s, "generated from "+want["changed"]) {
		t.Errorf("String() = %q", s)
	}

	h.route(pTaskSchemas, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, 503, `{"status":503,"message":"down"}`)
	})
	if _, err := h.c.CheckTaskSchemas(context.Background(), testInstance, want); err == nil {
		t.Error("a failed task/list/schema gave no error")
	}
}
