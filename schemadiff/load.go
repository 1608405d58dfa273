package schemadiff

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gbggen/gbggen/generator/schema"
)

// Load reads and resolves the schema named by source: a file path (JSON or YAML), or
// git:REV:PATH for the file PATH as it was at revision REV of the git repository in the
// working directory, so CI can compare against the last release. References to other local
// files resolve the same way (at the same revision for git sources). Remote references are
// refused: nothing is fetched from the network (LoadMapped maps them to local files).
//
// The draft of a document without $schema is detected as the generator detects it, so the
// comparison sees each schema as the generated code does.
func Load(source string) (*schema.Schema, error) {
	return LoadMapped(source, nil)
}

// LoadMapped is Load with remote references mapped to local files, as the generator's
// -ref-map flag maps them: refMap maps a URL (or a URL prefix ending in "/") to a file (or
// a directory). Relative paths are relative to the working directory. For a git source the
// mapped files are read at the same revision, like every other file of the schema, so an
// old and a new version each see the definitions of their own time.
func LoadMapped(source string, refMap map[string]string) (*schema.Schema, error) {
	src, err := open(source)
	if err != nil {
		return nil, err
	}
	// The main document is read here rather than by the loader so that a missing file is
	// reported as such, not as a schema error at an empty pointer.
	data, err := src.read(src.path)
	if err != nil {
		return nil, src.wrap(err)
	}
	mapped, err := absPaths(refMap)
	if err != nil {
		return nil, err
	}
	l := schema.NewLoader(schema.Options{ReadFile: src.read, RefMap: mapped})
	s, err := l.LoadBytes(src.path, data)
	if err != nil {
		return nil, src.wrap(err)
	}
	return s, nil
}

// absPaths returns refMap with every path made absolute: the git reader takes work-tree
// paths, and an error then names the file wherever gbggen ran.
func absPaths(refMap map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(refMap))
	for u, p := range refMap {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("ref map %s: %w", u, err)
		}
		out[u] = abs
	}
	return out, nil
}

// origin is where Load reads documents: the file system, or one revision of a git repository.
type origin struct {
	source string // as given to Load
	path   string // the main document
	read   func(string) ([]byte, error)
	git    bool
}

// wrap names a git source in err: the file names inside it are work-tree paths, which alone
// would suggest the file on disk rather than the one at the revision.
func (o origin) wrap(err error) error {
	if o.git {
		return fmt.Errorf("%s: %w", o.source, err)
	}
	return err
}

// open works out where the documents of source are read from.
func open(source string) (origin, error) {
	rest, isGit := strings.CutPrefix(source, "git:")
	if !isGit {
		return origin{source: source, path: source, read: os.ReadFile}, nil
	}
	rev, rel, ok := strings.Cut(rest, ":")
	if !ok || rev == "" || rel == "" {
		return origin{}, fmt.Errorf("%s: want git:REV:PATH", source)
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return origin{}, fmt.Errorf("%s: not inside a git repository", source)
	}
	cwd, err := os.Getwd()
	if err != nil {
		return origin{}, err
	}
	root := strings.TrimSpace(string(top))
	return origin{source: source, path: filepath.Join(cwd, rel), read: gitReader(root, rev), git: true}, nil
}

// gitReader reads absolute work-tree paths as they were at revision rev of the repository
// whose top level is root.
func gitReader(root, rev string) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		r, err := filepath.Rel(root, p)
		if err != nil || strings.HasPrefix(r, "..") {
			return nil, fmt.Errorf("%s is outside the repository", p)
		}
		spec := rev + ":" + filepath.ToSlash(r)
		var stderr bytes.Buffer
		cmd := exec.Command("git", "show", spec)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("git show %s: %s", spec, strings.TrimSpace(stderr.String()))
		}
		return out, nil
	}
}
