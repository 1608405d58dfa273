package validate

import (
	"net/netip"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The format checkers follow their RFCs (3339, 3986 and 3987 in uri.go, 4122, 5321, 1123,
// and 5890-5893 in idn.go) closely enough to agree with a full JSON Schema validator that
// asserts formats, and with the test suite's optional format tests. They allocate nothing
// for valid input, except IsRegex, which compiles, and the checks of internationalised
// host names.

// IsDate reports whether s is an RFC 3339 full-date (YYYY-MM-DD).
func IsDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= daysIn(y, m)
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// IsTime reports whether s is an RFC 3339 full-time (with offset). A leap
// second is accepted only where it falls on 23:59:60 UTC.
func IsTime(s string) bool {
	if len(s) < 9 || s[2] != ':' || s[5] != ':' {
		return false
	}
	h, ok1 := digits(s[0:2])
	m, ok2 := digits(s[3:5])
	sec, ok3 := digits(s[6:8])
	if !ok1 || !ok2 || !ok3 || h > 23 || m > 59 || sec > 60 {
		return false
	}
	rest := s[8:]
	if len(rest) > 0 && rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 {
			return false
		}
		rest = rest[n:]
	}
	if rest != "z" && rest != "Z" {
		if len(rest) != 6 || rest[3] != ':' || (rest[0] != '+' && rest[0] != '-') {
			return false
		}
		zh, ok1 := digits(rest[1:3])
		zm, ok2 := digits(rest[4:6])
		if !ok1 || !ok2 || zh > 23 || zm > 59 {
			return false
		}
		sign := 1
		if rest[0] == '+' {
			sign = -1
		}
		hm := h*60 + m + sign*(zh*60+zm)
		hm = ((hm % 1440) + 1440) % 1440
		h, m = hm/60, hm%60
	}
	return sec < 60 || (h == 23 && m == 59)
}

// IsDateTime reports whether s is an RFC 3339 date-time.
func IsDateTime(s string) bool {
	if len(s) < 20 || (s[10] != 'T' && s[10] != 't') {
		return false
	}
	return IsDate(s[:10]) && IsTime(s[11:])
}

// IsUUID reports whether s is a hyphenated RFC 4122 UUID.
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !isHex(c) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// IsIPv4 reports whether s is a dotted-quad IPv4 address without leading
// zeros.
func IsIPv4(s string) bool {
	for part := 0; part < 4; part++ {
		if part > 0 {
			if s == "" || s[0] != '.' {
				return false
			}
			s = s[1:]
		}
		n := 0
		for n < len(s) && n < 4 && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		v, ok := digits(s[:n])
		if !ok || n > 3 || v > 255 || (n > 1 && s[0] == '0') {
			return false
		}
		s = s[n:]
	}
	return s == ""
}

// IsIPv6 reports whether s is an IPv6 address (no zone).
func IsIPv6(s string) bool {
	if !strings.Contains(s, ":") {
		return false
	}
	a, err := netip.ParseAddr(s)
	return err == nil && a.Zone() == ""
}

// IsHostname reports whether s is an RFC 1123 host name whose A-labels ("xn--…") are valid
// IDNA2008 labels. A trailing dot (the DNS root) is not part of one.
func IsHostname(s string) bool {
	return ldhHostname(s) && (!strings.Contains(s, "--") || validALabels(s))
}

// ldhHostname reports whether s is an RFC 1123 host name: labels of letters, digits and
// hyphens. E-mail domains are checked by this alone.
func ldhHostname(s string) bool {
	if len(s) > 253 {
		return false
	}
	label := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if label < 1 || label > 63 || s[i-1] == '-' {
				return false
			}
			label = 0
			continue
		}
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-':
			if label == 0 {
				return false
			}
		default:
			return false
		}
		label++
	}
	return true
}

