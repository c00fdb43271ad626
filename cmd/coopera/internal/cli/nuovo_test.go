package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
)

const nvRepoData = "../../../../data"

// copyData copies the repository's data folder into a temporary one, so
// that commands may write into it.
func nvCopyData(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "data")
	err := filepath.WalkDir(nvRepoData, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(nvRepoData, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

type nvResult struct {
	code           int
	stdout, stderr string
}

func nvRun(stdin string, args ...string) nvResult {
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(stdin), &out, &errb)
	return nvResult{code, out.String(), errb.String()}
}

func nvLoadMeeting(t *testing.T, path string) *model.Meeting {
	t.Helper()
	prof, probs := model.LoadProfile(filepath.Join(filepath.Dir(filepath.Dir(path)), "progetto.yaml"), model.Options{})
	if probs.Err() != nil {
		t.Fatal(probs)
	}
	m, probs := model.LoadMeeting(path, prof, model.Options{Coverage: coverage()})
	// Only placeholders still to fill in may be reported (warnings).
	if m == nil || len(probs) != len(m.Placeholders) || len(probs.Errors()) > 0 {
		t.Fatalf("%s has problems: %v", path, probs)
	}
	return m
}

func TestNuovoTavolo(t *testing.T) {
	data := nvCopyData(t)
	tavoli := filepath.Join(data, "tavoli")
	cases := []struct {
		name   string
		args   []string
		code   int
		file   string // expected new file, relative to tavoli
		stderr string
		check  func(t *testing.T, m *model.Meeting)
	}{
		{"flag minime", []string{"--data", "2026-12-10", "--ora", "15:00-17:00"}, 0, "2026-12-10-tavolo-7.yaml", "DA DEFINIRE",
			func(t *testing.T, m *model.Meeting) {
				if m.Number != 7 || m.Start.String() != "15:00" || m.End.String() != "17:00" || m.Mode != model.Video || m.Title != "DA DEFINIRE" {
					t.Errorf("loaded %+v", m)
				}
			}},
		{"numero successivo", []string{"--data", "2026-12-17", "--ora", "9:30-13:00", "--titolo", "Salute e accoglienza"}, 0, "2026-12-17-tavolo-8.yaml", "",
			func(t *testing.T, m *model.Meeting) {
				if m.Number != 8 || m.Title != "Salute e accoglienza" || m.Start.String() != "09:30" {
					t.Errorf("loaded %+v", m)
				}
			}},
		{"presenza", []string{"--data", "2027-01-20", "--ora", "10:00-12:00", "--titolo", "In sede", "--modalita", "presenza",
			"--sede", "Sala Martorana", "--indirizzo", "Via Maqueda 100"}, 0, "2027-01-20-tavolo-9.yaml", "",
			func(t *testing.T, m *model.Meeting) {
				if m.Venue == nil || *m.Venue != (model.Venue{Name: "Sala Martorana", Address: "Via Maqueda 100", City: "Palermo"}) {
					t.Errorf("venue %+v", m.Venue)
				}
			}},
		{"evento", []string{"--evento", "--titolo", "Webinar sul bando", "--data", "2027-02-01", "--ora", "10:00-11:00",
			"--collegamento", "https://meet.example.it/bando"}, 0, "2027-02-01-webinar-sul-bando.yaml", "",
			func(t *testing.T, m *model.Meeting) {
				if m.Number != 0 || m.Link != "https://meet.example.it/bando" {
					t.Errorf("loaded %+v", m)
				}
			}},
		{"esiste già", []string{"--data", "2026-12-10", "--ora", "15:00-17:00", "--numero", "7"}, 1, "", "esiste già", nil},
		{"mancano data e ora", []string{"--titolo", "x"}, 2, "", "mancano le opzioni obbligatorie --data e --ora", nil},
		{"manca l'ora", []string{"--data", "2026-12-10"}, 2, "", "manca l'opzione obbligatoria --ora", nil},
		{"evento senza titolo", []string{"--evento", "--data", "2026-12-10", "--ora", "15:00-17:00"}, 2, "", "--titolo", nil},
		{"ora al contrario", []string{"--data", "2026-12-10", "--ora", "17:00-15:00"}, 2, "", "l'ora di fine deve venire dopo quella di inizio", nil},
		{"numero con zeri", []string{"--data", "2026-12-10", "--ora", "15:00-17:00", "--numero", "0412"}, 2, "", "suggerimento: scrivi il numero senza zeri davanti: 412\n", nil},
		{"numero esadecimale", []string{"--data", "2026-12-10", "--ora", "15:00-17:00", "--numero", "0x99"}, 2, "", "0x99 vale 153", nil},
		{"anno fuori dai limiti", []string{"--data", "1999-12-10", "--ora", "15:00-17:00"}, 2, "", "anno fuori dall'intervallo ammesso (2000-2199): 1999", nil},
		{"data impossibile", []string{"--data", "2026-02-30", "--ora", "15:00-17:00"}, 2, "", "data impossibile", nil},
		{"modalità sconosciuta", []string{"--data", "2026-12-10", "--ora", "15:00-17:00", "--modalita", "online"}, 2, "", "modalità non valida", nil},
		{"sede senza presenza", []string{"--data", "2026-12-10", "--ora", "15:00-17:00", "--sede", "x"}, 2, "", "--sede", nil},
		{"cartella dati mancante", []string{"--dati", filepath.Join(data, "manca"), "--data", "2026-12-10", "--ora", "15:00-17:00"}, 1, "", "non esiste", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, _ := os.ReadDir(tavoli)
			args := append([]string{"nuovo", "tavolo", "--dati", data}, c.args...)
			r := nvRun("", args...)
			if r.code != c.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, c.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stderr, c.stderr) {
				t.Errorf("stderr %q lacks %q", r.stderr, c.stderr)
			}
			after, _ := os.ReadDir(tavoli)
			if c.file == "" {
				if len(after) != len(before) {
					t.Errorf("a failed run changed the folder: %d → %d files", len(before), len(after))
				}
				return
			}
			path := filepath.Join(tavoli, c.file)
			if r.stdout != path+"\n" {
				t.Errorf("stdout = %q, want the path %s", r.stdout, path)
			}
			b, _ := os.ReadFile(path)
			if !strings.HasPrefix(string(b), "# yaml-language-server: $schema=../../assets/schemas/tavolo.schema.json\n") {
				t.Errorf("schema line missing: %q", strings.SplitN(string(b), "\n", 2)[0])
			}
			c.check(t, nvLoadMeeting(t, path))
		})
	}
	// The new files pass «valida» too.
	if r := nvRun("", "valida", data); r.code != 0 {
		t.Errorf("valida: %d %s %s", r.code, r.stdout, r.stderr)
	}
}

