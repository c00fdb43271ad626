package atomicfile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteCreatesAndReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.txt")
	if err := Write(path, []byte("uno")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != defaultPerm {
		t.Errorf("new file mode = %v, want %v", got, defaultPerm)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("due")); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "due" {
		t.Errorf("content = %q, want %q", got, "due")
	}
	fi, _ = os.Stat(path)
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("mode after replace = %v, want 0640", fi.Mode().Perm())
	}
	assertOnly(t, dir, "a.txt")
}

// A link at the target name is replaced like rename(2) would, so a file
// outside the output folder is never written through it.
func TestWriteReplacesSymlink(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "outside.txt")
	link := filepath.Join(dir, "link.txt")
	if err := os.WriteFile(outside, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("link.txt is not a regular file after Write: %v %v", fi, err)
	}
	if fi.Mode().Perm() != defaultPerm {
		t.Errorf("mode = %v, want %v", fi.Mode().Perm(), defaultPerm)
	}
	if got, _ := os.ReadFile(link); string(got) != "new" {
		t.Errorf("link.txt = %q, want %q", got, "new")
	}
	if got, _ := os.ReadFile(outside); string(got) != "old" {
		t.Errorf("file outside = %q, want it untouched (%q)", got, "old")
	}
	assertOnly(t, dir, "link.txt")
}

func TestWriteErrorsLeaveNothing(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns target path
		want  string
	}{
		{"target is a directory", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "out")
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(p, "inside"), []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
			return p
		}, "è una cartella"},
		{"parent missing", func(t *testing.T, dir string) string {
			return filepath.Join(dir, "manca", "out.txt")
		}, "non esiste"},
		{"parent is a file", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "file")
			if err := os.WriteFile(p, []byte("keep"), 0o644); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(p, "out.txt")
		}, "impossibile scrivere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			target := tt.setup(t, dir)
			before := snapshot(t, dir)
			err := Write(target, []byte("new content"))
			if err == nil {
				t.Fatal("Write succeeded, want error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if after := snapshot(t, dir); after != before {
				t.Errorf("folder changed after failed write:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// snapshot lists every path under dir with its content, so a leftover temp
// file or a touched target shows up as a difference.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b bytes.Buffer
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b.WriteString(rel + " " + fi.Mode().String())
		if fi.Mode().IsRegular() {
			data, _ := os.ReadFile(p)
			b.WriteString(" " + string(data))
		}
		b.WriteByte('\n')
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("folder holds %v, want %v", got, names)
	}
}

func TestStageCommitAbort(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.pdf"), filepath.Join(dir, "b.pdf")
	if err := os.WriteFile(a, []byte("vecchio"), 0o640); err != nil {
		t.Fatal(err)
	}
	sa, err := StageUnsynced(a, []byte("nuovo"))
	if err != nil {
		t.Fatal(err)
	}
	sb, err := Stage(b, []byte("altro"))
	if err != nil {
		t.Fatal(err)
	}
	// Nothing visible changes before Commit.
	if got := string(readAll(t, a)); got != "vecchio" {
		t.Errorf("a before commit = %q", got)
	}
	if _, err := os.Stat(b); !os.IsNotExist(err) {
		t.Errorf("b exists before commit: %v", err)
	}
	if err := SyncFS(dir); err != nil {
		if err := sa.Sync(); err != nil {
			t.Fatal(err)
		}
	}
	if err := sa.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := string(readAll(t, a)); got != "nuovo" {
		t.Errorf("a after commit = %q", got)
	}
	if fi, _ := os.Stat(a); fi.Mode().Perm() != 0o640 {
		t.Errorf("a's mode = %v, want 0640 kept", fi.Mode().Perm())
	}
	if err := sa.Commit(); err == nil {
		t.Error("a second Commit succeeded")
	}
	sb.Abort()
	sa.Abort() // after Commit: nothing
	if _, err := os.Stat(b); !os.IsNotExist(err) {
		t.Errorf("b exists after abort: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "a.pdf" {
		t.Errorf("folder holds %v, want only a.pdf", entries)
	}
}

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
