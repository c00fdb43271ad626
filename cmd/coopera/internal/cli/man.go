package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/atomicfile"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func init() { commands = append(commands, newMan) }

// newMan writes the manual pages (section 1) of every command, made from
// the commands' own help so that they never drift apart. It is hidden:
// "make man" runs it. The roff is written here rather than with
// cobra/doc, which would add two modules for a few dozen lines; and no
// date is printed, so that the pages are the same on every build.
func newMan(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:    "man CARTELLA",
		Short:  "Scrive le pagine di manuale (man 1) di tutti i comandi nella cartella indicata",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("cartella %s: %v", dir, err)
			}
			var written []string
			for _, c := range manCommands(cmd.Root()) {
				path := filepath.Join(dir, manName(c)+".1")
				if err := atomicfile.Write(path, manPage(c)); err != nil {
					return fmt.Errorf("scrittura di %s: %w", path, err)
				}
				written = append(written, path)
			}
			return printPaths(cmd, g, written)
		},
	}
}

// printPaths reports written files the way every command does: one per
// line, nothing with --quiet, a JSON list with --json.
func printPaths(cmd *cobra.Command, g *globals, paths []string) error {
	switch {
	case g.json:
		type written struct {
			File string `json:"file"`
		}
		list := make([]written, len(paths))
		for i, p := range paths {
			list[i] = written{p}
		}
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	case !g.quiet:
		for _, p := range paths {
			fmt.Fprintln(cmd.OutOrStdout(), p)
		}
	}
	return nil
}

// manCommands is every command a person may type, root first.
func manCommands(root *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{root}
	for _, c := range root.Commands() {
		if !c.IsAvailableCommand() || c.IsAdditionalHelpTopicCommand() || c.Name() == "help" {
			continue
		}
		out = append(out, manCommands(c)...)
	}
	return out
}

func manName(c *cobra.Command) string { return strings.ReplaceAll(c.CommandPath(), " ", "-") }

// manPage is the roff source of c's page.
func manPage(c *cobra.Command) []byte {
	var b bytes.Buffer
	name := manName(c)
	fmt.Fprintf(&b, ".TH %q \"1\" \"\" \"coopera %s\" \"Manuale di coopera\"\n", strings.ToUpper(name), roffQuoted(version()))
	b.WriteString(".nh\n.ad l\n")
	section(&b, "NOME")
	fmt.Fprintf(&b, "%s \\- %s\n", roff(name), roff(c.Short))

	section(&b, "SINTESI")
	use := strings.Replace(c.UseLine(), "[flags]", "[opzioni]", 1)
	if c.HasAvailableSubCommands() && !c.Runnable() {
		use = c.CommandPath() + " COMANDO [opzioni]"
	}
	fmt.Fprintf(&b, ".B %s\n", roff(use))

	section(&b, "DESCRIZIONE")
	text := c.Long
	if text == "" {
		text = c.Short
	}
	paragraphs(&b, text)

	if subs := visibleSubcommands(c); len(subs) > 0 {
		section(&b, "COMANDI")
		for _, s := range subs {
			fmt.Fprintf(&b, ".TP\n\\fB%s\\fR\n%s\n", roff(s.Name()), roff(s.Short))
		}
	}
	flags(&b, c.NonInheritedFlags(), "OPZIONI")
	flags(&b, c.InheritedFlags(), "OPZIONI GLOBALI")
	if c.Example != "" {
		section(&b, "ESEMPI")
		b.WriteString(".PP\n.RS 4\n.nf\n")
		for _, l := range strings.Split(strings.TrimRight(c.Example, "\n"), "\n") {
			b.WriteString(roffLine(strings.TrimPrefix(l, "  ")) + "\n")
		}
		b.WriteString(".fi\n.RE\n")
	}

	section(&b, "AMBIENTE")
	for _, env := range [][2]string{
		{"NO_COLOR", "coopera non usa colori né altri effetti sul terminale; se un giorno li usasse, li spegnerebbe quando NO_COLOR è impostata (https://no-color.org)."},
		{"TERM", "con TERM=dumb, o quando l'uscita non è un terminale, non mostra l'avanzamento."},
	} {
		fmt.Fprintf(&b, ".TP\n\\fB%s\\fR\n%s\n", roff(env[0]), roff(env[1]))
	}
	section(&b, "STATO DI USCITA")
	b.WriteString(".TP\n\\fB0\\fR\ntutto bene\n.TP\n\\fB1\\fR\ndati non validi o errore\n.TP\n\\fB2\\fR\nuso sbagliato della riga di comando\n")

	var see []string
	if p := c.Parent(); p != nil {
		see = append(see, manName(p))
	}
	for _, s := range visibleSubcommands(c) {
		see = append(see, manName(s))
	}
	if c.Parent() == nil {
		see = see[:0]
		for _, s := range manCommands(c)[1:] {
			see = append(see, manName(s))
		}
	}
	if len(see) > 0 {
		section(&b, "VEDERE ANCHE")
		for i, s := range see {
			sep := ","
			if i == len(see)-1 {
				sep = ""
			}
			fmt.Fprintf(&b, ".BR %s (1)%s\n", roff(s), sep)
		}
	}
	return b.Bytes()
}

