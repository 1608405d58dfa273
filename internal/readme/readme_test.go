package readme

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// imports maps the package names README snippets use to their import paths. A snippet that
// uses another package fails with "undefined": add it here.
var imports = map[string]string{
	"context": "context", "errors": "errors", "fmt": "fmt", "http": "net/http", "io": "io",
	"json": "encoding/json", "log": "log", "os": "os", "slog": "log/slog", "strings": "strings",
	"time": "time", "bytes": "bytes",
	"gbg":        "github.com/gbggen/gbggen/gbg",
	"idwise":     "github.com/gbggen/gbggen/idwise",
	"onboarding": "github.com/gbggen/gbggen/examples/onboarding/onboarding",
	"sandbox":    "github.com/gbggen/gbggen/sandbox",
	"validate":   "github.com/gbggen/gbggen/validate",
}

type snippet struct {
	line int // of the opening fence
	src  string
}

// snippets returns the ```go blocks of the README.
func snippets(t *testing.T, path string) []snippet {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []snippet
	var cur *snippet
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && trimmed == "```go":
			cur = &snippet{line: n}
		case cur != nil && trimmed == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.src += line + "\n"
		}
	}
	return out
}

// program turns a snippet into a compilable file: a whole file (it has a package clause) as
// it is; statements as the body of a function given ctx, returning error, with the
// variables they declare marked used and the packages they name imported.
func program(s snippet) (string, error) {
	if strings.HasPrefix(strings.TrimLeft(stripComments(s.src), " \t\n"), "package ") {
		return s.src, nil
	}
	body := s.src
	fset := token.NewFileSet()
	wrapped := "package main\n\nfunc snippet() error {\n" + body + "\nreturn nil\n}\n"
	f, err := parser.ParseFile(fset, "snippet.go", wrapped, 0)
	if err != nil {
		return "", fmt.Errorf("does not parse as statements: %v", err)
	}
	declared, used := names(f)
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n")
	pkgs := map[string]bool{"context": true}
	for p := range used {
		if _, ok := imports[p]; ok && !declared[p] {
			pkgs[p] = true
		}
	}
	keys := make([]string, 0, len(pkgs))
	for p := range pkgs {
		keys = append(keys, p)
	}
	sort.Strings(keys)
	for _, p := range keys {
		fmt.Fprintf(&b, "\t%q\n", imports[p])
	}
	b.WriteString(")\n\nfunc main() { _ = snippet(context.Background()) }\n\n")
	b.WriteString("func snippet(ctx context.Context) error {\n\t_ = ctx\n")
	b.WriteString(body)
	vars := make([]string, 0, len(declared))
	for v := range declared {
		vars = append(vars, v)
	}
	sort.Strings(vars)
	for _, v := range vars {
		fmt.Fprintf(&b, "\t_ = %s\n", v)
	}
	b.WriteString("\treturn nil\n}\n")
	return b.String(), nil
}

func stripComments(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "//") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// names returns the variables the function's top-level statements declare and the
// identifiers used as the X of a selector (candidate package names).
func names(f *ast.File) (declared, used map[string]bool) {
	declared, used = map[string]bool{}, map[string]bool{}
	fn := f.Decls[0].(*ast.FuncDecl)
	for _, st := range fn.Body.List {
		switch s := st.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				for _, l := range s.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
						declared[id.Name] = true
					}
				}
			}
		case *ast.DeclStmt:
			if g, ok := s.Decl.(*ast.GenDecl); ok {
				for _, sp := range g.Specs {
					if vs, ok := sp.(*ast.ValueSpec); ok {
						for _, id := range vs.Names {
							declared[id.Name] = true
						}
					}
				}
			}
		}
	}
	ast.Inspect(fn, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	return declared, used
}

// TestReadmeSnippetsCompile builds every Go snippet of README.md as its own package inside
// this module, so that the snippets see the module's packages as a user's code does.
func TestReadmeSnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every snippet with the go command")
	}
	list := snippets(t, filepath.Join("..", "..", "README.md"))
	if len(list) == 0 {
		t.Fatal("README.md has no Go snippets")
	}
	// The directory must be inside the module; a name starting with "_" keeps it out of
	// ./... for everyone else.
	root, err := os.MkdirTemp(".", "_snippets")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	where := map[string]snippet{}
	for i, s := range list {
		src, err := program(s)
		if err != nil {
			t.Errorf("README.md:%d: %v", s.line, err)
			continue
		}
		dir := filepath.Join(root, fmt.Sprintf("s%02d", i))
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "snippet.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		where[filepath.Base(dir)] = s
	}
	args := []string{"vet"}
	for d := range where {
		args = append(args, "./"+filepath.Join(root, d))
	}
	cmd := exec.Command("go", args...)
	out, err := cmd.CombinedOutput()
	if err == nil {
		return
	}
	// Name the README line of each failing snippet.
	var failed []string
	for _, l := range strings.Split(string(out), "\n") {
		for d, s := range where {
			if strings.Contains(l, d+"/snippet.go:") {
				failed = append(failed, fmt.Sprintf("README.md:%d: %s", s.line, l))
			}
		}
	}
	slices.Sort(failed)
	t.Fatalf("README snippets do not compile:\n%s\n%s", strings.Join(failed, "\n"), out)
}
