package generator

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteFiles writes every file atomically: each is written to a temporary
// file in its directory and renamed into place, and nothing is renamed
// unless every temporary file was written.
func WriteFiles(files []File) error {
	var temps []string
	cleanup := func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}
	for _, f := range files {
		dir := filepath.Dir(f.Path)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			cleanup()
			return err
		}
		tmp, err := os.CreateTemp(dir, ".gbggen-*.tmp")
		if err != nil {
			cleanup()
			return err
		}
		temps = append(temps, tmp.Name())
		_, werr := tmp.Write(f.Content)
		cerr := tmp.Close()
		if werr != nil || cerr != nil {
			cleanup()
			return fmt.Errorf("writing %s: %v", f.Path, firstErr(werr, cerr))
		}
		if err := os.Chmod(tmp.Name(), 0o644); err != nil {
			cleanup()
			return err
		}
	}
	for i, f := range files {
		if err := os.Rename(temps[i], f.Path); err != nil {
			cleanup()
			return err
		}
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
