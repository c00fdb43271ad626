package register

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/atomicfile"
)

// writeLine is swapped by tests to tear writes on purpose.
var writeLine = func(f *os.File, b []byte) error {
	_, err := f.Write(b)
	return err
}

// Assign appends the entry fn returns, under an exclusive lock on the
// register and with the register freshly read inside the lock, so that fn
// sees every entry other processes appended before. fn may do slow work
// (write the meeting file, render the PDF): other writers wait. If fn fails
// nothing is appended. The entry is checked against the register (no
// duplicate, no reuse of an annulled number, dates in order, ...) and
// written durably before Assign returns it with its Line set.
//
// fn must use the register it is given and must not call Read, Assign,
// Annul or Repair on the same file: the lock is not reentrant and that call
// would wait forever.
func Assign(path string, fn func(r *Register) (Entry, error)) (Entry, error) {
	unlock, err := lockFile(path, true)
	if err != nil {
		return Entry{}, err
	}
	defer unlock()
	r, err := read(path)
	if err != nil {
		var dmg *DamageError
		if errors.As(err, &dmg) {
			return Entry{}, fmt.Errorf("il registro di protocollo è danneggiato, nessun numero assegnato finché non è sistemato:\n%w", err)
		}
		return Entry{}, err
	}
	e, err := fn(r)
	if err != nil {
		return Entry{}, err
	}
	if err := r.prepare(&e); err != nil {
		return Entry{}, fmt.Errorf("%s: %w", path, err)
	}
	line := e.encode(r.lastChain)
	if r.size == 0 {
		// Header and first entry appear together or not at all.
		if err := atomicfile.Write(path, []byte(header+line)); err != nil {
			return Entry{}, err
		}
		e.Line = strings.Count(header, "\n") + 1
		return e, nil
	}
	if err := appendLine(path, int64(r.size), line); err != nil {
		return Entry{}, err
	}
	e.Line = r.lines + 1
	return e, nil
}

func appendLine(path string, size int64, line string) (err error) {
	// O_NOFOLLOW: a link in the register's place is never written through.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|noFollow, 0)
	if errors.Is(err, syscall.ELOOP) {
		return fmt.Errorf("il registro di protocollo %s è un collegamento simbolico: coopera non scrive attraverso i collegamenti\nsuggerimento: sostituisci il collegamento con il file a cui punta", path)
	}
	if err != nil {
		return fmt.Errorf("impossibile scrivere nel registro di protocollo %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			// Leave no partial line behind if the kernel lets us.
			if f.Truncate(size) == nil {
				f.Sync()
			}
		}
		f.Close()
	}()
	if fi, serr := f.Stat(); serr != nil || fi.Size() != size {
		return fmt.Errorf("il registro di protocollo %s è cambiato durante la scrittura: riprova", path)
	}
	if err = writeLine(f, []byte(line)); err != nil {
		return fmt.Errorf("impossibile scrivere nel registro di protocollo %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("impossibile rendere definitiva la scrittura nel registro di protocollo %s: %w", path, err)
	}
	return nil
}

// Annul appends the annulment of a number, with its reason and date; the
// numbers' other fields are copied from its first entry so the line reads
// on its own.
func Annul(path string, year, number int, reason string, date time.Time) (Entry, error) {
	return Assign(path, func(r *Register) (Entry, error) {
		h := r.History(year, number)
		if len(h) == 0 {
			return Entry{}, fmt.Errorf("il numero %s non è nel registro di protocollo", label(year, number))
		}
		first := h[0]
		return Entry{
			Year: year, Number: number, Date: date, Kind: Annulled,
			Formatted: first.Formatted, Subject: first.Subject, Recipients: first.Recipients,
			Source: first.Source, Reason: strings.TrimSpace(reason),
		}, nil
	})
}

// Repair removes a torn final line, the only damage a crash can cause, and
// returns it. A register with any other damage is left untouched and the
// damage is returned as the error; an intact register is left alone.
func Repair(path string) (removed string, err error) {
	unlock, err := lockFile(path, true)
	if err != nil {
		return "", err
	}
	defer unlock()
	data, err := readFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", nil
		}
		return "", err
	}
	r, err := parse(path, data)
	if err == nil {
		return "", nil
	}
	var dmg *DamageError
	if !errors.As(err, &dmg) || !dmg.OnlyTorn() {
		return "", fmt.Errorf("il registro non si ripara da solo: va corretto a mano (o ripreso dalla cronologia di git):\n%w", err)
	}
	if err := atomicfile.Write(path, data[:r.size]); err != nil {
		return "", err
	}
	return string(data[r.size:]), nil
}

// Create writes a new register holding entries, in order, under the same
// rules as Assign (each entry is checked against the ones before it). It
// refuses a path that exists: it makes registers, it never rewrites one.
// It serves imports and generated data sets (the archive benchmark), where
// appending one line at a time would read the register back each time.
func Create(path string, entries []Entry) error {
	unlock, err := lockFile(path, true)
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s esiste già: un registro non si riscrive", path)
	}
	r := &Register{path: path, lastChain: genesis, idx: newIndex()}
	var b strings.Builder
	b.WriteString(header)
	for i := range entries {
		e := entries[i]
		if err := r.prepare(&e); err != nil {
			return fmt.Errorf("registrazione %d: %w", i+1, err)
		}
		b.WriteString(e.encode(r.lastChain))
		r.lastChain = e.chain
		r.entries = append(r.entries, e)
		r.idx.add(r.entries, len(r.entries)-1)
	}
	return atomicfile.Write(path, []byte(b.String()))
}
