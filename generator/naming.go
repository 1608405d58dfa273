package generator

import (
	"fmt"
	"strings"

	"github.com/gbggen/gbggen/generator/schema"
)

// assignNames gives every type its Go name in one pass over the types in
// schema order, so the same schema always gives the same names. A type
// takes the first free candidate of: the name of the member it came from
// without qualifiers (currentAddress → Address), the full member name,
// both prefixed with the enclosing type's name, then a number.
func assignNames(types []*Type, reserved map[string]bool) {
	taken := map[string]bool{}
	for k := range reserved {
		taken[k] = true
	}
	for _, t := range types {
		cands := candidates(t)
		t.Name = ""
		// A name is free when neither it nor its constructor (New<Name>) is taken: a type
		// called NewType must not meet the constructor of a type called Type.
		free := func(c string) bool { return c != "" && !taken[c] && !taken["New"+c] }
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
		taken[t.Name] = true
		taken["New"+t.Name] = true
	}
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

func candidates(t *Type) []string {
	h := t.hint
	if h.root != "" {
		return []string{h.root}
	}
	base := h.base
	if base == "" {
		base = defName(t)
	}
	full := base
	if h.plural {
		full = singular(base)
	}
	short := stripQualifier(full)
	parent := ""
	if h.parent != nil {
		parent = h.parent.Name
	}
	var out []string
	qualifiedShort, qualifiedFull := prefixed(parent, goName(short)), prefixed(parent, goName(full))
	// Under a task root, qualify with the task's name first: AddressIdentity reads better
	// than AddressTaskContextSubjectIdentity, which the parent chain would give.
	var taskShort, taskFull string
	if task := taskOf(t); task != "" {
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

// taskOf returns the name of the task a type was first found under (PersonalDetails for a
// root named PersonalDetailsTask), or "".
func taskOf(t *Type) string {
	for p := t.hint.parent; p != nil; p = p.hint.parent {
		if p.hint.root != "" {
			task, ok := strings.CutSuffix(p.hint.root, "Task")
			if !ok {
				return ""
			}
			return task
		}
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

// defName names a type after the definition it was declared as, if any.
func defName(t *Type) string { return defNameOf(t.Schema) }

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
