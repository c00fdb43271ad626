// Package scaffold is the authoring stage before everything else: it writes
// new, commented data files (a meeting, a press release drawn from a
// meeting) that validate as they are, so that the secretariat starts from a
// correct file instead of a copied one.
//
// It never reads the clock: every date comes from the caller. Files are
// created atomically and never overwrite an existing one.
package scaffold

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/atomicfile"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/italian"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/lazyre"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
	"go.yaml.in/yaml/v3"
)

// Default schema lines, as the shipped data files write them; a folder's
// existing files take precedence (see SchemaLine).
const (
	MeetingSchema = "# yaml-language-server: $schema=../../assets/schemas/tavolo.schema.json"
	ReleaseSchema = "# yaml-language-server: $schema=../../assets/schemas/comunicato.schema.json"
)

// PlaceholderTitle stands in for a title or venue not given yet: the file
// validates, a draft shows the word, and every later stage knows it for a
// placeholder (model.IsPlaceholder), so no final letter carries it.
const PlaceholderTitle = model.Placeholder

// ErrExists is returned when the target file is already there.
var ErrExists = errors.New("il file esiste già")

// Meeting is what a new meeting file states.
type Meeting struct {
	Number     int // 0: a generic event, named by Title
	Title      string
	Date       time.Time
	Start, End model.Clock
	Mode       model.Mode
	Venue      *model.Venue
	Link       string
}

// ParseDate reads AAAA-MM-GG with the data files' rules (model.ReadDate):
// a date the option takes is a date the new file keeps.
func ParseDate(s string) (time.Time, error) {
	t, err := model.ReadDate(s)
	if err != nil {
		return time.Time{}, err
	}
	return t, nil
}

// ParseClock reads HH:MM-HH:MM with the data files' rules.
func ParseClock(s string) (start, end model.Clock, err error) {
	start, end, verr := model.ReadClockRange(s)
	if verr != nil {
		return 0, 0, verr
	}
	return start, end, nil
}

// ParseNumber reads a whole number given to an option with the data
// files' rules (model.ReadNumber): 0412 and 0x99 are explained, not taken.
func ParseNumber(s string) (int, error) {
	n, err := model.ReadNumber(s)
	if err != nil {
		return 0, err
	}
	return n, nil
}

// ParseMode accepts the three modes of the data format.
func ParseMode(s string) (model.Mode, error) {
	switch m := model.Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case model.Video, model.InPerson, model.Mixed:
		return m, nil
	}
	return "", fmt.Errorf("modalità non valida %q: scegli tra videoconferenza, presenza e mista", s)
}

var tavoloLine = lazyre.New(`(?m)^tavolo:\s*(\d+)\s*(?:#.*)?$`)

// NextNumber is one more than the highest "tavolo:" among the meeting files
// in dir (1 for an empty or missing folder). A file that does not parse as
// YAML is read line by line, so that one broken file does not reuse a number.
func NextNumber(dir string) (int, error) {
	files, err := yamlFiles(dir)
	if err != nil {
		return 0, err
	}
	max := 0
	for _, f := range files {
		data, err := safefile.Read(f, model.MaxFileSize)
		if err != nil {
			return 0, err // names the file and what it is
		}
		for _, n := range numbers(data) {
			if n > max {
				max = n
			}
		}
	}
	return max + 1, nil
}

// Existing is a meeting file already in a folder, as far as NextNumber
// and the checks of a new file need it.
type Existing struct {
	Path     string
	Number   int // 0: no "tavolo" key
	NumberAt model.Pos
	Date     time.Time // zero: no readable "data"
	DateAt   model.Pos
	Start    model.Clock
	End      model.Clock // 0: no readable "ora"
}

