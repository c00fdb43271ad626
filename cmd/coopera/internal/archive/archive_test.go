package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/templates"
)

const (
	letterFile  = "2022/convocazione_2022-0153_2022-03-02_tavolo-3.pdf"
	releaseFile = "2022/comunicato_2022-01-25_progetto-coopera-2-tavolo-tecnico-del.pdf"
	letterSrc   = "tavoli/2022-03-02-tavolo-3.yaml"
	releaseSrc  = "comunicati/2022-01-25-tavolo-2.yaml"
)

// past is the mtime every archive file is set to before a rebuild: a file
// the rebuild rewrites gets a new one.
var past = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

// copyData copies the project's data folder to a fresh folder.
func copyData(t testing.TB) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "dati")
	if err := os.CopyFS(dst, os.DirFS(filepath.Join("..", "..", "..", "..", "data"))); err != nil {
		t.Fatal(err)
	}
	return dst
}

func options(data, out string) Options {
	return Options{Env: &pipeline.Env{Templates: templates.FS, Version: "test"}, Data: data, Out: out}
}

func build1(t testing.TB, opt Options) *Report {
	t.Helper()
	rep, err := Build(context.Background(), opt)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return rep
}

func actions(rep *Report) map[string]Action {
	m := map[string]Action{}
	for _, f := range rep.Files {
		m[f.File] = f.Action
	}
	return m
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func editFile(t testing.TB, path, from, to string) {
	t.Helper()
	b := readFile(t, path)
	if !bytes.Contains(b, []byte(from)) {
		t.Fatalf("%s does not contain %q", path, from)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(from), []byte(to), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ageAll sets every file under dir to the past mtime.
func ageAll(t testing.TB, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if err := os.Chtimes(p, past, past); err != nil {
				t.Fatal(err)
			}
		}
		return nil
	})
}

// rewritten lists the files under dir whose mtime is no longer the past.
func rewritten(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if !st.ModTime().Equal(past) {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

func noTemps(t testing.TB, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", p)
		}
		return nil
	})
}

func TestBuildLayoutAndManifest(t *testing.T) {
	data := copyData(t)
	out := filepath.Join(t.TempDir(), "archivio") // missing: Build creates it
	rep := build1(t, options(data, out))
	want := map[string]Action{letterFile: Written, releaseFile: Written}
	if got := actions(rep); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("actions = %v, want %v", got, want)
	}
	if rep.Manifest != Written {
		t.Errorf("manifest %q, want %q", rep.Manifest, Written)
	}
	man, ok, err := ReadManifest(out)
	if err != nil || !ok {
		t.Fatalf("ReadManifest: %v %v", ok, err)
	}
	if len(man.Documents) != 2 {
		t.Fatalf("documents = %+v", man.Documents)
	}
	l := man.Documents[1]
	if l.File != letterFile || l.Source != letterSrc || l.Kind != "convocazione" || l.Protocol != "0153/23/02/22" ||
		l.Date != "2022-02-23" || !strings.HasPrefix(l.Subject, "Convocazione 3º Tavolo tecnico") || l.Pages != 1 {
		t.Errorf("letter entry = %+v", l)
	}
	pdf := readFile(t, filepath.Join(out, filepath.FromSlash(l.File)))
	if hashOf(pdf) != l.SHA256 || int64(len(pdf)) != l.Size {
		t.Errorf("letter entry sha256/size %s/%d, file %s/%d", l.SHA256, l.Size, hashOf(pdf), len(pdf))
	}
	if src := readFile(t, filepath.Join(data, filepath.FromSlash(l.Source))); hashOf(src) != l.SourceSHA256 {
		t.Errorf("source sha256 %s, want %s", l.SourceSHA256, hashOf(src))
	}
	r := man.Documents[0]
	if r.File != releaseFile || r.Source != releaseSrc || r.Kind != "comunicato" || r.Protocol != "" || r.Date != "2022-01-25" {
		t.Errorf("release entry = %+v", r)
	}
	reasons := map[string]string{}
	for _, x := range man.Excluded {
		reasons[x.Source] = x.Reason
	}
	for src, want := range map[string]string{
		"tavoli/2022-01-31-tavolo-2.yaml":                   "senza numero di protocollo",
		"tavoli/2022-05-25-tavolo-6.yaml":                   "protocollo.data",
		"tavoli/2021-12-07-costituzione-coordinamento.yaml": "incontro storico",
	} {
		if !strings.Contains(reasons[src], want) {
			t.Errorf("excluded %s: reason %q, want it to mention %q", src, reasons[src], want)
		}
	}
	if len(man.Excluded) != 6 {
		t.Errorf("%d excluded, want 6: %+v", len(man.Excluded), man.Excluded)
	}
	if raw := readFile(t, filepath.Join(out, ManifestName)); !bytes.Equal(raw, man.Marshal()) {
		t.Error("manifest on disk is not in canonical form")
	}
	noTemps(t, out)
}

