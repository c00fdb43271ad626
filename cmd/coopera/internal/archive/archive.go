// Package archive is the archiving stage: it renders every document of a
// data folder into an archive folder (one subfolder per year) and keeps a
// manifest of what it holds, writing only what changed and never replacing
// an issued letter. The manifest alone tells it what it made: files it did
// not make are never overwritten or removed.
package archive

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/atomicfile"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/build"
)

// Options say what to archive where.
type Options struct {
	Env     *build.Env // a final (not draft) environment
	Data    string     // the data folder
	Out     string     // the archive folder; created if missing
	Workers int        // rendering goroutines; 0 means one per core
	// Clean removes orphans: files the old manifest lists whose source no
	// longer produces them, if their bytes are still the listed ones.
	// Issued letters are records and are never removed.
	Clean bool
	// Progress, if set, is called from one goroutine after each rendered
	// source, with the count so far and the total.
	Progress func(done, total int)
	// OnFile, if set, is called for each file outcome as it happens, in
	// the order of the final report.
	OnFile func(FileResult)
}

// Action is what became of one archive file.
type Action string

const (
	Written   Action = "scritto"      // new or changed bytes written
	Unchanged Action = "invariato"    // the file already had these bytes
	Restored  Action = "ripristinato" // a damaged or missing issued letter rewritten with its registered bytes
	Kept      Action = "conservato"   // an issued letter that now renders differently, left as issued
	Conflict  Action = "conflitto"    // a file the archive did not make is in the way, left alone
	Orphan    Action = "orfano"       // made by the archive, its source gone or changed, left in place
	Removed   Action = "rimosso"      // an orphan removed by Clean
)

// FileResult is the outcome for one archive file.
type FileResult struct {
	Action Action `json:"azione"`
	File   string `json:"file"`
	Source string `json:"origine,omitempty"`
	Note   string `json:"nota,omitempty"`
}

// Warning reports whether the outcome needs a person's attention.
func (r FileResult) Warning() bool {
	return r.Action == Kept || r.Action == Conflict || r.Action == Orphan || r.Action == Restored
}

// Report is the outcome of Build.
type Report struct {
	Files    []FileResult `json:"file"`
	Excluded []Excluded   `json:"esclusi"`
	Warnings []string     `json:"avvisi"` // the data files' own warnings, as FILE:LINE:COL: …
	// Manifest is Written or Unchanged; "" when the run stopped before
	// writing anything.
	Manifest Action `json:"manifest,omitempty"`
}

// Conflicts counts the documents that could not be written.
func (r *Report) Conflicts() int {
	n := 0
	for _, f := range r.Files {
		if f.Action == Conflict {
			n++
		}
	}
	return n
}

// ErrConflict is returned (wrapped) by Build when a file the archive did
// not make stands where a document belongs: that document is not archived.
var ErrConflict = errors.New("conflitto nell'archivio")

// Build renders every document of opt.Data and brings opt.Out up to date.
//
// Nothing is written unless every source renders. When ctx is done during
// rendering nothing is written; during writing, the file in hand is
// finished, no other is started, and a manifest describing exactly what is
// on disk is written before Build returns ctx's error.
func Build(ctx context.Context, opt Options) (*Report, error) {
	if err := checkOut(opt.Out); err != nil {
		return nil, err
	}
	items, err := render(ctx, opt)
	if err != nil {
		return nil, err
	}
	old, _, err := ReadManifest(opt.Out)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opt.Out, 0o755); err != nil {
		return nil, fmt.Errorf("cartella dell'archivio %s: %w", opt.Out, err)
	}
	b := &builder{opt: opt, old: map[string]Entry{}, rep: &Report{Files: []FileResult{}, Excluded: []Excluded{}, Warnings: []string{}}}
	for _, e := range old.Documents {
		b.old[e.File] = e
	}
	for _, e := range old.Orphans {
		b.old[e.File] = e
	}
	// Leftovers of a process killed mid-write, for every file this run owns.
	removeStaleTemps(opt.Out, ManifestName)
	for _, it := range items {
		if it.out != nil {
			t := b.abs(it.entry.File)
			removeStaleTemps(filepath.Dir(t), filepath.Base(t))
		}
	}

	next := &Manifest{Format: FormatVersion}
	produced := map[string]bool{}
	var stopped error
	for _, it := range items {
		if it.out == nil {
			next.Excluded = append(next.Excluded, Excluded{Source: it.rel, Reason: it.excluded})
			b.rep.Excluded = append(b.rep.Excluded, Excluded{Source: it.rel, Reason: it.excluded})
			continue
		}
		for _, w := range it.out.Warnings {
			b.rep.Warnings = append(b.rep.Warnings, w.String())
		}
		produced[it.entry.File] = true
		if stopped == nil {
			stopped = ctx.Err()
		}
		if stopped != nil {
			// Not reached: the old entry, if any, still describes the disk.
			if e, ok := b.old[it.entry.File]; ok {
				next.Documents = append(next.Documents, e)
			}
			continue
		}
		e, ok, err := b.place(it)
		if err != nil {
			return nil, err // an I/O failure: the old manifest stays
		}
		if ok {
			next.Documents = append(next.Documents, e)
		}
	}
	for _, e := range old.Documents {
		if !produced[e.File] {
			b.orphan(e, next, stopped != nil)
		}
	}
	for _, e := range old.Orphans {
		if !produced[e.File] {
			b.orphan(e, next, stopped != nil)
		}
	}
	if err := b.writeManifest(next); err != nil {
		return nil, err
	}
	if stopped != nil {
		return b.rep, stopped
	}
	if n := b.rep.Conflicts(); n > 0 {
		return b.rep, fmt.Errorf("%w: %d documenti non archiviati perché al loro posto c'è un file che l'archivio non ha prodotto\nsuggerimento: sposta quei file fuori dall'archivio e ripeti", ErrConflict, n)
	}
	return b.rep, nil
}

