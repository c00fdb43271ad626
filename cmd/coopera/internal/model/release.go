package model

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/italian"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/lazyre"
	"go.yaml.in/yaml/v3"
)

// Release is a press release, from data/comunicati/*.yaml or from a
// meeting's "comunicato" key.
type Release struct {
	Path   string
	SHA256 [32]byte
	Pos    map[string]Pos

	Date        time.Time
	Place       string
	Title       string // "" when generated from the meeting
	Subtitle    string
	MeetingPath string // as written in "tavolo", relative to Path
	Meeting     *Meeting
	Text        string // Markdown
	Contacts    string // Markdown
	// Placeholders are the release's own values still to be filled in, as
	// errors (see Meeting.Placeholders).
	Placeholders Problems
}

// decodeRelease reads a release mapping. standalone is false inside a
// meeting file, where "tavolo" would be circular.
func (d *decoder) decodeRelease(n *yaml.Node, path string, r *Release, standalone bool) bool {
	var meetingNode *yaml.Node
	fields := []field{
		{"data", true, func(n *yaml.Node, k string) { d.date(n, k, &r.Date) }},
		{"luogo", false, func(n *yaml.Node, k string) { d.text(n, k, &r.Place) }},
		{"titolo", false, func(n *yaml.Node, k string) { d.text(n, k, &r.Title) }},
		{"sottotitolo", false, func(n *yaml.Node, k string) { d.text(n, k, &r.Subtitle) }},
		{"testo", true, func(n *yaml.Node, k string) { d.markdown(n, k, &r.Text) }},
		{"contatti", false, func(n *yaml.Node, k string) { d.markdown(n, k, &r.Contacts) }},
	}
	if standalone {
		fields = append(fields, field{"tavolo", false, func(n *yaml.Node, k string) {
			meetingNode = n
			d.text(n, k, &r.MeetingPath)
		}})
	}
	seen := d.object(n, path, fields)
	if seen == nil {
		return false
	}
	if standalone && r.Title == "" && meetingNode == nil && seen["titolo"] == nil {
		d.errorf(n, join(path, "titolo"), "aggiungi «titolo:» oppure «tavolo:» con il file dell'incontro",
			"chiave obbligatoria mancante (serve il titolo, o il tavolo da cui ricavarlo)")
	}
	return true
}

var (
	mentionDate     = lazyre.New(`(?i)\b(\d{1,2})\s*[º°]?\s+(gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre)(\s+\d{4})?\b`)
	mentionHour     = lazyre.New(`(?i)\bdalle(?:\s+ore)?\s+(\d{1,2})(?:[:.](\d{2}))?\s+alle(?:\s+ore)?\s+(\d{1,2})(?:[:.](\d{2}))?`)
	mentionDay      = lazyre.New(`(?i)\b(lunedì|lunedi|martedì|martedi|mercoledì|mercoledi|giovedì|giovedi|venerdì|venerdi|sabato|domenica)\s+(\d{1,2})\s*[º°]?\s+(gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre)(\s+\d{4})?\b`)
	mentionOnline   = lazyre.New(`(?i)\b(webinar|online|on-line|in videoconferenza|da remoto)\b`)
	mentionPresence = lazyre.New(`(?i)\b(in presenza)\b`)
	// mentionPerson finds a person named as the meeting's chair or a
	// speaker, in bold as releases print names: «coordinato da **Nome
	// Cognome**», «l'intervento di **…**». Words in capitals (ANCI) are
	// not a person's name and do not match.
	mentionPerson = lazyre.New(`\b(?:[Cc]oordinat[oa]|[Mm]oderat[oa]|[Pp]resiedut[oa]|[Ii]ntervent[oi])\s+(?:da|di)\s+\*\*(\p{Lu}\p{Ll}[\p{L}'’]*(?:\s+\p{Lu}\p{Ll}[\p{L}'’]*){1,3})\*\*`)
	institution   = lazyre.New(`\b(Comune|Città|Citta|Regione|Provincia|Università|Universita|Associazione|Consorzio|Prefettura|Ministero|Azienda|Ufficio|Servizio|Cooperativa|Fondazione)(?:\s|$)`)
	mentionNum    = lazyre.New(`(?i)\b(\d{1,2})\s*[º°ª]\s+tavolo\b`)
)

