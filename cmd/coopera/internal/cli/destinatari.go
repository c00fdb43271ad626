package cli

import (
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/issue"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/italian"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/recipients"
	"github.com/spf13/cobra"
)

// addDestinatariFlag gives convoca its --destinatari flag; mergeFile reads
// it back, so that convoca.go needs only two calls.
func addDestinatariFlag(cmd *cobra.Command) {
	cmd.Long += destinatariHelp
	cmd.Flags().String("destinatari", "", "un file di destinatari (CSV o YAML, colonne più sotto): una lettera personale per ciascuno, più un PDF che le riunisce tutte")
	_ = cmd.RegisterFlagCompletionFunc("destinatari", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"yaml", "yml", "csv"}, cobra.ShellCompDirectiveFilterFileExt
	})
}

// destinatariHelp ends convoca's help: what each column of a recipients
// file does (the README's "Personal letters" says the same).
const destinatariHelp = `

Lettere personali (--destinatari FILE): una lettera per ogni riga di un file
CSV (con la riga d'intestazione; separatore virgola, punto e virgola o
tabulazione; UTF-8) o YAML (un elenco di voci con le stesse chiavi). Colonne:
  nome     obbligatoria: il nome («Łucja»), oppure nome e cognome insieme
           («Łucja Nowak») se la colonna cognome manca
  cognome  facoltativa: il cognome («Nowak»); nell'indirizzo segue il nome,
           nel saluto il titolo («Gentile prof.ssa Nowak,») e dà il nome al
           file; senza, il cognome è l'ultima parola di nome (con «De», «La»…)
  titolo   facoltativa: dott., dott.ssa, prof., prof.ssa, avv., ing., sig.,
           sig.ra…, con l'articolo giusto: «Alla prof.ssa Łucja Nowak», «Al
           dott. Mario Rossi», «All'avv. …»; senza: «Alla cortese attenzione di»
  genere   facoltativa: f (femminile) o m (maschile); vuota: lo dice il titolo,
           se può; sceglie l'articolo e volge il titolo al femminile (con f,
           dott. diventa dott.ssa, prof. prof.ssa, sig. sig.ra)
  ruolo    facoltativa: la riga sotto il nome («Coordinatrice dei servizi
           sociali»)
  ente     facoltativa: la riga dopo il ruolo («Comune di Catania»), omessa se
           il ruolo la contiene già
  email    facoltativa: l'indirizzo di posta, controllato ma non stampato
  saluto   facoltativa: sostituisce il saluto ricavato («Gentile prof.ssa
           Nowak,», o «Gentile Łucja Nowak,» senza titolo) e quello del file
           dell'incontro, per esempio «Cara Łucja,»

Ogni lettera si rivolge a una sola persona («La invito», «La informo»); i
paragrafi del profilo vengono dalle chiavi di convocazione:
paragrafo_progetto_singolare, paragrafo_coordinamento_singolare e
congedo_singolare; se una manca, un avviso la nomina e la lettera stampa il
testo al plurale. I file si chiamano come la lettera con _NNN-cognome-nome in
fondo (NNN: la riga nell'elenco, così due persone con lo stesso cognome hanno
file diversi), più _tutti.pdf con tutte le lettere.`

// mergeFile is the recipients file given with --destinatari, or "".
func mergeFile(cmd *cobra.Command) string {
	f, _ := cmd.Flags().GetString("destinatari")
	return f
}

// runMerge renders, for every meeting file, one letter per recipient and
// the PDF that holds them all, and writes them only when all succeeded.
func runMerge(cmd *cobra.Command, g *globals, env *pipeline.Env, files []string, list, dir string) error {
	rcps, rprobs := recipients.Load(list, recipients.Options{Coverage: coverage()})
	if err := rprobs.Err(); err != nil {
		return err
	}
	var outs, invites []*pipeline.Output
	var errs []error
	warned := map[string]bool{} // profiles whose missing singular texts were reported
	for _, f := range files {
		o, err := personalLetters(env, f, rcps, warned, false)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		o[len(o)-1].Warnings = append(o[len(o)-1].Warnings, rprobs.Warnings()...)
		outs = append(outs, o...)
		// One invitation per meeting: the calendar entry is the same for
		// every recipient.
		last := o[len(o)-1]
		invites = append(invites, &pipeline.Output{Source: f, Kind: compose.Letter, Name: strings.TrimSuffix(last.Name, "_tutti.pdf") + ".pdf", Meeting: last.Meeting})
		rprobs = nil
	}
	if len(errs) > 0 {
		return joinProblems(errs)
	}
	if err := writeAll(g, outs, dir, cmd.OutOrStdout(), cmd.ErrOrStderr()); err != nil {
		return err
	}
	return writeICS(cmd, env, g, invites, dir)
}

