// Package corpus finds the shared test corpora (/work/shared/corpus in the
// development layout): $GBGGEN_CORPUS when set, otherwise ../shared/corpus
// next to the repository root.
package corpus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Dir returns the absolute corpus directory, or an error naming where it
// looked.
func Dir() (string, error) {
	dir := os.Getenv("GBGGEN_CORPUS")
	if dir == "" {
		root, err := repoRoot()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(root, "..", "shared", "corpus")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(abs); err != nil {
		return "", fmt.Errorf("corpus not found at %s (set GBGGEN_CORPUS): %w", abs, err)
	}
	return abs, nil
}

// Required reports whether a missing corpus is an error rather than a
// reason to skip: it is in CI, so the figures cannot silently disappear.
func Required() bool { return os.Getenv("CI") != "" }

// repoRoot walks up from the working directory to the directory holding
// go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory; set GBGGEN_CORPUS")
		}
		dir = parent
	}
}
