package pipeline_test

// Reproducibility: the same data, templates, assets and version must give
// the same bytes on any machine, in any folder, at any time, in any order.
// TestReproducibleSHA256 pins every document of data/ to a checked-in hash
// (go test -run Reproducible -update rewrites testdata/sha256.txt after an
// intended change); TestReproducibleAnyOrder renders everything serially and
// again in parallel, shuffled, from a copy of data/ in another folder, with
// relative paths and another local time zone, and wants the same bytes.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/typeset"
	"github.com/ancisicilia/coopera/templates"
)

var update = flag.Bool("update", false, "rewrite testdata/sha256.txt with the current hashes")

const (
	reproVersion = "repro-test"
	sumsFile     = "testdata/sha256.txt"
)

// reproDoc is one renderable document of a data folder, by its path
// relative to that folder.
type reproDoc struct {
	rel   string
	draft bool // a meeting without protocol: only a draft can be rendered
}

func dataDir(t testing.TB) string {
	t.Helper()
	d, err := filepath.Abs(filepath.Join("..", "..", "..", "..", "data"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// renderable lists the documents of dir that coopera can render, as
// archivio and make pdf do: releases; meetings with protocol as letters;
// meetings without as drafts; historical meetings that miss facts skipped.
func renderable(t testing.TB, dir string) []reproDoc {
	t.Helper()
	env := &pipeline.Env{Templates: templates.FS, Version: reproVersion}
	var docs []reproDoc
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "schemas") {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() == model.ProfileName || (filepath.Ext(p) != ".yaml" && filepath.Ext(p) != ".yml") {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if pipeline.Kind(p) == compose.Release {
			docs = append(docs, reproDoc{rel: rel})
			return nil
		}
		prof, probs := env.ProfileFor(p)
		if err := probs.Err(); err != nil {
			return err
		}
		m, probs := model.LoadMeeting(p, prof, model.Options{Coverage: typeset.Coverage{}})
		if err := probs.Err(); err != nil {
			return err
		}
		if len(m.MissingForLetter()) > 0 {
			return nil
		}
		docs = append(docs, reproDoc{rel: rel, draft: m.Protocol == nil})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) == 0 {
		t.Fatalf("no renderable document in %s", dir)
	}
	return docs
}

// renderer renders documents of one data folder with one pair of shared
// environments, as a single coopera run would.
type renderer struct {
	final, draft *pipeline.Env
}

func newRenderer() *renderer {
	return &renderer{
		final: &pipeline.Env{Templates: templates.FS, Version: reproVersion},
		draft: &pipeline.Env{Templates: templates.FS, Version: reproVersion, Draft: true},
	}
}

func (r *renderer) render(path string, d reproDoc) (*pipeline.Output, error) {
	if pipeline.Kind(path) == compose.Release {
		return r.final.PressRelease(path)
	}
	if d.draft {
		return r.draft.Letter(path)
	}
	return r.final.Letter(path)
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestReproducibleSHA256(t *testing.T) {
	dir := dataDir(t)
	r := newRenderer()
	var lines []string
	got := map[string]string{}
	for _, d := range renderable(t, dir) {
		out, err := r.render(filepath.Join(dir, d.rel), d)
		if err != nil {
			t.Fatalf("%s: %v", d.rel, err)
		}
		if _, dup := got[out.Name]; dup {
			t.Fatalf("two documents are named %s", out.Name)
		}
		got[out.Name] = sum(out.PDF)
		lines = append(lines, got[out.Name]+"  "+out.Name)
	}
	slices.SortFunc(lines, func(a, b string) int { return strings.Compare(a[66:], b[66:]) })
	if *update {
		if err := os.MkdirAll(filepath.Dir(sumsFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(sumsFile, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d hashes to %s", len(lines), sumsFile)
		return
	}
	want := pinnedSums(t)
	for name, h := range got {
		switch w, ok := want[name]; {
		case !ok:
			t.Errorf("%s: new document, not in %s (run with -update if intended)", name, sumsFile)
		case w != h:
			t.Errorf("%s: sha256 %s, want %s (output drifted; run with -update if the change is intended)", name, h, w)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("%s: listed in %s but no longer rendered", name, sumsFile)
		}
	}
}

// pinnedSums reads testdata/sha256.txt: document name → SHA-256.
func pinnedSums(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(sumsFile)
	if err != nil {
		t.Fatalf("%v (run go test -run TestReproducibleSHA256 -update to create it)", err)
	}
	want := map[string]string{}
	for i, ln := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		h, name, ok := strings.Cut(ln, "  ")
		if !ok || len(h) != 64 {
			t.Fatalf("%s:%d: want \"sha256  name\", got %q", sumsFile, i+1, ln)
		}
		want[name] = h
	}
	return want
}

// TestPrepare renders the seed letter and release while Env.Prepare runs,
// and again after it, in a process of its own so that nothing is ready
// yet (the race detector watches when the tests run with -race): every
// render has its pinned hash.
func TestPrepare(t *testing.T) {
	if os.Getenv("COOPERA_PREPARE_HELPER") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPrepare$", "-test.v")
		cmd.Env = append(os.Environ(), "COOPERA_PREPARE_HELPER=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestPrepare") {
			t.Fatalf("helper process: %v\n%s", err, out)
		}
		return
	}
	want := pinnedSums(t)
	dir := dataDir(t)
	for _, path := range []string{
		filepath.Join(dir, "tavoli", "2022-03-02-tavolo-3.yaml"),
		filepath.Join(dir, "comunicati", "2022-01-25-tavolo-2.yaml"),
	} {
		env := &pipeline.Env{Templates: templates.FS, Version: reproVersion}
		render := env.Letter
		if pipeline.Kind(path) == compose.Release {
			render = env.PressRelease
		}
		done := env.Prepare(pipeline.Kind(path))
		during, err := render(path)
		if err != nil {
			t.Fatal(err)
		}
		<-done
		after, err := render(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, out := range []*pipeline.Output{during, after} {
			if h := sum(out.PDF); h != want[out.Name] {
				t.Errorf("%s: sha256 %s, want %s", out.Name, h, want[out.Name])
			}
		}
	}
}

// TestReproducibleAnyOrder changes the working directory and time.Local, so
// it must not run in parallel with other tests.
func TestReproducibleAnyOrder(t *testing.T) {
	dir := dataDir(t)
	docs := renderable(t, dir)

	// Serial, absolute paths, from the package folder, local zone as found.
	serial := map[string][]byte{}
	r := newRenderer()
	for _, d := range docs {
		out, err := r.render(filepath.Join(dir, d.rel), d)
		if err != nil {
			t.Fatalf("%s: %v", d.rel, err)
		}
		serial[d.rel] = out.PDF
	}

	// Parallel and shuffled, from a copy of the data in another folder,
	// by relative paths, in another time zone.
	copyDir := filepath.Join(t.TempDir(), "altrove", "dati")
	if err := os.CopyFS(copyDir, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	t.Chdir(copyDir)
	t.Setenv("TZ", "America/Los_Angeles")
	oldLocal := time.Local
	if loc, err := time.LoadLocation("Pacific/Kiritimati"); err == nil { // UTC+14: another day than Rome
		time.Local = loc
	} else {
		time.Local = time.FixedZone("UTC+14", 14*3600)
	}
	t.Cleanup(func() { time.Local = oldLocal })

	order := slices.Clone(docs)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	jobs := make(chan reproDoc)
	var mu sync.Mutex
	parallel := map[string][]byte{}
	var errs []error
	var wg sync.WaitGroup
	r = newRenderer()
	for range 8 {
		wg.Go(func() {
			for d := range jobs {
				out, err := r.render(d.rel, d)
				mu.Lock()
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", d.rel, err))
				} else {
					parallel[d.rel] = out.PDF
				}
				mu.Unlock()
			}
		})
	}
	// Every document twice, so that the same file is rendered by two
	// goroutines at once.
	for _, d := range append(order, order...) {
		jobs <- d
	}
	close(jobs)
	wg.Wait()
	for _, err := range errs {
		t.Error(err)
	}
	for _, d := range docs {
		if !bytes.Equal(serial[d.rel], parallel[d.rel]) {
			t.Errorf("%s: %d bytes serially (sha256 %s), %d in parallel from another folder and zone (sha256 %s)",
				d.rel, len(serial[d.rel]), sum(serial[d.rel])[:12], len(parallel[d.rel]), sum(parallel[d.rel])[:12])
			if i := firstDiff(serial[d.rel], parallel[d.rel]); i >= 0 {
				t.Logf("first difference at byte %d: %q vs %q", i, excerpt(serial[d.rel], i), excerpt(parallel[d.rel], i))
			}
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

func excerpt(b []byte, i int) []byte {
	return b[max(0, i-40):min(len(b), i+40)]
}
