// Package cli is the command-line front: cobra commands, one file each.
// It is the only package that knows flags, streams and exit codes.
package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/lazyre"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/typeset"
	"github.com/ancisicilia/coopera/templates"
	"github.com/spf13/cobra"
)

// Exit codes, listed in the README.
const (
	ExitOK    = 0
	ExitError = 1 // bad input or a failure
	ExitUsage = 2 // wrong usage of the command line
)

// Version is stamped at build time with -ldflags "-X …/cli.Version=v1.2.3";
// otherwise it comes from the module's build information.
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// releaseTag is the form of a release version: v1.2.3.
var releaseTag = lazyre.New(`^v\d+\.\d+\.\d+$`)

// producerName is what the PDFs of this build name as their producer.
func producerName() string { return typeset.Producer(pdfVersion()) }

// pdfVersion is the version the PDFs name as their producer: a release's,
// or none for a development build (a commit, a dirty tree, "go run"), so
// that the same sources give the same bytes however coopera was built.
func pdfVersion() string {
	if v := version(); releaseTag().MatchString(v) {
		return v
	}
	return ""
}

// usageError marks mistakes in the command line itself (exit 2).
type usageError struct{ error }

// commands are the further subcommands; each file that defines one adds
// its constructor here in an init function, so commands stay one per file.
var commands []func(*globals) *cobra.Command

// globals are the flags every command shares.
type globals struct {
	progetto      string
	modelli       string
	fuoriCartella bool
	quiet         bool
	json          bool
	debug         bool
}

func (g *globals) env(draft bool) (*pipeline.Env, error) {
	env := &pipeline.Env{Templates: templates.FS, Profile: g.progetto, AllowOutside: g.fuoriCartella, Draft: draft, Version: pdfVersion()}
	if g.modelli != "" {
		st, err := os.Stat(g.modelli)
		switch {
		case err != nil:
			return nil, fmt.Errorf("--modelli %s: la cartella dei modelli non esiste\nsuggerimento: indica la cartella che contiene i modelli (per esempio --modelli templates)", g.modelli)
		case !st.IsDir():
			return nil, fmt.Errorf("--modelli %s: non è una cartella\nsuggerimento: --modelli vuole la cartella che contiene i modelli, non un file", g.modelli)
		}
		env.Templates = compose.UserFolder(g.modelli, g.fuoriCartella)
	}
	if g.progetto != "" {
		if e, ok := safefile.As(safefile.Check(g.progetto, -1)); ok {
			switch e.Kind {
			case safefile.NotExist:
				return nil, fmt.Errorf("--progetto %s: il file del profilo non esiste\nsuggerimento: %s", g.progetto, e.Hint())
			case safefile.Dir:
				return nil, fmt.Errorf("--progetto %s: è una cartella, non il file del profilo\nsuggerimento: indica il file stesso, per esempio --progetto %s", g.progetto, filepath.Join(g.progetto, model.ProfileName))
			}
			return nil, fmt.Errorf("--progetto %s: %s\nsuggerimento: %s", g.progetto, e.Reason(), e.Hint())
		}
	}
	return env, nil
}

// Main runs coopera with args and streams and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		// A panic is a bug, but the user still gets a sentence, not a trace.
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "coopera: errore interno: %v\nsuggerimento: segnala il problema allegando il file che lo provoca (con --debug per i dettagli)\n", r)
			if hasDebug(args) {
				fmt.Fprintf(stderr, "%s\n", debug.Stack())
			}
			code = ExitError
		}
	}()
	g := &globals{}
	root := newRoot(g, stdin)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetIn(stdin)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		msg := italianUsage(err)
		if !strings.Contains(msg, "\nsuggerimento: ") {
			// One suggestion: the message's own when it has one.
			msg += "\nsuggerimento: coopera --help per l'elenco dei comandi e delle opzioni"
		}
		fmt.Fprintf(stderr, "coopera: %s\n", msg)
		return ExitUsage
	}
	if _, silent := err.(silentError); !silent {
		printError(stderr, err, g.json, stdout)
	}
	return ExitError
}

