package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFormats(t *testing.T) {
	cases := []struct {
		fn   func(string) bool
		in   string
		want bool
	}{
		{IsDate, "2020-02-29", true}, {IsDate, "2021-02-29", false}, {IsDate, "2020-1-01", false},
		{IsDateTime, "1990-12-31T23:59:60Z", true}, {IsDateTime, "1990-12-31T22:59:60Z", false},
		{IsDateTime, "1990-12-31t15:59:60-08:00", true}, {IsTime, "08:30:06", false},
		{IsEmail, "joe.bloggs@example.com", true}, {IsEmail, "2962", false}, {IsEmail, "a..b@x.org", false},
		{IsURI, "http://example.org/a?b", true}, {IsURI, "//foo.bar", false},
		{IsUUID, "2EB8AA08-AA98-11EA-B4AA-73B441D16380", true}, {IsUUID, "2eb8aa08-aa98-11ea-b4aa73b441d16380", false},
		{IsIPv4, "192.168.0.1", true}, {IsIPv4, "087.10.0.1", false}, {IsIPv4, "256.1.1.1", false},
		{IsIPv6, "::1", true}, {IsIPv6, "fe80::1%eth0", false}, {IsIPv6, "1.2.3.4", false},
		{IsHostname, "www.example.com", true}, {IsHostname, "-a.com", false}, {IsHostname, "a_b.com", false},
		{IsHostname, "example.com.", false}, {IsHostname, "例え.jp", false},
		{IsEmail, "δοκιμή@example.com", false}, {IsEmail, "a@[192.0.2.1]", true}, {IsEmail, "a@[IPv6:::1]", true},
		{IsEmail, "a@[1.2.3]", false}, {IsEmail, "a@b@example.com", false}, {IsEmail, "@example.com", false},
		{IsIDNEmail, "실례@실례.테스트", true}, {IsIDNEmail, "δοκιμή@example.com", true}, {IsIDNEmail, "user@cafe\u0301.com", true},
		{IsIDNEmail, "user＠example.com", false}, {IsIDNEmail, "2962", false}, {IsIDNEmail, "a@-é.com", false},
		{IsIDNEmail, "a@[IPv6:::1]", true}, {IsIDNEmail, "a@\xff.com", false},
		{IsDuration, "P1Y2M3DT4H5M6S", true}, {IsDuration, "P2M3D", true}, {IsDuration, "PT5M6S", true},
		{IsDuration, "P1Y2D", false}, {IsDuration, "PT1H2S", false}, {IsDuration, "P2D1Y", false},
	}
	for _, c := range cases {
		if got := c.fn(c.in); got != c.want {
			t.Errorf("%q: got %v, want %v", c.in, got, c.want)
		}
	}
}

func TestNumbers(t *testing.T) {
	if TypeOf(json.Number("1.0")) != Integer|Number || TypeOf(json.Number("1.5")) != Number {
		t.Error("1.0 must be an integer and 1.5 must not")
	}
	if TypeOf(json.Number("1e400"))&Integer == 0 {
		t.Error("1e400 is an integer")
	}
	if !MultipleOf(json.Number("0.3"), "0.1") || MultipleOf(json.Number("1e308"), "0.123456789") {
		t.Error("multipleOf must be exact")
	}
	if Compare(json.Number("12345678901234567891"), "12345678901234567890") != 1 {
		t.Error("Compare must be exact beyond float64")
	}
	if !Equal(json.Number("1"), 1.0) || Equal(json.Number("1"), "1") {
		t.Error("Equal compares numbers by value and types strictly")
	}
}

func TestErrorsAndPointers(t *testing.T) {
	var errs Errors
	root := (*Path)(nil)
	a := root.Key("a/b")
	i := a.Index(3)
	k := i.Key("c~d")
	errs.Add(&k, "minLength", "too short")
	var got Errors
	if !errors.As(errs.Err(), &got) || got[0].Pointer != "/a~1b/3/c~0d" || got[0].Keyword != "minLength" {
		t.Fatalf("got %#v", got)
	}
	if (Errors{}).Err() != nil {
		t.Error("an empty Errors must be a nil error")
	}
	p := root.Key("x")
	if n := testingAllocs(func() { _ = p.Key("y") }); n != 0 {
		t.Errorf("building a path allocated %v times", n)
	}
}

