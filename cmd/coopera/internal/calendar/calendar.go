// Package calendar is the calendar stage: it gathers every meeting of a data
// folder, with the archive names of its letter and press releases, and
// writes the calendar of the Tavoli as the project's website shows it, as
// Markdown, as a self-contained HTML page, as a PDF on the letterhead and
// as one iCalendar feed.
//
// Output depends on the data only (never on the clock), so the same data
// gives the same bytes.
package calendar

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/ical"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/italian"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/lazyre"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/record"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/typeset"
)

// File names of the outputs, one per format.
const (
	MarkdownName = "calendario.md"
	HTMLName     = "calendario.html"
	PDFName      = compose.CalendarFileName
	ICSName      = "calendario.ics"
)

// Doc is a document of the archive a meeting links to.
type Doc struct {
	Name  string // the PDF's file name, as convoca or comunicato writes it
	Label string
}

// Entry is one meeting of the calendar.
type Entry struct {
	Meeting  *model.Meeting
	Letter   string // archive name of the letter; "" when none can be issued
	Releases []Doc
}

// Calendar is every meeting of a data folder, by date.
type Calendar struct {
	Profile  *model.Profile
	Entries  []Entry
	Warnings model.Problems
}

// Collect loads the meetings of dataDir/tavoli and the releases of
// dataDir/comunicati. Any error in any file fails the whole calendar, as a
// batch of letters does: a calendar that silently drops a meeting is wrong.
func Collect(dataDir string, env *pipeline.Env) (*Calendar, error) {
	meetingFiles, skipped, err := yamlFiles(filepath.Join(dataDir, "tavoli"))
	if err != nil {
		return nil, err
	}
	if len(meetingFiles) == 0 {
		return nil, fmt.Errorf("nessun incontro in %s\nsuggerimento: crea il primo con «coopera nuovo tavolo», oppure indica la cartella dei dati con --dati", filepath.Join(dataDir, "tavoli"))
	}
	releaseFiles, skippedReleases, err := yamlFiles(filepath.Join(dataDir, "comunicati"))
	if err != nil {
		return nil, err
	}
	skipped = append(skipped, skippedReleases...)
	prof, probs := env.ProfileFor(meetingFiles[0])
	if err := probs.Err(); err != nil {
		return nil, err
	}
	c := &Calendar{Profile: prof, Warnings: append(skipped, probs.Warnings()...)}
	opt := model.Options{Coverage: typeset.Coverage{}, AllowOutside: env.AllowOutside}
	copt := compose.Options{Templates: env.Templates}
	var all model.Problems
	byPath := map[string]int{}
	for _, f := range meetingFiles {
		m, mp := model.LoadMeeting(f, prof, opt)
		all = append(all, mp...)
		if mp.Err() != nil {
			continue
		}
		e := Entry{Meeting: m}
		if m.Protocol != nil && len(m.MissingForLetter()) == 0 {
			// The calendar links the issued letter: it must not publish
			// facts other than the letter's (record.Gate). A number not
			// issued yet is published as the meeting's, without refusal.
			if _, err := env.Records.Gate(m, prof, func() (string, []byte, error) {
				o, err := env.LetterOf(m, prof, nil)
				if err != nil {
					return "", nil, err
				}
				return o.Name, o.PDF, nil
			}); err != nil {
				var ref *record.Refusal
				if !errors.As(err, &ref) || (ref.Code != record.CodeNotIssued && ref.Code != record.CodePending) {
					all = append(all, problemOf(err))
					continue
				}
			}
			doc, err := compose.ComposeLetter(m, prof, copt)
			if err != nil {
				return nil, err
			}
			e.Letter = doc.FileName
		}
		if m.Release != nil {
			d, err := releaseDoc(m.Release, prof, copt)
			if err != nil {
				return nil, err
			}
			e.Releases = append(e.Releases, d)
		}
		abs, _ := filepath.Abs(f)
		byPath[abs] = len(c.Entries)
		c.Entries = append(c.Entries, e)
	}
	for _, f := range releaseFiles {
		r, rp := model.LoadRelease(f, prof, opt)
		all = append(all, rp...)
		if rp.Err() != nil || r.Meeting == nil {
			continue
		}
		abs, _ := filepath.Abs(r.Meeting.Path)
		i, ok := byPath[abs]
		if !ok {
			continue // a release about a meeting outside the folder
		}
		d, err := releaseDoc(r, prof, copt)
		if err != nil {
			return nil, err
		}
		c.Entries[i].Releases = append(c.Entries[i].Releases, d)
	}
	if err := all.Err(); err != nil {
		return nil, err
	}
	c.Warnings = append(c.Warnings, all.Warnings()...)
	sort.SliceStable(c.Entries, func(i, j int) bool {
		a, b := c.Entries[i].Meeting, c.Entries[j].Meeting
		if !a.Date.Equal(b.Date) {
			return a.Date.Before(b.Date)
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.Path < b.Path
	})
	for _, e := range c.Entries {
		sort.SliceStable(e.Releases, func(i, j int) bool { return e.Releases[i].Name < e.Releases[j].Name })
	}
	return c, nil
}

func releaseDoc(r *model.Release, p *model.Profile, opt compose.Options) (Doc, error) {
	doc, err := compose.ComposeRelease(r, p, opt)
	if err != nil {
		return Doc{}, err
	}
	return Doc{Name: doc.FileName, Label: "Comunicato stampa del " + italian.Date(r.Date) + " (PDF)"}, nil
}

func yamlFiles(dir string) ([]string, model.Problems, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("lettura della cartella %s: %v", dir, err)
	}
	var out []string
	var skipped model.Problems
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || !(strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
			continue
		}
		p := filepath.Join(dir, n)
		// A pipe or a device named .yaml is no meeting: said, not read.
		if serr, ok := safefile.As(safefile.Entry(p, e)); ok {
			skipped = append(skipped, model.Problem{File: p, Warning: true, Message: serr.Reason() + ": saltato",
				Hint: "togli il file dalla cartella o sostituiscilo con un file ordinario"})
			continue
		}
		out = append(out, p)
	}
	sort.Strings(out)
	return out, skipped, nil
}