func hasDebug(args []string) bool {
	for _, a := range args {
		if a == "--debug" {
			return true
		}
	}
	return false
}

// printError writes every problem on its own line, prefixed "coopera: ",
// and with --json also the list of them on stdout, as valida does:
// {"errori": [{"file", "riga", "colonna", "chiave", "problema", "suggerimento"}]}.
func printError(w io.Writer, err error, asJSON bool, stdout io.Writer) {
	probs := flatten(err, nil)
	for _, p := range probs {
		fmt.Fprintf(w, "coopera: %s\n", p)
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(struct {
			Errori []model.Problem `json:"errori"`
		}{probs})
	}
}

// flatten lists the problems an error carries: every file's of a batch,
// every one of a file's, or the error itself as a problem with only its
// message.
func flatten(err error, dst []model.Problem) []model.Problem {
	// A batch joins one error per failed file: list each of them, not
	// only the first that errors.As would find.
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			dst = flatten(e, dst)
		}
		return dst
	}
	var probs model.Problems
	if errors.As(err, &probs) {
		return append(dst, probs...)
	}
	var p *model.Problem
	if errors.As(err, &p) {
		return append(dst, *p)
	}
	var pv model.Problem
	if errors.As(err, &pv) {
		return append(dst, pv)
	}
	return append(dst, model.Problem{Message: err.Error()})
}

