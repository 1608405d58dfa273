package generator

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// hostileCase is one schema nobody should write and somebody will: the generator must answer
// with an error naming the file and the JSON Pointer (or line) of the problem, or with code
// that type-checks; never a panic, never a hang.
type hostileCase struct {
	name   string
	schema string
	// wantErr, when set, is text the error must contain; empty means code must come out.
	wantErr string
}

func hostileCases() []hostileCase {
	props := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"type":"object","properties":{`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"p%d":{"type":"string","maxLength":%d}`, i, i+1)
		}
		b.WriteString(`}}`)
		return b.String()
	}
	nested := func(depth int) string {
		return strings.Repeat(`{"type":"object","properties":{"child":`, depth) + `{"type":"string"}` + strings.Repeat(`}}`, depth)
	}
	enum := func(n int) string {
		vals := make([]string, n)
		for i := range vals {
			vals[i] = fmt.Sprintf(`"v%d"`, i)
		}
		return `{"type":"object","properties":{"e":{"enum":[` + strings.Join(vals, ",") + `]}}}`
	}
	return []hostileCase{
		{"malformed JSON", `{"type": "object",`, "hostile.json"},
		{"malformed YAML", "type: [object\n", "hostile.yaml"},
		{"empty input", ``, "hostile.json"},
		{"non-object root", `42`, "hostile.json"},
		{"string root", `"a schema?"`, "hostile.json"},
		{"ref cycle with no type", `{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}`, "#/$defs/"},
		{"unresolvable ref", `{"properties":{"a":{"$ref":"#/$defs/missing"}}}`, "/properties/a"},
		{"remote ref, no network", `{"properties":{"a":{"$ref":"https://example.org/s.json"}}}`, "https://example.org/s.json"},
		{"keywords and method names", `{"type":"object","required":["func","Validate"],"properties":{"func":{"type":"string"},"Validate":{"type":"string"},"MarshalJSON":{"type":"integer"},"UnmarshalJSON":{"type":"boolean"},"range":{"type":"string"},"type":{"type":"string"}}}`, ""},
		{"empty, non-ASCII and case-only names", `{"type":"object","properties":{"":{"type":"string"},"naïve":{"type":"string"},"日本":{"type":"string"},"id":{"type":"string"},"ID":{"type":"integer"},"Id":{"type":"boolean"}}}`, ""},
		{"20,000 properties", props(20000), ""},
		{"300-deep nesting", nested(300), ""},
		{"5,000-value enum", enum(5000), ""},
		{"patterns RE2 cannot compile", `{"type":"object","properties":{"a":{"type":"string","pattern":"^(?=.*\\d)(?!.*(.)\\1).+$"},"b":{"type":"string","pattern":"(a)\\1"},"c":{"type":"string","pattern":"[z-a]"}}}`, ""},
		{"numbers beyond float64", `{"type":"object","properties":{"n":{"type":"number","maximum":1e400,"minimum":-1e400,"multipleOf":1e-400},"i":{"type":"integer","const":123456789012345678901234567890}}}`, ""},
		{"control characters in names and text", `{"type":"object","description":"nul \u0000, bom \ufeff, cr \r mid-line, end */ of comment","properties":{"a\u0000b":{"type":"string","description":"x\u0000y"},"line\nbreak */":{"type":"object","properties":{"q":{"type":"string"}}},"back` + "`" + `tick\"quote":{"type":"string","enum":["\u0000","*/"]}}}`, ""},
		{"sum alternatives named like methods", `{"type":"object","$defs":{"Validate":{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},"MarshalJSON":{"type":"integer"}},"properties":{"v":{"oneOf":[{"$ref":"#/$defs/Validate"},{"$ref":"#/$defs/MarshalJSON"},{"type":"string","enum":["x"]}]}}}`, ""},
		{"boolean schemas everywhere", `{"properties":{"a":true,"b":false},"additionalProperties":false,"items":false,"not":false}`, ""},
	}
}

func TestHostileSchemas(t *testing.T) {
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			file := "hostile.json"
			if strings.Contains(tc.name, "YAML") {
				file = "hostile.yaml"
			}
			files, err := generateGuarded(t, file, []byte(tc.schema))
			switch {
			case tc.wantErr != "" && err == nil:
				t.Fatalf("generated code, want an error mentioning %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("error %q does not mention %q", err, tc.wantErr)
			case tc.wantErr == "" && err != nil:
				t.Fatalf("error: %v", err)
			case tc.wantErr == "":
				if err := typeCheck(files[0].Content); err != nil {
					t.Fatalf("generated code does not type-check: %v", err)
				}
			}
		})
	}
}

// generateGuarded runs Generate, failing the test if it panics (Generate turns internal
// panics into errors, which is checked here too) or does not return at all.
func generateGuarded(t *testing.T, file string, data []byte) ([]File, error) {
	t.Helper()
	type result struct {
		files []File
		err   error
	}
	done := make(chan result, 1)
	go func() {
		files, _, err := Generate(Options{Package: "gen", Roots: []Root{{Name: "Root", Schema: file, Data: data}}})
		done <- result{files, err}
	}()
	select {
	case r := <-done:
		if r.err != nil && strings.Contains(r.err.Error(), "internal error") {
			t.Fatalf("Generate hit an internal error (a recovered panic): %v", r.err)
		}
		return r.files, r.err
	case <-time.After(2 * time.Minute):
		t.Fatalf("Generate did not return: a hang")
		return nil, nil
	}
}