func TestMissingMembers(t *testing.T) {
	var errs Errors
	root := (*Path)(nil)
	a := root.Key("a")
	errs.Required(&a, `b"c`)
	errs.DependentRequired(root, "", "card")
	errs.DependentRequired(&a, "zip", "")
	want := Errors{
		{Pointer: "/a", Keyword: "required", Message: `missing property "b\"c"`, Missing: `b"c`},
		{Pointer: "", Keyword: "dependentRequired", Message: `missing property "" (required when "card" is present)`, Missing: ""},
		{Pointer: "/a", Keyword: "dependentRequired", Message: `missing property "zip" (required when "" is present)`, Missing: "zip"},
	}
	if len(errs) != len(want) {
		t.Fatalf("got %#v", errs)
	}
	for i := range want {
		if errs[i] != want[i] {
			t.Errorf("%d: got %#v, want %#v", i, errs[i], want[i])
		}
	}
	var again Errors
	if n := testingAllocs(func() { again = again[:0]; again.Required(&a, "b") }); n > 2 {
		t.Errorf("a required violation took %v allocations, want the pointer's and the message's", n)
	}
}

func testingAllocs(f func()) float64 { return testing.AllocsPerRun(10, f) }

func TestMoreFormats(t *testing.T) {
	for in, want := range map[string]bool{"P4DT12H30M5S": true, "P1Y2M": true, "P4W": true, "PT": false, "P": false,
		"P2D1Y": false, "P1": false, "PT1D": false} {
		if IsDuration(in) != want {
			t.Errorf("IsDuration(%q) = %v", in, !want)
		}
	}
	for in, want := range map[string]bool{"1": true, "0/foo": true, "2#": true, "01/a": false, "/a": false, "-1": false} {
		if IsRelativeJSONPointer(in) != want {
			t.Errorf("IsRelativeJSONPointer(%q) = %v", in, !want)
		}
	}
	for in, want := range map[string]bool{
		"http://example.com/dictionary/{term:1}/{term}": true, "{+path}/here": true, "{?x,y*}": true,
		"{#a.b,c%41}": true, "": true, "/plain/ä": true, "{var:9999}": true, "%7Bx%7D": true,
		"http://example.com/dictionary/{term:1}/{term": false, "{}": false, "{x:0}": false, "{x:10000}": false,
		"{a..b}": false, "{.}": false, "{x y}": false, "a b": false, "a<b": false, "50%": false, "{x}}": false,
		"{x*:3}": false, "{%zz}": false,
	} {
		if IsURITemplate(in) != want {
			t.Errorf("IsURITemplate(%q) = %v", in, !want)
		}
	}
	if !IsRegex(`^\d+$`) || IsRegex("[") || !IsRegex(`^(?!x)`) {
		t.Error("IsRegex")
	}
}

func TestURIs(t *testing.T) {
	for _, c := range []struct {
		in                    string
		uri, ref, iri, iriRef bool
	}{
		{"https://example.org/terms", true, true, true, true},
		{"http://user:pw@host:8080/a/b?c=d&e#f", true, true, true, true},
		{"urn:isbn:0451450523", true, true, true, true},
		{"mailto:ada@example.org", true, true, true, true},
		{"http://[2001:db8::7]/c=GB?objectClass?one", true, true, true, true},
		{"http://[V1.fe:x]/", true, true, true, true},
		{"//example.org/x", false, true, false, true},
		{"../a/b?c#d", false, true, false, true},
		{"", false, true, false, true},
		{"http://ex ample.org/", false, false, false, false},
		{"http://example.org/a\\b", false, false, false, false},
		{"http://a@b@c/", false, false, false, false},
		{"http://[::1/", false, false, false, false},
		{"http://[1::2::3]/", false, false, false, false},
		{"http://example.org/%zz", false, false, false, false},
		{"1http://x", false, false, false, false},
		{"a:b:c/d", true, true, true, true},
		{"x/y:z", false, true, false, true},
		{"http://例え.jp/パス?キー#片", false, false, true, true},
		{"http://example.org/?\uE000", false, false, true, true},
		{"http://example.org/#\uE000", false, false, false, false},
	} {
		for _, f := range []struct {
			name string
			fn   func(string) bool
			want bool
		}{{"IsURI", IsURI, c.uri}, {"IsURIReference", IsURIReference, c.ref}, {"IsIRI", IsIRI, c.iri}, {"IsIRIReference", IsIRIReference, c.iriRef}} {
			if got := f.fn(c.in); got != f.want {
				t.Errorf("%s(%q) = %v, want %v", f.name, c.in, got, f.want)
			}
			if n := testing.AllocsPerRun(10, func() { f.fn(c.in) }); n != 0 && f.want {
				t.Errorf("%s(%q) allocates %v times", f.name, c.in, n)
			}
		}
	}
}

