package recipients

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
)

// csv reads a table with a header row. The separator is the one the header
// uses: a spreadsheet saved as CSV in an Italian locale writes ";".
func (d *decoder) csv(data []byte) []Recipient {
	lines := bytes.Split(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = separator(lines[0])
	r.FieldsPerRecord = 0
	col := func(line, byteCol int) int { return runeColumn(lines, line, byteCol) }

	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			d.errorf(1, 1, "", "la prima riga elenca le colonne: "+strings.Join(Keys, string(r.Comma)), "il file è vuoto")
			return nil
		}
		d.csvError(err, col)
		return nil
	}
	index := map[string]int{}
	for i, h := range header {
		line, c := r.FieldPos(i)
		name := strings.ToLower(strings.TrimSpace(h))
		switch {
		case name == "":
			d.errorf(line, col(line, c), "", "dai un nome alla colonna o toglila", "colonna %d senza nome nell'intestazione", i+1)
		case !known(name):
			msg, hint := unknownKey(name)
			if msg == "chiave sconosciuta" {
				msg = "colonna sconosciuta"
			}
			d.errorf(line, col(line, c), name, hint, "%s", msg)
		default:
			if _, dup := index[name]; dup {
				d.errorf(line, col(line, c), name, "tieni una sola colonna con questo nome", "colonna ripetuta")
				continue
			}
			index[name] = i
		}
	}
	if _, ok := index["nome"]; !ok {
		d.errorf(1, 1, "nome", "aggiungi la colonna «nome» (nome e cognome del destinatario)", "manca la colonna obbligatoria")
	}
	if len(d.probs.Errors()) > 0 {
		return nil
	}

	var list []Recipient
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			d.csvError(err, col)
			if len(d.probs) > 50 {
				break
			}
			continue
		}
		line, c := r.FieldPos(0)
		if allBlank(rec) {
			continue
		}
		if len(list) == MaxRecipients {
			d.errorf(line, 1, "", "dividi l'elenco in più file", "troppi destinatari (al massimo %d)", MaxRecipients)
			break
		}
		rcp := Recipient{Pos: model.Pos{Line: line, Column: col(line, c)}}
		var gender string
		for name, i := range index {
			fl, fc := r.FieldPos(i)
			d.set(&rcp, &gender, name, rec[i], fl, col(fl, fc))
		}
		gl, gc := line, 1
		if i, ok := index["genere"]; ok {
			gl, gc = r.FieldPos(i)
			gc = col(gl, gc)
		}
		d.finish(&rcp, gender, gl, gc, "genere")
		list = append(list, rcp)
	}
	return list
}

func known(name string) bool {
	for _, k := range Keys {
		if k == name {
			return true
		}
	}
	return false
}

func allBlank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// separator picks ";", tab or "," by which the header line holds most of.
func separator(header []byte) rune {
	best, n := ',', bytes.Count(header, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if k := bytes.Count(header, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

func (d *decoder) csvError(err error, col func(int, int) int) {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		d.errorf(1, 1, "", "", "il file non è un CSV valido (%v)", err)
		return
	}
	line, c := pe.Line, col(pe.Line, pe.Column)
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		d.errorf(line, 1, "", "ogni riga deve avere tante colonne quante l'intestazione: controlla i separatori (virgola o punto e virgola) e racchiudi tra virgolette i valori che li contengono",
			"numero di colonne diverso da quello dell'intestazione")
	case errors.Is(pe.Err, csv.ErrQuote):
		d.errorf(line, c, "", "chiudi le virgolette; una virgoletta dentro un valore si scrive \"\"", "virgolette aperte e mai chiuse")
	case errors.Is(pe.Err, csv.ErrBareQuote):
		d.errorf(line, c, "", "racchiudi tutto il valore tra virgolette e raddoppia quelle interne (\"\")", "virgolette nel mezzo di un valore")
	default:
		d.errorf(line, c, "", "", "il file non è un CSV valido (%v)", pe.Err)
	}
}

// runeColumn turns the reader's byte column into the character column an
// editor shows.
func runeColumn(lines [][]byte, line, byteCol int) int {
	if line < 1 || line > len(lines) || byteCol < 1 {
		return max(byteCol, 1)
	}
	l := lines[line-1]
	if byteCol-1 > len(l) {
		return byteCol
	}
	return utf8.RuneCount(l[:byteCol-1]) + 1
}
