package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/atomicfile"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/ical"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/register"
	"github.com/spf13/cobra"
)

// addICSFlag gives convoca its --ics flag; writeICS reads it back, so that
// convoca.go needs only the two calls.
func addICSFlag(cmd *cobra.Command) {
	cmd.Flags().Bool("ics", false, "scrive accanto a ogni lettera l'invito per il calendario (.ics, RFC 5545)")
}

// icsName is the invitation's name: the letter's, with .ics.
func icsName(pdfName string) string {
	return strings.TrimSuffix(pdfName, filepath.Ext(pdfName)) + ".ics"
}

// writeICS writes, when --ics is set, the calendar invitation of each
// letter's meeting beside the letter. Every invitation is made before any
// is written, so a failure writes none.
func writeICS(cmd *cobra.Command, env *pipeline.Env, g *globals, outs []*pipeline.Output, dir string) error {
	if on, _ := cmd.Flags().GetBool("ics"); !on {
		return nil
	}
	type invite struct {
		path string
		data []byte
	}
	var invites []invite
	for _, o := range outs {
		if o.Meeting == nil {
			continue
		}
		prof, probs := env.ProfileFor(o.Source)
		if err := probs.Err(); err != nil {
			return err
		}
		data, err := ical.Invitation(o.Meeting, prof, draftLetter(o))
		if err != nil {
			return err
		}
		invites = append(invites, invite{filepath.Join(dir, icsName(o.Name)), data})
	}
	for _, in := range invites {
		if err := atomicfile.Write(in.path, in.data); err != nil {
			return writeError(in.path, err)
		}
		// With --json the list printed by convoca names the letters; each
		// invitation has the same name with .ics.
		if !g.quiet && !g.json {
			fmt.Fprintln(cmd.OutOrStdout(), in.path)
		}
	}
	return nil
}

// draftLetter tells whether the letter of o is a draft, so that its
// invitation says so.
func draftLetter(o *pipeline.Output) bool {
	if o.Doc != nil {
		return o.Doc.Draft
	}
	return o.Meeting.Protocol == nil
}

// cancelICS is protocollo annulla's --ics: the cancellation invitation of
// the meeting the annulled number was issued for.
type cancelICS struct {
	on  bool
	dir string

	// Set by prepare, before the register changes.
	m    *model.Meeting
	prof *model.Profile
	name string
}

// addCancelICSFlags gives annulla its --ics and -o flags.
func addCancelICSFlags(cmd *cobra.Command) *cancelICS {
	c := &cancelICS{}
	cmd.Flags().BoolVar(&c.on, "ics", false, "scrive l'annullamento dell'invito per il calendario (.ics, STATUS:CANCELLED) dell'incontro del numero")
	cmd.Flags().StringVarP(&c.dir, "output", "o", ".", "la cartella in cui scrivere l'annullamento dell'invito (con --ics)")
	return c
}

// prepare loads, when --ics is set, the meeting that number of year was
// registered for, so that a missing or invalid file stops annulla before
// the register changes. When the number is already annulled it writes the
// cancellation of that annulment and returns done: annulla --ics is then
// the way to get the invitation of an earlier annulment.
func (c *cancelICS) prepare(cmd *cobra.Command, g *globals, env *pipeline.Env, prof *model.Profile, r *register.Register, year, number int) (done bool, err error) {
	if !c.on {
		if cmd.Flags().Changed("output") {
			return false, usageError{fmt.Errorf("-o vale solo con --ics: indica --ics per scrivere l'annullamento dell'invito")}
		}
		return false, nil
	}
	if err := checkOutputDir(c.dir); err != nil {
		return false, err
	}
	h := r.History(year, number)
	if len(h) == 0 {
		return false, nil // register.Annul names the unknown number
	}
	var issued *register.Entry
	for i := range h {
		if h[i].Kind == register.Issued {
			issued = &h[i]
		}
	}
	source := h[0].Source
	if issued != nil && issued.Source != "" {
		source = issued.Source
	}
	if source == "" {
		return false, fmt.Errorf("il registro non dice di quale file è il numero %s: l'annullamento dell'invito non si può scrivere\nsuggerimento: togli --ics per annullare solo il numero", h[0].Formatted)
	}
	path := filepath.Join(prof.Dir, filepath.FromSlash(source))
	src, err := os.ReadFile(path)
	if err != nil {
		why := "non si legge"
		if errors.Is(err, fs.ErrNotExist) {
			why = "non esiste più"
		}
		return false, fmt.Errorf("%s: il file del numero %s %s: l'annullamento dell'invito richiede i dati dell'incontro\nsuggerimento: rimetti il file dalla cronologia di git, oppure togli --ics per annullare solo il numero", relName(path), h[0].Formatted, why)
	}
	m, mprof, _, err := env.Meeting(path)
	if err != nil {
		return false, err
	}
	if issued != nil && issued.SourceSHA256 != "" && register.Hash(src) != issued.SourceSHA256 {
		fmt.Fprintf(cmd.ErrOrStderr(), "coopera: %s: attenzione: il file è cambiato dopo l'emissione del numero %s; l'annullamento dell'invito usa i dati di oggi\nsuggerimento: se hai cambiato la data o il numero del Tavolo, l'annullamento non toglie dai calendari l'invito inviato: rimetti quei dati come erano e ripeti con --ics\n", relName(path), h[0].Formatted)
	}
	c.m, c.prof = m, mprof
	c.name = cancelName(m, mprof, year, number)
	if last := h[len(h)-1]; last.Kind == register.Annulled {
		if !g.quiet && !g.json {
			fmt.Fprintf(cmd.OutOrStdout(), "il numero %s è già annullato (riga %d del registro): scrivo solo l'annullamento dell'invito\n", last.Formatted, last.Line)
		}
		return true, c.write(cmd, g, last)
	}
	return false, nil
}

// write writes the cancellation of the invitation for the annulment e.
func (c *cancelICS) write(cmd *cobra.Command, g *globals, e register.Entry) error {
	if c.m == nil {
		return nil
	}
	data, err := ical.Cancellation(c.m, c.prof, e.Year, e.Number, e.Formatted, e.Date)
	if err != nil {
		return err
	}
	path := filepath.Join(c.dir, c.name)
	if err := atomicfile.Write(path, data); err != nil {
		return fmt.Errorf("scrittura di %s: %w", path, err)
	}
	if !g.quiet && !g.json {
		fmt.Fprintln(cmd.OutOrStdout(), path)
	}
	return nil
}

// cancelName is the issued letter's name (as compose gives it) with
// _annullamento.ics, so that the three files sit side by side.
func cancelName(m *model.Meeting, p *model.Profile, year, number int) string {
	w := 7
	if max := p.Protocol.Format.MaxNumber(); max > 0 {
		w = len(fmt.Sprint(max))
	}
	suffix := "_" + compose.Slug(m.Title, 40)
	if m.Number > 0 {
		suffix = fmt.Sprintf("_tavolo-%d", m.Number)
	}
	return fmt.Sprintf("convocazione_%04d-%0*d_%s%s_annullamento.ics", year, w, number, m.Date.Format("2006-01-02"), suffix)
}
