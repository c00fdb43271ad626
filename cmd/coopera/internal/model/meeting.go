package model

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/italian"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/lazyre"
	"go.yaml.in/yaml/v3"
)

// Mode is how people attend a meeting.
type Mode string

const (
	Video    Mode = "videoconferenza"
	InPerson Mode = "presenza"
	Mixed    Mode = "mista"
)

// Clock is a time of day in minutes after midnight.
type Clock int

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// Hour and Minute split the clock.
func (c Clock) Hour() int   { return int(c) / 60 }
func (c Clock) Minute() int { return int(c) % 60 }

// Person is a speaker, a chair, a signatory or a recipient.
type Person struct {
	Name   string         `json:"nome"`
	Title  string         `json:"titolo,omitempty"`
	Role   string         `json:"ruolo,omitempty"`
	Body   string         `json:"ente,omitempty"`
	Talk   string         `json:"intervento,omitempty"` // the title of the talk
	Gender italian.Gender `json:"-"`
	Pos    Pos            `json:"-"`
}

// Female reports whether the person is a woman, as stated or inferred.
func (p Person) Female() bool { return p.Gender == italian.Female }

// Venue is where an in-person meeting takes place.
type Venue struct {
	Name    string `json:"nome"`
	Address string `json:"indirizzo,omitempty"`
	City    string `json:"citta,omitempty"`
}

// Protocol is the number a letter is registered under.
type Protocol struct {
	Number int       `json:"numero"`
	Date   time.Time `json:"data"`
}

// Meeting is one Tavolo tecnico or other event, from data/tavoli/*.yaml.
type Meeting struct {
	Path   string
	SHA256 [32]byte
	Pos    map[string]Pos // where each key's value stands, for later stages' messages

	Number       int // Tavolo sequence number; 0 for a generic event
	Title        string
	Date         time.Time
	Start, End   Clock
	Mode         Mode
	Venue        *Venue
	Link         string // URL or short text; "" when it will be sent later
	Protocol     *Protocol
	Recipients   string
	Salutation   string
	Chair        *Person
	Speakers     []Person
	Text         string // Markdown
	Notes        string // Markdown
	Registration string // URL
	Attachments  []string
	Release      *Release // the "comunicato" drawn from this meeting, if any
	Materials    []Material
	// Placeholders are the values still to be filled in (see
	// IsPlaceholder), as the errors a final letter gets; valida reports
	// them as warnings.
	Placeholders Problems
	// Historical marks a past meeting recorded from the project's calendar
	// whose facts may be incomplete: only "data" is required, and a letter
	// is rendered only when every fact it needs is there.
	Historical bool
}

// Material is a resource published after a meeting (video, slides).
type Material struct {
	Title string `json:"titolo"`
	URL   string `json:"url"`
}

// MissingForLetter lists the keys a letter needs that a historical meeting
// lacks; empty for any meeting that passed validation otherwise.
func (m *Meeting) MissingForLetter() []string {
	var miss []string
	if m.Title == "" && m.Number == 0 {
		miss = append(miss, "titolo")
	}
	if m.End == 0 {
		miss = append(miss, "ora")
	}
	if m.Mode == "" {
		miss = append(miss, "modalita")
	}
	if m.Protocol != nil && m.Protocol.Date.IsZero() {
		miss = append(miss, "protocollo.data")
	}
	return miss
}

// IsTavolo reports whether the meeting is a numbered Tavolo tecnico.
func (m *Meeting) IsTavolo() bool { return m.Number > 0 }

func (d *decoder) clockRange(n *yaml.Node, key string, start, end *Clock) bool {
	v, ok := d.scalar(n, key, "un orario HH:MM-HH:MM")
	if !ok {
		return false
	}
	s, e, err := ReadClockRange(v.Value)
	if err != nil {
		hint := err.Hint
		if strings.HasPrefix(err.Message, "orario non valido") {
			hint = "scrivi inizio e fine nel formato 24 ore tra virgolette, per esempio \"15:00-17:00\""
		}
		d.errorf(v, key, hint, "%s", err.Message)
		return false
	}
	*start, *end = s, e
	return true
}

