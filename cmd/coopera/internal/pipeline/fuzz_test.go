package pipeline_test

// FuzzRenderMeeting writes a meeting file from fuzzed fields (well-formed
// YAML, so that the fuzzer explores the text and the numbers rather than
// the syntax the loader's own fuzz target covers) and renders its letter
// end to end. Errors are allowed; a panic, a PDF that is not one, or an
// output name built from raw text are not.
//
//	go test ./cmd/coopera/internal/pipeline -run '^$' -fuzz FuzzRenderMeeting -fuzztime 90s

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/typeset"
	"github.com/ancisicilia/coopera/templates"
	"go.yaml.in/yaml/v3"
)

var safeName = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*\.pdf$`)

// fuzzData copies the profile and its logos into a folder of the fuzzer's
// own, so that meeting files written there find them.
func fuzzData(f *testing.F) string {
	src := seedData(f)
	dir := f.TempDir()
	for _, rel := range []string{"progetto.yaml", "loghi/citta-di-palermo.png", "loghi/ministero-interno.png"} {
		data, err := os.ReadFile(filepath.Join(src, rel))
		if err != nil {
			f.Fatal(err)
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			f.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "tavoli"), 0o755); err != nil {
		f.Fatal(err)
	}
	return dir
}

type meetingFields struct {
	title, text, name, role, link string
	number, protocol              int
	day, start, length            int
	mode                          int
	draft                         bool
}

// yaml renders the fields as a meeting file.
func (m meetingFields) yaml() ([]byte, error) {
	date := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, m.day%3000)
	start := m.start % (24 * 60)
	end := start + m.length%(24*60)
	doc := map[string]any{
		"titolo": m.title,
		"data":   date.Format("2006-01-02"),
		"ora":    fmt.Sprintf("%02d:%02d-%02d:%02d", start/60, start%60, end/60, end%60),
	}
	modes := []string{"videoconferenza", "presenza", "mista"}
	doc["modalita"] = modes[m.mode%3]
	if m.mode%3 != 0 {
		doc["sede"] = map[string]any{"nome": m.role, "citta": "Palermo"}
	}
	if m.number != 0 {
		doc["tavolo"] = m.number
	}
	if m.text != "" {
		doc["testo"] = m.text
	}
	if m.link != "" {
		doc["collegamento"] = m.link
	}
	if m.name != "" {
		doc["relatori"] = []map[string]any{{"nome": m.name, "ruolo": m.role, "titolo": "dott.ssa"}, {"nome": m.role}}
	}
	if m.protocol != 0 {
		doc["protocollo"] = map[string]any{"numero": m.protocol, "data": date.AddDate(0, 0, -7).Format("2006-01-02")}
	}
	return yaml.Marshal(doc)
}

func FuzzRenderMeeting(f *testing.F) {
	f.Add("Coordinamento dei Progetti SAI della provincia di Brescia: un modello di rete che funziona dal 2016",
		"Durante l'incontro verrà illustrata l'esperienza del **Coordinamento**.", "Antonio Tedeschi",
		"Referente per gli Enti locali", "", 3, 153, 60, 900, 120, 0, false)
	f.Add("Un incontro in presenza", "- primo punto\n- secondo punto\n\n*fine*", "Maddalena Alberti",
		"Sala Martorana", "https://meet.example.it/tavolo", 0, 0, 10, 600, 90, 2, true)
	f.Add("ÀÈÉÌÒÙ Łódź Ștefan Дмитрий Αλέξανδρος", "[link](http://example.it) <a@b.it>", "Żółć", "Țară", "www.example.it", 12, 9999, 400, 0, 1, 1, false)
	f.Add("x", string(bytes.Repeat([]byte("parola "), 140)), "y", "z", "", 1, 1, 0, 0, 1439, 0, false)
	f.Add("Supercalifragilistichespiralidoso", string(bytes.Repeat([]byte("a"), 1000)), "N", "R", "", 2, 2, 1, 1, 1, 0, false)
	f.Add("emoji 😀", "testo", "nome", "ruolo", "", 1, 1, 1, 1, 1, 0, false)
	dir := fuzzData(f)
	// One environment per mode, as in one run of coopera: the profile is
	// loaded once, and the fuzzer spends its time rendering.
	envs := map[bool]*pipeline.Env{
		false: {Templates: templates.FS, Version: "fuzz"},
		true:  {Templates: templates.FS, Version: "fuzz", Draft: true},
	}
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, title, text, name, role, link string, number, protocol, day, start, length, mode int, draft bool) {
		// Bounded inputs keep a render near a few milliseconds, so that the
		// fuzzer tries hundreds a second (long texts are the typesetter's
		// and the linebreaker's own targets).
		if len(text) > 1000 || max(len(title), len(name), len(role), len(link)) > 200 {
			t.Skip()
		}
		fields := meetingFields{title, text, name, role, link, number, protocol, abs(day), abs(start), abs(length), abs(mode), draft}
		data, err := fields.yaml()
		if err != nil {
			t.Skip()
		}
		path := filepath.Join(dir, "tavoli", fmt.Sprintf("f%d.yaml", n.Add(1)))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(path)
		out, err := envs[draft].Letter(path)
		if err != nil {
			if err.Error() == "" {
				t.Errorf("an error without a message")
			}
			return
		}
		if !bytes.HasPrefix(out.PDF, []byte("%PDF-")) || !bytes.Contains(out.PDF[max(0, len(out.PDF)-64):], []byte("%%EOF")) {
			t.Errorf("output is not a whole PDF")
		}
		if out.Pages < 1 || out.Pages > typeset.MaxPages {
			t.Errorf("%d pages", out.Pages)
		}
		if !safeName.MatchString(out.Name) {
			t.Errorf("unsafe output name %q", out.Name)
		}
	})
}

func abs(i int) int {
	if i < 0 {
		if i == -i {
			return 0
		}
		return -i
	}
	return i
}
