package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Every failure to write an output says why and what to do about it.
func TestWriteErrorHasHint(t *testing.T) {
	dir := t.TempDir()
	inTheWay := filepath.Join(dir, "lettera.pdf")
	if err := os.Mkdir(inTheWay, 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "altra.pdf")
	wrap := func(e error) error {
		return fmt.Errorf("impossibile scrivere %s: %w", target, &os.PathError{Op: "write", Path: target, Err: e})
	}
	tests := []struct {
		name, path string
		err        error
		want       string
	}{
		{"disk full", target, wrap(syscall.ENOSPC), "spazio su disco esaurito\nsuggerimento: libera spazio"},
		{"quota", target, wrap(syscall.EDQUOT), "spazio su disco esaurito"},
		{"read-only disk", target, wrap(syscall.EROFS), "disco di sola lettura\nsuggerimento: "},
		{"read-only folder", target, wrap(syscall.EACCES), "permesso negato nella cartella " + dir + "\nsuggerimento: dai il permesso di scrittura"},
		{"folder in the way", inTheWay, fmt.Errorf("impossibile scrivere %s: è una cartella", inTheWay), "al suo posto c'è una cartella\nsuggerimento: sposta o rinomina"},
		{"anything else", target, wrap(syscall.EIO), "input/output error\nsuggerimento: controlla che la cartella"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := writeError(tt.path, tt.err).Error()
			if !strings.HasPrefix(got, "scrittura di "+tt.path+": ") || !strings.Contains(got, tt.want) {
				t.Errorf("writeError = %q, want it to contain %q", got, tt.want)
			}
			if strings.Count(got, "suggerimento:") != 1 {
				t.Errorf("writeError = %q, want exactly one suggerimento", got)
			}
		})
	}
}

func TestOutputDirThatIsAFileHasHint(t *testing.T) {
	f := filepath.Join(t.TempDir(), "out")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := checkOutputDir(f)
	if err == nil || !strings.Contains(err.Error(), "non è una cartella") || !strings.Contains(err.Error(), "\nsuggerimento: ") {
		t.Errorf("checkOutputDir(file) = %v, want «non è una cartella» with a suggerimento", err)
	}
}
