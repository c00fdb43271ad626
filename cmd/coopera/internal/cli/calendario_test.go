package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
)

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func TestCalendario(t *testing.T) {
	data := nvCopyData(t)
	cases := []struct {
		name   string
		args   []string
		code   int
		files  []string
		stderr string
	}{
		{"tutti i formati", nil, 0, []string{"calendario.html", "calendario.ics", "calendario.md", "calendario.pdf"}, ""},
		{"html e ics", []string{"--formato", "html,ics"}, 0, []string{"calendario.html", "calendario.ics"}, ""},
		{"formato ripetuto", []string{"--formato", "md", "--formato", "MD"}, 0, []string{"calendario.md"}, ""},
		{"formato sconosciuto", []string{"--formato", "docx"}, 2, nil, "i formati sono md, html, pdf, ics"},
		{"dati mancanti", []string{"--dati", filepath.Join(data, "manca")}, 1, nil, "non esiste"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"calendario", "--dati", data, "-o", out}, c.args...)
			r := nvRun("", args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.stderr) {
				t.Fatalf("exit %d (want %d), stderr %q", r.code, c.code, r.stderr)
			}
			got := dirNames(t, out)
			if strings.Join(got, " ") != strings.Join(c.files, " ") {
				t.Errorf("files %v, want %v", got, c.files)
			}
			if c.code == 0 {
				lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
				if len(lines) != len(c.files) {
					t.Errorf("stdout lists %d paths, want %d: %q", len(lines), len(c.files), r.stdout)
				}
			}
		})
	}
}

func TestCalendarioContentAndDeterminism(t *testing.T) {
	data := nvCopyData(t)
	a, b := t.TempDir(), t.TempDir()
	for _, out := range []string{a, b} {
		if r := nvRun("", "calendario", "--dati", data, "-o", out); r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
	}
	for _, n := range []string{"calendario.md", "calendario.html", "calendario.pdf", "calendario.ics"} {
		x, _ := os.ReadFile(filepath.Join(a, n))
		y, _ := os.ReadFile(filepath.Join(b, n))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs (or is empty)", n)
		}
	}
	md, _ := os.ReadFile(filepath.Join(a, "calendario.md"))
	for _, want := range []string{"## 3º Tavolo tecnico – mercoledì 2 marzo 2022", "(<convocazione_2022-0153_2022-03-02_tavolo-3.pdf>)"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("calendario.md lacks %q", want)
		}
	}
	html, _ := os.ReadFile(filepath.Join(a, "calendario.html"))
	if !bytes.Contains(html, []byte(`<html lang="it">`)) || !bytes.Contains(html, []byte("6º Tavolo tecnico")) {
		t.Errorf("calendario.html lacks the language or the 6th Tavolo")
	}
	feed, _ := os.ReadFile(filepath.Join(a, "calendario.ics"))
	cal, err := ics.ParseCalendar(bytes.NewReader(feed))
	if err != nil || len(cal.Events()) != 7 {
		t.Errorf("calendario.ics: %v, %d events", err, len(cal.Events()))
	}
	pdf, _ := os.ReadFile(filepath.Join(a, "calendario.pdf"))
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("calendario.pdf is not a PDF")
	}
	// The letter the calendar links to is the one convoca writes.
	if r := nvRun("", "convoca", "-o", a, filepath.Join(data, "tavoli", "2022-03-02-tavolo-3.yaml")); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if _, err := os.Stat(filepath.Join(a, "convocazione_2022-0153_2022-03-02_tavolo-3.pdf")); err != nil {
		t.Errorf("the linked letter was not written under the linked name: %v", err)
	}
}

func TestCalendarioBadDataWritesNothing(t *testing.T) {
	data := nvCopyData(t)
	os.WriteFile(filepath.Join(data, "tavoli", "2023-01-01-tavolo-9.yaml"), []byte("tavolo: 9\ntitolo: x\ndata: 2023-01-01\nora: \"17:00-15:00\"\nmodalita: videoconferenza\n"), 0o644)
	out := t.TempDir()
	r := nvRun("", "calendario", "--dati", data, "-o", out)
	if r.code != 1 || !strings.Contains(r.stderr, "2023-01-01-tavolo-9.yaml") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if got := dirNames(t, out); len(got) != 0 {
		t.Errorf("files written despite the error: %v", got)
	}
}

func TestCalendarioJSON(t *testing.T) {
	data := nvCopyData(t)
	out := t.TempDir()
	r := nvRun("", "--json", "calendario", "--dati", data, "-o", out, "--formato", "ics,md")
	var got []struct {
		File    string `json:"file"`
		Formato string `json:"formato"`
		Byte    int    `json:"byte"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 {
		t.Fatalf("exit %d, %v: %q", r.code, err, r.stdout)
	}
	if len(got) != 2 || got[0].Formato != "md" || got[1].Formato != "ics" || got[1].File != filepath.Join(out, "calendario.ics") || got[0].Byte == 0 {
		t.Errorf("json = %+v", got)
	}
}

func TestConvocaICS(t *testing.T) {
	data := nvCopyData(t)
	cases := []struct {
		name  string
		args  []string
		files []string
	}{
		{"con --ics", []string{"--ics", filepath.Join(data, "tavoli", "2022-03-02-tavolo-3.yaml")},
			[]string{"convocazione_2022-0153_2022-03-02_tavolo-3.ics", "convocazione_2022-0153_2022-03-02_tavolo-3.pdf"}},
		{"senza --ics", []string{filepath.Join(data, "tavoli", "2022-03-02-tavolo-3.yaml")},
			[]string{"convocazione_2022-0153_2022-03-02_tavolo-3.pdf"}},
		{"bozza", []string{"--ics", "--bozza", filepath.Join(data, "tavoli", "2022-01-31-tavolo-2.yaml")},
			[]string{"bozza_convocazione_2022-01-31_tavolo-2.ics", "bozza_convocazione_2022-01-31_tavolo-2.pdf"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			r := nvRun("", append([]string{"convoca", "-o", out}, c.args...)...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if got := dirNames(t, out); strings.Join(got, " ") != strings.Join(c.files, " ") {
				t.Fatalf("files %v, want %v", got, c.files)
			}
			for _, f := range c.files {
				if !strings.Contains(r.stdout, filepath.Join(out, f)+"\n") {
					t.Errorf("stdout does not list %s: %q", f, r.stdout)
				}
				if !strings.HasSuffix(f, ".ics") {
					continue
				}
				b, _ := os.ReadFile(filepath.Join(out, f))
				cal, err := ics.ParseCalendar(bytes.NewReader(b))
				if err != nil || len(cal.Events()) != 1 {
					t.Fatalf("%s: %v", f, err)
				}
				ev := cal.Events()[0]
				if s := ev.GetProperty(ics.ComponentPropertySummary); s == nil || !strings.Contains(s.Value, "Tavolo tecnico") {
					t.Errorf("SUMMARY = %+v", s)
				}
				if bytes.Count(b, []byte("\n")) != bytes.Count(b, []byte("\r\n")) {
					t.Errorf("%s has bare LF line ends", f)
				}
			}
		})
	}
	// A file with an error: no letter and no invitation.
	out := t.TempDir()
	bad := filepath.Join(data, "tavoli", "2022-03-24-tavolo-4.yaml") // historical: no letter
	if r := nvRun("", "convoca", "--ics", "-o", out, bad); r.code != 1 || len(dirNames(t, out)) != 0 {
		t.Errorf("exit %d, files %v", r.code, dirNames(t, out))
	}
}
