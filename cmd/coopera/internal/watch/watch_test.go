package watch_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/watch"
)

// fakeFS is a file system whose files are a name → (size, mtime) table.
type fakeFS map[string]fakeInfo

type fakeInfo struct {
	name string
	size int64
	mod  time.Time
	dir  bool
}

func (i fakeInfo) Name() string               { return filepath.Base(i.name) }
func (i fakeInfo) Size() int64                { return i.size }
func (i fakeInfo) Mode() fs.FileMode          { return 0o644 }
func (i fakeInfo) ModTime() time.Time         { return i.mod }
func (i fakeInfo) IsDir() bool                { return i.dir }
func (i fakeInfo) Sys() any                   { return nil }
func (i fakeInfo) Type() fs.FileMode          { return 0 }
func (i fakeInfo) Info() (fs.FileInfo, error) { return i, nil }

func (f fakeFS) stat(p string) (fs.FileInfo, error) {
	if i, ok := f[p]; ok {
		return i, nil
	}
	return nil, fs.ErrNotExist
}

func (f fakeFS) readDir(p string) ([]fs.DirEntry, error) {
	var out []fs.DirEntry
	for name, i := range f {
		if filepath.Dir(name) == p {
			out = append(out, i)
		}
	}
	return out, nil
}

var t0 = time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)

func TestPoll(t *testing.T) {
	type step struct {
		do    func(fakeFS)
		ticks int
		want  string // all callbacks so far, "|" between calls, "," between paths
	}
	touch := func(p string, size int64, sec int) func(fakeFS) {
		return func(f fakeFS) { f[p] = fakeInfo{name: p, size: size, mod: t0.Add(time.Duration(sec) * time.Second)} }
	}
	tests := []struct {
		name   string
		settle int
		steps  []step
	}{
		{"nothing changes", 1, []step{{nil, 5, ""}}},
		{"one change fires once after settling", 1, []step{
			{touch("/d/a.yaml", 10, 1), 1, ""},
			{nil, 1, "/d/a.yaml"},
			{nil, 5, "/d/a.yaml"},
		}},
		{"a burst is one call", 2, []step{
			{touch("/d/a.yaml", 11, 0), 1, ""},
			{touch("/d/a.yaml", 12, 0), 1, ""},
			{touch("/p/progetto.yaml", 5, 9), 1, ""},
			{nil, 1, ""},
			{nil, 1, "/d/a.yaml,/p/progetto.yaml"},
		}},
		{"same size, new time", 1, []step{{touch("/d/a.yaml", 10, 2), 2, "/d/a.yaml"}}},
		{"removed and created again", 1, []step{
			{func(f fakeFS) { delete(f, "/d/a.yaml") }, 2, "/d/a.yaml"},
			{touch("/d/a.yaml", 10, 3), 2, "/d/a.yaml|/d/a.yaml"},
		}},
		{"file in a watched folder", 1, []step{
			{touch("/m/convocazione.md.tmpl", 100, 5), 2, "/m/convocazione.md.tmpl"},
			{touch("/m/nuovo.tmpl", 1, 5), 2, "/m/convocazione.md.tmpl|/m/nuovo.tmpl"},
		}},
		{"unwatched file", 1, []step{{touch("/x/other.yaml", 1, 1), 3, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fakeFS{
				"/d/a.yaml":               {name: "/d/a.yaml", size: 10, mod: t0},
				"/p/progetto.yaml":        {name: "/p/progetto.yaml", size: 5, mod: t0},
				"/m":                      {name: "/m", dir: true},
				"/m/convocazione.md.tmpl": {name: "/m/convocazione.md.tmpl", size: 100, mod: t0},
			}
			w := watch.New(watch.Options{Paths: []string{"/d/a.yaml", "/p/progetto.yaml", "/m"},
				Stat: f.stat, ReadDir: f.readDir, Settle: tt.settle})
			var calls []string
			for i, s := range tt.steps {
				if s.do != nil {
					s.do(f)
				}
				for range s.ticks {
					if p := w.Poll(); p != nil {
						calls = append(calls, strings.Join(p, ","))
					}
				}
				if got := strings.Join(calls, "|"); got != s.want {
					t.Fatalf("step %d: calls %q, want %q", i, got, s.want)
				}
			}
		})
	}
}

// TestRun drives the loop with a tick channel: the loop handles a tick
// before it takes the next, so a send is also a barrier.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.yaml")
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tick := make(chan time.Time)
	got := make(chan []string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error)
	go func() {
		done <- watch.Run(ctx, watch.Options{Paths: []string{dir}, Tick: tick}, func(ps []string) { got <- ps })
	}()
	tick <- t0 // the first look is done once this tick is taken,
	tick <- t0 // and the first poll once this one is
	if err := os.WriteFile(p, []byte("xy"), 0o644); err != nil {
		t.Fatal(err)
	}
	tick <- t0
	tick <- t0
	tick <- t0
	select {
	case ps := <-got:
		if len(ps) != 1 || ps[0] != p {
			t.Fatalf("changed %v, want [%s]", ps, p)
		}
	default:
		t.Fatal("no change reported")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v", err)
	}
}
