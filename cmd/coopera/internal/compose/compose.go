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
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/italian"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/lazyre"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
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
	Draft     bool  // a draft, marked BOZZA, whether or not the meeting has a number
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
	// A draft never carries the number, even when the file has one: it is
	// not the issued letter and must not pass for it.
	proto := m.Protocol
	if opt.Draft {
		proto = nil
	}
	doc := &Document{Kind: Letter, Draft: proto == nil, Source: m.Path,
		Smart: p.Typography.SmartQuotes, Hyphenate: p.Typography.Hyphenation}
	if proto != nil {
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
	if proto != nil {
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
	blocks, err := parseMarkdown(doc.Markdown, doc.Kind == Calendar)
	if err != nil {
		var me *MarkdownError
		name := map[Kind]string{Letter: LetterTemplate, Release: ReleaseTemplate}[doc.Kind]
		if !errors.As(err, &me) || name == "" {
			return fmt.Errorf("%s: %w", doc.Source, err)
		}
		where := "nel testo prodotto per " + doc.Source
		if me.Line > 0 {
			where += fmt.Sprintf(", riga %d", me.Line)
		}
		return &model.Problem{File: displayName(opt.Templates, name), Message: fmt.Sprintf("%s (%s)", me.Message, where), Hint: me.Hint}
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

// Folder is a user's folder of templates (--modelli): the files, and the
// folder's path, which messages name and which the paths a template
// produces must stay inside (with the data folder), unless AllowOutside.
type Folder struct {
	fs.FS
	Dir          string
	AllowOutside bool
}

// UserFolder opens dir as a folder of templates.
func UserFolder(dir string, allowOutside bool) Folder {
	return Folder{FS: safefile.DirFS(dir), Dir: dir, AllowOutside: allowOutside}
}

// displayName is how messages name template name of fsys: its path in a
// user's folder, or the embedded file.
func displayName(fsys fs.FS, name string) string {
	if f, ok := fsys.(Folder); ok {
		return filepath.Join(f.Dir, name)
	}
	return name
}

// ExecTimeout is MaxExecTime; the end-to-end tests shorten it.
var ExecTimeout = MaxExecTime

// execute runs a template hermetically: no environment, no clock, bounded
// output and time.
func execute(fsys fs.FS, name string, data any) (string, error) {
	tmpl, err := parse(fsys, name)
	if err != nil {
		return "", err
	}
	limit := ExecTimeout
	ctx, cancel := context.WithTimeout(context.Background(), limit)
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
		return "", &model.Problem{File: displayName(fsys, name),
			Message: fmt.Sprintf("l'esecuzione del modello supera il limite di %s (ciclo infinito?)", limit),
			Hint:    "controlla i cicli {{range}} del modello: un modello deve finire in pochi istanti"}
	}
	if err != nil {
		return "", templateError(fsys, name, err)
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
		return nil, templateError(fsys, name, err)
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

// templateMessage splits text/template's "template: NAME:LINE[:COL]:
// [executing "X" at <ACTION>: ]DETAIL".
var templateMessage = lazyre.New(`^template: ([^:]*):(\d+)(?::(\d+))?: (?:executing "[^"]*" at <(.*?)>: )?(.*)$`)

var (
	reUnclosed   = lazyre.New(`^unclosed action(?: started at [^:]*:(\d+))?`)
	reFunction   = lazyre.New(`^function "([^"]*)" not defined`)
	reMissingKey = lazyre.New(`^map has no entry for key "([^"]*)"`)
	reNoField    = lazyre.New(`^can't evaluate field (\S+)`)
	reNoTemplate = lazyre.New(`^(?:no such template|template) "([^"]*)"(?: not defined)?`)
	reCalling    = lazyre.New(`^error calling (\S+): (.*)$`)
	reDepth      = lazyre.New(`exceeded maximum template depth \((\d+)\)`)
)

// templateError says in Italian what is wrong in a template, at the
// template file's line and column as text/template gives them.
func templateError(fsys fs.FS, name string, err error) error {
	p := &model.Problem{File: displayName(fsys, name)}
	if errors.Is(err, errTooLarge) {
		p.Message = fmt.Sprintf("il testo prodotto dal modello supera il limite di %d byte", MaxOutput)
		p.Hint = "controlla i cicli {{range}} del modello"
		return p
	}
	detail := err.Error()
	action := ""
	if m := templateMessage().FindStringSubmatch(detail); m != nil {
		p.Line, _ = strconv.Atoi(m[2])
		p.Column, _ = strconv.Atoi(m[3])
		action, detail = m[4], m[5]
	}
	in := ""
	if action != "" {
		in = fmt.Sprintf(" (in «%s»)", action)
	}
	const fieldHint = "i campi disponibili sono descritti nel README, alla voce «Templates»"
	switch {
	case reUnclosed().MatchString(detail):
		m := reUnclosed().FindStringSubmatch(detail)
		p.Message = "un'azione «{{» non è chiusa da «}}»"
		if m[1] != "" {
			p.Message += " (l'azione comincia alla riga " + m[1] + ")"
		}
		p.Hint = "chiudi l'azione con «}}»"
	case reFunction().MatchString(detail):
		f := reFunction().FindStringSubmatch(detail)[1]
		p.Message = fmt.Sprintf("la funzione «%s» non esiste", f)
		p.Hint = "le funzioni disponibili sono quelle di sprig (senza env, readFile e simili: i modelli non leggono l'ambiente né i file) e quelle italiane del README"
	case reMissingKey().MatchString(detail):
		p.Message = fmt.Sprintf("il campo «%s» non esiste%s", reMissingKey().FindStringSubmatch(detail)[1], in)
		p.Hint = fieldHint
	case reNoField().MatchString(detail):
		p.Message = fmt.Sprintf("il campo «%s» non esiste%s", reNoField().FindStringSubmatch(detail)[1], in)
		p.Hint = fieldHint
	case reDepth().MatchString(detail):
		p.Message = fmt.Sprintf("il modello richiama se stesso senza fine (più di %s livelli di {{template}})%s", reDepth().FindStringSubmatch(detail)[1], in)
		p.Hint = "ogni {{template}} che richiama il proprio blocco deve avere un {{if}} che a un certo punto lo ferma"
	case reNoTemplate().MatchString(detail):
		p.Message = fmt.Sprintf("il modello richiama il blocco «%s», che non esiste", reNoTemplate().FindStringSubmatch(detail)[1])
		p.Hint = "definisci il blocco con {{define \"nome\"}}…{{end}} nello stesso file: un modello non può includere altri file"
	case reCalling().MatchString(detail):
		m := reCalling().FindStringSubmatch(detail)
		p.Message = fmt.Sprintf("errore nella funzione «%s»: %s", m[1], m[2])
		p.Hint = "controlla gli argomenti della funzione nel modello"
	case strings.Contains(detail, "unexpected EOF"):
		p.Message = "il modello finisce prima di un {{end}}"
		p.Hint = "ogni {{if}}, {{range}} e {{with}} si chiude con {{end}}"
	case strings.Contains(detail, "unexpected {{end}}"):
		p.Message = "un {{end}} di troppo"
		p.Hint = "togli il {{end}} che non chiude nessun {{if}}, {{range}} o {{with}}"
	case strings.HasPrefix(detail, "errore interno"):
		p.Message = detail
		p.Hint = "segnala il problema allegando il modello che lo provoca"
	default:
		p.Message = fmt.Sprintf("errore nel modello%s: %s", in, detail)
		p.Hint = "controlla la sintassi del modello: https://pkg.go.dev/text/template"
	}
	return p
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
