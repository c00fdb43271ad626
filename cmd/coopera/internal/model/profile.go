package model

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/hyphen"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pngcheck"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/protocol"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
	"go.yaml.in/yaml/v3"
)

// Profile is data/progetto.yaml: who issues the documents and how they look.
type Profile struct {
	Path   string
	Dir    string
	SHA256 [32]byte
	Pos    map[string]Pos

	Project      Project
	Body         Body
	Signatory    Signatory
	Letterhead   Letterhead
	Protocol     ProtocolSettings
	Letter       LetterDefaults
	ReleaseDef   ReleaseDefaults
	Coordination Coordination
	Typography   Typography
}

// Project is the funded project the documents belong to.
type Project struct {
	Name     string   // COOPERA
	Code     string   // 3031
	Title    string   // the full title line
	Acronym  string   // "i COmuni migliOrano PER Arginare le vulnerabilità"
	Fund     string   // "FAMI 2014-2020"
	Site     string   // progettocoopera.it
	Lead     string   // capofila
	Partners []string // in the order the releases name them
}

// Body is the issuing body (ANCI Sicilia).
type Body struct {
	Name        string
	Heading     string // as the footer prints it
	Description string
	City        string
	Email       string
	Site        string
}

// Signatory signs the letters.
type Signatory struct {
	Name      string
	Title     string
	Role      string
	Signature string // image path, absolute after loading; "" for none
}

// Logo is one element of the letterhead band.
type Logo struct {
	Emblem  string // "ue": drawn from its official geometry
	Image   string // absolute path of a PNG/JPEG/GIF
	Caption string // may hold line breaks
}

// Letterhead holds the facts the letterhead template places.
type Letterhead struct {
	Logos  []Logo
	Lines  []string // FAMI lines
	Title  string   // project title line
	Footer []string
}

// ProtocolSettings says how letters are numbered.
type ProtocolSettings struct {
	Format   protocol.Format
	Managed  bool   // coopera assigns the numbers ("interna"); else they come from the body's system ("esterna")
	Register string // absolute path of the register file
}

// LetterDefaults fill what a meeting file leaves out.
type LetterDefaults struct {
	Recipients   string
	Salutation   string
	Registration string
	ProjectText  string // Markdown
	FormText     string // Markdown: the Coordinamento form paragraph
	Closing      string
	// Singular holds the same paragraphs addressed to one reader («Le
	// ricordo…», «In attesa di incontrarLa…»), for personal letters; ""
	// where the profile has none.
	Singular SingularTexts
}

// SingularTexts are the profile's paragraphs in the courtesy singular.
type SingularTexts struct {
	ProjectText, FormText, Closing string
}

// ReleaseDefaults fill what a press-release file leaves out.
type ReleaseDefaults struct {
	Place    string
	Contacts string
}

// Coordination lists the members of the Coordinamento.
type Coordination struct {
	Municipalities []string
	Others         []string
}

// Typography holds the typesetting choices a profile may change.
type Typography struct {
	SmartQuotes bool
	Hyphenation []string // exceptions, e.g. "coo-pe-ra"
}

