package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/generator"
)

const demoTaskSchema = "../../sandbox/demo/onboarding/1/personal-details.schema.json"

// generated runs gbggen generate in flag mode and returns the flags that name its inputs.
func generated(t *testing.T, schema, out string) []string {
	t.Helper()
	flags := []string{"-schema", schema, "-package", "onboarding", "-type", "PersonalDetails", "-o", out}
	if code, _, stderr := runCmd(append([]string{"generate"}, flags...)...); code != exitOK {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	return flags
}

func TestCheckFlagMode(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "onboarding", "personal_details.go")
	flags := generated(t, demoTaskSchema, out)
	check := func(extra ...string) (int, string, string) {
		return runCmd(append(append([]string{"check"}, extra...), flags...)...)
	}

	code, stdout, stderr := check()
	if code != exitOK || !strings.Contains(stdout, "1 generated files are up to date") {
		t.Fatalf("fresh output: exit %d\n%s%s", code, stdout, stderr)
	}

	fresh, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(fresh), "func ", "// a hand edit\nfunc ", 1)
	if err := os.WriteFile(out, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = check()
	if code != exitFound {
		t.Fatalf("edited output: exit %d, want 1\n%s", code, stdout)
	}
	for _, want := range []string{"--- " + out + "\t(on disk)", "+++ " + out + "\t(generated)", "\n-// a hand edit\n", "1 stale, 0 missing, 0 orphaned"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if got, _ := os.ReadFile(out); string(got) != edited {
		t.Error("check wrote the output")
	}

	code, stdout, _ = check("-format", "json")
	var report checkReport
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("json: %v\n%s", err, stdout)
	}
	if code != exitFound || report.Fresh || report.Checked != 1 || len(report.Problems) != 1 ||
		report.Problems[0].Kind != "stale" || report.Problems[0].Path != out || !strings.Contains(report.Problems[0].Diff, "-// a hand edit") {
		t.Errorf("json report: exit %d %+v", code, report)
	}

	code, stdout, _ = check("-format", "github")
	if code != exitFound || !strings.Contains(stdout, "::error file="+out+",title=gbggen check%3A stale::") ||
		!strings.Contains(stdout, "::group::diff "+out+"\n--- ") || !strings.Contains(stdout, "::endgroup::\n") {
		t.Errorf("github: exit %d\n%s", code, stdout)
	}

	if err := os.Remove(out); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = check()
	if code != exitFound || !strings.Contains(stdout, out+" is missing") || !strings.Contains(stdout, "0 stale, 1 missing") {
		t.Errorf("missing output: exit %d\n%s", code, stdout)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("check wrote the missing output")
	}
}