func TestBuildTwoFoldersSameManifest(t *testing.T) {
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b", "c")
	build1(t, options(copyData(t), a))
	opt := options(copyData(t), b)
	opt.Workers = 1
	build1(t, opt)
	ma, mb := readFile(t, filepath.Join(a, ManifestName)), readFile(t, filepath.Join(b, ManifestName))
	if !bytes.Equal(ma, mb) {
		t.Errorf("manifests differ:\n%s\n---\n%s", ma, mb)
	}
	for _, f := range []string{letterFile, releaseFile} {
		if !bytes.Equal(readFile(t, filepath.Join(a, f)), readFile(t, filepath.Join(b, f))) {
			t.Errorf("%s differs between the two archives", f)
		}
	}
}

func TestRebuildRewritesOnlyWhatChanged(t *testing.T) {
	data := copyData(t)
	out := t.TempDir()
	build1(t, options(data, out))

	tests := []struct {
		name      string
		change    func()
		rewritten []string
		actions   map[string]Action
	}{
		{"nothing changed", func() {}, nil,
			map[string]Action{letterFile: Unchanged, releaseFile: Unchanged}},
		{"source touched", func() {
			now := time.Now()
			os.Chtimes(filepath.Join(data, letterSrc), now, now)
		}, nil, map[string]Action{letterFile: Unchanged, releaseFile: Unchanged}},
		{"release edited", func() { editFile(t, filepath.Join(data, releaseSrc), "luogo: Palermo", "luogo: Catania") },
			[]string{releaseFile, ManifestName}, map[string]Action{letterFile: Unchanged, releaseFile: Written}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ageAll(t, out)
			tt.change()
			rep := build1(t, options(data, out))
			if got := rewritten(t, out); fmt.Sprint(got) != fmt.Sprint(tt.rewritten) {
				t.Errorf("rewritten %v, want %v", got, tt.rewritten)
			}
			if got := actions(rep); fmt.Sprint(got) != fmt.Sprint(tt.actions) {
				t.Errorf("actions %v, want %v", got, tt.actions)
			}
		})
	}
}

func TestIssuedLetterIsNeverReplaced(t *testing.T) {
	data := copyData(t)
	out := t.TempDir()
	build1(t, options(data, out))
	issued := readFile(t, filepath.Join(out, letterFile))
	record := readFile(t, filepath.Join(data, "emessi", letterFile))
	if !bytes.Equal(issued, record) {
		t.Fatal("the archive's letter is not the issued record")
	}

	// Another version of coopera (here: another letter template, so other
	// bytes for the letter rendered now) still archives the issued letter
	// as it is.
	other := options(data, out)
	other.Env.Templates = changedTemplates(t)
	if o, err := other.Env.Letter(filepath.Join(data, letterSrc)); err != nil || bytes.Equal(o.PDF, issued) {
		t.Fatalf("the changed template must render other bytes: %v", err)
	}
	ageAll(t, out)
	rep := build1(t, other)
	if got := actions(rep)[letterFile]; got != Unchanged {
		t.Fatalf("letter action %q, want %q", got, Unchanged)
	}
	if !bytes.Equal(readFile(t, filepath.Join(out, letterFile)), issued) {
		t.Error("the issued letter was overwritten")
	}
	if diffs, err := Verify(context.Background(), other); err != nil || len(diffs) != 0 {
		t.Errorf("Verify = %v, %v: want nothing (the issued letter is its record)", diffs, err)
	}
	manBefore := readFile(t, filepath.Join(out, ManifestName))

	// A change of the data behind the issued letter is refused: nothing
	// is written and the archive stays as it was.
	editFile(t, filepath.Join(data, letterSrc), `saluto: "Gentilissimi,"`, `saluto: "Gentili,"`)
	if _, err := Build(context.Background(), options(data, out)); err == nil || !strings.Contains(err.Error(), "dopo l'emissione sono cambiati: saluto") {
		t.Fatalf("Build after editing an issued letter's data: %v", err)
	}
	if !bytes.Equal(readFile(t, filepath.Join(out, letterFile)), issued) {
		t.Error("the issued letter was overwritten")
	}
	if !bytes.Equal(readFile(t, filepath.Join(out, ManifestName)), manBefore) {
		t.Error("manifest changed")
	}
	if _, err := Verify(context.Background(), options(data, out)); err == nil || !strings.Contains(err.Error(), "annulla il numero") {
		t.Errorf("Verify after editing an issued letter's data: %v, want the refusal with its ways out", err)
	}
}

