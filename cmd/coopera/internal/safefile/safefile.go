// Package safefile is every stage's one way of reading an input file: only a
// regular file within a size limit is read, and anything else (a folder, a
// named pipe, a device, a socket) is refused at once with its real cause, so
// that no read ever waits on a pipe or drains a device.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Kind says why a file was refused.
type Kind int

const (
	NotExist   Kind = iota + 1 // nothing at the path
	Dir                        // a folder
	Pipe                       // a named pipe (FIFO)
	Device                     // a character or block device
	Socket                     // a Unix socket
	Irregular                  // any other non-regular file
	TooBig                     // larger than the caller's limit
	Denied                     // no permission to read
	Unreadable                 // any other failure to open or read
)

// Error is a refused or unreadable input file.
type Error struct {
	Path string
	Kind Kind
	Size int64 // for TooBig: the size seen (or -1 when read past the limit)
	Max  int64 // for TooBig: the limit
	Err  error // the underlying error, if any
}

func (e *Error) Error() string { return e.Path + ": " + e.Reason() }

func (e *Error) Unwrap() error { return e.Err }

// Reason is the message without the path, in Italian, for a caller that
// names the file itself (a Problem, a key in the profile).
func (e *Error) Reason() string {
	switch e.Kind {
	case NotExist:
		return "il file non esiste"
	case Dir:
		return "è una cartella, non un file"
	case Pipe:
		return "non è un file regolare: è una pipe con nome (FIFO)"
	case Device:
		return "non è un file regolare: è un dispositivo"
	case Socket:
		return "non è un file regolare: è un socket"
	case Irregular:
		return "non è un file regolare"
	case TooBig:
		if e.Size >= 0 {
			return fmt.Sprintf("il file è troppo grande (%d byte, al massimo %d)", e.Size, e.Max)
		}
		return fmt.Sprintf("il file è troppo grande (al massimo %d byte)", e.Max)
	case Denied:
		return "permesso negato in lettura"
	}
	if e.Err != nil {
		return fmt.Sprintf("impossibile leggere il file: %v", unwrapPath(e.Err))
	}
	return "impossibile leggere il file"
}

// Hint is the fix to suggest for the kind of refusal.
func (e *Error) Hint() string {
	switch e.Kind {
	case NotExist:
		return "controlla il nome e il percorso del file"
	case Dir:
		return "indica un file, non una cartella"
	case Pipe, Device, Socket, Irregular:
		return "indica un file ordinario salvato su disco"
	case TooBig:
		return "controlla di aver indicato il file giusto"
	case Denied:
		return "dai il permesso di lettura al file (chmod u+r) o usane una copia leggibile"
	}
	return "controlla che il file sia leggibile"
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// kindOf classifies a mode that is not a regular file's.
func kindOf(m fs.FileMode) Kind {
	switch {
	case m.IsDir():
		return Dir
	case m&fs.ModeNamedPipe != 0:
		return Pipe
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return Device
	case m&fs.ModeSocket != 0:
		return Socket
	}
	return Irregular
}

func openError(path string, err error) *Error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &Error{Path: path, Kind: NotExist, Err: err}
	case errors.Is(err, fs.ErrPermission):
		return &Error{Path: path, Kind: Denied, Err: err}
	}
	return &Error{Path: path, Kind: Unreadable, Err: err}
}

// Check says whether path (symbolic links followed) is a regular file of
// at most maxBytes (no limit when maxBytes < 0), without opening it.
func Check(path string, maxBytes int64) error {
	st, err := os.Stat(path)
	if err != nil {
		return openError(path, err)
	}
	return checkInfo(path, st, maxBytes)
}

func checkInfo(path string, st fs.FileInfo, maxBytes int64) error {
	if !st.Mode().IsRegular() {
		return &Error{Path: path, Kind: kindOf(st.Mode())}
	}
	if maxBytes >= 0 && st.Size() > maxBytes {
		return &Error{Path: path, Kind: TooBig, Size: st.Size(), Max: maxBytes}
	}
	return nil
}

// Open opens path for reading if it is a regular file of at most maxBytes
// (no limit when maxBytes < 0). The kind is checked before opening, so a
// device is never opened, and again on the open file, so a pipe swapped in
// meanwhile is opened without blocking and refused.
func Open(path string, maxBytes int64) (*os.File, error) {
	if err := Check(path, maxBytes); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, openError(path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, openError(path, err)
	}
	if err := checkInfo(path, st, maxBytes); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// Read returns the bytes of path, a regular file of at most maxBytes (no
// limit when maxBytes < 0). Every failure is an *Error.
func Read(path string, maxBytes int64) ([]byte, error) {
	f, err := Open(path, maxBytes)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := io.Reader(f)
	if maxBytes >= 0 {
		r = io.LimitReader(f, maxBytes+1)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &Error{Path: path, Kind: Unreadable, Err: err}
	}
	if maxBytes >= 0 && int64(len(data)) > maxBytes {
		// The file grew between the stat and the read.
		return nil, &Error{Path: path, Kind: TooBig, Size: -1, Max: maxBytes}
	}
	return data, nil
}

// Entry says whether a folder walk should read the entry at path: nil for
// a regular file (or a link to one), else the *Error naming what it is.
func Entry(path string, d fs.DirEntry) error {
	if d.Type().IsRegular() {
		return nil
	}
	if d.Type()&fs.ModeSymlink != 0 {
		return Check(path, -1)
	}
	return &Error{Path: path, Kind: kindOf(d.Type())}
}

// As returns err's *Error, if it has one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// DirFS is os.DirFS(dir) that refuses to open or read a name that is not
// a regular file or a folder, so a pipe among a user's templates is
// reported instead of waited on.
func DirFS(dir string) fs.FS {
	return dirFS{dir: dir, fsys: os.DirFS(dir)}
}

type dirFS struct {
	dir  string
	fsys fs.FS
}

func (d dirFS) check(name string) error {
	if !fs.ValidPath(name) {
		return nil // the inner file system refuses it
	}
	st, err := fs.Stat(d.fsys, name)
	if err != nil || st.IsDir() {
		return nil // the inner file system reports it
	}
	return checkInfo(filepath.Join(d.dir, filepath.FromSlash(name)), st, -1)
}

func (d dirFS) Open(name string) (fs.File, error) {
	if err := d.check(name); err != nil {
		return nil, err
	}
	return d.fsys.Open(name)
}

func (d dirFS) ReadFile(name string) ([]byte, error) {
	if err := d.check(name); err != nil {
		return nil, err
	}
	return fs.ReadFile(d.fsys, name)
}

func (d dirFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(d.fsys, name) }

func (d dirFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(d.fsys, name) }
