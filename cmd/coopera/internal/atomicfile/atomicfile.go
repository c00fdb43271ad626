// Package atomicfile is the output stage's one way of writing a file: the
// target either keeps its old bytes or has all the new ones, even if the
// process is killed or the machine loses power half way, and no temporary
// file is left behind on an error.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// defaultPerm is used for a file that does not exist yet. os.CreateTemp makes
// 0600 files, which would silently hide new outputs from colleagues on a
// shared folder.
const defaultPerm fs.FileMode = 0o644

// Write replaces path with data: a temporary file in the same folder is
// written, synced and renamed over the target, then the folder is synced so
// the rename itself survives a crash. An existing target keeps its permission
// bits; a symbolic link keeps pointing where it did and its target is
// replaced instead.
func Write(path string, data []byte) (err error) {
	target := path
	perm := defaultPerm
	if resolved, rerr := filepath.EvalSymlinks(path); rerr == nil {
		target = resolved
	}
	isDir := false
	if fi, serr := os.Stat(target); serr == nil {
		// A directory target is left to fail at the rename, so that the
		// clean-up path is the one every failure takes.
		isDir = fi.IsDir()
		if !isDir {
			perm = fi.Mode().Perm()
		}
	} else if !errors.Is(serr, fs.ErrNotExist) {
		return fmt.Errorf("impossibile scrivere %s: %w", path, serr)
	}
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("impossibile scrivere %s: la cartella %s non esiste", path, dir)
		}
		return fmt.Errorf("impossibile scrivere %s: %w", path, err)
	}
	tmpName := tmp.Name()
	renamed := false
	defer func() {
		if err != nil && !renamed {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("impossibile scrivere %s: %w", path, err)
	}
	if err = tmp.Chmod(perm); err != nil {
		return fmt.Errorf("impossibile scrivere %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("impossibile scrivere %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("impossibile scrivere %s: %w", path, err)
	}
	if err = os.Rename(tmpName, target); err != nil {
		if isDir {
			return fmt.Errorf("impossibile scrivere %s: è una cartella", path)
		}
		return fmt.Errorf("impossibile scrivere %s: %w", path, err)
	}
	renamed = true
	// The file is in place: a failing directory sync must not remove it,
	// so it is reported without touching the result.
	if serr := SyncDir(dir); serr != nil {
		return fmt.Errorf("impossibile rendere definitiva la scrittura di %s: %w", path, serr)
	}
	return nil
}

// SyncDir makes a creation, rename or removal inside dir durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}
