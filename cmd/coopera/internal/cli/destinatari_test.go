package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// mergeData copies the project's data folder, so that tests may edit it.
func mergeData(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "data")
	if err := os.CopyFS(dst, os.DirFS(filepath.Join("..", "..", "..", "..", "data"))); err != nil {
		t.Fatal(err)
	}
	return dst
}

func coopera(args ...string) (int, string, string) {
	var o, e bytes.Buffer
	code := Main(args, strings.NewReader(""), &o, &e)
	return code, o.String(), e.String()
}

const mergeCSV = `nome;titolo;genere;ente;ruolo;email
Maria Rossi;dott.;f;Comune di Catania;Referente per l'accoglienza;m.rossi@example.it
Mario Bianchi;avv.;m;Comune di Ragusa;;
Иван Петров;;m;Libero Consorzio di Siracusa;Referente SAI;
Ελένη Παπαδοπούλου;dott.ssa;;Comune di Enna;;
Łukasz Żółć;;;Comune di Alcamo;;
Ștefan Țăranu;prof.;m;Comune di Milazzo;;
`

func TestConvocaDestinatari(t *testing.T) {
	data := mergeData(t)
	list := filepath.Join(t.TempDir(), "referenti.csv")
	if err := os.WriteFile(list, []byte(mergeCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	meeting := filepath.Join(data, "tavoli", "2022-03-02-tavolo-3.yaml")
	out := t.TempDir()
	regPath := filepath.Join(data, "registro-protocollo.txt")
	regBefore, _ := os.ReadFile(regPath)
	// The personal letters of an issued letter carry its number: convoca
	// writes none of them until they are issued...
	code, _, stderr := coopera("convoca", "--destinatari", list, "-o", out, meeting)
	if code != 1 || !strings.Contains(stderr, "le lettere personali del protocollo n. 0153/23/02/22 non sono ancora emesse") ||
		!strings.Contains(stderr, "coopera protocollo registra") {
		t.Fatalf("convoca before issuing: exit %d: %s", code, stderr)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Fatalf("files written by a refused merge: %v", ents)
	}
	// ...protocollo registra issues them, each with a line of the register
	// and its record...
	issued := t.TempDir()
	if code, _, stderr := coopera("protocollo", "registra", "--destinatari", list, "-o", issued, meeting); code != 0 {
		t.Fatalf("registra --destinatari: exit %d: %s", code, stderr)
	}
	regAfter, _ := os.ReadFile(regPath)
	if !bytes.HasPrefix(regAfter, regBefore) || bytes.Count(regAfter[len(regBefore):], []byte("\tpersonale\t")) != 7 {
		t.Fatalf("register after registra --destinatari:\n%s", regAfter[len(regBefore):])
	}
	// ...and registra again issues nothing more.
	if code, _, stderr := coopera("protocollo", "registra", "--destinatari", list, "-o", issued, meeting); code != 0 {
		t.Fatalf("registra --destinatari again: exit %d: %s", code, stderr)
	}
	if again, _ := os.ReadFile(regPath); !bytes.Equal(again, regAfter) {
		t.Fatal("a second registra --destinatari changed the register")
	}
	// convoca then hands out exactly the issued bytes.
	code, stdout, stderr := coopera("convoca", "--json", "--destinatari", list, "-o", out, meeting)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	ents, _ := os.ReadDir(issued)
	for _, e := range ents {
		a, _ := os.ReadFile(filepath.Join(issued, e.Name()))
		b, err := os.ReadFile(filepath.Join(out, e.Name()))
		r, _ := os.ReadFile(filepath.Join(data, "emessi", "2022", e.Name()))
		if err != nil || !bytes.Equal(a, b) || !bytes.Equal(a, r) {
			t.Errorf("%s: convoca's copy or the record differs from the issued letter (%v)", e.Name(), err)
		}
	}
	// A changed meeting file refuses them all, like the letter.
	src, _ := os.ReadFile(meeting)
	os.WriteFile(meeting, bytes.Replace(src, []byte("15:00-17:00"), []byte("15:00-18:00"), 1), 0o644)
	if code, _, stderr := coopera("convoca", "--destinatari", list, "-o", t.TempDir(), meeting); code != 1 || !strings.Contains(stderr, "dopo l'emissione sono cambiati: ora") {
		t.Errorf("convoca --destinatari after an edit: exit %d: %s", code, stderr)
	}
	os.WriteFile(meeting, src, 0o644)
	var written []struct {
		File   string `json:"file"`
		Pagine int    `json:"pagine"`
	}
	if err := json.Unmarshal([]byte(stdout), &written); err != nil {
		t.Fatalf("--json output %q: %v", stdout, err)
	}
	const base = "convocazione_2022-0153_2022-03-02_tavolo-3"
	wantNames := []string{"_001-rossi-maria", "_002-bianchi-mario", "_003-petrov-ivan", "_004-papadopoulou-eleni",
		"_005-zolc-lukasz", "_006-taranu-stefan", "_tutti"}
	if len(written) != len(wantNames) {
		t.Fatalf("wrote %d files, want %d: %s", len(written), len(wantNames), stdout)
	}
	sum := 0
	for i, w := range written {
		if want := filepath.Join(out, base+wantNames[i]+".pdf"); w.File != want {
			t.Errorf("file %d = %s, want %s", i, w.File, want)
		}
		if i < len(written)-1 {
			sum += w.Pagine
		}
	}
	if all := written[len(written)-1].Pagine; all != sum {
		t.Errorf("combined PDF has %d pages, the letters %d", all, sum)
	}

	// The same run writes the same bytes.
	out2 := t.TempDir()
	if code, _, stderr := coopera("convoca", "-q", "--destinatari", list, "-o", out2, meeting); code != 0 {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	for _, n := range wantNames {
		a, _ := os.ReadFile(filepath.Join(out, base+n+".pdf"))
		b, _ := os.ReadFile(filepath.Join(out2, base+n+".pdf"))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", n)
		}
	}

	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext missing: text checks skipped")
	}
	text := func(name string) string {
		b, err := exec.Command("pdftotext", "-layout", filepath.Join(out, base+name+".pdf"), "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(string(b)), " ")
	}
	for _, tt := range []struct{ name, want string }{
		{"_001-rossi-maria", "Alla dott.ssa Maria Rossi Referente per l’accoglienza Comune di Catania"},
		{"_001-rossi-maria", "Gentile dott.ssa Rossi,"},
		{"_002-bianchi-mario", "All’avv. Mario Bianchi Comune di Ragusa"},
		{"_003-petrov-ivan", "Alla cortese attenzione di Иван Петров Referente SAI"},
		{"_003-petrov-ivan", "Gentile Иван Петров,"},
		{"_004-papadopoulou-eleni", "Alla dott.ssa Ελένη Παπαδοπούλου Comune di Enna"},
		{"_005-zolc-lukasz", "Gentile Łukasz Żółć,"},
		{"_006-taranu-stefan", "Gentile prof. Țăranu,"},
		{"_tutti", "Gentile Łukasz Żółć,"},
		{"_tutti", "Prot. n. 0153/23/02/22"},
	} {
		if got := text(tt.name); !strings.Contains(got, tt.want) {
			t.Errorf("%s: text lacks %q:\n%s", tt.name, tt.want, got)
		}
	}
	if n := strings.Count(text("_tutti"), "Oggetto:"); n != 6 {
		t.Errorf("combined PDF: %d subjects, want 6 (one per letter)", n)
	}
}

func TestConvocaDestinatariProblems(t *testing.T) {
	data := mergeData(t)
	meeting := filepath.Join(data, "tavoli", "2022-03-02-tavolo-3.yaml")
	tests := []struct {
		name, file, content string
		want                []string
	}{
		{"unprintable character", "r.csv", "nome,ente\nMaria Rossi,Comune\nZhang 张伟,Comune\n",
			[]string{"r.csv:3:1: nome: il carattere \"张\" (U+5F20) non è stampabile con i font disponibili"}},
		{"unknown key", "r.yaml", "- nome: Maria Rossi\n  qualifica: dott.ssa\n",
			[]string{"r.yaml:2:3: destinatari[1].qualifica: chiave sconosciuta"}},
		{"missing file", "", "", []string{"il file dei destinatari non esiste"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list := filepath.Join(t.TempDir(), "nessuno.csv")
			if tt.file != "" {
				list = filepath.Join(t.TempDir(), tt.file)
				if err := os.WriteFile(list, []byte(tt.content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out := t.TempDir()
			code, stdout, stderr := coopera("convoca", "--destinatari", list, "-o", out, meeting)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, "coopera: "+list) || !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 || stdout != "" {
				t.Errorf("wrote %d files, printed %q", len(entries), stdout)
			}
		})
	}
}

func TestConvocaDestinatariWithICS(t *testing.T) {
	data := mergeData(t)
	list := filepath.Join(t.TempDir(), "r.yaml")
	if err := os.WriteFile(list, []byte("- nome: Maria Rossi\n  titolo: dott.ssa\n- nome: Mario Bianchi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if code, _, stderr := coopera("protocollo", "registra", "--destinatari", list, "-o", t.TempDir(), filepath.Join(data, "tavoli", "2022-03-02-tavolo-3.yaml")); code != 0 {
		t.Fatalf("registra --destinatari: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := coopera("convoca", "--ics", "--destinatari", list, "-o", out, filepath.Join(data, "tavoli", "2022-03-02-tavolo-3.yaml"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 4 || !strings.HasSuffix(lines[3], "convocazione_2022-0153_2022-03-02_tavolo-3.ics") {
		t.Fatalf("written: %q; want two letters, the combined PDF and one invitation", lines)
	}
}
