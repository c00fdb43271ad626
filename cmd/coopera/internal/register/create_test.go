package register

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registro.txt")
	d := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	var entries []Entry
	for n := 1; n <= 3; n++ {
		entries = append(entries,
			Entry{Year: 2024, Number: n, Date: d, Kind: Registered, Formatted: "x", Source: "tavoli/a.yaml"},
			Entry{Year: 2024, Number: n, Date: d, Kind: Issued, Formatted: "x", Source: "tavoli/a.yaml", PDFSHA256: strings.Repeat("ab", 32)})
	}
	if err := Create(path, entries); err != nil {
		t.Fatal(err)
	}
	r, err := Read(path)
	if err != nil {
		t.Fatalf("a created register must read back intact: %v", err)
	}
	if got := len(r.Entries()); got != 6 {
		t.Fatalf("%d entries, want 6", got)
	}
	// It is the same register Assign would have written, line for line.
	other := filepath.Join(t.TempDir(), "registro.txt")
	for _, e := range entries {
		if _, err := Assign(other, func(*Register) (Entry, error) { return e, nil }); err != nil {
			t.Fatal(err)
		}
	}
	a, b := fileText(t, path), fileText(t, other)
	if a != b {
		t.Error("Create and Assign wrote different registers")
	}
	if err := Create(path, nil); err == nil {
		t.Error("Create rewrote an existing register")
	}
	bad := append([]Entry(nil), entries...)
	bad[3].Kind = Registered // number 2 registered twice
	if err := Create(filepath.Join(t.TempDir(), "r.txt"), bad); err == nil || !strings.Contains(err.Error(), "registrazione 4") {
		t.Errorf("a register the rules refuse: %v", err)
	}
}

func fileText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
