// Package record keeps the issued letters: the exact bytes of every letter
// issued under a protocol number, and the meeting file as it was when the
// letter was issued, in the folder "emessi" beside the register.
//
// An issued letter is a legal record. Once the register holds its impronta
// (the PDF's SHA-256), no command writes other bytes under its name: every
// command that would write a numbered letter asks Gate first, which hands
// out the record's bytes when the meeting's data are those of the issue,
// and refuses with what changed and the two ways out when they are not.
// Rendering again is never how an issued letter is reproduced, so a new
// version of coopera (templates, typesetting, the PDF writer) leaves the
// issued letters and the register exactly as they are.
//
// Layout, for a letter issued as convocazione_2022-0153_2022-03-02_tavolo-3.pdf:
//
//	emessi/2022/convocazione_2022-0153_2022-03-02_tavolo-3.pdf       the PDF, byte for byte
//	emessi/2022/convocazione_2022-0153_2022-03-02_tavolo-3.sorgente  the meeting file when issued
//
// The snapshot has no .yaml extension so that no walk of the data folder
// takes it for a meeting.
package record

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/atomicfile"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/lazyre"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/register"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
)

// DirName is the records folder's name, beside the register.
const DirName = "emessi"

// SourceExt is the extension of a record's meeting-file snapshot.
const SourceExt = ".sorgente"

// Dir is the records folder of a profile.
func Dir(prof *model.Profile) string {
	return filepath.Join(filepath.Dir(prof.Protocol.Register), DirName)
}

// Letter is an issued letter's record.
type Letter struct {
	Entry  register.Entry // the "emesso" line
	Name   string         // file name, as issued
	PDF    []byte         // the issued bytes (nil when the record is missing)
	PDFAt  string         // where the record is, or would be
	Source []byte         // the meeting file when issued (nil when missing)
}

// Save writes a letter's record: the PDF and the meeting file's bytes. It
// is called before the register's "emesso" line is appended, so that an
// issued letter always has its record; a record without its line (a run
// killed between the two) is completed by the next run of the same
// command, which renders the same bytes.
func Save(prof *model.Profile, year int, name string, pdf, source []byte) (string, error) {
	if strings.ContainsAny(name, `/\`) || !strings.HasSuffix(name, ".pdf") {
		return "", fmt.Errorf("nome di lettera non valido per la cartella %s: %q", DirName, name)
	}
	dir := filepath.Join(Dir(prof), strconv.Itoa(year))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cartella delle lettere emesse %s: %w\nsuggerimento: controlla che la cartella dei dati sia scrivibile, poi ripeti lo stesso comando", dir, err)
	}
	pdfPath := filepath.Join(dir, name)
	if err := writeOnce(pdfPath, pdf); err != nil {
		return "", err
	}
	if err := atomicfile.Write(strings.TrimSuffix(pdfPath, ".pdf")+SourceExt, source); err != nil {
		return "", fmt.Errorf("scrittura di %s: %w\nsuggerimento: controlla che la cartella %s sia scrivibile e abbia spazio, poi ripeti lo stesso comando", strings.TrimSuffix(pdfPath, ".pdf")+SourceExt, err, dir)
	}
	return pdfPath, nil
}

// writeOnce writes a record unless the same bytes are there already; it
// never replaces a record of the register's with other bytes.
func writeOnce(path string, data []byte) error {
	old, err := safefile.Read(path, -1)
	switch {
	case err == nil && string(old) == string(data):
		return nil
	case err == nil:
		return fmt.Errorf("%s esiste già con un contenuto diverso: una lettera emessa non si sostituisce\nsuggerimento: se il file non è una lettera emessa (non è nel registro), spostalo altrove e ripeti il comando", path)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := atomicfile.Write(path, data); err != nil {
		return fmt.Errorf("scrittura di %s: %w\nsuggerimento: controlla che la cartella %s sia scrivibile e abbia spazio, poi ripeti lo stesso comando", path, err, filepath.Dir(path))
	}
	return nil
}

// find locates the record of an issued entry: the PDF in emessi/<year>/
// whose bytes carry the entry's impronta. Names are tried first by the
// protocol number they carry, so that a folder of many records is not read
// whole.
func find(prof *model.Profile, e register.Entry) (*Letter, error) {
	dir := filepath.Join(Dir(prof), strconv.Itoa(e.Year))
	l := &Letter{Entry: e, PDFAt: dir}
	ents, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return l, nil
		}
		return nil, fmt.Errorf("cartella delle lettere emesse %s: %w", dir, err)
	}
	var altered string
	for _, de := range ents {
		name := de.Name()
		if !de.Type().IsRegular() || !strings.HasSuffix(name, ".pdf") || NumberIn(name, e.Year) != e.Number {
			continue
		}
		path := filepath.Join(dir, name)
		pdf, err := safefile.Read(path, -1)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if register.Hash(pdf) != e.PDFSHA256 {
			// Another letter of the number (a personal one), or this one
			// altered: decided once every candidate is seen.
			if altered == "" || len(name) < len(filepath.Base(altered)) {
				altered = path
			}
			continue
		}
		l.Name, l.PDF, l.PDFAt = name, pdf, path
		if src, err := safefile.Read(strings.TrimSuffix(path, ".pdf")+SourceExt, -1); err == nil {
			l.Source = src
		}
		return l, nil
	}
	if altered != "" && !personalOnly(altered) {
		return nil, &Tampered{Path: altered, Entry: e}
	}
	return l, nil
}

// personalOnly tells a personal letter's record (…_NNN-cognome.pdf,
// …_tutti.pdf) by its name: it is not the letter itself.
func personalOnly(path string) bool {
	return personalName().MatchString(filepath.Base(path))
}

var personalName = lazyre.New(`_(\d{3}-[^_]*|tutti)\.pdf$`)

// NumberIn is the protocol number in a letter's file name
// (convocazione_<year>-<number>_…), or 0.
func NumberIn(name string, year int) int {
	rest, ok := strings.CutPrefix(name, fmt.Sprintf("convocazione_%04d-", year))
	if !ok {
		return 0
	}
	digits, _, _ := strings.Cut(rest, "_")
	n, err := strconv.Atoi(digits)
	if err != nil {
		return 0
	}
	return n
}

// Tampered is a record whose bytes are not the register's.
type Tampered struct {
	Path  string
	Entry register.Entry
}

func (t *Tampered) Error() string {
	return fmt.Sprintf("la copia della lettera emessa %s non ha l'impronta registrata (riga %d del registro, sha256 %s): è stata modificata", t.Path, t.Entry.Line, t.Entry.PDFSHA256[:12])
}
