// Package compose is the template stage: it fills the convocation, press
// release and letterhead templates from the model and turns the Markdown
// they produce into typed blocks for the typesetter.
package compose

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/italian"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
)

// Template file names; a user folder given with --modelli must use them.
const (
	LetterTemplate     = "convocazione.md.tmpl"
	ReleaseTemplate    = "comunicato.md.tmpl"
	LetterheadTemplate = "carta-intestata.yaml.tmpl"
)

// Limits on what a template may produce or cost.
const (
	MaxOutput   = 1 << 20
	MaxExecTime = 5 * time.Second
)

// Kind says which document a Document is.
type Kind string

const (
	Letter  Kind = "convocazione"
	Release Kind = "comunicato"
)

// Meta is what the PDF's document properties say.
type Meta struct {
	Title    string
	Subject  string
	Author   string
	Keywords []string
	Date     time.Time // from the data: protocol, meeting or release date
}

// Document is a composed document, ready to typeset.
type Document struct {
	Kind       Kind
	Meta       Meta
	Protocol   string // formatted number, "" for a draft or a release
	Draft      bool
	Markdown   string
	Blocks     []Block
	Layout     Layout
	Smart      bool     // typographic quotes
	Hyphenate  []string // profile's hyphenation exceptions
	Source     string   // the data file
	FileName   string   // output file name, from validated values only
	ReleaseFor *model.Meeting
}

// Options tune composition.
type Options struct {
	Templates fs.FS // the embedded templates or a user's folder
	Draft     bool  // allow a letter without protocol number, marked BOZZA
}

// ComposeLetter fills the convocation template for m.
func ComposeLetter(m *model.Meeting, p *model.Profile, opt Options) (*Document, error) {
	return composeLetter(m, p, opt, nil)
}

// composeLetter is ComposeLetter for one addressee (nil: the general
// letter); see ComposeLetterTo in merge.go.
func composeLetter(m *model.Meeting, p *model.Profile, opt Options, to *Destinatario) (*Document, error) {
	if miss := m.MissingForLetter(); len(miss) > 0 {
		return nil, fmt.Errorf("%s: la lettera non si può comporre: mancano %s (il file è segnato «storico: true»)",
			m.Path, strings.Join(miss, ", "))
	}
	if m.Protocol == nil && !opt.Draft {
		return nil, &model.Problem{File: m.Path, Line: 1, Column: 1, Key: "protocollo",
			Message: "manca il numero di protocollo: la lettera non può essere emessa",
			Hint:    "aggiungi «protocollo: {numero: N, data: AAAA-MM-GG}», oppure usa --bozza per una bozza"}
	}
	doc := &Document{Kind: Letter, Draft: m.Protocol == nil, Source: m.Path,
		Smart: p.Typography.SmartQuotes, Hyphenate: p.Typography.Hyphenation}
	if m.Protocol != nil {
		doc.Protocol = p.Protocol.Format.Render(m.Protocol.Number, m.Protocol.Date)
	}
	view := meetingView(m, p)
	data := map[string]any{
		"Incontro":     view,
		"Progetto":     profileViewFor(p, to),
		"Firmatario":   personView(model.Person{Name: p.Signatory.Name, Title: p.Signatory.Title, Role: p.Signatory.Role}),
		"Protocollo":   doc.Protocol,
		"Bozza":        doc.Draft,
		"Destinatario": to,
	}
	md, err := execute(opt.Templates, LetterTemplate, data)
	if err != nil {
		return nil, err
	}
	doc.Markdown = md
	subject := subjectLine(m, p)
	doc.Meta = Meta{
		Title:    subject,
		Subject:  "Convocazione - " + p.Project.Title,
		Author:   p.Body.Name,
		Keywords: keywords(p, "convocazione", m),
		Date:     m.Date,
	}
	if m.Protocol != nil {
		doc.Meta.Date = m.Protocol.Date
		doc.FileName = fmt.Sprintf("convocazione_%04d-%s_%s%s.pdf", m.Protocol.Date.Year(),
			zeroPad(m.Protocol.Number, p.Protocol.Format.MaxNumber()), m.Date.Format("2006-01-02"), meetingSuffix(m))
	} else {
		doc.FileName = fmt.Sprintf("bozza_convocazione_%s%s.pdf", m.Date.Format("2006-01-02"), meetingSuffix(m))
	}
	return doc, finish(doc, p, opt)
}

