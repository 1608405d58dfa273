package generator

import (
	"cmp"
	"fmt"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/gbggen/gbggen/generator/internal/ir"
	"github.com/gbggen/gbggen/generator/schema"
)

// The naming pass: every identifier the output declares is chosen here, after the types
// and helpers are built and before anything is emitted.
//
// The rule, for types: a type is named after one of the places it was found, its home:
// the root it is (the user's name), else the definition it is, else the shallowest place
// (fewest JSON Pointer tokens), ties broken by file and pointer. Its candidates are, in
// order, the member name without qualifiers (currentAddress → Address) and singular for
// array items, the full member name, both prefixed with the task's name and then with
// the enclosing type's name, then the shortest of them numbered. Types are named in the
// order of their homes (parents first), each taking its first free candidate. So a name
// depends only on the types competing for the same candidates, never on the order in
// which the schema was walked: adding, removing or moving an unrelated property renames
// nothing else.
//
// Helpers (check and evaluation functions, regexps, literals) are named after the
// pointer of their shallowest use, relative to the nearest named type
// (checkAddressPostalCode), and numbered only on collision, in the same order. Local
// variables are numbered within one member's statements.

// nameHint is what a place says about the name of the type found there.
type nameHint struct {
	base    string // JSON name (property, definition) it came from
	plural  bool   // base names an array whose element this is
	parent  *ir.Type
	root    string // fixed name requested by the user
	generic bool   // prefer the parent-qualified name
	// definition marks a definition's own name: its parent, if the name must be
	// qualified, is what contains the definitions, not what refers to it.
	definition bool
}

// GoName turns a name from a schema or a config ("personal-details", "currentAddress")
// into the exported Go identifier the generator would give it (PersonalDetails,
// CurrentAddress).
func GoName(s string) string { return goName(s) }

// initialisms are written in upper case in Go identifiers.
var initialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "DNS": true, "EOF": true,
	"GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "IBAN": true, "ID": true, "IP": true,
	"JSON": true, "JWT": true, "LHS": true, "OCR": true, "QPS": true, "RAM": true, "RHS": true,
	"RPC": true, "SLA": true, "SMTP": true, "SQL": true, "SSH": true, "TCP": true, "TLS": true,
	"TTL": true, "UDP": true, "UI": true, "UID": true, "UUID": true, "URI": true, "URL": true,
	"UTF8": true, "VM": true, "LDS": true, "XML": true, "XMPP": true, "XSRF": true, "XSS": true, "MRZ": true,
}

