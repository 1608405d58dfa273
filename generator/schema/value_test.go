package schema

import "testing"

func TestCanonicalJSON(t *testing.T) {
	tests := []struct{ src, want string }{
		{`null`, `null`},
		{`true`, `true`},
		{`1.50`, `1.50`}, // numbers keep the text they were written with
		{`-2e3`, `-2e3`},
		{`"a<b & \"c\"\n"`, `"a<b & \"c\"\n"`}, // quoted as encoding/json quotes, without HTML escaping
		{`[]`, `[]`},
		{`{}`, `{}`},
		{`{"b":1,"a":[{"d":null,"c":false}],"":"e"}`, `{"":"e","a":[{"c":false,"d":null}],"b":1}`},
	}
	for _, tt := range tests {
		v, err := ParseJSON([]byte(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		if got := CanonicalJSON(v); got != tt.want {
			t.Errorf("CanonicalJSON(%s) = %s, want %s", tt.src, got, tt.want)
		}
	}
}
