package record

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/register"
)

// Source is how the register names a data file: its path relative to the
// profile's folder, with slashes.
func Source(prof *model.Profile, abs string) (string, error) {
	rel, err := filepath.Rel(prof.Dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", fmt.Errorf("il file è fuori dalla cartella dei dati %s: il registro nomina solo file di quella cartella", prof.Dir)
	}
	return filepath.ToSlash(rel), nil
}

// Refusal codes, stable for scripts (verifica --json) and tests.
const (
	CodeUnknown   = "sconosciuto" // the register lacks the number (coopera assigns them)
	CodeNotIssued = "non-emessa"  // the register lacks the number (the body's protocol gives them)
	CodePending   = "in-sospeso"  // registered, never issued: an interrupted run
	CodeAnnulled  = "annullato"   // the number is annulled
	CodeOtherFile = "altro-file"  // the number belongs to another meeting file
	CodeDate      = "data"        // the file's protocol date is not the register's
	CodeChanged   = "cambiato"    // the data changed since the letter was issued
	CodeTampered  = "alterata"    // the record's bytes are not the impronta
	CodeMissing   = "mancante"    // no record, and this version renders other bytes
	CodeRegister  = "registro"    // the register is damaged
)

// Refusal is Gate's answer for a numbered letter that may not be written:
// the problem, with its line and fix, and a code.
type Refusal struct {
	Code    string
	Problem *model.Problem
}

func (r *Refusal) Error() string { return r.Problem.Error() }
func (r *Refusal) Unwrap() error { return r.Problem }

// Books reads each profile's register once for a run and answers Gate for
// every meeting of it; it is safe for concurrent use (archivio's workers).
type Books struct {
	mu    sync.Mutex
	books map[string]*book
}

type book struct {
	once sync.Once
	reg  *register.Register
	err  error
}

func (b *Books) register(prof *model.Profile) (*register.Register, error) {
	b.mu.Lock()
	if b.books == nil {
		b.books = map[string]*book{}
	}
	bk, ok := b.books[prof.Protocol.Register]
	if !ok {
		bk = &book{}
		b.books[prof.Protocol.Register] = bk
	}
	b.mu.Unlock()
	bk.once.Do(func() { bk.reg, bk.err = register.Read(prof.Protocol.Register) })
	return bk.reg, bk.err
}

// Render renders a meeting's final letter now: its file name and bytes.
// Gate calls it only for an issued letter whose record is missing, to see
// whether this version of coopera still gives the issued bytes.
type Render func() (name string, pdf []byte, err error)

// Gate is the one rule for writing a numbered letter, shared by every
// command that renders letters (convoca, --osserva, archivio, verifica):
//
//   - a meeting without protocol number gives (nil, nil): only a draft;
//   - a number issued for this file, with the data of the issue, gives the
//     issued letter, byte for byte, from its record (or, when the record is
//     missing, the letter rendered now if it has the registered impronta);
//   - anything else is a problem naming the meeting file's line and the
//     command that resolves it: a number the register lacks or has not
//     seen issued, an annulled number, a number of another file, data
//     changed since the issue (with the keys that changed), a record
//     whose bytes were altered.
func (b *Books) Gate(m *model.Meeting, prof *model.Profile, render Render) (*Letter, error) {
	if m.Protocol == nil {
		return nil, nil
	}
	reg, err := b.register(prof)
	if err != nil {
		var dmg *register.DamageError
		if errors.As(err, &dmg) {
			return nil, &Refusal{CodeRegister, &model.Problem{File: RelName(prof.Protocol.Register), Line: dmg.Issues[0].Line,
				Message: "il registro di protocollo è danneggiato: nessuna lettera protocollata si scrive finché non è sistemato (" + dmg.Issues[0].Message + ")",
				Hint:    "coopera protocollo verifica dice che cosa fare"}}
		}
		return nil, err
	}
	abs, err := filepath.Abs(m.Path)
	if err != nil {
		return nil, err
	}
	source, err := Source(prof, abs)
	if err != nil {
		return nil, &model.Problem{File: m.Path, Message: err.Error(),
			Hint: "sposta il file nella cartella dei dati del profilo, oppure componi una bozza con --bozza"}
	}
	year, number := m.Protocol.Date.Year(), m.Protocol.Number
	at := m.Pos["protocollo.numero"]
	if at.Line == 0 {
		at = m.Pos["protocollo"]
	}
	problem := func(code, msg, hint string) error {
		return &Refusal{code, &model.Problem{File: m.Path, Line: at.Line, Column: at.Column, Key: "protocollo.numero", Message: msg, Hint: hint}}
	}
	issueCmd := "coopera protocollo registra " + m.Path
	if prof.Protocol.Managed {
		issueCmd = "coopera protocollo assegna " + m.Path
	}
	formatted := prof.Protocol.Format.Render(number, m.Protocol.Date)
	regName := RelName(prof.Protocol.Register)
	h := reg.History(year, number)
	if len(h) == 0 {
		if prof.Protocol.Managed {
			return nil, problem(CodeUnknown, fmt.Sprintf("il file riporta il protocollo n. %s, che il registro %s non conosce: i numeri li assegna coopera", formatted, regName),
				"se il numero non è mai stato dato, togli la chiave protocollo e usa «coopera protocollo assegna "+m.Path+"»; per vedere la lettera prima, «coopera convoca --bozza "+m.Path+"»")
		}
		return nil, problem(CodeNotIssued, fmt.Sprintf("la lettera con il protocollo n. %s non è ancora emessa: una lettera protocollata esiste solo emessa e annotata nel registro %s", formatted, regName),
			"emettila con «"+issueCmd+"» (compone la lettera, la annota e la conserva in "+DirName+"/); per vederla prima, «coopera convoca --bozza "+m.Path+"»")
	}
	first, last := h[0], h[len(h)-1]
	if last.Kind == register.Annulled {
		return nil, problem(CodeAnnulled, fmt.Sprintf("il protocollo n. %s è annullato (riga %d del registro: %s): una lettera annullata non si scrive più", first.Formatted, last.Line, last.Reason),
			newNumberHint(prof, m.Path))
	}
	if first.Source != "" && first.Source != source {
		return nil, problem(CodeOtherFile, fmt.Sprintf("il protocollo n. %s è registrato per %s (riga %d del registro), non per questo file: ogni numero vale per una sola lettera", first.Formatted, first.Source, first.Line),
			"controlla il numero: se è sbagliato correggilo con quello giusto; un numero nuovo si chiede al protocollo dell'ente")
	}
	var issued *register.Entry
	for i := range h {
		if h[i].Kind == register.Issued {
			issued = &h[i]
		}
	}
	if issued == nil {
		return nil, problem(CodePending, fmt.Sprintf("il protocollo n. %s è registrato (riga %d del registro) ma la lettera non risulta emessa: l'emissione si è interrotta", first.Formatted, first.Line),
			"completala con «"+issueCmd+"»")
	}
	if !sameDay(first, m) {
		return nil, problem(CodeDate, fmt.Sprintf("il file riporta il protocollo n. %d del %s, ma la lettera è stata emessa con la data %s (riga %d del registro)", number, m.Protocol.Date.Format("2006-01-02"), first.Date.Format("2006-01-02"), first.Line),
			"rimetti nel file la data "+first.Date.Format("2006-01-02"))
	}
	l, err := find(prof, *issued)
	if err != nil {
		var t *Tampered
		if errors.As(err, &t) {
			return nil, &Refusal{CodeTampered, &model.Problem{File: RelName(t.Path), Message: t.Error(),
				Hint: "rimetti la copia emessa dalla cronologia di git (git checkout -- " + RelName(t.Path) + ") o da un archivio (coopera archivio); il registro fa fede"}}
		}
		return nil, err
	}
	if err := sameData(m, l, issued, problem); err != nil {
		return nil, err
	}
	if l.PDF != nil {
		return l, nil
	}
	// No record: letters issued before coopera kept records. The letter
	// rendered now may go out only if it has the registered impronta.
	name, pdf, err := render()
	if err != nil {
		return nil, err
	}
	if register.Hash(pdf) != issued.PDFSHA256 {
		return nil, problem(CodeMissing, fmt.Sprintf("la lettera emessa con il n. %s (riga %d del registro) non è in %s/ e questa versione di coopera la compone con byte diversi dall'impronta registrata: scriverla ora darebbe un'altra lettera con lo stesso numero", first.Formatted, issued.Line, RelName(Dir(prof))),
			"rimetti il PDF emesso in "+RelName(filepath.Join(Dir(prof), fmt.Sprint(year)))+"/ (dalla cronologia di git o da un archivio di coopera archivio): è la lettera che fa fede")
	}
	l.Name, l.PDF = name, pdf
	return l, nil
}

