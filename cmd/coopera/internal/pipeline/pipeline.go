// Package pipeline is the one way from data to documents: it runs the
// stages in order for one data file (load and validate, compose, typeset,
// archive fix-ups) and returns the finished PDF in memory. Writing it is the caller's job.
package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/ancisicilia/coopera/assets"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/lazyre"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pdf"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/record"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/register"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/typeset"
)

// Env is what every document of a run shares.
type Env struct {
	Templates    fs.FS  // embedded templates or the user's folder
	Profile      string // --progetto; "" finds progetto.yaml from each file
	AllowOutside bool   // --fuori-cartella
	Draft        bool   // --bozza
	Version      string // release version for the PDFs' producer; "" for none (typeset.Producer)
	// Records answers for the issued letters (record.Gate); the zero value
	// reads each register once per Env.
	Records record.Books
	// Signature signs the letters rendered when not nil (protocollo
	// registra/assegna --firma).
	Signature *pdf.Signature

	mu       sync.Mutex
	profiles map[string]profileResult
}

type profileResult struct {
	p     *model.Profile
	probs model.Problems
}

// Output is a rendered document.
type Output struct {
	Source   string
	Kind     compose.Kind
	Name     string // file name, from validated values
	PDF      []byte
	Pages    int
	Doc      *compose.Document
	Meeting  *model.Meeting
	Release  *model.Release
	Warnings model.Problems
	// Issued is the register's "emesso" line when the PDF is an issued
	// letter handed out from its record (Final).
	Issued *register.Entry
}

func (e *Env) options() model.Options {
	return model.Options{Coverage: typeset.Coverage{}, AllowOutside: e.AllowOutside}
}

// ProfileFor loads (once per run) the profile that governs file.
func (e *Env) ProfileFor(file string) (*model.Profile, model.Problems) {
	path := e.Profile
	if path == "" {
		p, err := model.FindProfile(file)
		if err != nil {
			return nil, model.Problems{{File: file, Message: strings.TrimPrefix(err.Error(), file+": "),
				Hint: "metti il file in una cartella che contiene progetto.yaml (o una sua sottocartella), oppure indica --progetto FILE"}}
		}
		path = p
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.profiles == nil {
		e.profiles = map[string]profileResult{}
	}
	key, _ := filepath.Abs(path)
	if r, ok := e.profiles[key]; ok {
		return r.p, r.probs
	}
	p, probs := model.LoadProfile(path, e.options())
	e.profiles[key] = profileResult{p, probs}
	return p, probs
}

// sourceProfile is ProfileFor for a data file that must exist: a missing
// file is reported as such, not as a folder without progetto.yaml.
func (e *Env) sourceProfile(file string) (*model.Profile, model.Problems) {
	if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
		return nil, model.Problems{{File: file, Message: "il file non esiste",
			Hint: "controlla il nome e la cartella del file (i Tavoli stanno di norma in data/tavoli/, i comunicati in data/comunicati/)"}}
	}
	return e.ProfileFor(file)
}

// Kind tells a meeting file from a press-release file by its folder, and
// failing that by its keys.
func Kind(path string) compose.Kind {
	dir := filepath.Base(filepath.Dir(path))
	if dir == "comunicati" {
		return compose.Release
	}
	return compose.Letter
}

// Letter renders the convocation letter of a meeting file.
func (e *Env) Letter(path string) (*Output, error) {
	m, prof, warnings, err := e.Meeting(path)
	if err != nil {
		return nil, err
	}
	return e.LetterOf(m, prof, warnings)
}

// Meeting loads and validates a meeting file and its profile; warnings are
// both files' warnings.
func (e *Env) Meeting(path string) (*model.Meeting, *model.Profile, model.Problems, error) {
	prof, probs := e.sourceProfile(path)
	if err := probs.Err(); err != nil {
		return nil, nil, nil, err
	}
	m, mprobs := model.LoadMeeting(path, prof, e.options())
	if err := mprobs.Err(); err != nil {
		return nil, nil, nil, err
	}
	return m, prof, append(probs.Warnings(), mprobs.Warnings()...), nil
}

// LetterOf renders the convocation letter of a meeting loaded by Meeting.
func (e *Env) LetterOf(m *model.Meeting, prof *model.Profile, warnings model.Problems) (*Output, error) {
	if !e.Draft {
		if err := model.PlaceholderErrors(m.Placeholders); err != nil {
			return nil, err
		}
	}
	doc, err := compose.ComposeLetter(m, prof, compose.Options{Templates: e.Templates, Draft: e.Draft})
	if err != nil {
		return nil, err
	}
	out, err := e.finish(doc)
	if err != nil {
		return nil, err
	}
	out.Meeting, out.Warnings = m, warnings
	return out, nil
}

