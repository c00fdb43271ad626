//go:build unix

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

// lockTemp marks a new temporary file as live: the lock lasts while the
// writer holds the file open and goes away with the process, however it
// ends. A failure leaves the file unlocked, which at worst makes Clean
// wait for it to age.
func lockTemp(f *os.File) {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			return
		}
	}
}

// live says whether a writer holds the temporary file at path. The file is
// opened without following a link and without blocking, and never written.
func live(path string) bool {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	return errors.Is(err, syscall.EWOULDBLOCK)
}
