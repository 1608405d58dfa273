package main

import (
	"bytes"
	"encoding/json"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/internal/emutest"
	"github.com/gbggen/gbggen/internal/fetch"
	"github.com/gbggen/gbggen/internal/yamljson"
)

// workflow is the part of a GitHub Actions workflow the tests look at.
type workflow struct {
	Name        string                     `json:"name"`
	On          map[string]json.RawMessage `json:"on"`
	Permissions map[string]string          `json:"permissions"`
	Jobs        map[string]workflowJob     `json:"jobs"`
}

type workflowJob struct {
	RunsOn   string `json:"runs-on"`
	Defaults struct {
		Run struct {
			WorkingDirectory string `json:"working-directory"`
		} `json:"run"`
	} `json:"defaults"`
	Env   map[string]string `json:"env"`
	Steps []struct {
		Name string            `json:"name"`
		ID   string            `json:"id"`
		Uses string            `json:"uses"`
		If   string            `json:"if"`
		Run  string            `json:"run"`
		With map[string]string `json:"with"`
		Env  map[string]string `json:"env"`
	} `json:"steps"`
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	js, err := yamljson.Convert(data)
	if err != nil {
		t.Fatalf("%s does not parse as YAML: %v", path, err)
	}
	if err := json.Unmarshal(js, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestInitInRepositorySubdirectory(t *testing.T) {
	repo := t.TempDir()
	for _, d := range []string{".git", "services/kyc"} {
		if err := os.MkdirAll(filepath.Join(repo, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, repo, "go.mod", "module example.com/app\n\ngo 1.26\n")
	dir := filepath.Join(repo, "services", "kyc")
	writeFile(t, dir, "server.go", "// Package kyc serves KYC.\npackage kyc\n")
	res := strings.Repeat("ab", 32) + "@3"
	code, stdout, stderr := runCmd("init", "-dir", dir, "-journey", "Customer Onboarding", "-resource", res, "-region", "us")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	wfPath := filepath.Join(repo, ".github", "workflows", "gbggen-drift.yml")
	genGo := filepath.Join(dir, "customeronboarding", "gen.go")
	for _, p := range []string{filepath.Join(dir, "gbggen.yaml"), genGo, wfPath} {
		if !strings.Contains(stdout, "wrote "+p+"\n") {
			t.Errorf("stdout does not list %s:\n%s", p, stdout)
		}
	}

	// gbggen.yaml
	var cfg struct {
		Journeys []struct {
			Name, ResourceID, Schema, Package, Output string
			Tasks                                     map[string]string
		} `json:"journeys"`
	}
	readYAML(t, filepath.Join(dir, "gbggen.yaml"), &cfg)
	if len(cfg.Journeys) != 1 {
		t.Fatalf("config %+v", cfg)
	}
	j := cfg.Journeys[0]
	if j.Name != "Customer Onboarding" || j.ResourceID != res || j.Package != "customeronboarding" ||
		j.Schema != "schemas/journey.schema.json" || j.Output != "customeronboarding/customeronboarding.go" || j.Tasks == nil {
		t.Errorf("journey %+v", j)
	}

	// gen.go: valid, gofmt'ed Go in the generated package, in its directory, with the
	// go:generate line naming the config.
	src, err := os.ReadFile(genGo)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "gen.go", src, parser.ParseComments)
	if err != nil {
		t.Fatalf("gen.go: %v\n%s", err, src)
	}
	if f.Name.Name != "customeronboarding" {
		t.Errorf("gen.go is package %s, want customeronboarding", f.Name.Name)
	}
	if formatted, err := format.Source(src); err != nil || !bytes.Equal(formatted, src) {
		t.Errorf("gen.go is not gofmt'ed:\n%s", src)
	}
	if !bytes.Contains(src, []byte("\n//go:generate go tool gbggen generate -config ../gbggen.yaml\n")) {
		t.Errorf("gen.go lacks the go:generate line:\n%s", src)
	}
	if f.Doc != nil {
		t.Errorf("gen.go adds a package comment: %q", f.Doc.Text())
	}

	// The workflow.
	var wf workflow
	readYAML(t, wfPath, &wf)
	job, ok := wf.Jobs["drift"]
	if !ok || len(wf.Jobs) != 1 {
		t.Fatalf("jobs %v", wf.Jobs)
	}
	if _, ok := wf.On["pull_request"]; !ok || wf.Permissions["contents"] != "read" {
		t.Errorf("triggers %v, permissions %v", wf.On, wf.Permissions)
	}
	if job.Defaults.Run.WorkingDirectory != "services/kyc" || job.Env["GBG_RESOURCE"] != res || job.Env["GBG_REGION"] != "us" ||
		job.Env["SCHEMAS"] != "schemas/tasks" {
		t.Errorf("job settings: %+v", job)
	}
	var names []string
	steps := map[string]int{}
	for i, s := range job.Steps {
		names = append(names, s.Name+s.Uses)
		steps[strings.Fields(s.Name + " " + s.Uses)[0]] = i
	}
	want := []string{"actions/checkout@v4", "actions/setup-go@v5",
		"Fetch task schemas (creates and deletes a journey instance on the tenant)",
		"Diff against the committed schemas (fails on breaking changes)",
		"Check the generated code is fresh", "Keep the fetched schemasactions/upload-artifact@v4"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Fatalf("steps:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	setup, fetch, diff, check, keep := job.Steps[1], job.Steps[2], job.Steps[3], job.Steps[4], job.Steps[5]
	if setup.With["go-version-file"] != "go.mod" {
		t.Errorf("setup-go: %v", setup.With)
	}
	for _, k := range []string{"GBG_CLIENT_ID", "GBG_CLIENT_SECRET", "GBG_USERNAME", "GBG_PASSWORD"} {
		if fetch.Env[k] != "${{ secrets."+k+" }}" {
			t.Errorf("fetch env %s = %q", k, fetch.Env[k])
		}
	}
	if !strings.Contains(fetch.Run, `gbggen fetch -resource "$GBG_RESOURCE" -region "$GBG_REGION" -out "$SCHEMAS"`) {
		t.Errorf("fetch step: %s", fetch.Run)
	}
	if !strings.Contains(diff.Run, `gbggen diff -fail-on breaking -direction sent -format github "git:HEAD:$path" "$path"`) ||
		!strings.Contains(diff.Run, "::notice") {
		t.Errorf("diff step: %s", diff.Run)
	}
	if !strings.Contains(check.Run, "gbggen check -format github") || !strings.Contains(check.If, "steps.fetch.outcome == 'success'") {
		t.Errorf("check step: %+v", check)
	}
	if keep.With["path"] != "services/kyc/schemas/tasks" {
		t.Errorf("artifact path %q", keep.With["path"])
	}
	raw, _ := os.ReadFile(wfPath)
	if !strings.Contains(string(raw), "CREATES A JOURNEY INSTANCE ON YOUR GBG GO TENANT") {
		t.Error("the workflow does not say that fetch creates an instance")
	}
	if !strings.Contains(string(raw), "module in go.mod") || !strings.Contains(string(raw), "#   go get -tool github.com/gbggen/gbggen/cmd/...\n") {
		t.Error("the workflow does not say how to declare the tools it runs (gbgfetch above all)")
	}
	// Every run script is valid shell.
	if bash, err := exec.LookPath("bash"); err == nil {
		for _, s := range job.Steps {
			if s.Run == "" {
				continue
			}
			if out, err := exec.Command(bash, "-n", "-c", s.Run).CombinedOutput(); err != nil {
				t.Errorf("step %q: %v\n%s", s.Name, err, out)
			}
		}
	}
}

// TestInitDiffStepScript runs the workflow's diff script with a stand-in go command, in a git
// repository with one committed schema, one changed and one new.
func TestInitDiffStepScript(t *testing.T) {
	for _, p := range []string{"bash", "git", "jq"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("%s not installed", p)
		}
	}
	repo := t.TempDir()
	if code, _, stderr := runCmd("init", "-dir", repo, "-resource", "abc@1"); code != exitOK {
		t.Fatal(stderr)
	}
	var wf workflow
	readYAML(t, filepath.Join(repo, ".github", "workflows", "gbggen-drift.yml"), &wf)
	script := wf.Jobs["drift"].Steps[3].Run
	tasks := filepath.Join(repo, "schemas", "onboarding", "tasks")
	if err := os.MkdirAll(tasks, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, tasks, "a.json", "{}\n")
	writeFile(t, tasks, "gone.json", "{}\n")
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "schemas")
	// What fetch leaves: a changed, a new schema, a removed one, and the lock.
	writeFile(t, tasks, "a.json", `{"required":["x"]}`+"\n")
	writeFile(t, tasks, "b.json", "{}\n")
	os.Remove(filepath.Join(tasks, "gone.json"))
	writeFile(t, tasks, fetch.LockFileName, `{"lockVersion":1,"resourceId":"abc@1","schemas":{"a":{"file":"a.json","sha256":""},"b":{"file":"b.json","sha256":""}}}`)
	bin := t.TempDir()
	writeFile(t, bin, "go", "#!/bin/sh\necho \"go $*\"\nexit ${FAKE_EXIT:-0}\n")
	os.Chmod(filepath.Join(bin, "go"), 0o755)

	for _, exit := range []string{"0", "1"} {
		cmd := exec.Command("bash", "-e", "-c", script)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
			"SCHEMAS=schemas/onboarding/tasks", "FAKE_EXIT="+exit)
		out, err := cmd.CombinedOutput()
		got := string(out)
		for _, want := range []string{
			`go tool gbggen diff -fail-on breaking -direction sent -format github git:HEAD:schemas/onboarding/tasks/a.json schemas/onboarding/tasks/a.json`,
			"::notice file=schemas/onboarding/tasks/b.json::new task schema",
			"::warning file=schemas/onboarding/tasks/gone.json::",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("diff exit %s: output lacks %q:\n%s", exit, want, got)
			}
		}
		if strings.Contains(got, "gbggen diff -fail-on breaking -direction sent -format github git:HEAD:schemas/onboarding/tasks/b.json") {
			t.Errorf("a new schema was diffed:\n%s", got)
		}
		if (err == nil) != (exit == "0") {
			t.Errorf("diff exit %s: script error %v", exit, err)
		}
	}
}

func TestInitNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	existing := writeFile(t, dir, "gbggen.yaml", "mine\n")
	code, stdout, stderr := runCmd("init", "-dir", dir)
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, existing+": already exists") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if names := emutest.DirNames(t, dir); len(names) != 1 {
		t.Errorf("files written next to an existing one: %v", names)
	}
	if err := os.Mkdir(filepath.Join(dir, "onboarding"), 0o755); err != nil {
		t.Fatal(err)
	}
	genGo := writeFile(t, filepath.Join(dir, "onboarding"), "gen.go", "package x\n")
	if _, _, stderr := runCmd("init", "-dir", dir); !strings.Contains(stderr, existing+", "+genGo+": already exist;") {
		t.Errorf("two existing files: %s", stderr)
	}
	if data, _ := os.ReadFile(existing); string(data) != "mine\n" {
		t.Error("gbggen.yaml overwritten")
	}
	if code, _, stderr := runCmd("init", "-dir", dir, "-force"); code != exitOK {
		t.Fatalf("-force: exit %d\n%s", code, stderr)
	}
	if data, _ := os.ReadFile(existing); string(data) == "mine\n" {
		t.Error("-force did not overwrite")
	}
	if data, _ := os.ReadFile(genGo); string(data) == "package x\n" {
		t.Error("-force did not overwrite gen.go")
	}
	if len(emutest.DirNames(t, dir)) != 3 { // gbggen.yaml, onboarding/gen.go, .github
		t.Errorf("files: %v", emutest.DirNames(t, dir))
	}
}