func (d *decoder) person(n *yaml.Node, key string) Person {
	var p Person
	var gender string
	seen := d.object(n, key, []field{
		{"nome", true, func(n *yaml.Node, k string) { d.text(n, k, &p.Name) }},
		{"titolo", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Title) }},
		{"ruolo", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Role) }},
		{"ente", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Body) }},
		{"genere", false, func(n *yaml.Node, k string) { d.oneOf(n, k, &gender, "f", "m") }},
		{"intervento", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Talk) }},
	})
	if n != nil {
		p.Pos = Pos{n.Line, n.Column}
	}
	fromTitle := italian.GenderFromTitle(p.Title)
	switch gender {
	case "f":
		p.Gender = italian.Female
	case "m":
		p.Gender = italian.Male
	default:
		p.Gender = fromTitle
	}
	if gender != "" && fromTitle != italian.Unknown && fromTitle != p.Gender && seen != nil {
		d.warnf(seen["genere"], key+".genere", "controlla il titolo o il genere",
			"il genere %q non concorda con il titolo %q", gender, p.Title)
	}
	return p
}

// decodeMeeting reads a meeting mapping; prof may be nil when the profile
// itself failed, in which case profile-dependent checks are skipped.
func (d *decoder) decodeMeeting(root *yaml.Node, m *Meeting, prof *Profile) {
	var modeS string
	var sedeNode, modeNode, protoNode *yaml.Node
	m.Historical = historical(root)
	required := !m.Historical
	seen := d.object(root, "", []field{
		{"storico", false, func(n *yaml.Node, k string) { d.boolean(n, k, &m.Historical) }},
		{"materiali", false, func(n *yaml.Node, k string) {
			d.list(n, k, func(n *yaml.Node, k string) {
				var mat Material
				d.object(n, k, []field{
					{"titolo", true, func(n *yaml.Node, k string) { d.text(n, k, &mat.Title) }},
					{"url", true, func(n *yaml.Node, k string) { d.link(n, k, &mat.URL) }},
				})
				if mat.Title != "" && mat.URL != "" {
					m.Materials = append(m.Materials, mat)
				}
			})
		}},
		{"tavolo", false, func(n *yaml.Node, k string) {
			if d.integer(n, k, &m.Number) && m.Number < 1 {
				d.errorf(n, k, "il numero del Tavolo parte da 1; togli la chiave per un evento che non è un Tavolo", "numero del Tavolo non valido: %d", m.Number)
				m.Number = 0
			}
		}},
		{"titolo", required, func(n *yaml.Node, k string) { d.text(n, k, &m.Title) }},
		{"data", true, func(n *yaml.Node, k string) { d.date(n, k, &m.Date) }},
		{"ora", required, func(n *yaml.Node, k string) { d.clockRange(n, k, &m.Start, &m.End) }},
		{"modalita", required, func(n *yaml.Node, k string) {
			modeNode = n
			d.oneOf(n, k, &modeS, string(Video), string(InPerson), string(Mixed))
		}},
		{"sede", false, func(n *yaml.Node, k string) {
			sedeNode = n
			var v Venue
			if d.object(n, k, []field{
				{"nome", true, func(n *yaml.Node, k string) { d.text(n, k, &v.Name) }},
				{"indirizzo", false, func(n *yaml.Node, k string) { d.text(n, k, &v.Address) }},
				{"citta", false, func(n *yaml.Node, k string) { d.text(n, k, &v.City) }},
			}) != nil {
				m.Venue = &v
			}
		}},
		{"collegamento", false, func(n *yaml.Node, k string) {
			d.text(n, k, &m.Link)
			if m.Link != "" && !IsPlaceholder(m.Link, false) && looksLikeURL(m.Link) {
				if u, ok := parseURL(m.Link); ok {
					m.Link = u
				} else {
					d.errorf(n, k, "scrivi l'indirizzo completo, per esempio https://meet.example.it/tavolo", "indirizzo web non valido: %q", m.Link)
				}
			}
		}},
		{"protocollo", false, func(n *yaml.Node, k string) {
			protoNode = n
			var p Protocol
			var okN, okD bool
			d.object(n, k, []field{
				{"numero", true, func(n *yaml.Node, k string) {
					okN = d.integer(n, k, &p.Number)
					if okN && p.Number < 1 {
						d.errorf(n, k, "il numero di protocollo parte da 1", "numero di protocollo non valido: %d", p.Number)
						okN = false
					}
					if okN && prof != nil && prof.Protocol.Format.MaxNumber() > 0 && p.Number > prof.Protocol.Format.MaxNumber() {
						d.errorf(n, k, fmt.Sprintf("il formato del profilo (%s) ammette al massimo %d", prof.Protocol.Format, prof.Protocol.Format.MaxNumber()),
							"numero di protocollo troppo lungo: %d", p.Number)
						okN = false
					}
				}},
				{"data", required, func(n *yaml.Node, k string) { okD = d.date(n, k, &p.Date) }},
			})
			if okN && (okD || !required) {
				m.Protocol = &p
			}
		}},
		{"destinatari", false, func(n *yaml.Node, k string) { d.text(n, k, &m.Recipients) }},
		{"saluto", false, func(n *yaml.Node, k string) { d.text(n, k, &m.Salutation) }},
		{"coordinatore", false, func(n *yaml.Node, k string) {
			p := d.person(n, k)
			if p.Name != "" {
				m.Chair = &p
			}
		}},
		{"relatori", false, func(n *yaml.Node, k string) {
			d.list(n, k, func(n *yaml.Node, k string) {
				if p := d.person(n, k); p.Name != "" {
					m.Speakers = append(m.Speakers, p)
				}
			})
		}},
		{"testo", false, func(n *yaml.Node, k string) { d.markdown(n, k, &m.Text) }},
		{"note", false, func(n *yaml.Node, k string) { d.markdown(n, k, &m.Notes) }},
		{"iscrizione", false, func(n *yaml.Node, k string) { d.link(n, k, &m.Registration) }},
		{"allegati", false, func(n *yaml.Node, k string) { d.textList(n, k, &m.Attachments) }},
		{"comunicato", false, func(n *yaml.Node, k string) {
			r := &Release{Path: m.Path, Meeting: m, Pos: d.pos}
			if d.decodeRelease(n, k, r, false) {
				m.Release = r
			}
		}},
	})
	if seen == nil {
		return
	}
	if m.Historical && seen["titolo"] == nil && seen["tavolo"] == nil {
		d.errorf(root, "titolo", "aggiungi «titolo:» (o «tavolo:» con il numero del Tavolo)",
			"chiave obbligatoria mancante: un incontro storico ha almeno il titolo o il numero del Tavolo")
	}
	m.Mode = Mode(modeS)
	if (m.Mode == InPerson || m.Mode == Mixed) && sedeNode == nil {
		d.errorf(modeNode, "sede", "aggiungi «sede:» con almeno «nome:» (e di solito «indirizzo:» e «citta:»)",
			"la modalità %q richiede la sede", modeS)
	}
	if m.Mode == Video && sedeNode != nil {
		d.warnf(sedeNode, "sede", "usa «modalita: mista» se l'incontro è anche in presenza",
			"la sede è indicata ma la modalità è videoconferenza: non comparirà nella lettera")
	}
	if m.Mode == InPerson && m.Link != "" {
		d.warnf(seen["collegamento"], "collegamento", "usa «modalita: mista» se ci si può collegare a distanza",
			"il collegamento è indicato ma la modalità è presenza: non comparirà nella lettera")
	}
	if m.Protocol != nil && !m.Date.IsZero() && !m.Protocol.Date.IsZero() && m.Protocol.Date.After(m.Date) {
		d.warnf(protoNode, "protocollo.data", "di solito la lettera si protocolla prima dell'incontro",
			"la data di protocollo (%s) è successiva a quella dell'incontro (%s)",
			m.Protocol.Date.Format("2006-01-02"), m.Date.Format("2006-01-02"))
	}
}

// historical peeks at "storico: true" before decoding, since it changes
// which keys are required.
func historical(root *yaml.Node) bool {
	if root.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "storico" {
			v := root.Content[i+1]
			return v.Kind == yaml.ScalarNode && v.Tag == "!!bool" && (v.Value == "true" || v.Value == "True" || v.Value == "TRUE")
		}
	}
	return false
}

// urlScheme is an address with a scheme or www.; urlHost a host name with
// an optional path.
var (
	urlScheme = lazyre.New(`^(https?://|www\.)\S*$`)
	urlHost   = lazyre.New(`^[\w.-]+\.[a-z]{2,}(/\S*)?$`)
)

func looksLikeURL(s string) bool {
	return urlScheme().MatchString(s) || (!strings.ContainsAny(s, "\t\n\f\r ") && urlHost().MatchString(s))
}

func sum(data []byte) [32]byte { return sha256.Sum256(data) }

// ClockRange reads "HH:MM-HH:MM" as the loader does; ok is false for
// anything the loader refuses.
func ClockRange(s string) (start, end Clock, ok bool) {
	start, end, err := ReadClockRange(s)
	return start, end, err == nil
}
