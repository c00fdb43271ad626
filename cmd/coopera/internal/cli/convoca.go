package cli

import (
	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/spf13/cobra"
)

type convocaOptions struct {
	output string
	bozza  bool
}

func newConvoca(g *globals) *cobra.Command {
	o := &convocaOptions{}
	cmd := &cobra.Command{
		Use:   "convoca FILE...",
		Short: "Compone la lettera di convocazione di ogni incontro indicato",
		Long: `Compone, per ogni file di incontro (data/tavoli/*.yaml), la lettera di
convocazione in PDF/A-2b sulla carta intestata del profilo.

Senza numero di protocollo (chiave protocollo) si compone solo una bozza, con
--bozza: il nome del file comincia con «bozza_», ogni pagina porta la scritta
BOZZA e il numero non compare, anche se il file ce l'ha.

Una lettera con numero di protocollo esiste solo emessa: la emette «coopera
protocollo registra FILE» (o «assegna»), che la annota nel registro e ne
conserva i byte in data/emessi/. Questo comando scrive poi la lettera
emessa, identica byte per byte, e non la ricompone mai. Rifiuta (uscita 1),
dicendo che cosa fare:
  - un numero che il registro non ha ancora emesso (emettilo con registra);
  - un file i cui dati sono cambiati dopo l'emissione: elenca le chiavi
    cambiate; si rimettono i dati com'erano, oppure si annulla il numero
    (coopera protocollo annulla) e se ne emette uno nuovo;
  - un numero annullato o registrato per un altro file.
Le lettere personali (--destinatari) di una lettera protocollata si emettono
con «coopera protocollo registra FILE --destinatari ELENCO»; qui si
riscrivono quelle già emesse.
Se un file ha errori non viene scritto nulla.`,
		Example: `  coopera convoca data/tavoli/2022-03-02-tavolo-3.yaml
  coopera convoca --bozza -o out data/tavoli/2022-01-31-tavolo-2.yaml data/tavoli/2022-03-02-tavolo-3.yaml
  coopera convoca --bozza --ics --destinatari referenti.csv data/tavoli/2022-01-31-tavolo-2.yaml`,
		Args: cobra.MinimumNArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return osserva(cmd, g, args, func() error { return runConvoca(cmd, g, o, args) }) // --osserva: osserva.go
		},
	}
	cmd.Flags().StringVarP(&o.output, "output", "o", ".", "la cartella in cui scrivere i PDF")
	cmd.Flags().BoolVar(&o.bozza, "bozza", false, "compone una bozza anche senza numero di protocollo")
	addICSFlag(cmd)
	addDestinatariFlag(cmd) // destinatari.go
	addOsservaFlag(cmd)     // osserva.go
	return cmd
}

func runConvoca(cmd *cobra.Command, g *globals, o *convocaOptions, files []string) error {
	if err := checkOutputDir(o.output); err != nil {
		return err
	}
	env, err := g.env(o.bozza)
	if err != nil {
		return err
	}
	env.Prepare(compose.Letter)
	if err := checkKind(files, compose.Letter); err != nil {
		return err
	}
	if list := mergeFile(cmd); list != "" { // --destinatari: destinatari.go
		return runMerge(cmd, g, env, files, list, o.output)
	}
	outs, err := renderAll(files, env.Final)
	if err != nil {
		return err
	}
	if err := writeAll(g, outs, o.output, cmd.OutOrStdout(), cmd.ErrOrStderr()); err != nil {
		return err
	}
	return writeICS(cmd, env, g, outs, o.output)
}
