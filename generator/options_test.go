package generator

import (
	"strings"
	"testing"
)

// TestInvalidNames: names Go does not accept are usage errors naming them, found before
// anything is rendered.
func TestInvalidNames(t *testing.T) {
	schema := []byte(`{"type": "object", "properties": {"a": {"type": "string"}}}`)
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Package: "func"}, `invalid package name "func": func is a Go keyword`},
		{Options{Package: "my-pkg"}, `invalid package name "my-pkg": not a Go identifier`},
		{Options{Package: "_"}, `invalid package name "_": the blank identifier`},
		{Options{Package: ""}, `invalid package name "": empty`},
		{Options{Package: "p", Roots: []Root{{Name: "type"}}}, `invalid type name "type": type is a Go keyword`},
		{Options{Package: "p", Journey: &Journey{Name: "1st"}}, `invalid journey name "1st": not a Go identifier`},
	} {
		tc.opts.Roots = append(tc.opts.Roots, Root{Name: "Root", Schema: "s.json", Data: schema})
		_, _, err := Generate(tc.opts)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.opts, err, tc.want)
		}
	}
}
