package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
)

// item is one data file of the run and what became of it. The rendered
// PDF itself is not kept: a worker hands it to the run's stage function and
// drops it, so that memory does not grow with the number of documents.
type item struct {
	rel      string // data-folder-relative, slash-separated
	path     string // as opened
	rendered bool   // a document came out: entry is set
	entry    Entry  // the fresh render's entry
	warnings []string
	excluded string
	err      error
	plan     plan // what Build will do with the file (Build only)
}

// stageFunc receives each rendered document in a worker, with its bytes,
// which it must not keep.
type stageFunc func(it *item, pdf []byte) error

// Sources lists the data files under dir, sorted by their slash-separated
// relative path: every .yaml/.yml but the profile, skipping hidden folders,
// "schemas" and the folder skip (the archive, when it lies inside dir).
func Sources(dir, skip string) ([]string, error) {
	rels, _, err := sources(dir, skip)
	return rels, err
}

// Skipped lists, as warnings, the .yaml entries under dir that Sources
// leaves out because they are not regular files (a pipe, a device, a
// folder named x.yaml), so that the user hears of them.
func Skipped(dir, skip string) []string {
	_, odd, _ := sources(dir, skip)
	return odd
}

func sources(dir, skip string) ([]string, []string, error) {
	var odd []string
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("la cartella dei dati %s non esiste", dir)
		}
		return nil, nil, fmt.Errorf("cartella dei dati %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, nil, fmt.Errorf("%s non è una cartella: archivio vuole la cartella dei dati", dir)
	}
	skipAbs, _ := filepath.Abs(skip)
	var rels []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p == dir {
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") || d.Name() == "schemas" {
				return filepath.SkipDir
			}
			if abs, _ := filepath.Abs(p); skip != "" && abs == skipAbs {
				return filepath.SkipDir
			}
			return nil
		}
		ext := filepath.Ext(p)
		if d.Name() == model.ProfileName || (ext != ".yaml" && ext != ".yml") {
			return nil
		}
		if !d.Type().IsRegular() {
			if e, ok := safefile.As(safefile.Entry(p, d)); ok && d.Type()&fs.ModeSymlink == 0 {
				odd = append(odd, e.Path+": avviso: "+e.Reason()+": saltato")
			}
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rels = append(rels, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	slices.Sort(rels)
	return rels, odd, nil
}

// renderAll renders every source on workers goroutines, passing each
// document to stage (if not nil) in the worker. The results are in the
// sources' order whatever order the work finished in. It stops launching
// work when ctx is done and then returns what was done and ctx's error.
func renderAll(ctx context.Context, env *pipeline.Env, dir string, rels []string, workers int, progress func(done, total int), stage stageFunc) ([]item, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	items := make([]item, len(rels))
	for i, rel := range rels {
		items[i] = item{rel: rel, path: filepath.Join(dir, filepath.FromSlash(rel))}
	}
	jobs := make(chan int)
	done := make(chan struct{}, len(items))
	var wg sync.WaitGroup
	for range min(workers, max(len(items), 1)) {
		wg.Go(func() {
			for i := range jobs {
				renderOne(env, &items[i], stage)
				done <- struct{}{}
			}
		})
	}
	var reported sync.WaitGroup
	if progress != nil {
		reported.Go(func() {
			for n := range len(items) {
				if _, ok := <-done; !ok {
					return
				}
				progress(n+1, len(items))
			}
		})
	}
	var err error
feed:
	for i := range items {
		select {
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		case jobs <- i:
		}
	}
	close(jobs)
	wg.Wait()
	close(done)
	reported.Wait()
	return items, err
}

// renderOne renders a data file as the document it is; a meeting without
// protocol or a historical one that misses facts is excluded, not an error.
func renderOne(env *pipeline.Env, it *item, stage stageFunc) {
	var o *pipeline.Output
	if pipeline.Kind(it.path) == compose.Release {
		o, it.err = env.PressRelease(it.path)
	} else {
		m, prof, warnings, err := env.Meeting(it.path)
		if it.err = err; err != nil {
			return
		}
		if miss := m.MissingForLetter(); len(miss) > 0 {
			it.excluded = "incontro storico incompleto (mancano: " + strings.Join(miss, ", ") + "): la lettera non si può comporre"
			return
		}
		if m.Protocol == nil {
			it.excluded = "senza numero di protocollo: sarebbe una bozza, che non è un documento da archiviare"
			return
		}
		o, it.err = env.FinalOf(m, prof, warnings)
	}
	if it.err != nil {
		return
	}
	for _, w := range o.Warnings {
		it.warnings = append(it.warnings, w.String())
	}
	var src [32]byte
	switch {
	case o.Meeting != nil:
		src = o.Meeting.SHA256
	case o.Release != nil:
		src = o.Release.SHA256
	}
	date := o.Doc.Meta.Date
	sum := sha256.Sum256(o.PDF)
	it.entry = Entry{
		File:         path.Join(fmt.Sprintf("%04d", date.Year()), o.Name),
		Source:       it.rel,
		SourceSHA256: hex.EncodeToString(src[:]),
		Kind:         string(o.Kind),
		Protocol:     o.Doc.Protocol,
		Date:         date.Format("2006-01-02"),
		Subject:      o.Doc.Meta.Title,
		SHA256:       hex.EncodeToString(sum[:]),
		Size:         int64(len(o.PDF)),
		Pages:        o.Pages,
	}
	if !localPath(it.entry.File) || strings.ContainsAny(o.Name, `/\`) {
		it.err = fmt.Errorf("%s: nome di file non valido per l'archivio: %q", it.path, o.Name)
		return
	}
	it.rendered = true
	if stage != nil {
		it.err = stage(it, o.PDF)
	}
}

// render discovers and renders everything, and refuses a run where any
// file fails or two files would give the same archive path. Whatever the
// error, the items rendered so far are returned, so that the caller can
// undo what stage did.
func render(ctx context.Context, opt Options, stage stageFunc) ([]item, error) {
	if opt.Env == nil {
		return nil, errors.New("archive: Options.Env is nil")
	}
	if opt.Env.Draft {
		return nil, errors.New("archive: drafts are never archived; Options.Env.Draft must be false")
	}
	rels, err := Sources(opt.Data, opt.Out)
	if err != nil {
		return nil, err
	}
	items, err := renderAll(ctx, opt.Env, opt.Data, rels, opt.Workers, opt.Progress, stage)
	if err != nil {
		return items, err
	}
	var errs []error
	byFile := map[string]string{}
	for _, it := range items {
		if it.err != nil {
			errs = append(errs, it.err)
			continue
		}
		if !it.rendered {
			continue
		}
		if prev, dup := byFile[it.entry.File]; dup {
			errs = append(errs, fmt.Errorf("%s e %s producono lo stesso file %s: cambia il numero di protocollo, la data o il titolo di uno dei due", prev, it.rel, it.entry.File))
			continue
		}
		byFile[it.entry.File] = it.rel
	}
	if len(errs) > 0 {
		return items, errors.Join(errs...)
	}
	return items, nil
}
