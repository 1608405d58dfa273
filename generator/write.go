package generator

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// tempPattern names WriteFiles' temporary files (os.CreateTemp replaces the *).
const tempPattern = ".gbggen-*.tmp"

// StaleTempAge is how old a temporary file of WriteFiles must be before a later WriteFiles
// in the same directory removes it. A temporary file lives from its creation to its rename,
// milliseconds in a run that ends normally; one older than this was left by a run that was
// killed (kill -9, a crash, a power cut) and will never be renamed. The margin keeps the
// files of a run writing at the same moment, and tolerates clock skew on network file
// systems.
const StaleTempAge = time.Hour

// WriteFiles writes every file atomically: each is written to a temporary
// file in its directory and renamed into place, and nothing is renamed
// unless every temporary file was written. It then removes, in each directory
// it wrote to, temporary files older than StaleTempAge.
func WriteFiles(files []File) error {
	var temps []string
	cleanup := func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}
	dirs := map[string]bool{}
	for _, f := range files {
		dir := filepath.Dir(f.Path)
		dirs[dir] = true
		if err := os.MkdirAll(dir, 0o755); err != nil {
			cleanup()
			return err
		}
		tmp, err := os.CreateTemp(dir, tempPattern)
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
	for dir := range dirs {
		removeStaleTemps(dir, time.Now().Add(-StaleTempAge))
	}
	return nil
}

// removeStaleTemps removes the regular files in dir named like WriteFiles' temporary files
// and last modified before cutoff. It is best effort: the files written are in place, and a
// leftover that cannot be removed now is tried again by the next write.
func removeStaleTemps(dir string, cutoff time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if ok, _ := filepath.Match(tempPattern, e.Name()); !ok || !e.Type().IsRegular() {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.ModTime().Before(cutoff) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