// IsEmail reports whether s is an addr-spec e-mail address.
func IsEmail(s string) bool {
	domain, ok := emailDomain(s, false)
	if literal, ok := addressLiteral(domain); literal {
		return ok
	}
	return ok && ldhHostname(domain)
}

// emailDomain checks the length and the local part of the addr-spec s (with idn, the local
// part may hold non-ASCII characters) and returns its domain.
func emailDomain(s string, idn bool) (string, bool) {
	at := strings.LastIndexByte(s, '@')
	if len(s) > 254 || at < 0 || at > 64 || !emailLocal(s[:at], idn) {
		return "", false
	}
	return s[at+1:], true
}

// addressLiteral reports whether domain is an address literal ([192.0.2.1],
// [IPv6:2001:db8::1]) and, if so, whether it is a valid one.
func addressLiteral(domain string) (literal, ok bool) {
	if len(domain) < 2 || domain[0] != '[' || domain[len(domain)-1] != ']' {
		return false, false
	}
	ip := domain[1 : len(domain)-1]
	if rem, ok := strings.CutPrefix(ip, "IPv6:"); ok {
		return true, IsIPv6(rem)
	}
	return true, IsIPv4(ip)
}

func emailLocal(local string, idn bool) bool {
	if len(local) > 1 && local[0] == '"' && local[len(local)-1] == '"' {
		return !strings.ContainsAny(local[1:len(local)-1], `\"`)
	}
	if local == "" || local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte(".!#$%&'*+-/=?^_`{|}~", c) >= 0:
		case idn && c >= utf8.RuneSelf: // RFC 6531's UTF8-non-ascii
		default:
			return false
		}
	}
	return true
}

// IsJSONPointer reports whether s is an RFC 6901 JSON Pointer.
func IsJSONPointer(s string) bool {
	if s != "" && s[0] != '/' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '~' && (i+1 == len(s) || (s[i+1] != '0' && s[i+1] != '1')) {
			return false
		}
	}
	return true
}

// IsRegex reports whether s is an ECMA-262 regular expression, as RE2 can tell: RE2 syntax
// that ECMA-262 lacks is rejected, ECMA-262's empty classes are rewritten for RE2, and
// constructs RE2 lacks but ECMA-262 has (lookaround, backreferences) are given the benefit
// of the doubt. It compiles s, so unlike the other checkers it allocates.
func IsRegex(s string) bool {
	src, ok := fromECMA(s)
	if !ok {
		return false
	}
	if _, err := regexp.Compile(src); err == nil {
		return true
	}
	for _, ecmaOnly := range []string{"(?=", "(?!", "(?<=", "(?<!", `\1`, `\2`, `\3`, `\k<`, `\u`, `\c`} {
		if strings.Contains(s, ecmaOnly) {
			return true
		}
	}
	return false
}

// fromECMA returns s for RE2, or false when s uses RE2 syntax that is not ECMA-262: the
// escapes \a \A \z \C \Q \E, Python's (?P<name>…), and flag groups such as (?i) (ECMA-262
// has flags only on the whole expression). ECMA-262's empty classes [] (matches nothing)
// and [^] (matches anything) become classes RE2 accepts.
func fromECMA(s string) (string, bool) {
	var out strings.Builder
	done := 0 // s[:done] is in out
	inClass := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			if i+1 < len(s) && strings.IndexByte("aAzCQE", s[i+1]) >= 0 {
				return "", false
			}
			i++
		case inClass:
			inClass = c != ']'
		case c == '[':
			empty, any := strings.HasPrefix(s[i:], "[]"), strings.HasPrefix(s[i:], "[^]")
			if !empty && !any {
				inClass = true
				continue
			}
			out.WriteString(s[done:i])
			if empty {
				out.WriteString(`[^\x00-\x{10FFFF}]`)
				done = i + 2
			} else {
				out.WriteString(`[\x00-\x{10FFFF}]`)
				done = i + 3
			}
			i = done - 1
		case c == '(' && strings.HasPrefix(s[i:], "(?"):
			if strings.HasPrefix(s[i:], "(?P") {
				return "", false
			}
			j := i + 2
			for j < len(s) && strings.IndexByte("imsU-", s[j]) >= 0 {
				j++
			}
			if j > i+2 && j < len(s) && s[j] == ')' {
				return "", false
			}
		}
	}
	if done == 0 {
		return s, true
	}
	out.WriteString(s[done:])
	return out.String(), true
}

