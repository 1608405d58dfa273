// Package templates holds the files gbggen writes from templates, embedded in the binary:
// the project scaffolding of `gbggen init` (directory init/).
//
// Templates use text/template with the delimiters [[ and ]], so that GitHub Actions
// expressions (${{ secrets.X }}) and YAML stay as they are written.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"text/template"
)

//go:embed init
var files embed.FS

// Init describes what `gbggen init` scaffolds. Every string is written as is: callers check
// that names, IDs and paths hold only characters that need no quoting in YAML, shell and Go.
type Init struct {
	// Journey is the journey's display name, e.g. "Onboarding".
	Journey string
	// ResourceID is the journey's resource ID with its version, <id>@<version>.
	ResourceID string
	// Package is the Go package of the generated code, e.g. "onboarding".
	Package string
	// GenDir is the directory of gen.go relative to the config: the generated package's
	// ("." when the config's directory is that package).
	GenDir string
	// Config is the -config path gen.go's go:generate passes, relative to GenDir ("" for
	// gbggen.yaml beside it).
	Config string
	// Schema is the path of the journey (context) schema, relative to the config file.
	Schema string
	// TasksDir is where `gbggen fetch` writes the task schemas, relative to the config file.
	TasksDir string
	// Output is the generated Go file, relative to the config file.
	Output string
	// Region is the GBG GO region the workflow fetches from (eu, us or au).
	Region string
	// WorkDir is the directory holding gbggen.yaml, relative to the repository root ("." for
	// the root), in which the workflow runs its commands.
	WorkDir string
	// GoMod is the path of go.mod relative to the repository root.
	GoMod string
}

// InitFile is one file of the scaffolding: where it goes (slash-separated, relative to the
// directory gbggen init is run for, or to the repository root for Root files) and the
// template it is made from.
type InitFile struct {
	Path     string
	Template string
	// Root is true for files that belong at the repository root (the workflow).
	Root bool
	// InPackage is true for files that belong in the generated package's directory (gen.go).
	InPackage bool
}

// InitFiles lists the files of the scaffolding in the order they are written.
var InitFiles = []InitFile{
	{Path: "gbggen.yaml", Template: "init/gbggen.yaml.tmpl"},
	{Path: "gen.go", Template: "init/gen.go.tmpl", InPackage: true},
	{Path: ".github/workflows/gbggen-drift.yml", Template: "init/gbggen-drift.yml.tmpl", Root: true},
}

// Render executes the template name (a path inside this package, e.g.
// "init/gen.go.tmpl") with data.
func Render(name string, data any) ([]byte, error) {
	src, err := fs.ReadFile(files, name)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	t, err := template.New(name).Delims("[[", "]]").Option("missingkey=error").Funcs(funcs).Parse(string(src))
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// Names lists the embedded templates.
func Names() []string {
	var out []string
	fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

var funcs = template.FuncMap{
	// join joins path elements with "/", dropping "." elements.
	"join": func(elems ...string) string {
		var keep []string
		for _, e := range elems {
			if e != "" && e != "." {
				keep = append(keep, strings.TrimSuffix(e, "/"))
			}
		}
		if len(keep) == 0 {
			return "."
		}
		return strings.Join(keep, "/")
	},
}