// ExistingMeetings reads number, date and time of every meeting file in
// dir that parses as YAML.
func ExistingMeetings(dir string) ([]Existing, error) {
	files, err := yamlFiles(dir)
	if err != nil {
		return nil, err
	}
	var out []Existing
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("lettura di %s: %v", f, err)
		}
		var root yaml.Node
		if yaml.Unmarshal(data, &root) != nil || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
			continue
		}
		e := Existing{Path: f}
		mp := root.Content[0]
		for i := 0; i+1 < len(mp.Content); i += 2 {
			v := mp.Content[i+1]
			switch mp.Content[i].Value {
			case "tavolo":
				if n, err := strconv.Atoi(v.Value); err == nil {
					e.Number, e.NumberAt = n, model.Pos{Line: v.Line, Column: v.Column}
				}
			case "data":
				if d, err := time.Parse("2006-01-02", v.Value); err == nil {
					e.Date, e.DateAt = d, model.Pos{Line: v.Line, Column: v.Column}
				}
			case "ora":
				e.Start, e.End, _ = model.ClockRange(v.Value)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

func numbers(data []byte) []int {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err == nil && len(root.Content) == 1 && root.Content[0].Kind == yaml.MappingNode {
		mp := root.Content[0]
		for i := 0; i+1 < len(mp.Content); i += 2 {
			if mp.Content[i].Value == "tavolo" {
				if n, err := strconv.Atoi(mp.Content[i+1].Value); err == nil {
					return []int{n}
				}
			}
		}
		return nil
	}
	var out []int
	for _, m := range tavoloLine().FindAllSubmatch(data, -1) {
		if n, err := strconv.Atoi(string(m[1])); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func yamlFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lettura della cartella %s: %v", dir, err)
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !e.IsDir() && !strings.HasPrefix(n, ".") && (strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
			out = append(out, filepath.Join(dir, n))
		}
	}
	sort.Strings(out)
	return out, nil
}

// SchemaLine returns the schema comment the files already in dir use (the
// first one found), else def: the line is relative to the file, and a
// folder's own files know best where the schemas are.
func SchemaLine(dir, def string) string {
	files, _ := yamlFiles(dir)
	want := filepath.Base(strings.TrimPrefix(def, "# yaml-language-server: $schema="))
	for _, f := range files {
		fh, err := safefile.Open(f, -1)
		if err != nil {
			continue
		}
		line, _ := bufio.NewReader(fh).ReadString('\n')
		fh.Close()
		line = strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(line, "# yaml-language-server: $schema=") && strings.HasSuffix(line, want) {
			return line
		}
	}
	return def
}

// MeetingFileName is AAAA-MM-GG-tavolo-N.yaml, or AAAA-MM-GG-<slug>.yaml
// for an event that is not a Tavolo.
func MeetingFileName(m Meeting) string {
	if m.Number > 0 {
		return fmt.Sprintf("%s-tavolo-%d.yaml", m.Date.Format("2006-01-02"), m.Number)
	}
	return fmt.Sprintf("%s-%s.yaml", m.Date.Format("2006-01-02"), compose.Slug(m.Title, 40))
}

// quote writes s as a double-quoted YAML scalar (JSON's string syntax is a
// subset of it), safe for any text.
func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimRight(b.String(), "\n")
}

// comment writes text as "# " lines, wrapped at about 76 columns.
func comment(w *strings.Builder, indent, text string) {
	words := strings.Fields(text)
	line := indent + "#"
	for _, wd := range words {
		if len(line)+1+len(wd) > 78 && line != indent+"#" {
			w.WriteString(line + "\n")
			line = indent + "#"
		}
		line += " " + wd
	}
	w.WriteString(line + "\n")
}

// MeetingYAML writes the meeting file: every key the format knows, with an
// Italian comment; the optional ones commented out with the profile's
// defaults, so the file shows what the letter will say.
func MeetingYAML(m Meeting, p *model.Profile, schemaLine string) []byte {
	var w strings.Builder
	w.WriteString(schemaLine + "\n#\n")
	what := "Incontro «" + m.Title + "»"
	if m.Number > 0 {
		what = fmt.Sprintf("%dº Tavolo tecnico", m.Number)
	}
	comment(&w, "", what+", creato con «coopera nuovo tavolo». Completate i dati, controllate il file con «coopera valida» e provate la lettera con «coopera convoca --bozza» seguito dal nome di questo file.")
	w.WriteString("\n")
	if m.Number > 0 {
		comment(&w, "", fmt.Sprintf("Il numero del Tavolo tecnico: %d diventa «%dº Tavolo tecnico». Toglietelo per un evento che non è un Tavolo (allora il titolo lo descrive).", m.Number, m.Number))
		fmt.Fprintf(&w, "tavolo: %d\n", m.Number)
	}
	title := m.Title
	if title == "" {
		title = PlaceholderTitle
	}
	comment(&w, "", "Il tema dell'incontro, tra virgolette doppie.")
	fmt.Fprintf(&w, "titolo: %s\n", quote(title))
	comment(&w, "", "Il giorno, AAAA-MM-GG: il giorno della settimana lo calcola coopera.")
	fmt.Fprintf(&w, "data: %s\n", m.Date.Format("2006-01-02"))
	comment(&w, "", "Inizio e fine, 24 ore, tra virgolette.")
	fmt.Fprintf(&w, "ora: \"%s-%s\"\n", m.Start, m.End)
	comment(&w, "", "Come si partecipa: videoconferenza, presenza (richiede «sede») oppure mista (in sede e online; richiede «sede»).")
	fmt.Fprintf(&w, "modalita: %s\n", m.Mode)
	if m.Mode == model.InPerson || m.Mode == model.Mixed {
		comment(&w, "", "Il luogo dell'incontro: «nome» è obbligatorio, indirizzo e città compaiono nella lettera.")
		w.WriteString("sede:\n")
		v := m.Venue
		if v == nil {
			v = &model.Venue{}
		}
		name := v.Name
		if name == "" {
			name = PlaceholderTitle
		}
		fmt.Fprintf(&w, "  nome: %s\n", quote(name))
		if v.Address != "" {
			fmt.Fprintf(&w, "  indirizzo: %s\n", quote(v.Address))
		} else {
			w.WriteString("  # indirizzo: \"Via …\"\n")
		}
		city := v.City
		if city == "" && p != nil {
			city = p.Body.City
		}
		if city != "" {
			fmt.Fprintf(&w, "  citta: %s\n", quote(city))
		} else {
			w.WriteString("  # citta: …\n")
		}
	}
	if m.Mode != model.InPerson {
		comment(&w, "", "Il link della piattaforma (diventa cliccabile) o una breve indicazione. Se manca, la lettera dice che il link sarà inviato prima dell'incontro.")
		if m.Link != "" {
			fmt.Fprintf(&w, "collegamento: %s\n", quote(m.Link))
		} else {
			w.WriteString("# collegamento: https://…\n")
		}
	}
	w.WriteString("\n")
	if p != nil && p.Protocol.Managed {
		comment(&w, "", "Il numero di protocollo e la data di registrazione. Li assegna coopera quando la lettera viene emessa; senza, si compone solo una bozza (coopera convoca --bozza).")
	} else {
		comment(&w, "", "Il numero di protocollo e la data di registrazione, assegnati dal protocollo generale. Senza, si compone solo una bozza (coopera convoca --bozza), segnata BOZZA. Il numero va scritto senza zeri davanti.")
	}
	w.WriteString("# protocollo:\n#   numero: 123\n#   data: AAAA-MM-GG\n\n")
	recipients, salutation, registration := "", "", ""
	if p != nil {
		recipients, salutation, registration = p.Letter.Recipients, p.Letter.Salutation, p.Letter.Registration
	}
	comment(&w, "", "A chi è indirizzata la lettera e il saluto iniziale. Se mancano valgono quelli del profilo (progetto.yaml), qui sotto: togliete il «#» per cambiarli solo per questo incontro.")
	if recipients != "" {
		fmt.Fprintf(&w, "# destinatari: %s\n", quote(recipients))
	} else {
		w.WriteString("# destinatari: \"…\"\n")
	}
	if salutation != "" {
		fmt.Fprintf(&w, "# saluto: %s\n", quote(salutation))
	} else {
		w.WriteString("# saluto: \"Gentilissimi,\"\n")
	}
	w.WriteString("\n")
	comment(&w, "", "Chi coordina i lavori. «titolo» è dott., dott.ssa, prof., prof.ssa, avv., ing., …; «genere» (f o m) serve solo se il titolo non lo dice.")
	w.WriteString("# coordinatore:\n")
	if p != nil && p.Signatory.Name != "" {
		if p.Signatory.Title != "" {
			fmt.Fprintf(&w, "#   titolo: %s\n", quote(p.Signatory.Title))
		}
		fmt.Fprintf(&w, "#   nome: %s\n", quote(p.Signatory.Name))
		if p.Signatory.Role != "" {
			fmt.Fprintf(&w, "#   ruolo: %s\n", quote(p.Signatory.Role))
		}
	} else {
		w.WriteString("#   nome: \"Nome Cognome\"\n#   ruolo: \"…\"\n")
	}
	w.WriteString("\n")
	comment(&w, "", "I relatori, nell'ordine in cui intervengono; «intervento» è il titolo della relazione (compare nel calendario).")
	w.WriteString("# relatori:\n#   - titolo: dott.ssa\n#     nome: \"Nome Cognome\"\n#     ruolo: \"…\"\n#     ente: \"…\"\n#     intervento: \"…\"\n\n")
	comment(&w, "", "Paragrafi propri di questo incontro, in Markdown (**grassetto**, *corsivo*, [testo](indirizzo)): vanno dopo l'invito.")
	w.WriteString("# testo: |\n#   Durante l'incontro …\n\n")
	comment(&w, "", "Osservazioni finali, prima dei saluti (per esempio le regole di accesso alla sede).")
	w.WriteString("# note: |\n#   …\n\n")
	comment(&w, "", "La pagina di iscrizione. Se manca vale quella del profilo:")
	if registration != "" {
		fmt.Fprintf(&w, "# iscrizione: %s\n", registration)
	} else {
		w.WriteString("# iscrizione: https://…\n")
	}
	w.WriteString("\n")
	comment(&w, "", "Gli allegati nominati in fondo alla lettera.")
	w.WriteString("# allegati:\n#   - Scheda di adesione al Coordinamento\n")
	return []byte(w.String())
}

// Release is what a new press-release file states.
type Release struct {
	Date        time.Time
	MeetingPath string // as written in "tavolo": relative to the release's folder
	Meeting     *model.Meeting
}

// ReleaseFileName is AAAA-MM-GG-tavolo-N.yaml (the release's own date), or
// AAAA-MM-GG-<slug>.yaml for an event that is not a Tavolo.
func ReleaseFileName(r Release) string {
	m := r.Meeting
	if m.Number > 0 {
		return fmt.Sprintf("%s-tavolo-%d.yaml", r.Date.Format("2006-01-02"), m.Number)
	}
	return fmt.Sprintf("%s-%s.yaml", r.Date.Format("2006-01-02"), compose.Slug(m.Title, 40))
}

// ReleaseYAML writes a press release that announces r.Meeting. Its text
// states the meeting's date, time, number and speakers in the forms the
// loader cross-checks, so it validates at once and stays consistent.
func ReleaseYAML(r Release, p *model.Profile, schemaLine string, text string) []byte {
	var w strings.Builder
	m := r.Meeting
	w.WriteString(schemaLine + "\n#\n")
	what := "sull'incontro «" + m.Title + "»"
	if m.Number > 0 {
		what = fmt.Sprintf("sul %dº Tavolo tecnico", m.Number)
	}
	comment(&w, "", "Comunicato stampa "+what+", creato con «coopera nuovo comunicato» dal file dell'incontro. coopera confronta date, orari e numero del Tavolo citati nel testo con il file dell'incontro: se non coincidono, segnala l'errore. Rileggete e completate il testo, poi provate con «coopera comunicato» seguito dal nome di questo file.")
	w.WriteString("\n")
	comment(&w, "", "La data del comunicato, AAAA-MM-GG.")
	fmt.Fprintf(&w, "data: %s\n", r.Date.Format("2006-01-02"))
	place := ""
	if p != nil {
		place = p.ReleaseDef.Place
		if place == "" {
			place = p.Body.City
		}
	}
	comment(&w, "", "Il luogo del comunicato; se manca vale quello del profilo:")
	if place != "" {
		fmt.Fprintf(&w, "# luogo: %s\n", quote(place))
	} else {
		w.WriteString("# luogo: …\n")
	}
	comment(&w, "", "Il file dell'incontro, relativo a questa cartella.")
	fmt.Fprintf(&w, "tavolo: %s\n", quote(r.MeetingPath))
	comment(&w, "", "Il titolo in grassetto (senza asterischi). Se manca, coopera lo ricava dall'incontro.")
	w.WriteString("# titolo: \"…\"\n")
	w.WriteString("# sottotitolo: \"…\"\n")
	comment(&w, "", "Il corpo del comunicato in Markdown: un paragrafo per riga, separati da una riga vuota; **grassetto**, *corsivo*, [testo](indirizzo) per i link.")
	w.WriteString("testo: |\n")
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			w.WriteString("\n")
			continue
		}
		w.WriteString("  " + line + "\n")
	}
	comment(&w, "", "I contatti per la stampa, in Markdown; se mancano valgono quelli del profilo.")
	w.WriteString("# contatti: |\n#   …\n")
	return []byte(w.String())
}

