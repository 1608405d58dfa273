package validate

import (
	"strings"
	"unicode/utf8"
)

// IsURI reports whether s is an RFC 3986 URI: a scheme, then the rest of the grammar, with
// nothing outside its character set (no spaces, no non-ASCII, % only to start %XX).
func IsURI(s string) bool { return isURI(s, false, false) }

// IsURIReference reports whether s is an RFC 3986 URI-reference: a URI or a relative
// reference.
func IsURIReference(s string) bool { return isURI(s, true, false) }

// IsIRI reports whether s is an RFC 3987 IRI: a URI that may also hold non-ASCII
// characters (ucschar, and iprivate in the query).
func IsIRI(s string) bool { return isURI(s, false, true) }

// IsIRIReference reports whether s is an RFC 3987 IRI-reference.
func IsIRIReference(s string) bool { return isURI(s, true, true) }

// isURI follows the ABNF of RFC 3986 appendix A (RFC 3987 §2.2 with iri): the fragment and
// the query are cut off the end, then the scheme off the front, then the authority.
func isURI(s string, relative, iri bool) bool {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		if !uriChars(s[i+1:], "/?:@", iri, false) {
			return false
		}
		s = s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		if !uriChars(s[i+1:], "/?:@", iri, iri) {
			return false
		}
		s = s[:i]
	}
	// A colon before the first slash ends the scheme: a relative reference's first segment
	// cannot hold one (path-noscheme).
	if i := strings.IndexAny(s, ":/"); i >= 0 && s[i] == ':' {
		if !isScheme(s[:i]) {
			return false
		}
		s = s[i+1:]
	} else if !relative {
		return false
	}
	if rest, ok := strings.CutPrefix(s, "//"); ok {
		end := strings.IndexByte(rest, '/')
		if end < 0 {
			end = len(rest)
		}
		if !isAuthority(rest[:end], iri) {
			return false
		}
		s = rest[end:]
	}
	return uriChars(s, "/:@", iri, false)
}

func isScheme(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// isAuthority checks [ userinfo "@" ] host [ ":" port ].
func isAuthority(a string, iri bool) bool {
	if userinfo, rest, ok := strings.Cut(a, "@"); ok {
		if !uriChars(userinfo, ":", iri, false) {
			return false
		}
		a = rest
	}
	host, port := a, ""
	if strings.HasPrefix(a, "[") {
		end := strings.IndexByte(a, ']')
		if end < 0 || !isIPLiteral(a[1:end]) {
			return false
		}
		host, port = "", a[end+1:]
		if port != "" && port[0] != ':' {
			return false
		}
	} else if i := strings.LastIndexByte(a, ':'); i >= 0 {
		host, port = a[:i], a[i:]
	}
	for i := 1; i < len(port); i++ {
		if !isDigit(port[i]) {
			return false
		}
	}
	return uriChars(host, "", iri, false) // reg-name (an IPv4 address is one too)
}

// isIPLiteral checks what is between the brackets: an IPv6 address or IPvFuture
// ("v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )).
func isIPLiteral(s string) bool {
	if len(s) > 0 && (s[0] == 'v' || s[0] == 'V') {
		dot := strings.IndexByte(s, '.')
		if dot < 2 || dot == len(s)-1 {
			return false
		}
		for i := 1; i < dot; i++ {
			if !isHex(s[i]) {
				return false
			}
		}
		for i := dot + 1; i < len(s); i++ {
			if c := s[i]; !isUnreserved(c) && !isSubDelim(c) && c != ':' {
				return false
			}
		}
		return true
	}
	return IsIPv6(s)
}

// uriChars reports whether every character of s is unreserved, a sub-delim, one of extra,
// or a %XX escape; with iri also a ucschar, and with private an iprivate character.
func uriChars(s, extra string, iri, private bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isUnreserved(c) || isSubDelim(c):
			i++
		case c == '%':
			if !pctEncoded(s, i) {
				return false
			}
			i += 3
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s[i:])
			if !iri || r == utf8.RuneError && n == 1 || !(isUCSChar(r) || private && isIPrivate(r)) {
				return false
			}
			i += n
		case strings.IndexByte(extra, c) >= 0:
			i++
		default:
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isUnreserved(c byte) bool {
	return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~'
}

func isSubDelim(c byte) bool { return strings.IndexByte("!$&'()*+,;=", c) >= 0 }

// isUCSChar: RFC 3987's ucschar, the non-ASCII characters an IRI may hold unescaped.
func isUCSChar(r rune) bool {
	switch {
	case r >= 0xA0 && r <= 0xD7FF, r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFEF:
		return true
	case r >= 0x10000 && r <= 0xEFFFD && (r < 0xE0000 || r >= 0xE1000):
		return r&0xFFFF <= 0xFFFD // each plane's last two code points are noncharacters
	}
	return false
}

// isIPrivate: RFC 3987's iprivate, allowed in the query only.
func isIPrivate(r rune) bool {
	return r >= 0xE000 && r <= 0xF8FF || r >= 0xF0000 && r <= 0xFFFFD || r >= 0x100000 && r <= 0x10FFFD
}