func (d *decoder) decodeProfile(root *yaml.Node, p *Profile, allowOutside bool) {
	p.Typography.SmartQuotes = true
	format := protocol.HouseFormat
	var formatNode *yaml.Node
	image := func(n *yaml.Node, k string, dst *string) {
		var s string
		d.text(n, k, &s)
		if s == "" {
			return
		}
		path, err := confine(p.Dir, s, allowOutside)
		if err != nil {
			d.errorf(n, k, "metti l'immagine nella cartella del profilo o in una sua sottocartella (oppure usa --fuori-cartella)", "%v", err)
			return
		}
		err = safefile.Check(path, -1)
		e, _ := safefile.As(err)
		switch {
		case e != nil && e.Kind == safefile.NotExist:
			d.errorf(n, k, "controlla il nome del file: il percorso è relativo alla cartella di progetto.yaml", "l'immagine %q non esiste", s)
		case e != nil && e.Kind == safefile.Dir:
			d.errorf(n, k, "indica un file PNG, JPEG o GIF", "%q è una cartella", s)
		case e != nil:
			d.errorf(n, k, "indica un file PNG, JPEG o GIF salvato su disco", "immagine %q: %s", s, e.Reason())
		default:
			if err := checkImage(path); err != nil {
				hint := "sostituisci il file con un'immagine PNG, JPEG o GIF valida"
				var big *pngcheck.SizeError
				if errors.As(err, &big) {
					hint = big.Hint()
				}
				d.errorf(n, k, hint, "immagine %q: %v", s, err)
				return
			}
			*dst = path
		}
	}
	d.object(root, "", []field{
		{"progetto", true, func(n *yaml.Node, k string) {
			d.object(n, k, []field{
				{"nome", true, func(n *yaml.Node, k string) { d.text(n, k, &p.Project.Name) }},
				{"codice", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Project.Code) }},
				{"titolo", true, func(n *yaml.Node, k string) { d.text(n, k, &p.Project.Title) }},
				{"acronimo", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Project.Acronym) }},
				{"fondo", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Project.Fund) }},
				{"sito", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Project.Site) }},
				{"capofila", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Project.Lead) }},
				{"partner", false, func(n *yaml.Node, k string) { d.textList(n, k, &p.Project.Partners) }},
			})
		}},
		{"ente", true, func(n *yaml.Node, k string) {
			d.object(n, k, []field{
				{"nome", true, func(n *yaml.Node, k string) { d.text(n, k, &p.Body.Name) }},
				{"intestazione", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Body.Heading) }},
				{"descrizione", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Body.Description) }},
				{"citta", true, func(n *yaml.Node, k string) { d.text(n, k, &p.Body.City) }},
				{"email", false, func(n *yaml.Node, k string) {
					d.text(n, k, &p.Body.Email)
					if p.Body.Email != "" && !strings.Contains(p.Body.Email, "@") {
						d.errorf(n, k, "scrivi un indirizzo come nome@dominio.it", "indirizzo e-mail non valido: %q", p.Body.Email)
					}
				}},
				{"sito", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Body.Site) }},
			})
		}},
		{"firmatario", true, func(n *yaml.Node, k string) {
			d.object(n, k, []field{
				{"nome", true, func(n *yaml.Node, k string) { d.text(n, k, &p.Signatory.Name) }},
				{"titolo", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Signatory.Title) }},
				{"ruolo", true, func(n *yaml.Node, k string) { d.text(n, k, &p.Signatory.Role) }},
				{"firma", false, func(n *yaml.Node, k string) { image(n, k, &p.Signatory.Signature) }},
			})
		}},
		{"carta_intestata", true, func(n *yaml.Node, k string) {
			d.object(n, k, []field{
				{"loghi", false, func(n *yaml.Node, k string) {
					d.list(n, k, func(n *yaml.Node, k string) {
						var l Logo
						var emblemNode *yaml.Node
						d.object(n, k, []field{
							{"emblema", false, func(n *yaml.Node, k string) { emblemNode = n; d.oneOf(n, k, &l.Emblem, "ue") }},
							{"immagine", false, func(n *yaml.Node, k string) { image(n, k, &l.Image) }},
							{"didascalia", false, func(n *yaml.Node, k string) { d.markdown(n, k, &l.Caption) }},
						})
						if emblemNode != nil && l.Image != "" {
							d.errorf(n, k, "tieni «emblema» oppure «immagine»", "un logo ha sia emblema sia immagine")
						}
						p.Letterhead.Logos = append(p.Letterhead.Logos, l)
					})
					if len(p.Letterhead.Logos) > 6 {
						d.errorf(n, k, "", "al massimo 6 loghi nella testata")
					}
				}},
				{"righe", false, func(n *yaml.Node, k string) { d.textList(n, k, &p.Letterhead.Lines) }},
				{"titolo", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Letterhead.Title) }},
				{"piede", false, func(n *yaml.Node, k string) { d.textList(n, k, &p.Letterhead.Footer) }},
			})
		}},
		{"protocollo", false, func(n *yaml.Node, k string) {
			var mode, reg string
			d.object(n, k, []field{
				{"formato", false, func(n *yaml.Node, k string) { formatNode = n; d.text(n, k, &format) }},
				{"gestione", false, func(n *yaml.Node, k string) { d.oneOf(n, k, &mode, "esterna", "interna") }},
				{"registro", false, func(n *yaml.Node, k string) {
					d.text(n, k, &reg)
					if reg == "" {
						return
					}
					path, err := confine(p.Dir, reg, allowOutside)
					if err != nil {
						d.errorf(n, k, "tieni il registro nella cartella dei dati", "%v", err)
						return
					}
					p.Protocol.Register = path
				}},
			})
			p.Protocol.Managed = mode == "interna"
		}},
		{"convocazione", false, func(n *yaml.Node, k string) {
			d.object(n, k, []field{
				{"destinatari", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Letter.Recipients) }},
				{"saluto", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Letter.Salutation) }},
				{"iscrizione", false, func(n *yaml.Node, k string) { d.link(n, k, &p.Letter.Registration) }},
				{"paragrafo_progetto", false, func(n *yaml.Node, k string) { d.markdown(n, k, &p.Letter.ProjectText) }},
				{"paragrafo_coordinamento", false, func(n *yaml.Node, k string) { d.markdown(n, k, &p.Letter.FormText) }},
				{"congedo", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Letter.Closing) }},
				{"paragrafo_progetto_singolare", false, func(n *yaml.Node, k string) { d.markdown(n, k, &p.Letter.Singular.ProjectText) }},
				{"paragrafo_coordinamento_singolare", false, func(n *yaml.Node, k string) { d.markdown(n, k, &p.Letter.Singular.FormText) }},
				{"congedo_singolare", false, func(n *yaml.Node, k string) { d.text(n, k, &p.Letter.Singular.Closing) }},
			})
		}},
		{"comunicato", false, func(n *yaml.Node, k string) {
			d.object(n, k, []field{
				{"luogo", false, func(n *yaml.Node, k string) { d.text(n, k, &p.ReleaseDef.Place) }},
				{"contatti", false, func(n *yaml.Node, k string) { d.markdown(n, k, &p.ReleaseDef.Contacts) }},
			})
		}},
		{"coordinamento", false, func(n *yaml.Node, k string) {
			d.object(n, k, []field{
				{"comuni", false, func(n *yaml.Node, k string) { d.textList(n, k, &p.Coordination.Municipalities) }},
				{"altri_enti", false, func(n *yaml.Node, k string) { d.textList(n, k, &p.Coordination.Others) }},
			})
		}},
		{"tipografia", false, func(n *yaml.Node, k string) {
			d.object(n, k, []field{
				{"virgolette_tipografiche", false, func(n *yaml.Node, k string) { d.boolean(n, k, &p.Typography.SmartQuotes) }},
				{"sillabazione", false, func(n *yaml.Node, k string) {
					// Each word is checked here, at its own line, with the
					// typesetter's rule: a bad one found while a letter is
					// composed could name only the meeting file.
					d.list(n, k, func(c *yaml.Node, ck string) {
						var w string
						d.text(c, ck, &w)
						switch {
						case w == "":
						case strings.ContainsAny(w, " \t"):
							d.errorf(c, ck, "una parola per elemento, con i trattini dove va a capo: coo-pe-ra", "%q non è una sola parola", w)
						case !hyphen.ValidException(w):
							d.errorf(c, ck, "scrivi la parola con un trattino dove può andare a capo, uno solo per volta: coo-pe-ra",
								"eccezione di sillabazione non valida: %q", w)
						default:
							p.Typography.Hyphenation = append(p.Typography.Hyphenation, w)
						}
					})
				}},
			})
		}},
	})
	f, err := protocol.Parse(format)
	if err != nil {
		d.errorf(formatNode, "protocollo.formato", "per il formato della casa usa \""+protocol.HouseFormat+"\"", "%v", err)
		f = protocol.MustParse(protocol.HouseFormat)
	}
	p.Protocol.Format = f
	if p.Protocol.Register == "" {
		p.Protocol.Register = filepath.Join(p.Dir, "registro-protocollo.txt")
	}
	if p.Letter.Salutation == "" {
		p.Letter.Salutation = "Gentilissimi,"
	}
	if p.ReleaseDef.Place == "" {
		p.ReleaseDef.Place = p.Body.City
	}
}

