package schema

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Error is a load failure located by file and JSON Pointer (or line:col
// for syntax errors, in Msg).
type Error struct {
	File    string
	Pointer string
	Msg     string
}

func (e *Error) Error() string {
	if e.Pointer == "" && strings.HasPrefix(e.Msg, "syntax") {
		return e.File + ": " + e.Msg
	}
	return e.File + "#" + e.Pointer + ": " + e.Msg
}

// Options configures a Loader.
type Options struct {
	// RefMap maps a remote URL (or URL prefix ending in "/") to a local
	// file (or directory). Remote references that are not mapped are
	// errors: the loader never uses the network.
	RefMap map[string]string
	// DefaultDraft applies to documents without $schema; 0 means "detect"
	// (see DetectDraft).
	DefaultDraft Draft
	// ReadFile reads a local file; nil means os.ReadFile.
	ReadFile func(string) ([]byte, error)
}

// Loader loads schema documents and resolves references between them.
type Loader struct {
	opts      Options
	docs      map[string]*document // by absolute URI without fragment
	resources map[string]location  // $id URIs (and document URIs)
	anchors   map[string]location  // URI#anchor
	nodes     map[string]*Schema   // doc URI + "#" + pointer
	pending   []*Schema            // schemas whose $ref is unresolved
	nodeLoc   map[*Schema]location

	// Dynamic references (see dynamic.go).
	dynAnchors map[string]location // URI#name of every $dynamicAnchor
	recursive  map[string]bool     // resource URIs whose root has "$recursiveAnchor": true
	dynamic    map[*Schema]string  // schemas with $dynamicRef or $recursiveRef: the keyword
	// Dynamic references whose target depends on the path: the anchor name (recursiveName
	// for $recursiveRef).
	pathDependent map[*Schema]string
	dialects      map[string]*dialect // custom metaschemas by URI
	rootBase      string              // resource URI where evaluation starts
}

type document struct {
	uri   string
	file  string // as shown to users
	raw   any
	draft Draft
}

type location struct {
	doc     *document
	pointer string
	base    string
	draft   Draft
	dialect *dialect // nil: every vocabulary of draft
}

// NewLoader returns an empty Loader.
func NewLoader(opts Options) *Loader {
	if opts.ReadFile == nil {
		opts.ReadFile = os.ReadFile
	}
	return &Loader{
		opts:      opts,
		docs:      map[string]*document{},
		resources: map[string]location{},
		anchors:   map[string]location{},
		nodes:     map[string]*Schema{},
		nodeLoc:   map[*Schema]location{},

		dynAnchors: map[string]location{},
		recursive:  map[string]bool{},
		dynamic:    map[*Schema]string{},

		pathDependent: map[*Schema]string{},
		dialects:      map[string]*dialect{},
	}
}

// LoadFile reads, parses and resolves the schema in path.
func (l *Loader) LoadFile(path string) (*Schema, error) {
	data, err := l.opts.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	return l.LoadBytes(path, data)
}

// LoadBytes parses data (JSON, or YAML when name ends in .yaml/.yml or the
// data is not JSON) as the document name and resolves it.
func (l *Loader) LoadBytes(name string, data []byte) (s *Schema, err error) {
	defer func() {
		// The loader must never panic on any input; a panic here is a bug
		// that we still turn into an error naming the file.
		if r := recover(); r != nil {
			s, err = nil, &Error{File: name, Msg: fmt.Sprintf("internal error: %v", r)}
		}
	}()
	raw, err := Parse(name, data)
	if err != nil {
		return nil, &Error{File: name, Msg: "syntax error: " + err.Error()}
	}
	return l.LoadValue(name, raw)
}

// Parse decodes data as JSON or YAML, choosing by file extension.
func Parse(name string, data []byte) (any, error) {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".yaml" || ext == ".yml" {
		return ParseYAML(data)
	}
	return ParseJSON(data)
}

// LoadValue resolves an already parsed document.
func (l *Loader) LoadValue(name string, raw any) (*Schema, error) {
	d := l.addDocument(fileURI(name), name, raw)
	root, err := l.parse(location{doc: d, base: d.uri, draft: d.draft}, raw)
	if err != nil {
		return nil, err
	}
	l.rootBase = l.nodeLoc[root].base
	if err := l.resolvePending(); err != nil {
		return nil, err
	}
	return l.specialize(root)
}

// Node returns the schema at pointer inside an already loaded document,
// parsing it if needed. It is used for inputs such as the task/list/schema
// response, whose schemas live under a non-schema member.
func (l *Loader) Node(root *Schema, pointer string) (*Schema, error) {
	d := l.docs[fileURI(root.File)]
	if d == nil {
		return nil, &Error{File: root.File, Pointer: pointer, Msg: "document not loaded"}
	}
	s, err := l.at(location{doc: d, base: d.uri, draft: d.draft}, pointer)
	if err != nil {
		return nil, err
	}
	l.rootBase = l.nodeLoc[s].base
	if err := l.resolvePending(); err != nil {
		return nil, err
	}
	return l.specialize(s)
}

func fileURI(name string) string {
	if u, err := url.Parse(name); err == nil && u.Scheme != "" && len(u.Scheme) > 1 {
		return name
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		abs = name
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

func (l *Loader) addDocument(uri, file string, raw any) *document {
	if d, ok := l.docs[uri]; ok {
		return d
	}
	d := &document{uri: uri, file: file, raw: raw, draft: l.opts.DefaultDraft}
	if d.draft == 0 {
		d.draft = DetectDraft(raw)
	}
	l.docs[uri] = d
	l.resources[uri] = location{doc: d, base: uri, draft: d.draft}
	return d
}

// DetectDraft picks the draft of a document: its $schema when present;
// otherwise 2020-12 unless it uses keywords that only draft-07 and older
// know (definitions, dependencies, additionalItems, array-valued items)
// and none that only 2019-09+ know.
func DetectDraft(raw any) Draft {
	if o, ok := raw.(*Object); ok {
		if v, ok := o.Values["$schema"].(string); ok {
			if d, ok := draftOf(v); ok {
				return d
			}
		}
	}
	old, modern := false, false
	scanKeywords(raw, 0, func(k string, v any) {
		switch k {
		case "definitions", "dependencies", "additionalItems":
			old = true
		case "items":
			if _, ok := v.([]any); ok {
				old = true
			}
		case "$defs", "prefixItems", "dependentRequired", "dependentSchemas", "$anchor",
			"unevaluatedProperties", "unevaluatedItems", "$dynamicRef":
			modern = true
		}
	})
	if old && !modern {
		return Draft7
	}
	return Draft2020
}

func scanKeywords(v any, depth int, f func(string, any)) {
	if depth > 200 {
		return
	}
	switch t := v.(type) {
	case *Object:
		for _, k := range t.Keys {
			f(k, t.Values[k])
			scanKeywords(t.Values[k], depth+1, f)
		}
	case []any:
		for _, e := range t {
			scanKeywords(e, depth+1, f)
		}
	}
}

func draftOf(uri string) (Draft, bool) {
	switch {
	case strings.Contains(uri, "draft-04"):
		return Draft4, true
	case strings.Contains(uri, "draft-06"):
		return Draft6, true
	case strings.Contains(uri, "draft-07"):
		return Draft7, true
	case strings.Contains(uri, "2019-09"):
		return Draft2019, true
	case strings.Contains(uri, "2020-12"):
		return Draft2020, true
	}
	return 0, false
}

// resolvePending resolves $ref of every parsed schema; resolving may load
// more documents and parse more nodes, hence the loop.
func (l *Loader) resolvePending() error {
	var resolved []*Schema
	for len(l.pending) > 0 {
		s := l.pending[0]
		l.pending = l.pending[1:]
		target, err := l.resolveRef(s)
		if err != nil {
			return err
		}
		s.Ref = target
		resolved = append(resolved, s)
	}
	// Every document is loaded now, so every dynamic anchor is known. Retargeting parses
	// nothing new (an anchor is registered when its schema is parsed), so nothing is pending.
	for _, s := range resolved {
		if kw, ok := l.dynamic[s]; ok {
			if err := l.resolveDynamic(s, kw); err != nil {
				return err
			}
		}
	}
	for _, s := range resolved {
		if err := l.refCycle(s); err != nil {
			return err
		}
	}
	return nil
}

// refCycle reports a chain of schemas that are nothing but $ref and leads back to itself
// ({"$ref":"#/$defs/a"} with a → b → a): it names no schema at all, and code generated
// for it would recurse forever.
func (l *Loader) refCycle(s *Schema) error {
	seen := map[*Schema]bool{}
	for t := s; t.Ref != nil && t.onlyRef(); t = t.Ref {
		if seen[t] {
			return l.errAt(s, "$ref cycle through %s reaches no schema", t.Location())
		}
		seen[t] = true
	}
	return nil
}

func (l *Loader) errAt(s *Schema, format string, args ...any) error {
	return &Error{File: s.File, Pointer: s.Pointer, Msg: fmt.Sprintf(format, args...)}
}

func (l *Loader) resolveRef(s *Schema) (*Schema, error) {
	loc := l.nodeLoc[s]
	abs, err := resolveURI(loc.base, s.RefString)
	if err != nil {
		return nil, l.errAt(s, "bad $ref %q: %v", s.RefString, err)
	}
	base, frag, _ := strings.Cut(abs, "#")
	res, ok := l.resources[base]
	if !ok {
		res, err = l.loadExternal(s, base)
		if err != nil {
			return nil, err
		}
	}
	if frag == "" {
		return l.at(res, "")
	}
	if strings.HasPrefix(frag, "/") {
		p, err := url.PathUnescape(frag)
		if err != nil {
			return nil, l.errAt(s, "bad $ref %q: %v", s.RefString, err)
		}
		t, err := l.at(res, p)
		if err != nil {
			return nil, l.errAt(s, "$ref %q: %v", s.RefString, err)
		}
		return t, nil
	}
	if a, ok := l.anchors[base+"#"+frag]; ok {
		return l.at(a, "")
	}
	return nil, l.errAt(s, "$ref %q: no anchor %q", s.RefString, frag)
}

func resolveURI(base, ref string) (string, error) {
	r, err := url.Parse(ref)
	if err != nil {
		return "", err
	}
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	out := b.ResolveReference(r)
	if b.Opaque != "" && r.Scheme == "" && r.Opaque == "" && r.Path == "" {
		// url.ResolveReference drops the opaque part of bases such as urn:.
		out = &url.URL{Scheme: b.Scheme, Opaque: b.Opaque, RawQuery: b.RawQuery, ForceQuery: b.ForceQuery, Fragment: r.Fragment}
	}
	s := out.String()
	if out.Fragment == "" && strings.HasSuffix(ref, "#") {
		s = strings.TrimSuffix(s, "#")
	}
	// Keep the fragment in its raw (escaped) form for pointer decoding.
	if i := strings.IndexByte(ref, '#'); i >= 0 {
		s, _, _ = strings.Cut(s, "#")
		if ref[i+1:] != "" {
			s += "#" + ref[i+1:]
		}
	}
	return s, nil
}

// loadExternal loads the document at uri from disk (file: URIs or mapped
// remote URIs).
func (l *Loader) loadExternal(from *Schema, uri string) (location, error) {
	path, ok := l.localPath(uri)
	if !ok {
		return location{}, l.errAt(from, "remote $ref %q is not allowed; map it to a local file with -ref-map URL=PATH", uri)
	}
	data, err := l.opts.ReadFile(path)
	if err != nil {
		return location{}, l.errAt(from, "$ref %q: %v", uri, err)
	}
	raw, err := Parse(path, data)
	if err != nil {
		return location{}, &Error{File: path, Msg: "syntax error: " + err.Error()}
	}
	d := l.addDocument(uri, path, raw)
	d.file = path
	if _, err := l.parse(location{doc: d, base: uri, draft: d.draft}, raw); err != nil {
		return location{}, err
	}
	return l.resources[uri], nil
}

func (l *Loader) localPath(uri string) (string, bool) {
	keys := make([]string, 0, len(l.opts.RefMap))
	for k := range l.opts.RefMap {
		keys = append(keys, k)
	}
	// Longest prefix first, so the most specific mapping wins.
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	for _, k := range keys {
		if uri == strings.TrimSuffix(k, "#") {
			return l.opts.RefMap[k], true
		}
		if strings.HasSuffix(k, "/") && strings.HasPrefix(uri, k) {
			return filepath.Join(l.opts.RefMap[k], filepath.FromSlash(strings.TrimPrefix(uri, k))), true
		}
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return "", false
	}
	return filepath.FromSlash(u.Path), true
}

// at returns the schema at pointer p inside resource res, parsing it if
// it was not reached by the normal walk (a $ref into an unknown keyword).
func (l *Loader) at(res location, p string) (*Schema, error) {
	full := res.pointer + p
	if s, ok := l.nodes[res.doc.uri+"#"+full]; ok {
		return s, nil
	}
	raw, err := navigate(res.doc.raw, full)
	if err != nil {
		return nil, err
	}
	loc := res
	loc.pointer = full
	return l.parse(loc, raw)
}

func navigate(v any, pointer string) (any, error) {
	if pointer == "" {
		return v, nil
	}
	if !strings.HasPrefix(pointer, "/") {
		return nil, fmt.Errorf("bad JSON Pointer %q", pointer)
	}
	for _, tok := range strings.Split(pointer[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch t := v.(type) {
		case *Object:
			next, ok := t.Values[tok]
			if !ok {
				return nil, fmt.Errorf("no member %q", tok)
			}
			v = next
		case []any:
			i, ok := arrayIndex(tok, len(t))
			if !ok {
				return nil, fmt.Errorf("no element %q", tok)
			}
			v = t[i]
		default:
			return nil, errors.New("pointer goes through a scalar")
		}
	}
	return v, nil
}

func arrayIndex(tok string, n int) (int, bool) {
	if tok == "" || len(tok) > 9 || (len(tok) > 1 && tok[0] == '0') {
		return 0, false
	}
	i := 0
	for _, c := range tok {
		if c < '0' || c > '9' {
			return 0, false
		}
		i = i*10 + int(c-'0')
	}
	return i, i < n
}

// EscapeToken escapes one JSON Pointer reference token.
func EscapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