// ComposeRelease fills the press-release template for r.
func ComposeRelease(r *model.Release, p *model.Profile, opt Options) (*Document, error) {
	doc := &Document{Kind: Release, Source: r.Path, ReleaseFor: r.Meeting,
		Smart: p.Typography.SmartQuotes, Hyphenate: p.Typography.Hyphenation}
	title := r.Title
	if title == "" {
		if r.Meeting == nil {
			return nil, fmt.Errorf("%s: titolo: manca il titolo e non c'è un tavolo da cui ricavarlo", r.Path)
		}
		title = generatedHeadline(r.Meeting, p)
	}
	place := r.Place
	if place == "" {
		place = p.ReleaseDef.Place
	}
	contacts := r.Contacts
	if contacts == "" {
		contacts = p.ReleaseDef.Contacts
	}
	data := map[string]any{
		"Comunicato": map[string]any{
			"Titolo": title, "Sottotitolo": r.Subtitle, "Testo": r.Text, "Contatti": contacts,
			"Luogo": place, "Data": r.Date,
		},
		"Progetto": profileView(p),
	}
	if r.Meeting != nil {
		data["Incontro"] = meetingView(r.Meeting, p)
	} else {
		data["Incontro"] = nil
	}
	md, err := execute(opt.Templates, ReleaseTemplate, data)
	if err != nil {
		return nil, err
	}
	doc.Markdown = md
	doc.Meta = Meta{Title: title, Subject: "Comunicato stampa - " + p.Project.Title, Author: p.Body.Name,
		Keywords: keywords(p, "comunicato stampa", r.Meeting), Date: r.Date}
	doc.FileName = fmt.Sprintf("comunicato_%s_%s.pdf", r.Date.Format("2006-01-02"), Slug(title, 48))
	return doc, finish(doc, p, opt)
}

// finish parses the Markdown and fills the letterhead.
func finish(doc *Document, p *model.Profile, opt Options) error {
	blocks, err := Parse(doc.Markdown)
	if err != nil {
		return fmt.Errorf("%s: %w", doc.Source, err)
	}
	polish(blocks, doc.Smart)
	doc.Blocks = blocks
	lay, err := letterhead(opt.Templates, p, doc.Protocol)
	if err != nil {
		return err
	}
	doc.Layout = lay
	return nil
}

func meetingSuffix(m *model.Meeting) string {
	if m.Number > 0 {
		return fmt.Sprintf("_tavolo-%d", m.Number)
	}
	return "_" + Slug(m.Title, 40)
}

func zeroPad(n, max int) string {
	w := len(fmt.Sprint(max))
	if max == 0 {
		w = 7
	}
	return fmt.Sprintf("%0*d", w, n)
}

func subjectLine(m *model.Meeting, p *model.Profile) string {
	what := m.Title
	if m.Number > 0 {
		what = italian.Ordinal(m.Number) + " Tavolo tecnico"
		if m.Title != "" {
			what += ": " + m.Title
		}
	}
	return fmt.Sprintf("Convocazione %s - %s, ore %s-%s", what, italian.LongDate(m.Date), m.Start, m.End)
}

func generatedHeadline(m *model.Meeting, p *model.Profile) string {
	what := m.Title
	if m.Number > 0 {
		what = fmt.Sprintf("%s Tavolo tecnico: «%s»", italian.Ordinal(m.Number), m.Title)
		if m.Title == "" {
			what = italian.Ordinal(m.Number) + " Tavolo tecnico"
		}
	}
	how := map[model.Mode]string{model.Video: "in videoconferenza", model.InPerson: "in presenza", model.Mixed: "in presenza e in videoconferenza"}[m.Mode]
	return fmt.Sprintf("Progetto %s, %s – %s %s dalle ore %s alle %s", p.Project.Name, what, how, italian.LongDate(m.Date), m.Start, m.End)
}

func keywords(p *model.Profile, kind string, m *model.Meeting) []string {
	k := []string{p.Project.Name, kind}
	if p.Project.Code != "" {
		k = append(k, "PROG "+p.Project.Code)
	}
	if m != nil && m.Number > 0 {
		k = append(k, italian.Ordinal(m.Number)+" Tavolo tecnico")
	}
	return k
}

// execute runs a template hermetically: no environment, no clock, bounded
// output and time.
func execute(fsys fs.FS, name string, data any) (string, error) {
	tmpl, err := parse(fsys, name)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), MaxExecTime)
	defer cancel()
	w := &limitedBuffer{max: MaxOutput, ctx: ctx}
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("errore interno nel modello: %v", r)
			}
		}()
		done <- tmpl.Execute(w, data)
	}()
	select {
	case err = <-done:
	case <-ctx.Done():
		return "", fmt.Errorf("modello %s: l'esecuzione supera il limite di %s (ciclo infinito?)", name, MaxExecTime)
	}
	if err != nil {
		return "", templateError(name, err)
	}
	return w.buf.String(), nil
}

