package schemadiff

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gbggen/gbggen/internal/yamljson"
)

// Load compiles the schema named by source: a file path (JSON or YAML), or git:REV:PATH for
// the file PATH as it was at revision REV of the git repository in the working directory, so
// CI can compare against the last release. References to other local files resolve the same
// way (at the same revision for git sources). Remote references are refused: nothing is
// fetched from the network.
func Load(source string) (*jsonschema.Schema, error) {
	read, path, err := reader(source)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(jsonschema.SchemeURLLoader{"file": fileLoader{read: read}})
	s, err := c.Compile(fileURL(path))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, unwrapLoad(err))
	}
	return s, nil
}

// reader returns how to read files for source and the absolute path of its main document.
func reader(source string) (func(string) ([]byte, error), string, error) {
	rest, isGit := strings.CutPrefix(source, "git:")
	if !isGit {
		abs, err := filepath.Abs(source)
		if err != nil {
			return nil, "", err
		}
		return os.ReadFile, abs, nil
	}
	rev, rel, ok := strings.Cut(rest, ":")
	if !ok || rev == "" || rel == "" {
		return nil, "", fmt.Errorf("%s: want git:REV:PATH", source)
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return nil, "", fmt.Errorf("%s: not inside a git repository", source)
	}
	root := strings.TrimSpace(string(top))
	cwd, err := os.Getwd()
	if err != nil {
		return nil, "", err
	}
	abs := filepath.Join(cwd, rel)
	read := func(p string) ([]byte, error) {
		r, err := filepath.Rel(root, p)
		if err != nil || strings.HasPrefix(r, "..") {
			return nil, fmt.Errorf("%s is outside the repository", p)
		}
		var stderr bytes.Buffer
		cmd := exec.Command("git", "show", rev+":"+filepath.ToSlash(r))
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("git show %s:%s: %s", rev, filepath.ToSlash(r), strings.TrimSpace(stderr.String()))
		}
		return out, nil
	}
	return read, abs, nil
}

func fileURL(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

// fileLoader reads file: URLs through read and decodes JSON or YAML.
type fileLoader struct {
	read func(string) ([]byte, error)
}

func (l fileLoader) Load(rawURL string) (any, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	path := filepath.FromSlash(u.Path)
	data, err := l.read(path)
	if err != nil {
		return nil, err
	}
	return Decode(path, data)
}

// Decode parses a schema document, JSON or YAML (YAML is chosen by the .yaml/.yml extension),
// keeping numbers exact.
func Decode(name string, data []byte) (any, error) {
	if ext := strings.ToLower(filepath.Ext(name)); ext == ".yaml" || ext == ".yml" {
		js, err := yamljson.Convert(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		data = js
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return v, nil
}

// unwrapLoad turns the compiler's error for a remote reference into one that says why.
func unwrapLoad(err error) error {
	var load *jsonschema.LoadURLError
	if errors.As(err, &load) && !strings.HasPrefix(load.URL, "file:") {
		return fmt.Errorf("remote reference %s is not fetched (no network): use a local file", load.URL)
	}
	return err
}
