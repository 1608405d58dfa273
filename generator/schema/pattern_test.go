package schema

import (
	"strings"
	"testing"
)

// TestCompilePattern holds ECMA-262 patterns to what they match in ECMA-262, through the
// RE2 translation.
func TestCompilePattern(t *testing.T) {
	for _, tt := range []struct {
		pattern    string
		match, not []string
	}{
		{`^\p{Letter}+$`, []string{"Hello", "π"}, []string{"123", "a1"}},
		{`^\p{L}+$`, []string{"Hello"}, []string{"1"}},
		{`^\p{gc=Decimal_Number}+$`, []string{"123", "٣"}, []string{"x"}},
		{`^\p{General_Category=Lu}$`, []string{"A"}, []string{"a"}},
		{`^\p{digit}$`, []string{"7"}, []string{"x"}},
		{`^\P{Letter}+$`, []string{"123"}, []string{"a"}},
		{`^[\p{Uppercase_Letter}\d]+$`, []string{"A1"}, []string{"a"}},
		{`^\p{sc=Greek}+$`, []string{"αβ"}, []string{"ab"}},
		{`^\p{Script=Latin}$`, []string{"a"}, []string{"α"}},
		{`^\pL$`, []string{"a"}, []string{"1"}},
		{`^\s$`, []string{"\u00a0", "\u3000"}, []string{"x"}},
		{`^\d{2}$`, []string{"12"}, []string{"1", "١٢"}},
		{`^(?<year>\d{4})$`, []string{"2024"}, []string{"24"}},
		{`^a{b$`, []string{"a{b"}, nil},
		{`^\u00e9\u{1F600}$`, []string{"é😀"}, nil},
	} {
		re, ok := CompilePattern(tt.pattern)
		if !ok {
			t.Errorf("%s: not compiled", tt.pattern)
			continue
		}
		for _, s := range tt.match {
			if !re.MatchString(s) {
				t.Errorf("%s does not match %q", tt.pattern, s)
			}
		}
		for _, s := range tt.not {
			if re.MatchString(s) {
				t.Errorf("%s matches %q", tt.pattern, s)
			}
		}
	}
}

func TestTranslatePatternErrors(t *testing.T) {
	for _, tt := range []struct{ pattern, want string }{
		{`^\p{Alphabetic}$`, `\p{Alphabetic}: RE2 has no such Unicode property`},
		{`^\p{gc=Greek}$`, `\p{gc=Greek}: RE2 has no such Unicode property`},
		{`^\p{sc=Lu}$`, `\p{sc=Lu}: RE2 has no such Unicode property`},
		{`^\P{Letter`, `unterminated \P{`},
		{`^(?!x)`, `lookahead`},
		{`(a)\1`, `backreference \1`},
	} {
		_, err := TranslatePattern(tt.pattern)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("TranslatePattern(%q) error = %v, want it to contain %q", tt.pattern, err, tt.want)
		}
	}
}