func parse(fsys fs.FS, name string) (*template.Template, error) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("modello %s: il file non esiste nella cartella dei modelli", name)
		}
		return nil, fmt.Errorf("modello %s: %v", name, err)
	}
	if len(src) > MaxOutput {
		return nil, fmt.Errorf("modello %s: file troppo grande", name)
	}
	key := name + "\x00" + string(src)
	parsed.Lock()
	t := parsed.m[key]
	parsed.Unlock()
	if t != nil {
		return t, nil
	}
	t, err = template.New(name).Option("missingkey=error").Funcs(funcMap()).Parse(string(src))
	if err != nil {
		return nil, templateError(name, err)
	}
	parsed.Lock()
	if len(parsed.m) >= maxParsed {
		clear(parsed.m) // a user editing templates under --osserva
	}
	parsed.m[key] = t
	parsed.Unlock()
	return t, nil
}

// parsed keeps the templates parsed so far in this process, by name and
// source text, so that a batch (archivio, mail merge) parses each template
// once; a changed file has another key. A parsed template may be executed
// by several goroutines at once.
var parsed = struct {
	sync.Mutex
	m map[string]*template.Template
}{m: map[string]*template.Template{}}

const maxParsed = 16

// funcMap is funcs, built once: sprig's map alone has some two hundred
// entries.
var funcMap = sync.OnceValue(funcs)

// templateError keeps the template's own position ("name:LINE:COL") and
// says in Italian what is wrong, keeping the parser's words as detail.
func templateError(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "template: ")
	const fieldHint = "\nsuggerimento: i campi disponibili sono descritti nel README, alla voce «Modelli»"
	switch {
	case errors.Is(err, errTooLarge):
		return fmt.Errorf("modello %s: il testo prodotto supera il limite di %d byte\nsuggerimento: controlla i cicli {{range}} del modello", name, MaxOutput)
	case strings.Contains(msg, "function") && strings.Contains(msg, "not defined"):
		return fmt.Errorf("modello %s: funzione sconosciuta (%s)\nsuggerimento: le funzioni disponibili sono quelle di sprig (senza env, readFile e simili) e quelle italiane del README", name, msg)
	case strings.Contains(msg, "map has no entry for key"), strings.Contains(msg, "can't evaluate field"):
		return fmt.Errorf("modello %s: il modello usa un campo che non esiste (%s)"+fieldHint, name, msg)
	case strings.Contains(msg, "unclosed action"):
		return fmt.Errorf("modello %s: un'azione «{{» non è chiusa da «}}» (%s)", name, msg)
	case strings.Contains(msg, "unexpected EOF"):
		return fmt.Errorf("modello %s: il modello finisce prima di un {{end}} (%s)\nsuggerimento: ogni {{if}}, {{range}} e {{with}} si chiude con {{end}}", name, msg)
	case strings.Contains(msg, "unexpected {{end}}"):
		return fmt.Errorf("modello %s: un {{end}} di troppo (%s)", name, msg)
	case strings.Contains(msg, "template \"") && strings.Contains(msg, "not defined"):
		return fmt.Errorf("modello %s: il modello richiama un modello che non esiste (%s)", name, msg)
	case strings.Contains(msg, "error calling"):
		return fmt.Errorf("modello %s: errore in una funzione (%s)", name, msg)
	}
	return fmt.Errorf("modello %s: errore nel modello (%s)", name, msg)
}

var errTooLarge = errors.New("output too large")

type limitedBuffer struct {
	buf bytes.Buffer
	max int
	ctx context.Context
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if l.ctx.Err() != nil {
		return 0, l.ctx.Err()
	}
	if l.buf.Len()+len(p) > l.max {
		return 0, errTooLarge
	}
	return l.buf.Write(p)
}

// Prepare does ahead what composing a document of kind needs whatever its
// data: sprig's function map, and parsing the templates from fsys. It
// reports nothing: a template that does not parse fails again, with its
// message, when a document is composed.
func Prepare(fsys fs.FS, kind Kind) {
	funcMap()
	switch kind {
	case Letter:
		parse(fsys, LetterTemplate)
	case Release:
		parse(fsys, ReleaseTemplate)
	}
	parse(fsys, LetterheadTemplate)
}