// uriGrammar is RFC 3986's ABNF (appendix A) as regular expressions, with iri RFC 3987's
// (§2.2): the oracle isURI is fuzzed against.
func uriGrammar(iri bool) (uri, ref *regexp.Regexp) {
	const (
		pct       = `%[0-9A-Fa-f]{2}`
		subDelims = `!$&'()*+,;=`
		h16       = `[0-9A-Fa-f]{1,4}`
		octet     = `(?:[0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])`
		ipv4      = octet + `\.` + octet + `\.` + octet + `\.` + octet
		ls32      = `(?:` + h16 + `:` + h16 + `|` + ipv4 + `)`
	)
	rep := func(n int) string { return `(?:` + h16 + `:){` + strconv.Itoa(n) + `}` }
	upTo := func(n int) string { return `(?:(?:` + h16 + `:){0,` + strconv.Itoa(n) + `}` + h16 + `)?` }
	ipv6 := `(?:` + rep(6) + ls32 + `|::` + rep(5) + ls32 + `|` + upTo(0) + `::` + rep(4) + ls32 + `|` +
		upTo(1) + `::` + rep(3) + ls32 + `|` + upTo(2) + `::` + rep(2) + ls32 + `|` + upTo(3) + `::` + h16 + `:` + ls32 +
		`|` + upTo(4) + `::` + ls32 + `|` + upTo(5) + `::` + h16 + `|` + upTo(6) + `::)`
	unreserved := `A-Za-z0-9\-._~`
	private := ""
	if iri {
		unreserved += `\x{A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}`
		for p := 1; p <= 14; p++ {
			lo := p << 16
			if p == 14 {
				lo = 0xE1000
			}
			unreserved += fmt.Sprintf(`\x{%X}-\x{%X}`, lo, p<<16|0xFFFD)
		}
		private = `\x{E000}-\x{F8FF}\x{F0000}-\x{FFFFD}\x{100000}-\x{10FFFD}`
	}
	var (
		pchar     = `(?:[` + unreserved + subDelims + `:@]|` + pct + `)`
		regName   = `(?:[` + unreserved + subDelims + `]|` + pct + `)*`
		userinfo  = `(?:[` + unreserved + subDelims + `:]|` + pct + `)*`
		ipLiteral = `\[(?:` + ipv6 + `|[vV][0-9A-Fa-f]+\.[` + `A-Za-z0-9\-._~` + subDelims + `:]+)\]`
		authority = `(?:` + userinfo + `@)?(?:` + ipLiteral + `|` + regName + `)(?::[0-9]*)?`
		segment   = pchar + `*`
		abempty   = `(?:/` + segment + `)*`
		absolute  = `/(?:` + pchar + `+` + abempty + `)?`
		rootless  = pchar + `+` + abempty
		noscheme  = `(?:[` + unreserved + subDelims + `@]|` + pct + `)+` + abempty
		query     = `(?:\?(?:[` + private + `/?]|` + pchar + `)*)?`
		fragment  = `(?:#(?:[/?]|` + pchar + `)*)?`
		scheme    = `[A-Za-z][A-Za-z0-9+\-.]*`
		hier      = `(?://` + authority + abempty + `|` + absolute + `|` + rootless + `|)`
		relative  = `(?://` + authority + abempty + `|` + absolute + `|` + noscheme + `|)`
	)
	if private == "" {
		query = `(?:\?(?:[/?]|` + pchar + `)*)?`
	}
	full := scheme + `:` + hier + query + fragment
	return regexp.MustCompile(`^` + full + `$`), regexp.MustCompile(`^(?:` + full + `|` + relative + query + fragment + `)$`)
}

// FuzzURI holds IsURI, IsURIReference, IsIRI and IsIRIReference to the grammars.
func FuzzURI(f *testing.F) {
	for _, s := range []string{"https://example.org/terms", "http://u@[::ffff:1.2.3.4]:80/a?b#c", "a:b", "//h/p",
		"x/y:z", "http://[v7.a:b]/", "?q", "#f", "http://例え.jp/", "%41:b", "http://h:x/"} {
		f.Add(s)
	}
	uri, ref := uriGrammar(false)
	iri, iriRef := uriGrammar(true)
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // the regexps read invalid bytes as U+FFFD
		}
		for _, c := range []struct {
			name string
			fn   func(string) bool
			re   *regexp.Regexp
		}{{"IsURI", IsURI, uri}, {"IsURIReference", IsURIReference, ref}, {"IsIRI", IsIRI, iri}, {"IsIRIReference", IsIRIReference, iriRef}} {
			if got, want := c.fn(s), c.re.MatchString(s); got != want {
				t.Errorf("%s(%q) = %v, the grammar says %v", c.name, s, got, want)
			}
		}
	})
}

