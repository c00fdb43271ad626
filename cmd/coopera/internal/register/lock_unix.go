//go:build unix

package register

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// lockFile takes flock(2) on the register's folder: exclusive for writers,
// shared for readers. Locking the folder rather than a lock file means that
// nothing is created beside the register, not even by a reader, and the
// lock survives the register being replaced by rename. The lock goes away
// with the process, so a killed writer never leaves the register locked.
func lockFile(path string, exclusive bool) (func(), error) {
	dir := filepath.Dir(path)
	f, err := os.Open(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("la cartella del registro di protocollo %s non esiste", dir)
		}
		return nil, fmt.Errorf("impossibile bloccare il registro di protocollo %s: %w", path, err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("impossibile bloccare il registro di protocollo %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

// noFollow makes an open fail on a symbolic link (ELOOP).
const noFollow = syscall.O_NOFOLLOW
