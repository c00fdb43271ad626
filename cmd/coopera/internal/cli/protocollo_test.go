package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func protocolloMain(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = Main(args, strings.NewReader(""), &o, &e)
	return code, o.String(), e.String()
}

// protocolloData is a data folder with the real profile in the given mode,
// no register, and the 3rd Tavolo without its number as tavoli/a.yaml.
func protocolloData(t *testing.T, managed bool) (dir, meeting string) {
	t.Helper()
	repo := filepath.Join("..", "..", "..", "..", "data")
	dir = filepath.Join(t.TempDir(), "data")
	if err := os.CopyFS(filepath.Join(dir, "loghi"), os.DirFS(filepath.Join(repo, "loghi"))); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "tavoli"), 0o755)
	prof, _ := os.ReadFile(filepath.Join(repo, "progetto.yaml"))
	if managed {
		prof = bytes.Replace(prof, []byte("gestione: esterna"), []byte("gestione: interna"), 1)
	}
	os.WriteFile(filepath.Join(dir, "progetto.yaml"), prof, 0o644)
	src, _ := os.ReadFile(filepath.Join(repo, "tavoli", "2022-03-02-tavolo-3.yaml"))
	src = regexp.MustCompile(`(?m)^protocollo:\n( .*\n)+`).ReplaceAll(src, nil)
	meeting = filepath.Join(dir, "tavoli", "a.yaml")
	os.WriteFile(meeting, src, 0o644)
	return dir, meeting
}

