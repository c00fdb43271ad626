// Package recipients is the load-and-validate stage of a mail merge: it
// reads the list of the Coordinamento's referents (YAML or CSV) strictly,
// reports every problem as FILE:LINE:COL: key: problem in Italian, and
// derives what a personal letter needs: the address block, the salutation
// and a file-name slug.
package recipients

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/italian"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
)

// Limits: a Coordinamento has tens of referents, not thousands.
const (
	MaxFileSize   = 1 << 20
	MaxRecipients = 1000
	MaxTextLength = 500
)

// Keys are the columns (CSV) or keys (YAML) a recipient may have; only
// nome is required.
var Keys = []string{"nome", "cognome", "titolo", "genere", "ente", "ruolo", "email", "saluto"}

// Recipient is one referent a personal letter goes to.
type Recipient struct {
	Name       string `json:"nome"`
	Surname    string `json:"cognome,omitempty"` // "" derives it from Name
	Title      string `json:"titolo,omitempty"`  // "dott.ssa", "avv.", …
	Gender     italian.Gender
	Body       string    `json:"ente,omitempty"`
	Role       string    `json:"ruolo,omitempty"`
	Email      string    `json:"email,omitempty"`
	Salutation string    `json:"saluto,omitempty"` // overrides the derived one
	Pos        model.Pos `json:"-"`
}

// Options tune loading.
type Options struct {
	Coverage model.Coverage // nil: no font check
}

// Load reads a recipients file: .csv as CSV with a header row, anything
// else as YAML. Problems holds every problem found, warnings included.
func Load(path string, opt Options) ([]Recipient, model.Problems) {
	data, err := safefile.Read(path, MaxFileSize)
	if e, ok := safefile.As(err); ok {
		msg := e.Reason()
		if e.Kind == safefile.NotExist {
			msg = "il file dei destinatari non esiste"
		}
		return nil, model.Problems{{File: path, Message: msg, Hint: e.Hint()}}
	}
	d := &decoder{file: path, coverage: opt.Coverage}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		line, col := invalidUTF8At(data)
		return nil, model.Problems{{File: path, Line: line, Column: col, Message: "il file non è testo UTF-8 valido",
			Hint: "salva il file con codifica UTF-8 (in un foglio di calcolo: Salva con nome → CSV UTF-8)"}}
	}
	var list []Recipient
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		list = d.csv(data)
	} else {
		list = d.yaml(data)
	}
	if len(d.probs.Errors()) == 0 {
		d.check(list)
	}
	if len(d.probs.Errors()) > 0 {
		return nil, d.probs
	}
	return list, d.probs
}

type decoder struct {
	file     string
	coverage model.Coverage
	probs    model.Problems
}

func (d *decoder) errorf(line, col int, key, hint, format string, args ...any) {
	d.probs = append(d.probs, model.Problem{File: d.file, Line: line, Column: col, Key: key,
		Message: fmt.Sprintf(format, args...), Hint: hint})
}

func (d *decoder) warnf(line, col int, key, hint, format string, args ...any) {
	d.errorf(line, col, key, hint, format, args...)
	d.probs[len(d.probs)-1].Warning = true
}