// crossCheck finds facts in the release's text that contradict its meeting:
// a future date, a time span or a Tavolo number that differ from the file's.
func (d *decoder) crossCheck(r *Release) {
	m := r.Meeting
	if m == nil || m.Date.IsZero() {
		return
	}
	// where names the meeting file and the line of one of its keys, so
	// that a contradiction names both files.
	where := func(key string) string {
		if p, ok := m.Pos[key]; ok && p.Line > 0 {
			return fmt.Sprintf("%s:%d", m.Path, p.Line)
		}
		return m.Path
	}
	texts := []struct{ key, s string }{{"titolo", r.Title}, {"sottotitolo", r.Subtitle}, {"testo", r.Text}}
	for _, t := range texts {
		if t.s == "" {
			continue
		}
		p := r.Pos[t.key]
		// atText is the place of a mention in the file: the problem is
		// reported there, not at the key, inside a block too.
		atText := func(mention string) *yaml.Node { return d.mentionAt(p, mention) }
		for _, mm := range mentionDate().FindAllStringSubmatch(t.s, -1) {
			when, day, month := mentionedDay(mm[1], mm[2], mm[3], m.Date.Year())
			if when.Before(r.Date) || when.Equal(m.Date) || (mm[3] == "" && day == m.Date.Day() && month == int(m.Date.Month())) {
				continue // a past date is history, not the announced meeting
			}
			d.errorf(atText(mm[0]), t.key, fmt.Sprintf("correggi il testo o la data in %s", where("data")),
				"il testo annuncia il %s ma l'incontro (%s) è %s", strings.TrimSpace(mm[0]), where("data"), italian.LongDate(m.Date))
		}
		for _, mm := range mentionDay().FindAllStringSubmatch(t.s, -1) {
			when, day, _ := mentionedDay(mm[2], mm[3], mm[4], m.Date.Year())
			if when.Day() != day {
				continue // an impossible day is for the date check above
			}
			said := strings.NewReplacer("lunedi", "lunedì", "martedi", "martedì", "mercoledi", "mercoledì", "giovedi", "giovedì", "venerdi", "venerdì").Replace(strings.ToLower(mm[1]))
			if said == italian.Weekday(when) {
				continue
			}
			msg := fmt.Sprintf("il testo dice «%s» ma il %s è %s", strings.TrimSpace(mm[0]), italian.Date(when), italian.Weekday(when))
			if when.Equal(m.Date) {
				msg += fmt.Sprintf(" (l'incontro, in %s)", where("data"))
			}
			d.errorf(atText(mm[0]), t.key, fmt.Sprintf("correggi il giorno della settimana nel testo: %s %s", italian.Weekday(when), strings.TrimSpace(mm[2]+" "+mm[3]+mm[4])), "%s", msg)
		}
		switch {
		case m.Mode == InPerson:
			if mm := mentionOnline().FindString(t.s); mm != "" {
				d.errorf(atText(mm), t.key, fmt.Sprintf("correggi il testo o la modalità in %s", where("modalita")),
					"il testo dice «%s» ma l'incontro (%s) è in presenza", mm, where("modalita"))
			}
		case m.Mode == Video:
			if mm := mentionPresence().FindString(t.s); mm != "" {
				d.errorf(atText(mm), t.key, fmt.Sprintf("correggi il testo o la modalità in %s", where("modalita")),
					"il testo dice «%s» ma l'incontro (%s) è in videoconferenza", mm, where("modalita"))
			}
		}
		for _, mm := range mentionPerson().FindAllStringSubmatch(t.s, -1) {
			if !m.hasPerson(mm[1]) && !institution().MatchString(mm[1]) {
				d.errorf(atText(mm[1]), t.key, fmt.Sprintf("correggi il nome nel testo, oppure aggiungi la persona a coordinatore o relatori in %s", where("relatori")),
					"il testo nomina %s, che non è tra il coordinatore e i relatori dell'incontro (%s)", mm[1], where("relatori"))
			}
		}
		for _, mm := range mentionHour().FindAllStringSubmatch(t.s, -1) {
			sh, _ := strconv.Atoi(mm[1])
			sm, _ := strconv.Atoi("0" + mm[2])
			eh, _ := strconv.Atoi(mm[3])
			em, _ := strconv.Atoi("0" + mm[4])
			if Clock(sh*60+sm) != m.Start || Clock(eh*60+em) != m.End {
				d.errorf(atText(mm[0]), t.key, fmt.Sprintf("correggi il testo o l'orario in %s", where("ora")),
					"il testo dice «%s» ma l'incontro (%s) è dalle %s alle %s", mm[0], where("ora"), m.Start, m.End)
			}
		}
		for _, mm := range mentionNum().FindAllStringSubmatch(t.s, -1) {
			n, _ := strconv.Atoi(mm[1])
			if m.Number > 0 && n != m.Number {
				d.errorf(atText(mm[0]), t.key, fmt.Sprintf("correggi il testo o il numero in %s", where("tavolo")),
					"il testo parla del %s ma il file dell'incontro (%s) è il %s Tavolo", strings.TrimSpace(mm[0]), where("tavolo"), italian.Ordinal(m.Number))
			}
		}
	}
	if r.Date.After(m.Date) {
		p := r.Pos["data"]
		d.warnf(&yaml.Node{Line: p.Line, Column: p.Column}, "data", "controlla la data del comunicato e quella in "+where("data"),
			"il comunicato è datato dopo l'incontro (%s, in %s)", italian.Date(m.Date), where("data"))
	}
}