func TestProtocolloManaged(t *testing.T) {
	dir, meeting := protocolloData(t, true)
	out := t.TempDir()
	code, stdout, stderr := protocolloMain("protocollo", "assegna", "--data", "2022-02-20", "-o", out, meeting)
	if code != 0 || !strings.HasPrefix(stdout, "protocollo n. 0001/20/02/22: emessa ") {
		t.Fatalf("assegna: %d %q %q", code, stdout, stderr)
	}
	if src, _ := os.ReadFile(meeting); !strings.Contains(string(src), "protocollo:\n  numero: 1\n  data: 2022-02-20\n") {
		t.Errorf("meeting file:\n%s", src)
	}
	if _, err := os.Stat(filepath.Join(out, "convocazione_2022-0001_2022-03-02_tavolo-3.pdf")); err != nil {
		t.Error(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // regexp
		stderr string // regexp
	}{
		{"assegna again", []string{"assegna", "--data", "2022-02-21", "-o", out, meeting}, 1, `^$`, `^coopera: .*a\.yaml: il file ha già il protocollo n\. 0001/20/02/22`},
		{"registra in managed mode", []string{"registra", "-o", out, meeting}, 1, `^$`, `gestione: interna.*\nsuggerimento: coopera protocollo assegna`},
		{"bad date", []string{"assegna", "--data", "2022-02-31", meeting}, 2, `^$`, `^coopera: --data 2022-02-31: data impossibile: 2022-02-31 non esiste\nsuggerimento: quel mese ha 28 giorni\n$`},
		{"missing output folder", []string{"assegna", "-o", filepath.Join(out, "no"), meeting}, 1, `^$`, `la cartella di uscita .* non esiste`},
		{"elenco", []string{"elenco", dir}, 0, `(?s)^PROTOCOLLO +DATA +TIPO.*\n0001/20/02/22 +2022-02-20 +registrato .*tavoli/a\.yaml.*\n0001/20/02/22 +2022-02-20 +emesso .*tavoli/a\.yaml +[0-9a-f]{12} +[0-9a-f]{12} +-\n$`, `^$`},
		{"elenco other year", []string{"elenco", "--anno", "2023", dir}, 0, `^nessuna registrazione\n$`, `^$`},
		{"verifica", []string{"verifica", dir}, 0, `registro-protocollo\.txt: 2 registrazioni, 1 numero, 1 lettera emessa: tutto in ordine\n$`, `^$`},
		{"annulla without reason", []string{"annulla", "1", dir}, 2, `^$`, `serve il motivo`},
		{"annulla unknown number", []string{"annulla", "7", "--motivo", "x", dir}, 1, `^$`, `il numero 7 non è nel registro`},
		{"annulla in another year", []string{"annulla", "1", "--anno", "2022", "--motivo", "x", "--data", "2023-01-02", dir}, 1, `^$`, `non è dell'anno 2022`},
		{"annulla", []string{"annulla", "1", "--motivo", "lettera inviata per errore", "--data", "2022-02-22", dir}, 0, `^protocollo n\. 0001/20/02/22 annullato \(riga \d+ del registro\)\n$`, `^$`},
		{"verifica after annulla", []string{"verifica", dir}, 1, `^$`, `(?m)^coopera: .*a\.yaml:\d+: il file riporta il numero 0001/20/02/22, annullato .*\ncoopera: .*: 1 problema da sistemare\n$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := protocolloMain(append([]string{"protocollo"}, tt.args...)...)
			if code != tt.code || !regexp.MustCompile(tt.stdout).MatchString(stdout) || !regexp.MustCompile(tt.stderr).MatchString(stderr) {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
		})
	}
	code, stdout, _ = protocolloMain("protocollo", "elenco", "--json", dir)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil || code != 0 || len(rows) != 3 {
		t.Fatalf("elenco --json: %d %v %s", code, err, stdout)
	}
	if rows[2]["tipo"] != "annullato" || rows[2]["motivo"] != "lettera inviata per errore" || rows[1]["sha256_pdf"] == "" {
		t.Errorf("rows %v", rows)
	}
}

func TestProtocolloExternal(t *testing.T) {
	dir, meeting := protocolloData(t, false)
	out := t.TempDir()
	code, _, stderr := protocolloMain("protocollo", "assegna", "-o", out, meeting)
	if code != 1 || !strings.Contains(stderr, "gestione: esterna") || !strings.Contains(stderr, "suggerimento: scrivi nel file il numero e la data ricevuti (protocollo: numero, data), poi coopera protocollo registra") {
		t.Errorf("assegna in external mode: %d %s", code, stderr)
	}
	src, _ := os.ReadFile(meeting)
	os.WriteFile(meeting, append(src, "protocollo:\n  numero: 153\n  data: 2022-02-23\n"...), 0o644)
	code, stdout, stderr := protocolloMain("protocollo", "registra", "--json", "-o", out, meeting)
	var res struct {
		Protocollo string `json:"protocollo"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &res) != nil || res.Protocollo != "0153/23/02/22" {
		t.Fatalf("registra: %d %s %s", code, stdout, stderr)
	}
	code, _, stderr = protocolloMain("protocollo", "registra", "-o", out, meeting)
	if code != 1 || !strings.Contains(stderr, "ha già il protocollo n. 0153/23/02/22") {
		t.Errorf("registra again: %d %s", code, stderr)
	}
	if code, _, stderr := protocolloMain("protocollo", "verifica", dir); code != 0 {
		t.Errorf("verifica: %d %s", code, stderr)
	}
	// Tampering with the journal is reported at its line, and --ripara
	// refuses to touch anything but a torn last line.
	reg := filepath.Join(dir, "registro-protocollo.txt")
	raw, _ := os.ReadFile(reg)
	tampered := bytes.Replace(raw, []byte("2022\t153\t2022-02-23\temesso"), []byte("2022\t154\t2022-02-23\temesso"), 1)
	os.WriteFile(reg, tampered, 0o644)
	line := bytes.Count(raw[:bytes.Index(raw, []byte("2022\t153\t2022-02-23\temesso"))], []byte("\n")) + 1
	code, _, stderr = protocolloMain("protocollo", "verifica", "--ripara", dir)
	if code != 1 || !regexp.MustCompile(`(?m)^coopera: .*registro-protocollo\.txt:`+strconv.Itoa(line)+`: catena di integrità interrotta`).MatchString(stderr) {
		t.Errorf("verifica of a tampered journal: %d\n%s", code, stderr)
	}
	if now, _ := os.ReadFile(reg); !bytes.Equal(now, tampered) {
		t.Error("--ripara changed a register it cannot repair")
	}
	// A torn last line is repaired, and only with --ripara.
	os.WriteFile(reg, append(raw, "2022\t160\t2022-"...), 0o644)
	code, _, stderr = protocolloMain("protocollo", "verifica", dir)
	if code != 1 || !strings.Contains(stderr, "riga incompleta") || !strings.Contains(stderr, "--ripara") {
		t.Errorf("verifica of a torn journal: %d %s", code, stderr)
	}
	code, _, stderr = protocolloMain("protocollo", "verifica", "--ripara", dir)
	if now, _ := os.ReadFile(reg); code != 0 || !bytes.Equal(now, raw) || !strings.Contains(stderr, "eliminata la riga finale incompleta") {
		t.Errorf("verifica --ripara: %d %s", code, stderr)
	}
}

// TestProtocolloRepoData is the README's command on the project's data.
func TestProtocolloRepoData(t *testing.T) {
	if pdfVersion() != "" {
		t.Skip("the seed impronta is that of a development build")
	}
	code, stdout, stderr := protocolloMain("protocollo", "verifica", filepath.Join("..", "..", "..", "..", "data"))
	if code != 0 || !strings.Contains(stdout, "tutto in ordine") || !strings.Contains(stderr, "nota: ") {
		t.Errorf("verifica data: %d\n%s%s", code, stdout, stderr)
	}
}

// The temporary files a killed assegna leaves (beside the PDF and beside
// the meeting file it rewrites) are listed by verifica, which leaves them
// and adds no lock file, and removed by the next assegna.
func TestProtocolloLeftovers(t *testing.T) {
	dir, meeting := protocolloData(t, true)
	out := t.TempDir()
	pdfTmp := filepath.Join(out, ".convocazione_2022-0001_2022-03-02_tavolo-3.pdf.tmp-4242")
	yamlTmp := filepath.Join(dir, "tavoli", ".a.yaml.tmp-4343")
	for _, p := range []string{pdfTmp, yamlTmp} {
		if err := os.WriteFile(p, []byte("mezzo file"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr := protocolloMain("protocollo", "verifica", "-o", out, dir)
	for _, p := range []string{pdfTmp, yamlTmp} {
		if !strings.Contains(stderr, filepath.Base(p)+": nota: file temporaneo lasciato da un'esecuzione interrotta") {
			t.Errorf("verifica does not list %s (exit %d):\n%s", p, code, stderr)
		}
		if _, err := os.Stat(p); err != nil {
			t.Errorf("verifica removed %s", p)
		}
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".lock") {
			t.Errorf("verifica left %s in the data folder", e.Name())
		}
	}
	code, _, stderr = protocolloMain("protocollo", "assegna", "--data", "2022-02-20", "-o", out, meeting)
	if code != 0 {
		t.Fatalf("assegna: %d %s", code, stderr)
	}
	for _, p := range []string{pdfTmp, yamlTmp} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("assegna left %s", p)
		}
		if !strings.Contains(stderr, filepath.Base(p)+": rimosso il file temporaneo") {
			t.Errorf("assegna does not say it removed %s:\n%s", p, stderr)
		}
	}
}
