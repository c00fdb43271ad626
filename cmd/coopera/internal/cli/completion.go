package cli

import (
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newCompletion) }

// newCompletion replaces cobra's default completion command (which cobra
// then does not add) so that its help reads in Italian. What it completes
// comes from the commands themselves: data files for convoca, comunicato
// and valida (ValidArgsFunction), enum values and files for the flags that
// register a completion (nuovo --modalita, convoca --destinatari, …).
func newCompletion(g *globals) *cobra.Command {
	var noDesc bool
	cmd := &cobra.Command{
		Use:   "completion SHELL",
		Short: "Genera lo script di completamento per la shell indicata",
		Long: `Genera lo script che insegna alla shell a completare i comandi, le opzioni,
i valori delle opzioni (per esempio nuovo tavolo --modalita) e i file di dati
di coopera. Le istruzioni per caricarlo sono nell'aiuto di ogni shell
(coopera completion bash --help).`,
		Example: `  source <(coopera completion bash)
  coopera completion zsh > "${fpath[1]}/_coopera"
  coopera completion fish > ~/.config/fish/completions/coopera.fish
  coopera completion powershell | Out-String | Invoke-Expression`,
		Args:                  cobra.NoArgs,
		DisableFlagsInUseLine: true,
		ValidArgsFunction:     cobra.NoFileCompletions,
	}
	shells := []struct {
		name, long string
		gen        func(c *cobra.Command) error
	}{
		{"bash", `Genera lo script di completamento per bash (serve il pacchetto bash-completion).

Per la sessione corrente:

  source <(coopera completion bash)

Per ogni nuova sessione, su Linux:

  coopera completion bash > /etc/bash_completion.d/coopera

su macOS:

  coopera completion bash > $(brew --prefix)/etc/bash_completion.d/coopera`,
			func(c *cobra.Command) error { return c.Root().GenBashCompletionV2(c.OutOrStdout(), !noDesc) }},
		{"zsh", `Genera lo script di completamento per zsh.

Se il completamento non è ancora attivo, aggiungi una volta a ~/.zshrc:

  autoload -U compinit; compinit

Per ogni nuova sessione:

  coopera completion zsh > "${fpath[1]}/_coopera"

poi apri una nuova shell.`,
			func(c *cobra.Command) error {
				if noDesc {
					return c.Root().GenZshCompletionNoDesc(c.OutOrStdout())
				}
				return c.Root().GenZshCompletion(c.OutOrStdout())
			}},
		{"fish", `Genera lo script di completamento per fish.

Per la sessione corrente:

  coopera completion fish | source

Per ogni nuova sessione:

  coopera completion fish > ~/.config/fish/completions/coopera.fish`,
			func(c *cobra.Command) error { return c.Root().GenFishCompletion(c.OutOrStdout(), !noDesc) }},
		{"powershell", `Genera lo script di completamento per PowerShell.

Per la sessione corrente:

  coopera completion powershell | Out-String | Invoke-Expression

Per ogni nuova sessione, aggiungi la riga qui sopra al profilo di PowerShell.`,
			func(c *cobra.Command) error {
				if noDesc {
					return c.Root().GenPowerShellCompletion(c.OutOrStdout())
				}
				return c.Root().GenPowerShellCompletionWithDesc(c.OutOrStdout())
			}},
	}
	for _, sh := range shells {
		gen := sh.gen
		sub := &cobra.Command{
			Use:                   sh.name,
			Short:                 "Genera lo script di completamento per " + sh.name,
			Long:                  sh.long,
			Args:                  cobra.NoArgs,
			DisableFlagsInUseLine: true,
			ValidArgsFunction:     cobra.NoFileCompletions,
			RunE:                  func(c *cobra.Command, _ []string) error { return gen(c) },
		}
		sub.Flags().BoolVar(&noDesc, "no-descriptions", false, "senza descrizioni")
		cmd.AddCommand(sub)
	}
	return cmd
}
