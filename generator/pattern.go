package generator

import (
	"fmt"
	"regexp/syntax"
	"strings"

	"github.com/dave/jennifer/jen"

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

// Straight-line patterns. Most patterns in real schemas are a fixed sequence of ASCII
// character classes, each repeated a bounded number of times, anchored at both ends:
// ^[A-Z]{2,3}$, ^\d{4}-\d{2}-\d{2}$. Such a pattern is checked by a generated function of a
// few comparisons instead of a regexp, which saves the regexp machine's start-up on every
// call (most of Validate's time on small documents) and its allocations.

// run is one step of a straight-line pattern: between min and max bytes (max < 0: any
// number) each in the ASCII set class.
type run struct {
	class    [2]uint64 // bit c set: byte c is in the set
	min, max int
}

func (r run) has(c int) bool { return c < 128 && r.class[c>>6]>>(c&63)&1 != 0 }

// maxRanges bounds the comparisons a class may take before it is not worth a straight line.
const maxRanges = 4

// straightLine returns the runs of the RE2 pattern t when it is anchored at both ends and
// matched by consuming each run greedily in turn: every run of variable length has a class
// disjoint from whatever may follow it. ok is false for any other pattern.
func straightLine(t string) (runs []run, ok bool) {
	re, err := syntax.Parse(t, syntax.Perl)
	if err != nil || re.Op != syntax.OpConcat || len(re.Sub) < 3 {
		return nil, false
	}
	subs := re.Sub
	if subs[0].Op != syntax.OpBeginText || subs[len(subs)-1].Op != syntax.OpEndText {
		return nil, false
	}
	for _, s := range subs[1 : len(subs)-1] {
		if runs, ok = appendRuns(runs, s); !ok {
			return nil, false
		}
	}
	for i, r := range runs {
		if r.min == r.max {
			continue
		}
		for _, next := range runs[i+1:] {
			if next.class[0]&r.class[0] != 0 || next.class[1]&r.class[1] != 0 {
				return nil, false
			}
			if next.min > 0 {
				break
			}
		}
	}
	return runs, len(runs) > 0
}

// appendRuns appends the runs of one item of the top-level concatenation.
func appendRuns(runs []run, re *syntax.Regexp) ([]run, bool) {
	min, max := 1, 1
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		for _, c := range re.Rune {
			r, ok := classRun([]rune{c, c})
			if !ok {
				return nil, false
			}
			runs = append(runs, r)
		}
		return runs, true
	case syntax.OpCharClass:
		r, ok := classRun(re.Rune)
		return append(runs, r), ok
	case syntax.OpStar:
		min, max = 0, -1
	case syntax.OpPlus:
		min, max = 1, -1
	case syntax.OpQuest:
		min, max = 0, 1
	case syntax.OpRepeat:
		min, max = re.Min, re.Max
	default:
		return nil, false
	}
	sub := re.Sub[0]
	var r run
	var ok bool
	switch {
	case sub.Op == syntax.OpCharClass:
		r, ok = classRun(sub.Rune)
	case sub.Op == syntax.OpLiteral && len(sub.Rune) == 1 && sub.Flags&syntax.FoldCase == 0:
		r, ok = classRun([]rune{sub.Rune[0], sub.Rune[0]})
	}
	if !ok || max > 1000 {
		return nil, false
	}
	r.min, r.max = min, max
	return append(runs, r), true
}

// classRun is a run of one byte from the ASCII class given as rune ranges.
func classRun(ranges []rune) (run, bool) {
	r := run{min: 1, max: 1}
	if len(ranges) == 0 || len(ranges)/2 > maxRanges {
		return r, false
	}
	for i := 0; i < len(ranges); i += 2 {
		if ranges[i+1] >= 128 {
			return r, false
		}
		for c := ranges[i]; c <= ranges[i+1]; c++ {
			r.class[c>>6] |= 1 << (c & 63)
		}
	}
	return r, true
}