// changedTemplates is the embedded templates with a sentence added to the
// letter, as a new version of coopera might have.
func changedTemplates(t *testing.T) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templates.FS, p)
		if strings.HasPrefix(path.Base(p), "convocazione.md") {
			b = append(b, "\nUna frase di una versione nuova.\n"...)
		}
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestVerifyAndRestore(t *testing.T) {
	data := copyData(t)
	out := t.TempDir()
	build1(t, options(data, out))
	if diffs, err := Verify(context.Background(), options(data, out)); err != nil || len(diffs) != 0 {
		t.Fatalf("Verify on a fresh archive = %v, %v", diffs, err)
	}
	good := map[string][]byte{}
	for _, f := range []string{letterFile, releaseFile} {
		p := filepath.Join(out, f)
		good[f] = readFile(t, p)
		b := bytes.Clone(good[f])
		b[len(b)/2] ^= 1
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	diffs, err := Verify(context.Background(), options(data, out))
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) != 2 || diffs[0].File != releaseFile || diffs[1].File != letterFile {
		t.Fatalf("Verify after tampering = %v", diffs)
	}
	for _, d := range diffs {
		if !strings.Contains(d.Problem, "non corrisponde al manifest") {
			t.Errorf("%s: problem %q", d.File, d.Problem)
		}
	}
	os.Remove(filepath.Join(out, releaseFile))
	if diffs, _ := Verify(context.Background(), options(data, out)); len(diffs) != 2 || !strings.Contains(diffs[0].Problem, "manca") {
		t.Errorf("Verify with a missing file = %v", diffs)
	}
	rep := build1(t, options(data, out))
	if got := actions(rep); got[letterFile] != Restored || got[releaseFile] != Written {
		t.Errorf("actions after tampering %v", got)
	}
	for f, b := range good {
		if !bytes.Equal(readFile(t, filepath.Join(out, f)), b) {
			t.Errorf("%s not restored", f)
		}
	}
}

func TestForeignFilesSurvive(t *testing.T) {
	data := copyData(t)
	out := t.TempDir()
	foreign := map[string]string{
		"LEGGIMI.txt":        "note dell'archivista",
		"2022/scansione.pdf": "%PDF-1.4 a scan",
		letterFile:           "%PDF-1.4 the letter as sent before coopera kept a manifest",
	}
	for f, s := range foreign {
		p := filepath.Join(out, filepath.FromSlash(f))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := Build(context.Background(), options(data, out))
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("Build error %v, want ErrConflict", err)
	}
	if got := actions(rep); got[letterFile] != Conflict || got[releaseFile] != Written {
		t.Errorf("actions %v", got)
	}
	for f, s := range foreign {
		if got := string(readFile(t, filepath.Join(out, filepath.FromSlash(f)))); got != s {
			t.Errorf("%s was changed to %d bytes", f, len(got))
		}
	}
	man, _, _ := ReadManifest(out)
	if len(man.Documents) != 1 || man.Documents[0].File != releaseFile {
		t.Errorf("manifest documents %+v, want only the release", man.Documents)
	}
}

func TestOrphans(t *testing.T) {
	tests := []struct {
		name        string
		clean       bool
		wantRelease bool // the orphaned release file still exists
	}{
		{"kept without --pulisci", false, true},
		{"removed with --pulisci", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := copyData(t)
			out := t.TempDir()
			build1(t, options(data, out))
			os.Remove(filepath.Join(data, releaseSrc))
			os.Remove(filepath.Join(data, letterSrc))
			opt := options(data, out)
			opt.Clean = tt.clean
			rep := build1(t, opt)
			a := actions(rep)
			if a[letterFile] != Orphan {
				t.Errorf("issued letter: %q, want %q (never removed)", a[letterFile], Orphan)
			}
			if _, err := os.Stat(filepath.Join(out, letterFile)); err != nil {
				t.Errorf("issued letter gone: %v", err)
			}
			_, err := os.Stat(filepath.Join(out, releaseFile))
			if (err == nil) != tt.wantRelease {
				t.Errorf("release exists = %v, want %v", err == nil, tt.wantRelease)
			}
			man, _, _ := ReadManifest(out)
			if len(man.Documents) != 0 || len(man.Orphans) != map[bool]int{true: 2, false: 1}[tt.wantRelease] {
				t.Errorf("manifest documents %v orphans %v", man.Documents, man.Orphans)
			}
		})
	}
}

