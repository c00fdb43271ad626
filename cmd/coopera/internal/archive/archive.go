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
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/atomicfile"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
)

// Options say what to archive where.
type Options struct {
	Env     *pipeline.Env // a final (not draft) environment
	Data    string        // the data folder
	Out     string        // the archive folder; created if missing
	Workers int           // rendering goroutines; 0 means one per core
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
// Each worker renders a document, decides what becomes of its file and, if
// the file must change, writes the new bytes under a temporary name beside
// it; only when every source has rendered are the files renamed into place,
// in order, and the manifest written. So memory does not grow with the
// archive, and nothing is written unless every source renders: on an error
// or when ctx is done during rendering, the temporary files (and folders
// made for them) are removed. When ctx is done or a rename fails during
// the renames, the file in hand is finished, no other is started, and a
// manifest describing exactly what is on disk is written before Build
// returns the error.
func Build(ctx context.Context, opt Options) (*Report, error) {
	if err := checkOut(opt.Out); err != nil {
		return nil, err
	}
	b := &builder{opt: opt, old: map[string]Entry{}, pending: map[string]Entry{}, rep: &Report{Files: []FileResult{}, Excluded: []Excluded{}, Warnings: []string{}}}
	if err := b.mkdir(opt.Out); err != nil {
		return nil, err
	}
	unlock, err := lockDir(opt.Out, true)
	if err != nil {
		b.abort(nil)
		return nil, err
	}
	defer unlock()
	old, _, err := ReadManifest(opt.Out)
	if err != nil {
		return nil, err
	}
	for _, e := range slices.Concat(old.Documents, old.Orphans) {
		b.old[e.File] = e
	}
	for _, e := range old.Pending {
		b.pending[e.File] = e
	}
	removeStaleTemps(opt.Out)
	b.rep.Warnings = append(b.rep.Warnings, Skipped(opt.Data, opt.Out)...)
	items, err := render(ctx, opt, b.stage)
	if err != nil {
		b.abort(items)
		return nil, err
	}
	if err := b.syncStaged(items); err != nil {
		b.abort(items)
		return nil, err
	}
	if err := b.claim(old, items); err != nil {
		b.abort(items)
		return nil, err
	}

	next := &Manifest{Format: FormatVersion}
	produced := map[string]bool{}
	renamedIn := map[string]bool{} // folders to sync
	var stopped error
	for i := range items {
		it := &items[i]
		if !it.rendered {
			next.Excluded = append(next.Excluded, Excluded{Source: it.rel, Reason: it.excluded})
			b.rep.Excluded = append(b.rep.Excluded, Excluded{Source: it.rel, Reason: it.excluded})
			continue
		}
		b.rep.Warnings = append(b.rep.Warnings, it.warnings...)
		produced[it.entry.File] = true
		p := &it.plan
		if stopped == nil {
			stopped = ctx.Err()
		}
		if stopped == nil && p.staged != nil {
			if stopped = p.staged.Commit(); stopped == nil {
				renamedIn[p.staged.Dir()] = true
				if crashAfterRename != nil && crashAfterRename(it.entry.File) {
					return nil, errCrash
				}
			}
		}
		if stopped != nil {
			if p.staged != nil {
				p.staged.Abort()
			}
			// Not reached: the old entry, if any, still describes the disk.
			if e, ok := b.old[it.entry.File]; ok {
				next.Documents = append(next.Documents, e)
			} else if e, ok := b.pending[it.entry.File]; ok {
				next.Pending = append(next.Pending, e)
			}
			continue
		}
		b.report(p.result)
		if p.listed {
			next.Documents = append(next.Documents, p.entry)
		}
	}
	// One sync per folder makes its renames durable before the manifest
	// that lists them.
	for _, dir := range slices.Sorted(maps.Keys(renamedIn)) {
		if err := atomicfile.SyncDir(dir); err != nil && stopped == nil {
			stopped = fmt.Errorf("impossibile rendere definitiva la scrittura in %s: %w", dir, err)
		}
	}
	for _, e := range slices.Concat(old.Documents, old.Orphans, old.Pending) {
		if !produced[e.File] {
			b.orphan(e, next, stopped != nil)
		}
	}
	if err := b.writeManifest(next); err != nil {
		return nil, errors.Join(stopped, err)
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
	opt     Options
	old     map[string]Entry // the manifest's documents and orphans; read-only once rendering starts
	pending map[string]Entry // the manifest's files in writing when a run died; read-only too
	rep     *Report

	mu      sync.Mutex
	created []string // folders this run made, in order
}

// plan is what Build does with one rendered document, decided by the
// worker that rendered it.
type plan struct {
	result FileResult
	listed bool               // the manifest lists entry
	entry  Entry              // the file's manifest entry
	staged *atomicfile.Staged // new bytes to rename over the file, if any
}

func (b *builder) report(r FileResult) {
	b.rep.Files = append(b.rep.Files, r)
	if b.opt.OnFile != nil {
		b.opt.OnFile(r)
	}
}

func (b *builder) abs(file string) string { return filepath.Join(b.opt.Out, filepath.FromSlash(file)) }

// mkdir makes dir (and its parents) if missing and remembers it, so that
// abort can remove it again.
func (b *builder) mkdir(dir string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cartella dell'archivio %s: %w", dir, err)
	}
	b.created = append(b.created, dir)
	return nil
}

// abort removes every staged file and then the folders made for them, if
// they are empty: a run that fails while rendering leaves no trace.
func (b *builder) abort(items []item) {
	for i := range items {
		if st := items[i].plan.staged; st != nil {
			st.Abort()
		}
	}
	for i := len(b.created) - 1; i >= 0; i-- {
		os.Remove(b.created[i]) // fails, as it should, if not empty
	}
}

// crashAfterRename lets tests stop Build right after a rename as a crash
// would: nothing more is written, nothing is cleaned up.
var crashAfterRename func(file string) bool

var errCrash = errors.New("archive: simulated crash")

// claim writes, before the first rename, a manifest that lists every file
// about to be written as pending (an issued letter being restored stays a
// document). A run killed among the renames then leaves no file that the
// next run would take for someone else's, nor a listed document whose bytes
// differ from the manifest.
func (b *builder) claim(old *Manifest, items []item) error {
	pending := map[string]Entry{}
	for i := range items {
		if items[i].plan.staged != nil {
			pending[items[i].entry.File] = items[i].entry
		}
	}
	if len(pending) == 0 {
		return nil
	}
	m := &Manifest{Format: FormatVersion, Orphans: old.Orphans, Excluded: old.Excluded}
	for _, e := range old.Documents {
		if _, ok := pending[e.File]; ok && !e.Issued() {
			continue
		}
		m.Documents = append(m.Documents, e)
		delete(pending, e.File)
	}
	for _, e := range old.Orphans {
		delete(pending, e.File)
	}
	for _, e := range old.Pending {
		if _, ok := pending[e.File]; !ok {
			m.Pending = append(m.Pending, e)
		}
	}
	for _, file := range slices.Sorted(maps.Keys(pending)) {
		m.Pending = append(m.Pending, pending[file])
	}
	return atomicfile.Write(filepath.Join(b.opt.Out, ManifestName), m.Marshal())
}

// syncStaged makes every staged file durable before the first rename: one
// syncfs(2) where there is one, else an fsync per file.
func (b *builder) syncStaged(items []item) error {
	staged := false
	for i := range items {
		staged = staged || items[i].plan.staged != nil
	}
	if !staged {
		return nil
	}
	err := atomicfile.SyncFS(b.opt.Out)
	if !errors.Is(err, errors.ErrUnsupported) {
		if err != nil {
			return fmt.Errorf("impossibile rendere definitiva la scrittura nell'archivio %s: %w", b.opt.Out, err)
		}
		return nil
	}
	for i := range items {
		if st := items[i].plan.staged; st != nil {
			if err := st.Sync(); err != nil {
				return err
			}
		}
	}
	return nil
}

// stage decides, in a worker, what becomes of a rendered document's file,
// and writes its new bytes under a temporary name if the file must change.
func (b *builder) stage(it *item, pdf []byte) error {
	e := it.entry
	target := b.abs(e.File)
	if err := b.mkdir(filepath.Dir(target)); err != nil {
		return err
	}
	disk, err := safefile.Read(target, -1)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("lettura di %s: %w", target, err)
	}
	diskSum := hashOf(disk)
	p := &it.plan
	p.result = FileResult{File: e.File, Source: e.Source}
	write := func(a Action, note string) error {
		st, err := atomicfile.StageUnsynced(target, pdf) // synced all at once by Build
		if err != nil {
			return err
		}
		p.staged, p.entry, p.listed = st, e, true
		p.result.Action, p.result.Note = a, note
		return nil
	}
	prev, ours := b.old[e.File]
	_, wasPending := b.pending[e.File]
	if ours && prev.Issued() {
		// An issued letter: its registered bytes are the record.
		switch {
		case exists && diskSum == prev.SHA256 && e.SHA256 == prev.SHA256:
			p.result.Action = Unchanged
		case e.SHA256 == prev.SHA256:
			if exists {
				return write(Restored, "il file era alterato: riscritto con i byte registrati nel manifest")
			}
			return write(Restored, "il file mancava: riscritto con i byte registrati nel manifest")
		case exists && diskSum == prev.SHA256:
			p.result.Action, p.result.Note = Kept, "lettera protocollata: il nuovo rendering ha sha256 "+e.SHA256[:12]+"…, diverso da quello emesso; resta il file emesso"
		case exists:
			p.result.Action, p.result.Note = Kept, "lettera protocollata alterata nell'archivio e non ripristinabile: il nuovo rendering differisce dall'impronta registrata; recupera il file emesso da una copia"
		default:
			p.result.Action, p.result.Note = Kept, "lettera protocollata mancante e non ripristinabile: il nuovo rendering differisce dall'impronta registrata; recupera il file emesso da una copia"
		}
		p.entry, p.listed = prev, true
		return nil
	}
	switch {
	case exists && diskSum == e.SHA256:
		p.result.Action = Unchanged
		p.entry, p.listed = e, true
		return nil
	case !exists, ours, wasPending:
		return write(Written, "")
	default:
		p.result.Action, p.result.Note = Conflict, "c'è già un file con questo nome che l'archivio non ha prodotto: lasciato com'è"
		return nil
	}
}

// orphan handles a file of the old manifest that no source produces now.
func (b *builder) orphan(e Entry, next *Manifest, stopped bool) {
	target := b.abs(e.File)
	disk, err := safefile.Read(target, -1)
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
	if cur, err := safefile.Read(path, -1); err == nil && bytes.Equal(cur, data) {
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

// removeStaleTemps removes what atomicfile leaves when the process is
// killed between creating and renaming a temporary file, ".NAME.tmp-*",
// for the manifest and the PDFs, in the archive folder and its year
// folders. It runs under the archive's exclusive lock, so no other run is
// writing them.
func removeStaleTemps(out string) {
	dirs := []string{out}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if n := e.Name(); e.IsDir() && len(n) == 4 && strings.Trim(n, "0123456789") == "" {
			dirs = append(dirs, filepath.Join(out, n))
		}
	}
	for _, dir := range dirs {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Type().IsRegular() && isTemp(e.Name()) {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
}

// isTemp tells atomicfile's temporary names for the archive's own files.
func isTemp(name string) bool {
	i := strings.LastIndex(name, ".tmp-")
	if !strings.HasPrefix(name, ".") || i < 1 {
		return false
	}
	base := name[1:i]
	return base == ManifestName || strings.HasSuffix(base, ".pdf")
}
