package record

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/register"
)

func TestChanges(t *testing.T) {
	old := []byte("# commento\ntavolo: 3\nora: \"15:00-17:00\"\nrelatori:\n  - nome: Maria Rossi\n    ruolo: x\nnote: via\n")
	tests := []struct {
		name string
		now  string
		want []Change
	}{
		{"comments, quotes and order do not count",
			"note: via\n# altro commento\nora: '15:00-17:00'\ntavolo: 3\nrelatori:\n- ruolo: x\n  nome: Maria Rossi\n", nil},
		{"a value, a nested value, a removed key",
			"tavolo: 3\nora: \"15:30-17:00\"\nrelatori:\n  - nome: Maria Russo\n    ruolo: x\n",
			[]Change{{"ora", 2, "cambiato"}, {"relatori.1.nome", 4, "cambiato"}, {"note", 1, "tolto"}}},
		{"a key and a list item added",
			"tavolo: 3\nora: \"15:00-17:00\"\nrelatori:\n  - nome: Maria Rossi\n    ruolo: x\n  - nome: Ugo\nnote: via\nsaluto: Cari\n",
			[]Change{{"relatori.2", 6, "aggiunto"}, {"saluto", 8, "aggiunto"}}},
		{"a number is not its string", "tavolo: \"3\"\nora: \"15:00-17:00\"\nrelatori:\n  - nome: Maria Rossi\n    ruolo: x\nnote: via\n",
			[]Change{{"tavolo", 1, "cambiato"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Changes(old, []byte(tt.now))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Changes = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestFindAmongPersonalLetters(t *testing.T) {
	dir := t.TempDir()
	prof := &model.Profile{Dir: dir}
	prof.Protocol.Register = filepath.Join(dir, "registro-protocollo.txt")
	letter := []byte("%PDF lettera")
	name := "convocazione_2022-0153_2022-03-02_tavolo-3.pdf"
	personal := "convocazione_2022-0153_2022-03-02_tavolo-3_001-rossi-maria.pdf"
	if _, err := Save(prof, 2022, personal, []byte("%PDF personale"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	e := register.Entry{Year: 2022, Number: 153, PDFSHA256: register.Hash(letter), Line: 9}
	// Only a personal letter's record: the letter's own is missing, not altered.
	l, err := find(prof, e)
	if err != nil || l.PDF != nil {
		t.Fatalf("find without the letter's record = %+v, %v", l, err)
	}
	if _, err := Save(prof, 2022, name, letter, []byte("tavolo: 3\n")); err != nil {
		t.Fatal(err)
	}
	l, err = find(prof, e)
	if err != nil || string(l.PDF) != string(letter) || l.Name != name || string(l.Source) != "tavolo: 3\n" {
		t.Fatalf("find = %+v, %v", l, err)
	}
	// A record is never replaced with other bytes.
	if _, err := Save(prof, 2022, name, []byte("%PDF altro"), nil); err == nil {
		t.Error("Save replaced a record")
	}
	// An altered record is refused, naming it.
	if err := os.WriteFile(filepath.Join(Dir(prof), "2022", name), []byte("%PDF alterato"), 0o644); err != nil {
		t.Fatal(err)
	}
	var tampered *Tampered
	if _, err := find(prof, e); !errors.As(err, &tampered) || filepath.Base(tampered.Path) != name {
		t.Errorf("find on an altered record: %v", err)
	}
}
