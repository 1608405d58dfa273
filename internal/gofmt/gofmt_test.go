package gofmt

import (
	"bytes"
	"go/format"
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// same fails the test unless Source gives exactly what go/format.Source gives for src,
// error included, and returns what Source laid out itself.
func same(t *testing.T, name string, src []byte) stats {
	t.Helper()
	want, werr := format.Source(src)
	got, st, gerr := source(src)
	switch {
	case (werr == nil) != (gerr == nil):
		t.Errorf("%s: error %v, go/format's %v", name, gerr, werr)
	case werr != nil && werr.Error() != gerr.Error():
		t.Errorf("%s: error %q, go/format's %q", name, gerr, werr)
	case !bytes.Equal(got, want):
		at := firstDiff(got, want)
		t.Errorf("%s: differs from go/format at byte %d:\n got %q\nwant %q", name, at, around(got, at), around(want, at))
	}
	return st
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func around(b []byte, at int) []byte {
	return b[max(at-80, 0):min(at+40, len(b))]
}

// goFiles returns the Go files of the toolchain's source tree: several thousand files
// of every construct, some of them (under testdata) not valid Go. With -short, a tenth
// of them.
func goFiles(t *testing.T) []string {
	var files []string
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	root := filepath.Join(strings.TrimSpace(string(goroot)), "src")
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) < 1000 {
		t.Fatalf("Go source tree at %s: %d files, %v", root, len(files), err)
	}
	if testing.Short() {
		var some []string
		for i := 0; i < len(files); i += 10 {
			some = append(some, files[i])
		}
		files = some
	}
	return files
}

// TestGoSourceTree holds Source to go/format on the Go source tree, as written (mostly
// gofmt'ed already) and with its layout undone the way jennifer writes code: a blank
// between all tokens, no indentation, the line breaks kept.
func TestGoSourceTree(t *testing.T) {
	var fast stats
	files := goFiles(t)
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		fast = fast.add(same(t, path, src))
		if spaced, ok := respace(src); ok {
			fast = fast.add(same(t, path+" (respaced)", spaced))
		}
	}
	// The comparison above means little if the fast paths never run.
	if fast.bodies < len(files) || fast.headers < len(files)/2 {
		t.Errorf("only %d function bodies and %d headers laid out without go/printer", fast.bodies, fast.headers)
	}
	t.Logf("%d function bodies and %d headers laid out without go/printer", fast.bodies, fast.headers)
}

func (s stats) add(o stats) stats { return stats{s.bodies + o.bodies, s.headers + o.headers} }

// respace writes src's tokens with one blank between each two and no indentation,
// keeping the lines they are on. It reports false when src does not scan.
func respace(src []byte) ([]byte, bool) {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	failed := false
	s.Init(file, src, func(token.Position, string) { failed = true }, scanner.ScanComments)
	var out []byte
	line := 1
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF || failed {
			break
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue // inserted by the scanner
		}
		text := lit
		if text == "" || tok.IsOperator() || tok.IsKeyword() {
			text = tok.String()
		}
		if l := file.Line(pos); l > line {
			out = append(out, bytes.Repeat([]byte("\n"), l-line)...)
			line = l
		} else if len(out) > 0 {
			out = append(out, ' ')
		}
		out = append(out, text...)
		line += strings.Count(text, "\n")
		if tok == token.COMMENT && strings.HasPrefix(text, "//") {
			out = append(out, '\n')
			line++
		}
	}
	return append(out, '\n'), !failed
}