// confine resolves rel against dir and refuses paths that leave dir, unless
// allowed: data files must not make coopera read what it was not given.
func confine(dir, rel string, allowOutside bool) (string, error) {
	path := rel
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, rel)
	}
	path = filepath.Clean(path)
	if allowOutside {
		return path, nil
	}
	r, err := filepath.Rel(dir, path)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", fmt.Errorf("il percorso %q esce dalla cartella dei dati", rel)
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		if realDir, err := filepath.EvalSymlinks(dir); err == nil {
			if r, err := filepath.Rel(realDir, real); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
				return "", fmt.Errorf("il percorso %q porta (con un collegamento simbolico) fuori dalla cartella dei dati", rel)
			}
		}
	}
	return path, nil
}

// SingularWarnings are the warnings of a profile that writes a paragraph
// of the letter (addressed to many) without its singular version: a
// personal letter (--destinatari) would then print the plural one.
func (p *Profile) SingularWarnings() Problems {
	var out Problems
	for _, t := range []struct{ key, plural, singular, example string }{
		{"paragrafo_progetto", p.Letter.ProjectText, p.Letter.Singular.ProjectText, "«Le ricordo che…» invece di «Vi ricordo che…»"},
		{"paragrafo_coordinamento", p.Letter.FormText, p.Letter.Singular.FormText, "«Le ricordo, qualora non l'avesse già fatto, che…»"},
		{"congedo", p.Letter.Closing, p.Letter.Singular.Closing, "«In attesa di incontrarLa…» invece di «In attesa di incontrarvi…»"},
	} {
		if t.plural == "" || t.singular != "" {
			continue
		}
		key := "convocazione." + t.key
		at := p.Pos[key]
		out = append(out, Problem{File: p.Path, Line: at.Line, Column: at.Column, Key: key, Warning: true,
			Message: "manca la versione al singolare per le lettere personali (--destinatari), che stamperebbero questo testo al plurale",
			Hint:    "aggiungi accanto «" + t.key + "_singolare:» con lo stesso testo rivolto a una sola persona, per esempio " + t.example})
	}
	return out
}