func TestBadSourceWritesNothing(t *testing.T) {
	data := copyData(t)
	out := filepath.Join(t.TempDir(), "archivio")
	editFile(t, filepath.Join(data, releaseSrc), "data: 2022-01-25", "data: 2022-02-31")
	if _, err := Build(context.Background(), options(data, out)); err == nil || !strings.Contains(err.Error(), releaseSrc) {
		t.Fatalf("Build error %v, want one naming %s", err, releaseSrc)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("archive folder created: %v", err)
	}
}

// A failing source in a later run leaves the archive as it was: the
// documents that did render were staged and are removed again.
func TestBadSourceLeavesArchiveAlone(t *testing.T) {
	data := copyData(t)
	out := t.TempDir()
	build1(t, options(data, out))
	ageAll(t, out)
	before := readFile(t, filepath.Join(out, ManifestName))
	// A new letter, which renders and is staged, and a broken release.
	fresh := filepath.Join(data, "comunicati", "2022-01-26-nuovo.yaml")
	if err := os.WriteFile(fresh, bytes.Replace(readFile(t, filepath.Join(data, releaseSrc)), []byte("data: 2022-01-25"), []byte("data: 2022-01-26"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	editFile(t, filepath.Join(data, releaseSrc), "data: 2022-01-25", "data: 2022-02-31")
	if _, err := Build(context.Background(), options(data, out)); err == nil {
		t.Fatal("Build succeeded with a broken source")
	}
	noTemps(t, out)
	if got := rewritten(t, out); len(got) != 0 {
		t.Errorf("files changed by a failed run: %v", got)
	}
	if !bytes.Equal(readFile(t, filepath.Join(out, ManifestName)), before) {
		t.Error("manifest changed by a failed run")
	}
}

// Two runs on one archive would take each other's temporary files for
// leftovers: the second is refused while the first holds the folder.
func TestOneRunAtATime(t *testing.T) {
	data := copyData(t)
	out := t.TempDir()
	unlock, err := lockDir(out, true)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Build(context.Background(), options(data, out))
	if err == nil || !strings.Contains(err.Error(), "in uso da un'altra esecuzione") {
		t.Fatalf("Build on a locked archive: %v", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("a refused run wrote %v", entries)
	}
	unlock()
	build1(t, options(data, out))
}

func TestInterrupted(t *testing.T) {
	t.Run("while rendering", func(t *testing.T) {
		data := copyData(t)
		out := filepath.Join(t.TempDir(), "archivio")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Build(ctx, options(data, out)); !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v, want context.Canceled", err)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("archive folder created: %v", err)
		}
	})
	t.Run("while writing", func(t *testing.T) {
		data := copyData(t)
		out := t.TempDir()
		build1(t, options(data, out))
		editFile(t, filepath.Join(data, releaseSrc), "luogo: Palermo", "luogo: Catania")
		// A stale temporary file from a process killed mid-write.
		stale := filepath.Join(out, "2022", "."+filepath.Base(letterFile)+".tmp-123")
		os.WriteFile(stale, []byte("half"), 0o600)
		ctx, cancel := context.WithCancel(context.Background())
		opt := options(data, out)
		opt.OnFile = func(FileResult) { cancel() } // stop after the first file
		rep, err := Build(ctx, opt)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v, want context.Canceled", err)
		}
		if len(rep.Files) != 1 || rep.Files[0].File != releaseFile || rep.Files[0].Action != Written {
			t.Fatalf("files %+v, want only the release written", rep.Files)
		}
		noTemps(t, out)
		// The manifest describes the disk exactly.
		man, _, err := ReadManifest(out)
		if err != nil {
			t.Fatal(err)
		}
		if len(man.Documents) != 2 {
			t.Fatalf("documents %+v", man.Documents)
		}
		for _, e := range man.Documents {
			if got := hashOf(readFile(t, filepath.Join(out, e.File))); got != e.SHA256 {
				t.Errorf("%s: disk %s, manifest %s", e.File, got, e.SHA256)
			}
		}
		if diffs, _ := Verify(context.Background(), options(data, out)); len(diffs) != 0 {
			t.Errorf("Verify after an interrupted build = %v", diffs)
		}
	})
}

func TestReadManifestRefuses(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"not json", "{", "illeggibile"},
		{"other format", `{"formato": 9}`, "formato 9"},
		{"escaping path", `{"formato": 1, "documenti": [{"file": "../fuori.pdf"}]}`, "esce dall'archivio"},
		{"absolute path", `{"formato": 1, "orfani": [{"file": "/etc/passwd"}]}`, "esce dall'archivio"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, ManifestName), []byte(tt.body), 0o644)
			if _, _, err := ReadManifest(dir); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
}

