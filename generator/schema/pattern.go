package schema

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// ecmaSpace is what \s matches in ECMA-262 (RE2's \s is ASCII only).
const ecmaSpace = `\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`

// TranslatePattern rewrites an ECMA-262 regular expression (the dialect of
// the pattern and patternProperties keywords) into RE2 syntax. It returns an
// error for constructs RE2 cannot express (lookaround, backreferences).
func TranslatePattern(p string) (string, error) {
	var b strings.Builder
	inClass := false
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\' && i+1 < len(rs):
			n, err := translateEscape(&b, rs, i, inClass)
			if err != nil {
				return "", err
			}
			i = n
		case r == '\\':
			return "", fmt.Errorf("trailing backslash")
		case inClass:
			if r == ']' {
				inClass = false
			}
			if r == '[' {
				b.WriteString(`\[`)
				continue
			}
			b.WriteRune(r)
		case r == '[':
			i = openClass(&b, rs, i, &inClass)
		case r == '(' && i+2 < len(rs) && rs[i+1] == '?':
			if err := groupStart(&b, rs, i); err != nil {
				return "", err
			}
			if rs[i+2] == '<' && i+3 < len(rs) && rs[i+3] != '=' && rs[i+3] != '!' {
				i++ // (?<name> → (?P<name>: continue at '<'
			}
		case r == '{' && !isQuantifier(rs, i):
			b.WriteString(`\{`)
		case r == '}' && !closesQuantifier(rs, i):
			b.WriteString(`\}`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), nil
}

func openClass(b *strings.Builder, rs []rune, i int, inClass *bool) int {
	switch {
	case runesAt(rs, i, "[^]"):
		b.WriteString(`[\x00-\x{10FFFF}]`)
		return i + 2
	case runesAt(rs, i, "[]"):
		b.WriteString(`[^\x00-\x{10FFFF}]`)
		return i + 1
	}
	*inClass = true
	b.WriteRune('[')
	if i+1 < len(rs) && rs[i+1] == '^' {
		b.WriteRune('^')
		i++
	}
	if i+1 < len(rs) && rs[i+1] == ']' {
		// A leading ] is literal in some engines; ECMA closes the class,
		// handled above. Anything else falls through.
		return i
	}
	return i
}

func groupStart(b *strings.Builder, rs []rune, i int) error {
	switch rs[i+2] {
	case '=', '!':
		return fmt.Errorf("lookahead (?%c is not supported by RE2", rs[i+2])
	case '<':
		if i+3 < len(rs) && (rs[i+3] == '=' || rs[i+3] == '!') {
			return fmt.Errorf("lookbehind is not supported by RE2")
		}
		b.WriteString("(?P")
		return nil
	}
	b.WriteRune('(')
	return nil
}

func isQuantifier(rs []rune, i int) bool {
	j := i + 1
	digits := 0
	for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
		j++
		digits++
	}
	if digits == 0 {
		return false
	}
	if j < len(rs) && rs[j] == ',' {
		j++
		for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
			j++
		}
	}
	return j < len(rs) && rs[j] == '}'
}

func closesQuantifier(rs []rune, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch {
		case rs[j] == '{':
			return isQuantifier(rs, j)
		case rs[j] >= '0' && rs[j] <= '9' || rs[j] == ',':
		default:
			return false
		}
	}
	return false
}

// translateEscape handles the escape starting at rs[i] ('\\') and returns
// the index of its last rune.
func translateEscape(b *strings.Builder, rs []rune, i int, inClass bool) (int, error) {
	c := rs[i+1]
	switch c {
	case 's':
		if inClass {
			b.WriteString(ecmaSpace)
		} else {
			b.WriteString("[" + ecmaSpace + "]")
		}
		return i + 1, nil
	case 'S':
		if inClass {
			b.WriteString(`\S`)
		} else {
			b.WriteString("[^" + ecmaSpace + "]")
		}
		return i + 1, nil
	case 'd', 'D', 'w', 'W', 'b', 'B', 't', 'n', 'r', 'f', 'v':
		b.WriteRune('\\')
		b.WriteRune(c)
		return i + 1, nil
	case '0':
		b.WriteString(`\x00`)
		return i + 1, nil
	case 'c':
		if i+2 < len(rs) && isASCIILetter(rs[i+2]) {
			fmt.Fprintf(b, `\x{%x}`, rs[i+2]%32)
			return i + 2, nil
		}
	case 'u':
		return unicodeEscape(b, rs, i)
	case 'x':
		if i+3 < len(rs) && isHexRune(rs[i+2]) && isHexRune(rs[i+3]) {
			b.WriteString(`\x` + string(rs[i+2:i+4]))
			return i + 3, nil
		}
	case 'k':
		return 0, fmt.Errorf("named backreference \\k is not supported by RE2")
	case 'p', 'P':
		return propertyEscape(b, rs, i)
	}
	if c >= '1' && c <= '9' {
		if inClass {
			fmt.Fprintf(b, `\x{%x}`, c-'0')
			return i + 1, nil
		}
		return 0, fmt.Errorf("backreference \\%c is not supported by RE2", c)
	}
	if isASCIILetter(c) || c >= '0' && c <= '9' {
		// An identity escape of a letter means the letter itself.
		b.WriteRune(c)
		return i + 1, nil
	}
	if c < 128 {
		b.WriteRune('\\')
		b.WriteRune(c)
		return i + 1, nil
	}
	b.WriteRune(c)
	return i + 1, nil
}