// Create writes data to path only if path does not exist yet: the bytes go
// to a temporary file in the same folder, which is then hard-linked into
// place (link fails if the name is taken, so a concurrent writer cannot be
// overwritten either). Where links are not supported it falls back to a
// check and an atomic rename.
func Create(path string, data []byte) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s: %w", path, ErrExists)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("impossibile scrivere %s: %v", path, err)
	}
	name := tmp.Name()
	defer os.Remove(name)
	_, werr := tmp.Write(data)
	if werr == nil {
		werr = tmp.Chmod(0o644)
	}
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("impossibile scrivere %s: %v", path, werr)
	}
	if err := os.Link(name, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s: %w", path, ErrExists)
		}
		// No hard links here (some network or FAT file systems).
		if _, serr := os.Lstat(path); serr == nil {
			return fmt.Errorf("%s: %w", path, ErrExists)
		}
		if err := atomicfile.Write(path, data); err != nil {
			return err
		}
		return nil
	}
	if err := atomicfile.SyncDir(dir); err != nil {
		return fmt.Errorf("impossibile rendere definitiva la scrittura di %s: %v", path, err)
	}
	return nil
}

// Prompter asks for missing values on a terminal, one line each.
type Prompter struct {
	in  *bufio.Reader
	out io.Writer
}