// Title is the calendar's heading.
func (c *Calendar) Title() string {
	if c.Profile.Project.Name != "" {
		return "Calendario dei Tavoli tecnici – Progetto " + c.Profile.Project.Name
	}
	return "Calendario dei Tavoli tecnici"
}

// Date is the calendar's own date: the latest meeting's.
func (c *Calendar) Date() time.Time {
	var d time.Time
	for _, e := range c.Entries {
		if e.Meeting.Date.After(d) {
			d = e.Meeting.Date
		}
	}
	return d
}

// view is one entry in words, shared by every format so they agree.
type view struct {
	ID        string // anchor: tavolo-3, or the date and a slug
	Heading   string // "3º Tavolo tecnico" or the event's title
	Date      string // "mercoledì 2 marzo 2022"
	ISODate   string
	Theme     string // the title of a Tavolo, "" for an event (its heading)
	When      string // "Ore 15:00-17:00, in videoconferenza."
	Chair     string
	Talks     []string // plain text, one per talk or speaker
	TalksMD   []string
	Materials []link
	Docs      []link
}

type link struct{ Label, URL string }

func (c *Calendar) views() []view {
	var out []view
	for _, e := range c.Entries {
		m := e.Meeting
		v := view{Date: italian.LongDate(m.Date), ISODate: m.Date.Format("2006-01-02")}
		if m.Number > 0 {
			v.ID = fmt.Sprintf("tavolo-%d", m.Number)
			v.Heading = italian.Ordinal(m.Number) + " Tavolo tecnico"
			v.Theme = m.Title
		} else {
			v.ID = "incontro-" + v.ISODate + "-" + compose.Slug(m.Title, 40)
			v.Heading = m.Title
		}
		v.When = when(m)
		if m.Chair != nil {
			v.Chair = "Coordina: " + personLine(*m.Chair) + "."
		}
		v.Talks, v.TalksMD = talks(m.Speakers)
		for _, mat := range m.Materials {
			v.Materials = append(v.Materials, link{mat.Title, mat.URL})
		}
		if e.Letter != "" {
			v.Docs = append(v.Docs, link{"Lettera di convocazione (PDF)", e.Letter})
		}
		for _, r := range e.Releases {
			v.Docs = append(v.Docs, link{r.Label, r.Name})
		}
		out = append(out, v)
	}
	// Two events of one day with one title would share an anchor.
	seen := map[string]int{}
	for i := range out {
		seen[out[i].ID]++
		if n := seen[out[i].ID]; n > 1 {
			out[i].ID += fmt.Sprintf("-%d", n)
		}
	}
	return out
}

