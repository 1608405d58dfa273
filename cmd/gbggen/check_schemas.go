package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
)

// schemaChange is a schema whose digest differs between the committed journey helpers file
// and the one generated now: which input of the journey changed since the code was last
// generated.
type schemaChange struct {
	// Task is the task's key, "" for the journey (context) schema.
	Task string `json:"task,omitempty"`
	// Change is "changed", "added" (a task the committed code lacks) or "removed".
	Change string `json:"change"`
}

// schemaChanges compares the digests (SchemaDigest and TaskSchemaDigests) of a committed and
// a generated journey helpers file, journey schema first, then tasks by key. What a file
// lacks, or a file that does not parse, gives none: the diff still shows what changed.
func schemaChanges(onDisk, generated []byte) []schemaChange {
	oldJourney, oldTasks := digestsOf(onDisk)
	newJourney, newTasks := digestsOf(generated)
	var out []schemaChange
	if oldJourney != newJourney && oldJourney != "" && newJourney != "" {
		out = append(out, schemaChange{"", "changed"})
	}
	if oldTasks == nil || newTasks == nil {
		return out // code of a journey without tasks, or made before gbggen wrote the digests
	}
	var keys []string
	for k := range newTasks {
		keys = append(keys, k)
	}
	for k := range oldTasks {
		if _, ok := newTasks[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		o, inOld := oldTasks[k]
		n, inNew := newTasks[k]
		switch {
		case !inOld:
			out = append(out, schemaChange{k, "added"})
		case !inNew:
			out = append(out, schemaChange{k, "removed"})
		case o != n:
			out = append(out, schemaChange{k, "changed"})
		}
	}
	return out
}

// digestsOf reads the SchemaDigest constant and the map TaskSchemaDigests returns from the
// source of a journey helpers file: "" and nil for what it does not declare.
func digestsOf(src []byte) (journey string, tasks map[string]string) {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		return "", nil
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				if v, ok := spec.(*ast.ValueSpec); ok && len(v.Names) == 1 && v.Names[0].Name == "SchemaDigest" && len(v.Values) == 1 {
					journey = stringLit(v.Values[0])
				}
			}
		case *ast.FuncDecl:
			if d.Name.Name != "TaskSchemaDigests" || d.Recv != nil || d.Body == nil || len(d.Body.List) != 1 {
				continue
			}
			ret, ok := d.Body.List[0].(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				continue
			}
			lit, ok := ret.Results[0].(*ast.CompositeLit)
			if !ok {
				continue
			}
			tasks = map[string]string{}
			for _, e := range lit.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					tasks[stringLit(kv.Key)] = stringLit(kv.Value)
				}
			}
		}
	}
	return journey, tasks
}

func stringLit(e ast.Expr) string {
	if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
		if s, err := strconv.Unquote(b.Value); err == nil {
			return s
		}
	}
	return ""
}
