// Package issue is the protocol stage's workflow: it gives a meeting its
// protocol number and issues the letter — register entry, meeting file,
// PDF and its impronta — in an order that a crash at any point leaves
// recoverable, and it checks a register against the files it speaks of.
//
// # Steps and crash safety
//
// Assign (coopera keeps the register, "gestione: interna"):
//
//  1. inside the register's lock (register.Assign): refuse a meeting that
//     already has a number, validate the meeting completely (a draft render
//     through the whole pipeline, and the edit of its YAML in memory), pick
//     the next number of the year, append "registrato". A meeting with
//     errors never consumes a number.
//  2. write "protocollo:" into the meeting file (yamledit, atomically);
//  3. render the final letter from the file (pipeline.Env.Letter);
//  4. keep the record: the PDF and the meeting file as issued, in emessi/
//     beside the register (record.Save; a record is never replaced);
//  5. write the PDF into the output folder (atomically);
//  6. append "emesso" with the PDF's SHA-256 (a second register.Assign).
//
// A process killed after step 1 leaves a number "registrato" for the file
// and not "emesso": Verify reports it, and running Assign again on the same
// file finishes steps 2-6 with that number instead of taking a new one.
// A kill during an append leaves at most a torn last line, which Verify
// reports and repairs on request (register.Repair).
//
// Record ("gestione: esterna", the body's own protocol gives the numbers)
// journals a number already written in the meeting file: it renders the
// letter first, then appends "registrato" (dated as the protocol), writes
// the PDF and appends "emesso"; running it again finishes an interrupted
// run the same way.
//
// The clock is read by no function of this package: the registration date
// of a new number comes from the caller (coopera protocollo assegna passes
// --data or today), every other date from the register or the file.
package issue

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/atomicfile"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/record"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/register"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/yamledit"
	"go.yaml.in/yaml/v3"
)

// Options say how to issue.
type Options struct {
	// Env renders the letters; its Draft field is ignored (the workflow
	// makes its own draft and final environments from it).
	Env *pipeline.Env
	// OutDir is the folder the PDF is written to.
	OutDir string
	// Date is, for Assign, the registration date of a new number (required);
	// for Record, the issue date (zero: the protocol date in the file).
	Date time.Time
}

// Result is an issued letter.
type Result struct {
	Year, Number int
	Formatted    string
	Date         time.Time      // registration date of the number
	Issued       register.Entry // the "emesso" entry
	PDFPath      string
	RecordPath   string // the issued letter's record in emessi/ (record.Save)
	Resumed      bool   // an interrupted run was completed with its number
	Warnings     model.Problems
}

// step is called between the steps of the workflow; the crash tests use it
// to spread their kills over every step.
var step = func(string) {}

// target is a meeting file and what governs it.
type target struct {
	path   string // as given, for messages and rendering
	abs    string
	prof   *model.Profile
	source string // slash-separated, relative to the profile's folder
}

func envs(e *pipeline.Env) (draft, final *pipeline.Env) {
	mk := func(d bool) *pipeline.Env {
		return &pipeline.Env{Templates: e.Templates, Profile: e.Profile, AllowOutside: e.AllowOutside, Draft: d, Version: e.Version}
	}
	return mk(true), mk(false)
}

