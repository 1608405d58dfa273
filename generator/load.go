package generator

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gbggen/gbggen/generator/schema"
)

// loadedRoot is a root schema, loaded.
type loadedRoot struct {
	name   string
	schema *schema.Schema
	file   string
}

func (g *generation) load() ([]loadedRoot, error) {
	if len(g.opts.Roots) == 0 {
		return nil, errors.New("no schema to generate")
	}
	l := schema.NewLoader(schema.Options{RefMap: g.opts.RefMap, ReadFile: g.opts.ReadFile, DefaultDraft: g.opts.DefaultDraft})
	var out []loadedRoot
	for _, r := range g.opts.Roots {
		var s *schema.Schema
		var err error
		if r.Data != nil {
			s, err = l.LoadBytes(r.Schema, r.Data)
		} else {
			s, err = l.LoadFile(r.Schema)
		}
		if err != nil {
			return nil, err
		}
		more, err := expandTaskList(l, s, r)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}

// expandTaskList recognises a task/list/schema response ({"tasks": [...],
// "schemas": {...}}): every schema under "schemas" becomes a root.
func expandTaskList(l *schema.Loader, s *schema.Schema, r Root) ([]loadedRoot, error) {
	obj, ok := s.Raw.(*schema.Object)
	name := r.Name
	if name == "" {
		name = goName(strings.TrimSuffix(filepath.Base(r.Schema), filepath.Ext(r.Schema)))
	}
	if !ok || obj.Values["schemas"] == nil || obj.Values["tasks"] == nil {
		return []loadedRoot{{name: name, schema: s, file: r.Schema}}, nil
	}
	schemas, ok := obj.Values["schemas"].(*schema.Object)
	if !ok {
		return nil, &schema.Error{File: r.Schema, Pointer: "/schemas", Msg: "must be an object"}
	}
	var out []loadedRoot
	for _, k := range schemas.Keys {
		sub, err := l.Node(s, "/schemas/"+schema.EscapeToken(k))
		if err != nil {
			return nil, err
		}
		out = append(out, loadedRoot{name: r.Name + goName(k), schema: sub, file: r.Schema})
	}
	return out, nil
}

// walkWarnings reports keywords that were dropped while loading.
func walkWarnings(s *schema.Schema, warn func(*schema.Schema, string, string), seen map[*schema.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	for _, k := range s.Ignored {
		msg := fmt.Sprintf("%s is not a keyword of %s here and is ignored", k, s.Draft)
		if s.Dialect != "" {
			msg = fmt.Sprintf("%s is not in the vocabularies of metaschema %s here and is ignored", k, s.Dialect)
		}
		warn(s, k, msg)
	}
	for _, k := range s.Unsupported {
		warn(s, k, k+" beside $ref is not applied: gbggen follows one reference per schema")
	}
	for _, c := range s.Children() {
		walkWarnings(c, warn, seen)
	}
}