func TestManifestMarshalIsCanonical(t *testing.T) {
	a := &Manifest{Documents: []Entry{{File: "2022/b.pdf"}, {File: "2021/a.pdf"}},
		Excluded: []Excluded{{Source: "z.yaml"}, {Source: "a.yaml"}}}
	b := &Manifest{Documents: []Entry{{File: "2021/a.pdf"}, {File: "2022/b.pdf"}},
		Excluded: []Excluded{{Source: "a.yaml"}, {Source: "z.yaml"}}}
	if !bytes.Equal(a.Marshal(), b.Marshal()) {
		t.Error("order of the lists changes the bytes")
	}
	s := string((&Manifest{}).Marshal())
	for _, want := range []string{`"formato": 1`, `"documenti": []`, `"orfani": []`, `"esclusi": []`} {
		if !strings.Contains(s, want) {
			t.Errorf("empty manifest %s lacks %s", s, want)
		}
	}
}

// genData makes a data folder with the project's profile and logos and n
// copies of the 3rd Tavolo under different protocol numbers.
func genData(b testing.TB, n int) string {
	b.Helper()
	src := filepath.Join("..", "..", "..", "..", "data")
	dst := filepath.Join(b.TempDir(), "dati")
	if err := os.CopyFS(filepath.Join(dst, "loghi"), os.DirFS(filepath.Join(src, "loghi"))); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, "progetto.yaml"), readFile(b, filepath.Join(src, "progetto.yaml")), 0o644); err != nil {
		b.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dst, "tavoli"), 0o755)
	meeting := readFile(b, filepath.Join(src, filepath.FromSlash(letterSrc)))
	for i := range n {
		m := bytes.Replace(meeting, []byte("numero: 153"), []byte(fmt.Sprintf("numero: %d", i+1)), 1)
		if err := os.WriteFile(filepath.Join(dst, "tavoli", fmt.Sprintf("incontro-%04d.yaml", i)), m, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dst
}

// BenchmarkArchive builds an archive of n letters from scratch on all
// cores; doc/s is the figure to watch.
func BenchmarkArchive(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			data := genData(b, n)
			b.ResetTimer()
			start := time.Now()
			for i := range b.N {
				rep, err := Build(context.Background(), options(data, filepath.Join(b.TempDir(), fmt.Sprint(i))))
				if err != nil || len(rep.Files) != n {
					b.Fatalf("Build: %v, %d files", err, len(rep.Files))
				}
			}
			b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "doc/s")
		})
	}
}

// A run that dies among the renames leaves files that the next run
// recognises as its own, even when their sources change in between, and a
// manifest whose documents all have their listed bytes.
func TestCrashAmongRenames(t *testing.T) {
	data := copyData(t)
	out := t.TempDir()
	build1(t, options(data, out))
	fresh := filepath.Join(data, "comunicati", "2022-01-26-nuovo.yaml")
	if err := os.WriteFile(fresh, bytes.Replace(readFile(t, filepath.Join(data, releaseSrc)), []byte("data: 2022-01-25"), []byte("data: 2022-01-26"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	editFile(t, filepath.Join(data, releaseSrc), "luogo: Palermo", "luogo: Catania")
	crashAfterRename = func(string) bool { return true } // dies after the first rename
	t.Cleanup(func() { crashAfterRename = nil })
	if _, err := Build(context.Background(), options(data, out)); !errors.Is(err, errCrash) {
		t.Fatalf("err %v, want the simulated crash", err)
	}
	crashAfterRename = nil
	man, _, err := ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range man.Documents {
		if got := hashOf(readFile(t, filepath.Join(out, e.File))); got != e.SHA256 {
			t.Errorf("%s: disk %s, manifest %s", e.File, got, e.SHA256)
		}
	}
	// Both sources change again before the next run.
	editFile(t, fresh, "luogo: Palermo", "luogo: Trapani")
	editFile(t, filepath.Join(data, releaseSrc), "luogo: Catania", "luogo: Messina")
	rep := build1(t, options(data, out))
	for _, f := range rep.Files {
		if f.Action == Conflict {
			t.Errorf("%s taken for a foreign file after the crash: %s", f.File, f.Note)
		}
	}
	noTemps(t, out)
	if diffs, _ := Verify(context.Background(), options(data, out)); len(diffs) != 0 {
		t.Errorf("Verify after recovery = %v", diffs)
	}
}