// newNumberHint says how a meeting gets a number in place of an annulled one.
func newNumberHint(prof *model.Profile, path string) string {
	if prof.Protocol.Managed {
		return "togli la chiave protocollo dal file e fagli dare un numero nuovo con «coopera protocollo assegna " + path + "»"
	}
	return "chiedi un numero nuovo al protocollo dell'ente, scrivilo nel file al posto di questo, poi «coopera protocollo registra " + path + "»"
}

func sameDay(e register.Entry, m *model.Meeting) bool {
	return e.Date.Format("2006-01-02") == m.Protocol.Date.Format("2006-01-02")
}

// sameData refuses a meeting whose data changed since its letter was
// issued, at the first changed key's line when the issue's snapshot tells.
func sameData(m *model.Meeting, l *Letter, issued *register.Entry, problem func(code, msg, hint string) error) error {
	if hex.EncodeToString(m.SHA256[:]) == issued.SourceSHA256 {
		return nil
	}
	now, err := os.ReadFile(m.Path)
	if err != nil {
		return fmt.Errorf("%s: %w", m.Path, err)
	}
	what := "i dati del file sono cambiati"
	var changes []Change
	if l.Source != nil && register.Hash(l.Source) == issued.SourceSHA256 {
		cs, err := Changes(l.Source, now)
		if err == nil && len(cs) == 0 {
			return nil // comments or layout only: the letter's data are the same
		}
		if err == nil {
			changes = cs
			what = "sono cambiati: " + describe(cs)
		}
	}
	hint := "una lettera emessa non cambia. Rimetti i dati com'erano"
	if l.Source != nil {
		hint += " (il file al momento dell'emissione è " + RelName(strings.TrimSuffix(l.PDFAt, ".pdf")+SourceExt) + "; con git: git checkout -- " + m.Path + ")"
	} else {
		hint += " (con git: git diff " + m.Path + ")"
	}
	hint += fmt.Sprintf(", oppure annulla il numero (coopera protocollo annulla %d --anno %d --motivo \"…\") e fai emettere la lettera nuova con un altro numero", issued.Number, issued.Year)
	msg := fmt.Sprintf("la lettera con il protocollo n. %s è già emessa (riga %d del registro) e dopo l'emissione %s", issued.Formatted, issued.Line, what)
	if len(changes) > 0 {
		return &Refusal{CodeChanged, &model.Problem{File: m.Path, Line: changes[0].Line, Column: 1, Key: changes[0].Key, Message: msg, Hint: hint}}
	}
	return problem(CodeChanged, msg, hint)
}

// RelName keeps messages short and free of the machine's folders: a path
// relative to the current folder when it lies below it.
func RelName(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
	}
	return p
}
