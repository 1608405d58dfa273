package transport

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// Redacted is what a secret is replaced by.
const Redacted = "[REDACTED]"

// Scrubber removes secrets from whatever a server or a transport error
// says before it becomes part of an error or a log record: every field of
// an API error, the message of a transport error, the request ID of a log
// record. A server may quote what it received, and not only verbatim: a
// token endpoint quotes its URL-encoded form, a proxy the base64 of a Basic
// header. So each secret is replaced, by "[REDACTED]", in each form it may
// take (see forms).
//
// A Scrubber knows the configured secrets for good, and the tokens learned
// at run time (gbg's access, connect and end-user tokens) up to MaxLearned
// of them, the oldest forgotten first; a client passes the token a request
// carried as an extra secret when it scrubs that request's response. It is
// safe for concurrent use.
type Scrubber struct {
	mu      sync.RWMutex
	fixed   []string // configured secrets
	learned []string // oldest first
	all     []string // the forms of fixed and learned, longest first
	// allForms are the forms of all, longest first: a call with extra
	// secrets replaces them too (see Scrub). Kept here so that such a call,
	// made for every field of every error, computes the forms of its extra
	// secrets only.
	allForms []string
}

// MaxLearned bounds the tokens a Scrubber remembers, so that a long-running
// client that renews tokens and connects devices does not grow without end.
const MaxLearned = 32

// minForm is the shortest encoded form replaced: shorter ones would match
// innocent text. A secret itself is always replaced.
const minForm = 4

// NewScrubber returns a Scrubber of the configured secrets; empty ones are left out.
func NewScrubber(secrets ...string) *Scrubber {
	s := &Scrubber{}
	for _, v := range secrets {
		if v != "" {
			s.fixed = append(s.fixed, v)
		}
	}
	s.setForms(s.fixed)
	return s
}

// setForms computes all and allForms from the known secrets.
func (s *Scrubber) setForms(secrets []string) {
	s.all = formsOf(secrets)
	s.allForms = formsOf(s.all)
}

// Learn adds a token obtained at run time.
func (s *Scrubber) Learn(tok string) {
	if tok == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if slices.Contains(s.fixed, tok) || slices.Contains(s.learned, tok) {
		return
	}
	if len(s.learned) == MaxLearned {
		s.learned = slices.Delete(s.learned, 0, 1)
	}
	s.learned = append(s.learned, tok)
	s.setForms(append(slices.Clone(s.fixed), s.learned...))
}

// Scrub returns text with every form of every secret it knows, and of
// extra, replaced.
func (s *Scrubber) Scrub(text string, extra ...string) string {
	if text == "" {
		return text
	}
	s.mu.RLock()
	all, allForms := s.all, s.allForms
	s.mu.RUnlock()
	if len(extra) > 0 {
		// The forms of extra and of the known forms: formsOf(extra and all).
		all = longestFirst(append(formsOf(extra), allForms...))
	}
	for _, f := range all {
		text = strings.ReplaceAll(text, f, Redacted)
	}
	return text
}

// URLError returns err, or, when err is a *url.Error, a copy of it whose URL is
// scrubbed: after a redirect within the origin, that URL is the Location the
// server sent, which may quote a secret. Its message is not scrubbed: callers
// scrub the text they make of it.
func (s *Scrubber) URLError(err error) error {
	ue, ok := err.(*url.Error)
	if !ok {
		return err
	}
	scrubbed := *ue
	scrubbed.URL = s.Scrub(ue.URL)
	return &scrubbed
}

// ScrubBytes is Scrub for a byte slice.
func (s *Scrubber) ScrubBytes(b []byte, extra ...string) []byte {
	if len(b) == 0 {
		return b
	}
	return []byte(s.Scrub(string(b), extra...))
}

// formsOf returns the forms of the secrets, without duplicates, longest
// first, so that no secret is cut by the replacement of another that is a
// part of it.
func formsOf(secrets []string) []string {
	var all []string
	for _, v := range secrets {
		all = append(all, forms(v)...)
	}
	return longestFirst(all)
}

// longestFirst sorts forms longest first, then by their text, without
// duplicates.
func longestFirst(forms []string) []string {
	slices.SortFunc(forms, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	return slices.Compact(forms)
}

// forms returns the texts by which v may be echoed:
//
//   - v itself;
//   - URL-encoded as a query value (url.QueryEscape) and as a path segment
//     (url.PathEscape), with upper- and lower-case hex digits;
//   - base64 in the standard and URL alphabets, padded or not: the whole
//     encoding, and the part of it that the bytes of v alone decide when v
//     starts at any of the three offsets within a base64 group, so that v
//     is found inside the encoding of a longer text such as "id:secret";
//   - each of these as JSON string content, as common encoders write it
//     (see jsonForms): a server that quotes a URL-encoded secret in a JSON
//     message escapes it once more.
func forms(v string) []string {
	if v == "" {
		return nil
	}
	out := []string{v}
	add := func(f string) {
		if len(f) >= minForm {
			out = append(out, f)
		}
	}
	for _, e := range []string{url.QueryEscape(v), url.PathEscape(v)} {
		add(e)
		add(lowerHex(e))
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		add(enc.EncodeToString([]byte(v)))
	}
	for off := range 3 {
		// Characters [start, end) of the encoding of off bytes then v hold
		// bits of v only.
		e := base64.RawStdEncoding.EncodeToString(append(make([]byte, off), v...))
		start, end := (8*off+5)/6, 8*(off+len(v))/6
		if end-start < minForm {
			continue
		}
		core := e[start:end]
		add(core)
		add(strings.NewReplacer("+", "-", "/", "_").Replace(core))
	}
	for _, f := range out {
		for _, j := range jsonForms(f) {
			add(j)
		}
	}
	return out
}

// jsonForms returns the ways JSON encoders write f as string content, where
// they differ from f: encoding/json's (<, > and & as \u003c, \u003e,
// \u0026), the minimal escaping most encoders use, that with / as \/ (PHP),
// and those with every character beyond ASCII as \u escapes, in lower and
// upper case hex (Python's default, PHP's, some Java encoders').
func jsonForms(f string) []string {
	var out []string
	if j, err := json.Marshal(f); err == nil {
		out = append(out, string(j[1:len(j)-1]))
	}
	for _, slash := range []bool{false, true} {
		for _, ascii := range []string{"", "%04x", "%04X"} {
			out = append(out, jsonEscape(f, slash, ascii))
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	return slices.DeleteFunc(out, func(j string) bool { return j == f })
}

// jsonEscape writes s as JSON string content with the minimal escapes (",
// \ and control characters), / as \/ if slash, and, if hex is a format
// such as "%04x", every rune beyond ASCII as \u escapes (a surrogate pair
// beyond the BMP).
func jsonEscape(s string, slash bool, hex string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '/' && slash:
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r >= utf8.RuneSelf && hex != "":
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&b, `\u`+cmp.Or(hex, "%04x"), u)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lowerHex writes the hex digits of the percent escapes of s in lower case.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			for j := i + 1; j <= i+2; j++ {
				if 'A' <= b[j] && b[j] <= 'F' {
					b[j] += 'a' - 'A'
				}
			}
			i += 2
		}
	}
	return string(b)
}
