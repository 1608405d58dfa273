package main

import (
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/gbggen/gbggen/generator"
	"github.com/gbggen/gbggen/templates"
)

func init() {
	verbs["init"] = verb{summary: "scaffold gbggen.yaml, gen.go and a GitHub Actions drift workflow", run: runInit}
}

const initUsage = `usage: gbggen init [-dir DIR] [-journey NAME] [-resource ID@VERSION] [-package NAME] [-region eu|us|au] [-force]

Scaffolds, in DIR (default: the current directory):
  gbggen.yaml   the journey: its schema, task schemas, Go package and output file
  PKG/gen.go    //go:generate go tool gbggen generate -config ../gbggen.yaml, in the
                package the code is generated into (in DIR when DIR is that package)
and, at the root of the git repository holding DIR (or in DIR outside one):
  .github/workflows/gbggen-drift.yml   fetch → diff → check in CI, failing on breaking drift

Existing files are never overwritten (exit 2, naming them) unless -force is given.
`

// The patterns init checks its flags with are compiled when init runs, not at every start
// of gbggen (go generate starts it once per directive).
var (
	journeyNameRE = lazyRegexp(`^[A-Za-z][A-Za-z0-9 _-]{0,63}$`)
	resourceRE    = lazyRegexp(`^[A-Za-z0-9_-]+@[A-Za-z0-9._-]+$`)
	packageRE     = lazyRegexp(`^[a-z][a-z0-9_]*$`)
)

func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// placeholderResource stands for a resource ID not given to init.
const placeholderResource = "REPLACE-WITH-RESOURCE-ID@latest"

func runInit(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("init", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, initUsage) }
	dir := flags.String("dir", ".", "directory to scaffold (where gbggen.yaml goes)")
	journey := flags.String("journey", "Onboarding", "journey name")
	resource := flags.String("resource", "", "journey resource ID with its version, ID@VERSION (from the GBG GO dashboard)")
	pkg := flags.String("package", "", "Go package of the generated code (default: the journey name in lower case)")
	region := flags.String("region", "eu", "GBG GO region the workflow fetches from: eu, us or au")
	force := flags.Bool("force", false, "overwrite existing files")
	if err := flags.Parse(args); err != nil {
		return exitUsage
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "gbggen init: unexpected argument %q\n", flags.Arg(0))
		return exitUsage
	}
	data, root, err := initData(*dir, *journey, *resource, *pkg, *region)
	if err != nil {
		fmt.Fprintf(stderr, "gbggen init: %v\n", err)
		return exitUsage
	}
	files, err := initFiles(*dir, root, data)
	if err != nil {
		fmt.Fprintf(stderr, "gbggen init: %v\n", err)
		return exitUsage
	}
	if !*force {
		var exist []string
		for _, f := range files {
			if _, err := os.Lstat(f.Path); err == nil {
				exist = append(exist, f.Path)
			} else if !errors.Is(err, fs.ErrNotExist) {
				fmt.Fprintf(stderr, "gbggen init: %v\n", err)
				return exitUsage
			}
		}
		if len(exist) > 0 {
			verb := "exists"
			if len(exist) > 1 {
				verb = "exist"
			}
			fmt.Fprintf(stderr, "gbggen init: %s: already %s; nothing written (-force overwrites)\n",
				strings.Join(exist, ", "), verb)
			return exitUsage
		}
	}
	if err := generator.WriteFiles(files); err != nil {
		fmt.Fprintf(stderr, "gbggen init: %v\n", err)
		return exitUsage
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "wrote %s\n", f.Path)
	}
	fmt.Fprint(stdout, nextSteps(data))
	return exitOK
}

