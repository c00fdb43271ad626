package cli

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var sha256Sum = sha256.Sum256

const archivioLetter = "2022/convocazione_2022-0153_2022-03-02_tavolo-3.pdf"

func archivioData(t testing.TB) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "data")
	if err := os.CopyFS(dst, os.DirFS(filepath.Join("..", "..", "..", "..", "data"))); err != nil {
		t.Fatal(err)
	}
	return dst
}

func runMain(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = Main(args, strings.NewReader(""), &o, &e)
	return code, o.String(), e.String()
}

func TestArchivioCommand(t *testing.T) {
	data := archivioData(t)
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")

	code, out, errs := runMain("archivio", data, "-o", a)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"scritto " + archivioLetter + "\n", "archivio: 2 scritti; 6 esclusi; manifest scritto\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout %q lacks %q", out, want)
		}
	}
	if !strings.Contains(errs, "coopera: nota: tavoli/2022-01-31-tavolo-2.yaml non archiviato: senza numero di protocollo") {
		t.Errorf("stderr lacks the draft's note: %s", errs)
	}
	if code, _, errs := runMain("archivio", "-j", "1", "-o", b, data); code != 0 {
		t.Fatalf("second folder: exit %d: %s", code, errs)
	}
	ma, _ := os.ReadFile(filepath.Join(a, "manifest.json"))
	mb, _ := os.ReadFile(filepath.Join(b, "manifest.json"))
	if len(ma) == 0 || !bytes.Equal(ma, mb) {
		t.Errorf("manifests of two folders differ:\n%s\n---\n%s", ma, mb)
	}

	// A second run rewrites nothing.
	past := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range []string{archivioLetter, "manifest.json"} {
		os.Chtimes(filepath.Join(a, f), past, past)
	}
	code, out, _ = runMain("archivio", data, "-o", a)
	if code != 0 || !strings.Contains(out, "invariato "+archivioLetter) || !strings.Contains(out, "manifest invariato") {
		t.Errorf("rerun: exit %d, stdout %q", code, out)
	}
	for _, f := range []string{archivioLetter, "manifest.json"} {
		if st, _ := os.Stat(filepath.Join(a, f)); !st.ModTime().Equal(past) {
			t.Errorf("%s rewritten by an unchanged run", f)
		}
	}

	if code, out, errs := runMain("archivio", "--verifica", data, "-o", a); code != 0 || !strings.Contains(out, "verificato") {
		t.Errorf("--verifica on a good archive: exit %d %q %q", code, out, errs)
	}
	p := filepath.Join(a, filepath.FromSlash(archivioLetter))
	pdf, _ := os.ReadFile(p)
	pdf[100] ^= 0x20
	os.WriteFile(p, pdf, 0o644)
	code, _, errs = runMain("archivio", "--verifica", data, "-o", a)
	if code != ExitError || !strings.Contains(errs, archivioLetter) || !strings.Contains(errs, "non corrisponde al manifest") {
		t.Errorf("--verifica after tampering: exit %d, stderr %q", code, errs)
	}
	code, out, _ = runMain("archivio", "--json", "--verifica", data, "-o", a)
	var v struct{ Differenze []struct{ File string } }
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != ExitError || len(v.Differenze) != 1 || v.Differenze[0].File != archivioLetter {
		t.Errorf("--json --verifica: exit %d, %v, %s", code, err, out)
	}
}

func TestArchivioErrors(t *testing.T) {
	data := archivioData(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"two data folders", []string{"archivio", data, data}, ExitUsage, "accetta"},
		{"missing data folder", []string{"archivio", filepath.Join(data, "manca")}, ExitError, "non esiste"},
		{"verifica without manifest", []string{"archivio", "--verifica", data, "-o", t.TempDir()}, ExitError, "nessun manifest"},
		{"output is a file", []string{"archivio", data, "-o", filepath.Join(data, "progetto.yaml")}, ExitError, "progetto.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runMain(tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tt.code, tt.want)
			}
		})
	}
}

// TestArchivioHelperProcess is not a test: TestArchivioSignal runs the test
// binary again with it to get a coopera process it can send signals to.
func TestArchivioHelperProcess(t *testing.T) {
	if os.Getenv("COOPERA_ARCHIVIO_HELPER") != "1" {
		t.Skip("helper process")
	}
	archivioSignalsReady = func() { fmt.Fprintln(os.Stderr, "pronto") }
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(Main(args, os.Stdin, os.Stdout, os.Stderr))
}