func TestEncoder(t *testing.T) {
	var w Encoder
	w.Byte('{')
	w.Key(`"a":`)
	w.Int(1)
	w.MemberKey("x\"y<")
	w.Byte('[')
	for _, f := range []float64{1.5, 2e21} {
		w.Elem()
		w.Float(f)
	}
	w.Elem()
	w.Byte('[')
	w.Byte(']')
	w.Byte(']')
	w.Key(`"c":`)
	w.Byte('{')
	w.Key(`"d":`)
	w.Raw(nil)
	w.Key(`"e":`)
	w.Any(map[string]any{"f": true})
	w.Byte('}')
	w.Byte('}')
	got, err := w.Bytes()
	if want := `{"a":1,"x\"y\u003c":[1.5,2e+21,[]],"c":{"d":null,"e":{"f":true}}}`; err != nil || string(got) != want {
		t.Fatalf("got %s, %v; want %s", got, err, want)
	}
	if !json.Valid(got) {
		t.Fatalf("%s is not JSON", got)
	}
}

func TestEncoderKeepsFirstError(t *testing.T) {
	var w Encoder
	w.Byte('[')
	w.Float(math.Inf(1))
	w.Elem()
	w.Any(make(chan int))
	w.Elem()
	w.Float(math.NaN())
	w.Byte(']')
	got, err := w.Bytes()
	if got != nil || err == nil || !strings.Contains(err.Error(), "+Inf") {
		t.Fatalf("got %q, %v; want no JSON and the +Inf error", got, err)
	}
}

// uriTemplateGrammar is RFC 6570's ABNF as a regular expression (with erratum 6937's
// apostrophe in literals): the oracle IsURITemplate is
// fuzzed against.
var uriTemplateGrammar = func() *regexp.Regexp {
	const (
		pct     = `%[0-9A-Fa-f]{2}`
		literal = `(?:[\x21\x23\x24\x26-\x3B\x3D\x3F-\x5B\x5D\x5F\x61-\x7A\x7E\x{A0}-\x{10FFFF}]|` + pct + `)`
		varchar = `(?:[A-Za-z0-9_]|` + pct + `)`
		varname = varchar + `(?:\.?` + varchar + `)*`
		varspec = varname + `(?::[1-9][0-9]{0,3}|\*)?`
		expr    = `\{[+#./;?&=,!@|]?` + varspec + `(?:,` + varspec + `)*\}`
	)
	return regexp.MustCompile(`^(?:` + literal + `|` + expr + `)*$`)
}()

func FuzzURITemplate(f *testing.F) {
	for _, s := range []string{"http://example.com/{term:1}/{term}", "{+path}/x", "{?x,y*}", "{#a.b,c%41}", "{x", "{}", "a b", "%zz", "\ufffd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // the regexp reads invalid bytes as U+FFFD
		}
		if got, want := IsURITemplate(s), uriTemplateGrammar.MatchString(s); got != want {
			t.Errorf("IsURITemplate(%q) = %v, RFC 6570's grammar says %v", s, got, want)
		}
	})
}