func visibleSubcommands(c *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, s := range c.Commands() {
		if s.IsAvailableCommand() && s.Name() != "help" {
			out = append(out, s)
		}
	}
	return out
}

func section(b *bytes.Buffer, name string) { fmt.Fprintf(b, ".SH %q\n", name) }

// flags writes a section listing the visible flags of fs, if any.
func flags(b *bytes.Buffer, fs *pflag.FlagSet, title string) {
	var list []*pflag.Flag
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			list = append(list, f)
		}
	})
	if len(list) == 0 {
		return
	}
	slices.SortFunc(list, func(a, b *pflag.Flag) int { return strings.Compare(a.Name, b.Name) })
	section(b, title)
	for _, f := range list {
		b.WriteString(".TP\n")
		if f.Shorthand != "" {
			fmt.Fprintf(b, "\\fB\\-%s\\fR, ", roff(f.Shorthand))
		}
		fmt.Fprintf(b, "\\fB\\-\\-%s\\fR", roff(f.Name))
		arg, usage := pflag.UnquoteUsage(f)
		if f.Value.Type() != "bool" {
			if it, ok := map[string]string{"string": "VALORE", "int": "N", "strings": "VALORI", "stringArray": "VALORE"}[arg]; ok {
				arg = it
			}
			fmt.Fprintf(b, " \\fI%s\\fR", roff(strings.ToUpper(arg)))
		}
		b.WriteString("\n" + roff(usage))
		if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "[]" {
			fmt.Fprintf(b, " (predefinito: %s)", roff(d))
		}
		b.WriteString("\n")
	}
}

// paragraphs turns help text into roff: a blank line starts a paragraph,
// indented lines (examples) stay as they are.
func paragraphs(b *bytes.Buffer, text string) {
	for _, p := range strings.Split(strings.TrimSpace(text), "\n\n") {
		lines := strings.Split(p, "\n")
		if strings.HasPrefix(lines[0], "  ") {
			b.WriteString(".PP\n.RS 4\n.nf\n")
			for _, l := range lines {
				b.WriteString(roffLine(strings.TrimPrefix(l, "  ")) + "\n")
			}
			b.WriteString(".fi\n.RE\n")
			continue
		}
		b.WriteString(".PP\n")
		for _, l := range lines {
			b.WriteString(roffLine(strings.TrimSpace(l)) + "\n")
		}
	}
}

// roff escapes text for roff: backslashes, hyphens, and every non-ASCII
// character as \[uXXXX], which groff and mandoc read whatever the locale.
func roff(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\e`)
		case r == '-':
			b.WriteString(`\-`)
		case r == '\u00a0':
			b.WriteString(`\~`)
		case r > 0x7e:
			fmt.Fprintf(&b, `\[u%04X]`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// roffLine escapes a whole input line: one starting with "." or "'" would
// be read as a request.
func roffLine(s string) string {
	s = roff(s)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

func roffQuoted(s string) string { return strings.ReplaceAll(roff(s), `"`, `\(dq`) }
