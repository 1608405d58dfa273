package validate

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// idnaProfile checks labels as IDNA2008 registration does (RFC 5891): code points valid for
// registration, hyphens, joiners (CONTEXTJ), the Bidi rule (RFC 5893) and DNS lengths; the
// CONTEXTO rules and RFC 5892's exceptions, which x/net/idna leaves out, are contextOK's.
// It is built on first use, so that a program that checks no host name links none of its
// tables (about 275 KB).
var idnaProfile = sync.OnceValue(func() *idna.Profile {
	return idna.New(idna.ValidateForRegistration(), idna.BidiRule(), idna.CheckJoiners(true),
		idna.CheckHyphens(true), idna.VerifyDNSLength(true), idna.StrictDomainName(true), idna.Transitional(false))
})

// IsIDNHostname reports whether s is an RFC 5890 internationalised host name: labels of
// letters, digits and hyphens, U-labels or A-labels, valid under IDNA2008, separated by
// full stops (U+002E, or U+3002, U+FF0E, U+FF61 as RFC 3490 allows); no trailing dot.
func IsIDNHostname(s string) bool {
	for _, dot := range []string{"\u3002", "\uff0e", "\uff61"} {
		s = strings.ReplaceAll(s, dot, ".")
	}
	if s == "" || strings.HasSuffix(s, ".") || !utf8.ValidString(s) {
		return false
	}
	// DNS names ignore the case of ASCII letters; registration would refuse capitals, which
	// IDNA2008 has no place for in U-labels (non-ASCII capitals stay, and are refused).
	s = strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
	ascii, err := idnaProfile().ToASCII(s)
	if err != nil || len(ascii) > 253 {
		return false
	}
	u, err := idnaProfile().ToUnicode(ascii)
	if err != nil {
		return false
	}
	for label := range strings.SplitSeq(u, ".") {
		if !contextOK(label) {
			return false
		}
	}
	return true
}

// IsIDNEmail reports whether s is an RFC 6531 internationalised e-mail address: an
// addr-spec whose local part may also hold non-ASCII characters and whose domain is an
// internationalised host name (read in NFC, as a mail system would look it up) or an
// address literal.
func IsIDNEmail(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	domain, ok := emailDomain(s, true)
	if literal, ok := addressLiteral(domain); literal {
		return ok
	}
	return ok && IsIDNHostname(norm.NFC.String(domain))
}

// validALabels reports whether the LDH host name s holds only valid A-labels ("xn--…"):
// any other label with hyphens in its third and fourth places is reserved (RFC 5891
// §4.2.3.1), and with an A-label the whole name is checked, for the Bidi rule spans labels.
func validALabels(s string) bool {
	for label := range strings.SplitSeq(s, ".") {
		if len(label) >= 4 && label[2:4] == "--" && !strings.EqualFold(label[:2], "xn") {
			return false
		}
	}
	return IsIDNHostname(s)
}

// contextOK checks a U-label against RFC 5892's CONTEXTO rules (appendix A.3 to A.9), its
// exceptions (§2.6) and its LetterDigits rule (§2.1): x/net/idna follows UTS #46, which
// lets through symbols and punctuation IDNA2008 disallows (U+00A1, "xn--7a", say).
func contextOK(label string) bool {
	runes := []rune(label)
	arabic, extended := false, false
	for i, r := range runes {
		switch {
		case r == 0x00DF || r == 0x03C2 || r == 0x06FD || r == 0x06FE || r == 0x0F0B || r == 0x3007:
			// PVALID by exception
		case r == 0x200C || r == 0x200D:
			// CONTEXTJ, which x/net/idna checks
		case !unicode.In(r, unicode.Ll, unicode.Lo, unicode.Lm, unicode.Mn, unicode.Mc, unicode.Nd) &&
			r != '-' && r != 0x00B7 && r != 0x0375 && r != 0x05F3 && r != 0x05F4 && r != 0x30FB:
			return false
		case r == 0x0640 || r == 0x07FA || r == 0x302E || r == 0x302F || r >= 0x3031 && r <= 0x3035 || r == 0x303B:
			return false
		case r == 0x00B7: // MIDDLE DOT: between two l's
			if i == 0 || i == len(runes)-1 || runes[i-1] != 'l' || runes[i+1] != 'l' {
				return false
			}
		case r == 0x0375: // GREEK LOWER NUMERAL SIGN: before a Greek letter
			if i == len(runes)-1 || !unicode.Is(unicode.Greek, runes[i+1]) {
				return false
			}
		case r == 0x05F3 || r == 0x05F4: // HEBREW GERESH, GERSHAYIM: after a Hebrew letter
			if i == 0 || !unicode.Is(unicode.Hebrew, runes[i-1]) {
				return false
			}
		case r == 0x30FB: // KATAKANA MIDDLE DOT: with Hiragana, Katakana or Han in the label
			if !strings.ContainsFunc(label, func(c rune) bool {
				return c != 0x30FB && (unicode.In(c, unicode.Hiragana, unicode.Katakana, unicode.Han))
			}) {
				return false
			}
		case r >= 0x0660 && r <= 0x0669:
			arabic = true
		case r >= 0x06F0 && r <= 0x06F9:
			extended = true
		}
	}
	return !(arabic && extended) // the two sets of Arabic-Indic digits do not mix
}
