package schema

import (
	"slices"
	"strings"
)

// resolveDynamic retargets s, a $dynamicRef or $recursiveRef (kw) already resolved like a
// $ref, where the dynamic scope decides the target the same way on every evaluation path.
//
// The reference is dynamic only when its static target carries the matching anchor (a
// $dynamicAnchor of that name, or "$recursiveAnchor": true); otherwise it is a $ref. A
// dynamic reference goes to the outermost schema resource of the dynamic scope that has
// the anchor, and evaluation starts at the root, so the root resource is the outermost of
// every scope: when it has the anchor, it is the target whatever the path (this is how a
// schema extends another: strict-tree.json refers to tree.json and redeclares its anchor).
// When only the static target's resource has the anchor, the static target is right too.
// Otherwise the target depends on the path, which one Go type per schema cannot follow:
// the static target stays and the keyword stays in Unsupported for the generator to warn.
func (l *Loader) resolveDynamic(s *Schema, kw string) error {
	loc := l.nodeLoc[s]
	abs, err := resolveURI(loc.base, s.RefString)
	if err != nil {
		return l.errAt(s, "bad %s %q: %v", kw, s.RefString, err)
	}
	base, name, _ := strings.Cut(abs, "#")
	var root location
	var rootHas, others bool
	switch kw {
	case "$recursiveRef":
		if name != "" || !l.recursive[base] {
			break // not bookended: a plain $ref
		}
		root, rootHas = l.resources[l.rootBase]
		rootHas = rootHas && l.recursive[l.rootBase]
		for r := range l.recursive {
			others = others || r != base
		}
	default:
		static, dynamic := l.anchors[base+"#"+name], l.dynAnchors[base+"#"+name]
		if name == "" || strings.HasPrefix(name, "/") || dynamic.doc == nil || static != dynamic {
			break // not bookended: a plain $ref
		}
		root, rootHas = l.dynAnchors[l.rootBase+"#"+name]
		for k := range l.dynAnchors {
			others = others || (strings.HasSuffix(k, "#"+name) && k != base+"#"+name)
		}
	}
	if rootHas {
		t, err := l.at(root, "")
		if err != nil {
			return l.errAt(s, "%s %q: %v", kw, s.RefString, err)
		}
		s.Ref = t
	} else if others {
		return nil // depends on the path: the generator warns
	}
	s.Unsupported = slices.DeleteFunc(s.Unsupported, func(k string) bool { return k == kw })
	return nil
}
