package cli

import (
	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/spf13/cobra"
)

type comunicatoOptions struct {
	output string
}

func newComunicato(g *globals) *cobra.Command {
	o := &comunicatoOptions{}
	cmd := &cobra.Command{
		Use:   "comunicato FILE...",
		Short: "Compone il comunicato stampa di ogni file indicato",
		Long: `Compone, per ogni file di comunicato (data/comunicati/*.yaml), il comunicato
stampa in PDF/A-2b sulla carta intestata del profilo. Se il comunicato indica
un tavolo, data, orario e numero del Tavolo citati nel testo sono confrontati
con il file dell'incontro. Se un file ha errori non viene scritto nulla.`,
		Example: `  coopera comunicato data/comunicati/2022-01-25-tavolo-2.yaml
  coopera comunicato -o out data/comunicati/*.yaml`,
		Args: cobra.MinimumNArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutputDir(o.output); err != nil {
				return err
			}
			env, err := g.env(false)
			if err != nil {
				return err
			}
			env.Prepare(compose.Release)
			if err := checkKind(args, compose.Release); err != nil {
				return err
			}
			outs, err := renderAll(args, env.PressRelease)
			if err != nil {
				return err
			}
			return writeAll(g, outs, o.output, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVarP(&o.output, "output", "o", ".", "la cartella in cui scrivere i PDF")
	return cmd
}