// ranges lists the class of r as inclusive byte ranges.
func (r run) ranges() [][2]int {
	var out [][2]int
	for c := 0; c < 128; c++ {
		if !r.has(c) {
			continue
		}
		lo := c
		for c+1 < 128 && r.has(c+1) {
			c++
		}
		out = append(out, [2]int{lo, c})
	}
	return out
}

// inClass is the Go condition "the byte c is in the class of r".
func (r run) inClass(c jen.Code) jen.Code {
	var conds []jen.Code
	for _, rg := range r.ranges() {
		lo, hi := jen.LitRune(rune(rg[0])), jen.LitRune(rune(rg[1]))
		switch {
		case rg[0] == rg[1]:
			conds = append(conds, jen.Add(c).Op("==").Add(lo))
		default:
			conds = append(conds, jen.Add(lo).Op("<=").Add(c).Op("&&").Add(c).Op("<=").Add(hi))
		}
	}
	out := conds[0]
	for _, x := range conds[1:] {
		out = jen.Add(out).Op("||").Add(x)
	}
	if len(conds) > 1 {
		return jen.Parens(out)
	}
	return out
}

// maxUnrolled is the longest fixed-length pattern checked as one expression.
const maxUnrolled = 16

// straightLineFunc declares func name(s string) bool, reporting whether s matches the
// straight-line pattern of runs.
func straightLineFunc(name string, runs []run) jen.Code {
	fixed, n := true, 0
	for _, r := range runs {
		fixed = fixed && r.min == r.max
		n += r.min
	}
	s := jen.Id("s")
	if fixed && n <= maxUnrolled {
		cond := jen.Len(s).Op("==").Lit(n)
		i := 0
		for _, r := range runs {
			for range r.min {
				cond = jen.Add(cond).Op("&&").Line().Add(r.inClass(jen.Id("s").Index(jen.Lit(i))))
				i++
			}
		}
		return jen.Func().Id(name).Params(jen.Id("s").String()).Bool().Block(jen.Return(cond))
	}
	var body []jen.Code
	body = append(body, jen.Id("i").Op(":=").Lit(0))
	for _, r := range runs {
		c := jen.Id("s").Index(jen.Id("i"))
		if r.min == 1 && r.max == 1 {
			body = append(body, jen.If(jen.Id("i").Op(">=").Len(s).Op("||").Op("!").Parens(r.inClass(c))).Block(jen.Return(jen.False())),
				jen.Id("i").Op("++"))
			continue
		}
		limit := jen.Len(s)
		if r.max >= 0 {
			limit = jen.Min(jen.Len(s), jen.Id("start").Op("+").Lit(r.max))
		}
		body = append(body, jen.Block(
			jen.Id("start").Op(":=").Id("i"),
			jen.For(jen.Id("end").Op(":=").Add(limit), jen.Id("i").Op("<").Id("end").Op("&&").Add(r.inClass(c)), jen.Id("i").Op("++")).Block(),
			jen.If(jen.Id("i").Op("-").Id("start").Op("<").Lit(r.min)).Block(jen.Return(jen.False())),
		))
	}
	body = append(body, jen.Return(jen.Id("i").Op("==").Len(s)))
	return jen.Func().Id(name).Params(jen.Id("s").String()).Bool().Block(body...)
}

// patternDecls declares name as a func(string) bool reporting whether a string matches the
// ECMA-262 pattern p, whose RE2 translation is t: a straight-line function when p is one,
// else the MatchString method of a precompiled regexp.
func patternDecls(name, p, t string) []jen.Code {
	if runs, ok := straightLine(t); ok {
		return []jen.Code{doc(fmt.Sprintf("%s reports whether s matches the ECMA-262 pattern %q.", name, p)),
			straightLineFunc(name, runs)}
	}
	return []jen.Code{doc(fmt.Sprintf("%s is the ECMA-262 pattern %q.", name, p)),
		jen.Var().Id(name).Op("=").Qual("regexp", "MustCompile").Call(jen.Lit(t)).Dot("MatchString")}
}
