//go:build unix

package archive

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockDir takes flock(2) on the archive folder itself, exclusive for a
// build and shared for a verification, without waiting: two runs on one
// archive would take each other's temporary files for leftovers. The lock
// goes away with the process, so a killed run never leaves it locked, and
// no lock file is added to the archive.
func lockDir(dir string, exclusive bool) (func(), error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("cartella dell'archivio %s: %w", dir, err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		f.Close()
		return nil, fmt.Errorf("l'archivio %s è in uso da un'altra esecuzione di coopera archivio\nsuggerimento: attendi che finisca e ripeti", dir)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("impossibile bloccare l'archivio %s: %w", dir, err)
	}
	return func() { f.Close() }, nil
}
