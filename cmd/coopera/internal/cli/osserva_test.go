package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a buffer that a command goroutine writes while the test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestConvocaOsserva(t *testing.T) {
	data := mergeData(t)
	meeting := filepath.Join(data, "tavoli", "2022-03-02-tavolo-3.yaml")
	original, err := os.ReadFile(meeting)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	letter := filepath.Join(out, "convocazione_2022-0153_2022-03-02_tavolo-3.pdf")

	tick := make(chan time.Time)
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), tickKey{}, (<-chan time.Time)(tick)))
	defer cancel()
	var stdout, stderr syncBuffer
	root := newRoot(&globals{}, strings.NewReader(""))
	root.SetArgs([]string{"convoca", "--osserva", "-o", out, meeting})
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	done := make(chan error)
	go func() { done <- root.ExecuteContext(ctx) }()

	// The command renders, then waits for ticks; it handles one tick
	// before it takes the next, so three ticks see a change, let it settle
	// and re-render, and the third returns only once that is done.
	settle := func() {
		for range 3 {
			tick <- time.Time{}
		}
	}
	write := func(content string) {
		if err := os.WriteFile(meeting, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	updated := func() int { return strings.Count(stdout.String(), "aggiornato: "+letter+"\n") }

	tick <- time.Time{}
	if n := updated(); n != 1 {
		t.Fatalf("first render: %d updates; stdout %q stderr %q", n, stdout.String(), stderr.String())
	}

	write(string(original) + "# una modifica\n")
	settle()
	if n := updated(); n != 2 {
		t.Fatalf("after an edit: %d updates, want 2; stderr %q", n, stderr.String())
	}
	if !strings.Contains(stderr.String(), "coopera: modificato "+meeting) {
		t.Errorf("stderr does not name the changed file: %q", stderr.String())
	}

	write(string(original) + "chiave_sbagliata: 1\n")
	settle()
	if n := updated(); n != 2 {
		t.Errorf("a broken file was rendered: %d updates", n)
	}
	if want := meeting + ":"; !strings.Contains(stderr.String(), want) || !strings.Contains(stderr.String(), "chiave_sbagliata: chiave sconosciuta") {
		t.Fatalf("the problem is not reported: %q", stderr.String())
	}

	write(string(original))
	settle()
	if n := updated(); n != 3 {
		t.Fatalf("after the fix: %d updates, want 3; stderr %q", n, stderr.String())
	}

	// An unrelated file does not trigger anything.
	if err := os.WriteFile(filepath.Join(data, "tavoli", "altro.yaml"), []byte("x: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	settle()
	if n := updated(); n != 3 {
		t.Errorf("an unrelated file triggered a render: %d updates", n)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("stopping returned %v, want nil (exit 0)", err)
	}
	if !strings.HasSuffix(stderr.String(), "coopera: fine dell'osservazione\n") {
		t.Errorf("stderr %q does not end with the goodbye", stderr.String())
	}
}

func TestOsservaRefusesJSON(t *testing.T) {
	code, _, stderr := coopera("convoca", "--osserva", "--json", "x.yaml")
	if code != ExitUsage || !strings.Contains(stderr, "--osserva e --json non si usano insieme") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestWatchedPaths(t *testing.T) {
	data := mergeData(t)
	m := filepath.Join(data, "tavoli", "2022-03-02-tavolo-3.yaml")
	got := watchedPaths(&globals{modelli: "modelli"}, []string{m, m}, "referenti.csv")
	want := []string{filepath.Join(data, "progetto.yaml"), m, "modelli", "referenti.csv"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("watchedPaths = %q, want %q", got, want)
	}
}

func TestPrefixWriter(t *testing.T) {
	var b bytes.Buffer
	w := &prefixWriter{w: &b, prefix: "> "}
	for _, s := range []string{"a\nb", "c\n", "\n", "d\ne\n"} {
		if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if want := "> a\n> bc\n> \n> d\n> e\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
