package compose

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
)

// Destinatario is the addressee of a personal letter (a mail merge), as
// templates see it under .Destinatario; the general letter has none.
type Destinatario struct {
	// Nome is the name as the list writes it, Cognome the surname,
	// NomeCompleto both: "Łucja Nowak".
	Nome, Cognome, NomeCompleto, Titolo, Ruolo, Ente, Email string
	Femminile                                               bool
	// Righe is the address block, one line each: "Alla dott.ssa",
	// "Maria Rossi", role, body.
	Righe []string
	// Saluto is the salutation that replaces the meeting's own:
	// "Gentile dott.ssa Rossi,".
	Saluto string
}

// ComposeLetterTo fills the convocation template for one addressee. The
// file name is the general letter's with suffix before ".pdf", so that all
// the letters of a meeting sort together under its protocol number.
func ComposeLetterTo(m *model.Meeting, p *model.Profile, opt Options, to Destinatario, suffix string) (*Document, error) {
	doc, err := composeLetter(m, p, opt, &to)
	if err != nil {
		return nil, err
	}
	doc.FileName = strings.TrimSuffix(doc.FileName, ".pdf") + suffix + ".pdf"
	if name := cmp.Or(to.NomeCompleto, to.Nome); name != "" {
		doc.Meta.Keywords = append(doc.Meta.Keywords, name)
	}
	return doc, nil
}

// MergedName is the name of the PDF that holds every personal letter of
// the meeting whose general letter is named name.
func MergedName(name string) string {
	return fmt.Sprintf("%s_tutti.pdf", strings.TrimSuffix(name, ".pdf"))
}

// profileViewFor is the profile as the letter to "to" sees it: a personal
// letter speaks to one reader, so the profile's paragraphs are its singular
// versions where it has them (model.Profile.SingularWarnings names the
// missing ones).
func profileViewFor(p *model.Profile, to *Destinatario) Progetto {
	v := profileView(p)
	if to == nil {
		return v
	}
	one := p.Letter.Singular
	v.ParagrafoProgetto = cmp.Or(one.ProjectText, v.ParagrafoProgetto)
	v.ParagrafoCoordinamento = cmp.Or(one.FormText, v.ParagrafoCoordinamento)
	v.Congedo = cmp.Or(one.Closing, v.Congedo)
	return v
}