// initData checks the flags and works out the paths the templates need, and the root of the
// repository holding dir (dir itself outside a git repository).
func initData(dir, journey, resource, pkg, region string) (_ templates.Init, root string, err error) {
	var d templates.Init
	if !journeyNameRE().MatchString(journey) {
		return d, "", fmt.Errorf("-journey %q: use letters, digits, spaces, '-' and '_', starting with a letter", journey)
	}
	if resource == "" {
		resource = placeholderResource
	} else if !resourceRE().MatchString(resource) {
		return d, "", fmt.Errorf("-resource %q: want ID@VERSION, e.g. d557…ce96@latest", resource)
	}
	if pkg == "" {
		pkg = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, strings.ToLower(journey))
	}
	if !packageRE().MatchString(pkg) || token.IsKeyword(pkg) {
		return d, "", fmt.Errorf("-package %q is not a Go package name (lower case letters, digits, '_')", pkg)
	}
	switch region {
	case "eu", "us", "au":
	default:
		return d, "", fmt.Errorf("-region %q: want eu, us or au", region)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return d, "", err
	}
	if info, err := os.Stat(abs); err != nil || !info.IsDir() {
		return d, "", fmt.Errorf("-dir %s is not a directory", dir)
	}
	genPkg, err := dirPackage(abs)
	if err != nil {
		return d, "", err
	}
	root = findUp(abs, ".git")
	if root == "" {
		root = abs
	}
	workDir, err := filepath.Rel(root, abs)
	if err != nil {
		return d, "", err
	}
	goMod := "go.mod"
	if modDir := findUp(abs, "go.mod"); modDir != "" {
		if rel, err := filepath.Rel(root, filepath.Join(modDir, "go.mod")); err == nil && !strings.HasPrefix(rel, "..") {
			goMod = filepath.ToSlash(rel)
		}
	}
	// gen.go goes into the generated package's own directory and is part of that package, so
	// it never meets a main.go or another package of DIR; only when DIR already is that
	// package does everything stay in DIR.
	output, genDir, config := pkg+"/"+pkg+".go", pkg, "../gbggen.yaml"
	if genPkg == pkg {
		output, genDir, config = pkg+".go", ".", ""
	}
	return templates.Init{
		Journey:    journey,
		ResourceID: resource,
		Package:    pkg,
		GenDir:     genDir,
		Config:     config,
		Schema:     "schemas/journey.schema.json",
		TasksDir:   "schemas/tasks",
		Output:     output,
		Region:     region,
		WorkDir:    filepath.ToSlash(workDir),
		GoMod:      goMod,
	}, root, nil
}

// initFiles renders the scaffolding. The workflow goes to the repository root.
func initFiles(dir, root string, d templates.Init) ([]generator.File, error) {
	var out []generator.File
	for _, f := range templates.InitFiles {
		content, err := templates.Render(f.Template, d)
		if err != nil {
			return nil, err
		}
		base := dir
		switch {
		case f.Root:
			base = relPath(root)
		case f.InPackage:
			base = filepath.Join(dir, filepath.FromSlash(d.GenDir))
		}
		out = append(out, generator.File{Path: filepath.Join(base, filepath.FromSlash(f.Path)), Content: content})
	}
	return out, nil
}

// dirPackage is the package name of the Go files in dir, or, when it has none, its base name
// made into a package name ("main" when that fails).
func dirPackage(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); e.Type().IsRegular() && strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") && n != "gen.go" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, n), nil, parser.PackageClauseOnly)
		if err == nil && f.Name.Name != "documentation" {
			return f.Name.Name, nil
		}
	}
	base := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return -1
	}, strings.ToLower(filepath.Base(dir)))
	if !packageRE().MatchString(base) || token.IsKeyword(base) {
		return "main", nil
	}
	return base, nil
}

// findUp returns the first of dir and its parents that holds name, or "".
func findUp(dir, name string) string {
	for {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func nextSteps(d templates.Init) string {
	var b strings.Builder
	b.WriteString("\nNext steps:\n")
	fmt.Fprintf(&b, "  1. go get -tool github.com/gbggen/gbggen/cmd/...%s\n", modulePin())
	b.WriteString("     (adds gbggen's commands as tools: gbggen; gbgfetch, which fetch and the drift workflow run; gbgserve, the emulator)\n")
	step := 2
	if d.ResourceID == placeholderResource {
		fmt.Fprintf(&b, "  %d. put the journey's resource ID (GBG GO dashboard) in gbggen.yaml and the workflow, in place of %s\n", step, placeholderResource)
		step++
	}
	fmt.Fprintf(&b, "  %d. save the journey's schema (dashboard: Journey → Schema) as %s\n", step, d.Schema)
	fmt.Fprintf(&b, "  %d. GBG_CLIENT_ID=… GBG_CLIENT_SECRET=… GBG_USERNAME=… GBG_PASSWORD=… go tool gbggen fetch -resource %s -region %s -out %s\n", step+1, d.ResourceID, d.Region, d.TasksDir)
	b.WriteString("     (fetch creates an instance of the journey on your tenant and deletes it afterwards)\n")
	fmt.Fprintf(&b, "  %d. list the fetched task schemas under tasks: in gbggen.yaml, then go generate ./...\n", step+2)
	fmt.Fprintf(&b, "  %d. add the secrets GBG_CLIENT_ID, GBG_CLIENT_SECRET (and GBG_USERNAME, GBG_PASSWORD) to the GitHub repository, and commit\n", step+3)
	return b.String()
}
