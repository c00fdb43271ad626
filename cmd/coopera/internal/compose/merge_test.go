package compose_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/templates"
)

func TestComposeLetterTo(t *testing.T) {
	prof, m := seedMeeting(t)
	to := compose.Destinatario{Nome: "Maria *Rossi*", Righe: []string{"Alla dott.ssa", "Maria *Rossi*", "Comune di Catania"},
		Saluto: "Gentile dott.ssa\u00a0Rossi,"}
	doc, err := compose.ComposeLetterTo(m, prof, compose.Options{Templates: templates.FS}, to, "_001-maria-rossi")
	if err != nil {
		t.Fatal(err)
	}
	if want := "convocazione_2022-0153_2022-03-02_tavolo-3_001-maria-rossi.pdf"; doc.FileName != want {
		t.Errorf("FileName = %q, want %q", doc.FileName, want)
	}
	if want := "convocazione_2022-0153_2022-03-02_tavolo-3_tutti.pdf"; compose.MergedName("convocazione_2022-0153_2022-03-02_tavolo-3.pdf") != want {
		t.Errorf("MergedName wrong")
	}
	var address, greeting *compose.Block
	for i, b := range doc.Blocks {
		switch b.Role {
		case "destinatari":
			address = &doc.Blocks[i]
		case "saluto":
			greeting = &doc.Blocks[i]
		}
	}
	if address == nil || greeting == nil {
		t.Fatalf("no address or salutation block in %q", doc.Markdown)
	}
	var lines []string
	cur := ""
	for _, r := range address.Runs {
		cur += r.Text
		if r.Break {
			lines, cur = append(lines, cur), ""
		}
	}
	lines = append(lines, cur)
	if got := strings.Join(lines, "|"); got != "Alla dott.ssa|Maria *Rossi*|Comune di Catania" {
		t.Errorf("address lines %q (asterisks must stay literal)", got)
	}
	if got := greeting.Runs[0].Text; got != "Gentile dott.ssa\u00a0Rossi," {
		t.Errorf("salutation %q", got)
	}
	// One reader, addressed courteously; the general letter speaks to many.
	for _, want := range []string{"La invito a partecipare", "La informo che la richiesta"} {
		if !strings.Contains(doc.Markdown, want) {
			t.Errorf("personal letter lacks %q", want)
		}
	}
	if strings.Contains(doc.Markdown, "Vi invito") {
		t.Error("personal letter says «Vi invito»")
	}
	if i := strings.Index(doc.Markdown, "coopera:destinatari"); i < 0 || i > strings.Index(doc.Markdown, "coopera:oggetto") {
		t.Error("the address block does not come before the subject")
	}

	// The general letter has neither, and keeps the meeting's salutation.
	gen, err := compose.ComposeLetter(m, prof, compose.Options{Templates: templates.FS})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(gen.Markdown, "coopera:destinatari") || !strings.Contains(gen.Markdown, "*"+m.Salutation+"*") {
		t.Errorf("general letter changed:\n%s", gen.Markdown)
	}
	if !strings.Contains(gen.Markdown, "Vi invito a partecipare") {
		t.Error("general letter lacks «Vi invito a partecipare»")
	}

	// A user's template that knows nothing of .Destinatario still works.
	old, _ := templates.FS.ReadFile(compose.LetterTemplate)
	plain := strings.ReplaceAll(string(old), "{{ with .Destinatario }}{{ md .Saluto }}{{ else }}{{ md $m.Saluto }}{{ end }}", "{{ md $m.Saluto }}")
	fsys := fstest.MapFS{compose.LetterTemplate: {Data: []byte(plain)}}
	for _, n := range []string{compose.ReleaseTemplate, compose.LetterheadTemplate} {
		b, _ := templates.FS.ReadFile(n)
		fsys[n] = &fstest.MapFile{Data: b}
	}
	if _, err := compose.ComposeLetterTo(m, prof, compose.Options{Templates: fsys}, to, "_001-x"); err != nil {
		t.Errorf("a template without the salutation switch fails: %v", err)
	}
}
