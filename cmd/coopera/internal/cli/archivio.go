package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/archive"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newArchivio) }

// Exit codes of a run stopped by a signal, as shells report them.
const (
	ExitInterrupt = 130 // SIGINT
	ExitTerminate = 143 // SIGTERM
)

// exitProcess ends the process with a signal's exit code. Main can only
// return 0, 1 or 2, so an interrupted archivio leaves from here once its
// files and manifest are consistent.
var exitProcess = os.Exit

// archivioSignalsReady lets the signal test know when a signal is caught
// by the command rather than by the runtime's default action.
var archivioSignalsReady = func() {}

type archivioOptions struct {
	output   string
	verifica bool
	pulisci  bool
	processi int
}

func newArchivio(g *globals) *cobra.Command {
	o := &archivioOptions{}
	cmd := &cobra.Command{
		Use:   "archivio [CARTELLA_DATI]",
		Short: "Compone tutti i documenti della cartella dei dati in un archivio con manifest",
		Long: `Compone ogni documento della cartella dei dati (di norma data) nella cartella
dell'archivio (-o, di norma archivio), in una sottocartella per anno (l'anno
del protocollo per le lettere, della data per i comunicati), e scrive
manifest.json: per ogni PDF l'origine e il suo sha256, il tipo, il protocollo,
la data, l'oggetto, lo sha256 del PDF, i byte e le pagine.

Riscrive solo i file cambiati e non tocca i file che non ha prodotto lui.
Le lettere senza protocollo (bozze) e gli incontri storici incompleti non si
archiviano: il manifest li elenca tra gli esclusi.

Una lettera protocollata è un documento emesso: se dopo un cambio dei modelli
il nuovo rendering è diverso, il file emesso resta com'è e coopera lo segnala
(esce con 0; coopera archivio --verifica esce con 1 finché la differenza c'è).
Un file prodotto dall'archivio la cui origine non lo produce più resta al suo
posto ed è segnalato come orfano; --pulisci lo rimuove (mai una lettera
protocollata).

Con --verifica ricompone tutto in memoria, non scrive nulla e segnala ogni PDF
diverso dal manifest o mancante (esce con 1 se ce n'è almeno uno).
Se un file di dati ha errori non viene scritto nulla.`,
		Example: `  coopera archivio
  coopera archivio data -o archivio
  coopera archivio --verifica data -o archivio`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runArchivio(cmd, g, o, args) },
	}
	cmd.Flags().StringVarP(&o.output, "output", "o", "archivio", "la cartella dell'archivio")
	cmd.Flags().BoolVar(&o.verifica, "verifica", false, "ricompone in memoria e confronta con il manifest, senza scrivere")
	cmd.Flags().BoolVar(&o.pulisci, "pulisci", false, "rimuove i file orfani prodotti dall'archivio (mai le lettere protocollate)")
	cmd.Flags().IntVarP(&o.processi, "processi", "j", 0, "quanti documenti comporre insieme (di norma uno per core)")
	return cmd
}

func runArchivio(cmd *cobra.Command, g *globals, o *archivioOptions, args []string) error {
	data := defaultDataDir()
	if len(args) == 1 {
		data = args[0]
	}
	if o.processi < 0 {
		return usageError{errors.New("--processi vuole un numero positivo")}
	}
	env, err := g.env(false)
	if err != nil {
		return err
	}
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	// The data folder as a whole (issue 11, point 5): conflicts stop the run.
	if err := folderCheck(g, stderr, env.CheckFolder(data)); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	archivioSignalsReady()

	prog := newProgress(stderr, g.quiet || g.json)
	opt := archive.Options{Env: env, Data: data, Out: o.output, Workers: o.processi, Clean: o.pulisci, Progress: prog.update}
	if o.verifica {
		diffs, err := archive.Verify(ctx, opt)
		prog.clear()
		if err != nil {
			return archivioError(ctx, stderr, err)
		}
		return reportVerifica(g, diffs, stdout, stderr)
	}
	if !g.json && !g.quiet {
		opt.OnFile = func(r archive.FileResult) {
			if r.Warning() {
				return // on stderr below, with the reason
			}
			if prog.on && r.Action == archive.Unchanged {
				return // a terminal shows what changed, the progress line the rest
			}
			prog.clear()
			fmt.Fprintf(stdout, "%s %s\n", r.Action, r.File)
		}
	}
	rep, err := archive.Build(ctx, opt)
	prog.clear()
	if rep != nil {
		reportArchivio(g, rep, stdout, stderr)
	}
	if err != nil {
		return archivioError(ctx, stderr, err)
	}
	return nil
}

