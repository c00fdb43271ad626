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
	f      *os.File // the open, locked temporary file while it is live
	isDir  bool
	done   bool
}

// Stage writes data under a temporary name (".NAME.tmp-*") in the folder
// of path and syncs it. Nothing named path changes until Commit. The
// temporary file stays open and locked until Commit or Abort, which tells
// Clean that its writer is alive.
func Stage(path string, data []byte) (*Staged, error) { return stage(path, data, true, true) }

// StageUnsynced is Stage without the sync, for a batch that makes all its
// files durable at once before committing any (SyncFS, or Sync on each).
// The file is closed at once, so a batch of any size holds no descriptors:
// such a batch must keep Clean away from its folder itself (the archive
// locks its folder).
func StageUnsynced(path string, data []byte) (*Staged, error) {
	return stage(path, data, false, false)
}

func stage(path string, data []byte, sync, hold bool) (_ *Staged, err error) {
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
	// Locked before the first byte: a temporary file with bytes and no lock
	// is a dead writer's.
	lockTemp(tmp)
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
	if hold {
		s.f = tmp
		return s, nil
	}
	if err = tmp.Close(); err != nil {
		return nil, fmt.Errorf("impossibile scrivere %s: %w", path, err)
	}
	return s, nil
}

// release closes the temporary file if it is still held.
func (s *Staged) release() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
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
	defer s.release()
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
		s.release()
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
