package atomicfile

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestCleanRemovesOnlyDeadWritersFiles(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "outside.txt")
	if err := os.WriteFile(outside, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	dead := filepath.Join(dir, ".a.pdf.tmp-123")
	link := filepath.Join(dir, ".b.pdf.tmp-456")
	other := filepath.Join(dir, ".c.pdf.tmp-abc") // not a name Stage makes
	for _, p := range []string{dead, other} {
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	// A writer still at work: its staged file is open and locked.
	st, err := Stage(filepath.Join(dir, "d.pdf"), []byte("live"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Abort()

	want := []string{dead, link}
	if got := Leftovers(dir); !slices.Equal(got, want) {
		t.Fatalf("Leftovers = %q, want %q", got, want)
	}
	if got := Clean(dir); !slices.Equal(got, want) {
		t.Fatalf("Clean = %q, want %q", got, want)
	}
	for _, p := range want {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("%s still there after Clean", p)
		}
	}
	if _, err := os.Stat(st.tmp); err != nil {
		t.Errorf("live writer's file removed: %v", err)
	}
	if b, _ := os.ReadFile(outside); string(b) != "keep" {
		t.Errorf("file behind the link changed: %q", b)
	}
	if err := st.Commit(); err != nil {
		t.Fatalf("live writer cannot commit after Clean: %v", err)
	}
	if got := Leftovers(dir); len(got) != 0 {
		t.Errorf("Leftovers after commit = %q", got)
	}
}