func TestMatchesAnyOne(t *testing.T) {
	var calls int
	isString := func(v any, p *Path, errs *Errors) {
		calls++
		if _, ok := v.(string); !ok {
			errs.Add(p, "type", "must be of type string")
		}
	}
	short := func(v any, p *Path, errs *Errors) {
		calls++
		if s, ok := v.(string); ok && len(s) > 2 {
			errs.Add(p, "maxLength", "too long")
		}
	}
	for _, tt := range []struct {
		v        any
		any, one bool
	}{
		{"ab", true, false}, // both
		{"abc", true, true}, // only isString
		{1.0, true, true},   // only short
	} {
		if got := MatchesAny(tt.v, isString, short); got != tt.any {
			t.Errorf("MatchesAny(%v) = %v", tt.v, got)
		}
		if got := MatchesOne(tt.v, isString, short); got != tt.one {
			t.Errorf("MatchesOne(%v) = %v", tt.v, got)
		}
	}
	never := func(v any, p *Path, errs *Errors) { errs.Add(p, "not", "never") }
	if MatchesAny(1.0, never, never) || MatchesOne(1.0, never) || MatchesOne(1.0) || MatchesAny(1.0) {
		t.Error("no passing check must mean no match")
	}
	calls = 0
	MatchesAny("ab", isString, short, short)
	if calls != 1 {
		t.Errorf("MatchesAny ran %d checks after the first passed, want 1", calls)
	}
	calls = 0
	MatchesOne("ab", isString, short, short)
	if calls != 2 {
		t.Errorf("MatchesOne ran %d checks, want 2 (it stops at the second that passes)", calls)
	}
	// The argument list stays on the stack: a value that passes the first alternative of an
	// anyOf costs nothing.
	if n := testing.AllocsPerRun(100, func() { MatchesAny("ab", isString, short) }); n != 0 {
		t.Errorf("MatchesAny allocated %v times", n)
	}
}

func TestRegexIsECMA(t *testing.T) {
	for s, want := range map[string]bool{
		`^\d+$`: true, "[": false, `^(?!x)`: true, `(?<name>x)`: true, `(?<n>a)\k<n>`: true, `(?<=a+)b`: true,
		"[]": true, "[^]": true, `a[]b|[^]`: true, `\cA`: true, `[\]]`: true, `[a\]`: false,
		`\a`: false, `\z`: false, `(?P<name>x)`: false, `(?i)abc`: false, `(?ims)abc`: false, `(?i:abc)`: true,
		`\\a`: true, `[(?i)]`: true,
	} {
		if got := IsRegex(s); got != want {
			t.Errorf("IsRegex(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestHostnames(t *testing.T) {
	for _, c := range []struct {
		in            string
		hostname, idn bool
	}{
		{"www.example.com", true, true},
		{"WWW.Example.COM", true, true},
		{"example.com.", false, false},
		{"xn--ihqwcrb4cv8a8dqg056pqjye", true, true}, // Chinese, as an A-label
		{"xn--X", false, false},                      // not Punycode
		{"ab--cd.com", false, false},                 // R-LDH: reserved
		{"a--b.com", true, true},
		{"xn--al-0ea", false, false}, // "a·l": MIDDLE DOT not between l's
		{"실례.테스트", false, true},
		{"a。b", false, true}, // an ideographic full stop separates labels
		{"l·l", false, true},
		{"a·l", false, false},
		{"α͵β", false, true}, {"α͵", false, false}, // KERAIA before a Greek letter only
		{"א׳ב", false, true}, {"׳ב", false, false}, // GERESH after a Hebrew letter only
		{"・ぁ", false, true}, {"def・abc", false, false}, // KATAKANA MIDDLE DOT needs kana or Han
		{"ب٠ب", false, true}, {"ب٠۰", false, false}, // Arabic-Indic digits do not mix
		{"〱〲", false, false},                           // DISALLOWED exceptions
		{"xn--7a", false, false}, {"¡a", false, false}, // U+00A1: punctuation UTS #46 lets through
		{"ßς་〇", false, true}, {"۽۾", false, true}, // PVALID by exception
		{"", false, false}, {".", false, false}, {"a..b", false, false},
	} {
		if got := IsHostname(c.in); got != c.hostname {
			t.Errorf("IsHostname(%q) = %v, want %v", c.in, got, c.hostname)
		}
		if got := IsIDNHostname(c.in); got != c.idn {
			t.Errorf("IsIDNHostname(%q) = %v, want %v", c.in, got, c.idn)
		}
	}
	if n := testing.AllocsPerRun(10, func() { IsHostname("www.example.com") }); n != 0 {
		t.Errorf("IsHostname allocates %v times on a plain host name", n)
	}
}

// FuzzHostname: a host name is an internationalised host name too, and no host name or
// e-mail check panics.
func FuzzHostname(f *testing.F) {
	for _, s := range []string{"www.example.com", "xn--ihqwcrb4cv8a8dqg056pqjye", "xn--X", "a--b.c", "실례.테스트", "a。b", "l·l", "0a.xn--4db"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		IsIDNEmail(s)
		IsIDNEmail("a@" + s)
		if IsHostname(s) && !IsIDNHostname(s) {
			t.Errorf("%q is a host name but not an internationalised one", s)
		}
	})
}
