package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/atomicfile"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/calendar"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newCalendario) }

var calendarFormats = []string{"md", "html", "pdf", "ics"}

type calendarioOptions struct {
	output  string
	dati    string
	formato []string
}

func newCalendario(g *globals) *cobra.Command {
	o := &calendarioOptions{}
	cmd := &cobra.Command{
		Use:   "calendario",
		Short: "Scrive il calendario di tutti gli incontri (Markdown, HTML, PDF, iCalendar)",
		Long: `Scrive il calendario di tutti gli incontri della cartella dei dati, in ordine
di data, come lo mostra il sito del progetto: i Tavoli numerati con data,
titolo, relatori e interventi, materiali, e i collegamenti alla lettera di
convocazione e ai comunicati stampa (i PDF con i nomi che danno convoca e
comunicato, nella stessa cartella del calendario).

Formati: calendario.md, calendario.html (una pagina autonoma), calendario.pdf
(sulla carta intestata, PDF/A-2b) e calendario.ics (un evento per incontro;
gli incontri storici senza orario sono eventi di un'intera giornata).
Se un file di dati ha errori non viene scritto nulla.`,
		Example: `  coopera calendario -o out
  coopera calendario --formato html,ics -o sito
  coopera calendario --dati altri-dati --formato pdf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runCalendario(cmd, g, o) },
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", ".", "la cartella in cui scrivere il calendario")
	f.StringVar(&o.dati, "dati", "data", "la cartella dei dati (con progetto.yaml, tavoli/ e comunicati/)")
	f.StringSliceVar(&o.formato, "formato", calendarFormats, "i formati da scrivere, separati da virgole: md, html, pdf, ics")
	_ = cmd.RegisterFlagCompletionFunc("formato", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return calendarFormats, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("dati", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
	return cmd
}

func runCalendario(cmd *cobra.Command, g *globals, o *calendarioOptions) error {
	want := map[string]bool{}
	for _, f := range o.formato {
		f = strings.ToLower(strings.TrimSpace(f))
		if !slices.Contains(calendarFormats, f) {
			return usageError{fmt.Errorf("--formato %q: i formati sono %s", f, strings.Join(calendarFormats, ", "))}
		}
		want[f] = true
	}
	if len(want) == 0 {
		return usageError{fmt.Errorf("--formato: indica almeno un formato tra %s", strings.Join(calendarFormats, ", "))}
	}
	if err := checkOutputDir(o.output); err != nil {
		return err
	}
	if err := checkDataDir(o.dati); err != nil {
		return err
	}
	env, err := g.env(false)
	if err != nil {
		return err
	}
	cal, err := calendar.Collect(o.dati, env)
	if err != nil {
		return err
	}
	for _, w := range cal.Warnings {
		fmt.Fprintf(cmd.ErrOrStderr(), "coopera: %s\n", w)
	}
	// Everything is produced before anything is written, so a failure
	// leaves the old calendar whole.
	type out struct {
		name, kind string
		data       []byte
	}
	var outs []out
	for _, f := range calendarFormats {
		if !want[f] {
			continue
		}
		var data []byte
		var name string
		switch f {
		case "md":
			name, data = calendar.MarkdownName, []byte(cal.Markdown(false))
		case "html":
			name = calendar.HTMLName
			data, err = cal.HTML()
		case "pdf":
			name = calendar.PDFName
			data, err = cal.PDF(env)
		case "ics":
			name = calendar.ICSName
			data, err = cal.ICS()
		}
		if err != nil {
			return err
		}
		outs = append(outs, out{name, f, data})
	}
	type written struct {
		File    string `json:"file"`
		Formato string `json:"formato"`
		Byte    int    `json:"byte"`
	}
	var list []written
	cleanLeftovers(g, cmd.ErrOrStderr(), o.output)
	for _, x := range outs {
		path := filepath.Join(o.output, x.name)
		if err := atomicfile.Write(path, x.data); err != nil {
			return writeError(path, err)
		}
		list = append(list, written{path, x.kind, len(x.data)})
		if !g.quiet && !g.json {
			fmt.Fprintln(cmd.OutOrStdout(), path)
		}
	}
	if g.json {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	return nil
}