// TestFastPath checks that the constructs gbggen generates are laid out without
// go/printer, and laid out right.
func TestFastPath(t *testing.T) {
	src := `package p

import "fmt"

// T has methods.
type T struct{ a []int; m map[string]any; missing [1]uint64 }

func (v *T) validateInto(p *Path, errs *Errors) {
	if v.missing[0] & uint64(0x1) != 0 && v.a == nil {
		errs.Add(p, "required", "missing property \"a\"")
	} else {
		c1 := p.Key("a")
		for i2 := range v.a {
			c3 := c1.Index(i2)
			if float64(v.a[i2]) < 0.0 || v.a[i2]%2 == 1 {
				errs.Add(&c3, "minimum", fmt.Sprintf("%d", -v.a[i2] + 1 * 2))
			}
		}
	}
	switch x := len(v.a); {
	case x > 1, x < -1:
		return
	default:
	}
}

func (v T) appendJSON(w *Encoder) {
	w.Byte('{')
	for _, k := range SortedKeys(v.m) {
		w.MemberKey(k)
		w.Any(v.m[k])
	}
	var n, m int = 1, 0X1F
	n += m << 2
	n++
	_ = v.a[n+1 : m*2]
	_ = []byte(nil)
	_ = map[string][2]int{"a": {1, 2}}
	switch t := any(n).(type) {
	case int:
		_ = t
	}
	if err := Decode[T, int](nil, &v); err != nil {
		defer fmt.Println(err)
	} else if n > 1 {
		go fmt.Println(n...)
	}
	w.Byte('}')
}
`
	want := stats{bodies: 2, headers: 2}
	if fast := same(t, "snippet", []byte(src)); fast != want {
		t.Errorf("laid out without go/printer: %+v, want %+v", fast, want)
	}
	if fast := same(t, "respaced snippet", mustRespace(t, src)); fast != want {
		t.Errorf("respaced: laid out without go/printer: %+v, want %+v", fast, want)
	}
}

// TestLeftToPrinter checks that what Source does not lay out itself is left to go/printer
// (and so still comes out right).
func TestLeftToPrinter(t *testing.T) {
	for name, body := range map[string]string{
		"comment":          "a()\n// b\nb()",
		"line comment":     "a() // a",
		"call over lines":  "f(a,\nb)",
		"function literal": "f(func() {})",
		"label":            "L:\nfor {\nbreak L\n}",
		"struct type":      "var x struct{ a int }",
		"grouped var":      "var (\na = 1\nbb = 2\n)",
		"select":           "select {}",
		"empty statement":  "a();;",
		"one-line body":    "}\nfunc g() { a() }\nfunc h() {",
		"multi-line case":  "switch {\ncase a,\nb:\n}",
		"else on new line": "if a {\n} else\n{\n}",
	} {
		src := "package p\n\nfunc f() {\n" + body + "\n}\n"
		if fast := same(t, name, []byte(src)); fast != (stats{}) {
			t.Errorf("%s: laid out without go/printer: %+v", name, fast)
		}
	}
	// Bodies Source lays out, under headers it does not.
	for name, header := range map[string]string{
		"type parameters":       "func f[T any](x T)",
		"parameters over lines": "func f(a int,\nb int)",
		"function parameter":    "func f(g func())",
		"struct result":         "func f() struct{}",
	} {
		src := "package p\n\n" + header + " {\na()\n}\n"
		if fast := same(t, name, []byte(src)); fast != (stats{bodies: 1}) {
			t.Errorf("%s: laid out without go/printer: %+v, want the body only", name, fast)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, src := range []string{
		"",
		"package",
		"package p\nfunc f() {",
		"x := 1", // a statement list: go/format formats it
		"func f() {}",
		"package p\nfunc f() { gbggenBody0 }\n",
	} {
		same(t, src, []byte(src))
	}
}

func mustRespace(t *testing.T, src string) []byte {
	t.Helper()
	b, ok := respace([]byte(src))
	if !ok {
		t.Fatal("snippet does not scan")
	}
	return b
}

func FuzzSource(f *testing.F) {
	for _, s := range []string{
		"package p\nfunc f() {\n\tx := a*b + c - d*e\n\ty := f(a*b+c, d)\n}\n",
		"package p\nfunc f() {\nif a {\n} else if b {\n}\nfor i := 0; i < n; i++ {\n}\n}\n",
		"package p\nfunc f() {\nswitch x {\n\n\ncase 1:\n\n\na()\n}\n}\n",
		"package p\nfunc f() {\n_ = a[i+1 : j*2]\n_ = - -x\n_ = a / *p\n_ = x &^ ^y\n}\n",
		"package p\nfunc f() {\nvar a, b int = 0X10, 1E3\n_ = 0B1 + 0O7 + 07i\n}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		same(t, "input", src)
	})
}
