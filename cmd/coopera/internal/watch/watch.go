// Package watch is the preview stage's trigger: it polls files and folders
// for changes (modification time and size, no platform watcher) and calls
// back once a burst of changes has settled. Its clock and file system are
// injected so that tests step it tick by tick.
package watch

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Interval is how often the files are looked at: a save shows in the
// preview well within a second, at the cost of a few stat calls.
const Interval = 300 * time.Millisecond

// MaxEntries bounds what a watched folder may hold.
const MaxEntries = 1000

// Options say what to watch and how.
type Options struct {
	Paths []string // files and folders (a folder: the files directly in it)
	// Tick paces the polling; nil uses a ticker of Interval.
	Tick <-chan time.Time
	// Stat and ReadDir default to os.Stat and os.ReadDir.
	Stat    func(string) (fs.FileInfo, error)
	ReadDir func(string) ([]fs.DirEntry, error)
	// Settle is how many ticks without a change must pass after a change
	// before the callback runs (debounce: an editor's save is often a
	// write, a rename and a chmod); 0 means 1.
	Settle int
}

// stamp is what tells a file changed.
type stamp struct {
	mod    time.Time
	size   int64
	exists bool
}

type snapshot map[string]stamp

// Watcher is the polling core: each Poll compares the files with the
// previous look and says what changed once it has settled.
type Watcher struct {
	opt     Options
	last    snapshot
	pending map[string]bool
	quiet   int
}

// New looks at the files once; changes are counted from this look.
func New(opt Options) *Watcher {
	if opt.Stat == nil {
		opt.Stat = os.Stat
	}
	if opt.ReadDir == nil {
		opt.ReadDir = os.ReadDir
	}
	if opt.Settle <= 0 {
		opt.Settle = 1
	}
	return &Watcher{opt: opt, last: scan(opt), pending: map[string]bool{}}
}

// Poll looks at the files again and returns the sorted paths that changed
// (created, modified or removed) once Settle polls in a row saw no further
// change; otherwise nil.
func (w *Watcher) Poll() []string {
	now := scan(w.opt)
	if diff := compare(w.last, now); len(diff) > 0 {
		for _, p := range diff {
			w.pending[p] = true
		}
		w.last, w.quiet = now, 0
		return nil
	}
	if len(w.pending) == 0 {
		return nil
	}
	if w.quiet++; w.quiet < w.opt.Settle {
		return nil
	}
	paths := make([]string, 0, len(w.pending))
	for p := range w.pending {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	clear(w.pending)
	w.quiet = 0
	return paths
}

// Run polls at every tick until ctx ends and calls changed with what Poll
// returns. It returns nil when ctx ends: stopping is the normal way out.
func Run(ctx context.Context, opt Options, changed func(paths []string)) error {
	tick := opt.Tick
	if tick == nil {
		t := time.NewTicker(Interval)
		defer t.Stop()
		tick = t.C
	}
	w := New(opt)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick:
		}
		if paths := w.Poll(); paths != nil && ctx.Err() == nil {
			changed(paths)
		}
	}
}

func scan(opt Options) snapshot {
	s := snapshot{}
	for _, p := range opt.Paths {
		st, err := opt.Stat(p)
		if err != nil {
			s[p] = stamp{}
			continue
		}
		if !st.IsDir() {
			s[p] = stamp{st.ModTime(), st.Size(), true}
			continue
		}
		entries, err := opt.ReadDir(p)
		if err != nil {
			continue
		}
		for i, e := range entries {
			if i == MaxEntries {
				break
			}
			if e.IsDir() {
				continue
			}
			fp := filepath.Join(p, e.Name())
			if st, err := opt.Stat(fp); err == nil {
				s[fp] = stamp{st.ModTime(), st.Size(), true}
			}
		}
	}
	return s
}

// compare returns the paths whose stamp differs, in either direction.
func compare(a, b snapshot) []string {
	var out []string
	for p, sa := range a {
		if sb, ok := b[p]; !ok || !sa.mod.Equal(sb.mod) || sa.size != sb.size || sa.exists != sb.exists {
			out = append(out, p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			out = append(out, p)
		}
	}
	return out
}
