package transport

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// Encoders as servers in other languages write JSON strings, built here
// from encoding/json and text replacement rather than from jsonEscape.
var encoders = map[string]func(string) string{
	"encoding/json":                func(s string) string { b, _ := json.Marshal(s); return string(b) },
	"no HTML escapes (JavaScript)": plain,
	"ASCII only (Python)":          func(s string) string { return asciiOnly(plain(s), "%04x") },
	"ASCII only, upper hex":        func(s string) string { return asciiOnly(plain(s), "%04X") },
	"\\/ and ASCII only (PHP)": func(s string) string {
		return strings.ReplaceAll(asciiOnly(plain(s), "%04x"), "/", `\/`)
	},
}

// plain is JSON without encoding/json's HTML escapes.
func plain(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// asciiOnly rewrites every rune beyond ASCII in JSON text as \u escapes.
func asciiOnly(j, hex string) string {
	var b strings.Builder
	for _, r := range j {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		for _, u := range utf16.Encode([]rune{r}) {
			fmt.Fprintf(&b, `\u`+hex, u)
		}
	}
	return b.String()
}

// TestScrubJSONQuotedForms: a server quoting a secret, or its URL-encoded
// form, inside a JSON message, with any common encoder's escapes.
func TestScrubJSONQuotedForms(t *testing.T) {
	const secret = `pa"ss\/&<é😀>word`
	s := NewScrubber(secret)
	quoted := map[string]string{"raw": secret, "PathEscape": url.PathEscape(secret), "QueryEscape": url.QueryEscape(secret)}
	for form, text := range quoted {
		for name, enc := range encoders {
			body := `{"message":` + enc("you sent "+text+" to us") + `}`
			got := s.Scrub(body)
			inner := strings.TrimSuffix(strings.TrimPrefix(enc(text), `"`), `"`)
			if strings.Contains(got, inner) || !strings.Contains(got, Redacted) {
				t.Errorf("%s of %s: Scrub(%s) = %s", name, form, body, got)
			}
		}
	}
	if got := s.Scrub(`{"message":"innocent \u00e9 text \/ here"}`); got != `{"message":"innocent \u00e9 text \/ here"}` {
		t.Errorf("innocent JSON changed: %s", got)
	}
}

// TestScrubExtraFormsAreFormsOfAll: with extra secrets, Scrub replaces the forms of the
// extra and of every known form (a secret URL-encoded, then quoted in base64), as it does by
// computing formsOf(extra and all) each time; the cached allForms must keep giving the same,
// after Learn too.
func TestScrubExtraFormsAreFormsOfAll(t *testing.T) {
	s := NewScrubber(`sp3c!al/secret+value=&é`)
	s.Learn("at~abc/def+ghi=jkl!é")
	const tok = "bearer-token-of-the-request"
	want := formsOf(append([]string{tok}, s.all...))
	if got := longestFirst(append(formsOf([]string{tok}), s.allForms...)); !slices.Equal(got, want) {
		t.Fatalf("forms with extra: %d, want %d", len(got), len(want))
	}
	double := base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(`sp3c!al/secret+value=&é`)))
	if got := s.Scrub("x "+double+" "+tok, tok); strings.Contains(got, double) || strings.Contains(got, tok) {
		t.Errorf("Scrub with extra = %q", got)
	}
}