// archivioError turns a stop by signal into its exit code, after the
// archive has been left consistent, and flattens joined problems so that
// each prints on its own line.
func archivioError(ctx context.Context, stderr io.Writer, err error) error {
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		code, name := ExitInterrupt, "SIGINT"
		if cause := context.Cause(ctx); cause != nil && strings.HasPrefix(cause.Error(), syscall.SIGTERM.String()) {
			code, name = ExitTerminate, "SIGTERM"
		}
		fmt.Fprintf(stderr, "coopera: interrotto (%s): nessun altro file è stato scritto; l'archivio e il suo manifest sono coerenti\nsuggerimento: ripeti coopera archivio per completarlo\n", name)
		exitProcess(code)
		return silentError{} // reached only when a test replaces exitProcess
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return joinProblems(j.Unwrap())
	}
	return err
}

func reportArchivio(g *globals, rep *archive.Report, stdout, stderr io.Writer) {
	for _, w := range rep.Warnings {
		fmt.Fprintf(stderr, "coopera: %s\n", w)
	}
	for _, x := range rep.Excluded {
		if !g.quiet && !g.json {
			fmt.Fprintf(stderr, "coopera: nota: %s non archiviato: %s\n", x.Source, x.Reason)
		}
	}
	counts := map[archive.Action]int{}
	for _, f := range rep.Files {
		counts[f.Action]++
		if f.Warning() {
			fmt.Fprintf(stderr, "coopera: avviso: %s %s: %s\n", f.File, f.Action, f.Note)
		}
	}
	if g.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
		return
	}
	if g.quiet {
		return
	}
	parts := []string{}
	for _, a := range []struct {
		action    archive.Action
		one, many string
	}{
		{archive.Written, "scritto", "scritti"}, {archive.Unchanged, "invariato", "invariati"},
		{archive.Restored, "ripristinato", "ripristinati"}, {archive.Kept, "conservato", "conservati"},
		{archive.Conflict, "in conflitto", "in conflitto"}, {archive.Orphan, "orfano", "orfani"},
		{archive.Removed, "rimosso", "rimossi"},
	} {
		switch n := counts[a.action]; {
		case n == 1:
			parts = append(parts, "1 "+a.one)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, a.many))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "nessun documento")
	}
	fmt.Fprintf(stdout, "archivio: %s; %d esclusi; manifest %s\n", strings.Join(parts, ", "), len(rep.Excluded), rep.Manifest)
}

func reportVerifica(g *globals, diffs []archive.Difference, stdout, stderr io.Writer) error {
	if g.json {
		if diffs == nil {
			diffs = []archive.Difference{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Differenze []archive.Difference `json:"differenze"`
		}{diffs}); err != nil {
			return err
		}
		if len(diffs) > 0 {
			return silentError{}
		}
		return nil
	}
	for _, d := range diffs {
		fmt.Fprintf(stderr, "coopera: %s\n", d)
	}
	if len(diffs) > 0 {
		return fmt.Errorf("l'archivio non corrisponde: %d differenze\nsuggerimento: coopera archivio riscrive i documenti cambiati (non le lettere protocollate già emesse)", len(diffs))
	}
	if !g.quiet {
		fmt.Fprintln(stdout, "archivio verificato: ogni documento corrisponde al manifest")
	}
	return nil
}

// progress draws one self-overwriting line on a terminal, and nothing
// elsewhere. It uses no colour or escape sequence, so NO_COLOR and dumb
// terminals get the same plain text.
type progress struct {
	w  io.Writer
	on bool
	n  int // width of the last line drawn
}

func newProgress(w io.Writer, quiet bool) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok && !quiet && os.Getenv("TERM") != "dumb" {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progress) update(done, total int) {
	if !p.on {
		return
	}
	s := fmt.Sprintf("\rcomposizione %d/%d", done, total)
	fmt.Fprint(p.w, s)
	p.n = len(s)
}

func (p *progress) clear() {
	if !p.on || p.n == 0 {
		return
	}
	fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.n))
	p.n = 0
}

// folderCheck prints the warnings of a folder check and returns its errors.
func folderCheck(g *globals, stderr io.Writer, probs model.Problems) error {
	if !g.json {
		for _, w := range probs.Warnings() {
			fmt.Fprintf(stderr, "coopera: %s\n", w)
		}
	}
	return probs.Unique().Err()
}
