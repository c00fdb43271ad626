package compose

import (
	"fmt"
	"strings"
	"text/template"
	"time"
	"unicode"

	"github.com/Masterminds/sprig/v3"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/italian"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/lazyre"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"golang.org/x/text/unicode/norm"
)

// Views expose the model to templates under Italian names, the language of
// the people who edit the templates.

// Persona is a person as templates see it.
type Persona struct {
	Nome, Titolo, Ruolo, Ente, Intervento string
	Femminile                             bool
}

// Sede is a venue as templates see it.
type Sede struct{ Nome, Indirizzo, Citta string }

// Incontro is a meeting as templates see it.
type Incontro struct {
	Numero          int
	Titolo          string
	Data            time.Time
	Inizio, Fine    string
	Modalita        string
	Sede            Sede
	HaSede          bool
	Collegamento    string
	CollegamentoURL bool
	Destinatari     string
	Saluto          string
	Coordinatore    *Persona
	Relatori        []Persona
	Testo, Note     string
	Iscrizione      string
	Allegati        []string
}

// Progetto is the profile as templates see it.
type Progetto struct {
	Nome, Codice, Titolo, Acronimo, Fondo, Sito, Capofila string
	Partner                                               []string
	Ente, Citta, Email, SitoEnte                          string
	ParagrafoProgetto, ParagrafoCoordinamento, Congedo    string
	Comuni, AltriEnti                                     []string
}

func personView(p model.Person) Persona {
	return Persona{Nome: p.Name, Titolo: p.Title, Ruolo: p.Role, Ente: p.Body, Intervento: p.Talk, Femminile: p.Female()}
}

func meetingView(m *model.Meeting, p *model.Profile) Incontro {
	v := Incontro{
		Numero: m.Number, Titolo: m.Title, Data: m.Date, Inizio: m.Start.String(), Fine: m.End.String(),
		Modalita: string(m.Mode), Collegamento: m.Link, CollegamentoURL: model.IsURL(m.Link),
		Destinatari: m.Recipients, Saluto: m.Salutation, Testo: m.Text, Note: m.Notes,
		Iscrizione: m.Registration, Allegati: m.Attachments,
	}
	if m.Venue != nil {
		v.Sede, v.HaSede = Sede{m.Venue.Name, m.Venue.Address, m.Venue.City}, true
	}
	if v.Destinatari == "" {
		v.Destinatari = p.Letter.Recipients
	}
	if v.Saluto == "" {
		v.Saluto = p.Letter.Salutation
	}
	if v.Iscrizione == "" {
		v.Iscrizione = p.Letter.Registration
	}
	if m.Chair != nil {
		c := personView(*m.Chair)
		v.Coordinatore = &c
	}
	for _, s := range m.Speakers {
		v.Relatori = append(v.Relatori, personView(s))
	}
	return v
}

func profileView(p *model.Profile) Progetto {
	return Progetto{
		Nome: p.Project.Name, Codice: p.Project.Code, Titolo: p.Project.Title, Acronimo: p.Project.Acronym,
		Fondo: p.Project.Fund, Sito: p.Project.Site, Capofila: p.Project.Lead, Partner: p.Project.Partners,
		Ente: p.Body.Name, Citta: p.Body.City, Email: p.Body.Email, SitoEnte: p.Body.Site,
		ParagrafoProgetto: p.Letter.ProjectText, ParagrafoCoordinamento: p.Letter.FormText, Congedo: p.Letter.Closing,
		Comuni: p.Coordination.Municipalities, AltriEnti: p.Coordination.Others,
	}
}

// Bounds for sprig functions that could otherwise allocate without limit.
const maxSeq = 10000

func funcs() template.FuncMap {
	f := sprig.HermeticTxtFuncMap()
	f["until"] = func(n int) ([]int, error) { return boundedSeq(0, n, 1) }
	f["untilStep"] = func(start, stop, step int) ([]int, error) { return boundedSeq(start, stop, step) }
	f["seq"] = func(...int) ([]int, error) { return nil, fmt.Errorf("la funzione seq non è disponibile nei modelli") }
	f["repeat"] = func(n int, s string) (string, error) {
		if n < 0 || n*len(s) > MaxOutput {
			return "", fmt.Errorf("repeat: risultato troppo lungo")
		}
		return strings.Repeat(s, n), nil
	}
	for _, unsafe := range []string{"getHostByName", "env", "expandenv"} {
		delete(f, unsafe)
	}
	f["dataLunga"] = italian.LongDate
	f["data"] = italian.Date
	f["giornoMese"] = italian.DayMonth
	f["giornoSettimana"] = italian.Weekday
	f["ordinale"] = italian.Ordinal
	f["ordinaleF"] = italian.OrdinalFeminine
	f["elenco"] = italian.Join
	f["md"] = Escape
	f["articolo"] = func(p Persona) string { return article(p) }
	f["persona"] = func(p Persona) string { return personPhrase(p, "") }
	f["preposizione"] = func(prep string, p Persona) string { return personPhrase(p, prep) }
	f["persone"] = func(ps []Persona) string { return peoplePhrase(ps, "") }
	f["personeCon"] = func(prep string, ps []Persona) string { return peoplePhrase(ps, prep) }
	f["conInterventi"] = withSpeakers
	f["articoloPlurale"] = pluralArticle
	return f
}

