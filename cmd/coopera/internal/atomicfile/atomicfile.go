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
// bits; a symbolic link at path is never followed: like rename(2), the new
// file replaces the link itself, so nothing outside path's folder changes.
func Write(path string, data []byte) error {
	st, err := Stage(path, data)
	if err != nil {
		return err
	}
	if err := st.Commit(); err != nil {
		return err
	}
	// The file is in place: a failing directory sync must not remove it,
	// so it is reported without touching the result.
	if err := SyncDir(st.Dir()); err != nil {
		return fmt.Errorf("impossibile rendere definitiva la scrittura di %s: %w", path, err)
	}
	return nil
}

// Staged is a file written under a temporary name beside its target,
// waiting to be renamed over it. A batch stages every file first and
// commits them only when all are ready; what is never committed must be
// aborted.
type Staged struct {
	path   string // as the caller named it
	target string // path itself: a link there is replaced, not followed
	tmp    string
	isDir  bool
	done   bool
}

// Stage writes data under a temporary name (".NAME.tmp-*") in the folder
// of path's target and syncs it. Nothing named path changes until Commit.
func Stage(path string, data []byte) (*Staged, error) { return stage(path, data, true) }

// StageUnsynced is Stage without the sync, for a batch that makes all its
// files durable at once before committing any (SyncFS, or Sync on each).
func StageUnsynced(path string, data []byte) (*Staged, error) { return stage(path, data, false) }

func stage(path string, data []byte, sync bool) (_ *Staged, err error) {
	s := &Staged{path: path, target: path}
	perm := defaultPerm
	// Lstat, not Stat: a link's target is neither written nor consulted.
	if fi, serr := os.Lstat(s.target); serr == nil {
		// A directory target is left to fail at the rename, so that the
		// clean-up path is the one every failure takes.
		s.isDir = fi.IsDir()
		if fi.Mode().IsRegular() {
			perm = fi.Mode().Perm()
		}
	} else if !errors.Is(serr, fs.ErrNotExist) {
		return nil, fmt.Errorf("impossibile scrivere %s: %w", path, serr)
	}
	dir := filepath.Dir(s.target)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(s.target)+".tmp-*")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("impossibile scrivere %s: la cartella %s non esiste", path, dir)
		}
		return nil, fmt.Errorf("impossibile scrivere %s: %w", path, err)
	}
	s.tmp = tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(s.tmp)
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return nil, fmt.Errorf("impossibile scrivere %s: %w", path, err)
	}
	if err = tmp.Chmod(perm); err != nil {
		return nil, fmt.Errorf("impossibile scrivere %s: %w", path, err)
	}
	if sync {
		if err = tmp.Sync(); err != nil {
			return nil, fmt.Errorf("impossibile scrivere %s: %w", path, err)
		}
	}
	if err = tmp.Close(); err != nil {
		return nil, fmt.Errorf("impossibile scrivere %s: %w", path, err)
	}
	return s, nil
}

// Dir is the folder whose sync makes the commit durable.
func (s *Staged) Dir() string { return filepath.Dir(s.target) }

// Sync makes the staged bytes durable, for a file staged unsynced.
func (s *Staged) Sync() error {
	f, err := os.Open(s.tmp)
	if err == nil {
		err = f.Sync()
		f.Close()
	}
	if err != nil {
		return fmt.Errorf("impossibile scrivere %s: %w", s.path, err)
	}
	return nil
}

// Commit renames the staged file over its target. It does not sync the
// folder: a batch syncs each folder once, after its last commit (SyncDir).
// On failure the temporary file is removed.
func (s *Staged) Commit() error {
	if s.done {
		return fmt.Errorf("impossibile scrivere %s: già scritto o annullato", s.path)
	}
	s.done = true
	if err := os.Rename(s.tmp, s.target); err != nil {
		os.Remove(s.tmp)
		if s.isDir {
			return fmt.Errorf("impossibile scrivere %s: è una cartella", s.path)
		}
		return fmt.Errorf("impossibile scrivere %s: %w", s.path, err)
	}
	return nil
}

// Abort removes the staged file; after Commit it does nothing.
func (s *Staged) Abort() {
	if !s.done {
		s.done = true
		os.Remove(s.tmp)
	}
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
