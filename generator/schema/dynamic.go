package schema

import (
	"fmt"
	"maps"
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
// Otherwise the target depends on the path: the static target stays for now, and
// specialize gives each path its own copy of the schemas between the scope and the
// reference.
func (l *Loader) resolveDynamic(s *Schema, kw string) error {
	loc := l.nodeLoc[s]
	abs, err := resolveURI(loc.base, s.RefString)
	if err != nil {
		return l.errAt(s, "bad %s %q: %v", kw, s.RefString, err)
	}
	base, name, _ := strings.Cut(abs, "#")
	var bookended bool
	if kw == "$recursiveRef" {
		_, has := l.anchorIn(base, recursiveName)
		bookended = name == "" && has
	} else {
		static, dynamic := l.anchors[base+"#"+name], l.dynAnchors[base+"#"+name]
		bookended = name != "" && !strings.HasPrefix(name, "/") && dynamic.doc != nil && static == dynamic
	}
	if !bookended {
		return nil // a plain $ref
	}
	name = dynamicName(kw, name)
	if root, ok := l.anchorIn(l.rootBase, name); ok {
		t, err := l.at(root, "")
		if err != nil {
			return l.errAt(s, "%s %q: %v", kw, s.RefString, err)
		}
		s.Ref = t
		return nil
	}
	for _, other := range l.declaring(name) {
		if other.base != base {
			l.pathDependent[s] = name
			break
		}
	}
	return nil
}

// anchorIn returns where resource base declares the dynamic anchor name (for
// recursiveName, its root with "$recursiveAnchor": true).
func (l *Loader) anchorIn(base, name string) (location, bool) {
	if name == recursiveName {
		loc, ok := l.resources[base]
		return loc, ok && l.recursive[base]
	}
	loc, ok := l.dynAnchors[base+"#"+name]
	return loc, ok
}

// declaring returns every declaration of the dynamic anchor name, in no particular order.
func (l *Loader) declaring(name string) []location {
	var out []location
	for base := range l.resources {
		if loc, ok := l.anchorIn(base, name); ok {
			out = append(out, loc)
		}
	}
	return out
}

// recursiveName stands for "$recursiveAnchor": true among $dynamicAnchor names, which
// cannot contain '#'.
const recursiveName = "#recursive"

func dynamicName(kw, name string) string {
	if kw == "$recursiveRef" {
		return recursiveName
	}
	return name
}

// scope is what a dynamic scope decides: for each anchor name a path-dependent reference
// uses, the outermost resource entered so far that declares it. key identifies it.
type scope struct {
	bound map[string]location
	key   string
}

// enter returns the scope after evaluation enters the resource base: its anchors bind
// the names still unbound (an outer resource wins).
func (l *Loader) enter(sc scope, base string, names []string) scope {
	var add map[string]location
	for _, n := range names {
		if _, ok := sc.bound[n]; ok {
			continue
		}
		if loc, ok := l.anchorIn(base, n); ok {
			if add == nil {
				add = maps.Clone(sc.bound)
				if add == nil {
					add = map[string]location{}
				}
			}
			add[n] = loc
		}
	}
	if add == nil {
		return sc
	}
	var key strings.Builder
	for _, n := range names {
		if loc, ok := add[n]; ok {
			fmt.Fprintf(&key, "%s=%s#%s;", n, loc.doc.uri, loc.pointer)
		}
	}
	return scope{bound: add, key: key.String()}
}

// specialize returns root with every path-dependent dynamic reference resolved: each
// schema from which one can be reached is copied once per scope it is evaluated in, and
// in each copy the reference leads where that scope sends it. One Go type per schema
// cannot follow the dynamic scope; one per schema and scope can. Schemas that reach no
// such reference are shared, so a document without one comes back unchanged.
func (l *Loader) specialize(root *Schema) (*Schema, error) {
	if len(l.pathDependent) == 0 {
		return root, nil
	}
	sp := &specializer{l: l, root: root, memo: map[string]*Schema{}}
	for _, n := range l.pathDependent {
		if !slices.Contains(sp.names, n) {
			sp.names = append(sp.names, n)
		}
	}
	slices.Sort(sp.names)
	if err := sp.findDependent(root); err != nil {
		return nil, err
	}
	return sp.copy(root, scope{}), sp.err
}

// maxCopies bounds the copies specialize makes: the scopes multiply with each anchor name
// whose resources a path can choose between, so a hostile schema could ask for billions.
const maxCopies = 1 << 16

type specializer struct {
	l         *Loader
	root      *Schema
	names     []string           // the anchor names path-dependent references use
	dependent map[*Schema]bool   // schemas that reach a path-dependent reference
	memo      map[string]*Schema // copies by scope and node
	err       error
}

// findDependent marks the schemas reachable from root that can reach a path-dependent
// reference, counting as its targets every schema that declares its anchor.
func (sp *specializer) findDependent(root *Schema) error {
	into := map[*Schema][]*Schema{} // reversed edges
	seen := map[*Schema]bool{}
	stack := []*Schema{root}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[s] {
			continue
		}
		seen[s] = true
		next := s.Children()
		if name, ok := sp.l.pathDependent[s]; ok {
			targets, err := sp.targets(s, name)
			if err != nil {
				return err
			}
			next = append(next, targets...)
		}
		for _, c := range next {
			into[c] = append(into[c], s)
			stack = append(stack, c)
		}
	}
	sp.dependent = map[*Schema]bool{}
	for s := range sp.l.pathDependent {
		if seen[s] {
			stack = append(stack, s)
		}
	}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !sp.dependent[s] {
			sp.dependent[s] = true
			stack = append(stack, into[s]...)
		}
	}
	return nil
}

// targets returns every schema a dynamic reference with this anchor name can lead to.
func (sp *specializer) targets(s *Schema, name string) ([]*Schema, error) {
	var out []*Schema
	for _, loc := range sp.l.declaring(name) {
		t, err := sp.l.at(loc, "")
		if err != nil {
			return nil, sp.l.errAt(s, "%s: %v", s.RefString, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// copy returns s as evaluated in scope sc: s itself when it reaches no path-dependent
// reference, otherwise its copy for the scope, made once.
func (sp *specializer) copy(s *Schema, sc scope) *Schema {
	if s == nil || !sp.dependent[s] || sp.err != nil {
		return s
	}
	loc := sp.l.nodeLoc[s]
	sc = sp.l.enter(sc, loc.base, sp.names)
	key := sc.key + "|" + loc.doc.uri + "#" + loc.pointer
	if c, ok := sp.memo[key]; ok {
		return c
	}
	if len(sp.memo) == maxCopies {
		sp.err = sp.l.errAt(sp.root, "the dynamic scopes of its $dynamicRef and $recursiveRef need more than %d copies of its schemas", maxCopies)
		return s
	}
	c := new(Schema)
	*c = *s
	sp.memo[key] = c
	sp.l.nodeLoc[c] = loc
	for _, p := range []*[]*Schema{&c.PrefixItems, &c.AllOf, &c.AnyOf, &c.OneOf} {
		*p = slices.Clone(*p)
	}
	for _, p := range []*[]Named{&c.Properties, &c.PatternProperties, &c.DependentSchemas} {
		*p = slices.Clone(*p)
	}
	if name, ok := sp.l.pathDependent[s]; ok {
		if loc, ok := sc.bound[name]; ok {
			t, err := sp.l.at(loc, "")
			if err != nil {
				sp.err = sp.l.errAt(s, "%s: %v", s.RefString, err)
				return s
			}
			c.Ref = t
		}
	}
	for _, e := range c.edges() {
		*e = sp.copy(*e, sc)
	}
	return c
}