func boundedSeq(start, stop, step int) ([]int, error) {
	if step == 0 {
		return nil, fmt.Errorf("passo nullo")
	}
	n := (stop - start) / step
	if n > maxSeq {
		return nil, fmt.Errorf("sequenza troppo lunga (%d elementi, al massimo %d)", n, maxSeq)
	}
	var out []int
	for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
		out = append(out, i)
	}
	return out, nil
}

func gender(p Persona) italian.Gender {
	if p.Femminile {
		return italian.Female
	}
	return italian.Male
}

func article(p Persona) string {
	if p.Titolo == "" {
		return ""
	}
	return italian.ArticleFor(gender(p), p.Titolo)
}

// personPhrase writes "il dott. **Antonio Tedeschi**, Referente …", with
// the article contracted into prep ("del", "dalla") and a non-breaking
// space after the title. Without a title there is no article: "di **Nome**".
func personPhrase(p Persona, prep string) string {
	var b strings.Builder
	if p.Titolo != "" {
		art := italian.ArticleFor(gender(p), p.Titolo)
		if prep != "" {
			art = italian.Preposition(prep, art)
		}
		b.WriteString(art)
		if !strings.HasSuffix(art, "'") {
			b.WriteByte(' ')
		}
		b.WriteString(Escape(p.Titolo) + "\u00a0")
	} else if prep != "" {
		b.WriteString(prep + " ")
	}
	b.WriteString("**" + Escape(p.Nome) + "**")
	if p.Ruolo != "" {
		b.WriteString(", " + Escape(p.Ruolo))
	}
	if p.Ente != "" && !strings.Contains(p.Ruolo, p.Ente) {
		b.WriteString(", " + Escape(p.Ente))
	}
	if p.Intervento != "" {
		b.WriteString(", con l'intervento *" + Escape(p.Intervento) + "*")
	}
	return b.String()
}

// peoplePhrase joins person phrases: "il dott. **A**, … e la dott.ssa **B**, …".
func peoplePhrase(ps []Persona, prep string) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = personPhrase(p, prep)
	}
	if len(parts) > 2 {
		return strings.Join(parts[:len(parts)-1], "; ") + " e " + parts[len(parts)-1]
	}
	return italian.Join(parts)
}

// withSpeakers appends the speakers to the meeting text's last paragraph,
// as the secretariat writes it: "…, con gli interventi del dott. **A** …".
func withSpeakers(text string, ps []Persona) string {
	text = strings.TrimRight(text, " \n")
	lead := "con l'intervento"
	if len(ps) > 1 {
		lead = "con gli interventi"
	}
	last := text[strings.LastIndex(text, "\n")+1:]
	if strings.HasPrefix(strings.TrimSpace(last), "- ") || strings.HasPrefix(strings.TrimSpace(last), "* ") {
		return text + "\n\nInterverranno " + peoplePhrase(ps, "") + "."
	}
	text = strings.TrimSuffix(text, ".")
	return text + ", " + lead + " " + peoplePhrase(ps, "di") + "."
}

// pluralArticle writes "tra i Referenti", "tra gli Enti" for a plural noun
// phrase (masculine: the usual case for addressees).
func pluralArticle(prep, phrase string) string {
	art := "i"
	r := []rune(strings.ToLower(phrase))
	if len(r) > 0 {
		lower := string(r[:min(2, len(r))])
		switch {
		case strings.ContainsRune("aeiouàèéìòù", r[0]), r[0] == 'z', r[0] == 'x', r[0] == 'y',
			r[0] == 's' && len(r) > 1 && !strings.ContainsRune("aeiou", r[1]),
			lower == "gn", lower == "ps", lower == "pn":
			art = "gli"
		}
	}
	if prep == "" {
		return art
	}
	return prep + " " + art
}

var mdSpecial = lazyre.New("([\\\\`*_\\[\\]<>#|~])")

// listNumber is a number that would start an ordered list: "1." or "1)".
var listNumber = lazyre.New(`^(\d+)([.)])`)

// Escape makes user text literal inside Markdown: a title with an asterisk
// stays an asterisk.
func Escape(s string) string {
	s = mdSpecial().ReplaceAllString(s, `\$1`)
	// A line starting with "1." or "-" would become a list.
	if len(s) > 0 && (s[0] == '-' || s[0] == '+' || unicode.IsDigit(rune(s[0]))) {
		if m := listNumber().FindStringSubmatch(s); m != nil {
			s = m[1] + `\` + s[len(m[1]):]
		} else if s[0] == '-' || s[0] == '+' {
			s = `\` + s
		}
	}
	return norm.NFC.String(s)
}