func locate(env *pipeline.Env, file string) (*target, error) {
	st, err := os.Stat(file)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: il file non esiste", file)
		}
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s è una cartella: serve il file di un incontro (data/tavoli/*.yaml)", file)
	}
	prof, probs := env.ProfileFor(file)
	if err := probs.Err(); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	src, err := Source(prof, abs)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return &target{path: file, abs: abs, prof: prof, source: src}, nil
}

// Source is how the register names a data file: its path relative to the
// profile's folder, with slashes.
func Source(prof *model.Profile, abs string) (string, error) { return record.Source(prof, abs) }

// fileProtocol is the protocollo key of a meeting file as written, read
// without validating the rest of the file.
type fileProtocol struct {
	Number   int
	Date     string // AAAA-MM-GG, "" when missing
	Line     int
	Historic bool // storico: true, a past meeting whose letter is not rendered
}

func readProtocol(src []byte) (*fileProtocol, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("file YAML non valido: %v", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil
	}
	root := doc.Content[0]
	historic := false
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "storico" && root.Content[i+1].Value == "true" {
			historic = true
		}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "protocollo" {
			continue
		}
		fp := &fileProtocol{Line: root.Content[i].Line, Historic: historic}
		v := root.Content[i+1]
		if v.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("riga %d: la chiave protocollo non è un elenco di chiavi (numero, data)", fp.Line)
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			switch v.Content[j].Value {
			case "numero":
				if err := v.Content[j+1].Decode(&fp.Number); err != nil {
					return nil, fmt.Errorf("riga %d: protocollo.numero non è un numero", v.Content[j+1].Line)
				}
			case "data":
				fp.Date = v.Content[j+1].Value
			}
		}
		return fp, nil
	}
	return nil, nil
}

// year of a protocol written in a file; 0 when the date is missing or bad.
func (fp *fileProtocol) year() int {
	d, err := time.Parse("2006-01-02", fp.Date)
	if err != nil {
		return 0
	}
	return d.Year()
}

func readRegister(path string) (*register.Register, error) {
	r, err := register.Read(path)
	if err != nil {
		var dmg *register.DamageError
		if errors.As(err, &dmg) {
			hint := "correggilo a mano o riprendilo dalla cronologia di git, poi coopera protocollo verifica"
			if dmg.OnlyTorn() {
				hint = "coopera protocollo verifica --ripara elimina la riga incompleta, poi ripeti il comando"
			}
			return nil, fmt.Errorf("il registro di protocollo è danneggiato, nessun numero assegnato finché non è sistemato:\n%w\nsuggerimento: %s", err, hint)
		}
		return nil, err
	}
	return r, nil
}

// open is the number a source holds that is not annulled, if any.
type open struct {
	year, number int
	first, last  register.Entry // first and current entry of the number
}

func openNumber(r *register.Register, source string) (*open, bool) {
	for _, e := range r.BySource(source) {
		last, _ := r.Lookup(e.Year, e.Number)
		if last.Kind == register.Annulled {
			continue
		}
		h := r.History(e.Year, e.Number)
		return &open{year: e.Year, number: e.Number, first: h[0], last: last}, true
	}
	return nil, false
}

// ErrAlreadyIssued marks the refusal to issue a letter that is issued
// already (errors.Is).
var ErrAlreadyIssued = errors.New("lettera già emessa")

type issuedError struct{ msg string }

func (e issuedError) Error() string        { return e.msg }
func (e issuedError) Is(target error) bool { return target == ErrAlreadyIssued }

func alreadyIssued(o *open) error {
	return issuedError{fmt.Sprintf("il file ha già il protocollo n. %s (numero %d del %d), emesso il %s (riga %d del registro): un numero assegnato non si cambia (la lettera emessa si riscrive con coopera convoca; se il numero è sbagliato va annullato con coopera protocollo annulla %d --anno %d --motivo \"…\")",
		o.last.Formatted, o.number, o.year, o.last.Date.Format("2006-01-02"), o.last.Line, o.number, o.year)}
}

func recipients(m *model.Meeting, p *model.Profile) string {
	if m.Recipients != "" {
		return m.Recipients
	}
	return p.Letter.Recipients
}

// Assign gives the meeting in file the next number of the year of
// opt.Date and issues its letter, or completes an interrupted Assign.
func Assign(file string, opt Options) (*Result, error) {
	if opt.Date.IsZero() {
		return nil, errors.New("manca la data di registrazione")
	}
	t, err := locate(opt.Env, file)
	if err != nil {
		return nil, err
	}
	if !t.prof.Protocol.Managed {
		return nil, fmt.Errorf("%s: il profilo %s tiene il protocollo in «gestione: esterna»: i numeri li assegna il protocollo dell'ente, non coopera\nsuggerimento: scrivi nel file il numero e la data ricevuti (protocollo: numero, data), poi coopera protocollo registra %s",
			t.path, t.prof.Path, t.path)
	}
	regPath := t.prof.Protocol.Register
	r, err := readRegister(regPath)
	if err != nil {
		return nil, err
	}
	src, err := safefile.Read(t.abs, model.MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", t.path, err)
	}
	fp, err := readProtocol(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", t.path, err)
	}
	if o, ok := openNumber(r, t.source); ok {
		if o.last.Kind == register.Issued {
			return nil, fmt.Errorf("%s: %w", t.path, alreadyIssued(o))
		}
		return finishAssign(t, opt, o, fp)
	}
	if fp != nil {
		return nil, fmt.Errorf("%s:%d: il file ha già il protocollo n. %d%s, che il registro %s non conosce: coopera non assegna un secondo numero\nsuggerimento: se il numero non è mai stato dato, togli la chiave protocollo e ripeti coopera protocollo assegna",
			t.path, fp.Line, fp.Number, dateSuffix(fp.Date), regPath)
	}
	draft, _ := envs(opt.Env)
	reg, err := register.Assign(regPath, func(r *register.Register) (register.Entry, error) {
		// Everything is checked again under the lock: another process may
		// have given this file a number since the reading above.
		if o, ok := openNumber(r, t.source); ok {
			if o.last.Kind == register.Issued {
				return register.Entry{}, alreadyIssued(o)
			}
			return register.Entry{}, fmt.Errorf("il file ha già il protocollo n. %s, registrato il %s (riga %d) e non ancora emesso: un'altra assegnazione è in corso o si è interrotta\nsuggerimento: ripeti coopera protocollo assegna %s per completarla",
				o.first.Formatted, o.first.Date.Format("2006-01-02"), o.first.Line, t.path)
		}
		step("validate")
		src, err := safefile.Read(t.abs, model.MaxFileSize)
		if err != nil {
			return register.Entry{}, err
		}
		out, err := draft.Letter(t.path)
		if err != nil {
			return register.Entry{}, err
		}
		// Issue 11 (points 4, 5): no placeholder, no conflict with the folder.
		if err := draft.Issuable(out); err != nil {
			return register.Entry{}, err
		}
		n, err := r.NextFor(opt.Date.Year(), t.prof.Protocol.Format)
		if err != nil {
			return register.Entry{}, err
		}
		// The edit must work before the number is spent on it.
		if _, err := yamledit.SetProtocol(src, n, opt.Date); err != nil {
			return register.Entry{}, err
		}
		m := out.Meeting
		return register.Entry{
			Year: opt.Date.Year(), Number: n, Date: opt.Date, Kind: register.Registered,
			Formatted: t.prof.Protocol.Format.Render(n, opt.Date),
			Subject:   out.Doc.Meta.Title, Recipients: recipients(m, t.prof),
			Source: t.source, SourceSHA256: hex.EncodeToString(m.SHA256[:]),
		}, nil
	})
	if err != nil {
		var probs model.Problems
		var prob *model.Problem
		if errors.As(err, &probs) || errors.As(err, &prob) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", t.path, err)
	}
	step("registered")
	res, err := finishAssign(t, opt, &open{year: reg.Year, number: reg.Number, first: reg, last: reg}, nil)
	if res != nil {
		res.Resumed = false
	}
	return res, err
}

func dateSuffix(d string) string {
	if d == "" {
		return ""
	}
	return " del " + d
}

// finishAssign writes the number into the file if it is not there yet,
// then renders, writes and records the letter.
func finishAssign(t *target, opt Options, o *open, fp *fileProtocol) (*Result, error) {
	date := o.first.Date
	src, err := safefile.Read(t.abs, model.MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", t.path, err)
	}
	if fp == nil {
		if fp, err = readProtocol(src); err != nil {
			return nil, fmt.Errorf("%s: %v", t.path, err)
		}
	}
	switch {
	case fp == nil:
		edited, err := yamledit.SetProtocol(src, o.number, date)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", t.path, err)
		}
		if err := atomicfile.Write(t.abs, edited); err != nil {
			return nil, writeFailed(t.abs, err)
		}
		step("yaml")
	case fp.Number != o.number || fp.Date != date.Format("2006-01-02"):
		return nil, fmt.Errorf("%s:%d: il file riporta il protocollo n. %d%s, ma il registro gli ha dato il n. %s del %s (riga %d) non ancora emesso\nsuggerimento: rimetti nel file numero %d e data %s e ripeti il comando, oppure annulla il numero con coopera protocollo annulla %d --anno %d --motivo \"…\"",
			t.path, fp.Line, fp.Number, dateSuffix(fp.Date), o.first.Formatted, date.Format("2006-01-02"), o.first.Line,
			o.number, date.Format("2006-01-02"), o.number, o.year)
	}
	res, err := render(t, opt, o, date)
	if res != nil {
		res.Resumed = true
	}
	return res, err
}

// render renders the final letter from the file, writes it and appends
// "emesso" with issueDate.
func render(t *target, opt Options, o *open, issueDate time.Time) (*Result, error) {
	_, final := envs(opt.Env)
	out, err := final.Letter(t.path)
	if err == nil {
		err = final.Issuable(out) // issue 11 (points 4, 5): the folder's warnings, or a conflict since
	}
	if err != nil {
		return nil, fmt.Errorf("il numero %s è registrato per %s ma la lettera non si compone; correggi il file e ripeti il comando (il numero resta suo):\n%w", o.first.Formatted, t.path, err)
	}
	m := out.Meeting
	if m.Protocol == nil || m.Protocol.Number != o.number || m.Protocol.Date.Year() != o.year {
		return nil, fmt.Errorf("%s: il file è cambiato durante l'emissione del numero %s: ripeti il comando", t.path, o.first.Formatted)
	}
	step("rendered")
	// The record first: once "emesso" is in the register, the letter must
	// be in emessi/ (record.Gate hands it out from there).
	src, err := os.ReadFile(t.abs)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", t.path, err)
	}
	if register.Hash(src) != hex.EncodeToString(m.SHA256[:]) {
		return nil, fmt.Errorf("%s: il file è cambiato durante l'emissione del numero %s: ripeti il comando", t.path, o.first.Formatted)
	}
	recPath, err := record.Save(t.prof, o.year, out.Name, out.PDF, src)
	if err != nil {
		return nil, err
	}
	step("record")
	pdfPath := filepath.Join(opt.OutDir, out.Name)
	if err := atomicfile.Write(pdfPath, out.PDF); err != nil {
		return nil, writeFailed(pdfPath, err)
	}
	step("pdf")
	pdfHash := register.Hash(out.PDF)
	e, err := register.Assign(t.prof.Protocol.Register, func(r *register.Register) (register.Entry, error) {
		for _, h := range r.History(o.year, o.number) {
			if h.Kind == register.Issued && h.Source == t.source && h.PDFSHA256 == pdfHash {
				// A concurrent run on the same file finished first with
				// the same bytes: nothing is left to do.
				return register.Entry{}, errDone{h}
			}
		}
		return register.Entry{
			Year: o.year, Number: o.number, Date: issueDate, Kind: register.Issued,
			Formatted: out.Doc.Protocol, Subject: out.Doc.Meta.Title, Recipients: recipients(m, t.prof),
			Source: t.source, SourceSHA256: hex.EncodeToString(m.SHA256[:]), PDFSHA256: pdfHash,
		}, nil
	})
	var done errDone
	if errors.As(err, &done) {
		e, err = done.e, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: la lettera %s è scritta ma l'emissione non è registrata: %w\nsuggerimento: ripeti il comando per registrarla", t.path, pdfPath, err)
	}
	step("issued")
	return &Result{Year: o.year, Number: o.number, Formatted: out.Doc.Protocol, Date: o.first.Date,
		Issued: e, PDFPath: pdfPath, RecordPath: recPath, Warnings: out.Warnings}, nil
}

// writeFailed is a failed write of the workflow, with its fix: the number
// stays the file's, and the same command completes the work.
func writeFailed(path string, err error) error {
	return fmt.Errorf("scrittura di %s: %v\nsuggerimento: controlla che la cartella %s esista, sia scrivibile e abbia spazio (o indica un'altra cartella con -o), poi ripeti lo stesso comando: il numero resta a questa lettera e il lavoro si completa", path, err, filepath.Dir(path))
}

type errDone struct{ e register.Entry }

func (errDone) Error() string { return "già emesso" }

// Record journals the number written in a meeting file by the body's own
// protocol system and issues its letter, or completes an interrupted Record.
func Record(file string, opt Options) (*Result, error) {
	t, err := locate(opt.Env, file)
	if err != nil {
		return nil, err
	}
	if t.prof.Protocol.Managed {
		return nil, fmt.Errorf("%s: il profilo %s tiene il protocollo in «gestione: interna»: i numeri li assegna coopera\nsuggerimento: coopera protocollo assegna %s", t.path, t.prof.Path, t.path)
	}
	regPath := t.prof.Protocol.Register
	r, err := readRegister(regPath)
	if err != nil {
		return nil, err
	}
	src, err := safefile.Read(t.abs, model.MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", t.path, err)
	}
	if fp, err := readProtocol(src); err == nil && fp == nil {
		return nil, fmt.Errorf("%s: il file non ha la chiave protocollo: in «gestione: esterna» il numero lo dà il protocollo dell'ente\nsuggerimento: scrivi nel file «protocollo:» con «numero:» e «data:» ricevuti, poi ripeti coopera protocollo registra %s", t.path, t.path)
	}
	// Validate everything, number included, before touching the register.
	_, final := envs(opt.Env)
	out, err := final.Letter(t.path)
	if err != nil {
		return nil, err
	}
	// Issue 11 (points 4, 5): no placeholder, no conflict with the folder.
	if err := final.Issuable(out); err != nil {
		return nil, err
	}
	m := out.Meeting
	n, date := m.Protocol.Number, m.Protocol.Date
	year := date.Year()
	issueDate := date
	if !opt.Date.IsZero() {
		issueDate = opt.Date
	}
	check := func(r *register.Register) (*open, error) {
		h := r.History(year, n)
		if len(h) > 0 {
			last := h[len(h)-1]
			switch {
			case last.Kind == register.Annulled:
				return nil, fmt.Errorf("il numero %s è annullato nel registro (riga %d: %s): un numero annullato non si riusa", h[0].Formatted, last.Line, last.Reason)
			case h[0].Source != t.source:
				return nil, fmt.Errorf("il numero %s è già registrato per %s (riga %d): ogni numero vale per una sola lettera", h[0].Formatted, h[0].Source, h[0].Line)
			case !sameDay(h[0].Date, date):
				return nil, fmt.Errorf("il numero %d del %d è registrato con la data %s (riga %d), il file riporta %s: la data di un numero registrato non si cambia", n, year, h[0].Date.Format("2006-01-02"), h[0].Line, date.Format("2006-01-02"))
			case last.Kind == register.Issued:
				return nil, alreadyIssued(&open{year: year, number: n, first: h[0], last: last})
			}
			return &open{year: year, number: n, first: h[0], last: last}, nil
		}
		if o, ok := openNumber(r, t.source); ok {
			return nil, fmt.Errorf("il file è già nel registro con il numero %s (riga %d), non con il n. %d del %d: un numero registrato non si cambia; se è sbagliato va annullato con coopera protocollo annulla %d --anno %d --motivo \"…\"",
				o.first.Formatted, o.first.Line, n, year, o.number, o.year)
		}
		return nil, nil
	}
	o, err := check(r)
	if err != nil {
		if errors.Is(err, ErrAlreadyIssued) {
			return nil, fmt.Errorf("%s: %w", t.path, err)
		}
		// The number the file carries is the problem: name its line.
		at := m.Pos["protocollo.numero"]
		return nil, &model.Problem{File: t.path, Line: at.Line, Column: at.Column, Key: "protocollo.numero", Message: err.Error(),
			Hint: "controlla numero e data con quelli ricevuti dal protocollo dell'ente (coopera protocollo elenco mostra il registro); un numero annullato non si riusa"}
	}
	resumed := o != nil
	if o == nil {
		reg, err := register.Assign(regPath, func(r *register.Register) (register.Entry, error) {
			o, err := check(r)
			if err != nil {
				return register.Entry{}, err
			}
			if o != nil {
				return register.Entry{}, errDone{o.first}
			}
			return register.Entry{
				Year: year, Number: n, Date: date, Kind: register.Registered,
				Formatted: out.Doc.Protocol, Subject: out.Doc.Meta.Title, Recipients: recipients(m, t.prof),
				Source: t.source, SourceSHA256: hex.EncodeToString(m.SHA256[:]),
			}, nil
		})
		var done errDone
		if errors.As(err, &done) {
			reg, err = done.e, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.path, err)
		}
		o = &open{year: year, number: n, first: reg, last: reg}
		step("registered")
	}
	res, err := render(t, opt, o, issueDate)
	if res != nil {
		res.Resumed = resumed
	}
	return res, err
}

func sameDay(a, b time.Time) bool { return a.Format("2006-01-02") == b.Format("2006-01-02") }