// personalLetters is the mail merge of one meeting as a command may write
// it: drafts (--bozza, or a meeting without number), or the personal
// letters of an issued meeting, each an issued record of its own
// (issue.Personal): convoca hands out those already issued and refuses
// the others; protocollo registra and assegna (issueNew) issue them.
func personalLetters(env *pipeline.Env, file string, rcps []recipients.Recipient, warned map[string]bool, issueNew bool) ([]*pipeline.Output, error) {
	if !env.Draft {
		m, _, _, err := env.Meeting(file)
		if err != nil {
			return nil, err
		}
		if m.Protocol != nil {
			merge := func(e *pipeline.Env) ([]*pipeline.Output, error) { return mergeMeeting(e, file, rcps, warned) }
			return issue.Personal(file, issue.Options{Env: env}, merge, issueNew)
		}
	}
	return mergeMeeting(env, file, rcps, warned)
}

// mergeMeeting renders the personal letters of one meeting, then the
// combined PDF, which is last.
func mergeMeeting(env *pipeline.Env, file string, rcps []recipients.Recipient, warned map[string]bool) ([]*pipeline.Output, error) {
	prof, probs := env.ProfileFor(file)
	if err := probs.Err(); err != nil {
		return nil, err
	}
	if !warned[prof.Path] {
		warned[prof.Path] = true
		probs = append(probs, prof.SingularWarnings()...)
	}
	m, mprobs := model.LoadMeeting(file, prof, model.Options{Coverage: coverage(), AllowOutside: env.AllowOutside})
	if err := mprobs.Err(); err != nil {
		return nil, err
	}
	if !env.Draft { // issue 11, point 4: no placeholder in a final letter
		if err := model.PlaceholderErrors(m.Placeholders); err != nil {
			return nil, err
		}
	}
	opt := compose.Options{Templates: env.Templates, Draft: env.Draft}
	var docs []*compose.Document
	var outs []*pipeline.Output
	for i, r := range rcps {
		doc, err := compose.ComposeLetterTo(m, prof, opt, addressee(r), recipients.FileSuffix(i, r))
		if err != nil {
			return nil, err
		}
		pdf, pages, err := env.RenderPDF([]*compose.Document{doc}, doc.Meta)
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
		outs = append(outs, &pipeline.Output{Source: file, Kind: doc.Kind, Name: doc.FileName, PDF: pdf, Pages: pages, Doc: doc, Meeting: m})
	}
	// All the letters in one document, each from its own first page with
	// its own letterhead and page count, as typeset.RenderAll sets them.
	meta := docs[0].Meta
	meta.Keywords = meta.Keywords[:len(meta.Keywords)-1] // not the first recipient's name
	pdf, pages, err := env.RenderPDF(docs, meta)
	if err != nil {
		return nil, err
	}
	general := strings.TrimSuffix(docs[0].FileName, recipients.FileSuffix(0, rcps[0])+".pdf") + ".pdf"
	outs = append(outs, &pipeline.Output{Source: file, Kind: compose.Letter, Name: compose.MergedName(general), PDF: pdf, Pages: pages, Meeting: m,
		Warnings: append(probs.Warnings(), mprobs.Warnings()...)})
	return outs, nil
}

// addressee is a recipient as the letter template sees it.
func addressee(r recipients.Recipient) compose.Destinatario {
	return compose.Destinatario{
		Nome: r.Name, Cognome: r.LastName(), NomeCompleto: r.FullName(), Titolo: r.DisplayTitle(), Ruolo: r.Role, Ente: r.Body, Email: r.Email,
		Femminile: r.Gender == italian.Female, Righe: r.AddressLines(), Saluto: r.Greeting(),
	}
}