// set assigns one value to its field, checking it as the key requires.
func (d *decoder) set(r *Recipient, gender *string, key, value string, line, col int) {
	value = strings.Join(strings.Fields(value), " ")
	if value == "" {
		if key == "nome" {
			d.errorf(line, col, key, "scrivi nome e cognome del destinatario", "il nome è vuoto")
		}
		return
	}
	if len(value) > MaxTextLength {
		d.errorf(line, col, key, "accorcia il testo", "testo troppo lungo (%d byte, al massimo %d)", len(value), MaxTextLength)
		return
	}
	if !d.chars(line, col, key, value) {
		return
	}
	switch key {
	case "nome":
		r.Name = value
	case "cognome":
		r.Surname = value
	case "titolo":
		r.Title = value
	case "genere":
		switch strings.ToLower(value) {
		case "f", "m":
			*gender = strings.ToLower(value)
		default:
			d.errorf(line, col, key, "scrivi f (femminile) o m (maschile), oppure lascia vuoto", "genere %q non valido", value)
		}
	case "ente":
		r.Body = value
	case "ruolo":
		r.Role = value
	case "email":
		if strings.Count(value, "@") != 1 || strings.HasPrefix(value, "@") || strings.HasSuffix(value, "@") || strings.ContainsAny(value, " ,;<>") {
			d.errorf(line, col, key, "scrivi un solo indirizzo, nella forma nome@dominio.it", "indirizzo e-mail non valido: %q", value)
			return
		}
		r.Email = value
	case "saluto":
		r.Salutation = value
	}
}

// chars refuses control characters and characters no shipped font has,
// naming the character: a name in any script prints, or is refused here.
func (d *decoder) chars(line, col int, key, s string) bool {
	for _, r := range s {
		switch {
		case unicode.IsControl(r) || r == utf8.RuneError:
			d.errorf(line, col, key, "togli il carattere di controllo (spesso arriva copiando da un altro programma)",
				"il testo contiene il carattere di controllo U+%04X", r)
			return false
		case r > 0xFFFF || (d.coverage != nil && !d.coverage.Has(r)):
			d.errorf(line, col, key, "sostituisci o togli il carattere: nessun font di coopera può stamparlo",
				"il carattere %q (U+%04X) non è stampabile con i font disponibili", string(r), r)
			return false
		}
	}
	return true
}

// finish applies the gender once every key of a recipient is read: as
// written, else as the title says.
func (d *decoder) finish(r *Recipient, gender string, line, col int, genderKey string) {
	fromTitle := italian.GenderFromTitle(r.Title)
	switch gender {
	case "f":
		r.Gender = italian.Female
	case "m":
		r.Gender = italian.Male
	default:
		r.Gender = fromTitle
	}
	_, agrees := feminine[strings.ToLower(r.Title)]
	agrees = agrees && r.Gender == italian.Female // "dott." for a woman is printed "dott.ssa"
	if gender != "" && fromTitle != italian.Unknown && fromTitle != r.Gender && !agrees {
		d.warnf(line, col, genderKey, "controlla il titolo o il genere",
			"il genere %q non concorda con il titolo %q", gender, r.Title)
	}
}

// check looks at the list as a whole.
func (d *decoder) check(list []Recipient) {
	if len(list) == 0 {
		d.errorf(1, 1, "", "scrivi almeno un destinatario (vedi l'esempio nel README)", "il file non contiene destinatari")
		return
	}
	if len(list) > MaxRecipients {
		d.errorf(1, 1, "", "dividi l'elenco in più file", "troppi destinatari (%d, al massimo %d)", len(list), MaxRecipients)
	}
	seen := map[string]int{}
	for _, r := range list {
		k := strings.ToLower(r.FullName() + "\x00" + r.Body)
		if prev, dup := seen[k]; dup {
			d.warnf(r.Pos.Line, r.Pos.Column, "nome", "togli la riga ripetuta, se non è voluta",
				"%s (%s) compare già alla riga %d: riceverà due lettere", r.FullName(), orDash(r.Body), prev)
			continue
		}
		seen[k] = r.Pos.Line
	}
}

func orDash(s string) string {
	if s == "" {
		return "senza ente"
	}
	return s
}

func invalidUTF8At(data []byte) (int, int) {
	line, start := 1, 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, utf8.RuneCount(data[start:i]) + 1
		}
		if r == '\n' {
			line, start = line+1, i+1
		}
		i += size
	}
	return 1, 1
}

// unknownKey explains a column or key that is none of Keys, with the
// data files' rules (model.UnknownKey): one decoder, one wording.
func unknownKey(key string) (message, hint string) {
	return model.UnknownKey(strings.TrimSpace(key), Keys)
}
