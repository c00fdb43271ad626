package safefile

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadRefusesOddFilesAtOnce(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "logo.png")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	sock := filepath.Join(dir, "s")
	l, err := net.Listen("unix", sock)
	if err == nil {
		defer l.Close()
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, make([]byte, 11), 0o644); err != nil {
		t.Fatal(err)
	}
	ok := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(ok, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	linkToFifo := filepath.Join(dir, "link.png")
	if err := os.Symlink(fifo, linkToFifo); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		kind Kind
		want string
	}{
		{fifo, Pipe, "non è un file regolare: è una pipe con nome (FIFO)"},
		{linkToFifo, Pipe, "pipe con nome"},
		{"/dev/urandom", Device, "non è un file regolare: è un dispositivo"},
		{dir, Dir, "è una cartella, non un file"},
		{filepath.Join(dir, "nothing"), NotExist, "il file non esiste"},
		{big, TooBig, "il file è troppo grande (11 byte, al massimo 10)"},
	}
	if err == nil {
		tests = append(tests, struct {
			path string
			kind Kind
			want string
		}{sock, Socket, "è un socket"})
	}
	for _, tt := range tests {
		done := make(chan error, 1)
		go func() { _, err := Read(tt.path, 10); done <- err }()
		select {
		case err := <-done:
			e, ok := As(err)
			if !ok || e.Kind != tt.kind || !strings.Contains(e.Error(), tt.want) || !strings.HasPrefix(e.Error(), tt.path+": ") {
				t.Errorf("Read(%s) = %v, want kind %d with %q", tt.path, err, tt.kind, tt.want)
			}
			if e != nil && e.Hint() == "" {
				t.Errorf("Read(%s): no hint", tt.path)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("Read(%s) blocks", tt.path)
		}
	}
	if b, err := Read(ok, 10); err != nil || string(b) != "0123456789" {
		t.Errorf("Read(ok) = %q, %v", b, err)
	}
}

func TestDirFSRefusesPipes(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "lettera.tmpl"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	fsys := DirFS(dir)
	done := make(chan error, 1)
	go func() { _, err := fsys.Open("lettera.tmpl"); done <- err }()
	select {
	case err := <-done:
		if e, ok := As(err); !ok || e.Kind != Pipe {
			t.Errorf("Open(pipe) = %v, want a Pipe error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Open(pipe) blocks")
	}
}