// IsRelativeJSONPointer reports whether s is a relative JSON Pointer: a
// non-negative integer (no leading zero) then "#" or a JSON Pointer.
func IsRelativeJSONPointer(s string) bool {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 || (n > 1 && s[0] == '0') {
		return false
	}
	return s[n:] == "#" || IsJSONPointer(s[n:])
}

// IsURITemplate reports whether s is an RFC 6570 URI Template: literal characters (no
// space, no <>"\\^`|, % only to start a percent-encoding; the apostrophe is allowed, as
// RFC 6570's erratum 6937 says) and expressions such as {var},
// {+path}, {?x,y*} or {name:3}.
func IsURITemplate(s string) bool {
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 || !uriTemplateExpression(s[i+1:i+end]) {
				return false
			}
			i += end + 1
		case c == '%':
			if !pctEncoded(s, i) {
				return false
			}
			i += 3
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 || r < 0xA0 {
				return false
			}
			i += n
		case c <= ' ' || c == 0x7F || strings.IndexByte(`"<>\^`+"`"+`{|}`, c) >= 0:
			return false
		default:
			i++
		}
	}
	return true
}

// uriTemplateExpression checks what is between the braces: an optional operator and
// varspecs separated by commas, each a name (letters, digits, _, percent-encodings, single
// dots inside) with an optional :max-length (1 to 9999) or *.
func uriTemplateExpression(e string) bool {
	if e != "" && strings.IndexByte("+#./;?&=,!@|", e[0]) >= 0 {
		e = e[1:]
	}
	for spec := range strings.SplitSeq(e, ",") {
		name, prefix, hasPrefix := strings.Cut(spec, ":")
		if !hasPrefix {
			name = strings.TrimSuffix(spec, "*")
		}
		if !uriTemplateVarname(name) {
			return false
		}
		if hasPrefix {
			if _, ok := digits(prefix); !ok || len(prefix) > 4 || prefix[0] == '0' {
				return false
			}
		}
	}
	return true
}

func uriTemplateVarname(name string) bool {
	if name == "" || name[0] == '.' || name[len(name)-1] == '.' || strings.Contains(name, "..") {
		return false
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '%':
			if !pctEncoded(name, i) {
				return false
			}
			i += 2
		case c == '_' || c == '.' || '0' <= c && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		default:
			return false
		}
	}
	return true
}

func pctEncoded(s string, i int) bool {
	return i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
}

// IsDuration reports whether s is an RFC 3339 (appendix A) duration such as
// P1Y2M, PT36H or P4W: at least one unit, each with a number, in order and with none
// skipped between the first and the last (P1Y2D and PT1H2S are not durations).
func IsDuration(s string) bool {
	rest, ok := strings.CutPrefix(s, "P")
	if !ok || rest == "" {
		return false
	}
	if w, ok := strings.CutSuffix(rest, "W"); ok {
		_, isNum := digits(w)
		return isNum
	}
	date, clock, hasT := strings.Cut(rest, "T")
	if hasT && clock == "" {
		return false
	}
	return durationUnits(date, "YMD") && durationUnits(clock, "HMS")
}

func durationUnits(s, units string) bool {
	for first := true; s != ""; first = false {
		n := 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n == 0 || n == len(s) {
			return false
		}
		i := strings.IndexByte(units, s[n])
		if i < 0 || !first && i > 0 {
			return false
		}
		units, s = units[i+1:], s[n+1:]
	}
	return true
}
