package calendar

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/pdfa"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/templates"
	ics "github.com/arran4/golang-ical"
)

const repoData = "../../../../data"

func env() *pipeline.Env { return &pipeline.Env{Templates: templates.FS, Version: "test"} }

func collect(t *testing.T, dir string) *Calendar {
	t.Helper()
	c, err := Collect(dir, env())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCollectRepositoryData(t *testing.T) {
	c := collect(t, repoData)
	var got []string
	for _, e := range c.Entries {
		got = append(got, filepath.Base(e.Meeting.Path))
	}
	want := []string{"2021-12-07-costituzione-coordinamento.yaml", "2021-12-22-tavolo-1.yaml", "2022-01-31-tavolo-2.yaml",
		"2022-03-02-tavolo-3.yaml", "2022-03-24-tavolo-4.yaml", "2022-04-27-tavolo-5.yaml", "2022-05-25-tavolo-6.yaml"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("order:\n got %v\nwant %v", got, want)
	}
	// The links must be the names convoca and comunicato really write.
	e := env()
	letter, err := e.Letter(filepath.Join(repoData, "tavoli", "2022-03-02-tavolo-3.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	release, err := e.PressRelease(filepath.Join(repoData, "comunicati", "2022-01-25-tavolo-2.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range c.Entries {
		switch i {
		case 3:
			if e.Letter != letter.Name {
				t.Errorf("tavolo 3 letter = %q, convoca writes %q", e.Letter, letter.Name)
			}
		case 2:
			if len(e.Releases) != 1 || e.Releases[0].Name != release.Name {
				t.Errorf("tavolo 2 releases = %+v, comunicato writes %q", e.Releases, release.Name)
			}
			if e.Letter != "" {
				t.Errorf("tavolo 2 has no protocol: no letter, got %q", e.Letter)
			}
		default:
			// 6 has a protocol number but no date: no letter can be issued.
			if e.Letter != "" || len(e.Releases) != 0 {
				t.Errorf("entry %d: unexpected documents %q %+v", i, e.Letter, e.Releases)
			}
		}
	}
}

func TestMarkdown(t *testing.T) {
	md := collect(t, repoData).Markdown(false)
	for _, want := range []string{
		"# Calendario dei Tavoli tecnici – Progetto COOPERA\n",
		"## Costituzione di un Coordinamento dei Comuni Siciliani aderenti al SAI – martedì 7 dicembre 2021\n",
		"## 1º Tavolo tecnico – mercoledì 22 dicembre 2021\n",
		"- *«SAI ed Ente Locale»* (a cura di **N. Grigion**)\n",
		"## 2º Tavolo tecnico – lunedì 31 gennaio 2022\n",
		"(a cura di **Silvia Evelyn Rovetto** e **Annalisa Fontana**)",
		"Coordina: Mario Emanuele Alvano, Segretario Generale dell'ANCI Sicilia.",
		"[Comunicato stampa del 25 gennaio 2022 (PDF)](<comunicato_2022-01-25_",
		"## 3º Tavolo tecnico – mercoledì 2 marzo 2022\n\n**Coordinamento dei Progetti SAI della provincia di Brescia: un modello di rete che funziona dal 2016**\n\nOre 15:00-17:00, in videoconferenza.",
		"- **dott.ssa Maddalena Alberti**, Referente per gli Enti attuatori",
		"[Lettera di convocazione (PDF)](<convocazione_2022-0153_2022-03-02_tavolo-3.pdf>)",
		"[Video e slides dell'incontro](<https://www.youtube.com/watch?v=W8nMwuZY0xs&t=11s>)",
		"## 6º Tavolo tecnico – mercoledì 25 maggio 2022\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	if strings.Contains(md, "\n\n\n") || strings.Contains(md, "<!--") {
		t.Errorf("the Markdown file has blank runs or role markers")
	}
	if pdf := collect(t, repoData).Markdown(true); !strings.HasPrefix(pdf, "<!-- coopera:intestazione -->\n## ") {
		t.Errorf("the PDF's Markdown starts %q", pdf[:40])
	}
}

var external = regexp.MustCompile(`(?i)(<script|<link|<img|<iframe|src=|@import|url\()`)

func TestHTML(t *testing.T) {
	page, err := collect(t, repoData).HTML()
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	if !strings.HasPrefix(s, "<!DOCTYPE html>\n<html lang=\"it\">") {
		t.Errorf("page starts %q", s[:40])
	}
	if m := external.FindString(s); m != "" {
		t.Errorf("the page loads something from outside: %q", m)
	}
	for _, want := range []string{
		"<h1>Calendario dei Tavoli tecnici – Progetto COOPERA</h1>",
		"<h2 id=\"titolo-tavolo-3\">3º Tavolo tecnico <span class=\"data\"><time datetime=\"2022-03-02\">mercoledì 2\u00a0marzo\u00a02022</time></span></h2>",
		`<a href="convocazione_2022-0153_2022-03-02_tavolo-3.pdf" type="application/pdf">Lettera di convocazione (PDF)</a>`,
		`href="https://www.youtube.com/watch?v=W8nMwuZY0xs&amp;t=11s"`,
		"«SAI ed Ente Locale» (a cura di N.\u00a0Grigion)",
		"<h3>Interventi</h3>",
		"dott.\u00a0Antonio Tedeschi",                    // ties, as in the letters
		"Coordinamento dei Progetti SAI della provincia", // no quote in the data: unchanged
		"dell’Ente locale",                               // typographic apostrophe
		"Ore\u00a015:00-17:00, in videoconferenza.",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	ids := regexp.MustCompile(` id="([^"]+)"`).FindAllStringSubmatch(s, -1)
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id[1]] {
			t.Errorf("duplicate id %q", id[1])
		}
		seen[id[1]] = true
	}
	if len(ids) != 14 {
		t.Errorf("%d ids, want 2 per meeting (14)", len(ids))
	}
	validateHTML(t, page)
}

// validateHTML runs HTML Tidy when the machine has it (Debian: tidy); any
// warning or error fails the test.
func validateHTML(t *testing.T, page []byte) {
	t.Helper()
	tidy, err := exec.LookPath("tidy")
	if err != nil {
		t.Log("tidy non disponibile: validazione HTML saltata")
		return
	}
	f := filepath.Join(t.TempDir(), "calendario.html")
	os.WriteFile(f, page, 0o644)
	out, err := exec.Command(tidy, "-e", "-q", f).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("tidy: %v\n%s", err, out)
	}
}

func TestICSFeed(t *testing.T) {
	data, err := collect(t, repoData).ICS()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if len(evs) != 7 {
		t.Fatalf("%d events, want 7", len(evs))
	}
	if v := evs[3].GetProperty(ics.ComponentPropertyDtStart); v == nil || v.Value != "20220302T150000" || v.ICalParameters["TZID"][0] != "Europe/Rome" {
		t.Errorf("tavolo 3 DTSTART = %+v", v)
	}
	if v := evs[0].GetProperty(ics.ComponentPropertyDtStart); v == nil || v.Value != "20211207" {
		t.Errorf("historical DTSTART = %+v", v)
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n") {
		if len(line) > 75 || strings.Contains(line, "\n") {
			t.Errorf("bad line %q", line)
		}
	}
}

func TestPDF(t *testing.T) {
	c := collect(t, repoData)
	a, err := c.PDF(env())
	if err != nil {
		t.Fatal(err)
	}
	b, err := collect(t, repoData).PDF(env())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two runs gave different PDFs")
	}
	if v := pdfa.Check(a); len(v) > 0 {
		t.Errorf("PDF/A violations: %v", v)
	}
	// Link annotations and the XMP title are stored uncompressed.
	for _, want := range []string{"Calendario dei Tavoli tecnici – Progetto COOPERA",
		"/URI (convocazione_2022-0153_2022-03-02_tavolo-3.pdf)", "/URI (comunicato_2022-01-25_",
		"/URI (https://www.youtube.com/watch?v=W8nMwuZY0xs&t=11s)"} {
		if !bytes.Contains(a, []byte(want)) {
			t.Errorf("PDF lacks %q", want)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, b := collect(t, repoData), collect(t, repoData)
	ha, _ := a.HTML()
	hb, _ := b.HTML()
	ia, _ := a.ICS()
	ib, _ := b.ICS()
	if a.Markdown(false) != b.Markdown(false) || !bytes.Equal(ha, hb) || !bytes.Equal(ia, ib) {
		t.Error("two runs differ")
	}
}

func TestCollectErrors(t *testing.T) {
	prof, err := os.ReadFile(filepath.Join(repoData, "progetto.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	mk := func(files map[string]string) string {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "loghi"), 0o755)
		for _, l := range []string{"citta-di-palermo.png", "ministero-interno.png"} {
			b, _ := os.ReadFile(filepath.Join(repoData, "loghi", l))
			os.WriteFile(filepath.Join(dir, "loghi", l), b, 0o644)
		}
		os.WriteFile(filepath.Join(dir, "progetto.yaml"), prof, 0o644)
		for n, s := range files {
			os.MkdirAll(filepath.Dir(filepath.Join(dir, n)), 0o755)
			os.WriteFile(filepath.Join(dir, n), []byte(s), 0o644)
		}
		return dir
	}
	cases := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"nessun incontro", nil, "nessun incontro"},
		{"incontro con errori", map[string]string{"tavoli/a.yaml": "tavolo: 1\ntitolo: x\ndata: 2022-02-30\nora: \"15:00-17:00\"\nmodalita: videoconferenza\n"}, "data"},
		{"comunicato con errori", map[string]string{
			"tavoli/a.yaml":     "tavolo: 1\ntitolo: x\ndata: 2022-03-02\nora: \"15:00-17:00\"\nmodalita: videoconferenza\n",
			"comunicati/b.yaml": "data: 2022-02-25\ntavolo: ../tavoli/a.yaml\ntesto: il 5º Tavolo tecnico\n",
		}, "Tavolo"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Collect(mk(c.files), env())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

func BenchmarkCollectAndWrite(b *testing.B) {
	for b.Loop() {
		c, err := Collect(repoData, env())
		if err != nil {
			b.Fatal(err)
		}
		c.Markdown(false)
		c.HTML()
		c.ICS()
	}
}
