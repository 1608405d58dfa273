package generator

import (
	"regexp/syntax"
	"strings"

	"github.com/gbggen/gbggen/generator/schema"
)

// translateChecked translates p to RE2 and checks that regexp.MustCompile will accept it;
// the error explains why the pattern cannot be used. Parsing is the only step of
// regexp.Compile that can fail, and is a fraction of its cost on long patterns.
func translateChecked(p string) (string, error) {
	t, err := schema.TranslatePattern(p)
	if err != nil {
		return "", err
	}
	if _, err := syntax.Parse(t, syntax.Perl); err != nil {
		return "", err
	}
	return t, nil
}

// leadingNegativeLookahead splits "^(?!X)REST" into X and REST when X and
// REST contain no further lookaround.
func leadingNegativeLookahead(p string) (neg, rest string, ok bool) {
	if !strings.HasPrefix(p, "^(?!") {
		return "", "", false
	}
	depth, inClass := 1, false
	for i := 4; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\':
			i++
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				neg, rest = p[4:i], p[i+1:]
				if strings.Contains(neg, "(?=") || strings.Contains(neg, "(?!") || strings.Contains(rest, "(?=") ||
					strings.Contains(rest, "(?!") || strings.Contains(neg, "(?<") || strings.Contains(rest, "(?<") {
					return "", "", false
				}
				return neg, rest, true
			}
		}
	}
	return "", "", false
}
