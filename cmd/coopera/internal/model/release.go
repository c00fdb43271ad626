package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"

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
	mentionDate = lazyre.New(`(?i)\b(\d{1,2})\s*[º°]?\s+(gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre)(\s+\d{4})?\b`)
	mentionHour = lazyre.New(`(?i)\bdalle(?:\s+ore)?\s+(\d{1,2})(?:[:.](\d{2}))?\s+alle(?:\s+ore)?\s+(\d{1,2})(?:[:.](\d{2}))?`)
	mentionNum  = lazyre.New(`(?i)\b(\d{1,2})\s*[º°ª]\s+tavolo\b`)
)

// crossCheck finds facts in the release's text that contradict its meeting:
// a future date, a time span or a Tavolo number that differ from the file's.
func (d *decoder) crossCheck(r *Release) {
	m := r.Meeting
	if m == nil || m.Date.IsZero() {
		return
	}
	texts := []struct{ key, s string }{{"titolo", r.Title}, {"sottotitolo", r.Subtitle}, {"testo", r.Text}}
	for _, t := range texts {
		if t.s == "" {
			continue
		}
		p := r.Pos[t.key]
		at := &yaml.Node{Line: p.Line, Column: p.Column}
		for _, mm := range mentionDate().FindAllStringSubmatch(t.s, -1) {
			day, _ := strconv.Atoi(mm[1])
			month := italian.MonthNumber(mm[2])
			year := m.Date.Year()
			if y := strings.TrimSpace(mm[3]); y != "" {
				year, _ = strconv.Atoi(y)
			}
			when := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
			if when.Before(r.Date) || when.Equal(m.Date) || (mm[3] == "" && day == m.Date.Day() && month == int(m.Date.Month())) {
				continue // a past date is history, not the announced meeting
			}
			d.errorf(at, t.key, fmt.Sprintf("correggi il testo o la data in %s", r.MeetingPath),
				"il testo annuncia il %s ma l'incontro (%s) è %s", strings.TrimSpace(mm[0]), r.MeetingPath, italian.LongDate(m.Date))
		}
		for _, mm := range mentionHour().FindAllStringSubmatch(t.s, -1) {
			sh, _ := strconv.Atoi(mm[1])
			sm, _ := strconv.Atoi("0" + mm[2])
			eh, _ := strconv.Atoi(mm[3])
			em, _ := strconv.Atoi("0" + mm[4])
			if Clock(sh*60+sm) != m.Start || Clock(eh*60+em) != m.End {
				d.errorf(at, t.key, fmt.Sprintf("correggi il testo o l'orario in %s", r.MeetingPath),
					"il testo dice «%s» ma l'incontro è dalle %s alle %s", mm[0], m.Start, m.End)
			}
		}
		for _, mm := range mentionNum().FindAllStringSubmatch(t.s, -1) {
			n, _ := strconv.Atoi(mm[1])
			if m.Number > 0 && n != m.Number {
				d.errorf(at, t.key, fmt.Sprintf("correggi il testo o il numero in %s", r.MeetingPath),
					"il testo parla del %s ma il file dell'incontro è il %s Tavolo", strings.TrimSpace(mm[0]), italian.Ordinal(m.Number))
			}
		}
	}
	if r.Date.After(m.Date) {
		p := r.Pos["data"]
		d.warnf(&yaml.Node{Line: p.Line, Column: p.Column}, "data", "", "il comunicato è datato dopo l'incontro (%s)", italian.Date(m.Date))
	}
}