// addMeetings adds n copies of the 3rd Tavolo with other protocol numbers.
func addMeetings(t testing.TB, data string, n int) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(data, "tavoli", "2022-03-02-tavolo-3.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		b := bytes.Replace(src, []byte("numero: 153"), []byte(fmt.Sprintf("numero: %d", 1000+i)), 1)
		// Each copy its own Tavolo number too: duplicates stop the archive.
		b = bytes.Replace(b, []byte("tavolo: 3\n"), []byte(fmt.Sprintf("tavolo: %d\n", 100+i)), 1)
		if err := os.WriteFile(filepath.Join(data, "tavoli", fmt.Sprintf("copia-%04d.yaml", i)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestArchivioSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("renders dozens of documents")
	}
	tests := []struct {
		sig     syscall.Signal
		code    int
		writing bool // signal once new documents appear on disk, not at once
	}{
		{syscall.SIGINT, ExitInterrupt, false},
		{syscall.SIGTERM, ExitTerminate, false},
		{syscall.SIGINT, ExitInterrupt, true},
		{syscall.SIGTERM, ExitTerminate, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/writing=%v", tt.sig, tt.writing), func(t *testing.T) {
			data := archivioData(t)
			out := filepath.Join(t.TempDir(), "archivio")
			if code, _, errs := runMain("archivio", data, "-o", out); code != 0 {
				t.Fatalf("first build: %s", errs)
			}
			before, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
			addMeetings(t, data, 30)

			cmd := exec.Command(os.Args[0], "-test.run=^TestArchivioHelperProcess$", "--", "archivio", data, "-o", out)
			cmd.Env = append(os.Environ(), "COOPERA_ARCHIVIO_HELPER=1")
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(stderr)
			for sc.Scan() && sc.Text() != "pronto" {
			}
			var rest []byte
			exited := make(chan struct{})
			go func() {
				rest, _ = io.ReadAll(stderr)
				err = cmd.Wait()
				close(exited)
			}()
		poll:
			for tt.writing {
				select {
				case <-exited:
					break poll
				default:
				}
				// The two documents of the first build, plus a few new ones.
				if ents, _ := os.ReadDir(filepath.Join(out, "2022")); len(ents) > 5 {
					break
				}
				time.Sleep(100 * time.Microsecond)
			}
			if err := cmd.Process.Signal(tt.sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
				t.Fatal(err)
			}
			<-exited
			var ee *exec.ExitError
			switch {
			case err == nil && tt.writing:
				// Thirty writes can all end before the signal lands: the
				// run is then complete, and must be consistent all the same.
				t.Logf("the run ended before the signal")
			case !errors.As(err, &ee) || ee.ExitCode() != tt.code:
				t.Fatalf("exit: %v, want code %d; stderr %s", err, tt.code, rest)
			case !strings.Contains(string(rest), "coopera: interrotto ("+map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[tt.sig]+")"):
				t.Errorf("stderr %q lacks the interruption message", rest)
			}
			// Still the previous manifest, or a new one that matches the disk.
			after, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
			var man struct {
				Documenti []struct{ File, SHA256 string }
			}
			if err := json.Unmarshal(after, &man); err != nil {
				t.Fatalf("manifest after the signal: %v", err)
			}
			if !bytes.Equal(before, after) {
				t.Logf("manifest rewritten with %d documents", len(man.Documenti))
			}
			if !tt.writing && !bytes.Equal(before, after) {
				t.Errorf("a signal while rendering changed the manifest")
			}
			if _, _, errs := runMain("archivio", "--verifica", data, "-o", out); strings.Contains(errs, "non corrisponde al manifest") || strings.Contains(errs, "manca nell'archivio") {
				t.Errorf("after the signal the manifest does not describe the disk:\n%s", errs)
			}
			filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
				if err == nil && strings.Contains(d.Name(), ".tmp-") {
					t.Errorf("temporary file left: %s", p)
				}
				return nil
			})
		})
	}
}

// TestArchivioKill9 kills archivio at spread-out moments: whatever the
// moment, every document the manifest lists is on disk with its listed
// bytes, and the next run completes the archive and removes the leftovers.
func TestArchivioKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("renders hundreds of documents")
	}
	data := archivioData(t)
	addMeetings(t, data, 30)
	out := filepath.Join(t.TempDir(), "archivio")
	// start runs archivio in a helper process and returns once the process
	// handles signals itself, with the time it got there.
	start := func() (*exec.Cmd, io.Reader, time.Time) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestArchivioHelperProcess$", "--", "archivio", "-q", data, "-o", out)
		cmd.Env = append(os.Environ(), "COOPERA_ARCHIVIO_HELPER=1")
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stderr)
		for sc.Scan() && sc.Text() != "pronto" {
		}
		return cmd, stderr, time.Now()
	}
	// A full run tells how long one takes here, so that the kills below
	// fall all along it, the writing at the end included.
	cmd, stderr, t0 := start()
	io.Copy(io.Discard, stderr)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("full run: %v", err)
	}
	full := time.Since(t0)
	const kills = 10
	for i := range kills {
		if i%2 == 0 {
			os.RemoveAll(out) // a run that writes everything
		}
		cmd, stderr, _ := start()
		exited := make(chan struct{})
		go func() {
			io.Copy(io.Discard, stderr)
			cmd.Wait()
			close(exited)
		}()
		if i%2 == 0 {
			// Into the writing: once k documents are on disk (the folder
			// also holds temporary files while one is being written).
			k := i * 3
		poll:
			for {
				select {
				case <-exited:
					break poll
				default:
				}
				if ents, _ := os.ReadDir(filepath.Join(out, "2022")); len(ents) > k {
					break
				}
				time.Sleep(100 * time.Microsecond)
			}
		} else {
			time.Sleep(full * time.Duration(i) / kills) // anywhere, mostly rendering
		}
		cmd.Process.Kill()
		<-exited

		raw, err := os.ReadFile(filepath.Join(out, "manifest.json"))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		var man struct {
			Documenti []struct{ File, SHA256 string }
		}
		if err := json.Unmarshal(raw, &man); err != nil {
			t.Fatalf("kill %d: manifest damaged: %v", i, err)
		}
		for _, d := range man.Documenti {
			pdf, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(d.File)))
			if err != nil {
				t.Errorf("kill %d: %s listed but unreadable: %v", i, d.File, err)
			} else if fmt.Sprintf("%x", sha256Sum(pdf)) != d.SHA256 {
				t.Errorf("kill %d: %s differs from the manifest", i, d.File)
			}
		}
	}
	if code, _, errs := runMain("archivio", "-q", data, "-o", out); code != 0 {
		t.Fatalf("run after the kills: exit %d\n%s", code, errs)
	}
	if code, _, errs := runMain("archivio", "--verifica", data, "-o", out); code != 0 {
		t.Errorf("--verifica after the kills: exit %d\n%s", code, errs)
	}
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}