// NewPrompter reads answers from in and writes questions to out.
func NewPrompter(in io.Reader, out io.Writer) *Prompter {
	return &Prompter{in: bufio.NewReader(in), out: out}
}

// Ask prints the question (with the default in brackets) until check
// accepts the answer; an empty answer takes the default. It gives up after
// five wrong answers or at the end of the input.
func (p *Prompter) Ask(question, def string, check func(string) error) (string, error) {
	for range 5 {
		if def != "" {
			fmt.Fprintf(p.out, "%s [%s]: ", question, def)
		} else {
			fmt.Fprintf(p.out, "%s: ", question)
		}
		line, err := p.in.ReadString('\n')
		if err != nil && line == "" {
			fmt.Fprintln(p.out)
			return "", fmt.Errorf("risposta mancante a «%s»", question)
		}
		ans := strings.TrimSpace(line)
		if ans == "" {
			ans = def
		}
		if check == nil {
			return ans, nil
		}
		cerr := check(ans)
		if cerr == nil {
			return ans, nil
		}
		fmt.Fprintf(p.out, "  %v\n", cerr)
	}
	return "", fmt.Errorf("troppe risposte non valide a «%s»", question)
}

// ReleaseText drafts the body of a release about m: date, time and number
// in the forms the loader cross-checks ("giovedì 10 dicembre 2026", "dalle
// ore 15:00 alle ore 17:00", "7º Tavolo tecnico"), then the speakers, the
// chair and the registration page.
func ReleaseText(m *model.Meeting, p *model.Profile) string {
	var b strings.Builder
	what := "l'incontro **“" + compose.Escape(m.Title) + "”**"
	if m.Number > 0 {
		what = fmt.Sprintf("il **%s Tavolo tecnico**", italian.Ordinal(m.Number))
	}
	how := map[model.Mode]string{model.Video: "in videoconferenza", model.InPerson: "in presenza", model.Mixed: "in presenza e in videoconferenza"}[m.Mode]
	if m.Venue != nil && m.Mode != model.Video {
		how += ", presso " + compose.Escape(m.Venue.Name)
		if m.Venue.City != "" {
			how += " (" + compose.Escape(m.Venue.City) + ")"
		}
	}
	fmt.Fprintf(&b, "Si svolgerà **%s dalle ore %s alle ore %s**, %s, %s", italian.LongDate(m.Date), m.Start, m.End, how, what)
	if p != nil && p.Project.Name != "" {
		fmt.Fprintf(&b, " del Progetto %s", compose.Escape(p.Project.Name))
	}
	if m.Title != "" && m.Number > 0 {
		fmt.Fprintf(&b, ", sul tema **“%s”**", compose.Escape(m.Title))
	}
	b.WriteString(".\n")
	if len(m.Speakers) > 0 {
		b.WriteString("\nInterverranno:\n\n")
		for i, s := range m.Speakers {
			line := "**" + compose.Escape(strings.TrimSpace(s.Title+" "+s.Name)) + "**"
			for _, x := range []string{s.Role, s.Body} {
				if x != "" {
					line += ", " + compose.Escape(x)
				}
			}
			if s.Talk != "" {
				line += ", con l'intervento *“" + compose.Escape(s.Talk) + "”*"
			}
			sep := ";"
			if i == len(m.Speakers)-1 {
				sep = "."
			}
			b.WriteString("- " + line + sep + "\n")
		}
	}
	if c := m.Chair; c != nil {
		line := strings.TrimSpace(c.Title + " " + c.Name)
		if c.Role != "" {
			line += ", " + c.Role
		}
		fmt.Fprintf(&b, "\nI lavori saranno coordinati da **%s**.\n", compose.Escape(line))
	}
	reg := m.Registration
	if reg == "" && p != nil {
		reg = p.Letter.Registration
	}
	if reg != "" {
		fmt.Fprintf(&b, "\nPer iscriversi basta collegarsi a [%s](%s) e seguire la procedura d’iscrizione.\n", compose.Escape(strings.TrimPrefix(strings.TrimPrefix(reg, "https://"), "http://")), reg)
	}
	return b.String()
}