func when(m *model.Meeting) string {
	var parts []string
	if m.End != 0 {
		parts = append(parts, fmt.Sprintf("ore %s-%s", m.Start, m.End))
	}
	switch m.Mode {
	case model.Video:
		parts = append(parts, "in videoconferenza")
	case model.InPerson, model.Mixed:
		where := "in presenza"
		if m.Mode == model.Mixed {
			where = "in presenza e in videoconferenza"
		}
		if m.Venue != nil {
			where += ", " + venue(m.Venue)
		}
		parts = append(parts, where)
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, ", ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func venue(v *model.Venue) string {
	parts := []string{v.Name}
	for _, s := range []string{v.Address, v.City} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

func personName(p model.Person) string { return strings.TrimSpace(p.Title + " " + p.Name) }

func personLine(p model.Person) string {
	s := personName(p)
	for _, x := range []string{p.Role, p.Body} {
		if x != "" {
			s += ", " + x
		}
	}
	return s
}

// talks groups consecutive speakers of one talk, as the website does:
// "Modello SAI Chiesanuova (a cura di A. Fontana e S. Rovetto)". Speakers
// without a talk title are listed with their role.
func talks(ps []model.Person) (plain, md []string) {
	for i := 0; i < len(ps); {
		p := ps[i]
		if p.Talk == "" {
			plain = append(plain, personLine(p))
			md = append(md, "**"+compose.Escape(personName(p))+"**"+escRest(personLine(p), personName(p)))
			i++
			continue
		}
		j := i
		var names, namesMD []string
		for j < len(ps) && ps[j].Talk == p.Talk {
			names = append(names, personName(ps[j]))
			namesMD = append(namesMD, "**"+compose.Escape(personName(ps[j]))+"**")
			j++
		}
		plain = append(plain, "«"+p.Talk+"» (a cura di "+italian.Join(names)+")")
		md = append(md, "*«"+compose.Escape(p.Talk)+"»* (a cura di "+italian.Join(namesMD)+")")
		i = j
	}
	return plain, md
}

func escRest(line, prefix string) string { return compose.Escape(strings.TrimPrefix(line, prefix)) }

// intro is the sentence under the heading.
func (c *Calendar) intro() string {
	p := c.Profile
	s := "Gli incontri del Coordinamento"
	if p.Project.Name != "" {
		s += " nell'ambito del Progetto " + p.Project.Name
		if p.Project.Code != "" {
			s += " (PROG " + p.Project.Code + ")"
		}
	}
	return s + ", in ordine di data. I documenti (PDF) sono nell'archivio, nella stessa cartella di questo calendario."
}

// Markdown writes the calendar as Markdown. forPDF marks the heading with
// the letterhead's roles and uses smaller headings for the page.
func (c *Calendar) Markdown(forPDF bool) string {
	var b strings.Builder
	h1, h2, h3 := "# ", "## ", "### "
	if forPDF {
		b.WriteString("<!-- coopera:intestazione -->\n")
		h1, h2 = "## ", "### "
	}
	b.WriteString(h1 + compose.Escape(c.Title()) + "\n\n")
	if forPDF {
		b.WriteString("<!-- coopera:sottotitolo -->\n")
	}
	b.WriteString(compose.Escape(c.intro()) + "\n")
	for _, v := range c.views() {
		b.WriteString("\n" + h2 + compose.Escape(v.Heading) + " – " + v.Date + "\n\n")
		if v.Theme != "" {
			b.WriteString("**" + compose.Escape(v.Theme) + "**\n\n")
		}
		if v.When != "" {
			b.WriteString(compose.Escape(v.When) + "\n\n")
		}
		if v.Chair != "" {
			b.WriteString(compose.Escape(v.Chair) + "\n\n")
		}
		list := func(title string, items []string) {
			if len(items) == 0 {
				return
			}
			if forPDF {
				b.WriteString("#### " + title + "\n\n") // a heading keeps with its list
			} else {
				b.WriteString(h3 + title + "\n\n")
			}
			for _, it := range items {
				b.WriteString("- " + it + "\n")
			}
			b.WriteString("\n")
		}
		list("Interventi", v.TalksMD)
		var mats, docs []string
		for _, l := range v.Materials {
			mats = append(mats, "["+compose.Escape(l.Label)+"](<"+l.URL+">)")
		}
		for _, l := range v.Docs {
			docs = append(docs, "["+compose.Escape(l.Label)+"](<"+l.URL+">)")
		}
		list("Materiali", mats)
		list("Documenti", docs)
	}
	return strings.TrimRight(blankRuns().ReplaceAllString(b.String(), "\n\n"), "\n") + "\n"
}

var blankRuns = lazyre.New(`\n{3,}`)

// ICS is the feed of every meeting; historical meetings without a time are
// all-day events.
func (c *Calendar) ICS() ([]byte, error) {
	ms := make([]*model.Meeting, len(c.Entries))
	for i, e := range c.Entries {
		ms[i] = e.Meeting
	}
	return ical.Feed(ms, c.Profile, c.Title())
}

// PDF typesets the calendar on the letterhead, through the same pipeline as
// the letters (compose, typeset, PDF/A fix-ups).
func (c *Calendar) PDF(env *pipeline.Env) ([]byte, error) {
	doc, err := compose.ComposeCalendar(c.Markdown(true), c.Title(), c.Date(), c.Profile, compose.Options{Templates: env.Templates})
	if err != nil {
		return nil, err
	}
	final, _, err := env.RenderPDF([]*compose.Document{doc}, doc.Meta)
	return final, err
}

// problemOf is err as a problem of the calendar's report.
func problemOf(err error) model.Problem {
	var ref *record.Refusal
	if errors.As(err, &ref) {
		return *ref.Problem
	}
	return model.Problem{Message: err.Error()}
}