func TestCheckUsage(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.json", `{"type":"object","properties":{"a":{"$ref":"#/nowhere"}}}`)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-schema", demoTaskSchema}, "-schema needs -package, -type and -o"},
		{[]string{"-format", "xml", "-schema", demoTaskSchema, "-package", "p", "-type", "T", "-o", filepath.Join(dir, "x.go")}, "unknown format"},
		{[]string{"-schema", bad, "-package", "p", "-type", "T", "-o", filepath.Join(dir, "x.go")}, "bad.json"},
		{[]string{"-schema", filepath.Join(dir, "none.json"), "-package", "p", "-type", "T", "-o", filepath.Join(dir, "x.go")}, "none.json"},
		{[]string{"extra"}, "unexpected argument"},
		{[]string{"-config", filepath.Join(dir, "absent.yaml")}, ""},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCmd(append([]string{"check"}, tt.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) || stderr == "" {
			t.Errorf("check %v: exit %d, stderr %q, want 2 and %q\n%s", tt.args, code, stderr, tt.want, stdout)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("check wrote files: %v", entries)
	}
}

func TestCheckOrphans(t *testing.T) {
	dir := t.TempDir()
	pkgDir := filepath.Join(dir, "onboarding")
	job := generator.Options{Package: "onboarding", Output: filepath.Join(pkgDir, "types.go"),
		Roots: []generator.Root{{Name: "PersonalDetails", Schema: demoTaskSchema}}}
	files, _, err := generator.Generate(job)
	if err != nil {
		t.Fatal(err)
	}
	if err := generator.WriteFiles(files); err != nil {
		t.Fatal(err)
	}
	// Orphans: an old output in the package, and the package of a task the journey dropped
	// (a subdirectory). Not orphans: a hand-written file, another tool's generated file, a
	// non-Go file, and gbggen files in testdata, hidden directories and other modules.
	writeFile(t, pkgDir, "old_journey.go", generatedHeader+"\n\npackage onboarding\n")
	writeFile(t, pkgDir, "helpers.go", "package onboarding\n\n// "+generatedHeader+" (quoted, not a header)\n")
	writeFile(t, pkgDir, "enum_string.go", "// Code generated by \"stringer\"; DO NOT EDIT.\n\npackage onboarding\n")
	writeFile(t, pkgDir, "notes.txt", generatedHeader+"\n")
	for _, sub := range []string{"address", "testdata", ".cache", "othermod"} {
		if err := os.Mkdir(filepath.Join(pkgDir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(pkgDir, sub), "x.go", generatedHeader+"\n\npackage x\n")
	}
	writeFile(t, filepath.Join(pkgDir, "othermod"), "go.mod", "module other\n")

	report, err := check([]generator.Options{job}, true)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range report.Problems {
		got = append(got, p.Kind+" "+filepath.ToSlash(p.Path))
	}
	want := []string{"orphan " + filepath.ToSlash(filepath.Join(pkgDir, "address", "x.go")), "orphan " + filepath.ToSlash(filepath.Join(pkgDir, "old_journey.go"))}
	if report.Fresh || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var out strings.Builder
	if err := report.write(&out, "text"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "old_journey.go is orphaned") || !strings.Contains(out.String(), "0 stale, 0 missing, 2 orphaned") {
		t.Errorf("text:\n%s", out.String())
	}
	// Flag mode names one output, not the whole package: no orphans.
	if report, err := check([]generator.Options{job}, false); err != nil || !report.Fresh {
		t.Errorf("without orphan search: %+v %v", report, err)
	}
}

func TestUnifiedDiffKnownOutput(t *testing.T) {
	a := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n"
	b := "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn"
	want := `--- old
+++ new
@@ -1,5 +1,5 @@
 a
-b
+B
 c
 d
 e
@@ -11,3 +11,4 @@
 k
 l
 m
+n
\ No newline at end of file
`
	if got := unifiedDiff("old", "new", []byte(a), []byte(b)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := unifiedDiff("old", "new", []byte(a), []byte(a)); got != "" {
		t.Errorf("equal texts: %q", got)
	}
	if got := unifiedDiff("old", "new", nil, []byte("x\n")); got != "--- old\n+++ new\n@@ -0,0 +1 @@\n+x\n" {
		t.Errorf("from empty: %q", got)
	}
}

// TestUnifiedDiffApplies: for random pairs of texts, applying the diff to the first gives the
// second, the diff is minimal where Myers' algorithm is used, and it agrees with diff -u
// where that program exists.
func TestUnifiedDiffApplies(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	diffProg, _ := exec.LookPath("diff")
	dir := t.TempDir()
	for i := 0; i < 400; i++ {
		a := randomText(rng)
		b := mutate(rng, a)
		d := unifiedDiff("a", "b", []byte(a), []byte(b))
		got, err := applyUnified(a, d)
		if err != nil || got != b {
			t.Fatalf("case %d: apply: %v\na=%q\nb=%q\ndiff:\n%s\ngot=%q", i, err, a, b, d, got)
		}
		if diffProg != "" && i < 60 {
			pa, pb := filepath.Join(dir, "a"), filepath.Join(dir, "b")
			os.WriteFile(pa, []byte(a), 0o644)
			os.WriteFile(pb, []byte(b), 0o644)
			ref, _ := exec.Command(diffProg, "-u", "--label", "a", "--label", "b", pa, pb).Output()
			if changed(string(ref)) != changed(d) {
				t.Errorf("case %d: %d lines changed, diff -u changes %d\n%s\nvs\n%s", i, changed(d), changed(string(ref)), d, ref)
			}
		}
	}
	// Texts too far apart for the line matching still give a diff that applies.
	var a, b strings.Builder
	for i := 0; i < 12000; i++ {
		fmt.Fprintf(&a, "a%d\n", i)
		fmt.Fprintf(&b, "b%d\n", i)
	}
	d := unifiedDiff("a", "b", []byte(a.String()), []byte(b.String()))
	if got, err := applyUnified(a.String(), d); err != nil || got != b.String() {
		t.Fatalf("large replacement: %v", err)
	}
}

func randomText(rng *rand.Rand) string {
	var b strings.Builder
	n := rng.IntN(30)
	for i := 0; i < n; i++ {
		b.WriteString(string(rune('a' + rng.IntN(5))))
		if i < n-1 || rng.IntN(4) > 0 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func mutate(rng *rand.Rand, s string) string {
	lines := splitLines(s)
	for k := rng.IntN(6); k > 0; k-- {
		switch i := rng.IntN(len(lines) + 1); rng.IntN(3) {
		case 0:
			lines = append(lines[:i], append([]string{string(rune('a'+rng.IntN(6))) + "\n"}, lines[i:]...)...)
		case 1:
			if i < len(lines) {
				lines = append(lines[:i], lines[i+1:]...)
			}
		default:
			if i < len(lines) {
				lines[i] = "x" + lines[i]
			}
		}
	}
	out := strings.Join(lines, "")
	if rng.IntN(5) == 0 {
		out = strings.TrimSuffix(out, "\n")
	}
	return out
}

// changed counts the - and + lines of a unified diff.
func changed(d string) int {
	n := 0
	for _, l := range strings.Split(d, "\n") {
		if (strings.HasPrefix(l, "-") && !strings.HasPrefix(l, "--- ")) || (strings.HasPrefix(l, "+") && !strings.HasPrefix(l, "+++ ")) {
			n++
		}
	}
	return n
}

// applyUnified applies a unified diff to a, checking every context and deleted line.
func applyUnified(a, d string) (string, error) {
	if d == "" {
		return a, nil
	}
	src := splitLines(a)
	lines := splitLines(d)
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		return "", fmt.Errorf("no header")
	}
	var out []string
	pos := 0
	for i := 2; i < len(lines); {
		h := strings.TrimSuffix(lines[i], "\n")
		var aStart int
		var rest string
		if _, err := fmt.Sscanf(h, "@@ -%s", &rest); err != nil {
			return "", fmt.Errorf("bad hunk header %q", h)
		}
		aStart, _ = strconv.Atoi(strings.SplitN(strings.SplitN(rest, ",", 2)[0], " ", 2)[0])
		if strings.Contains(strings.Fields(h)[1], ",0") {
			aStart++ // an empty range names the line before
		}
		for pos < aStart-1 {
			out = append(out, src[pos])
			pos++
		}
		i++
		for i < len(lines) && !strings.HasPrefix(lines[i], "@@") {
			l := lines[i]
			text := l[1:]
			if i+1 < len(lines) && lines[i+1] == "\\ No newline at end of file\n" {
				text = strings.TrimSuffix(text, "\n")
				i++
			}
			switch l[0] {
			case ' ', '-':
				if pos >= len(src) || src[pos] != text {
					return "", fmt.Errorf("line %d: %q does not match %q", pos+1, text, src[min(pos, len(src)-1)])
				}
				if l[0] == ' ' {
					out = append(out, text)
				}
				pos++
			case '+':
				out = append(out, text)
			default:
				return "", fmt.Errorf("bad line %q", l)
			}
			i++
		}
	}
	out = append(out, src[pos:]...)
	return strings.Join(out, ""), nil
}

// BenchmarkCheck20Journeys checks 20 fresh journeys generated from GBG's published context
// schema (about 7,000 lines of Go each), the orphan search included.
func BenchmarkCheck20Journeys(b *testing.B) {
	schema := filepath.Join(corpusDir(b), "gbg", "context.schema.json")
	if _, err := os.Stat(schema); err != nil {
		b.Skipf("GBG corpus not found: %v", err)
	}
	dir := b.TempDir()
	var jobs []generator.Options
	for i := 0; i < 20; i++ {
		pkg := fmt.Sprintf("journey%02d", i)
		jobs = append(jobs, generator.Options{Package: pkg, Output: filepath.Join(dir, pkg, pkg+".go"),
			Roots: []generator.Root{{Name: "Context", Schema: schema}}})
	}
	for _, job := range jobs {
		files, _, err := generator.Generate(job)
		if err != nil {
			b.Fatal(err)
		}
		if err := generator.WriteFiles(files); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		report, err := check(jobs, true)
		if err != nil {
			b.Fatal(err)
		}
		if !report.Fresh {
			b.Fatalf("not fresh: %+v", report.Problems)
		}
	}
}

// corpusDir is the shared test corpus: $GBGGEN_CORPUS, or ../shared/corpus beside the
// repository.
func corpusDir(tb testing.TB) string {
	if d := os.Getenv("GBGGEN_CORPUS"); d != "" {
		return d
	}
	abs, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus"))
	if err != nil {
		tb.Fatal(err)
	}
	return abs
}

// TestCheckManyJobs: jobs are generated concurrently; the report is the same as one job at a
// time would give, in path order.
func TestCheckManyJobs(t *testing.T) {
	dir := t.TempDir()
	demo := "../../sandbox/demo/onboarding/1"
	var jobs []generator.Options
	for _, name := range []string{"journey", "personal-details", "address", "document"} {
		pkg := strings.ReplaceAll(name, "-", "")
		job := generator.Options{Package: pkg, Output: filepath.Join(dir, pkg, pkg+".go"),
			Roots: []generator.Root{{Name: "Root", Schema: filepath.Join(demo, name+".schema.json")}}}
		files, _, err := generator.Generate(job)
		if err != nil {
			t.Fatal(err)
		}
		if err := generator.WriteFiles(files); err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, job)
	}
	for round := 0; round < 3; round++ {
		report, err := check(jobs, true)
		if err != nil || !report.Fresh || report.Checked != 4 {
			t.Fatalf("fresh: %+v %v", report, err)
		}
	}
	for _, i := range []int{3, 1} {
		if err := os.WriteFile(jobs[i].Output, []byte("package x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	report, err := check(jobs, true)
	if err != nil || len(report.Problems) != 2 || report.Problems[0].Path != jobs[3].Output || report.Problems[1].Path != jobs[1].Output {
		t.Fatalf("two stale: %+v %v", report, err)
	}
	jobs[2].Roots[0].Schema = filepath.Join(dir, "gone.json")
	jobs[0].Roots[0].Schema = filepath.Join(dir, "first.json")
	if _, err := check(jobs, true); err == nil || !strings.Contains(err.Error(), "first.json") {
		t.Errorf("error of the first failing job: %v", err)
	}
}

// splitLines splits s after every newline; the last line may lack one.
func splitLines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}