func TestInitPlaceholderAndPackages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my-service")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd("init", "-dir", dir, "-package", "kyc")
	if code != exitOK {
		t.Fatal(stderr)
	}
	if !strings.Contains(stdout, placeholderResource) || !strings.Contains(stdout, "  1. go get -tool github.com/gbggen/gbggen/cmd/...\n") {
		t.Errorf("next steps:\n%s", stdout)
	}
	src, _ := os.ReadFile(filepath.Join(dir, "kyc", "gen.go"))
	if !strings.HasPrefix(string(src), "package kyc\n") {
		t.Errorf("gen.go of package kyc:\n%s", src)
	}
	cfg, _ := os.ReadFile(filepath.Join(dir, "gbggen.yaml"))
	if !strings.Contains(string(cfg), "package: kyc\n") || !strings.Contains(string(cfg), "output: kyc/kyc.go\n") {
		t.Errorf("gbggen.yaml:\n%s", cfg)
	}

	// In a directory named like the package, the code joins gen.go's package.
	same := filepath.Join(t.TempDir(), "kyc")
	if err := os.Mkdir(same, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCmd("init", "-dir", same, "-package", "kyc"); code != exitOK {
		t.Fatal(stderr)
	}
	cfg, _ = os.ReadFile(filepath.Join(same, "gbggen.yaml"))
	if !strings.Contains(string(cfg), "output: kyc.go\n") {
		t.Errorf("gbggen.yaml in a directory of package kyc:\n%s", cfg)
	}
	if src, err := os.ReadFile(filepath.Join(same, "gen.go")); err != nil || !strings.Contains(string(src), "\n//go:generate go tool gbggen generate\n") {
		t.Errorf("gen.go in a directory of package kyc: %v\n%s", err, src)
	}
}

