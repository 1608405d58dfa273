package schema

import (
	"fmt"
	"strings"
)

// A dialect is a custom metaschema named by $schema: the draft it builds on and the
// vocabularies its $vocabulary lists. Keywords of a standard vocabulary it leaves out are
// not keywords of the documents that declare it (2020-12 §8.1.2), as a metaschema without
// the validation vocabulary turns "minimum" into an annotation.
type dialect struct {
	uri   string
	draft Draft
	vocab map[string]bool // standard vocabulary names it lists: "applicator", "validation", …
}

// vocabularyOf maps the keywords of the standard vocabularies (2019-09 and 2020-12) that
// constrain instances to their vocabulary. Core keywords are always in force, and
// annotations constrain nothing, so neither is listed.
var vocabularyOf = func() map[string]string {
	m := map[string]string{}
	for vocab, kws := range map[string]string{
		"applicator": "prefixItems items additionalItems contains additionalProperties properties " +
			"patternProperties dependentSchemas propertyNames if then else allOf anyOf oneOf not",
		"unevaluated": "unevaluatedItems unevaluatedProperties",
		"validation": "type enum const multipleOf maximum exclusiveMaximum minimum exclusiveMinimum " +
			"maxLength minLength pattern maxItems minItems uniqueItems maxContains minContains " +
			"maxProperties minProperties required dependentRequired",
		"format": "format",
	} {
		for _, k := range strings.Fields(kws) {
			m[k] = vocab
		}
	}
	return m
}()

// allows reports whether keyword k is in force under d.
func (d *dialect) allows(k string) bool {
	v, ok := vocabularyOf[k]
	if !ok {
		return true
	}
	switch {
	case v == "unevaluated" && d.draft == Draft2019:
		v = "applicator" // 2019-09 had them in the applicator vocabulary
	case v == "format":
		return d.vocab["format"] || d.vocab["format-annotation"] || d.vocab["format-assertion"]
	}
	return d.vocab[v]
}

// knownVocabularies are the standard vocabularies per draft.
var knownVocabularies = map[Draft]map[string]bool{
	Draft2019: words("core applicator validation meta-data format content"),
	Draft2020: words("core applicator unevaluated validation meta-data format-annotation format-assertion content"),
}

// standardMetaschema reports whether uri names one of the published metaschemas, which
// the loader knows without reading them.
func standardMetaschema(uri string) bool {
	u := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(uri, "http://"), "https://"), "#")
	switch u {
	case "json-schema.org/draft-04/schema", "json-schema.org/draft-06/schema", "json-schema.org/draft-07/schema",
		"json-schema.org/draft/2019-09/schema", "json-schema.org/draft/2020-12/schema", "json-schema.org/schema":
		return true
	}
	return false
}

// dialectOf returns the dialect of the custom metaschema uri when -ref-map maps it to a
// file; nil when it is a published metaschema or is not mapped, and the draft is then read
// off the URI as before. A file: URI is not read: $schema is an identifier, and mapping it
// is how a user says the file is the metaschema. from is the schema declaring it.
func (l *Loader) dialectOf(from *Schema, uri string) (*dialect, error) {
	if standardMetaschema(uri) || strings.HasPrefix(uri, "file:") {
		return nil, nil
	}
	uri = strings.TrimSuffix(uri, "#")
	if d, ok := l.dialects[uri]; ok {
		return d, nil
	}
	path, ok := l.localPath(uri)
	if !ok {
		return nil, nil
	}
	at := &Error{File: from.File, Pointer: from.Pointer + "/$schema"}
	data, err := l.opts.ReadFile(path)
	if err != nil {
		at.Msg = fmt.Sprintf("metaschema %q: %v", uri, err)
		return nil, at
	}
	raw, err := Parse(path, data)
	if err != nil {
		return nil, &Error{File: path, Msg: "syntax error: " + err.Error()}
	}
	obj, ok := raw.(*Object)
	if !ok {
		at.Msg = fmt.Sprintf("metaschema %q (%s) is not an object", uri, path)
		return nil, at
	}
	d := &dialect{uri: uri, draft: DetectDraft(raw)}
	vocab, ok := obj.Values["$vocabulary"].(*Object)
	if !ok || d.draft < Draft2019 {
		l.dialects[uri] = nil // no vocabularies: the draft it builds on decides
		return nil, nil
	}
	d.vocab = map[string]bool{}
	prefix := "https://json-schema.org/draft/" + d.draft.String() + "/vocab/"
	for _, v := range vocab.Keys {
		name, standard := strings.CutPrefix(v, prefix)
		if standard && knownVocabularies[d.draft][name] {
			d.vocab[name] = true
			continue
		}
		if vocab.Values[v] == true {
			at.Msg = fmt.Sprintf("metaschema %q requires vocabulary %q, which gbggen does not know", uri, v)
			return nil, at
		}
	}
	l.dialects[uri] = d
	return d, nil
}