func TestNuovoTavoloInteractive(t *testing.T) {
	data := nvCopyData(t)
	old := stdinIsTerminal
	stdinIsTerminal = func(io.Reader) bool { return true }
	defer func() { stdinIsTerminal = old }()
	// A wrong date first: coopera explains and asks again.
	// The venue may not be left empty; city and link are asked too.
	r := nvRun("2026-13-01\n2026-12-10\n15:00-17:00\nAccoglienza e salute\nmista\n\nSala Martorana\n\n\nhttps://meet.example.it/t7\n", "nuovo", "tavolo", "--dati", data)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, q := range []string{"Data dell'incontro", "data impossibile", "Orario", "Titolo", "Modalità", "Nome della sede", "la sede serve", "Indirizzo", "Città della sede [Palermo]", "Link della videoconferenza"} {
		if !strings.Contains(r.stderr, q) {
			t.Errorf("the questions on stderr lack %q:\n%s", q, r.stderr)
		}
	}
	m := nvLoadMeeting(t, strings.TrimSpace(r.stdout))
	if m.Number != 7 || m.Title != "Accoglienza e salute" || m.Mode != model.Mixed || m.Venue.Name != "Sala Martorana" || m.Venue.City != "Palermo" || m.Link != "https://meet.example.it/t7" || len(m.Placeholders) != 0 {
		t.Errorf("loaded %+v %+v", m, m.Venue)
	}
	// Input ends before the answers: an error, and no file.
	r = nvRun("2026-12-11\n", "nuovo", "tavolo", "--dati", data)
	if r.code != 1 || !strings.Contains(r.stderr, "risposta mancante") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestNuovoJSON(t *testing.T) {
	data := nvCopyData(t)
	r := nvRun("", "--json", "nuovo", "tavolo", "--dati", data, "--data", "2026-12-10", "--ora", "15:00-17:00", "--titolo", "x")
	var got []map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 {
		t.Fatalf("exit %d, %v: %q", r.code, err, r.stdout)
	}
	if len(got) != 1 || got[0]["tipo"] != "tavolo" || !strings.HasSuffix(got[0]["file"], "2026-12-10-tavolo-7.yaml") {
		t.Errorf("json = %v", got)
	}
	if r := nvRun("", "-q", "nuovo", "tavolo", "--dati", data, "--data", "2026-12-11", "--ora", "15:00-17:00", "--titolo", "y"); r.code != 0 || r.stdout != "" || r.stderr != "" {
		t.Errorf("--quiet: %+v", r)
	}
}

func TestNuovoComunicato(t *testing.T) {
	data := nvCopyData(t)
	meeting := filepath.Join(data, "tavoli", "2022-03-02-tavolo-3.yaml")
	cases := []struct {
		name   string
		args   []string
		code   int
		file   string
		stderr string
	}{
		{"dal tavolo 3", []string{"--tavolo", meeting, "--data", "2022-02-25"}, 0, "2022-02-25-tavolo-3.yaml", ""},
		{"esiste già", []string{"--tavolo", meeting, "--data", "2022-02-25"}, 1, "", "esiste già"},
		{"manca la data", []string{"--tavolo", meeting}, 2, "", "manca l'opzione obbligatoria --data"},
		{"mancano entrambe", nil, 2, "", "--tavolo e --data"},
		{"tavolo inesistente", []string{"--tavolo", filepath.Join(data, "tavoli", "manca.yaml"), "--data", "2022-02-25"}, 1, "", "non esiste"},
		{"incontro senza orario", []string{"--tavolo", filepath.Join(data, "tavoli", "2022-03-24-tavolo-4.yaml"), "--data", "2022-03-20"}, 1, "", "non ha orario"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := nvRun("", append([]string{"nuovo", "comunicato"}, c.args...)...)
			if r.code != c.code || !strings.Contains(r.stderr, c.stderr) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", r.code, c.code, r.stderr, c.stderr)
			}
			if c.file == "" {
				return
			}
			path := filepath.Join(data, "comunicati", c.file)
			if strings.TrimSpace(r.stdout) != path {
				t.Errorf("stdout %q, want %s", r.stdout, path)
			}
			b, _ := os.ReadFile(path)
			if !strings.Contains(string(b), "tavolo: \"../tavoli/2022-03-02-tavolo-3.yaml\"") {
				t.Errorf("the release does not point at its meeting:\n%s", b)
			}
			// It renders: the cross-check with the meeting passes.
			out := t.TempDir()
			if r := nvRun("", "comunicato", "-o", out, path); r.code != 0 {
				t.Errorf("comunicato: %d %s", r.code, r.stderr)
			}
		})
	}
}