// A newcomer runs init at the root of a module whose main.go is package main: the scaffold
// must not put a second package beside it, and go vet must accept the module as it is.
func TestInitBesideMainBuilds(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "go.mod", "module example.com/app\n\ngo 1.26\n")
	writeFile(t, dir, "main.go", "package main\n\nfunc main() {}\n")
	if code, _, stderr := runCmd("init", "-dir", dir); code != exitOK {
		t.Fatal(stderr)
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet after init beside main.go: %v\n%s", err, out)
	}
	src, err := os.ReadFile(filepath.Join(dir, "onboarding", "gen.go"))
	if err != nil || !strings.HasPrefix(string(src), "package onboarding\n") {
		t.Fatalf("gen.go: %v\n%s", err, src)
	}
}

func TestInitUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-dir", dir, "-journey", "1st"}, "-journey"},
		{[]string{"-dir", dir, "-journey", "a: b"}, "-journey"},
		{[]string{"-dir", dir, "-resource", "abc"}, "want ID@VERSION"},
		{[]string{"-dir", dir, "-resource", "abc@1; rm -rf /"}, "want ID@VERSION"},
		{[]string{"-dir", dir, "-package", "Onboarding"}, "not a Go package name"},
		{[]string{"-dir", dir, "-package", "func"}, "not a Go package name"},
		{[]string{"-dir", dir, "-journey", "Func"}, "not a Go package name"},
		{[]string{"-dir", dir, "-region", "mars"}, "-region"},
		{[]string{"-dir", filepath.Join(dir, "absent")}, "not a directory"},
		{[]string{"-dir", dir, "extra"}, "unexpected argument"},
	} {
		code, _, stderr := runCmd(append([]string{"init"}, tt.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("init %v: exit %d, stderr %q, want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	if names := emutest.DirNames(t, dir); len(names) != 0 {
		t.Errorf("files written: %v", names)
	}
}
