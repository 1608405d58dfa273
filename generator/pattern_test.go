package generator

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// matchRuns is what the function straightLineFunc writes does: each run consumes greedily.
func matchRuns(runs []run, s string) bool {
	i := 0
	for _, r := range runs {
		start := i
		for i < len(s) && (r.max < 0 || i-start < r.max) && r.has(int(s[i])) {
			i++
		}
		if i-start < r.min {
			return false
		}
	}
	return i == len(s)
}

// TestStraightLine holds the runs of every pattern taken as straight-line to the regexp it
// replaces, on random strings over the pattern's alphabet and a few bytes outside it; and
// checks which patterns are taken.
func TestStraightLine(t *testing.T) {
	for _, tc := range []struct {
		p    string
		want bool
	}{
		{`^[A-Z]{2,3}$`, true},
		{`^\d{4}-\d{2}-\d{2}$`, true},
		{`^[a-z0-9_]+$`, true},
		{`^a*b?c{0,2}$`, true},
		{`^[0-9]{1,5}\.[0-9]+$`, true},
		{`^x(?:y)z$`, true},
		{`^ab$`, true},
		{`^[A-Z]{2,3}`, false},      // not anchored at the end
		{`[A-Z]{2,3}$`, false},      // nor at the start
		{`^[a-z]+[a-z0-9]$`, false}, // greedy [a-z]+ would eat what the next class needs
		{`^(?i)ab$`, false},         // case folded
		{`^[^a]$`, false},           // negated: non-ASCII
		{`^é$`, false},              // non-ASCII
		{`^(ab)+$`, false},          // repeated group
		{`^a|b$`, false},            // alternation
		{`^[a-z]{2,3}[0-9]?[a-z]$`, false},
	} {
		tr, err := translateChecked(tc.p)
		if err != nil {
			t.Fatalf("%s: %v", tc.p, err)
		}
		runs, ok := straightLine(tr)
		if ok != tc.want {
			t.Errorf("%s: straight-line %v, want %v", tc.p, ok, tc.want)
		}
		if !ok {
			continue
		}
		re := regexp.MustCompile(tr)
		alphabet := alphabetOf(tc.p) + "\x00é~"
		rng := rand.New(rand.NewPCG(1, uint64(len(tc.p))))
		for range 20000 {
			var b strings.Builder
			for range rng.IntN(12) {
				b.WriteByte(alphabet[rng.IntN(len(alphabet))])
			}
			s := b.String()
			if got, want := matchRuns(runs, s), re.MatchString(s); got != want {
				t.Fatalf("%s on %q: straight line says %v, regexp %v", tc.p, s, got, want)
			}
		}
	}
}

// alphabetOf is a few bytes each class of p may match: its literal characters, and the
// ends of its ranges and their neighbours.
func alphabetOf(p string) string {
	var b strings.Builder
	for _, c := range []byte(p) {
		if c >= ' ' && c < 127 {
			b.WriteByte(c)
			b.WriteByte(c + 1)
			b.WriteByte(c - 1)
		}
	}
	b.WriteString("0123456789AZaz-.")
	return b.String()
}
