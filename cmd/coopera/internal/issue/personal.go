package issue

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/atomicfile"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/record"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/register"
)

// Letters renders the personal letters of a meeting with env (a mail
// merge, the combined PDF last).
type Letters func(env *pipeline.Env) ([]*pipeline.Output, error)

// Personal hands out the personal letters of an issued meeting, each an
// issued record of its own: a line "personale" of the register, with its
// impronta, and its bytes in emessi/. With issueNew (protocollo registra or
// assegna with --destinatari) the letters not issued yet are issued; without
// (convoca --destinatari) a letter that is not issued is refused, so that
// no command writes a numbered letter the register does not hold.
//
// The meeting's letter must be issued and its data unchanged since
// (record.Gate). The returned outputs carry the bytes to write; Personal
// itself writes only the records and the register.
func Personal(file string, opt Options, letters Letters, issueNew bool) ([]*pipeline.Output, error) {
	t, err := locate(opt.Env, file)
	if err != nil {
		return nil, err
	}
	main, err := opt.Env.Final(file)
	if err != nil {
		return nil, err
	}
	if main.Issued == nil {
		return nil, fmt.Errorf("%s: il file non ha il numero di protocollo: le lettere personali senza numero sono bozze (--bozza)", file)
	}
	issued := *main.Issued
	_, final := envs(opt.Env)
	outs, err := letters(final)
	if err != nil {
		return nil, err
	}
	r, err := readRegister(t.prof.Protocol.Register)
	if err != nil {
		return nil, err
	}
	have := map[string]register.Entry{}
	for _, e := range r.Personal(issued.Year, issued.Number) {
		have[e.Recipients] = e
	}
	var missing []string
	for _, o := range outs {
		e, ok := have[o.Name]
		switch {
		case ok:
			pdf, err := personalRecord(t, issued, o, e)
			if err != nil {
				return nil, err
			}
			o.PDF, o.Issued = pdf, &e
		case !issueNew:
			missing = append(missing, o.Name)
		}
	}
	if len(missing) > 0 {
		cmd := "registra"
		if t.prof.Protocol.Managed {
			cmd = "assegna"
		}
		return nil, &record.Refusal{Code: record.CodeNotIssued, Problem: problemAt(main, fmt.Sprintf(
			"le lettere personali del protocollo n. %s non sono ancora emesse (%s): ogni lettera protocollata esiste solo emessa e annotata nel registro",
			issued.Formatted, strings.Join(missing, ", ")),
			fmt.Sprintf("emettile con «coopera protocollo %s %s --destinatari ELENCO» (lo stesso elenco); per vederle prima, «coopera convoca --bozza --destinatari ELENCO %s»", cmd, file, file))}
	}
	src, err := os.ReadFile(t.abs)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", t.path, err)
	}
	for _, o := range outs {
		if o.Issued != nil {
			continue
		}
		if _, err := record.Save(t.prof, issued.Year, o.Name, o.PDF, src); err != nil {
			return nil, err
		}
		hash := register.Hash(o.PDF)
		e, err := register.Assign(t.prof.Protocol.Register, func(r *register.Register) (register.Entry, error) {
			for _, p := range r.Personal(issued.Year, issued.Number) {
				if p.Recipients == o.Name && p.PDFSHA256 == hash {
					return register.Entry{}, errDone{p} // a concurrent run was first
				}
			}
			return register.Entry{
				Year: issued.Year, Number: issued.Number, Date: issued.Date, Kind: register.Personal,
				Formatted: issued.Formatted, Subject: issued.Subject, Recipients: o.Name,
				Source: t.source, SourceSHA256: hex.EncodeToString(main.Meeting.SHA256[:]), PDFSHA256: hash,
			}, nil
		})
		var done errDone
		if errors.As(err, &done) {
			e, err = done.e, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: la lettera personale %s non è registrata: %w\nsuggerimento: ripeti il comando", t.path, o.Name, err)
		}
		o.Issued = &e
	}
	return outs, nil
}

// personalRecord is the issued bytes of a personal letter: its record, or
// the letter rendered now when it has the registered impronta.
func personalRecord(t *target, issued register.Entry, o *pipeline.Output, e register.Entry) ([]byte, error) {
	path := filepath.Join(record.Dir(t.prof), fmt.Sprint(issued.Year), o.Name)
	pdf, err := os.ReadFile(path)
	if err == nil && register.Hash(pdf) == e.PDFSHA256 {
		return pdf, nil
	}
	if register.Hash(o.PDF) == e.PDFSHA256 {
		return o.PDF, nil
	}
	if err == nil {
		return nil, &record.Refusal{Code: record.CodeTampered, Problem: problemAt(o,
			fmt.Sprintf("la copia della lettera personale emessa %s non ha l'impronta registrata (riga %d del registro)", relName(path), e.Line),
			"rimettila dalla cronologia di git (git checkout -- "+relName(path)+"); il registro fa fede")}
	}
	return nil, &record.Refusal{Code: record.CodeMissing, Problem: problemAt(o,
		fmt.Sprintf("la lettera personale %s emessa con il n. %s (riga %d del registro) non è in %s e questa versione di coopera la compone con byte diversi", o.Name, issued.Formatted, e.Line, relName(filepath.Dir(path))),
		"rimetti il PDF emesso in "+relName(filepath.Dir(path))+" (dalla cronologia di git o da un archivio)")}
}

// WriteAll writes handed-out letters into dir.
func WriteAll(outs []*pipeline.Output, dir string) error {
	for _, o := range outs {
		if err := atomicfile.Write(filepath.Join(dir, o.Name), o.PDF); err != nil {
			return writeFailed(filepath.Join(dir, o.Name), err)
		}
	}
	return nil
}

// problemAt is a problem at the protocol number of an output's meeting.
func problemAt(o *pipeline.Output, msg, hint string) *model.Problem {
	p := &model.Problem{File: o.Source, Key: "protocollo.numero", Message: msg, Hint: hint}
	if o.Meeting != nil {
		at := o.Meeting.Pos["protocollo.numero"]
		p.File, p.Line, p.Column = o.Meeting.Path, at.Line, at.Column
	}
	return p
}