// hasPerson reports whether name is the chair's or a speaker's name, or
// part of one (a release may drop a middle name or a title).
func (m *Meeting) hasPerson(name string) bool {
	if len(m.Speakers) == 0 && m.Chair == nil {
		return true // nobody to compare with: a historical or scaffolded meeting
	}
	fold := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	n := fold(name)
	people := m.Speakers
	if m.Chair != nil {
		people = append([]Person{*m.Chair}, people...)
	}
	for _, p := range people {
		full := fold(p.Name)
		if full == n || strings.Contains(full, n) || strings.Contains(n, full) {
			return true
		}
		// «Mario Alvano» for «Mario Emanuele Alvano»: every word found.
		all := true
		for _, w := range strings.Fields(n) {
			if !slices.Contains(strings.Fields(full), w) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// mentionedDay is the day a text names («31 gennaio», «31 gennaio 2022»),
// in year unless the text says one.
func mentionedDay(dayS, monthS, yearS string, year int) (when time.Time, day, month int) {
	day, _ = strconv.Atoi(dayS)
	month = italian.MonthNumber(monthS)
	if y := strings.TrimSpace(yearS); y != "" {
		year, _ = strconv.Atoi(y)
	}
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), day, month
}

// mentionAt is where a mention found in a text value stands in the file:
// its first occurrence at or after the value's line, as written, or the
// value's own place when the file writes it otherwise (folded lines,
// escapes).
func (d *decoder) mentionAt(p Pos, mention string) *yaml.Node {
	at := &yaml.Node{Line: p.Line, Column: p.Column}
	if p.Line < 1 || mention == "" {
		return at
	}
	off := 0
	for line := 1; line < p.Line && off < len(d.src); line++ {
		i := bytes.IndexByte(d.src[off:], '\n')
		if i < 0 {
			return at
		}
		off += i + 1
	}
	i := bytes.Index(d.src[off:], []byte(mention))
	if i < 0 {
		return at
	}
	before := d.src[:off+i]
	at.Line = bytes.Count(before, []byte("\n")) + 1
	at.Column = utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return at
}