// checkOut refuses an archive path that exists and is not a folder before
// any work is done.
func checkOut(dir string) error {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("%s non è una cartella: -o vuole la cartella dell'archivio", dir)
	}
	return nil
}

type builder struct {
	opt Options
	old map[string]Entry
	rep *Report
}

func (b *builder) report(r FileResult) {
	b.rep.Files = append(b.rep.Files, r)
	if b.opt.OnFile != nil {
		b.opt.OnFile(r)
	}
}

func (b *builder) abs(file string) string { return filepath.Join(b.opt.Out, filepath.FromSlash(file)) }

// place brings one document's file up to date and returns the manifest
// entry that describes it, if the archive vouches for it.
func (b *builder) place(it item) (Entry, bool, error) {
	e := it.entry
	target := b.abs(e.File)
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return Entry{}, false, fmt.Errorf("cartella dell'archivio %s: %w", filepath.Dir(target), err)
	}
	disk, err := os.ReadFile(target)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Entry{}, false, fmt.Errorf("lettura di %s: %w", target, err)
	}
	diskSum := hashOf(disk)
	res := FileResult{File: e.File, Source: e.Source}
	write := func(a Action, note string) (Entry, bool, error) {
		if err := atomicfile.Write(target, it.out.PDF); err != nil {
			return Entry{}, false, err
		}
		res.Action, res.Note = a, note
		b.report(res)
		return e, true, nil
	}
	prev, ours := b.old[e.File]
	if ours && prev.Issued() {
		// An issued letter: its registered bytes are the record.
		switch {
		case exists && diskSum == prev.SHA256 && e.SHA256 == prev.SHA256:
			res.Action = Unchanged
		case e.SHA256 == prev.SHA256:
			if exists {
				return write(Restored, "il file era alterato: riscritto con i byte registrati nel manifest")
			}
			return write(Restored, "il file mancava: riscritto con i byte registrati nel manifest")
		case exists && diskSum == prev.SHA256:
			res.Action, res.Note = Kept, "lettera protocollata: il nuovo rendering ha sha256 "+e.SHA256[:12]+"…, diverso da quello emesso; resta il file emesso"
		case exists:
			res.Action, res.Note = Kept, "lettera protocollata alterata nell'archivio e non ripristinabile: il nuovo rendering differisce dall'impronta registrata; recupera il file emesso da una copia"
		default:
			res.Action, res.Note = Kept, "lettera protocollata mancante e non ripristinabile: il nuovo rendering differisce dall'impronta registrata; recupera il file emesso da una copia"
		}
		b.report(res)
		return prev, true, nil
	}
	switch {
	case exists && diskSum == e.SHA256:
		res.Action = Unchanged
		b.report(res)
		return e, true, nil
	case !exists:
		return write(Written, "")
	case ours:
		return write(Written, "")
	default:
		res.Action, res.Note = Conflict, "c'è già un file con questo nome che l'archivio non ha prodotto: lasciato com'è"
		b.report(res)
		return Entry{}, false, nil
	}
}

// orphan handles a file of the old manifest that no source produces now.
func (b *builder) orphan(e Entry, next *Manifest, stopped bool) {
	target := b.abs(e.File)
	disk, err := os.ReadFile(target)
	if errors.Is(err, fs.ErrNotExist) {
		// Gone already: the manifest stops listing it, nothing to do.
		return
	}
	res := FileResult{Action: Orphan, File: e.File, Source: e.Source}
	switch {
	case err != nil:
		res.Note = "illeggibile: " + err.Error()
	case stopped:
		next.Orphans = append(next.Orphans, e)
		return
	case e.Issued():
		res.Note = "lettera protocollata la cui origine non la produce più: resta nell'archivio (un documento emesso non si rimuove)"
	case !b.opt.Clean:
		res.Note = "la sua origine non lo produce più: resta nell'archivio (--pulisci lo rimuove)"
	case hashOf(disk) != e.SHA256:
		res.Note = "la sua origine non lo produce più, ma il file è stato modificato: non viene rimosso"
	default:
		if err := os.Remove(target); err != nil {
			res.Note = "rimozione non riuscita: " + err.Error()
			break
		}
		_ = atomicfile.SyncDir(filepath.Dir(target))
		res.Action, res.Note = Removed, ""
		b.report(res)
		return
	}
	next.Orphans = append(next.Orphans, e)
	b.report(res)
}

func (b *builder) writeManifest(m *Manifest) error {
	data := m.Marshal()
	path := filepath.Join(b.opt.Out, ManifestName)
	if cur, err := os.ReadFile(path); err == nil && bytes.Equal(cur, data) {
		b.rep.Manifest = Unchanged
		return nil
	}
	if err := atomicfile.Write(path, data); err != nil {
		return err
	}
	b.rep.Manifest = Written
	return nil
}

func hashOf(b []byte) string {
	if b == nil {
		return ""
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// removeStaleTemps removes what atomicfile.Write leaves of name in dir when
// the process is killed between creating and renaming its temporary file:
// ".NAME.tmp-*", a name only that write uses for a file the archive makes.
func removeStaleTemps(dir, name string) {
	matches, _ := filepath.Glob(filepath.Join(dir, "."+globEscape(name)+".tmp-*"))
	for _, m := range matches {
		if st, err := os.Lstat(m); err == nil && st.Mode().IsRegular() {
			os.Remove(m)
		}
	}
}

func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`).Replace(s)
}