// words splits a JSON name into words at case changes, digits→letters
// and any non-alphanumeric character.
func splitWords(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if len(cur) > 0 {
			prev := cur[len(cur)-1]
			lowerToUpper := unicode.IsUpper(r) && !unicode.IsUpper(prev)
			acronymEnd := unicode.IsUpper(r) && unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if lowerToUpper || acronymEnd {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// goName turns a JSON name into an exported Go identifier: camel case,
// initialisms upper-cased, a leading character that cannot start an
// exported name prefixed with X. The empty name gives "Empty".
func goName(s string) string {
	ws := splitWords(s)
	if len(ws) == 0 {
		if s == "" {
			return "Empty"
		}
		return "X" + hexName(s)
	}
	var b strings.Builder
	for _, w := range ws {
		up := strings.ToUpper(w)
		if initialisms[up] {
			b.WriteString(up)
			continue
		}
		rs := []rune(w)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	name := b.String()
	r := []rune(name)[0]
	if !unicode.IsUpper(r) {
		name = "X" + name
	}
	return name
}

func hexName(s string) string {
	const digits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s) && i < 8; i++ {
		b.WriteByte(digits[s[i]>>4])
		b.WriteByte(digits[s[i]&15])
	}
	return b.String()
}

// lowerName is goName with a lower-case first word, for parameters.
func lowerName(s string) string {
	n := goName(s)
	ws := splitWords(n)
	if len(ws) == 0 {
		return "v"
	}
	first := ws[0]
	rest := n[len(first):]
	if initialisms[strings.ToUpper(first)] {
		first = strings.ToLower(first)
	} else {
		rs := []rune(first)
		rs[0] = unicode.ToLower(rs[0])
		first = string(rs)
	}
	out := first + rest
	if alt, ok := conventional[out]; ok {
		return alt
	}
	if token.Lookup(out).IsKeyword() || isPredeclared(out) {
		out += "_"
	}
	return out
}

// conventional holds the names Go programmers write for a variable that would be a keyword
// or shadow a name the generated code uses.
var conventional = map[string]string{
	"type": "typ", "func": "fn", "package": "pkg", "range": "rng", "default": "def",
	"interface": "iface", "select": "sel", "map": "m", "chan": "ch", "var": "variable",
	"context": "contextValue", "error": "errValue", "string": "str", "len": "length",
}

func isPredeclared(s string) bool {
	switch s {
	case "string", "int", "bool", "error", "any", "len", "cap", "new", "make", "append", "copy",
		"nil", "true", "false", "byte", "rune", "float64", "int64", "errs", "p", "v", "b", "err", "json",
		"validate", "strconv", "regexp", "utf8", "sort", "bytes", "errors", "fmt", "context", "gbg", "ctx", "client":
		return true
	}
	return false
}

// singular turns a plural English noun into its singular, for naming the
// element type of an array property (emails → Email).
func singular(s string) string {
	lower := strings.ToLower(s)
	switch {
	case len(s) <= 3:
		return s
	case strings.HasSuffix(lower, "ies"):
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(lower, "sses"), strings.HasSuffix(lower, "shes"), strings.HasSuffix(lower, "ches"),
		strings.HasSuffix(lower, "xes"), strings.HasSuffix(lower, "uses"):
		return s[:len(s)-2]
	case strings.HasSuffix(lower, "iases"):
		return s[:len(s)-2]
	case strings.HasSuffix(lower, "ss"), strings.HasSuffix(lower, "us"), strings.HasSuffix(lower, "is"):
		return s
	case strings.HasSuffix(lower, "s"):
		return s[:len(s)-1]
	}
	return s
}

// qualifiers are leading words that say which instance of a shape a
// property is, not what the shape is: currentAddress is an Address.
var qualifiers = []string{"current", "previous", "primary", "secondary", "main", "default", "other", "new", "old"}

// stripQualifier removes a qualifier word from the front of a camel-case
// name, if something is left.
func stripQualifier(s string) string {
	ws := splitWords(s)
	if len(ws) < 2 {
		return s
	}
	for _, q := range qualifiers {
		if strings.EqualFold(ws[0], q) {
			return strings.Join(ws[1:], "")
		}
	}
	return s
}

// article puts "a" or "an" before a type name, by its first letter: good enough for
// generated comments ("an Identity", "a Document").
func article(name string) string {
	if name != "" && strings.ContainsRune("AEIOU", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}

// namer carries the naming pass over a built package.
type namer struct {
	pkg    *ir.Package
	info   map[*ir.Type]*typeInfo
	taken  map[string]bool     // package-level identifiers given out
	typeAt map[string]*ir.Type // "file#pointer" → the type found there
	state  map[*ir.Type]int    // 1 being named, 2 named
	order  []*ir.Type          // types by home
}

// nameAll names every type, field, constant, alternative and helper of pkg. reserved are
// the identifiers other files of the package declare (see journeyIdents).
func nameAll(pkg *ir.Package, info map[*ir.Type]*typeInfo, h *helpers, reserved []string) {
	n := &namer{pkg: pkg, info: info, taken: map[string]bool{}, typeAt: map[string]*ir.Type{}, state: map[*ir.Type]int{}}
	for _, id := range reserved {
		n.taken[id] = true
	}
	n.order = slices.Clone(pkg.Types)
	slices.SortStableFunc(n.order, func(a, b *ir.Type) int { return cmpPlace(placeOf(n.home(a)), placeOf(n.home(b))) })
	for _, t := range n.order {
		for _, o := range info[t].seen {
			if k := o.s.File + "#" + o.s.Pointer; n.typeAt[k] == nil {
				n.typeAt[k] = t
			}
		}
	}
	for _, t := range n.order {
		n.nameType(t)
	}
	n.finishNames()
	n.nameHelpers(h)
}

// place orders the places a thing was found: roots, then definitions, then the shallowest,
// then by file and pointer.
type place struct {
	rank, depth           int
	file, pointer, suffix string
}

func cmpPlace(a, b place) int {
	return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.depth, b.depth), cmp.Compare(a.file, b.file),
		cmp.Compare(a.pointer, b.pointer), cmp.Compare(a.suffix, b.suffix))
}

func placeOf(o occurrence) place {
	rank := 2
	switch {
	case o.hint.root != "":
		rank = 0
	case o.hint.definition:
		rank = 1
	}
	return place{rank: rank, depth: strings.Count(o.s.Pointer, "/"), file: o.s.File, pointer: o.s.Pointer}
}

// home is the place t is named after.
func (n *namer) home(t *ir.Type) occurrence {
	i := n.info[t]
	if i.root != "" {
		return occurrence{s: t.Schema, hint: nameHint{root: i.root}}
	}
	best := i.seen[0]
	for _, o := range i.seen[1:] {
		if cmpPlace(placeOf(o), placeOf(best)) < 0 {
			best = o
		}
	}
	return best
}

// parentOf is the type a name found at o is qualified with: the enclosing type, or for a
// definition the type of the schema holding the definitions.
func (n *namer) parentOf(o occurrence) *ir.Type {
	if !o.hint.definition {
		if n.info[o.hint.parent] == nil {
			return nil // nil, or a sum given up for a dynamic type
		}
		return o.hint.parent
	}
	p := o.s.Pointer
	for range 2 {
		p = p[:max(strings.LastIndex(p, "/"), 0)]
	}
	return n.typeAt[o.s.File+"#"+p]
}

func (n *namer) nameType(t *ir.Type) {
	if n.state[t] != 0 {
		return
	}
	n.state[t] = 1
	o := n.home(t)
	t.Where = o.s.Pointer
	parent := n.parentOf(o)
	if parent != nil {
		n.nameType(parent) // a parent being named (a cycle) qualifies nothing
	}
	cands := n.candidates(o, parent)
	// A name is free when neither it nor its constructor (New<Name>) is taken: a type
	// called NewType must not meet the constructor of a type called Type.
	free := func(c string) bool { return c != "" && !n.taken[c] && !n.taken["New"+c] }
	for _, c := range cands {
		if free(c) && (len(c) <= maxQualified || len(cands) == 1) {
			t.Name = c
			break
		}
	}
	if t.Name == "" {
		// Numbered after the shortest candidate: a member repeated at every level of a
		// deep schema gives Child2, Child3, … rather than names that grow with depth.
		base := shortest(cands)
		for i := 2; ; i++ {
			if c := fmt.Sprintf("%s%d", base, i); free(c) {
				t.Name = c
				break
			}
		}
	}
	n.taken[t.Name] = true
	n.taken["New"+t.Name] = true
	n.state[t] = 2
}

// maxQualified bounds the length of a name built by qualifying with enclosing names.
const maxQualified = 40

func shortest(cands []string) string {
	best := "Type"
	for _, c := range cands {
		if c != "" && (best == "Type" || len(c) < len(best)) {
			best = c
		}
	}
	return best
}

func (n *namer) candidates(o occurrence, parent *ir.Type) []string {
	h := o.hint
	if h.root != "" {
		return []string{h.root}
	}
	base := h.base
	if base == "" {
		base = defNameOf(o.s)
	}
	full := base
	if h.plural {
		full = singular(base)
	}
	short := stripQualifier(full)
	parentName := ""
	if parent != nil {
		parentName = parent.Name
	}
	var out []string
	qualifiedShort, qualifiedFull := prefixed(parentName, goName(short)), prefixed(parentName, goName(full))
	// Under a task root, qualify with the task's name first: AddressIdentity reads better
	// than AddressTaskContextSubjectIdentity, which the parent chain would give.
	var taskShort, taskFull string
	if task := n.taskOf(parent); task != "" {
		taskShort, taskFull = prefixed(task, goName(short)), prefixed(task, goName(full))
	}
	if h.generic || base == "" {
		out = append(out, taskShort, taskFull, qualifiedShort, qualifiedFull)
	}
	if base != "" {
		out = append(out, goName(short), goName(full))
	}
	out = append(out, taskShort, taskFull, qualifiedShort, qualifiedFull)
	if base == "" {
		out = append(out, "Value")
	}
	return out
}

// taskOf returns the name of the task whose root encloses p (PersonalDetails for a root
// named PersonalDetailsTask), or "".
func (n *namer) taskOf(p *ir.Type) string {
	for range 64 { // the parent chain of a recursive schema may loop
		if p == nil {
			return ""
		}
		if root := n.info[p].root; root != "" {
			task, _ := strings.CutSuffix(root, "Task")
			if task == root {
				return ""
			}
			return task
		}
		p = n.parentOf(n.home(p))
	}
	return ""
}

func prefixed(parent, name string) string {
	if parent == "" || strings.HasPrefix(name, parent) {
		return name
	}
	if name == "Empty" || name == "" {
		return parent + "Value"
	}
	return parent + name
}

func defNameOf(s *schema.Schema) string {
	p := s.Pointer
	for _, marker := range []string{"/definitions/", "/$defs/"} {
		if i := strings.LastIndex(p, marker); i >= 0 {
			rest := p[i+len(marker):]
			if !strings.Contains(rest, "/") {
				return strings.ReplaceAll(strings.ReplaceAll(rest, "~1", "/"), "~0", "~")
			}
		}
	}
	return ""
}

// finishNames names what depends on type names: fields, enum constants,
// sum alternatives and the AdditionalProperties field.
func (n *namer) finishNames() {
	for _, t := range n.order {
		switch t.Kind {
		case ir.KindStruct:
			nameFields(t)
			if len(t.Fields) > 0 {
				t.Members = uniqueName("members"+t.Name, n.taken)
			}
			for _, f := range t.Fields {
				f.Index = uniqueName("key"+t.Name+f.Name, n.taken)
			}
		case ir.KindEnum:
			for _, v := range t.Values {
				t.ConstNames = append(t.ConstNames, uniqueName(t.Name+goName(v), n.taken))
			}
		case ir.KindSum:
			// Alternatives are fields: they must not meet the generated methods.
			used := map[string]bool{"Validate": true, "MarshalJSON": true, "UnmarshalJSON": true}
			for _, br := range t.Branches {
				br.Name = uniqueName(trimOwner(branchName(br.Ref), t.Name), used)
			}
		}
	}
}

func uniqueName(base string, used map[string]bool) string {
	n := base
	for i := 2; used[n]; i++ {
		n = fmt.Sprintf("%s%d", base, i)
	}
	used[n] = true
	return n
}

// trimOwner drops the sum's own name from the front of an alternative's: Level.String, not
// Level.LevelString.
func trimOwner(name, owner string) string {
	rest, ok := strings.CutPrefix(name, owner)
	if !ok || rest == "" || !unicode.IsUpper([]rune(rest)[0]) {
		return name
	}
	return rest
}

func branchName(r *ir.Ref) string {
	switch {
	case r.Named != nil:
		return r.Named.Name
	case r.Slice != nil:
		return "Array"
	case r.Map != nil:
		return "Map"
	}
	return map[string]string{"string": "String", "int64": "Int", "float64": "Number", "bool": "Bool"}[r.Builtin]
}

// nameFields gives struct fields distinct exported names that do not
// collide with the generated methods.
func nameFields(t *ir.Type) {
	used := map[string]bool{"Validate": true, "MarshalJSON": true, "UnmarshalJSON": true}
	// Names that differ only by case would be confusing; they still get
	// distinct identifiers through the numeric suffix.
	for _, f := range t.Fields {
		n := goName(f.JSON)
		if used[n] {
			n += "_"
		}
		f.Name = uniqueName(n, used)
	}
	if t.Extra != nil {
		t.Extra.Name = uniqueName("AdditionalProperties", used)
	}
	params := map[string]bool{}
	for _, f := range t.Fields {
		if !f.Required {
			continue
		}
		name := lowerName(f.JSON)
		for params[name] {
			name += "_"
		}
		params[name] = true
		f.Param = name
	}
}

// nameHelpers names the package-level helpers after their shallowest site, and sorts each
// list by name, the order they are declared in.
func (n *namer) nameHelpers(h *helpers) {
	type named struct {
		base string
		at   place
		set  func(name string, at place)
	}
	var all []named
	add := func(helper any, prefix, suffix string, set func(name string, at place)) {
		sites := h.sites[helper]
		best := place{depth: -1}
		for _, s := range sites {
			p := place{depth: strings.Count(s.pointer, "/"), file: s.file, pointer: s.pointer, suffix: s.suffix}
			if best.depth < 0 || cmpPlace(p, best) < 0 {
				best = p
			}
		}
		all = append(all, named{base: prefix + n.local(best.file, best.pointer) + best.suffix + suffix, at: best, set: set})
	}
	for _, c := range n.pkg.Checks {
		add(c, "check", "", func(s string, at place) { c.Name, c.Where = s, at.pointer })
	}
	for _, e := range n.pkg.Evals {
		prefix := "evalProps"
		if e.Items {
			prefix = "evalItems"
		}
		suffix := ""
		if e.Self {
			suffix = "All" // its own unevaluated* keyword counts too
		}
		add(e, prefix, suffix, func(s string, at place) { e.Name, e.Where = s, at.pointer })
	}
	for _, r := range n.pkg.Regexps {
		add(r, "pattern", "", func(s string, _ place) { r.Name = s })
	}
	for _, l := range n.pkg.Literals {
		prefix := "const"
		if l.List {
			prefix = "enum"
		}
		add(l, prefix, "", func(s string, _ place) { l.Name = s })
	}
	slices.SortStableFunc(all, func(a, b named) int { return cmp.Or(cmpPlace(a.at, b.at), cmp.Compare(a.base, b.base)) })
	for _, x := range all {
		x.set(uniqueName(x.base, n.taken), x.at)
	}
	slices.SortFunc(n.pkg.Checks, func(a, b *ir.Check) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(n.pkg.Evals, func(a, b *ir.Eval) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(n.pkg.Regexps, func(a, b *ir.Regexp) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(n.pkg.Literals, func(a, b *ir.Literal) int { return cmp.Compare(a.Name, b.Name) })
}

// maxLocal bounds the pointer-derived part of a helper's name.
const maxLocal = 40

// local names the place at pointer in file: the name of the nearest type found at or
// above it, followed by the words of the rest of the pointer (properties and definitions
// left out, which the name of what follows says), keeping the last words when that
// grows long.
func (n *namer) local(file, pointer string) string {
	tokens := strings.Split(pointer, "/")[1:]
	owner := goName(strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)))
	rest := tokens
	for i := len(tokens); i >= 0; i-- {
		if t := n.typeAt[file+"#"+joinPointer(tokens[:i])]; t != nil && t.Name != "" {
			owner, rest = t.Name, tokens[i:]
			break
		}
	}
	var words []string
	for _, tok := range rest {
		switch tok {
		case "properties", "definitions", "$defs":
			continue
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		if tok != "" && strings.Trim(tok, "0123456789") == "" {
			words = append(words, tok)
			continue
		}
		words = append(words, goName(tok))
	}
	tail := ""
	for i := len(words) - 1; i >= 0; i-- {
		if len(tail) > 0 && len(tail)+len(words[i]) > maxLocal {
			break
		}
		tail = words[i] + tail
	}
	return owner + tail
}

func joinPointer(tokens []string) string {
	if len(tokens) == 0 {
		return ""
	}
	return "/" + strings.Join(tokens, "/")
}