func unicodeEscape(b *strings.Builder, rs []rune, i int) (int, error) {
	if i+2 < len(rs) && rs[i+2] == '{' {
		j := i + 3
		for j < len(rs) && isHexRune(rs[j]) {
			j++
		}
		if j < len(rs) && rs[j] == '}' && j > i+3 {
			b.WriteString(`\x{` + string(rs[i+3:j]) + `}`)
			return j, nil
		}
	}
	if i+5 < len(rs) && isHexRune(rs[i+2]) && isHexRune(rs[i+3]) && isHexRune(rs[i+4]) && isHexRune(rs[i+5]) {
		b.WriteString(`\x{` + string(rs[i+2:i+6]) + `}`)
		return i + 5, nil
	}
	b.WriteRune('u')
	return i + 1, nil
}

// propertyEscape handles \p{…} and \P{…}. ECMA-262 names a general category by its long
// name, its short name or an alias (Letter, L; Decimal_Number, Nd, digit), optionally as
// gc=… or General_Category=…, and a script as sc=… or Script=…; RE2 knows only the short
// category names and the long script names.
func propertyEscape(b *strings.Builder, rs []rune, i int) (int, error) {
	if i+2 >= len(rs) || rs[i+2] != '{' {
		b.WriteRune('\\')
		b.WriteRune(rs[i+1])
		return i + 1, nil
	}
	end := i + 3
	for end < len(rs) && rs[end] != '}' {
		end++
	}
	if end == len(rs) {
		return 0, fmt.Errorf("unterminated \\%c{", rs[i+1])
	}
	name := string(rs[i+3 : end])
	re2, ok := unicodeProperty(name)
	if !ok {
		return 0, fmt.Errorf("\\%c{%s}: RE2 has no such Unicode property", rs[i+1], name)
	}
	b.WriteString(`\` + string(rs[i+1]) + "{" + re2 + "}")
	return end, nil
}

// unicodeProperty returns RE2's name for an ECMA-262 Unicode property.
func unicodeProperty(name string) (string, bool) {
	key, value, hasKey := strings.Cut(name, "=")
	if !hasKey {
		value = name
	}
	isCategory := !hasKey || key == "gc" || key == "General_Category"
	isScript := !hasKey || key == "sc" || key == "Script"
	if short, ok := categoryAliases[value]; ok && isCategory {
		return short, true
	}
	if _, ok := unicode.Categories[value]; ok && isCategory {
		return value, true
	}
	if _, ok := unicode.Scripts[value]; ok && isScript {
		return value, true
	}
	if value == "Any" && !hasKey {
		return value, true
	}
	return "", false
}

// categoryAliases maps the long names and aliases of general categories (Unicode's
// PropertyValueAliases.txt) to the short names RE2 knows.
var categoryAliases = map[string]string{
	"Other": "C", "Control": "Cc", "cntrl": "Cc", "Format": "Cf", "Unassigned": "Cn",
	"Private_Use": "Co", "Surrogate": "Cs",
	"Letter": "L", "Cased_Letter": "LC", "Lowercase_Letter": "Ll", "Modifier_Letter": "Lm",
	"Other_Letter": "Lo", "Titlecase_Letter": "Lt", "Uppercase_Letter": "Lu",
	"Mark": "M", "Combining_Mark": "M", "Spacing_Mark": "Mc", "Enclosing_Mark": "Me",
	"Nonspacing_Mark": "Mn",
	"Number":          "N", "Decimal_Number": "Nd", "digit": "Nd", "Letter_Number": "Nl", "Other_Number": "No",
	"Punctuation": "P", "punct": "P", "Connector_Punctuation": "Pc", "Dash_Punctuation": "Pd",
	"Close_Punctuation": "Pe", "Final_Punctuation": "Pf", "Initial_Punctuation": "Pi",
	"Other_Punctuation": "Po", "Open_Punctuation": "Ps",
	"Symbol": "S", "Currency_Symbol": "Sc", "Modifier_Symbol": "Sk", "Math_Symbol": "Sm",
	"Other_Symbol": "So",
	"Separator":    "Z", "Line_Separator": "Zl", "Paragraph_Separator": "Zp", "Space_Separator": "Zs",
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isHexRune(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
}

var patternCache sync.Map // string → *regexp.Regexp (nil when unusable)

// CompilePattern translates and compiles an ECMA-262 pattern, once per
// process; ok is false when RE2 cannot express it.
func CompilePattern(p string) (*regexp.Regexp, bool) {
	if v, ok := patternCache.Load(p); ok {
		re, _ := v.(*regexp.Regexp)
		return re, re != nil
	}
	var re *regexp.Regexp
	if t, err := TranslatePattern(p); err == nil {
		re, _ = regexp.Compile(t)
	}
	patternCache.Store(p, re)
	return re, re != nil
}

// runesAt reports whether rs holds prefix (ASCII) at i. (Slicing rs into a string at every
// class made translation quadratic in the length of long patterns.)
func runesAt(rs []rune, i int, prefix string) bool {
	if len(rs)-i < len(prefix) {
		return false
	}
	for j := range len(prefix) {
		if rs[i+j] != rune(prefix[j]) {
			return false
		}
	}
	return true
}