func isCobraUsage(err error) bool {
	s := err.Error()
	for _, prefix := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires at least", "invalid argument", "flag needs an argument", "bad flag syntax", "required flag"} {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// italianUsage translates cobra's usage errors.
func italianUsage(err error) string {
	s := err.Error()
	repl := []struct{ from, to string }{
		{"unknown command", "comando sconosciuto"},
		{"unknown shorthand flag", "opzione sconosciuta"},
		{"unknown flag", "opzione sconosciuta"},
		{"flag needs an argument", "l'opzione richiede un valore"},
		{"invalid argument", "valore non valido"},
		{"requires at least", "servono almeno"},
		{"arg(s), only received", "argomenti, ricevuti"},
		{"for \"coopera\"", "per coopera"},
		{"accepts", "accetta"},
		{"received", "ricevuti"},
		{"bad flag syntax", "opzione scritta male"},
	}
	for _, r := range repl {
		s = strings.ReplaceAll(s, r.from, r.to)
	}
	if ue, ok := err.(usageError); ok {
		return ue.Error()
	}
	return s
}

func newRoot(g *globals, stdin io.Reader) *cobra.Command {
	root := &cobra.Command{
		Use:   "coopera",
		Short: "Lettere di convocazione e comunicati stampa del progetto COOPERA, in PDF/A",
		Long: `coopera produce i documenti ufficiali del progetto COOPERA (ANCI Sicilia,
PROG 3031, FAMI): le lettere di convocazione dei Tavoli tecnici, con numero di
protocollo e carta intestata, e i comunicati stampa, come PDF/A-2b, a partire
da file YAML scritti a mano.

Il profilo del progetto (carta intestata, firmatario, formato del protocollo)
è il file progetto.yaml nella cartella del file o in una cartella superiore.`,
		Example: `  coopera convoca data/tavoli/2022-03-02-tavolo-3.yaml
  coopera comunicato data/comunicati/2022-01-25-tavolo-2.yaml -o out
  coopera valida data
  coopera convoca --bozza data/tavoli/2022-01-31-tavolo-2.yaml`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.SetVersionTemplate("coopera {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{fmt.Errorf("%s", italianUsage(err))} })
	pf := root.PersistentFlags()
	pf.StringVar(&g.progetto, "progetto", "", "il profilo del progetto da usare (di norma: progetto.yaml nella cartella del file o in una superiore)")
	pf.StringVar(&g.modelli, "modelli", "", "una cartella di modelli da usare al posto di quelli incorporati")
	pf.BoolVar(&g.fuoriCartella, "fuori-cartella", false, "permette ai file di dati di indicare immagini fuori dalla loro cartella")
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "non stampa i percorsi scritti")
	pf.BoolVar(&g.json, "json", false, "stampa il risultato come JSON (per script e CI)")
	pf.BoolVar(&g.debug, "debug", false, "aggiunge dettagli ai messaggi di errore")
	root.SetHelpCommand(&cobra.Command{Use: "help [comando]", Short: "Mostra l'aiuto di un comando",
		Run: func(c *cobra.Command, args []string) {
			cmd, _, e := c.Root().Find(args)
			if cmd == nil || e != nil {
				c.Root().Help()
				return
			}
			cmd.Help()
		}})
	root.CompletionOptions.HiddenDefaultCmd = false
	root.AddCommand(newConvoca(g), newComunicato(g), newValida(g), newVersion(g))
	for _, c := range commands {
		root.AddCommand(c(g))
	}
	localize(root)
	return root
}

// flagType matches the value type pflag prints after a flag's name.
var flagType = lazyre.New(`(?m)^(\s+(?:-\w, )?--[\w-]+) (string|int|strings|stringSlice|duration)\b`)

// flagTypeNames are the Italian names of pflag's value types, no longer
// than the English ones so that the columns pflag aligned stay aligned.
var flagTypeNames = map[string]string{"string": "testo", "int": "num", "strings": "elenco", "stringSlice": "elenco", "duration": "durata"}

// italianHelp translates what pflag and cobra write into a usage text:
// "[flags]", the value types and "(default …)".
func italianHelp(s string) string {
	s = strings.ReplaceAll(s, "[flags]", "[opzioni]")
	s = strings.ReplaceAll(s, "(default ", "(predefinito: ")
	return flagType().ReplaceAllStringFunc(s, func(m string) string {
		sub := flagType().FindStringSubmatch(m)
		name := flagTypeNames[sub[2]]
		return sub[1] + " " + name + strings.Repeat(" ", len(sub[2])-len(name))
	})
}

// localize translates cobra's own help texts.
func localize(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpFlag()
	root.Flags().Lookup("help").Usage = "mostra questo aiuto"
	root.InitDefaultVersionFlag()
	if f := root.Flags().Lookup("version"); f != nil {
		f.Usage = "mostra la versione"
	}
	cobra.AddTemplateFunc("italiano", italianHelp)
	tmpl := root.UsageTemplate()
	root.SetUsageTemplate(strings.NewReplacer(
		"Usage:", "Uso:", "Aliases:", "Alias:", "Examples:", "Esempi:", "Available Commands:", "Comandi:",
		"Additional Commands:", "Altri comandi:",
		"Global Flags:", "Opzioni globali:", "Flags:", "Opzioni:", "Additional help topics:", "Altri argomenti:",
		"{{.UseLine}}", "{{italiano .UseLine}}", "{{.CommandPath}} [command]", "{{.CommandPath}} [comando]",
		"FlagUsages | trimTrailingWhitespaces}}", "FlagUsages | trimTrailingWhitespaces | italiano}}",
		`Use "`, `Usa "`,
		"for more information about a command.", "per l'aiuto di un comando.").Replace(tmpl))
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.InitDefaultHelpFlag()
		if f := c.Flags().Lookup("help"); f != nil {
			f.Usage = "mostra questo aiuto"
		}
		for _, sc := range c.Commands() {
			walk(sc)
		}
	}
	walk(root)
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Short = "Genera lo script di completamento per la shell indicata"
			for _, sc := range c.Commands() {
				sc.Short = "Genera lo script di completamento per " + sc.Name()
				sc.InitDefaultHelpFlag()
				sc.Flags().Lookup("help").Usage = "mostra questo aiuto"
				if f := sc.Flags().Lookup("no-descriptions"); f != nil {
					f.Usage = "senza descrizioni"
				}
			}
		}
	}
}