// Final is the letter a command may write for a meeting file: a draft
// (e.Draft, or a meeting without protocol number), or the issued letter
// byte for byte as the register and its record hold it (record.Gate). A
// numbered letter that is not issued, or whose data changed since, is an
// error naming the command that resolves it.
func (e *Env) Final(path string) (*Output, error) {
	m, prof, warnings, err := e.Meeting(path)
	if err != nil {
		return nil, err
	}
	return e.FinalOf(m, prof, warnings)
}

// FinalOf is Final for a meeting loaded by Meeting.
func (e *Env) FinalOf(m *model.Meeting, prof *model.Profile, warnings model.Problems) (*Output, error) {
	if e.Draft || m.Protocol == nil {
		return e.LetterOf(m, prof, warnings)
	}
	if err := model.PlaceholderErrors(m.Placeholders); err != nil {
		return nil, err // what to fill in comes before how to issue
	}
	var out *Output
	render := func() (string, []byte, error) {
		var err error
		if out == nil {
			out, err = e.LetterOf(m, prof, warnings)
		}
		if err != nil {
			return "", nil, err
		}
		return out.Name, out.PDF, nil
	}
	l, err := e.Records.Gate(m, prof, render)
	if err != nil {
		return nil, err
	}
	if out == nil {
		// Handed out from its record: composed for the facts that callers
		// list (subject, number, date), never typeset again.
		doc, err := compose.ComposeLetter(m, prof, compose.Options{Templates: e.Templates})
		if err != nil {
			return nil, err
		}
		out = &Output{Source: doc.Source, Kind: doc.Kind, Doc: doc, Meeting: m, Warnings: warnings}
	}
	out.PDF, out.Name = l.PDF, l.Name
	if n := pageCount(l.PDF); n > 0 {
		out.Pages = n
	}
	out.Issued = &l.Entry
	return out, nil
}

var pagesRe = lazyre.New(`/Type\s*/Pages\b[^>]*?/Count\s+(\d+)`)

// pageCount reads the page count of a PDF written by coopera (0 when it
// cannot tell).
func pageCount(pdf []byte) int {
	m := pagesRe().FindSubmatch(pdf)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// PressRelease renders a press-release file.
func (e *Env) PressRelease(path string) (*Output, error) {
	prof, probs := e.sourceProfile(path)
	if err := probs.Err(); err != nil {
		return nil, err
	}
	r, rprobs := model.LoadRelease(path, prof, e.options())
	if err := rprobs.Err(); err != nil {
		return nil, err
	}
	if !e.Draft {
		if err := model.PlaceholderErrors(r.Placeholders); err != nil {
			return nil, err
		}
	}
	doc, err := compose.ComposeRelease(r, prof, compose.Options{Templates: e.Templates})
	if err != nil {
		return nil, err
	}
	out, err := e.finish(doc)
	if err != nil {
		return nil, err
	}
	out.Release, out.Warnings = r, append(probs.Warnings(), rprobs.Warnings()...)
	return out, nil
}

func (e *Env) finish(doc *compose.Document) (*Output, error) {
	final, pages, err := e.RenderPDF([]*compose.Document{doc}, doc.Meta)
	if err != nil {
		return nil, err
	}
	return &Output{Source: doc.Source, Kind: doc.Kind, Name: doc.FileName, PDF: final, Pages: pages, Doc: doc}, nil
}

// Prepare starts, on another goroutine, the work that rendering documents
// of kind needs whatever their data: the templates and the fonts parsed,
// the hyphenation patterns built, a zlib writer's tables in memory. It
// overlaps with reading the data and takes about 2 ms off a one-letter run
// on a 2-core machine (README, "Performance"). What it has not finished
// when a document needs it, the render waits for or does itself; its
// errors are the render's to find and report. The channel is closed when
// it is done; callers need not wait for it.
func (e *Env) Prepare(kind compose.Kind) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		compose.Prepare(e.Templates, kind)
		typeset.Prepare()
		if font, err := assets.FS.ReadFile(sampleFont); err == nil {
			pdf.Prepare(font[:min(len(font), 24<<10)])
		}
	}()
	return done
}

// sampleFont is what pdf.Prepare compresses: font programs are most of
// what a document's streams hold.
const sampleFont = "fonts/TitilliumWeb-Regular.ttf"

// RenderPDF is the last two stages for one or more composed documents
// (several go one after the other in one PDF): typesetting, then the PDF/A
// fix-ups with the properties meta. Errors name the first document's source.
func (e *Env) RenderPDF(docs []*compose.Document, meta compose.Meta) (file []byte, pages int, err error) {
	date := typeset.DocTime(meta.Date)
	producer := typeset.Producer(e.Version)
	res, err := typeset.RenderAll(docs, typeset.Options{
		Version: e.Version,
		Meta: pdf.Meta{
			Title: meta.Title, Author: meta.Author, Subject: meta.Subject,
			Keywords: meta.Keywords, Creator: producer, Producer: producer,
			Lang: "it-IT", Created: date, Modified: date,
		},
		Signature: e.Signature,
	})
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", docs[0].Source, err)
	}
	return res.PDF, res.Pages, nil
}
