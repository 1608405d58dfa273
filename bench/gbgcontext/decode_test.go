package gbgcontext

import (
	"encoding/json"
	"testing"
)

// A decoding error deep in a document names the path of the value it is about, through
// json.Unmarshal as through UnmarshalJSON, and a document decoded twice into the same value
// leaves nothing of the first behind.
func TestDecodeErrorNamesPath(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{`{"config":{"delivery":"api"},"subject":{"identity":{"lastNames":["a",null]}}}`,
			`"subject": "identity": "lastNames": [1]: expected a string, got null`},
		{`{"config":{"delivery":"api"},"subject":{"identity":{"aliases":[{}, {"title": 1}]}}}`,
			`"subject": "identity": "aliases": [1]: "title": expected a string, got a number`},
		{`{"config":{"delivery":"api"},"subject":{"documents":[{"chip": [1]}]}}`,
			`"subject": "documents": [0]: "chip": expected a JSON object, got an array`},
		{`{"config":{"delivery":"api"}} {}`, `unexpected data after JSON value`},
	} {
		var ctx Context
		if err := ctx.UnmarshalJSON([]byte(c.doc)); err == nil || err.Error() != c.want {
			t.Errorf("UnmarshalJSON(%s) = %v, want %q", c.doc, err, c.want)
		}
		if c.want == "unexpected data after JSON value" {
			continue // json.Unmarshal finds this one itself, in its own words
		}
		if err := json.Unmarshal([]byte(c.doc), &ctx); err == nil || err.Error() != c.want {
			t.Errorf("json.Unmarshal(%s) = %v, want %q", c.doc, err, c.want)
		}
	}
	var ctx Context
	if err := json.Unmarshal([]byte(`{"config":{"delivery":"api"},"subject":{"uid":"x","extra":1}}`), &ctx); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`{"config":{"delivery":"page"},"subject":{}}`), &ctx); err != nil {
		t.Fatal(err)
	}
	if ctx.Subject.UID != nil || ctx.Config.Delivery != DeliveryPage || ctx.Validate() != nil {
		t.Errorf("second decode kept %+v, Validate %v", ctx.Subject, ctx.Validate())
	}
}
