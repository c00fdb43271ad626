package recipients_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/italian"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/recipients"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/typeset"
)

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadValid(t *testing.T) {
	tests := []struct {
		name, file, content string
		want                []recipients.Recipient
	}{
		{"yaml list", "r.yaml", `
- nome: Maria Rossi
  titolo: dott.ssa
  ente: Comune di Catania
  ruolo: Referente per l'accoglienza
  email: m.rossi@comune.catania.it
- nome: Łukasz Żółć
  genere: m
`, []recipients.Recipient{
			{Name: "Maria Rossi", Title: "dott.ssa", Gender: italian.Female, Body: "Comune di Catania", Role: "Referente per l'accoglienza", Email: "m.rossi@comune.catania.it"},
			{Name: "Łukasz Żółć", Gender: italian.Male},
		}},
		{"yaml under key", "r.yml", "destinatari:\n  - nome: Ελένη Παπαδοπούλου\n    saluto: Cara Eleni,\n", []recipients.Recipient{
			{Name: "Ελένη Παπαδοπούλου", Salutation: "Cara Eleni,"},
		}},
		{"csv comma", "r.csv", "nome,titolo,genere,ente\nMaria Rossi,dott.,f,Comune di Catania\n\nИван Петров,,m,\n", []recipients.Recipient{
			{Name: "Maria Rossi", Title: "dott.", Gender: italian.Female, Body: "Comune di Catania"},
			{Name: "Иван Петров", Gender: italian.Male},
		}},
		{"csv semicolon with BOM and quotes", "r.CSV", "\ufeffNome;Ente;Ruolo\n\"Ioana Popescu\";\"Comune di Ragusa; Ufficio SAI\";Referente\n", []recipients.Recipient{
			{Name: "Ioana Popescu", Body: "Comune di Ragusa; Ufficio SAI", Role: "Referente"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, probs := recipients.Load(write(t, tt.file, tt.content), recipients.Options{Coverage: typeset.Coverage{}})
			if len(probs) > 0 {
				t.Fatalf("problems: %v", probs)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d recipients, want %d", len(got), len(tt.want))
			}
			for i := range got {
				got[i].Pos.Line, got[i].Pos.Column = 0, 0
				if got[i] != tt.want[i] {
					t.Errorf("recipient %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name, file, content string
		want                []string // substrings of the problems, in order
	}{
		{"unknown yaml key", "r.yaml", "- nome: A\n  titlo: dott.\n", []string{"r.yaml:2:3: destinatari[1].titlo: chiave sconosciuta", "forse intendevi «titolo»?"}},
		{"missing name", "r.yaml", "- ente: Comune\n", []string{"r.yaml:1:3: destinatari[1].nome: chiave obbligatoria mancante"}},
		{"bad gender", "r.yaml", "- nome: A\n  genere: x\n", []string{"r.yaml:2:11: destinatari[1].genere: genere \"x\" non valido"}},
		{"bad email", "r.yaml", "- nome: A\n  email: a@b@c\n", []string{"r.yaml:2:10: destinatari[1].email: indirizzo e-mail non valido"}},
		{"not a list", "r.yaml", "nome: A\n", []string{"r.yaml:1:1: nome: chiave sconosciuta"}},
		{"empty", "r.yaml", "", []string{"r.yaml:1:1: il file è vuoto"}},
		{"empty list", "r.yaml", "[]\n", []string{"il file non contiene destinatari"}},
		{"unprintable name yaml", "r.yaml", "- nome: Maria Rossi\n- nome: \"Foo \U0001F600\"\n", []string{"r.yaml:2:9: destinatari[2].nome: il carattere \"\U0001F600\" (U+1F600) non è stampabile"}},
		{"unprintable name csv", "r.csv", "ente,nome\nComune,Maria\nComune,Ivan 李\n", []string{"r.csv:3:8: nome: il carattere \"李\" (U+674E) non è stampabile"}},
		{"csv unknown column", "r.csv", "nome,eta\nA,3\n", []string{"r.csv:1:6: eta: colonna sconosciuta"}},
		{"csv cyrillic column", "r.csv", "nome,\u0435nte\nA,B\n", []string{"r.csv:1:6: \u0435nte: la chiave «\u0435nte» contiene la lettera cirillica «\u0435» (U+0435)\n  suggerimento: riscrivila con lettere latine: ente"}},
		{"yaml cyrillic key", "r.yaml", "- nome: A\n  \u0435nte: B\n", []string{"\u0435nte: la chiave «\u0435nte» contiene la lettera cirillica «\u0435» (U+0435)\n  suggerimento: riscrivila con lettere latine: ente"}},
		{"csv missing nome", "r.csv", "ente\nComune\n", []string{"r.csv:1:1: nome: manca la colonna obbligatoria"}},
		{"csv field count", "r.csv", "nome,ente\nA,B,C\n", []string{"r.csv:2:1: numero di colonne diverso"}},
		{"csv bare quote", "r.csv", "nome,ente\nA \"x\",B\n", []string{"r.csv:2:3: virgolette nel mezzo di un valore"}},
		{"csv empty name", "r.csv", "nome,ente\n,B\n", []string{"r.csv:2:1: nome: il nome è vuoto"}},
		{"not utf-8", "r.csv", "nome\nMar\xe9a\n", []string{"r.csv:2:4: il file non è testo UTF-8 valido"}},
		{"missing file", "", "", []string{"il file dei destinatari non esiste"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "nessuno.yaml")
			if tt.file != "" {
				path = write(t, tt.file, tt.content)
			}
			list, probs := recipients.Load(path, recipients.Options{Coverage: typeset.Coverage{}})
			if list != nil {
				t.Errorf("got recipients %v despite errors", list)
			}
			if probs.Err() == nil {
				t.Fatal("no error")
			}
			msg := probs.Error()
			rest := msg
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("problems %q lack %q", msg, w)
				}
				rest = rest[i+len(w):]
			}
			if tt.file != "" && !strings.HasPrefix(msg, path) {
				t.Errorf("problem %q does not start with the file name", msg)
			}
		})
	}
}

func TestDuplicateIsWarning(t *testing.T) {
	list, probs := recipients.Load(write(t, "r.yaml", "- nome: A\n  ente: X\n- nome: a\n  ente: x\n"), recipients.Options{})
	if len(list) != 2 || len(probs) != 1 || !probs[0].Warning || !strings.Contains(probs[0].Message, "riga 1") {
		t.Fatalf("list %v, problems %v", list, probs)
	}
}

func TestDuplicateAcrossColumnsIsWarning(t *testing.T) {
	// The same person, once with the surname in nome and once in cognome.
	list, probs := recipients.Load(write(t, "r.csv", "nome,cognome,ente\nMaria Rossi,,X\nMaria,Rossi,X\n"), recipients.Options{})
	if len(list) != 2 || len(probs) != 1 || !probs[0].Warning || !strings.Contains(probs[0].Message, "Maria Rossi (X) compare già alla riga 2") {
		t.Fatalf("list %v, problems %v", list, probs)
	}
}

func TestGenderTitleMismatchWarns(t *testing.T) {
	_, probs := recipients.Load(write(t, "r.csv", "nome,titolo,genere\nA,dott.ssa,m\n"), recipients.Options{})
	if len(probs) != 1 || !probs[0].Warning || probs[0].Line != 2 || probs[0].Column != 12 {
		t.Fatalf("problems %#v", probs)
	}
}

func TestLetterParts(t *testing.T) {
	tests := []struct {
		r        recipients.Recipient
		greeting string
		address  []string
	}{
		{recipients.Recipient{Name: "Maria Rossi", Title: "dott.ssa", Gender: italian.Female, Role: "Referente SAI", Body: "Comune di Catania"},
			"Gentile dott.ssa\u00a0Rossi,", []string{"Alla dott.ssa Maria Rossi", "Referente SAI", "Comune di Catania"}},
		{recipients.Recipient{Name: "Maria Rossi", Title: "dott.", Gender: italian.Female},
			"Gentile dott.ssa\u00a0Rossi,", []string{"Alla dott.ssa Maria Rossi"}},
		{recipients.Recipient{Name: "Mario Rossi", Title: "dott.", Gender: italian.Male, Role: "Assessore del Comune di Enna", Body: "Comune di Enna"},
			"Gentile dott.\u00a0Rossi,", []string{"Al dott. Mario Rossi", "Assessore del Comune di Enna"}},
		{recipients.Recipient{Name: "Anna De Luca", Title: "avv."},
			"Gentile avv.\u00a0De Luca,", []string{"All'avv. Anna De Luca"}},
		{recipients.Recipient{Name: "Giuseppe La Rosa", Title: "prof.", Gender: italian.Male},
			"Gentile prof.\u00a0La Rosa,", []string{"Al prof. Giuseppe La Rosa"}},
		{recipients.Recipient{Name: "Maria", Surname: "Rossi Bianchi", Title: "ing."},
			"Gentile ing.\u00a0Rossi Bianchi,", []string{"All'ing. Maria Rossi Bianchi"}},
		// nome and cognome in their own columns, as the README lists them.
		{recipients.Recipient{Name: "Łucja", Surname: "Nowak", Title: "prof.", Gender: italian.Female, Role: "Coordinatrice dei servizi sociali", Body: "Comune di Catania"},
			"Gentile prof.ssa\u00a0Nowak,", []string{"Alla prof.ssa Łucja Nowak", "Coordinatrice dei servizi sociali", "Comune di Catania"}},
		{recipients.Recipient{Name: "Mario", Surname: "Rossi", Title: "dott.", Gender: italian.Male},
			"Gentile dott.\u00a0Rossi,", []string{"Al dott. Mario Rossi"}},
		// nome that already holds the surname is not doubled.
		{recipients.Recipient{Name: "Anna De Luca", Surname: "de luca", Title: "avv.", Gender: italian.Female},
			"Gentile avv.\u00a0de luca,", []string{"All'avv. Anna De Luca"}},
		{recipients.Recipient{Name: "Anna", Surname: "Rossi", Gender: italian.Female},
			"Gentile Anna Rossi,", []string{"Alla cortese attenzione di", "Anna Rossi"}},
		{recipients.Recipient{Name: "Anna", Surname: "Rossi", Title: "dott.ssa", Salutation: "Cara Anna,"},
			"Cara Anna,", []string{"Alla dott.ssa Anna Rossi"}},
		{recipients.Recipient{Name: "Ioana Popescu", Gender: italian.Female},
			"Gentile Ioana Popescu,", []string{"Alla cortese attenzione di", "Ioana Popescu"}},
		{recipients.Recipient{Name: "Ivan", Salutation: "Caro Ivan,"},
			"Caro Ivan,", []string{"Alla cortese attenzione di", "Ivan"}},
	}
	for _, tt := range tests {
		t.Run(tt.r.Name, func(t *testing.T) {
			if g := tt.r.Greeting(); g != tt.greeting {
				t.Errorf("Greeting() = %q, want %q", g, tt.greeting)
			}
			if a := tt.r.AddressLines(); strings.Join(a, "|") != strings.Join(tt.address, "|") {
				t.Errorf("AddressLines() = %q, want %q", a, tt.address)
			}
		})
	}
}

func TestSlugAndSuffix(t *testing.T) {
	tests := []struct{ name, want string }{
		{"Maria Rossi", "maria-rossi"},
		{"Łukasz Żółć", "lukasz-zolc"},
		{"Иван Петров", "ivan-petrov"},
		{"Ελένη Παπαδοπούλου", "eleni-papadopoulou"},
		{"Ștefan Băsescu", "stefan-basescu"},
		{"李", "destinatario"},
	}
	for _, tt := range tests {
		if got := recipients.Slug(tt.name, 40); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	// Named by surname, then given name; the index keeps two people with
	// the same surname (or the same name) apart.
	for _, tt := range []struct {
		i    int
		r    recipients.Recipient
		want string
	}{
		{6, recipients.Recipient{Name: "Maria Rossi"}, "_007-rossi-maria"},
		{0, recipients.Recipient{Name: "Łucja", Surname: "Nowak"}, "_001-nowak-lucja"},
		{1, recipients.Recipient{Name: "Anna", Surname: "Nowak"}, "_002-nowak-anna"},
		{2, recipients.Recipient{Name: "Anna De Luca"}, "_003-de-luca-anna"},
		{3, recipients.Recipient{Name: "Ivan"}, "_004-ivan"},
	} {
		if got := recipients.FileSuffix(tt.i, tt.r); got != tt.want {
			t.Errorf("FileSuffix(%d, %+v) = %q, want %q", tt.i, tt.r, got, tt.want)
		}
	}
}
